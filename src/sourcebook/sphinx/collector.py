"""Python's cycle collector during a build: what lives for the whole build is set aside, so that its
full collections walk only what the build makes meanwhile.

A build keeps alive, from start to end, every module that Sphinx, Jupyter Book and their
extensions import, and, once the pages are read, the environment: about 400,000 objects for
a course of 100 modules. Each full collection walks every live object, finds nothing to free
among these, and there are a few dozen in a build: on a generated course of 100 modules they
took 7.1 to 7.3 s of a 39 s clean build (processor time, measured in the build).

So when the builder is set up (every extension imported) and again when every page has been
read (``env-updated``, before the pages are written), what is alive goes to the collector's
permanent generation (``gc.freeze``), which no collection walks. Objects freed by their
reference count are freed as before; a cycle of objects set aside that becomes garbage
waits for the end of the build. At the end (``build-finished``, which Sphinx also sends
when the build fails) everything set aside goes back (``gc.unfreeze``), so a process that
builds again, or does anything else, collects it as usual. With ``-j``, the processes that
read and write pages are forks, which start with what was set aside before them.

If something else had already frozen objects when the build starts, it owns the
permanent generation: this module then does nothing.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

from sphinx.application import Sphinx

#: The apps whose build has objects set aside by this module (as theme.py notes the apps that write pages).
_SET_ASIDE: weakref.WeakSet[Sphinx] = weakref.WeakSet()


def set_aside_at_start(app: Sphinx) -> None:
    if gc.get_freeze_count() == 0:
        gc.freeze()
        _SET_ASIDE.add(app)


def set_aside_once_read(app: Sphinx, env: Any) -> list[str]:
    if app in _SET_ASIDE:
        gc.freeze()
    return []


def give_back(app: Sphinx, exception: BaseException | None) -> None:
    if app in _SET_ASIDE:
        gc.unfreeze()
        _SET_ASIDE.discard(app)


def setup_collector(app: Sphinx) -> None:
    # Last of the builder's set-up and last at the end, so that the other handlers' work at the end (the
    # stylesheets, reading every page written) gains too. A handler of the end that fails before this one
    # leaves the objects set aside: Sphinx stops the build there.
    app.connect("builder-inited", set_aside_at_start, priority=900)
    app.connect("env-updated", set_aside_once_read, priority=900)
    app.connect("build-finished", give_back, priority=999)
