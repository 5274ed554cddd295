"""The wrong answers learners really write, and right answers written another way.

One module per assignment (`part0_orientation.py`, ...) holds `CASES`: for each exercise (its
`Exercise` key in `course.exercises`), a list of `Wrong` and `Right` answers as source code.
`tests/test_catalogue.py` runs every case against the exercise's visible check and its hidden
tests, in the notebook's own state just before its check cell (see `harness.py`):

- a `Wrong` answer must make the visible check say "Not yet" with a message that contains
  `phrase`, and must fail the hidden tests; a `hardcoded=True` answer (the right value of the
  course's shop, typed in) may pass the visible check, but must fail the hidden tests;
- a `Right` answer must get "Correct!" and pass the hidden tests.

Answer code runs in a copy of the notebook's namespace, where the solution's own definitions
are still there (a hard-coded answer can compute its value with them). It must not edit the
shop's tables in place: they are shared by every case of a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wrong:
    """A plausible mistake: its code, and the phrase the visible check's message must hold."""

    mistake: str
    code: str
    phrase: str
    hardcoded: bool = False


@dataclass(frozen=True)
class Right:
    """A correct answer written differently from the solution."""

    how: str
    code: str


Case = Wrong | Right
