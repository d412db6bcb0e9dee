"""The README's table of who may do what, made from each service's access policy
(``<service>.access.POLICY``) by ``make contracts``; a test fails when the README's copy
differs from the policies the services run."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from inclusion_cli.paths import find_repo_root
from inclusion_cli.subscriptions import DEPLOYED
from inclusion_shared.access import Policy

README = find_repo_root() / "README.md"
BEGIN, END = "<!-- who-may-do-what:begin -->", "<!-- who-may-do-what:end -->"


def policies() -> dict[str, Policy]:
    return {service: importlib.import_module(f"{service}.access").POLICY for service in DEPLOYED}


def render_table(found: dict[str, Policy]) -> str:
    lines = [
        BEGIN,
        "<!-- made from each service's access.py by `make contracts`: do not edit -->",
        "",
        "| service | to | who, on which records |",
        "|---|---|---|",
    ]
    for service, policy in found.items():
        for permission in policy.permissions.values():
            by_scope: dict[str, list[str]] = {}
            for role, scope in permission.grants.items():
                by_scope.setdefault(scope.value, []).append(f"`{role.value}`")
            who = "; ".join(f"{', '.join(roles)}: {scope}" for scope, roles in by_scope.items())
            lines.append(f"| {service} | {permission.summary} | {who or 'nobody'} |")
    lines.append(END)
    return "\n".join(lines)


def readme_table(readme: Path = README) -> str | None:
    """The table as the README has it, or None when the README has no such section."""
    found = re.search(f"{re.escape(BEGIN)}.*?{re.escape(END)}", readme.read_text(), re.DOTALL)
    return found.group(0) if found else None


def write_table(readme: Path = README) -> None:
    text, table = readme.read_text(), render_table(policies())
    current = readme_table(readme)
    if current is None:
        raise SystemExit(f"{readme} has no {BEGIN} … {END} section for the table")
    readme.write_text(text.replace(current, table))
