"""Argument checks shared by the public functions of the library.

Each check returns the validated value and raises ``ValueError`` (a wrong value)
or ``TypeError`` (a wrong kind of object) whose message names the argument, the
value received and what is allowed.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_array(name: str, value: object) -> npt.NDArray[np.generic]:
    """``numpy.asarray(value)``, with a ragged nested list reported by name.

    >>> as_array("x", [[1, 2], [3]])
    Traceback (most recent call last):
    ...
    ValueError: x must be a rectangular array (nested lists of equal lengths), got [[1, 2], [3]]
    """
    try:
        return np.asarray(value)
    except ValueError:  # numpy: "setting an array element with a sequence"
        raise ValueError(
            f"{name} must be a rectangular array (nested lists of equal lengths), "
            f"got {_show(value)}"
        ) from None


def as_float_array(
    name: str,
    value: npt.ArrayLike,
    *,
    allow_infinite: bool = False,
    non_empty: bool = False,
) -> FloatArray:
    """``value`` as a float64 array; real numbers only, every entry finite.

    With ``allow_infinite``, the limits +-inf pass and only NaN is an error;
    with ``non_empty``, an array without entries is an error.

    >>> as_float_array("g", [1, 2])
    array([1., 2.])
    >>> as_float_array("g", [1.0, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: g must be finite, got 1 NaN or infinite entries out of 2
    >>> as_float_array("g", [], non_empty=True)
    Traceback (most recent call last):
    ...
    ValueError: g must hold at least one entry, got shape (0,)
    """
    raw = as_array(name, value)
    if raw.dtype == np.bool_ or not (
        np.issubdtype(raw.dtype, np.integer) or np.issubdtype(raw.dtype, np.floating)
    ):
        raise TypeError(f"{name} must be an array of real numbers, got dtype {raw.dtype}")
    if non_empty and raw.size == 0:
        raise ValueError(f"{name} must hold at least one entry, got shape {raw.shape}")
    array: FloatArray = raw.astype(np.float64, copy=True)
    if allow_infinite:
        nans = int(np.count_nonzero(np.isnan(array)))
        if nans:
            raise ValueError(f"{name} must not be NaN, got {nans} NaN entries out of {array.size}")
        return array
    bad = int(np.count_nonzero(~np.isfinite(array)))
    if bad:
        raise ValueError(
            f"{name} must be finite, got {bad} NaN or infinite entries out of {array.size}"
        )
    return array


def as_examples(name: str, value: npt.ArrayLike) -> FloatArray:
    """A finite array of examples: one example (1-D) or a batch (first axis ``n >= 0``).

    Every example must hold at least one entry; a batch of no examples is allowed.

    >>> as_examples("x", [[0.5, 0.5]]).shape
    (1, 2)
    >>> as_examples("x", 0.5)
    Traceback (most recent call last):
    ...
    ValueError: x must be one example (1-D, e.g. shape (d,)) or a batch (n, ...), got a scalar
    """
    array = as_float_array(name, value)
    if array.ndim == 0:
        raise ValueError(
            f"{name} must be one example (1-D, e.g. shape (d,)) or a batch (n, ...), got a scalar"
        )
    if 0 in array.shape[1:] or (array.ndim == 1 and array.size == 0):
        raise ValueError(
            f"{name} must hold at least one entry per example, got shape {array.shape}"
        )
    return array


def as_callable(name: str, value: object) -> Callable[..., object]:
    """``value`` itself if it can be called.

    >>> as_callable("grad_fn", None)
    Traceback (most recent call last):
    ...
    TypeError: grad_fn must be callable (a function), got None of type NoneType
    """
    if not callable(value):
        raise TypeError(
            f"{name} must be callable (a function), got {_show(value)} of type "
            f"{type(value).__name__}"
        )
    return value


def as_seed(name: str, value: object) -> int | None:
    """``None`` or an integer ``>= 0``, a seed of ``numpy.random.default_rng``."""
    return None if value is None else as_int(name, value, 0)


def as_real(name: str, value: object) -> float:
    """A finite real number (Python or numpy scalar, not ``bool``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_show(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def in_range(
    name: str,
    value: object,
    low: float = -np.inf,
    high: float = np.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A finite real number in the interval from ``low`` to ``high``.

    >>> in_range("eps", 0.5, 0.0)
    0.5
    >>> in_range("eps", -1, 0.0)
    Traceback (most recent call last):
    ...
    ValueError: eps must be in [0.0, inf), got -1
    """
    number = as_real(name, value)
    too_low = number <= low if low_open else number < low
    too_high = number >= high if high_open else number > high
    if too_low or too_high:
        left = "(" if low_open or low == -np.inf else "["
        right = ")" if high_open or high == np.inf else "]"
        interval = f"{left}{low}, {high}{right}"
        raise ValueError(f"{name} must be in {interval}, got {_show(value)}")
    return number


def as_int(name: str, value: object, minimum: int) -> int:
    """An integer (Python or numpy, not ``bool``) of at least ``minimum``.

    >>> as_int("stride", 2, 1)
    2
    >>> as_int("stride", 1.5, 1)
    Traceback (most recent call last):
    ...
    ValueError: stride must be an integer >= 1, got 1.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            raise ValueError(f"{name} must be an integer >= {minimum}, got {_show(value)}")
        raise TypeError(f"{name} must be an integer >= {minimum}, got {_show(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {_show(value)}")
    return int(value)


def same_shape(name_a: str, a: FloatArray, name_b: str, b: FloatArray) -> None:
    """Raise unless ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )
