"""papermill runs every source notebook top to bottom with the small CI parameters."""

import nbformat
import papermill
import pytest
from support import CI_PARAMETERS, SOURCE_NOTEBOOKS, notebook_id


@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=notebook_id)
def test_source_notebook_runs_with_ci_parameters(path, tmp_path):
    output = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(output),
        parameters=CI_PARAMETERS,
        cwd=str(path.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    nb = nbformat.read(output, as_version=4)
    stderr = [
        cell.source.splitlines()[0]
        for cell in nb.cells
        if cell.cell_type == "code"
        and any(out.get("name") == "stderr" for out in cell.get("outputs", []))
    ]
    assert not stderr, f"cells wrote to stderr (nbgrader scores that as a failure): {stderr}"
