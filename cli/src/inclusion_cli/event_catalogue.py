"""The event catalogue people read: ``docs/events/index.html``, one static page made from the
services' AsyncAPI documents (``make contracts``). For every event type: its topic and key,
who publishes and who consumes it, the step of the process it records, its fields with their
types and descriptions, an example, and its schema; and at the top, how to subscribe."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from inclusion_shared.events.catalogue import CATALOGUE

Document = dict[str, Any]

# What each topic's events record: the process of domain.md, and its statutory step if any.
PROCESSES = {
    "funding.application.v1": (
        "An application for High Needs Funding (mainstream top-up), SENIF or the Disability "
        "Access Fund: received complete, returned as incomplete, withdrawn, or opened again "
        "at a phase change. Kent aims to decide within 2 weeks."
    ),
    "funding.decision.v1": (
        "A funding decision against the policy in force, with everything needed to re-derive "
        "it and a keyed digest of the written rationale: the evidence-based decision that can be "
        "challenged."
    ),
    "funding.allocation.v1": (
        "A commitment against an area's annual High Needs budget, its release, or an award "
        "ending: over-commitment is visible, never silent."
    ),
    "funding.budget.v1": "An area's High Needs budget for a financial year.",
    "funding.policy.v1": "A published version of the funding rules and rates (banding).",
    "funding.challenge.v1": "A challenge to a funding decision, and how it was resolved.",
    "placements.setting.v1": (
        "A setting (school, SRP, special school, PRU, early years, Portage) registered, its "
        "capacity, and capacity overrides."
    ),
    "placements.placement.v1": (
        "A child's placement from request to decision, offers, start, moves and end, the EHC "
        "needs assessment's steps and its statutory clocks (6 weeks to decide to assess, 20 "
        "weeks to a final plan, 15 February for phase transfers, 31 March for post-16)."
    ),
    "placements.consultation.v1": (
        "A consultation with a preferred or nearest suitable school, which must reply within "
        "15 days."
    ),
    "reviews.review.v1": (
        "The peer-to-peer SEN review: a cycle opened, reviewers assigned with their declared "
        "interests, self-evaluation, report, action plan and follow-up."
    ),
    "feedback.survey.v1": "A survey of the standing forum for children's and parents' views.",
    "feedback.response.v1": (
        "A response received, tagged with themes, withheld, withdrawn or routed to the "
        "complaints process (answers as codes; free text stays sealed in the service)."
    ),
    "feedback.theme.v1": 'A theme heard, and the "You said, we did" actions answering it.',
    "feedback.invitation.v1": "An invitation to give feedback, caused by a placement or decision.",
}

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; }
h2 { border-top: 1px solid #888; padding-top: 1rem; }
h3 { font-family: ui-monospace, monospace; font-size: 1.05rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #aaa; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.9rem; }
pre { background: #f4f4f4; overflow-x: auto; padding: 0.5rem; }
a:focus, summary:focus { outline: 3px solid #1d70b8; }
"""


def render_catalogue(documents: dict[str, Document]) -> str:
    """The page, from every deployed service's AsyncAPI document."""
    events = _events(documents)
    topics = [topic for topic in CATALOGUE if any(e["topic"] == topic.name for e in events)]
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Inclusion: the event catalogue</title>",
        f"<style>{STYLE}</style></head><body>",
        "<header><h1>The event catalogue</h1>",
        f"<p>Every event the Inclusion suite publishes on Kafka: {len(events)} event types on "
        f"{len(topics)} topics. Generated from the services' AsyncAPI documents "
        "(<code>shared/schemas/asyncapi/</code>) by <code>make contracts</code>; do not edit.</p>",
        "</header><main>",
        _how_to_subscribe(),
        '<nav aria-labelledby="contents"><h2 id="contents">Topics</h2><ul>',
    ]
    for topic in topics:
        parts.append(f'<li><a href="#{escape(topic.name)}">{escape(topic.name)}</a><ul>')
        for event in (e for e in events if e["topic"] == topic.name):
            parts.append(f'<li><a href="#{escape(event["id"])}">{escape(event["type"])}</a></li>')
        parts.append("</ul></li>")
    parts.append("</ul></nav>")
    for topic in topics:
        parts.append(_topic_section(topic.name, topic.key, topic.partitions, topic.keeps_forever))
        parts.extend(_event_section(e) for e in events if e["topic"] == topic.name)
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _how_to_subscribe() -> str:
    return """<section aria-labelledby="subscribe"><h2 id="subscribe">How to subscribe</h2>
<ol>
<li>Ask the platform team for a Kafka principal of your own, with <em>Read</em> on the topics
you want and on your consumer group, and nothing else (see the principals table in
<code>deploy/k8s/README.md</code>).</li>
<li>Name your consumer group after your service and deployment, never one of the suite's.</li>
<li>Read from offset 0 (<code>auto.offset.reset=earliest</code>,
<code>isolation.level=read_committed</code>) to build your view from the whole log; replay it
the same way.</li>
<li>Each record's value is a structured CloudEvent (JSON); its Kafka key is the event's
<code>subject</code>, and events of one key keep their order. Validate <code>data</code>
against the schema its <code>dataschema</code> names.</li>
<li>Apply each event <code>id</code> once: the same event can arrive twice.</li>
<li>Skip types you do not know: new types can appear within a major version; a breaking change
comes as a new topic (<code>.v2</code>).</li>
</ol>
<p>A complete subscriber that imports nothing of the suite's:
<code>examples/placements-subscriber/</code>.</p></section>"""


def _events(documents: dict[str, Document]) -> list[dict[str, Any]]:
    consumers: dict[str, list[str]] = {}
    for service, document in documents.items():
        for operation in document["operations"].values():
            if operation["action"] == "receive":
                for reference in operation["messages"]:
                    consumers.setdefault(reference["$ref"].rsplit("/", 1)[-1], []).append(service)
    events = []
    for service, document in sorted(documents.items()):
        for operation in document["operations"].values():
            if operation["action"] != "send" or not operation["channel"]["$ref"].endswith(
                tuple(t.name for t in CATALOGUE if t.service == service)
            ):
                continue
            for reference in operation["messages"]:
                name = reference["$ref"].rsplit("/", 1)[-1]
                message = document["components"]["messages"][name]
                events.append(
                    {
                        "id": name,
                        "type": message["title"],
                        "topic": operation["channel"]["$ref"].rsplit("/", 1)[-1],
                        "producer": service,
                        "consumers": sorted(consumers.get(name, [])),
                        "summary": message["summary"],
                        "data": document["components"]["schemas"][name],
                        "example": message["examples"][0]["payload"],
                        "dataschema": message["x-cloudevents"]["dataschema"],
                    }
                )
    return sorted(events, key=lambda e: (e["topic"], e["type"]))


def _topic_section(name: str, key: str, partitions: int, forever: bool) -> str:
    retention = "kept for ever (the decision log)" if forever else "kept for the default time"
    return (
        f'<section aria-labelledby="{escape(name)}"><h2 id="{escape(name)}">{escape(name)}</h2>'
        f"<p>{escape(PROCESSES.get(name, ''))}</p>"
        f"<p>Key: {escape(key)}. {partitions} partitions; {retention}. Records that a "
        f"consumer cannot apply go to <code>{escape(name)}.dlq</code>.</p></section>"
    )


def _event_section(event: dict[str, Any]) -> str:
    rows = []
    required = set(event["data"].get("required", []))
    for field, schema in event["data"].get("properties", {}).items():
        rows.append(
            f"<tr><td><code>{escape(field)}</code></td><td>{escape(_type_of(schema))}</td>"
            f"<td>{'yes' if field in required else 'no'}</td>"
            f"<td>{escape(schema.get('description', ''))}</td></tr>"
        )
    consumers = ", ".join(event["consumers"]) or "none in the suite (outside subscribers)"
    schema_file = f"../../shared/schemas/{event['id']}.json"
    schema_link = f'<a href="{escape(schema_file)}">{escape(event["dataschema"])}</a>'
    example = escape(json.dumps(event["example"], indent=2))
    return f"""<article aria-labelledby="{escape(event["id"])}">
<h3 id="{escape(event["id"])}">{escape(event["type"])}</h3>
<p>{escape(event["summary"])}</p>
<table><tbody>
<tr><th scope="row">Topic</th><td><code>{escape(event["topic"])}</code></td></tr>
<tr><th scope="row">Published by</th><td>{escape(event["producer"])}</td></tr>
<tr><th scope="row">Consumed by</th><td>{escape(consumers)}</td></tr>
<tr><th scope="row">Schema</th><td>{schema_link}</td></tr>
</tbody></table>
<table><caption>Fields of <code>data</code></caption>
<thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th>
<th scope="col">Description</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table>
<details><summary>An example</summary><pre>{example}</pre></details>
</article>"""


def _type_of(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return f"always {schema['const']}"
    if "anyOf" in schema:
        return " or ".join(_type_of(option) for option in schema["anyOf"])
    kind = str(schema.get("type", "any"))
    if kind == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    return f"{kind} ({schema['format']})" if "format" in schema else kind
