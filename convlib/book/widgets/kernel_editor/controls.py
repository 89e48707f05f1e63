"""The KernelEditor's ipywidgets: the weight sliders, the preset, image, size, operation and scaling
choosers, the two pictures and their labels, laid out side by side.

Building them is all this module does; :mod:`~convlib.book.widgets.kernel_editor.editor` listens to
them and :mod:`~convlib.book.widgets.kernel_editor.rendering` makes what they show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from convlib import kernels
from convlib.book.widgets.kernel_editor.inputs import OPERATIONS
from convlib.book.widgets.pictures import SCALINGS

# Narrower slider readouts, so that a 5x5 grid of sliders fits beside the pictures.
_STYLE = (
    "<style>.convlib-kernel-editor .convlib-weights .widget-readout"
    " { min-width: 3.1em; max-width: 3.1em; margin-left: 1px; }</style>"
)


@dataclass(frozen=True)
class Controls:
    """The widgets of one KernelEditor.

    ``sliders`` is always 5 rows of 5; a 3x3 kernel uses the centre ones (see
    :func:`active_sliders`). ``all_widgets`` lists every widget built, to close them together.
    """

    root: widgets.HBox
    image_choice: widgets.Dropdown
    preset: widgets.Dropdown
    size: widgets.ToggleButtons
    normalise: widgets.Checkbox
    operation: widgets.ToggleButtons
    scaling: widgets.Dropdown
    sliders: list[list[widgets.FloatSlider]]
    grid: widgets.GridBox
    input_image: widgets.Image
    output_image: widgets.Image
    input_label: widgets.HTML
    output_label: widgets.HTML
    readout: widgets.HTML
    all_widgets: list[widgets.Widget]


def build_controls(
    image_names: Sequence[str],
    *,
    display_size: int,
    operation: str,
    scaling: str,
    normalise: bool,
    size: int,
    low: float,
    high: float,
    step: float,
) -> Controls:
    """Build the editor's widgets, not yet listened to; the grid of sliders is empty until :func:`lay_out_grid`.

    Parameters
    ----------
    image_names : sequence of str
        The image chooser's options (it is disabled when there is only one).
    display_size : int
        Width in pixels of each picture.
    operation, scaling : str
        The initial choices (see :data:`~convlib.book.widgets.kernel_editor.inputs.OPERATIONS` and
        :data:`~convlib.book.widgets.pictures.SCALINGS`).
    normalise : bool
        The initial state of the normalise checkbox.
    size : {3, 5}
        The initial kernel size.
    low, high, step : float
        The weight sliders' range and step.

    Returns
    -------
    Controls

    Examples
    --------
    >>> controls = build_controls(["ramp"], display_size=64, operation="correlate2d", scaling="auto",
    ...                           normalise=False, size=3, low=-8.0, high=8.0, step=0.25)
    >>> len(controls.sliders), controls.image_choice.disabled, controls.preset.value
    (5, True, 'custom')
    """
    width = f"{display_size}px"
    names = list(image_names)
    image_choice = widgets.Dropdown(
        options=names, value=names[0], description="image", disabled=len(names) == 1,
        layout=widgets.Layout(width="200px"), style={"description_width": "50px"},
    )  # fmt: skip
    preset = widgets.Dropdown(
        options=["custom", *kernels.GALLERY], value="custom", description="preset",
        layout=widgets.Layout(width="200px"), style={"description_width": "50px"},
    )  # fmt: skip
    size_choice = widgets.ToggleButtons(
        options=[("3×3", 3), ("5×5", 5)], value=size, tooltips=["3x3 kernel", "5x5 kernel"],
        style={"button_width": "48px"}, layout=widgets.Layout(width="auto"),
    )  # fmt: skip
    normalise_box = widgets.Checkbox(
        value=normalise, description="normalise (÷ sum)", indent=False, layout=widgets.Layout(width="150px")
    )
    operation_choice = widgets.ToggleButtons(
        options=list(OPERATIONS), value=operation,
        tooltips=["slide the kernel as it is (a CNN layer)", "flip the kernel on both axes first"],
        style={"button_width": "104px"}, layout=widgets.Layout(width="auto"),
    )  # fmt: skip
    scaling_choice = widgets.Dropdown(
        options=list(SCALINGS),
        value=scaling, description="show", layout=widgets.Layout(width="150px"),
        style={"description_width": "40px"},
    )  # fmt: skip
    sliders = [
        [
            widgets.FloatSlider(
                value=0.0,
                min=low,
                max=high,
                step=step,
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
    grid = widgets.GridBox(layout=widgets.Layout(grid_gap="0px 4px", width="auto"))
    # The first pictures are compact PNGs (they are what a saved notebook's widget state keeps);
    # live updates switch the output to the fast format.
    input_image = widgets.Image(format="png", layout=widgets.Layout(width=width))
    output_image = widgets.Image(format="png", layout=widgets.Layout(width=width))
    input_label = widgets.HTML()
    output_label = widgets.HTML()
    readout = widgets.HTML()
    style = widgets.HTML(_STYLE, layout=widgets.Layout(display="none"))
    controls = widgets.VBox(
        [
            widgets.HBox([preset, image_choice]),
            widgets.HBox([size_choice, operation_choice]),
            widgets.HBox([normalise_box, scaling_choice]),
            grid,
            readout,
            style,
        ],
        layout=widgets.Layout(width="540px"),
    )
    pictures = [
        widgets.VBox([input_label, input_image], layout=widgets.Layout(width=width)),
        widgets.VBox([output_label, output_image], layout=widgets.Layout(width=width)),
    ]
    root = widgets.HBox(
        [*pictures, controls],
        layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap", width="auto"),
    )
    root.add_class("convlib-kernel-editor")
    for widget, name in (
        (output_image, "output"), (input_image, "input"), (grid, "weights"),
        (preset, "preset"), (image_choice, "image-choice"), (size_choice, "size"),
        (normalise_box, "normalise"), (operation_choice, "operation"), (scaling_choice, "scaling"),
        (readout, "readout"),
    ):  # fmt: skip
        widget.add_class(f"convlib-{name}")  # stable hooks for the browser test and for CSS
    all_widgets = [
        root, controls, *pictures, *controls.children[:3], grid, image_choice, preset,
        size_choice, normalise_box, operation_choice, scaling_choice, input_image, output_image,
        input_label, output_label, readout, style, *(s for row in sliders for s in row),
    ]  # fmt: skip
    return Controls(
        root=root, image_choice=image_choice, preset=preset, size=size_choice, normalise=normalise_box,
        operation=operation_choice, scaling=scaling_choice, sliders=sliders, grid=grid,
        input_image=input_image, output_image=output_image, input_label=input_label,
        output_label=output_label, readout=readout, all_widgets=all_widgets,
    )  # fmt: skip


def active_sliders(sliders: list[list[widgets.FloatSlider]], size: int) -> list[list[widgets.FloatSlider]]:
    """The centre ``size`` rows of ``size`` of the 5x5 ``sliders``: those a ``size``x``size`` kernel uses.

    Examples
    --------
    >>> grid = [[(row, column) for column in range(5)] for row in range(5)]
    >>> active_sliders(grid, 3)[0]
    [(1, 1), (1, 2), (1, 3)]
    """
    offset = (5 - size) // 2
    return [row[offset : offset + size] for row in sliders[offset : offset + size]]


def lay_out_grid(grid: widgets.GridBox, sliders: list[list[widgets.FloatSlider]], size: int) -> None:
    """Show the active sliders of a ``size``x``size`` kernel in ``grid``, ``size`` to a row."""
    grid.children = tuple(slider for row in active_sliders(sliders, size) for slider in row)
    grid.layout.grid_template_columns = f"repeat({size}, minmax(0, 1fr))"
