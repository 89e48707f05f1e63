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

from convlib.validation import as_numeric_array


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
    function = "numerical_gradient"
    if not callable(f):
        raise TypeError(f"{function}: f must be a callable returning a scalar; got {type(f).__name__}")
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.integer, np.floating)):
        raise TypeError(f"{function}: eps must be a positive number; got {eps!r}")
    if not eps > 0:
        raise ValueError(f"{function}: eps must be > 0; got {eps}")
    point = _real_point(x, function)  # a copy: x is never modified
    grad = np.zeros_like(point)
    flat_point, flat_grad = point.reshape(-1), grad.reshape(-1)  # views of the same memory
    for i in range(flat_point.size):
        saved = flat_point[i]
        flat_point[i] = saved + eps
        above = _scalar(f(point), function)
        flat_point[i] = saved - eps
        below = _scalar(f(point), function)
        flat_point[i] = saved
        flat_grad[i] = (above - below) / (2 * eps)
    return grad


def _real_point(x: object, function: str) -> np.ndarray:
    """``x`` as a new float64 array; ``TypeError`` for non-numeric or complex data."""
    point = as_numeric_array(x, "x", allow_complex=True)  # refused below, with advice
    if point.dtype.kind == "c":
        raise TypeError(f"{function}: x must be real; got dtype {point.dtype}")
    return point.astype(np.float64)


def _scalar(value: object, function: str) -> float:
    array = np.asarray(value)
    if array.ndim != 0:
        raise ValueError(f"{function}: f must return a scalar; got an array of shape {array.shape}")
    return float(array)


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
    a = as_numeric_array(analytic, "analytic")
    b = as_numeric_array(numeric, "numeric")
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
    point = _real_point(x, "gradient_check")
    analytic = np.asarray(grad_f(point.copy()))
    if analytic.shape != point.shape:
        raise ValueError(f"gradient_check: grad_f(x) must have x's shape {point.shape}; got {analytic.shape}")
    return relative_error(analytic, numerical_gradient(f, point, eps))
