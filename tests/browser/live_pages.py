"""Reading a browser view's state and pictures from a page (shared by the browser tests)."""

from __future__ import annotations

import base64

import numpy as np

# The gray levels a canvas shows (its red channel: the pictures are gray), as base64.
CANVAS_PIXELS = """
(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let text = "";
  for (let i = 0; i < data.length; i += 4) text += String.fromCharCode(data[i]);
  return [canvas.width, canvas.height, btoa(text)];
}
"""


def canvas_pixels(canvas) -> np.ndarray:
    """The gray levels a canvas shows, as a (height, width) uint8 array."""
    width, height, data = canvas.evaluate(CANVAS_PIXELS)
    return np.frombuffer(base64.b64decode(data), np.uint8).reshape(height, width)


def page_state(editor) -> dict:
    """What the page shows: weights (the cells), normalise, operation, border, scaling."""
    texts = [cell.input_value() for cell in editor.locator("input.cell").all()]
    size = round(len(texts) ** 0.5)
    assert size * size == len(texts) and size in (3, 5), f"unexpected number of weight cells: {len(texts)}"
    return {
        "weights": np.array([float(text) for text in texts]).reshape(size, size),
        "normalise": editor.get_by_label("divide the weights by their sum").is_checked(),
        "operation": editor.get_by_label("operation").input_value(),
        "boundary": editor.get_by_label("border").input_value(),
        "scaling": editor.get_by_label("gray levels").input_value(),
    }


def wait_drawn(lab, editor, count: int) -> None:
    lab.page.wait_for_function(
        "([root, count]) => Number(root.dataset.drawn) > count", arg=[editor.element_handle(), count]
    )


def drawn(editor) -> int:
    return int(editor.get_attribute("data-drawn") or 0)
