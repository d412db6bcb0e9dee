"""Entry point: `inclusion-reviews` serves the reviews service over HTTP."""

import uvicorn

from reviews.app import create_app
from reviews.settings import Settings


def run() -> None:
    settings = Settings()
    uvicorn.run(
        create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None
    )
