"""Writes each deployed service's AsyncAPI document to ``shared/schemas/asyncapi/`` (``make
contracts``), as the service itself serves it at ``/asyncapi.json``; a test fails when the
committed documents differ from what the code generates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inclusion_cli.subscriptions import DEPLOYED, services_of
from inclusion_shared.contracts.asyncapi import render
from inclusion_shared.contracts.export import SCHEMA_FOLDER

ASYNCAPI_FOLDER = SCHEMA_FOLDER / "asyncapi"


def document_path(service: str, folder: Path = ASYNCAPI_FOLDER) -> Path:
    return folder / f"{service}.asyncapi.json"


def generated_documents() -> dict[str, dict[str, Any]]:
    return {name: service.asyncapi() for name, service in services_of(DEPLOYED).items()}


def main() -> None:
    ASYNCAPI_FOLDER.mkdir(parents=True, exist_ok=True)
    for name, document in generated_documents().items():
        path = document_path(name)
        path.write_text(render(document))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
