"""A submission's markup is shown, never run, where others look at it.

The formgrader renders each submission for the instructor on the origin of the instructor's
JupyterLab; the course's nbgrader config sanitizes that page (and every HTML export). The
feedback pages are checked on the graded bad cohort (tests/test_bad_submissions.py).
"""

from __future__ import annotations

import nbformat
import pandas as pd
from nbconvert.exporters import HTMLExporter
from nbgrader.server_extensions.formgrader import handlers
from support import live_markup, nbgrader_config
from traitlets.config import Config

PLANTED = ('<script>window.PLANTED_SCRIPT = 1</script>'
           '<img src="x" onerror="window.PLANTED_ONERROR = 1">')
# Links a Markdown renderer builds itself (bleach on the Markdown source never sees them),
# and one that would cover the whole page with the page's own CSS classes.
PLANTED_LINKS = """[x](javascript:window.PLANTED_LINK=1) [y][r] <javascript:window.PLANTED=2>
[<span class="modal-backdrop fade"></span>](javascript:fetch('/api/terminals'))
<a href="JaVaScRiPt:window.PLANTED=4">A</a> ![seen](http://tracker.example/pixel.png)

[r]: javascript:window.PLANTED=5
"""
RESOURCES = {"assignment_id": "a", "notebook_id": "n", "submission_id": "s", "index": 0,
             "total": 1, "base_url": "", "student": "eve", "last_name": "", "first_name": "",
             "notebook_path": "n.ipynb"}


def _submission() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    table = pd.DataFrame({"campaign_id": [1, 2], "access_rate": [0.02, 0.03]})
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"My written answer. **Bold** {PLANTED}\n\n"
                                      f"{PLANTED_LINKS}"),
        nbformat.v4.new_code_cell("x = 1", outputs=[
            nbformat.v4.new_output("display_data", data={"text/html": PLANTED,
                                                         "text/plain": "x"}),
            nbformat.v4.new_output("display_data", data={
                "application/javascript": "window.PLANTED_JS = 1", "text/plain": "js"}),
            nbformat.v4.new_output("display_data", data={
                "text/markdown": "[out](javascript:window.PLANTED=6)", "text/plain": "md"}),
            nbformat.v4.new_output("execute_result", execution_count=1, data={
                "text/html": table._repr_html_(), "text/plain": str(table)}),
        ]),
    ]
    return nb


def _formgrader_page(config: Config) -> str:
    """The page the formgrader serves for a submission, with `config` as the course's."""
    config = config.copy()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    html, _ = HTMLExporter(config=config).from_notebook_node(_submission(),
                                                             resources=dict(RESOURCES))
    return html


def test_the_formgrader_shows_a_submissions_markup_as_text():
    html = _formgrader_page(nbgrader_config())
    assert "PLANTED_SCRIPT" in html, "the answer is not on the page at all"
    assert not live_markup(html), live_markup(html)
    assert "PLANTED_JS" not in html and "modal-backdrop" not in html
    assert "tracker.example" not in html, "an outside image would tell when it is viewed"
    assert "<strong>Bold</strong>" in html and "<table" in html and "access_rate" in html
    assert ".dataframe tbody" not in html, "pandas' style block shows as text"


def test_without_the_course_config_the_markup_would_run():
    html = _formgrader_page(Config())
    assert len(live_markup(html)) >= 6, live_markup(html)  # script, handler, four links
