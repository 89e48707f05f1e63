"""The sample photographs, and turning results into pictures.

The photographs live in the repository's ``images/`` folder and ship inside the package as
``convlib/sample_images/`` (in the repository a link to ``images/``; in a wheel a copy), so
:func:`load_image` finds them wherever convlib is installed, as :data:`IMAGES_DIR`. They are copies
of files that ship inside installed packages (scikit-image, matplotlib); nothing is downloaded.
``images/manifest.json`` records for each one its creator, source package and version,
original path and licence; ``images/README.md`` shows the same as a table.

* :func:`load_image` reads one as ``float64`` in ``[0, 1]``: shape ``(H, W)`` gray or ``(H, W, 3)`` colour.
* :func:`to_uint8` turns any float result (a blurred image, a signed edge response) into a displayable
  ``uint8`` image, with an explicit choice of how values map to ``0..255``: never a silent cast.
  :func:`scale_to_uint8` is its arithmetic with only the cheap checks (real and finite), for live views.
  Neither turns NaN, infinity or complex numbers into gray levels: they are refused, with advice.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from convlib.validation import all_finite, as_numeric_array, check_bool, check_choice

IMAGES_DIR: Path = Path(__file__).parent / "sample_images"
"""The folder of sample photographs inside the installed package (the repository's ``images/``)."""

MANIFEST_PATH: Path = IMAGES_DIR / "manifest.json"

SCALINGS = ("clip", "rescale", "abs")

# Pillow modes load_image can turn into 8-bit gray ("L") or colour ("RGB") without losing meaning.
_READABLE_MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX")


def image_manifest() -> list[dict]:
    """Return the entries of ``images/manifest.json``, one ``dict`` per image.

    Returns
    -------
    list of dict
        A fresh copy on every call (changing it changes nothing on disk). Each entry has the keys
        ``name`` (file name without extension), ``file``, ``title``, ``creator``, ``source_package``,
        ``source_package_version``, ``original_path`` (inside the installed package), ``source_url``
        (``None`` if the package gives none), ``licence``, ``licence_statement`` (the package's words),
        ``licence_statement_where``, ``width``, ``height`` (pixels), ``mode`` (Pillow's ``"L"`` or
        ``"RGB"``), ``format``, ``bytes``, ``sha256``, ``re_encoded``, ``note`` and ``teaching_use``.

    Examples
    --------
    >>> entry = image_manifest()[0]
    >>> entry["file"], entry["width"], entry["height"], entry["mode"], entry["licence"]
    ('camera.png', 512, 512, 'L', 'CC0')
    """
    with MANIFEST_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def available_images() -> list[str]:
    """Return the names :func:`load_image` accepts, without extension, in manifest order.

    Returns
    -------
    list of str

    Examples
    --------
    >>> available_images()
    ['camera', 'grace_hopper', 'chelsea', 'coins', 'brick', 'text']
    """
    return [entry["name"] for entry in image_manifest()]


def _find_entry(name: object) -> dict:
    if not isinstance(name, str):
        raise TypeError(
            f"load_image: name must be a string such as 'camera'; got {name!r} of type {type(name).__name__}"
        )
    manifest = image_manifest()
    for entry in manifest:
        if name in (entry["name"], entry["file"]):
            return entry
    listed = ", ".join(repr(entry["name"]) for entry in manifest)
    raise ValueError(f"load_image: name must be one of {listed} (with or without extension); got {name!r}")


def load_image(name: str, gray: bool = False) -> np.ndarray:
    """Read one of the sample images as ``float64`` values in ``[0, 1]``.

    Parameters
    ----------
    name : str
        One of :func:`available_images`, with or without its extension (``"camera"`` or
        ``"camera.png"``).
    gray : bool, default False
        ``True``: one channel, shape ``(H, W)``. A colour file is converted with Pillow's ``"L"``
        conversion, the ITU-R 601-2 luma ``L = 0.299 R + 0.587 G + 0.114 B`` rounded to an integer
        0..255 (so every value is a multiple of 1/255).
        ``False``: three channels, shape ``(H, W, 3)`` in R, G, B order. A gray file gives three equal
        channels; an alpha channel, if a file had one, is dropped (not composited).

    Returns
    -------
    numpy.ndarray
        ``float64``, shape ``(H, W)`` or ``(H, W, 3)`` with ``H`` = the manifest's ``height`` and
        ``W`` = its ``width``; the 8-bit values divided by 255, so ``0.0`` is black and ``1.0`` white.

    Raises
    ------
    ValueError
        ``name`` is not a sample image (the message lists the available names).
    TypeError
        ``name`` is not a string.

    Examples
    --------
    >>> image = load_image("camera", gray=True)
    >>> image.shape, image.dtype, float(image.min()) >= 0.0, float(image.max()) <= 1.0
    ((512, 512), dtype('float64'), True, True)
    >>> load_image("chelsea.png").shape          # (height, width, 3): 300 rows, 451 columns
    (300, 451, 3)
    >>> rgb = load_image("coins")                # a gray file asked as colour: 3 equal channels
    >>> rgb.shape, bool((rgb[..., 0] == rgb[..., 2]).all())
    ((303, 384, 3), True)
    >>> load_image("lena")
    Traceback (most recent call last):
    ...
    ValueError: load_image: name must be one of 'camera', ..., 'text' (with or without extension); got 'lena'
    """
    entry = _find_entry(name)
    gray = check_bool(gray, "gray", "load_image")
    path = IMAGES_DIR / entry["file"]
    with Image.open(path) as image:
        if image.mode not in _READABLE_MODES:
            raise ValueError(
                f"load_image: {entry['file']} has Pillow mode {image.mode!r}; expected an 8-bit mode, "
                f"one of {', '.join(_READABLE_MODES)}"
            )
        converted = image.convert("L" if gray else "RGB")
        pixels = np.asarray(converted, dtype=np.uint8)
    return pixels.astype(np.float64) / 255.0


def to_uint8(array: object, *, scaling: str) -> np.ndarray:
    """Turn an image-shaped array of numbers into a displayable ``uint8`` image, scaled as you say.

    A convolution result is rarely in ``0..1``: a blur stays in range, a sharpened image overshoots,
    an edge filter gives signed values. ``array.astype(np.uint8)`` would wrap or truncate them silently,
    so the mapping must be chosen.

    Parameters
    ----------
    array : array_like of bool, int or float
        Shape ``(H, W)`` (gray) or ``(H, W, 3)`` (colour), not empty, no NaN or infinity.
    scaling : {"clip", "rescale", "abs"}
        Required, keyword-only.

        * ``"clip"``: the values are brightness in ``0..1`` (what :func:`load_image` returns). Values
          below 0 become 0 and above 1 become 1, then times 255. Overshoot shows as flat black or white.
          Integer input is refused (``TypeError``): an image of 0..255 integers would clip to almost
          all white; divide it by 255 first. Booleans are taken as 0 and 1.
        * ``"rescale"``: min-max stretch, the smallest value to 0 and the largest to 255 (one minimum
          and maximum over all channels, so colours keep their balance). A constant array has no range
          and gives **all zeros**. Integers and booleans are taken by value.
        * ``"abs"``: for signed responses such as edges: the absolute value divided by its maximum,
          then times 255, so 0 stays black and the strongest response, of either sign, is white.
          An all-zero array stays all zeros. Integers and booleans are taken by value.

        In every case the result is rounded to the nearest integer with :func:`numpy.rint` (exact
        halves go to the even integer, as OpenCV does: 0.5 -> 0, 1.5 -> 2).

    Returns
    -------
    numpy.ndarray
        ``uint8``, the same shape as ``array``. The input is not modified.

    Raises
    ------
    ValueError
        ``scaling`` is not one of the names; ``array`` holds NaN or infinity (the message counts them
        and suggests :func:`numpy.nan_to_num`), is empty, or is not ``(H, W)`` or ``(H, W, 3)``.
    TypeError
        ``array`` is not numbers, is complex (the message suggests ``np.abs`` or ``.real``), or is
        integer with ``scaling="clip"``.

    Examples
    --------
    >>> to_uint8(np.array([[-0.5, 0.0, 0.5], [0.999, 1.0, 2.0]]), scaling="clip")
    array([[  0,   0, 128],
           [255, 255, 255]], dtype=uint8)
    >>> to_uint8(np.array([[-2.0, 0.0], [1.0, 2.0]]), scaling="rescale")
    array([[  0, 128],
           [191, 255]], dtype=uint8)
    >>> to_uint8(np.array([[-2.0, 0.0], [1.0, 2.0]]), scaling="abs")
    array([[255,   0],
           [128, 255]], dtype=uint8)
    >>> to_uint8(np.full((2, 2), 7.0), scaling="rescale")   # no range: all zeros
    array([[0, 0],
           [0, 0]], dtype=uint8)
    >>> to_uint8(np.zeros((4, 5, 3)), scaling="clip").shape
    (4, 5, 3)
    >>> to_uint8(np.array([[0, 255]], dtype=np.uint8), scaling="clip")
    Traceback (most recent call last):
    ...
    TypeError: to_uint8: array has integer dtype uint8, but scaling='clip' takes brightness in 0..1; ...
    >>> to_uint8(np.array([[0.5, np.nan], [np.inf, 0.2]]), scaling="clip")
    Traceback (most recent call last):
    ...
    ValueError: to_uint8: array contains NaN or infinity: 2 of its 4 values (1 NaN, 1 infinite). ...
    >>> to_uint8(np.array([[1 + 1j, 0]]), scaling="abs")
    Traceback (most recent call last):
    ...
    TypeError: to_uint8: array must be real; got complex dtype complex128. Take np.abs(array) or array.real first.
    """
    check_choice(scaling, "scaling", SCALINGS, "to_uint8")
    values = as_numeric_array(array, "array", "to_uint8", allow_complex=True)  # refused below, with advice
    _refuse_complex(values, "array", "to_uint8")
    if values.dtype.kind in "iu" and scaling == "clip":
        raise TypeError(
            f"to_uint8: array has integer dtype {values.dtype}, but scaling='clip' takes brightness in 0..1; "
            "integers 0..255 would almost all clip to 255. Divide by 255 first (array / 255), "
            "or use scaling='rescale'."
        )
    if not (values.ndim == 2 or (values.ndim == 3 and values.shape[-1] == 3)):
        raise ValueError(f"to_uint8: array must have shape (H, W) or (H, W, 3); got shape {values.shape}")
    if values.size == 0:
        raise ValueError(f"to_uint8: array must not be empty; got shape {values.shape}")
    _refuse_non_finite(values, "array", "to_uint8")
    return _scale(values, scaling)  # bool -> 0/1, ints by value, never wrapped


def _refuse_complex(values: np.ndarray, name: str, function: str) -> None:
    """Raise ``TypeError`` if ``values`` is complex: no gray level is right for ``1 + 1j``.

    A dtype test, no pass over the data. Casting to float would drop the imaginary part (with only a
    warning), so the caller is told to choose: the magnitude or the real part.

    Parameters
    ----------
    values : numpy.ndarray
    name : str
        The argument's name, as the caller wrote it.
    function : str
        The public function whose argument it is; starts the message.

    Raises
    ------
    TypeError
        ``values`` has a complex dtype.

    Examples
    --------
    >>> _refuse_complex(np.zeros(2), "values", "display_uint8")      # real: nothing happens
    >>> _refuse_complex(np.zeros(2, complex), "values", "display_uint8")
    Traceback (most recent call last):
    ...
    TypeError: display_uint8: values must be real; got complex dtype complex128. ...
    """
    if values.dtype.kind == "c":
        raise TypeError(
            f"{function}: {name} must be real; got complex dtype {values.dtype}. "
            f"Take np.abs({name}) or {name}.real first."
        )


def _refuse_non_finite(values: np.ndarray, name: str, function: str) -> None:
    """Raise ``ValueError`` if ``values`` holds NaN or infinity, saying how many and what to do.

    Cheap when all is well: one reduction (:func:`convlib.validation.all_finite`); the values are
    counted only to write the message.

    Parameters
    ----------
    values : numpy.ndarray
        Real numbers (integers and booleans pass without a look at the data).
    name : str
        The argument's name, as the caller wrote it.
    function : str
        The public function whose argument it is; starts the message.

    Raises
    ------
    ValueError
        ``values`` holds NaN, ``inf`` or ``-inf``.

    Examples
    --------
    >>> _refuse_non_finite(np.array([0.0, 1.0]), "values", "display_uint8")   # finite: nothing happens
    >>> _refuse_non_finite(np.array([np.nan, np.nan, -np.inf, 1.0]), "values", "display_uint8")
    Traceback (most recent call last):
    ...
    ValueError: display_uint8: values contains NaN or infinity: 3 of its 4 values (2 NaN, 1 infinite). They have \
no gray level. If you mean NaN as 0 and infinity as the largest float, replace them first: np.nan_to_num(values).
    """
    if all_finite(values):
        return
    nan = int(np.count_nonzero(np.isnan(values)))
    infinite = int(np.count_nonzero(np.isinf(values)))
    raise ValueError(
        f"{function}: {name} contains NaN or infinity: {nan + infinite} of its {values.size} values "
        f"({nan} NaN, {infinite} infinite). They have no gray level. If you mean NaN as 0 and infinity as "
        f"the largest float, replace them first: np.nan_to_num({name})."
    )


def scale_to_uint8(values: object, scaling: str) -> np.ndarray:
    """The arithmetic of :func:`to_uint8` with only its cheap checks: real, finite values to gray levels ``0..255``.

    :func:`to_uint8` also checks the shape, emptiness and integer input to ``"clip"``; this checks
    only what would otherwise become a wrong picture silently (NaN, infinity, complex numbers), at the
    cost of one reduction, so a live view redrawing on every slider move can call it and get the same
    bytes, faster. The work is done on one scratch array; ``values`` is never modified.

    Parameters
    ----------
    values : array_like of bool, int or float
        Any shape, converted to ``float64``; no NaN or infinity, not complex.
    scaling : {"clip", "rescale", "abs"}
        As in :func:`to_uint8`.

    Returns
    -------
    numpy.ndarray
        ``uint8``, the same shape as ``values``.

    Raises
    ------
    ValueError
        ``scaling`` is not one of the names, or ``values`` holds NaN or infinity (the message counts
        them and suggests :func:`numpy.nan_to_num`).
    TypeError
        ``values`` is not numbers, or is complex (the message suggests ``np.abs`` or ``.real``).

    Examples
    --------
    >>> scale_to_uint8(np.array([[-2.0, 0.0], [1.0, 2.0]]), "rescale")
    array([[  0, 128],
           [191, 255]], dtype=uint8)
    >>> scale_to_uint8([-1e308, 0.0, 1e308], "rescale")   # a range beyond float64: halved first
    array([  0, 128, 255], dtype=uint8)
    >>> scale_to_uint8([0.5, np.nan], "clip")
    Traceback (most recent call last):
    ...
    ValueError: scale_to_uint8: values contains NaN or infinity: 1 of its 2 values (1 NaN, 0 infinite). ...
    """
    check_choice(scaling, "scaling", SCALINGS, "scale_to_uint8")
    values = as_numeric_array(values, "values", "scale_to_uint8", allow_complex=True)  # refused below, with advice
    _refuse_complex(values, "values", "scale_to_uint8")
    _refuse_non_finite(values, "values", "scale_to_uint8")
    return _scale(values, scaling)


def _scale(values: np.ndarray, scaling: str) -> np.ndarray:
    """The one place the scalings are written; ``values`` are real and finite, ``scaling`` a valid name."""
    values = np.asarray(values, dtype=np.float64)
    if scaling == "clip":
        unit = np.clip(values, 0.0, 1.0)
    elif scaling == "rescale":
        low, high = values.min(), values.max()
        if high == low:  # no range: all zeros
            return np.zeros(values.shape, np.uint8)
        with np.errstate(over="ignore"):
            span = high - low
        if np.isfinite(span):
            unit = np.subtract(values, low)
            unit /= span
        else:  # the range overflows float64 (e.g. -1e308 .. 1e308): halve everything first
            unit = (values / 2 - low / 2) / (high / 2 - low / 2)
    else:  # "abs"
        unit = np.abs(values)
        peak = unit.max()
        if peak == 0:  # all zeros stay zeros
            return np.zeros(values.shape, np.uint8)
        unit /= peak
    # unit is in [0, 1] by construction (each step rounds monotonically), so the rounded values are
    # in 0..255 and the cast is exact.
    unit *= 255.0
    np.rint(unit, out=unit)
    return unit.astype(np.uint8)
