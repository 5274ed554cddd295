"""Shared checks of an answer's shape, used by the visible checks of several assignments."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from course.feedback import expect


def is_number(value: object) -> bool:
    """A real number, but not a bool (True is 1 to Python, never to a learner)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def customer_ids(result: object, function: str) -> np.ndarray:
    """`result` as a 1-d array of customer ids, or a `NotYet` saying what shape is wrong."""
    expect(not isinstance(result, pd.DataFrame), f"`{function}` returned a table; return only "
           "the customer ids (a list, an array, a Series or an Index of ids).")
    expect(isinstance(result, list | tuple | np.ndarray | pd.Series | pd.Index),
           f"`{function}` should return a list of customer ids, not a "
           f"{type(result).__name__}.")
    array = np.asarray(list(result))
    expect(array.ndim == 1 and (array.size == 0 or array.dtype.kind in "iu"),
           f"`{function}` should return whole-number customer ids.")
    return array.astype(np.int64)
