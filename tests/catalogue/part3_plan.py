"""Wrong and right answers of Part 3, Starting, notebooks 07-09 (the plan)."""

from catalogue import Right, Wrong

_BUF = "def add_risk_buffers(phases, risks, applies):\n"
_PLAN = (
    "def first_step_plan(results, min_lift, start):\n"
    "    mails = mails_needed(results['rule_rate'], min_lift, alpha=ALPHA, power=POWER)\n"
    "    per_week = results['rule_mails_per_day'] * 7 / 2\n"
    "    weeks = math.ceil(mails / per_week)\n"
    "    start = pd.Timestamp(start)\n"
    "    return {'step': 'step 3 in production', 'start': start, 'mails_per_arm': mails,\n"
    "            'pilot_weeks': weeks,\n"
    "            'decision_date': start + pd.Timedelta(weeks=BUILD_WEEKS + weeks),\n"
    "            'decision_maker': 'the executive board',\n"
    "            'support_needed': ['the pilot team: Aoi, Sora and Ken', "
    "'the data in one warehouse'],\n"
    "            'go_criteria': {'baseline_rate': results['rule_rate'], 'min_lift': min_lift,\n"
    "                            'alpha': ALPHA,\n"
    "                            'max_extra_unsubscribe_rate': MAX_EXTRA_UNSUBSCRIBE_RATE}}"
)
_PER_WEEK = "results['rule_mails_per_day'] * 7 / 2"

_DEC = (
    "def first_step_decision(pilot, criteria):\n"
    "    rule, model = pilot['rule'], pilot['model']\n"
    "    q_rate = rule['accesses'] / rule['mails']\n"
    "    m_rate = model['accesses'] / model['mails']\n"
    "    q_unsub = rule['unsubscribed'] / rule['mails']\n"
    "    m_unsub = model['unsubscribed'] / model['mails']\n"
    "    p = two_proportion_test(model['accesses'], model['mails'], rule['accesses'],\n"
    "                            rule['mails']).p_value\n"
    "    ok = (lift(m_rate, q_rate) >= criteria['min_lift'] and p < criteria['alpha']\n"
    "          and m_unsub - q_unsub <= criteria['max_extra_unsubscribe_rate'])\n"
    "    return 'go' if ok else 'stop'"
)


CASES = {
    # ---------------------------------------------------------------- 07 a realistic timeline
    "schedule": [
        Wrong("counts weeks from 1, not 0",
              "def schedule(phases):\n"
              "    plan = phases.copy()\n"
              "    plan['end_week'] = plan['weeks'].cumsum()\n"
              "    plan['start_week'] = plan['end_week'] - plan['weeks'] + 1\n"
              "    return plan", "week 1"),
        Wrong("start is the running total including the phase (off by one phase)",
              "def schedule(phases):\n"
              "    plan = phases.copy()\n"
              "    plan['start_week'] = plan['weeks'].cumsum()\n"
              "    plan['end_week'] = plan['start_week'] + plan['weeks']\n"
              "    return plan", "starts at week 1"),
        Wrong("shift without fillna: the first start is NaN",
              "def schedule(phases):\n"
              "    plan = phases.copy()\n"
              "    plan['start_week'] = plan['weeks'].cumsum().shift()\n"
              "    plan['end_week'] = plan['weeks'].cumsum()\n"
              "    return plan", "week 0"),
        Wrong("every phase starts at 0 (no running total)",
              "def schedule(phases):\n"
              "    plan = phases.copy()\n"
              "    plan['start_week'] = 0\n"
              "    plan['end_week'] = plan['weeks']\n"
              "    return plan", "start when"),
        Wrong("one week per row: the row number as start",
              "def schedule(phases):\n"
              "    plan = phases.copy()\n"
              "    plan['start_week'] = range(len(plan))\n"
              "    plan['end_week'] = plan['start_week'] + plan['weeks']\n"
              "    return plan", "start when"),
        Wrong("adds the columns to the table it was given (no copy)",
              "def schedule(phases):\n"
              "    plan = phases\n"
              "    plan['end_week'] = plan['weeks'].cumsum()\n"
              "    plan['start_week'] = plan['end_week'] - plan['weeks']\n"
              "    return plan", "copy"),
        Wrong("whole weeks: .astype(int) on the running total",
              "def schedule(phases):\n"
              "    plan = phases.copy()\n"
              "    plan['end_week'] = plan['weeks'].cumsum().astype(int)\n"
              "    plan['start_week'] = plan['end_week'] - plan['weeks'].astype(int)\n"
              "    return plan", "end_week − start_week"),
        Wrong("returns only the two new columns",
              "def schedule(phases):\n"
              "    end = phases['weeks'].cumsum()\n"
              "    return pd.DataFrame({'start_week': end - phases['weeks'], 'end_week': end})",
              "lacks the columns"),
        Wrong("hard-codes this plan's weeks",
              "def schedule(phases):\n"
              "    plan = phases.copy()\n"
              "    plan['start_week'] = [0, 1, 3, 6, 8, 11][:len(plan)]\n"
              "    plan['end_week'] = [1, 3, 6, 8, 11, 12][:len(plan)]\n"
              "    return plan", "", hardcoded=True),
        Right("shift with fill_value and assign",
              "def schedule(phases):\n"
              "    total = phases['weeks'].cumsum()\n"
              "    return phases.assign(start_week=total.shift(fill_value=0), end_week=total)"),
        Right("a loop with a running total",
              "def schedule(phases):\n"
              "    starts, ends, now = [], [], 0.0\n"
              "    for w in phases['weeks']:\n"
              "        starts.append(now)\n"
              "        now += w\n"
              "        ends.append(now)\n"
              "    plan = phases.copy()\n"
              "    plan['start_week'] = starts\n"
              "    plan['end_week'] = ends\n"
              "    return plan"),
    ],
    "labelling_weeks": [
        Wrong("seconds not turned into hours",
              "def labelling_weeks(n_images, seconds_per_image, experts, "
              "hours_per_expert_per_week):\n"
              "    return n_images * seconds_per_image / (experts * hours_per_expert_per_week)",
              "3,600 times"),
        Wrong("one expert only",
              "def labelling_weeks(n_images, seconds_per_image, experts, "
              "hours_per_expert_per_week):\n"
              "    return n_images * seconds_per_image / 3600 / hours_per_expert_per_week",
              "one expert"),
        Wrong("multiplies by the experts' hours",
              "def labelling_weeks(n_images, seconds_per_image, experts, "
              "hours_per_expert_per_week):\n"
              "    return n_images * seconds_per_image / 3600 * experts "
              "* hours_per_expert_per_week", "divide"),
        Wrong("seconds to hours by ÷ 60",
              "def labelling_weeks(n_images, seconds_per_image, experts, "
              "hours_per_expert_per_week):\n"
              "    return n_images * seconds_per_image / 60 / (experts * "
              "hours_per_expert_per_week)", "labelling hours"),
        Wrong("rounds up to whole weeks",
              "import math\n"
              "def labelling_weeks(n_images, seconds_per_image, experts, "
              "hours_per_expert_per_week):\n"
              "    return math.ceil(n_images * seconds_per_image / 3600 / (experts * "
              "hours_per_expert_per_week))", "labelling hours"),
        Wrong("reads the factory's numbers, not the arguments",
              "def labelling_weeks(n_images, seconds_per_image, experts, "
              "hours_per_expert_per_week):\n"
              "    f = FACTORY\n"
              "    return f['n_images'] * f['seconds_per_image'] / 3600 / (f['experts'] * "
              "f['hours_per_expert_per_week'])", "use the arguments"),
        Wrong("hard-codes the factory's weeks",
              "_w = labelling_weeks(**FACTORY)\n"
              "def labelling_weeks(n_images, seconds_per_image, experts, "
              "hours_per_expert_per_week):\n"
              "    return _w", "", hardcoded=True),
        Right("all in seconds, one division",
              "def labelling_weeks(n_images, seconds_per_image, experts, "
              "hours_per_expert_per_week):\n"
              "    return (n_images * seconds_per_image) / (experts * "
              "hours_per_expert_per_week * 3600)"),
        Right("with Timedeltas",
              "def labelling_weeks(n_images, seconds_per_image, experts, "
              "hours_per_expert_per_week):\n"
              "    work = pd.Timedelta(seconds=n_images * seconds_per_image)\n"
              "    per_week = pd.Timedelta(hours=experts * hours_per_expert_per_week)\n"
              "    return work / per_week"),
    ],
    "delays_that_apply": [
        Wrong("all four causes, to be safe",
              "DELAYS_THAT_APPLY = {'no_precedent', 'missing_labels', 'below_requirement', "
              "'experimental_code'}", "evidence cell"),
        Wrong("forgets no_precedent",
              "DELAYS_THAT_APPLY = {'below_requirement', 'experimental_code'}",
              "production before"),
        Wrong("thinks the A/B test settled the requirement",
              "DELAYS_THAT_APPLY = {'no_precedent', 'experimental_code'}", "lift that pays"),
        Wrong("forgets experimental_code",
              "DELAYS_THAT_APPLY = {'no_precedent', 'below_requirement'}", "aoi's model run"),
        Wrong("names with spaces, not the table's",
              "DELAYS_THAT_APPLY = {'no precedent', 'below requirement', "
              "'experimental code'}", "not causes of delay"),
        Wrong("one string, not a set",
              "DELAYS_THAT_APPLY = 'no_precedent, below_requirement, experimental_code'",
              "should be a set"),
        Right("a list", "DELAYS_THAT_APPLY = ['experimental_code', 'no_precedent', "
              "'below_requirement']"),
        Right("a tuple, from the four causes minus the labels",
              "DELAYS_THAT_APPLY = tuple(c for c in ('no_precedent', 'missing_labels', "
              "'below_requirement', 'experimental_code') if c != 'missing_labels')"),
    ],
    "add_risk_buffers": [
        Wrong("adds the buffer of every cause, ignoring applies",
              _BUF + "    extra = risks.groupby('phase')['buffer_weeks'].sum()\n"
              "    plan = phases.copy()\n"
              "    plan['buffer_weeks'] = plan['phase'].map(extra).fillna(0)\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan", "every cause"),
        Wrong("a dict from phase to buffer: the last cause wins",
              _BUF + "    mine = risks[risks['cause'].isin(applies)]\n"
              "    extra = dict(zip(mine['phase'], mine['buffer_weeks']))\n"
              "    plan = phases.copy()\n"
              "    plan['buffer_weeks'] = plan['phase'].map(extra).fillna(0)\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan", "add them up"),
        Wrong("merges the risks on phase: a phase hit twice gets two rows",
              _BUF + "    mine = risks[risks['cause'].isin(applies)]\n"
              "    plan = phases.merge(mine[['phase', 'buffer_weeks']], on='phase', "
              "how='left')\n"
              "    plan['buffer_weeks'] = plan['buffer_weeks'].fillna(0)\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan", "one row per phase"),
        Wrong("merges, then drops the duplicate phase (keeps the first buffer)",
              _BUF + "    mine = risks[risks['cause'].isin(applies)]\n"
              "    plan = phases.merge(mine[['phase', 'buffer_weeks']], on='phase', "
              "how='left').drop_duplicates('phase')\n"
              "    plan['buffer_weeks'] = plan['buffer_weeks'].fillna(0)\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan.reset_index(drop=True)", "not the sum"),
        Wrong("whole-week buffers: .astype(int) after fillna",
              _BUF + "    extra = risks[risks['cause'].isin(applies)].groupby('phase')"
              "['buffer_weeks'].sum()\n"
              "    plan = phases.copy()\n"
              "    plan['buffer_weeks'] = plan['phase'].map(extra).fillna(0).astype(int)\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan", "keep the fractions"),
        Wrong("rounds the buffers to whole weeks",
              _BUF + "    extra = risks[risks['cause'].isin(applies)].groupby('phase')"
              "['buffer_weeks'].sum()\n"
              "    plan = phases.copy()\n"
              "    plan['buffer_weeks'] = plan['phase'].map(extra).fillna(0).round()\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan", "keep the fractions"),
        Wrong("forgets fillna: phases no risk hits get NaN",
              _BUF + "    extra = risks[risks['cause'].isin(applies)].groupby('phase')"
              "['buffer_weeks'].sum()\n"
              "    plan = phases.copy()\n"
              "    plan['buffer_weeks'] = plan['phase'].map(extra)\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan", "not the sum"),
        Wrong("adds the buffer column but leaves weeks unchanged",
              _BUF + "    extra = risks[risks['cause'].isin(applies)].groupby('phase')"
              "['buffer_weeks'].sum()\n"
              "    plan = phases.copy()\n"
              "    plan['buffer_weeks'] = plan['phase'].map(extra).fillna(0)\n"
              "    return plan", "unchanged"),
        Wrong("changes the phases table in place",
              _BUF + "    extra = risks[risks['cause'].isin(applies)].groupby('phase')"
              "['buffer_weeks'].sum()\n"
              "    phases['buffer_weeks'] = phases['phase'].map(extra).fillna(0)\n"
              "    phases['weeks'] = phases['weeks'] + phases['buffer_weeks']\n"
              "    return phases", "changed the phases table"),
        Wrong("uses the notebook's DELAYS_THAT_APPLY, not the argument",
              _BUF + "    mine = risks[risks['cause'].isin(DELAYS_THAT_APPLY)]\n"
              "    extra = mine.groupby('phase')['buffer_weeks'].sum()\n"
              "    plan = phases.copy()\n"
              "    plan['buffer_weeks'] = plan['phase'].map(extra).fillna(0)\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan", "not the sum"),
        Wrong("hard-codes Kumo Closet's buffers",
              _BUF + "    plan = phases.copy()\n"
              "    plan['buffer_weeks'] = [0, 0, 3, 2, 0, 0][:len(plan)]\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan", "", hardcoded=True),
        Right("groupby, then a left merge",
              _BUF + "    extra = (risks[risks['cause'].isin(applies)]\n"
              "             .groupby('phase', as_index=False)['buffer_weeks'].sum())\n"
              "    plan = phases.merge(extra, on='phase', how='left')\n"
              "    plan['buffer_weeks'] = plan['buffer_weeks'].fillna(0)\n"
              "    plan['weeks'] = plan['weeks'] + plan['buffer_weeks']\n"
              "    return plan"),
        Right("a sum per phase in a comprehension",
              _BUF + "    mine = risks[risks['cause'].isin(list(applies))]\n"
              "    buffers = [mine.loc[mine['phase'] == p, 'buffer_weeks'].sum() "
              "for p in phases['phase']]\n"
              "    return phases.assign(buffer_weeks=buffers,\n"
              "                         weeks=phases['weeks'] + pd.Series(buffers, "
              "index=phases.index))"),
    ],
    # ---------------------------------------------------------------- 08 the organisation
    "journey": [
        Wrong("prototyping before experimenting",
              "JOURNEY = ['Learning', 'Prototyping', 'Experimenting', 'Building', 'Deploying', "
              "'Scaling']\nPOC_WALL = ('Prototyping', 'Building')\nKUMO_STAGE = 'Prototyping'",
              "order of those in between"),
        Wrong("deploying before building",
              "JOURNEY = ['Learning', 'Experimenting', 'Prototyping', 'Deploying', 'Building', "
              "'Scaling']\nPOC_WALL = ('Prototyping', 'Building')\nKUMO_STAGE = 'Prototyping'",
              "order of those in between"),
        Wrong("the stages as listed (shuffled)",
              "JOURNEY = list(STAGES)\nPOC_WALL = ('Prototyping', 'Building')\n"
              "KUMO_STAGE = 'Prototyping'", "journey starts"),
        Wrong("the wall between experimenting and prototyping",
              "JOURNEY = ['Learning', 'Experimenting', 'Prototyping', 'Building', 'Deploying', "
              "'Scaling']\nPOC_WALL = ('Experimenting', 'Prototyping')\n"
              "KUMO_STAGE = 'Prototyping'", "poc wall stands"),
        Wrong("the wall's pair reversed",
              "JOURNEY = ['Learning', 'Experimenting', 'Prototyping', 'Building', 'Deploying', "
              "'Scaling']\nPOC_WALL = ('Building', 'Prototyping')\nKUMO_STAGE = 'Prototyping'",
              "in journey order"),
        Wrong("the A/B test mailed real customers, so: deploying",
              "JOURNEY = ['Learning', 'Experimenting', 'Prototyping', 'Building', 'Deploying', "
              "'Scaling']\nPOC_WALL = ('Prototyping', 'Building')\nKUMO_STAGE = 'Deploying'",
              "not passed the poc wall"),
        Wrong("a notebook model, so: experimenting",
              "JOURNEY = ['Learning', 'Experimenting', 'Prototyping', 'Building', 'Deploying', "
              "'Scaling']\nPOC_WALL = ('Prototyping', 'Building')\nKUMO_STAGE = 'Experimenting'",
              "more than an idea"),
        Right("lower case, a list for the wall",
              "JOURNEY = [s.lower() for s in ['Learning', 'Experimenting', 'Prototyping', "
              "'Building', 'Deploying', 'Scaling']]\nPOC_WALL = ['prototyping', 'building']\n"
              "KUMO_STAGE = 'PROTOTYPING '"),
        Right("sorted by a rank",
              "_rank = {'Learning': 0, 'Experimenting': 1, 'Prototyping': 2, 'Building': 3, "
              "'Deploying': 4, 'Scaling': 5}\nJOURNEY = sorted(STAGES, key=_rank.get)\n"
              "POC_WALL = tuple(JOURNEY[2:4])\nKUMO_STAGE = JOURNEY[2]"),
    ],
    "requirements": [
        Wrong("B (only marketing has a login) as collaboration",
              "REQUIREMENT_OF = {'A': 'AI strategy', 'B': 'collaboration', "
              "'C': 'collaboration', 'D': 'leadership'}\nLEADER_NOT_FIRST = 'C'",
              "wrong requirement"),
        Wrong("A (no first problem chosen) as leadership",
              "REQUIREMENT_OF = {'A': 'leadership', 'B': 'data strategy', "
              "'C': 'collaboration', 'D': 'leadership'}\nLEADER_NOT_FIRST = 'C'",
              "wrong requirement"),
        Wrong("C and D swapped",
              "REQUIREMENT_OF = {'A': 'AI strategy', 'B': 'data strategy', "
              "'C': 'leadership', 'D': 'collaboration'}\nLEADER_NOT_FIRST = 'C'",
              "2 of 4"),
        Wrong("fast PoCs are not a first move",
              "REQUIREMENT_OF = {'A': 'AI strategy', 'B': 'data strategy', "
              "'C': 'collaboration', 'D': 'leadership'}\nLEADER_NOT_FIRST = 'D'",
              "not that one"),
        Wrong("data quality can wait",
              "REQUIREMENT_OF = {'A': 'AI strategy', 'B': 'data strategy', "
              "'C': 'collaboration', 'D': 'leadership'}\nLEADER_NOT_FIRST = 'B'",
              "data quality"),
        Wrong("short names, not the table's",
              "REQUIREMENT_OF = {'A': 'AI', 'B': 'data', 'C': 'collaboration', "
              "'D': 'leadership'}\nLEADER_NOT_FIRST = 'C'", "should be one of"),
        Wrong("lower-case observation keys",
              "REQUIREMENT_OF = {'a': 'AI strategy', 'b': 'data strategy', "
              "'c': 'collaboration', 'd': 'leadership'}\nLEADER_NOT_FIRST = 'C'",
              "lacks the observations"),
        Right("zip with REQUIREMENTS, a lower-case letter",
              "REQUIREMENT_OF = dict(zip('ABCD', REQUIREMENTS))\nLEADER_NOT_FIRST = 'c'"),
        Right("other capitals and spaces",
              "REQUIREMENT_OF = {'A': 'ai strategy', 'B': 'Data Strategy ', "
              "'C': 'Collaboration', 'D': ' LEADERSHIP'}\nLEADER_NOT_FIRST = ' C'"),
    ],
    "profile_table": [
        Wrong("freshness left as a Timedelta",
              "def profile_table(table, date_column, today):\n"
              "    return {'rows': len(table), 'days_since_newest': today - "
              "table[date_column].max(),\n"
              "            'missing_share': float(table.isna().to_numpy().mean())}",
              "Timedelta"),
        Wrong("age of the oldest row",
              "def profile_table(table, date_column, today):\n"
              "    return {'rows': len(table),\n"
              "            'days_since_newest': (today - table[date_column].min()) / "
              "pd.Timedelta(days=1),\n"
              "            'missing_share': float(table.isna().to_numpy().mean())}", "oldest"),
        Wrong("measured from the computer's clock",
              "def profile_table(table, date_column, today):\n"
              "    return {'rows': len(table),\n"
              "            'days_since_newest': (pd.Timestamp.now() - table[date_column].max())"
              " / pd.Timedelta(days=1),\n"
              "            'missing_share': float(table.isna().to_numpy().mean())}", "clock"),
        Wrong("whole days with .days",
              "def profile_table(table, date_column, today):\n"
              "    return {'rows': len(table),\n"
              "            'days_since_newest': (today - table[date_column].max()).days,\n"
              "            'missing_share': float(table.isna().to_numpy().mean())}",
              "with fractions"),
        Wrong("counts the missing cells, no share",
              "def profile_table(table, date_column, today):\n"
              "    return {'rows': len(table),\n"
              "            'days_since_newest': (today - table[date_column].max()) / "
              "pd.Timedelta(days=1),\n"
              "            'missing_share': int(table.isna().sum().sum())}", "not a count"),
        Wrong("share of rows with a missing value",
              "def profile_table(table, date_column, today):\n"
              "    return {'rows': len(table),\n"
              "            'days_since_newest': (today - table[date_column].max()) / "
              "pd.Timedelta(days=1),\n"
              "            'missing_share': float(table.isna().any(axis=1).mean())}",
              "counted rows"),
        Wrong("missing share of the date column only",
              "def profile_table(table, date_column, today):\n"
              "    return {'rows': len(table),\n"
              "            'days_since_newest': (today - table[date_column].max()) / "
              "pd.Timedelta(days=1),\n"
              "            'missing_share': float(table[date_column].isna().mean())}",
              "missing cells"),
        Wrong("the share per column, not one number",
              "def profile_table(table, date_column, today):\n"
              "    return {'rows': len(table),\n"
              "            'days_since_newest': (today - table[date_column].max()) / "
              "pd.Timedelta(days=1),\n"
              "            'missing_share': table.isna().mean()}", "a number between"),
        Right("sum over size, seconds over a day",
              "def profile_table(table, date_column, today):\n"
              "    age = today - table[date_column].dropna().max()\n"
              "    return {'rows': table.shape[0], 'days_since_newest': age.total_seconds() / "
              "86_400,\n"
              "            'missing_share': table.isna().sum().sum() / table.size}"),
        Right("mean of the column means, age by the smallest gap",
              "def profile_table(table, date_column, today):\n"
              "    return {'rows': int(table.index.size),\n"
              "            'days_since_newest': (today - table[date_column]).min() / "
              "pd.Timedelta('1D'),\n"
              "            'missing_share': float(table.isna().mean().mean())}"),
    ],
    "readiness_level": [
        Wrong("ignores who can reach the data",
              "def readiness_level(labelled, in_one_repository, teams_with_access, "
              "all_teams):\n"
              "    if not labelled:\n        return 'acceptable'\n"
              "    return 'optimal' if in_one_repository else 'better'", "not enough"),
        Wrong("any team with access counts as every team",
              "def readiness_level(labelled, in_one_repository, teams_with_access, "
              "all_teams):\n"
              "    if not labelled:\n        return 'acceptable'\n"
              "    if in_one_repository and len(teams_with_access) > 0:\n"
              "        return 'optimal'\n    return 'better'", "some teams cannot read"),
        Wrong("tests the top level before the labels",
              "def readiness_level(labelled, in_one_repository, teams_with_access, "
              "all_teams):\n"
              "    if in_one_repository and set(all_teams) <= set(teams_with_access):\n"
              "        return 'optimal'\n"
              "    if not labelled:\n        return 'acceptable'\n    return 'better'",
              "without labels"),
        Wrong("labelled but scattered counted as acceptable",
              "def readiness_level(labelled, in_one_repository, teams_with_access, "
              "all_teams):\n"
              "    if not (labelled and in_one_repository):\n        return 'acceptable'\n"
              "    if set(all_teams) <= set(teams_with_access):\n        return 'optimal'\n"
              "    return 'better'", "middle level"),
        Wrong("compares the teams with ==",
              "def readiness_level(labelled, in_one_repository, teams_with_access, "
              "all_teams):\n"
              "    if not labelled:\n        return 'acceptable'\n"
              "    if in_one_repository and teams_with_access == all_teams:\n"
              "        return 'optimal'\n    return 'better'", "as sets"),
        Wrong("<= on the collections as given (lists compare by order)",
              "def readiness_level(labelled, in_one_repository, teams_with_access, "
              "all_teams):\n"
              "    if not labelled:\n        return 'acceptable'\n"
              "    if in_one_repository and all_teams <= teams_with_access:\n"
              "        return 'optimal'\n    return 'better'", "compare the teams as sets"),
        Right("all() over the teams, capitalised",
              "def readiness_level(labelled, in_one_repository, teams_with_access, "
              "all_teams):\n"
              "    everyone = all(t in teams_with_access for t in all_teams)\n"
              "    if labelled and in_one_repository and everyone:\n        return 'Optimal'\n"
              "    return 'Better' if labelled else 'Acceptable'"),
        Right("issubset with a lookup",
              "def readiness_level(labelled, in_one_repository, teams_with_access, "
              "all_teams):\n"
              "    top = set(all_teams).issubset(teams_with_access) and in_one_repository\n"
              "    return {False: 'acceptable', True: 'optimal' if top else 'better'}"
              "[bool(labelled)]"),
    ],
    "pilot_team": [
        Wrong("the leakage check given to the ML engineer",
              "OWNER_OF = {'a': 'product manager', 'b': 'data scientist', 'c': 'ML engineer',\n"
              "            'd': 'product manager', 'e': 'ML engineer', 'f': 'ML engineer'}",
              "more than two"),
        Wrong("criteria (statistics) to the data scientist, leakage to the product manager",
              "OWNER_OF = {'a': 'data scientist', 'b': 'data scientist', 'c': 'ML engineer',\n"
              "            'd': 'product manager', 'e': 'product manager', 'f': 'ML engineer'}",
              "wrong owner"),
        Wrong("retraining is model work: b and f swapped",
              "OWNER_OF = {'a': 'product manager', 'b': 'ML engineer', 'c': 'ML engineer',\n"
              "            'd': 'product manager', 'e': 'data scientist', 'f': 'data scientist'}",
              "wrong owner"),
        Wrong("short role names",
              "OWNER_OF = {'a': 'PM', 'b': 'data scientist', 'c': 'engineer',\n"
              "            'd': 'PM', 'e': 'data scientist', 'f': 'engineer'}",
              "should be one of"),
        Wrong("only five tasks",
              "OWNER_OF = {'a': 'product manager', 'b': 'data scientist', 'c': 'ML engineer',\n"
              "            'd': 'product manager', 'e': 'data scientist'}", "lacks the tasks"),
        Right("inverted from role to tasks",
              "_tasks = {'product manager': 'ad', 'data scientist': 'be', 'ML engineer': 'cf'}\n"
              "OWNER_OF = {t: role for role, ts in _tasks.items() for t in ts}"),
        Right("upper-case task letters (the visible check lowercases keys)",
              "OWNER_OF = {'A': 'Product Manager', 'B': 'Data Scientist', 'C': 'ml engineer',\n"
              "            'D': 'product manager', 'E': 'data scientist', 'F': 'ML Engineer'}"),
    ],
    # ---------------------------------------------------------------- 09 first step, briefing
    "step_cost": [
        Wrong("forgets the machine",
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    people = sum(h * yen_per_hour[r] for r, h in hours_per_week.items())\n"
              "    return Money(people * weeks)", "machine's cost is missing"),
        Wrong("the monthly machine times the weeks",
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    people = sum(h * yen_per_hour[r] for r, h in hours_per_week.items())\n"
              "    return Money((people + machine_yen_per_month) * weeks)", "rented per month"),
        Wrong("a month taken as 4 weeks",
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    people = sum(h * yen_per_hour[r] for r, h in hours_per_week.items())\n"
              "    return Money(people * weeks + machine_yen_per_month / 4 * weeks)",
              "not 4 weeks"),
        Wrong("a month taken as 52/12 weeks",
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    people = sum(h * yen_per_hour[r] for r, h in hours_per_week.items())\n"
              "    return Money(people * weeks + machine_yen_per_month * 12 / 52 * weeks)",
              "not the step's cost"),
        Wrong("one hourly rate for everyone",
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    rate = list(yen_per_hour.values())[0]\n"
              "    people = Rate(sum(hours_per_week.values()) * rate, per='week')\n"
              "    return people.over(weeks, 'week') + Rate(machine_yen_per_month, "
              "per='month').over(weeks, 'week')", "own hourly rate"),
        Wrong("returns a Rate per week (forgot .over)",
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    people = Rate(0, per='week')\n"
              "    for role, hours in hours_per_week.items():\n"
              "        people = people + staff_cost(hours, yen_per_hour[role], per='week')\n"
              "    return people + Rate(machine_yen_per_month, per='month').to('week')",
              "returned a Rate"),
        Wrong("a bare number of yen, not a Money",
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    people = sum(h * yen_per_hour[r] for r, h in hours_per_week.items())\n"
              "    return people * weeks + machine_yen_per_month * 12 / 365 * 7 * weeks",
              "should return a money"),
        Wrong("hard-codes step 3's cost",
              "_c = step_cost(STEPS.loc[2, 'hours_per_week'], YEN_PER_HOUR, "
              "STEPS.loc[2, 'weeks'], STEPS.loc[2, 'machine_yen_per_month'])\n"
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    return _c", "", hardcoded=True),
        Right("plain yen, converted by hand",
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    weekly = sum(h * yen_per_hour[r] for r, h in hours_per_week.items())\n"
              "    machine_per_week = machine_yen_per_month * 12 / 365 * 7\n"
              "    return Money((weekly + machine_per_week) * weeks)"),
        Right("Rates summed with sum() and a start",
              "def step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month):\n"
              "    people = sum((staff_cost(h, yen_per_hour[r], per='week') for r, h in "
              "hours_per_week.items()), Rate(0, per='week'))\n"
              "    total = people + Rate(machine_yen_per_month, per='month').to('week')\n"
              "    return total.over(weeks, 'week')"),
    ],
    "break_even_lift": [
        Wrong("daily margin times the months",
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    per_day = (results['rule_mails_per_day'] * results['rule_rate'] * "
              "results['rule_orders_per_access'] * margin_yen_per_order)\n"
              "    return cost.yen / (per_day * horizon_months)", "30 times"),
        Wrong("every access counted as an order",
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    margin = Rate(results['rule_mails_per_day'] * results['rule_rate'] * "
              "margin_yen_per_order, per='day')\n"
              "    return cost / margin.over(horizon_months, 'month')", "orders per access"),
        Wrong("the random lists' rate, not the query's",
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    margin = Rate(results['rule_mails_per_day'] * results['random_rate'] * "
              "results['rule_orders_per_access'] * margin_yen_per_order, per='day')\n"
              "    return cost / margin.over(horizon_months, 'month')", "replace step 2"),
        Wrong("in per cent",
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    margin = Rate(results['rule_mails_per_day'] * results['rule_rate'] * "
              "results['rule_orders_per_access'] * margin_yen_per_order, per='day')\n"
              "    return 100 * cost / margin.over(horizon_months, 'month')", "per cent"),
        Wrong("a month taken as 30 days",
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    per_day = (results['rule_mails_per_day'] * results['rule_rate'] * "
              "results['rule_orders_per_access'] * margin_yen_per_order)\n"
              "    return cost.yen / (per_day * 30 * horizon_months)", "break-even lift"),
        Wrong("divides the Money by a number: a Money back",
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    per_day = (results['rule_mails_per_day'] * results['rule_rate'] * "
              "results['rule_orders_per_access'] * margin_yen_per_order)\n"
              "    return cost / (per_day * 365 / 12 * horizon_months)", "should return a number"),
        Wrong("the ratio upside down (margin over cost)",
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    margin = Rate(results['rule_mails_per_day'] * results['rule_rate'] * "
              "results['rule_orders_per_access'] * margin_yen_per_order, per='day')\n"
              "    return margin.over(horizon_months, 'month') / cost", "break-even lift"),
        Wrong("hard-codes this shop's break-even lift",
              "_l = break_even_lift(RESULTS, STEP3_COST, MARGIN_YEN_PER_ORDER, HORIZON_MONTHS)\n"
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    return _l", "", hardcoded=True),
        Right("plain yen, months as 365/12 days",
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    orders = results['rule_mails_per_day'] * results['rule_rate'] * "
              "results['rule_orders_per_access']\n"
              "    days = horizon_months * 365 / 12\n"
              "    return cost.yen / (orders * margin_yen_per_order * days)"),
        Right("a monthly Rate with .to",
              "def break_even_lift(results, cost, margin_yen_per_order, horizon_months):\n"
              "    daily = Rate(results['rule_mails_per_day'] * results['rule_rate'] * "
              "results['rule_orders_per_access'] * margin_yen_per_order, per='day')\n"
              "    return cost.yen / (daily.to('month').yen * horizon_months)"),
    ],
    "first_step_plan": [
        Wrong("all the query's mails per arm, not half",
              _PLAN.replace(_PER_WEEK, "results['rule_mails_per_day'] * 7"),
              "half of the mails"),
        Wrong("mails per arm per day: a number of days",
              _PLAN.replace(_PER_WEEK, "results['rule_mails_per_day'] / 2"),
              "number of days"),
        Wrong("weeks not rounded up",
              _PLAN.replace("math.ceil(mails / per_week)", "mails / per_week"),
              "whole number"),
        Wrong("weeks truncated with int()",
              _PLAN.replace("math.ceil(mails / per_week)", "int(mails / per_week)"),
              "round up"),
        Wrong("weeks rounded to the nearest",
              _PLAN.replace("math.ceil(mails / per_week)", "round(mails / per_week)"),
              "round up"),
        Wrong("baseline from the random lists",
              _PLAN.replace("'baseline_rate': results['rule_rate']",
                            "'baseline_rate': results['random_rate']"), "not random lists"),
        Wrong("decision date without the build",
              _PLAN.replace("BUILD_WEEKS + weeks", "weeks"), "add build_weeks"),
        Wrong("decision date in days, not weeks",
              _PLAN.replace("pd.Timedelta(weeks=BUILD_WEEKS + weeks)",
                            "pd.Timedelta(days=BUILD_WEEKS + weeks)"), "decision_date"),
        Wrong("notebook 5's +10% bar, not min_lift",
              _PLAN.replace("'min_lift': min_lift", "'min_lift': 0.10"), "min_lift"),
        Wrong("sized on notebook 5's A/B rate, not the query's season rate",
              _PLAN.replace("mails_needed(results['rule_rate']",
                            "mails_needed(results['ab_rule_rate']"), "mails_per_arm"),
        Wrong("support as one text",
              _PLAN.replace("['the pilot team: Aoi, Sora and Ken', 'the data in one warehouse']",
                            "'the pilot team and the data in one warehouse'"),
              "at least two"),
        Wrong("hard-codes this shop's plan",
              "_p = first_step_plan(RESULTS, MIN_LIFT, START)\n"
              "def first_step_plan(results, min_lift, start):\n"
              "    return dict(_p)", "", hardcoded=True),
        Right("ceil by negative floor division, a DateOffset",
              "def first_step_plan(results, min_lift, start):\n"
              "    mails = mails_needed(results['rule_rate'], min_lift, ALPHA, POWER)\n"
              "    weeks = int(-(-mails // (results['rule_mails_per_day'] * 3.5)))\n"
              "    start = pd.to_datetime(start)\n"
              "    criteria = dict(baseline_rate=results['rule_rate'], min_lift=min_lift,\n"
              "                    alpha=ALPHA, max_extra_unsubscribe_rate="
              "MAX_EXTRA_UNSUBSCRIBE_RATE)\n"
              "    return dict(step='step 3 in production', start=start, pilot_weeks=weeks,\n"
              "                mails_per_arm=mails,\n"
              "                decision_date=start + pd.DateOffset(weeks=BUILD_WEEKS + weeks),\n"
              "                decision_maker='executive board',\n"
              "                support_needed=('pilot team hours', 'one data warehouse', "
              "'a stop is a result'),\n"
              "                go_criteria=criteria)"),
    ],
    "first_step_decision": [
        Wrong("lift over the baseline written before, not the pilot's query arm",
              _DEC.replace("lift(m_rate, q_rate)", "lift(m_rate, criteria['baseline_rate'])"),
              "compare the arms"),
        Wrong("no significance test",
              _DEC.replace("p < criteria['alpha']", "True"), "test significance"),
        Wrong("ignores the unsubscribes",
              _DEC.replace("m_unsub - q_unsub <= criteria['max_extra_unsubscribe_rate']",
                           "True"), "unsubscribes rise"),
        Wrong("unsubscribes compared as counts, not per mail",
              _DEC.replace("m_unsub - q_unsub", "model['unsubscribed'] - rule['unsubscribed']"),
              "beats the query by 20%"),
        Wrong("the lift as a difference of rates",
              _DEC.replace("lift(m_rate, q_rate)", "m_rate - q_rate"), "beats the query by 20%"),
        Wrong("thresholds typed in",
              _DEC.replace("criteria['max_extra_unsubscribe_rate']", "0.001"),
              "read the thresholds"),
        Wrong("returns True/False",
              _DEC.replace("return 'go' if ok else 'stop'", "return ok"), "the text"),
        Wrong("p-value taken as a significance when above alpha",
              _DEC.replace("p < criteria['alpha']", "p > criteria['alpha']"), "20%"),
        Right("all() over the three conditions",
              "def first_step_decision(pilot, criteria):\n"
              "    r, m = pilot['rule'], pilot['model']\n"
              "    rate = lambda arm, key: arm[key] / arm['mails']\n"
              "    checks = [\n"
              "        (rate(m, 'accesses') - rate(r, 'accesses')) / rate(r, 'accesses') >= "
              "criteria['min_lift'],\n"
              "        two_proportion_test(r['accesses'], r['mails'], m['accesses'], "
              "m['mails']).p_value < criteria['alpha'],\n"
              "        rate(m, 'unsubscribed') - rate(r, 'unsubscribed') <= "
              "criteria['max_extra_unsubscribe_rate'],\n"
              "    ]\n"
              "    return 'go' if all(checks) else 'stop'"),
    ],
}
