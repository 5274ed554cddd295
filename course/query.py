"""DuckDB for the course: an in-memory database that sees only the tables registered in it.

Step 2's rule is SQL the learner writes, and at grading time the referee runs it outside the
learner's sandbox, so the connection can read no file, reach no network and load no
extension, and a query is one SELECT statement.
"""

from __future__ import annotations

import duckdb

_LOCKED_DOWN = {
    "enable_external_access": False,  # no files, no URLs: only registered tables
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,  # and the SQL cannot switch it back on
    "threads": 1,
    "memory_limit": "2GB",
}


def connect() -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection that can only query what is registered in it."""
    return duckdb.connect(config=dict(_LOCKED_DOWN))


def one_select(sql: object) -> str:
    """`sql` if it is a single SELECT statement; a ValueError that says why not."""
    if not isinstance(sql, str) or not sql.strip():
        raise ValueError("the query should be a SQL text (a str) with one SELECT statement")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise ValueError(f"DuckDB could not read the query: {str(error).splitlines()[0]}"
                         ) from None
    if len(statements) != 1:
        raise ValueError(f"the query holds {len(statements)} statements; write one SELECT")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise ValueError("the query should be one SELECT statement (it only reads the orders)")
    return sql
