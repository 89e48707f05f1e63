"""A live view of the Neural Turing Machine's location addressing (notebook 08).

:class:`NTMShiftExplorer` has sliders for the shift distribution over ``(-1, 0, +1)`` (normalised
to sum to 1), the sharpening exponent ``gamma`` and the interpolation gate ``g``, and shows, as
you drag, one addressing step as bars (equations (7)-(9) of Graves, Wayne and Danihelka 2014,
arXiv 1410.5401) and a heat map of the head repeating that step.

The view computes in the browser (``js/ntm_explorer.js``), so a drag costs no trip to Python and the
view stays live in an HTML export with no kernel. Its state lives in the traits of
:class:`NTMExplorerModel` (an anywidget); Python stays the reference: everything the view shows is a
property computed by :mod:`convlib.shifting` (:attr:`NTMShiftExplorer.stages`,
:attr:`NTMShiftExplorer.trajectory`), so it can be tested without a browser.

It is a :class:`convlib.book.widgets.LiveView`: displayed, it sends the live widget, a static PNG of
its current state (GitHub, nbviewer), its module and state (the HTML export) and a deterministic
``text/plain``.

:func:`head_trajectory` computes the heat map: the weighting after each of ``steps`` repeated
addressing steps.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import traitlets

from convlib.book.widgets.browser_view import BrowserView
from convlib.book.widgets.live_view import LiveView
from convlib.book.widgets.pictures import png_of_figure
from convlib.shifting import (
    AddressingStages,
    _distribution,
    ntm_interpolate,
    ntm_sharpen,
    ntm_shift,
)
from convlib.validation import as_real_number, check_positive_int

__all__ = ["GAMMA_STEP", "GATE_STEP", "SHIFTS", "SHIFT_STEP", "NTMExplorerModel", "NTMShiftExplorer", "head_trajectory"]

#: The shifts the explorer's sliders weight: one slot back, stay, one slot on.
SHIFTS = (-1, 0, 1)
#: The sliders' steps (a key press moves a slider by one step; ``js/ntm_explorer.js`` uses the same).
SHIFT_STEP, GAMMA_STEP, GATE_STEP = 0.05, 0.25, 0.05


def _scalar(value: object, name: str, function: str) -> float:
    """One real, finite number (a one-element list or array too, as a slider may give)."""
    return as_real_number(value, name, function, finite=True, array_like=True)


def head_trajectory(
    previous_weights: object,
    shift_weights: object,
    gamma: float,
    steps: int,
    content_weights: object | None = None,
    gate: float = 0.0,
    shifts: Sequence[int] = SHIFTS,
) -> np.ndarray:
    """The weighting over ``steps`` repeated location-addressing steps, equations (7)-(9).

    Row 0 is ``previous_weights``; row ``t`` is
    ``ntm_sharpen(ntm_shift(ntm_interpolate(content_weights, row[t - 1], gate), shift_weights, shifts), gamma)``:
    the same gate, shift distribution and ``gamma`` at every step, the content weighting held
    fixed (as if the controller kept emitting the same key).

    Parameters
    ----------
    previous_weights : array_like, shape (N,)
        The weighting at step 0 (a distribution).
    shift_weights : array_like, shape (S,)
        A distribution over ``shifts``.
    gamma : float
        Sharpening exponent, ``>= 1``.
    steps : int
        How many steps to take, ``>= 1``.
    content_weights : array_like, shape (N,), optional
        The content weighting the gate mixes in; needed unless ``gate == 0``.
    gate : float
        ``g`` in ``[0, 1]``; 0 (the default) ignores content and just moves the head.
    shifts : sequence of int
        The allowed shifts, default ``(-1, 0, 1)``.

    Returns
    -------
    numpy.ndarray, shape (steps + 1, N)
        Every row a distribution.

    Raises
    ------
    ValueError
        Bad weightings, ``gamma < 1``, a gate outside ``[0, 1]``, ``steps < 1``, or a non-zero
        gate without ``content_weights``.

    Examples
    --------
    >>> head_trajectory([1, 0, 0, 0], [0, 0, 1], gamma=1, steps=4)  # one slot on per step, wrapping
    array([[1., 0., 0., 0.],
           [0., 1., 0., 0.],
           [0., 0., 1., 0.],
           [0., 0., 0., 1.],
           [1., 0., 0., 0.]])
    """
    function = "head_trajectory"
    previous = _distribution(previous_weights, "previous_weights", function).astype(np.float64)
    steps = check_positive_int(steps, "steps", function)
    gate = _scalar(gate, "gate", function)
    if content_weights is None:
        if gate != 0:
            raise ValueError(f"{function}: content_weights is needed when gate is not 0; got gate={gate}")
        content = previous
    else:
        content = _distribution(content_weights, "content_weights", function)
    rows = [previous]
    for _ in range(steps):
        gated = ntm_interpolate(content, rows[-1], gate)
        rows.append(ntm_sharpen(ntm_shift(gated, shift_weights, shifts), gamma))
    return np.array(rows)


def _default_content(slots: int) -> np.ndarray:
    """A bump of width about 1 slot, centred two thirds of the way along the memory."""
    centre = (2 * slots) // 3
    distance = np.abs(np.arange(slots) - centre)
    distance = np.minimum(distance, slots - distance)  # circular distance
    bump = np.exp(-0.5 * distance.astype(float) ** 2)
    return bump / bump.sum()


class NTMExplorerModel(BrowserView):
    """The explorer's state, shared by Python and the browser (see ``js/ntm_explorer.js``)."""

    _module = "ntm_explorer"
    previous_weights = traitlets.List(traitlets.Float()).tag(sync=True)  # fixed, sent once
    content_weights = traitlets.List(traitlets.Float()).tag(sync=True)  # fixed, sent once
    shift_weights = traitlets.List(traitlets.Float(), minlen=3, maxlen=3).tag(sync=True)  # the three sliders, raw
    gamma = traitlets.Float(1.0).tag(sync=True)
    gate = traitlets.Float(0.0).tag(sync=True)
    steps = traitlets.Int(12).tag(sync=True)
    max_gamma = traitlets.Float(10.0).tag(sync=True)


class NTMShiftExplorer(LiveView):
    """Sliders for the NTM's shift distribution, ``gamma`` and gate; the attention follows live.

    One addressing step (equations (7)-(9)) from ``previous_weights``:
    ``gated = gate * content_weights + (1 - gate) * previous_weights``,
    ``shifted = ntm_shift(gated, s)``, ``sharpened = ntm_sharpen(shifted, gamma)``, drawn as bars,
    and below them a heat map of the head repeating that step ``steps`` times
    (:func:`head_trajectory`).

    The three shift sliders hold non-negative numbers in ``[0, 1]``; the shift distribution ``s``
    is their values divided by their sum (all three at 0 means a uniform ``s``, as a softmax of
    equal scores would give). The sliders move by :data:`SHIFT_STEP`, :data:`GAMMA_STEP` and
    :data:`GATE_STEP` per key press (arrow keys; Page Up and Page Down move five steps).

    The browser computes what it draws (``js/ntm_explorer.js``, the same float64 operations);
    the properties here compute the same values with :mod:`convlib.shifting`, from the state the
    browser last sent.

    Parameters
    ----------
    previous_weights : array_like, shape (N,), optional
        The weighting before the step; default one-hot on slot 2 of ``slots``.
    content_weights : array_like, shape (N,), optional
        The content weighting the gate mixes in; default a bump two thirds along the memory.
    shift_weights : (float, float, float)
        Starting slider values for shifts -1, 0, +1, each in ``[0, 1]``.
    gamma : float
        Starting ``gamma``, in ``[1, max_gamma]``.
    gate : float
        Starting gate, in ``[0, 1]``.
    slots : int
        ``N`` when no weighting is given (default 16).
    steps : int
        Rows of the heat map after step 0 (default 12).
    max_gamma : float
        The ``gamma`` slider's maximum (default 10).

    Examples
    --------
    >>> explorer = NTMShiftExplorer(shift_weights=(0, 0.5, 0.5), gamma=1, slots=6)
    >>> explorer
    NTMShiftExplorer(slots=6, s(-1, 0, +1)=(0, 0.5, 0.5), gamma=1, gate=0, steps=12)
    >>> explorer.stages.shifted  # the focus on slot 2 half stays, half moves on
    array([0. , 0. , 0.5, 0.5, 0. , 0. ])
    >>> explorer.gamma = 3
    >>> explorer.stages.sharpened  # a tie stays a tie
    array([0. , 0. , 0.5, 0.5, 0. , 0. ])
    >>> explorer.shift_weights = (0, 0.2, 0.6)  # normalised: s = (0, 0.25, 0.75)
    >>> explorer.shift_distribution
    array([0.  , 0.25, 0.75])
    >>> explorer.stages.sharpened.round(3)
    array([0.   , 0.   , 0.036, 0.964, 0.   , 0.   ])
    >>> explorer.widget.gamma  # the state the browser shows
    3.0
    """

    def __init__(
        self,
        previous_weights: object | None = None,
        content_weights: object | None = None,
        shift_weights: Sequence[float] = (0.1, 0.2, 0.7),
        gamma: float = 1.0,
        gate: float = 0.0,
        *,
        slots: int = 16,
        steps: int = 12,
        max_gamma: float = 10.0,
    ) -> None:
        function = "NTMShiftExplorer"
        if previous_weights is None:
            slots = check_positive_int(slots, "slots", function, minimum=3)
            previous = np.zeros(slots)
            previous[2] = 1.0
        else:
            previous = _distribution(previous_weights, "previous_weights", function).astype(np.float64)
        if content_weights is None:
            content = _default_content(previous.size)
        else:
            content = _distribution(content_weights, "content_weights", function).astype(np.float64)
            if content.shape != previous.shape:
                raise ValueError(
                    f"{function}: content_weights and previous_weights must have the same length; "
                    f"got {content.size} and {previous.size}"
                )
        previous.flags.writeable = False
        content.flags.writeable = False
        self._previous, self._content = previous, content
        steps = check_positive_int(steps, "steps", function)
        max_gamma = _scalar(max_gamma, "max_gamma", function)
        if max_gamma <= 1:
            raise ValueError(f"{function}: max_gamma must be > 1; got {max_gamma}")
        raw = self._check_shift_weights(shift_weights)
        gamma = self._check_gamma(gamma, max_gamma)
        gate = self._check_gate(gate)
        self._cache: tuple[tuple, tuple[AddressingStages, np.ndarray]] | None = None
        self._figure = None
        self.widget = NTMExplorerModel(
            previous_weights=previous.tolist(), content_weights=content.tolist(), shift_weights=raw.tolist(),
            gamma=gamma, gate=gate, steps=steps, max_gamma=max_gamma,
        )  # fmt: skip
        self.widget.add_class("convlib-ntm-explorer")
        self._own_widgets = [self.widget]

    # --- checks ---

    @staticmethod
    def _check_shift_weights(values: object) -> np.ndarray:
        function = "NTMShiftExplorer"
        raw = np.asarray(values, dtype=object)
        if raw.shape != (3,):
            raise ValueError(
                f"{function}: shift_weights must be three slider values, for shifts (-1, 0, +1); got shape {raw.shape}"
            )
        numbers = np.array([_scalar(value, "shift_weights", function) for value in raw])
        if np.any(numbers < 0) or np.any(numbers > 1):
            raise ValueError(
                f"{function}: shift_weights must each be in [0, 1] (the sliders' range; they are normalised "
                f"to sum to 1, so only their ratios matter); got {numbers.tolist()}"
            )
        return numbers

    def _check_gamma(self, value: object, maximum: float | None = None) -> float:
        maximum = self.widget.max_gamma if maximum is None else maximum
        gamma = _scalar(value, "gamma", "NTMShiftExplorer")
        if not 1 <= gamma <= maximum:
            raise ValueError(f"NTMShiftExplorer: gamma must be in [1, {maximum:g}] (max_gamma); got {gamma}")
        return gamma

    @staticmethod
    def _check_gate(value: object) -> float:
        gate = _scalar(value, "gate", "NTMShiftExplorer")
        if not 0 <= gate <= 1:
            raise ValueError(f"NTMShiftExplorer: gate must be in [0, 1]; got {gate}")
        return gate

    # --- state ---

    @property
    def previous_weights(self) -> np.ndarray:
        """The weighting before the step (read-only)."""
        return self._previous

    @property
    def content_weights(self) -> np.ndarray:
        """The content weighting the gate mixes in (read-only)."""
        return self._content

    @property
    def steps(self) -> int:
        """How many times the heat map repeats the step."""
        return self.widget.steps

    @property
    def max_gamma(self) -> float:
        """The ``gamma`` slider's maximum."""
        return self.widget.max_gamma

    @property
    def shift_weights(self) -> np.ndarray:
        """The three shift sliders' values, as set (not normalised)."""
        return np.array(self.widget.shift_weights, dtype=np.float64)

    @shift_weights.setter
    def shift_weights(self, values: Sequence[float]) -> None:
        self.widget.shift_weights = self._check_shift_weights(values).tolist()  # one change: one redraw

    @property
    def shift_distribution(self) -> np.ndarray:
        """``s``: the slider values divided by their sum (uniform when they are all 0)."""
        raw = self.shift_weights
        total = raw.sum()
        return np.full(3, 1 / 3) if total == 0 else raw / total

    @property
    def gamma(self) -> float:
        """The sharpening exponent."""
        return float(self.widget.gamma)

    @gamma.setter
    def gamma(self, value: float) -> None:
        self.widget.gamma = self._check_gamma(value)

    @property
    def gate(self) -> float:
        """The interpolation gate ``g``."""
        return float(self.widget.gate)

    @gate.setter
    def gate(self, value: float) -> None:
        self.widget.gate = self._check_gate(value)

    @property
    def stages(self) -> AddressingStages:
        """The step's stages: ``content``, ``interpolated`` (gated), ``shifted``, ``sharpened`` (read-only)."""
        return self._compute()[0]

    @property
    def trajectory(self) -> np.ndarray:
        """The heat map: :func:`head_trajectory` for ``steps`` steps, shape ``(steps + 1, N)`` (read-only)."""
        return self._compute()[1]

    def _compute(self) -> tuple[AddressingStages, np.ndarray]:
        """The stages and the heat map for the current state, with convlib.shifting (cached per state)."""
        key = (tuple(self.widget.shift_weights), self.gamma, self.gate)
        if self._cache is None or self._cache[0] != key:
            s, gamma, gate = self.shift_distribution, self.gamma, self.gate
            gated = ntm_interpolate(self._content, self._previous, gate)
            shifted = ntm_shift(gated, s, SHIFTS)
            sharpened = ntm_sharpen(shifted, gamma)
            stages = AddressingStages(self._content, gated, shifted, sharpened)
            trajectory = head_trajectory(self._previous, s, gamma, self.steps, self._content, gate)
            for array in (*stages, trajectory):
                array.flags.writeable = False
            self._cache = (key, (stages, trajectory))
        return self._cache[1]

    # --- the picture and the text ---

    def _draw(self) -> None:
        from matplotlib.figure import Figure  # not pyplot: the figure never appears by itself in a notebook

        from convlib.book.figures.shifting import draw_attention_map, draw_weights

        stages, s, trajectory = self.stages, self.shift_distribution, self.trajectory
        if self._figure is None:
            # 840 x 520 px, text >= 12 px; a fixed layout: every redraw costs the same
            figure = Figure(figsize=(8.4, 5.2), dpi=100)
            grid = figure.add_gridspec(
                2, 5, height_ratios=[1, 1.3], width_ratios=[0.6, 1, 1, 1, 1],
                left=0.07, right=0.93, top=0.88, bottom=0.1, hspace=0.55, wspace=0.3,
            )  # fmt: skip
            shift_axes = figure.add_subplot(grid[0, 0])
            self._shift_bars = shift_axes.bar(SHIFTS, s, width=0.6, color="#cc79a7")
            shift_axes.set_xticks(SHIFTS, ["−1", "0", "+1"])
            shift_axes.set_ylim(0, 1)
            shift_axes.set_title("shifts s\n(−1, 0, +1)", fontsize=12)
            axes = [figure.add_subplot(grid[0, column]) for column in range(1, 5)]
            previous_axes = axes[0]
            draw_weights(previous_axes, self._previous, color="0.6")
            previous_axes.bar(
                np.arange(self._content.size), self._content, width=0.8, fill=False, edgecolor="#e69f00", linewidth=1.5
            )
            previous_axes.set_title("previous (gray)\ncontent (outline)", fontsize=12)
            self._bars = {
                "interpolated": draw_weights(axes[1], stages.interpolated, color="#009e73"),
                "shifted": draw_weights(axes[2], stages.shifted, color="#0072b2"),
                "sharpened": draw_weights(axes[3], stages.sharpened, color="#d55e00"),
            }
            self._bar_axes = dict(zip(self._bars, axes[1:]))
            for ax in axes:
                ax.tick_params(labelleft=False)
            map_axes = figure.add_subplot(grid[1, :])
            self._map = draw_attention_map(map_axes, trajectory)
            self._map_axes = map_axes
            figure.colorbar(self._map, ax=map_axes, label="weight", fraction=0.03, pad=0.01)
            self._figure = figure
        for bar, value in zip(self._shift_bars, s):
            bar.set_height(value)
        for name, bars in self._bars.items():
            for bar, value in zip(bars, getattr(stages, name)):
                bar.set_height(value)
        titles = {
            "interpolated": f"(7) gated\ng = {self.gate:.2f}",
            "shifted": f"(8) shifted\nmax {stages.shifted.max():.2f}",
            "sharpened": f"(9) γ = {self.gamma:.2f}\nmax {stages.sharpened.max():.2f}",
        }
        for name, title in titles.items():
            self._bar_axes[name].set_title(title, fontsize=12)
        self._map.set_data(trajectory)
        self._map_axes.set_title(f"the head repeating this step {self.steps} times (step 0: previous)", fontsize=12)

    def static_png(self) -> bytes:
        """The current state as a PNG: the step's bars and the heat map (840 x 520 pixels)."""
        self._draw()
        return png_of_figure(self._figure)

    def _plain_text(self) -> str:
        raw = ", ".join(f"{value:.3g}" for value in self.shift_weights)
        return (
            f"NTMShiftExplorer(slots={self._previous.size}, s(-1, 0, +1)=({raw}), gamma={self.gamma:.3g}, "
            f"gate={self.gate:.3g}, steps={self.steps})"
        )

    def alt_text(self) -> str:
        """What the view shows, in words."""
        s = self.shift_distribution
        stages = self.stages
        return (
            f"NTM shift explorer over {self._previous.size} memory slots: shift weights s(-1, 0, +1) = "
            f"({s[0]:.2f}, {s[1]:.2f}, {s[2]:.2f}), gamma = {self.gamma:g}, gate = {self.gate:g}; one addressing "
            f"step as bars (peak after the shift {stages.shifted.max():.2f}, after sharpening "
            f"{stages.sharpened.max():.2f}) and a heat map of the head repeating it {self.steps} times."
        )
