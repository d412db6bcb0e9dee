"""Published figures from the model: the tallies each figure needs, read once per page, and
every figure published for a scope and period under disclosure control."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from inclusion_shared.persistence.pool import Connection
from monitoring.adapters.tallies import SOURCES, tallies
from monitoring.domain.charts import HEADLINES, Chart, Headline, headline_chart
from monitoring.domain.figures import CATALOGUE, SERVICE_TITLES, SERVICES, Monitored
from monitoring.domain.periods import Period, financial_year_of
from monitoring.domain.places import KENT, Scope
from monitoring.domain.tables import FigureTable, Tally, publish, trend


@dataclass(frozen=True)
class Published:
    monitored: Monitored
    table: FigureTable


@dataclass(frozen=True)
class Section:
    service: str
    title: str
    figures: tuple[Published, ...]


async def load(
    connection: Connection, figures: Iterable[Monitored], within: Scope
) -> dict[str, list[Tally]]:
    """Each figure's tallies within a place, by figure id: what a page about that place
    publishes, read for that place alone."""
    return {m.figure.id: await tallies(connection, m.figure.source, within) for m in figures}


def years_with_data(loaded: dict[str, list[Tally]], current: str) -> list[str]:
    """Financial years any figure loaded has something in, and the current one; newest
    first."""
    found = {financial_year_of(t.month) for found in loaded.values() for t in found}
    return sorted(found | {current}, reverse=True)


def sections(
    loaded: dict[str, list[Tally]], scope: Scope, period: Period, names: Mapping[str, str]
) -> tuple[Section, ...]:
    def published(m: Monitored) -> Published:
        return Published(m, publish(m.figure, loaded[m.figure.id], scope, period, names))

    return tuple(
        Section(service, SERVICE_TITLES[service], tuple(published(m) for m in figures))
        for service, figures in SERVICES.items()
    )


def figure_tables(
    monitored: Monitored,
    loaded: list[Tally],
    scope: Scope,
    period: Period,
    names: Mapping[str, str],
) -> tuple[FigureTable, FigureTable]:
    """The figure's table and its trend by term."""
    figure = monitored.figure
    return publish(figure, loaded, scope, period, names), trend(figure, loaded, scope, period)


def compared() -> list[Monitored]:
    """The figures whose headline charts draw Kent beside a narrower place."""
    ids = dict.fromkeys(h.lines[0].figure for h in HEADLINES if h.compare)
    return [CATALOGUE[figure_id] for figure_id in ids]


def headline_charts(
    loaded: dict[str, list[Tally]],
    scope: Scope,
    period: Period,
    kent: dict[str, list[Tally]] | None = None,
    only: Headline | None = None,
) -> tuple[Chart, ...]:
    """The dashboard's trend charts for a place and the terms up to the period's end (give it
    clipped to today with ``periods.up_to``), each line a figure's published trend; ``kent``,
    Kent's tallies of the ``compared`` figures, when the viewer may see them beside the
    place's."""

    chosen = HEADLINES if only is None else (only,)
    drawn = {line.figure for headline in chosen for line in headline.lines}

    def trends(found: dict[str, list[Tally]], where: Scope) -> dict[str, FigureTable]:
        return {
            figure_id: trend(CATALOGUE[figure_id].figure, tallies, where, period)
            for figure_id, tallies in found.items()
            if figure_id in drawn
        }

    mine, theirs = trends(loaded, scope), trends(kent, KENT) if kent is not None else None
    return tuple(headline_chart(headline, mine, scope, theirs) for headline in chosen)


async def digest(connection: Connection) -> dict[str, str]:
    """A SHA-256 of every figure's tallies: two models with the same digests publish the same
    figures for every scope and period (the figures are worked out from the tallies alone)."""
    found = {}
    for source in sorted(SOURCES):
        rows = [
            [t.place.area, t.place.district, t.place.community, t.category, t.measure,
             t.month.isoformat(), t.count, t.amount]
            for t in await tallies(connection, source)
        ]  # fmt: skip
        found[source] = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    return found


def monitored(figure_id: str) -> Monitored | None:
    return CATALOGUE.get(figure_id)
