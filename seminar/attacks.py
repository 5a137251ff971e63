r"""Adversarial examples: the trust-region steps of :mod:`seminar.trust_region` on an input.

An attack *raises* the loss of a model at an input ``x`` while keeping the
perturbation small. Replacing the loss by its linear model and maximising it
over a ball is the trust-region problem of assignment 2 with the sign of the
gradient flipped:

- :func:`fgsm`: the box (:math:`\ell_\infty` ball), ``x + eps * sign(grad)``,
  the *fast gradient sign method* of Goodfellow, Shlens and Szegedy (2015);
- :func:`fgm`: the :math:`\ell_2` ball, ``x + eps * grad / ||grad||_2`` per example,
  the *fast gradient method*;
- :func:`pgd`: many small sign steps, each followed by a projection back onto
  the :math:`\ell_\infty` ball and the valid box, after Madry et al. (2018);
- :func:`random_sign_noise`: a baseline of the same size as FGSM with a random
  direction.

All functions are batched: the first axis of ``x`` indexes examples, and norms
are taken per example over all other axes. A 1-D ``x`` is *one* example (the
same result as ``x[None]``, returned 1-D), never a batch of scalars. The result
is clipped to the box ``clip = (low, high)`` of valid inputs (pixels in [0, 1]
by default; ``clip=None`` for no box), so an attacked image is still an image.
Clipping only moves a coordinate back towards ``x``, so the result stays in the
ball.

Examples
--------
>>> x = np.array([[0.5, 0.0, 1.0]])
>>> grad = np.array([[2.0, -1.0, 3.0]])
>>> fgsm(x, grad, 0.1)  # 0.0 - 0.1 and 1.0 + 0.1 are clipped back into [0, 1]
array([[0.6, 0. , 1. ]])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from seminar._checks import (
    FloatArray,
    as_callable,
    as_examples,
    as_float_array,
    as_int,
    as_real,
    as_seed,
    in_range,
    same_shape,
)
from seminar.trust_region import batched_lp_step

Box = tuple[float, float] | None


def _as_box(clip: object) -> Box:
    """``None`` or a pair ``(low, high)`` of finite numbers with ``low <= high``."""
    if clip is None:
        return None
    if not isinstance(clip, tuple | list) or len(clip) != 2:
        raise TypeError(f"clip must be None or a pair (low, high), got {clip!r}")
    low, high = as_real("clip[0]", clip[0]), as_real("clip[1]", clip[1])
    if low > high:
        raise ValueError(f"clip must have low <= high, got {clip!r}")
    return low, high


def _as_batch(x: npt.ArrayLike, box: Box) -> FloatArray:
    """One example (1-D) or a batch of examples (first axis), finite and inside the box."""
    inputs = as_examples("x", x)
    if box is not None and inputs.size and (inputs.min() < box[0] or inputs.max() > box[1]):
        raise ValueError(
            f"x must lie in the clip box [{box[0]}, {box[1]}], "
            f"got values from {inputs.min()} to {inputs.max()}"
        )
    return inputs


def _ascent(x: npt.ArrayLike, grad: npt.ArrayLike, eps: float, p: float, clip: Box) -> FloatArray:
    box = _as_box(clip)
    inputs = _as_batch(x, box)
    gradient = as_float_array("grad", grad)
    same_shape("x", inputs, "grad", gradient)
    # One example (1-D) is a batch of one: its norm runs over the whole vector.
    batch_shape = inputs.shape if inputs.ndim > 1 else (1, inputs.size)
    # The step that *minimises* <-grad, step> is the one that maximises <grad, step>.
    step = batched_lp_step(-gradient.reshape(batch_shape), eps, p).reshape(inputs.shape)
    adversarial = inputs + step
    return adversarial if box is None else np.clip(adversarial, *box)


def fgsm(x: npt.ArrayLike, grad: npt.ArrayLike, eps: float, clip: Box = (0.0, 1.0)) -> FloatArray:
    r"""Fast gradient sign method: ``clip(x + eps * sign(grad))``.

    The maximiser of the linearised loss over ``|delta_i| <= eps`` (part (b) of
    the assignment, ascending), then clipped to the valid box.

    Parameters
    ----------
    x : ArrayLike
        Clean inputs, inside the box ``clip``: a batch, or one example as a
        1-D array (the same as ``x[None]``, and the result is 1-D too).
        Shape ``(n, ...)`` or ``(d,)``.
    grad : ArrayLike
        Gradient of the loss to *increase*, with respect to ``x``.
        Shape of ``x``.
    eps : float
        The :math:`\ell_\infty` radius, ``>= 0``.
    clip : tuple of float or None
        The box of valid inputs, or ``None`` for no box.
        Default ``(0.0, 1.0)``.

    Returns
    -------
    numpy.ndarray
        Adversarial inputs of ``x``'s shape, with ``|x_adv - x| <= eps`` everywhere.

    Raises
    ------
    ValueError
        If ``eps < 0``, the shapes differ, an input is not finite, ragged or
        empty, ``x`` is a scalar, or ``x`` is outside the box.
    TypeError
        If an input is not real (complex, bool, strings) or ``clip`` not a pair.

    Examples
    --------
    >>> fgsm(np.array([[0.5, 0.5]]), np.array([[-1.0, 0.0]]), 0.25)
    array([[0.25, 0.5 ]])
    >>> fgsm([0.5, 0.5], [-1.0, 0.0], 0.25)  # one example, 1-D
    array([0.25, 0.5 ])
    """
    return _ascent(x, grad, eps, np.inf, clip)


def fgm(x: npt.ArrayLike, grad: npt.ArrayLike, eps: float, clip: Box = (0.0, 1.0)) -> FloatArray:
    r"""Fast gradient method in the L2 norm: ``clip(x + eps * grad / ||grad||_2)`` per example.

    The maximiser of the linearised loss over ``||delta||_2 <= eps`` (part (a)
    of the assignment, ascending), then clipped to the valid box. Arguments,
    result and errors as in :func:`fgsm`, except that ``eps`` is the L2 radius
    of each example's perturbation: ``||x_adv[i] - x[i]||_2 <= eps``, with
    equality where clipping does not bind. An example whose gradient is zero
    is left unchanged. A 1-D ``x`` is one example: the norm runs over the whole
    vector, as for ``x[None]``.

    Examples
    --------
    >>> fgm(np.array([[0.5, 0.5], [0.5, 0.5]]), np.array([[3.0, -4.0], [0.0, 0.0]]), 0.25)
    array([[0.65, 0.3 ],
           [0.5 , 0.5 ]])
    >>> fgm([0.5, 0.5], [3.0, -4.0], 0.25)  # one example: ||grad||_2 = 5
    array([0.65, 0.3 ])
    """
    return _ascent(x, grad, eps, 2.0, clip)


def random_sign_noise(
    x: npt.ArrayLike, eps: float, *, clip: Box = (0.0, 1.0), seed: int | None = None
) -> FloatArray:
    """A baseline as large as FGSM but blind to the model: FGSM along random signs.

    ``clip(x + eps * s)`` with independent signs ``s = +-1``, drawn by
    ``numpy.random.default_rng(seed)``. Before clipping the perturbation has
    exactly FGSM's size in every norm; only its direction ignores the model.
    ``x`` (a batch, or one 1-D example), ``eps``, ``clip`` and the errors are as
    in :func:`fgsm`; ``seed`` must be ``None`` or an integer ``>= 0``.

    Examples
    --------
    >>> noisy = random_sign_noise(np.full((2, 3), 0.5), 0.25, seed=0)
    >>> sorted(set(np.abs(noisy - 0.5).ravel().tolist()))
    [0.25]
    """
    inputs = _as_batch(x, _as_box(clip))
    signs = np.random.default_rng(as_seed("seed", seed)).choice([-1.0, 1.0], size=inputs.shape)
    return fgsm(inputs, signs, eps, clip)


def pgd(
    x: npt.ArrayLike,
    grad_fn: Callable[[FloatArray], npt.ArrayLike],
    eps: float,
    step_size: float,
    steps: int,
    *,
    clip: Box = (0.0, 1.0),
    random_start: bool = False,
    seed: int | None = None,
) -> FloatArray:
    r"""Projected gradient ascent in the :math:`\ell_\infty` ball (the PGD attack).

    Starting from ``x`` (or, with ``random_start``, a uniform random point of
    the ball), repeat ``steps`` times: take the sign step
    ``x_adv + step_size * sign(grad_fn(x_adv))`` (an FGSM step of radius
    ``step_size``), then project onto the set of allowed inputs,

    .. math::

        \{ z : |z_i - x_i| \le \varepsilon,\ \text{low} \le z_i \le \text{high} \},

    a box, so the projection is clipping each coordinate to the intersection of
    the two intervals.

    Parameters
    ----------
    x : ArrayLike
        Clean inputs, inside the box ``clip``: a batch, or one example as a
        1-D array (the same as ``x[None]``; ``grad_fn`` then gets 1-D arrays).
        Shape ``(n, ...)`` or ``(d,)``.
    grad_fn : Callable
        ``grad_fn(x_adv)`` returns the gradient of the loss to *increase* at
        ``x_adv``, an array of ``x``'s shape (per example, for a batch).
    eps : float
        The :math:`\ell_\infty` radius around ``x``, ``>= 0``.
    step_size : float
        The size of each sign step, ``>= 0`` (commonly ``2.5 * eps / steps``).
    steps : int
        Number of steps, ``>= 0``.
    clip : tuple of float or None
        The box of valid inputs, or ``None`` for no box.
        Default ``(0.0, 1.0)``.
    random_start : bool
        Start from a uniform random point of the ball (clipped to the box).
        Default ``False``.
    seed : int or None
        Seed of the random start.
        Default ``None``.

    Returns
    -------
    numpy.ndarray
        Adversarial inputs of ``x``'s shape, inside the ball and the box.

    Raises
    ------
    ValueError
        If an argument is out of range, an input or a returned gradient is not
        finite, ragged, empty or of the wrong shape, or ``x`` is outside the box.
    TypeError
        If ``grad_fn`` is not callable, or an input or a returned gradient is
        not real.

    Examples
    --------
    Ascend ``f(z) = -(z - 0.9)**2`` from 0.5 inside the ball of radius 0.3:

    >>> pgd(np.array([[0.5]]), lambda z: -2 * (z - 0.9), eps=0.3, step_size=0.1, steps=5)
    array([[0.8]])
    >>> pgd([0.5], lambda z: -2 * (z - 0.9), eps=0.3, step_size=0.1, steps=5)  # one example
    array([0.8])
    """
    as_callable("grad_fn", grad_fn)
    box = _as_box(clip)
    inputs = _as_batch(x, box)
    radius = in_range("eps", eps, 0.0)
    step = in_range("step_size", step_size, 0.0)
    n_steps = as_int("steps", steps, 0)
    start_seed = as_seed("seed", seed)
    low, high = inputs - radius, inputs + radius
    if box is not None:  # the ball intersected with the box: one interval per coordinate
        low, high = np.maximum(low, box[0]), np.minimum(high, box[1])
    adversarial = inputs.copy()
    if random_start:
        noise = np.random.default_rng(start_seed).uniform(-radius, radius, size=inputs.shape)
        adversarial = np.clip(inputs + noise, low, high)
    for _ in range(n_steps):
        gradient = as_float_array("grad_fn(x_adv)", grad_fn(adversarial))
        same_shape("x", inputs, "grad_fn(x_adv)", gradient)
        adversarial = np.clip(adversarial + step * np.sign(gradient), low, high)
    return adversarial
