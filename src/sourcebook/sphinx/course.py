"""(being written)"""

from typing import Any


def setup_course(app: Any) -> None:
    pass
