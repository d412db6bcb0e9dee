"""PostgreSQL on CloudNativePG: a database and an owner role per service, TLS or nothing, the
services verifying the server's name against the cluster's CA, and in production synchronous
replicas and backups declared."""

from __future__ import annotations

import copy
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest

from .conftest import DEPLOYED
from .crd_schemas import CNPG, CRD_SCHEMAS
from .manifests import REPO, Manifest, environment, named, of_kind, secret_file

OVERLAYS = ("dev", "prod")
CLUSTER = "inclusion-db"
BARMAN_CLOUD = "barman-cloud.cloudnative-pg.io"


def _cluster(documents: list[Manifest]) -> Manifest:
    spec: Manifest = named(documents, "Cluster", CLUSTER)["spec"]
    return spec


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_owns_its_own_database_as_its_own_role(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    roles = {role["name"]: role for role in _cluster(documents)["managed"]["roles"]}
    databases = {d["spec"]["name"]: d["spec"] for d in of_kind(documents, "Database")}
    assert set(roles) == set(databases) == set(DEPLOYED)
    for service in DEPLOYED:
        role = roles[service]
        assert role["login"] is True and role.get("ensure", "present") == "present", service
        for power in ("superuser", "createdb", "createrole", "replication", "bypassrls"):
            assert role.get(power) is False, f"{service} may not {power}"
        assert role["passwordSecret"] == {"name": f"{service}-database"}
        database = databases[service]
        assert database["cluster"] == {"name": CLUSTER}
        assert database["owner"] == service
        assert database["databaseReclaimPolicy"] == "retain", "people's records outlive a resource"
    assert _cluster(documents)["enableSuperuserAccess"] is False


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_database_takes_tls_only_and_each_role_into_its_own_database(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    rules = [rule.split() for rule in _cluster(overlays[overlay])["postgresql"]["pg_hba"]]
    # The operator's own rules come first (local peer, replication by certificate), its
    # catch-all password rule last; these sit between and must leave it unreachable.
    assert rules[0] == ["hostnossl", "all", "all", "all", "reject"]
    assert rules[-1] == ["hostssl", "all", "all", "all", "reject"]
    for rule in rules[1:-1]:
        assert rule[0] == "hostssl" and rule[1] == "sameuser", rule
        assert rule[-1] in {"scram-sha-256", "cert"}, rule


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_connects_over_tls_verifying_the_servers_name(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    for service in DEPLOYED:
        deployment = named(documents, "Deployment", service)
        url = urlsplit(environment(documents, deployment)["DATABASE_URL"])
        assert url.scheme == "postgresql"
        # The Service in front of the primary: its name is in the server's certificate.
        assert (url.username, url.password, url.hostname) == (service, None, f"{CLUSTER}-rw")
        assert url.path == f"/{service}"
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        assert query["sslmode"] == "verify-full"
        ca = secret_file(deployment, query["sslrootcert"])
        assert (ca.secret, ca.key) == (f"{CLUSTER}-ca", "ca.crt"), "never the CA's private key"
        assert ca.read_only


def test_production_commits_wait_for_a_replica(prod: list[Manifest]) -> None:
    cluster = _cluster(prod)
    assert cluster["instances"] == 3
    synchronous = cluster["postgresql"]["synchronous"]
    assert synchronous["number"] >= 1
    assert synchronous["dataDurability"] == "required"
    assert synchronous["number"] < cluster["instances"]


def test_production_archives_its_wal_and_takes_nightly_backups(prod: list[Manifest]) -> None:
    (plugin,) = _cluster(prod)["plugins"]
    assert plugin["name"] == BARMAN_CLOUD and plugin["isWALArchiver"] is True
    store = named(prod, "ObjectStore", plugin["parameters"]["barmanObjectName"])["spec"]
    assert store["retentionPolicy"]
    assert store["configuration"]["wal"]["encryption"]
    assert store["configuration"]["data"]["encryption"]
    credentials = {ref["name"] for ref in store["configuration"]["s3Credentials"].values()}
    readme = (REPO / "deploy" / "k8s" / "README.md").read_text()
    assert all(f"`{secret}`" in readme for secret in credentials), "documented Secrets"
    (backup,) = of_kind(prod, "ScheduledBackup")
    assert backup["spec"]["cluster"] == {"name": CLUSTER}
    assert backup["spec"]["method"] == "plugin"
    assert backup["spec"]["pluginConfiguration"] == {"name": BARMAN_CLOUD}


def test_development_runs_one_instance_without_backups(
    overlays: dict[str, list[Manifest]],
) -> None:
    dev = overlays["dev"]
    cluster = _cluster(dev)
    assert cluster["instances"] == 1
    assert "synchronous" not in cluster["postgresql"], "no replica to wait for"
    assert of_kind(dev, "ScheduledBackup") == of_kind(dev, "ObjectStore") == []
    assert "plugins" not in cluster


def test_validation_rejects_a_misspelt_database_field(prod: list[Manifest]) -> None:
    cluster = copy.deepcopy(named(prod, "Cluster", CLUSTER))
    schema = CRD_SCHEMAS[(CNPG, "Cluster")]
    jsonschema.validate(cluster, schema)
    cluster["spec"]["postgresql"]["synchronous"]["dataDurabilty"] = "required"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(cluster, schema)


@pytest.fixture(scope="module")
def prod(overlays: dict[str, list[Manifest]]) -> list[Manifest]:
    return overlays["prod"]
