"""What to build: one `OrganiserSpec` per organiser, and the presets (the 40 organisers of Flanders, the twins).

Nothing here touches the database: the presets take the municipalities as plain `Place` records.
"""

import math
from dataclasses import dataclass, replace

# Flanders scale (DESIGN.md §5): 20,000 workers, 60,000 clients, 1,000,000 prestaties over five years, 40
# organisers over the 285 municipalities.
FLANDERS_WORKERS = 20_000
FLANDERS_CLIENTS = 60_000
FLANDERS_ORGANISERS = 40
PRESTATIES_PER_WORKER = 51  # scheduled; the caps and the days not yet registered take about 2 %
HISTORY_YEARS = 5
# The two cities that run wijk-werken themselves; every other organiser serves a region of municipalities.
OWN_CITIES = ("11002", "44021")  # Antwerpen, Gent


@dataclass(frozen=True)
class OrganiserSpec:
    """One organiser to generate.

    `workers` and `clients` are the counts at scale 1.0 (`build` multiplies them by its scale). The
    municipalities are NIS codes; without them `municipality_count` free municipalities are taken, the nearest
    to `near` (a NIS code) or to the first free one. The history covers the `years` before the reference day,
    with about `prestaties_per_worker` prestaties per worker.
    """

    name: str
    workers: int
    clients: int
    years: int = HISTORY_YEARS
    municipalities: tuple[str, ...] = ()
    municipality_count: int = 3
    near: str = ""
    prestaties_per_worker: float = PRESTATIES_PER_WORKER
    lowest_price_applies: bool = False

    def scaled(self, scale: float) -> "OrganiserSpec":
        return replace(self, workers=max(1, round(self.workers * scale)), clients=max(2, round(self.clients * scale)))


@dataclass(frozen=True)
class Place:
    """A municipality as the generator sees it."""

    pk: int
    nis_code: str
    name: str
    province: str
    latitude: float
    longitude: float
    population: int
    postcodes: tuple[str, ...]


def split_by_weight(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, whole numbers that add up exactly (largest remainder)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[:total - sum(counts)]:
        counts[i] += 1
    return counts


def flanders_preset(places: list[Place], regions: list[list[Place]]) -> list[OrganiserSpec]:
    """The 40 organisers of Flanders: `regions` (from `places.flanders_regions`) with workers and clients in
    proportion to their population; 20,000 workers and 60,000 clients at scale 1."""
    populations = [sum(p.population for p in region) for region in regions]
    workers = split_by_weight(FLANDERS_WORKERS, populations)
    clients = split_by_weight(FLANDERS_CLIENTS, populations)
    specs = []
    for index, region in enumerate(regions):
        biggest = max(region, key=lambda p: (p.population, p.nis_code))
        if len(region) == 1:
            name = f"Wijk-werken {'Stad ' if biggest.nis_code in OWN_CITIES else ''}{biggest.name}"
        else:
            name = f"Wijk-werken regio {biggest.name}"
        specs.append(OrganiserSpec(
            name=name, workers=workers[index], clients=clients[index],
            municipalities=tuple(p.nis_code for p in sorted(region, key=lambda p: p.nis_code)),
            # Some organisers of several municipalities found no consensus on the cheque price.
            lowest_price_applies=len(region) > 3 and index % 5 == 2,
        ))
    return specs


def twins_preset(*, workers: int = 500, clients: int = 1500, factor: int = 10) -> list[OrganiserSpec]:
    """One organiser of normal size and a twin `factor` times larger, each with three municipalities of its own
    and a history of five years (the page benchmark of issue 16)."""
    return [
        OrganiserSpec(name="Wijk-werken Tweeling 1×", workers=workers, clients=clients, municipality_count=3,
                      near="34022"),  # Kortrijk
        OrganiserSpec(name=f"Wijk-werken Tweeling {factor}×", workers=workers * factor, clients=clients * factor,
                      municipality_count=3, near="31005"),  # Brugge
    ]
