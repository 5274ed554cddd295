"""What a grading run tells the instructor: a progress bar, a summary, a report CSV."""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

# Kinds of problems, by how much they need an instructor's look.
WRONG = "looked wrong"     # tampering, broken files, limits hit, grading failures
MANUAL = "manual grading"  # an answer that waits for a person
FAILED = "grading failed"  # the machinery could not grade or record a submission


@dataclass(frozen=True)
class Problem:
    student: str
    assignment: str
    notebook: str
    what: str
    kind: str = WRONG

    def line(self) -> str:
        where = "/".join(part for part in (self.student, self.assignment, self.notebook) if part)
        return f"{where}: {self.what}"


@dataclass
class NotebookScore:
    student: str
    assignment: str
    notebook: str
    score: float
    max_score: float
    waiting: int  # cells that need manual grading


@dataclass
class Summary:
    environment: str
    jobs: int
    seconds: float = 0.0
    graded: int = 0
    scores: list[NotebookScore] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    grades_csv: Path | None = None
    report_csv: Path | None = None
    feedback: Path | None = None

    @property
    def wrong(self) -> list[Problem]:
        return [p for p in self.problems if p.kind in (WRONG, FAILED)]

    @property
    def failures(self) -> int:
        return sum(1 for p in self.problems if p.kind == FAILED)

    @property
    def manual(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == MANUAL]

    def text(self) -> str:
        out = [
            f"Graded {self.graded} submission(s) in {self.seconds:.1f} s with {self.jobs} "
            f"parallel worker(s).",
            f"Isolation: {self.environment}",
        ]
        if self.grades_csv:
            out.append(f"Grades: {self.grades_csv}")
        if self.report_csv:
            out.append(f"Per notebook, with problems: {self.report_csv}")
        if self.feedback:
            out.append(f"Feedback (hidden tests not shown): {self.feedback}/<student>/")
        for title, problems in (("Needs manual grading", self.manual),
                                ("Looked wrong", self.wrong)):
            out.append(f"{title}: {len(problems) or 'nothing'}")
            out += [f"  - {problem.line()}" for problem in problems]
        return "\n".join(out)

    def write_report(self, path: Path) -> None:
        problems: dict[tuple[str, str, str], list[str]] = {}
        for problem in self.problems:
            key = (problem.student, problem.assignment, problem.notebook)
            problems.setdefault(key, []).append(problem.what)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["student", "assignment", "notebook", "score", "max_score",
                             "needs_manual_grade", "problems"])
            seen = set()
            for row in sorted(self.scores, key=lambda s: (s.student, s.assignment, s.notebook)):
                key = (row.student, row.assignment, row.notebook)
                seen.add(key)
                writer.writerow([*key, f"{row.score:g}", f"{row.max_score:g}", row.waiting,
                                 "; ".join(problems.get(key, []))])
            for key in sorted(set(problems) - seen):  # problems without a score row
                writer.writerow([*key, "", "", "", "; ".join(problems[key])])
        self.report_csv = path


class Progress:
    """A one-line progress bar on a terminal; one line per finished item otherwise."""

    def __init__(self, total: int, label: str = "grading", stream: TextIO | None = None,
                 enabled: bool = True) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.done = 0
        self.failed = 0
        self.start = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.counts: Counter[str] = Counter()

    def advance(self, item: str, note: str = "", ok: bool = True) -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        status = f"{self.label} [{bar}] {self.done}/{self.total} {elapsed:5.0f} s"
        if self.failed:
            status += f", {self.failed} with problems"
        detail = f"  {item}" + (f" ({note})" if note else "")
        if self.tty:
            self.stream.write("\r\x1b[K" + detail + "\n" + status)
        else:
            self.stream.write(f"{status}{detail}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
