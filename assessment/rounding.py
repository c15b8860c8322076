"""The one rounding rule of every published figure (docs/scoring.md, "Rounding").

A figure is first rounded half up to 9 decimal places, which removes the noise of binary
floating point (64.685 is stored as 64.68499999999999…), then half up to the published
places: 2 for scores and indices, 4 for shares (coverage, N/A share, weight share). So
64.685 and 75.755 both round up, whether written as literals or reached by arithmetic.
Levels, gating and certification compare these published figures with the framework's
thresholds, never the unrounded ones.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np

NOISE_PLACES = 9
_NOISE = Decimal(1).scaleb(-NOISE_PLACES)


def half_up_decimal(x: float | Fraction | Decimal, places: int = 2) -> Decimal:
    """`x` rounded by the published rule, as an exact Decimal."""
    if isinstance(x, Fraction):
        d = Decimal(x.numerator) / Decimal(x.denominator)  # 28 significant digits
    elif isinstance(x, Decimal):
        d = x
    else:
        d = Decimal(repr(float(x)))
    d = d.quantize(_NOISE, ROUND_HALF_UP)
    return d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def half_up(x: float, places: int = 2) -> float:
    """`x` rounded by the published rule, as the float nearest to it (no negative zero)."""
    return float(half_up_decimal(x, places)) + 0.0


def half_up_array(values: np.ndarray, places: int = 2) -> np.ndarray:
    """`half_up` of each value (NaN stays NaN); one Decimal per distinct value."""
    flat = np.asarray(values, dtype=float)
    uniques, inverse = np.unique(flat, return_inverse=True)
    done = np.array([v if np.isnan(v) else half_up(float(v), places) for v in uniques], dtype=float)
    out: np.ndarray = done[inverse].reshape(flat.shape)
    return out


def index_of_published(score: float) -> float:
    """The published maturity index of a published score: 1 + 4 × score / 100, computed
    exactly in decimal and rounded half up to 2 places."""
    exact = 1 + 4 * Decimal(repr(float(score))) / 100
    return float(exact.quantize(Decimal("0.01"), ROUND_HALF_UP)) + 0.0


def lowest_score_for_index(min_index: float) -> float:
    """The lowest published score (2 places) whose published index reaches `min_index`."""
    # index ≥ m once 1 + 4s/100 ≥ m - 0.005, i.e. s ≥ 25 (m - 1.005)
    bound = 25 * (Decimal(repr(float(min_index))) - Decimal("1.005"))
    return float(max(Decimal(0), bound.quantize(Decimal("0.01"), ROUND_CEILING))) + 0.0
