"""Receptive fields of convolution and pooling stacks (assignment 1).

A :class:`Layer` is one convolution or max-pooling along one spatial axis (the
networks here use square kernels, so the same list describes both axes). The
sheet's recurrence (:func:`next_receptive_field`), its unrolled closed form
(:func:`receptive_field_closed_form`) and the layer-by-layer table
(:func:`receptive_fields`) describe the receptive field of a neuron; the
effective padding :math:`P` of Araujo, Norris and Sim (Distill, 2019) places
it: neuron ``i`` of a layer sees input pixels ``-P + i*T`` to
``-P + i*T + S - 1``.

:func:`empirical_receptive_field` measures the same three numbers without the
formula, from an actual forward pass of impulses (:func:`forward`) through
convolutions and max-pooling, also through residual networks
(:class:`Residual`). :func:`effective_receptive_field` averages the input
gradient of random-weight 2-D convolution stacks (Luo et al., 2016).

Layer lists of real networks, named after their source: :func:`alexnet`,
:func:`vgg16`, :func:`resnet50` (the authors' model) and
:func:`resnet50_torchvision`.

>>> net = [Layer(3, padding=1), Layer(2, stride=2, kind="max_pool"), Layer(3, padding=1)]
>>> receptive_field(net)
ReceptiveField(size=8, stride=2, padding=3)
>>> empirical_receptive_field(net, input_size=16)
ReceptiveField(size=8, stride=2, padding=3)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from seminar._checks import FloatArray, as_float_array, as_int, in_range

Kind = Literal["conv", "max_pool"]
KINDS: tuple[Kind, ...] = ("conv", "max_pool")


# --- Layers and receptive fields ---------------------------------------------


@dataclass(frozen=True)
class Layer:
    """One convolution or max-pooling along one spatial axis.

    Parameters
    ----------
    kernel_size, stride, dilation : int
        At least 1. A dilated kernel spans ``dilation * (kernel_size - 1) + 1``
        inputs (:attr:`effective_kernel_size`).
    padding : int
        Inputs added before the first one (left or top), at least 0. The forward
        passes in this module pad both ends by this amount, as PyTorch does.
    name : str
        A readable name such as ``"conv4_3"``.
    kind : str
        ``"conv"`` or ``"max_pool"``: what the layer computes. The receptive
        field does not depend on it; :func:`forward` does.

    Raises
    ------
    ValueError
        If an integer argument is below its minimum, is not a whole number, or
        ``kind`` is unknown.
    TypeError
        If an argument is not a number (or ``name`` not a string).

    Examples
    --------
    >>> Layer(3, dilation=2).effective_kernel_size
    5
    >>> Layer(0)
    Traceback (most recent call last):
    ...
    ValueError: kernel_size must be an integer >= 1, got 0
    """

    kernel_size: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    name: str = ""
    kind: Kind = "conv"

    def __post_init__(self) -> None:
        # Frozen dataclass: normalise numpy integers to int through object.__setattr__.
        object.__setattr__(self, "kernel_size", as_int("kernel_size", self.kernel_size, 1))
        object.__setattr__(self, "stride", as_int("stride", self.stride, 1))
        object.__setattr__(self, "padding", as_int("padding", self.padding, 0))
        object.__setattr__(self, "dilation", as_int("dilation", self.dilation, 1))
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {self.name!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    @property
    def effective_kernel_size(self) -> int:
        """How many inputs the kernel spans, holes included, ``d (k - 1) + 1``."""
        return self.dilation * (self.kernel_size - 1) + 1


@dataclass(frozen=True)
class Residual:
    """A residual block: the sum of a main path and a shortcut.

    Parameters
    ----------
    main : tuple of Layer
        The layers of the main path (at least one).
    shortcut : tuple of Layer
        The layers of the shortcut; empty for the identity.
    name : str
        A readable name such as ``"res3a"``.

    Examples
    --------
    >>> block = Residual((Layer(1, stride=2), Layer(3, padding=1)), (Layer(1, stride=2),))
    >>> len(block.main), len(block.shortcut)
    (2, 1)
    """

    main: tuple[Layer, ...]
    shortcut: tuple[Layer, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "main", _sequence_of("main", self.main, Layer))
        if self.shortcut != ():  # the identity stays the empty tuple
            object.__setattr__(self, "shortcut", _sequence_of("shortcut", self.shortcut, Layer))
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {self.name!r}")


@dataclass(frozen=True)
class ReceptiveField:
    """Size, stride and effective padding of the receptive fields of one layer.

    Neuron ``i`` (counted from 0) of the layer sees the input pixels
    ``start(i)`` to ``end(i)``, both included: ``size`` pixels starting at
    ``-padding + i * stride``. Pixels at negative positions (or past the end of
    the input) are padding.

    Examples
    --------
    >>> rf = ReceptiveField(size=5, stride=2, padding=2)
    >>> rf.start(0), rf.end(0), rf.center(0)
    (-2, 2, 0.0)
    >>> rf.start(3), rf.center(3)
    (4, 6.0)
    """

    size: int
    stride: int
    padding: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "size", as_int("size", self.size, 1))
        object.__setattr__(self, "stride", as_int("stride", self.stride, 1))
        object.__setattr__(self, "padding", as_int("padding", self.padding, 0))

    def start(self, index: int) -> int:
        """The first input pixel seen by neuron ``index``: ``-P + index * T``."""
        return -self.padding + as_int("index", index, 0) * self.stride

    def end(self, index: int) -> int:
        """The last input pixel seen by neuron ``index`` (included)."""
        return self.start(index) + self.size - 1

    def center(self, index: int) -> float:
        """The centre of the receptive field of neuron ``index``, in pixels."""
        return self.start(index) + (self.size - 1) / 2


def _sequence_of(name: str, items: object, *kinds: type) -> tuple[Any, ...]:
    """``items`` as a tuple, checked to be a non-empty sequence of instances of ``kinds``."""
    allowed = " or ".join(kind.__name__ for kind in kinds)
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise TypeError(f"{name} must be a sequence of {allowed}, got {type(items).__name__}")
    if len(items) == 0:
        raise ValueError(f"{name} must hold at least one {allowed}, got an empty sequence")
    for position, item in enumerate(items):
        if not isinstance(item, kinds):
            raise TypeError(f"{name}[{position}] must be a {allowed}, got {type(item).__name__}")
    return tuple(items)


def next_receptive_field(
    size: int, stride: int, kernel_size: int, layer_stride: int, dilation: int = 1
) -> tuple[int, int]:
    """The sheet's recurrence: size and stride one layer further.

    A neuron of the next layer sees ``kernel_size`` neurons of this layer,
    ``dilation`` neurons apart, that is ``dilation * stride`` pixels apart; each
    sees ``size`` pixels. Hence ``S' = S + d (k - 1) T`` and ``T' = s T``.

    Parameters
    ----------
    size, stride : int
        Receptive field size ``S`` and stride ``T`` of this layer (at least 1).
    kernel_size, layer_stride, dilation : int
        Kernel size ``k``, stride ``s`` and dilation ``d`` of the next layer.

    Returns
    -------
    tuple of int
        ``(S', T')``.

    Raises
    ------
    ValueError
        If an argument is below 1 or not a whole number.

    Examples
    --------
    >>> next_receptive_field(1, 1, 3, 1)
    (3, 1)
    >>> next_receptive_field(5, 2, 3, 2)
    (9, 4)
    >>> next_receptive_field(5, 2, 3, 1, dilation=2)
    (13, 2)
    """
    size = as_int("size", size, 1)
    stride = as_int("stride", stride, 1)
    kernel_size = as_int("kernel_size", kernel_size, 1)
    layer_stride = as_int("layer_stride", layer_stride, 1)
    dilation = as_int("dilation", dilation, 1)
    return size + dilation * (kernel_size - 1) * stride, stride * layer_stride


def receptive_fields(layers: Sequence[Layer]) -> list[ReceptiveField]:
    """The receptive field after each layer, by the recurrence.

    Size and stride follow :func:`next_receptive_field`; the effective padding
    follows ``P' = P + p T`` (the first window of a layer starts ``p`` neurons,
    ``p T`` pixels, before the first neuron of the layer below). The input
    itself has ``S = T = 1`` and ``P = 0``.

    Parameters
    ----------
    layers : list of Layer
        The network along one axis, input first (at least one layer; any
        sequence will do).

    Returns
    -------
    list of ReceptiveField
        One per layer.

    Raises
    ------
    ValueError
        If ``layers`` is empty.
    TypeError
        If an entry of ``layers`` is not a :class:`Layer`.

    Examples
    --------
    >>> for rf in receptive_fields([Layer(3, padding=1), Layer(3, stride=2, padding=1)]):
    ...     print(rf)
    ReceptiveField(size=3, stride=1, padding=1)
    ReceptiveField(size=5, stride=2, padding=2)
    """
    size, stride, padding = 1, 1, 0
    fields = []
    for layer in _sequence_of("layers", layers, Layer):
        padding += layer.padding * stride  # uses the stride *before* this layer
        size, stride = next_receptive_field(
            size, stride, layer.kernel_size, layer.stride, layer.dilation
        )
        fields.append(ReceptiveField(size, stride, padding))
    return fields


def receptive_field(layers: Sequence[Layer]) -> ReceptiveField:
    """The receptive field of the last of ``layers``, by the recurrence (:func:`receptive_fields`).

    Parameters
    ----------
    layers : list of Layer
        As in :func:`receptive_fields`.

    Examples
    --------
    >>> receptive_field(vgg16())
    ReceptiveField(size=212, stride=32, padding=90)
    """
    return receptive_fields(layers)[-1]


def receptive_field_closed_form(layers: Sequence[Layer]) -> ReceptiveField:
    """The receptive field of the last of ``layers``, from the unrolled sums.

    With :math:`k_l` the effective kernel size, :math:`s_l` the stride and
    :math:`p_l` the padding of layer :math:`l`, and :math:`T_{l-1} =
    \\prod_{i<l} s_i`:

    .. math::

        T_L = \\prod_{l=1}^{L} s_l, \\quad
        S_L = 1 + \\sum_{l=1}^{L} (k_l - 1) T_{l-1}, \\quad
        P_L = \\sum_{l=1}^{L} p_l T_{l-1}.

    Parameters
    ----------
    layers : list of Layer
        As in :func:`receptive_fields`, which raises the same errors.

    Examples
    --------
    >>> receptive_field_closed_form(alexnet())
    ReceptiveField(size=195, stride=32, padding=64)
    """
    checked: tuple[Layer, ...] = _sequence_of("layers", layers, Layer)
    size, padding = 1, 0
    for depth, layer in enumerate(checked):  # the terms of the two sums
        before = math.prod(earlier.stride for earlier in checked[:depth])  # T_{l-1}
        size += (layer.effective_kernel_size - 1) * before
        padding += layer.padding * before
    return ReceptiveField(size, math.prod(layer.stride for layer in checked), padding)


def smallest_measurable_input(field: ReceptiveField) -> int:
    """The shortest input holding the whole receptive fields of two neighbouring neurons.

    The first neuron whose field starts inside the input is ``i = ceil(P / T)``;
    the field of neuron ``i + 1`` ends at ``-P + (i + 1) T + S - 1``, which must
    be a pixel of the input. :func:`empirical_receptive_field` needs at least
    this many pixels.

    Examples
    --------
    >>> smallest_measurable_input(receptive_field(vgg16()))
    250
    """
    if not isinstance(field, ReceptiveField):
        raise TypeError(f"field must be a ReceptiveField, got {type(field).__name__}")
    first = -(-field.padding // field.stride)  # ceil(P / T) in integers
    return -field.padding + (first + 1) * field.stride + field.size


# --- A real forward pass -------------------------------------------------------


def _output_length(layer: Layer, length: int, what: str) -> int:
    """How many neurons ``layer`` computes from ``length`` inputs (PyTorch's count)."""
    spare = length + 2 * layer.padding - layer.effective_kernel_size
    if spare < 0:
        label = f" {layer.name!r}" if layer.name else ""
        raise ValueError(
            f"{what}: layer{label} spans {layer.effective_kernel_size} inputs, more than "
            f"the {length} it gets plus its padding of {layer.padding} at each end"
        )
    return spare // layer.stride + 1


def _apply(layer: Layer, signals: FloatArray, pad: float) -> FloatArray:
    """One layer on a batch ``(batch, n)``: an all-ones convolution or a max-pooling."""
    _output_length(layer, signals.shape[-1], "signals too short")
    padded = np.pad(signals, ((0, 0), (layer.padding, layer.padding)), constant_values=pad)
    # windows[b, i, m] = padded[b, i*s + m*d]: the inputs neuron i reads.
    windows = sliding_window_view(padded, layer.effective_kernel_size, axis=-1)
    windows = windows[:, :: layer.stride, :: layer.dilation]
    result: FloatArray = windows.max(axis=-1) if layer.kind == "max_pool" else windows.sum(axis=-1)
    return result


def forward(
    network: Sequence[Layer | Residual], signals: npt.ArrayLike, pad_value: float = 0.0
) -> FloatArray:
    """Push a batch of 1-D signals through a network with every weight equal to 1.

    Output neuron ``i`` of a layer reads the inputs ``i*s - p + m*d``,
    ``m = 0, ..., k - 1``, of the signal padded by ``p`` copies of
    ``pad_value`` at both ends. A convolution adds them (an all-ones kernel:
    any positive kernel gives outputs of the same sign pattern), max-pooling
    takes their maximum, and a :class:`Residual` adds its main path and its
    shortcut. Libraries pad max-pooling with ``-inf``; for non-negative
    signals a window holding one real input has the same maximum with zero
    padding.

    Parameters
    ----------
    network : list of Layer or Residual
        The network, input first.
    signals : numpy.ndarray
        The inputs, shape ``(batch, n)``.
    pad_value : float
        The value of every padded entry.

    Returns
    -------
    numpy.ndarray
        Shape ``(batch, output length)``.

    Raises
    ------
    ValueError
        If the network is empty, a layer gets too short an input, or the two
        paths of a residual block disagree in length.

    Examples
    --------
    >>> print(forward([Layer(3, padding=1)], np.array([[1.0, 2.0, 3.0, 4.0]])))
    [[3. 6. 9. 7.]]
    >>> print(forward([Layer(2, stride=2, kind="max_pool"), Layer(3, padding=1)],
    ...               np.array([[0.0, 1.0, 0.0, 0.0, 0.0, 0.0]])))
    [[1. 1. 0.]]
    """
    checked = _sequence_of("network", network, Layer, Residual)
    x = as_float_array("signals", signals)
    if x.ndim != 2:
        hint = "; pass one signal as signals[None]" if x.ndim == 1 else ""
        raise ValueError(f"signals must be a 2-D array (batch, length), got shape {x.shape}{hint}")
    return _forward(checked, x, in_range("pad_value", pad_value))


def _forward(network: tuple[Layer | Residual, ...], x: FloatArray, pad: float) -> FloatArray:
    for item in network:
        if isinstance(item, Layer):
            x = _apply(item, x, pad)
            continue
        main = _forward(item.main, x, pad)
        shortcut = _forward(item.shortcut, x, pad)  # no layers: the identity
        if main.shape != shortcut.shape:
            label = f" {item.name!r}" if item.name else ""
            raise ValueError(
                f"residual block{label}: main path gives length {main.shape[-1]}, "
                f"shortcut gives {shortcut.shape[-1]}"
            )
        x = main + shortcut
    return x


def empirical_receptive_field(
    network: Sequence[Layer | Residual], input_size: int
) -> ReceptiveField:
    """Measure the receptive field of the last layer with a forward pass of impulses.

    An identity matrix is a batch of ``input_size`` unit impulses, one per input
    pixel. :func:`forward` pushes them through the network with positive
    weights; an output neuron responds (is positive) exactly when the impulse's
    pixel is connected to it, because sums of non-negative terms with positive
    weights and maxima of non-negative numbers are positive exactly when one of
    their inputs is. A second pass, a black image with every padding set to 1,
    marks the output neurons that read padding somewhere; among the others the
    first two neighbours give the measurement: the first and last pixel to
    which neuron ``i`` responds, and the shift of the first pixel from neuron
    ``i`` to ``i + 1``. No formula of this module is used.

    Parameters
    ----------
    network : list of Layer or Residual
        The network, input first.
    input_size : int
        Length of the input. The receptive fields of two neighbouring output
        neurons must fit inside it (:func:`smallest_measurable_input` gives the
        least such length of a chain of layers). Time and memory grow as its
        square.

    Returns
    -------
    ReceptiveField
        Measured size, stride and effective padding.

    Raises
    ------
    ValueError
        If ``input_size`` is too small for the measurement, or the network is empty.

    Examples
    --------
    >>> empirical_receptive_field(alexnet(), input_size=227)
    ReceptiveField(size=195, stride=32, padding=64)
    >>> empirical_receptive_field(alexnet(), input_size=226)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: input_size=226 is too small to measure: no two neighbouring output neurons ...
    """
    checked = _sequence_of("network", network, Layer, Residual)
    n = as_int("input_size", input_size, 1)
    try:
        responses = _forward(checked, np.eye(n), 0.0)  # [j, i]: neuron i, impulse on pixel j
        reads_padding = _forward(checked, np.zeros((1, n)), 1.0)[0] > 0
    except ValueError as error:
        raise ValueError(f"input_size={n} is too small: {error}") from error
    clean = ~reads_padding
    neighbours = np.flatnonzero(clean[:-1] & clean[1:])
    if neighbours.size == 0:
        raise ValueError(
            f"input_size={n} is too small to measure: no two neighbouring output neurons "
            f"(of {reads_padding.size}) have receptive fields that avoid all padding; "
            "use a larger input_size"
        )
    i = int(neighbours[0])
    seen = responses[:, i : i + 2] > 0
    first = np.argmax(seen, axis=0)  # first pixel each of the two neurons responds to
    last = n - 1 - np.argmax(seen[::-1], axis=0)
    stride = int(first[1] - first[0])
    return ReceptiveField(int(last[0] - first[0] + 1), stride, i * stride - int(first[0]))


# --- Effective receptive field (Luo et al., 2016) ----------------------------------


def _conv2d(x: FloatArray, weights: FloatArray, layer: Layer) -> FloatArray:
    """Batched 2-D convolution: x (n, c, h, w), weights (n, o, c, k, k) -> (n, o, h', w').

    im2col: gather every kernel window into a column, then one matrix product per network.
    """
    p, s, d, k = layer.padding, layer.stride, layer.dilation, layer.kernel_size
    n, c = x.shape[:2]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    span = layer.effective_kernel_size
    windows = sliding_window_view(xp, (span, span), axis=(2, 3))[:, :, ::s, ::s, ::d, ::d]
    out_h, out_w = windows.shape[2:4]
    columns = windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * k * k, out_h * out_w)
    # einsum, not matmul: these products are thin, and BLAS threads only slow them down.
    out: FloatArray = np.einsum("nok,nkp->nop", weights.reshape(n, -1, c * k * k), columns)
    return out.reshape(n, -1, out_h, out_w)


def _conv2d_input_gradient(
    grad_out: FloatArray, weights: FloatArray, layer: Layer, input_shape: tuple[int, ...]
) -> FloatArray:
    """The gradient with respect to the input of :func:`_conv2d`, given that of its output.

    The transpose of im2col: each column's gradient is added back to the window it came from.
    """
    p, s, d, k = layer.padding, layer.stride, layer.dilation, layer.kernel_size
    n, c, h, w = input_shape
    out_h, out_w = grad_out.shape[2:]
    matrix = weights.reshape(n, grad_out.shape[1], c * k * k)
    flat_grad = grad_out.reshape(n, grad_out.shape[1], -1)
    grad_columns = np.einsum("nok,nop->nkp", matrix, flat_grad).reshape(n, c, k, k, out_h, out_w)
    grad_padded = np.zeros((n, c, h + 2 * p, w + 2 * p))
    for a in range(k):
        for b in range(k):
            rows = slice(a * d, a * d + s * (out_h - 1) + 1, s)
            cols = slice(b * d, b * d + s * (out_w - 1) + 1, s)
            grad_padded[:, :, rows, cols] += grad_columns[:, :, a, b]
    return grad_padded[:, :, p : p + h, p : p + w]


def _random_conv_stack(
    layers: tuple[Layer, ...], input_size: int, channels: int, n_seeds: int, seed: int
) -> tuple[FloatArray, list[FloatArray]]:
    """Random inputs (n, 1, m, m) and He-initialised weights (n, out, in, k, k) per layer."""
    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((n_seeds, 1, input_size, input_size))
    weights = []
    for position, layer in enumerate(layers):
        fan_in_channels = 1 if position == 0 else channels
        out_channels = 1 if position == len(layers) - 1 else channels
        shape = (n_seeds, out_channels, fan_in_channels, layer.kernel_size, layer.kernel_size)
        scale = np.sqrt(2.0 / (fan_in_channels * layer.kernel_size**2))
        weights.append(scale * rng.standard_normal(shape))
    return inputs, weights


def _stack_output_and_input_gradient(
    layers: tuple[Layer, ...], inputs: FloatArray, weights: list[FloatArray], relu: bool
) -> tuple[FloatArray, FloatArray]:
    """Forward pass, then the gradient of each centre output with respect to the input."""
    activations = [inputs]
    pre_activations = []
    x = inputs
    for position, (layer, w) in enumerate(zip(layers, weights, strict=True)):
        z = _conv2d(x, w, layer)
        pre_activations.append(z)
        last = position == len(layers) - 1
        x = z if last or not relu else np.maximum(z, 0.0)
        activations.append(x)
    centre = ((x.shape[2] - 1) // 2, (x.shape[3] - 1) // 2)
    grad = np.zeros_like(x)
    grad[:, 0, centre[0], centre[1]] = 1.0
    for position in range(len(layers) - 1, -1, -1):
        if relu and position < len(layers) - 1:
            grad = grad * (pre_activations[position] > 0)  # ReLU passes gradient where z > 0
        grad = _conv2d_input_gradient(
            grad, weights[position], layers[position], activations[position].shape
        )
    return x[:, 0, centre[0], centre[1]], grad[:, 0]


def effective_receptive_field(
    layers: Sequence[Layer],
    input_size: int,
    *,
    channels: int = 4,
    n_seeds: int = 16,
    seed: int = 0,
    relu: bool = True,
) -> FloatArray:
    """Mean absolute input gradient of the centre output of random 2-D conv stacks.

    Each of ``n_seeds`` networks applies the (square) convolutions of
    ``layers`` to a random single-channel ``input_size x input_size`` image,
    with ``channels`` channels in between, one output channel, He-initialised
    Gaussian weights, and a ReLU after every layer but the last (if ``relu``).
    The map is the mean over the networks of ``|d y / d x|``, where ``y`` is the
    output neuron at the centre (Luo et al., 2016). It is exactly zero outside
    the theoretical receptive field of that neuron.

    Parameters
    ----------
    layers : list of Layer
        Convolutions only (``kind="conv"``).
    input_size : int
        Side of the input image.
    channels, n_seeds : int
        Hidden channels and number of random networks (at least 1).
    seed : int
        Seed of ``numpy.random.default_rng``.
    relu : bool
        Whether a ReLU follows every layer but the last.

    Returns
    -------
    numpy.ndarray
        Shape ``(input_size, input_size)``.

    Raises
    ------
    ValueError
        If a layer is a pooling layer, or the input is too small for a layer.

    Examples
    --------
    >>> erf = effective_receptive_field([Layer(3, padding=1)] * 2, 7, n_seeds=4)
    >>> print((erf > 0).astype(int))
    [[0 0 0 0 0 0 0]
     [0 1 1 1 1 1 0]
     [0 1 1 1 1 1 0]
     [0 1 1 1 1 1 0]
     [0 1 1 1 1 1 0]
     [0 1 1 1 1 1 0]
     [0 0 0 0 0 0 0]]
    """
    checked: tuple[Layer, ...] = _sequence_of("layers", layers, Layer)
    for position, layer in enumerate(checked):
        if layer.kind != "conv":
            raise ValueError(f"layers[{position}] must be a convolution, got kind={layer.kind!r}")
    size = as_int("input_size", input_size, 1)
    channels = as_int("channels", channels, 1)
    n_seeds = as_int("n_seeds", n_seeds, 1)
    seed = as_int("seed", seed, 0)
    length = size
    for layer in checked:  # fail early, with the argument's name, if a layer has no output
        length = _output_length(layer, length, f"input_size={size} is too small")
    inputs, weights = _random_conv_stack(checked, size, channels, n_seeds, seed)
    _, gradient = _stack_output_and_input_gradient(checked, inputs, weights, relu)
    result: FloatArray = np.abs(gradient).mean(axis=0)
    return result


def central_mass_width(image: npt.ArrayLike, fraction: float = 0.9) -> int:
    """Side of the smallest centred square that holds ``fraction`` of an image's total.

    Used on an effective receptive field: how wide the region is that carries
    most of the gradient.

    Parameters
    ----------
    image : numpy.ndarray
        Shape ``(m, m)`` with ``m`` odd; non-negative, not all zero.
    fraction : float
        In (0, 1].

    Returns
    -------
    int
        An odd width between 1 and ``m``.

    Examples
    --------
    >>> image = np.zeros((5, 5)); image[1:4, 1:4] = 1.0; image[2, 2] = 2.0
    >>> central_mass_width(image, 0.2), central_mass_width(image, 0.5)
    (1, 3)
    """
    values = as_float_array("image", image)
    if values.ndim != 2 or values.shape[0] != values.shape[1] or values.shape[0] % 2 == 0:
        raise ValueError(f"image must be a square array of odd side, got shape {values.shape}")
    if np.any(values < 0) or not np.any(values > 0):
        raise ValueError("image must be non-negative and not all zero")
    share = in_range("fraction", fraction, 0.0, 1.0, low_open=True)
    half = values.shape[0] // 2
    total = values.sum()
    for radius in range(half + 1):
        square = values[half - radius : half + radius + 1, half - radius : half + radius + 1]
        # A relative tolerance so that fraction=1 is met despite rounding in the sums.
        if square.sum() >= share * total * (1 - 1e-12):
            return 2 * radius + 1
    return int(values.shape[0])  # pragma: no cover  (the full image always holds everything)


# --- Real networks -------------------------------------------------------------------


def _conv(k: int, name: str, stride: int = 1, padding: int = 0) -> Layer:
    return Layer(k, stride, padding, name=name)


def _pool(k: int, name: str, stride: int, padding: int = 0) -> Layer:
    return Layer(k, stride, padding, name=name, kind="max_pool")


def alexnet() -> list[Layer]:
    """AlexNet's convolutional part, conv1 to pool5 (Krizhevsky et al., 2012).

    Kernels and strides are the paper's; its text gives no padding, so the
    padding is that of the reference implementations, which keep the map size
    in conv2 to conv5 (conv2 pads 2, conv3 to conv5 pad 1). Local response
    normalisation and ReLU act on single positions and are left out.

    Examples
    --------
    >>> [layer.name for layer in alexnet()]
    ['conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'conv4', 'conv5', 'pool5']
    """
    return [
        _conv(11, "conv1", stride=4),
        _pool(3, "pool1", stride=2),
        _conv(5, "conv2", padding=2),
        _pool(3, "pool2", stride=2),
        _conv(3, "conv3", padding=1),
        _conv(3, "conv4", padding=1),
        _conv(3, "conv5", padding=1),
        _pool(3, "pool5", stride=2),
    ]


def vgg16() -> list[Layer]:
    """VGG-16 (configuration D), conv1_1 to pool5 (Simonyan and Zisserman, 2015).

    Every convolution is 3x3 with stride 1 and padding 1, every pooling 2x2
    with stride 2.

    Examples
    --------
    >>> len(vgg16()), vgg16()[13].name
    (18, 'pool4')
    """
    layers = []
    for block, convs in enumerate((2, 2, 3, 3, 3), start=1):
        layers += [_conv(3, f"conv{block}_{i}", padding=1) for i in range(1, convs + 1)]
        layers.append(_pool(2, f"pool{block}", stride=2))
    return layers


# Layer names inside a bottleneck block: main path 1x1, 3x3, 1x1, then the projection shortcut.
_PARTS_ORIGINAL = ("branch2a", "branch2b", "branch2c", "branch1")
_PARTS_TORCHVISION = ("conv1", "conv2", "conv3", "downsample.0")


def _resnet50_graph(torchvision: bool) -> list[Layer | Residual]:
    """Both ResNet-50s: they differ in where a block's stride sits and in pool padding."""
    network: list[Layer | Residual] = [
        _conv(7, "conv1", stride=2, padding=3),
        _pool(3, "maxpool", stride=2, padding=1) if torchvision else _pool(3, "pool1", stride=2),
    ]
    for stage, blocks in enumerate((3, 4, 6, 3), start=2):  # conv2_x to conv5_x
        for block in range(blocks):
            stride = 2 if stage > 2 and block == 0 else 1
            if torchvision:
                name = f"layer{stage - 1}.{block}"
                a, b, c, shortcut = (f"{name}.{part}" for part in _PARTS_TORCHVISION)
                stride_1x1, stride_3x3 = 1, stride
            else:
                name = f"res{stage}{'abcdef'[block]}"
                a, b, c, shortcut = (f"{name}_{part}" for part in _PARTS_ORIGINAL)
                stride_1x1, stride_3x3 = stride, 1
            main = (
                _conv(1, a, stride=stride_1x1),
                _conv(3, b, stride=stride_3x3, padding=1),
                _conv(1, c),
            )
            projection = (_conv(1, shortcut, stride=stride),) if block == 0 else ()
            network.append(Residual(main, projection, name))
    return network


def resnet50_graph() -> list[Layer | Residual]:
    """ResNet-50 with its shortcuts, as its authors released it (He et al., 2016).

    conv1 is 7x7 with stride 2 and padding 3; pool1 3x3 with stride 2 and no
    padding (Caffe rounds the output length up instead). Each bottleneck block
    is 1x1, 3x3 (padding 1), 1x1; the first block of conv3_x, conv4_x and
    conv5_x downsamples with stride 2 on its first 1x1 convolution
    (``res3a_branch2a``) and on its projection shortcut (``res3a_branch1``).
    Names follow the released model.

    Examples
    --------
    >>> graph = resnet50_graph()
    >>> graph[5].name, [layer.name for layer in graph[5].main]
    ('res3a', ['res3a_branch2a', 'res3a_branch2b', 'res3a_branch2c'])
    """
    return _resnet50_graph(torchvision=False)


def resnet50_torchvision_graph() -> list[Layer | Residual]:
    """ResNet-50 with its shortcuts as torchvision builds it ("v1.5").

    As :func:`resnet50_graph` except that the downsampling blocks put the
    stride on the 3x3 convolution (``layer2.0.conv2``) and the max-pooling pads
    by 1. Names are torchvision's module names.

    Examples
    --------
    >>> graph = resnet50_torchvision_graph()
    >>> [(layer.name, layer.stride) for layer in graph[5].main]
    [('layer2.0.conv1', 1), ('layer2.0.conv2', 2), ('layer2.0.conv3', 1)]
    """
    return _resnet50_graph(torchvision=True)


def _main_path(network: list[Layer | Residual]) -> list[Layer]:
    """The layers along the main path: shortcuts left out."""
    return [
        layer for item in network for layer in ([item] if isinstance(item, Layer) else item.main)
    ]


def resnet50() -> list[Layer]:
    """The main path of the authors' ResNet-50 (:func:`resnet50_graph`), conv1 to res5c.

    Examples
    --------
    >>> receptive_field(resnet50())
    ReceptiveField(size=483, stride=32, padding=239)
    """
    return _main_path(resnet50_graph())


def resnet50_torchvision() -> list[Layer]:
    """The main path of torchvision's ResNet-50 (:func:`resnet50_torchvision_graph`).

    Examples
    --------
    >>> receptive_field(resnet50_torchvision())
    ReceptiveField(size=427, stride=32, padding=213)
    """
    return _main_path(resnet50_torchvision_graph())
