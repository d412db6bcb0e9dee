from __future__ import annotations

from inclusion_cli.stack import external_databases, external_kafka

SERVICES = ("funding", "placements", "reviews", "feedback")


def test_no_environment_means_local_infrastructure() -> None:
    assert external_kafka({}) is None
    assert external_databases({}, SERVICES) is None


def test_shared_database_url_serves_every_service() -> None:
    dbs = external_databases({"DATABASE_URL": "postgresql://h/db"}, SERVICES)

    assert dbs == dict.fromkeys(SERVICES, "postgresql://h/db")


def test_per_service_urls_win_over_the_shared_one() -> None:
    env = {"DATABASE_URL": "postgresql://h/shared", "REVIEWS_DATABASE_URL": "postgresql://h/r"}

    dbs = external_databases(env, SERVICES)

    assert dbs is not None
    assert dbs["reviews"] == "postgresql://h/r"
    assert dbs["funding"] == "postgresql://h/shared"


def test_per_service_urls_must_cover_every_service() -> None:
    env = {f"{name.upper()}_DATABASE_URL": f"postgresql://h/{name}" for name in SERVICES[:3]}

    assert external_databases(env, SERVICES) is None
    env["FEEDBACK_DATABASE_URL"] = "postgresql://h/feedback"
    assert external_databases(env, SERVICES) == {n: f"postgresql://h/{n}" for n in SERVICES}


def test_kafka_from_the_environment() -> None:
    assert external_kafka({"KAFKA_BOOTSTRAP_SERVERS": "k:9092"}) == "k:9092"
