"""The `inclusion` command: run the suite locally on real infrastructure, mint dev tokens."""

from __future__ import annotations

import asyncio
import os
import shutil
from typing import Annotated, NoReturn

import typer

from inclusion_cli import state as state_file
from inclusion_cli.audit.command import audit, verify
from inclusion_cli.demo.command import SuiteNotReady, run_demo
from inclusion_cli.demo.data import DEFAULT_SEED, Scale
from inclusion_cli.infra.kafka import (
    KafkaNode,
    KafkaStartError,
    local_node,
    purge_kafka,
    stop_kafka,
)
from inclusion_cli.infra.postgres import (
    PgCluster,
    PostgresError,
    admin_dsn,
    drop_postgres,
    local_cluster,
    secure_cluster,
    stop_postgres,
)
from inclusion_cli.keys import ensure_audit_keys, ensure_dev_signing_key, ensure_personal_data_key
from inclusion_cli.lifetime import OtherLifetime, check_lifetime
from inclusion_cli.paths import RepoNotFoundError, StateDir, state_dir
from inclusion_cli.procs import tail
from inclusion_cli.rebuild import rebuild_stopped, wait_republished
from inclusion_cli.secure import AclError, secure_directory, secure_node
from inclusion_cli.services import (
    default_specs,
    front_page,
    log_file,
    service_env,
    start_services,
    stop_services,
)
from inclusion_cli.stack import ensure_infrastructure, ensure_secure_infrastructure
from inclusion_cli.state import Component
from inclusion_cli.status import collect, render
from inclusion_cli.tokens import TokenRequestError, mint_dev_token
from inclusion_shared.messaging.connection import KafkaConfigError

app = typer.Typer(
    help="Inclusion: run the suite locally on real Kafka and Postgres; mint dev tokens.",
    no_args_is_help=True,
    add_completion=False,
)


app.add_typer(audit, name="audit")
log = typer.Typer(help="The decision log on the broker.")
app.add_typer(log, name="log")


SCALE_HELP = (
    "The demo's size: demo (sixty settings, three hundred children; a few minutes) or kent "
    "(Kent as it is: about six hundred schools, twenty thousand children, a year's assessments "
    "and HNF applications)."
)


def _fail(message: str) -> NoReturn:
    typer.secho(message, err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


def _state() -> StateDir:
    try:
        return state_dir()
    except RepoNotFoundError as error:
        _fail(str(error))


def _verdict(started: bool, external: bool = False) -> str:
    return "external" if external else "started" if started else "already running"


@app.command()
def up(
    demo: Annotated[
        bool, typer.Option(help="Then run the Kent demo scenario (what is there is skipped).")
    ] = False,
    secure: Annotated[
        bool,
        typer.Option(
            help="Kafka over SASL_SSL with a principal per service and ACLs, PostgreSQL over "
            "TLS with a role per service; client files in .inclusion/secure."
        ),
    ] = False,
    scale: Annotated[Scale, typer.Option(help=SCALE_HELP)] = "demo",
) -> None:
    """Start Kafka, Postgres and the five services (idempotent)."""
    state = _state().ensure()
    try:
        if secure:
            infra = ensure_secure_infrastructure(state, _deployment())
        else:
            infra = ensure_infrastructure(state)
            if not infra.postgres_external:
                check_lifetime(state, admin_dsn(local_cluster()), infra.postgres_address)
    except (KafkaStartError, PostgresError, AclError, KafkaConfigError, OtherLifetime) as error:
        _fail(str(error))
    key = ensure_dev_signing_key(state.keys)
    personal_data_key = ensure_personal_data_key(state.keys)
    specs = default_specs()
    audit_keys = ensure_audit_keys(state.keys, [spec.name for spec in specs])
    envs = {
        spec.name: service_env(
            spec,
            kafka=infra.kafka,
            database_url=infra.databases[spec.name],
            public_key=key.public,
            personal_data_key=personal_data_key,
            audit_key=audit_keys[spec.name],
            kafka_environment=infra.kafka_environments.get(spec.name),
        )
        for spec in specs
    }
    outcomes = start_services(state, specs, envs)

    rows = [
        ("kafka", infra.kafka, _verdict(infra.kafka_started, infra.kafka_external)),
        ("postgres", infra.postgres_address if not infra.postgres_external
         else "from DATABASE_URL", _verdict(infra.postgres_started, infra.postgres_external)),
    ]  # fmt: skip
    for outcome in outcomes:
        verdict = _verdict(outcome.started) if outcome.ready else "FAILED"
        rows.append((outcome.spec.name, front_page(outcome.spec.name, outcome.spec.url), verdict))
    for name, where, verdict in rows:
        typer.echo(f"{name:<11}{where:<34}{verdict}")
    typer.echo(f"logs in {state.logs}/; a token: inclusion token --role senco")
    if secure:
        typer.echo(
            f"secure: SASL_SSL and TLS only; each principal's client file in "
            f"{secure_directory()}/<principal>.properties"
        )

    failures = [outcome for outcome in outcomes if not outcome.ready]
    for outcome in failures:
        typer.secho(f"\n{outcome.spec.name} is not ready", err=True, fg=typer.colors.RED)
        path = log_file(state, outcome.spec)
        typer.echo(outcome.error or f"last lines of {path}:\n{tail(path)}", err=True)
    if failures:
        raise typer.Exit(1)
    if demo:
        typer.echo("")
        _run_demo(state, DEFAULT_SEED, audit=True, scale=scale)


def _deployment() -> str:
    return os.environ.get("DEPLOYMENT", "kent")


def _run_demo(state: StateDir, seed: int, *, audit: bool, scale: Scale = "demo") -> None:
    try:
        result = run_demo(state, seed=seed, deployment=_deployment(), audit=audit, scale=scale)
    except SuiteNotReady as error:
        _fail(str(error))
    typer.echo(result.text)
    if result.failed_steps:
        _fail(f"{result.failed_steps} step(s) of the demo failed; see above")
    if result.audit_passed is False:
        _fail("the decision log does not verify (see the audit above): the suite is not sound")


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="The demo data and scenario follow from it.")] = (
        DEFAULT_SEED
    ),
    audit: Annotated[bool, typer.Option(help="Verify the decision log afterwards.")] = True,
    scale: Annotated[Scale, typer.Option(help=SCALE_HELP)] = "demo",
) -> None:
    """Run the Kent demo scenario on the running suite: pseudonymous data from a seed, driven
    over HTTP across all four services. Idempotent: what is already there is skipped. Prints
    where the suite is, what happened and how long it took, and `inclusion audit verify` of
    the log."""
    _run_demo(_state().ensure(), seed, audit=audit, scale=scale)


@app.command()
def down(
    purge: Annotated[
        bool, typer.Option(help="Also delete Kafka data, the Postgres cluster and .local/.")
    ] = False,
    everything: Annotated[
        bool, typer.Option("--all", help="Also stop local Kafka/Postgres that `up` did not start.")
    ] = False,
) -> None:
    """Stop the services, then the infrastructure `up` started."""
    state = _state()
    for name in stop_services(state, default_specs()):
        typer.echo(f"stopped {name}")
    secure = secure_directory(state.root.parent)
    # The client files describe a running secure stack; its passwords stay with its data.
    for properties in secure.glob("*.properties"):
        properties.unlink()
    stop_all = purge or everything
    brokers: dict[Component, KafkaNode] = {
        "kafka": local_node(state),
        "kafka-secure": secure_node(state),
    }
    clusters: dict[Component, PgCluster] = {
        "postgres": local_cluster(),
        "postgres-secure": secure_cluster(None),
    }
    try:
        for name, node in brokers.items():
            ours = state_file.started_by_up(state.state_file, name)
            if (stop_all or ours) and stop_kafka(node):
                typer.echo(f"stopped {name}")
            state_file.forget(state.state_file, name)
        for name, cluster in clusters.items():
            ours = state_file.started_by_up(state.state_file, name)
            if (stop_all or ours) and stop_postgres(cluster):
                typer.echo(f"stopped {name}")
            state_file.forget(state.state_file, name)
        if purge:
            for cluster in clusters.values():
                if drop_postgres(cluster):
                    typer.echo(f"dropped postgres cluster {cluster.version}/{cluster.name}")
            for node in brokers.values():
                purge_kafka(node)
            shutil.rmtree(secure.parent, ignore_errors=True)
            shutil.rmtree(state.root, ignore_errors=True)
            typer.echo(f"deleted {state.root} and {secure.parent}")
    except PostgresError as error:
        _fail(str(error))


@log.command()
def rebuild(
    within: Annotated[float, typer.Option(help="Seconds to wait for the logs to be back.")] = 600,
) -> None:
    """Put the decision log back on a broker that lost it (its data reset while the databases
    were kept): each service whose events it lost is stopped and publishes its whole outbox
    again, with the same ids, hashes and order; then the suite is started and the log audited.
    Nothing is changed when the broker holds everything. The local stack of `make up`."""
    state = _state().ensure()
    try:
        infra = ensure_infrastructure(state)
    except (KafkaStartError, PostgresError, KafkaConfigError) as error:
        _fail(str(error))
    rebuilt = rebuild_stopped(state, infra)
    if not rebuilt:
        typer.echo("the broker holds every event the services published: nothing to rebuild")
        return
    up(demo=False, secure=False)
    try:
        asyncio.run(wait_republished(infra, rebuilt, within))
    except TimeoutError as error:
        _fail(str(error))
    verify()


@app.command()
def status() -> None:
    """Show each component: running or stopped, pid, address, ready."""
    typer.echo(render(collect(_state())))


@app.command()
def token(
    role: Annotated[str, typer.Option(help="senco, kcc-officer, panel-member, parent, ...")],
    setting: Annotated[
        list[str] | None, typer.Option(help="A setting the SENCO works for (repeatable).")
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option(help="An area the officer or board works in; kent: all (repeatable)."),
    ] = None,
    district: Annotated[
        list[str] | None, typer.Option(help="A district the officer works in (repeatable).")
    ] = None,
    panel: Annotated[
        list[str] | None, typer.Option(help="A panel the member sits on (repeatable).")
    ] = None,
    child: Annotated[str | None, typer.Option(help="Child id (parent scope).")] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--person",
            "--subject",
            help="The person's id (person- and 20 hex digits); default: the role's dev person.",
        ),
    ] = None,
    ttl: Annotated[
        int, typer.Option(min=1, max=12 * 3600, help="Lifetime in seconds (at most 12 hours).")
    ] = 3600,
) -> None:
    """Print a bearer token signed with the local development key, with its scope."""
    keys = _state().ensure().keys
    try:
        jwt = mint_dev_token(
            keys,
            role=role,
            subject=subject,
            settings=tuple(setting or ()),
            areas=tuple(area or ()),
            districts=tuple(district or ()),
            panels=tuple(panel or ()),
            child=child,
            ttl_seconds=ttl,
        )
    except TokenRequestError as error:
        raise typer.BadParameter(str(error)) from error
    typer.echo(jwt)


person = typer.Typer(help="Ids for people: what an identity provider's accounts carry.")
app.add_typer(person, name="person")


@person.command("new")
def new_person() -> None:
    """Print a newly minted person's id, to give an account at the identity provider (in the
    claim AUTH_CLAIM_PERSON names) and to put on panel rosters and the reviewer roster."""
    from inclusion_shared.identifiers import mint_person_id

    typer.echo(mint_person_id())
