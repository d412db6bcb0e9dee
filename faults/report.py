"""The campaign's figures as a short text for the note, and as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _seconds(summary: dict[str, Any]) -> str:
    if not summary.get("count"):
        return "none measured"
    return (
        f"median {summary['median']:.2f} s, p95 {summary['p95']:.2f} s, max {summary['max']:.2f} s"
        f" (n={summary['count']})"
    )


def text(result: dict[str, Any]) -> str:
    faults, figures = result["faults"], result["figures"]
    stalls, resume = result["stalls"], result["resume_seconds"]
    kills = ", ".join(f"{name} {count}" for name, count in sorted(faults["kills"].items()))
    restarts = ", ".join(
        f"{name} {count}" for name, count in sorted(faults["restarts_by_kind"].items())
    )
    poisons = ", ".join(
        f"{name} {count}" for name, count in sorted((faults["poison_messages"] or {}).items())
    )
    longest = stalls["longest_quiet_seconds"]
    raised = ", ".join(
        f"{point} {found['raised']} of {found['armed']} armed"
        for point, found in sorted(faults["raised"].items())
    )
    inflight, down = faults["broker_stops_with_poisons_in_flight"], faults["postgres_down_at_start"]
    slow, oversized = faults["slow_database"], faults["oversized_requests"]
    lines = [
        f"Fault campaign, seed {result['seed']} (deployment {result['deployment']}): "
        + ("PASSED" if result["passed"] else "FAILED"),
        "",
        f"Faults injected      {faults['kills_total']} SIGKILLs: {kills}",
        f"                     {faults['broker_restarts']} broker and "
        f"{faults['postgres_restarts']} PostgreSQL restarts: {restarts}",
        f"                     {sum((faults['poison_messages'] or {}).values())} poison messages: "
        f"{poisons}",
        f"{'':21}errors raised: {raised}; {faults['tasks_restarted_by_their_supervisor']} "
        f"tasks restarted by their supervisor, {faults['consumed_records_tried_again']} "
        "consumed records tried again",
        f"{'':21}{inflight['stops']} broker stops with {inflight['poisons']} poisons in flight "
        f"({inflight['dead_lettered_after_the_stop']} dead letters written after the stop)",
        f"{'':21}{down['count']} starts with PostgreSQL down "
        f"(/health/ready answered {down['answers_while_down']}; "
        f"ready after it came back: {_seconds(down['ready_after_postgres_seconds'])})",
        f"{'':21}{slow['locks_held']} tables locked past the "
        f"{slow['statement_timeout_seconds']:g} s statement timeout {slow['by_table']} "
        f"({_seconds(slow['held_seconds'])}); "
        f"statement timeouts logged {slow['statement_timeouts_logged']}",
        f"{'':21}{oversized['sent']} oversized requests in {oversized['bursts']} bursts: "
        f"{oversized['refused_413']} refused 413 ({oversized['announced']} announced, "
        f"{oversized['streamed']} streamed), {oversized['cut_off_by_a_kill']} cut off by a kill",
        f"{'':21}start-ups refused during outages "
        f"{faults['startup_failures_during_outages']}, "
        f"services exiting on their own {len(faults['unexpected_exits'])}",
        f"Commands sent        {result['commands_sent']} "
        f"({result['commands_sent_during_faults']} while the faults went on; "
        f"{figures.get('commands_resent', 0)} resent with the same Idempotency-Key, "
        f"{figures.get('commands_answered_5xx_then_resent', 0)} of them after a 5xx), "
        f"by outcome {figures.get('commands_by_outcome')}",
        f"Lost                 {result['lost']}  (goal 0)",
        f"Doubled effects      {result['doubled']}  (goal 0)",
        f"Out of order         {result['out_of_order']}  (goal 0)",
        f"Skipped              {result['skipped']}  (goal 0: committed past, never finished)",
        f"Events               {figures.get('events_stored')} stored, "
        f"{figures.get('events_published')} published, "
        f"{figures.get('duplicates_on_the_wire')} duplicate copies on the wire",
        f"Wire duplicates      {figures.get('wire_duplicates_absorbed_by_inboxes')} "
        "absorbed by inboxes",
        f"Dead letters         {figures.get('dead_letters')}",
        "Longest stall        "
        + (f"{longest:.3f} s" if longest is not None else "none measured")
        + f" behind a poison message away from other faults ({_seconds(stalls['quiet'])});"
        f" during faults {_seconds(stalls['during_faults'])}",
        "Resume after a kill  (the broker and the database up throughout)",
        f"                     service ready {_seconds(resume['service_http_ready_after_kill'])}",
        f"{'':21}service consuming {_seconds(resume['service_consuming_after_kill'])}",
        f"{'':21}raw aiokafka group rejoin {_seconds(resume['raw_aiokafka_group_rejoin'])}",
        f"Offsets              {figures.get('offset_samples')} samples, "
        f"{figures.get('offset_sampled_events')} events checked below committed offsets",
        f"Reactions checked    {figures.get('reactions_checked')}",
        f"Audit verify         {'passed' if result['audit']['passed'] else 'FAILED'} "
        f"({result['audit']['records_read']} records read)",
        f"Took                 {result['campaign_seconds']} s under faults, "
        f"{result['settle_seconds']} s to settle",
        "",
        f"Durability: {result['durability']}",
    ]
    for name, found in result["failures"].items():
        lines += ["", f"{name} ({result['failure_counts'][name]}):", *(f"  {f}" for f in found)]
    if not result["audit"]["passed"]:
        lines += ["", f"audit: first divergence {result['audit']['first_divergence']}"]
    if result["load_errors"]:
        lines += ["", "load errors:", *(f"  {e}" for e in result["load_errors"])]
    return "\n".join(lines)


def write(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
