"""Learners' HTML made harmless wherever the course shows it to someone else.

The formgrader shows each submission to the instructor, on the same web origin as the
instructor's JupyterLab, and feedback pages show a submission's outputs: a `<script>` in a
Markdown cell or an HTML output would run there with the viewer's rights. nbconvert's
`SanitizeHTML` (bleach) keeps the formatting a notebook needs (tables, emphasis, lists,
images) and turns everything else into plain text; JavaScript outputs are dropped.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors.sanitize import SanitizeHTML
from traitlets import Bool

SANITIZER = "course.grading.sanitize.SanitizeLearnerHTML"
TAGS = [
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "details", "div", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul",
]
ATTRIBUTES = {
    "*": ["class", "title"],
    "a": ["href", "title"],
    "img": ["src", "alt", "width", "height"],
    "table": ["border"],
    "th": ["colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
}


_STYLE = re.compile(r"<style\b.*?</style\s*>", re.IGNORECASE | re.DOTALL)


class SanitizeLearnerHTML(SanitizeHTML):
    """nbconvert's sanitizer; `<style>` blocks (pandas tables have one) go first, whole.

    On by itself: nbgrader registers its converters' steps disabled unless they say so."""

    enabled = Bool(True).tag(config=True)

    def sanitize_html_tags(self, html_str):
        return super().sanitize_html_tags(_STYLE.sub("", html_str))


def configure(c) -> None:
    """Sanitize every HTML page nbconvert makes from a notebook (formgrader, exports)."""
    c.HTMLExporter.preprocessors = [SANITIZER]
    c.SanitizeLearnerHTML.tags = TAGS
    c.SanitizeLearnerHTML.attributes = ATTRIBUTES
    c.SanitizeLearnerHTML.strip = True  # what is not allowed goes, rather than showing as markup
