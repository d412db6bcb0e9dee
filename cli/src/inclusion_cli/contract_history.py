"""Every schema against its own history: each version of ``shared/schemas/*.json`` ever
committed, and each service's AsyncAPI keys, must be compatible with today's (the rules:
``inclusion_shared.events.compatibility``) — within a major, a change that breaks a subscriber
or the replay of the kept log needs a new topic. Checked against the whole history of the
checkout, so no release tag or merge base is needed; ``python -m inclusion_cli.contract_history
REF`` checks against one ref only (a release tag, ``origin/main``)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from inclusion_cli.paths import find_repo_root
from inclusion_shared.contracts.export import generated_schemas
from inclusion_shared.events.compatibility import breaking_changes

SCHEMAS = "shared/schemas"
ASYNCAPI = f"{SCHEMAS}/asyncapi"

EVERY_SCHEMA = "*"

_MINTED_CHILD_IDS = (
    "#19 step 5: a child's id is minted by the suite (child- and 20 hex digits), so it can never "
    "be a name. Taken within v1 before any deployment kept a log: a log recorded earlier, with "
    "ids of another shape, is re-keyed (each id to a minted one) before it is replayed."
)

_MINTED_PERSON_IDS = (
    "#19 step 5: a person (panel member, reviewer, officer, grantee) is named by a minted id "
    "(person- and 20 hex digits), the one their token carries, so it can never be a name. Taken "
    "within v1 before any deployment kept a log: a log recorded earlier, with ids of another "
    "shape, is re-keyed (each id to a minted one) before it is replayed."
)
_PERSON_FIELDS = (
    "member_id",
    "$defs.PanelMemberRecord.member_id",
    "$defs.RosterMemberRecord.member_id",
    "$defs.VoteRecord.member_id",
    "proposed_by",
    "override_by",
    "authorised_by",
    "reviewer_id",
    "grantee_subject",
)

ACCEPTED_BREAKS: dict[tuple[str, str], str] = {
    (EVERY_SCHEMA, "child_id: pattern added: '^child-[0-9a-f]{20}$'"): _MINTED_CHILD_IDS,
    (EVERY_SCHEMA, "child_id: maxLength lowered to 26"): _MINTED_CHILD_IDS,
    **{
        (EVERY_SCHEMA, f"{field}: {change}"): _MINTED_PERSON_IDS
        for field in _PERSON_FIELDS
        for change in ("pattern added: '^person-[0-9a-f]{20}$'", "maxLength lowered to 27")
    },
    (
        "placements.placement.decided.v1.json",
        "rationale_sha256: type changed from string: to null:|string:",
    ): (
        "#19 step 5: a plain SHA-256 of the panel's short free-text rationale can be confirmed "
        "against a guess and outlives the child's erasure, so it is personal data left in the "
        "log. New events carry null there and rationale_digest, keyed under the child's key, "
        "instead; events kept from before still read, and a subscriber needing the plain hash "
        "must stop needing it."
    ),
}
"""Breaks made on purpose within a major, each as `breaking_changes` words it, for one schema
or every one, with why and what a kept log needs. Nothing else is excused: any other break still
needs a new major."""


def _accepted(name: str, problem: str) -> bool:
    return (name, problem) in ACCEPTED_BREAKS or (EVERY_SCHEMA, problem) in ACCEPTED_BREAKS


def _git(*args: str, repo: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def committed_versions(
    repo: Path, folder: str, ref: str | None = None
) -> Iterator[tuple[str, str, Any]]:
    """(commit, file name, parsed JSON) for every version of every file in ``folder`` (not its
    subfolders) in the history of HEAD, or at ``ref`` alone."""
    if ref is not None:
        commits = [_git("rev-parse", ref, repo=repo).strip()]
    else:
        commits = _git("log", "--format=%H", "--", folder, repo=repo).split()
    for commit in commits:
        listing = _git("ls-tree", "--name-only", f"{commit}:{folder}", repo=repo).split()
        for name in (n for n in listing if n.endswith(".json")):
            text = _git("show", f"{commit}:{folder}/{name}", repo=repo)
            yield commit, name, json.loads(text)


def channel_keys(document: dict[str, Any]) -> dict[str, str]:
    """Per channel of an AsyncAPI document, what its messages' Kafka key is."""
    keys = {}
    for address, channel in document.get("channels", {}).items():
        for reference in channel.get("messages", {}).values():
            name = reference["$ref"].rsplit("/", 1)[-1]
            message = document["components"]["messages"][name]
            key = message.get("bindings", {}).get("kafka", {}).get("key", {})
            keys[f"{address} {name}"] = key.get("description", "")
    return keys


def incompatibilities(repo: Path, ref: str | None = None) -> list[str]:
    """Every way today's contracts break a version of them committed before."""
    current = generated_schemas()
    found: set[str] = set()
    for commit, name, old in committed_versions(repo, SCHEMAS, ref):
        if name not in current:
            found.add(f"{name}: published at {commit[:10]}, no longer produced")
            continue
        for problem in breaking_changes(old, current[name]):
            if not _accepted(name, problem):
                found.add(f"{name}: {problem} (against {commit[:10]})")
    documents = {p.name: json.loads(p.read_text()) for p in (repo / ASYNCAPI).glob("*.json")}
    for commit, name, old in committed_versions(repo, ASYNCAPI, ref):
        now = channel_keys(documents.get(name, {}))
        for where, key in channel_keys(old).items():
            if where in now and now[where] != key:
                found.add(f"{name}: {where}: key changed from {key!r} (against {commit[:10]})")
    return sorted(found)


def main() -> None:
    problems = incompatibilities(find_repo_root(), sys.argv[1] if len(sys.argv) > 1 else None)
    for problem in problems:
        print(problem)
    print(
        "compatible with every committed version" if not problems else f"{len(problems)} breaking"
    )
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
