"""Nothing of an answer in the learner notebook: no cell and no hint is a near-copy of a solution.

What a learner sees of a source notebook (every cell, with the solution and hidden-test regions
cut, as `release/` has it) and every hint of `course.exercises` are compared with every
solution of the same assignment, as token sequences with comments dropped. A cell or hint that
holds most of a solution's tokens in runs of three or more, in order, gives the answer away; a
hint may hold less (`gives_away`).
"""

from __future__ import annotations

import importlib
import inspect

import nbformat
import pytest
from support import ASSIGNMENTS, SOURCE_NOTEBOOKS, shared_tokens, tokens

from course.feedback import Exercise
from course.grading.feedback import hidden_regions
from course.progress import exercise_module_name

MIN_TOKENS = 12  # shorter solutions are one idiom; naming it is a fair nudge
MAX_SHARE = 0.6  # a cell may share at most this much of a solution, in runs of >= 3 tokens
# A hint is a nudge (a name, a question, a first line): it may not hold half of a solution, nor
# be mostly a solution's code while it holds a good part of it.
HINT_SHARE, HINT_PART, HINT_OWN = 0.5, 0.3, 0.6


def gives_away(solution: list[str], text: list[str], *, hint: bool) -> float | None:
    """The share of `solution` that `text` copies, if that is too much; else None."""
    shared = shared_tokens(solution, text)
    share = shared / len(solution)
    if not hint:
        return share if share > MAX_SHARE else None
    own = shared / max(len(text), 1)
    return share if share > HINT_SHARE or (share > HINT_PART and own > HINT_OWN) else None


def _solutions(nb) -> list[tuple[str, str]]:
    found = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            _, inside, _ = hidden_regions(cell.source, "BEGIN SOLUTION", "END SOLUTION")
            found.append((meta.get("grade_id", "?"), "\n".join(inside)))
    return found


def _learner_texts(nb) -> list[tuple[str, str]]:
    """What a learner reads of each cell: solution and hidden-test regions cut out."""
    texts = []
    for index, cell in enumerate(nb.cells):
        text, _, _ = hidden_regions(cell.source, "BEGIN SOLUTION", "END SOLUTION")
        text, _, _ = hidden_regions(text, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
        texts.append((f"cell {index}", text))
    return texts


def _assignment(assignment: str):
    """(solutions, learner texts) of one assignment, each labelled with where it is."""
    solutions, texts = [], []
    modules = set()
    for path in SOURCE_NOTEBOOKS:
        if path.parent.name != assignment:
            continue
        nb = nbformat.read(path, as_version=4)
        solutions += [(f"{path.stem} {grade_id}", code) for grade_id, code in _solutions(nb)]
        texts += [(f"{path.stem} {where}", text) for where, text in _learner_texts(nb)]
        modules.add(exercise_module_name(nb))
    for name in sorted(m for m in modules if m):
        for key, exercise in inspect.getmembers(importlib.import_module(name)):
            if isinstance(exercise, Exercise):
                texts += [(f"{name}.{key} hint {n}", hint)
                          for n, hint in enumerate(exercise.hints, start=1)]
    return solutions, texts


def test_the_measure_finds_a_copy_and_spares_a_nudge():
    solution = tokens('per = log.groupby("campaign_id")["accessed"].agg(["mean", "size"])\n'
                      'return int(per[per["size"] >= n]["mean"].idxmax())')
    copied = tokens('# here is how\nper = log.groupby("campaign_id")["accessed"]'
                    '.agg(["mean", "size"])\nbest = int(per[per["size"] >= n]["mean"].idxmax())')
    nudge = tokens("Group the log by `campaign_id`, then keep the campaigns with enough mails "
                   "before you take `idxmax()`.")
    assert gives_away(solution, copied, hint=False)
    assert gives_away(solution, copied[:14], hint=True), "the first line of code is too much"
    assert gives_away(solution, nudge, hint=True) is None


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_cell_or_hint_copies_a_solution(assignment):
    solutions, texts = _assignment(assignment)
    copies = {}
    for where_solution, code in solutions:
        solution = tokens(code)
        if len(solution) < MIN_TOKENS:
            continue
        for where, text in texts:
            share = gives_away(solution, tokens(text), hint=" hint " in where)
            if share is not None:
                copies[(where, where_solution)] = share
    found = [f"{where} holds {share:.0%} of the solution {solution}"
             for (where, solution), share in copies.items()]
    assert not found, "answers given away:\n" + "\n".join(found)
