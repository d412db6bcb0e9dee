"""The counters an operator graphs and alerts on: background tasks that failed and restarted,
consumed records tried again, stuck or dead-lettered, events published, start attempts that met
an outage. Exported over OTLP/HTTP beside the traces when an endpoint is set
(``OTEL_EXPORTER_OTLP_METRICS_ENDPOINT``, or the traces endpoint with ``/v1/metrics`` for
``/v1/traces``), and always readable in the process (``count``), for tests and the logs.

Attributes name where (a task, a topic), never whose: no identifier of a person or a child.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from opentelemetry import metrics
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    InMemoryMetricReader,
    MetricReader,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.resources import Resource

_in_process = InMemoryMetricReader()


def metrics_endpoint(traces: str | None, metrics_url: str | None) -> str | None:
    """Where metrics go: the explicit endpoint, else the traces one's `/v1/metrics` sibling."""
    if metrics_url:
        return metrics_url
    if traces and traces.rstrip("/").endswith("/v1/traces"):
        return traces.rstrip("/").removesuffix("/v1/traces") + "/v1/metrics"
    return None


def configure_metrics(service: str, endpoint: str | None) -> None:
    """Install the process's meter provider once (OpenTelemetry allows one per process)."""
    if isinstance(metrics.get_meter_provider(), MeterProvider):
        return
    readers: list[MetricReader] = [_in_process]
    if endpoint:
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        readers.append(PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=endpoint)))
    resource = Resource.create({"service.name": f"inclusion-{service}"})
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))


@functools.cache
def _counter(name: str, description: str) -> metrics.Counter:
    return metrics.get_meter("inclusion").create_counter(name, unit="1", description=description)


@dataclass(frozen=True)
class Count:
    """A counter of the suite's, by name."""

    name: str
    description: str

    def add(self, amount: int = 1, **where: str) -> None:
        _counter(self.name, self.description).add(amount, where)

    def total(self, **where: str) -> int:
        """What this process has counted, over the points with these attributes."""
        data = _in_process.get_metrics_data()
        found = 0
        for resource in data.resource_metrics if data else ():
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == self.name:
                        for point in metric.data.data_points:
                            attributes = point.attributes or {}
                            if all(attributes.get(k) == v for k, v in where.items()):
                                found += int(point.value)  # type: ignore[union-attr]
        return found


TASK_FAILURES = Count(
    "inclusion.task.failures", "background task runs that ended in an error and were restarted"
)
STARTS_DEFERRED = Count(
    "inclusion.start.deferred", "start attempts that met PostgreSQL or Kafka down, and will retry"
)
RECORD_RETRIES = Count(
    "inclusion.consumer.retries", "attempts at a consumed record that failed and will be retried"
)
RECORDS_STUCK = Count(
    "inclusion.consumer.stuck",
    "failed attempts at records already unfinished for longer than the consumer allows",
)
DEAD_LETTERS = Count("inclusion.consumer.dead_letters", "consumed records dead-lettered")
EVENTS_PUBLISHED = Count("inclusion.relay.published", "events the relay published and recorded")
PRODUCERS_ABANDONED = Count(
    "inclusion.relay.producers_abandoned",
    "relay producers dropped after a failure, what they held to be sent again",
)
