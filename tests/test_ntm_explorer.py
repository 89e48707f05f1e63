"""Tests for convlib.book.widgets.ntm_explorer: head_trajectory and the NTMShiftExplorer live view (no browser needed).

Oracles: the NTM equations (7)-(9) written out here with numpy (np.roll for the shift, w**gamma for
the sharpening), independently of convlib.shifting, and convlib.shifting itself. The view's state lives
in an anywidget's traits (what the browser sets); the browser's own arithmetic is checked against
Python in tests/browser/test_ntm_explorer_parity.py.
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from convlib.book.widgets.browser_view import LIVE_MIMETYPE, BrowserView, module_source
from convlib.book.widgets.ntm_explorer import (
    GAMMA_STEP,
    GATE_STEP,
    SHIFT_STEP,
    SHIFTS,
    NTMExplorerModel,
    NTMShiftExplorer,
    head_trajectory,
)
from convlib.shifting import AddressingStages, ntm_interpolate, ntm_sharpen, ntm_shift


def reference_step(previous, content, gate, s, gamma):
    """Equations (7)-(9) with numpy only: slot i receives previous[i - shift]."""
    gated = gate * np.asarray(content) + (1 - gate) * np.asarray(previous)
    shifted = sum(weight * np.roll(gated, shift) for shift, weight in zip(SHIFTS, s))
    powered = shifted**gamma
    return gated, shifted, powered / powered.sum()


def one_hot(n, index):
    w = np.zeros(n)
    w[index] = 1.0
    return w


@pytest.fixture
def explorer():
    view = NTMShiftExplorer(shift_weights=(0.1, 0.2, 0.7), gamma=1.0, gate=0.0, slots=10, steps=6)
    yield view
    view.close()


# --------------------------------------------------------------------------- head_trajectory


def test_trajectory_with_all_weight_on_plus_one_rolls_and_wraps():
    start = one_hot(7, 5)
    history = head_trajectory(start, [0, 0, 1], gamma=1, steps=9)
    assert history.shape == (10, 7)
    for t, row in enumerate(history):
        np.testing.assert_array_equal(row, np.roll(start, t))
    assert history[2].argmax() == 0  # slot 6 moved on to slot 0


def test_trajectory_minus_one_moves_back():
    history = head_trajectory(one_hot(5, 1), [1, 0, 0], gamma=1, steps=3)
    assert history.argmax(axis=1).tolist() == [1, 0, 4, 3]


def test_trajectory_matches_numpy_reference_with_gate_and_sharpening():
    rng = np.random.default_rng(3)
    previous, content = rng.dirichlet(np.ones(9)), rng.dirichlet(np.ones(9))
    s, gamma, gate = np.array([0.2, 0.3, 0.5]), 2.5, 0.3
    history = head_trajectory(previous, s, gamma, 5, content_weights=content, gate=gate)
    expected = [previous]
    for _ in range(5):
        expected.append(reference_step(expected[-1], content, gate, s, gamma)[2])
    np.testing.assert_allclose(history, np.array(expected), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(history.sum(axis=1), 1.0, rtol=1e-12)


def test_sharpening_keeps_the_focus_that_the_blurred_shift_spreads():
    start, s = one_hot(24, 2), [0.05, 0.15, 0.8]
    blurry = head_trajectory(start, s, gamma=1, steps=16)
    sharp = head_trajectory(start, s, gamma=4, steps=16)
    assert blurry[-1].max() < 0.35 < 0.95 < sharp[-1].max()
    # without sharpening the centre of mass moves at the mean shift, 0.75 slots per step
    assert np.isclose(blurry[-1] @ np.arange(24), 2 + 16 * 0.75)
    # with sharpening the most likely shift wins every step
    assert sharp.argmax(axis=1).tolist() == list(range(2, 19))


def test_trajectory_gate_one_restarts_from_content_every_step():
    content = np.array([0.0, 0.0, 0.9, 0.1, 0.0])
    history = head_trajectory(one_hot(5, 0), [0, 0, 1], 1, 3, content_weights=content, gate=1)
    for row in history[1:]:
        np.testing.assert_allclose(row, np.roll(content, 1))


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"gate": 0.5}, r"content_weights is needed when gate is not 0"),
        ({"steps": 0}, r"steps must be >= 1"),
        ({"gamma": 0.5}, r"gamma must be finite and >= 1"),
        ({"previous_weights": [0.5, 0.6, 0.0]}, r"previous_weights must be a probability distribution"),
        ({"shift_weights": [0.5, 0.5]}, r"shift_weights must have one entry per shift"),
        ({"gate": 1.5, "content_weights": [1, 0, 0]}, r"gate must be in \[0, 1\]"),
        ({"content_weights": [0.5, 0.5, 0.5]}, r"content_weights must be a probability"),
    ],
)
def test_trajectory_errors_name_the_argument(kwargs, pattern):
    arguments = {"previous_weights": [1, 0, 0], "shift_weights": [0, 0, 1], "gamma": 1.0, "steps": 2}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=pattern):
        head_trajectory(**arguments)


def test_trajectory_steps_must_be_an_integer():
    with pytest.raises(TypeError, match="steps must be an integer"):
        head_trajectory([1, 0, 0], [0, 0, 1], 1, 2.5)


# --------------------------------------------------------------------------- the explorer's state


def test_initial_state_and_stages_match_the_equations(explorer):
    assert explorer.previous_weights.tolist() == one_hot(10, 2).tolist()
    np.testing.assert_allclose(explorer.shift_distribution, [0.1, 0.2, 0.7])
    stages = explorer.stages
    assert isinstance(stages, AddressingStages)
    gated, shifted, sharpened = reference_step(
        explorer.previous_weights, explorer.content_weights, 0.0, [0.1, 0.2, 0.7], 1
    )
    np.testing.assert_allclose(stages.interpolated, gated)
    np.testing.assert_allclose(stages.shifted, shifted)
    np.testing.assert_allclose(stages.sharpened, sharpened)
    np.testing.assert_allclose(stages.shifted[[1, 2, 3]], [0.1, 0.2, 0.7])  # focus on slot 2, mostly on to 3
    assert explorer.trajectory.shape == (7, 10)


def test_default_content_is_a_distribution_away_from_the_start():
    view = NTMShiftExplorer()
    content = view.content_weights
    assert content.shape == (16,)
    assert np.isclose(content.sum(), 1.0) and np.all(content >= 0)
    assert content.argmax() == 10  # two thirds along 16 slots
    view.close()


def test_the_browser_setting_the_traits_updates_everything(explorer):
    """What the browser does: set the model's traits; the stages, heat map, text and picture follow."""
    picture_before = explorer.static_png()
    explorer.widget.gamma = 3.0
    explorer.widget.gate = 0.4
    explorer.widget.shift_weights = [0.6, 0.2, 0.7]
    s = np.array([0.6, 0.2, 0.7]) / 1.5
    np.testing.assert_allclose(explorer.shift_distribution, s)
    gated, shifted, sharpened = reference_step(explorer.previous_weights, explorer.content_weights, 0.4, s, 3.0)
    np.testing.assert_allclose(explorer.stages.interpolated, gated)
    np.testing.assert_allclose(explorer.stages.shifted, shifted)
    np.testing.assert_allclose(explorer.stages.sharpened, sharpened)
    np.testing.assert_allclose(explorer.trajectory[1], sharpened)
    assert explorer.static_png() != picture_before
    assert "gamma = 3" in explorer.alt_text() and "gate = 0.4" in explorer.alt_text()
    assert repr(explorer) == "NTMShiftExplorer(slots=10, s(-1, 0, +1)=(0.6, 0.2, 0.7), gamma=3, gate=0.4, steps=6)"


def test_stages_and_trajectory_are_convlib_shifting(explorer):
    explorer.widget.shift_weights = [0.35, 0.15, 0.9]
    explorer.widget.gamma = 2.75
    explorer.widget.gate = 0.65
    s = explorer.shift_distribution
    gated = ntm_interpolate(explorer.content_weights, explorer.previous_weights, 0.65)
    shifted = ntm_shift(gated, s, SHIFTS)
    sharpened = ntm_sharpen(shifted, 2.75)
    np.testing.assert_array_equal(explorer.stages.interpolated, gated)
    np.testing.assert_array_equal(explorer.stages.shifted, shifted)
    np.testing.assert_array_equal(explorer.stages.sharpened, sharpened)
    np.testing.assert_array_equal(explorer.stages.content, explorer.content_weights)
    expected = head_trajectory(explorer.previous_weights, s, 2.75, 6, explorer.content_weights, 0.65)
    np.testing.assert_array_equal(explorer.trajectory, expected)
    assert not explorer.trajectory.flags.writeable


def test_setters_set_the_traits(explorer):
    explorer.shift_weights = (0.0, 0.5, 0.5)
    explorer.gamma = 2.0
    explorer.gate = 1.0
    model = explorer.widget
    assert (model.shift_weights, model.gamma, model.gate) == ([0.0, 0.5, 0.5], 2.0, 1.0)
    np.testing.assert_allclose(explorer.stages.interpolated, explorer.content_weights)


def test_setting_three_shift_weights_sends_one_change(explorer):
    changes = []
    explorer.widget.observe(changes.append, names="shift_weights")
    explorer.shift_weights = (0.3, 0.3, 0.4)
    assert len(changes) == 1


def test_sharpening_restores_a_blurred_focus(explorer):
    explorer.shift_weights = (0.2, 0.3, 0.5)
    explorer.gamma = 1.0
    blurred = explorer.stages.sharpened.max()
    explorer.gamma = 6.0
    assert explorer.stages.sharpened.max() > 0.9 > 0.5 >= blurred
    assert explorer.stages.sharpened.argmax() == 3


def test_all_shift_sliders_at_zero_mean_uniform(explorer):
    explorer.shift_weights = (0, 0, 0)
    np.testing.assert_allclose(explorer.shift_distribution, [1 / 3] * 3)
    np.testing.assert_allclose(explorer.stages.shifted.sum(), 1.0)


def test_given_weightings_are_used_and_copied():
    previous = np.array([0.0, 0.5, 0.5, 0.0])
    content = np.array([0.25, 0.25, 0.25, 0.25])
    view = NTMShiftExplorer(previous, content, shift_weights=(0, 0, 1), gate=0.5)
    previous[1] = 0.9  # the caller's array changing does not change the view
    np.testing.assert_allclose(view.stages.shifted, np.roll([0.125, 0.375, 0.375, 0.125], 1))
    assert not view.previous_weights.flags.writeable
    assert not view.stages.sharpened.flags.writeable
    view.close()


# --------------------------------------------------------------------------- display


def test_mimebundle_has_widget_png_live_state_and_deterministic_text(explorer):
    bundle = explorer._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain", LIVE_MIMETYPE}
    text = bundle["text/plain"]
    assert text == "NTMShiftExplorer(slots=10, s(-1, 0, +1)=(0.1, 0.2, 0.7), gamma=1, gate=0, steps=6)"
    assert not re.search(r"0x[0-9a-f]+|model_id", text)
    png = base64.b64decode(bundle["image/png"])
    size = Image.open(io.BytesIO(png)).size
    assert png.startswith(b"\x89PNG") and max(size) <= 1600
    live = bundle[LIVE_MIMETYPE]
    assert live["module"] == "ntm_explorer" and "memory slots" in live["alt"]
    state = live["state"]
    assert state["shift_weights"] == [0.1, 0.2, 0.7] and state["gamma"] == 1.0 and state["steps"] == 6
    assert state["previous_weights"] == explorer.previous_weights.tolist()
    assert state["content_weights"] == explorer.content_weights.tolist()
    assert explorer._repr_mimebundle_(include=["text/plain"]) == {"text/plain": text}


def test_static_png_follows_the_state(explorer):
    before = explorer.static_png()
    explorer.gamma = 5.0
    assert explorer.static_png() != before


def test_widget_is_a_browser_view_and_closes(explorer):
    model = explorer.widget
    assert isinstance(model, NTMExplorerModel) and isinstance(model, BrowserView)
    assert "convlib-ntm-explorer" in model._dom_classes
    assert "export default" in model._esm and model._esm == module_source("ntm_explorer")
    assert model.max_gamma == 10.0 and explorer.max_gamma == 10.0 and explorer.steps == 6
    explorer.close()
    assert model.comm is None


def test_the_browser_module_uses_the_same_slider_steps():
    source = module_source("ntm_explorer")
    for name, value in (("SHIFT_STEP", SHIFT_STEP), ("GAMMA_STEP", GAMMA_STEP), ("GATE_STEP", GATE_STEP)):
        assert re.search(rf"export const {name} = {value};", source), name


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"shift_weights": (0.5, 0.5)}, ValueError, r"shift_weights must be three slider values"),
        ({"shift_weights": (0.5, 1.5, 0.0)}, ValueError, r"shift_weights must each be in \[0, 1\]"),
        ({"shift_weights": (-0.1, 0.5, 0.5)}, ValueError, r"shift_weights must each be in \[0, 1\]"),
        ({"shift_weights": ("a", 0.5, 0.5)}, TypeError, r"shift_weights must be a real number"),
        ({"gamma": 0.5}, ValueError, r"gamma must be in \[1, 10\]"),
        ({"gamma": 11.0}, ValueError, r"gamma must be in \[1, 10\]"),
        ({"gate": -0.2}, ValueError, r"gate must be in \[0, 1\]"),
        ({"slots": 2}, ValueError, r"slots must be >= 3"),
        ({"steps": 0}, ValueError, r"steps must be >= 1"),
        ({"max_gamma": 1.0}, ValueError, r"max_gamma must be > 1"),
        ({"previous_weights": [0.5, 0.6]}, ValueError, r"NTMShiftExplorer: previous_weights must be a probability"),
        (
            {"previous_weights": [0.5, 0.5], "content_weights": [1.0, 0.0, 0.0]},
            ValueError,
            r"content_weights and previous_weights must have the same length; got 3 and 2",
        ),
    ],
)
def test_constructor_errors_name_the_argument(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        NTMShiftExplorer(**kwargs)


def test_setter_errors_leave_the_state_alone(explorer):
    with pytest.raises(ValueError, match=r"gamma must be in \[1, 10\]"):
        explorer.gamma = 20
    with pytest.raises(ValueError, match=r"gate must be in \[0, 1\]"):
        explorer.gate = 2
    with pytest.raises(ValueError, match=r"shift_weights must each be in"):
        explorer.shift_weights = (2, 0, 0)
    assert repr(explorer) == "NTMShiftExplorer(slots=10, s(-1, 0, +1)=(0.1, 0.2, 0.7), gamma=1, gate=0, steps=6)"
