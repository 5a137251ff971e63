"""A small numpy classifier to attack: a one-hidden-layer perceptron with ``tanh`` units.

The adversarial examples of assignments 2 and 4 need a real model whose loss
gradient with respect to the *input* is known exactly. :class:`MLP` computes
class scores, per-example cross-entropy (with a stable log-sum-exp) and that
input gradient by hand-written backpropagation; :func:`train_mlp` fits one by
minibatch gradient descent with momentum, deterministically given a seed.

The hidden units are ``tanh`` rather than ReLU: the loss is then smooth in the
input, so a finite-difference check of :meth:`MLP.input_gradient` is exact up
to rounding, and a first-order (linear) model of the loss, the starting point
of every trust-region step, is meaningful at every point.

Shapes: inputs ``x`` are ``(n, n_features)`` float arrays, labels ``y`` are
integers in ``0 .. n_classes - 1`` of shape ``(n,)``.

Examples
--------
Two well-separated blobs in the plane:

>>> rng = np.random.default_rng(0)
>>> x = np.concatenate([rng.normal(-1, 0.3, (50, 2)), rng.normal(1, 0.3, (50, 2))])
>>> y = np.repeat([0, 1], 50)
>>> model = train_mlp(x, y, hidden=8, epochs=20, seed=0)
>>> model.accuracy(x, y)
1.0
>>> model.input_gradient(x[:1], y[:1]).shape
(1, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from seminar._checks import FloatArray, as_array, as_float_array, as_int, in_range

IntArray = npt.NDArray[np.int64]

__all__ = ["MLP", "train_mlp"]


def _as_inputs(name: str, value: npt.ArrayLike, n_features: int) -> FloatArray:
    """A finite float array of shape ``(n, n_features)``."""
    x = as_float_array(name, value)
    if x.ndim != 2 or x.shape[1] != n_features:
        hint = f"; pass one example as {name}[None]" if x.shape == (n_features,) else ""
        raise ValueError(f"{name} must have shape (n, {n_features}), got shape {x.shape}{hint}")
    return x


def _as_labels(name: str, value: npt.ArrayLike, n: int, n_classes: int) -> IntArray:
    """Integer class labels of shape ``(n,)`` in ``0 .. n_classes - 1``."""
    labels = as_array(name, value)
    if labels.dtype == np.bool_ or not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"{name} must hold integer class labels, got dtype {labels.dtype}")
    if labels.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{name} must lie in 0 .. {n_classes - 1}, "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return labels.astype(np.int64)


def _log_softmax(logits: FloatArray) -> FloatArray:
    """Row-wise log-softmax; subtracting the row maximum keeps ``exp`` from overflowing."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    with np.errstate(under="ignore"):  # exp of a very negative score is 0: its limit
        out: FloatArray = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return out


def _softmax(logits: FloatArray) -> FloatArray:
    """Row-wise softmax, from the stable log-softmax."""
    with np.errstate(under="ignore"):
        out: FloatArray = np.exp(_log_softmax(logits))
    return out


@dataclass(frozen=True, eq=False)
class MLP:
    """A trained one-hidden-layer perceptron: ``logits = tanh(x @ w1 + b1) @ w2 + b2``.

    The weights are copied on construction and made read-only, so a model never
    changes after it is built.

    Parameters
    ----------
    w1 : numpy.ndarray
        Input-to-hidden weights, shape ``(n_features, hidden)``.
    b1 : numpy.ndarray
        Hidden biases, shape ``(hidden,)``.
    w2 : numpy.ndarray
        Hidden-to-output weights, shape ``(hidden, n_classes)``.
    b2 : numpy.ndarray
        Output biases, shape ``(n_classes,)``.

    Raises
    ------
    ValueError
        If a weight is not finite, empty or ragged, or the shapes do not fit together.
    TypeError
        If a weight is not real (complex, bool).

    Examples
    --------
    A hand-made model on two features that scores class 1 by ``tanh(x0 - x1)``:

    >>> model = MLP(w1=np.array([[1.0], [-1.0]]), b1=np.zeros(1),
    ...             w2=np.array([[0.0, 1.0]]), b2=np.zeros(2))
    >>> model.predict(np.array([[2.0, 0.0], [0.0, 2.0]]))
    array([1, 0])
    >>> print(model.loss(np.array([[0.0, 0.0]]), np.array([0])))  # two equal scores: log 2
    [0.69314718]
    """

    w1: FloatArray
    b1: FloatArray
    w2: FloatArray
    b2: FloatArray

    def __post_init__(self) -> None:
        for name in ("w1", "b1", "w2", "b2"):
            array = as_float_array(name, getattr(self, name), non_empty=True)
            array.setflags(write=False)
            object.__setattr__(self, name, array)  # frozen dataclass: set once, here
        if self.w1.ndim != 2 or self.w2.ndim != 2:
            raise ValueError(
                f"w1 and w2 must be 2-D, got shapes {self.w1.shape} and {self.w2.shape}"
            )
        hidden, n_classes = self.w2.shape
        if (
            self.w1.shape[1] != hidden
            or self.b1.shape != (hidden,)
            or self.b2.shape != (n_classes,)
        ):
            raise ValueError(
                "weights must have shapes w1 (n_features, hidden), b1 (hidden,), "
                "w2 (hidden, n_classes), b2 (n_classes,); got "
                f"{self.w1.shape}, {self.b1.shape}, {self.w2.shape}, {self.b2.shape}"
            )

    @property
    def n_features(self) -> int:
        """Number of input features."""
        return int(self.w1.shape[0])

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return int(self.w2.shape[1])

    def logits(self, x: npt.ArrayLike) -> FloatArray:
        """Class scores, shape ``(n, n_classes)``, for inputs of shape ``(n, n_features)``."""
        x = _as_inputs("x", x, self.n_features)
        out: FloatArray = np.tanh(x @ self.w1 + self.b1) @ self.w2 + self.b2
        return out

    def predict(self, x: npt.ArrayLike) -> IntArray:
        """The class with the largest score for each input, shape ``(n,)``."""
        out: IntArray = np.argmax(self.logits(x), axis=1).astype(np.int64)
        return out

    def accuracy(self, x: npt.ArrayLike, y: npt.ArrayLike) -> float:
        """The fraction of inputs whose predicted class equals the label ``y``.

        Raises
        ------
        ValueError
            If ``x`` has no rows (an accuracy of nothing is undefined).
        """
        predicted = self.predict(x)
        labels = _as_labels("y", y, predicted.size, self.n_classes)
        if labels.size == 0:
            raise ValueError("x must hold at least one example, got 0")
        return float(np.mean(predicted == labels))

    def loss(self, x: npt.ArrayLike, y: npt.ArrayLike) -> FloatArray:
        """Per-example cross-entropy ``-log softmax(logits)[y]``, shape ``(n,)``."""
        log_probs = _log_softmax(self.logits(x))
        labels = _as_labels("y", y, log_probs.shape[0], self.n_classes)
        out: FloatArray = -log_probs[np.arange(labels.size), labels]
        return out

    def input_gradient(self, x: npt.ArrayLike, y: npt.ArrayLike) -> FloatArray:
        """The gradient of each example's loss with respect to its own input.

        Row ``i`` is ``d loss_i / d x_i``, so the result has the shape of ``x``.
        Backpropagation by hand: the score gradient of cross-entropy is
        ``softmax - onehot``; through ``w2``, the ``tanh`` derivative
        ``1 - h**2`` and ``w1`` it reaches the input.

        Examples
        --------
        >>> model = MLP(w1=np.array([[1.0], [-1.0]]), b1=np.zeros(1),
        ...             w2=np.array([[0.0, 1.0]]), b2=np.zeros(2))
        >>> model.input_gradient(np.array([[0.0, 0.0]]), np.array([1]))
        array([[-0.5,  0.5]])
        """
        x = _as_inputs("x", x, self.n_features)
        labels = _as_labels("y", y, x.shape[0], self.n_classes)
        _, _, d_pre = _backward((self.w1, self.b1, self.w2, self.b2), x, labels, batch_mean=False)
        out: FloatArray = d_pre @ self.w1.T
        return out


def _backward(
    params: Sequence[FloatArray],
    x: FloatArray,
    labels: IntArray,
    *,
    batch_mean: bool,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Forward pass and backpropagation down to the hidden pre-activations.

    Returns the hidden activations and the gradients with respect to the
    logits and to the pre-activations ``x @ w1 + b1``: of each example's own
    cross-entropy, or with ``batch_mean`` of the mean over the batch. Works on
    raw weight arrays, so that training need not build a validated
    :class:`MLP` for every minibatch.
    """
    w1, b1, w2, b2 = params
    hidden = np.tanh(x @ w1 + b1)
    d_logits = _softmax(hidden @ w2 + b2)
    d_logits[np.arange(labels.size), labels] -= 1.0  # cross-entropy: softmax - onehot
    if batch_mean:
        d_logits /= labels.size
    d_pre = (d_logits @ w2.T) * (1.0 - hidden**2)  # tanh' = 1 - tanh**2
    return hidden, d_logits, d_pre


def _parameter_gradients(
    params: Sequence[FloatArray], x: FloatArray, labels: IntArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Gradients of the mean cross-entropy over a batch with respect to ``w1, b1, w2, b2``."""
    hidden, d_logits, d_pre = _backward(params, x, labels, batch_mean=True)
    return x.T @ d_pre, d_pre.sum(axis=0), hidden.T @ d_logits, d_logits.sum(axis=0)


def train_mlp(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    hidden: int = 64,
    epochs: int = 40,
    learning_rate: float = 0.1,
    weight_decay: float = 1e-4,
    momentum: float = 0.9,
    batch_size: int = 32,
    n_classes: int | None = None,
    seed: int = 0,
) -> MLP:
    """Fit an :class:`MLP` by minibatch gradient descent with heavy-ball momentum.

    Minimises the mean cross-entropy plus ``weight_decay / 2`` times the squared
    norm of the two weight matrices (not the biases). Weights start from
    Glorot-uniform draws, biases from zero; the examples are reshuffled every
    epoch. Everything random comes from ``numpy.random.default_rng(seed)``, so
    the same arguments give the same model.

    Parameters
    ----------
    x : ArrayLike
        Training inputs (for images: flattened, scaled to [0, 1]).
        Shape ``(n, n_features)``.
    y : ArrayLike
        Training labels in ``0 .. n_classes - 1``.
        Shape ``(n,)``.
    hidden : int
        Number of hidden units.
        Default ``64``.
    epochs : int
        Passes over the training set.
        Default ``40``.
    learning_rate : float
        Step size of gradient descent, > 0.
        Default ``0.1``.
    weight_decay : float
        L2 penalty on the weight matrices, >= 0.
        Default ``1e-4``.
    momentum : float
        Heavy-ball coefficient in [0, 1).
        Default ``0.9``.
    batch_size : int
        Examples per gradient step (the last batch of an epoch may be smaller).
        Default ``32``.
    n_classes : int or None
        Number of classes; ``None`` (the default) means ``max(y) + 1``.
    seed : int
        Seed of the initialisation and the shuffling.
        Default ``0``.

    Returns
    -------
    MLP
        The trained model.

    Raises
    ------
    ValueError
        If an argument is out of range, ``x`` is not finite and 2-D, or the
        labels do not fit ``x`` or ``n_classes``.

    Examples
    --------
    >>> x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> y = np.array([0, 1, 1, 0])  # XOR: not linearly separable
    >>> model = train_mlp(x, y, hidden=8, epochs=500, batch_size=4, seed=0)
    >>> model.predict(x)
    array([0, 1, 1, 0])
    """
    inputs = as_float_array("x", x)
    if inputs.ndim != 2 or inputs.size == 0:
        raise ValueError(
            f"x must have shape (n, n_features) with n >= 1 and n_features >= 1, got {inputs.shape}"
        )
    hidden = as_int("hidden", hidden, 1)
    epochs = as_int("epochs", epochs, 0)
    batch_size = as_int("batch_size", batch_size, 1)
    learning_rate = in_range("learning_rate", learning_rate, 0.0, low_open=True)
    weight_decay = in_range("weight_decay", weight_decay, 0.0)
    momentum = in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    seed = as_int("seed", seed, 0)
    n, n_features = inputs.shape
    if n_classes is None:
        raw = as_array("y", y)
        n_classes = int(raw.max()) + 1 if raw.size and np.issubdtype(raw.dtype, np.integer) else 1
    n_classes = as_int("n_classes", n_classes, 1)
    labels = _as_labels("y", y, n, n_classes)

    rng = np.random.default_rng(seed)
    limit1 = np.sqrt(6.0 / (n_features + hidden))
    limit2 = np.sqrt(6.0 / (hidden + n_classes))
    params = [
        rng.uniform(-limit1, limit1, (n_features, hidden)),
        np.zeros(hidden),
        rng.uniform(-limit2, limit2, (hidden, n_classes)),
        np.zeros(n_classes),
    ]
    velocity = [np.zeros_like(p) for p in params]
    decays = (weight_decay, 0.0, weight_decay, 0.0)  # biases are not decayed
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            grads = _parameter_gradients(params, inputs[batch], labels[batch])
            for p, v, g, decay in zip(params, velocity, grads, decays, strict=True):
                v *= momentum
                v -= learning_rate * (g + decay * p)
                p += v
    return MLP(*params)
