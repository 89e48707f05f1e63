"""Live views for the notebooks: drag a slider, watch the picture change.

Each view is a plain Python object with three faces:

* ``view.widget``: the live ipywidgets view, shown by JupyterLab and Jupyter Notebook when the
  kernel runs;
* a static PNG of the current state, for every place without a kernel (GitHub, nbviewer, an
  untrusted notebook, ``jupyter nbconvert --to html`` without stored widget state);
* a short, deterministic ``text/plain`` (no ids, addresses or timings), which is what nbval
  compares.

Displaying the object sends all three (see :meth:`LiveView._repr_mimebundle_`); the front end
picks the richest one it can show.

:class:`KernelEditor` edits a 3x3 or 5x5 kernel on a grayscale image and shows
``correlate2d(image, kernel, mode="same", boundary="symmetric")`` (or ``convolve2d``) as you drag.
:class:`MovingAverageExplorer` smooths a noisy signal with a moving average of adjustable width.

Speed (KernelEditor)
--------------------
Most of the time between a key press and the new picture is the round trip browser → server →
kernel → server → browser and the browser's decoding and painting; the kernel's part is kept small
(a few milliseconds for a 512x512 image):

* the filter is convlib's own ``correlate2d``/``convolve2d`` (so ``editor.output`` *is* their
  result, bit for bit, whatever method they pick);
* the conversion to gray levels is :func:`convlib.images.to_uint8`'s arithmetic done in place
  (:func:`display_uint8`: the same bytes, several times faster);
* the picture is an uncompressed 8-bit BMP (``encoding="bmp"``): about 0.1 ms to make, against
  4-8 ms for a zlib-compressed PNG. It is lossless, so the picture shown is exactly
  :meth:`KernelEditor.output_uint8`;
* it travels as a ``data:`` URL (``data_url=True``): Chromium shows it sooner than the
  ``blob:`` URL ipywidgets makes from raw bytes.

Updates are coalesced by ipywidgets itself: while the kernel is busy with one slider value,
the browser holds back the next ones and then sends only the latest.
"""

from __future__ import annotations

import base64
import html
import io
import struct
import time
import zlib
from collections.abc import Mapping, Sequence
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from PIL import Image

from convlib import kernels
from convlib.convolution import convolve1d, convolve2d, correlate2d
from convlib.padding import check_boundary
from convlib.validation import as_numeric_array, check_choice, check_positive_int

__all__ = [
    "ENCODINGS",
    "KERNEL_SIZES",
    "OPERATIONS",
    "SCALINGS",
    "KernelEditor",
    "LiveView",
    "MovingAverageExplorer",
    "display_uint8",
    "encode_gray",
]

#: The two operations the editor can show. ``correlate2d`` slides the kernel as it is (what a
#: CNN layer computes); ``convolve2d`` flips it on both axes first.
OPERATIONS = ("correlate2d", "convolve2d")

#: How the output's float values become gray levels (see :func:`display_uint8`). ``"auto"``
#: means ``"abs"`` when the kernel sums to zero (an edge detector: signed responses) and
#: ``"clip"`` otherwise.
SCALINGS = ("auto", "clip", "rescale", "abs")

#: Kernel sizes the editor offers.
KERNEL_SIZES = (3, 5)

#: Picture formats for the live view, all lossless (see :func:`encode_gray`).
ENCODINGS = ("bmp", "png", "png-stored")


# --- pictures --------------------------------------------------------------------------------------------


def display_uint8(values: np.ndarray, scaling: str) -> np.ndarray:
    """Gray levels ``0..255`` for a float image, exactly as :func:`convlib.images.to_uint8` makes them.

    The same arithmetic, done in place on one scratch array, so it is several times faster
    (the editor calls it on every slider move); the bytes are identical.

    Parameters
    ----------
    values : numpy.ndarray, shape (H, W)
        Finite floats, e.g. a filter's output.
    scaling : {"clip", "rescale", "abs"}
        ``"clip"``: values are brightness in ``0..1``; below 0 is black, above 1 white.
        ``"rescale"``: the minimum becomes 0 and the maximum 255 (a constant image gives zeros).
        ``"abs"``: ``|value|`` divided by its maximum, so 0 is black and the strongest response of
        either sign is white. Then times 255, rounded with :func:`numpy.rint`.

    Returns
    -------
    numpy.ndarray
        ``uint8``, shape ``(H, W)``.

    Examples
    --------
    >>> display_uint8(np.array([[-0.5, 0.0, 0.5], [0.999, 1.0, 2.0]]), "clip")
    array([[  0,   0, 128],
           [255, 255, 255]], dtype=uint8)
    >>> display_uint8(np.array([[-2.0, 0.0], [1.0, 2.0]]), "abs")
    array([[255,   0],
           [128, 255]], dtype=uint8)
    """
    check_choice(scaling, "scaling", SCALINGS[1:], "display_uint8")
    values = np.asarray(values, dtype=np.float64)
    if scaling == "clip":
        unit = np.clip(values, 0.0, 1.0)
    elif scaling == "rescale":
        low, high = values.min(), values.max()
        if high == low:
            return np.zeros(values.shape, np.uint8)
        if np.isfinite(high - low):
            unit = np.subtract(values, low)
            unit /= high - low
        else:  # the range overflows float64: as to_uint8 does, halve everything first
            unit = (values / 2 - low / 2) / (high / 2 - low / 2)
    else:  # "abs"
        unit = np.abs(values)
        peak = unit.max()
        if peak == 0:
            return np.zeros(values.shape, np.uint8)
        unit /= peak
    # unit is in [0, 1], so the rounded values are in 0..255 and the cast is exact.
    unit *= 255.0
    np.rint(unit, out=unit)
    return unit.astype(np.uint8)


def encode_gray(pixels: np.ndarray, encoding: str = "bmp") -> bytes:
    """Encode a ``uint8`` grayscale picture losslessly for an ``ipywidgets.Image``.

    Parameters
    ----------
    pixels : numpy.ndarray of uint8, shape (H, W)
    encoding : {"bmp", "png", "png-stored"}
        ``"bmp"``: 8-bit BMP with a gray palette, no compression (fastest to encode, largest).
        ``"png"``: Pillow's PNG at ``compress_level=1`` (about 30% smaller, 4-8 ms at 512x512).
        ``"png-stored"``: a PNG without row filters whose zlib stream is stored, not compressed
        (as large as the BMP, about 0.2 ms to make).

    Returns
    -------
    bytes
        The file's bytes. The ``ipywidgets.Image`` format is ``encoding`` up to the first dash.

    Examples
    --------
    >>> data = encode_gray(np.zeros((2, 3), np.uint8))
    >>> data[:2], Image.open(io.BytesIO(data)).size
    (b'BM', (3, 2))
    """
    check_choice(encoding, "encoding", ENCODINGS, "encode_gray")
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim != 2:
        raise ValueError(f"encode_gray: pixels must be 2-D uint8; got {pixels.ndim}-D {pixels.dtype}")
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


def _png_of_figure(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi)
    return buffer.getvalue()


# --- the shared mechanism ----------------------------------------------------------------------------------


class LiveView:
    """A live widget that degrades to a static picture.

    Subclasses build ``self.widget`` (the root ipywidgets view) and implement
    :meth:`static_png` and :meth:`_plain_text`. Displaying the object gives a bundle with

    * ``application/vnd.jupyter.widget-view+json``: the live view (needs a running kernel);
    * ``image/png``: :meth:`static_png`, the current state as a picture (GitHub, nbviewer,
      untrusted notebooks, HTML export without widget state);
    * ``text/plain``: :meth:`_plain_text`, deterministic, so nbval can compare it.
    """

    widget: widgets.Widget
    _own_widgets: list[widgets.Widget]

    def static_png(self) -> bytes:
        """The current state as PNG bytes."""
        raise NotImplementedError

    def _plain_text(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self._plain_text()

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, object]:
        data: dict[str, object] = dict(self.widget._repr_mimebundle_())
        data["text/plain"] = self._plain_text()
        data["image/png"] = base64.b64encode(self.static_png()).decode("ascii")
        if include:
            data = {key: value for key, value in data.items() if key in include}
        if exclude:
            data = {key: value for key, value in data.items() if key not in exclude}
        return data

    def close(self) -> None:
        """Close every widget of the view (they stop listening to the browser)."""
        for widget in getattr(self, "_own_widgets", []):
            widget.close()


# --- KernelEditor -----------------------------------------------------------------------------------------


def _check_gray_image(image: object, name: str) -> np.ndarray:
    """A grayscale image as read-only float64 in [0, 1], or a helpful error."""
    array = as_numeric_array(image, f"image {name!r}")
    if array.ndim == 3 and array.shape[-1] in (3, 4):
        raise ValueError(
            f"KernelEditor: image {name!r} looks like a colour image of shape {array.shape}; the editor "
            "takes grayscale (H, W). Load it with load_image(name, gray=True), or average the channels: "
            "image.mean(axis=-1)."
        )
    if array.ndim != 2:
        raise ValueError(f"KernelEditor: image {name!r} must be 2-D (H, W); got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"KernelEditor: image {name!r} must not be empty; got shape {array.shape}")
    if array.dtype.kind == "c":
        raise TypeError(f"KernelEditor: image {name!r} must be real; got dtype {array.dtype}")
    if array.dtype == np.uint8:
        return _read_only(array / 255.0)
    if array.dtype.kind in "iu":
        raise TypeError(
            f"KernelEditor: image {name!r} has integer dtype {array.dtype}; give brightness in 0..1 "
            "(for 0..255 data, divide by 255)"
        )
    array = array.astype(np.float64)  # a copy: the caller may change theirs
    if not np.all(np.isfinite(array)):
        raise ValueError(f"KernelEditor: image {name!r} contains NaN or infinity")
    low, high = float(array.min()), float(array.max())
    if low < 0.0 or high > 1.0:
        raise ValueError(
            f"KernelEditor: image {name!r} must hold brightness in 0..1; got values from {low:.4g} to "
            f"{high:.4g}. Divide 0..255 data by 255, or rescale: (image - image.min()) / np.ptp(image)."
        )
    return _read_only(array)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _load_images(image: object, name: str | None) -> dict[str, np.ndarray]:
    if isinstance(image, str):
        image = [image]
    if isinstance(image, Sequence) and image and all(isinstance(item, str) for item in image):
        from convlib.images import load_image  # the sample photographs, only when asked for by name

        return {item: _check_gray_image(load_image(item, gray=True), item) for item in image}
    if isinstance(image, Mapping):
        if not image:
            raise ValueError("KernelEditor: image must not be an empty dict; give at least one name → array")
        for key in image:
            if not isinstance(key, str):
                raise TypeError(f"KernelEditor: the image dict's keys must be names (str); got {key!r}")
        return {key: _check_gray_image(value, key) for key, value in image.items()}
    label = "image" if name is None else name
    return {label: _check_gray_image(image, label)}


def _as_weights(kernel: np.ndarray, step: float, limit: float) -> tuple[np.ndarray, bool]:
    """Slider weights for ``kernel`` and whether to normalise, or raise ``ValueError``.

    Weights must sit on the sliders' grid (multiples of ``step`` within ``±limit``). A kernel that
    sums to 1 but is off the grid (``box(3)``, the binomial blur) is given as whole-number weights
    to be divided by their sum: ``[[1, 2, 1], [2, 4, 2], [1, 2, 1]]`` with normalise on.
    """
    on_grid = np.round(kernel / step) * step
    if np.allclose(kernel, on_grid, rtol=0, atol=1e-9) and np.abs(on_grid).max() <= limit:
        return on_grid, False
    if abs(kernel.sum() - 1.0) < 1e-9:
        for denominator in range(2, 257):
            scaled = kernel * denominator
            whole = np.round(scaled)
            if np.allclose(scaled, whole, rtol=0, atol=1e-6) and np.abs(whole).max() <= limit:
                return whole, True
    raise ValueError(
        f"KernelEditor: kernel weights must be multiples of step={step:g} within ±{limit:g} (the sliders' "
        f"grid), or sum to 1 and be whole numbers over a common denominator; got\n{kernel}\n"
        "Pass whole-number weights with normalise=True (e.g. np.round(kernel / kernel.min()) ), or a finer step="
    )


_LABEL = "<div style='line-height: 1.35; font-size: 12px; white-space: nowrap'>{}</div>"

# Narrower slider readouts, so that a 5x5 grid of sliders fits beside the pictures.
_STYLE = (
    "<style>.convlib-kernel-editor .convlib-weights .widget-readout"
    " { min-width: 3.1em; max-width: 3.1em; margin-left: 1px; }</style>"
)


class KernelEditor(LiveView):
    """Edit a 3x3 or 5x5 kernel with sliders and watch the filtered image change as you drag.

    The output is ``correlate2d(image, kernel, mode="same", boundary=boundary)`` (what a CNN
    layer computes), or ``convolve2d`` when ``operation="convolve2d"``: computed by those very
    functions, so equal to them bit for bit. The picture shown is :meth:`output_uint8`,
    ``display_uint8(output, scaling_in_effect)``: the same bytes as
    ``convlib.images.to_uint8(output, scaling=scaling_in_effect)``. Unit tests can drive it without
    a browser: :meth:`set_weight`, :meth:`set_kernel`, or set a slider's ``value``.

    Parameters
    ----------
    image : array_like (H, W), dict of name → array_like, str or list of str
        Grayscale image(s): float in ``0..1`` or ``uint8`` (divided by 255). A dict or list gives
        an image chooser. Names (str) are loaded with ``convlib.images.load_image(name, gray=True)``.
    kernel : str or array_like
        A name from :data:`convlib.kernels.GALLERY`, or a 3x3 or 5x5 array. Weights are slider
        values: multiples of ``step`` within ``weight_range``; a kernel summing to 1 with other
        weights (``box(3)``) is shown as whole numbers with normalise on.
    size : {3, 5} or None
        Kernel size; ``None`` takes the kernel's. A 3x3 kernel in a 5x5 editor sits in the centre.
    normalise : bool or None
        Divide the weights by their sum (when the sum is not 0). ``None``: on only when the
        kernel needs it to be shown on the sliders' grid (the blurs of the gallery).
    operation : {"correlate2d", "convolve2d"}
    scaling : {"auto", "clip", "rescale", "abs"}
        How the output becomes gray levels (see :func:`display_uint8`); ``"auto"`` is ``"abs"``
        when the kernel sums to 0, else ``"clip"``.
    boundary : {"symmetric", "reflect", "edge", "constant", "wrap"}
        What lies beyond the border (``constant`` pads with zeros).
    name : str or None
        The image's name when ``image`` is a single array (default ``"image"``).
    step : float
        The sliders' step (default 0.25, exact in binary, so browser and kernel agree).
    weight_range : (float, float)
        The sliders' range, symmetric about 0 (default ``(-8, 8)``).
    display_size : int
        Width in pixels at which each picture is shown (it is sent at full size).
    encoding : {"bmp", "png", "png-stored"}
        Format of the live pictures (see :func:`encode_gray`).
    data_url : bool
        Send each picture as a ``data:`` URL (``ipywidgets.Image`` format ``"url"``) rather than as
        raw bytes, which the browser would turn into a ``blob:`` URL: Chromium shows it sooner.
        (``encoding`` and ``data_url`` apply to live updates; the first pictures, which a saved
        notebook keeps in its widget state, are compact PNGs.)

    Examples
    --------
    >>> image = np.linspace(0, 1, 64).reshape(8, 8)
    >>> editor = KernelEditor(image, kernel="sobel x", name="ramp")
    >>> editor
    KernelEditor(image='ramp', kernel='sobel x', size=3, normalise=False, operation='correlate2d', scaling='auto')
    >>> editor.set_weight(1, 1, 2.0)
    >>> editor.kernel[1]
    array([-2.,  2.,  2.])
    >>> from convlib import correlate2d
    >>> bool((editor.output == correlate2d(image, editor.kernel, mode="same", boundary="symmetric")).all())
    True
    """

    def __init__(
        self,
        image: object,
        kernel: str | object = "identity",
        *,
        size: int | None = None,
        normalise: bool | None = None,
        operation: str = "correlate2d",
        scaling: str = "auto",
        boundary: str = "symmetric",
        name: str | None = None,
        step: float = 0.25,
        weight_range: tuple[float, float] = (-8.0, 8.0),
        display_size: int = 256,
        encoding: str = "bmp",
        data_url: bool = True,
    ) -> None:
        self._images = _load_images(image, name)
        check_choice(operation, "operation", OPERATIONS, "KernelEditor")
        check_choice(scaling, "scaling", SCALINGS, "KernelEditor")
        check_choice(encoding, "encoding", ENCODINGS, "KernelEditor")
        self._boundary = check_boundary(boundary, "KernelEditor")
        if not (isinstance(step, (int, float)) and step > 0 and np.isfinite(step)):
            raise ValueError(f"KernelEditor: step must be a positive number; got {step!r}")
        low, high = weight_range
        if not (np.isfinite(low) and np.isfinite(high) and low < 0 < high):
            raise ValueError(f"KernelEditor: weight_range must be (low, high), low < 0 < high; got {weight_range!r}")
        self._step = float(step)
        self._limit = float(min(-low, high))
        self._encoding = encoding
        self._data_url = bool(data_url)
        display_size = check_positive_int(display_size, "display_size", "KernelEditor", minimum=16)

        preset, weights, needs_normalise = self._resolve_kernel(kernel)
        if size is None:
            size = weights.shape[0]
        if size not in KERNEL_SIZES:
            raise ValueError(f"KernelEditor: size must be one of {KERNEL_SIZES}; got {size!r}")
        if weights.shape[0] > size:
            raise ValueError(f"KernelEditor: a {weights.shape[0]}x{weights.shape[0]} kernel does not fit size={size}")
        if normalise is None:
            normalise = needs_normalise
        self._batch_depth = 0
        self._dirty = False
        self._live = False
        self._preset_weights: np.ndarray | None = None
        self.update_times_ms: list[float] = []  # kernel-side time of each picture update

        self._build_widgets(display_size, operation, scaling, bool(normalise), size, float(low), float(high))
        with self._batched():
            self._set_size(size)
            self._load_weights(weights)
            if preset is not None:
                self._preset.value = preset
                self._preset_weights = self.weights.copy()
        self._refresh_input()
        self._live = True

    # --- construction helpers ---

    def _resolve_kernel(self, kernel: object) -> tuple[str | None, np.ndarray, bool]:
        if isinstance(kernel, str):
            if kernel not in kernels.GALLERY:
                listed = ", ".join(repr(k) for k in kernels.GALLERY)
                raise ValueError(f"KernelEditor: kernel must be one of {listed}, or an array; got {kernel!r}")
            array, preset = kernels.GALLERY[kernel](), kernel
        else:
            array, preset = as_numeric_array(kernel, "kernel").astype(np.float64), None
            if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] not in KERNEL_SIZES:
                raise ValueError(f"KernelEditor: kernel must be 3x3 or 5x5; got shape {array.shape}")
            if not np.all(np.isfinite(array)):
                raise ValueError("KernelEditor: kernel contains NaN or infinity")
        weights, needs_normalise = _as_weights(array, self._step, self._limit)
        return preset, weights, needs_normalise

    def _build_widgets(
        self, display_size: int, operation: str, scaling: str, normalise: bool, size: int, low: float, high: float
    ) -> None:
        width = f"{display_size}px"
        names = list(self._images)
        self._image_choice = widgets.Dropdown(
            options=names, value=names[0], description="image", disabled=len(names) == 1,
            layout=widgets.Layout(width="200px"), style={"description_width": "50px"},
        )  # fmt: skip
        self._preset = widgets.Dropdown(
            options=["custom", *kernels.GALLERY], value="custom", description="preset",
            layout=widgets.Layout(width="200px"), style={"description_width": "50px"},
        )  # fmt: skip
        self._size = widgets.ToggleButtons(
            options=[("3×3", 3), ("5×5", 5)], value=size, tooltips=["3x3 kernel", "5x5 kernel"],
            style={"button_width": "48px"}, layout=widgets.Layout(width="auto"),
        )  # fmt: skip
        self._normalise = widgets.Checkbox(
            value=normalise, description="normalise (÷ sum)", indent=False, layout=widgets.Layout(width="150px")
        )
        self._operation = widgets.ToggleButtons(
            options=list(OPERATIONS), value=operation,
            tooltips=["slide the kernel as it is (a CNN layer)", "flip the kernel on both axes first"],
            style={"button_width": "104px"}, layout=widgets.Layout(width="auto"),
        )  # fmt: skip
        self._scaling = widgets.Dropdown(
            options=list(SCALINGS),
            value=scaling, description="show", layout=widgets.Layout(width="150px"),
            style={"description_width": "40px"},
        )  # fmt: skip
        self._sliders = [
            [
                widgets.FloatSlider(
                    value=0.0,
                    min=low,
                    max=high,
                    step=self._step,
                    continuous_update=True,
                    readout=True,
                    readout_format=".2f",
                    tooltip=f"weight ({row}, {column})",
                    layout=widgets.Layout(width="auto", min_width="0"),
                )
                for column in range(5)
            ]
            for row in range(5)
        ]
        self._grid = widgets.GridBox(layout=widgets.Layout(grid_gap="0px 4px", width="auto"))
        # The first pictures are compact PNGs (they are what a saved notebook's widget state keeps);
        # live updates switch the output to the fast format.
        self._input_image = widgets.Image(format="png", layout=widgets.Layout(width=width))
        self._output_image = widgets.Image(format="png", layout=widgets.Layout(width=width))
        self._input_label = widgets.HTML()
        self._output_label = widgets.HTML()
        self._readout = widgets.HTML()
        style = widgets.HTML(_STYLE, layout=widgets.Layout(display="none"))
        controls = widgets.VBox(
            [
                widgets.HBox([self._preset, self._image_choice]),
                widgets.HBox([self._size, self._operation]),
                widgets.HBox([self._normalise, self._scaling]),
                self._grid,
                self._readout,
                style,
            ],
            layout=widgets.Layout(width="540px"),
        )
        pictures = [
            widgets.VBox([self._input_label, self._input_image], layout=widgets.Layout(width=width)),
            widgets.VBox([self._output_label, self._output_image], layout=widgets.Layout(width=width)),
        ]
        self.widget = widgets.HBox(
            [*pictures, controls],
            layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap", width="auto"),
        )
        self.widget.add_class("convlib-kernel-editor")
        for widget, name in (
            (self._output_image, "output"), (self._input_image, "input"), (self._grid, "weights"),
            (self._preset, "preset"), (self._image_choice, "image-choice"), (self._size, "size"),
            (self._normalise, "normalise"), (self._operation, "operation"), (self._scaling, "scaling"),
            (self._readout, "readout"),
        ):  # fmt: skip
            widget.add_class(f"convlib-{name}")  # stable hooks for the browser test and for CSS
        self._own_widgets = [
            self.widget, controls, *pictures, *controls.children[:3], self._grid, self._image_choice, self._preset,
            self._size, self._normalise, self._operation, self._scaling, self._input_image, self._output_image,
            self._input_label, self._output_label, self._readout, style, *(s for row in self._sliders for s in row),
        ]  # fmt: skip

        for row in self._sliders:
            for slider in row:
                slider.observe(self._on_weight, names="value")
        self._preset.observe(self._on_preset, names="value")
        self._image_choice.observe(self._on_image, names="value")
        self._size.observe(self._on_size, names="value")
        for control in (self._normalise, self._operation, self._scaling):
            control.observe(self._on_setting, names="value")

    @property
    def _widget_format(self) -> str:
        return "url" if self._data_url else self._encoding.split("-")[0]

    def _picture(self, pixels: np.ndarray) -> bytes:
        """The ``ipywidgets.Image`` value for ``pixels``: the file's bytes, or a ``data:`` URL of them."""
        data = encode_gray(pixels, self._encoding)
        if not self._data_url:
            return data
        mime = "image/bmp" if self._encoding == "bmp" else "image/png"
        return f"data:{mime};base64,".encode("ascii") + base64.b64encode(data)

    # --- state ---

    @property
    def size(self) -> int:
        """The kernel's size: 3 or 5."""
        return int(self._size.value)

    @size.setter
    def size(self, value: int) -> None:
        if value not in KERNEL_SIZES:
            raise ValueError(f"KernelEditor: size must be one of {KERNEL_SIZES}; got {value!r}")
        self._size.value = value

    @property
    def image_name(self) -> str:
        """The name of the image being filtered."""
        return str(self._image_choice.value)

    @image_name.setter
    def image_name(self, value: str) -> None:
        check_choice(value, "image_name", self._images, "KernelEditor")
        self._image_choice.value = value

    @property
    def image(self) -> np.ndarray:
        """The image being filtered: float64 in 0..1, read-only."""
        return self._images[self.image_name]

    @property
    def operation(self) -> str:
        """``"correlate2d"`` or ``"convolve2d"``."""
        return str(self._operation.value)

    @operation.setter
    def operation(self, value: str) -> None:
        self._operation.value = check_choice(value, "operation", OPERATIONS, "KernelEditor")

    @property
    def normalise(self) -> bool:
        """Whether the weights are divided by their sum (when it is not 0)."""
        return bool(self._normalise.value)

    @normalise.setter
    def normalise(self, value: bool) -> None:
        self._normalise.value = bool(value)

    @property
    def scaling(self) -> str:
        """The chosen scaling, possibly ``"auto"``; see :attr:`scaling_in_effect`."""
        return str(self._scaling.value)

    @scaling.setter
    def scaling(self, value: str) -> None:
        self._scaling.value = check_choice(value, "scaling", SCALINGS, "KernelEditor")

    @property
    def scaling_in_effect(self) -> str:
        """``"clip"``, ``"rescale"`` or ``"abs"``: how the output shown was made."""
        if self.scaling != "auto":
            return self.scaling
        return "abs" if self.weights.sum() == 0 else "clip"

    @property
    def boundary(self) -> str:
        """The border mode used for ``mode="same"``."""
        return self._boundary

    @property
    def preset(self) -> str:
        """The gallery name of the kernel, or ``"custom"`` once a weight differs from it."""
        return str(self._preset.value)

    @preset.setter
    def preset(self, value: str) -> None:
        check_choice(value, "preset", self._preset.options, "KernelEditor")
        self._preset.value = value

    @property
    def sliders(self) -> list[list[widgets.FloatSlider]]:
        """The active weight sliders, ``size`` rows of ``size``."""
        offset = (5 - self.size) // 2
        return [row[offset : offset + self.size] for row in self._sliders[offset : offset + self.size]]

    @property
    def output_image_widget(self) -> widgets.Image:
        """The ``ipywidgets.Image`` showing the output."""
        return self._output_image

    @property
    def weights(self) -> np.ndarray:
        """The slider values, shape ``(size, size)`` (before normalising)."""
        return np.array([[slider.value for slider in row] for row in self.sliders], dtype=np.float64)

    @property
    def kernel(self) -> np.ndarray:
        """The kernel applied: :attr:`weights`, divided by their sum if :attr:`normalise` and it is not 0."""
        return self._kernel.copy()

    @property
    def output(self) -> np.ndarray:
        """The filter's result, float64, read-only: equal to ``correlate2d(image, kernel, mode="same",
        boundary=boundary)`` (``convolve2d`` if that is the operation)."""
        return self._output

    def output_uint8(self) -> np.ndarray:
        """The gray levels shown: ``display_uint8(output, scaling_in_effect)``."""
        return self._output_uint8.copy()

    def set_weight(self, row: int, column: int, value: float) -> None:
        """Set one weight (as if its slider moved); the output updates."""
        size = self.size
        if not (0 <= row < size and 0 <= column < size):
            raise IndexError(f"KernelEditor.set_weight: row and column must be in 0..{size - 1}; got {(row, column)}")
        self.sliders[row][column].value = value

    def set_kernel(self, kernel: str | object, normalise: bool | None = None) -> None:
        """Load a gallery name or a 3x3/5x5 array into the sliders (a 5x5 array switches to 5x5)."""
        preset, weights, needs_normalise = self._resolve_kernel(kernel)
        with self._batched():
            if weights.shape[0] > self.size:
                self._size.value = weights.shape[0]
            self._load_weights(weights)
            if normalise is not None:
                self._normalise.value = bool(normalise)
            elif needs_normalise:
                self._normalise.value = True
            self._preset_weights = self.weights.copy() if preset is not None else None
            self._preset.value = preset if preset is not None else "custom"

    # --- updating ---

    @contextmanager
    def _batched(self):
        """Make several changes, then draw once."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._dirty:
                self._dirty = False
                self._refresh()

    def _changed(self) -> None:
        if self._batch_depth:
            self._dirty = True
        else:
            self._refresh()

    def _load_weights(self, weights: np.ndarray) -> None:
        size = self.size
        full = np.zeros((size, size))
        offset = (size - weights.shape[0]) // 2
        full[offset : offset + weights.shape[0], offset : offset + weights.shape[1]] = weights
        for row, values in zip(self.sliders, full):
            for slider, value in zip(row, values):
                slider.value = float(value)
        self._dirty = True

    def _set_size(self, size: int) -> None:
        self._size.value = size
        self._grid.children = tuple(slider for row in self.sliders for slider in row)
        self._grid.layout.grid_template_columns = f"repeat({size}, minmax(0, 1fr))"
        self._dirty = True

    def _on_weight(self, change: dict) -> None:
        if not self._batch_depth and self._preset.value != "custom":
            if self._preset_weights is None or not np.array_equal(self.weights, self._preset_weights):
                with self._batched():
                    self._preset.value = "custom"
        self._changed()

    def _on_preset(self, change: dict) -> None:
        if self._batch_depth or change["new"] == "custom":
            return
        self.set_kernel(change["new"])

    def _on_size(self, change: dict) -> None:
        old, new = change["old"], change["new"]
        offset = (5 - old) // 2
        kept = np.array([[s.value for s in row[offset : offset + old]] for row in self._sliders[offset : offset + old]])
        with self._batched():
            self._set_size(new)
            if new > old:  # embed the small kernel in the centre of a zero border
                self._load_weights(kept)
            if self._preset.value != "custom":
                self._preset_weights = self.weights.copy()

    def _on_image(self, change: dict) -> None:
        self._refresh_input()
        self._changed()

    def _on_setting(self, change: dict) -> None:
        self._changed()

    def _refresh_input(self) -> None:
        self._input_image.value = encode_gray(display_uint8(self.image, "clip"), "png")
        height, width = self.image.shape
        self._input_label.value = _LABEL.format(
            f"<b>input</b>: {html.escape(self.image_name)}<br>{height}×{width} pixels, brightness 0..1"
        )

    def _refresh(self) -> None:
        """Filter, convert, send: the work done on every slider move."""
        start = time.perf_counter()
        weights = self.weights
        total = float(weights.sum())
        kernel = weights / total if self.normalise and total != 0 else weights
        self._kernel = kernel
        function = correlate2d if self.operation == "correlate2d" else convolve2d
        output = function(self.image, kernel, mode="same", boundary=self._boundary)
        output.flags.writeable = False
        self._output = output
        scaling = self.scaling_in_effect
        self._output_uint8 = display_uint8(output, scaling)
        if self._live:
            value, picture_format = self._picture(self._output_uint8), self._widget_format
        else:
            value, picture_format = encode_gray(self._output_uint8, "png"), "png"
        with self._output_image.hold_sync():  # format and picture travel in one message
            self._output_image.format = picture_format
            self._output_image.value = value
        elapsed = (time.perf_counter() - start) * 1e3
        self.update_times_ms.append(elapsed)
        del self.update_times_ms[:-1000]
        how = "the kernel slid as it is, as in a CNN" if self.operation == "correlate2d" else "the kernel flipped first"
        self._output_label.value = _LABEL.format(f"<b>output</b>: <code>{self.operation}</code>, mode='same'<br>{how}")
        self._readout.value = self._readout_html(total, scaling, elapsed)

    def _readout_html(self, total: float, scaling: str, elapsed_ms: float) -> str:
        low, high = float(self._output.min()), float(self._output.max())
        if not self.normalise:
            note = ""
        elif total == 0:
            note = " (sum is 0: not normalised)"
        else:
            note = f" → kernel = weights ÷ {total:g}"
        shown = {
            "clip": "values clipped to 0..1",
            "rescale": "min → black, max → white",
            "abs": "|value| ÷ max |value|",
        }[scaling]
        return (
            f"<div style='line-height:1.4'>sum of weights = <b class='convlib-sum'>{total:g}</b>{note}<br>"
            f"output min = <b class='convlib-min'>{low:.3g}</b>, max = <b class='convlib-max'>{high:.3g}</b>"
            f" · shown: {shown}<br>"
            f"<span style='color:var(--jp-ui-font-color2, gray)'>mode='same', boundary='{self._boundary}'"
            f" · kernel-side update <span class='convlib-update-ms'>{elapsed_ms:.1f}</span> ms</span></div>"
        )

    # --- the static picture and the text ---

    def _plain_text(self) -> str:
        return (
            f"KernelEditor(image={self.image_name!r}, kernel={self.preset!r}, size={self.size}, "
            f"normalise={self.normalise}, operation={self.operation!r}, scaling={self.scaling!r})"
        )

    def static_png(self) -> bytes:
        """Input, kernel and output side by side, as a PNG (the picture shown without a kernel)."""
        from matplotlib.figure import Figure  # only when a static picture is asked for

        figure = Figure(figsize=(9.6, 3.4), dpi=80, layout="constrained")
        left, middle, right = figure.subplots(1, 3, width_ratios=[1, 0.8, 1])
        left.imshow(self.image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        left.set_title(f"input: {self.image_name}")
        kernel = self._kernel
        limit = max(float(np.abs(kernel).max()), 1e-12)
        middle.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
        for (row, column), value in np.ndenumerate(kernel):
            middle.text(column, row, f"{value:.3g}", ha="center", va="center", fontsize=9 if self.size == 3 else 7)
        middle.set_title(f"kernel: {self.preset}" + (" (normalised)" if self.normalise else ""))
        right.imshow(self._output_uint8, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        right.set_title(f"{self.operation}, shown: {self.scaling_in_effect}")
        for axes in (left, middle, right):
            axes.set_xticks([])
            axes.set_yticks([])
        figure.suptitle("KernelEditor (static picture: run the notebook to drag the weights)", fontsize=10)
        return _png_of_figure(figure)


# --- MovingAverageExplorer --------------------------------------------------------------------------------


class MovingAverageExplorer(LiveView):
    """A slider for the width of a moving average over a noisy signal; the plot follows.

    The smoothed signal is ``convolve1d(signal, np.full(width, 1 / width), mode="same",
    boundary=boundary)``. With ``boundary="constant"`` (zeros beyond the ends, convlib's and
    numpy's default) the ends sag towards 0 as the window grows: the edge effect.
    An even width cannot be centred: ``"same"`` puts the extra sample before.

    Parameters
    ----------
    signal : array_like, shape (N,)
        The noisy signal.
    width : int
        The starting width of the window.
    max_width : int or None
        The slider's maximum (default ``min(N, 51)``, at least ``width``).
    clean : array_like, shape (N,), optional
        The signal without noise, drawn dashed for comparison.
    boundary : {"constant", "edge", "reflect", "symmetric", "wrap"}

    Examples
    --------
    >>> explorer = MovingAverageExplorer(np.arange(10.0), width=3)
    >>> explorer
    MovingAverageExplorer(signal=<10 samples>, width=3, mode='same', boundary='constant')
    >>> explorer.width = 5
    >>> explorer.smoothed[:3]
    array([0.6, 1.2, 2. ])
    """

    def __init__(
        self,
        signal: object,
        width: int = 5,
        max_width: int | None = None,
        *,
        clean: object = None,
        boundary: str = "constant",
    ) -> None:
        values = as_numeric_array(signal, "signal")
        if values.ndim != 1 or values.size < 2:
            raise ValueError(f"MovingAverageExplorer: signal must be 1-D, at least 2 samples; got shape {values.shape}")
        if values.dtype.kind == "c" or not np.all(np.isfinite(values)):
            raise ValueError("MovingAverageExplorer: signal must be real and finite (no NaN or infinity)")
        self._signal = _read_only(values.astype(np.float64))
        self._clean = None
        if clean is not None:
            clean_values = as_numeric_array(clean, "clean").astype(np.float64)
            if clean_values.shape != values.shape:
                raise ValueError(
                    f"MovingAverageExplorer: clean must have shape {values.shape}, as signal; got {clean_values.shape}"
                )
            self._clean = _read_only(clean_values)
        self._boundary = check_boundary(boundary, "MovingAverageExplorer")
        width = check_positive_int(width, "width", "MovingAverageExplorer")
        if max_width is None:
            max_width = max(width, min(values.size, 51))
        max_width = check_positive_int(max_width, "max_width", "MovingAverageExplorer")
        if width > max_width:
            raise ValueError(f"MovingAverageExplorer: width must be <= max_width={max_width}; got {width}")

        self._slider = widgets.IntSlider(
            value=width, min=1, max=max_width, step=1, description="width", continuous_update=True,
            layout=widgets.Layout(width="420px"),
        )  # fmt: skip
        self._picture = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
        self._label = widgets.HTML()
        self.widget = widgets.VBox([self._slider, self._label, self._picture])
        self.widget.add_class("convlib-moving-average")
        self._own_widgets = [self.widget, self._slider, self._picture, self._label]
        self._figure = None
        self._slider.observe(lambda change: self._refresh(), names="value")
        self._refresh()

    @property
    def signal(self) -> np.ndarray:
        """The noisy signal, float64, read-only."""
        return self._signal

    @property
    def slider(self) -> widgets.IntSlider:
        """The width slider."""
        return self._slider

    @property
    def width(self) -> int:
        """The moving average's width (the slider's value)."""
        return int(self._slider.value)

    @width.setter
    def width(self, value: int) -> None:
        value = check_positive_int(value, "width", "MovingAverageExplorer")
        if value > self._slider.max:
            raise ValueError(f"MovingAverageExplorer: width must be <= max_width={self._slider.max}; got {value}")
        self._slider.value = value

    @property
    def kernel(self) -> np.ndarray:
        """``np.full(width, 1 / width)``."""
        return np.full(self.width, 1 / self.width)

    @property
    def smoothed(self) -> np.ndarray:
        """The moving average: ``convolve1d(signal, kernel, mode="same", boundary=boundary)``."""
        return self._smoothed

    def _refresh(self) -> None:
        self._smoothed = convolve1d(self._signal, self.kernel, mode="same", boundary=self._boundary)
        self._smoothed.flags.writeable = False
        self._label.value = (
            f"kernel: {self.width} weights of 1/{self.width} = {1 / self.width:.3g} · "
            f"<code>convolve1d(signal, np.full({self.width}, 1/{self.width}), mode='same')</code>"
        )
        self._picture.value = self.static_png()

    def _draw(self) -> None:
        if self._figure is None:
            from matplotlib.figure import Figure

            self._figure = Figure(figsize=(8, 3), dpi=80, layout="constrained")
            axes = self._figure.subplots()
            positions = np.arange(self._signal.size)
            axes.plot(positions, self._signal, color="0.6", linewidth=0.8, label="noisy signal")
            if self._clean is not None:
                axes.plot(positions, self._clean, color="k", linestyle="--", linewidth=1, label="clean signal")
            (self._line,) = axes.plot(positions, self._smoothed, color="C0", linewidth=2)
            axes.set_xlabel("sample")
            axes.margins(x=0)
            self._axes = axes
        self._line.set_ydata(self._smoothed)
        self._line.set_label(f"moving average, width {self.width}")
        self._axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=9, frameon=False)
        self._axes.set_title(f"moving average of width {self.width}: mode='same', boundary='{self._boundary}'")

    def static_png(self) -> bytes:
        """The current plot as a PNG (the same picture the live view shows)."""
        self._draw()
        return _png_of_figure(self._figure)

    def _plain_text(self) -> str:
        return (
            f"MovingAverageExplorer(signal=<{self._signal.size} samples>, width={self.width}, mode='same', "
            f"boundary={self._boundary!r})"
        )
