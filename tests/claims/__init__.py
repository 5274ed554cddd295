"""Claims: what a notebook's text states about its own numbers, checked at several seeds.

A number or comparison in a notebook's Markdown is either printed from the notebook's own
variables, or registered here as a `Claim`: words that occur in one of the notebook's
Markdown cells (so the claim and the text cannot drift apart unnoticed), and a check of the
notebook's namespace after it ran. `tests/test_claims.py` runs each notebook with claims at the
default size for three seeds and fails when a check does not hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Claim:
    """`words` of the notebook's text, and `holds(namespace)`: True, or why it does not hold."""

    words: str
    holds: Callable[[dict[str, Any]], bool | str]


def between(value: float, low: float, high: float, what: str) -> bool | str:
    """True when `low <= value <= high`, else a sentence saying what was measured."""
    return True if low <= value <= high else f"{what} is {value:.4g}, not in [{low}, {high}]"
