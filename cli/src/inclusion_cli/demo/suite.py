"""Speaking to a running suite over HTTP as its users do: bearer tokens minted with the local
development key, and an Idempotency-Key on every command so that running a step again changes
nothing. A replayed answer (201/200 with `Idempotent-Replay`) or a 409 saying the thing already
exists both mean the step is done."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from inclusion_cli.demo.data import senco_of
from inclusion_cli.services import SERVICE_PORTS
from inclusion_cli.tokens import mint_dev_token
from inclusion_shared.identifiers import person_id_for

DONE, REPLAYED, EXISTS, REFUSED, FAILED, SKIPPED = (
    "done",
    "replayed",
    "already there",
    "refused as expected",
    "failed",
    "skipped",
)
COMPLETED = frozenset({DONE, REPLAYED, EXISTS})
# Funding and feedback learn the settings registry from placements' events, a moment later.
NOT_KNOWN_YET = frozenset({"unknown_setting"})


def local_urls(host: str = "127.0.0.1") -> dict[str, str]:
    """Where `inclusion up` serves each service."""
    return {name: f"http://{host}:{port}" for name, port in SERVICE_PORTS.items()}


@dataclass(frozen=True)
class Caller:
    """Who makes a request: a role and a person's id, and what the token limits them
    to (a SENCO's setting, a parent's child, an officer's areas, a member's panels)."""

    role: str
    subject: str
    setting: str | None = None
    child: str | None = None
    areas: tuple[str, ...] = ()
    panels: tuple[str, ...] = ()


def senco(setting_id: str) -> Caller:
    return Caller("senco", senco_of(setting_id), setting=setting_id)


def parent(child_id: str) -> Caller:
    return Caller("parent", person_id_for(f"parent-of-{child_id}"), child=child_id)


def panel_member(member_id: str, panel_id: str) -> Caller:
    """A member of a panel's roster, voting or declaring an interest as themselves."""
    return Caller("panel-member", member_id, panels=(panel_id,))


@dataclass
class Outcome:
    """How one step went."""

    step: str
    kind: str  # what the step is, for the summary: "hnf.application", "placement.started", ...
    status: str
    http_status: int | None = None
    body: Any = None

    @property
    def completed(self) -> bool:
        return self.status in COMPLETED

    @property
    def answer(self) -> dict[str, Any]:
        """The service's answer (a replayed answer is the first one, as stored); empty when the
        thing was already there and the service said so instead."""
        answered = self.status in (DONE, REPLAYED)
        return self.body if answered and isinstance(self.body, dict) else {}

    @property
    def problem_code(self) -> str | None:
        return self.body.get("code") if isinstance(self.body, dict) else None


class StepFailed(RuntimeError):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(f"{outcome.step}: HTTP {outcome.http_status}: {outcome.body}")
        self.outcome = outcome


@dataclass
class Suite:
    """A running suite: its services' base URLs, the folder holding the development signing key,
    and the prefix that makes each step's Idempotency-Key (the seed, for the demo)."""

    urls: Mapping[str, str]
    keys: Path
    key_prefix: str
    strict: bool = False  # raise on a failed step (the end-to-end tests) instead of recording it
    outcomes: list[Outcome] = field(default_factory=list)
    timeout: float = 30.0
    patience: float = 90.0  # how long a command waits for another service to catch up

    def __post_init__(self) -> None:
        self._local = threading.local()
        self._clients: list[httpx.Client] = []
        self._tokens: dict[Caller, tuple[str, float]] = {}

    @property
    def _http(self) -> httpx.Client:
        """This thread's client: steps may be sent from several threads at once."""
        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = httpx.Client(timeout=self.timeout)
            self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()

    def __enter__(self) -> Suite:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def headers(self, caller: Caller) -> dict[str, str]:
        token, expires = self._tokens.get(caller, ("", 0.0))
        if time.monotonic() > expires:
            token = mint_dev_token(
                self.keys,
                role=caller.role,
                subject=caller.subject,
                setting=caller.setting,
                child=caller.child,
                areas=caller.areas,
                panels=caller.panels,
                ttl_seconds=3600,
            )
            self._tokens[caller] = (token, time.monotonic() + 3000)
        return {"Authorization": f"Bearer {token}"}

    def idempotency_key(self, step: str) -> str:
        key = f"{self.key_prefix}:{step}"
        return (
            key
            if len(key) <= 200
            else f"{self.key_prefix}:{hashlib.sha256(key.encode()).hexdigest()}"
        )

    def command(
        self,
        service: str,
        method: str,
        path: str,
        *,
        step: str,
        kind: str,
        caller: Caller,
        body: Any = None,
        refusals: Collection[str] = (),
        wait_for: Collection[str] = NOT_KNOWN_YET,
    ) -> Outcome:
        """Send one command with the step's Idempotency-Key. `refusals` are problem codes the
        step expects (a DAF claim for a child not on DLA); `wait_for` are codes meaning another
        service has not caught up yet, so the command is tried again for `patience` seconds."""
        deadline = time.monotonic() + self.patience
        headers = {**self.headers(caller), "Idempotency-Key": self.idempotency_key(step)}
        while True:
            response = self._send(method, f"{self.urls[service]}{path}", headers, body)
            outcome = self._outcome(step, kind, response, refusals)
            code = outcome.problem_code
            if outcome.status != FAILED or code not in wait_for or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.outcomes.append(outcome)
        if self.strict and outcome.status == FAILED:
            raise StepFailed(outcome)
        return outcome

    def skip(self, step: str, kind: str, why: str) -> Outcome:
        outcome = Outcome(step, kind, SKIPPED, None, {"detail": why})
        self.outcomes.append(outcome)
        if self.strict:
            raise StepFailed(outcome)
        return outcome

    def read(self, service: str, path: str, caller: Caller, **params: Any) -> Any:
        """A query; None when there is nothing the caller may see there."""
        response = self._send(
            "GET", f"{self.urls[service]}{path}", self.headers(caller), None, params=params
        )
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()

    def every(self, service: str, path: str, caller: Caller, name: str) -> Iterator[Any]:
        """Each item of a paged list (its items under `name`), following `next` page by page;
        nothing when the caller may see none."""
        params: dict[str, Any] = {}
        while (page := self.read(service, path, caller, **params)) is not None:
            yield from page[name]
            if page["next"] is None:
                return
            params = {"after": page["next"]}

    def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Any,
        params: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        # A service restarting, or busy: a few tries before giving up.
        for attempt in range(5):
            try:
                response = self._http.request(
                    method, url, headers=headers, json=body, params=params
                )
            except httpx.TransportError:
                if attempt == 4:
                    raise
            else:
                if response.status_code < 500 or attempt == 4:
                    return response
            time.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    @staticmethod
    def _outcome(
        step: str, kind: str, response: httpx.Response, refusals: Collection[str]
    ) -> Outcome:
        try:
            body = response.json()
        except ValueError:
            body = response.text
        status = response.status_code
        if status < 300:
            replayed = response.headers.get("idempotent-replay") == "true"
            return Outcome(step, kind, REPLAYED if replayed else DONE, status, body)
        code = body.get("code") if isinstance(body, dict) else None
        if status == 409:  # already exists, already decided, key already used: done before
            return Outcome(step, kind, EXISTS, status, body)
        if code in refusals:
            return Outcome(step, kind, REFUSED, status, body)
        return Outcome(step, kind, FAILED, status, body)
