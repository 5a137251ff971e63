"""Weight normalization with weight decay (assignment 3).

A weight-normalised neuron computes :math:`y = w^\\top x / \\|w\\|`. Its output does
not change when :math:`w` is scaled, so the gradient of any loss :math:`L(y(w))` is
orthogonal to :math:`w` and shrinks like :math:`1/\\|w\\|`. One gradient-descent step
on :math:`L + \\frac{\\lambda}{2}\\|w\\|^2` therefore shrinks :math:`w` radially (weight
decay) and moves it tangentially (the gradient), which gives a closed-form condition
for a shrinking norm and, under SGD, an equilibrium norm and angular update.

The functions take and return float64 numpy arrays or Python floats:

- :func:`weight_norm_output`, :func:`weight_norm_grad`: the neuron and its gradient;
- :func:`gd_step`: one step of gradient descent with weight decay;
- :func:`norm_after_step`, :func:`norm_decrease_bound`, :func:`largest_shrink`: the
  norm after one step from the step sizes alone (part c);
- :func:`equilibrium`, :func:`simulate_sgd`: SGD (with momentum) on a
  weight-normalised neuron and the equilibrium it settles at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from seminar._checks import FloatArray, as_float_array, as_int, in_range, same_shape

__all__ = [
    "Equilibrium",
    "SGDTrace",
    "Shrink",
    "equilibrium",
    "gd_step",
    "largest_shrink",
    "norm_after_step",
    "norm_decrease_bound",
    "simulate_sgd",
    "weight_norm_grad",
    "weight_norm_output",
]

Loss = Literal["squared", "logistic"]


# --- helpers -----------------------------------------------------------------------


def _weight_vector(name: str, value: npt.ArrayLike) -> tuple[FloatArray, float]:
    """A non-empty, non-zero 1-D weight vector and its norm."""
    w = as_float_array(name, value)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector, got shape {w.shape}")
    norm = math.hypot(*w)  # scaled internally: no overflow or underflow for any finite w
    if norm == 0.0:
        raise ValueError(
            f"{name} must be non-zero (y = w^T x / ||w|| is undefined at w = 0), got {name} = 0"
        )
    return w, norm


def _inputs(x: npt.ArrayLike, dim: int) -> FloatArray:
    """Inputs of shape (d,) or (n, d) that match a weight vector of length d."""
    inputs = as_float_array("x", x)
    if inputs.ndim not in (1, 2) or inputs.shape[-1] != dim:
        raise ValueError(
            f"x must have shape (d,) or (n, d) with d = len(w) = {dim}, got shape {inputs.shape}"
        )
    return inputs


def _tangent_gradient(w_hat: FloatArray, summed_input: FloatArray) -> FloatArray:
    """(I - w_hat w_hat^T) s: the gradient at the unit vector w_hat, given
    s = sum_i (dL/dy_i) x_i."""
    return np.asarray(summed_input - (w_hat @ summed_input) * w_hat, dtype=np.float64)


# --- the neuron ----------------------------------------------------------------------


def weight_norm_output(w: npt.ArrayLike, x: npt.ArrayLike) -> FloatArray:
    """Output :math:`y = w^\\top x / \\|w\\|` of a weight-normalised neuron.

    Parameters
    ----------
    w : ArrayLike
        Weight vector of shape ``(d,)``, not zero.
    x : ArrayLike
        One input of shape ``(d,)``, or ``n`` inputs as the rows of an ``(n, d)`` array.

    Returns
    -------
    numpy.ndarray
        Shape ``()`` for one input, ``(n,)`` for ``n`` inputs.

    Raises
    ------
    ValueError
        If ``w`` is zero or not a vector, or ``x`` does not match its length.

    Examples
    --------
    >>> print(weight_norm_output([3.0, 4.0], [[1.0, 0.0], [0.0, 1.0]]))
    [0.6 0.8]
    >>> float(weight_norm_output([30.0, 40.0], [1.0, 1.0]))  # scale-invariant
    1.4
    """
    w_vec, norm = _weight_vector("w", w)
    inputs = _inputs(x, w_vec.size)
    return np.asarray(inputs @ (w_vec / norm), dtype=np.float64)


def weight_norm_grad(
    w: npt.ArrayLike, x: npt.ArrayLike, upstream: npt.ArrayLike = 1.0
) -> FloatArray:
    """Gradient of :math:`L(y(w))` with respect to :math:`w` for :math:`y = w^\\top x/\\|w\\|`.

    With :math:`\\hat w = w/\\|w\\|` the chain rule gives

    .. math:: \\nabla_w L = \\sum_i \\frac{\\partial L}{\\partial y_i}\\,
       \\frac{(I - \\hat w \\hat w^\\top)\\, x_i}{\\|w\\|},

    a vector orthogonal to :math:`w` whose length scales like :math:`1/\\|w\\|`.

    Parameters
    ----------
    w, x : ArrayLike
        As in :func:`weight_norm_output`.
    upstream : float or ArrayLike
        :math:`\\partial L / \\partial y_i`, one value per input, shape ``(n,)``; a
        scalar is used for every input. The default 1 gives :math:`\\sum_i \\nabla_w y_i`.

    Returns
    -------
    numpy.ndarray
        The gradient, shape ``(d,)``.

    Raises
    ------
    ValueError
        If ``w`` is zero, or the shapes of ``x`` or ``upstream`` do not match.

    Examples
    --------
    >>> w = np.array([3.0, 4.0])
    >>> g = weight_norm_grad(w, [1.0, 0.0])
    >>> print(g)
    [ 0.128 -0.096]
    >>> float(w @ g)  # orthogonal to w
    0.0
    >>> print(weight_norm_grad(10 * w, [1.0, 0.0]))  # ten times longer w, ten times shorter g
    [ 0.0128 -0.0096]
    """
    w_vec, norm = _weight_vector("w", w)
    inputs = _inputs(x, w_vec.size)
    dl_dy = as_float_array("upstream", upstream)
    expected = inputs.shape[:-1]
    if dl_dy.shape not in ((), expected):
        raise ValueError(
            f"upstream must be a scalar or have shape {expected} (one value per input), "
            f"got shape {dl_dy.shape}"
        )
    # s = sum_i (dL/dy_i) x_i; the projection and the 1/||w|| are shared by all terms
    summed = np.broadcast_to(dl_dy, expected) @ inputs if inputs.ndim == 2 else dl_dy * inputs
    return _tangent_gradient(w_vec / norm, summed) / norm


# --- one step of gradient descent (parts a and c) ------------------------------------


def gd_step(w: npt.ArrayLike, g: npt.ArrayLike, lam: float, alpha: float) -> FloatArray:
    """One gradient-descent step on :math:`L + \\frac{\\lambda}{2}\\|w\\|^2`.

    .. math:: w_1 = w - \\alpha\\,(g + \\lambda w) = (1 - \\alpha\\lambda)\\, w - \\alpha g .

    Parameters
    ----------
    w : ArrayLike
        Current weights, shape ``(d,)``, not zero (the neuron is undefined at 0).
    g : ArrayLike
        Gradient of the unregularised loss :math:`L` at ``w``, shape ``(d,)``.
    lam : float
        Weight decay :math:`\\lambda \\ge 0`.
    alpha : float
        Step size :math:`\\alpha > 0`.

    Returns
    -------
    numpy.ndarray
        The new weights :math:`w_1`, shape ``(d,)``.

    Raises
    ------
    ValueError
        If ``w`` is zero, ``g`` has another shape, ``lam < 0`` or ``alpha <= 0``.

    Examples
    --------
    >>> print(gd_step([1.0, 0.0], [0.0, 0.5], lam=0.1, alpha=1.0))
    [ 0.9 -0.5]
    """
    w_vec, _ = _weight_vector("w", w)
    grad = as_float_array("g", g)
    same_shape("w", w_vec, "g", grad)
    decay = in_range("lam", lam, 0.0)
    step = in_range("alpha", alpha, 0.0, low_open=True)
    return (1.0 - step * decay) * w_vec - step * grad


def _check_a_lam_r(a: float, lam: float, r: float) -> tuple[float, float, float]:
    """The gradient norm, the weight decay and the radius of part (c), validated."""
    return (
        in_range("a", a, 0.0),
        in_range("lam", lam, 0.0),
        in_range("r", r, 0.0, low_open=True),
    )


def norm_after_step(a: float, lam: float, alpha: float, r: float = 1.0) -> float:
    """:math:`\\|w_1\\|` after one step from :math:`\\|w_0\\| = r` with :math:`\\|g\\| = a`.

    Because :math:`g \\perp w_0`, Pythagoras gives
    :math:`\\|w_1\\|^2 = (1 - \\alpha\\lambda)^2 r^2 + \\alpha^2 a^2`.

    Parameters
    ----------
    a, lam, r : float
        As in :func:`norm_decrease_bound`.
    alpha : float
        Step size :math:`\\alpha > 0`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``a < 0``, ``lam < 0``, ``alpha <= 0`` or ``r <= 0``.

    Examples
    --------
    >>> norm_after_step(a=0.3, lam=0.4, alpha=1.0)  # (0.6, 0.3) has length sqrt(0.45)
    0.670820393249937
    """
    grad_norm, decay, radius = _check_a_lam_r(a, lam, r)
    step = in_range("alpha", alpha, 0.0, low_open=True)
    return math.hypot((1.0 - step * decay) * radius, step * grad_norm)


def norm_decrease_bound(a: float, lam: float, r: float = 1.0) -> float:
    """The largest step size for which one step shrinks the norm.

    With :math:`\\|w_0\\| = r` and :math:`\\|g\\| = a` (the gradient at :math:`w_0`),
    :math:`\\|w_1\\| < \\|w_0\\|` exactly when

    .. math:: 0 < \\alpha < \\frac{2\\lambda r^2}{\\lambda^2 r^2 + a^2}
       = \\frac{2\\lambda}{\\lambda^2 + (a/r)^2}.

    Parameters
    ----------
    a : float
        :math:`\\|g\\| \\ge 0`, the gradient of :math:`L` at :math:`w_0` itself. (The
        gradient at the unit vector :math:`w_0/r` is ``r`` times longer, :math:`\\tilde a
        = a r`, so in terms of it the bound is :math:`2\\lambda r^4/(\\lambda^2 r^4 +
        \\tilde a^2)`.)
    lam : float
        Weight decay :math:`\\lambda \\ge 0`.
    r : float
        :math:`\\|w_0\\| > 0`.

    Returns
    -------
    float
        The bound. It is 0 when ``lam == 0``: without weight decay no step shrinks
        the norm (it stays equal when also ``a == 0``).

    Raises
    ------
    ValueError
        If ``a < 0``, ``lam < 0`` or ``r <= 0``.

    Examples
    --------
    >>> norm_decrease_bound(a=0.3, lam=0.4)  # 0.8 / (0.16 + 0.09)
    3.2
    >>> norm_decrease_bound(a=0.0, lam=0.4)  # at an optimum: |1 - alpha lam| < 1
    5.0
    >>> norm_decrease_bound(a=0.6, lam=0.4, r=2.0)  # the same picture scaled by 2: a/r = 0.3
    3.2
    >>> norm_decrease_bound(a=0.3, lam=0.0)
    0.0
    """
    # ||w_1||^2 - r^2 is a parabola in alpha with its roots at 0 and 2 alpha*
    return 2.0 * largest_shrink(a, lam, r).alpha


@dataclass(frozen=True)
class Shrink:
    """The step size that shrinks the norm most, and the norm it reaches."""

    alpha: float  #: The minimiser of ||w_1|| over alpha > 0; 0 when lam == 0 (no step shrinks).
    norm: float  #: The smallest ||w_1||.


def largest_shrink(a: float, lam: float, r: float = 1.0) -> Shrink:
    """The step size minimising :math:`\\|w_1\\|` and the smallest norm.

    :math:`\\|w_1\\|^2` is a parabola in :math:`\\alpha` with roots of
    :math:`\\|w_1\\|^2 - r^2` at 0 and at :func:`norm_decrease_bound`, so its minimum
    lies half-way: :math:`\\alpha^* = \\lambda r^2/(\\lambda^2 r^2 + a^2)`, where
    :math:`\\|w_1\\| = r a / \\sqrt{\\lambda^2 r^2 + a^2}`.

    Parameters
    ----------
    a, lam, r : float
        As in :func:`norm_decrease_bound`.

    Returns
    -------
    Shrink
        ``alpha`` and ``norm``. Without weight decay (``lam == 0``) no step shrinks the
        norm: ``Shrink(alpha=0.0, norm=r)``. At a zero gradient (``a == 0``) the step
        :math:`\\alpha^* = 1/\\lambda` lands on ``w = 0``, where the neuron is undefined.

    Raises
    ------
    ValueError
        As :func:`norm_decrease_bound`.

    Examples
    --------
    >>> best = largest_shrink(a=0.3, lam=0.4)
    >>> print(round(best.alpha, 12), round(best.norm, 12))  # 0.4 / 0.25 and 0.3 / 0.5
    1.6 0.6
    """
    grad_norm, decay, radius = _check_a_lam_r(a, lam, r)
    if decay == 0.0:
        return Shrink(alpha=0.0, norm=radius)
    # lam / (lam^2 + u^2) as (lam / h) / h with h = hypot(lam, u): no square can overflow
    u = grad_norm / radius
    h = math.hypot(decay, u)
    return Shrink(alpha=(decay / h) / h, norm=radius * (u / h))


# --- SGD and its equilibrium (beyond the sheet) --------------------------------------


@dataclass(frozen=True)
class Equilibrium:
    """Leading-order equilibrium of SGD with weight decay on a scale-invariant weight."""

    norm: float  #: ||w|| from ||w||^4 = alpha E||g~||^2 / (2 lam (1 - beta)).
    effective_lr: float  #: The effective learning rate alpha / ||w||^2.
    angle: float  #: RMS angle between w_t and w_{t+1} in radians, sqrt(2 alpha lam / (1 + beta)).


def equilibrium(alpha: float, lam: float, grad_sq: float, beta: float = 0.0) -> Equilibrium:
    """Norm, effective learning rate and angular update where SGD with weight decay settles.

    Per step, weight decay shrinks :math:`\\|w\\|^2` by about :math:`2\\alpha\\lambda
    \\|w\\|^2` and the orthogonal gradient step grows it by :math:`\\alpha^2
    \\|\\tilde g\\|^2 / \\|w\\|^2`, where :math:`\\tilde g` is the gradient at the unit
    vector :math:`w/\\|w\\|`. The two balance at

    .. math:: \\|w\\|^4 = \\frac{\\alpha\\, E\\|\\tilde g\\|^2}{2\\lambda(1-\\beta)},
       \\qquad \\theta = \\sqrt{\\frac{2\\alpha\\lambda}{1+\\beta}},

    to leading order in :math:`\\alpha\\lambda`, for heavy-ball momentum :math:`\\beta`
    (``v = beta v + g + lam w; w = w - alpha v``) and gradient noise uncorrelated
    between steps.

    Parameters
    ----------
    alpha : float
        Step size :math:`\\alpha > 0`.
    lam : float
        Weight decay :math:`\\lambda > 0` (without it there is no equilibrium: the norm
        grows for ever).
    grad_sq : float
        :math:`E\\|\\tilde g\\|^2 > 0`, the mean squared gradient at unit norm (without
        gradient noise there is no equilibrium either: the norm decays to 0).
    beta : float
        Momentum :math:`0 \\le \\beta < 1`.

    Returns
    -------
    Equilibrium

    Raises
    ------
    ValueError
        If ``alpha``, ``lam`` or ``grad_sq`` is not positive, or ``beta`` not in [0, 1).

    Examples
    --------
    >>> eq = equilibrium(alpha=0.1, lam=0.005, grad_sq=1.0)
    >>> print(round(eq.norm**4, 12), round(eq.effective_lr, 12), round(eq.angle, 12))
    10.0 0.031622776602 0.031622776602
    """
    step = in_range("alpha", alpha, 0.0, low_open=True)
    decay = in_range("lam", lam, 0.0, low_open=True)
    noise = in_range("grad_sq", grad_sq, 0.0, low_open=True)
    momentum = in_range("beta", beta, 0.0, 1.0, high_open=True)
    norm_sq = math.sqrt(step * noise / (2.0 * decay * (1.0 - momentum)))
    return Equilibrium(
        norm=math.sqrt(norm_sq),
        effective_lr=step / norm_sq,
        angle=math.sqrt(2.0 * step * decay / (1.0 + momentum)),
    )


@dataclass(frozen=True)
class SGDTrace:
    """What :func:`simulate_sgd` records, step by step."""

    weights: npt.NDArray[np.float64]  #: The weights w_0, ..., w_T as rows, shape (T + 1, d).
    norms: npt.NDArray[np.float64]  #: The norms ||w_t||, shape (T + 1,).
    angles: npt.NDArray[np.float64]  #: Angle between w_t and w_{t+1} in radians, shape (T,).
    grad_sq: npt.NDArray[np.float64]  #: ||g~_t||^2, minibatch gradient at unit norm, shape (T,).
    alpha: float  #: The step size used.

    @property
    def effective_lr(self) -> npt.NDArray[np.float64]:
        """The effective learning rate alpha / ||w_t||^2 on the unit sphere, shape (T + 1,)."""
        return np.asarray(self.alpha / self.norms**2, dtype=np.float64)


def _angles(u: FloatArray, v: FloatArray) -> FloatArray:
    """Angles between the rows of u and v. Kahan's 2 atan2(|u^ - v^|, |u^ + v^|) keeps full
    relative accuracy for tiny angles, where arccos(u^ . v^) loses half the digits."""
    u_hat = u / np.linalg.norm(u, axis=1, keepdims=True)
    v_hat = v / np.linalg.norm(v, axis=1, keepdims=True)
    chord, other = (np.linalg.norm(z, axis=1) for z in (u_hat - v_hat, u_hat + v_hat))
    return np.asarray(2.0 * np.arctan2(chord, other), dtype=np.float64)


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)  # never overflows


def _slope(loss: Loss, y: FloatArray, t: FloatArray) -> FloatArray:
    """dL/dy_i of the mean minibatch loss."""
    # squared: (y - t)^2 / 2; logistic: log(1 + e^y) - t y with labels t in {0, 1}
    residual = y - t if loss == "squared" else _sigmoid(y) - t
    return residual / y.size


def simulate_sgd(
    x: npt.ArrayLike,
    target: npt.ArrayLike,
    w0: npt.ArrayLike,
    *,
    alpha: float,
    lam: float,
    beta: float = 0.0,
    batch_size: int = 1,
    steps: int = 1000,
    seed: int = 0,
    loss: Loss = "squared",
) -> SGDTrace:
    """SGD with weight decay and momentum on a weight-normalised neuron.

    Each step draws ``batch_size`` rows of ``x`` with replacement, computes the
    gradient :math:`g_t` of the mean loss of :math:`y = w^\\top x/\\|w\\|`, and updates
    ``v = beta v + g + lam w; w = w - alpha v`` (``v`` starts at 0; ``beta = 0`` is
    plain SGD).

    Parameters
    ----------
    x : ArrayLike
        Inputs as the rows of an ``(n, d)`` array.
    target : ArrayLike
        Shape ``(n,)``: regression targets for ``loss="squared"``, the loss
        :math:`\\frac12 (y - t)^2`; labels 0 or 1 for ``loss="logistic"``, the loss
        :math:`\\log(1 + e^{y}) - t y`.
    w0 : ArrayLike
        Initial weights, shape ``(d,)``, not zero.
    alpha : float
        Step size, > 0.
    lam : float
        Weight decay, >= 0.
    beta : float
        Momentum, in [0, 1).
    batch_size : int
        Rows per minibatch, >= 1.
    steps : int
        Number of steps, >= 1.
    seed : int
        Seed of the minibatch sampler (the same seed draws the same minibatches).
    loss : str
        ``"squared"`` or ``"logistic"``.

    Returns
    -------
    SGDTrace

    Raises
    ------
    ValueError
        If an argument is out of range or shapes do not match, or if the iterates
        reach ``w = 0`` or overflow (a step size far too large).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((200, 3))
    >>> t = x @ np.array([0.6, 0.8, 0.0]) + 0.1 * rng.standard_normal(200)
    >>> trace = simulate_sgd(x, t, [1.0, 0.0, 0.0], alpha=0.5, lam=0.0, steps=100)
    >>> trace.norms.shape, trace.angles.shape
    ((101,), (100,))
    >>> bool(np.all(np.diff(trace.norms) > 0))  # without weight decay the norm only grows
    True
    """
    inputs = as_float_array("x", x)
    if inputs.ndim != 2 or inputs.shape[0] == 0:
        raise ValueError(f"x must have shape (n, d) with n >= 1, got shape {inputs.shape}")
    targets = as_float_array("target", target)
    if targets.shape != inputs.shape[:1]:
        raise ValueError(
            f"target must have shape ({inputs.shape[0]},) (one per row of x), "
            f"got shape {targets.shape}"
        )
    if loss not in ("squared", "logistic"):
        raise ValueError(f"loss must be 'squared' or 'logistic', got {loss!r}")
    if loss == "logistic" and not np.all((targets == 0.0) | (targets == 1.0)):
        raise ValueError("target must hold labels 0 or 1 for loss='logistic'")
    w, _ = _weight_vector("w0", w0)
    if w.size != inputs.shape[1]:
        raise ValueError(f"w0 must have length {inputs.shape[1]} (columns of x), got {w.size}")
    step = in_range("alpha", alpha, 0.0, low_open=True)
    decay = in_range("lam", lam, 0.0)
    momentum = in_range("beta", beta, 0.0, 1.0, high_open=True)
    batch = as_int("batch_size", batch_size, 1)
    n_steps = as_int("steps", steps, 1)
    sampler = np.random.default_rng(as_int("seed", seed, 0))

    batches = sampler.integers(0, inputs.shape[0], size=(n_steps, batch))
    weights = np.empty((n_steps + 1, w.size))
    weights[0] = w
    grad_sq = np.empty(n_steps)
    velocity = np.zeros_like(w)
    # Overflow means a step size far too large: stop with an error instead of NaNs.
    # Underflow (e.g. tanh or exp of a large logit) is harmless here.
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        try:
            for t, rows in enumerate(batches):
                norm = math.sqrt(float(w @ w))
                w_hat = w / norm
                x_batch = inputs[rows]
                slope = _slope(loss, x_batch @ w_hat, targets[rows])
                grad_unit = _tangent_gradient(w_hat, x_batch.T @ slope)  # g~_t, at ||w|| = 1
                grad_sq[t] = grad_unit @ grad_unit
                velocity = momentum * velocity + grad_unit / norm + decay * w
                w = w - step * velocity
                weights[t + 1] = w
                if not np.any(w):  # alpha * lam == 1 at a zero gradient lands exactly on 0
                    raise ValueError(
                        f"the weights reached w = 0 at step {t + 1} (alpha * lam = "
                        f"{step * decay}); the neuron is undefined there"
                    )
            norms = np.linalg.norm(weights, axis=1)  # inside: the last step may overflow here
            angles = _angles(weights[:-1], weights[1:])
        except FloatingPointError as error:
            raise ValueError(
                f"the iterates left the floating-point range ({error}); "
                f"alpha = {step} is far too large"
            ) from None
    return SGDTrace(weights=weights, norms=norms, angles=angles, grad_sq=grad_sq, alpha=step)
