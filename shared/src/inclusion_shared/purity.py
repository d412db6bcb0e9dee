"""Checks that a service's domain package stays pure: it imports nothing that does I/O and
calls no clock and opens no file, so every decision it makes can be re-derived from its inputs.
Each service's unit tests run these over its own ``<service>.domain`` modules."""

from __future__ import annotations

import ast
import sys
from importlib import resources

FORBIDDEN_STDLIB = frozenset(
    {"os", "io", "socket", "subprocess", "random", "uuid", "time", "pathlib"}
)
FORBIDDEN_CALLS = frozenset({"now", "today", "utcnow", "open"})
PURE_SHARED_MODULES = frozenset(
    {"inclusion_shared.kent", "inclusion_shared.disclosure", "inclusion_shared.identifiers"}
)


def domain_modules(service: str) -> list[str]:
    """The file names of a service's domain modules."""
    folder = resources.files(service).joinpath("domain")
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".py"))


def impurities(service: str, module: str) -> list[str]:
    """What in ``<service>/domain/<module>`` does I/O, reads a clock or leaves the domain."""
    source = resources.files(service).joinpath("domain", module).read_text()
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in FORBIDDEN_CALLS:
                found.append(f"calls {called}()")
        found += _import_problems(node, service)
    return found


def _import_problems(node: ast.AST, service: str) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module:
        names = [node.module]
    else:
        return []
    problems = []
    for name in names:
        root = name.split(".")[0]
        if name in PURE_SHARED_MODULES:
            continue
        if root in FORBIDDEN_STDLIB:
            problems.append(f"imports {name}, which does I/O or reads a clock")
        elif root == service:
            if not name.startswith(f"{service}.domain"):
                problems.append(f"imports {name}, outside {service}.domain")
        elif root not in sys.stdlib_module_names and root != "pydantic":
            problems.append(f"imports {name}")
    return problems
