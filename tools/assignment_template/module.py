"""__title__: the closed forms of the page, checked in tests/test___topic__.py.

Replace the worked example below with the functions the page uses. Each public
function checks its arguments (seminar/_checks.py) and shows its use in a doctest.
"""

from __future__ import annotations

from seminar._checks import as_real


def closest_point(c: float, low: float, high: float) -> float:
    """The minimiser of ``(x - c)**2`` over ``low <= x <= high``: ``c`` clipped.

    Parameters
    ----------
    c : float
        The centre of the parabola.
    low, high : float
        The interval's ends, ``low <= high``.

    Examples
    --------
    >>> closest_point(0.3, -1.0, 1.0)
    0.3
    >>> closest_point(2.0, -1.0, 1.0)
    1.0
    """
    c, low, high = as_real("c", c), as_real("low", low), as_real("high", high)
    if low > high:
        raise ValueError(f"low must be at most high, got low={low} and high={high}")
    return min(max(c, low), high)
