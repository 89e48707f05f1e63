"""Checkers for notebook 02 (2-D kernels on real images)."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator

import numpy as np

from convlib.book.exercises.core import CheckResult, ExerciseError, NotAttempted, call_answer, run_checks
from convlib.convolution import convolve2d, correlate2d


def _image_cases(seed: int = 2) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    cases = [(np.arange(16.0).reshape(4, 4), np.array([[1.0, 2.0], [3.0, 4.0]]))]
    for shape, kernel_shape in [((5, 6), (3, 3)), ((7, 5), (2, 3)), ((6, 6), (1, 1)), ((4, 9), (4, 2))]:
        cases.append((rng.integers(0, 9, shape).astype(float), rng.integers(-3, 4, kernel_shape).astype(float)))
    return cases


def check_correlate2d(function: Callable[[np.ndarray, np.ndarray], object]) -> CheckResult:
    """Check a learner's ``function(image, kernel)`` that should return the ``"valid"`` cross-correlation.

    Recognises: convolution instead of correlation (a flipped kernel), the classic loop bound
    ``range(H - KH)`` that stops one row and one column short, and a wrong shape.

    Examples
    --------
    >>> check_correlate2d(lambda image, kernel: correlate2d(image, kernel, mode="valid"))
    correlate2d: correct!
    CheckResult(passed=True)
    """

    def checks() -> None:
        for image, kernel in _image_cases():
            got = np.asarray(call_answer(function, image.copy(), kernel.copy()), dtype=float)
            expected = correlate2d(image, kernel, mode="valid")
            where = f"for an image of shape {image.shape} and a kernel of shape {kernel.shape}"
            if got.shape == tuple(s - 1 for s in expected.shape) and np.allclose(got, expected[:-1, :-1]):
                raise ExerciseError(
                    f"your output has shape {got.shape}, one row and one column short of {expected.shape} {where}: "
                    "range(H - KH) stops too early, the last window starts at H - KH, so use range(H - KH + 1)"
                )
            if got.shape != expected.shape:
                raise ExerciseError(
                    f"wrong shape {where}: 'valid' has (H - KH + 1, W - KW + 1) = {expected.shape}, got {got.shape}"
                )
            if np.allclose(got, expected):
                continue
            if np.allclose(got, convolve2d(image, kernel, mode="valid")):
                raise ExerciseError(
                    f"you computed a convolution (the kernel flipped) {where}; correlation slides the kernel as it is"
                )
            raise ExerciseError(f"wrong values {where}: expected\n{expected}\ngot\n{got}")

    return run_checks("correlate2d", checks)


def check_blur_kernel(kernel: object) -> CheckResult:
    """Check a 5x5 blur that keeps brightness: non-negative weights summing to 1, the centre heavier than the rest.

    Recognises a kernel that does not sum to 1, negative weights, a flat box (every weight equal), an
    off-centre peak, and one that keeps nearly all its weight in one place (the identity), which does
    not blur.

    Examples
    --------
    >>> row = np.array([1.0, 4.0, 6.0, 4.0, 1.0])
    >>> check_blur_kernel(np.outer(row, row) / 256)
    blur kernel: correct!
    CheckResult(passed=True)
    """

    def checks() -> None:
        if kernel is None:
            raise NotAttempted("my_blur is still None")
        weights = np.asarray(kernel, dtype=float)
        if weights.shape != (5, 5):
            raise ExerciseError(f"the kernel must be 5x5; got shape {weights.shape}")
        if np.any(weights < 0):
            raise ExerciseError("a blur averages: negative weights subtract neighbours (that sharpens or finds edges)")
        total = weights.sum()
        if not np.isclose(total, 1.0):
            raise ExerciseError(
                f"the weights sum to {total:g}, so a flat gray image comes out {total:g} times as bright: "
                f"divide the kernel by {total:g}"
            )
        others = np.delete(weights.ravel(), 12)  # every weight but the centre's
        if weights[2, 2] <= others.max() + 1e-12:
            if np.allclose(weights, weights[2, 2]):
                raise ExerciseError(
                    "all 25 weights are equal: that is a box blur, which weighs a pixel at the corner of the window "
                    "as much as the centre; make the centre weigh more than any other pixel (e.g. weights falling "
                    "off with the distance from the centre)"
                )
            raise ExerciseError(
                f"the centre weight ({weights[2, 2]:g}) should be larger than every other weight "
                f"(the largest other is {others.max():g})"
            )
        concentration = float((weights**2).sum())  # 1 for the identity, 1/25 for a 5x5 box
        if concentration > 0.5:
            raise ExerciseError(
                f"this kernel barely mixes neighbours (its squared weights sum to {concentration:.2f}; the "
                "identity's to 1, a 5x5 box's to 0.04): a blur spreads its weight over the neighbourhood"
            )

    return run_checks("blur kernel", checks)


class _ReadyMadeUsed(Exception):
    """Raised in place of convlib's ready-made display conversions while the learner's ``to_display`` runs."""


def _ready_made_conversions() -> list[tuple[object, str, object]]:
    """(module, attribute, original) for every convlib function that already turns floats into a picture."""
    import convlib
    import convlib.images
    from convlib.book.widgets import pictures

    return [
        (convlib, "to_uint8", convlib.to_uint8),
        (convlib.images, "to_uint8", convlib.images.to_uint8),
        (convlib.images, "scale_to_uint8", convlib.images.scale_to_uint8),
        (convlib.images, "_scale", convlib.images._scale),
        (pictures, "display_uint8", pictures.display_uint8),
        (pictures, "_scale", pictures._scale),
    ]


@contextlib.contextmanager
def _without_ready_made_conversions(function: Callable[..., object]) -> Iterator[None]:
    """Make ``convlib.to_uint8`` and its relatives raise :class:`_ReadyMadeUsed` while ``function`` runs.

    The names are replaced where they live, in ``function``'s own globals (``from convlib import
    to_uint8``) and in the variables it closes over, and put back afterwards.
    """
    originals = _ready_made_conversions()
    ready_made = {id(original) for _, _, original in originals}

    def refuse(*args: object, **kwargs: object) -> None:
        raise _ReadyMadeUsed("to_uint8")

    namespace = getattr(function, "__globals__", {})
    rebound = {name: value for name, value in namespace.items() if id(value) in ready_made}
    cells = [cell for cell in (getattr(function, "__closure__", None) or ()) if _holds(cell, ready_made)]
    kept = [cell.cell_contents for cell in cells]
    try:
        for module, attribute, _ in originals:
            setattr(module, attribute, refuse)
        for name in rebound:
            namespace[name] = refuse
        for cell in cells:
            cell.cell_contents = refuse
        yield
    finally:
        for module, attribute, original in originals:
            setattr(module, attribute, original)
        namespace.update(rebound)
        for cell, value in zip(cells, kept, strict=True):
            cell.cell_contents = value


def _holds(cell: object, ready_made: set[int]) -> bool:
    """Whether a closure cell holds one of the ready-made conversions (an empty cell holds nothing)."""
    try:
        return id(cell.cell_contents) in ready_made
    except ValueError:
        return False


def _cast_as_astype(response: np.ndarray) -> np.ndarray:
    """``response.astype(np.uint8)`` on this machine, without numpy's warning (out of range, the cast is undefined)."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return response.astype(np.uint8)


def check_to_display(function: Callable[[np.ndarray], object]) -> CheckResult:
    """Check a learner's ``function(response)`` turning a signed float edge response into a ``uint8`` picture.

    The picture must be ``uint8`` and order-preserving (a larger response never gets a darker gray),
    and use most of the 0..255 range. The exercise is to write the scaling, so ``convlib.to_uint8``
    (and ``convlib.images.scale_to_uint8``) are refused while the answer runs. Recognises
    ``astype(np.uint8)`` on floats out of range (undefined in numpy: the result differs between
    machines), ``|value|`` (the sign dropped), and clipping to ``0..1`` (every negative response black).

    Examples
    --------
    >>> def to_display(response):
    ...     low, high = response.min(), response.max()
    ...     return np.round(255 * (response - low) / (high - low)).astype(np.uint8)
    >>> check_to_display(to_display)
    display conversion: correct!
    CheckResult(passed=True)
    >>> import convlib
    >>> check_to_display(lambda response: convlib.to_uint8(response, scaling="rescale"))
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: your answer calls convlib.to_uint8, which does the whole job: ...
    """
    rng = np.random.default_rng(5)
    responses = [np.linspace(-3.0, 4.0, 64).reshape(8, 8), rng.normal(size=(16, 16)) * 200]

    def answer(response: np.ndarray) -> np.ndarray:
        try:
            with _without_ready_made_conversions(function):
                return np.asarray(call_answer(function, response.copy()))
        except ExerciseError as error:
            if isinstance(error.__cause__, _ReadyMadeUsed):
                raise ExerciseError(
                    "your answer calls convlib.to_uint8, which does the whole job: the exercise is to write the "
                    "scaling yourself (which value becomes 0, which 255, then round and cast)"
                ) from None
            raise

    def checks() -> None:
        for response in responses:
            got = answer(response)
            if got.shape != response.shape:
                raise ExerciseError(f"the picture must keep the shape {response.shape}; got {got.shape}")
            if got.dtype != np.uint8:
                raise ExerciseError(f"the picture must be uint8 (0..255), got dtype {got.dtype}")
            if np.array_equal(got, _cast_as_astype(response)):
                raise ExerciseError(
                    "you cast the floats with astype(np.uint8) as they are: numpy leaves a cast of values outside "
                    "0..255 undefined (negative values come out as 255 on some machines and 0 on others; numpy "
                    "warns 'invalid value encountered in cast'), and fractions are cut to whole numbers. Scale the "
                    "values into 0..255 first, then round and cast"
                )
            order = np.argsort(response, axis=None, kind="stable")
            if np.any(np.diff(got.ravel()[order].astype(int)) < 0):
                by_size = np.argsort(np.abs(response), axis=None, kind="stable")
                if np.all(np.diff(got.ravel()[by_size].astype(int)) >= 0):
                    raise ExerciseError(
                        "a larger response got a darker gray: you showed |value|, which makes -3 as bright as +3; "
                        "here the sign matters, so the most negative value should be the darkest"
                    )
                raise ExerciseError("a larger response got a darker gray somewhere: the mapping is not monotonic")
            if int(got.max()) - int(got.min()) < 200:
                raise ExerciseError(
                    f"the picture only uses gray levels {got.min()}..{got.max()}: scale it to use the 0..255 range"
                )
            negative_grays = np.unique(got[response < 0])
            if negative_grays.size < 5:
                shared = (
                    f"every negative response got the same gray ({negative_grays[0]})"
                    if negative_grays.size == 1
                    else f"the negative responses got only {negative_grays.size} gray levels"
                )
                raise ExerciseError(
                    f"{shared}: you clipped away the negative half; an edge response is signed, and its "
                    "negative values are edges too"
                )

    return run_checks("display conversion", checks)
