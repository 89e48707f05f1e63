"""Input checks shared by every public function, and the dtype policy.

Dtype policy
------------
* Boolean and integer inputs are computed and returned as ``float64``: never
  wrapped, never clipped. (numpy's ``uint8`` arithmetic wraps silently:
  ``np.uint8(200) * 2 == 144``.)
* Floating (and complex) inputs keep their precision: the result has the widest
  floating type among the inputs, so ``float32`` with ``float32`` stays
  ``float32``. An integer operand does not widen a floating one: a ``float32``
  image with an integer kernel gives ``float32``.
* Lists and other array-likes are accepted as ``numpy.asarray`` accepts them.
* Anything that is not numbers (strings, objects, datetimes) is a ``TypeError``.

Every error names the argument, what was expected and what came.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

MODES = ("full", "same", "valid")
METHODS = ("auto", "naive", "direct", "fft")

_NUMERIC_KINDS = "biufc"  # bool, signed int, unsigned int, float, complex


def as_numeric_array(value: object, name: str) -> np.ndarray:
    """Return ``value`` as a numpy array of numbers, or raise ``TypeError``.

    Examples
    --------
    >>> as_numeric_array([1, 2, 3], "signal").dtype.kind
    'i'
    >>> as_numeric_array(["a"], "signal")
    Traceback (most recent call last):
    ...
    TypeError: signal must hold numbers (bool, int or float); got an array of dtype <U1
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of numbers; numpy could not convert it: {error}") from None
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(f"{name} must hold numbers (bool, int or float); got an array of dtype {array.dtype}")
    return array


def check_ndim(array: np.ndarray, name: str, ndim: int, function: str) -> None:
    """Raise ``ValueError`` unless ``array`` has ``ndim`` dimensions and is not empty."""
    if array.ndim != ndim:
        hint = ""
        if ndim == 2 and array.ndim == 3 and array.shape[-1] in (3, 4):
            hint = (
                f" It looks like a colour image of shape {array.shape}: filter each channel "
                f"separately, e.g. np.stack([{function}(img[..., c], kernel) for c in range(3)], axis=-1)."
            )
        elif ndim == 1 and array.ndim == 2:
            hint = " For images use the 2-D functions (convolve2d, correlate2d)."
        raise ValueError(f"{function}: {name} must be {ndim}-D; got {array.ndim}-D data of shape {array.shape}.{hint}")
    if array.size == 0:
        raise ValueError(f"{function}: {name} must not be empty; got shape {array.shape}")


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """The dtype of a result computed from ``arrays``, following the dtype policy.

    Examples
    --------
    >>> result_dtype(np.zeros(2, np.uint8), np.zeros(2, np.int64))
    dtype('float64')
    >>> result_dtype(np.zeros(2, np.float32), np.zeros(2, np.float32))
    dtype('float32')
    >>> result_dtype(np.zeros(2, np.float32), np.zeros(2, np.int64))
    dtype('float32')
    """
    inexact = [a.dtype for a in arrays if a.dtype.kind in "fc"]
    if not inexact:
        return np.dtype(np.float64)
    return np.result_type(*inexact)


def check_choice(value: object, name: str, choices: Iterable[str], function: str) -> str:
    """Raise ``ValueError`` unless ``value`` is one of ``choices``."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{function}: {name} must be one of {listed}; got {value!r}")
    return value


def check_finite(array: np.ndarray, name: str, function: str, reason: str) -> None:
    """Raise ``ValueError`` if ``array`` holds NaN or infinity."""
    if array.dtype.kind in "fc" and not np.all(np.isfinite(array)):
        raise ValueError(f"{function}: {name} contains NaN or infinity; {reason}")


def check_positive_int(value: object, name: str, function: str, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` if it is a whole number >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{function}: {name} must be an integer; got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{function}: {name} must be >= {minimum}; got {value}")
    return int(value)
