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

One difference: ``backward`` *overwrites* ``parameter.grad`` (PyTorch adds to it, hence its
``zero_grad``). Initialisation draws from a ``numpy.random.Generator`` you pass, so a seeded
generator gives the same network every run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np

from convlib.gradients import numerical_gradient, relative_error
from convlib.layers import check_grad_out, conv2d, conv2d_backward, max_pool2d, max_pool2d_backward
from convlib.sizes import as_pair
from convlib.validation import as_numeric_array, check_positive_int

__all__ = [
    "SGD",
    "Adam",
    "Conv2d",
    "Flatten",
    "Layer",
    "Linear",
    "MaxPool2d",
    "Parameter",
    "ReLU",
    "Sequential",
    "model_gradient_errors",
    "softmax",
    "softmax_cross_entropy",
]


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
        array = as_numeric_array(data, "data")
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


def _uniform(rng: np.random.Generator, fan_in: int, shape: tuple[int, ...]) -> np.ndarray:
    """PyTorch's default initialisation for Conv2d and Linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    bound = 1.0 / np.sqrt(fan_in)
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
        rng = _check_rng(rng, function)
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        self.weight = Parameter(_uniform(rng, fan_in, (self.out_channels, self.in_channels, *self.kernel_size)))
        self.bias = Parameter(_uniform(rng, fan_in, (self.out_channels,))) if bias else None
        self._x: np.ndarray | None = None

    def forward(self, x: object) -> np.ndarray:
        """``conv2d(x, weight, bias, stride, padding)`` for ``x`` of shape ``(N, C_in, H, W)``."""
        self._x = as_numeric_array(x, "x")
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

    Examples
    --------
    >>> relu = ReLU()
    >>> relu(np.array([[-1.0, 0.0, 2.0]]))
    array([[0., 0., 2.]])
    >>> relu.backward(np.array([[5.0, 5.0, 5.0]]))
    array([[0., 0., 5.]])
    """

    def __init__(self) -> None:
        self._positive: np.ndarray | None = None

    def forward(self, x: object) -> np.ndarray:
        x = as_numeric_array(x, "x")
        self._positive = x > 0
        return np.where(self._positive, x, np.zeros((), dtype=x.dtype))

    def backward(self, grad_out: object) -> np.ndarray:
        positive = self._saved("_positive")
        grad = check_grad_out(grad_out, positive.shape, "ReLU.backward")
        return np.where(positive, grad, np.zeros((), dtype=grad.dtype))

    def __repr__(self) -> str:
        return "ReLU()"


class MaxPool2d(Layer):
    """Max pooling over ``KH x KW`` windows (:func:`convlib.max_pool2d`); ``stride`` defaults to the window.

    The gradient of each window goes to its maximum (:func:`convlib.max_pool2d_backward`).

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
    """

    def __init__(self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None) -> None:
        self.kernel_size = as_pair(kernel_size, "kernel_size", "MaxPool2d")
        self.stride = self.kernel_size if stride is None else as_pair(stride, "stride", "MaxPool2d")
        self._x: np.ndarray | None = None

    def forward(self, x: object) -> np.ndarray:
        self._x = as_numeric_array(x, "x")
        return max_pool2d(self._x, self.kernel_size, self.stride)

    def backward(self, grad_out: object) -> np.ndarray:
        return max_pool2d_backward(grad_out, self._saved("_x"), self.kernel_size, self.stride)

    def __repr__(self) -> str:
        return f"MaxPool2d(kernel_size={self.kernel_size}, stride={self.stride})"


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
        x = as_numeric_array(x, "x")
        if x.ndim < 2:
            raise ValueError(f"Flatten: x must have a batch axis and at least one more; got shape {x.shape}")
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

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
        rng = _check_rng(rng, "Linear")
        self.weight = Parameter(_uniform(rng, self.in_features, (self.out_features, self.in_features)))
        self.bias = Parameter(_uniform(rng, self.in_features, (self.out_features,))) if bias else None
        self._x: np.ndarray | None = None

    def forward(self, x: object) -> np.ndarray:
        x = as_numeric_array(x, "x")
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
            values = as_numeric_array(state[name], f"state[{name!r}]")
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


def _check_logits_labels(logits: object, labels: object, function: str) -> tuple[np.ndarray, np.ndarray]:
    scores = as_numeric_array(logits, "logits")
    if scores.ndim != 2 or scores.size == 0:
        raise ValueError(f"{function}: logits must be 2-D (N, classes) and not empty; got shape {scores.shape}")
    if scores.dtype.kind not in "f":
        scores = scores.astype(np.float64)
    targets = as_numeric_array(labels, "labels")
    if targets.dtype.kind not in "iu":
        raise TypeError(f"{function}: labels must be integers (class indices); got dtype {targets.dtype}")
    if targets.shape != (scores.shape[0],):
        raise ValueError(
            f"{function}: labels must be 1-D with one class index per row of logits, shape ({scores.shape[0]},); "
            f"got shape {targets.shape}"
        )
    if targets.min() < 0 or targets.max() >= scores.shape[1]:
        raise ValueError(
            f"{function}: labels must lie in 0..{scores.shape[1] - 1} (logits has {scores.shape[1]} classes); "
            f"got values from {targets.min()} to {targets.max()}"
        )
    return scores, targets


def softmax(logits: object) -> np.ndarray:
    """Row-wise softmax ``exp(z) / sum(exp(z))``, computed stably (the row's maximum is subtracted first).

    Examples
    --------
    >>> softmax(np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]]))
    array([[0.25, 0.75],
           [0.5 , 0.5 ]])
    """
    scores = as_numeric_array(logits, "logits")
    if scores.ndim != 2:
        raise ValueError(f"softmax: logits must be 2-D (N, classes); got shape {scores.shape}")
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits: object, labels: object) -> tuple[float, np.ndarray]:
    """The mean cross-entropy of softmax(logits) against integer labels, and its gradient.

    ``loss = mean over n of (logsumexp(logits[n]) - logits[n, labels[n]])``, equal to
    ``torch.nn.functional.cross_entropy(logits, labels)``; the gradient is
    ``(softmax(logits) - one_hot(labels)) / N``.

    Parameters
    ----------
    logits : array_like, shape (N, classes)
        Unnormalised scores (the last layer's output).
    labels : array_like of int, shape (N,)
        The true class of each row, in ``0..classes-1``.

    Returns
    -------
    loss : float
    grad : numpy.ndarray, shape (N, classes)
        dLoss/dLogits.

    Raises
    ------
    ValueError
        For logits that are not 2-D, labels of the wrong length, or labels out of range.
    TypeError
        For labels that are not integers.

    Examples
    --------
    >>> loss, grad = softmax_cross_entropy(np.array([[0.0, 0.0], [0.0, 0.0]]), np.array([0, 1]))
    >>> round(loss, 6)                        # log 2: a 50/50 guess
    0.693147
    >>> grad
    array([[-0.25,  0.25],
           [ 0.25, -0.25]])
    """
    scores, targets = _check_logits_labels(logits, labels, "softmax_cross_entropy")
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1))
    rows = np.arange(n)
    loss = float(np.mean(log_sum - shifted[rows, targets]))
    grad = np.exp(shifted - log_sum[:, None])
    grad[rows, targets] -= 1.0
    grad /= n
    return loss, grad


def _check_parameters(parameters: object, function: str) -> list[Parameter]:
    if isinstance(parameters, Layer):
        raise TypeError(f"{function}: parameters must be a list of Parameter; pass model.parameters(), not the model")
    try:
        found = list(parameters)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(
            f"{function}: parameters must be an iterable of Parameter; got {type(parameters).__name__}"
        ) from None
    if not found:
        raise ValueError(f"{function}: parameters is empty: nothing to train")
    for index, parameter in enumerate(found):
        if not isinstance(parameter, Parameter):
            raise TypeError(f"{function}: parameters[{index}] must be a Parameter; got {type(parameter).__name__}")
    return found


def _check_rate(value: object, name: str, function: str, low: float, high: float, closed_low: bool) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{function}: {name} must be a number; got {value!r}")
    value = float(value)
    ok = (low <= value if closed_low else low < value) and value < high
    if not ok:
        bracket = "[" if closed_low else "("
        raise ValueError(f"{function}: {name} must be in {bracket}{low:g}, {high:g}); got {value:g}")
    return value


class SGD:
    """Stochastic gradient descent with (heavy-ball) momentum, PyTorch's rule.

    ``velocity = momentum * velocity + grad`` (``velocity = grad`` on the first step), then
    ``data -= lr * velocity``. With ``momentum=0`` it is plain gradient descent.

    Parameters
    ----------
    parameters : iterable of Parameter
        Usually ``model.parameters()``.
    lr : float
        The learning rate, > 0.
    momentum : float
        In [0, 1).

    Examples
    --------
    >>> p = Parameter(np.array([1.0]))
    >>> optimizer = SGD([p], lr=0.1, momentum=0.9)
    >>> p.grad[:] = 1.0
    >>> optimizer.step(); p.data        # 1 - 0.1 * 1
    array([0.9])
    >>> optimizer.step(); p.data        # velocity 0.9 * 1 + 1 = 1.9
    array([0.71])
    """

    def __init__(self, parameters: Iterable[Parameter], lr: float, momentum: float = 0.0) -> None:
        self.parameters = _check_parameters(parameters, "SGD")
        self.lr = _check_rate(lr, "lr", "SGD", 0.0, np.inf, closed_low=False)
        self.momentum = _check_rate(momentum, "momentum", "SGD", 0.0, 1.0, closed_low=True)
        self._velocity: list[np.ndarray | None] = [None] * len(self.parameters)

    def step(self) -> None:
        """Update every parameter in place from its ``grad``."""
        for index, parameter in enumerate(self.parameters):
            grad = parameter.grad
            if self.momentum:
                velocity = self._velocity[index]
                velocity = grad.copy() if velocity is None else self.momentum * velocity + grad
                self._velocity[index] = velocity
                grad = velocity
            parameter.data -= self.lr * grad


class Adam:
    """Adam (Kingma and Ba, 2015), PyTorch's rule without weight decay.

    With ``t`` the step count: ``m = b1*m + (1-b1)*grad``, ``v = b2*v + (1-b2)*grad**2``, then
    ``data -= lr * (m / (1-b1**t)) / (sqrt(v / (1-b2**t)) + eps)``. Every weight gets its own
    step size, which helps when the loss is much steeper along some directions than others.

    Parameters
    ----------
    parameters : iterable of Parameter
    lr : float
        > 0; PyTorch's default is 1e-3.
    betas : (float, float)
        Decay rates of the two averages, each in [0, 1).
    eps : float
        > 0, keeps the division finite.

    Examples
    --------
    >>> p = Parameter(np.array([1.0, -1.0]))
    >>> optimizer = Adam([p], lr=0.1)
    >>> p.grad[:] = [0.5, -2.0]
    >>> optimizer.step(); np.round(p.data, 6)    # the first step moves each weight by lr, whatever |grad|
    array([ 0.9, -0.9])
    """

    def __init__(
        self,
        parameters: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        self.parameters = _check_parameters(parameters, "Adam")
        self.lr = _check_rate(lr, "lr", "Adam", 0.0, np.inf, closed_low=False)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2); got {betas!r}")
        self.betas = (
            _check_rate(betas[0], "betas[0]", "Adam", 0.0, 1.0, closed_low=True),
            _check_rate(betas[1], "betas[1]", "Adam", 0.0, 1.0, closed_low=True),
        )
        self.eps = _check_rate(eps, "eps", "Adam", 0.0, np.inf, closed_low=False)
        self.steps = 0
        self._m = [np.zeros_like(p.data) for p in self.parameters]
        self._v = [np.zeros_like(p.data) for p in self.parameters]

    def step(self) -> None:
        """Update every parameter in place from its ``grad``."""
        self.steps += 1
        beta1, beta2 = self.betas
        correction1 = 1 - beta1**self.steps
        correction2 = 1 - beta2**self.steps
        for parameter, m, v in zip(self.parameters, self._m, self._v):
            grad = parameter.grad
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            denominator = np.sqrt(v) / np.sqrt(correction2) + self.eps
            parameter.data -= (self.lr / correction1) * m / denominator


def model_gradient_errors(
    model: Layer,
    x: object,
    labels: object,
    eps: float = 1e-6,
    *,
    max_entries: int | None = None,
    rng: np.random.Generator | None = None,
) -> dict[str, float]:
    """Check a model's backward pass: each parameter's gradient against centred differences.

    Runs ``model`` forward and backward once on ``(x, labels)`` with
    :func:`softmax_cross_entropy`, then for every parameter computes
    :func:`convlib.numerical_gradient` of the loss and :func:`convlib.relative_error` against
    ``parameter.grad``. Costs two forward passes per weight checked: use a small batch, and
    ``max_entries`` for large parameters. The model's weights are restored afterwards (the
    gradients are left from the analytic pass).

    Parameters
    ----------
    model : Layer
        Usually a :class:`Sequential` ending in class scores.
    x, labels : array_like
        A small batch and its integer labels.
    eps : float
        Step of the centred differences.
    max_entries : int, optional, keyword-only
        Check at most this many entries of each parameter, drawn without replacement by ``rng``
        (a spot check, as is usual for big layers). Default: every entry.
    rng : numpy.random.Generator, keyword-only
        Required with ``max_entries``.

    Returns
    -------
    dict
        Parameter name → relative error. Around 1e-8 or less in float64 means correct. A kink
        (ReLU at exactly 0, a tie in max pooling) crossed by the ``±eps`` step can spoil one
        entry; with real-valued data that is rare.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> model = Sequential(Conv2d(1, 2, 3, rng=rng), ReLU(), MaxPool2d(2), Flatten(), Linear(2, 3, rng=rng))
    >>> errors = model_gradient_errors(model, rng.standard_normal((4, 1, 4, 4)), np.array([0, 1, 2, 0]))
    >>> list(errors), max(errors.values()) < 1e-6
    (['0.weight', '0.bias', '4.weight', '4.bias'], True)
    >>> spot = model_gradient_errors(model, np.ones((1, 1, 4, 4)), [1], max_entries=3, rng=rng)
    >>> max(spot.values()) < 1e-6
    True
    """
    function = "model_gradient_errors"
    if not isinstance(model, Layer):
        raise TypeError(f"{function}: model must be a convlib.nn Layer; got {type(model).__name__}")
    if max_entries is not None:
        max_entries = check_positive_int(max_entries, "max_entries", function)
        rng = _check_rng(rng, function)
    x = as_numeric_array(x, "x").astype(np.float64)
    _, grad = softmax_cross_entropy(model.forward(x), labels)
    model.backward(grad)
    analytic = {name: p.grad.copy() for name, p in model.named_parameters().items()}
    errors = {}
    for name, parameter in model.named_parameters().items():
        saved = parameter.data
        size = saved.size
        if max_entries is None or size <= max_entries:
            chosen = np.arange(size)
        else:
            chosen = np.sort(rng.choice(size, max_entries, replace=False))

        def loss_at(
            values: np.ndarray, parameter: Parameter = parameter, saved: np.ndarray = saved, chosen: np.ndarray = chosen
        ) -> float:
            trial = saved.copy()
            trial.flat[chosen] = values
            parameter.data = trial
            return softmax_cross_entropy(model.forward(x), labels)[0]

        try:
            numeric = numerical_gradient(loss_at, saved.flat[chosen], eps)
        finally:
            parameter.data = saved
        errors[name] = relative_error(analytic[name].flat[chosen], numeric)
    return errors
