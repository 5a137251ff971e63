r"""Mirror descent on a box with the Bernoulli KL divergence (assignment 4).

The proximal step of the sheet,

.. math::

    x^{+} = \operatorname*{arg\,min}_{x \in [0, 1]}\;
    f'(x^0)\,(x - x^0) + \frac{1}{\varepsilon} D(x, x^0),
    \qquad
    D(x, x^0) = x \log\frac{x}{x^0} + (1 - x) \log\frac{1 - x}{1 - x^0},

has the closed form :math:`x^{+} = \sigma(\operatorname{logit}(x^0) - \varepsilon f'(x^0))`,
so in the logits :math:`\eta = \operatorname{logit}(x)` mirror descent is plain gradient
descent with the gradient taken in :math:`x`:
:math:`\eta^t = \eta^{t-1} - \varepsilon f'(\sigma(\eta^{t-1}))`. On the box
:math:`[0, 1]^n` everything acts coordinate by coordinate.

- :func:`sigmoid`, :func:`logit`: stable next to 0 and 1; :func:`bernoulli_kl`: the
  divergence :math:`D`;
- :func:`prox_step`: one proximal step; :func:`mirror_descent`: the iterates, computed in
  logit space; :func:`mirror_descent_logits`: the logits themselves, the state to resume from;
- for comparison, :func:`projected_gradient_descent` (clip to the box) and
  :func:`reparameterized_gradient_descent` (gradient descent on :math:`\eta` with
  :math:`x = \sigma(\eta)`), and :func:`box_quadratic_minimizer`, the exact minimiser of a
  convex quadratic on the box to measure them against;
- :func:`mirror_descent_attack`: mirror ascent on the box of an :math:`\ell_\infty`-bounded
  adversarial attack whose pixels stay in :math:`[0, 1]`.

Floating point. For every finite :math:`\eta` the exact :math:`\sigma(\eta)` lies strictly
inside :math:`(0, 1)`, but its float64 value does not always: :math:`1 / (1 + e^{-\eta})` is
exactly ``1.0`` once :math:`1 + e^{-\eta}` rounds to 1, for :math:`\eta > 53 \log 2 \approx
36.74`, and :math:`\sigma(-\eta)` is exactly ``0.0`` once it is below half the smallest
double, for :math:`\eta > 1075 \log 2 \approx 745.13`. So the iterates returned here lie in
the closed interval :math:`[0, 1]`; the state of the algorithm is :math:`\eta`, which stays
finite and keeps what the rounded :math:`x` loses. To keep :math:`\eta` finite even for huge
or infinite gradients it is clipped to :math:`[-L, L]`, :math:`L` = :data:`LOGIT_BOUND`.
Clipping :math:`\eta` is the Bregman projection onto the box :math:`[\sigma(-L), \sigma(L)]`,
and :math:`\sigma(\pm L)` round to exactly 1 and 0: the clip never changes the :math:`x` of
the step that triggers it, only how far :math:`\eta` runs beyond the last representable point.

Examples
--------
>>> float(prox_step(0.5, 1.0, 1.0))  # sigmoid(logit(0.5) - 1)
0.2689414213699951
>>> xs = mirror_descent(lambda x: x - 0.25, 0.5, 4.0, 60)  # f(x) = (x - 0.25)^2 / 2
>>> xs.shape, round(float(xs[-1]), 10)
((61,), 0.25)
>>> float(sigmoid(40.0)), float(logit(sigmoid(40.0)))  # x rounds to 1: keep eta, not x
(1.0, inf)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from seminar._checks import (
    FloatArray,
    as_callable,
    as_examples,
    as_float_array,
    as_int,
    in_range,
    same_shape,
)

__all__ = [
    "LOGIT_BOUND",
    "bernoulli_kl",
    "box_quadratic_minimizer",
    "logit",
    "mirror_descent",
    "mirror_descent_attack",
    "mirror_descent_logits",
    "projected_gradient_descent",
    "prox_step",
    "reparameterized_gradient_descent",
    "sigmoid",
]

#: The largest :math:`|\eta|` the iterations keep: :math:`\sigma(750)` rounds to 1.0 and
#: :math:`\sigma(-750) \approx 2 \cdot 10^{-326}` to 0.0 in float64, so no representable
#: iterate lies beyond it.
LOGIT_BOUND = 750.0

#: A gradient map: the point (an array) in, the gradient (an array of the same shape) out.
GradientMap = Callable[[FloatArray], npt.ArrayLike]
#: The direction of step ``t`` at the logits ``eta``: they move by ``-eps`` times it.
LogitGradient = Callable[[FloatArray, int], FloatArray]


# --- argument checks -------------------------------------------------------------------


def _within(name: str, array: FloatArray, low: float, high: float, *, open_: bool) -> FloatArray:
    """Raise unless every entry of ``array`` lies in ``(low, high)`` (or ``[low, high]``)."""
    outside = (array <= low) | (array >= high) if open_ else (array < low) | (array > high)
    if np.any(outside):
        kind = (
            f"open interval ({low:g}, {high:g})"
            if open_
            else f"closed interval [{low:g}, {high:g}]"
        )
        count = f" ({np.count_nonzero(outside)} of {array.size} entries)" if array.size > 1 else ""
        example = float(array[outside].flat[0])
        raise ValueError(f"{name} must lie in the {kind}, got {example!r}{count}")
    return array


def _open_unit(name: str, value: npt.ArrayLike) -> FloatArray:
    """A non-empty finite float64 array with every entry strictly between 0 and 1."""
    return _within(name, as_float_array(name, value, non_empty=True), 0.0, 1.0, open_=True)


def _iteration_args(
    grad_f: object, step_name: str, step: object, steps: object
) -> tuple[float, int]:
    """The checked step size (> 0) and number of steps (>= 0) of an iteration."""
    as_callable("grad_f", grad_f)
    return in_range(step_name, step, 0.0, low_open=True), as_int("steps", steps, 0)


def _gradient(grad_f: GradientMap, x: FloatArray, t: int) -> FloatArray:
    """``grad_f(x)`` at iterate ``t``, checked: real, the shape of ``x``, no NaN (+-inf allowed)."""
    name = f"grad_f(x) at iterate {t}"
    # A copy: grad_f must not change the iterate.
    gradient = as_float_array(name, grad_f(x.copy()), allow_infinite=True)
    if gradient.shape != x.shape:
        raise ValueError(f"{name} must have the shape of x, {x.shape}, got {gradient.shape}")
    return gradient


# --- the functions of the sheet ------------------------------------------------------------


def sigmoid(z: npt.ArrayLike) -> FloatArray:
    r"""The logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})`, elementwise and stable.

    Only :math:`e^{-|z|} \le 1` is ever formed, so nothing overflows; for :math:`z < 0` the
    form :math:`e^{z} / (1 + e^{z})` keeps full relative precision down to the smallest
    double. The result is exactly 1 for :math:`z > 53 \log 2 \approx 36.74` (where
    :math:`1 + e^{-z}` rounds to 1) and exactly 0 below :math:`z \approx -745.13`; the
    underflow this involves raises no floating-point warning.

    Parameters
    ----------
    z : ArrayLike
        Real numbers; :math:`\pm\infty` give the limits 1 and 0.

    Returns
    -------
    numpy.ndarray
        :math:`\sigma(z)`, float64, of the shape of ``z`` (0-d for a scalar).

    Raises
    ------
    TypeError
        If ``z`` is not real.
    ValueError
        If ``z`` holds NaN, is empty or is a ragged nested list.

    Examples
    --------
    >>> sigmoid([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    array([0.00000000e+00, 4.24835426e-18, 5.00000000e-01, 1.00000000e+00, 1.00000000e+00])
    """
    z = as_float_array("z", z, allow_infinite=True, non_empty=True)
    with np.errstate(under="ignore"):  # exp(-|z|) below the doubles: 0 is the rounded value
        small = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
        return np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def logit(p: npt.ArrayLike) -> FloatArray:
    r"""The inverse of the sigmoid, :math:`\operatorname{logit}(p) = \log p - \log(1 - p)`.

    Computed as ``log(p) - log1p(-p)``: both terms keep full precision for :math:`p` next to
    0 (down to the smallest subnormal) and next to 1 (where :math:`1 - p` is exact).

    Parameters
    ----------
    p : ArrayLike
        Probabilities in the closed interval :math:`[0, 1]`; 0 and 1 give
        :math:`-\infty` and :math:`+\infty`, the limits.

    Returns
    -------
    numpy.ndarray
        :math:`\operatorname{logit}(p)`, float64, of the shape of ``p``.

    Raises
    ------
    TypeError
        If ``p`` is not real.
    ValueError
        If ``p`` holds NaN or values outside :math:`[0, 1]`, is empty or ragged.

    Examples
    --------
    >>> logit([0.5, 0.75, 1e-300, 1.0])
    array([   0.        ,    1.09861229, -690.7755279 ,           inf])
    """
    p = as_float_array("p", p, allow_infinite=True, non_empty=True)
    p = _within("p", p, 0.0, 1.0, open_=False)
    # log(0) = -inf is the limit we want; log1p(-p) of a subnormal p underflows correctly.
    with np.errstate(divide="ignore", under="ignore"):
        return np.log(p) - np.log1p(-p)


def bernoulli_kl(x: npt.ArrayLike, x0: npt.ArrayLike) -> FloatArray:
    r"""The divergence of the sheet: the KL divergence between two Bernoulli distributions.

    .. math::

        D(x, x^0) = \mathrm{KL}(\mathrm{Ber}(x)\,\|\,\mathrm{Ber}(x^0))
        = x \log\frac{x}{x^0} + (1 - x) \log\frac{1 - x}{1 - x^0},

    elementwise, with :math:`0 \log 0 = 0` (its limit), so :math:`x` may sit on an edge.
    It is the Bregman divergence of the negative entropy
    :math:`h(x) = x \log x + (1 - x) \log(1 - x)`, whose derivative is the logit.

    Parameters
    ----------
    x : ArrayLike
        Points in :math:`[0, 1]`.
    x0 : ArrayLike
        Reference points in :math:`(0, 1)`; broadcast against ``x``.

    Returns
    -------
    numpy.ndarray
        :math:`D(x, x^0) \ge 0`, zero exactly where :math:`x = x^0`.

    Raises
    ------
    TypeError
        If an argument is not real.
    ValueError
        If ``x`` is outside :math:`[0, 1]`, ``x0`` outside :math:`(0, 1)`, either holds
        NaN, is empty or ragged, or their shapes do not broadcast.

    Examples
    --------
    >>> float(bernoulli_kl(1.0, 0.5))  # log 2: the largest divergence from the centre
    0.6931471805599453
    >>> bernoulli_kl([0.2, 0.5], 0.5)
    array([0.19274476, 0.        ])
    """
    x = _within("x", as_float_array("x", x, non_empty=True), 0.0, 1.0, open_=False)
    x0 = _open_unit("x0", x0)
    try:
        x, x0 = np.broadcast_arrays(x, x0)
    except ValueError:
        raise ValueError(
            f"x and x0 must broadcast to one shape, got {x.shape} and {x0.shape}"
        ) from None
    # Subnormal x or x0 make some products underflow: the rounded values are right.
    with np.errstate(under="ignore"):
        # log x where x > 0 and 0 elsewhere, so that x log x = 0 at x = 0 (no 0 * -inf).
        log_x = np.log(x, out=np.zeros_like(x), where=x > 0)
        log_1mx = np.log1p(-x, out=np.zeros_like(x), where=x < 1)
        result: FloatArray = x * (log_x - np.log(x0)) + (1.0 - x) * (log_1mx - np.log1p(-x0))
    return np.maximum(result, 0.0)  # D >= 0; rounding can leave -1e-17 next to x = x0


# --- one step and the iteration ----------------------------------------------------------


def _shift_logits(eta: FloatArray, grad: FloatArray, eps: float) -> FloatArray:
    r"""``clip(eta - eps * grad, -L, L)`` without overflow, for any float ``grad``.

    A gradient larger than :math:`2L/\varepsilon` in magnitude moves every
    :math:`\eta \in [-L, L]` out of that interval, so it is first capped there: the result is
    the same and :math:`\varepsilon \cdot` gradient stays finite.
    """
    cap = 2.0 * LOGIT_BOUND / eps  # Python float: inf (no warning) if eps is subnormal
    with np.errstate(under="ignore"):  # a step below the doubles rounds to 0: harmless
        step = eps * np.clip(grad, -cap, cap)
    return np.clip(eta - step, -LOGIT_BOUND, LOGIT_BOUND)


def _logit_path(gradient: LogitGradient, eta0: FloatArray, eps: float, steps: int) -> FloatArray:
    """The logits of ``eta^t = eta^(t-1) - eps * gradient(eta^(t-1), t - 1)``, checked args."""
    logits = np.empty((steps + 1, *eta0.shape))
    logits[0] = eta0
    for t in range(1, steps + 1):
        logits[t] = _shift_logits(logits[t - 1], gradient(logits[t - 1], t - 1), eps)
    return logits


def _descend_in_logits(
    grad_f: GradientMap, x0: FloatArray, step: float, steps: int, *, chain_rule: bool
) -> FloatArray:
    r"""The iterates :math:`x^t = \sigma(\eta^t)` of a descent on :math:`\eta`, checked args.

    The gradient in :math:`x` is taken at :math:`x^0` itself first (:math:`\sigma(\eta^0)`
    may differ from it by a rounding); with ``chain_rule`` it is multiplied by
    :math:`dx/d\eta = \sigma(\eta)\sigma(-\eta)` (accurate next to both edges), which makes
    gradient descent on :math:`F(\eta) = f(\sigma(\eta))` out of mirror descent.
    """

    def gradient(eta: FloatArray, t: int) -> FloatArray:
        grad = _gradient(grad_f, x0 if t == 0 else sigmoid(eta), t)
        if not chain_rule:
            return grad
        # dx/deta may be 0 at the float edges: then there is no step even for an infinite
        # gradient (inf * 0 -> 0), and tiny products round to 0.
        with np.errstate(invalid="ignore", under="ignore"):
            return np.nan_to_num(sigmoid(eta) * sigmoid(-eta) * grad, nan=0.0)

    iterates = sigmoid(_logit_path(gradient, logit(x0), step, steps))
    iterates[0] = x0
    return iterates


def prox_step(x0: npt.ArrayLike, grad: npt.ArrayLike, eps: float) -> FloatArray:
    r"""The proximal (mirror) step :math:`\sigma(\operatorname{logit}(x^0) - \varepsilon g)`.

    The unique minimiser over :math:`[0, 1]` of
    :math:`g\,(x - x^0) + \frac{1}{\varepsilon} D(x, x^0)`, elementwise. Every double
    :math:`x^0` in :math:`(0, 1)` is accepted, however close to an edge (its logit lies in
    :math:`[-744.5, 36.8]`), and so is any gradient, even :math:`\pm\infty`: the exact
    result lies in :math:`(0, 1)`; its float64 value may round to 0 or 1.

    Parameters
    ----------
    x0 : ArrayLike
        The current point, every entry in the open interval :math:`(0, 1)`.
    grad : ArrayLike
        The gradient :math:`f'(x^0)`, of the shape of ``x0``; no NaN.
    eps : float
        The step size :math:`\varepsilon > 0`.

    Returns
    -------
    numpy.ndarray
        The new point, of the shape of ``x0``, in :math:`[0, 1]`.

    Raises
    ------
    TypeError
        If an argument is not real.
    ValueError
        If ``x0`` is outside :math:`(0, 1)`, not finite or empty, ``grad`` holds NaN or has
        another shape, an array is ragged, or ``eps`` is not a finite positive number.

    Examples
    --------
    >>> prox_step([0.5, 0.5, 0.9], [1.0, -1.0, 0.0], 2.0)
    array([0.11920292, 0.88079708, 0.9       ])
    >>> float(prox_step(5e-324, -1e308, 1.0))  # extreme but valid: no overflow, no NaN
    1.0
    """
    x0 = _open_unit("x0", x0)
    grad = as_float_array("grad", grad, allow_infinite=True)
    same_shape("x0", x0, "grad", grad)
    eps = in_range("eps", eps, 0.0, low_open=True)
    return sigmoid(_shift_logits(logit(x0), grad, eps))


def mirror_descent(grad_f: GradientMap, x0: npt.ArrayLike, eps: float, steps: int) -> FloatArray:
    r"""Mirror descent on :math:`[0, 1]^n` with the Bernoulli KL divergence, in logit space.

    Starts from :math:`\eta^0 = \operatorname{logit}(x^0)` and iterates

    .. math::

        \eta^t = \eta^{t-1} - \varepsilon\, \nabla f(\sigma(\eta^{t-1})),
        \qquad x^t = \sigma(\eta^t),

    which is the proximal step of :func:`prox_step` applied ``steps`` times, without ever
    taking the logit of a rounded :math:`x` (see :func:`mirror_descent_logits`).
    :math:`\eta` is clipped to :math:`[-L, L]` (:data:`LOGIT_BOUND`), so it stays finite for
    any gradient.

    Parameters
    ----------
    grad_f : Callable
        ``grad_f(x)`` returns :math:`\nabla f(x)`, an array of the shape of ``x0``. It is
        called on floats in :math:`[0, 1]` (exactly 0 or 1 once :math:`x` rounds there), so
        it must be defined on the closed box. Infinite gradients are allowed (they move
        :math:`\eta` to :math:`\mp L`); NaN is an error.
    x0 : ArrayLike
        The start, every entry in the open interval :math:`(0, 1)`.
    eps : float
        The step size :math:`\varepsilon > 0`.
    steps : int
        The number of steps, at least 0.

    Returns
    -------
    numpy.ndarray
        The iterates :math:`x^0, \dots, x^{\mathrm{steps}}`, shape ``(steps + 1, *x0.shape)``,
        every entry in :math:`[0, 1]`; ``[0]`` is ``x0``.

    Raises
    ------
    TypeError
        If ``grad_f`` is not callable or returns something not real, or an argument is not
        real.
    ValueError
        If ``x0`` is outside :math:`(0, 1)`, not finite, empty or ragged, ``eps`` is not a
        finite positive number, ``steps`` is negative, or ``grad_f`` returns NaN or an array
        of another shape (the message names ``grad_f`` and the iterate).

    Examples
    --------
    >>> xs = mirror_descent(lambda x: -np.ones_like(x), [0.5, 0.1], 1.0, 3)  # f(x) = -x1 - x2
    >>> xs
    array([[0.5       , 0.1       ],
           [0.73105858, 0.23196932],
           [0.88079708, 0.45085306],
           [0.95257413, 0.69056786]])
    >>> np.allclose(xs[:, 0], sigmoid(np.arange(4.0)))  # eta^t = t: linear in logit space
    True
    """
    eps, steps = _iteration_args(grad_f, "eps", eps, steps)
    return _descend_in_logits(grad_f, _open_unit("x0", x0), eps, steps, chain_rule=False)


def mirror_descent_logits(
    grad_f: GradientMap, eta0: npt.ArrayLike, eps: float, steps: int
) -> FloatArray:
    r"""The logits :math:`\eta^0, \dots, \eta^{\mathrm{steps}}` of :func:`mirror_descent`.

    The state of the iteration: unlike the rounded :math:`x^t`, it can be stored and resumed
    at any point, also after :math:`x^t` has rounded to 0 or 1. The iterates are
    ``sigmoid`` of the result, and :math:`1 - x^t` is ``sigmoid(-eta)``, accurate next to 1.

    Parameters
    ----------
    grad_f : Callable
        As in :func:`mirror_descent`; called at :math:`x = \sigma(\eta)`.
    eta0 : ArrayLike
        The starting logits, finite.
    eps : float
        The step size :math:`\varepsilon > 0`.
    steps : int
        The number of steps, at least 0.

    Returns
    -------
    numpy.ndarray
        The logits, shape ``(steps + 1, *eta0.shape)``; ``[0]`` is ``eta0``, the later ones
        lie in :math:`[-L, L]`.

    Raises
    ------
    TypeError, ValueError
        As :func:`mirror_descent`, with ``eta0`` for ``x0``.

    Examples
    --------
    >>> up = mirror_descent_logits(lambda x: -np.ones_like(x), 0.0, 1.0, 40)  # f(x) = -x
    >>> float(up[-1]), float(sigmoid(up[-1]))  # x has rounded to 1, eta has not
    (40.0, 1.0)
    >>> down = mirror_descent_logits(lambda x: np.ones_like(x), up[-1], 1.0, 10)  # f(x) = x
    >>> float(down[-1]), float(sigmoid(-down[-1]))  # 1 - x = sigma(-30), back inside
    (30.0, 9.35762e-14)
    """
    eps, steps = _iteration_args(grad_f, "eps", eps, steps)
    eta0 = as_float_array("eta0", eta0, non_empty=True)
    return _logit_path(lambda eta, t: _gradient(grad_f, sigmoid(eta), t), eta0, eps, steps)


# --- the methods it is compared with -----------------------------------------------------


def projected_gradient_descent(
    grad_f: GradientMap, x0: npt.ArrayLike, step: float, steps: int
) -> FloatArray:
    r"""Projected gradient descent on :math:`[0, 1]^n`, the comparison for mirror descent.

    Each step moves against the gradient and clips back to the box,
    :math:`x^t = \mathrm{clip}(x^{t-1} - \alpha \nabla f(x^{t-1}), 0, 1)`; the clip is the
    Euclidean projection onto the box.

    Parameters
    ----------
    grad_f : Callable
        ``grad_f(x)`` returns :math:`\nabla f(x)`, of the shape of ``x0``; no NaN.
    x0 : ArrayLike
        The start, every entry in the closed interval :math:`[0, 1]`.
    step : float
        The step size :math:`\alpha > 0`.
    steps : int
        The number of steps, at least 0.

    Returns
    -------
    numpy.ndarray
        The iterates, shape ``(steps + 1, *x0.shape)``, in :math:`[0, 1]`.

    Raises
    ------
    TypeError, ValueError
        As :func:`mirror_descent`, with ``x0`` allowed on the edges and ``step`` for ``eps``.

    Examples
    --------
    >>> projected_gradient_descent(lambda x: x - 1.5, 0.25, 0.5, 3)  # optimum on the edge 1
    array([0.25 , 0.875, 1.   , 1.   ])
    """
    step, steps = _iteration_args(grad_f, "step", step, steps)
    x0 = _within("x0", as_float_array("x0", x0, non_empty=True), 0.0, 1.0, open_=False)
    iterates = np.empty((steps + 1, *x0.shape))
    iterates[0] = x0
    for t in range(1, steps + 1):
        x = iterates[t - 1]
        # A gradient beyond 2 / step takes any x out of [0, 1] anyway: cap it so that
        # step * grad cannot overflow; a product below the doubles rounds to 0.
        grad = np.clip(_gradient(grad_f, x, t - 1), -2.0 / step, 2.0 / step)
        with np.errstate(under="ignore"):
            iterates[t] = np.clip(x - step * grad, 0.0, 1.0)
    return iterates


def reparameterized_gradient_descent(
    grad_f: GradientMap, x0: npt.ArrayLike, step: float, steps: int
) -> FloatArray:
    r"""Gradient descent on :math:`\eta` for :math:`F(\eta) = f(\sigma(\eta))`.

    By the chain rule :math:`F'(\eta) = \sigma'(\eta) f'(x) = x (1 - x) f'(x)`, so

    .. math::

        \eta^t = \eta^{t-1} - \alpha\, x^{t-1} (1 - x^{t-1})\, \nabla f(x^{t-1}),

    with :math:`x (1 - x)` computed as :math:`\sigma(\eta)\sigma(-\eta)` and :math:`\eta`
    clipped to :math:`[-L, L]` as in :func:`mirror_descent`. The factor :math:`x(1 - x)` is
    what mirror descent drops: it is the Fisher information of :math:`\mathrm{Ber}(\sigma(\eta))`,
    and dividing by it gives the natural gradient.

    Parameters
    ----------
    grad_f : Callable
        ``grad_f(x)`` returns :math:`\nabla f(x)` (the gradient in :math:`x`, not in
        :math:`\eta`), of the shape of ``x0``; no NaN.
    x0 : ArrayLike
        The start, every entry in the open interval :math:`(0, 1)`.
    step : float
        The step size :math:`\alpha > 0`.
    steps : int
        The number of steps, at least 0.

    Returns
    -------
    numpy.ndarray
        The iterates :math:`x^t = \sigma(\eta^t)`, shape ``(steps + 1, *x0.shape)``.

    Raises
    ------
    TypeError, ValueError
        As :func:`mirror_descent`, with ``step`` for ``eps``.

    Examples
    --------
    >>> reparameterized_gradient_descent(lambda x: -np.ones_like(x), 0.5, 4.0, 3)
    array([0.5       , 0.73105858, 0.85649121, 0.9070473 ])
    """
    step, steps = _iteration_args(grad_f, "step", step, steps)
    return _descend_in_logits(grad_f, _open_unit("x0", x0), step, steps, chain_rule=True)


def box_quadratic_minimizer(hessian: npt.ArrayLike, center: npt.ArrayLike) -> FloatArray:
    r"""The minimiser of :math:`f(x) = \frac12 (x - c)^\top A (x - c)` over :math:`[0, 1]^n`.

    Exact, by enumerating the :math:`3^n` faces of the box: for each choice of coordinates
    fixed at 0 or 1, the free coordinates solve
    :math:`A_{RR}(x_R - c_R) = -A_{RF}(x_F - c_F)`; the best feasible candidate is the
    minimiser (:math:`f` is strictly convex, its minimiser is the candidate of its own face,
    and every other feasible candidate is a point of the box). Meant for small :math:`n`.

    Parameters
    ----------
    hessian : ArrayLike
        :math:`A`, symmetric positive definite, shape ``(n, n)`` with :math:`1 \le n \le 8`.
    center : ArrayLike
        :math:`c`, the unconstrained minimiser, shape ``(n,)``; it may lie outside the box.

    Returns
    -------
    numpy.ndarray
        :math:`x^\star`, shape ``(n,)``.

    Raises
    ------
    ValueError
        If the shapes do not fit, :math:`n > 8`, or :math:`A` is not symmetric positive
        definite.

    Examples
    --------
    >>> box_quadratic_minimizer(np.eye(2), [0.3, 1.7])  # separable: clip the centre
    array([0.3, 1. ])
    >>> box_quadratic_minimizer([[2.0, 1.0], [1.0, 2.0]], [1.5, 0.5])
    array([1.  , 0.75])
    """
    a = as_float_array("hessian", hessian, non_empty=True)
    c = as_float_array("center", center, non_empty=True)
    n = c.shape[0] if c.ndim == 1 else 0
    if c.ndim != 1 or not 1 <= n <= 8 or a.shape != (n, n):
        raise ValueError(
            f"center must have shape (n,) with 1 <= n <= 8 and hessian shape (n, n), "
            f"got {c.shape} and {a.shape}"
        )
    if not np.allclose(a, a.T) or np.linalg.eigvalsh(a).min() <= 0:
        raise ValueError(f"hessian must be symmetric positive definite, got {a.tolist()}")
    best, best_value = c, np.inf
    for face in itertools.product((None, 0.0, 1.0), repeat=n):
        free = np.array([v is None for v in face])
        x = np.array([c[i] if v is None else v for i, v in enumerate(face)])
        if np.any(free) and not np.all(free):
            fixed = ~free
            rhs = -a[np.ix_(free, fixed)] @ (x[fixed] - c[fixed])
            x[free] = c[free] + np.linalg.solve(a[np.ix_(free, free)], rhs)
        if np.all((x >= 0.0) & (x <= 1.0)):
            value = float(0.5 * (x - c) @ a @ (x - c))
            if value < best_value:
                best, best_value = x, value
    return best


# --- an adversarial attack ----------------------------------------------------------------


def mirror_descent_attack(
    x: npt.ArrayLike,
    grad_fn: GradientMap,
    eps: float,
    step_size: float,
    steps: int,
    *,
    start: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""An :math:`\ell_\infty` attack by mirror ascent on each pixel's box.

    Every input :math:`x_i \in [0, 1]` may move within :math:`[l_i, u_i]`, with
    :math:`l_i = \max(0, x_i - \varepsilon)` and :math:`u_i = \min(1, x_i + \varepsilon)`:
    the intersection of the :math:`\ell_\infty` ball with the valid range, the set of
    :func:`seminar.attacks.pgd`. With :math:`x = l + (u - l) \odot \sigma(\eta)` this box is
    :math:`[0, 1]^d` in the coordinates :math:`z = \sigma(\eta)`, where the gradient of the
    loss is :math:`G = (u - l) \odot \nabla_x L` (chain rule). Mirror *ascent* there, one
    example at a time, is

    .. math::

        \eta^t = \eta^{t-1} + \text{step\_size} \cdot G / \|G\|_\infty ,
        \qquad x^t = l + (u - l) \odot \sigma(\eta^t).

    Dividing by :math:`\|G\|_\infty`, per example, makes the step size a number of logit
    units (the pixel with the largest :math:`|G_i|` moves its logit by exactly
    ``step_size``), independent of how small the gradient of a confidently classified
    example is; an example with a zero gradient does not move.

    The default start is the centre of every pixel's box (:math:`\eta^0 = 0`), the
    minimiser of the entropy, from which every point of the box is within a divergence of
    :math:`\log 2` per pixel. It equals ``x`` wherever the ball is not cut by the valid
    range. ``x`` itself is no valid start when a pixel lies on an edge of its box (at 0 or
    1), where the logit is infinite.

    Parameters
    ----------
    x : ArrayLike
        Clean inputs in :math:`[0, 1]`, shape ``(n, ...)``: the first axis indexes examples.
        A 1-D ``x`` of shape ``(d,)`` is one example, the same as ``x[None]``, and the
        iterates are then of shape ``(steps + 1, d)``; ``grad_fn`` gets 1-D arrays.
    grad_fn : Callable
        ``grad_fn(x_adv)`` returns the gradient of the loss to *increase* at ``x_adv``
        (of ``x``'s shape, one row per example), finite.
    eps : float
        The :math:`\ell_\infty` radius, ``>= 0``; ``0`` returns ``x`` at every step.
    step_size : float
        The step in logit units, ``> 0``.
    steps : int
        The number of steps, ``>= 0``.
    start : ArrayLike or None
        The first iterate, strictly inside every pixel's box; ``None`` (default) for the
        centre of the box.

    Returns
    -------
    numpy.ndarray
        The iterates :math:`x^0, \dots, x^{\mathrm{steps}}`, shape
        ``(steps + 1, *x.shape)``, each inside the ball and :math:`[0, 1]`; the last one is
        the attack.

    Raises
    ------
    TypeError
        If ``grad_fn`` is not callable or an argument is not real.
    ValueError
        If ``x`` is not finite, ragged, empty, a scalar or outside :math:`[0, 1]`,
        ``eps < 0``, ``step_size <= 0``, ``steps < 0``, ``start`` is not strictly inside the
        boxes, or ``grad_fn`` returns a non-finite value or an array of another shape.

    Examples
    --------
    Raise :math:`L(x) = x_1 - x_2` on one example with pixels 0 and 0.5, eps 0.2:

    >>> path = mirror_descent_attack([[0.0, 0.5]], lambda x: np.tile([1.0, -1.0], (len(x), 1)),
    ...                              0.2, 1.0, 40)
    >>> path[0], path[-1].round(6)  # from the box centres to the best corner
    (array([[0.1, 0.5]]), array([[0.2, 0.3]]))
    >>> one = mirror_descent_attack([0.0, 0.5], lambda x: np.array([1.0, -1.0]), 0.2, 1.0, 40)
    >>> one.shape, one[-1].round(6)  # one example, 1-D: the same path as x[None]
    ((41, 2), array([0.2, 0.3]))
    """
    as_callable("grad_fn", grad_fn)
    inputs = _within("x", as_examples("x", x), 0.0, 1.0, open_=False)
    radius = in_range("eps", eps, 0.0)
    step_size = in_range("step_size", step_size, 0.0, low_open=True)
    steps = as_int("steps", steps, 0)
    if radius == 0.0:  # the box is the point x: nothing can move
        return np.repeat(inputs[None], steps + 1, axis=0)
    lower, upper = np.maximum(inputs - radius, 0.0), np.minimum(inputs + radius, 1.0)
    width = upper - lower
    x0 = (lower + upper) / 2.0 if start is None else as_float_array("start", start)
    if x0.shape != inputs.shape or np.any((x0 <= lower) | (x0 >= upper)):
        raise ValueError(
            f"start must have the shape of x, {inputs.shape}, and lie strictly inside "
            "every pixel's box (lower < start < upper)"
        )

    def to_box(eta: FloatArray) -> FloatArray:
        # lower + width * z can miss [lower, upper] by a rounding: clip that rounding only.
        with np.errstate(under="ignore"):  # products below the doubles round to 0
            return np.clip(lower + width * sigmoid(eta), lower, upper)

    # The axes of one example: all but the first, or all of a 1-D x (one example).
    example_axes = tuple(range(1, inputs.ndim)) if inputs.ndim > 1 else (0,)

    def descent_direction(eta: FloatArray, t: int) -> FloatArray:
        x_adv = x0 if t == 0 else to_box(eta)  # the first gradient at the start itself
        name = f"grad_fn(x_adv) at iterate {t}"
        gradient = as_float_array(name, grad_fn(x_adv.copy()))
        same_shape("x", inputs, name, gradient)
        in_z = width * gradient  # G: the gradient in the box coordinates
        scale = np.max(np.abs(in_z), axis=example_axes, keepdims=True)
        return -in_z / np.where(scale > 0.0, scale, 1.0)  # ascent; a zero gradient: no step

    with np.errstate(under="ignore"):  # a start within a subnormal of an edge: still valid
        eta0 = logit((x0 - lower) / width)
    iterates = to_box(_logit_path(descent_direction, eta0, step_size, steps))
    iterates[0] = x0
    return iterates
