"""course.personalisation: season features, the step 2 rule, the lift CI, stale features."""

import doctest
import math

import numpy as np
import pandas as pd
import pytest

import course.personalisation as personalisation
from course.features import FEATURES, mail_training_table, recipient_features
from course.metrics import two_proportion_test
from course.personalisation import features_as_of, lift_ci, rule_ranking, upcoming_features
from course.world import make_fashion_site


@pytest.fixture(scope="module")
def site():
    return make_fashion_site(n_customers=2_000, seed=4)


@pytest.fixture(scope="module")
def table(site):
    return mail_training_table(site)


def test_doctests():
    assert doctest.testmod(personalisation).failed == 0


# -- upcoming_features -------------------------------------------------------------------


def test_upcoming_features_has_one_table_per_release_in_date_order(site):
    tables = upcoming_features(site)
    upcoming = site.upcoming_releases.sort_values(["release_date", "release_id"])
    assert list(tables) == upcoming["release_id"].tolist()
    for release in upcoming.itertuples():
        expected = recipient_features(site, int(release.brand_id), int(release.release_id))
        pd.testing.assert_frame_equal(tables[int(release.release_id)], expected)


def test_upcoming_features_follow_the_mails_sent_so_far(site):
    mailed = site.copy()
    first = mailed.upcoming_releases.iloc[0]
    mailed.send_mail(int(first["brand_id"]), list(range(1, 301)))
    later = mailed.upcoming_releases.iloc[-1]
    table = upcoming_features(mailed)[int(later["release_id"])]
    pd.testing.assert_frame_equal(
        table, recipient_features(mailed, int(later["brand_id"]), int(later["release_id"])))
    before = upcoming_features(site)[int(later["release_id"])]
    assert (table["mails"].head(300) >= before["mails"].head(300)).all()
    assert (table["mails"].head(300) > before["mails"].head(300)).any()


def test_upcoming_features_rejects_a_non_site():
    with pytest.raises(TypeError, match="site"):
        upcoming_features("shop")


# -- rule_ranking -------------------------------------------------------------------------


def test_rule_ranking_orders_by_count_then_recency_then_id():
    day = pd.Timestamp("2025-03-01")
    orders = pd.DataFrame({
        "customer_id": [1, 2, 2, 3, 3, 4, 5, 6],
        "brand_id": [7, 7, 7, 7, 7, 7, 7, 8],
        "order_date": [day, day, day, day, day + pd.Timedelta(days=2), day, day, day],
    })
    # 3 and 2 bought twice (3 more recently); 1, 4 and 5 once on the same day; 6 another brand.
    assert rule_ranking(orders, 7).tolist() == [3, 2, 1, 4, 5]
    assert rule_ranking(orders, 9).tolist() == []


def test_rule_ranking_matches_a_count_on_the_shop(site):
    ranking = rule_ranking(site.orders, 2)
    counts = site.orders.loc[site.orders["brand_id"] == 2, "customer_id"].value_counts()
    assert sorted(ranking.tolist()) == sorted(counts.index.tolist())
    assert (np.diff(counts.loc[ranking].to_numpy()) <= 0).all()


def test_rule_ranking_bad_arguments_name_the_parameter(site):
    with pytest.raises(TypeError, match="orders"):
        rule_ranking(site.customers, 1)
    with pytest.raises(TypeError, match="brand_id"):
        rule_ranking(site.orders, "1")


# -- lift_ci ------------------------------------------------------------------------------


def test_lift_ci_contains_the_lift_and_narrows_with_more_mails():
    low, high = lift_ci(150, 1_000, 100, 1_000)
    assert low < 0.5 < high
    low_big, high_big = lift_ci(15_000, 100_000, 10_000, 100_000)
    assert low < low_big < 0.5 < high_big < high


def test_lift_ci_agrees_with_the_two_proportion_test():
    # An interval that excludes 0 goes with a small p-value, and the other way round.
    for x1, x2 in ((130, 100), (112, 100), (160, 100)):
        low, high = lift_ci(x1, 1_000, x2, 1_000)
        p = two_proportion_test(x1, 1_000, x2, 1_000).p_value
        assert (low > 0) == (p < 0.05)


def test_lift_ci_level_and_edge_cases():
    narrow = lift_ci(150, 1_000, 100, 1_000, level=0.5)
    wide = lift_ci(150, 1_000, 100, 1_000, level=0.99)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]
    low, high = lift_ci(0, 500, 20, 500)
    assert -1 <= low < high < 0 and math.isfinite(high)
    with pytest.raises(ValueError, match="control_accesses"):
        lift_ci(5, 100, 0, 100)
    with pytest.raises(ValueError, match="treatment_mails"):
        lift_ci(0, 0, 5, 100)
    with pytest.raises(ValueError, match="control_accesses"):
        lift_ci(5, 100, 200, 100)
    with pytest.raises(TypeError, match="treatment_accesses"):
        lift_ci(5.5, 100, 5, 100)
    with pytest.raises(ValueError, match="level"):
        lift_ci(5, 100, 5, 100, level=95)


# -- features_as_of -----------------------------------------------------------------------


def test_features_as_of_the_send_date_are_the_training_features(site, table):
    campaign = site.campaigns.iloc[70]
    mails = table[table["campaign_id"] == campaign["campaign_id"]]
    same = features_as_of(site, mails, campaign["send_date"])
    pd.testing.assert_frame_equal(same.reset_index(drop=True), mails.reset_index(drop=True))


def test_features_as_of_an_earlier_day_ignore_what_came_later(site, table):
    as_of = site.campaigns["send_date"].iloc[40]
    later = table[table["send_date"] >= as_of + pd.Timedelta(days=60)].sample(
        2_000, random_state=1)
    stale = features_as_of(site, later, as_of)
    assert list(stale.columns) == list(table.columns)
    pd.testing.assert_frame_equal(
        stale[["campaign_id", "customer_id", "brand_id", "send_date", "accessed"]],
        later[["campaign_id", "customer_id", "brand_id", "send_date", "accessed"]])
    # Purchases of the mailed brand as counted on `as_of`, whatever the send date.
    orders = site.orders[site.orders["order_date"] < as_of]
    counts = orders.groupby(["customer_id", "brand_id"]).size()
    keys = pd.MultiIndex.from_frame(later[["customer_id", "brand_id"]])
    expected = counts.reindex(keys, fill_value=0).to_numpy()
    assert (stale["brand_orders"].to_numpy() == expected).all()
    assert (stale["brand_orders"].to_numpy() <= later["brand_orders"].to_numpy()).all()
    assert (stale["mails"].to_numpy() <= later["mails"].to_numpy()).all()
    assert not (stale[FEATURES].to_numpy() == later[FEATURES].to_numpy()).all()


def test_features_as_of_leave_the_site_untouched(site, table):
    before = (len(site.campaigns), len(site.mail_log), len(site.sent_log))
    features_as_of(site, table.tail(50), table["send_date"].iloc[-1])
    assert (len(site.campaigns), len(site.mail_log), len(site.sent_log)) == before


def test_features_as_of_bad_arguments(site, table):
    with pytest.raises(TypeError, match="site"):
        features_as_of(None, table, "2025-03-01")
    with pytest.raises(TypeError, match="mails"):
        features_as_of(site, table[["customer_id"]], "2025-03-01")
    with pytest.raises(ValueError, match="empty"):
        features_as_of(site, table.head(0), "2025-03-01")
    with pytest.raises(ValueError, match="as_of"):
        features_as_of(site, table.head(50), table["send_date"].max())
