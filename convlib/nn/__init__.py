"""Convolutional networks in numpy, forward and backward, equal to PyTorch's.

==============================  ==============================================================
module                          what it holds
==============================  ==============================================================
:mod:`~.functional`             ``conv2d``, ``conv_transpose2d``, ``max_pool2d``, ``avg_pool2d``
                                and their backward passes (``torch.nn.functional``)
:mod:`~.layers`                 ``Parameter`` and the layers: ``Conv2d``, ``ReLU``,
                                ``MaxPool2d``, ``Flatten``, ``Linear``, ``Sequential``
:mod:`~.losses`                 ``softmax`` and ``softmax_cross_entropy``
:mod:`~.optim`                  ``SGD`` and ``Adam`` (``torch.optim``)
:mod:`~.gradcheck`              numerical gradients and the check of a backward pass
:mod:`~.training`               one step, one epoch, accuracy, a whole training run
==============================  ==============================================================

Every name above is importable from ``convlib.nn``, e.g. ``from convlib.nn import Conv2d, SGD``.
"""

from convlib.nn import functional
from convlib.nn.functional import conv_transpose2d_backward
from convlib.nn.gradcheck import gradient_check, model_gradient_errors, numerical_gradient, relative_error
from convlib.nn.layers import Conv2d, Flatten, Layer, Linear, MaxPool2d, Parameter, ReLU, Sequential
from convlib.nn.losses import softmax, softmax_cross_entropy
from convlib.nn.optim import SGD, Adam

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
    "conv_transpose2d_backward",
    "functional",
    "gradient_check",
    "model_gradient_errors",
    "numerical_gradient",
    "relative_error",
    "softmax",
    "softmax_cross_entropy",
]
