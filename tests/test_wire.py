"""The referee's wire format: plain data crosses exactly; anything else is refused or a handle."""

from __future__ import annotations

import json
import math

import duckdb
import numpy as np
import pandas as pd
import pytest

from course.grading import wire
from course.grading.referee import cell_names, checked_exercises, learner_names
from course.money import Money, Rate
from course.world import make_fashion_site


@pytest.fixture(scope="module")
def site():
    return make_fashion_site(n_customers=1_000, seed=5)


def _round_trip(value, trusted=True):
    return wire.Decoder(trusted=trusted).text(wire.Encoder().text(value))


@pytest.mark.parametrize("value", [
    0, -7, 2**70, 2.5, True, False, None, "Kumo", "", [1, [2, "x"]], (1, (2, 3)), {1, 2},
    frozenset({"a"}), {"a": 1, 2: [3], (1, 2): None}, np.int64(3), np.float32(1.5),
    np.bool_(True), np.datetime64("2025-01-02"), pd.Timestamp("2025-03-01 10:00"),
    pd.Timestamp("2025-03-01 10:00", tz="Asia/Tokyo"), pd.Timedelta(hours=5), Money(1_200),
    Rate(3_000, "month"),
], ids=repr)
def test_plain_values_cross_exactly(value):
    back = _round_trip(value)
    assert type(back) is type(value)
    assert back == value


def test_floats_that_json_cannot_hold_cross_too():
    back = _round_trip([math.nan, math.inf, -math.inf])
    assert math.isnan(back[0]) and back[1:] == [math.inf, -math.inf]


@pytest.mark.parametrize("table", ["customers", "brands", "items", "orders", "events",
                                   "mail_log", "releases"])
def test_the_shops_tables_cross_with_their_dtypes(site, table):
    frame = getattr(site, table)
    pd.testing.assert_frame_equal(_round_trip(frame), frame)


def test_series_indexes_and_arrays_keep_their_shape(site):
    counts = site.orders.groupby(["customer_id", "brand_id"]).size()
    pd.testing.assert_series_equal(_round_trip(counts), counts)
    rates = site.mail_log.groupby("brand_id")["accessed"].mean().rename("rate")
    pd.testing.assert_series_equal(_round_trip(rates), rates)
    matrix = np.arange(12.0).reshape(3, 4)
    back = _round_trip(matrix)
    assert back.dtype == matrix.dtype and (back == matrix).all() and back.flags.writeable
    strings = np.array(["a", "bb"])
    assert _round_trip(strings).tolist() == ["a", "bb"]
    months = site.mail_log.groupby(site.mail_log["send_date"].dt.to_period("M"))["accessed"].mean()
    pd.testing.assert_series_equal(_round_trip(months), months)
    assert _round_trip(months.index[0]) == months.index[0]
    mixed = np.array([1, "x", None], dtype=object)
    assert _round_trip(mixed).tolist() == [1, "x", None]


def test_a_shop_crosses_as_its_recipe_edits_and_mailing_state(site):
    edited = site.copy()
    edited.orders = site.orders.head(10)
    edited.oracle_calls = 3
    edited.send_mail(int(site.upcoming_releases["brand_id"][0]), [1, 2, 3])
    back = _round_trip(edited)
    pd.testing.assert_frame_equal(back.orders, edited.orders)
    pd.testing.assert_frame_equal(back.events, site.events)
    assert back.oracle_calls == 3
    pd.testing.assert_frame_equal(back.sent_log, edited.sent_log)
    assert len(wire.Encoder().text(edited)) < 50_000, "unchanged tables are not sent"


def test_a_duckdb_connection_crosses_as_its_tables(site):
    con = duckdb.connect()
    con.register("orders", site.orders)
    back = _round_trip(con)
    assert back.execute("SELECT count(*) FROM orders").fetchone()[0] == len(site.orders)


def test_the_learners_kernel_cannot_make_the_referee_build_a_shop_or_a_connection(site):
    text = wire.Encoder().text(site)
    with pytest.raises(wire.WireError, match="shop"):
        wire.Decoder(trusted=False).text(text)
    con = duckdb.connect()
    with pytest.raises(wire.WireError, match="DuckDB"):
        wire.Decoder(trusted=False).text(wire.Encoder().text(con))


class _Lying(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


@pytest.mark.parametrize("value", [_Lying(1), lambda: 1, object(),
                                   type("Sub", (pd.DataFrame,), {})({"a": [1]})],
                         ids=["int subclass", "function", "object", "DataFrame subclass"])
def test_anything_that_is_not_exactly_data_is_not_sent_as_data(value):
    with pytest.raises(wire.WireError, match="cannot be sent"):
        wire.Encoder()(value)
    handles = []
    node = wire.Encoder(handle_of=lambda v: handles.append(v) or {"~": "handle", "id": 1})(value)
    assert node["~"] == "handle" and handles == [value]


@pytest.mark.parametrize("node", [
    {"~": "nd", "dtype": "|O", "shape": [1], "b": ""},                 # object dtype
    {"~": "nd", "dtype": "<i8", "shape": [2], "b": "AAAAAAAAAAA="},    # bytes do not fit
    {"~": "nd", "dtype": "i4,f8", "shape": [1], "b": ""},              # structured dtype
    {"~": "pickle", "v": "gASVAAAAAAAAAAA="},                          # an unknown kind
    {"~": "masked", "dtype": "object", "v": {}, "mask": {}},
    {"~": "cat", "codes": {"~": "nd", "dtype": "<i1", "shape": [1], "b": "BQ=="},
     "categories": {"~": "index", "v": {"~": "ndu", "shape": [1], "v": ["a"]}, "name": None},
     "ordered": False},                                                 # code out of range
    {"~": "handle", "owner": "answer", "id": 1},                       # no handles expected
    {"~": "dict", "k": [[1]], "v": [2]},                               # unhashable key
], ids=["object", "short", "structured", "unknown", "masked", "categorical", "handle", "key"])
def test_malformed_or_unsafe_data_is_refused_with_a_wire_error(node):
    with pytest.raises(wire.WireError):
        wire.Decoder(trusted=False).text(json.dumps(node))


def test_deep_nesting_is_refused():
    text = "[" * 5_000 + "]" * 5_000
    with pytest.raises(wire.WireError):
        wire.Decoder().text(text)


def test_errors_cross_as_trusted_classes_only():
    assert type(wire.rebuild_error(wire.error_node(ValueError("bad")))) is ValueError
    node = {"~": "error", "mro": ["__main__.Evil", "os.system"], "message": "x"}
    assert type(wire.rebuild_error(node)) is wire.LearnerError
    node = {"~": "error", "mro": ["builtins.SystemExit"], "message": "x"}
    assert type(wire.rebuild_error(node)) is wire.LearnerError


def test_the_referee_takes_from_the_learner_only_names_no_trusted_cell_binds():
    source = ("ex.count_buyers.check(site=site)\n_other = make(seed=SEED + 1)\n"
              "assert count_buyers(_other.orders) == helper(1)\nfor _i in range(2): pass\n")
    stored, loaded = cell_names(source)
    assert {"_other", "_i"} <= stored and {"count_buyers", "helper", "SEED"} <= loaded
    assert checked_exercises(source) == [("ex", "count_buyers")]

    class Exercise:
        answer_names = ("count_buyers", "min_rate")

    namespace = {"ex": type("module", (), {"count_buyers": Exercise()})}
    names = learner_names(source, {"ex", "site", "SEED", "make"}, namespace)
    assert names == {"count_buyers", "helper", "min_rate"}


@pytest.mark.parametrize("node", [
    {"~": "ts", "v": 0, "tz": "dateutil//etc/passwd"},                 # a zone that is a path
    {"~": "range", "start": 0, "stop": 10**12, "step": 1, "name": None},  # tiny, huge once used
    {"~": "set", "v": list(range(wire.MAX_ITEMS + 1))},
    {"~": "index", "v": {"~": "nd", "dtype": "<f2", "shape": [1], "b": "AAA="}, "name": None},
], ids=["zone path", "huge range", "huge set", "float16 index"])
def test_data_that_would_cost_the_referee_or_open_files_is_refused(node):
    with pytest.raises(wire.WireError):
        wire.Decoder(trusted=False).text(json.dumps(node))


def test_object_columns_stay_object_and_index_frequencies_cross():
    objects = pd.Series([math.nan, "a"], dtype=object)
    pd.testing.assert_series_equal(_round_trip(objects), objects)
    daily = pd.Series(1.0, index=pd.date_range("2025-01-01", periods=4, freq="D"))
    pd.testing.assert_series_equal(_round_trip(daily), daily)
    assert not isinstance(wire.rebuild_error(wire.error_node(StopIteration())), StopIteration)
