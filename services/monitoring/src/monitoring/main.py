"""Entry point: `inclusion-monitoring` serves the monitoring pages over HTTP."""

import uvicorn

from monitoring.app import create_app
from monitoring.settings import Settings


def run() -> None:
    settings = Settings()
    uvicorn.run(
        create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None
    )
