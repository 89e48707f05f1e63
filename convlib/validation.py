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

Scalars and flags
-----------------
* One number (a fill value, a rate, a step) goes through :func:`as_real_number`, with its range
  if it has one; ``True`` is not a number there.
* A flag goes through :func:`check_bool`: ``"False"`` would be truthy, so only ``True`` and
  ``False`` (or numpy's) are accepted.

Every error starts with the public function's (or class's) name, then names the argument, what
was expected and what came: ``"conv2d: x must hold numbers ...; got ..."``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

MODES = ("full", "same", "valid")
METHODS = ("auto", "naive", "direct", "fft")

_NUMERIC_KINDS = "biufc"  # bool, signed int, unsigned int, float, complex


def as_numeric_array(value: object, name: str, function: str, allow_complex: bool = False) -> np.ndarray:
    """Return ``value`` as a numpy array of real numbers, or raise ``TypeError`` naming ``name``.

    ``function``, the public function or class whose argument it is, starts the message, so every
    message begins the same way. Complex numbers are refused unless ``allow_complex``
    (correlation conventions differ for them: scipy conjugates the kernel).

    Examples
    --------
    >>> as_numeric_array([1, 2, 3], "signal", "convolve1d").dtype.kind
    'i'
    >>> as_numeric_array(["a"], "signal", "convolve1d")
    Traceback (most recent call last):
    ...
    TypeError: convolve1d: signal must hold numbers (bool, int or float); got an array of dtype <U1
    """
    prefix = f"{function}: "
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


def _describe(value: object) -> str:
    """A short description of ``value`` for an error message: its repr, or an array's shape and dtype."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:50]}... (a {type(value).__name__})"


def _bound(value: float) -> str:
    return f"{value:g}"


def _range_text(low: float | None, high: float | None, closed_low: bool, closed_high: bool) -> str:
    """``"in [0, 1)"``, ``">= 0"``, ``"< 5"``, or ``""`` for no range."""
    if low is not None and high is not None:
        return f"in {'[' if closed_low else '('}{_bound(low)}, {_bound(high)}{']' if closed_high else ')'}"
    if low is not None:
        return f"{'>=' if closed_low else '>'} {_bound(low)}"
    if high is not None:
        return f"{'<=' if closed_high else '<'} {_bound(high)}"
    return ""


def as_real_number(
    value: object,
    name: str,
    function: str,
    *,
    finite: bool = False,
    low: float | None = None,
    high: float | None = None,
    closed_low: bool = True,
    closed_high: bool = True,
    array_like: bool = False,
    note: str = "",
) -> float:
    """Return ``value`` as a Python float if it is one real number (in range, if one is given); else raise.

    The one check for "a single real number" argument. Accepted: Python ``int`` and ``float``, numpy
    integer and floating scalars, and 0-d numeric arrays (as numpy functions return them). Refused
    with ``TypeError``: ``bool`` (``True`` is almost always a slip), complex numbers, strings,
    ``None``, lists, arrays and other objects. Refused with ``ValueError``: NaN or infinity when
    ``finite``, values outside the range, and (with ``array_like``) several numbers where one was due.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, as the caller wrote it (e.g. ``"betas[0]"``).
    function : str
        The public function or class whose argument it is; starts every message.
    finite : bool, keyword-only
        Refuse NaN and infinity. (A range refuses NaN anyway, and a bounded range refuses infinity.)
    low, high : float or None, keyword-only
        The range's ends; ``None`` leaves that side open-ended.
    closed_low, closed_high : bool, keyword-only
        Whether ``low`` (``high``) itself is allowed: ``[low, high)`` is ``closed_high=False``.
    array_like : bool, keyword-only
        For an argument documented as array_like: a list or array of numbers that is not 0-d is a
        ``ValueError`` ("must be a single number", with its shape) rather than a ``TypeError``.
    note : str, keyword-only
        Added to the range error after the expected range, e.g. why the range is what it is.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``value`` is not one real number.
    ValueError
        ``value`` is not finite (with ``finite``), is out of range, or holds several numbers (with ``array_like``).

    Examples
    --------
    >>> as_real_number(2, "fill_value", "pad")
    2.0
    >>> as_real_number(np.float32(0.5), "gate", "ntm_interpolate", low=0, high=1)
    0.5
    >>> as_real_number(None, "fill_value", "pad")
    Traceback (most recent call last):
    ...
    TypeError: pad: fill_value must be a real number; got None
    >>> as_real_number(1.0, "momentum", "SGD", low=0, high=1, closed_high=False)
    Traceback (most recent call last):
    ...
    ValueError: SGD: momentum must be in [0, 1); got 1.0
    >>> as_real_number(float("nan"), "min_seconds", "median_time", finite=True, low=0)
    Traceback (most recent call last):
    ...
    ValueError: median_time: min_seconds must be finite and >= 0; got nan
    >>> as_real_number(np.ones(3), "f(x)", "numerical_gradient", array_like=True)
    Traceback (most recent call last):
    ...
    ValueError: numerical_gradient: f(x) must be a single number; got an array of shape (3,)
    """
    if array_like and not isinstance(value, (str, bytes)):
        try:
            array = np.asarray(value)
        except (TypeError, ValueError):  # ragged: not a number, refused below
            array = None
        if array is not None and array.ndim != 0 and array.dtype.kind in "iuf":  # numbers, but not one
            kind = "an array" if isinstance(value, np.ndarray) else f"a {type(value).__name__}"
            raise ValueError(f"{function}: {name} must be a single number; got {kind} of shape {array.shape}")
    number = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value  # a 0-d array's scalar
    if isinstance(number, (bool, np.bool_)) or not isinstance(number, (int, float, np.integer, np.floating)):
        raise TypeError(f"{function}: {name} must be a real number; got {_describe(value)}")
    try:
        result = float(number)
    except OverflowError:  # a Python int beyond float's range
        bits = int(number).bit_length()
        raise ValueError(
            f"{function}: {name} must fit a float (below 1.8e308); got an integer of {bits} bits"
        ) from None
    excludes_infinity = (low is not None and (low > -np.inf or not closed_low)) and (
        high is not None and (high < np.inf or not closed_high)
    )
    in_range = (low is None or (result >= low if closed_low else result > low)) and (
        high is None or (result <= high if closed_high else result < high)
    )
    if in_range and (np.isfinite(result) or not finite):
        return result
    expected = _range_text(low, high, closed_low, closed_high)
    if finite and not excludes_infinity:
        expected = f"finite and {expected}" if expected else "a finite number"
    suffix = f" {note}" if note else ""
    raise ValueError(f"{function}: {name} must be {expected}{suffix}; got {result!r}")


def check_bool(value: object, name: str, function: str) -> bool:
    """Return ``value`` as a Python ``bool`` if it is one (``numpy.bool_`` too); else ``TypeError``.

    A flag must be a real bool: ``"False"`` or ``"no"`` would be truthy, and ``0``/``1`` are
    usually a slip for another argument.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name.
    function : str
        The public function or class whose argument it is; starts the message.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        ``value`` is not ``True``, ``False``, ``numpy.True_`` or ``numpy.False_``.

    Examples
    --------
    >>> check_bool(np.True_, "gray", "load_image")
    True
    >>> check_bool("False", "gray", "load_image")
    Traceback (most recent call last):
    ...
    TypeError: load_image: gray must be True or False; got 'False' of type str
    """
    if not isinstance(value, (bool, np.bool_)):
        kind = "" if isinstance(value, np.ndarray) else f" of type {type(value).__name__}"
        raise TypeError(f"{function}: {name} must be True or False; got {_describe(value)}{kind}")
    return bool(value)


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
