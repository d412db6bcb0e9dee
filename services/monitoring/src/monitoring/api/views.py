"""Server-rendered pages: Jinja2 templates (autoescaped), how figures are written, and the
headers every page carries (a Content-Security-Policy with a nonce for the inline style and
script, no framing, no caching of figures)."""

from __future__ import annotations

import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from inclusion_shared.disclosure import Symbol
from monitoring.domain import charts
from monitoring.domain.tables import Column, Unit, Value

TEMPLATES = Path(__file__).parent.parent / "templates"

SYMBOLS = {
    Symbol.SUPPRESSED: "suppressed: fewer than 5, or would let one be worked out",
    Symbol.ROUNDS_TO_ZERO: "not zero, but rounds to zero",
    Symbol.NOT_APPLICABLE: "not applicable",
}


def written(value: Value, column: Column) -> str:
    """A figure as the page shows it: symbols as they are, numbers with their unit."""
    if isinstance(value, Symbol):
        return value.value
    if column.unit is Unit.POUNDS:
        return f"£{value:,}" if value >= 0 else f"-£{-value:,}"
    if column.unit is Unit.PERCENT:
        return f"{value}%"
    return f"{value:,}" if isinstance(value, int) else str(value)


def bar_width(value: Value, largest: Decimal) -> float | None:
    """A bar's width in percent of the chart, or None for a symbol (which has no bar)."""
    if isinstance(value, Symbol) or largest <= 0:
        return None
    return float(max(Decimal(value), Decimal(0)) * 100 / largest)


def largest(values: list[Value]) -> Decimal:
    numbers = [Decimal(v) for v in values if not isinstance(v, Symbol)]
    return max(numbers, default=Decimal(0))


ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENVIRONMENT.globals |= {
    "written": written,
    "bar_width": bar_width,
    "largest": largest,
    "symbols": SYMBOLS,
    "chart_size": {
        "width": charts.WIDTH,
        "height": charts.HEIGHT,
        "left": charts.LEFT,
        "right": charts.RIGHT,
    },
    "is_symbol": lambda value: isinstance(value, Symbol),
}


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    html = ENVIRONMENT.get_template(template).render(request=request, nonce=nonce, **context)
    return HTMLResponse(html, status_code=status, headers=security_headers(nonce))


def security_headers(nonce: str | None = None) -> dict[str, str]:
    inline = f" 'nonce-{nonce}'" if nonce else ""
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src{inline}; script-src{inline}; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }
