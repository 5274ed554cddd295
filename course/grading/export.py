"""grades.csv that tells pending and missing work apart from a real zero.

nbgrader's own CSV export writes 0 for an assignment nobody submitted and counts points that
wait for a person as 0. This export keeps nbgrader's columns and adds two: `status`
("graded", "pending" or "not submitted") and `pending_points` (points still to be graded by
hand); the scores of an assignment not submitted are left empty.
"""

from __future__ import annotations

import csv

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin

COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
           "email", "raw_score", "late_submission_penalty", "score", "max_score", "status",
           "pending_points"]


def pending_points(submission) -> float:
    """Points of a submission's cells that still wait for a person."""
    return float(sum(grade.max_score for notebook in submission.notebooks
                     for grade in notebook.grades if grade.needs_manual_grade))


def grade_rows(gradebook: Gradebook, assignments=(), students=()) -> list[dict]:
    rows = []
    for assignment in gradebook.assignments:
        if assignments and assignment.name not in assignments:
            continue
        for student in gradebook.students:
            if students and student.id not in students:
                continue
            row = {"assignment": assignment.name, "duedate": assignment.duedate or "",
                   "student_id": student.id, "last_name": student.last_name or "",
                   "first_name": student.first_name or "", "email": student.email or "",
                   "max_score": assignment.max_score}
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                row.update(timestamp="", raw_score="", late_submission_penalty="", score="",
                           status="not submitted", pending_points="")
            else:
                penalty = submission.late_submission_penalty or 0.0
                waiting = pending_points(submission)
                row.update(timestamp=submission.timestamp or "", raw_score=submission.score,
                           late_submission_penalty=penalty,
                           score=max(0.0, submission.score - penalty),
                           status="pending" if waiting else "graded", pending_points=waiting)
            rows.append(row)
    return rows


class CourseCsvExport(CsvExportPlugin):
    """nbgrader's CSV export, with `status` and `pending_points` (see the module's text)."""

    def export(self, gradebook: Gradebook) -> None:
        destination = self.to or "grades.csv"
        rows = grade_rows(gradebook, [str(a) for a in self.assignment],
                          [str(s) for s in self.student])
        with open(destination, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
