"""The domain does no I/O and reads no clock, so every published figure can be re-derived."""

import pytest

from inclusion_shared.purity import domain_modules, impurities

MODULES = domain_modules("feedback")


def test_every_domain_module_is_checked() -> None:
    assert {"aggregates.py", "moderation.py", "response.py", "survey.py"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_the_domain_does_no_io_reads_no_clock_and_stays_inside_itself(module: str) -> None:
    assert impurities("feedback", module) == []
