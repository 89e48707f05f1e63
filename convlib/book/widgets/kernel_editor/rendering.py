"""What the KernelEditor shows, computed in Python: the filtered output, its 8-bit picture, and the static
PNG for places without a kernel.

The browser computes the same picture with ``js/kernel_editor.js``; :func:`render` does the very same
arithmetic in the same order (the image padded with :func:`convlib.pad` as ``mode="same"`` pads it,
:func:`convlib.sizes.mode_padding`, then one multiply-add per tap,
:func:`convlib.engines.shift_add.correlate2d_valid_readable`), so the two agree bit for bit, and both
agree with :func:`convlib.correlate2d` to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convlib.book.widgets.pictures import compact_png, display_uint8, png_of_figure
from convlib.engines.shift_add import correlate2d_valid_readable
from convlib.padding import pad
from convlib.sizes import mode_padding


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
    taps = kernel if operation == "correlate2d" else kernel[::-1, ::-1]  # convolution flips the kernel
    widths = [mode_padding(k, "same") for k in kernel.shape]  # K // 2 before, (K - 1) // 2 after
    output = correlate2d_valid_readable(pad(image, widths, boundary), taps)
    output.flags.writeable = False
    in_effect = resolve_scaling(scaling, total)
    return Rendering(total, kernel, output, display_uint8(output, in_effect), in_effect)


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

    from convlib.book.figures.images import _signed_colours  # the weights' colours of the book's other pictures

    figure = Figure(figsize=(8.2, 3.8), dpi=100, layout="constrained")  # 820 x 380 px, each photograph >= 300 px wide
    left, middle, right = figure.subplots(1, 3, width_ratios=[1, 0.5, 1])
    left.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="antialiased")
    left.set_title(f"input: {image_name}", fontsize=12)
    limit = max(float(np.abs(kernel).max()), 1e-12)
    middle.imshow(_signed_colours(kernel, limit))  # red positive, blue negative, pale: dark numbers read on every cell
    font_size = 12
    for (row, column), value in np.ndenumerate(kernel):
        middle.text(column, row, f"{value:.3g}", ha="center", va="center", fontsize=font_size, color="#111")
    middle.set_title(f"kernel: {preset}" + ("\n(normalised)" if normalise else ""), fontsize=12)
    right.imshow(pixels, cmap="gray", vmin=0, vmax=255, interpolation="antialiased")
    shown = {"abs": "|output|", "clip": "clipped to 0..1", "rescale": "min..max"}.get(scaling, scaling)
    right.set_title(f"{operation}, shown: {shown}", fontsize=12)
    for axes in (left, middle, right):
        axes.set_xticks([])
        axes.set_yticks([])
    figure.suptitle("Kernel editor (a still picture: run the notebook to change the weights)", fontsize=12)
    return compact_png(png_of_figure(figure))
