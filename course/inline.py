"""Run a notebook's code cells inside this Python process, without starting a kernel.

For the course's own quick tools (`make progress`, the wrong-answer catalogue tests), where a
kernel start per notebook costs more than the notebook itself. Grading never uses this: it
runs learners' code in a sandboxed kernel and judges it in the referee.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

__all__ = ["CellTimeout", "CellError", "run_source", "run_notebook", "in_child_process",
           "error_of"]


class CellTimeout(BaseException):
    """A cell ran past its time limit (a BaseException, so a learner's `except` cannot eat it)."""


@dataclass(frozen=True)
class CellError:
    """What went wrong in one cell: the exception's name and the message a learner reads."""

    name: str
    message: str

    def text(self) -> str:
        return f"Not yet: {self.message}" if self.name == "NotYet" else \
            f"{self.name}: {self.message}"


def error_of(error: BaseException) -> CellError:
    return CellError(type(error).__name__, str(error))


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    if not seconds or not hasattr(signal, "SIGALRM"):
        yield
        return

    def _expired(signum, frame):
        raise CellTimeout(f"the cell ran for more than {seconds:g} s: is there an endless loop?")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_source(source: str, namespace: dict[str, Any], *, timeout: float | None = None,
               name: str = "<cell>") -> None:
    """Execute one cell's source in `namespace`; its exceptions propagate."""
    code = compile(source, name, "exec")
    with _time_limit(timeout):
        exec(code, namespace)  # noqa: S102 (running notebook cells is the point)


def parameter_override(nb: nbformat.NotebookNode, **values: Any) -> nbformat.NotebookNode:
    """A copy of `nb` whose `parameters` cell is followed by assignments of `values`."""
    nb = nbformat.from_dict(nb)
    for index, cell in enumerate(nb.cells):
        if "parameters" in cell.metadata.get("tags", []):
            lines = "\n".join(f"{key} = {value!r}" for key, value in values.items())
            nb.cells.insert(index + 1, nbformat.v4.new_code_cell(lines))
            break
    return nb


def run_notebook(nb: nbformat.NotebookNode, namespace: dict[str, Any] | None = None, *,
                 timeout: float | None = 60,
                 before_cell: Callable[[int, Any, dict], None] | None = None,
                 ) -> tuple[dict[str, Any], dict[int, CellError]]:
    """Run every code cell in order, going on after errors; the namespace and each failed cell."""
    namespace = {"__name__": "__main__"} if namespace is None else namespace
    errors: dict[int, CellError] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if before_cell is not None:
            before_cell(index, cell, namespace)
        try:
            run_source(cell.source, namespace, timeout=timeout, name=f"<cell {index}>")
        except (Exception, CellTimeout) as error:
            errors[index] = error_of(error)
        finally:
            _close_figures()
    return namespace, errors


def _close_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def in_child_process(function: Callable[..., Any], *args: Any, folder: Path | None = None,
                     timeout: float = 300, quiet: bool = True) -> Any:
    """`function(*args)` in a forked child (in `folder`, its prints dropped); its result.

    The child shares this process's imports, so it starts in milliseconds, but nothing it
    does (a learner's monkey-patch, `os.chdir`, `sys.exit`) reaches this process. Raises
    `TimeoutError` past `timeout` seconds and `RuntimeError` if the child dies.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        status = 0
        try:
            if folder is not None:
                os.chdir(folder)
            if quiet:
                sink = os.open(os.devnull, os.O_WRONLY)
                os.dup2(sink, 1)
                os.dup2(sink, 2)
                sys.stdout = sys.stderr = io.TextIOWrapper(open(os.devnull, "wb"))  # noqa: SIM115
            payload = pickle.dumps(("ok", function(*args)))
        except BaseException as error:  # noqa: BLE001 (everything goes back to the parent)
            payload = pickle.dumps(("error", f"{type(error).__name__}: {error}"))
            status = 1
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(status)
    os.close(write_end)

    def _kill(signum, frame):
        os.kill(pid, signal.SIGKILL)
        raise TimeoutError(f"gave up after {timeout:g} s")

    previous = signal.signal(signal.SIGALRM, _kill)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("the child process died before it answered")
    kind, value = pickle.loads(data)  # noqa: S301 (our own child's answer)
    if kind == "error":
        raise RuntimeError(value)
    return value
