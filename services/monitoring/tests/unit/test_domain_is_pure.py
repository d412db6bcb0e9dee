"""The domain does no I/O and reads no clock: every figure is worked out from the tallies alone."""

import ast
import sys
from importlib import resources

import pytest

DOMAIN = resources.files("monitoring").joinpath("domain")
MODULES = sorted(path.name for path in DOMAIN.iterdir() if path.name.endswith(".py"))
ALLOWED_THIRD_PARTY = {"pydantic", "monitoring"}
PURE_SHARED_MODULES = {"inclusion_shared.kent", "inclusion_shared.disclosure"}
FORBIDDEN_STDLIB = {"os", "io", "socket", "subprocess", "random", "uuid", "time", "pathlib"}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "open"}


def _tree(name: str) -> ast.Module:
    return ast.parse(DOMAIN.joinpath(name).read_text())


def test_every_domain_module_is_checked() -> None:
    assert {"periods.py", "places.py", "tables.py", "figures.py"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_the_domain_imports_nothing_that_does_io(name: str) -> None:
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots = {node.module.split(".")[0]}
        else:
            continue
        if isinstance(node, ast.ImportFrom) and node.module in PURE_SHARED_MODULES:
            continue
        for root in roots:
            assert root not in FORBIDDEN_STDLIB, f"{name} imports {root}"
            assert root in sys.stdlib_module_names or root in ALLOWED_THIRD_PARTY, (
                f"{name} imports {root}"
            )
        if isinstance(node, ast.ImportFrom) and node.module == "monitoring":
            pytest.fail(f"{name} imports from outside monitoring.domain")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("monitoring."):
            assert (node.module or "").startswith("monitoring.domain"), f"{name}: {node.module}"


@pytest.mark.parametrize("name", MODULES)
def test_the_domain_reads_no_clock_and_opens_no_files(name: str) -> None:
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert called not in FORBIDDEN_CALLS, f"{name} calls {called}()"
