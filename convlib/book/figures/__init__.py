"""The notebooks' figures, one module per notebook (see :mod:`convlib.book`), plus :mod:`~.common`."""
