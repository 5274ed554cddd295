"""The fashion-site world: a seeded synthetic shop and its release-mail simulator.

>>> from course.world import make_fashion_site
>>> site = make_fashion_site(n_customers=2_000, seed=1)
>>> site.send_mail(brand_id=1, customer_ids=[1, 2, 3]).columns.tolist()
['customer_id', 'accessed', 'purchased', 'unsubscribed']
"""

from ._generate import make_fashion_site
from ._site import FashionSite

__all__ = ["FashionSite", "make_fashion_site"]
