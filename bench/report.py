"""The bench's table on stdout and its JSON file: every figure's median over the runs, each run's
value, the ratios against the baselines with their targets, and (with the secure broker) the
cost of TLS and SASL, which has no target."""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.runner import PEAK_CONCURRENCY, Figures


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    unit: str


@dataclass(frozen=True)
class Ratio:
    key: str
    label: str
    target: float
    at_least: bool

    def met(self, value: float) -> bool:
        return value >= self.target if self.at_least else value <= self.target

    @property
    def wanted(self) -> str:
        return f"{'≥' if self.at_least else '≤'} {self.target:g}"


BASELINES = (
    Row("raw_produce_per_s", "raw aiokafka produce (idempotent, acks=all)", "events/s"),
    Row("raw_consume_per_s", "raw aiokafka consume (getmany), audit topics", "events/s"),
    Row("raw_consume_mb_per_s", "raw aiokafka consume, bytes", "MB/s"),
    Row("raw_tx_per_s", "raw asyncpg transaction (inbox+state+outbox)", "tx/s"),
    Row("raw_tx_p50_ms", "raw asyncpg transaction p50", "ms"),
    Row("raw_tx_p99_ms", "raw asyncpg transaction p99", "ms"),
    Row("raw_round_trip_p50_ms", "raw aiokafka ping-pong round trip p50", "ms"),
    Row("raw_round_trip_p99_ms", "raw aiokafka ping-pong round trip p99", "ms"),
    Row("hash_canonical_per_s", "RFC 8785 canonical JSON + SHA-256", "events/s"),
    Row("hash_sha256_per_s", "SHA-256 alone over canonical bytes", "events/s"),
)
SUITE = (
    Row("relay_per_s", "outbox relay (kit Relay, backlog), 1 trace in 10 sampled", "events/s"),
    Row("relay_all_traced_per_s", "outbox relay, every trace sampled (span per event)", "events/s"),
    Row("consumer_per_s", "InboxConsumer via FastStream (as a service runs it)", "events/s"),
    Row("consumer_direct_per_s", "InboxConsumer.finish_all fed directly (no Kafka)", "events/s"),
    Row(
        "command_peak_per_s",
        f"PUT /budgets closed-loop peak ({PEAK_CONCURRENCY} in flight)",
        "commands/s",
    ),
    Row(
        "command_peak_2_replicas_per_s",
        "the same, the service in two replicas (commands to each in turn)",
        "commands/s",
    ),
    Row(
        "senif_decision_peak_per_s",
        "SENIF award decisions closed-loop peak (rules, decision, award, events)",
        "decisions/s",
    ),
    Row("senif_decisions_failed", "SENIF decisions refused or failed", "count"),
    Row("command_offered_per_s", "open-loop arrival rate (half the peak)", "commands/s"),
    Row("command_event_p50_ms", "command → event visible (read_committed) p50", "ms"),
    Row("command_event_p99_ms", "command → event visible (read_committed) p99", "ms"),
    Row("command_response_p50_ms", "command → HTTP answer p50", "ms"),
    Row("command_response_p99_ms", "command → HTTP answer p99", "ms"),
    Row("command_sender_late_p99_ms", "load generator lateness p99 (should be ~0)", "ms"),
    Row("command_failed", "commands failed", "count"),
    Row("command_events_missing", "answered commands whose event never showed", "count"),
    Row("command_p99_budget_ms", "3 x (round trip p99 + transaction p99)", "ms"),
    Row("audit_verify_per_s", "inclusion audit verify (as the command runs it)", "events/s"),
    Row("load_average_1m", "machine load average when the run began", "load"),
)
RATIOS = (
    Ratio("relay_vs_raw_produce", "relay / raw idempotent produce", 0.9, at_least=True),
    Ratio("consumer_vs_raw_tx", "consumer / raw asyncpg transactions", 3.0, at_least=True),
    Ratio("command_peak_per_s", "PUT /budgets closed-loop peak, commands/s", 1000, at_least=True),
    Ratio(
        "senif_decision_peak_per_s",
        "SENIF award decisions closed-loop, decisions/s",
        1000,
        at_least=True,
    ),
    Ratio("command_p99_vs_budget", "command→event p99 / 3 x (rtt p99 + tx p99)", 1, at_least=False),
    Ratio("audit_vs_raw_consume", "audit verify / raw consume", 0.5, at_least=True),
)
INFORMATION = (
    Row("relay_all_traced_vs_raw_produce", "relay, every trace sampled / raw produce", "ratio"),
    Row("consumer_direct_vs_raw_tx", "consumer fed directly / raw transactions", "ratio"),
    Row("audit_vs_hash_canonical", "audit verify / canonical JSON + SHA-256", "ratio"),
    Row(
        "replay_peak_vs_log_bytes",
        "replay reader's peak Python memory / the log's bytes (streamed: falls as logs grow)",
        "ratio",
    ),
)

TRANSPORT_TITLE = "The cost of TLS and SASL (SASL_SSL vs PLAINTEXT)"
TRANSPORT_NOTE = (
    "SASL_SSL with SCRAM-SHA-512 on the secure local broker, PLAINTEXT on the plain one; same "
    "run, same code and sizes, each figure over one broker right after the other. The bench is "
    "the secure broker's super user, for whom Kafka checks no ACL: the cost of authorisation "
    "is not included. No target: the figures are for the record."
)
TRANSPORT = tuple(
    Row(f"{key}_{transport}_per_s", f"{label} over {protocol}", "events/s")
    for key, label in (
        ("raw_produce", "raw idempotent produce"),
        ("raw_consume", "raw consume (getmany), what it produced"),
        ("relay", "outbox relay (backlog)"),
        ("consumer", "InboxConsumer via FastStream"),
    )
    for transport, protocol in (("plaintext", "PLAINTEXT"), ("sasl_ssl", "SASL_SSL"))
)
TRANSPORT_RATIOS = (
    Row("relay_sasl_ssl_vs_plaintext", "relay SASL_SSL / PLAINTEXT", "ratio"),
    Row("consumer_sasl_ssl_vs_plaintext", "consumer SASL_SSL / PLAINTEXT", "ratio"),
    Row(
        "raw_produce_sasl_ssl_vs_plaintext", "raw idempotent produce SASL_SSL / PLAINTEXT", "ratio"
    ),
    Row("raw_consume_sasl_ssl_vs_plaintext", "raw consume SASL_SSL / PLAINTEXT", "ratio"),
)


def _number(value: float) -> str:
    if math.isnan(value):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"


def table(medians: Figures, runs: Sequence[Figures]) -> str:
    lines: list[str] = []

    def section(title: str, rows: Sequence[Row]) -> None:
        lines.append(f"\n{title:<58} {'median':>12}  {'unit':<11} runs")
        for row in rows:
            lines.append(_line(row, medians, runs))

    section("Baselines (same run, same broker and database)", BASELINES)
    section("The suite", SUITE)
    lines.append(f"\n{'Ratios':<58} {'median':>12}  {'target':<11} verdict   runs")
    for ratio in RATIOS:
        middle = medians.get(ratio.key, math.nan)
        verdict = "met" if ratio.met(middle) else "MISSED"
        each = "  ".join(_number(run.get(ratio.key, math.nan)) for run in runs)
        lines.append(
            f"  {ratio.label:<56} {_number(middle):>12}  {ratio.wanted:<11} {verdict:<9} {each}"
        )
    for row in INFORMATION:
        each = "  ".join(_number(run.get(row.key, math.nan)) for run in runs)
        value = _number(medians.get(row.key, math.nan))
        lines.append(f"  {row.label:<56} {value:>12}  {'(info)':<11} {'':<9} {each}")
    if _measured_transport(medians):
        section(TRANSPORT_TITLE, (*TRANSPORT, *TRANSPORT_RATIOS))
        lines.extend(f"  {line}" for line in textwrap.wrap(TRANSPORT_NOTE, 96))
    return "\n".join(lines)


def _line(row: Row, medians: Figures, runs: Sequence[Figures]) -> str:
    each = "  ".join(_number(run.get(row.key, math.nan)) for run in runs)
    value = _number(medians.get(row.key, math.nan))
    return f"  {row.label:<56} {value:>12}  {row.unit:<11} {each}"


def _measured_transport(medians: Figures) -> bool:
    return any(row.key in medians for row in TRANSPORT_RATIOS)


def document(medians: Figures, runs: Sequence[Figures], context: dict[str, Any]) -> dict[str, Any]:
    units = {row.key: row.unit for row in (*BASELINES, *SUITE, *INFORMATION, *TRANSPORT)}
    transport = None
    if _measured_transport(medians):
        transport = {
            "label": TRANSPORT_TITLE,
            "note": TRANSPORT_NOTE,
            "ratios": {
                row.key: {
                    "label": row.label,
                    "median": _finite(medians.get(row.key, math.nan)),
                    "runs": [_finite(run.get(row.key, math.nan)) for run in runs],
                }
                for row in TRANSPORT_RATIOS
            },
        }
    return {
        **context,
        "figures": {
            key: {
                "median": _finite(value),
                "unit": units.get(key, "ratio"),
                "runs": [_finite(run.get(key, math.nan)) for run in runs],
            }
            for key, value in medians.items()
        },
        "ratios": {
            ratio.key: {
                "label": ratio.label,
                "median": _finite(medians.get(ratio.key, math.nan)),
                "target": ratio.wanted,
                "met": ratio.met(medians.get(ratio.key, math.nan)),
            }
            for ratio in RATIOS
        },
        "transport": transport,
    }


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def write(path: Path, content: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n")
