"""Where figures are for, and how they drill down: Kent → area → district → Community of
Schools. A scope's table has a row for each place one level down; a Community of Schools is the
finest place, and its table has a row of its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from inclusion_shared.kent import AREA_OF, Area, District, districts_in

NOT_KNOWN = "not-known"
"""The row for facts whose place at that level the events do not tell."""


class Level(IntEnum):
    KENT = 0
    AREA = 1
    DISTRICT = 2
    COMMUNITY = 3


@dataclass(frozen=True)
class Place:
    """Where one fact belongs, as far as the events tell (a part unknown is None)."""

    area: str | None
    district: str | None
    community: str | None

    def at(self, level: Level) -> str | None:
        if level is Level.KENT:
            return "kent"
        if level is Level.AREA:
            return self.area
        if level is Level.DISTRICT:
            return self.district
        return self.community


@dataclass(frozen=True)
class Scope:
    """The place a page is about, written ``kent``, ``area:east-kent``, ``district:thanet`` or
    ``community:cos-thanet-1``."""

    level: Level
    code: str = "kent"
    called: str | None = field(default=None, compare=False)
    """What people call a Community of Schools, where the registry says (``named``)."""

    @classmethod
    def parse(cls, text: str) -> Scope:
        """Raises ValueError for anything but a known area or district, or a community code."""
        if text == "kent":
            return KENT
        kind, _, code = text.partition(":")
        if kind == "area":
            return cls(Level.AREA, Area(code).value)
        if kind == "district":
            return cls(Level.DISTRICT, District(code).value)
        if kind == "community" and code and len(code) <= 64 and code.isprintable():
            return cls(Level.COMMUNITY, code)
        raise ValueError(f"{text!r} is not a place: kent, area:…, district:… or community:…")

    def __str__(self) -> str:
        return "kent" if self.level is Level.KENT else f"{self.level.name.lower()}:{self.code}"

    @property
    def name(self) -> str:
        if self.level is Level.KENT:
            return "Kent"
        if self.level is Level.COMMUNITY:
            return self.called or f"Community of Schools {self.code}"
        return place_name(self.code)

    def named(self, names: Mapping[str, str]) -> Scope:
        """The same place, under the name people call it by (a Community of Schools')."""
        if self.level is not Level.COMMUNITY or self.code not in names:
            return self
        return Scope(self.level, self.code, names[self.code])

    @property
    def rows_level(self) -> Level:
        """The level of the rows in this scope's tables."""
        return Level(min(self.level + 1, Level.COMMUNITY))

    def contains(self, place: Place) -> bool:
        return self.level is Level.KENT or place.at(self.level) == self.code

    def child(self, code: str) -> Scope | None:
        """The scope a row drills down to (none for a place not known)."""
        if code == NOT_KNOWN or self.level is Level.COMMUNITY:
            return None
        return Scope(self.rows_level, code)

    def parent(self) -> Scope | None:
        if self.level is Level.KENT:
            return None
        if self.level is Level.AREA:
            return KENT
        if self.level is Level.DISTRICT:
            return Scope(Level.AREA, AREA_OF[District(self.code)].value)
        return None

    def expected_rows(self) -> tuple[str, ...]:
        """Rows every table at this scope has, whether or not anything was counted there."""
        if self.level is Level.KENT:
            return tuple(sorted(area.value for area in Area))
        if self.level is Level.AREA:
            return tuple(district.value for district in districts_in(Area(self.code)))
        if self.level is Level.COMMUNITY:
            return (self.code,)
        return ()


KENT = Scope(Level.KENT)


def place_name(code: str) -> str:
    """A display name for an area or district code, or the code itself."""
    if code == NOT_KNOWN:
        return "Not known"
    if code == "kent":
        return "Kent"
    return " ".join(w if w == "and" else w.capitalize() for w in code.split("-"))
