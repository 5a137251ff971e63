r"""The best step of a linear model inside a norm ball (assignment 2).

Linearise a loss at :math:`\theta^t` with gradient :math:`g` and minimise the
linear model over a ball of radius :math:`\varepsilon`:

.. math::

    \Delta\theta^\star = \operatorname*{arg\,min}_{\|\Delta\theta\|_p \le \varepsilon}
    \langle g, \Delta\theta \rangle ,
    \qquad
    \langle g, \Delta\theta^\star \rangle = -\varepsilon \|g\|_q ,
    \quad \tfrac1p + \tfrac1q = 1 .

- :func:`l2_step`: :math:`p = 2`, the step :math:`-\varepsilon g / \|g\|_2`
  (normalised gradient descent; the L2 fast gradient method for an attack);
- :func:`linf_step`: :math:`p = \infty`, the step :math:`-\varepsilon\,\mathrm{sign}(g)`
  (sign gradient descent; FGSM for an attack);
- :func:`lp_step`: any :math:`1 \le p \le \infty` through Hölder's inequality;
  :func:`dual_norm` gives the optimal decrease :math:`\varepsilon\|g\|_q`.

A gradient is treated as one vector whatever its shape (the norm runs over
all entries); :func:`batched_lp_step` takes one step per example along the
first axis, as an attack on a batch of images needs. :func:`sample_lp_ball`
draws random feasible steps to hold the closed forms against.

Conventions for the cases where the minimiser is not unique:

- a zero gradient gives the zero step (every feasible step is optimal; the
  zero step is the one that moves least), never NaN;
- :math:`p = \infty`: a coordinate with :math:`g_i = 0` is not moved;
- :math:`p = 1`: the whole budget goes to the coordinates of largest
  :math:`|g_i|`; when several tie exactly, it is split equally between them
  (the value is the same for any split, and the equal split is the limit of
  the :math:`p > 1` solution as :math:`p \to 1`).

Examples
--------
>>> g = np.array([3.0, -4.0])
>>> l2_step(g, 1.0)
array([-0.6,  0.8])
>>> linf_step(g, 1.0)
array([-1.,  1.])
>>> lp_step(g, 1.0, 1)
array([0., 1.])
>>> float(g @ lp_step(g, 1.0, 2)), -dual_norm(g, 2)
(-5.0, -5.0)
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import numpy.typing as npt

from seminar._checks import FloatArray, as_float_array, as_int, as_seed, in_range


def _as_p(p: object) -> float:
    """The exponent ``p`` of the norm: a real number in ``[1, inf]``."""
    if isinstance(p, numbers.Real) and not isinstance(p, bool) and p == np.inf:
        return np.inf
    return in_range("p", p, 1.0)


def _rowwise_step(rows: FloatArray, eps: float, p: float) -> FloatArray:
    """The minimising step for each row of a 2-D array; a zero row gives a zero row.

    Works on ``a = |g| / max|g|`` in [0, 1], so that ``a ** (q - 1)`` and
    ``a ** q`` can neither overflow (``q`` may be huge when ``p`` is near 1) nor
    divide by zero: every nonzero row has an entry ``a_i = 1``.
    """
    # Gradient entries far below the largest one underflow to 0 (in the ratio, or in a
    # large power of it): that is their limit, and it leaves the step exact to rounding.
    with np.errstate(under="ignore"):
        magnitude = np.abs(rows)
        peak = magnitude.max(axis=1, keepdims=True, initial=0.0)
        nonzero = peak > 0.0
        scaled = np.divide(magnitude, peak, out=np.zeros_like(magnitude), where=nonzero)
        if p == np.inf:
            weights = (magnitude > 0.0).astype(np.float64)  # sign step; g_i = 0 stays put
        elif p == 1.0:
            top = scaled == 1.0  # the largest |g_i|: ties share the budget equally
            weights = top / np.maximum(top.sum(axis=1, keepdims=True), 1)
        else:
            q = p / (p - 1.0)
            powered = scaled ** (q - 1.0)
            total = np.sum(powered * scaled, axis=1, keepdims=True)  # sum a^q >= 1 if nonzero
            norm_pow = np.where(nonzero, total, 1.0) ** ((q - 1.0) / q)  # ||a||_q^(q-1)
            weights = powered / norm_pow
        out: FloatArray = -eps * np.sign(rows) * weights + 0.0  # + 0.0 turns -0.0 into 0.0
    return out


def _step(g: npt.ArrayLike, eps: float, p: object, *, per_example: bool = False) -> FloatArray:
    """Validate, take the step of ``g`` as one vector (or of each example), keep the shape."""
    gradient = as_float_array("g", g, non_empty=not per_example)
    if per_example and gradient.ndim == 0:
        raise ValueError("g must have a first axis that indexes examples, got a scalar")
    if per_example and 0 in gradient.shape[1:]:
        raise ValueError(f"g must hold at least one entry per example, got shape {gradient.shape}")
    radius = in_range("eps", eps, 0.0)
    exponent = _as_p(p)
    shape = gradient.shape
    rows = (shape[0], math.prod(shape[1:])) if per_example else (1, gradient.size)
    return _rowwise_step(gradient.reshape(rows), radius, exponent).reshape(shape)


def lp_step(g: npt.ArrayLike, eps: float, p: float) -> FloatArray:
    r"""The step of :math:`\ell_p` norm at most ``eps`` that minimises ``<g, step>``.

    By Hölder's inequality :math:`\langle g, \Delta\rangle \ge -\|g\|_q \|\Delta\|_p
    \ge -\varepsilon\|g\|_q`; the step

    .. math::

        \Delta_i = -\varepsilon\, \mathrm{sign}(g_i)\,
        \frac{|g_i|^{q-1}}{\|g\|_q^{q-1}}, \qquad q = \frac{p}{p-1},

    attains the bound. ``p = 1`` puts the whole step on the largest
    :math:`|g_i|` (split equally on exact ties); ``p = inf`` is
    :math:`-\varepsilon\,\mathrm{sign}(g)`.

    Parameters
    ----------
    g : ArrayLike
        The gradient, any shape with at least one entry; the norm is taken over
        all its entries.
    eps : float
        The radius of the ball, ``>= 0``.
    p : float
        The norm, ``1 <= p <= inf`` (``numpy.inf`` for the max-norm).

    Returns
    -------
    numpy.ndarray
        The step, of ``g``'s shape; zero where ``g`` is zero everywhere.

    Raises
    ------
    ValueError
        If ``g`` is empty, ragged or has NaN or infinite entries, ``eps < 0`` or ``p < 1``.
    TypeError
        If ``g`` is not real (complex, bool) or ``eps``, ``p`` are not real numbers.

    Examples
    --------
    >>> g = np.array([1.0, -2.0, 2.0])
    >>> lp_step(g, 1.0, 2)
    array([-0.33333333,  0.66666667, -0.66666667])
    >>> lp_step(g, 1.0, 1)  # two coordinates tie for the largest |g_i|
    array([ 0. ,  0.5, -0.5])
    >>> step = lp_step(g, 1.0, 3)
    >>> float(np.sum(np.abs(step) ** 3))  # on the boundary of the l3 ball
    1.0
    >>> lp_step(np.zeros(2), 1.0, 2)
    array([0., 0.])
    """
    return _step(g, eps, p)


def l2_step(g: npt.ArrayLike, eps: float) -> FloatArray:
    r"""The minimiser over the Euclidean ball: :math:`-\varepsilon\, g / \|g\|_2`.

    Same as ``lp_step(g, eps, 2)``; a zero gradient gives a zero step.

    Examples
    --------
    >>> l2_step(np.array([[3.0], [4.0]]), 10.0)  # any shape: one vector of all entries
    array([[-6.],
           [-8.]])
    """
    return _step(g, eps, 2.0)


def linf_step(g: npt.ArrayLike, eps: float) -> FloatArray:
    r"""The minimiser over the box :math:`|\Delta_i| \le \varepsilon`: :math:`-\varepsilon\,\mathrm{sign}(g)`.

    Same as ``lp_step(g, eps, numpy.inf)``; coordinates with ``g_i = 0`` are not moved.

    Examples
    --------
    >>> linf_step(np.array([0.2, 0.0, -7.0]), 0.1)
    array([-0.1,  0. ,  0.1])
    """  # noqa: E501
    return _step(g, eps, np.inf)


def batched_lp_step(g: npt.ArrayLike, eps: float, p: float) -> FloatArray:
    """:func:`lp_step` for each example: the first axis of ``g`` indexes examples.

    The norm of each example runs over all its other axes (for images: all
    pixels and channels), and every example gets its own step of norm ``eps``.

    Parameters
    ----------
    g : ArrayLike
        One gradient per example; at least one axis, and at least one entry per
        example (``n = 0`` examples is allowed).
        Shape ``(n, ...)``.
    eps : float
        The radius of every example's ball, ``>= 0``.
    p : float
        The norm, ``1 <= p <= inf``.

    Returns
    -------
    numpy.ndarray
        The steps, of ``g``'s shape.

    Raises
    ------
    ValueError
        As :func:`lp_step` (but a batch of no examples is allowed), and if ``g``
        is a scalar.

    Examples
    --------
    >>> batched_lp_step(np.array([[3.0, 4.0], [0.0, 0.0], [0.0, -2.0]]), 1.0, 2)
    array([[-0.6, -0.8],
           [ 0. ,  0. ],
           [ 0. ,  1. ]])
    """
    return _step(g, eps, p, per_example=True)


def dual_exponent(p: float) -> float:
    """The Hölder conjugate ``q`` of ``p``: ``1/p + 1/q = 1``.

    Parameters
    ----------
    p : float
        A norm exponent, ``1 <= p <= inf``.

    Returns
    -------
    float
        ``q = p / (p - 1)``, with ``q = inf`` for ``p = 1`` and ``q = 1`` for ``p = inf``.

    Raises
    ------
    ValueError
        If ``p < 1`` or ``p`` is NaN.

    Examples
    --------
    >>> dual_exponent(2), dual_exponent(1), dual_exponent(np.inf), dual_exponent(3)
    (2.0, inf, 1.0, 1.5)
    """
    p = _as_p(p)
    if p == 1.0:
        return np.inf
    if p == np.inf:
        return 1.0
    return p / (p - 1.0)


def dual_norm(g: npt.ArrayLike, p: float) -> float:
    r"""The dual norm :math:`\|g\|_q` of the :math:`\ell_p` norm, ``1/p + 1/q = 1``.

    ``-eps * dual_norm(g, p)`` is the smallest value of ``<g, step>`` over
    ``||step||_p <= eps``. Computed as ``max|g| * ||g / max|g|| ||_q`` so that no
    power overflows.

    Parameters
    ----------
    g : ArrayLike
        The gradient, any shape with at least one entry.
    p : float
        The primal norm, ``1 <= p <= inf``.

    Returns
    -------
    float
        :math:`\|g\|_q` (``max |g_i|`` for ``p = 1``, ``sum |g_i|`` for ``p = inf``).

    Examples
    --------
    >>> g = np.array([3.0, -4.0])
    >>> dual_norm(g, 2), dual_norm(g, 1), dual_norm(g, np.inf)
    (5.0, 4.0, 7.0)
    >>> dual_norm(np.array([1e300, 1e300]), 2)  # no overflow of g**2
    1.4142135623730952e+300
    """
    magnitude = np.abs(as_float_array("g", g, non_empty=True)).ravel()
    q = dual_exponent(p)
    peak = float(magnitude.max(initial=0.0))
    if peak == 0.0:
        return 0.0
    if q == np.inf:
        return peak
    with np.errstate(under="ignore"):
        return peak * float(np.sum((magnitude / peak) ** q) ** (1.0 / q))


def sample_lp_ball(
    n: int, dim: int, p: float, eps: float, *, surface: bool = False, seed: int | None = None
) -> FloatArray:
    r"""``n`` random points of the :math:`\ell_p` ball of radius ``eps`` in ``dim`` dimensions.

    Uniform in the ball by the construction of Barthe, Guédon, Mendelson and
    Naor (2005): draw :math:`z_i` with density proportional to
    :math:`e^{-|t|^p}` and :math:`w \sim \mathrm{Exp}(1)`, then
    :math:`z / (\|z\|_p^p + w)^{1/p}` is uniform in the unit ball. With
    ``surface=True`` the points are :math:`z / \|z\|_p`, on the sphere
    :math:`\|x\|_p = 1` (the cone measure). For ``p = inf``: uniform in the
    cube, or on its surface by pushing one random coordinate to :math:`\pm 1`.

    Parameters
    ----------
    n : int
        Number of points, ``>= 0``.
    dim : int
        Dimension, ``>= 1``.
    p : float
        The norm, ``1 <= p <= inf``.
    eps : float
        The radius, ``>= 0``.
    surface : bool
        Sample on the sphere ``||x||_p = eps`` instead of inside the ball.
        Default ``False``.
    seed : int or None
        Seed of ``numpy.random.default_rng``, ``>= 0``.
        Default ``None``.

    Returns
    -------
    numpy.ndarray
        One point per row.
        Shape ``(n, dim)``.

    Examples
    --------
    >>> points = sample_lp_ball(1000, 3, 1.5, 2.0, seed=0)
    >>> bool(np.all(np.sum(np.abs(points) ** 1.5, axis=1) ** (1 / 1.5) <= 2.0))
    True
    >>> edge = sample_lp_ball(5, 4, np.inf, 1.0, surface=True, seed=0)
    >>> np.abs(edge).max(axis=1)
    array([1., 1., 1., 1., 1.])
    """
    count, size = as_int("n", n, 0), as_int("dim", dim, 1)
    exponent, radius = _as_p(p), in_range("eps", eps, 0.0)
    rng = np.random.default_rng(as_seed("seed", seed))
    if exponent == np.inf:
        points = rng.uniform(-1.0, 1.0, (count, size))
        if surface:
            face = rng.integers(size, size=count)
            points[np.arange(count), face] = rng.choice([-1.0, 1.0], size=count)
        out: FloatArray = radius * points
        return out
    # |z_i| has density ~ exp(-t**p): |z_i|**p ~ Gamma(1/p). Drawn as Gamma(1 + 1/p)**(1/p) * U
    # (U uniform), the same law, because Gamma(1/p) draws underflow to 0 for large p.
    magnitude = rng.gamma(1.0 + 1.0 / exponent, 1.0, (count, size)) ** (1.0 / exponent)
    magnitude *= rng.uniform(0.0, 1.0, (count, size))
    z = rng.choice([-1.0, 1.0], size=(count, size)) * magnitude
    peak = np.maximum(magnitude.max(axis=1, keepdims=True), np.finfo(np.float64).tiny)
    with np.errstate(under="ignore"):  # tiny entries of a large power vanish: their limit
        relative = np.sum((magnitude / peak) ** exponent, axis=1, keepdims=True)  # >= 1
        norm = peak * relative ** (1.0 / exponent)  # ||z||_p
        if not surface:
            norm = (norm**exponent + rng.exponential(1.0, (count, 1))) ** (1.0 / exponent)
    out = radius * z / norm
    return out
