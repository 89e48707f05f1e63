"""Figures for notebook 06 (learned CNN filters), and a live view of a kernel converging.

* :func:`show_kernels`: kernels as a grid of small signed images (red positive, blue negative).
* :func:`show_weight_matrices`: dense, local and shared weight matrices side by side.
* :func:`show_kernel_convergence`: a kernel at chosen gradient steps, beside the loss curve.
* :class:`KernelConvergenceViewer`: the same with a step slider (a :class:`convlib.book.widgets.LiveView`).
* :func:`load_digits_28`: the 5,000 MNIST digits shipped in ``datasets/``.
* :func:`edge_gallery`, :func:`best_match`, :func:`neighbour_correlation`, :func:`random_filters`,
  :func:`smooth_random_filters`: the measurements of what first-layer filters became; :func:`show_filter_rows` and
  :func:`show_against_random` draw them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import traitlets
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from convlib.book.figures.common import frame
from convlib.book.figures.images import show_kernel as _show_kernel
from convlib.book.widgets import LiveView
from convlib.book.widgets.browser_view import BrowserView
from convlib.book.widgets.pictures import png_of_figure
from convlib.nn.training import KernelFit
from convlib.validation import as_numeric_array

__all__ = [
    "DATASETS",
    "KernelConvergenceViewer",
    "best_match",
    "edge_gallery",
    "load_digits_28",
    "neighbour_correlation",
    "random_filters",
    "show_against_random",
    "show_filter_rows",
    "show_kernel",
    "show_kernel_convergence",
    "show_kernels",
    "show_weight_matrices",
    "smooth_random_filters",
]


def show_kernel(ax: Axes, kernel: object, title: str = "", annotate: bool = True, limit: float | None = None) -> None:
    """One kernel on ``ax`` (see :func:`convlib.book.figures.images.show_kernel`), its numbers at least 10 pt.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> show_kernel(ax, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], "sobel x")
    >>> min(text.get_fontsize() for text in ax.texts) >= 10
    True
    >>> plt.close(fig)
    """
    _show_kernel(ax, kernel, title, annotate=annotate, limit=limit)
    for text in ax.texts:
        text.set_fontsize(max(text.get_fontsize(), 10))


def show_kernels(
    kernels: Mapping[str, object] | object,
    columns: int = 8,
    size: float = 1.1,
    annotate: bool = False,
    title: str | None = None,
) -> Figure:
    """A grid of kernels, each on its own symmetric colour scale.

    Parameters
    ----------
    kernels : mapping name → (KH, KW) array, or array of shape (K, KH, KW) or (K, 1, KH, KW)
        A Conv2d weight with one input channel can be passed as it is; its filters are titled
        ``filter 0``, ``filter 1``, ...
    columns : int
        Kernels per row.
    size : float
        Inches per kernel.
    annotate : bool
        Write the weights in (readable for 3x3 kernels at ``size >= 1``).
    title : str, optional
        A title over the whole grid.

    Examples
    --------
    >>> fig = show_kernels(np.zeros((5, 1, 3, 3)), columns=4)
    >>> len(fig.axes)
    8
    >>> plt.close(fig)
    """
    if isinstance(kernels, Mapping):
        named = {str(k): as_numeric_array(v, f"kernels[{k!r}]", "show_kernels") for k, v in kernels.items()}
    else:
        stack = as_numeric_array(kernels, "kernels", "show_kernels")
        if stack.ndim == 4 and stack.shape[1] == 1:
            stack = stack[:, 0]
        if stack.ndim != 3:
            raise ValueError(
                f"show_kernels: kernels must be a dict of 2-D arrays or an array (K, KH, KW) or (K, 1, KH, KW); "
                f"got shape {stack.shape}"
            )
        named = {f"filter {i}": k for i, k in enumerate(stack)}
    if not named:
        raise ValueError("show_kernels: kernels is empty")
    columns = min(columns, len(named))
    rows = -(-len(named) // columns)
    fig, axes = plt.subplots(
        rows, columns, figsize=(size * columns, (size + 0.2) * rows + (0.35 if title else 0)), squeeze=False
    )
    for ax in axes.flat[len(named) :]:
        ax.set_axis_off()
    for ax, (name, kernel) in zip(axes.flat, named.items()):
        show_kernel(ax, kernel, name, annotate=annotate)
    if title:
        fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return fig


def show_weight_matrices(matrices: Mapping[str, object], size: float = 2.7) -> Figure:
    """Weight matrices side by side; zeros are white, so the structure (band, diagonals) shows.

    Each panel is titled with its name and the number of *distinct free* weights is left to the
    caller (put it in the name).

    Examples
    --------
    >>> fig = show_weight_matrices({"dense": np.ones((4, 9)), "local": np.eye(4, 9)})
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    if not matrices:
        raise ValueError("show_weight_matrices: matrices is empty")
    fig, axes = plt.subplots(1, len(matrices), figsize=(size * len(matrices), size * 0.9), squeeze=False)
    for ax, (name, matrix) in zip(axes[0], matrices.items()):
        values = as_numeric_array(matrix, f"matrices[{name!r}]", "show_weight_matrices").astype(np.float64)
        scale = float(np.abs(values).max()) or 1.0
        ax.imshow(values, cmap="RdBu_r", vmin=-scale, vmax=scale, aspect="auto")
        ax.set_title(name, fontsize=12)
        ax.set_xlabel("input pixel", fontsize=12)
        ax.set_ylabel("output pixel", fontsize=12)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def _convergence_axes(figure: Figure, count: int) -> tuple[list[Axes], Axes]:
    grid = figure.add_gridspec(1, count + 2, width_ratios=[1] * count + [0.35, 1.9])
    kernel_axes = [figure.add_subplot(grid[0, i]) for i in range(count)]
    loss_ax = figure.add_subplot(grid[0, count + 1])
    return kernel_axes, loss_ax


def _draw_loss(ax: Axes, losses: np.ndarray) -> None:
    steps = np.arange(len(losses))
    positive = np.maximum(losses, np.finfo(float).tiny)
    ax.semilogy(steps, positive, color="C0")
    ax.set_xlabel("gradient step")
    ax.set_title("loss (log scale)", fontsize=12)


def show_kernel_convergence(
    fit: KernelFit, target: object, steps: Sequence[int] = (0, 5, 20, 50), title: str | None = None
) -> Figure:
    """The kernel at a few gradient steps, the kernel it should become, and the loss curve.

    Every kernel panel uses the target's colour scale, so you see the weights grow into place.
    The last step of ``fit`` is always shown.

    Parameters
    ----------
    fit : KernelFit
        From :func:`convlib.nn.training.fit_kernel`.
    target : array_like, shape (KH, KW)
        The kernel that made the data (or the one it should converge to).
    steps : sequence of int
        Steps to show (those beyond the fit are dropped).
    title : str, optional

    Examples
    --------
    >>> from convlib.nn.training import fit_kernel
    >>> image = np.random.default_rng(0).standard_normal((8, 8))
    >>> path = fit_kernel(image, image[1:-1, 1:-1], 3, lr=0.5, steps=10)
    >>> fig = show_kernel_convergence(path, [[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    >>> plt.close(fig)
    """
    if not isinstance(fit, KernelFit):
        raise TypeError(f"show_kernel_convergence: fit must be a KernelFit; got {type(fit).__name__}")
    goal = as_numeric_array(target, "target", "show_kernel_convergence").astype(np.float64)
    shown = sorted({int(s) for s in steps if 0 <= int(s) <= fit.steps} | {fit.steps})
    figure = plt.figure(figsize=(min(1.25 * (len(shown) + 1) + 2.3, 8.6), 2.1))
    kernel_axes, loss_ax = _convergence_axes(figure, len(shown) + 1)
    limit = float(np.abs(goal).max()) or 1.0
    for ax, step in zip(kernel_axes, shown):
        show_kernel(ax, fit.kernels[step], f"step {step}", annotate=goal.shape[0] <= 3, limit=limit)
    show_kernel(kernel_axes[-1], goal, "target", annotate=goal.shape[0] <= 3, limit=limit)
    kernel_axes[-1].title.set_fontweight("bold")
    _draw_loss(loss_ax, fit.losses)
    if title:
        figure.suptitle(title, fontsize=12)
    figure.subplots_adjust(left=0.02, right=0.98, bottom=0.25, top=0.78 if title else 0.85, wspace=0.15)
    return figure


class KernelConvergenceModel(BrowserView):
    """The viewer's state, shared with the browser (``js/kernel_convergence.js``): every step's kernel."""

    _module = "kernel_convergence"
    kernels = traitlets.List().tag(sync=True)  # steps + 1 kernels, each row-major
    target = traitlets.List(traitlets.Float()).tag(sync=True)
    losses = traitlets.List(traitlets.Float()).tag(sync=True)
    rows = traitlets.Int().tag(sync=True)
    columns = traitlets.Int().tag(sync=True)
    step = traitlets.Int().tag(sync=True)
    title = traitlets.Unicode().tag(sync=True)


class KernelConvergenceViewer(LiveView):
    """Step through the gradient steps of a kernel fit and watch the weights settle.

    Shows the kernel after the chosen step (on the target's colour scale), the target, and the
    loss curve with the current step marked. The browser holds every step (a few kilobytes), so the
    step slider redraws there, with no trip to Python, and in an HTML export too. Displayed, it also
    sends a static PNG of the current state and a deterministic ``text/plain`` (see
    :class:`convlib.book.widgets.LiveView`).

    Parameters
    ----------
    fit : KernelFit
    target : array_like, shape (KH, KW)
    step : int, optional
        The starting step (default: the last).
    title : str

    Examples
    --------
    >>> from convlib.nn.training import fit_kernel
    >>> image = np.random.default_rng(0).standard_normal((8, 8))
    >>> path = fit_kernel(image, image[1:-1, 1:-1], 3, lr=0.5, steps=10)
    >>> viewer = KernelConvergenceViewer(path, [[0, 0, 0], [0, 1, 0], [0, 0, 0]], step=3)
    >>> viewer
    KernelConvergenceViewer(steps=10, step=3, kernel 3x3, title='kernel')
    >>> viewer.step = 10
    >>> bool(np.array_equal(viewer.kernel, path.kernel))
    True
    >>> viewer.close()
    """

    def __init__(self, fit: KernelFit, target: object, step: int | None = None, title: str = "kernel") -> None:
        if not isinstance(fit, KernelFit):
            raise TypeError(f"KernelConvergenceViewer: fit must be a KernelFit; got {type(fit).__name__}")
        goal = as_numeric_array(target, "target", "KernelConvergenceViewer").astype(np.float64)
        if goal.shape != fit.kernels.shape[1:]:
            raise ValueError(
                f"KernelConvergenceViewer: target must have the kernels' shape {fit.kernels.shape[1:]}; "
                f"got {goal.shape}"
            )
        self.fit, self.target, self.title = fit, goal, str(title)
        start = fit.steps if step is None else self._check_step(step)
        rows, columns = goal.shape
        self.widget = KernelConvergenceModel(
            kernels=fit.kernels.reshape(fit.steps + 1, -1).tolist(), target=goal.ravel().tolist(),
            losses=[float(loss) for loss in fit.losses], rows=rows, columns=columns, step=start, title=self.title,
        )  # fmt: skip
        self._own_widgets = [self.widget]
        self._figure: Figure | None = None

    def _check_step(self, value: object) -> int:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"KernelConvergenceViewer: step must be an integer; got {value!r}")
        if not 0 <= value <= self.fit.steps:
            raise ValueError(f"KernelConvergenceViewer: step must be in 0..{self.fit.steps}; got {value}")
        return int(value)

    @property
    def step(self) -> int:
        """The step shown (the browser's slider moves it too)."""
        return int(self.widget.step)

    @step.setter
    def step(self, value: int) -> None:
        self.widget.step = self._check_step(value)

    @property
    def kernel(self) -> np.ndarray:
        """The kernel after :attr:`step` steps."""
        return self.fit.kernels[self.step]

    @property
    def largest_error(self) -> float:
        """``max |kernel - target|`` at :attr:`step`, as the view shows it."""
        return float(np.abs(self.kernel - self.target).max())

    def _draw(self) -> None:
        limit = float(np.abs(self.target).max()) or 1.0
        annotate = self.target.shape[0] <= 3
        if self._figure is None:
            self._figure = Figure(figsize=(8.4, 2.5), dpi=100)
            kernel_axes, loss_ax = _convergence_axes(self._figure, 2)
            self._kernel_ax, target_ax = kernel_axes
            show_kernel(target_ax, self.target, "target", annotate=annotate, limit=limit)
            _draw_loss(loss_ax, self.fit.losses)
            (self._marker,) = loss_ax.plot([], [], "o", color="C3")
            self._figure.suptitle(f"{self.title}: gradient descent, step by step", fontsize=12)
            self._figure.subplots_adjust(left=0.02, right=0.98, bottom=0.22, top=0.8, wspace=0.15)
        self._kernel_ax.clear()
        show_kernel(self._kernel_ax, self.kernel, f"step {self.step}", annotate=annotate, limit=limit)
        loss = max(float(self.fit.losses[self.step]), np.finfo(float).tiny)
        self._marker.set_data([self.step], [loss])

    def static_png(self) -> bytes:
        """The current state (kernel at this step, target, loss curve) as PNG bytes."""
        self._draw()
        return png_of_figure(self._figure)

    def alt_text(self) -> str:
        """What the view shows, in words."""
        return (
            f"{self.title}: the kernel after step {self.step} of {self.fit.steps} of gradient descent beside its "
            f"target and the loss curve; move the step to watch the weights settle."
        )

    def _plain_text(self) -> str:
        kh, kw = self.target.shape
        return (
            f"KernelConvergenceViewer(steps={self.fit.steps}, step={self.step}, kernel {kh}x{kw}, title={self.title!r})"
        )


# --- what first-layer filters became: data, measurements, figures ------------------------------------------

#: The repository's folder of data sets (see ``datasets/README.md``).
DATASETS = Path(__file__).resolve().parents[3] / "datasets"


def load_digits_28() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 MNIST digits shipped in ``datasets/mnist_5k.npz`` (500 of each digit, sorted by digit).

    Returns
    -------
    images : numpy.ndarray, uint8, shape (5000, 28, 28)
        Ink from 0 (paper) to 255.
    labels : numpy.ndarray, uint8, shape (5000,)

    Examples
    --------
    >>> images, labels = load_digits_28()
    >>> images.shape, images.dtype, np.bincount(labels).tolist() == [500] * 10
    ((5000, 28, 28), dtype('uint8'), True)
    """
    path = DATASETS / "mnist_5k.npz"
    if not path.is_file():
        raise FileNotFoundError(f"load_digits_28: {path} is missing (it ships with the course repository)")
    with np.load(path) as data:
        return data["images"], data["labels"]


def edge_gallery(size: int = 5, sigma: float = 1.0) -> dict[str, np.ndarray]:
    """Hand-made ``size`` x ``size`` kernels, each scaled to unit length (so a dot product is a cosine).

    Built from a Gaussian ``g`` of width ``sigma`` on the grid ``x, y`` (column, row) centred on 0:
    ``blur`` (``g``), ``box``, ``centre-surround`` (a Laplacian of Gaussian), four ``edge`` kernels
    (derivatives of ``g``: across columns, across rows and across the two diagonals, like Sobel) and two
    ``line`` kernels (second derivatives across columns and across rows). Each edge is named after
    its zero line as drawn on screen (rows going down): ``edge |`` changes sign along a vertical line,
    ``edge \\`` along the diagonal from top left to bottom right.

    Examples
    --------
    >>> gallery = edge_gallery()
    >>> list(gallery)[:3], gallery["edge |"].shape
    (['blur', 'box', 'centre-surround'], (5, 5))
    >>> bool(np.isclose(np.linalg.norm(gallery["edge |"]), 1.0))
    True
    >>> bool(np.all(np.sign(gallery["edge |"][2]) == [-1, -1, 0, 1, 1]))  # dark on the left, bright on the right
    True
    """
    half = size // 2
    y, x = np.mgrid[-half : size - half, -half : size - half].astype(np.float64)
    g = np.exp(-(x**2 + y**2) / (2 * sigma**2))
    kernels = {
        "blur": g,
        "box": np.ones((size, size)),
        "centre-surround": (x**2 + y**2 - 2 * sigma**2) * g,
        "edge |": x * g,
        "edge —": y * g,
        "edge \\": (x - y) * g,  # zero line x = y: top left to bottom right
        "edge /": (x + y) * g,
        "line |": (x**2 - sigma**2) * g,
        "line —": (y**2 - sigma**2) * g,
    }
    return {name: k / np.linalg.norm(k) for name, k in kernels.items()}


def _unit_rows(filters: object, function: str) -> np.ndarray:
    stack = as_numeric_array(filters, "filters", function).astype(np.float64)
    if stack.ndim == 4 and stack.shape[1] == 1:
        stack = stack[:, 0]
    if stack.ndim < 3:
        raise ValueError(f"{function}: filters must be (F, KH, KW) or (F, 1, KH, KW); got shape {stack.shape}")
    rows = stack.reshape(*stack.shape[:-2], -1)
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


def best_match(filters: object, gallery: Mapping[str, object]) -> tuple[np.ndarray, list[str]]:
    """For each filter, the largest ``|cosine|`` with a kernel of ``gallery``, and that kernel's name.

    The absolute value counts an edge detector and its negative as the same pattern (a layer that
    needs the opposite sign can use the next layer's weights). A stack of filter sets
    ``(S, F, KH, KW)`` gives ``(S, F)`` values (names for the last set only).

    Examples
    --------
    >>> gallery = edge_gallery(3)
    >>> values, names = best_match(-3 * gallery["edge |"][None], gallery)
    >>> np.round(values, 6).tolist(), names
    ([1.0], ['edge |'])
    """
    rows = _unit_rows(filters, "best_match")
    names = list(gallery)
    kernels = _unit_rows(np.stack([np.asarray(gallery[n], dtype=np.float64) for n in names]), "best_match")
    cosines = np.abs(rows @ kernels.T)
    best = cosines.argmax(axis=-1)
    return cosines.max(axis=-1), [names[i] for i in np.ravel(best)[-rows.shape[-2] :]]


def neighbour_correlation(filters: object) -> np.ndarray:
    """How smooth each filter is: the correlation of each weight with its right and lower neighbours.

    The weights minus the filter's mean, then ``sum(w[p] * w[q]) / sqrt(sum(w[p]**2) * sum(w[q]**2))``
    over all pairs ``(p, q)`` of horizontally or vertically adjacent cells: 1 for a smooth ramp, about 0
    for independent random weights, negative for a checkerboard. ``(..., KH, KW)`` gives ``(...)``.

    Examples
    --------
    >>> ramp = np.tile(np.arange(5.0), (5, 1))
    >>> checkerboard = (-1.0) ** np.add.outer(np.arange(5), np.arange(5))
    >>> np.round(neighbour_correlation(np.stack([ramp, checkerboard])), 3).tolist()
    [0.857, -0.997]
    """
    w = as_numeric_array(filters, "filters", "neighbour_correlation").astype(np.float64)
    w = w - w.mean(axis=(-2, -1), keepdims=True)
    first = np.concatenate([w[..., :, :-1].reshape(*w.shape[:-2], -1), w[..., :-1, :].reshape(*w.shape[:-2], -1)], -1)
    second = np.concatenate([w[..., :, 1:].reshape(*w.shape[:-2], -1), w[..., 1:, :].reshape(*w.shape[:-2], -1)], -1)
    return (first * second).sum(-1) / np.sqrt((first**2).sum(-1) * (second**2).sum(-1))


def random_filters(rng: np.random.Generator, sets: int, shape: tuple[int, ...], bound: float) -> np.ndarray:
    """``sets`` random filter sets of ``shape``, uniform in ``[-bound, bound]`` (PyTorch's initialisation).

    Examples
    --------
    >>> random_filters(np.random.default_rng(0), 10, (8, 5, 5), 0.2).shape
    (10, 8, 5, 5)
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"random_filters: rng must be a numpy.random.Generator; got {type(rng).__name__}")
    return rng.uniform(-bound, bound, (sets, *shape))


def show_filter_rows(rows: Mapping[str, object], size: float = 0.88) -> Figure:
    """Rows of filters (one row per entry: a label and an ``(F, KH, KW)`` stack), no numbers.

    Every filter has its own colour scale centred on 0 (red positive, blue negative), so the pattern
    shows whatever the filter's size.

    Examples
    --------
    >>> fig = show_filter_rows({"a": np.zeros((4, 5, 5)), "b": np.ones((4, 1, 5, 5))})
    >>> len(fig.axes)
    8
    >>> plt.close(fig)
    """
    if not rows:
        raise ValueError("show_filter_rows: rows is empty")
    stacks = {}
    for name, value in rows.items():
        stack = as_numeric_array(value, f"rows[{name!r}]", "show_filter_rows").astype(np.float64)
        if stack.ndim == 4 and stack.shape[1] == 1:
            stack = stack[:, 0]
        if stack.ndim != 3:
            raise ValueError(
                f"show_filter_rows: rows[{name!r}] must be (F, KH, KW) or (F, 1, KH, KW); got {stack.shape}"
            )
        stacks[name] = stack
    count = max(len(s) for s in stacks.values())
    fig, axes = plt.subplots(len(rows), count, figsize=(1.25 + size * count, size * len(rows) + 0.45), squeeze=False)
    for r, (name, stack) in enumerate(stacks.items()):
        for i, ax in enumerate(axes[r]):
            frame(ax)
            if i >= len(stack):
                ax.set_axis_off()
                continue
            kernel = stack[i]
            limit = float(np.abs(kernel).max()) or 1.0
            ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
            if r == 0:
                ax.set_title(f"filter {i}", fontsize=12)
        axes[r, 0].set_ylabel(name, fontsize=12, rotation=0, ha="right", va="center")
    fig.subplots_adjust(left=1.25 / fig.get_figwidth(), right=0.99, top=1 - 0.35 / fig.get_figheight(), bottom=0.03,
                        wspace=0.08, hspace=0.08)  # fmt: skip
    return fig


def show_against_random(
    random_values: object, marks: Mapping[str, float], xlabel: str, title: str | None = None
) -> Figure:
    """Histograms of a statistic over random filter sets, with vertical lines at the sets we measured.

    ``random_values`` is one array, or a mapping label → array for several kinds of random sets
    (drawn as outlined histograms over the same bins).

    Examples
    --------
    >>> fig = show_against_random(np.random.default_rng(0).normal(size=100), {"trained": 3.0}, "statistic")
    >>> plt.close(fig)
    >>> fig = show_against_random({"a": np.zeros(5), "b": np.ones(5)}, {"trained": 3.0}, "statistic")
    >>> plt.close(fig)
    """
    if isinstance(random_values, Mapping):
        groups = {
            str(name): as_numeric_array(v, f"random_values[{name!r}]", "show_against_random").astype(np.float64).ravel()
            for name, v in random_values.items()
        }
    else:
        values = as_numeric_array(random_values, "random_values", "show_against_random").astype(np.float64).ravel()
        groups = {f"{values.size} random filter sets": values}
    everything = np.concatenate(list(groups.values()))
    bins = np.linspace(everything.min(), everything.max(), 41)
    fig, ax = plt.subplots(figsize=(8.4, 3.2))
    fills = [("0.72", "0.45"), ("#E69F00", "#A06A00"), ("#56B4E9", "#2A7AB0")]
    for (name, values), (fill, edge) in zip(groups.items(), fills):
        ax.hist(values, bins=bins, color=fill, edgecolor=edge, alpha=0.75, label=name)
    colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]
    for (name, value), colour in zip(marks.items(), colours):
        ax.axvline(value, color=colour, lw=2.5, label=f"{name}: {value:.2f}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("filter sets")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def smooth_random_filters(rng: np.random.Generator, sets: int, shape: tuple[int, ...], smoothness: float) -> np.ndarray:
    """``sets`` random filter sets of ``shape`` (..., KH, KW), blurred until they are as smooth as asked.

    Independent Gaussian noise on a grid 6 cells larger each way is blurred with a Gaussian of width
    ``sigma`` and the centre ``KH x KW`` is cut out, so the filters have no border effects. ``sigma``
    is chosen (by bisection, on a pilot draw) so that the median over the sets of the mean
    :func:`neighbour_correlation` equals ``smoothness``. A baseline that is as smooth as the filters
    it is compared with, and otherwise random. The scale is arbitrary (cosines ignore it).

    Examples
    --------
    >>> filters = smooth_random_filters(np.random.default_rng(0), 500, (8, 5, 5), 0.45)
    >>> filters.shape
    (500, 8, 5, 5)
    >>> bool(abs(np.median(neighbour_correlation(filters).mean(axis=1)) - 0.45) < 0.03)
    True
    """
    from scipy.ndimage import gaussian_filter

    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"smooth_random_filters: rng must be a numpy.random.Generator; got {type(rng).__name__}")
    if not 0.0 <= smoothness < 0.95:
        raise ValueError(f"smooth_random_filters: smoothness must be in [0, 0.95); got {smoothness}")
    *lead, kh, kw = shape
    margin = 3

    def draw(generator: np.random.Generator, count: int, sigma: float) -> np.ndarray:
        noise = generator.standard_normal((count, *lead, kh + 2 * margin, kw + 2 * margin))
        blurred = gaussian_filter(noise, sigma=(0,) * (1 + len(lead)) + (sigma, sigma), mode="wrap") if sigma else noise
        return blurred[..., margin : margin + kh, margin : margin + kw]

    def median_smoothness(sigma: float) -> float:
        pilot = draw(np.random.default_rng(12345), 300, sigma)
        return float(np.median(neighbour_correlation(pilot).reshape(300, -1).mean(axis=1)))

    low, high = 0.0, 3.0
    for _ in range(20):
        middle = (low + high) / 2
        low, high = (middle, high) if median_smoothness(middle) < smoothness else (low, middle)
    return draw(rng, sets, (low + high) / 2)
