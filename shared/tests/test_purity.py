"""The purity check itself catches what makes a domain impure."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inclusion_shared.purity import impurities


@pytest.fixture
def fake_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    domain = tmp_path / "fakesvc" / "domain"
    domain.mkdir(parents=True)
    (tmp_path / "fakesvc" / "__init__.py").write_text("")
    (domain / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield domain
    sys.modules.pop("fakesvc", None)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("import os", "imports os"),
        ("from datetime import date\ntoday = date.today()", "calls today()"),
        ("import asyncpg", "imports asyncpg"),
        ("from fakesvc.adapters import Store", "outside fakesvc.domain"),
        ("data = open('x').read()", "calls open()"),
    ],
)
def test_each_kind_of_impurity_is_named(fake_service: Path, source: str, problem: str) -> None:
    (fake_service / "rules.py").write_text(source)

    found = impurities("fakesvc", "rules.py")

    assert any(problem in item for item in found), found


def test_pure_code_passes(fake_service: Path) -> None:
    (fake_service / "rules.py").write_text(
        "from datetime import date\nfrom pydantic import BaseModel\n"
        "from fakesvc.domain.values import Pence\nfrom inclusion_shared.kent import Area\n"
    )

    assert impurities("fakesvc", "rules.py") == []
