"""Optimisers with PyTorch's update rules: SGD with (heavy-ball) momentum, and Adam.

Each holds the :class:`~convlib.nn.layers.Parameter` objects it updates and changes their ``data``
in place from their ``grad`` on every ``step()``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from convlib.nn.layers import Layer, Parameter
from convlib.validation import as_real_number

__all__ = ["SGD", "Adam"]


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


def _positive(value: object, name: str, function: str) -> float:
    """A number in ``(0, inf)``: a learning rate or an epsilon."""
    return as_real_number(value, name, function, low=0, high=np.inf, closed_low=False, closed_high=False)


def _decay(value: object, name: str, function: str) -> float:
    """A number in ``[0, 1)``: a momentum or a decay rate."""
    return as_real_number(value, name, function, low=0, high=1, closed_high=False)


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
        self.lr = _positive(lr, "lr", "SGD")
        self.momentum = _decay(momentum, "momentum", "SGD")
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
        self.lr = _positive(lr, "lr", "Adam")
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2); got {betas!r}")
        self.betas = (
            _decay(betas[0], "betas[0]", "Adam"),
            _decay(betas[1], "betas[1]", "Adam"),
        )
        self.eps = _positive(eps, "eps", "Adam")
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
