"""Validation at the boundary: clear errors that name the offending parameter."""

import numbers

import numpy as np
import pandas as pd


def check_int(name: str, value, *, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if low is not None and value < low:
        raise ValueError(f"{name} must be at least {low:_}, got {value:_}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high:_}, got {value:_}")
    return value


def check_fraction(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number between 0 and 1, got {value!r}")
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return value


def check_date(name: str, value) -> pd.Timestamp:
    if not isinstance(value, str | pd.Timestamp | np.datetime64) and not hasattr(value, "year"):
        raise TypeError(f"{name} must be a date string like '2025-01-01' or a Timestamp")
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{name} is not a valid date: {value!r}") from err
    if pd.isna(stamp):
        raise ValueError(f"{name} is not a valid date: {value!r}")
    return stamp.normalize().as_unit("us")


def check_ids(name: str, values, valid_max: int) -> np.ndarray:
    """A 1-D array of distinct integer ids in 1..valid_max."""
    if isinstance(values, str | bytes | numbers.Number) or not hasattr(values, "__len__"):
        raise TypeError(f"{name} must be a list-like of integer ids, got {type(values).__name__}")
    if isinstance(values, pd.Series | pd.Index):
        if values.hasnans:
            raise ValueError(f"{name} contains missing values")
        values = values.to_numpy()
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: give at least one customer id")
    if array.dtype == object and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in array
    ):
        array = array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name} must contain integer ids, got dtype {array.dtype}")
    array = array.astype(np.int64)
    unknown = array[(array < 1) | (array > valid_max)]
    if unknown.size:
        raise ValueError(f"{name} has {unknown.size} unknown id(s), e.g. {unknown[:5].tolist()}")
    uniques, counts = np.unique(array, return_counts=True)
    if uniques.size != array.size:
        dupes = uniques[counts > 1]
        raise ValueError(f"{name} has {dupes.size} duplicate id(s), e.g. {dupes[:5].tolist()}")
    return array
