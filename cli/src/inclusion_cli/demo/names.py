"""Names for the demo's settings and Communities of Schools: fictional, but the kind people
would read on a sign ("Oakfield Primary School, Margate"). A setting's name is not personal
data; children never have names. Towns are Kent's own, three to a district."""

from __future__ import annotations

import random
from collections.abc import Iterable

from inclusion_shared.kent import District

TOWNS: dict[District, tuple[str, str, str]] = {
    District.ASHFORD: ("Ashford", "Tenterden", "Charing"),
    District.CANTERBURY: ("Canterbury", "Whitstable", "Herne Bay"),
    District.DARTFORD: ("Dartford", "Greenhithe", "Wilmington"),
    District.DOVER: ("Dover", "Deal", "Sandwich"),
    District.FOLKESTONE_AND_HYTHE: ("Folkestone", "Hythe", "New Romney"),
    District.GRAVESHAM: ("Gravesend", "Northfleet", "Meopham"),
    District.MAIDSTONE: ("Maidstone", "Headcorn", "Marden"),
    District.SEVENOAKS: ("Sevenoaks", "Swanley", "Edenbridge"),
    District.SWALE: ("Sittingbourne", "Faversham", "Sheerness"),
    District.THANET: ("Margate", "Ramsgate", "Broadstairs"),
    District.TONBRIDGE_AND_MALLING: ("Tonbridge", "West Malling", "Snodland"),
    District.TUNBRIDGE_WELLS: ("Tunbridge Wells", "Cranbrook", "Paddock Wood"),
}

STEMS = (
    "Oakfield", "Elmstead", "Beechwood", "Hazelmere", "Willowbrook", "Ashgrove", "Hollybank",
    "Meadowside", "Brookfield", "Orchard Vale", "Castle Hill", "Abbey Wood", "Priory Fields",
    "Riverside", "Fairview", "Greenacre", "Kingsmead", "Queensway", "St Augustine's",
    "St Mildred's", "St Nicholas", "Holy Trinity", "Christ Church", "Hillcrest", "Westlands",
    "Northgate", "Southfields", "Lime Tree", "Cherry Orchard", "Hop Garden", "Downsview",
    "Weald", "Marshside", "Chalk Hill", "Oast House", "Windmill", "Bluebell", "Foxglove",
    "Kestrel", "Heron", "Skylark", "Swallowfield", "Badgers Wood", "Elm Court", "Maple Lane",
    "Rowan Tree", "Birchwood", "Cedar Park", "Poplar Grove", "Linden", "Juniper", "Bramble",
    "Hawthorn", "Sycamore", "Larkfield", "Chestnut Walk", "Harbour View", "Seaview",
    "Cliffside", "Bay Tree", "Goldfinch", "Kingfisher", "Primrose", "Cowslip", "Mill Stream",
    "Long Meadow", "Oak Tree", "Pilgrims Way", "Roman Road", "Saxon Way", "Forest Gate",
    "Garden Hill", "Valley Park", "Woodlands", "Parkside", "Church Lane", "Green Lane",
    "Station Road", "Bell Lane", "Victoria", "Albion", "Jubilee", "Coronation", "Wellington",
)  # fmt: skip

KINDS = {
    "primary": (
        "Primary School",
        "Primary School",
        "CE Primary School",
        "Infant and Junior School",
    ),
    "nursery-primary": ("Primary School and Nursery",),
    "secondary": ("School", "Academy", "High School", "Grammar School"),
    "post-16": ("Sixth Form College",),
    "special": ("School",),
    "srp": ("Specialist Resource Provision",),
    "pru": ("Pupil Referral Unit",),
    "pvi": ("Pre-School", "Day Nursery", "Playgroup"),
    "maintained-nursery": ("Nursery School",),
    "childminder": ("Childminding",),
    "portage": ("Portage Service",),
}


def community_name(town: str) -> str:
    return f"{town} Community of Schools"


class Namer:
    """Hands out setting names from a seed, none twice."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:names")
        self.used: set[str] = set()

    def name(self, kind: str, town: str, host: str | None = None) -> str:
        """A name for a setting of a kind (a key of ``KINDS``) in a town; an SRP is named for
        the school that hosts it, a PRU and a Portage service for their town alone."""
        if host is not None:
            return self._unique([f"{KINDS[kind][0]} at {host}"])
        if kind in ("pru", "portage"):
            return self._unique([f"{town} {KINDS[kind][0]}"])
        suffix = self.rng.choice(KINDS[kind])
        stems = self.rng.sample(STEMS, len(STEMS))
        return self._unique(f"{stem} {suffix}, {town}" for stem in stems)

    def _unique(self, candidates: Iterable[str]) -> str:
        """The first candidate not handed out yet; else the last, numbered: "... (2)"."""
        last = ""
        for candidate in candidates:
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
            last = candidate
        found = next(f"{last} ({n})" for n in range(2, 100_000) if f"{last} ({n})" not in self.used)
        self.used.add(found)
        return found
