"""`.local/state.json`: which infrastructure `inclusion up` started, so `down` stops only that.

A component is recorded when `up` starts it and forgotten when it is stopped. A broker the test
session started, or a Postgres cluster that was already running, is never recorded, so `down`
leaves it running.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

Component = Literal["kafka", "postgres", "kafka-secure", "postgres-secure"]


def _load(path: Path) -> dict[str, bool]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    started = data.get("started_by_up", {}) if isinstance(data, dict) else {}
    return {str(key): bool(value) for key, value in started.items()}


def _save(path: Path, started: dict[str, bool]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps({"started_by_up": started}, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def started_by_up(path: Path, component: Component) -> bool:
    return _load(path).get(component, False)


def record_started(path: Path, component: Component) -> None:
    _save(path, {**_load(path), component: True})


def forget(path: Path, component: Component) -> None:
    if not path.is_file():
        return
    started = _load(path)
    started.pop(component, None)
    _save(path, started)
