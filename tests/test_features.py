"""Mail-response features: one row per mail, only what was known at send time."""

import time

import numpy as np
import pandas as pd
import pytest

from course.features import (
    FEATURES,
    mail_training_table,
    recipient_features,
    split_by_send_date,
    top_share_access_rate,
)
from course.world import FashionSite, make_fashion_site

N = 3_000
ID_COLUMNS = ["campaign_id", "customer_id", "brand_id", "send_date"]


@pytest.fixture(scope="module")
def site() -> FashionSite:
    return make_fashion_site(n_customers=N, seed=5)


@pytest.fixture(scope="module")
def table(site) -> pd.DataFrame:
    return mail_training_table(site)


def _campaign(site: FashionSite, position: int) -> pd.Series:
    return site.campaigns.iloc[position]


# -- shape and content --------------------------------------------------------------------


def test_one_row_per_mail_with_ids_features_and_label(site, table):
    assert list(table.columns) == [*ID_COLUMNS, *FEATURES, "accessed"]
    assert len(table) == len(site.mail_log)
    log = site.mail_log.sort_values(["campaign_id", "customer_id"]).reset_index(drop=True)
    mine = table.sort_values(["campaign_id", "customer_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine[[*ID_COLUMNS, "accessed"]], log[[*ID_COLUMNS, "accessed"]])
    assert not table[FEATURES].isna().any().any()
    assert (table[FEATURES] >= 0).all().all()


def test_build_is_deterministic_and_a_subset_matches_the_full_table(site, table):
    again = mail_training_table(make_fashion_site(n_customers=N, seed=5))
    pd.testing.assert_frame_equal(table, again)
    chosen = site.campaigns["campaign_id"].iloc[[3, 40, 41]].tolist()
    part = mail_training_table(site, campaigns=chosen)
    expected = table[table["campaign_id"].isin(chosen)].reset_index(drop=True)
    pd.testing.assert_frame_equal(part, expected)


def test_purchase_counts_match_a_plain_pandas_count(site, table):
    rows = table.sample(300, random_state=0)
    orders = site.orders
    for row in rows.itertuples():
        before = orders[(orders["customer_id"] == row.customer_id)
                        & (orders["order_date"] < row.send_date)]
        assert row.orders == len(before)
        assert row.brand_orders == (before["brand_id"] == row.brand_id).sum()


def test_mail_history_counts_only_mails_whose_outcome_was_known(site, table):
    log = site.mail_log
    rows = table[table["mails"] > 0].sample(300, random_state=1)
    for row in rows.itertuples():
        mine = log[log["customer_id"] == row.customer_id]
        known = mine[mine["send_date"] <= row.send_date - pd.Timedelta(days=3)]
        recent = mine[(mine["send_date"] < row.send_date)
                      & (mine["send_date"] >= row.send_date - pd.Timedelta(days=28))]
        assert row.mails == len(known)
        assert row.accesses == known["accessed"].sum()
        assert row.mails_28d == len(recent)


# -- no leakage -----------------------------------------------------------------------------


def test_a_campaigns_own_outcome_never_changes_its_features(site, table):
    campaign = _campaign(site, 60)
    changed = site.copy()
    own = changed.mail_log["campaign_id"] == campaign["campaign_id"]
    changed.mail_log = changed.mail_log.assign(accessed=changed.mail_log["accessed"] ^ own)
    window = site.campaigns["send_date"].between(
        campaign["send_date"], campaign["send_date"] + pd.Timedelta(days=3)
    )
    ids = site.campaigns.loc[window, "campaign_id"].tolist()
    rebuilt = mail_training_table(changed, campaigns=ids)
    before = table[table["campaign_id"].isin(ids)].reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt[FEATURES], before[FEATURES])
    assert (rebuilt["accessed"] != before["accessed"]).any()  # the label did change


def test_nothing_on_or_after_the_send_date_changes_the_features(site, table):
    campaign = _campaign(site, 80)
    sent = campaign["send_date"]
    future = site.copy()
    future.orders = site.orders[site.orders["order_date"] < sent]
    future.events = site.events[site.events["timestamp"] < sent]
    log = site.mail_log
    open_window = log["send_date"] > sent - pd.Timedelta(days=3)
    future.mail_log = log.assign(accessed=log["accessed"] ^ open_window)
    rebuilt = mail_training_table(future, campaigns=[campaign["campaign_id"]])
    before = table[table["campaign_id"] == campaign["campaign_id"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt[FEATURES], before[FEATURES])


# -- scoring an upcoming release --------------------------------------------------------------


def test_recipient_features_cover_every_customer_with_the_whole_history(site):
    brand = int(site.upcoming_releases["brand_id"].iloc[0])
    features = recipient_features(site, brand)
    assert list(features.columns) == ["customer_id", *FEATURES]
    assert features["customer_id"].tolist() == site.customers["customer_id"].tolist()
    bought = site.orders[site.orders["brand_id"] == brand].groupby("customer_id").size()
    expected = bought.reindex(features["customer_id"], fill_value=0).to_numpy()
    np.testing.assert_array_equal(features["brand_orders"].to_numpy(), expected)
    assert not features[FEATURES].isna().any().any()


def test_recipient_features_follow_the_mails_sent_through_the_simulator(site):
    fresh = site.copy()
    upcoming = fresh.upcoming_releases
    first = upcoming.iloc[0]
    later = upcoming[upcoming["release_date"] >= first["release_date"] + pd.Timedelta(days=3)]
    later = later[later["release_date"] < first["release_date"] + pd.Timedelta(days=28)].iloc[0]
    before = recipient_features(fresh, int(later["brand_id"]), int(later["release_id"]))
    ids = np.arange(1, 201)
    fresh.send_mail(int(first["brand_id"]), ids, release_id=int(first["release_id"]))
    after = recipient_features(fresh, int(later["brand_id"]), int(later["release_id"]))
    mailed = after["customer_id"].isin(ids)
    assert ((after["mails"] - before["mails"])[mailed] == 1).all()
    assert ((after["mails_28d"] - before["mails_28d"])[mailed] == 1).all()
    pd.testing.assert_frame_equal(after[~mailed], before[~mailed])
    # the unmailed copy of the site is untouched
    pd.testing.assert_frame_equal(
        recipient_features(site, int(later["brand_id"]), int(later["release_id"])), before
    )


def test_bad_arguments_name_the_parameter(site):
    upcoming = site.upcoming_releases.iloc[0]
    other_brand = int(upcoming["brand_id"]) % len(site.brands) + 1
    with pytest.raises(ValueError, match="brand_id"):
        recipient_features(site, 999)
    with pytest.raises(TypeError, match="brand_id"):
        recipient_features(site, "1")
    with pytest.raises(ValueError, match="release_id"):
        recipient_features(site, other_brand, int(upcoming["release_id"]))
    with pytest.raises(ValueError, match="release_id"):
        recipient_features(site, int(upcoming["brand_id"]), 1)  # a past release
    with pytest.raises(ValueError, match="campaigns"):
        mail_training_table(site, campaigns=[10_000])
    with pytest.raises(ValueError, match="campaigns"):
        mail_training_table(site, campaigns=[])
    with pytest.raises(TypeError, match="campaigns"):
        mail_training_table(site, campaigns="1")
    with pytest.raises(TypeError, match="site"):
        mail_training_table(site.mail_log)


# -- evaluation helper -----------------------------------------------------------------------


def test_top_share_access_rate_takes_the_best_of_each_campaign():
    table = pd.DataFrame({
        "campaign_id": [1, 1, 1, 1, 2, 2],
        "accessed": [True, False, False, False, False, True],
    })
    # top half of campaign 1 by score: rows 1 and 0; of campaign 2: row 5
    scores = [0.8, 0.9, 0.1, 0.2, 0.0, 0.5]
    assert top_share_access_rate(table, scores, share=0.5) == pytest.approx(2 / 3)
    assert top_share_access_rate(table, scores, share=1.0) == pytest.approx(2 / 6)
    with pytest.raises(ValueError, match="scores"):
        top_share_access_rate(table, scores[:-1])
    with pytest.raises(ValueError, match="share"):
        top_share_access_rate(table, scores, share=0)


def test_default_size_builds_in_a_few_seconds():
    big = make_fashion_site(n_customers=20_000, seed=0)
    start = time.perf_counter()
    table = mail_training_table(big)
    assert time.perf_counter() - start < 8.0
    assert len(table) == len(big.mail_log)


def test_split_by_send_date_leaves_a_gap_for_the_access_window(table):
    cutoff = table["send_date"].median() + pd.Timedelta(days=1)  # a campaign sent the day before
    train, test = split_by_send_date(table, cutoff)
    assert train["send_date"].max() <= cutoff - pd.Timedelta(days=3)
    assert test["send_date"].min() >= cutoff
    assert len(train) + len(test) < len(table)  # mails whose outcome was still open
    with pytest.raises(ValueError, match="cutoff"):
        split_by_send_date(table, table["send_date"].max() + pd.Timedelta(days=1))
