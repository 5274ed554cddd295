"""Learner feedback: every visible check speaks through this module.

A check prints a short verdict. When an answer is not right yet it raises `NotYet`, whose
message says what to look at (never the expected answer); in a notebook the message is shown
without a traceback, but the cell still fails, so nbgrader scores it. Hints are revealed one
at a time with `exercise.hint()`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Exercise", "NotYet", "call_learner", "expect"]

_RED, _GREEN, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[0m"


class NotYet(AssertionError):
    """An answer is not right yet; the message says what to look at."""


def expect(condition: object, message: str) -> None:
    """Raise `NotYet(message)` unless `condition` holds."""
    if not condition:
        raise NotYet(message)


def call_learner(function: Callable[..., Any], *args: Any, what: str = "", **kwargs: Any) -> Any:
    """Call a learner's function; turn a crash inside it into a `NotYet` that names it."""
    name = what or f"`{getattr(function, '__name__', 'your function')}`"
    if not callable(function):
        kind = type(function).__name__
        raise NotYet(f"{name} should be a function (def ...), but it is a {kind}.")
    try:
        return function(*args, **kwargs)
    except NotYet:
        raise
    except NotImplementedError:
        raise NotYet(
            f"{name} still raises NotImplementedError: replace that line with your code."
        ) from None
    except Exception as error:  # the learner's code failed: say where, not a traceback
        raise NotYet(f"{name} raised {type(error).__name__}: {error}") from None


class Exercise:
    """One exercise: its learning goal, its visible check and its hints.

    `answer_names` are the variables the learner defines; `check()` reads them from the
    notebook, so an undefined answer gets a clear message instead of a `NameError`.
    """

    def __init__(
        self,
        key: str,
        goal: str,
        answer_names: Sequence[str],
        checker: Callable[..., None],
        hints: Sequence[str],
        success: str = "",
    ) -> None:
        if not 1 <= len(hints) <= 3:
            raise ValueError(f"hints: an exercise has one to three hints, got {len(hints)}")
        if isinstance(answer_names, str) or not answer_names:
            raise TypeError("answer_names: give a non-empty list of variable names")
        self.key = key
        self.goal = goal
        self.answer_names = tuple(answer_names)
        self.hints = tuple(hints)
        self.success = success
        self._checker = checker
        self._hints_shown = 0
        # The exercise module that made it (course.exercises.<module>): its notebooks.
        self.module = sys._getframe(1).f_globals.get("__name__", "")

    def __repr__(self) -> str:
        return f"Exercise({self.key!r}: {self.goal})"

    def check(self, namespace: dict[str, Any] | None = None, **context: Any) -> None:
        """Check the learner's answer; print a verdict or raise `NotYet`."""
        namespace = namespace if namespace is not None else sys._getframe(1).f_globals
        answers = []
        for name in self.answer_names:
            if name not in namespace:
                raise NotYet(
                    f"`{name}` is not defined yet: write your answer in the cell above and "
                    "run it (Shift+Enter), then run this check again."
                )
            answers.append(namespace[name])
        try:
            self._checker(*answers, **context)
        except NotYet:
            raise
        except NotImplementedError:
            raise NotYet(
                "not started: replace `raise NotImplementedError()` with your answer."
            ) from None
        print(f"{_GREEN}{_BOLD}Correct!{_RESET} {self.success}".rstrip())

    def solution(self) -> None:
        """The instructor's solution, once every hint has been shown (full course only)."""
        from course.solutions import solution_source

        code = solution_source(self.answer_names, self.module)
        if code is None:
            print("This edition of the course has no solutions to show: ask your instructor.")
            return
        if self._hints_shown < len(self.hints):
            print(f"Try the hints first: {self._hints_shown} of {len(self.hints)} shown. Call "
                  ".hint() until the last one, then .solution() shows the instructor's answer.")
            return
        print("The instructor's solution (one way among others; yours may differ and be "
              f"right):\n\n{code}")

    def hint(self) -> None:
        """Reveal the next hint (one to three per exercise)."""
        if self._hints_shown < len(self.hints):
            self._hints_shown += 1
        number = self._hints_shown
        last = " (last hint)" if number == len(self.hints) else ""
        print(f"Hint {number} of {len(self.hints)}{last}: {self.hints[number - 1]}")


def _show_not_yet(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None):
    """IPython handler: show a `NotYet` as a short verdict rather than a traceback."""
    verdict = [
        f"{_RED}{_BOLD}Not yet:{_RESET} {value}",
        "Ask for a nudge with the exercise's .hint(), fix your answer, then run this cell again.",
    ]
    # Publishing it as an error output keeps the cell failed for nbgrader and papermill.
    shell._showtraceback(etype, value, verdict)
    return verdict


def _install_ipython_handler() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: a normal traceback is fine
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NotYet,), _show_not_yet)


_install_ipython_handler()
