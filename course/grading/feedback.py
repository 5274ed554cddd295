"""Feedback that shows what the hidden tests found, never what they are.

nbgrader's feedback HTML shows every test cell in full: the hidden tests' source, and the
traceback of a failing hidden assert quotes their lines. `HideHiddenTests` runs before
nbgrader's own feedback preprocessors and, in each notebook:

- cuts the `### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS` region out of every cell,
  leaving one comment line that says hidden tests ran there;
- replaces an error raised inside that region by a short verdict: "Hidden tests failed:",
  the exception's name and, for an `AssertionError`, the instructor's message (the visible
  part's verdicts and the grading limits' errors are kept as they are);
- withholds any output, in any cell, that contains a line of the hidden tests (a learner's
  cell can print the kernel's input history, which holds them).

`write_feedback` runs nbgrader's `generate_feedback` with it, for one submission. The cohort
runner calls it in each worker, on the worker's copy of the course, whose gradebook holds
exactly the scores recorded in the course's gradebook, and copies the pages over once the
submission is recorded.

With the referee (`course.grading.referee`) the hidden tests never run in the learner's
kernel, so a learner's output cannot copy them; graded with `--no-referee` it could, in a
disguised form, and `--feedback-outputs tests` then gives feedback without the learner's
outputs.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor
from traitlets import Bool, Unicode

from course.grading.execute import KERNEL_RESTARTED, NOT_RUN

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# IPython names the cell a traceback frame is in: "Cell In[12], line 5" (IPython 8+),
# "Input In [12], in <cell line: 5>()", "<ipython-input-12-...> in <module>\n----> 5".
_CELL_LINE = re.compile(r"(?:Cell In\s*\[\d*\],\s*line\s*(\d+)|in <cell line: (\d+)>)")
_KEPT_ERRORS = {"CellTimeoutError", KERNEL_RESTARTED, NOT_RUN}
MIN_HIDDEN_LINE = 12  # shorter hidden lines ("else:", "assert ok") are not worth matching
WITHHELD = "[output withheld: it contained the source of hidden tests]\n"


def _plain(text: str) -> str:
    return _ANSI.sub("", text)


def hidden_regions(source: str, begin: str, end: str) -> tuple[str, list[str], range | None]:
    """(source without hidden tests, the hidden lines, 1-based line range of the region)."""
    lines = source.split("\n")
    kept, hidden = [], []
    first = last = None
    inside = False
    for number, line in enumerate(lines, start=1):
        if begin in line:
            inside = True
            first = first or number
            continue
        if end in line and inside:
            inside = False
            last = number
            kept.append(f"# ... hidden tests ran here ({len(hidden)} lines, not shown) ...")
            continue
        if inside:
            hidden.append(line)
        else:
            kept.append(line)
    if first is None:
        return source, [], None
    if inside:  # an unterminated region hides the rest of the cell
        last = len(lines)
        kept.append("# ... hidden tests ran here (not shown) ...")
    return "\n".join(kept), hidden, range(first, last + 1)


def _error_line(output: NotebookNode) -> int | None:
    """Line (in its cell) where an error was raised, from the first frame of the traceback."""
    for entry in output.get("traceback", []):
        match = _CELL_LINE.search(_plain(entry))
        if match:
            return int(match.group(1) or match.group(2))
    return None


def _output_text(output: NotebookNode) -> str:
    parts = [output.get("text", ""), output.get("evalue", "")]
    parts += output.get("traceback", [])
    for value in output.get("data", {}).values():
        parts.append(value if isinstance(value, str) else str(value))
    return _plain("\n".join(str(part) for part in parts))


def _stream(text: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stdout", text=text)


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback preprocessor: results of hidden tests stay, their source goes."""

    begin_delimiter = Unicode("BEGIN HIDDEN TESTS").tag(config=True)
    end_delimiter = Unicode("END HIDDEN TESTS").tag(config=True)
    learner_outputs = Bool(
        True, help="Keep the outputs of cells that are not test cells."
    ).tag(config=True)

    def preprocess(self, nb, resources):
        self._hidden: set[str] = set()
        sources = [cell.source for cell in nb.cells]
        sources += self._gradebook_sources(resources)
        for source in sources:
            _, lines, _ = hidden_regions(source, self.begin_delimiter, self.end_delimiter)
            self._hidden.update(
                line.strip() for line in lines if len(line.strip()) >= MIN_HIDDEN_LINE
            )
        return super().preprocess(nb, resources)

    def _gradebook_sources(self, resources) -> list[str]:
        info = resources.get("nbgrader", {})
        if not info.get("db_url"):
            return []
        try:
            with Gradebook(info["db_url"]) as gradebook:
                notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
                return [cell.source or "" for cell in notebook.source_cells]
        except MissingEntry:
            return []

    def _leaks(self, output: NotebookNode) -> bool:
        text = _output_text(output)
        return any(line in text for line in self._hidden)

    def preprocess_cell(self, cell, resources, index):
        source, _, region = hidden_regions(cell.source, self.begin_delimiter, self.end_delimiter)
        cell.source = source
        if cell.cell_type != "code":
            return cell, resources
        is_test = region is not None or bool(cell.metadata.get("nbgrader", {}).get("grade"))
        outputs = []
        for output in cell.get("outputs", []):
            if (output.output_type == "error" and region is not None
                    and output.get("ename") not in _KEPT_ERRORS):
                line = _error_line(output)
                # Raised in the hidden part (or from a function it called), or no frame to
                # tell and the traceback quotes hidden lines: show only the verdict.
                if (line in region) if line is not None else self._leaks(output):
                    output = self._verdict(output)
            if not is_test and not self.learner_outputs:
                continue
            outputs.append(_stream(WITHHELD) if self._leaks(output) else output)
        cell.outputs = outputs
        return cell, resources

    @staticmethod
    def _verdict(output: NotebookNode) -> NotebookNode:
        name = output.get("ename", "Error")
        message = _plain(output.get("evalue", "")).strip()
        if name == "AssertionError" and message:
            detail = f"{name}: {message}"
        elif name == "AssertionError":
            detail = "an assertion did not hold"
        else:
            detail = f"{name} (the details would show the hidden tests)"
        return NotebookNode(
            output_type="error",
            ename=name,
            evalue=message if name == "AssertionError" else "",
            traceback=[f"\x1b[0;31mHidden tests failed:\x1b[0m {detail}"],
        )


class GetGradesShowingPending(GetGrades):
    """nbgrader's GetGrades, except that a cell nobody has graded yet gets no score (NaN).

    Stock feedback shows a written answer that waits for the instructor as "Score: 0.0 /
    2.0", which every learner reads as lost points; `mark_pending` turns the NaN into words.
    """

    def _get_score(self, cell, resources):
        grade = self.gradebook.find_grade(cell.metadata["nbgrader"]["grade_id"],
                                          self.notebook_id, self.assignment_id, self.student_id)
        ungraded = grade.manual_score is None and grade.auto_score is None
        cell.metadata.nbgrader["score"] = float("nan") if ungraded else grade.score
        cell.metadata.nbgrader["points"] = grade.max_score


_PENDING_CELL = re.compile(r"Score: nan / ([\d.]+)")
_PENDING_IN_CONTENTS = re.compile(r"\(Score: nan / ([\d.]+)\)")  # once per cell
_NOTEBOOK_SCORE = re.compile(r"(<h4>.*?\(Score: [\d.]+ / [\d.]+\))(</h4>)")
PENDING = "waiting for your instructor"


def mark_pending(html: str) -> str:
    """Feedback HTML with every ungraded cell's score shown as waiting, and the points that
    wait named beside the notebook's score."""
    listed = _PENDING_IN_CONTENTS.findall(html)
    html = _PENDING_CELL.sub(lambda m: f"Score: {PENDING}, out of {float(m.group(1)):g}", html)
    if not listed:
        return html
    waiting = sum(float(points) for points in listed)
    note = f" <small>— {waiting:g} point(s) {PENDING}</small>"
    return _NOTEBOOK_SCORE.sub(lambda m: m.group(1) + note + m.group(2), html, count=1)


def write_feedback(config, assignment: str, student: str, learner_outputs: bool, log) -> None:
    """nbgrader's `generate_feedback` for one submission of the course at
    `config.CourseDirectory.root`, with `HideHiddenTests` before nbgrader's own steps and
    ungraded written answers shown as waiting for the instructor, not as 0."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    from course.grading.sanitize import SANITIZER

    config = copy.deepcopy(config)
    # The learner's HTML is sanitized last, once the hidden tests' lines are out of the outputs.
    config.HTMLExporter.preprocessors = [
        step for step in config.HTMLExporter.get("preprocessors", []) if step != SANITIZER]
    config.GenerateFeedback.preprocessors = [HideHiddenTests, GetGradesShowingPending,
                                             CSSHTMLHeaderPreprocessor, SANITIZER]
    config.HideHiddenTests.learner_outputs = learner_outputs
    delimiters = config.ClearHiddenTests
    if "begin_test_delimeter" in delimiters:
        config.HideHiddenTests.begin_delimiter = delimiters.begin_test_delimeter
    if "end_test_delimeter" in delimiters:
        config.HideHiddenTests.end_delimiter = delimiters.end_test_delimeter
    coursedir = CourseDirectory(config=config, log=log)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    app = GenerateFeedback(coursedir=coursedir, config=config, log=log)
    app.force = True
    app.start()
    folder = Path(coursedir.format_path(coursedir.feedback_directory, student, assignment))
    for page in folder.glob("*.html"):
        page.write_text(mark_pending(page.read_text(encoding="utf-8")), encoding="utf-8")
