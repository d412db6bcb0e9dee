"""Today's contracts are compatible with every version of them ever committed: a field removed,
required anew, narrowed, or a topic's key changed within a major fails here, against the real
history of the checkout (and, to show the check bites, against a history that had more)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from inclusion_cli.contract_history import ACCEPTED_BREAKS, incompatibilities
from inclusion_cli.paths import find_repo_root
from inclusion_shared.contracts.export import generated_schemas


def test_the_contracts_break_no_version_committed_before() -> None:
    assert incompatibilities(find_repo_root()) == []


def _commit(repo: Path, files: dict[str, object], message: str) -> None:
    for name, content in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message],
        cwd=repo,
        check=True,
    )


def test_a_field_a_past_version_published_and_a_changed_key_are_found(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    budget = generated_schemas()["funding.budget.set.v1.json"]
    richer = json.loads(json.dumps(budget))
    richer["properties"]["ring_fenced"] = {"type": "boolean"}
    old_document = {
        "channels": {"funding.budget.v1": {"messages": {"m": {"$ref": "#/x/m"}}}},
        "components": {
            "messages": {"m": {"bindings": {"kafka": {"key": {"description": "the area"}}}}}
        },
    }
    _commit(
        tmp_path,
        {
            "shared/schemas/funding.budget.set.v1.json": richer,
            "shared/schemas/asyncapi/funding.asyncapi.json": old_document,
        },
        "an earlier version",
    )
    new_document = json.loads(json.dumps(old_document))
    new_document["components"]["messages"]["m"]["bindings"]["kafka"]["key"]["description"] = "x"
    _commit(
        tmp_path,
        {
            "shared/schemas/funding.budget.set.v1.json": budget,
            "shared/schemas/asyncapi/funding.asyncapi.json": new_document,
        },
        "today",
    )

    found = incompatibilities(tmp_path)

    assert any("funding.budget.set.v1.json: ring_fenced: removed" in p for p in found), found
    assert any("key changed from 'the area'" in p for p in found), found


def test_only_the_accepted_tightening_of_child_ids_passes_within_a_major(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    name = "funding.application.submitted.v1.json"
    today = generated_schemas()[name]
    with_any_id = json.loads(json.dumps(today))
    del with_any_id["properties"]["child_id"]["pattern"]
    with_other_ids = json.loads(json.dumps(today))
    with_other_ids["properties"]["child_id"]["pattern"] = "^kid-[0-9]+$"
    _commit(tmp_path, {f"shared/schemas/{name}": with_any_id}, "before ids were minted")
    _commit(tmp_path, {f"shared/schemas/{name}": with_other_ids}, "ids of another shape")
    _commit(tmp_path, {f"shared/schemas/{name}": today}, "today")

    found = incompatibilities(tmp_path)

    # From any id to minted ids is the break taken on purpose; from one pattern to another is
    # still a break.
    assert found == [
        f"{name}: child_id: pattern changed from '^kid-[0-9]+$' to '^child-[0-9a-f]{{20}}$' "
        f"(against {_head(tmp_path, 1)[:10]})"
    ]


def _head(repo: Path, back: int) -> str:
    return subprocess.run(
        ["git", "rev-parse", f"HEAD~{back}"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_break_accepted_on_purpose_excuses_nothing_else_of_its_schema(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    name = "placements.placement.decided.v1.json"
    decided = generated_schemas()[name]
    older = json.loads(json.dumps(decided))
    older["properties"]["rationale_sha256"] = {"type": "string"}
    older["properties"]["tutor_group"] = {"type": "string"}
    _commit(tmp_path, {f"shared/schemas/{name}": older}, "an earlier version")
    _commit(tmp_path, {f"shared/schemas/{name}": decided}, "today")

    found = incompatibilities(tmp_path)

    assert (name, "rationale_sha256: type changed from string: to null:|string:") in (
        ACCEPTED_BREAKS
    )
    assert not any("rationale_sha256" in problem for problem in found), found
    assert any(f"{name}: tutor_group: removed" in problem for problem in found), found
