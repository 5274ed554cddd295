"""The instructor's formgrader in a real browser: its Autograde and Generate Feedback buttons.

`make formgrader`'s JupyterLab (config/instructor) serves a course copy with one submission
whose answer attacks: it tries to write outside its sandbox, prints the instructor's
source notebook, hidden tests included, and shows markup that would run a script in the
instructor's page. Clicking Autograde must grade it in the course's sandbox (nothing written
outside), Generate Feedback must give pages with no hidden test, and the submission's page in
the formgrader must show the markup without running it.
Screenshots go to artifacts/browser/.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest
from browser_support import ARTIFACTS, CHROMIUM_ARGS, jupyterlab
from nbgrader.api import Gradebook
from support import ESCAPE_ATTEMPT, copy_course, hidden_test_lines, run_nbgrader

from course.paths import INSTRUCTOR_JUPYTER_CONFIG, SOURCE
from course.workspace import solved_copy

pytestmark = pytest.mark.browser

ASSIGNMENT = "part0_orientation"


def _course_with_an_attacking_submission(tmp_path: Path, outside: Path) -> Path:
    root = copy_course(tmp_path / "course")
    (root / ".exchange").mkdir()
    for args in (("generate_assignment", ASSIGNMENT, "--force"), ("db", "student", "add", "eve")):
        done = run_nbgrader(root, *args)
        assert done.returncode == 0, done.stderr[-2000:]
    solved = solved_copy(tmp_path / "solved")
    folder = root / "submitted" / "eve" / ASSIGNMENT
    folder.mkdir(parents=True)
    for path in sorted((solved / ASSIGNMENT).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
        answer.source = ESCAPE_ATTEMPT.format(outside=outside, course=root) + \
            answer.source
        nbformat.write(nb, folder / path.name)
    (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    return root


def test_formgrader_buttons_grade_in_the_sandbox_and_hide_the_tests(chromium, tmp_path,
                                                                     outside):
    from playwright.sync_api import sync_playwright

    root = _course_with_an_attacking_submission(tmp_path, outside)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "formgrader.log"
    timings = {}
    with jupyterlab(root, tmp_path / "home", log, config_path=INSTRUCTOR_JUPYTER_CONFIG) as lab:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), headless=True,
                                                 args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.set_default_timeout(30_000)
                page.goto(f"{lab.url}lab?token={lab.token}", wait_until="domcontentloaded")
                page.wait_for_selector("#jp-main-statusbar", timeout=60_000)
                page.goto(f"{lab.url}formgrader/manage_submissions/{ASSIGNMENT}",
                          wait_until="networkidle")
                page.locator("td.student-id", has_text="eve").wait_for()
                for name, button in (("autograde", "td.autograde a"),
                                     ("feedback", "td.generate-feedback a")):
                    started = time.monotonic()
                    page.locator(button).first.click()
                    modal = page.locator("#success-modal, #error-modal").filter(visible=True)
                    modal.first.wait_for(timeout=300_000)
                    timings[name] = time.monotonic() - started
                    page.screenshot(path=ARTIFACTS / f"formgrader_{name}.png")
                    kind, text = modal.first.get_attribute("id"), modal.first.inner_text()
                    assert kind == "success-modal", f"{name} failed: {text[:2000]}"
                    modal.first.get_by_role("button").last.click()
                    modal.first.wait_for(state="hidden")
                page.reload(wait_until="networkidle")
                status = page.locator("td.status").first
                assert "graded" in status.inner_text(), status.inner_text()
                page.screenshot(path=ARTIFACTS / "formgrader_graded.png")
                with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
                    notebook = gradebook.find_submission(ASSIGNMENT, "eve").notebooks[0].id
                page.goto(f"{lab.url}formgrader/submissions/{notebook}/",
                          wait_until="networkidle")
                page.get_by_text("PLANTED_SCRIPT").first.wait_for()
                planted = page.evaluate("[window.PLANTED_SCRIPT, window.PLANTED_ONERROR]")
                page.screenshot(path=ARTIFACTS / "formgrader_submission.png")
                assert planted == [None, None], "the answer's markup ran in the formgrader"
            finally:
                browser.close()
    print(f"\nformgrader: Autograde {timings['autograde']:.1f} s, "
          f"Generate Feedback {timings['feedback']:.1f} s")
    planted = [p for p in (outside / "PLANTED", root / "PLANTED") if p.exists()]
    assert not planted, f"the answer wrote outside its sandbox: {planted}"
    pages = list((root / "feedback" / "eve" / ASSIGNMENT).glob("*.html"))
    assert pages, "Generate Feedback wrote no page"
    leaked = [line for page in pages for line in hidden_test_lines(SOURCE / ASSIGNMENT, 20)
              if line in page.read_text()]
    assert not leaked, f"the feedback shows hidden tests: {leaked[:2]}"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "eve")
        assert submission.max_score > 0 and submission.score == submission.max_score
    assert not os.listdir(outside)
    server_log = log.read_text(errors="replace")
    assert "course: the formgrader's Autograde" in server_log
    assert "Unwritable directory" not in server_log and "exchange" not in server_log.lower(), \
        "the formgrader logs exchange warnings"
