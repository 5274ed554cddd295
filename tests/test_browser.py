"""A learner's first minutes, in a real browser: open a notebook, run cells, press Validate.

Drives Debian's Chromium (never a Playwright download) against a throw-away JupyterLab that
serves a copy of the first released notebook the way `make lab` serves workspace/.
Screenshots, the browser console and the server log go to artifacts/browser/.
"""

from __future__ import annotations

import ast
import re
import shutil
import time

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    first_heading,
    jupyterlab,
    learner_notebook,
)

from course.paths import RELEASE

pytestmark = pytest.mark.browser

PROBE = 'print("typed in the browser:", 6 * 7)'
PROBE_OUTPUT = "typed in the browser: 42"
RUN_AT_MOST = 3  # code cells run from the top, stopping before the first answer cell


@pytest.fixture
def lab_notebook(tmp_path):
    """A JupyterLab serving a workspace copy of the learner notebook, and that copy's path."""
    source = learner_notebook(tmp_path)
    relative = (
        source.relative_to(RELEASE)
        if source.is_relative_to(RELEASE)
        else source.relative_to(source.parents[1])
    )
    workspace = tmp_path / "workspace"
    (workspace / relative).parent.mkdir(parents=True)
    shutil.copy2(source, workspace / relative)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with jupyterlab(workspace, tmp_path / "home", ARTIFACTS / "jupyterlab.log") as lab:
        print(f"\nJupyterLab up in {time.monotonic() - started:.1f} s; notebook: {relative}")
        yield lab, relative
    print(f"\nJupyterLab stopped; {time.monotonic() - started:.1f} s since its start")


def _first_answer_index(nb) -> int:
    for index, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("solution"):
            return index
    return len(nb.cells)


def _shows_output(source: str) -> bool:
    """Whether a cell prints, or ends with an expression whose value Jupyter displays."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    prints = any(
        isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"
        for node in ast.walk(ast.Module(body=body, type_ignores=[]))
    )
    displays = bool(body) and isinstance(body[-1], ast.Expr) and not source.rstrip().endswith(";")
    return prints or displays


def test_learner_runs_cells_and_validates(chromium, lab_notebook):
    from playwright.sync_api import expect, sync_playwright

    lab, relative = lab_notebook
    nb = nbformat.read(lab.root / relative, as_version=4)
    code_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    to_run = [i for i in code_cells if i < _first_answer_index(nb)][:RUN_AT_MOST]
    heading = first_heading(nb)
    shots, console = [], []
    started = time.monotonic()

    def shot(page, name):
        path = ARTIFACTS / name
        page.screenshot(path=path)
        shots.append(path)
        print(f"\nscreenshot: {path}  ({time.monotonic() - started:.1f} s)")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(30_000)
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.goto(lab.page(relative.as_posix()), wait_until="domcontentloaded")

            # The kernel is ready when the status bar says so (the toolbar dot lies early).
            status = page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\|\s*Idle"))
            expect(status).to_be_visible(timeout=60_000)

            panel = page.locator(".jp-NotebookPanel").filter(visible=True)
            cells = panel.locator(".jp-Notebook .jp-Cell")
            expect(cells).to_have_count(len(nb.cells))
            if heading:
                rendered = panel.locator(".jp-RenderedMarkdown").locator("h1,h2,h3,h4,h5,h6")
                expect(rendered.first).to_contain_text(heading)
                expect(rendered.first).to_be_visible()
            shot(page, "01_rendered.png")

            # Run the first code cells with Shift+Enter, as a learner does.
            if to_run:
                cells.nth(to_run[0]).locator(".jp-InputArea-editor").click()
                for _ in range(to_run[0], to_run[-1] + 1):  # Markdown cells between, too
                    page.keyboard.press("Shift+Enter")
                for index in to_run:
                    prompt = cells.nth(index).locator(".jp-InputPrompt")
                    expect(prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=90_000)
                    outputs = cells.nth(index).locator(".jp-OutputArea")
                    expect(outputs).not_to_contain_text("Traceback")
                    if _shows_output(nb.cells[index].source):
                        expect(outputs.locator(".jp-OutputArea-output").first).to_be_visible()
            # A cell of our own, typed in: its printed output must appear below it.
            if not to_run:  # nothing ran: select the first cell, in command mode
                cells.first.click()
                page.keyboard.press("Escape")
            if to_run and to_run[-1] == len(nb.cells) - 1:
                # Shift+Enter on the last cell added an empty cell below, in edit mode.
                expect(cells).to_have_count(len(nb.cells) + 1)
                expect(cells.last).to_have_class(re.compile(r"jp-mod-active"))
            else:
                page.keyboard.press("Escape")
                page.keyboard.press("a")  # a new cell above the active one
                expect(cells).to_have_count(len(nb.cells) + 1)
                page.keyboard.press("Enter")
            page.keyboard.insert_text(PROBE)
            page.keyboard.press("Shift+Enter")
            probe = cells.filter(has_text=re.compile(re.escape(PROBE)))
            expect(probe.locator(".jp-OutputArea-output")).to_have_text(
                PROBE_OUTPUT, timeout=60_000
            )
            if to_run and nb.cells[to_run[-1]].source == "print(x + 1)":  # generated notebook
                expect(cells.nth(to_run[-1]).locator(".jp-OutputArea-output")).to_have_text("2")
            shot(page, "02_ran_cells.png")

            # nbgrader's Validate button: saves, then runs the notebook on the server.
            validate = panel.locator(".jp-NotebookPanel-toolbar jp-button.validate-button")
            expect(validate).to_be_visible()
            expect(panel.get_by_role("button", name="Validate")).to_be_visible()
            validate.click()
            dialog = page.locator(".jp-Dialog")
            expect(dialog.locator(".jp-Dialog-header")).to_have_text(
                "Validation Results", timeout=120_000
            )
            message = dialog.locator("#validation-message")
            expect(message).to_be_visible()
            shot(page, "03_validation.png")
            (ARTIFACTS / "validation.txt").write_text(message.inner_text())
            expect(message).not_to_contain_text("There was an error running the validate")
            expect(message).to_have_class(re.compile(r"validation-(success|failed)"))
            dialog.get_by_role("button", name="Ok").click()
            expect(dialog).to_have_count(0)
        finally:
            (ARTIFACTS / "console.log").write_text("\n".join(console) + "\n")
            browser.close()
    print(f"browser part took {time.monotonic() - started:.1f} s; server log: {lab.log}")
    assert all(path.stat().st_size > 0 for path in shots)
    server_log = lab.log.read_text(errors="replace")
    # the learner configuration: Validate uses the course's settings, no instructor panels
    assert "No nbgrader_config.py file found" not in server_log
    assert "formgrader | extension was successfully loaded" not in server_log
