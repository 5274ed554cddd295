"""Wrong and right answers of Part 3, Starting (01 certain cost, 02 step 1, 03 step 2)."""

from catalogue import Right, Wrong

_UNC = "UNCERTAINTY_OF = {{'A': {A}, 'B': {B}, 'C': {C}, 'D': {D}, 'E': {E}}}\n"


def _unc(by_hand="{3, 4}", **changes):
    values = {"A": 1, "B": 3, "C": 2, "D": 4, "E": 3, **changes}
    return _UNC.format(**values) + f"ANSWERED_BY_HAND = {by_hand}\n"


# certain_cost: the pieces a learner writes with bare numbers
_COST_HEAD = ("def certain_cost(plan):\n"
              "    months = plan['build_months']\n"
              "    people = plan['team_size'] * plan['hours_per_person_per_month'] "
              "* plan['yen_per_hour']\n"
              "    machine = plan['training_machine_yen_per_day']\n")

# payback: net_monthly_gain variants with the solution's payback_months_for
_PAYBACK = ("def payback_months_for(plan):\n"
            "    net = net_monthly_gain(plan).per_month()\n"
            "    if net <= 0:\n"
            "        return math.inf\n"
            "    return certain_cost(plan).yen / net\n")
_GAIN_HEAD = ("def net_monthly_gain(plan):\n"
              "    gain_day = plan['extra_orders_per_day'] * plan['margin_yen_per_order']\n"
              "    serving_day = plan['serving_machine_yen_per_day']\n"
              "    upkeep_month = plan['upkeep_hours_per_month'] * plan['yen_per_hour']\n"
              "    dpm = 365 / 12\n")

# expected_net_value variants
_ENV_HEAD = ("def expected_net_value(plan, chances, horizon_months):\n"
             "    p = math.prod(chances.values())\n"
             "    net = net_monthly_gain(plan)\n"
             "    cost = certain_cost(plan)\n"
             "    live = max(0, horizon_months - plan['build_months'])\n")

# testing_first variants
_TEST_HEAD = ("def expected_value_testing_first(plan, chances, horizon_months, test_cost):\n"
              "    p_test = chances['customers_benefit'] * chances['business_benefits']\n"
              "    p_model = chances['model_can_be_built'] * chances['accurate_enough']\n"
              "    live = max(0, horizon_months - plan['build_months'])\n"
              "    live_gain = net_monthly_gain(plan).over(live, 'month')\n"
              "    cost = certain_cost(plan)\n"
              "    build = live_gain * p_model - cost\n")

CASES = {
    # ---------------------------------------------------------------- 01
    "uncertainties": [
        Wrong("the interview counted as the business (E→4)", _unc(E=4), "wrong uncertainty"),
        Wrong("training a quick model read as 'can one be built' (C→1)", _unc(C=1),
              "wrong uncertainty"),
        Wrong("the access rate of a hand-picked list read as accuracy (B→2)", _unc(B=2),
              "wrong uncertainty"),
        Wrong("checking the labels needs no model, so 1 is answered by hand",
              _unc(by_hand="{1, 3, 4}"), "about the model itself"),
        Wrong("only the customer side (3) is answered by hand", _unc(by_hand="{3}"),
              "misses an uncertainty"),
        Wrong("uncertainties as strings", _unc(by_hand="{'3', '4'}"), "numbers 1 to 4"),
        Right("a list, built with zip",
              "UNCERTAINTY_OF = dict(zip('ABCDE', [1, 3, 2, 4, 3]))\n"
              "ANSWERED_BY_HAND = [4, 3]\n"),
        Right("a frozenset from a range",
              "UNCERTAINTY_OF = {'E': 3, 'D': 4, 'C': 2, 'B': 3, 'A': 1}\n"
              "ANSWERED_BY_HAND = frozenset(range(3, 5))\n"),
    ],
    "certain_cost": [
        Wrong("people only, no training machine",
              _COST_HEAD + "    return Money(people * months)\n", "not the machines"),
        Wrong("machine per day multiplied by months",
              _COST_HEAD + "    return Money(people * months + machine * months)\n",
              "priced per day"),
        Wrong("30-day months",
              _COST_HEAD + "    return Money(people * months + machine * 30 * months)\n",
              "30-day months"),
        Wrong("forgets team_size",
              "def certain_cost(plan):\n"
              "    months = plan['build_months']\n"
              "    people = staff_cost(plan['hours_per_person_per_month'], plan['yen_per_hour'],"
              " per='month')\n"
              "    machine = Rate(plan['training_machine_yen_per_day'], per='day')\n"
              "    return people.over(months, 'month') + machine.over(months, 'month')\n",
              "every person"),
        Wrong("one month only",
              "def certain_cost(plan):\n"
              "    team = plan['team_size'] * plan['hours_per_person_per_month']\n"
              "    people = staff_cost(team, plan['yen_per_hour'], per='month')\n"
              "    machine = Rate(plan['training_machine_yen_per_day'], per='day')\n"
              "    return people.over(1, 'month') + machine.over(1, 'month')\n",
              "one month"),
        Wrong("returns the monthly Rate, not the total",
              "def certain_cost(plan):\n"
              "    team = plan['team_size'] * plan['hours_per_person_per_month']\n"
              "    people = staff_cost(team, plan['yen_per_hour'], per='month')\n"
              "    machine = Rate(plan['training_machine_yen_per_day'], per='day')\n"
              "    return (people + machine.to('month')) * plan['build_months']\n",
              "one-off total"),
        Wrong("a bare number of yen",
              "def certain_cost(plan):\n"
              "    m = plan['build_months']\n"
              "    return (plan['team_size'] * plan['hours_per_person_per_month'] * "
              "plan['yen_per_hour'] * m + plan['training_machine_yen_per_day'] * 365 / 12 * m)\n",
              "return a Money"),
        Wrong("reads the notebook's PLAN, not its argument",
              "def certain_cost(plan):\n"
              "    plan = PLAN\n"
              "    months = plan['build_months']\n"
              "    team = plan['team_size'] * plan['hours_per_person_per_month']\n"
              "    people = staff_cost(team, plan['yen_per_hour'], per='month')\n"
              "    machine = Rate(plan['training_machine_yen_per_day'], per='day')\n"
              "    return people.over(months, 'month') + machine.over(months, 'month')\n",
              "another plan"),
        Wrong("hard-codes this plan's cost",
              "_v = certain_cost(dict(PLAN))\ndef certain_cost(plan):\n    return _v\n",
              "", hardcoded=True),
        Right("bare yen, days counted explicitly, wrapped in Money",
              "def certain_cost(plan):\n"
              "    days = plan['build_months'] * 365 / 12\n"
              "    people = (plan['team_size'] * plan['hours_per_person_per_month'] "
              "* plan['yen_per_hour'] * plan['build_months'])\n"
              "    return Money(people + plan['training_machine_yen_per_day'] * days)\n"),
        Right("one monthly Rate, then over",
              "def certain_cost(plan):\n"
              "    team = staff_cost(plan['team_size'] * plan['hours_per_person_per_month'], "
              "plan['yen_per_hour'])\n"
              "    machine = Rate(plan['training_machine_yen_per_day'], 'day')\n"
              "    per_month = team + machine.to('month')\n"
              "    return per_month.over(plan['build_months'], 'month')\n"),
    ],
    "payback": [
        Wrong("the workshop's mistake: monthly upkeep subtracted from a daily gain",
              _GAIN_HEAD + "    return Rate(gain_day - serving_day - upkeep_month, per='month')\n"
              + _PAYBACK, "workshop's mistake"),
        Wrong("serving machine left per day",
              _GAIN_HEAD + "    return Rate(gain_day * dpm - serving_day - upkeep_month, "
              "per='month')\n" + _PAYBACK, "serving machine"),
        Wrong("gross gain, no running costs",
              _GAIN_HEAD + "    return Rate(gain_day, per='day').to('month')\n" + _PAYBACK,
              "gross gain"),
        Wrong("forgets the upkeep hours",
              _GAIN_HEAD + "    return Rate(gain_day - serving_day, per='day').to('month')\n"
              + _PAYBACK, "upkeep"),
        Wrong("30-day months",
              _GAIN_HEAD + "    return Rate((gain_day - serving_day) * 30 - upkeep_month, "
              "per='month')\n" + _PAYBACK, "30-day"),
        Wrong("net gain as a bare number",
              _GAIN_HEAD + "    return (gain_day - serving_day) * dpm - upkeep_month\n"
              "def payback_months_for(plan):\n"
              "    net = net_monthly_gain(plan)\n"
              "    return math.inf if net <= 0 else certain_cost(plan).yen / net\n",
              "should return a Rate"),
        Wrong("payback in days",
              "def payback_months_for(plan):\n"
              "    net = net_monthly_gain(plan).to('day').yen\n"
              "    if net <= 0:\n"
              "        return math.inf\n"
              "    return certain_cost(plan).yen / net\n", "in days"),
        Wrong("payback over the gross gain",
              "def payback_months_for(plan):\n"
              "    gross = Rate(plan['extra_orders_per_day'] * plan['margin_yen_per_order'], "
              "'day').per_month()\n"
              "    if net_monthly_gain(plan).per_month() <= 0:\n"
              "        return math.inf\n"
              "    return certain_cost(plan).yen / gross\n", "net gain"),
        Wrong("no math.inf: a negative payback when the gain is below the running costs",
              "def payback_months_for(plan):\n"
              "    return certain_cost(plan).yen / net_monthly_gain(plan).per_month()\n",
              "math.inf"),
        Wrong("`< 0` instead of `<= 0`: a net gain of exactly 0 divides by zero",
              "def payback_months_for(plan):\n"
              "    net = net_monthly_gain(plan).per_month()\n"
              "    if net < 0:\n"
              "        return math.inf\n"
              "    return certain_cost(plan).yen / net\n", "math.inf"),
        Wrong("rounds the payback up to whole months",
              "def payback_months_for(plan):\n"
              "    net = net_monthly_gain(plan).per_month()\n"
              "    return math.inf if net <= 0 else math.ceil(certain_cost(plan).yen / net)\n",
              "not the payback yet"),
        Wrong("truncates the payback with int()",
              "def payback_months_for(plan):\n"
              "    net = net_monthly_gain(plan).per_month()\n"
              "    return math.inf if net <= 0 else int(certain_cost(plan).yen / net)\n",
              "not the payback yet"),
        Wrong("hard-codes this plan's payback",
              "_m = payback_months_for(dict(PLAN))\n"
              "def payback_months_for(plan):\n    return _m\n", "", hardcoded=True),
        Right("everything per day, converted at the end",
              "def net_monthly_gain(plan):\n"
              "    gain = Rate(plan['extra_orders_per_day'] * plan['margin_yen_per_order'],"
              " 'day')\n"
              "    serving = Rate(plan['serving_machine_yen_per_day'], 'day')\n"
              "    upkeep = staff_cost(plan['upkeep_hours_per_month'], plan['yen_per_hour'])\n"
              "    return (gain - serving - upkeep.to('day')).to('month')\n"
              "def payback_months_for(plan):\n"
              "    net = net_monthly_gain(plan)\n"
              "    return certain_cost(plan) / net.over(1, 'month') if net.yen > 0 "
              "else float('inf')\n"),
        Right("course.money.payback_months",
              "from course.money import payback_months\n"
              "def net_monthly_gain(plan):\n"
              "    dpm = 365 / 12\n"
              "    yen = (plan['extra_orders_per_day'] * plan['margin_yen_per_order'] "
              "- plan['serving_machine_yen_per_day']) * dpm "
              "- plan['upkeep_hours_per_month'] * plan['yen_per_hour']\n"
              "    return Rate(yen, per='month')\n"
              "def payback_months_for(plan):\n"
              "    gain = Rate(plan['extra_orders_per_day'] * plan['margin_yen_per_order'],"
              " 'day')\n"
              "    running = (Rate(plan['serving_machine_yen_per_day'], 'day').to('month')\n"
              "               + staff_cost(plan['upkeep_hours_per_month'], plan['yen_per_hour']))\n"
              "    return payback_months(certain_cost(plan), gain, running)\n"),
    ],
    "expected_net_value": [
        Wrong("the chance multiplies the cost too",
              _ENV_HEAD + "    return (net.over(live, 'month') - cost) * p\n", "cost is certain"),
        Wrong("ignores the chances",
              _ENV_HEAD + "    return net.over(live, 'month') - cost\n", "ignored the chances"),
        Wrong("gain over the whole horizon, build months included",
              _ENV_HEAD + "    return net.over(horizon_months, 'month') * p - cost\n",
              "while it is being built"),
        Wrong("gross gain once live",
              _ENV_HEAD + "    gross = Rate(plan['extra_orders_per_day'] * "
              "plan['margin_yen_per_order'], 'day')\n"
              "    return gross.over(live, 'month') * p - cost\n", "running costs"),
        Wrong("averages the four chances",
              _ENV_HEAD + "    p = sum(chances.values()) / len(chances)\n"
              "    return net.over(live, 'month') * p - cost\n", "do not average"),
        Wrong("no floor at 0 live months",
              "def expected_net_value(plan, chances, horizon_months):\n"
              "    p = math.prod(chances.values())\n"
              "    live = horizon_months - plan['build_months']\n"
              "    return net_monthly_gain(plan).over(live, 'month') * p - certain_cost(plan)\n",
              "shorter than the build"),
        Wrong("only the model's chances (1 and 2)",
              _ENV_HEAD + "    p = chances['model_can_be_built'] * chances['accurate_enough']\n"
              "    return net.over(live, 'month') * p - cost\n", "not the expected net value"),
        Wrong("floors the expected value at 0 (as if the team could always stop)",
              _ENV_HEAD + "    value = net.over(live, 'month') * p - cost\n"
              "    return value if value.yen > 0 else Money(0)\n", "not the expected net value"),
        Wrong("hard-codes this plan's value",
              "_v = expected_net_value(dict(PLAN), dict(CHANCES), HORIZON_MONTHS)\n"
              "def expected_net_value(plan, chances, horizon_months):\n    return _v\n",
              "", hardcoded=True),
        Right("a loop over the chances, in yen",
              "def expected_net_value(plan, chances, horizon_months):\n"
              "    p = 1.0\n"
              "    for key in ('model_can_be_built', 'accurate_enough', 'customers_benefit',"
              " 'business_benefits'):\n"
              "        p *= chances[key]\n"
              "    live = horizon_months - plan['build_months'] if horizon_months > "
              "plan['build_months'] else 0\n"
              "    yen = p * net_monthly_gain(plan).per_month() * live - certain_cost(plan).yen\n"
              "    return Money(yen)\n"),
    ],
    "testing_first": [
        Wrong("forgets the test's cost",
              _TEST_HEAD + "    return build * p_test if build.yen > 0 else Money(0)\n",
              "subtract `test_cost`"),
        Wrong("all four chances still count after a pass",
              _TEST_HEAD + "    build = live_gain * (p_model * p_test) - cost\n"
              "    return build * p_test - test_cost\n", "after a pass only"),
        Wrong("all four chances after a pass, with the stop option",
              _TEST_HEAD + "    build = live_gain * (p_model * p_test) - cost\n"
              "    return build * p_test - test_cost if build.yen > 0 else -test_cost\n",
              "not the value of testing first yet"),
        Wrong("the test paid only when it passes",
              _TEST_HEAD + "    return (build - test_cost) * p_test if build.yen > 0 "
              "else -test_cost * p_test\n", "every case"),
        Wrong("builds whatever the test says",
              _TEST_HEAD + "    return live_gain * (p_test * p_model) - cost - test_cost\n",
              "only after a pass"),
        Wrong("no option to stop after a pass (no max(0, ...))",
              _TEST_HEAD + "    return build * p_test - test_cost\n", "loses only the test"),
        Wrong("floors the whole value at 0 instead of the branch",
              _TEST_HEAD + "    value = build * p_test - test_cost\n"
              "    return value if value.yen > 0 else Money(0)\n", "loses only the test"),
        Wrong("hard-codes this plan's value",
              "_v = expected_value_testing_first(dict(PLAN), dict(CHANCES), HORIZON_MONTHS, "
              "TEST_COST)\n"
              "def expected_value_testing_first(plan, chances, horizon_months, test_cost):\n"
              "    return _v\n", "", hardcoded=True),
        Right("max over yen, then back to Money",
              _TEST_HEAD + "    return Money(max(0.0, build.yen)) * p_test - test_cost\n"),
    ],
}

_FB = "def frequent_buyers(orders, brand_id, n):\n"
_RATE = ("def access_rate_with_ci(result):\n"
         "    x, sent = int(result['accessed'].sum()), len(result)\n")
_GO = ("def passes_go_criterion(list_result, random_result, min_lift=1.0, alpha=0.05):\n"
       "    x1, n1 = int(list_result['accessed'].sum()), len(list_result)\n"
       "    x2, n2 = int(random_result['accessed'].sum()), len(random_result)\n"
       "    p_value = two_proportion_test(x1, n1, x2, n2).p_value\n")

CASES.update({
    # ---------------------------------------------------------------- 02
    "frequent_buyers": [
        Wrong("ranks by units bought (sum of quantity)",
              _FB + "    mine = orders[orders['brand_id'] == brand_id]\n"
              "    return mine.groupby('customer_id')['quantity'].sum()"
              ".sort_values(ascending=False).index[:n].tolist()\n", "units"),
        Wrong("forgets the brand filter",
              _FB + "    return orders['customer_id'].value_counts().index[:n].tolist()\n",
              "all their purchases"),
        Wrong("returns the value_counts Series",
              _FB + "    mine = orders[orders['brand_id'] == brand_id]\n"
              "    return mine['customer_id'].value_counts().head(n)\n", "counts"),
        Wrong("unique() keeps the order of first appearance, not the count",
              _FB + "    mine = orders[orders['brand_id'] == brand_id]\n"
              "    return list(mine['customer_id'].unique()[:n])\n", "leaves out"),
        Wrong("value_counts ascending: the least frequent buyers",
              _FB + "    mine = orders[orders['brand_id'] == brand_id]\n"
              "    return mine['customer_id'].value_counts(ascending=True).index[:n].tolist()\n",
              "leaves out"),
        Wrong("the first n order lines' customers (repeats)",
              _FB + "    mine = orders[orders['brand_id'] == brand_id]\n"
              "    return mine.sort_values('order_date', ascending=False)['customer_id']"
              ".head(n).tolist()\n", "repeats customers"),
        Wrong("uses MAIL_BUDGET instead of n",
              _FB + "    mine = orders[orders['brand_id'] == brand_id]\n"
              "    return mine['customer_id'].value_counts().index[:MAIL_BUDGET].tolist()\n",
              "use the `n`"),
        Wrong("reads the notebook's site.orders, not its argument",
              _FB + "    mine = site.orders[site.orders['brand_id'] == brand_id]\n"
              "    return mine['customer_id'].value_counts().index[:n].tolist()\n",
              "use the `orders` you are given"),
        Wrong("hard-codes this shop's list",
              "_ids = frequent_buyers(site.orders, BRAND_ID, MAIL_BUDGET)\n"
              + _FB + "    return _ids\n", "", hardcoded=True),
        Right("groupby size and nlargest",
              _FB + "    sizes = orders.loc[orders['brand_id'] == brand_id]"
              ".groupby('customer_id').size()\n"
              "    return sizes.nlargest(n).index.to_numpy()\n"),
        Right("collections.Counter.most_common",
              "from collections import Counter\n"
              + _FB + "    c = Counter(orders.query('brand_id == @brand_id')['customer_id'])\n"
              "    return [customer for customer, _ in c.most_common(n)]\n"),
    ],
    "access_rate_with_ci": [
        Wrong("a percentage",
              _RATE + "    low, high = access_rate_ci(x, sent)\n"
              "    return 100 * x / sent, 100 * low, 100 * high\n", "fractions"),
        Wrong("purchases instead of accesses",
              _RATE + "    p = int(result['purchased'].sum())\n"
              "    low, high = access_rate_ci(p, sent)\n    return p / sent, low, high\n",
              "purchases"),
        Wrong("(low, rate, high): wrong order",
              _RATE + "    low, high = access_rate_ci(x, sent)\n    return low, x / sent, high\n",
              "in that order"),
        Wrong("normal-approximation interval",
              _RATE + "    p = x / sent\n    half = 1.96 * math.sqrt(p * (1 - p) / sent)\n"
              "    return p, p - half, p + half\n", "normal-approximation"),
        Wrong("gives access_rate_ci the rate instead of the counts",
              _RATE + "    low, high = access_rate_ci(x / sent, sent)\n"
              "    return x / sent, low, high\n", "takes the two counts"),
        Wrong("a 90% interval",
              _RATE + "    low, high = access_rate_ci(x, sent, level=0.90)\n"
              "    return x / sent, low, high\n", "95% Wilson"),
        Wrong("divides by all the shop's customers, not the mails sent",
              _RATE + "    low, high = access_rate_ci(x, sent)\n"
              "    return x / len(site.customers), low, high\n", "mails sent"),
        Wrong("computes the interval on the notebook's step 1 result",
              _RATE + "    low, high = access_rate_ci(int(step1_result['accessed'].sum()), "
              "len(step1_result))\n"
              "    return x / sent, low, high\n", "contain the rate"),
        Right("course.metrics.access_rate, then the interval",
              "from course.metrics import access_rate\n"
              "def access_rate_with_ci(result):\n"
              "    rate = access_rate(result['accessed'])\n"
              "    low, high = access_rate_ci(int(result['accessed'].sum()), "
              "int(result['accessed'].count()))\n"
              "    return rate, low, high\n"),
        Right("Wilson interval by hand",
              "def access_rate_with_ci(result):\n"
              "    n = result.shape[0]\n"
              "    p = result['accessed'].mean()\n"
              "    z = 1.959963984540054\n"
              "    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)\n"
              "    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))\n"
              "    return float(p), max(0.0, centre - half), min(1.0, centre + half)\n"),
    ],
    "passes_go_criterion": [
        Wrong("lift as list ÷ random (a ratio)",
              _GO + "    return bool((x1 / n1) / (x2 / n2) >= min_lift and p_value < alpha)\n",
              "not list ÷ random"),
        Wrong("only the p-value",
              _GO + "    return bool(p_value < alpha)\n", "min_lift"),
        Wrong("only the lift",
              _GO + "    return bool(lift(x1 / n1, x2 / n2) >= min_lift)\n", "luck"),
        Wrong("lift > min_lift, not >=",
              _GO + "    return bool(lift(x1 / n1, x2 / n2) > min_lift and p_value < alpha)\n",
              "at least"),
        Wrong("absolute lift: a worse list passes too",
              _GO + "    return bool(abs(lift(x1 / n1, x2 / n2)) >= min_lift "
              "and p_value < alpha)\n", "signed lift"),
        Wrong("non-overlapping intervals instead of the test",
              _GO + "    low1, _ = access_rate_ci(x1, n1)\n    _, high2 = access_rate_ci(x2, n2)\n"
              "    return bool(lift(x1 / n1, x2 / n2) >= min_lift and low1 > high2)\n",
              "overlap"),
        Wrong("types the default thresholds in",
              _GO + "    return bool(lift(x1 / n1, x2 / n2) >= 1.0 and p_value < 0.05)\n",
              "min_lift"),
        Wrong("a one-sided p-value (halved)",
              _GO + "    return bool(lift(x1 / n1, x2 / n2) >= min_lift and p_value / 2 < alpha)\n",
              "alpha"),
        Wrong("lift in percent against min_lift",
              _GO + "    return bool(100 * lift(x1 / n1, x2 / n2) >= min_lift and "
              "p_value < alpha)\n", "min_lift"),
        Right("rates with mean, z-test by hand",
              "def passes_go_criterion(list_result, random_result, min_lift=1.0, alpha=0.05):\n"
              "    p1, p2 = list_result['accessed'].mean(), random_result['accessed'].mean()\n"
              "    n1, n2 = len(list_result), len(random_result)\n"
              "    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)\n"
              "    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))\n"
              "    p_value = math.erfc(abs(z) / math.sqrt(2))\n"
              "    return (p1 - p2) / p2 >= min_lift and p_value < alpha\n"),
    ],
})


def _sql(select="count(*) AS order_lines, max(order_date) AS last_order",
         where="WHERE brand_id = $brand_id", order="order_lines DESC, last_order DESC, customer_id",
         limit="LIMIT $n", group="GROUP BY customer_id", head="SELECT customer_id, "):
    return (f'RECIPIENTS_SQL = """\n{head}{select}\nFROM orders\n{where}\n{group}\n'
            f'ORDER BY {order}\n{limit}\n"""\n')


_SEASON = "def season_lists(con, releases, n):\n    lists = {}\n"
_STAFF = "def season_staff_cost(n_releases, season_months, staff):\n"

CASES.update({
    # ---------------------------------------------------------------- 03
    "recipients_sql": [
        Wrong("no tie-break on the latest order", _sql(order="order_lines DESC, customer_id"),
              "breaks ties differently"),
        Wrong("no tie-break on customer_id", _sql(order="order_lines DESC, last_order DESC"),
              "remaining ties"),
        Wrong("earliest last order first (ASC)",
              _sql(order="order_lines DESC, last_order, customer_id"), "breaks ties differently"),
        Wrong("ranks ascending (the default)",
              _sql(order="order_lines, last_order DESC, customer_id"), "not ranked"),
        Wrong("ranks by units (sum of quantity)",
              _sql(select="sum(quantity) AS order_lines, max(order_date) AS last_order"),
              "not ranked"),
        Wrong("first order, not last (min)",
              _sql(select="count(*) AS order_lines, min(order_date) AS last_order"),
              "breaks ties differently"),
        Wrong("no brand filter (and so no $brand_id)", _sql(where=""), "parameters"),
        Wrong("the brand's buyers, but every order of theirs counted",
              _sql(where="WHERE customer_id IN (SELECT customer_id FROM orders "
                   "WHERE brand_id = $brand_id)"), "not ranked"),
        Wrong("only the last 90 days of orders (a window the rule does not have)",
              _sql(where="WHERE brand_id = $brand_id AND order_date >= "
                   "(SELECT max(order_date) FROM orders) - INTERVAL 90 DAY"), "customers"),
        Wrong("only repeat buyers (HAVING count(*) > 1)",
              _sql(group="GROUP BY customer_id HAVING count(*) > 1"), "customers instead of"),
        Wrong("no GROUP BY: latest order lines, customers repeat",
              'RECIPIENTS_SQL = """\nSELECT customer_id, order_date\nFROM orders\n'
              'WHERE brand_id = $brand_id\nORDER BY order_date DESC\nLIMIT $n\n"""\n',
              "repeats customers"),
        Wrong("the brand typed in", _sql(where="WHERE brand_id = 3"), "parameters"),
        Wrong("the budget typed in (LIMIT 200)", _sql(limit="LIMIT 200"), "parameters"),
        Wrong("row_number() < $n: one customer short",
              'RECIPIENTS_SQL = """\nSELECT customer_id FROM (\n'
              '    SELECT customer_id, count(*) AS order_lines, max(order_date) AS last_order,\n'
              '           row_number() OVER (ORDER BY count(*) DESC, max(order_date) DESC, '
              'customer_id) AS rn\n'
              '    FROM orders WHERE brand_id = $brand_id GROUP BY customer_id)\n'
              'WHERE rn < $n\nORDER BY rn\n"""\n', "instead of `n`"),
        Wrong("counts distinct customers per customer (COUNT DISTINCT customer_id)",
              _sql(select="count(DISTINCT customer_id) AS order_lines, "
                   "max(order_date) AS last_order"), "not ranked"),
        Wrong("two statements (a trailing second query)",
              'RECIPIENTS_SQL = """\nSELECT customer_id, count(*) AS order_lines, '
              'max(order_date) AS last_order\nFROM orders\nWHERE brand_id = $brand_id\n'
              'GROUP BY customer_id\nORDER BY order_lines DESC, last_order DESC, customer_id\n'
              'LIMIT $n;\nSELECT 1;\n"""\n', "statements"),
        Right("a CTE and column positions",
              'RECIPIENTS_SQL = """\nWITH per AS (\n'
              '    SELECT customer_id, count(order_id) AS lines, max(order_date) AS latest\n'
              '    FROM orders WHERE brand_id = $brand_id GROUP BY 1\n)\n'
              'SELECT customer_id FROM per ORDER BY lines DESC, latest DESC, customer_id ASC\n'
              'LIMIT $n\n"""\n'),
        Right("a window function and QUALIFY",
              'RECIPIENTS_SQL = """\nSELECT customer_id, order_lines, last_order FROM (\n'
              '    SELECT customer_id, count(*) AS order_lines, max(order_date) AS last_order\n'
              '    FROM orders WHERE brand_id = $brand_id GROUP BY customer_id) AS t\n'
              'QUALIFY row_number() OVER (ORDER BY order_lines DESC, last_order DESC, '
              'customer_id) <= $n\n'
              'ORDER BY order_lines DESC, last_order DESC, customer_id\n"""\n'),
        Right("HAVING and a subquery",
              'RECIPIENTS_SQL = """\nSELECT customer_id FROM (\n'
              '    SELECT customer_id, count(*) AS k, max(order_date) AS d FROM orders\n'
              '    GROUP BY customer_id, brand_id HAVING brand_id = $brand_id)\n'
              'ORDER BY k DESC, d DESC, customer_id LIMIT $n\n"""\n'),
    ],
    "season_lists": [
        Wrong("names the parameter `connection` but queries the notebook's `con`",
              "def season_lists(connection, releases, n):\n"
              "    lists = {}\n"
              "    for r in releases.itertuples():\n"
              "        df = con.execute(RECIPIENTS_SQL, {'brand_id': int(r.brand_id), "
              "'n': int(n)}).df()\n"
              "        lists[int(r.release_id)] = df['customer_id'].tolist()\n"
              "    return lists\n", "on `con`"),
        Wrong("uses MAIL_BUDGET instead of n",
              _SEASON + "    for r in releases.itertuples():\n"
              "        df = con.execute(RECIPIENTS_SQL, {'brand_id': int(r.brand_id), "
              "'n': MAIL_BUDGET}).df()\n"
              "        lists[int(r.release_id)] = df['customer_id'].tolist()\n"
              "    return lists\n", "use the `n`"),
        Wrong("keys the lists by brand_id",
              _SEASON + "    for r in releases.itertuples():\n"
              "        df = con.execute(RECIPIENTS_SQL, {'brand_id': int(r.brand_id), "
              "'n': int(n)}).df()\n"
              "        lists[int(r.brand_id)] = df['customer_id'].tolist()\n"
              "    return lists\n", "release"),
        Wrong("one list per brand, not per release (drop_duplicates on brand)",
              _SEASON + "    for r in releases.drop_duplicates('brand_id').itertuples():\n"
              "        df = con.execute(RECIPIENTS_SQL, {'brand_id': int(r.brand_id), "
              "'n': int(n)}).df()\n"
              "        lists[int(r.release_id)] = df['customer_id'].tolist()\n"
              "    return lists\n", "upcoming releases"),
        Wrong("stores the whole result table",
              _SEASON + "    for r in releases.itertuples():\n"
              "        lists[int(r.release_id)] = con.execute(RECIPIENTS_SQL, "
              "{'brand_id': int(r.brand_id), 'n': int(n)}).df()\n"
              "    return lists\n", "returned a table"),
        Wrong("a list of lists, not a dict",
              "def season_lists(con, releases, n):\n"
              "    return [con.execute(RECIPIENTS_SQL, {'brand_id': int(b), 'n': int(n)}).df()"
              "['customer_id'].tolist() for b in releases['brand_id']]\n", "dict"),
        Wrong("brand filter in pandas on the notebook's site.orders",
              _SEASON + "    for r in releases.itertuples():\n"
              "        lines = site.orders.loc[site.orders['brand_id'] == r.brand_id, "
              "'customer_id']\n"
              "        lists[int(r.release_id)] = lines.value_counts().index[:n].tolist()\n"
              "    return lists\n", "connection you were given"),
        Wrong("hard-codes this shop's lists",
              "_lists = season_lists(con, site.upcoming_releases, MAIL_BUDGET)\n"
              "def season_lists(con, releases, n):\n    return _lists\n", "", hardcoded=True),
        Right("a dict comprehension over zipped columns",
              "def season_lists(con, releases, n):\n"
              "    run = lambda b: con.execute(RECIPIENTS_SQL, {'brand_id': int(b), 'n': int(n)})"
              ".df()['customer_id'].to_numpy()\n"
              "    return {int(r): run(b) for r, b in zip(releases['release_id'], "
              "releases['brand_id'])}\n"),
        Right("one query per brand, cached, iterrows",
              "def season_lists(con, releases, n):\n"
              "    per_brand, lists = {}, {}\n"
              "    for _, row in releases.iterrows():\n"
              "        b = int(row['brand_id'])\n"
              "        if b not in per_brand:\n"
              "            per_brand[b] = con.sql(RECIPIENTS_SQL, params={'brand_id': b, "
              "'n': int(n)}).df()['customer_id'].tolist()\n"
              "        lists[int(row['release_id'])] = per_brand[b]\n"
              "    return lists\n"),
    ],
    "season_staff_cost": [
        Wrong("by hand costed for one release",
              _STAFF + "    by_hand = Money(staff['hand_hours_per_release'] * "
              "staff['marketing_yen_per_hour'])\n"
              "    build = Money(staff['query_build_hours'] * staff['developer_yen_per_hour'])\n"
              "    upkeep = staff_cost(staff['query_upkeep_hours_per_month'], "
              "staff['developer_yen_per_hour']).over(season_months, 'month')\n"
              "    return by_hand, build + upkeep\n", "number of releases"),
        Wrong("by hand at the developer's rate",
              _STAFF + "    by_hand = Money(staff['hand_hours_per_release'] * n_releases * "
              "staff['developer_yen_per_hour'])\n"
              "    build = Money(staff['query_build_hours'] * staff['developer_yen_per_hour'])\n"
              "    upkeep = staff_cost(staff['query_upkeep_hours_per_month'], "
              "staff['developer_yen_per_hour']).over(season_months, 'month')\n"
              "    return by_hand, build + upkeep\n", "marketer's hourly rate"),
        Wrong("the query's build paid for every release",
              _STAFF + "    rate = staff['developer_yen_per_hour']\n"
              "    by_hand = Money(staff['hand_hours_per_release'] * n_releases * "
              "staff['marketing_yen_per_hour'])\n"
              "    return by_hand, Money(staff['query_build_hours'] * rate * n_releases + "
              "staff['query_upkeep_hours_per_month'] * rate * season_months)\n",
              "build per release"),
        Wrong("no upkeep",
              _STAFF + "    by_hand = Money(staff['hand_hours_per_release'] * n_releases * "
              "staff['marketing_yen_per_hour'])\n"
              "    return by_hand, Money(staff['query_build_hours'] * "
              "staff['developer_yen_per_hour'])\n", "upkeep"),
        Wrong("upkeep for one month only",
              _STAFF + "    rate = staff['developer_yen_per_hour']\n"
              "    by_hand = Money(staff['hand_hours_per_release'] * n_releases * "
              "staff['marketing_yen_per_hour'])\n"
              "    return by_hand, Money((staff['query_build_hours'] + "
              "staff['query_upkeep_hours_per_month']) * rate)\n", "per month"),
        Wrong("upkeep per release instead of per month",
              _STAFF + "    rate = staff['developer_yen_per_hour']\n"
              "    by_hand = Money(staff['hand_hours_per_release'] * n_releases * "
              "staff['marketing_yen_per_hour'])\n"
              "    return by_hand, Money((staff['query_build_hours'] + "
              "staff['query_upkeep_hours_per_month'] * n_releases) * rate)\n", "by_query"),
        Wrong("upkeep at the marketer's rate",
              _STAFF + "    by_hand = Money(staff['hand_hours_per_release'] * n_releases * "
              "staff['marketing_yen_per_hour'])\n"
              "    build = Money(staff['query_build_hours'] * staff['developer_yen_per_hour'])\n"
              "    upkeep = staff_cost(staff['query_upkeep_hours_per_month'], "
              "staff['marketing_yen_per_hour']).over(season_months, 'month')\n"
              "    return by_hand, build + upkeep\n", "developer's yen per hour"),
        Wrong("the upkeep as a monthly Rate, not a total",
              _STAFF + "    by_hand = Money(staff['hand_hours_per_release'] * n_releases * "
              "staff['marketing_yen_per_hour'])\n"
              "    upkeep = staff_cost(staff['query_upkeep_hours_per_month'] * season_months, "
              "staff['developer_yen_per_hour'])\n"
              "    return by_hand, upkeep + Rate(staff['query_build_hours'] * "
              "staff['developer_yen_per_hour'], 'month')\n".replace(
                  "Rate(", "__import__('course.money', fromlist=['Rate']).Rate("), "Rate"),
        Wrong("returns (by_query, by_hand): swapped",
              _STAFF + "    by_hand = Money(staff['hand_hours_per_release'] * n_releases * "
              "staff['marketing_yen_per_hour'])\n"
              "    build = Money(staff['query_build_hours'] * staff['developer_yen_per_hour'])\n"
              "    upkeep = staff_cost(staff['query_upkeep_hours_per_month'], "
              "staff['developer_yen_per_hour']).over(season_months, 'month')\n"
              "    return build + upkeep, by_hand\n", "by_hand"),
        Wrong("the notebook's figures typed in",
              _STAFF + "    return Money(3 * n_releases * 5_000), "
              "Money(24 * 6_000 + 2 * 6_000 * season_months)\n", "other staff figures"),
        Wrong("bare numbers",
              _STAFF + "    d = staff['developer_yen_per_hour']\n"
              "    return (staff['hand_hours_per_release'] * n_releases * "
              "staff['marketing_yen_per_hour'], staff['query_build_hours'] * d + "
              "staff['query_upkeep_hours_per_month'] * d * season_months)\n", "return a Money"),
        Right("staff_cost for both, over the season",
              _STAFF + "    marketing = staff_cost(staff['hand_hours_per_release'], "
              "staff['marketing_yen_per_hour'], per='month')\n"
              "    by_hand = marketing.over(n_releases, 'month')  # one 'period' per release\n"
              "    hours = staff['query_build_hours'] + staff['query_upkeep_hours_per_month'] "
              "* season_months\n"
              "    return by_hand, Money(hours * staff['developer_yen_per_hour'])\n"),
    ],
})
