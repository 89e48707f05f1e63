"""A small neural-network toolkit on convlib's batched ops: every layer's forward *and* backward, by hand.

Each layer has ``forward(x)`` (which remembers what ``backward`` needs) and ``backward(grad_out)``
(which stores the gradient of each parameter in ``parameter.grad`` and returns the gradient with
respect to the layer's input). Shapes, parameter layouts, default initialisation and the optimisers'
update rules follow PyTorch, so a convlib model and a ``torch.nn`` model built from the same
weights compute the same numbers:

==================  ======================================  ==============================
convlib.nn          computes                                PyTorch
==================  ======================================  ==============================
:class:`Conv2d`     :func:`convlib.conv2d` (correlation)    ``torch.nn.Conv2d``
:class:`ReLU`       ``max(x, 0)``                           ``torch.nn.ReLU``
:class:`MaxPool2d`  :func:`convlib.max_pool2d`              ``torch.nn.MaxPool2d``
:class:`Flatten`    ``x.reshape(N, -1)``                    ``torch.nn.Flatten``
:class:`Linear`     ``x @ weight.T + bias``                 ``torch.nn.Linear``
:class:`Sequential` the layers in order                     ``torch.nn.Sequential``
:class:`SGD`        (heavy-ball) momentum                   ``torch.optim.SGD``
:class:`Adam`       Adam                                    ``torch.optim.Adam``
==================  ======================================  ==============================

The loss is in :mod:`convlib.nn.losses`, the optimisers in :mod:`convlib.nn.optim`, and a check of a
whole model's backward pass in :mod:`convlib.nn.gradcheck`.

One difference: ``backward`` *overwrites* ``parameter.grad`` (PyTorch adds to it, hence its
``zero_grad``). Initialisation draws from a ``numpy.random.Generator`` you pass, so a seeded
generator gives the same network every run.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

import numpy as np

from convlib.nn.functional import check_grad_out, conv2d, conv2d_backward, max_pool2d, max_pool2d_backward
from convlib.sizes import as_pair
from convlib.validation import as_numeric_array, check_allocation, check_bool, check_positive_int

__all__ = ["Conv2d", "Flatten", "Layer", "Linear", "MaxPool2d", "Parameter", "ReLU", "Sequential"]


class Parameter:
    """A trainable array and the gradient of the loss with respect to it.

    ``data`` is updated in place by the optimisers; ``grad`` (same shape) is written by the
    owning layer's ``backward``.

    Examples
    --------
    >>> p = Parameter(np.zeros((2, 3)))
    >>> p
    Parameter(shape=(2, 3), dtype=float64)
    >>> p.grad.shape
    (2, 3)
    """

    __slots__ = ("data", "grad")

    def __init__(self, data: object) -> None:
        array = as_numeric_array(data, "data", "Parameter")
        if array.dtype.kind == "c":
            raise TypeError(f"Parameter: data must be real; got dtype {array.dtype}")
        if array.dtype.kind != "f":
            array = array.astype(np.float64)
        self.data = np.array(array)  # a copy: the caller's array is never trained in place
        self.grad = np.zeros_like(self.data)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``data``."""
        return self.data.shape

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


def _check_rng(rng: object, function: str) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{function}: rng must be a numpy.random.Generator (e.g. np.random.default_rng(0)); "
            f"got {type(rng).__name__}"
        )
    return rng


def _uniform(rng: np.random.Generator, fan_in: int, shape: tuple[int, ...], function: str, what: str) -> np.ndarray:
    """PyTorch's default initialisation for Conv2d and Linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

    The size is checked first (:func:`~convlib.validation.check_allocation`); ``what`` names the arguments.
    """
    check_allocation(shape, np.float64, function, what)
    bound = 1.0 / math.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=shape)


class Layer:
    """Base class: ``forward``, ``backward`` and the named parameters (none by default).

    Calling a layer is calling its ``forward``.
    """

    def forward(self, x: object) -> np.ndarray:
        """The layer's output for a batch ``x``; remembers what :meth:`backward` needs."""
        raise NotImplementedError

    def backward(self, grad_out: object) -> np.ndarray:
        """Given dLoss/dOutput of the last :meth:`forward`, set each ``parameter.grad`` and return dLoss/dInput."""
        raise NotImplementedError

    def named_parameters(self) -> dict[str, Parameter]:
        """The trainable parameters by name (PyTorch's names: ``"weight"``, ``"bias"``)."""
        return {}

    def parameters(self) -> list[Parameter]:
        """The trainable parameters, in the order of :meth:`named_parameters`."""
        return list(self.named_parameters().values())

    def __call__(self, x: object) -> np.ndarray:
        return self.forward(x)

    def _saved(self, attribute: str) -> object:
        value = getattr(self, attribute, None)
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward: call forward first (nothing to differentiate)")
        return value


class Conv2d(Layer):
    """A 2-D convolution layer: ``C_out`` filters of shape ``(C_in, KH, KW)``, sliding over the input.

    ``out = conv2d(x, weight, bias, stride, padding)``: **cross-correlation** (the filters are not
    flipped), exactly ``torch.nn.Conv2d``. Weight and bias start uniform in
    ``±1/sqrt(C_in*KH*KW)``, PyTorch's default range.

    Parameters
    ----------
    in_channels, out_channels : int
        ``C_in`` and ``C_out``.
    kernel_size : int or (int, int)
    rng : numpy.random.Generator, keyword-only
        Draws the initial weights.
    stride, padding : int or (int, int), keyword-only
        As in :func:`convlib.conv2d`; ``padding`` is zeros.
    bias : bool, keyword-only
        Whether to learn one bias per output channel.

    Examples
    --------
    >>> conv = Conv2d(1, 4, 3, rng=np.random.default_rng(0), padding=1)
    >>> conv
    Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    >>> out = conv(np.ones((2, 1, 8, 8)))
    >>> out.shape
    (2, 4, 8, 8)
    >>> grad_x = conv.backward(np.ones_like(out))
    >>> grad_x.shape, conv.weight.grad.shape, conv.bias.grad.shape
    ((2, 1, 8, 8), (4, 1, 3, 3), (4,))
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        *,
        rng: np.random.Generator,
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        bias: bool = True,
    ) -> None:
        function = "Conv2d"
        self.in_channels = check_positive_int(in_channels, "in_channels", function)
        self.out_channels = check_positive_int(out_channels, "out_channels", function)
        self.kernel_size = as_pair(kernel_size, "kernel_size", function)
        self.stride = as_pair(stride, "stride", function)
        self.padding = as_pair(padding, "padding", function, minimum=0)
        bias = check_bool(bias, "bias", function)
        rng = _check_rng(rng, function)
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        what = f"in_channels={self.in_channels}, out_channels={self.out_channels} and kernel_size={self.kernel_size}"
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.weight = Parameter(_uniform(rng, fan_in, shape, function, f"a weight for {what}"))
        self.bias = Parameter(_uniform(rng, fan_in, (self.out_channels,), function, what)) if bias else None
        self._x: np.ndarray | None = None

    def forward(self, x: object) -> np.ndarray:
        """``conv2d(x, weight, bias, stride, padding)`` for ``x`` of shape ``(N, C_in, H, W)``."""
        self._x = as_numeric_array(x, "x", "Conv2d")
        bias = None if self.bias is None else self.bias.data
        return conv2d(self._x, self.weight.data, bias, self.stride, self.padding)

    def backward(self, grad_out: object) -> np.ndarray:
        """Set ``weight.grad`` (and ``bias.grad``); return dLoss/dx via :func:`convlib.conv2d_backward`."""
        x = self._saved("_x")
        grad_x, grad_weight, grad_bias = conv2d_backward(grad_out, x, self.weight.data, self.stride, self.padding)
        self.weight.grad = grad_weight
        if self.bias is not None:
            self.bias.grad = grad_bias
        return grad_x

    def named_parameters(self) -> dict[str, Parameter]:
        return {"weight": self.weight} | ({} if self.bias is None else {"bias": self.bias})

    def __repr__(self) -> str:
        extra = "" if self.bias is not None else ", bias=False"
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}{extra})"
        )


class ReLU(Layer):
    """``max(x, 0)``, element-wise; its gradient passes where ``x > 0`` and is 0 elsewhere (also at 0).

    As ``torch.relu``: NaN stays NaN (it is not ``<= 0``), and its gradient passes through, so
    forward and backward agree on which entries pass. Bool and integer ``x`` give float64 (the
    dtype policy); floating ``x`` keeps its dtype.

    Examples
    --------
    >>> relu = ReLU()
    >>> relu(np.array([[-1.0, 0.0, 2.0, np.nan]]))
    array([[ 0.,  0.,  2., nan]])
    >>> relu.backward(np.array([[5.0, 5.0, 5.0, 5.0]]))
    array([[0., 0., 5., 5.]])
    >>> relu(np.array([[-3, 4]], dtype=np.int8))
    array([[0., 4.]])
    """

    def __init__(self) -> None:
        self._positive: np.ndarray | None = None

    def forward(self, x: object) -> np.ndarray:
        x = as_numeric_array(x, "x", "ReLU")
        if x.dtype.kind not in "f":
            x = x.astype(np.float64)
        self._positive = ~(x <= 0)  # x > 0, and NaN: it passes, as in torch.relu
        return np.where(self._positive, x, np.zeros((), dtype=x.dtype))

    def backward(self, grad_out: object) -> np.ndarray:
        positive = self._saved("_positive")
        grad = check_grad_out(grad_out, positive.shape, "ReLU.backward")
        if grad.dtype.kind not in "f":  # the dtype policy, as in forward
            grad = grad.astype(np.float64)
        return np.where(positive, grad, np.zeros((), dtype=grad.dtype))

    def __repr__(self) -> str:
        return "ReLU()"


class MaxPool2d(Layer):
    """Max pooling over ``KH x KW`` windows (:func:`convlib.max_pool2d`); ``stride`` defaults to the window.

    ``padding`` (``-inf``, at most ``kernel_size // 2``), ``dilation`` and ``ceil_mode`` are those of
    ``torch.nn.MaxPool2d``. The gradient of each window goes to its maximum
    (:func:`convlib.max_pool2d_backward`).

    Examples
    --------
    >>> pool = MaxPool2d(2)
    >>> pool(np.arange(16.0).reshape(1, 1, 4, 4))
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    >>> pool.backward(np.ones((1, 1, 2, 2)))[0, 0]
    array([[0., 0., 0., 0.],
           [0., 1., 0., 1.],
           [0., 0., 0., 0.],
           [0., 1., 0., 1.]])
    >>> MaxPool2d(3, stride=2, padding=1, ceil_mode=True)
    MaxPool2d(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), ceil_mode=True)
    """

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
        dilation: int | tuple[int, int] = 1,
        ceil_mode: bool = False,
    ) -> None:
        name = "MaxPool2d"
        self.kernel_size = as_pair(kernel_size, "kernel_size", name)
        self.stride = self.kernel_size if stride is None else as_pair(stride, "stride", name)
        self.padding = as_pair(padding, "padding", name, minimum=0)
        self.dilation = as_pair(dilation, "dilation", name)
        self.ceil_mode = check_bool(ceil_mode, "ceil_mode", name)
        for axis, k, p in zip(("height", "width"), self.kernel_size, self.padding):
            if p > k // 2:
                raise ValueError(
                    f"{name}: padding's {axis} {p} is more than half the kernel_size's {axis} {k}; "
                    f"pooling needs padding <= kernel_size // 2 = {k // 2} (PyTorch's rule)"
                )
        self._x: np.ndarray | None = None

    def _geometry(self) -> dict[str, object]:
        return {"padding": self.padding, "dilation": self.dilation, "ceil_mode": self.ceil_mode}

    def forward(self, x: object) -> np.ndarray:
        self._x = as_numeric_array(x, "x", "MaxPool2d")
        return max_pool2d(self._x, self.kernel_size, self.stride, **self._geometry())

    def backward(self, grad_out: object) -> np.ndarray:
        return max_pool2d_backward(grad_out, self._saved("_x"), self.kernel_size, self.stride, **self._geometry())

    def __repr__(self) -> str:
        extras = "".join(
            f", {key}={value}"
            for key, value, default in [
                ("padding", self.padding, (0, 0)),
                ("dilation", self.dilation, (1, 1)),
                ("ceil_mode", self.ceil_mode, False),
            ]
            if value != default
        )
        return f"MaxPool2d(kernel_size={self.kernel_size}, stride={self.stride}{extras})"


class Flatten(Layer):
    """``(N, C, H, W) -> (N, C*H*W)`` in C order (as ``torch.nn.Flatten``); backward reshapes back.

    Examples
    --------
    >>> flatten = Flatten()
    >>> flatten(np.zeros((2, 3, 4, 4))).shape
    (2, 48)
    >>> flatten.backward(np.zeros((2, 48))).shape
    (2, 3, 4, 4)
    """

    def __init__(self) -> None:
        self._shape: tuple[int, ...] | None = None

    def forward(self, x: object) -> np.ndarray:
        x = as_numeric_array(x, "x", "Flatten")
        if x.ndim < 2:
            raise ValueError(f"Flatten: x must have a batch axis and at least one more; got shape {x.shape}")
        self._shape = x.shape
        return x.reshape(x.shape[0], math.prod(x.shape[1:]))  # not -1: an empty batch has no size to infer

    def backward(self, grad_out: object) -> np.ndarray:
        shape = self._saved("_shape")
        grad = check_grad_out(grad_out, (shape[0], int(np.prod(shape[1:]))), "Flatten.backward")
        return grad.reshape(shape)

    def __repr__(self) -> str:
        return "Flatten()"


class Linear(Layer):
    """A fully connected layer: ``out = x @ weight.T + bias``, weight of shape ``(out_features, in_features)``.

    Initialised uniform in ``±1/sqrt(in_features)``, as ``torch.nn.Linear``.

    Parameters
    ----------
    in_features, out_features : int
    rng : numpy.random.Generator, keyword-only
    bias : bool, keyword-only

    Examples
    --------
    >>> dense = Linear(3, 2, rng=np.random.default_rng(0))
    >>> dense
    Linear(in_features=3, out_features=2)
    >>> out = dense(np.ones((4, 3)))
    >>> grad_x = dense.backward(np.ones((4, 2)))
    >>> dense.weight.grad                     # grad_out.T @ x
    array([[4., 4., 4.],
           [4., 4., 4.]])
    >>> dense.bias.grad
    array([4., 4.])
    """

    def __init__(self, in_features: int, out_features: int, *, rng: np.random.Generator, bias: bool = True) -> None:
        self.in_features = check_positive_int(in_features, "in_features", "Linear")
        self.out_features = check_positive_int(out_features, "out_features", "Linear")
        bias = check_bool(bias, "bias", "Linear")
        rng = _check_rng(rng, "Linear")
        what = f"a weight for in_features={self.in_features} and out_features={self.out_features}"
        shape = (self.out_features, self.in_features)
        self.weight = Parameter(_uniform(rng, self.in_features, shape, "Linear", what))
        self.bias = Parameter(_uniform(rng, self.in_features, (self.out_features,), "Linear", what)) if bias else None
        self._x: np.ndarray | None = None

    def forward(self, x: object) -> np.ndarray:
        x = as_numeric_array(x, "x", "Linear")
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"Linear: x must have shape (N, in_features={self.in_features}); got {x.shape}"
                + (" (put a Flatten() before it)" if x.ndim > 2 else "")
            )
        self._x = x
        out = x @ self.weight.data.T
        if self.bias is not None:
            out = out + self.bias.data
        return out

    def backward(self, grad_out: object) -> np.ndarray:
        x = self._saved("_x")
        grad = check_grad_out(grad_out, (x.shape[0], self.out_features), "Linear.backward")
        self.weight.grad = grad.T @ x
        if self.bias is not None:
            self.bias.grad = grad.sum(axis=0)
        return grad @ self.weight.data

    def named_parameters(self) -> dict[str, Parameter]:
        return {"weight": self.weight} | ({} if self.bias is None else {"bias": self.bias})

    def __repr__(self) -> str:
        extra = "" if self.bias is not None else ", bias=False"
        return f"Linear(in_features={self.in_features}, out_features={self.out_features}{extra})"


class Sequential(Layer):
    """Layers applied in order; backward runs them in reverse.

    Parameter names are ``"<index>.<name>"`` (``"0.weight"``), as in ``torch.nn.Sequential``, so
    :meth:`state_dict` can be loaded into an equally built PyTorch model and back.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> model = Sequential(Conv2d(1, 2, 3, rng=rng), ReLU(), Flatten(), Linear(8, 3, rng=rng))
    >>> model(np.zeros((5, 1, 4, 4))).shape
    (5, 3)
    >>> list(model.state_dict())
    ['0.weight', '0.bias', '3.weight', '3.bias']
    >>> model[0]
    Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(0, 0))
    """

    def __init__(self, *layers: Layer) -> None:
        for index, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential: layers[{index}] must be a convlib.nn Layer; got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, x: object) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return np.asarray(x)

    def backward(self, grad_out: object) -> np.ndarray:
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return np.asarray(grad_out)

    def named_parameters(self) -> dict[str, Parameter]:
        return {
            f"{index}.{name}": parameter
            for index, layer in enumerate(self.layers)
            for name, parameter in layer.named_parameters().items()
        }

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter's values by name.

        Load into PyTorch with ``torch_model.load_state_dict({k: torch.tensor(v) for k, v in d.items()})``.
        """
        return {name: parameter.data.copy() for name, parameter in self.named_parameters().items()}

    def load_state_dict(self, state: Mapping[str, object]) -> None:
        """Set every parameter from ``state`` (name → array of the same shape); the names must match exactly.

        Accepts anything ``numpy.asarray`` converts, e.g. a PyTorch ``state_dict`` of CPU tensors
        after ``{k: v.detach().numpy() for k, v in ...}``.

        Examples
        --------
        >>> model = Sequential(Linear(2, 1, rng=np.random.default_rng(0)))
        >>> model.load_state_dict({"0.weight": [[1.0, 2.0]], "0.bias": [0.5]})
        >>> model(np.array([[1.0, 1.0]]))
        array([[3.5]])
        """
        if not isinstance(state, Mapping):
            raise TypeError(
                f"Sequential.load_state_dict: state must be a mapping name -> array; got {type(state).__name__}"
            )
        ours = self.named_parameters()
        missing, unexpected = sorted(set(ours) - set(state)), sorted(set(state) - set(ours))
        if missing or unexpected:
            raise ValueError(
                f"Sequential.load_state_dict: state's names must match the model's {sorted(ours)}; "
                f"missing {missing}, unexpected {unexpected}"
            )
        for name, parameter in ours.items():
            values = as_numeric_array(state[name], f"state[{name!r}]", "Sequential.load_state_dict")
            if values.shape != parameter.shape:
                raise ValueError(
                    f"Sequential.load_state_dict: state[{name!r}] must have shape {parameter.shape}; got {values.shape}"
                )
            parameter.data[...] = values

    def __getitem__(self, index: int) -> Layer:
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.layers)

    def __repr__(self) -> str:
        lines = [f"  ({index}): {layer!r}" for index, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"
