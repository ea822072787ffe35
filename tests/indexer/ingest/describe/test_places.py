"""Places named in a document, found by the gazetteer."""

from __future__ import annotations

from indexer.ingest.describe.places import find_places
from indexer.ingest.describe.zones import Zone


def test_places_are_listed_in_the_order_of_the_zones_that_name_them():
    # Two zones naming a town each, once: equal weights, so only the zones' order can order
    # them, whichever zone was made first.
    plovdiv = Zone("body", "The cooperative opened a second workshop in Plovdiv last spring.")
    porto = Zone("body", "A partner network grew around a bakery in Porto during the year.")
    for zones in ([plovdiv, porto], [porto, plovdiv]):
        found = find_places(zones)
        names = [name for name, _ in found.places]
        expected = ["Plovdiv", "Porto"] if zones[0] is plovdiv else ["Porto", "Plovdiv"]
        assert names == expected
