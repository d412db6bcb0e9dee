"""The parts of the operators' CRDs the manifests use, as JSON Schemas: Strimzi's KafkaTopic and
KafkaUser (kafka.strimzi.io/v1), CloudNativePG's Cluster, Database and ScheduledBackup
(postgresql.cnpg.io/v1) and the Barman Cloud plugin's ObjectStore (barmancloud.cnpg.io/v1).

kubernetes-validate knows only Kubernetes' own kinds. Field names, types and enums here are the
CRDs' (strimzi-kafka-operator packaging/install, cloudnative-pg config/crd/bases,
plugin-barman-cloud config/crd/bases); objects the manifests fill in say
``additionalProperties: false``, so a misspelt field fails instead of being pruned by the API
server. A field a manifest starts using is added here from the CRD.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STRIMZI = "kafka.strimzi.io/v1"
CNPG = "postgresql.cnpg.io/v1"
BARMAN_CLOUD = "barmancloud.cnpg.io/v1"


def _object(properties: Schema, required: tuple[str, ...] = ()) -> Schema:
    """An object with only these properties."""
    return {
        "type": "object",
        "required": list(required),
        "additionalProperties": False,
        "properties": properties,
    }


def _resource(api_version: str, spec: Schema, metadata: Schema | None = None) -> Schema:
    return {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": api_version},
            "metadata": metadata or {"type": "object", "required": ["name"]},
            "spec": spec,
        },
    }


_STRING: Schema = {"type": "string"}
_BOOLEAN: Schema = {"type": "boolean"}
_STRINGS: Schema = {"type": "array", "items": _STRING}
_STRING_MAP: Schema = {"type": "object", "additionalProperties": _STRING}
_QUANTITY: Schema = {"type": ["string", "integer"]}
_LOCAL_REFERENCE = _object({"name": _STRING}, ("name",))
_SECRET_KEY = _object({"name": _STRING, "key": _STRING}, ("name", "key"))

# --- Strimzi ---------------------------------------------------------------------------------

_ACL = _object(
    {
        "type": {"enum": ["allow", "deny"]},
        "resource": {
            **_object(
                {
                    "type": {"enum": ["topic", "group", "cluster", "transactionalId"]},
                    "name": _STRING,
                    "patternType": {"enum": ["literal", "prefix"]},
                },
                ("type",),
            ),
            # The cluster is one resource; every other kind is named.
            "if": {"properties": {"type": {"const": "cluster"}}},
            "then": {"not": {"anyOf": [{"required": ["name"]}, {"required": ["patternType"]}]}},
            "else": {"required": ["name"]},
        },
        "operations": {
            "type": "array",
            "minItems": 1,
            "items": {
                "enum": [
                    "Read",
                    "Write",
                    "Create",
                    "Delete",
                    "Alter",
                    "Describe",
                    "ClusterAction",
                    "AlterConfigs",
                    "DescribeConfigs",
                    "IdempotentWrite",
                    "All",
                ]
            },
        },
        "host": _STRING,
    },
    ("resource", "operations"),
)
_STRIMZI_METADATA: Schema = {
    "type": "object",
    "required": ["name", "labels"],
    "properties": {"labels": {"type": "object", "required": ["strimzi.io/cluster"]}},
}
KAFKA_TOPIC = _resource(
    STRIMZI,
    _object(
        {
            "topicName": _STRING,
            "partitions": {"type": "integer", "minimum": 1},
            "replicas": {"type": "integer", "minimum": 1, "maximum": 32767},
            "config": {"type": "object"},
        },
        ("topicName", "partitions", "replicas", "config"),
    ),
    _STRIMZI_METADATA,
)
KAFKA_USER = _resource(
    STRIMZI,
    _object(
        {
            "authentication": _object({"type": {"const": "scram-sha-512"}}, ("type",)),
            "authorization": _object(
                {"type": {"const": "simple"}, "acls": {"type": "array", "items": _ACL}},
                ("type", "acls"),
            ),
        },
        ("authentication", "authorization"),
    ),
    _STRIMZI_METADATA,
)

# --- CloudNativePG ---------------------------------------------------------------------------

_ROLE = _object(
    {
        "name": _STRING,
        "ensure": {"enum": ["present", "absent"]},
        "comment": _STRING,
        "login": _BOOLEAN,
        "superuser": _BOOLEAN,
        "createdb": _BOOLEAN,
        "createrole": _BOOLEAN,
        "inherit": _BOOLEAN,
        "replication": _BOOLEAN,
        "bypassrls": _BOOLEAN,
        "connectionLimit": {"type": "integer"},
        "inRoles": _STRINGS,
        "passwordSecret": _LOCAL_REFERENCE,
        "disablePassword": _BOOLEAN,
    },
    ("name",),
)
_STORAGE = _object({"size": _STRING, "storageClass": _STRING, "resizeInUseVolumes": _BOOLEAN})
_RESOURCES = _object(
    {
        "requests": {"type": "object", "additionalProperties": _QUANTITY},
        "limits": {"type": "object", "additionalProperties": _QUANTITY},
    }
)
_PLUGIN = _object(
    {"name": _STRING, "enabled": _BOOLEAN, "isWALArchiver": _BOOLEAN, "parameters": _STRING_MAP},
    ("name",),
)
CLUSTER = _resource(
    CNPG,
    _object(
        {
            "description": _STRING,
            "instances": {"type": "integer", "minimum": 1},
            "imageName": _STRING,
            "primaryUpdateStrategy": {"enum": ["unsupervised", "supervised"]},
            "enableSuperuserAccess": _BOOLEAN,
            "storage": _STORAGE,
            "walStorage": _STORAGE,
            "resources": _RESOURCES,
            "postgresql": _object(
                {
                    "parameters": _STRING_MAP,
                    "pg_hba": _STRINGS,
                    "synchronous": _object(
                        {
                            "method": {"enum": ["any", "first"]},
                            "number": {"type": "integer", "exclusiveMinimum": 0},
                            "dataDurability": {"enum": ["required", "preferred"]},
                        },
                        ("method", "number"),
                    ),
                }
            ),
            "managed": _object({"roles": {"type": "array", "items": _ROLE}}),
            "plugins": {"type": "array", "items": _PLUGIN},
        },
        ("instances",),
    ),
)
DATABASE = _resource(
    CNPG,
    _object(
        {
            "cluster": _LOCAL_REFERENCE,
            "name": {"type": "string", "not": {"enum": ["postgres", "template0", "template1"]}},
            "owner": _STRING,
            "ensure": {"enum": ["present", "absent"]},
            "databaseReclaimPolicy": {"enum": ["delete", "retain"]},
        },
        ("cluster", "name", "owner"),
    ),
)
SCHEDULED_BACKUP = _resource(
    CNPG,
    _object(
        {
            "cluster": _LOCAL_REFERENCE,
            # Six fields, seconds first (robfig/cron), as the operator parses it.
            "schedule": {"type": "string", "pattern": r"^\S+( \S+){5}$"},
            "immediate": _BOOLEAN,
            "suspend": _BOOLEAN,
            "backupOwnerReference": {"enum": ["none", "self", "cluster"]},
            "method": {"enum": ["barmanObjectStore", "volumeSnapshot", "plugin"]},
            "pluginConfiguration": _object({"name": _STRING, "parameters": _STRING_MAP}, ("name",)),
            "target": {"enum": ["primary", "prefer-standby"]},
        },
        ("cluster", "schedule"),
    ),
)
_COMPRESSION = ["bzip2", "gzip", "lz4", "snappy"]
OBJECT_STORE = _resource(
    BARMAN_CLOUD,
    _object(
        {
            "retentionPolicy": {"type": "string", "pattern": "^[1-9][0-9]*[dwm]$"},
            "configuration": _object(
                {
                    "destinationPath": {"type": "string", "minLength": 1},
                    "endpointURL": _STRING,
                    "s3Credentials": _object(
                        {
                            "accessKeyId": _SECRET_KEY,
                            "secretAccessKey": _SECRET_KEY,
                            "region": _SECRET_KEY,
                            "sessionToken": _SECRET_KEY,
                            "inheritFromIAMRole": _BOOLEAN,
                        }
                    ),
                    "wal": _object(
                        {
                            "compression": {"enum": [*_COMPRESSION, "xz", "zstd"]},
                            "encryption": {"enum": ["AES256", "aws:kms"]},
                            "maxParallel": {"type": "integer", "minimum": 1},
                        }
                    ),
                    "data": _object(
                        {
                            "compression": {"enum": _COMPRESSION},
                            "encryption": {"enum": ["AES256", "aws:kms"]},
                            "jobs": {"type": "integer", "minimum": 1},
                        }
                    ),
                },
                ("destinationPath",),
            ),
        },
        ("configuration",),
    ),
)

CRD_SCHEMAS: dict[tuple[str, str], Schema] = {
    (STRIMZI, "KafkaTopic"): KAFKA_TOPIC,
    (STRIMZI, "KafkaUser"): KAFKA_USER,
    (CNPG, "Cluster"): CLUSTER,
    (CNPG, "Database"): DATABASE,
    (CNPG, "ScheduledBackup"): SCHEDULED_BACKUP,
    (BARMAN_CLOUD, "ObjectStore"): OBJECT_STORE,
}
"""Each custom resource kind the overlays hold, by (apiVersion, kind)."""
