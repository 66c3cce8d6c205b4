"""Numbers as people read them: the one formatter of every output.

``format_number`` rounds to 15 significant digits, which removes the noise of
floating-point arithmetic (0.1 + 0.2 shows as 0.3, 0.000123 - 0.000001 as
0.000122), then writes the shortest text that reads back as that number, in
full (no exponent: 1234567, not 1.23457e+06; 0.000123, not 1.23e-04).
``places`` first rounds half up, as JavaScript's ``Math.round`` does. ``formatNumber`` in ``static/grading.js``
is the same function for the site; both are held to the vectors in
``tests/conformance/numbers.yml``.
"""

from __future__ import annotations

import math
from decimal import Decimal


def format_number(value: float, places: int | None = None) -> str:
    """``value`` as people write it, optionally rounded (half up) to ``places`` decimal places."""
    if places is not None:
        scale = 10.0 ** places
        value = math.floor(value * scale + 0.5) / scale
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"  # -0 too
    # 15 significant digits are exact for any decimal a person typed; repr is then the
    # shortest text that reads back as that float (as JavaScript's String is).
    return format(Decimal(repr(float(f"{value:.15g}"))).normalize(), "f")
