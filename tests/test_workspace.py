"""The learner's workspace: copies made once, never overwritten; refresh keeps answers."""

import nbformat
import pytest

from course.workspace import refresh, sync


def _notebook(path, answer_source, text="v1"):
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell(answer_source)
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                   "grade_id": "q1-answer", "schema_version": 3}
    nb.cells = [nbformat.v4.new_markdown_cell(text), answer]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture
def folders(tmp_path):
    release, workspace = tmp_path / "release", tmp_path / "workspace"
    _notebook(release / "part0" / "00_intro.ipynb", "raise NotImplementedError()")
    return release, workspace


def test_sync_copies_once_and_never_overwrites(folders):
    release, workspace = folders
    assert len(sync(release, workspace)) == 1
    mine = workspace / "part0" / "00_intro.ipynb"
    _notebook(mine, "answer = 42")
    assert sync(release, workspace) == []
    assert "answer = 42" in mine.read_text()


def test_refresh_takes_new_text_and_keeps_the_answer(folders):
    release, workspace = folders
    sync(release, workspace)
    mine = workspace / "part0" / "00_intro.ipynb"
    _notebook(mine, "answer = 42")
    _notebook(release / "part0" / "00_intro.ipynb", "raise NotImplementedError()", text="v2")
    backup = refresh("part0/00_intro.ipynb", release, workspace)
    new = nbformat.read(mine, as_version=4)
    assert new.cells[0].source == "v2" and new.cells[1].source == "answer = 42"
    assert "answer = 42" in backup.read_text()


def test_refresh_of_an_unknown_notebook_is_a_clear_error(folders):
    release, workspace = folders
    with pytest.raises(ValueError, match="notebook"):
        refresh("part9/nothing.ipynb", release, workspace)
