"""Wires one service together: PostgreSQL pool and migrations, its topics, the outbox relay,
its inbox consumer, tracing, logs and the HTTP app. Each service's ``app.py`` calls this."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from fastapi import FastAPI

from inclusion_shared.access import ACTION_MARK
from inclusion_shared.audit.checkpoints import CheckpointSigner
from inclusion_shared.auth import TokenVerifier
from inclusion_shared.contracts.asyncapi import service_document
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS, topics_of
from inclusion_shared.messaging.consumer import InboxConsumer, consumer_group
from inclusion_shared.messaging.continuity import Lost, lost_on_the_broker
from inclusion_shared.messaging.kafka import (
    MissingTopicsError,
    dead_letter_producer,
    ensure_topics,
    relay_producer,
    subscriber_broker,
)
from inclusion_shared.messaging.relay import Relay
from inclusion_shared.observability.logging import configure_logging
from inclusion_shared.observability.metrics import (
    STARTS_DEFERRED,
    configure_metrics,
    metrics_endpoint,
)
from inclusion_shared.observability.tracing import configure_tracing
from inclusion_shared.persistence.migrate import migrate
from inclusion_shared.persistence.outbox import REPUBLICATION, Outbox
from inclusion_shared.persistence.pool import create_pool
from inclusion_shared.settings import ServiceSettings
from inclusion_shared.supervision import Supervised
from inclusion_shared.web.app import assert_every_route_guarded, http_app
from inclusion_shared.web.problems import Unavailable

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 15.0  # for the relay to record what Kafka acknowledged, before it is cut off
# Seconds the oldest unpublished event has waited (deliveries are recorded in commit order, so
# the unpublished are the tail after the last recorded one).
BACKLOG_AGE = f"""SELECT extract(epoch FROM now() - min(created_at))::float FROM outbox
                  WHERE seq > (SELECT coalesce(max(seq), 0) FROM outbox_delivery
                               WHERE republication = {REPUBLICATION})"""


# What keeps a service from starting only until PostgreSQL or Kafka answers again.
START_OUTAGES: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    KafkaError,
    MissingTopicsError,  # Strimzi may not have made them yet
)


class Service:
    """One running service. ``pool`` and ``producer`` exist between start and stop."""

    def __init__(
        self, settings: ServiceSettings, *, migrations: Path | None, version: str = "0.1.0"
    ) -> None:
        self.settings = settings
        self.name = settings.service_name
        self.version = version
        self.migrations = migrations
        self.outbox = Outbox(self.name, deployment=settings.deployment)
        self.consumer = InboxConsumer(
            consumer_group(settings.deployment, self.name),
            self.outbox,
            max_attempts=settings.consumer_max_attempts,
            deployment=settings.deployment,
        )
        self.broker = subscriber_broker(settings.kafka, client_id=f"inclusion-{self.name}")
        self._pool: asyncpg.Pool | None = None
        self._producer: AIOKafkaProducer | None = None
        self.relay: Relay | None = None
        self._stopping = asyncio.Event()
        self._relay_task: Supervised | None = None
        self._started_hooks: list[Callable[[Service], Awaitable[None]]] = []
        self._subscribed = False
        self.lost: list[Lost] = []  # partitions whose broker log ends before what was published
        self.started = False
        self.start_failure: str | None = None  # a start that no retry can fix

    def on_started(self, hook: Callable[[Service], Awaitable[None]]) -> None:
        """Run ``hook`` once the database is migrated and messaging runs, before serving."""
        self._started_hooks.append(hook)

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise Unavailable(
                f"{self.name} is starting: its database or Kafka cannot be reached yet",
                retry_after=5,
            )
        return self._pool

    async def start_through_outages(self, *, first_attempt: int = 1) -> None:
        """Start, and while PostgreSQL or Kafka cannot be reached, try again with a backoff
        that doubles up to 30 s, a log line per attempt. Anything else is not an outage: it
        is logged and recorded in ``start_failure`` (liveness then fails), never retried."""
        attempt = first_attempt
        while True:
            try:
                await self.start()
                return
            except START_OUTAGES as error:
                await self._undo_start()
                STARTS_DEFERRED.add(service=self.name)
                delay = min(0.5 * 2 ** min(attempt - 1, 16), 30.0)
                log.warning(
                    "cannot start yet; trying again",
                    extra={"attempt": attempt, "error": repr(error), "retry_in": delay},
                )
                attempt += 1
                await asyncio.sleep(delay)
            except Exception as error:
                await self._undo_start()
                self.start_failure = repr(error)
                log.critical("the service cannot start", exc_info=True)
                return

    async def _undo_start(self) -> None:
        """What a failed start left running, stopped, so the next attempt begins clean."""
        try:
            await self.stop()
        except Exception:
            log.warning("stopping a failed start", exc_info=True)
        self._stopping.clear()

    async def start(self) -> None:
        """One attempt: database and migrations, topics, relay, consumer, start hooks."""
        settings = self.settings
        self._pool = await create_pool(
            settings.database_url,
            self.name,
            statement_timeout=settings.database_statement_timeout_seconds,
        )
        applied = await migrate(self._pool, self.name, self.migrations)
        if applied:
            log.info("migrations applied", extra={"migrations": applied})
        await ensure_topics(
            settings.kafka,
            # Topics it consumes too, so subscriptions see them from the start.
            {*topics_of(self.name), *self.consumer.consumed_topics, AUDIT_CHECKPOINTS},
        )
        self.lost = await lost_on_the_broker(self._pool, settings.kafka)
        if self.lost:
            log.error(
                "the broker has lost events this service published: its data was reset while "
                "this database was kept; readers see a log with a hole and the audit fails on "
                "it. Publish this service's log again from its outbox (`inclusion log rebuild` "
                "locally; docs: README, Rebuilding the log) or restore the broker's data; "
                "nothing here was changed",
                extra={"lost": [str(lost) for lost in self.lost]},
            )
        # Dead letters and readiness; the relay owns producers of its own (see Relay).
        self._producer = dead_letter_producer(settings.kafka, f"inclusion-{self.name}")
        await self._producer.start()
        relay_client = f"inclusion-{self.name}-relay"
        self.relay = Relay(
            self.name,
            self._connect,
            lambda: relay_producer(settings.kafka, relay_client),
            batch_size=settings.relay_batch_size,
            poll_interval=settings.relay_poll_interval_seconds,
            checkpoints=self._checkpoint_signer(),
        )
        self._stopping.clear()
        relay = self.relay
        self._relay_task = Supervised(
            f"{self.name}-relay", lambda: relay.run(self._stopping), self._stopping
        ).start()
        self.consumer.bind(self._pool, self._producer)
        if not self._subscribed:
            self.consumer.subscribe(self.broker)
            self._subscribed = True
        await self.broker.start()
        for hook in self._started_hooks:
            await hook(self)
        self.started = True
        log.info("started", extra={"consumes": self.consumer.topics})

    def _checkpoint_signer(self) -> CheckpointSigner | None:
        key_file = self.settings.audit_signing_key_file
        if key_file is None:
            log.warning("no AUDIT_SIGNING_KEY_FILE: the chain head is not signed")
            return None
        return CheckpointSigner(
            self.outbox.chain,
            key_file,
            every_events=self.settings.audit_checkpoint_every_events,
            every_seconds=self.settings.audit_checkpoint_every_seconds,
        )

    async def stop(self) -> None:
        self.started = False
        self._stopping.set()
        await self.consumer.commit_processed()
        await self.broker.stop()
        if self._relay_task is not None:
            await self._relay_task.wait(grace=STOP_GRACE_SECONDS)
        if self._producer is not None:
            await self._producer.stop()
        if self._pool is not None:
            await self._pool.close()
        self._pool = self._producer = self._relay_task = None

    async def _connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(
            self.settings.database_url, server_settings={"search_path": self.name}
        )

    async def readiness(self) -> dict[str, bool]:
        """Ready when PostgreSQL answers a query, Kafka answers a metadata request and no
        consumed record has been unfinished for longer than the consumer allows (its partition
        would be waiting behind it; the log names the record)."""
        return {
            "started": self.started,
            "postgres": await self._postgres_answers(),
            "kafka": await self._kafka_answers(),
            "relay": await self._relay_keeps_up(),
            "consumer": not self.consumer.stuck,
            "log": not self.lost,
        }

    async def liveness(self) -> dict[str, bool]:
        """Alive unless the start failed for good or a background task keeps dying (then only
        a restart helps)."""
        return {
            "start": self.start_failure is None,
            "relay": self._relay_task is None or self._relay_task.alive,
        }

    async def _relay_keeps_up(self) -> bool:
        """The relay runs, and no committed event has waited longer than the bound to be
        published (whichever replica leads)."""
        if self._relay_task is None or not self._relay_task.running:
            return False
        try:
            waited = await asyncio.wait_for(self.pool.fetchval(BACKLOG_AGE), 2)
        except (OSError, TimeoutError, RuntimeError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return False
        return waited is None or waited <= self.settings.relay_max_backlog_seconds

    async def _postgres_answers(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self.pool.fetchval("SELECT true"), 2))
        except (OSError, TimeoutError, RuntimeError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return False

    async def _kafka_answers(self) -> bool:
        if self._producer is None:
            return False
        try:
            await asyncio.wait_for(self._producer.client.fetch_all_metadata(), 2)
            return True
        except Exception:  # any client error means "not reachable now"
            return False

    def http(self, title: str) -> FastAPI:
        """The service's FastAPI app; routes added to it must each carry a role check."""
        configure_logging(self.name, self.settings.log_level)
        configure_tracing(self.name, self.settings.otel_exporter_otlp_endpoint)
        configure_metrics(
            self.name,
            metrics_endpoint(
                self.settings.otel_exporter_otlp_endpoint,
                self.settings.otel_exporter_otlp_metrics_endpoint,
            ),
        )

        @contextlib.asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[None]:
            # Every route names its action in the service's access policy (permit()).
            assert_every_route_guarded(app, mark=ACTION_MARK)
            app.state.token_verifier = TokenVerifier(self.settings)
            # The first attempt before serving; if PostgreSQL or Kafka is away, the API serves
            # (not ready, commands 503) while the start is tried again in the background.
            starting: asyncio.Task[None] | None = None
            try:
                await self.start()
            except START_OUTAGES as error:
                await self._undo_start()
                STARTS_DEFERRED.add(service=self.name)
                log.warning("cannot start yet; trying again", extra={"error": repr(error)})
                starting = asyncio.create_task(self.start_through_outages(first_attempt=2))
            try:
                yield
            finally:
                if starting is not None:
                    starting.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await starting
                await self.stop()

        app = http_app(
            title, self.version, lifespan, max_body_bytes=self.settings.http_max_body_bytes
        )
        app.state.readiness = self.readiness
        app.state.liveness = self.liveness
        app.state.service = self

        @app.get("/asyncapi.json", tags=["contracts"])
        async def asyncapi() -> Any:
            """The service's AsyncAPI 3 document: the topics it consumes and publishes."""
            return self.asyncapi()

        return app

    def asyncapi(self) -> Any:
        return service_document(self.name, self.consumer.handled, version=self.version)
