"""Padding: what a filter sees beyond the border, and what each library calls it.

convlib uses ``numpy.pad``'s names for the five border modes. Padding
``[1, 2, 3, 4]`` by two samples on each side::

    constant   0 0 | 1 2 3 4 | 0 0    (filled with ``fill_value``)
    edge       1 1 | 1 2 3 4 | 4 4
    reflect    3 2 | 1 2 3 4 | 3 2    (the edge sample is not repeated)
    symmetric  2 1 | 1 2 3 4 | 4 3    (the edge sample is repeated)
    wrap       3 4 | 1 2 3 4 | 1 2    (periodic, as in circular convolution)

Other libraries use other words, and the same word can mean different things:
scipy.ndimage's ``"reflect"`` is numpy's ``"symmetric"``, and OpenCV's
``BORDER_REFLECT`` is numpy's ``"symmetric"`` too. :data:`MODE_NAMES` is the
table, and :func:`translate_mode` reads it.
"""

from __future__ import annotations

import numpy as np

from convlib.validation import as_numeric_array, as_real_number, check_allocation

PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")

LIBRARIES = ("convlib", "numpy", "scipy.ndimage", "scipy.signal", "torch", "torch.Conv2d", "opencv", "pillow")

#: Each border concept (convlib's name) and what each library calls it; ``None`` where the
#: library has no such mode. ``"torch"`` is ``torch.nn.functional.pad``'s ``mode``,
#: ``"torch.Conv2d"`` is ``torch.nn.Conv2d``'s ``padding_mode``, ``"scipy.signal"`` is
#: ``scipy.signal.convolve2d``'s ``boundary``, ``"opencv"`` the ``cv2.BORDER_*`` constant.
#: Pillow's ``ImageFilter.Kernel`` does no padding at all: it leaves the border pixels unfiltered.
MODE_NAMES: dict[str, dict[str, str | None]] = {
    "constant": {
        "convlib": "constant", "numpy": "constant", "scipy.ndimage": "constant",
        "scipy.signal": "fill", "torch": "constant", "torch.Conv2d": "zeros",
        "opencv": "BORDER_CONSTANT", "pillow": None,
    },
    "edge": {
        "convlib": "edge", "numpy": "edge", "scipy.ndimage": "nearest",
        "scipy.signal": None, "torch": "replicate", "torch.Conv2d": "replicate",
        "opencv": "BORDER_REPLICATE", "pillow": None,
    },
    "reflect": {
        "convlib": "reflect", "numpy": "reflect", "scipy.ndimage": "mirror",
        "scipy.signal": None, "torch": "reflect", "torch.Conv2d": "reflect",
        "opencv": "BORDER_REFLECT_101", "pillow": None,
    },
    "symmetric": {
        "convlib": "symmetric", "numpy": "symmetric", "scipy.ndimage": "reflect",
        "scipy.signal": "symm", "torch": None, "torch.Conv2d": None,
        "opencv": "BORDER_REFLECT", "pillow": None,
    },
    "wrap": {
        "convlib": "wrap", "numpy": "wrap", "scipy.ndimage": "wrap",
        "scipy.signal": "wrap", "torch": "circular", "torch.Conv2d": "circular",
        "opencv": "BORDER_WRAP", "pillow": None,
    },
}  # fmt: skip

# Other spellings people bring from elsewhere, for the error message only.
_OTHER_SPELLINGS = {
    "zero": "constant", "zeros": "constant", "fill": "constant", "grid-constant": "constant",
    "border_constant": "constant", "replicate": "edge", "nearest": "edge", "clamp": "edge",
    "border_replicate": "edge", "mirror": "reflect", "reflect101": "reflect",
    "reflect_101": "reflect", "border_reflect_101": "reflect", "border_reflect101": "reflect",
    "border_default": "reflect", "symm": "symmetric", "grid-mirror": "symmetric",
    "border_reflect": "symmetric", "half-sample symmetric": "symmetric", "circular": "wrap",
    "periodic": "wrap", "circ": "wrap", "grid-wrap": "wrap", "border_wrap": "wrap",
}  # fmt: skip


def check_boundary(boundary: object, function: str = "pad", name: str = "boundary") -> str:
    """Return ``boundary`` if it is one of :data:`PAD_MODES`, else raise a helpful ``ValueError``.

    Examples
    --------
    >>> check_boundary("wrap")
    'wrap'
    >>> check_boundary("circular")
    Traceback (most recent call last):
    ...
    ValueError: pad: boundary must be one of ... got 'circular', which is ... convlib's 'wrap': use boundary='wrap'
    """
    if isinstance(boundary, str) and boundary in PAD_MODES:
        return boundary
    listed = ", ".join(repr(m) for m in PAD_MODES)
    message = f"{function}: {name} must be one of {listed} (numpy.pad's names); got {boundary!r}"
    if isinstance(boundary, str):
        key = boundary.strip().lower().removeprefix("cv2.")
        same = key if key in PAD_MODES else _OTHER_SPELLINGS.get(key)
        if same is not None and same == key:
            message += f" (names are lower case): use {name}={same!r}"
        elif same is not None:
            message += f", which is what another library calls convlib's {same!r}: use {name}={same!r}"
    raise ValueError(message)


def translate_mode(name: str, source: str = "numpy", target: str = "convlib") -> str | None:
    """Translate a border-mode name from one library's vocabulary to another's.

    Parameters
    ----------
    name : str
        The mode's name in ``source``'s vocabulary (OpenCV names with or without ``cv2.``).
    source, target : str
        One of :data:`LIBRARIES`.

    Returns
    -------
    str or None
        ``target``'s name for the same border rule, or ``None`` when ``target`` has no such mode.

    Examples
    --------
    >>> translate_mode("symmetric", source="numpy", target="scipy.ndimage")
    'reflect'
    >>> translate_mode("reflect", source="scipy.ndimage", target="opencv")
    'BORDER_REFLECT'
    >>> translate_mode("edge", source="numpy", target="scipy.signal") is None
    True
    """
    for argument, value in (("source", source), ("target", target)):
        if not isinstance(value, str) or value not in LIBRARIES:
            listed = ", ".join(map(repr, LIBRARIES))
            raise ValueError(f"translate_mode: {argument} must be one of {listed}; got {value!r}")
    if isinstance(name, str):
        key = name.removeprefix("cv2.")
        for names in MODE_NAMES.values():
            if names[source] is not None and names[source] == key:
                return names[target]
    known = [names[source] for names in MODE_NAMES.values() if names[source] is not None]
    raise ValueError(
        f"translate_mode: name must be a mode of {source}, one of {', '.join(map(repr, known))}; got {name!r}"
    )


def _fill_value(value: object, dtype: np.dtype) -> int | float | bool:
    """``value`` as one number that ``dtype`` holds exactly (or, for floats, without overflow); else an error.

    numpy would cast silently: ``-1`` into ``uint8`` becomes 255, ``300.7`` becomes 44, ``0.5`` into an
    integer array becomes 0, and ``2`` into a bool array becomes ``True``.
    """
    number = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
    if dtype.kind == "b":
        if isinstance(number, (bool, np.bool_)):
            return bool(number)
        as_real_number(value, "fill_value", "pad", array_like=True)  # a TypeError for what is not a number
        if number in (0, 1):
            return bool(number)
        raise ValueError(f"pad: fill_value must be 0, 1, True or False for an array of dtype bool; got {number!r}")
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        expected = f"a whole number in [{info.min}, {info.max}] to fit the array's dtype {dtype}"
        if isinstance(number, (int, np.integer)) and not isinstance(number, (bool, np.bool_)):
            whole = int(number)  # exact, also beyond float's 53 bits or range
        else:
            real = as_real_number(value, "fill_value", "pad", array_like=True)
            if not real.is_integer():  # also NaN and infinity
                raise ValueError(f"pad: fill_value must be {expected}; got {real!r}")
            whole = int(real)
        if not info.min <= whole <= info.max:
            raise ValueError(f"pad: fill_value must be {expected}; got {whole!r}")
        return whole
    real = as_real_number(value, "fill_value", "pad", array_like=True)
    if np.isfinite(real):
        largest = float(np.finfo(dtype).max)
        with np.errstate(over="ignore"):
            overflows = not np.isfinite(dtype.type(real))
        if overflows:
            raise ValueError(
                f"pad: fill_value must be within [-{largest:g}, {largest:g}] to fit the array's dtype {dtype} "
                f"(or be inf or nan); got {real!r}"
            )
    return real


def _check_padded_size(data: np.ndarray, widths: np.ndarray, pad_width: object) -> None:
    """Refuse, before numpy allocates it, a padded array above ``MAX_ARRAY_BYTES`` (the message names ``pad_width``).

    ``widths`` is ``pad_width`` as a checked integer array; one that does not broadcast to ``(ndim, 2)``
    (numpy.pad's forms) is a ``ValueError`` that says which forms there are.
    """
    try:
        pairs = np.broadcast_to(widths, (data.ndim, 2)).tolist()  # Python ints: no overflow below
    except ValueError as error:
        raise ValueError(
            f"pad: pad_width must be an int, one (before, after) pair, or one pair per axis of the array's "
            f"{data.ndim} (shape {data.shape}); got {pad_width!r} (numpy: {error})"
        ) from None
    shape = [n + before + after for n, (before, after) in zip(data.shape, pairs)]

    def what() -> str:  # only when refusing
        text = repr(widths.tolist() if isinstance(pad_width, np.ndarray) else pad_width)
        return f"padding an array of shape {data.shape} by pad_width {text if len(text) <= 80 else text[:70] + '...'}"

    check_allocation(shape, data.dtype, "pad", what)


def pad(array: object, pad_width: object, mode: str = "constant", fill_value: float = 0.0) -> np.ndarray:
    """Pad an array on every axis, with ``numpy.pad``'s mode names.

    Parameters
    ----------
    array : array_like
        Numbers of any shape.
    pad_width : int or sequence
        As ``numpy.pad``: an int for every side, ``(before, after)`` for every axis, or one
        ``(before, after)`` pair per axis.
    mode : {"constant", "edge", "reflect", "symmetric", "wrap"}
        The border rule (see the module docstring). Another library's name (``"circular"``,
        ``"replicate"``, ``"mirror"``, ...) is a ``ValueError`` that says which name to use.
    fill_value : float
        The value outside the array for ``mode="constant"``: one number that ``array``'s dtype holds.
        For an integer array, a whole number within the dtype's range (``uint8``: 0 to 255); for a
        bool array, 0, 1, ``True`` or ``False``; for a floating array, any number within its range,
        or ``inf`` or ``nan``. Anything else is a ``ValueError`` (numpy would wrap or truncate it:
        ``-1`` into ``uint8`` would be 255).

    Returns
    -------
    numpy.ndarray
        The padded array, of ``array``'s dtype.

    Raises
    ------
    ValueError
        For an unknown ``mode``, negative ``pad_width``, (with ``mode="constant"``) a
        ``fill_value`` that ``array``'s dtype cannot hold, or a ``pad_width`` so large that the
        padded array would exceed :data:`convlib.validation.MAX_ARRAY_BYTES` (4 GiB): refused
        before anything is allocated, with the memory it would need.
    TypeError
        For an ``array`` or ``fill_value`` that is not numbers.

    Examples
    --------
    >>> pad([1, 2, 3, 4], 2, mode="symmetric")
    array([2, 1, 1, 2, 3, 4, 4, 3])
    >>> pad([1, 2, 3, 4], 2, mode="reflect")
    array([3, 2, 1, 2, 3, 4, 3, 2])
    >>> pad(np.array([7, 8], dtype=np.uint8), 1, fill_value=255)
    array([255,   7,   8, 255], dtype=uint8)
    >>> pad(np.array([7, 8], dtype=np.uint8), 1, fill_value=-1)
    Traceback (most recent call last):
    ...
    ValueError: pad: fill_value must be a whole number in [0, 255] to fit the array's dtype uint8; got -1
    >>> pad(np.ones((3, 3)), 10**6)
    Traceback (most recent call last):
    ...
    ValueError: pad: padding an array of shape (3, 3) by pad_width 1000000 would make an array of 29.1 TiB ...
    """
    data = as_numeric_array(array, "array", "pad")
    mode = check_boundary(mode, "pad", "mode")
    try:
        widths = np.asarray(pad_width)
    except (TypeError, ValueError, RuntimeError):  # ragged lists, tensors that require grad
        widths = np.asarray(None)  # refused just below
    if widths.dtype.kind not in "iu" or np.any(widths < 0):
        raise ValueError(f"pad: pad_width must be non-negative integers; got {pad_width!r}")
    if mode in ("reflect", "symmetric", "wrap") and data.size == 0:
        raise ValueError(f"pad: cannot pad an empty array with mode={mode!r}")
    _check_padded_size(data, widths, pad_width)
    if mode == "constant":
        return np.pad(data, pad_width, mode="constant", constant_values=_fill_value(fill_value, data.dtype))
    return np.pad(data, pad_width, mode=mode)
