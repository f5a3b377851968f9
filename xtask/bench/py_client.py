"""A client of `cargo xtask bench`: Polar's Python SDK streams every customer meter.

usage: python client.py URL ITEMS LIMIT
"""

import sys

from polar.v2026_10 import Polar

url, limit = sys.argv[1], int(sys.argv[3])
polar = Polar("polar_oat_bench", base_url=url)
seen = 0
for meter in polar.customer_meters.iter_list(limit=limit):
    if meter.id:
        seen += 1
print(f"items {seen}")
