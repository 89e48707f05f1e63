"""What the KernelEditor shows: the filtered output, its 8-bit picture, the labels and readout, and
the static PNG for places without a kernel.

These are plain functions of arrays and settings; they know nothing of widgets' state, so the
editor's picture is exactly what they compute.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass

import numpy as np

from convlib.book.widgets.pictures import display_uint8, encode_gray, png_of_figure
from convlib.convolution import convolve2d, correlate2d

_LABEL = "<div style='line-height: 1.35; font-size: 12px; white-space: nowrap'>{}</div>"

_SHOWN = {
    "clip": "values clipped to 0..1",
    "rescale": "min → black, max → white",
    "abs": "|value| ÷ max |value|",
}


def resolve_scaling(scaling: str, total: float) -> str:
    """The scaling in effect: ``scaling``, or for ``"auto"`` ``"abs"`` when the weights sum to 0, else ``"clip"``.

    Examples
    --------
    >>> resolve_scaling("auto", 0.0), resolve_scaling("auto", 1.0), resolve_scaling("rescale", 0.0)
    ('abs', 'clip', 'rescale')
    """
    if scaling != "auto":
        return scaling
    return "abs" if total == 0 else "clip"


@dataclass(frozen=True)
class Rendering:
    """One update's results: see :func:`render`."""

    total: float
    kernel: np.ndarray
    output: np.ndarray
    pixels: np.ndarray
    scaling: str


def render(
    image: np.ndarray, weights: np.ndarray, *, normalise: bool, operation: str, boundary: str, scaling: str
) -> Rendering:
    """Filter ``image`` with the kernel the ``weights`` give, and convert the output to gray levels.

    Parameters
    ----------
    image : numpy.ndarray (H, W)
        Float64 brightness in ``0..1``.
    weights : numpy.ndarray (K, K)
        The slider values.
    normalise : bool
        Divide the weights by their sum (when it is not 0).
    operation : {"correlate2d", "convolve2d"}
    boundary : str
        The border mode for ``mode="same"``.
    scaling : {"auto", "clip", "rescale", "abs"}
        See :func:`resolve_scaling` and :func:`~convlib.book.widgets.pictures.display_uint8`.

    Returns
    -------
    Rendering
        ``total`` (the weights' sum), ``kernel`` (the kernel applied), ``output`` (the filter's result,
        read-only), ``pixels`` (its gray levels, ``display_uint8(output, scaling)``) and ``scaling``
        (the scaling in effect).

    Examples
    --------
    >>> result = render(np.eye(3), np.ones((3, 3)), normalise=True, operation="correlate2d",
    ...                 boundary="constant", scaling="auto")
    >>> result.total, bool(result.kernel[0, 0] == 1 / 9), result.scaling
    (9.0, True, 'clip')
    >>> result.pixels
    array([[57, 57, 28],
           [57, 85, 57],
           [28, 57, 57]], dtype=uint8)
    """
    total = float(weights.sum())
    kernel = weights / total if normalise and total != 0 else weights
    function = correlate2d if operation == "correlate2d" else convolve2d
    output = function(image, kernel, mode="same", boundary=boundary)
    output.flags.writeable = False
    in_effect = resolve_scaling(scaling, total)
    return Rendering(total, kernel, output, display_uint8(output, in_effect), in_effect)


def widget_picture(pixels: np.ndarray, *, encoding: str, data_url: bool, live: bool) -> tuple[bytes, str]:
    """The ``ipywidgets.Image`` value and format for ``pixels``.

    Live updates use ``encoding``, as the file's bytes or, with ``data_url``, a ``data:`` URL of them
    (format ``"url"``); the first pictures (``live=False``), which a saved notebook keeps, are compact PNGs.

    Examples
    --------
    >>> value, picture_format = widget_picture(np.zeros((2, 2), np.uint8), encoding="bmp", data_url=True, live=True)
    >>> value[:22], picture_format
    (b'data:image/bmp;base64,', 'url')
    >>> widget_picture(np.zeros((2, 2), np.uint8), encoding="bmp", data_url=True, live=False)[1]
    'png'
    """
    if not live:
        return encode_gray(pixels, "png"), "png"
    data = encode_gray(pixels, encoding)
    if not data_url:
        return data, encoding.split("-")[0]
    mime = "image/bmp" if encoding == "bmp" else "image/png"
    return f"data:{mime};base64,".encode("ascii") + base64.b64encode(data), "url"


def input_label(name: str, image: np.ndarray) -> str:
    """The HTML above the input picture.

    Examples
    --------
    >>> input_label("a<b", np.zeros((4, 6)))
    "<div style='line-height: 1.35; font-size: 12px; white-space: nowrap'><b>input</b>: a&lt;b<br>4×6 pixels, ..."
    """
    height, width = image.shape
    return _LABEL.format(f"<b>input</b>: {html.escape(name)}<br>{height}×{width} pixels, brightness 0..1")


def output_label(operation: str) -> str:
    """The HTML above the output picture.

    Examples
    --------
    >>> output_label("convolve2d")
    "<div ...><b>output</b>: <code>convolve2d</code>, mode='same'<br>the kernel flipped first</div>"
    """
    how = "the kernel slid as it is, as in a CNN" if operation == "correlate2d" else "the kernel flipped first"
    return _LABEL.format(f"<b>output</b>: <code>{operation}</code>, mode='same'<br>{how}")


def readout_html(rendering: Rendering, *, normalise: bool, boundary: str, elapsed_ms: float) -> str:
    """The readout below the sliders: the weights' sum, the output's range, how it is shown, the update time.

    Examples
    --------
    >>> result = render(np.eye(3), np.ones((3, 3)), normalise=False, operation="correlate2d",
    ...                 boundary="edge", scaling="auto")
    >>> print(readout_html(result, normalise=False, boundary="edge", elapsed_ms=1.25))
    <div style='line-height:1.4'>sum of weights = <b class='convlib-sum'>9</b><br>output min = ...
    """
    low, high = float(rendering.output.min()), float(rendering.output.max())
    total = rendering.total
    if not normalise:
        note = ""
    elif total == 0:
        note = " (sum is 0: not normalised)"
    else:
        note = f" → kernel = weights ÷ {total:g}"
    return (
        f"<div style='line-height:1.4'>sum of weights = <b class='convlib-sum'>{total:g}</b>{note}<br>"
        f"output min = <b class='convlib-min'>{low:.3g}</b>, max = <b class='convlib-max'>{high:.3g}</b>"
        f" · shown: {_SHOWN[rendering.scaling]}<br>"
        f"<span style='color:var(--jp-ui-font-color2, gray)'>mode='same', boundary='{boundary}'"
        f" · kernel-side update <span class='convlib-update-ms'>{elapsed_ms:.1f}</span> ms</span></div>"
    )


def static_picture(
    *,
    image: np.ndarray,
    image_name: str,
    kernel: np.ndarray,
    preset: str,
    normalise: bool,
    pixels: np.ndarray,
    operation: str,
    scaling: str,
) -> bytes:
    """Input, kernel and output side by side, as a PNG (the picture shown without a kernel).

    Parameters
    ----------
    image : numpy.ndarray (H, W)
        The input, brightness in ``0..1``.
    image_name : str
    kernel : numpy.ndarray (K, K)
        The kernel applied; each weight is written on its cell.
    preset : str
        The kernel's gallery name, or ``"custom"``.
    normalise : bool
        Whether the kernel is the weights divided by their sum.
    pixels : numpy.ndarray (H, W), uint8
        The output's gray levels.
    operation : str
    scaling : str
        The scaling in effect.

    Examples
    --------
    >>> png = static_picture(image=np.eye(3), image_name="eye", kernel=np.eye(3), preset="custom", normalise=False,
    ...                      pixels=np.zeros((3, 3), np.uint8), operation="correlate2d", scaling="clip")
    >>> png[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    from matplotlib.figure import Figure  # only when a static picture is asked for

    figure = Figure(figsize=(9.6, 3.4), dpi=80, layout="constrained")
    left, middle, right = figure.subplots(1, 3, width_ratios=[1, 0.8, 1])
    left.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    left.set_title(f"input: {image_name}")
    limit = max(float(np.abs(kernel).max()), 1e-12)
    middle.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
    font_size = 9 if kernel.shape[0] == 3 else 7
    for (row, column), value in np.ndenumerate(kernel):
        middle.text(column, row, f"{value:.3g}", ha="center", va="center", fontsize=font_size)
    middle.set_title(f"kernel: {preset}" + (" (normalised)" if normalise else ""))
    right.imshow(pixels, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    right.set_title(f"{operation}, shown: {scaling}")
    for axes in (left, middle, right):
        axes.set_xticks([])
        axes.set_yticks([])
    figure.suptitle("KernelEditor (static picture: run the notebook to drag the weights)", fontsize=10)
    return png_of_figure(figure)
