"""nbgrader configuration for the course; the course root is the folder of this file."""

import os
from pathlib import Path

from course.grading.sanitize import configure as configure_sanitizer

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

COURSE_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.course_id = "ml-for-cx"
c.CourseDirectory.db_url = f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"
# On the course's JupyterHub the exchange is the hub's shared folder (docs/hub.md); else local.
c.Exchange.root = os.environ.get("COURSE_EXCHANGE") or str(COURSE_ROOT / ".exchange")
# Collect a submission only for the account that wrote it, at a time no earlier than its files.
c.ExchangeFactory.collect = "course.grading.exchange.CheckedCollect"
# A submission's HTML and scripts are shown as text, never run, in the formgrader and exports.
configure_sanitizer(c)

# A deleted or de-tagged test cell is put back from the source, never silently scored 0.
c.OverwriteCells.add_missing_cells = True
# One cell may run this long (seconds) before it fails with CellTimeoutError.
c.Execute.timeout = 90
# Learners see this in every answer cell of a released notebook.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# `nbgrader export` (and `make grade`'s grades.csv) mark pending and not-submitted work.
c.ExportApp.plugin_class = "course.grading.export.CourseCsvExport"
# A submission after the assignment's due date (`make due`) loses 10% of each notebook's score
# per started day late (course/grading/late.py). With no due date nothing is late.
c.AssignLatePenalties.plugin_class = "course.grading.late.PerDayLatePenalty"
c.PerDayLatePenalty.share_per_day = 0.10
