"""grades.csv: pending points and missing submissions are not written as zeros."""

import csv

from nbgrader.api import Gradebook

from course.grading.export import CourseCsvExport


def _gradebook(path):
    gradebook = Gradebook(f"sqlite:///{path}")
    gradebook.add_assignment("part0")
    gradebook.add_notebook("nb", "part0")
    gradebook.add_grade_cell("auto", "nb", "part0", max_score=3, cell_type="code")
    gradebook.add_grade_cell("written", "nb", "part0", max_score=2, cell_type="markdown")
    for student in ("ana", "ben", "cy"):
        gradebook.add_student(student)
    for student in ("ana", "ben"):
        gradebook.add_submission("part0", student)
        auto = gradebook.find_grade("auto", "nb", "part0", student)
        auto.auto_score, auto.needs_manual_grade = 3, False
        written = gradebook.find_grade("written", "nb", "part0", student)
        written.needs_manual_grade = student == "ana"
        written.manual_score = None if student == "ana" else 1
    gradebook.db.commit()
    return gradebook


def test_pending_and_not_submitted_are_marked(tmp_path):
    with _gradebook(tmp_path / "gradebook.db") as gradebook:
        plugin = CourseCsvExport()
        plugin.to = str(tmp_path / "grades.csv")
        plugin.export(gradebook)
    rows = {row["student_id"]: row for row in
            csv.DictReader((tmp_path / "grades.csv").open())}
    assert rows["ana"]["status"] == "pending" and float(rows["ana"]["pending_points"]) == 2
    assert float(rows["ana"]["score"]) == 3
    assert rows["ben"]["status"] == "graded" and float(rows["ben"]["pending_points"]) == 0
    assert float(rows["ben"]["score"]) == 4
    assert rows["cy"]["status"] == "not submitted"
    assert rows["cy"]["score"] == "" and rows["cy"]["raw_score"] == "", "not a real zero"
    assert float(rows["cy"]["max_score"]) == 5
