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

Memory
------
* Where an array's size comes from arguments (a padding, a stride, a kernel's size, a matrix's
  shape), the size is checked against :data:`MAX_ARRAY_BYTES` (4 GiB unless changed) *before*
  anything is allocated, by :func:`check_allocation`: ``pad``, the convolution functions, im2col,
  col2im and the layers built on them, the dense matrices, the moving-average explorer. A size that
  would need more is a ``ValueError`` that names the argument responsible and the memory the call
  would need (``pad(x, 10**6)`` asks for terabytes: it is refused at once instead of failing after
  minutes, or making the machine swap). Raise the limit for a larger machine:
  ``convlib.validation.MAX_ARRAY_BYTES = 16 * 2**30``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np
from numpy.typing import DTypeLike

MODES = ("full", "same", "valid")
METHODS = ("auto", "naive", "direct", "fft")

#: The largest array, in bytes, that a convlib function allocates (4 GiB); :func:`check_allocation`
#: refuses larger ones up front. Read at every call: set it (or monkeypatch it in a test) to change it.
MAX_ARRAY_BYTES = 4 * 2**30

_BYTE_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB")

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
    if getattr(value, "requires_grad", False) is True:  # a torch tensor in an autograd graph: numpy() raises
        raise TypeError(
            f"{prefix}{name} is a torch tensor that requires grad; numpy cannot read it: pass {name}.detach() "
            f"(or {name}.detach().numpy()); got a tensor of shape {tuple(value.shape)}"
        )
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, RuntimeError) as error:  # ragged lists; objects whose __array__ fails
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
        except (TypeError, ValueError, RuntimeError):  # ragged, or a tensor that requires grad: refused below
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


def accumulation_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype sums are accumulated in: ``float64`` for ``float16`` (whose sums stop growing at 2048), else ``dtype``.

    Examples
    --------
    >>> accumulation_dtype(np.dtype(np.float16)), accumulation_dtype(np.dtype(np.float32))
    (dtype('float64'), dtype('float32'))
    """
    return np.dtype(np.float64) if dtype == np.float16 else np.dtype(dtype)


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


#: The largest size or count :func:`check_positive_int` accepts: numpy indexes with int64.
MAX_INT = int(np.iinfo(np.int64).max)


def check_positive_int(value: object, name: str, function: str, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` if it is a whole number in ``[minimum, 2**63 - 1]``; else raise.

    Accepted: Python and numpy integers, and 0-d integer arrays (as numpy reductions return them).
    ``TypeError`` for anything else (``bool``, floats, strings, ``None``, longer arrays); ``ValueError``
    below ``minimum`` or beyond int64 (numpy could not index with it).

    Examples
    --------
    >>> check_positive_int(np.array(3), "stride", "conv2d")
    3
    >>> check_positive_int(2.0, "stride", "conv2d")
    Traceback (most recent call last):
    ...
    TypeError: conv2d: stride must be an integer; got 2.0 of type float
    """
    number = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value  # a 0-d array's scalar
    if isinstance(number, (bool, np.bool_)) or not isinstance(number, (int, np.integer)):
        kind = "" if isinstance(value, np.ndarray) else f" of type {type(value).__name__}"
        raise TypeError(f"{function}: {name} must be an integer; got {_describe(value)}{kind}")
    number = int(number)
    if number < minimum:
        raise ValueError(f"{function}: {name} must be >= {minimum}; got {number}")
    if number > MAX_INT:
        raise ValueError(f"{function}: {name} must be at most 2**63 - 1 (numpy's int64); got {number}")
    return number


def as_shape(value: object, name: str, function: str, *, allow_int: bool = True, minimum: int = 1) -> tuple[int, ...]:
    """Return a shape, a tuple of whole numbers >= ``minimum``, from a sequence of them (or one, if ``allow_int``).

    Accepted: a tuple, list or 1-D array of integers, and (with ``allow_int``) one integer, which is the shape
    ``(n,)``. ``TypeError`` for anything else (``None``, strings, ``bool``, floats); the entries go through
    :func:`check_positive_int`, named ``name[k]``.

    Examples
    --------
    >>> as_shape((np.int64(3), 4), "input_shape", "col2im"), as_shape(np.array(5), "input_shape", "f")
    ((3, 4), (5,))
    >>> as_shape(None, "input_shape", "col2im")
    Traceback (most recent call last):
    ...
    TypeError: col2im: input_shape must be an int or a tuple of ints; got None
    """
    number = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
    if allow_int and isinstance(number, (int, np.integer)) and not isinstance(number, (bool, np.bool_)):
        return (check_positive_int(number, f"{name}[0]", function, minimum),)
    if not isinstance(value, (tuple, list, np.ndarray)) or (isinstance(value, np.ndarray) and value.ndim != 1):
        expected = "an int or a tuple of ints" if allow_int else "a tuple of ints"
        raise TypeError(f"{function}: {name} must be {expected}; got {_describe(value)}")
    return tuple(check_positive_int(n, f"{name}[{k}]", function, minimum) for k, n in enumerate(value))


@contextmanager
def errors_named(function: str) -> Iterator[None]:
    """Inside, a ``ValueError``/``TypeError`` whose message does not start with ``function`` gets it prepended.

    For a public function that calls others (``ntm_address`` calls ``ntm_sharpen``, ``gradient_check`` calls
    ``f``): the message then starts with the function the user called, and keeps the inner one's name
    (``"ntm_address: ntm_sharpen: gamma must be ..."``). Other exceptions pass unchanged.

    Examples
    --------
    >>> with errors_named("ntm_address"):
    ...     raise ValueError("ntm_sharpen: gamma must be >= 1; got 0.5")
    Traceback (most recent call last):
    ...
    ValueError: ntm_address: ntm_sharpen: gamma must be >= 1; got 0.5
    """
    try:
        yield
    except (ValueError, TypeError) as error:
        message = str(error)
        if message.startswith(f"{function}: "):
            raise
        kind = TypeError if isinstance(error, TypeError) else ValueError
        raise kind(f"{function}: {message}") from error


def format_bytes(count: int) -> str:
    """A byte count for a person to read, in binary units: ``"512 bytes"``, ``"4 GiB"``, ``"29.1 TiB"``.

    Parameters
    ----------
    count : int
        A number of bytes, >= 0 (a Python int: any size).

    Returns
    -------
    str
        Three significant digits and the largest unit (KiB = 1024 bytes, ..., YiB) that keeps the
        number at least 1.

    Examples
    --------
    >>> format_bytes(512), format_bytes(4 * 2**30), format_bytes(2000001**2 * 8)
    ('512 bytes', '4 GiB', '29.1 TiB')
    >>> format_bytes(10**30)
    '827180 YiB'
    """
    count = int(count)
    if count < 1024:
        return f"{count} bytes"
    exponent = min(len(_BYTE_UNITS), (count.bit_length() - 1) // 10)  # 1 for KiB, ...
    whole = count >> (10 * exponent)
    text = f"{count / 2 ** (10 * exponent):.3g}" if whole < 1000 else str(whole)  # no float overflow
    return f"{text} {_BYTE_UNITS[exponent - 1]}"


def check_allocation(
    shape: int | Iterable[int], dtype: DTypeLike, function: str, what: str | Callable[[], str], *, hint: str = ""
) -> int:
    """Return the bytes of an array of ``shape`` and ``dtype``; ``ValueError`` if above :data:`MAX_ARRAY_BYTES`.

    Call it *before* allocating an array whose size comes from arguments (a padding, a stride, a
    kernel's size): a size that would need far more memory than a machine has is then refused at
    once, with a message that says which argument asked for how much, instead of a ``MemoryError``
    (or minutes of swapping) later. The size is computed with Python ints, so it cannot overflow;
    the check is a few multiplications.

    Parameters
    ----------
    shape : int or iterable of int
        The array's shape, or its number of elements. Sizes >= 0.
    dtype : data-type
        The array's dtype (its ``itemsize`` counts).
    function : str
        The public function or class that would allocate it; starts the message.
    what : str or callable
        The argument(s) responsible and their values, as the message's subject: the message reads
        ``"{function}: {what} would make an array of {size} ({shape} {dtype}); the limit is ..."``.
        A callable returning it is called only when refusing (no formatting on the common path).
    hint : str, keyword-only
        Appended to the message (e.g. ``"; pass sparse=True"``).

    Returns
    -------
    int
        The array's size in bytes.

    Raises
    ------
    ValueError
        If that is more than :data:`MAX_ARRAY_BYTES`.

    Examples
    --------
    >>> check_allocation((512, 512), np.float64, "pad", "pad_width 0")
    2097152
    >>> check_allocation((2000001, 2000001), np.float64, "pad", "pad_width 1000000")
    Traceback (most recent call last):
    ...
    ValueError: pad: pad_width 1000000 would make an array of 29.1 TiB (2000001 x 2000001 float64); the limit ...
    >>> check_allocation(10**9, "float32", "MovingAverageExplorer", "width 1000000000")
    4000000000
    """
    dtype = np.dtype(dtype)
    dims = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)
    nbytes = math.prod(dims) * dtype.itemsize
    limit = MAX_ARRAY_BYTES
    if nbytes <= limit:
        return nbytes
    what = what() if callable(what) else what
    layout = f"{dims[0]} {dtype.name} values" if len(dims) == 1 else f"{' x '.join(map(str, dims))} {dtype.name}"
    raise ValueError(
        f"{function}: {what} would make an array of {format_bytes(nbytes)} ({layout}); the limit is "
        f"{format_bytes(limit)} (convlib.validation.MAX_ARRAY_BYTES){hint}"
    )
