"""Input checks shared by every public function, and the dtype policy.

Dtype policy
------------
* Boolean and integer inputs are computed and returned as ``float64``: never
  wrapped, never clipped. (numpy's ``uint8`` arithmetic wraps silently:
  ``np.uint8(200) * 2 == 144``.)
* Floating inputs keep their precision: the result has the widest floating type
  among the inputs, so ``float32`` with ``float32`` stays ``float32``. An integer
  operand does not widen a floating one: a ``float32`` image with an integer
  kernel gives ``float32`` (but ``float16`` with an integer becomes ``float32``,
  so that integers above 2048 are not rounded).
* Lists and other array-likes are accepted as ``numpy.asarray`` accepts them.
* Anything that is not real numbers (strings, objects, datetimes) is a
  ``TypeError``; so is complex data, except where a function says it takes it
  (``circular_convolve``): conventions differ for it (scipy's correlation
  conjugates the kernel).

Every error names the argument, what was expected and what came.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

MODES = ("full", "same", "valid")
METHODS = ("auto", "naive", "direct", "fft")

_NUMERIC_KINDS = "biufc"  # bool, signed int, unsigned int, float, complex


def as_numeric_array(value: object, name: str, function: str = "", allow_complex: bool = False) -> np.ndarray:
    """Return ``value`` as a numpy array of real numbers, or raise ``TypeError`` naming ``name``.

    ``function``, when given, starts the message. Complex numbers are refused unless
    ``allow_complex`` (correlation conventions differ for them: scipy conjugates the kernel).

    Examples
    --------
    >>> as_numeric_array([1, 2, 3], "signal").dtype.kind
    'i'
    >>> as_numeric_array(["a"], "signal", "convolve1d")
    Traceback (most recent call last):
    ...
    TypeError: convolve1d: signal must hold numbers (bool, int or float); got an array of dtype <U1
    """
    prefix = f"{function}: " if function else ""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged lists and the like
        raise TypeError(f"{prefix}{name} must be an array of numbers; numpy could not convert it: {error}") from None
    if array.dtype.kind == "O" and array.size and all(isinstance(v, int) for v in array.flat):
        raise TypeError(f"{prefix}{name} holds integers too large for int64; convert them to float first")
    if array.dtype.kind == "c" and not allow_complex:
        raise TypeError(f"{prefix}{name} must be real numbers; got complex data of dtype {array.dtype}")
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(f"{prefix}{name} must hold numbers (bool, int or float); got an array of dtype {array.dtype}")
    return array


def as_real_number(value: object, name: str, function: str) -> float:
    """Return ``value`` as a finite or infinite Python float if it is one real number, else ``TypeError``.

    Examples
    --------
    >>> as_real_number(2, "fill_value", "pad")
    2.0
    >>> as_real_number(None, "fill_value", "pad")
    Traceback (most recent call last):
    ...
    TypeError: pad: fill_value must be a real number; got None
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{function}: {name} must be a real number; got {value!r}")
    return float(value)


def all_finite(array: np.ndarray) -> bool:
    """True if ``array`` holds no NaN or infinity. One cheap reduction first; the exact check only if it fails.

    Examples
    --------
    >>> all_finite(np.array([1.0, np.nan])), all_finite(np.arange(3))
    (False, True)
    """
    if array.dtype.kind not in "fc":
        return True
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.add.reduce(array, axis=None)):  # NaN and inf survive a sum; overflow is re-checked
            return True
    return bool(np.all(np.isfinite(array)))


def check_ndim(array: np.ndarray, name: str, ndim: int, function: str) -> None:
    """Raise ``ValueError`` unless ``array`` has ``ndim`` dimensions and is not empty."""
    if array.ndim != ndim:
        hint = ""
        if ndim == 2 and name == "image" and array.ndim == 3 and array.shape[-1] in (3, 4):
            channels = array.shape[-1]
            hint = (
                f" It looks like a colour image of shape {array.shape}: filter each channel separately, e.g. "
                f"np.stack([{function}(img[..., c], kernel) for c in range({channels})], axis=-1)."
            )
        elif ndim == 2 and name == "image" and array.ndim == 3 and array.shape[0] in (3, 4):
            hint = f" For a channels-first image of shape {array.shape}, filter each img[c] separately."
        elif ndim == 1 and array.ndim == 2 and function in ("convolve1d", "correlate1d"):
            hint = " For images use the 2-D functions (convolve2d, correlate2d)."
        elif ndim == 2 and array.ndim == 1 and function in ("convolve2d", "correlate2d"):
            hint = " For signals use the 1-D functions (convolve1d, correlate1d)."
        raise ValueError(f"{function}: {name} must be {ndim}-D; got {array.ndim}-D data of shape {array.shape}.{hint}")
    if array.size == 0:
        raise ValueError(f"{function}: {name} must not be empty; got shape {array.shape}")


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """The dtype of a result computed from ``arrays``, following the dtype policy.

    Half precision is raised to ``float32`` when an integer operand is present, so that integers
    above 2048 are not rounded.

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
    dtype = np.result_type(*inexact)
    if dtype == np.float16 and len(inexact) < len(arrays):
        return np.dtype(np.float32)
    return dtype


def check_choice(value: object, name: str, choices: Iterable[str], function: str) -> str:
    """Raise ``ValueError`` unless ``value`` is one of ``choices``."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{function}: {name} must be one of {listed}; got {value!r}")
    return value


def check_finite(array: np.ndarray, name: str, function: str, reason: str) -> None:
    """Raise ``ValueError`` if ``array`` holds NaN or infinity."""
    if not all_finite(array):
        raise ValueError(f"{function}: {name} contains NaN or infinity; {reason}")


def check_positive_int(value: object, name: str, function: str, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` if it is a whole number >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{function}: {name} must be an integer; got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{function}: {name} must be >= {minimum}; got {value}")
    return int(value)
