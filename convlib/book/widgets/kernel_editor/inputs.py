"""What the KernelEditor accepts: the operations and kernel sizes it offers, and the checks that turn
the caller's images and kernels into arrays it can filter and show on its sliders.

Every error names ``KernelEditor`` and says how to fix the argument.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from convlib import kernels
from convlib.book.widgets.live_view import read_only
from convlib.validation import as_numeric_array

#: The two operations the editor can show. ``correlate2d`` slides the kernel as it is (what a
#: CNN layer computes); ``convolve2d`` flips it on both axes first.
OPERATIONS = ("correlate2d", "convolve2d")


#: Kernel sizes the editor offers.
KERNEL_SIZES = (3, 5)


def check_gray_image(image: object, name: str) -> np.ndarray:
    """A grayscale image as read-only float64 in [0, 1], or a helpful error.

    Parameters
    ----------
    image : array_like (H, W)
        Brightness as floats in ``0..1``, or ``uint8`` (divided by 255).
    name : str
        The image's name, for the error messages.

    Returns
    -------
    numpy.ndarray
        A float64 copy, read-only.

    Raises
    ------
    ValueError
        For a colour, non-2-D, empty or non-finite image, or brightness outside ``0..1``.
    TypeError
        For complex values or integers other than ``uint8``.

    Examples
    --------
    >>> check_gray_image(np.array([[0, 255]], dtype=np.uint8), "pair")
    array([[0., 1.]])
    >>> check_gray_image([[0.0, 2.0]], "bright")
    Traceback (most recent call last):
    ...
    ValueError: KernelEditor: image 'bright' must hold brightness in 0..1; got values from 0 to 2. ...
    """
    array = as_numeric_array(image, f"image {name!r}", "KernelEditor")
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
        return read_only(array / 255.0)
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
    return read_only(array)


def load_images(image: object, name: str | None) -> dict[str, np.ndarray]:
    """The editor's images by name, each checked by :func:`check_gray_image`.

    Parameters
    ----------
    image : array_like (H, W), dict of name → array_like, str or list of str
        One image, several by name, or names of sample photographs (loaded with
        ``convlib.images.load_image(name, gray=True)``).
    name : str or None
        The name of a single array (default ``"image"``).

    Returns
    -------
    dict of str → numpy.ndarray

    Examples
    --------
    >>> list(load_images(np.zeros((2, 2)), None))
    ['image']
    >>> list(load_images({"dark": np.zeros((2, 2)), "light": np.ones((2, 2))}, None))
    ['dark', 'light']
    """
    if isinstance(image, str):
        image = [image]
    if isinstance(image, Sequence) and image and all(isinstance(item, str) for item in image):
        from convlib.images import load_image  # the sample photographs, only when asked for by name

        return {item: check_gray_image(load_image(item, gray=True), item) for item in image}
    if isinstance(image, Mapping):
        if not image:
            raise ValueError("KernelEditor: image must not be an empty dict; give at least one name → array")
        for key in image:
            if not isinstance(key, str):
                raise TypeError(f"KernelEditor: the image dict's keys must be names (str); got {key!r}")
        return {key: check_gray_image(value, key) for key, value in image.items()}
    label = "image" if name is None else name
    return {label: check_gray_image(image, label)}


def as_weights(kernel: np.ndarray, step: float, limit: float) -> tuple[np.ndarray, bool]:
    """Slider weights for ``kernel`` and whether to normalise, or raise ``ValueError``.

    Weights must sit on the sliders' grid (multiples of ``step`` within ``±limit``). A kernel that
    sums to 1 but is off the grid (``box(3)``, the binomial blur) is given as whole-number weights
    to be divided by their sum: ``[[1, 2, 1], [2, 4, 2], [1, 2, 1]]`` with normalise on.

    Examples
    --------
    >>> weights, normalise = as_weights(np.full((3, 3), 1 / 9), step=0.25, limit=8.0)
    >>> weights[0], normalise
    (array([1., 1., 1.]), True)
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


def resolve_kernel(kernel: object, step: float, limit: float) -> tuple[str | None, np.ndarray, bool]:
    """A gallery name or a 3x3/5x5 array as ``(preset, weights, needs_normalise)``.

    Parameters
    ----------
    kernel : str or array_like
        A name from :data:`convlib.kernels.GALLERY`, or a 3x3 or 5x5 array.
    step, limit : float
        The sliders' grid (see :func:`as_weights`).

    Returns
    -------
    preset : str or None
        The gallery name, or ``None`` for an array.
    weights : numpy.ndarray
        The slider values.
    needs_normalise : bool
        Whether the weights must be divided by their sum to give the kernel.

    Examples
    --------
    >>> preset, weights, needs_normalise = resolve_kernel("sobel x", step=0.25, limit=8.0)
    >>> preset, weights[1], needs_normalise
    ('sobel x', array([-2.,  0.,  2.]), False)
    """
    if isinstance(kernel, str):
        if kernel not in kernels.GALLERY:
            listed = ", ".join(repr(k) for k in kernels.GALLERY)
            raise ValueError(f"KernelEditor: kernel must be one of {listed}, or an array; got {kernel!r}")
        array, preset = kernels.GALLERY[kernel](), kernel
    else:
        array, preset = as_numeric_array(kernel, "kernel", "KernelEditor").astype(np.float64), None
        if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] not in KERNEL_SIZES:
            raise ValueError(f"KernelEditor: kernel must be 3x3 or 5x5; got shape {array.shape}")
        if not np.all(np.isfinite(array)):
            raise ValueError("KernelEditor: kernel contains NaN or infinity")
    weights, needs_normalise = as_weights(array, step, limit)
    return preset, weights, needs_normalise
