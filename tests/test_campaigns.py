"""course.campaigns: a season of release mails through the simulator, and its summary."""

import numpy as np
import pandas as pd
import pytest

from course.campaigns import compare_seasons, random_lists_like, run_season, season_summary
from course.metrics import access_rate_ci
from course.world import make_fashion_site


@pytest.fixture(scope="module")
def site():
    return make_fashion_site(n_customers=3_000, seed=5)


def _top_buyers(site, brand_id, n=150):
    orders = site.orders[site.orders["brand_id"] == brand_id]
    return orders["customer_id"].value_counts().index[:n].to_numpy()


@pytest.fixture(scope="module")
def lists(site):
    return {
        int(r.release_id): _top_buyers(site, int(r.brand_id))
        for r in site.upcoming_releases.itertuples()
    }


def test_one_row_per_mailed_release_in_date_order(site, lists):
    per_release = run_season(site, lists)
    assert len(per_release) == len(site.upcoming_releases)
    assert per_release["release_date"].is_monotonic_increasing
    assert set(per_release["release_id"]) == set(lists)
    assert (per_release["mails"] == [len(lists[r]) for r in per_release["release_id"]]).all()
    assert (per_release["accesses"] >= per_release["orders"]).all()
    row = per_release.iloc[0]
    low, high = access_rate_ci(int(row["accesses"]), int(row["mails"]))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    assert row["access_rate"] == pytest.approx(row["accesses"] / row["mails"])


def test_the_callers_site_is_never_mailed(site, lists):
    run_season(site, lists)
    assert len(site.sent_log) == 0


def test_a_function_gives_the_same_season_as_a_dict(site, lists):
    by_dict = run_season(site, lists)
    by_function = run_season(site, lambda brand_id, release_id: lists[release_id])
    pd.testing.assert_frame_equal(by_dict, by_function)


def test_releases_without_a_list_are_not_mailed(site, lists):
    first, second, *_ = sorted(lists)
    per_release = run_season(site, {first: lists[first], second: []})
    assert per_release["release_id"].tolist() == [first]


def test_the_same_result_as_mailing_by_hand_on_a_copy(site, lists):
    first = min(lists)
    brand = int(site.upcoming_releases.set_index("release_id").loc[first, "brand_id"])
    by_hand = site.copy().send_mail(brand, lists[first], release_id=first)
    row = run_season(site, {first: lists[first]}).iloc[0]
    assert row["accesses"] == by_hand["accessed"].sum()
    assert row["orders"] == by_hand["purchased"].sum()


def test_later_releases_pay_the_fatigue_of_earlier_mails(site):
    upcoming = site.upcoming_releases.sort_values("release_date")
    a, b = upcoming.iloc[0], upcoming.iloc[1]
    everyone = site.customers["customer_id"].to_numpy()[:2_000]
    both = run_season(site, {int(a.release_id): everyone, int(b.release_id): everyone})
    alone = run_season(site, {int(b.release_id): everyone})
    assert both.iloc[1]["accesses"] < alone.iloc[0]["accesses"]


def test_unsubscribes_are_counted_once(site):
    upcoming = site.upcoming_releases.sort_values("release_date")
    everyone = site.customers["customer_id"].to_numpy()
    lists = {int(r): everyone for r in upcoming["release_id"][:8]}
    per_release = run_season(site, lists)
    assert per_release["unsubscribed"].sum() <= len(everyone)
    mailer = site.copy()
    for r in upcoming.iloc[:8].itertuples():
        result = mailer.send_mail(int(r.brand_id), everyone, release_id=int(r.release_id))
    assert per_release["unsubscribed"].sum() == result["unsubscribed"].sum()


def test_summary_pools_the_season(site, lists):
    per_release = run_season(site, lists)
    summary = season_summary(per_release)
    assert summary["mails"] == per_release["mails"].sum()
    assert summary["releases"] == len(per_release)
    assert summary["brands"] == len(site.brands)
    assert summary["access_rate"] == pytest.approx(summary["accesses"] / summary["mails"])
    low, high = access_rate_ci(int(summary["accesses"]), int(summary["mails"]))
    assert (summary["ci_low"], summary["ci_high"]) == pytest.approx((low, high))


def test_compare_seasons_has_one_row_per_name(site, lists):
    table = compare_seasons({
        "random": run_season(site, random_lists_like(site, lists, seed=1)),
        "top buyers": run_season(site, lists),
    })
    assert table.index.tolist() == ["random", "top buyers"]
    assert table["mails"].dtype == "int64"
    assert table.loc["top buyers", "access_rate"] > 2 * table.loc["random", "access_rate"]


def test_random_lists_match_sizes_and_are_reproducible(site, lists):
    drawn = random_lists_like(site, lists, seed=3)
    assert drawn.keys() == lists.keys()
    for release_id, ids in drawn.items():
        assert len(ids) == len(lists[release_id]) == len(np.unique(ids))
        assert np.isin(ids, site.customers["customer_id"]).all()
    again = random_lists_like(site, lists, seed=3)
    other = random_lists_like(site, lists, seed=4)
    first = min(lists)
    assert (again[first] == drawn[first]).all()
    assert not (other[first] == drawn[first]).all()


def test_bad_arguments_name_the_parameter(site, lists):
    with pytest.raises(ValueError, match="lists"):
        run_season(site, {1: [1, 2, 3]})  # release 1 is in the past
    with pytest.raises(TypeError, match="lists"):
        run_season(site, [1, 2, 3])
    with pytest.raises(TypeError, match="site"):
        run_season("shop", lists)
    with pytest.raises(ValueError, match="seed"):
        random_lists_like(site, lists, seed=-1)
    with pytest.raises(ValueError, match="per_release"):
        season_summary(pd.DataFrame({"mails": [1]}))
    with pytest.raises(TypeError, match="seasons"):
        compare_seasons({})
