"""A cohort on the course's JupyterHub, end to end, on a throw-away hub (make test-hub, root).

`hub/throwaway.py` sets up a hub exactly as `make hub` does (its own folder, ports, groups and
accounts) and removes everything it made afterwards. Then:
- two learners, in a real browser, log in, fetch part 0 from the Assignment List, answer,
  Validate and submit; a third submits an answer that attacks the grader, a newer, blank
  submission in the first one's name and a newer one of their own that links to the
  instructor's gradebook;
- the instructor's commands collect, grade (`make grade`: the sandbox, as a user who is not
  root, and the referee) and release feedback; the instructor's formgrader shows the grades;
- the learners fetch feedback that holds their scores and no hidden test;
- a learner can read neither another learner's files nor the instructor's course, and the
  hub's environment holds no solution;
- 20 learners fetch, answer and submit at the same moment, and no submission is lost.
"""

from __future__ import annotations

import os
import pwd
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from browser_support import ARTIFACTS, CHROMIUM_ARGS
from support import ESCAPE_ATTEMPT, files_holding_secrets, hidden_test_lines, live_markup

from course.paths import COURSE_ROOT, SOURCE

sys.path.insert(0, str(COURSE_ROOT / "hub"))
import hub_browser as browser  # noqa: E402
from client import Learner  # noqa: E402
from load import run_load  # noqa: E402
from throwaway import throwaway_hub  # noqa: E402

pytestmark = pytest.mark.hub

ASSIGNMENT = "part0_orientation"
NOTEBOOK = "00_how_this_course_works"
LOAD_LEARNERS = 20
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
def _solutions() -> list[str]:
    """Part 0's answer cells as the instructor wrote them, markers removed, in order."""
    nb = nbformat.read(SOURCE / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    return ["\n".join(line for line in cell.source.splitlines() if not MARKER.match(line))
            for cell in nb.cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")]


def _wrong_rate() -> str:
    return ('def campaign_access_rate(mail_log, campaign_id):\n'
            '    """Accesses from the mail ÷ mails sent, for one campaign."""\n'
            '    return float(mail_log["accessed"].mean())  # every campaign, not this one\n')


@pytest.fixture(scope="module")
def cohort():
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("the hub test creates system accounts: run it as root on Linux")
    with throwaway_hub(ARTIFACTS / "hub.log") as running:
        name = running.hub.name
        running.add_learners([f"{name}-ana", f"{name}-ben", f"{name}-eve"])
        running.as_instructor("nbgrader", "generate_assignment", ASSIGNMENT, "--force")
        running.as_instructor("nbgrader", "release_assignment", ASSIGNMENT)
        yield running


def _browser_round(page, running, learner: str, answers: list[str]) -> str:
    """Log in, fetch, answer, save, Validate, submit; the Validate dialog's text."""
    url = running.url
    browser.log_in(page, url, learner, running.passwords[learner])
    panel = browser.open_assignment_list(page)
    menu = page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True)
    menu.click()
    items = [text for text in page.locator(".lm-Menu .lm-Menu-itemLabel").all_inner_texts()
             if text.strip()]  # commands of disabled plug-ins leave empty, hidden items
    page.keyboard.press("Escape")
    assert items == ["Assignment List"], f"a learner's Nbgrader menu shows {items}"
    browser.click_and_wait(panel, "released", ASSIGNMENT, "Fetch", "fetched")
    browser.screenshot(page, f"{learner.split('-')[-1]}_fetched")
    browser.open_notebook(page, url, learner, f"{ASSIGNMENT}/{NOTEBOOK}.ipynb")
    for code in answers:
        browser.write_answer(page, browser.answer_cells(page).first, code)
    browser.save(page)
    verdict = browser.validate(page)
    browser.screenshot(page, f"{learner.split('-')[-1]}_validated")
    panel = browser.open_assignment_list(page)
    browser.click_and_wait(panel, "fetched", ASSIGNMENT, "Submit", "submitted")
    return verdict


def _attacking_submission(running, learner: str, outside: Path) -> None:
    """The third learner, over HTTP: fetch, answers that attack before answering, submit."""
    client = Learner(running.url, learner, running.passwords[learner])
    client.log_in()
    client.start_server()
    client.act("fetch", ASSIGNMENT)
    path = f"{ASSIGNMENT}/{NOTEBOOK}.ipynb"
    content = client.read_notebook(path)
    attack = ESCAPE_ATTEMPT.format(outside=outside, course=running.hub.course_folder(
        running.hub.instructor))
    answers = iter(_solutions())
    for cell in content["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
            cell["source"] = attack + next(answers)
    client.save_notebook(path, content)
    client.act("submit", ASSIGNMENT)
    client.stop_server()


def _planted_submissions(running, learner: str, victim: str) -> None:
    """`learner` writes into the exchange a newer, blank submission in `victim`'s name, a
    newer one of their own that links to the instructor's gradebook, and a folder whose name
    nbgrader cannot read."""
    course = running.hub.exchange / "ml-for-cx"
    later = "2099-01-01 00:00:00.000000 UTC"
    blank = course / "outbound" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    gradebook = running.hub.course_folder(running.hub.instructor) / "gradebook.db"
    for owner, name, link in ((victim, "forged", ""), (learner, "linked", str(gradebook))):
        folder = course / "inbound" / f"{owner}+{ASSIGNMENT}+{later}+{name}"
        done = running.as_user(
            learner, "sh", "-c", 'mkdir "$1" && cp "$2" "$1"/ && echo "$3" > "$1"/timestamp.txt '
            '&& if [ -n "$4" ]; then ln -s "$4" "$1"/data.db; fi',
            "sh", str(folder), str(blank), later, link)
        assert done.returncode == 0, f"the exchange refused the {name} folder: {done.stderr}"
    # A name stock collect cannot read: it stopped there, for everyone.
    unreadable = course / "inbound" / f"{learner}+{ASSIGNMENT}+notadate+x"
    assert running.as_user(learner, "mkdir", str(unreadable)).returncode == 0


def _grades(course: Path) -> dict[str, str]:
    rows = (course / "grades.csv").read_text().splitlines()
    header = rows[0].split(",")
    return {line.split(",")[header.index("student_id")]:
            line.split(",")[header.index("score")] for line in rows[1:]}


def _feedback_page(home: Path) -> Path:
    pages = sorted(home.glob(f"{ASSIGNMENT}/feedback/*/{NOTEBOOK}.html"))
    assert pages, f"no feedback fetched into {home}/{ASSIGNMENT}/feedback/"
    return pages[-1]


@pytest.mark.browser
def test_a_round_through_the_exchange_in_the_browser(cohort, chromium, outside):
    from playwright.sync_api import sync_playwright

    running = cohort
    name = running.hub.name
    ana, ben, eve = f"{name}-ana", f"{name}-ben", f"{name}-eve"
    right = _solutions()
    course = running.hub.course_folder(running.hub.instructor)
    timings = {}
    with sync_playwright() as playwright:
        chrome = playwright.chromium.launch(executable_path=str(chromium), headless=True,
                                            args=CHROMIUM_ARGS)
        try:
            pages = {}
            for learner, answers in ((ana, right), (ben, [right[0], _wrong_rate()])):
                context = chrome.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.set_default_timeout(60_000)
                started = time.monotonic()
                verdict = _browser_round(page, running, learner, answers)
                timings[learner] = time.monotonic() - started
                pages[learner] = page
                if learner == ana:
                    assert "Success" in verdict and "failed" not in verdict, verdict
                else:
                    assert "campaign_access_rate" in verdict and "best_campaign" in verdict, \
                        verdict
                    assert "count_buyers" not in verdict.split("failed", 1)[-1], verdict
            _attacking_submission(running, eve, outside)
            _planted_submissions(running, eve, victim=ana)

            started = time.monotonic()
            collected = running.as_instructor("nbgrader", "collect", ASSIGNMENT)
            graded = running.as_instructor("make", "grade", f"ASSIGNMENT={ASSIGNMENT}",
                                           "ARGS=--quiet")
            released = running.as_instructor("nbgrader", "release_feedback", ASSIGNMENT)
            timings["collect, grade, release feedback"] = time.monotonic() - started
            assert "as nobody in a user namespace" in graded.stdout, graded.stdout
            assert "Releasing feedback" in released.stderr + released.stdout

            for learner in (ana, ben):
                page = pages[learner]
                panel = browser.open_assignment_list(page)
                submitted = browser.row(panel, "submitted", ASSIGNMENT).first
                submitted.get_by_role("button", name="Fetch Feedback").click()
                submitted.get_by_text("view feedback").first.wait_for(timeout=browser.LONG)
                browser.screenshot(page, f"{learner.split('-')[-1]}_feedback")

            instructor = chrome.new_context(viewport={"width": 1400, "height": 900}).new_page()
            browser.log_in(instructor, running.url, running.hub.instructor,
                           running.passwords[running.hub.instructor])
            instructor.goto(f"{running.url}user/{running.hub.instructor}/formgrader/"
                            f"manage_submissions/{ASSIGNMENT}", wait_until="networkidle")
            for learner in (ana, ben, eve):
                instructor.locator("td.student-id", has_text=learner).wait_for()
            browser.screenshot(instructor, "instructor_formgrader")
        finally:
            chrome.close()
    print("\nhub round: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    assert "Collecting submission" in collected.stderr + collected.stdout
    assert f"names {ana} but was written by {eve}: not collected" in collected.stderr
    assert "data.db is a symbolic link: not collected" in collected.stderr
    assert "not a submission's name" in collected.stderr
    assert not list((course / "submitted" / eve).rglob("data.db")), "a link was collected"

    grades = _grades(course)
    assert float(grades[ana]) == 5.0 and float(grades[ben]) == 1.0, grades
    assert float(grades[eve]) == 5.0, grades  # right answers: the attack only failed
    planted = [p for p in (outside / "PLANTED", course / "PLANTED") if p.exists()]
    assert not planted, f"an answer wrote outside its sandbox: {planted}"

    hidden = hidden_test_lines(SOURCE / ASSIGNMENT, 20)
    for learner, score in ((ana, "5.0 / 5.0"), (ben, "1.0 / 5.0")):
        html = _feedback_page(Path(f"/home/{learner}")).read_text()
        assert f"Score: {score}" in html, f"{learner}'s feedback has no score {score}"
        leaked = [line for line in hidden if line in html]
        assert not leaked, f"{learner}'s feedback shows hidden tests: {leaked[:2]}"
    eve_page = (course / "feedback" / eve / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    leaked = [line for line in hidden if line in eve_page]
    assert not leaked, f"the attacking answer printed hidden tests into its feedback: {leaked[:2]}"
    assert "PLANTED_SCRIPT" in eve_page and not live_markup(eve_page), live_markup(eve_page)


def test_a_learner_reads_no_one_elses_work_and_the_hub_holds_no_answer(cohort):
    running = cohort
    name = running.hub.name
    ana, ben = f"{name}-ana", f"{name}-ben"
    course = running.hub.course_folder(running.hub.instructor)
    for path in (Path(f"/home/{ben}"), course, course / "source", course / "gradebook.db",
                 running.hub.exchange / "ml-for-cx" / "inbound", COURSE_ROOT / "source"):
        listed = running.as_user(ana, "ls", str(path))
        assert listed.returncode != 0 and "Permission denied" in listed.stderr, \
            f"{ana} can list {path}: {listed.stdout[:200]}"
    read = running.as_user(ana, "cat", f"/home/{ben}/.bashrc")
    assert read.returncode != 0, f"{ana} can read {ben}'s files"
    for user in (ana, ben, running.hub.instructor):
        assert os.stat(f"/home/{user}").st_mode & 0o077 == 0, f"/home/{user} is not private"

    exchange = running.hub.exchange / "ml-for-cx"
    assert exchange.lstat().st_uid == pwd.getpwnam(running.hub.instructor).pw_uid
    planted = running.as_user(ana, "mkdir", str(exchange / "outbound" / "part9_planted"))
    assert planted.returncode != 0, f"{ana} can release an assignment to everyone"

    client = Learner(running.url, ana, running.passwords[ana])
    client.log_in()
    client.start_server()
    server = subprocess.run(["pgrep", "-u", ana, "-f", "jupyterhub-singleuser"],
                            capture_output=True, text=True).stdout.split()
    assert server, f"{ana}'s server is not running"
    limits = Path(f"/proc/{server[0]}/limits").read_text()
    assert re.search(r"Max processes\s+1024\s+1024", limits), limits
    other = client.session.get(f"{running.url}user/{ben}/api/contents", timeout=60,
                               allow_redirects=True)
    assert other.status_code in (403, 404) or "api/contents" not in other.url, \
        f"{ana} reached {ben}'s server: HTTP {other.status_code}"

    site = running.hub.env / "lib" / "python3.11" / "site-packages"
    assert (site / "course" / "world").is_dir() and not (site / "source").exists()
    held = files_holding_secrets(site / "course")
    assert not held, "the hub's course package holds answers:\n" + "\n".join(held)
    shown = running.as_user(ana, "python", "-c", (
        "from course.exercises.part0_orientation import count_buyers as ex\n"
        "for _ in ex.hints: ex.hint()\n"
        "ex.solution()\n"))
    assert "has no solutions to show" in shown.stdout, shown.stdout + shown.stderr


def test_twenty_learners_fetch_and_submit_at_once_and_nothing_is_lost(cohort):
    running = cohort
    names = [f"{running.hub.name}-l{i:02d}" for i in range(1, LOAD_LEARNERS + 1)]
    running.add_learners(names)
    course = running.hub.course_folder(running.hub.instructor)
    result = run_load(running.url, {n: running.passwords[n] for n in names}, ASSIGNMENT,
                      collect=lambda: running.as_instructor("nbgrader", "collect", ASSIGNMENT),
                      submitted=course / "submitted")
    print("\n" + result.text())
    assert not result.errors, result.text()
    assert not result.lost, result.text()
    assert len({p.parent.parent.name for p in
                (course / "submitted").glob(f"*/{ASSIGNMENT}/{NOTEBOOK}.ipynb")}) >= LOAD_LEARNERS
