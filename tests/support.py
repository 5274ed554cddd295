"""Shared helpers of the notebook and grading tests."""

from __future__ import annotations

import io
import re
import shutil
import tokenize
from difflib import SequenceMatcher
from pathlib import Path

import nbformat
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from course.grading.cohort import run_nbgrader  # noqa: F401  (the tests' nbgrader)
from course.paths import COURSE_ROOT, RELEASE, SOURCE, notebooks

SOURCE_NOTEBOOKS = notebooks(SOURCE)
RELEASE_NOTEBOOKS = notebooks(RELEASE)
ASSIGNMENTS = sorted({path.parent.name for path in SOURCE_NOTEBOOKS})

# The small shop that CI injects through each notebook's `parameters` cell.
CI_PARAMETERS = {"N_CUSTOMERS": 4_000}


def notebook_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def nbgrader_config(root: Path = COURSE_ROOT) -> Config:
    """The course's nbgrader configuration, as nbgrader itself would load it from `root`."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def copy_course(target: Path) -> Path:
    """A throw-away copy of the course (config, source, release) for nbgrader to work in."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(COURSE_ROOT / "nbgrader_config.py", target)
    for folder in ("source", "release"):
        shutil.copytree(COURSE_ROOT / folder, target / folder)
    return target


def nbgrader_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if "nbgrader" in cell.metadata]


def graded_code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """Autograded test cells: grade cells that are code and not answers."""
    return [
        cell
        for cell in nbgrader_cells(nb)
        if cell.metadata.nbgrader.get("grade")
        and not cell.metadata.nbgrader.get("solution")
        and cell.cell_type == "code"
    ]


def hidden_test_lines(folder: Path, min_length: int) -> set[str]:
    """The lines (stripped, at least `min_length` long) of every hidden-test region of the
    source notebooks in `folder`: what feedback must never show."""
    from course.grading.feedback import hidden_regions

    lines = set()
    for path in sorted(folder.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            _, hidden, _ = hidden_regions(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
            lines.update(line.strip() for line in hidden if len(line.strip()) >= min_length)
    assert lines, f"{folder} has no hidden tests to look for"
    return lines



# ---------------------------------------------------------------- answers as token sequences
_TOKEN = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?|\"[^\"\n]*\"|'[^'\n]*'|[^\s\w]")


def tokens(text: str) -> list[str]:
    """`text` as tokens, its Python comments dropped and every string quoted alike."""
    try:
        kept = [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE,
                                  tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)]
        text = " ".join(kept)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # prose, or code with prose around it: the regex is enough
    return [t.replace("'", '"') for t in _TOKEN.findall(text)]


def shared_tokens(solution: list[str], other: list[str]) -> int:
    """How many of `solution`'s tokens `other` holds in order, in runs of three or more."""
    matcher = SequenceMatcher(None, solution, other, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks() if block.size >= 3)


# What a cohort must not receive: a file that holds most of a solution or of a hidden test.
SECRET_MIN_TOKENS = 16  # shorter ones are one idiom (`int(x["customer_id"].nunique())`)
SECRET_MAX_SHARE = 0.6
TEXT_SUFFIXES = {".py", ".ipynb", ".md", ".txt", ".json", ".toml", ".cfg", ".html", ".csv",
                 ".yaml", ".yml", ""}


def secret_regions() -> list[tuple[str, list[str]]]:
    """(where, tokens) of every solution and hidden-test region of the source notebooks."""
    from course.grading.feedback import hidden_regions

    regions = []
    for path in SOURCE_NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "?")
            for begin, end, kind in (("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "hidden test"),
                                     ("BEGIN SOLUTION", "END SOLUTION", "solution")):
                _, inside, _ = hidden_regions(cell.source, begin, end)
                found = tokens("\n".join(inside))
                if len(found) >= SECRET_MIN_TOKENS:
                    regions.append((f"{kind} {notebook_id(path)} {grade_id}", found))
    return regions


def files_holding_secrets(folder: Path) -> list[str]:
    """'<file> holds <share> of <region>' for every text file below `folder` that holds most
    of a solution or hidden test; source folders and gradebooks are named as such."""
    regions = secret_regions()
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        if path.name == "gradebook.db" or "source" in path.relative_to(folder).parts:
            found.append(f"{path}: a gradebook or a source folder")
            continue
        if path.suffix not in TEXT_SUFFIXES or path.is_symlink():
            continue
        try:
            text = tokens(path.read_text())
        except (UnicodeDecodeError, OSError):
            continue
        for where, region in regions:
            share = shared_tokens(region, text) / len(region)
            if share > SECRET_MAX_SHARE:
                found.append(f"{path} holds {share:.0%} of the {where}")
    return found


# An answer that, before answering, tries what a sandbox and a sanitizer must stop: write
# outside its sandbox (`outside`, a folder anyone may write to, and the course folder), print
# the instructor's notebooks with their hidden tests, and show markup that would run a script
# in the page of whoever views it.
ESCAPE_ATTEMPT = '''
import pathlib as _path
for _target in (_path.Path(r"{outside}") / "PLANTED", _path.Path(r"{course}") / "PLANTED"):
    try:
        _target.write_text("a learner's answer wrote this")
    except OSError as _error:
        print("blocked:", type(_error).__name__)
for _notebook in _path.Path(r"{course}/source").glob("*/*.ipynb"):
    try:
        print(_notebook.read_text())
    except OSError as _error:
        print("blocked:", type(_error).__name__)
from IPython.display import HTML as _HTML, display as _display
_display(_HTML('<script>window.PLANTED_SCRIPT = 1</script>'
               '<img src="x" onerror="window.PLANTED_ONERROR = 1">'))
'''


def live_markup(html: str, marker: str = "PLANTED") -> list[str]:
    """What of a page would run: `<script>` elements and `on...` event handlers that hold
    `marker`, and any link to a `javascript:` (or `vbscript:`, `data:`) address (the same
    text shown as code or escaped as text does not count)."""
    from html.parser import HTMLParser

    found: list[str] = []
    scripted = ("javascript:", "vbscript:", "data:")

    class Finder(HTMLParser):
        in_script = False

        def handle_starttag(self, tag, attrs):
            self.in_script = tag == "script"
            for name, value in attrs:
                address = "".join(ch for ch in (value or "") if ch > " ").lower()
                if name.startswith("on") and marker in (value or ""):
                    found.append(f"<{tag} {name}=...>")
                elif name in ("href", "src", "action", "formaction") and \
                        address.startswith(scripted) and not address.startswith("data:image/"):
                    found.append(f"<{tag} {name}={value[:40]}>")  # figures are data:image/

        def handle_endtag(self, tag):
            self.in_script = False

        def handle_data(self, data):
            if self.in_script and marker in data:
                found.append(f"<script>{data.strip()[:60]}</script>")

    Finder().feed(html)
    return found
