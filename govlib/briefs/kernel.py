"""Start-up settings of the processes that make briefs (``govlib briefs``, its workers, and the kernels they start):
the only module of govlib that touches ``sys.modules``.

jsonschema imports a checker for every string format it knows, if installed; jupyterlab's jsonschema extras install
them all. rfc3987-syntax builds a Lark grammar when imported (1.1–1.4 s in every process that imports altair,
papermill or nbconvert), and the others cost 0.15 s together. The notebook schema checks no format; the Vega-Lite
schema checks "color-hex" (kept) and "uri", which only URL data and links carry, and a brief's charts carry their
data inline. jsonschema treats each checker as optional, so they are kept out of these processes.

A kernel that ``govlib briefs`` starts carries ``GOVLIB_BRIEF_KERNEL=1`` in its environment. It draws charts without
validating their spec against the Vega-Lite schema again (the test suite validates every spec the chart builders
make), never as widgets (so neither anywidget nor ipywidgets is imported), imports Polars and Altair while it waits for
its first cell (``preload``), and ends as soon as Papermill asks it to, without tearing down the interpreter
(0.2–0.3 s with polars and altair loaded): nothing is left to save there.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading

KERNEL_ENV = "GOVLIB_BRIEF_KERNEL"
_UNUSED_FORMAT_CHECKERS = ("rfc3987_syntax", "rfc3986_validator", "rfc3339_validator", "isoduration", "uri_template",
                           "fqdn", "jsonpointer")
_prepared = False


def keep_unused_checkers_out() -> None:
    """Mark jsonschema's optional format checkers that briefs never need as absent (before jsonschema is imported)."""
    for name in _UNUSED_FORMAT_CHECKERS:
        sys.modules.setdefault(name, None)


def in_brief_kernel() -> bool:
    """Whether this process is a kernel started by ``govlib briefs``."""
    return os.environ.get(KERNEL_ENV) == "1" and "ipykernel" in sys.modules


def prepare() -> None:
    """Settle this process for making briefs (once): the unused checkers out, and in a brief kernel a quick end."""
    global _prepared
    if _prepared:
        return
    _prepared = True
    keep_unused_checkers_out()
    if in_brief_kernel():
        atexit.register(_exit_now)  # atexit runs last-registered first: this ends the process before the rest
        from .. import charts

        charts.pages_only()  # the exported page draws the charts: no widget (and its 900 KB bundle) to make
        # nor Altair's widget class: altair leaves out JupyterChart when anywidget is absent, and with it the
        # import of anywidget and ipywidgets (0.13 s of every brief)
        sys.modules.setdefault("anywidget", None)


# The kernel's argument that runs ``preload`` once the kernel is up (Papermill passes it to the kernel it starts).
PRELOAD_ARGUMENT = "--IPKernelApp.exec_lines=__import__('govlib.briefs.kernel').briefs.kernel.preload()"
_preloading: threading.Thread | None = None


def preload() -> None:
    """In a kernel ``govlib briefs`` started: import what every brief draws with (Polars, Altair and its schema
    classes) in a thread, while the kernel waits for Papermill to send the first cell (the kernel of an empty notebook
    sits idle there for about 0.2 s; the imports take 0.4 s). Each cell waits until the imports are done, so no
    cell runs beside them."""
    global _preloading
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or _preloading is not None:
        return
    prepare()  # before altair is imported
    _preloading = threading.Thread(target=_import_charting, name="govlib-preload", daemon=True)
    _preloading.start()
    shell.events.register("pre_run_cell", _wait_for_preload)


def _import_charting() -> None:
    try:
        from .. import charts

        charts.warm()
    except Exception:  # the cell that needs them imports them again, and shows the error where it belongs
        pass


def _wait_for_preload(*_info) -> None:
    if _preloading is not None:
        _preloading.join()


def _exit_now() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@contextlib.contextmanager
def marked_environment():
    """Mark the kernels started inside this block as brief kernels (``KERNEL_ENV``)."""
    saved = os.environ.get(KERNEL_ENV)
    os.environ[KERNEL_ENV] = "1"
    try:
        yield
    finally:
        if saved is None:
            del os.environ[KERNEL_ENV]
        else:
            os.environ[KERNEL_ENV] = saved
