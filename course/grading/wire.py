"""Plain data between the learner's kernel and the referee: encode, and decode without trust.

Everything that crosses is JSON text. Numbers, strings, lists, dicts, numpy arrays (raw bytes
of a numeric dtype, base64), pandas Series/DataFrames/Indexes (one array per column),
timestamps, the course's `Money` and `Rate`, a `FashionSite` (its recipe, its edited tables
and its mailing state) and a DuckDB connection (the tables it holds). Anything else crosses as
a *handle*: a number that names the object on the side that owns it, whose attributes and
calls are asked for remotely.

`decode` builds only these types, from validated fields; it never unpickles, imports a module
named by the other side, or evaluates anything it receives. `Decoder(trusted=False)` (the
referee reading the learner's kernel) also refuses a shop or a connection, which could only be
rebuilt by running the world generator on the learner's say-so.
"""

from __future__ import annotations

import base64
import builtins
import datetime as _dt
import json
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

MAX_DEPTH = 64
MAX_BYTES = 1 << 30  # one array, decoded
MAX_TOTAL = 2 << 30  # everything one message decodes to, roughly
MAX_ITEMS = 1_000_000  # entries of one set or dict (hash collisions cost quadratic time)
_NUMERIC_KINDS = "biufcmM"


class WireError(TypeError):
    """A value that cannot cross, or a message that is not valid data."""


# ------------------------------------------------------------------------------ encode


class Encoder:
    """Turns a value into JSON-able nodes; objects that are not data go to `handle_of`."""

    def __init__(self, handle_of: Callable[[Any], dict] | None = None) -> None:
        self.handle_of = handle_of

    def __call__(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise WireError("value nested too deeply to send")
        d = depth + 1
        if value is None or isinstance(value, str) and type(value) is str:
            return value
        if type(value) is bool:
            return value
        if type(value) is int:
            return value
        if type(value) is float:
            return value if math.isfinite(value) else {"~": "float", "v": repr(value)}
        kind = _plain_kind(value)
        if kind is not None:
            return kind(self, value, d)
        # Looked up on the type: an object's own __getattr__ is never run to encode it.
        handle = getattr(type(value), "__wire_handle__", None)
        if isinstance(handle, property):
            return handle.fget(value)
        if self.handle_of is None:
            raise WireError(f"a {type(value).__name__} cannot be sent as data")
        return self.handle_of(value)

    def text(self, value: Any) -> str:
        return json.dumps(self(value), allow_nan=True, separators=(",", ":"))


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _encode_ndarray(enc: Encoder, array: np.ndarray, d: int) -> dict:
    if array.dtype.kind in _NUMERIC_KINDS and not array.dtype.hasobject and not array.dtype.names:
        return {"~": "nd", "dtype": array.dtype.str, "shape": list(array.shape), "b": _b64(array)}
    if array.dtype.kind == "U":
        return {"~": "ndu", "shape": list(array.shape), "v": array.ravel().tolist()}
    if array.dtype.kind == "O":
        return {"~": "ndo", "shape": list(array.shape),
                "v": [enc(item, d) for item in array.ravel().tolist()]}
    raise WireError(f"an array of dtype {array.dtype} cannot be sent")


def _encode_values(enc: Encoder, values: Any, d: int) -> dict:
    """A pandas column (numpy or extension array) as one node."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return {"~": "cat", "codes": _encode_ndarray(enc, np.asarray(values.codes), d),
                "categories": _encode_index(enc, dtype.categories, d),
                "ordered": bool(dtype.ordered)}
    if isinstance(dtype, pd.DatetimeTZDtype):
        utc = pd.DatetimeIndex(values).tz_convert("UTC").tz_localize(None)
        return {"~": "dtz", "tz": str(dtype.tz), "v": _encode_ndarray(enc, utc.to_numpy(), d)}
    if isinstance(dtype, pd.PeriodDtype):
        return {"~": "period", "freq": pd.PeriodIndex(values).freqstr,
                "v": _encode_ndarray(enc, np.asarray(values.asi8), d)}
    if isinstance(dtype, pd.StringDtype):
        na = "NA" if dtype.na_value is pd.NA else "nan"
        return {"~": "str", "na": na,
                "v": [None if not isinstance(x, str) else x for x in values.tolist()]}
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and hasattr(values, "_mask"):
        return {"~": "masked", "dtype": dtype.name, "v": _encode_ndarray(enc, values._data, d),
                "mask": _encode_ndarray(enc, values._mask, d)}
    array = np.asarray(values)
    return _encode_ndarray(enc, array, d)


def _encode_index(enc: Encoder, index: pd.Index, d: int) -> dict:
    if isinstance(index, pd.RangeIndex):
        return {"~": "range", "start": int(index.start), "stop": int(index.stop),
                "step": int(index.step), "name": enc(index.name, d)}
    if isinstance(index, pd.MultiIndex):
        return {"~": "mindex", "levels": [_encode_values(enc, index.get_level_values(i).array, d)
                                          for i in range(index.nlevels)],
                "names": [enc(n, d) for n in index.names]}
    node = {"~": "index", "v": _encode_values(enc, index.array, d), "name": enc(index.name, d)}
    if isinstance(index, pd.DatetimeIndex | pd.TimedeltaIndex) and index.freq is not None:
        node["freq"] = index.freqstr
    return node


def _encode_series(enc: Encoder, series: pd.Series, d: int) -> dict:
    return {"~": "series", "v": _encode_values(enc, series.array, d),
            "index": _encode_index(enc, series.index, d), "name": enc(series.name, d)}


def _encode_frame(enc: Encoder, frame: pd.DataFrame, d: int) -> dict:
    return {"~": "frame", "columns": _encode_index(enc, frame.columns, d),
            "data": [_encode_values(enc, frame.iloc[:, i].array, d)
                     for i in range(frame.shape[1])],
            "index": _encode_index(enc, frame.index, d), "n": len(frame)}


def _encode_timestamp(enc: Encoder, ts: pd.Timestamp, d: int) -> dict:
    if ts is pd.NaT:
        return {"~": "nat"}
    try:
        value = int(ts.value)
    except (OverflowError, ValueError):
        raise WireError("a timestamp out of the nanosecond range cannot be sent") from None
    return {"~": "ts", "v": value, "unit": ts.unit, "tz": None if ts.tz is None else str(ts.tz)}


def _encode_timedelta(enc: Encoder, td: pd.Timedelta, d: int) -> dict:
    try:
        return {"~": "td", "v": int(td.value), "unit": td.unit}
    except (OverflowError, ValueError):
        raise WireError("a duration out of the nanosecond range cannot be sent") from None


def _encode_site(enc: Encoder, site: Any, d: int) -> dict:
    from course.world import _generate

    recipe = getattr(site, "_recipe", None)
    if recipe is None:
        raise WireError("this FashionSite has no recipe (it was not made by make_fashion_site)")
    n_customers, n_brands, n_days, start, seed, taste_drift = recipe
    pristine = _generate.make_fashion_site(n_customers=n_customers, n_brands=n_brands,
                                           n_days=n_days, start=start, seed=seed,
                                           taste_drift=taste_drift)
    tables = {}
    for name in _SITE_TABLES:
        mine = getattr(site, name)
        if not (isinstance(mine, pd.DataFrame) and mine.equals(getattr(pristine, name))):
            tables[name] = enc(mine, d)
    fatigue = site._fatigue
    return {"~": "site",
            "recipe": [n_customers, n_brands, n_days, enc(pd.Timestamp(start), d), seed,
                       taste_drift],
            "tables": tables, "oracle_calls": int(site.oracle_calls),
            "fatigue": [[int(day), enc(np.asarray(c), d)] for day, c in fatigue._extra],
            "unsubscribed": enc(np.asarray(site._unsubscribed), d),
            "sent": [enc(frame, d) for frame in site._sent]}


_SITE_TABLES = ("customers", "brands", "items", "orders", "events", "campaigns", "mail_log",
                "releases", "upcoming_releases")


def _encode_duckdb(enc: Encoder, con: Any, d: int) -> dict:
    names = [row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()]
    return {"~": "duckdb", "tables": {name: enc(con.table(name).df(), d) for name in names}}


def _plain_kind(value: Any) -> Callable | None:
    """The encoder of `value`'s exact type, if it is data (subclasses are not data)."""
    t = type(value)
    if t is list:
        return lambda enc, v, d: [enc(x, d) for x in v]
    if t is tuple:
        return lambda enc, v, d: {"~": "tuple", "v": [enc(x, d) for x in v]}
    if t in (set, frozenset):
        return lambda enc, v, d: {"~": t.__name__, "v": [enc(x, d) for x in v]}
    if t is dict:
        return lambda enc, v, d: {"~": "dict", "k": [enc(k, d) for k in v],
                                  "v": [enc(x, d) for x in v.values()]}
    if t is np.ndarray:
        return _encode_ndarray
    if isinstance(value, np.generic) and t.__module__ == "numpy":
        return lambda enc, v, d: {"~": "np", "v": _encode_ndarray(enc, np.asarray(v), d)}
    if t is pd.Timestamp or value is pd.NaT:
        return _encode_timestamp
    if t is pd.Period:
        return lambda enc, v, d: {"~": "periodv", "freq": v.freqstr, "v": int(v.ordinal)}
    if t is pd.Timedelta:
        return _encode_timedelta
    if t is _dt.datetime:
        return lambda enc, v, d: {"~": "datetime", "v": v.isoformat()}
    if t is _dt.date:
        return lambda enc, v, d: {"~": "date", "v": v.isoformat()}
    if value is pd.NA:
        return lambda enc, v, d: {"~": "na"}
    if t is pd.Series:
        return _encode_series
    if t is pd.DataFrame:
        return _encode_frame
    if t in (pd.Index, pd.RangeIndex, pd.MultiIndex, pd.DatetimeIndex, pd.CategoricalIndex,
             pd.TimedeltaIndex, pd.PeriodIndex):
        return _encode_index
    module = t.__module__
    if module == "course.money" and t.__name__ in ("Money", "Rate"):
        if t.__name__ == "Money":
            return lambda enc, v, d: {"~": "money", "yen": float(v.yen)}
        return lambda enc, v, d: {"~": "rate", "yen": float(v.yen), "per": str(v.per)}
    if module == "course.world._site" and t.__name__ == "FashionSite":
        return _encode_site
    if module in ("duckdb", "_duckdb") and t.__name__ == "DuckDBPyConnection":
        return _encode_duckdb
    return None


# ------------------------------------------------------------------------------ decode


class Decoder:
    """Builds plain values from nodes; `handle` turns a handle node into a proxy."""

    def __init__(self, handle: Callable[[dict], Any] | None = None, trusted: bool = False) -> None:
        self.handle = handle
        self.trusted = trusted
        self.budget = MAX_TOTAL

    def spend(self, nbytes: int) -> None:
        """Count what a message decodes to; a small message must not become a huge object."""
        self.budget -= nbytes
        if self.budget < 0:
            raise WireError("the data is too large to judge")

    def text(self, text: str) -> Any:
        if not isinstance(text, str):
            raise WireError("expected JSON text")
        try:
            node = json.loads(text)
        except Exception as error:  # noqa: BLE001 - ValueError, RecursionError, huge ints
            raise WireError(f"not valid JSON data ({type(error).__name__})") from None
        return self.value(node)

    def value(self, node: Any) -> Any:
        """Decode one message's node, with a fresh size budget."""
        self.budget = MAX_TOTAL
        return self(node)

    def __call__(self, node: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise WireError("data nested too deeply")
        d = depth + 1
        if node is None or type(node) in (bool, int, float, str):
            return node
        if type(node) is list:
            self.spend(8 * len(node))
            return [self(x, d) for x in node]
        if type(node) is not dict:
            raise WireError(f"unexpected node of type {type(node).__name__}")
        tag = node.get("~")
        decode = _DECODERS.get(tag) if isinstance(tag, str) else None
        if decode is None:
            raise WireError(f"unknown kind of data {str(tag)[:40]!r}")
        try:
            return decode(self, node, d)
        except WireError:
            raise
        except Exception as error:  # noqa: BLE001 - anything else is malformed data too
            raise WireError(f"malformed {tag} ({type(error).__name__}: {str(error)[:120]})"
                            ) from None


def _need(node: dict, key: str, kind: type | tuple) -> Any:
    value = node[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise WireError(f"field {key!r} has the wrong type")
    return value


def _dtype(text: Any) -> np.dtype:
    if not isinstance(text, str) or len(text) > 32:
        raise WireError("bad dtype")
    dtype = np.dtype(text)
    if dtype.kind not in _NUMERIC_KINDS or dtype.hasobject or dtype.names:
        raise WireError(f"dtype {text!r} is not plain data")
    return dtype


def _shape(node: dict) -> tuple[int, ...]:
    shape = _need(node, "shape", list)
    if len(shape) > 32 or not all(type(n) is int and n >= 0 for n in shape):
        raise WireError("bad shape")
    return tuple(shape)


def _decode_nd(dec: Decoder, node: dict, d: int) -> np.ndarray:
    dtype = _dtype(node["dtype"])
    shape = _shape(node)
    raw = base64.b64decode(_need(node, "b", str), validate=True)
    count = math.prod(shape)
    if len(raw) != count * dtype.itemsize or len(raw) > MAX_BYTES:
        raise WireError("array data does not match its shape")
    dec.spend(len(raw))
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _decode_ndo(dec: Decoder, node: dict, d: int) -> np.ndarray:
    shape = _shape(node)
    items = [dec(x, d) for x in _need(node, "v", list)]
    dec.spend(8 * len(items))
    if len(items) != math.prod(shape):
        raise WireError("array data does not match its shape")
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array.reshape(shape)


def _decode_ndu(dec: Decoder, node: dict, d: int) -> np.ndarray:
    shape = _shape(node)
    items = _need(node, "v", list)
    if not all(type(x) is str for x in items) or len(items) != math.prod(shape):
        raise WireError("bad string array")
    return np.array(items, dtype=str).reshape(shape)


_MASKED = {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
           "Float32", "Float64", "boolean"}


def _decode_values(dec: Decoder, node: Any, d: int) -> Any:
    """A column's values: a numpy array or a pandas extension array."""
    if not isinstance(node, dict):
        raise WireError("bad column")
    tag = node.get("~")
    if tag == "cat":
        codes = _decode_nd(dec, node["codes"], d)
        if codes.dtype.kind not in "iu" or codes.ndim != 1:
            raise WireError("bad categorical codes")
        categories = _decode_index(dec, node["categories"], d)
        if len(codes) and (codes.max(initial=-1) >= len(categories) or codes.min() < -1):
            raise WireError("categorical codes out of range")
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(
            categories, ordered=bool(node["ordered"])))
    if tag == "dtz":
        naive = _decode_nd(dec, node["v"], d)
        if naive.dtype.kind != "M":
            raise WireError("bad time-zone column")
        tz = _zone(node.get("tz"))
        return pd.DatetimeIndex(naive).tz_localize("UTC").tz_convert(tz).array
    if tag == "period":
        ordinals = _decode_nd(dec, node["v"], d)
        if ordinals.dtype != np.int64 or ordinals.ndim != 1:
            raise WireError("bad period column")
        return pd.PeriodIndex.from_ordinals(ordinals, freq=_freq(node.get("freq"))).array
    if tag == "str":
        items = _need(node, "v", list)
        if not all(x is None or type(x) is str for x in items):
            raise WireError("bad string column")
        na = pd.NA if node.get("na") == "NA" else np.nan
        return pd.array(items, dtype=pd.StringDtype("python", na_value=na))
    if tag == "masked":
        name = _need(node, "dtype", str)
        if name not in _MASKED:
            raise WireError(f"dtype {name!r} is not plain data")
        data, mask = _decode_nd(dec, node["v"], d), _decode_nd(dec, node["mask"], d)
        if mask.dtype != bool or mask.shape != data.shape or data.ndim != 1:
            raise WireError("bad masked column")
        dtype = pd.api.types.pandas_dtype(name)
        return dtype.construct_array_type()(data.astype(dtype.numpy_dtype), mask)
    value = dec(node, d)
    if not isinstance(value, np.ndarray) or value.ndim != 1:
        raise WireError("a column must be one-dimensional")
    return value


_FREQ = re.compile(r"^[0-9]{0,4}[A-Za-z]{1,8}(-[A-Za-z]{3})?$")


def _freq(text: Any) -> str:
    if not isinstance(text, str) or not _FREQ.match(text):
        raise WireError("bad period frequency")
    return text


def _decode_index(dec: Decoder, node: Any, d: int) -> pd.Index:
    if not isinstance(node, dict):
        raise WireError("bad index")
    tag = node.get("~")
    if tag == "range":
        start, stop, step = (_need(node, k, int) for k in ("start", "stop", "step"))
        if step == 0:
            raise WireError("bad range index")
        dec.spend(8 * len(range(start, stop, step)))  # what it becomes once materialised
        return pd.RangeIndex(start, stop, step, name=_name(dec(node.get("name"), d)))
    if tag == "mindex":
        levels = [pd.Index(_decode_values(dec, v, d)) for v in _need(node, "levels", list)]
        names = [_name(dec(n, d)) for n in _need(node, "names", list)]
        if not levels or len(names) != len(levels) or len({len(x) for x in levels}) != 1:
            raise WireError("bad multi-index")
        return pd.MultiIndex.from_arrays(levels, names=names)
    if tag == "index":
        values = _decode_values(dec, node["v"], d)
        index = pd.Index(values, name=_name(dec(node.get("name"), d)), copy=False,
                         dtype=_kept_dtype(values))
        freq = node.get("freq")
        if freq is not None and isinstance(index, pd.DatetimeIndex | pd.TimedeltaIndex):
            index.freq = _offset(freq)
        return index
    raise WireError("bad index")


def _kept_dtype(values: Any) -> Any:
    """object for object arrays (pandas would infer str), else inferred from the values."""
    return object if isinstance(values, np.ndarray) and values.dtype == object else None


def _offset(text: Any) -> Any:
    if not isinstance(text, str) or not re.match(r"^[0-9]{0,6}[A-Za-z]{1,8}(-[A-Za-z]{3})?$",
                                                 text):
        raise WireError("bad frequency")
    return pd.tseries.frequencies.to_offset(text)


def _name(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        raise WireError("a name must be hashable") from None
    return value


def _decode_series(dec: Decoder, node: dict, d: int) -> pd.Series:
    values = _decode_values(dec, node["v"], d)
    index = _decode_index(dec, node["index"], d)
    if len(index) != len(values):
        raise WireError("series values and index differ in length")
    return pd.Series(values, index=index, name=_name(dec(node.get("name"), d)), copy=False,
                     dtype=_kept_dtype(values))


def _decode_frame(dec: Decoder, node: dict, d: int) -> pd.DataFrame:
    columns = _decode_index(dec, node["columns"], d)
    index = _decode_index(dec, node["index"], d)
    data = [_decode_values(dec, v, d) for v in _need(node, "data", list)]
    if len(data) != len(columns) or any(len(v) != len(index) for v in data) \
            or node.get("n", len(index)) != len(index):
        raise WireError("frame columns do not match")
    frame = pd.DataFrame({i: pd.Series(v, index=index, dtype=_kept_dtype(v), copy=False)
                          for i, v in enumerate(data)}, index=index, copy=False)
    frame.columns = columns
    return frame


def _decode_timestamp(dec: Decoder, node: dict, d: int) -> pd.Timestamp:
    value = _need(node, "v", int)
    tz = node.get("tz")
    unit = node.get("unit", "ns")
    if unit not in ("s", "ms", "us", "ns"):
        raise WireError("bad time unit")
    ts = pd.Timestamp(value, unit="ns", tz="UTC" if tz else None)
    if tz:
        ts = ts.tz_convert(_zone(tz))
    return ts.as_unit(unit)


_FIXED_OFFSET = re.compile(r"^(UTC)?[+-][0-9]{2}:[0-9]{2}$")


def _zone(text: Any) -> str:
    """A time zone name the referee knows (never a path a zone library would open)."""
    import zoneinfo

    if isinstance(text, str) and (text == "UTC" or _FIXED_OFFSET.match(text)
                                  or text in zoneinfo.available_timezones()):
        return text
    raise WireError("unknown time zone")


def _decode_timedelta(dec: Decoder, node: dict, d: int) -> pd.Timedelta:
    unit = node.get("unit", "ns")
    if unit not in ("s", "ms", "us", "ns"):
        raise WireError("bad time unit")
    return pd.Timedelta(_need(node, "v", int), unit="ns").as_unit(unit)


def _decode_float(dec: Decoder, node: dict, d: int) -> float:
    text = _need(node, "v", str)
    if text not in ("nan", "inf", "-inf"):
        raise WireError("bad float")
    return float(text)


def _decode_np(dec: Decoder, node: dict, d: int) -> Any:
    array = dec(node["v"], d)
    if not isinstance(array, np.ndarray) or array.shape != ():
        raise WireError("a numpy scalar has no shape")
    return array[()]


def _items(node: dict, key: str = "v") -> list:
    items = _need(node, key, list)
    if len(items) > MAX_ITEMS:
        raise WireError(f"more than {MAX_ITEMS:,} entries in one set or dict")
    return items


def _decode_dict(dec: Decoder, node: dict, d: int) -> dict:
    keys = [_name(dec(k, d)) for k in _items(node, "k")]
    values = [dec(v, d) for v in _need(node, "v", list)]
    if len(keys) != len(values):
        raise WireError("dict keys and values differ in length")
    return dict(zip(keys, values, strict=True))


def _decode_money(dec: Decoder, node: dict, d: int) -> Any:
    from course.money import Money

    return Money(_need(node, "yen", (int, float)))


def _decode_rate(dec: Decoder, node: dict, d: int) -> Any:
    from course.money import Rate

    return Rate(_need(node, "yen", (int, float)), _need(node, "per", str))


def _decode_site(dec: Decoder, node: dict, d: int) -> Any:
    if not dec.trusted:
        raise WireError("a shop (FashionSite) cannot be judged from the learner's kernel")
    from course.world import make_fashion_site

    n_customers, n_brands, n_days, start, seed, taste_drift = node["recipe"]
    site = make_fashion_site(n_customers=n_customers, n_brands=n_brands, n_days=n_days,
                             start=dec(start, d), seed=seed, taste_drift=taste_drift)
    for name, table in _need(node, "tables", dict).items():
        if name not in _SITE_TABLES:
            raise WireError(f"a shop has no table {name!r}")
        setattr(site, name, dec(table, d))
    site.oracle_calls = _need(node, "oracle_calls", int)
    for day, customers in _need(node, "fatigue", list):
        site._fatigue.add(int(day), dec(customers, d))
    site._unsubscribed = dec(node["unsubscribed"], d)
    site._sent = [dec(frame, d) for frame in _need(node, "sent", list)]
    return site


def _decode_duckdb(dec: Decoder, node: dict, d: int) -> Any:
    if not dec.trusted:
        raise WireError("a DuckDB connection cannot be judged from the learner's kernel")
    from course.query import connect

    con = connect()
    for name, table in _need(node, "tables", dict).items():
        frame = dec(table, d)
        if not isinstance(frame, pd.DataFrame):
            raise WireError("a connection's table must be a DataFrame")
        con.register(str(name), frame)
    return con


def _decode_handle(dec: Decoder, node: dict, d: int) -> Any:
    if dec.handle is None:
        raise WireError("an object that is not data was sent where data is needed")
    _need(node, "id", int)
    return dec.handle(node)


def _decode_error(dec: Decoder, node: dict, d: int) -> BaseException:
    return rebuild_error(node)


_DECODERS: dict[str, Callable[[Decoder, dict, int], Any]] = {
    "float": _decode_float,
    "tuple": lambda dec, n, d: tuple(dec(x, d) for x in _need(n, "v", list)),
    "set": lambda dec, n, d: {_name(dec(x, d)) for x in _items(n)},
    "frozenset": lambda dec, n, d: frozenset(_name(dec(x, d)) for x in _items(n)),
    "dict": _decode_dict,
    "nd": _decode_nd,
    "ndo": _decode_ndo,
    "ndu": _decode_ndu,
    "np": _decode_np,
    "ts": _decode_timestamp,
    "nat": lambda dec, n, d: pd.NaT,
    "na": lambda dec, n, d: pd.NA,
    "td": _decode_timedelta,
    "periodv": lambda dec, n, d: pd.Period(ordinal=_need(n, "v", int), freq=_freq(n.get("freq"))),
    "datetime": lambda dec, n, d: _dt.datetime.fromisoformat(_need(n, "v", str)),
    "date": lambda dec, n, d: _dt.date.fromisoformat(_need(n, "v", str)),
    "series": _decode_series,
    "frame": _decode_frame,
    "index": _decode_index,
    "range": _decode_index,
    "mindex": _decode_index,
    "money": _decode_money,
    "rate": _decode_rate,
    "site": _decode_site,
    "duckdb": _decode_duckdb,
    "handle": _decode_handle,
}


# ------------------------------------------------------------------------------ errors

# Exceptions that cross by name keep their class, so `except ValueError` in a test still works.
_BUILTIN_ERRORS = {name for name in dir(builtins)
                   if isinstance(getattr(builtins, name), type)
                   and issubclass(getattr(builtins, name), Exception)}
_KNOWN_ERRORS = {"sklearn.exceptions.NotFittedError", "course.money.UnitError"}


class LearnerError(RuntimeError):
    """The learner's code raised an exception the referee does not rebuild by its class."""


def error_node(error: BaseException) -> dict:
    """An exception raised by code on this side, as data: its classes' names and message."""
    names = [f"{c.__module__}.{c.__qualname__}" for c in type(error).__mro__]
    return {"~": "error", "mro": names[:32], "message": str(error)[:4000]}


def rebuild_error(node: dict) -> BaseException:
    """The closest trusted exception class for an error node (never anything it names)."""
    mro = node.get("mro") if isinstance(node, dict) else None
    message = node.get("message", "") if isinstance(node, dict) else ""
    message = message if isinstance(message, str) else ""
    if isinstance(mro, list):
        for name in mro:
            if not isinstance(name, str):
                continue
            if name in _KNOWN_ERRORS:
                module, _, cls = name.rpartition(".")
                if module == "sklearn.exceptions":
                    from sklearn.exceptions import NotFittedError
                    return NotFittedError(message)
                from course.money import UnitError
                return UnitError(message)
            module, _, cls = name.rpartition(".")
            if module == "builtins" and cls in _BUILTIN_ERRORS and cls not in (
                    "StopIteration", "StopAsyncIteration"):
                return getattr(builtins, cls)(message)
    return LearnerError(message)
