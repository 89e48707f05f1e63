"""A live view of the Neural Turing Machine's location addressing (notebook 06).

:class:`NTMShiftExplorer` has sliders for the shift distribution over ``(-1, 0, +1)`` (normalised
to sum to 1), the sharpening exponent ``gamma`` and the interpolation gate ``g``, and shows, as
you drag, one addressing step as bars (equations (7)-(9) of Graves, Wayne and Danihelka 2014,
arXiv 1410.5401) and a heat map of the head repeating that step.

It is a :class:`convlib.book.widgets.LiveView`: displayed, it sends the live widget, a static PNG of
its current state (GitHub, nbviewer, HTML export) and a deterministic ``text/plain``. Everything it
shows is a property (:attr:`NTMShiftExplorer.stages`, :attr:`NTMShiftExplorer.trajectory`), so it
can be tested without a browser.

:func:`head_trajectory` computes the heat map: the weighting after each of ``steps`` repeated
addressing steps.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np

from convlib.book.widgets import LiveView
from convlib.book.widgets.pictures import png_of_figure
from convlib.shifting import (
    AddressingStages,
    _distribution,
    ntm_interpolate,
    ntm_sharpen,
    ntm_shift,
)
from convlib.validation import as_real_number, check_positive_int


def _scalar(value: object, name: str, function: str) -> float:
    """One real, finite number (a one-element list or array too, as a slider may give)."""
    return as_real_number(value, name, function, finite=True, array_like=True)

__all__ = ["SHIFTS", "NTMShiftExplorer", "head_trajectory"]

#: The shifts the explorer's sliders weight: one slot back, stay, one slot on.
SHIFTS = (-1, 0, 1)


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


class NTMShiftExplorer(LiveView):
    """Sliders for the NTM's shift distribution, ``gamma`` and gate; the attention follows live.

    One addressing step (equations (7)-(9)) from ``previous_weights``:
    ``gated = gate * content_weights + (1 - gate) * previous_weights``,
    ``shifted = ntm_shift(gated, s)``, ``sharpened = ntm_sharpen(shifted, gamma)``, drawn as bars,
    and below them a heat map of the head repeating that step ``steps`` times
    (:func:`head_trajectory`).

    The three shift sliders hold non-negative numbers in ``[0, 1]``; the shift distribution ``s``
    is their values divided by their sum (all three at 0 means a uniform ``s``, as a softmax of
    equal scores would give).

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
        self._steps = check_positive_int(steps, "steps", function)
        max_gamma = _scalar(max_gamma, "max_gamma", function)
        if max_gamma <= 1:
            raise ValueError(f"{function}: max_gamma must be > 1; got {max_gamma}")
        raw = self._check_shift_weights(shift_weights)
        gamma = self._check_gamma(gamma, max_gamma)
        gate = self._check_gate(gate)

        layout = widgets.Layout(width="300px")
        style = {"description_width": "60px"}
        self._shift_sliders = [
            widgets.FloatSlider(
                value=value, min=0.0, max=1.0, step=0.05, description=f"s({label})", continuous_update=True,
                readout_format=".2f", layout=layout, style=style,
            )
            for value, label in zip(raw, ("−1", "0", "+1"))
        ]  # fmt: skip
        self._gamma_slider = widgets.FloatSlider(
            value=gamma, min=1.0, max=max_gamma, step=0.25, description="γ (gamma)", continuous_update=True,
            readout_format=".2f", layout=layout, style=style,
        )  # fmt: skip
        self._gate_slider = widgets.FloatSlider(
            value=gate, min=0.0, max=1.0, step=0.05, description="gate g", continuous_update=True,
            readout_format=".2f", layout=layout, style=style,
        )  # fmt: skip
        self._label = widgets.HTML()
        self._picture = widgets.Image(format="png", layout=widgets.Layout(width="720px"))
        controls = widgets.HBox(
            [widgets.VBox(self._shift_sliders), widgets.VBox([self._gamma_slider, self._gate_slider])]
        )
        self.widget = widgets.VBox([controls, self._label, self._picture])
        self.widget.add_class("convlib-ntm-explorer")
        self._own_widgets = [self.widget, controls, *controls.children, *self._sliders, self._label, self._picture]
        self._figure = None
        self._holding = False
        for slider in self._sliders:
            slider.observe(self._on_change, names="value")
        self._refresh()

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
        maximum = self._gamma_slider.max if maximum is None else maximum
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
    def _sliders(self) -> list[widgets.FloatSlider]:
        return [*self._shift_sliders, self._gamma_slider, self._gate_slider]

    @property
    def sliders(self) -> dict[str, widgets.FloatSlider]:
        """The five sliders by name: ``"s(-1)"``, ``"s(0)"``, ``"s(+1)"``, ``"gamma"``, ``"gate"``."""
        names = ("s(-1)", "s(0)", "s(+1)", "gamma", "gate")
        return dict(zip(names, self._sliders))

    @property
    def previous_weights(self) -> np.ndarray:
        """The weighting before the step (read-only)."""
        return self._previous

    @property
    def content_weights(self) -> np.ndarray:
        """The content weighting the gate mixes in (read-only)."""
        return self._content

    @property
    def shift_weights(self) -> np.ndarray:
        """The three shift sliders' values, as set (not normalised)."""
        return np.array([slider.value for slider in self._shift_sliders])

    @shift_weights.setter
    def shift_weights(self, values: Sequence[float]) -> None:
        raw = self._check_shift_weights(values)
        with self._hold():
            for slider, value in zip(self._shift_sliders, raw):
                slider.value = float(value)

    @property
    def shift_distribution(self) -> np.ndarray:
        """``s``: the slider values divided by their sum (uniform when they are all 0)."""
        raw = self.shift_weights
        total = raw.sum()
        return np.full(3, 1 / 3) if total == 0 else raw / total

    @property
    def gamma(self) -> float:
        """The sharpening exponent."""
        return float(self._gamma_slider.value)

    @gamma.setter
    def gamma(self, value: float) -> None:
        self._gamma_slider.value = self._check_gamma(value)

    @property
    def gate(self) -> float:
        """The interpolation gate ``g``."""
        return float(self._gate_slider.value)

    @gate.setter
    def gate(self, value: float) -> None:
        self._gate_slider.value = self._check_gate(value)

    @property
    def stages(self) -> AddressingStages:
        """The step's stages: ``content``, ``interpolated`` (gated), ``shifted``, ``sharpened``."""
        return self._stages

    @property
    def trajectory(self) -> np.ndarray:
        """The heat map: :func:`head_trajectory` for ``steps`` steps, shape ``(steps + 1, N)``."""
        return self._trajectory

    # --- updates ---

    @contextmanager
    def _hold(self):
        """Change several sliders, then redraw once."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        self._refresh()

    def _on_change(self, change: dict) -> None:
        if not self._holding:
            self._refresh()

    def _refresh(self) -> None:
        s, gamma, gate = self.shift_distribution, self.gamma, self.gate
        gated = ntm_interpolate(self._content, self._previous, gate)
        shifted = ntm_shift(gated, s, SHIFTS)
        sharpened = ntm_sharpen(shifted, gamma)
        self._stages = AddressingStages(self._content, gated, shifted, sharpened)
        for array in self._stages:
            array.flags.writeable = False
        self._trajectory = head_trajectory(self._previous, s, gamma, self._steps, self._content, gate)
        self._trajectory.flags.writeable = False
        note = " (all sliders at 0: uniform)" if self.shift_weights.sum() == 0 else ""
        self._label.value = html.escape(
            f"s(−1, 0, +1) = ({s[0]:.2f}, {s[1]:.2f}, {s[2]:.2f}){note} · γ = {gamma:g} · g = {gate:g} · "
            f"peak: shifted {shifted.max():.2f} → sharpened {sharpened.max():.2f}"
        )
        self._picture.value = self.static_png()

    # --- the picture and the text ---

    def _draw(self) -> None:
        from matplotlib.figure import Figure  # not pyplot: the figure never appears by itself in a notebook

        from convlib.book.figures.shifting import draw_attention_map, draw_weights

        stages, s = self._stages, self.shift_distribution
        if self._figure is None:
            figure = Figure(figsize=(10, 5.2), dpi=72)  # a fixed layout: every redraw costs the same
            grid = figure.add_gridspec(
                2, 5, height_ratios=[1, 1.3], width_ratios=[0.6, 1, 1, 1, 1],
                left=0.06, right=0.93, top=0.94, bottom=0.1, hspace=0.42, wspace=0.25,
            )  # fmt: skip
            shift_axes = figure.add_subplot(grid[0, 0])
            self._shift_bars = shift_axes.bar(SHIFTS, s, width=0.6, color="C4")
            shift_axes.set_xticks(SHIFTS, ["−1", "0", "+1"])
            shift_axes.set_ylim(0, 1)
            shift_axes.set_title("shifts s", fontsize=10)
            axes = [figure.add_subplot(grid[0, column]) for column in range(1, 5)]
            previous_axes = axes[0]
            draw_weights(previous_axes, self._previous, color="0.75")
            previous_axes.bar(
                np.arange(self._content.size), self._content, width=0.8, fill=False, edgecolor="C1", linewidth=1.5
            )
            previous_axes.set_title("previous, content", fontsize=10)
            self._bars = {
                "interpolated": draw_weights(axes[1], stages.interpolated, color="C2"),
                "shifted": draw_weights(axes[2], stages.shifted, color="C0"),
                "sharpened": draw_weights(axes[3], stages.sharpened, color="C3"),
            }
            self._bar_axes = dict(zip(self._bars, axes[1:]))
            for ax in axes[1:]:
                ax.tick_params(labelleft=False)
            map_axes = figure.add_subplot(grid[1, :])
            self._map = draw_attention_map(map_axes, self._trajectory)
            self._map_axes = map_axes
            figure.colorbar(self._map, ax=map_axes, label="weight", fraction=0.03, pad=0.01)
            self._figure = figure
        for bar, value in zip(self._shift_bars, s):
            bar.set_height(value)
        for name, bars in self._bars.items():
            for bar, value in zip(bars, getattr(stages, name)):
                bar.set_height(value)
        titles = {
            "interpolated": f"(7) gated: g = {self.gate:.2f}",
            "shifted": f"(8) shifted: max {stages.shifted.max():.2f}",
            "sharpened": f"(9) γ = {self.gamma:.2f}: max {stages.sharpened.max():.2f}",
        }
        for name, title in titles.items():
            self._bar_axes[name].set_title(title, fontsize=10)
        self._map.set_data(self._trajectory)
        self._map_axes.set_title(f"the head repeating this step {self._steps} times (step 0: previous)", fontsize=10)

    def static_png(self) -> bytes:
        """The current state as a PNG: the step's bars and the heat map (720 x 374 pixels)."""
        self._draw()
        return png_of_figure(self._figure)

    def _plain_text(self) -> str:
        raw = ", ".join(f"{value:.3g}" for value in self.shift_weights)
        return (
            f"NTMShiftExplorer(slots={self._previous.size}, s(-1, 0, +1)=({raw}), gamma={self.gamma:.3g}, "
            f"gate={self.gate:.3g}, steps={self._steps})"
        )
