"""Pictures for live views: float results to 8-bit gray levels, gray levels and figures to image bytes, fast."""

from __future__ import annotations

import io
import struct
import zlib
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from convlib.images import _refuse_complex, _refuse_non_finite, _scale
from convlib.validation import as_numeric_array, check_choice

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: How the output's float values become gray levels (see :func:`display_uint8`). ``"auto"``
#: means ``"abs"`` when the kernel sums to zero (an edge detector: signed responses) and
#: ``"clip"`` otherwise.
SCALINGS = ("auto", "clip", "rescale", "abs")

#: Picture formats for the live view, all lossless (see :func:`encode_gray`).
ENCODINGS = ("bmp", "png", "png-stored")


def display_uint8(values: np.ndarray, scaling: str) -> np.ndarray:
    """Gray levels ``0..255`` for a float image, exactly as :func:`convlib.images.to_uint8` makes them.

    The same code as :func:`convlib.images.scale_to_uint8`, with only the checks that cost at most
    one reduction (the editor calls it on every slider move): the bytes are identical. NaN, infinity
    and complex numbers are refused, never drawn as some gray level.

    Parameters
    ----------
    values : numpy.ndarray, shape (H, W)
        Real, finite numbers, e.g. a filter's output.
    scaling : {"clip", "rescale", "abs"}
        ``"clip"``: values are brightness in ``0..1``; below 0 is black, above 1 white.
        ``"rescale"``: the minimum becomes 0 and the maximum 255 (a constant image gives zeros).
        ``"abs"``: ``|value|`` divided by its maximum, so 0 is black and the strongest response of
        either sign is white. Then times 255, rounded with :func:`numpy.rint`.

    Returns
    -------
    numpy.ndarray
        ``uint8``, shape ``(H, W)``.

    Raises
    ------
    ValueError
        ``scaling`` is not one of the names, or ``values`` holds NaN or infinity (the message counts
        them and suggests :func:`numpy.nan_to_num`).
    TypeError
        ``values`` is not numbers, or is complex (the message suggests ``np.abs`` or ``.real``).

    Examples
    --------
    >>> display_uint8(np.array([[-0.5, 0.0, 0.5], [0.999, 1.0, 2.0]]), "clip")
    array([[  0,   0, 128],
           [255, 255, 255]], dtype=uint8)
    >>> display_uint8(np.array([[-2.0, 0.0], [1.0, 2.0]]), "abs")
    array([[255,   0],
           [128, 255]], dtype=uint8)
    >>> display_uint8(np.array([[0.5, np.inf]]), "rescale")
    Traceback (most recent call last):
    ...
    ValueError: display_uint8: values contains NaN or infinity: 1 of its 2 values (0 NaN, 1 infinite). ...
    >>> display_uint8(np.array([[0.5 + 2j]]), "abs")
    Traceback (most recent call last):
    ...
    TypeError: display_uint8: values must be real; got complex dtype complex128. ...
    """
    check_choice(scaling, "scaling", SCALINGS[1:], "display_uint8")
    values = as_numeric_array(values, "values", "display_uint8", allow_complex=True)  # refused below, with advice
    _refuse_complex(values, "values", "display_uint8")
    _refuse_non_finite(values, "values", "display_uint8")
    return _scale(values, scaling)


def encode_gray(pixels: np.ndarray, encoding: str = "bmp") -> bytes:
    """Encode a ``uint8`` grayscale picture losslessly for an ``ipywidgets.Image``.

    Parameters
    ----------
    pixels : numpy.ndarray of uint8, shape (H, W)
        At least one row and one column: an empty picture has no valid PNG or BMP file.
    encoding : {"bmp", "png", "png-stored"}
        ``"bmp"``: 8-bit BMP with a gray palette, no compression (fastest to encode, largest).
        ``"png"``: Pillow's PNG at ``compress_level=1`` (about 30% smaller, 4-8 ms at 512x512).
        ``"png-stored"``: a PNG without row filters whose zlib stream is stored, not compressed
        (as large as the BMP, about 0.2 ms to make).

    Returns
    -------
    bytes
        The file's bytes. The ``ipywidgets.Image`` format is ``encoding`` up to the first dash.

    Raises
    ------
    ValueError
        ``encoding`` is not one of the names; ``pixels`` is not 2-D ``uint8``, or is empty (the
        message gives its shape).

    Examples
    --------
    >>> data = encode_gray(np.zeros((2, 3), np.uint8))
    >>> data[:2], Image.open(io.BytesIO(data)).size
    (b'BM', (3, 2))
    >>> encode_gray(np.zeros((0, 3), np.uint8), "png-stored")
    Traceback (most recent call last):
    ...
    ValueError: encode_gray: pixels must have at least 1 row and 1 column; got shape (0, 3)
    """
    check_choice(encoding, "encoding", ENCODINGS, "encode_gray")
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim != 2:
        raise ValueError(f"encode_gray: pixels must be 2-D uint8; got {pixels.ndim}-D {pixels.dtype}")
    if pixels.size == 0:  # Pillow refuses to write it; the stored PNG would be a file no reader opens
        raise ValueError(f"encode_gray: pixels must have at least 1 row and 1 column; got shape {pixels.shape}")
    if encoding == "png-stored":
        return _png_stored(pixels)
    buffer = io.BytesIO()
    picture = Image.fromarray(np.ascontiguousarray(pixels))
    if encoding == "bmp":
        picture.save(buffer, format="BMP")
    else:
        picture.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _png_stored(pixels: np.ndarray) -> bytes:
    """A minimal 8-bit gray PNG: no row filters, the zlib stream stored (Pillow's level 0 still filters)."""
    height, width = pixels.shape
    rows = np.zeros((height, width + 1), np.uint8)  # each row starts with its filter type, 0 = none
    rows[:, 1:] = pixels

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8 bits, gray, deflate, no filter, no interlace
    stored = zlib.compress(rows.tobytes(), 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", stored) + chunk(b"IEND", b"")


def png_of_figure(figure: Figure) -> bytes:
    """The PNG bytes of a matplotlib figure at the figure's own resolution, as every static view shows it.

    The one place the book turns a figure into a picture. The figure is drawn as it is laid out
    (no tight bounding box) and left open, so a live view can redraw and save it again.

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    bytes
        A PNG file, ``figure.dpi`` dots per inch.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> data = png_of_figure(Figure(figsize=(2, 1), dpi=50))
    >>> data[1:4], Image.open(io.BytesIO(data)).size
    (b'PNG', (100, 50))
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi)
    return buffer.getvalue()


def compact_png(data: bytes) -> bytes:
    """The same picture as a smaller PNG: 8-bit gray where every pixel is gray, else at most 256 colours.

    Matplotlib writes RGBA PNGs; a gray photograph stored so takes about twice the bytes of the same
    pixels in 8-bit gray. Transparent pixels are flattened on white (as a page shows them); a gray
    picture is then stored exactly, a coloured one reduced to at most 256 colours (maximum coverage,
    no dithering), which a figure's colour maps and photographs survive unchanged to the eye.

    Examples
    --------
    >>> buffer = io.BytesIO()
    >>> Image.fromarray(np.full((4, 4, 4), [90, 90, 90, 255], np.uint8)).save(buffer, "PNG")  # gray, in RGBA
    >>> small = Image.open(io.BytesIO(compact_png(buffer.getvalue())))
    >>> small.mode, small.getpixel((0, 0))
    ('L', 90)
    """
    picture = Image.open(io.BytesIO(data))
    rgba = np.asarray(picture.convert("RGBA"))
    alpha = rgba[..., 3:4].astype(np.float64) / 255
    rgb = np.rint(rgba[..., :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    buffer = io.BytesIO()
    if np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2]):
        Image.fromarray(rgb[..., 0]).save(buffer, "PNG")
    else:
        colours = Image.fromarray(rgb).quantize(256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
        colours.save(buffer, "PNG")
    return buffer.getvalue()
