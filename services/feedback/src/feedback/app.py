"""Builds the feedback service: its settings, its migrations and its HTTP app."""

from pathlib import Path

from fastapi import FastAPI

from feedback.settings import Settings
from inclusion_shared.bootstrap import Service

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    service = Service(settings or Settings(), migrations=MIGRATIONS)
    return service.http("Feedback: the stakeholder forum")
