from __future__ import annotations

from pathlib import Path

import pytest

from inclusion_cli import state
from inclusion_cli.paths import find_repo_root, write_private_once


def test_repo_root_is_the_nearest_uv_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INCLUSION_HOME", raising=False)
    (tmp_path / "pyproject.toml").write_text('[tool.uv.workspace]\nmembers = ["a"]\n')
    member = tmp_path / "a" / "src"
    member.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "a"\n')

    assert find_repo_root(member) == tmp_path


def test_inclusion_home_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path))

    assert find_repo_root(Path("/")) == tmp_path


def test_private_file_is_written_once_with_mode_600(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "pw"

    assert write_private_once(path, b"first")
    assert not write_private_once(path, b"second")
    assert path.read_bytes() == b"first"
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["pw"]  # no temporary files left


def test_state_records_only_what_up_started(tmp_path: Path) -> None:
    path = tmp_path / "state.json"

    assert not state.started_by_up(path, "kafka")
    state.record_started(path, "kafka")
    state.record_started(path, "postgres")
    state.forget(path, "postgres")

    assert state.started_by_up(path, "kafka")
    assert not state.started_by_up(path, "postgres")


def test_forget_without_state_creates_nothing(tmp_path: Path) -> None:
    state.forget(tmp_path / "state.json", "kafka")

    assert not (tmp_path / "state.json").exists()
