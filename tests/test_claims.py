"""What the notebooks say about their own numbers holds, at the default size, for three seeds.

Claims are registered in `tests/claims/registry.py`. Each notebook with claims runs in-process
(a forked child of the test process, `course.inline`), once per seed, with its solutions; the
claims are then checked against its namespace. A claim's words must occur in the notebook's
Markdown, so that a text edited without its claim (or the other way round) fails too.
"""

from __future__ import annotations

import contextlib
import io
import os

import nbformat
import pytest
from claims.registry import CLAIMS

from course.inline import in_child_process, parameter_override, run_notebook
from course.paths import SOURCE

SEEDS = (0, 1, 2)


def _path(name: str):
    return SOURCE / f"{name}.ipynb"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_claim_is_in_its_notebooks_text():
    for name, claims in CLAIMS.items():
        nb = nbformat.read(_path(name), as_version=4)
        text = _words(" ".join(c.source for c in nb.cells if c.cell_type == "markdown"))
        missing = [claim.words for claim in claims if _words(claim.words) not in text]
        assert not missing, f"{name}: claims whose words are not in the text: {missing}"


def _check_claims(name: str, seed: int) -> list[str]:
    """Run the notebook (default size, `seed`) and return the claims that do not hold."""
    nb = parameter_override(nbformat.read(_path(name), as_version=4), SEED=seed)
    os.chdir(_path(name).parent)
    with contextlib.redirect_stdout(io.StringIO()):
        namespace, errors = run_notebook(nb, timeout=300)
    if errors:
        return [f"the notebook fails in cells {sorted(errors)}: {next(iter(errors.values()))}"]
    failed = []
    for claim in CLAIMS[name]:
        try:
            verdict = claim.holds(namespace)
        except Exception as error:  # noqa: BLE001 - a check that cannot run is a failed claim
            verdict = f"{type(error).__name__}: {error}"
        if verdict is not True:
            failed.append(f"{_words(claim.words)!r}: {verdict}")
    return failed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_claims_hold(name, seed):
    failed = in_child_process(_check_claims, name, seed, folder=_path(name).parent, timeout=600)
    assert not failed, f"{name} at seed {seed}: " + "; ".join(failed)
