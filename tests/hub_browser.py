"""A learner on the course's hub in a real browser: log in, the Assignment List, a notebook."""

from __future__ import annotations

import time
from pathlib import Path

from browser_support import ARTIFACTS

LONG = 240_000  # ms: a server start or a Validate run on 2 busy cores


def log_in(page, hub_url: str, name: str, password: str) -> None:
    page.goto(f"{hub_url}hub/login", wait_until="domcontentloaded")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_selector("#jp-main-statusbar", timeout=LONG)


def open_assignment_list(page):
    """The Assignment List tab (Nbgrader menu), loaded; returns its panel."""
    page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True).click()
    page.locator(".lm-Menu").get_by_text("Assignment List", exact=True).click()
    panel = page.locator("#assignments").last
    panel.locator("#released_assignments_list_loading").wait_for(state="hidden", timeout=LONG)
    return panel


def row(panel, section: str, assignment: str):
    """The row of `assignment` in the list `released`, `fetched` or `submitted`."""
    return panel.locator(f"#{section}_assignments_list .list_item").filter(has_text=assignment)


def click_and_wait(panel, section: str, assignment: str, button: str, then: str) -> None:
    """Click `button` in the assignment's row of `section`; wait for its row in `then`."""
    row(panel, section, assignment).first.get_by_role("button", name=button).click()
    row(panel, then, assignment).first.wait_for(timeout=LONG)


def open_notebook(page, hub_url: str, name: str, relative: str) -> None:
    page.goto(f"{hub_url}user/{name}/lab/tree/{relative}?reset", wait_until="domcontentloaded")
    page.get_by_text("(ipykernel) | Idle").wait_for(timeout=LONG)


def answer_cells(page):
    """The notebook's cells that still say `raise NotImplementedError()`."""
    return page.locator(".jp-Notebook .jp-CodeCell").filter(has_text="raise NotImplementedError()")


def write_answer(page, cell, code: str) -> None:
    """Replace the code of `cell` as a learner does: click, select all, type."""
    editor = cell.locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)
    page.keyboard.press("Escape")


def save(page) -> None:
    page.keyboard.press("Control+s")
    page.get_by_text("Saving completed", exact=False).or_(
        page.locator(".jp-Toolbar-kernelStatus")).first.wait_for(timeout=30_000)
    time.sleep(1)


def validate(page) -> str:
    """Click nbgrader's Validate; the text of the "Validation Results" dialog (then closed)."""
    page.locator(".jp-NotebookPanel-toolbar jp-button.validate-button").first.click()
    dialog = page.locator(".jp-Dialog").filter(has_text="Validation Results")
    dialog.wait_for(timeout=LONG)
    text = dialog.inner_text()
    dialog.get_by_role("button").last.click()
    dialog.wait_for(state="hidden")
    return text


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"hub_{name}.png"
    page.screenshot(path=path)
    return path
