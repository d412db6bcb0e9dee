"""Kent demo data, generated from a seed: the same seed always gives the same data.

Twelve districts in four areas (as `inclusion_shared.kent` names them), settings of every kind
(mainstream, SRPs designated by need and year range, special schools, PRUs, early years
settings, Portage), children known only by pseudonymous ids and coarse attributes, a local
panel per area, and each area's High Needs budget. Two sizes: ``demo`` (a Community of Schools
per district, sixty settings, three hundred children) and ``kent`` (Kent as it is: three
Communities of Schools a district, about six hundred schools with early years settings and
sixth-form colleges besides, twenty thousand children with EHC plans). Settings and
Communities of Schools have names people would read (``names``); children have none, nor dates
of birth: nothing here could be anyone.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from inclusion_cli.demo.names import TOWNS, Namer, community_name
from inclusion_shared.identifiers import child_id_for, person_id_for
from inclusion_shared.kent import AREA_OF, Area, District

DEFAULT_SEED = 2026
CHILDREN = 300
Scale = Literal["demo", "kent"]
SCALES: tuple[Scale, ...] = ("demo", "kent")
KENT_CHILDREN = 20_000
"""Children with EHC plans Kent maintains, roughly."""
# Kent's schools, roughly: primaries, secondaries and special schools by district, shared out in
# proportion to each district's share of Kent's children.
KENT_SCHOOLS = {"primary": 460, "secondary": 100, "special": 24}
DISTRICT_SHARE = {
    District.MAIDSTONE: 125, District.CANTERBURY: 110, District.SWALE: 110,
    District.THANET: 105, District.ASHFORD: 100, District.TONBRIDGE_AND_MALLING: 100,
    District.SEVENOAKS: 90, District.TUNBRIDGE_WELLS: 90, District.DOVER: 90,
    District.FOLKESTONE_AND_HYTHE: 85, District.DARTFORD: 85, District.GRAVESHAM: 80,
}  # fmt: skip
EARLY_YEARS = -1  # the final pre-school year, as placements numbers year groups

# Primary type of need (SEN2 codes), roughly as common as they are in Kent's EHCPs.
NEEDS = ("ASD", "SLCN", "SEMH", "MLD", "SPLD", "SLD", "PD", "HI", "PMLD", "VI")
NEED_WEIGHTS = (30, 22, 16, 9, 6, 6, 4, 3, 2, 2)

# Specialist provision: (kind, need types, lowest year, highest year). No SEMH SRPs; secondary
# SRPs take Years 7-11 only.
Designated = tuple[str, tuple[str, ...], int, int]
"""(kind, need types, lowest year, highest year)."""

SRPS: tuple[Designated, ...] = (
    ("srp", ("ASD",), 0, 6),
    ("srp", ("SLCN",), 0, 6),
    ("srp", ("HI",), 0, 6),
    ("srp", ("ASD",), 7, 11),
    ("srp", ("SPLD",), 7, 11),
    ("srp", ("PD",), 7, 11),
)
SPECIAL_SCHOOLS: tuple[Designated, ...] = (
    ("special", ("ASD", "SLCN"), 0, 14),
    ("special", ("SLD", "PMLD"), 0, 14),
    ("special", ("SEMH",), 3, 11),
    ("special", ("PD", "VI", "HI"), 0, 14),
    ("special", ("MLD", "ASD"), 3, 14),
)
# How each early years setting is run, as funding knows it (SENIF and DAF go to these).
EARLY_YEARS_KINDS = (
    "pvi",
    "pvi",
    "pvi",
    "pvi",
    "pvi",
    "maintained-nursery",
    "maintained-nursery",
    "childminder",
)


def senco_of(setting_id: str) -> str:
    """The person id of the demo's SENCO at a setting: the same in every run."""
    return person_id_for(f"senco-{setting_id}")


@dataclass(frozen=True)
class DemoSetting:
    """A setting as the placements registry takes it, with the demo's places per year group."""

    setting_id: str
    provision: str
    district: District
    community_id: str
    lowest_year: int
    highest_year: int
    need_types: tuple[str, ...] = ()
    places: int = 30
    early_years_kind: str | None = None  # pvi, maintained-nursery, childminder
    name: str | None = None
    community_name: str | None = None

    @property
    def area(self) -> Area:
        return AREA_OF[self.district]

    def takes(self, year_group: int) -> bool:
        return self.lowest_year <= year_group <= self.highest_year

    def registration(self) -> dict[str, Any]:
        return {
            "setting_id": self.setting_id,
            "provision": self.provision,
            "district": self.district.value,
            "community_id": self.community_id,
            "lowest_year": self.lowest_year,
            "highest_year": self.highest_year,
            "need_types": list(self.need_types),
            **({"name": self.name} if self.name else {}),
            **({"community_name": self.community_name} if self.community_name else {}),
        }

    def capacity(self, academic_year: str) -> dict[str, Any]:
        """Places for a year: per year group in mainstream, for the designation elsewhere."""
        if self.provision == "mainstream":
            years = range(self.lowest_year, self.highest_year + 1)
            by_year = [{"year_group": year, "places": self.places} for year in years]
            return {"academic_year": academic_year, "by_year_group": by_year}
        return {"academic_year": academic_year, "designated_places": self.places}


@dataclass(frozen=True)
class DemoChild:
    """A child as the suite knows them: an id and coarse attributes, nothing more."""

    child_id: str
    district: District
    year_group: int
    need_type: str
    has_ehcp: bool
    receives_dla: bool
    setting_id: str  # where the child is now


@dataclass(frozen=True)
class PanelSeat:
    member_id: str
    role: str  # kcc-officer, senco, headteacher
    declared_interests: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoPanel:
    """An area's local panel: officers, SENCOs and a headteacher, each declaring the settings
    they have an interest in (their own)."""

    panel_id: str
    area: Area
    seats: tuple[PanelSeat, ...]

    def members(self) -> list[dict[str, Any]]:
        return [
            {
                "member_id": s.member_id,
                "role": s.role,
                "declared_interests": list(s.declared_interests),
            }
            for s in self.seats
        ]

    def roster(self, term_from: date, term_to: date) -> list[dict[str, Any]]:
        """The panel's roster as an officer keeps it (``PUT /panels/{panel_id}`` in funding and
        placements): every member serving from ``term_from`` to ``term_to``, trained the day
        before their term began."""
        trained_on = date.fromordinal(term_from.toordinal() - 1).isoformat()
        return [
            {
                **member,
                "term_from": term_from.isoformat(),
                "term_to": term_to.isoformat(),
                "trained_on": trained_on,
            }
            for member in self.members()
        ]

    def voters(self, settings_under_decision: set[str], count: int = 3) -> list[str]:
        """Members free of interest in the settings decided on: an officer and a SENCO first
        (each panel's quorum asks for both), then whoever else is free."""
        free = [s for s in self.seats if not settings_under_decision & set(s.declared_interests)]
        officers = [s for s in free if s.role == "kcc-officer"]
        sencos = [s for s in free if s.role == "senco"]
        if not officers or not sencos:
            raise ValueError(f"{self.panel_id}: no quorum free of interest")
        chosen = [officers[0], sencos[0]]
        chosen += [s for s in free if s not in chosen][: max(0, count - 2)]
        return [s.member_id for s in chosen]


@dataclass(frozen=True)
class KentDemo:
    seed: int
    prefix: str
    communities: dict[District, str]
    """Each district's first Community of Schools."""
    settings: tuple[DemoSetting, ...]
    children: tuple[DemoChild, ...]
    panels: dict[Area, DemoPanel]
    budgets_pence: dict[Area, int]
    officers: tuple[str, str] = field(
        default=(person_id_for("officer-1"), person_id_for("officer-2"))
    )
    scale: Scale = "demo"

    def setting(self, setting_id: str) -> DemoSetting:
        return next(s for s in self.settings if s.setting_id == setting_id)

    def of_kind(self, provision: str, district: District | None = None) -> list[DemoSetting]:
        return [
            s
            for s in self.settings
            if s.provision == provision and (district is None or s.district is district)
        ]

    def children_where(self, *, provision: str, year_group: int | None = None) -> list[DemoChild]:
        """Children now at a setting of this kind (and in this year group, if given)."""
        kinds = {s.setting_id: s.provision for s in self.settings}
        return [
            c
            for c in self.children
            if kinds[c.setting_id] == provision and year_group in (None, c.year_group)
        ]


def kent_demo(
    seed: int = DEFAULT_SEED,
    children: int | None = None,
    prefix: str | None = None,
    scale: Scale = "demo",
) -> KentDemo:
    """The demo data for a seed and size. Every id starts with `prefix` (`demo<seed>`, or
    `kent<seed>` at Kent's size, unless given), so two seeds, the two sizes, or the end-to-end
    tests never share a setting or a child in one suite."""
    rng = random.Random(seed)
    prefix = prefix or f"{scale}{seed}"
    if scale == "kent":
        settings = _kent_settings(rng, prefix, Namer(seed))
        communities = {d: f"{prefix}-cos-{d.value}-1" for d in District}
    else:
        communities = {d: f"{prefix}-cos-{d.value}" for d in District}
        settings = _named(_settings(rng, prefix, communities), Namer(seed))
    count = children if children is not None else KENT_CHILDREN if scale == "kent" else CHILDREN
    kids = _children(rng, prefix, settings, count)
    officers = (person_id_for(f"{prefix}-officer-1"), person_id_for(f"{prefix}-officer-2"))
    return KentDemo(
        seed=seed,
        prefix=prefix,
        communities=communities,
        settings=settings,
        children=kids,
        panels={area: _panel(rng, prefix, area, settings, officers) for area in Area},
        # About £10m an area: a share of the High Needs Block for top-up, as configuration.
        budgets_pence={area: rng.randrange(800, 1200) * 1_000_000 for area in Area},
        officers=officers,
        scale=scale,
    )


def _named(settings: tuple[DemoSetting, ...], namer: Namer) -> tuple[DemoSetting, ...]:
    """The demo's settings with names: each district's settings in its first town, its one
    Community of Schools named for the district's first two towns."""
    named = []
    for setting in settings:
        first, second, _ = TOWNS[setting.district]
        host = _host(namer, setting, first)
        named.append(
            replace(
                setting,
                name=namer.name(_kind_of(setting), first, host),
                community_name=community_name(f"{first} and {second}"),
            )
        )
    return tuple(named)


def _host(namer: Namer, setting: DemoSetting, town: str) -> str | None:
    """The school an SRP is part of, named for it."""
    if setting.provision != "srp":
        return None
    school = "primary" if setting.highest_year <= 6 else "secondary"
    return namer.name(school, town).removesuffix(f", {town}")


def _kind_of(setting: DemoSetting) -> str:
    """The kind of name a setting gets (a key of `names.KINDS`)."""
    if setting.provision == "mainstream":
        if setting.lowest_year >= 12:
            return "post-16"
        if setting.lowest_year >= 7:
            return "secondary"
        return "nursery-primary" if setting.lowest_year == EARLY_YEARS else "primary"
    if setting.provision == "early-years":
        return setting.early_years_kind or "pvi"
    return setting.provision


def _kent_settings(rng: random.Random, prefix: str, namer: Namer) -> tuple[DemoSetting, ...]:
    """Kent's settings at their real size: in each district, its share of the primaries,
    secondaries and special schools (the first primary in each town with a nursery class), SRPs
    of each designation, a sixth-form college, early years settings of every kind, a Portage
    service, and a PRU in every other district; each in one of its district's three towns, in
    that town's Community of Schools."""
    found: list[DemoSetting] = []

    def add(district: District, kind: str, low: int, high: int, n: int, **extra: Any) -> None:
        towns = TOWNS[district]
        index = n % len(towns)
        town = towns[index]
        setting = DemoSetting(
            setting_id=f"{prefix}-{kind}-{district.value}-{len(found) + 1}",
            provision=kind,
            district=district,
            community_id=f"{prefix}-cos-{district.value}-{index + 1}",
            lowest_year=low,
            highest_year=high,
            community_name=community_name(town),
            **extra,
        )
        host = _host(namer, setting, town)
        found.append(replace(setting, name=namer.name(_kind_of(setting), town, host)))

    total = sum(DISTRICT_SHARE.values())
    for number, district in enumerate(District):
        counts = {
            kind: round(n * DISTRICT_SHARE[district] / total) for kind, n in KENT_SCHOOLS.items()
        }
        for n in range(counts["primary"]):
            low = EARLY_YEARS if n < len(TOWNS[district]) else 0
            add(district, "mainstream", low, 6, n, places=rng.choice((30, 30, 45, 60, 90)))
        for n in range(counts["secondary"]):
            add(district, "mainstream", 7, 13, n, places=rng.choice((150, 180, 210, 240, 270)))
        add(district, "mainstream", 12, 13, 0, places=rng.choice((300, 400, 500)))
        for n, (kind, needs, low, high) in enumerate(SRPS[:5]):
            add(district, kind, low, high, n, need_types=needs, places=rng.randrange(8, 21))
        for n in range(counts["special"]):
            kind, needs, low, high = SPECIAL_SCHOOLS[(number + n) % len(SPECIAL_SCHOOLS)]
            add(district, kind, low, high, n, need_types=needs, places=rng.randrange(80, 221))
        if number % 2 == 0:
            add(district, "pru", 5, 11, 1, places=rng.randrange(20, 41))
        for n in range(25):
            kind = EARLY_YEARS_KINDS[n % len(EARLY_YEARS_KINDS)]
            places = rng.randrange(16, 61) if kind != "childminder" else rng.randrange(3, 7)
            add(
                district,
                "early-years",
                EARLY_YEARS,
                EARLY_YEARS,
                n,
                places=places,
                early_years_kind=kind,
            )
        add(district, "portage", EARLY_YEARS, EARLY_YEARS, 0, places=rng.randrange(20, 41))
    return tuple(found)


def _settings(
    rng: random.Random, prefix: str, communities: dict[District, str]
) -> tuple[DemoSetting, ...]:
    found: list[DemoSetting] = []

    def add(kind: str, district: District, low: int, high: int, **extra: Any) -> None:
        number = 1 + sum(1 for s in found if s.provision == kind and s.district is district)
        found.append(
            DemoSetting(
                setting_id=f"{prefix}-{kind}-{district.value}-{number}",
                provision=kind,
                district=district,
                community_id=communities[district],
                lowest_year=low,
                highest_year=high,
                **extra,
            )
        )

    busiest = {District.MAIDSTONE, District.THANET}
    for district in District:
        # The first primary in each district has a nursery class (it takes the final pre-school
        # year), so it can stand as the nearest mainstream school for an early years child.
        add("mainstream", district, EARLY_YEARS, 6, places=rng.choice((30, 45, 60)))
        for _ in range(2 if district in busiest else 1):
            add("mainstream", district, 0, 6, places=rng.choice((30, 60)))
        add("mainstream", district, 7, 13, places=rng.choice((180, 210, 240)))
    districts = list(District)
    for kind, needs, low, high in (*SRPS, *SPECIAL_SCHOOLS):
        add(kind, rng.choice(districts), low, high, need_types=needs, places=rng.randrange(8, 16))
    add("pru", rng.choice(districts), 5, 11, places=24)
    for kind in EARLY_YEARS_KINDS:
        add(
            "early-years",
            rng.choice(districts),
            EARLY_YEARS,
            EARLY_YEARS,
            places=rng.randrange(16, 40),
            early_years_kind=kind,
        )
    for district in rng.sample(districts, 2):
        add("portage", district, EARLY_YEARS, EARLY_YEARS, places=20)
    return tuple(found)


def _children(
    rng: random.Random, prefix: str, settings: tuple[DemoSetting, ...], count: int
) -> tuple[DemoChild, ...]:
    """Children at settings for their year: early years children near home (in their area, or
    anywhere if none is), school children at a mainstream school in their district."""
    early_years = [s for s in settings if s.provision == "early-years"]
    near = {area: [s for s in early_years if s.area is area] or early_years for area in Area}
    schools = {
        (district, year): [
            s
            for s in settings
            if s.provision == "mainstream" and s.district is district and s.takes(year)
        ]
        for district in District
        for year in range(0, 14)
    }
    found = []
    for number in range(count):
        digest = hashlib.sha256(f"{prefix}:child:{number}".encode()).hexdigest()
        year_group = rng.choice((EARLY_YEARS, EARLY_YEARS, *range(0, 14)))
        need = rng.choices(NEEDS, NEED_WEIGHTS)[0]
        district = rng.choice(list(District))
        if year_group == EARLY_YEARS:
            candidates = near[AREA_OF[district]]
        else:
            candidates = schools[(district, year_group)]
        found.append(
            DemoChild(
                child_id=child_id_for(f"{prefix}-child-{digest[:10]}"),
                district=district,
                year_group=year_group,
                need_type=need,
                has_ehcp=rng.random() < 0.4,
                receives_dla=rng.random() < 0.15,
                setting_id=rng.choice(candidates).setting_id,
            )
        )
    return tuple(found)


def _panel(
    rng: random.Random,
    prefix: str,
    area: Area,
    settings: tuple[DemoSetting, ...],
    officers: tuple[str, str],
) -> DemoPanel:
    schools = [s for s in settings if s.provision == "mainstream" and s.area is area]
    sencos = rng.sample(schools, 3)
    head = rng.choice([s for s in schools if s not in sencos])
    seats = (
        PanelSeat(officers[0], "kcc-officer"),
        PanelSeat(officers[1], "kcc-officer"),
        *(PanelSeat(senco_of(s.setting_id), "senco", (s.setting_id,)) for s in sencos),
        PanelSeat(person_id_for(f"head-{head.setting_id}"), "headteacher", (head.setting_id,)),
    )
    return DemoPanel(f"{prefix}-panel-{area.value}", area, seats)
