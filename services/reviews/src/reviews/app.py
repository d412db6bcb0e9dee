"""Builds the reviews service: its settings, its migrations and its HTTP app."""

from pathlib import Path

from fastapi import FastAPI

from inclusion_shared.bootstrap import Service
from reviews.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    service = Service(settings or Settings(), migrations=MIGRATIONS)
    return service.http("Reviews: peer-to-peer SEN reviews")
