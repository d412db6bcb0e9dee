"""Builds the reviews service: its settings, its migrations and its HTTP API. It consumes no
other service's events; it publishes the reviews topic (the feedback service reacts to a
completed follow-up)."""

from pathlib import Path

from fastapi import FastAPI

from inclusion_shared.bootstrap import Service
from reviews.api import action_plans, cycles, reports, reviewers, reviews, themes
from reviews.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    service = Service(settings or Settings(), migrations=MIGRATIONS)
    app = service.http("Reviews: peer-to-peer SEN reviews")
    for router in (
        cycles.router,
        reviewers.router,
        reviews.router,
        reports.router,
        action_plans.router,
        themes.router,
    ):
        app.include_router(router)
    return app
