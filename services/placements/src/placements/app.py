"""Builds the placements service: settings, migrations, the events it publishes, the HTTP API,
the personal-data vault, the calendar its clocks read, and on start the clocks of any case
recorded before clocks were kept."""

from pathlib import Path

from fastapi import FastAPI

from inclusion_shared.bootstrap import Service
from inclusion_shared.persistence.personal_data import PersonalDataVault
from placements import stream
from placements.api import (
    assessments,
    clocks,
    decisions,
    offers,
    panels,
    placements,
    registry,
    requests,
)
from placements.api.deps import Calendar
from placements.handlers.case_clocks import compute_clocks_of_earlier_cases
from placements.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    if settings.personal_data_key_file is None:
        raise SystemExit("placements needs PERSONAL_DATA_KEY_FILE: rationales are encrypted")
    service = Service(settings, migrations=MIGRATIONS)
    service.on_started(compute_clocks_of_earlier_cases)
    stream.declare_publications(service.broker)
    app = service.http("Placements: settings, consultations and transitions")
    app.state.settings = settings
    app.state.calendar = Calendar(settings.pinned_today)
    app.state.vault = PersonalDataVault.from_setting(
        settings.personal_data_key_file.read_text().strip()
    )
    for router in (
        registry.router,
        requests.router,
        panels.router,
        decisions.router,
        offers.router,
        placements.router,
        assessments.router,
        clocks.router,
    ):
        app.include_router(router)
    return app
