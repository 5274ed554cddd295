"""Run a catalogue case against a visible check and its hidden tests, outside any kernel.

Each source notebook runs once, in this process, with its solutions (`course.inline`); just
before each check cell the namespace is kept. A case then runs in a shallow copy of that
namespace: its answer code, then the visible part of the check cell (or its hidden part).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from course.feedback import NotYet
from course.grading.feedback import hidden_regions
from course.inline import CellTimeout, parameter_override, run_notebook, run_source
from course.paths import SOURCE, notebooks

CASE_TIMEOUT = 120  # seconds per cell; a wrong answer may be slow, never endless
_CHECK = re.compile(r"\bex\.(\w+)\.check\(")
_IMPORT = re.compile(r"^from course\.exercises import (\w+) as ex\b", re.M)


@dataclass
class CheckCell:
    """One exercise's check cell in one notebook, and the notebook's state just before it."""

    notebook: Path
    module: str
    key: str
    visible: str
    hidden: str
    namespace: dict[str, Any]


@dataclass(frozen=True)
class Verdict:
    """What a piece of code did: passed, or failed with an exception (its type and message)."""

    error: str | None = None
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.error is None


def _split(source: str) -> tuple[str, str]:
    visible, hidden, _ = hidden_regions(source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
    return visible, "\n".join(hidden)


def check_cell(module: str, key: str, size: int) -> CheckCell:
    """The check cell of `module`'s exercise `key`, in its notebook's state (each runs once)."""
    for path in notebooks(SOURCE):
        text = path.read_text()
        if f"from course.exercises import {module} as ex" in text and \
                re.search(rf"\bex\.{key}\.check\(", text):
            cells = _notebook_check_cells(path, size)
            if key in cells:
                return cells[key]
    raise KeyError(f"no check cell calls ex.{key}.check( in the source notebooks")


@functools.cache
def _notebook_check_cells(path: Path, size: int) -> dict[str, CheckCell]:
    nb = parameter_override(nbformat.read(path, as_version=4), N_CUSTOMERS=size)
    module = next((m.group(1) for c in nb.cells if c.cell_type == "code"
                   for m in [_IMPORT.search(c.source)] if m), None)
    found: dict[str, CheckCell] = {}

    def keep(index: int, cell: Any, namespace: dict) -> None:
        meta = cell.metadata.get("nbgrader", {})
        match = _CHECK.search(cell.source)
        if meta.get("grade") and not meta.get("solution") and match:
            visible, hidden = _split(cell.source)
            found[match.group(1)] = CheckCell(path, module or "", match.group(1), visible,
                                              hidden, dict(namespace))

    with _in_folder(path.parent), contextlib.redirect_stdout(io.StringIO()):
        _, errors = run_notebook(nb, timeout=CASE_TIMEOUT, before_cell=keep)
    if errors:
        raise RuntimeError(f"{path.name}: the solved notebook fails in cells {errors}")
    return found


@contextlib.contextmanager
def _in_folder(folder: Path):
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def judge(cell: CheckCell, answer: str, part: str) -> Verdict:
    """Run `answer` then the `part` ("visible" or "hidden") of the check cell."""
    namespace = dict(cell.namespace)
    with _in_folder(cell.notebook.parent), contextlib.redirect_stdout(io.StringIO()):
        try:
            run_source(answer, namespace, timeout=CASE_TIMEOUT, name="<answer>")
        except (Exception, CellTimeout) as error:
            return Verdict("answer code", f"the catalogue's answer itself fails: "
                           f"{type(error).__name__}: {error}")
        try:
            run_source(getattr(cell, part), namespace, timeout=CASE_TIMEOUT, name=f"<{part}>")
        except NotYet as error:
            return Verdict("NotYet", str(error))
        except (Exception, CellTimeout) as error:
            return Verdict(type(error).__name__, str(error))
        finally:
            _close_figures()
    return Verdict()


def _close_figures() -> None:
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
