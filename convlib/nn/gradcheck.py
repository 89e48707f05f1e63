"""Check an analytic gradient against a numerical one (centred differences).

For a scalar function ``f`` of an array ``x``, the centred difference

    (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)

approximates the partial derivative along element ``i`` with an error of order ``eps**2``
(plus rounding, of order ``|f| * 1e-16 / eps``); ``eps = 1e-6`` balances the two in float64.
It costs two calls of ``f`` per element: use small arrays.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.nn.layers import Layer, Parameter, _check_rng
from convlib.nn.losses import softmax_cross_entropy
from convlib.validation import as_numeric_array, as_real_number, check_positive_int, errors_named


def numerical_gradient(f: Callable[[np.ndarray], float], x: object, eps: float = 1e-6) -> np.ndarray:
    """The gradient of a scalar function ``f`` at ``x``, by centred differences.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a scalar (a Python or numpy number, or a
        0-d array).
    x : array_like, any shape
        Where to differentiate. Computed in float64 whatever its dtype (float32 differences with
        ``eps = 1e-6`` would be mostly rounding); ``x`` itself is never modified.
    eps : float
        The step, > 0.

    Returns
    -------
    numpy.ndarray, float64, shape of ``x``
        ``grad[i] = (f(x + eps*e_i) - f(x - eps*e_i)) / (2*eps)``.

    Examples
    --------
    >>> grad = numerical_gradient(lambda v: np.sum(v**2), np.array([1.0, -2.0, 3.0]))
    >>> np.round(grad, 6)
    array([ 2., -4.,  6.])
    """
    return _numerical_gradient(f, x, eps, "numerical_gradient")


def _numerical_gradient(f: object, x: object, eps: object, function: str) -> np.ndarray:
    """:func:`numerical_gradient`, its errors named after ``function`` (the public function called)."""
    if not callable(f):
        raise TypeError(f"{function}: f must be a callable returning a scalar; got {type(f).__name__}")
    eps = as_real_number(eps, "eps", function, finite=True, low=0, closed_low=False)
    point = _real_point(x, function)  # a copy: x is never modified
    grad = np.zeros_like(point)
    flat_point, flat_grad = point.reshape(-1), grad.reshape(-1)  # views of the same memory
    for i in range(flat_point.size):
        saved = flat_point[i]
        flat_point[i] = saved + eps
        above = as_real_number(f(point), "f(x)", function, array_like=True)
        flat_point[i] = saved - eps
        below = as_real_number(f(point), "f(x)", function, array_like=True)
        flat_point[i] = saved
        flat_grad[i] = (above - below) / (2 * eps)
    return grad


def _real_point(x: object, function: str) -> np.ndarray:
    """``x`` as a new float64 array; ``TypeError`` for non-numeric or complex data."""
    point = as_numeric_array(x, "x", function, allow_complex=True)  # refused below, with advice
    if point.dtype.kind == "c":
        raise TypeError(f"{function}: x must be real; got dtype {point.dtype}")
    return point.astype(np.float64)


def relative_error(analytic: object, numeric: object) -> float:
    """The largest difference between two gradients, relative to their size.

    ``max|a - b| / max(max|a|, max|b|)``: the largest element-wise difference divided by the
    largest magnitude in either gradient (0.0 when both are all zeros). Dividing each element by
    its own size instead would blow up where a true derivative is zero and the numerical one is
    rounding noise.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.002])
    0.000999...
    >>> relative_error([0.0, 0.0], [0.0, 0.0])
    0.0
    """
    a = as_numeric_array(analytic, "analytic", "relative_error")
    b = as_numeric_array(numeric, "numeric", "relative_error")
    a, b = (v.astype(np.result_type(a, b, np.float64)) for v in (a, b))
    if a.shape != b.shape:
        raise ValueError(f"relative_error: analytic has shape {a.shape} but numeric has shape {b.shape}")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    if scale == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / scale)


def gradient_check(
    f: Callable[[np.ndarray], float],
    grad_f: Callable[[np.ndarray], np.ndarray],
    x: object,
    eps: float = 1e-6,
) -> float:
    """Compare an analytic gradient ``grad_f(x)`` with the centred-difference gradient of ``f``.

    Parameters
    ----------
    f : callable
        Scalar function of an array shaped like ``x``.
    grad_f : callable
        Its claimed gradient: returns an array shaped like ``x``.
    x : array_like
        The point to check at (work in float64).
    eps : float
        Step of :func:`numerical_gradient`.

    Returns
    -------
    float
        :func:`relative_error` of the two: ``max|analytic - numeric| / max(max|analytic|,
        max|numeric|)``. In float64 a correct gradient gives about 1e-8 or less; an error of
        1e-2 or more means a bug.

    Examples
    --------
    >>> x = np.array([0.5, -1.0, 2.0])
    >>> gradient_check(lambda v: np.sum(np.sin(v)), np.cos, x) < 1e-8
    True
    >>> gradient_check(lambda v: np.sum(np.sin(v)), np.sin, x) > 0.1   # the wrong derivative
    True
    """
    function = "gradient_check"
    point = _real_point(x, function)
    if not callable(grad_f):
        raise TypeError(f"{function}: grad_f must be a callable returning an array; got {type(grad_f).__name__}")
    analytic = as_numeric_array(grad_f(point.copy()), "grad_f(x)", function)
    if analytic.shape != point.shape:
        raise ValueError(f"{function}: grad_f(x) must have x's shape {point.shape}; got {analytic.shape}")
    return relative_error(analytic, _numerical_gradient(f, point, eps, function))


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
    >>> from convlib.nn import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential
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
    x = as_numeric_array(x, "x", function).astype(np.float64)
    with errors_named(function):  # the model's and the loss's messages, after this function's name
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
            numeric = _numerical_gradient(loss_at, saved.flat[chosen], eps, function)
        finally:
            parameter.data = saved
        errors[name] = relative_error(analytic[name].flat[chosen], numeric)
    return errors
