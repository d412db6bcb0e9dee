"""Entry point: `inclusion-placements` serves the placements service over HTTP."""

import uvicorn

from placements.app import create_app
from placements.settings import Settings


def run() -> None:
    settings = Settings()
    uvicorn.run(
        create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None
    )
