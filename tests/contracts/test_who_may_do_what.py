"""The README's table of who may do what is the services' own policies, as they run: a grant
changed in a service's access.py and not in the README fails here (`make contracts`). And every
route of every service names its action in that policy, or the service does not start."""

from __future__ import annotations

from inclusion_cli.access_table import policies, readme_table, render_table
from inclusion_cli.subscriptions import DEPLOYED, services_of
from inclusion_shared.access import ACTION_MARK
from inclusion_shared.auth import Role
from inclusion_shared.web.app import assert_every_route_guarded


def test_the_readmes_table_is_made_from_the_policies_the_services_run() -> None:
    assert readme_table() == render_table(policies()), "run `make contracts`"


def test_every_route_of_every_service_names_its_action() -> None:
    for name, service in services_of(DEPLOYED).items():
        assert_every_route_guarded(service.http(f"inclusion-{name}"), mark=ACTION_MARK)


def test_the_auditor_writes_nothing_in_any_service() -> None:
    for policy in policies().values():
        for permission in policy.permissions.values():
            assert not (permission.writes and Role.AUDITOR in permission.grants)
