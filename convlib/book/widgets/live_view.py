"""Live views for the notebooks: drag a slider, watch the picture change.

Each view is a plain Python object with three faces:

* ``view.widget``: the live ipywidgets view, shown by JupyterLab and Jupyter Notebook when the
  kernel runs;
* a static PNG of the current state, for every place without a kernel (GitHub, nbviewer, an
  untrusted notebook, ``jupyter nbconvert --to html`` without stored widget state);
* for a view computed in the browser (:mod:`~convlib.book.widgets.browser_view`), its module and
  state, which an HTML export turns back into the live view;
* a short, deterministic ``text/plain`` (no ids, addresses or timings), which is what nbval
  compares.

Displaying the object sends all three (see :meth:`LiveView._repr_mimebundle_`); the front end
picks the richest one it can show.
"""

from __future__ import annotations

import base64

import ipywidgets as widgets
import numpy as np

from convlib.book.widgets.browser_view import LIVE_MIMETYPE


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

    def alt_text(self) -> str:
        """A sentence saying what the view shows, for readers who cannot see it (default: the text form)."""
        return self._plain_text()

    def __repr__(self) -> str:
        return self._plain_text()

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, object]:
        bundle = self.widget._repr_mimebundle_()
        data: dict[str, object] = dict(bundle[0] if isinstance(bundle, tuple) else bundle)  # anywidget: (data, meta)
        data["text/plain"] = self._plain_text()
        data["image/png"] = base64.b64encode(self.static_png()).decode("ascii")
        if hasattr(self.widget, "live_state"):  # a browser view: its module and state, for the HTML export
            data[LIVE_MIMETYPE] = self.widget.live_state(self.alt_text())
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


def read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
