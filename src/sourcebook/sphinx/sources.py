"""(being written)"""

from typing import Any


def setup_sources(app: Any) -> None:
    pass
