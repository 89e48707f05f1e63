"""A gallery of classic image kernels, each a small float64 array.

Every kernel is written the way it is *correlated* with an image (slid as it is,
like a CNN layer and ``cv2.filter2D``). For the symmetric ones (box, Gaussian,
sharpen, Laplacian, edge) convolution gives the same result; for the asymmetric
ones (Sobel, emboss) convolution flips the kernel and so the sign or direction
of the response.

Blurs sum to 1 (they keep the image's brightness); edge detectors sum to 0
(a flat region gives 0); sharpen and emboss sum to 1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.validation import as_real_number, check_allocation, check_positive_int


def identity(size: int = 3) -> np.ndarray:
    """A single 1 in the centre: returns the image unchanged. Sums to 1.

    Examples
    --------
    >>> identity()
    array([[0., 0., 0.],
           [0., 1., 0.],
           [0., 0., 0.]])
    """
    size = check_positive_int(size, "size", "identity")
    if size % 2 == 0:
        raise ValueError(f"identity: size must be odd so that there is a centre; got {size}")
    check_allocation((size, size), np.float64, "identity", f"size {size}")
    kernel = np.zeros((size, size))
    kernel[size // 2, size // 2] = 1.0
    return kernel


def box(size: int | tuple[int, int]) -> np.ndarray:
    """The mean of a ``size`` by ``size`` window (a moving average): a blur. Sums to 1.

    Parameters
    ----------
    size : int or (int, int)
        Side length, or ``(height, width)``.

    Examples
    --------
    >>> box(2)
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    if isinstance(size, np.ndarray) and size.ndim == 1:
        size = size.tolist()  # a pair given as an array
    if isinstance(size, tuple | list) and len(size) == 2:
        height, width = size
    elif isinstance(size, tuple | list):
        raise ValueError(f"box: size must be an int or a pair (height, width); got {size!r}")
    else:
        height = width = size
    height = check_positive_int(height, "size", "box")
    width = check_positive_int(width, "size", "box")
    check_allocation((height, width), np.float64, "box", f"size {(height, width)}")
    return np.full((height, width), 1.0 / (height * width))


def gaussian_1d(size: int, sigma: float) -> np.ndarray:
    """Samples of a Gaussian bell curve, normalised to sum to 1, centred on the middle.

    The exponent is taken relative to the centre tap(s): ``exp(-(x**2 - x_min**2) / (2 sigma**2))``,
    the same kernel after normalisation, but the centre is ``exp(0) = 1`` however small ``sigma`` is.
    So a tiny ``sigma`` gives its limit (all the mass on the centre tap, or split equally between the
    two centre taps of an even size) rather than ``0 / 0 = NaN``.

    Parameters
    ----------
    size : int
        The number of taps; an odd size has a centre tap.
    sigma : float
        The bell's standard deviation in taps, finite and > 0.

    Returns
    -------
    numpy.ndarray, shape (size,)
        float64 weights summing to 1.

    Examples
    --------
    >>> np.round(gaussian_1d(3, 1.0), 4)
    array([0.2741, 0.4519, 0.2741])
    >>> gaussian_1d(4, 1e-3)  # the limit: the two centre taps share the mass
    array([0. , 0.5, 0.5, 0. ])
    """
    return _gaussian_1d(size, sigma, "gaussian_1d")


def _gaussian_1d(size: object, sigma: object, function: str) -> np.ndarray:
    """:func:`gaussian_1d`, its errors named after ``function`` (the public function called)."""
    size = check_positive_int(size, "size", function)
    sigma = as_real_number(sigma, "sigma", function, finite=True, low=0, closed_low=False)
    square = (size, size) if function == "gaussian" else (size,)
    check_allocation(square, np.float64, function, f"size {size}")
    positions = np.arange(size) - (size - 1) / 2
    squares = positions**2
    excess = squares - squares.min()  # exact (squares of half-integers); 0 at the centre tap(s)
    with np.errstate(over="ignore"):  # excess / sigma may overflow to inf for a tiny sigma: exp(-inf) = 0
        weights = np.exp(-0.5 * (excess / sigma) / sigma)  # not excess / sigma**2: sigma**2 may underflow to 0
    return weights / weights.sum()  # the centre tap(s) are exp(0) = 1, so the sum is >= 1


def gaussian(size: int, sigma: float) -> np.ndarray:
    """A Gaussian blur: the outer product of two 1-D Gaussians (so it is separable). Sums to 1.

    Parameters
    ----------
    size : int
        Side length; odd sizes have a centre pixel.
    sigma : float
        The bell's standard deviation in pixels. A common choice is ``size ≈ 6 * sigma``.

    Examples
    --------
    >>> kernel = gaussian(5, 1.0)
    >>> kernel.shape, bool(abs(kernel.sum() - 1) < 1e-12)
    ((5, 5), True)
    """
    row = _gaussian_1d(size, sigma, "gaussian")
    return np.outer(row, row)


def binomial_blur() -> np.ndarray:
    """The 3x3 "Gaussian blur" of image-processing tutorials: ``[[1,2,1],[2,4,2],[1,2,1]] / 16``.

    The weights add up to 16, so the factor must be 1/16 (not 1/8, which doubles the
    brightness). Sums to 1.

    Examples
    --------
    >>> binomial_blur() * 16
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    return np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16


def sharpen() -> np.ndarray:
    """Add the centre's difference from its four neighbours: edges stand out. Sums to 1.

    Examples
    --------
    >>> sharpen()
    array([[ 0., -1.,  0.],
           [-1.,  5., -1.],
           [ 0., -1.,  0.]])
    """
    return np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]])


def sobel_x() -> np.ndarray:
    """Horizontal gradient (responds to vertical edges), smoothed vertically. Sums to 0.

    Correlated with an image, it is positive where brightness *increases* to the right;
    convolution flips it, and the sign of the response.

    Examples
    --------
    >>> sobel_x()
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]])
    """
    return np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def sobel_y() -> np.ndarray:
    """Vertical gradient (responds to horizontal edges): ``sobel_x().T``. Sums to 0.

    Correlated with an image, it is positive where brightness increases downwards.

    Examples
    --------
    >>> sobel_y()
    array([[-1., -2., -1.],
           [ 0.,  0.,  0.],
           [ 1.,  2.,  1.]])
    """
    return sobel_x().T.copy()


def laplacian() -> np.ndarray:
    """The discrete Laplacian (4-neighbour): sum of second differences; zero on flat and linear ramps. Sums to 0.

    Examples
    --------
    >>> laplacian()
    array([[ 0.,  1.,  0.],
           [ 1., -4.,  1.],
           [ 0.,  1.,  0.]])
    """
    return np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def edge_detect() -> np.ndarray:
    """The 8-neighbour edge detector: 8 times the centre minus its eight neighbours. Sums to 0.

    Examples
    --------
    >>> edge_detect()
    array([[-1., -1., -1.],
           [-1.,  8., -1.],
           [-1., -1., -1.]])
    """
    kernel = -np.ones((3, 3))
    kernel[1, 1] = 8.0
    return kernel


def emboss() -> np.ndarray:
    """A diagonal gradient added to the image: looks like relief lit from the top left. Sums to 1.

    Examples
    --------
    >>> emboss()
    array([[-2., -1.,  0.],
           [-1.,  1.,  1.],
           [ 0.,  1.,  2.]])
    """
    return np.array([[-2.0, -1.0, 0.0], [-1.0, 1.0, 1.0], [0.0, 1.0, 2.0]])


#: Name → function of no arguments giving a 3x3 kernel, for menus and figure grids.
GALLERY: dict[str, Callable[[], np.ndarray]] = {
    "identity": identity,
    "box blur": lambda: box(3),
    "gaussian blur": binomial_blur,
    "sharpen": sharpen,
    "sobel x": sobel_x,
    "sobel y": sobel_y,
    "laplacian": laplacian,
    "edge detect": edge_detect,
    "emboss": emboss,
}


def gallery() -> dict[str, np.ndarray]:
    """Every named 3x3 kernel of :data:`GALLERY`, freshly made.

    Examples
    --------
    >>> sorted(gallery())[:3]
    ['box blur', 'edge detect', 'emboss']
    """
    return {name: make() for name, make in GALLERY.items()}
