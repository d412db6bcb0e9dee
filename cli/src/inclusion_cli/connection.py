"""How the ``inclusion`` command reaches Kafka, as which principal.

In order: a Kafka client properties file given with ``--kafka-properties`` (or
``INCLUSION_KAFKA_PROPERTIES``), such as ``inclusion up --secure`` writes for each principal in
``.inclusion/secure/<principal>.properties``; else that file for the principal when the secure
local stack wrote one; else the ``KAFKA_*`` variables the services read (messaging.connection),
whose default is the local broker ``make up`` starts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from inclusion_cli.paths import RepoNotFoundError, find_repo_root
from inclusion_shared.messaging.connection import (
    KafkaSettings,
    load_kafka_settings,
    settings_from_properties,
)

PROPERTIES_VARIABLE = "INCLUSION_KAFKA_PROPERTIES"


def secure_properties(principal: str) -> Path | None:
    """The properties file the secure local stack wrote for ``principal``, if there is one."""
    try:
        path = find_repo_root() / ".inclusion" / "secure" / f"{principal}.properties"
    except RepoNotFoundError:
        return None
    return path if path.is_file() else None


def kafka_for(
    principal: str,
    *,
    properties: Path | None = None,
    bootstrap_servers: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> KafkaSettings:
    """The connection the CLI uses as ``principal`` (``bootstrap_servers`` overrides the
    brokers only, never how to authenticate)."""
    environ = os.environ if environ is None else environ
    given = properties or (
        Path(environ[PROPERTIES_VARIABLE]) if environ.get(PROPERTIES_VARIABLE) else None
    )
    overrides = {"bootstrap_servers": bootstrap_servers} if bootstrap_servers else {}
    if given is None and "KAFKA_SECURITY_PROTOCOL" not in environ:
        given = secure_properties(principal)
    if given is not None:
        return settings_from_properties(given, **overrides)
    return load_kafka_settings(environ, **overrides)
