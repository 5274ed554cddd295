"""Learners' HTML made harmless wherever the course shows it to someone else.

The formgrader shows each submission to the instructor, on the same web origin as the
instructor's JupyterLab, and feedback pages show a submission's outputs: a `<script>` in a
Markdown cell or an HTML output would run there with the viewer's rights. nbconvert's
`SanitizeHTML` (bleach) keeps the formatting a notebook needs (tables, emphasis, lists,
links to web pages) and removes everything else; JavaScript and SVG outputs are dropped
(PNG figures stay: they are not HTML).
"""

from __future__ import annotations

import re

from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbconvert.preprocessors.sanitize import SanitizeHTML
from traitlets import Bool

SANITIZER = "course.grading.sanitize.SanitizeLearnerHTML"
# No images (an outside address would tell the learner when the instructor looks) and no
# `class` (the page's own CSS classes could make a link cover the whole page).
TAGS = [
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "details", "div", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
]
ATTRIBUTES = {
    "*": ["title"],
    "a": ["href", "title"],  # bleach keeps http, https and mailto addresses only
    "table": ["border"],
    "th": ["colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
}


_STYLE = re.compile(r"<style\b.*?</style\s*>", re.IGNORECASE | re.DOTALL)


class SanitizeLearnerHTML(SanitizeHTML):
    """nbconvert's sanitizer, applied to what Markdown becomes rather than to its source
    (nbconvert's Markdown renderer lets `[x](javascript:...)` through as a link), with
    `<style>` blocks (pandas tables have one) removed whole.

    On by itself: nbgrader registers its converters' steps disabled unless they say so."""

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "markdown":
            cell.source = markdown2html_mistune(cell.source)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/markdown" in data:
                    rendered = markdown2html_mistune(data.pop("text/markdown"))
                    data.setdefault("text/html", rendered)
        return super().preprocess_cell(cell, resources, cell_index)

    def sanitize_html_tags(self, html_str):
        return super().sanitize_html_tags(_STYLE.sub("", html_str))


def configure(c) -> None:
    """Sanitize every HTML page nbconvert makes from a notebook (formgrader, exports)."""
    c.HTMLExporter.preprocessors = [SANITIZER]
    c.SanitizeLearnerHTML.tags = TAGS
    c.SanitizeLearnerHTML.attributes = ATTRIBUTES
    c.SanitizeLearnerHTML.strip = True  # what is not allowed goes, rather than showing as markup
