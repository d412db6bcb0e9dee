"""Who may do what to which record: one policy per service over principal, action and record,
pure and unit-tested, deny by default.

A policy lists its actions; each grants some roles, each under a scope: the records a principal
of that role reaches (every record; those in their areas or districts; those of their settings;
the cases before their panels; their own child's; those they made). A route names its action
(``permit(POLICY, "hnf.decide")``), which admits only the roles granted it; the handler then
checks the record it loaded (``POLICY.check(who, "hnf.decide", Record(district=...))``), and a
list asks the database only for what the principal reaches (``POLICY.where(who, "hnf.list",
district="district")``), never filtering after loading. The auditor reads and writes nothing:
a policy granting it a writing action does not build. The README's table of who may do what is
made from the policies (``Policy.table``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from fastapi import Request

from inclusion_shared.auth import ROLE_CHECK_MARK, Principal, Role, authenticate
from inclusion_shared.kent import AREA_OF, Area, District
from inclusion_shared.web.problems import Forbidden

ACTION_MARK = "inclusion_action"


class Scope(StrEnum):
    """Which records a role's principal reaches under a grant."""

    EVERY = "every record"
    PLACE = "records in their areas or districts"
    SETTING = "records of their settings"
    PANEL = "cases before their panels"
    CHILD = "their own child's records"
    MADE = "records they made"


@dataclass(frozen=True)
class Record:
    """Where a record sits and whom it concerns: what a scope compares with the principal."""

    district: District | None = None
    area: Area | None = None  # the district's, when only the district is given
    setting: str | None = None
    panel: str | None = None
    child: str | None = None
    made_by: str | None = None

    @property
    def in_area(self) -> Area | None:
        return self.area or (AREA_OF[self.district] if self.district else None)


def reaches(scope: Scope, who: Principal, record: Record) -> bool:
    """Whether the principal reaches the record under the scope; a record that does not say
    where it sits is reached only by a scope that does not ask."""
    match scope:
        case Scope.EVERY:
            return True
        case Scope.PLACE:
            if record.district is not None:
                return who.covers_district(record.district)
            area = record.in_area
            return who.kent_wide if area is None else who.covers_area(area)
        case Scope.SETTING:
            return record.setting is not None and who.works_for(record.setting)
        case Scope.PANEL:
            return record.panel is not None and who.sits_on(record.panel)
        case Scope.CHILD:
            return record.child is not None and who.child == record.child
        case Scope.MADE:
            return record.made_by is not None and who.subject == record.made_by


@dataclass(frozen=True)
class Permission:
    action: str
    summary: str  # "decide an HNF application", for the README and the 403's detail
    grants: Mapping[Role, Scope]
    writes: bool = True


def reads(action: str, summary: str, grants: Mapping[Role, Scope]) -> Permission:
    return Permission(action, summary, grants, writes=False)


def writes(action: str, summary: str, grants: Mapping[Role, Scope]) -> Permission:
    return Permission(action, summary, grants, writes=True)


@dataclass
class Where:
    """An SQL condition and its parameters, numbered from ``first``."""

    sql: str
    params: list[object] = field(default_factory=list)


class PolicyError(ValueError):
    """A policy that breaks the suite's rules (the auditor writing, an action twice)."""


class Policy:
    def __init__(self, service: str, permissions: Iterable[Permission]) -> None:
        self.service = service
        self.permissions: dict[str, Permission] = {}
        for permission in permissions:
            if permission.action in self.permissions:
                raise PolicyError(f"{service}: the action {permission.action} is listed twice")
            if permission.writes and Role.AUDITOR in permission.grants:
                raise PolicyError(f"{service}: the auditor reads; it may not {permission.summary}")
            self.permissions[permission.action] = permission

    def __getitem__(self, action: str) -> Permission:
        try:
            return self.permissions[action]
        except KeyError:
            raise PolicyError(f"{self.service} has no action {action!r}") from None

    def roles(self, action: str) -> tuple[Role, ...]:
        return tuple(self[action].grants)

    def allows(self, who: Principal, action: str, record: Record) -> bool:
        scope = self[action].grants.get(who.role)
        return scope is not None and reaches(scope, who, record)

    def check(self, who: Principal, action: str, record: Record) -> None:
        """Nothing, or a 403 problem naming what the role may do and where."""
        if self.allows(who, action, record):
            return
        permission = self[action]
        scope = permission.grants.get(who.role)
        if scope is None:
            raise Forbidden(f"a {who.role} may not {permission.summary}")
        raise Forbidden(f"a {who.role} may {permission.summary} only for {scope.value}")

    def where(
        self,
        who: Principal,
        action: str,
        *,
        first: int = 1,
        district: str | None = None,
        area: str | None = None,
        setting: str | None = None,
        panel: str | None = None,
        child: str | None = None,
        made_by: str | None = None,
    ) -> Where:
        """The condition on a list's rows (named by their columns) that keeps only what the
        principal reaches; parameters are numbered from ``$first``. A scope whose column the
        list does not name matches nothing."""
        scope = self[action].grants.get(who.role)
        if scope is None:
            return Where("FALSE")
        if scope is Scope.EVERY or (scope is Scope.PLACE and who.kent_wide):
            return Where("TRUE")
        if scope is Scope.PLACE:
            if district is not None:
                covered = {d.value for d in who.districts}
                covered |= {d.value for d in District if AREA_OF[d] in who.areas}
                return Where(f"{district} = ANY(${first}::text[])", [sorted(covered)])
            if area is not None:
                return Where(f"{area} = ANY(${first}::text[])", [sorted(who.areas)])
            return Where("FALSE")
        column, values = {
            Scope.SETTING: (setting, sorted(who.settings)),
            Scope.PANEL: (panel, sorted(who.panels)),
            Scope.CHILD: (child, [who.child] if who.child else []),
            Scope.MADE: (made_by, [who.subject]),
        }[scope]
        if column is None or not values:
            return Where("FALSE")
        return Where(f"{column} = ANY(${first}::text[])", [values])

    def table(self) -> list[tuple[str, str, str]]:
        """(what, role, which records) for every grant: the README's table."""
        return [
            (permission.summary, role.value, scope.value)
            for permission in self.permissions.values()
            for role, scope in permission.grants.items()
        ]


def permit(policy: Policy, action: str) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency for a route doing ``action``: only the roles the policy grants it
    get past (everyone else: 403); the handler checks the record with ``policy.check``."""
    roles = policy.roles(action)

    async def dependency(request: Request) -> Principal:
        principal = await authenticate(request)
        if principal.role not in roles:
            raise Forbidden(f"a {principal.role} may not {policy[action].summary}")
        return principal

    setattr(dependency, ROLE_CHECK_MARK, True)
    setattr(dependency, ACTION_MARK, (policy.service, action))
    return dependency
