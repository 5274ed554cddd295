"""Every exercise against the wrong answers learners write, and right answers written otherwise.

A wrong answer must be rejected by the visible check with a message naming the mistake, and
must fail the hidden tests; a right answer written another way must pass both. See
`tests/catalogue/__init__.py` for the catalogue's format.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from catalogue import Right, Wrong
from catalogue.harness import check_cell, judge
from support import CI_PARAMETERS

from course.feedback import Exercise

MODULES = ("part0_orientation", "part1_understanding", "part2_applying", "part3_starting",
           "part3_personalisation", "part3_plan")
SIZE = CI_PARAMETERS["N_CUSTOMERS"]


def _exercises(module: str) -> dict[str, Exercise]:
    exercises = importlib.import_module(f"course.exercises.{module}")
    return {name: value for name, value in inspect.getmembers(exercises)
            if isinstance(value, Exercise)}


def _catalogue(module: str) -> dict:
    try:
        return importlib.import_module(f"catalogue.{module}").CASES
    except ModuleNotFoundError:
        return {}


def _cases():
    for module in MODULES:
        for key, cases in _catalogue(module).items():
            for number, case in enumerate(cases, start=1):
                kind = "wrong" if isinstance(case, Wrong) else "right"
                label = case.mistake if isinstance(case, Wrong) else case.how
                name = f"{module}-{key}-{kind}{number}-{label[:40]}"
                yield pytest.param(module, key, case, id=name)


@pytest.mark.parametrize("module", MODULES)
def test_every_exercise_is_catalogued(module):
    catalogue = _catalogue(module)
    unknown = set(catalogue) - set(_exercises(module))
    assert not unknown, f"catalogue.{module} names exercises that do not exist: {unknown}"
    for key in _exercises(module):
        cases = catalogue.get(key, [])
        wrong = sum(isinstance(case, Wrong) and not case.hardcoded for case in cases)
        right = sum(isinstance(case, Right) for case in cases)
        assert wrong >= 3 and right >= 1, (
            f"{module}.{key}: {wrong} wrong answer(s) and {right} right one(s) in the "
            "catalogue; every exercise needs at least three plausible mistakes and one "
            "correct answer written differently from the solution")


@pytest.mark.parametrize(("module", "key", "case"), list(_cases()))
def test_case(module, key, case):
    cell = check_cell(module, key, SIZE)
    visible = judge(cell, case.code, "visible")
    hidden = judge(cell, case.code, "hidden")
    for verdict in (visible, hidden):
        assert verdict.error != "answer code", verdict.message
    if isinstance(case, Right):
        assert visible.passed, f"the visible check rejects a right answer: {visible.message}"
        assert hidden.passed, (f"the hidden tests reject a right answer: {hidden.error}: "
                               f"{hidden.message}")
        return
    assert not hidden.passed, f"the hidden tests let a wrong answer through ({case.mistake})"
    if case.hardcoded:
        return
    assert not visible.passed, f"the visible check says Correct! to: {case.mistake}"
    assert visible.error == "NotYet", (
        f"the visible check fails with a raw {visible.error} ({visible.message}), not a "
        "message in the learner's terms")
    assert case.phrase.lower() in visible.message.lower(), (
        f"the message does not name the mistake ({case.phrase!r}): {visible.message}")
