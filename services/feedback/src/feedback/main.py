"""Entry point: `inclusion-feedback` serves the feedback service over HTTP."""

import uvicorn

from feedback.app import create_app
from feedback.settings import Settings


def run() -> None:
    settings = Settings()
    uvicorn.run(
        create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None
    )
