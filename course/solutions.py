"""The instructor's solutions, for self-paced readers of the full course (`source/`).

`ex.<exercise>.solution()` shows one after the exercise's last hint, as Kaggle's learntools
does. An edition without `source/` (a cohort's learner edition, a hub) has none to show.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat

from course.paths import SOURCE, notebooks

_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


@functools.cache
def _solution_cells(source: Path, module: str) -> tuple[str, ...]:
    """The answer cells of the source notebooks that use exercise `module`, markers removed."""
    from course.progress import exercise_module_name

    cells = []
    for path in notebooks(source) if source.is_dir() else []:
        nb = nbformat.read(path, as_version=4)
        if exercise_module_name(nb) != module:
            continue
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("solution"):
                lines = [line for line in cell.source.splitlines() if not _MARKER.match(line)]
                cells.append("\n".join(lines).strip())
    return tuple(cells)


def solution_source(answer_names: tuple[str, ...], module: str,
                    source: Path | None = None) -> str | None:
    """The answer cell of exercise `module`'s notebooks that defines one of `answer_names`."""
    source = SOURCE if source is None else source
    defines = re.compile(r"^(?:def\s+({0})\s*\(|({0})\s*=)".format(
        "|".join(map(re.escape, answer_names))), re.M)
    found = [cell for cell in _solution_cells(source, module) if defines.search(cell)]
    return "\n\n".join(found) if found else None
