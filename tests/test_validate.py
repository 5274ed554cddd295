"""nbgrader's Validator: solutions pass every test; the released blanks fail every test."""

import nbformat
import pytest
from nbgrader.validator import Validator
from support import (
    RELEASE_NOTEBOOKS,
    SOURCE_NOTEBOOKS,
    graded_code_cells,
    nbgrader_config,
    notebook_id,
)


@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=notebook_id)
def test_solution_notebook_validates(path):
    results = Validator(config=nbgrader_config()).validate(str(path))
    problems = {key: value for key, value in results.items() if value}
    failed = [item.get("raw_error", "")[-600:] for item in problems.get("failed", [])]
    assert not problems, f"validation problems: {list(problems)}; errors: {failed}"


@pytest.mark.parametrize("path", RELEASE_NOTEBOOKS, ids=notebook_id)
def test_blank_release_fails_every_graded_test(path):
    assert graded_code_cells(nbformat.read(path, as_version=4)), "no graded tests to fail"
    config = nbgrader_config()
    config.Validator.invert = True
    results = Validator(config=config).validate(str(path))
    assert not results.get("changed"), "locked cells of the release differ from their checksums"
    passed = [item["source"][:80] for item in results.get("passed", [])]
    assert not passed, f"these tests pass on the blank notebook: {passed}"
