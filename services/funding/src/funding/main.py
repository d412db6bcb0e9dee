"""Entry point: `inclusion-funding` serves the funding service over HTTP."""

import uvicorn

from funding.app import create_app
from funding.settings import Settings


def run() -> None:
    settings = Settings()
    uvicorn.run(
        create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None
    )
