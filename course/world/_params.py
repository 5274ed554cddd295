"""Hidden parameters of the fashion-site story, kept in one place.

Learners never need these; the course's tests and docs/data.md describe their effect.
"""

SEGMENTS = ("brand_loyal", "price_driven", "window_shopper")
SEGMENT_SHARES = (0.60, 0.30, 0.10)

STYLE_CATEGORIES = ("street", "formal", "outdoor", "sport", "luxury", "casual")
PRICE_TIERS = ("budget", "mid", "premium")
GARMENTS = ("tops", "bottoms", "outerwear", "shoes", "accessories")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55+")
AGE_SHARES = (0.13, 0.31, 0.27, 0.17, 0.12)
REGIONS = ("Hokkaido", "Tohoku", "Kanto", "Chubu", "Kansai", "Chugoku", "Shikoku", "Kyushu")
REGION_SHARES = (0.04, 0.07, 0.35, 0.17, 0.18, 0.06, 0.03, 0.10)
SOURCES = ("mail", "search", "direct", "social")
EVENTS = ("visit", "view", "cart", "purchase", "sold_out", "post")

# Catalogue: every brand releases every 4-6 weeks; items go on sale at 10:00.
RELEASE_GAP_DAYS = (28, 42)
UPCOMING_DAYS = 90
ON_SALE_HOUR = 10
ITEMS_PER_RELEASE = (3, 8)
TIER_PRICE_YEN = (4_500, 12_000, 32_000)
POPULARITY_SIGMA = 0.45
POPULAR_THRESHOLD = 1.3  # popularity multiplier above which a release is "popular"
SALE_AFTER_DAYS = 30
SALE_DISCOUNT = 0.30

# Customers: 70% signed up before the history starts, the rest during it.
SIGNUP_BEFORE_SHARE = 0.70
SIGNUP_BEFORE_MAX_DAYS = 5 * 365

# Activity: heavy-tailed yearly purchase intents, a month-to-month multiplier (AR(1) in logs).
ACTIVITY_MEDIAN = 1.3
ACTIVITY_SIGMA = 1.1
BUY_FACTOR = (1.0, 0.9, 0.08)  # per segment
BROWSE_PER_YEAR = (1.2, 1.5, 5.0)  # browse-only sessions per unit of activity, per segment
MONTH_SIGMA = 0.6
MONTH_RHO = 0.6

# Taste: category preference (concentrated), tier preference per segment, favourites.
CATEGORY_CONCENTRATION = 0.5
TIER_ALPHA = ((1.5, 1.5, 1.0), (4.0, 1.2, 0.15), (1.5, 1.5, 1.0))
FAVOURITE_COUNTS = (1, 2, 3)
FAVOURITE_SHARES = (0.35, 0.40, 0.25)
LOYAL_FAVOURITE_WEIGHT = 0.8
WINDOW_FLAT_WEIGHT = 0.5
AFFINITY_FLOOR = 0.002

# Purchase timing after going on sale, per segment: a share of early buyers (exponential delay,
# mean in days) and late ones (offset + exponential delay). Price-driven wait for the sale.
EARLY_SHARE = (0.65, 0.35, 0.30)
EARLY_MEAN_DAYS = (0.3, 3.0, 2.0)
LATE_MEAN_DAYS = (12.0, 12.0, 15.0)
LATE_OFFSET_DAYS = (0.0, 28.0, 5.0)
SECOND_UNIT_SHARE = 0.08
POST_SHARE = (0.25, 0.05, 0.10)
SOURCE_SHARES = (  # search, direct, social for non-mail sessions, per segment
    (0.30, 0.40, 0.30),
    (0.60, 0.30, 0.10),
    (0.35, 0.25, 0.40),
)

# Stock: popular releases get less stock than demand, the others more.
POPULAR_STOCK_FACTOR = (0.35, 0.75)
REGULAR_STOCK_FACTOR = (1.2, 2.2)

# Past mail campaigns: a random 10-20% of signed-up customers per release.
MAIL_FRACTION = (0.10, 0.20)
ACCESS_WINDOW_HOURS = 72
ACCESS_DELAY_MEAN_HOURS = 2.5

# P(access) = sigmoid(logit); coefficients of the logit.
ACCESS_ALPHA = -3.6
ACCESS_AFFINITY = 1.0  # x log(n_brands * affinity)
ACCESS_RESPONSIVENESS_SIGMA = 0.9  # responsiveness ~ N(0, sigma), independent of activity
ACCESS_MONTH = 0.6  # x log(month multiplier): recent activity
ACCESS_ACTIVITY = 0.15  # x log(activity / median)
ACCESS_POPULARITY = 0.4  # x log(release popularity)
ACCESS_SEGMENT = (0.0, -0.4, 0.1)
ACCESS_FATIGUE = 0.22  # per mail received in the previous FATIGUE_DAYS
FATIGUE_DAYS = 28

# P(purchase | access from a release mail). Calibrated to e-commerce e-mail benchmarks
# (docs/data.md): about 5% of the visits from a random list's mail end in an order, about
# 0.1% of the mails sent; the brand's buyers convert their visits somewhat more often.
BUY_ALPHA = -3.6
BUY_AFFINITY = 0.5
BUY_SEGMENT = (0.3, -0.2, -3.0)

# Unsubscribe: P = base + slope * max(0, mails in window - free)
UNSUB_BASE = 0.001
UNSUB_SLOPE = 0.012
UNSUB_FREE_MAILS = 3
