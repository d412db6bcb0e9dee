"""Every table as CSV and JSON: the published figures exactly as the page shows them (symbols
and all), never the counts behind them."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

import asyncpg
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from inclusion_shared.auth import Principal
from inclusion_shared.web.problems import NotFound
from monitoring import reports
from monitoring.access import FIGURES_DOWNLOAD
from monitoring.api.deps import DOWNLOADS_FIGURES, period, pool, reached, scope, today
from monitoring.api.pages import figure_named, kent_beside
from monitoring.api.views import SYMBOLS, security_headers, written
from monitoring.domain.charts import HEADLINE, Chart
from monitoring.domain.periods import Period, up_to
from monitoring.domain.places import Scope
from monitoring.domain.tables import FigureTable

router = APIRouter(tags=["downloads"])
Which = Literal["table", "trend"]


def as_csv(table: FigureTable) -> str:
    """A header row, then a row per place (or category or term), then the total; symbols as
    they are published, amounts and percentages as numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([table.row_heading, *(column.label for column in table.columns)])
    for row in [*table.rows, *([table.total] if table.total else [])]:
        writer.writerow(
            [
                row.label,
                *(
                    _plain(written(value, column))
                    for value, column in zip(row.values, table.columns, strict=True)
                ),
            ]
        )
    return out.getvalue()


def csv_attachment(text: str, name: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={**security_headers(), "Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _plain(text: str) -> str:
    return text.replace("£", "").replace(",", "").removesuffix("%")


def as_json(table: FigureTable) -> dict[str, Any]:
    return {
        **table.model_dump(mode="json"),
        "symbols": {symbol.value: meaning for symbol, meaning in SYMBOLS.items()},
    }


async def _table(
    figure_id: str,
    which: Which,
    who: Principal,
    asked: Scope | None,
    when: Period,
    the_pool: asyncpg.Pool,
) -> tuple[FigureTable, Scope]:
    """The table (or trend) for the place asked for, once the caller is known to reach it."""
    monitored = figure_named(figure_id)
    async with the_pool.acquire() as connection:
        chosen, _, names = await reached(connection, who, FIGURES_DOWNLOAD, asked)
        loaded = await reports.load(connection, [monitored], chosen)
    table, trend = reports.figure_tables(monitored, loaded[figure_id], chosen, when, names)
    return (table if which == "table" else trend), chosen


def _name(figure_id: str, which: Which, chosen: Scope, when: Period) -> str:
    term = f"-{when.term.value}" if when.term else ""
    place = str(chosen).replace(":", "-")
    return f"{figure_id}-{which}-{place}-{when.year}{term}"


@router.get("/figures/{figure_id}/{which}.csv", response_class=Response)
async def csv_download(
    figure_id: str,
    which: Which,
    asked: Scope | None = Depends(scope),
    when: Period = Depends(period),
    who: Principal = Depends(DOWNLOADS_FIGURES),
    the_pool: asyncpg.Pool = Depends(pool),
) -> Response:
    """A figure's table (or its trend by term) as CSV."""
    table, chosen = await _table(figure_id, which, who, asked, when, the_pool)
    return csv_attachment(as_csv(table), _name(figure_id, which, chosen, when))


@router.get("/figures/{figure_id}/{which}.json")
async def json_download(
    figure_id: str,
    which: Which,
    asked: Scope | None = Depends(scope),
    when: Period = Depends(period),
    who: Principal = Depends(DOWNLOADS_FIGURES),
    the_pool: asyncpg.Pool = Depends(pool),
) -> JSONResponse:
    """A figure's table (or its trend by term) as JSON, with what each symbol means."""
    table, _ = await _table(figure_id, which, who, asked, when, the_pool)
    return JSONResponse(as_json(table), headers=security_headers())


def chart_as_csv(chart: Chart) -> str:
    """A chart's figures: a row per term, a column per line, as its data table shows them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Term", *(series.label for series in chart.series)])
    for key, label, _ in chart.periods:
        writer.writerow(
            [label, *(_plain(written(chart.value(s, key), s.column)) for s in chart.series)]
        )
    return out.getvalue()


@router.get("/charts/{chart_id}.csv", response_class=Response)
async def chart_download(
    chart_id: str,
    asked: Scope | None = Depends(scope),
    when: Period = Depends(period),
    who: Principal = Depends(DOWNLOADS_FIGURES),
    the_pool: asyncpg.Pool = Depends(pool),
) -> Response:
    """The figures of one of the dashboard's trend charts, for the place and period asked."""
    headline = HEADLINE.get(chart_id)
    if headline is None:
        raise NotFound(f"there is no chart {chart_id!r}")
    figures = [figure_named(f) for f in dict.fromkeys(line.figure for line in headline.lines)]
    async with the_pool.acquire() as connection:
        chosen, known, _ = await reached(connection, who, FIGURES_DOWNLOAD, asked)
        loaded = await reports.load(connection, figures, chosen)
        kent = await kent_beside(connection, chosen, known, who, FIGURES_DOWNLOAD)
    (chart,) = reports.headline_charts(loaded, chosen, up_to(when, today()), kent, only=headline)
    return csv_attachment(chart_as_csv(chart), _name(chart_id, "trend", chosen, when))
