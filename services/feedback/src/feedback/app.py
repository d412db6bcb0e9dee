"""Builds the feedback service: settings, migrations, event subscriptions (invitations from
other services' events) and the HTTP API."""

from pathlib import Path

from fastapi import FastAPI

from feedback import stream
from feedback.api import invitations, moderation, responses, surveys, themes
from feedback.settings import Settings
from inclusion_shared.bootstrap import Service
from inclusion_shared.persistence.personal_data import PersonalDataVault

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    if settings.personal_data_key_file is None:
        raise SystemExit("feedback needs PERSONAL_DATA_KEY_FILE: respondents' words are encrypted")
    service = Service(settings, migrations=MIGRATIONS)
    stream.subscribe(service.consumer, settings.invitation_policy())
    app = service.http("Feedback: the stakeholder forum")
    app.state.vault = PersonalDataVault.from_setting(
        settings.personal_data_key_file.read_text().strip()
    )
    for router in (
        surveys.router,
        responses.router,
        moderation.router,
        themes.router,
        invitations.router,
    ):
        app.include_router(router)
    return app
