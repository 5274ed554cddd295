"""The fashion-site world: tables, integrity, reproducibility and the mail simulator."""

import numpy as np
import pandas as pd
import pytest

from course.world import FashionSite, make_fashion_site
from course.world._generate import _kept

N = 3_000


@pytest.fixture(scope="module")
def site() -> FashionSite:
    return make_fashion_site(n_customers=N, seed=11)


@pytest.fixture
def fresh(site) -> FashionSite:
    return site.copy()


def _top_buyers(site: FashionSite, brand_id: int, k: int) -> np.ndarray:
    counts = site.orders.loc[site.orders["brand_id"] == brand_id, "customer_id"].value_counts()
    return counts.index[:k].to_numpy()


# -- tables ------------------------------------------------------------------------------

EXPECTED = {
    "customers": {
        "customer_id": "int", "signup_date": "datetime", "age_band": "category",
        "region": "category",
    },
    "brands": {
        "brand_id": "int", "brand_name": "str", "category": "category", "price_tier": "category",
    },
    "items": {
        "item_id": "int", "release_id": "int", "brand_id": "int", "category": "category",
        "price": "int", "release_date": "datetime", "stock": "int", "sold_out_date": "datetime",
    },
    "orders": {
        "order_id": "int", "customer_id": "int", "item_id": "int", "brand_id": "int",
        "order_date": "datetime", "price": "int", "quantity": "int",
    },
    "events": {
        "session_id": "int", "customer_id": "int", "timestamp": "datetime", "source": "category",
        "event": "category", "item_id": "int", "brand_id": "int",
    },
    "campaigns": {
        "campaign_id": "int", "brand_id": "int", "release_id": "int", "send_date": "datetime",
        "release_date": "datetime", "n_sent": "int",
    },
    "mail_log": {
        "campaign_id": "int", "customer_id": "int", "brand_id": "int", "send_date": "datetime",
        "accessed": "bool", "purchased": "bool",
    },
    "releases": {
        "release_id": "int", "brand_id": "int", "release_date": "datetime", "n_items": "int",
        "popular": "bool",
    },
}
EXPECTED["upcoming_releases"] = EXPECTED["releases"]

KIND_CHECK = {
    "int": pd.api.types.is_integer_dtype,
    "datetime": pd.api.types.is_datetime64_dtype,
    "category": lambda d: isinstance(d, pd.CategoricalDtype),
    "str": pd.api.types.is_string_dtype,
    "bool": pd.api.types.is_bool_dtype,
}


@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_tables_have_the_documented_columns_and_dtypes(site, table):
    df = getattr(site, table)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(EXPECTED[table])
    assert len(df) > 0
    for column, kind in EXPECTED[table].items():
        assert KIND_CHECK[kind](df[column].dtype), f"{table}.{column} is {df[column].dtype}"


def test_sizes_and_scalars(site):
    assert site.n_customers == N == len(site.customers)
    assert site.seed == 11
    assert site.today == pd.Timestamp("2026-01-01")
    assert len(site.brands) == 12
    assert site.customers["customer_id"].tolist() == list(range(1, N + 1))
    assert site.brands["brand_name"].is_unique
    # About 10-20 event rows per customer and year at most.
    assert 5 <= len(site.events) / N <= 20


def test_customers_hide_the_truth(site):
    hidden = {"segment", "affinity", "responsiveness", "activity"}
    assert not hidden & set(site.customers.columns)
    assert len(site._truth.segment) == N


def test_referential_integrity(site):
    customers = set(site.customers["customer_id"])
    items = site.items.set_index("item_id")
    orders, events, mail = site.orders, site.events, site.mail_log
    assert set(orders["customer_id"]) <= customers
    assert set(events["customer_id"]) <= customers
    assert set(mail["customer_id"]) <= customers
    assert (items.loc[orders["item_id"], "brand_id"].to_numpy() == orders["brand_id"]).all()
    with_item = events.dropna(subset=["item_id"])
    assert (items.loc[with_item["item_id"], "brand_id"].to_numpy() == with_item["brand_id"]).all()
    assert set(items["release_id"]) == set(site.releases["release_id"])
    assert set(site.items["brand_id"]) <= set(site.brands["brand_id"])
    camp = site.campaigns.merge(site.releases, on="release_id", suffixes=("", "_r"))
    assert (camp["brand_id"] == camp["brand_id_r"]).all()
    assert (camp["release_date"] == camp["release_date_r"]).all()
    assert set(mail["campaign_id"]) <= set(site.campaigns["campaign_id"])
    sent = mail.groupby("campaign_id").size()
    assert (site.campaigns.set_index("campaign_id")["n_sent"] == sent).all()
    m = mail.merge(site.campaigns, on="campaign_id", suffixes=("", "_c"))
    assert (m["brand_id"] == m["brand_id_c"]).all() and (m["send_date"] == m["send_date_c"]).all()
    assert mail.duplicated(["campaign_id", "customer_id"]).sum() == 0
    # Item ids are unique and every release's items share its brand and date.
    assert items.index.is_unique
    rel = site.items.merge(site.releases, on="release_id", suffixes=("", "_r"))
    assert (rel["brand_id"] == rel["brand_id_r"]).all()
    assert (rel["release_date"] == rel["release_date_r"]).all()
    counts = site.items.groupby("release_id").size()
    assert (site.releases.set_index("release_id")["n_items"] == counts).all()


def test_time_is_consistent(site):
    today = site.today
    signup = site.customers.set_index("customer_id")["signup_date"]
    dated = [("orders", "order_date"), ("events", "timestamp"), ("mail_log", "send_date")]
    for table, column in dated:
        df = getattr(site, table)
        assert (df[column] < today).all(), table
        assert (df[column].dt.normalize() >= signup.loc[df["customer_id"]].to_numpy()).all(), table
    assert (site.campaigns["send_date"] < today).all()
    released = site.items.set_index("item_id").loc[site.orders["item_id"], "release_date"]
    assert (site.orders["order_date"].to_numpy() >= released.to_numpy()).all()
    # Every brand releases every 4-6 weeks.
    for _, dates in site.releases.groupby("brand_id")["release_date"]:
        gaps = dates.sort_values().diff().dt.days.dropna()
        assert gaps.between(27, 43).all()


def test_orders_and_stock(site):
    orders, items = site.orders, site.items.set_index("item_id")
    assert site.orders["order_id"].is_unique
    assert (orders["quantity"] >= 1).all()
    assert (orders["price"] <= items.loc[orders["item_id"], "price"].to_numpy()).all()
    assert (orders["price"] > 0).all()
    sold = orders.groupby("item_id")["quantity"].sum().reindex(items.index, fill_value=0)
    assert (sold <= items["stock"]).all()
    out = items["sold_out_date"].notna()
    assert (sold[out] == items.loc[out, "stock"]).all()
    assert out.any()


def test_upcoming_season(site):
    up = site.upcoming_releases
    assert (up["release_date"] > site.today).all()
    assert (up["release_date"] <= site.today + pd.Timedelta(days=90)).all()
    per_brand = up.groupby("brand_id").size().reindex(site.brands["brand_id"], fill_value=0)
    assert (per_brand >= 1).all() and per_brand.between(2, 3).mean() > 0.8
    past = site.releases[site.releases["release_date"] < site.today]
    assert set(past["release_id"]) == set(site.campaigns["release_id"])
    assert len(past) + len(up) == len(site.releases)
    items = site.items[site.items["release_id"].isin(up["release_id"])]
    assert items["sold_out_date"].isna().all() and (items["stock"] > 0).all()


def test_mail_log_and_sessions_agree(site):
    mail, events = site.mail_log, site.events
    assert 0.015 < mail["accessed"].mean() < 0.035
    assert not (mail["purchased"] & ~mail["accessed"]).any()
    visits = events[(events["event"] == "visit") & (events["source"] == "mail")]
    assert len(visits) == mail["accessed"].sum()
    assert set(visits["customer_id"]) == set(mail.loc[mail["accessed"], "customer_id"])
    # Sessions never mix sources, and each has exactly one visit, at its start.
    per_session = events.assign(is_visit=events["event"] == "visit").groupby("session_id").agg(
        n_sources=("source", "nunique"), first=("event", "first"), visits=("is_visit", "sum"),
    )
    assert (per_session["n_sources"] == 1).all()
    assert (per_session["first"] == "visit").all() and (per_session["visits"] == 1).all()


def test_aisas_funnel_can_be_rebuilt(site):
    events = site.events
    assert set(events["source"].cat.categories) == {"mail", "search", "direct", "social"}
    assert set(events["event"].cat.categories) == {
        "visit", "view", "cart", "purchase", "sold_out", "post"
    }
    counts = events["event"].value_counts()
    attention = events[(events["event"] == "visit") & events["source"].isin(["mail", "social"])]
    searches = events[(events["event"] == "visit") & (events["source"] == "search")]
    assert len(attention) > 0 and len(searches) > 0
    assert counts["view"] > counts["purchase"] > counts["post"] > 0
    assert counts["purchase"] == len(site.orders)


def test_missed_release_is_visible(site):
    events, items = site.events, site.items.set_index("item_id")
    missed = events[events["event"] == "sold_out"]
    assert len(missed) > 0
    sold_out_at = items.loc[missed["item_id"].astype("int64"), "sold_out_date"].to_numpy()
    assert (missed["timestamp"].to_numpy() >= sold_out_at).all()
    views = events[events["event"] == "view"]
    late_views = views["timestamp"].to_numpy() > items.loc[
        views["item_id"].astype("int64"), "sold_out_date"
    ].to_numpy()
    assert late_views.sum() > 0
    # Brand-loyal customers are among those who miss a release.
    segment = pd.Series(site._truth.segment_names, index=site.customers["customer_id"])
    assert (segment.loc[missed["customer_id"]] == "brand_loyal").mean() > 0.3
    # Popular releases sell out on release day or soon after.
    popular = site.items.merge(site.releases[["release_id", "popular"]], on="release_id")
    popular = popular[popular["popular"] & (popular["release_date"] < site.today)]
    delay = (popular["sold_out_date"] - popular["release_date"]).dt.days
    assert popular["sold_out_date"].notna().mean() > 0.8
    assert delay.median() <= 2


# -- reproducibility -----------------------------------------------------------------------

TABLES = ["customers", "brands", "items", "orders", "events", "campaigns", "mail_log", "releases"]


def test_same_seed_same_data(site):
    _kept.cache_clear()  # generate it again, not a copy of the kept shop
    again = make_fashion_site(n_customers=N, seed=11)
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(site, table), getattr(again, table))


def test_asking_again_gives_an_independent_copy_of_the_same_shop():
    first = make_fashion_site(n_customers=500, seed=21)
    first.orders.loc[first.orders.index[0], "quantity"] = 99  # a learner edits a table
    first.customers["extra"] = 1
    first.send_mail(1, [1, 2, 3])
    first.oracle_recipients(1, 10)
    again = make_fashion_site(n_customers=500, seed=21)
    assert again is not first
    assert again.orders["quantity"].iloc[0] != 99 and "extra" not in again.customers
    assert len(again.sent_log) == 0 and again.oracle_calls == 0
    _kept.cache_clear()
    for table in TABLES:
        pd.testing.assert_frame_equal(
            getattr(again, table), getattr(make_fashion_site(n_customers=500, seed=21), table))


def test_the_kept_shop_cannot_be_written_through_a_copy():
    site = make_fashion_site(n_customers=500, seed=21)
    with pytest.raises(ValueError, match="read-only"):
        site._truth.affinity[0, 0] = 1.0


def test_other_seed_other_data(site):
    other = make_fashion_site(n_customers=N, seed=12)
    assert not other.orders.equals(site.orders)
    assert not other.mail_log["accessed"].equals(site.mail_log["accessed"])
    assert not other.brands["brand_name"].equals(site.brands["brand_name"])


def test_taste_drift_changes_tastes_but_not_the_catalogue():
    stable = make_fashion_site(n_customers=1_000, seed=3)
    drifting = make_fashion_site(n_customers=1_000, seed=3, taste_drift=0.8)
    pd.testing.assert_frame_equal(stable.releases, drifting.releases)
    pd.testing.assert_frame_equal(stable.customers, drifting.customers)
    assert not stable.orders.equals(drifting.orders)
    truth = drifting._truth
    assert truth.affinity_late is not None
    assert not np.allclose(truth.affinity_to(0, 0), truth.affinity_to(0, 300))


# -- the mail simulator ---------------------------------------------------------------------


def test_send_mail_returns_one_row_per_recipient_in_order(fresh):
    ids = np.array([5, 3, 400, 77])
    out = fresh.send_mail(brand_id=2, customer_ids=ids)
    assert list(out.columns) == ["customer_id", "accessed", "purchased", "unsubscribed"]
    assert out["customer_id"].tolist() == ids.tolist()
    for column in ["accessed", "purchased", "unsubscribed"]:
        assert out[column].dtype == bool
    assert not (out["purchased"] & ~out["accessed"]).any()


def test_send_mail_accepts_common_list_likes(site):
    ids = [10, 20, 30]
    expected = site.copy().send_mail(1, ids)
    for variant in (np.array(ids), pd.Series(ids), pd.Index(ids), tuple(ids),
                    pd.Series(ids, dtype="Int64"), np.array(ids, dtype=np.int32)):
        pd.testing.assert_frame_equal(site.copy().send_mail(1, variant), expected)


def test_send_mail_is_reproducible(site):
    ids = _top_buyers(site, 4, 300)
    calls = [(4, ids), (7, np.arange(1, 500)), (4, ids)]
    runs = []
    for s in (site.copy(), make_fashion_site(n_customers=N, seed=11)):
        runs.append([s.send_mail(b, c) for b, c in calls])
    for a, b in zip(*runs, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_outcome_does_not_depend_on_who_else_is_mailed(site):
    up = site.upcoming_releases.iloc[0]
    brand, release = int(up["brand_id"]), int(up["release_id"])
    common = np.arange(100, 400)
    a = site.copy().send_mail(brand, np.r_[common, np.arange(1000, 1500)], release_id=release)
    b = site.copy().send_mail(brand, np.r_[np.arange(2000, 2100), common[::-1]], release_id=release)
    a = a.set_index("customer_id").loc[common]
    b = b.set_index("customer_id").loc[common]
    pd.testing.assert_frame_equal(a, b)


def test_next_release_is_the_default(site):
    for brand in (1, 5):
        up = site.upcoming_releases
        first = up[up["brand_id"] == brand].sort_values("release_date")["release_id"].iloc[0]
        ids = np.arange(1, 800)
        explicit = site.copy().send_mail(brand, ids, release_id=int(first))
        pd.testing.assert_frame_equal(site.copy().send_mail(brand, ids), explicit)


def test_targeting_beats_random(site):
    brand = 3
    ids = _top_buyers(site, brand, 300)
    random_ids = np.random.default_rng(0).choice(np.arange(1, N + 1), 300, replace=False)
    targeted = site.copy().send_mail(brand, ids)["accessed"].mean()
    random = site.copy().send_mail(brand, random_ids)["accessed"].mean()
    assert targeted > 2 * random


def test_fatigue_lowers_access_when_mailing_the_same_people(site):
    s = site.copy()
    ids = _top_buyers(site, 6, 300)
    rates = [s.send_mail(6, ids)["accessed"].mean() for _ in range(8)]
    assert rates[-1] < 0.6 * rates[0]
    assert np.mean(rates[4:]) < np.mean(rates[:4])
    # Mails count towards fatigue across brands too.
    t = site.copy()
    base = site.copy().send_mail(6, ids)["accessed"].mean()
    for brand in (1, 2, 3, 4, 5):
        t.send_mail(brand, ids)
    assert t.send_mail(6, ids)["accessed"].mean() < base


def test_over_mailing_unsubscribes_and_unsubscribed_never_access(site):
    s = site.copy()
    ids = np.arange(1, 1001)
    first = s.send_mail(1, ids)
    assert first["unsubscribed"].mean() < 0.02
    for _ in range(10):
        last = s.send_mail(1, ids)
    assert last["unsubscribed"].mean() > 0.05
    gone = last.loc[last["unsubscribed"], "customer_id"]
    after = s.send_mail(2, gone)
    assert after["unsubscribed"].all() and not after["accessed"].any()
    assert not after["purchased"].any()
    # The log keeps every mail sent through the simulator.
    assert len(s.sent_log) == 12 * 1000 - 1000 + len(gone)
    assert list(s.sent_log.columns) == [
        "release_id", "brand_id", "customer_id", "accessed", "purchased", "unsubscribed"
    ]


def test_reset_and_copy_restore_a_clean_simulator(site):
    ids = _top_buyers(site, 2, 200)
    clean = site.copy().send_mail(2, ids)
    s = site.copy()
    for _ in range(6):
        s.send_mail(2, ids)
    tired = s.copy()
    assert not s.send_mail(2, ids).equals(clean)
    s.reset_mailing()
    assert len(s.sent_log) == 0
    pd.testing.assert_frame_equal(s.send_mail(2, ids), clean)
    # A copy carries the state it was made with, and is independent afterwards.
    assert len(tired.sent_log) == 6 * len(ids)
    tired.customers["extra"] = 1
    assert "extra" not in site.customers.columns


def test_oracle_counts_calls_and_beats_targeting(site):
    s = site.copy()
    assert make_fashion_site(n_customers=500, seed=2).oracle_calls == 0
    calls = s.oracle_calls
    s.send_mail(3, [1, 2, 3])
    assert s.oracle_calls == calls
    top = s.oracle_recipients(3, 300)
    assert s.oracle_calls == calls + 1
    assert len(top) == 300 and len(set(top)) == 300
    assert set(top) <= set(site.customers["customer_id"])
    # By construction the oracle's list has the highest true access probability.
    release = int(site.upcoming_releases.query("brand_id == 3")["release_id"].iloc[0]) - 1
    p = site.copy()._true_access_probability(release)
    assert p[top - 1].min() >= np.delete(p, top - 1).max()
    assert p[top - 1].mean() > p[_top_buyers(site, 3, 300) - 1].mean()
    oracle = site.copy().send_mail(3, top)["accessed"].mean()
    random = site.copy().send_mail(3, np.arange(1, 301))["accessed"].mean()
    assert oracle > 2 * random
    assert s.copy().oracle_calls == calls + 1


# -- bad input -------------------------------------------------------------------------------

MAKE_BAD = [
    ({"n_customers": -5}, ValueError, "n_customers"),
    ({"n_customers": 0}, ValueError, "n_customers"),
    ({"n_customers": 1_000.5}, TypeError, "n_customers"),
    ({"n_customers": "1000"}, TypeError, "n_customers"),
    ({"n_customers": True}, TypeError, "n_customers"),
    ({"n_brands": 1}, ValueError, "n_brands"),
    ({"n_brands": 3.0}, TypeError, "n_brands"),
    ({"n_days": 10}, ValueError, "n_days"),
    ({"n_days": None}, TypeError, "n_days"),
    ({"start": "not a date"}, ValueError, "start"),
    ({"start": 20250101}, TypeError, "start"),
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"taste_drift": 2}, ValueError, "taste_drift"),
    ({"taste_drift": "some"}, TypeError, "taste_drift"),
]


@pytest.mark.parametrize(("kwargs", "error", "name"), MAKE_BAD)
def test_make_fashion_site_rejects_bad_parameters(kwargs, error, name):
    with pytest.raises(error, match=name):
        make_fashion_site(**{"n_customers": 200, **kwargs})


def test_send_mail_rejects_bad_input(site):
    past = int(site.campaigns["release_id"].iloc[0])
    up = site.upcoming_releases
    other_brand = int(up.loc[up["brand_id"] != 1, "release_id"].iloc[0])
    cases = [
        ({"brand_id": 99}, ValueError, "brand_id"),
        ({"brand_id": 0}, ValueError, "brand_id"),
        ({"brand_id": "1"}, TypeError, "brand_id"),
        ({"brand_id": 1.0}, TypeError, "brand_id"),
        ({"release_id": other_brand}, ValueError, "release_id"),
        ({"release_id": 10**6}, ValueError, "release_id"),
        ({"release_id": "3"}, TypeError, "release_id"),
        ({"customer_ids": []}, ValueError, "customer_ids"),
        ({"customer_ids": [1, 2, 2]}, ValueError, "customer_ids"),
        ({"customer_ids": [0, 1]}, ValueError, "customer_ids"),
        ({"customer_ids": [N + 1]}, ValueError, "customer_ids"),
        ({"customer_ids": 5}, TypeError, "customer_ids"),
        ({"customer_ids": "1,2"}, TypeError, "customer_ids"),
        ({"customer_ids": [1.0, 2.0]}, TypeError, "customer_ids"),
        ({"customer_ids": [[1, 2]]}, ValueError, "customer_ids"),
        ({"customer_ids": pd.Series([1, None], dtype="Int64")}, ValueError, "customer_ids"),
        ({"customer_ids": [True, False]}, TypeError, "customer_ids"),
    ]
    s = site.copy()
    for override, error, name in cases:
        kwargs = {"brand_id": 1, "customer_ids": [1, 2, 3], "release_id": None, **override}
        with pytest.raises(error, match=name):
            s.send_mail(**kwargs)
    with pytest.raises(ValueError, match="release_id.*past"):
        brand = int(site.campaigns["brand_id"].iloc[0])
        s.send_mail(brand, [1, 2], release_id=past)
    assert len(s.sent_log) == 0  # nothing was sent by a failed call


def test_oracle_rejects_bad_input(site):
    s = site.copy()
    for k, error in [(0, ValueError), (N + 1, ValueError), ("5", TypeError), (2.5, TypeError)]:
        with pytest.raises(error, match="k"):
            s.oracle_recipients(1, k)
    with pytest.raises(ValueError, match="brand_id"):
        s.oracle_recipients(50, 10)
    assert s.oracle_calls == 0


@pytest.mark.parametrize(
    "kwargs", [{"n_brands": 2}, {"n_brands": 40}, {"n_days": 60}, {"start": "2024-02-29"}]
)
def test_edge_sizes_still_make_a_coherent_site(kwargs):
    s = make_fashion_site(n_customers=300, seed=5, **kwargs)
    assert np.isfinite(s._truth.affinity).all()
    assert len(s.orders) > 0 and len(s.mail_log) > 0
    assert set(s.upcoming_releases["brand_id"]) == set(s.brands["brand_id"])
    assert (s.events["timestamp"] < s.today).all()
    s.send_mail(1, s.customers["customer_id"])
