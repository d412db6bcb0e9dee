"""Where things live: the repository root, its `.local/` state directory, the user cache."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path


class RepoNotFoundError(RuntimeError):
    pass


def _is_workspace_root(directory: Path) -> bool:
    pyproject = directory / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return "workspace" in data.get("tool", {}).get("uv", {})


def find_repo_root(start: Path | None = None) -> Path:
    """The uv workspace root: $INCLUSION_HOME, else the nearest ancestor of `start` (default: the
    cwd) whose pyproject.toml has [tool.uv.workspace], else the one holding this package (so
    tests and tools run from elsewhere still find it in an editable install)."""
    override = os.environ.get("INCLUSION_HOME")
    if override:
        return Path(override).resolve()
    for origin in (start or Path.cwd(), Path(__file__)):
        origin = origin.resolve()
        for directory in (origin, *origin.parents):
            if _is_workspace_root(directory):
                return directory
    raise RepoNotFoundError(
        "cannot find the Inclusion repository (a pyproject.toml with [tool.uv.workspace]); "
        "run from inside it or set INCLUSION_HOME"
    )


def cache_dir() -> Path:
    """Survives `down --purge`: the resolved Kafka classpath and the Maven repository."""
    override = os.environ.get("INCLUSION_CACHE_DIR")
    return Path(override) if override else Path.home() / ".cache" / "inclusion"


@dataclass(frozen=True)
class StateDir:
    """Layout of `.local/`: everything `inclusion up` creates at run time."""

    root: Path

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pids(self) -> Path:
        return self.root / "pids"

    @property
    def locks(self) -> Path:
        return self.root / "locks"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    @property
    def kafka(self) -> Path:
        return self.root / "kafka"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    def ensure(self) -> StateDir:
        for directory in (self.logs, self.pids, self.locks, self.kafka):
            directory.mkdir(parents=True, exist_ok=True)
        # Keys and passwords: readable by this user only.
        for private in (self.keys, self.secrets):
            private.mkdir(parents=True, exist_ok=True)
            private.chmod(0o700)
        return self


def state_dir(repo_root: Path | None = None) -> StateDir:
    return StateDir((repo_root or find_repo_root()) / ".local")


def deploy_dir(repo_root: Path | None = None) -> Path:
    return (repo_root or find_repo_root()) / "deploy" / "local"


def write_private_once(path: Path, data: bytes) -> bool:
    """Create `path` (mode 600) holding `data` unless it exists. Atomic: a concurrent reader
    never sees a half-written file, and of two racing writers exactly one wins.
    True if this call created it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    try:
        os.link(partial, path)
    except FileExistsError:
        return False
    finally:
        partial.unlink()
    return True
