"""Writes each deployed service's AsyncAPI document to ``shared/schemas/asyncapi/`` (``make
contracts``), as the service itself serves it at ``/asyncapi.json``, and the event catalogue
made from them to ``docs/events/index.html``; a test fails when the committed files differ from
what the code generates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inclusion_cli.access_table import write_table
from inclusion_cli.event_catalogue import render_catalogue
from inclusion_cli.paths import find_repo_root
from inclusion_cli.subscriptions import DEPLOYED, services_of
from inclusion_shared.contracts.asyncapi import render
from inclusion_shared.contracts.export import SCHEMA_FOLDER

ASYNCAPI_FOLDER = SCHEMA_FOLDER / "asyncapi"
CATALOGUE_PAGE = find_repo_root() / "docs" / "events" / "index.html"


def document_path(service: str, folder: Path = ASYNCAPI_FOLDER) -> Path:
    return folder / f"{service}.asyncapi.json"


def generated_documents() -> dict[str, dict[str, Any]]:
    return {name: service.asyncapi() for name, service in services_of(DEPLOYED).items()}


def main() -> None:
    ASYNCAPI_FOLDER.mkdir(parents=True, exist_ok=True)
    documents = generated_documents()
    for name, document in documents.items():
        path = document_path(name)
        path.write_text(render(document))
        print(f"wrote {path}")
    CATALOGUE_PAGE.parent.mkdir(parents=True, exist_ok=True)
    CATALOGUE_PAGE.write_text(render_catalogue(documents))
    print(f"wrote {CATALOGUE_PAGE}")
    write_table()
    print("wrote README.md's table of who may do what")


if __name__ == "__main__":
    main()
