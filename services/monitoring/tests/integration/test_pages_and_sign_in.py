"""The pages are for Area Board members and KCC officers (for the places they cover) and the
auditor only, by bearer token or by the session cookie a development sign-in gives, which
carries the token's scope; every other role is refused, and someone not signed in is sent to
sign in. The cookie is Secure, HttpOnly and SameSite, and counts for reading only. Which place
each role and scope reaches, page by page, is test_access_matrix's."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from inclusion_shared.auth import mint_token
from inclusion_shared.identifiers import person_id_for
from monitoring.api.sessions import SESSION_COOKIE

from .conftest import Monitoring

PAGES = [
    "/",
    "/dashboard?year=2026-27",
    "/dashboard?scope=district:thanet&year=2026-27&term=autumn",
    "/figures/funding-applications?scope=area:east-kent&year=2026-27",
    "/methods/placements-transfers",
    "/figures/feedback-responses/table.csv?year=2026-27",
    "/figures/feedback-responses/table.json?year=2026-27",
    "/figures/reviews-actions/trend.csv?year=2026-27",
    "/figures/reviews-actions/trend.json?year=2026-27",
]
VIEWERS = ["area-board", "kcc-officer", "auditor"]
REFUSED = ["senco", "panel-member", "parent", "young-person", "platform-admin"]


@pytest.mark.parametrize("path", PAGES)
def test_kent_wide_area_board_members_and_officers_and_the_auditor_may_read_every_page(
    monitoring: Monitoring, path: str
) -> None:
    for role in VIEWERS:
        answer = monitoring.client.get(path, headers=monitoring.as_(role), follow_redirects=False)
        assert answer.status_code in (200, 303), (role, answer.text)


@pytest.mark.parametrize("path", PAGES)
def test_every_other_role_is_refused(monitoring: Monitoring, path: str) -> None:
    for role in REFUSED:
        answer = monitoring.client.get(path, headers=monitoring.as_(role))
        assert answer.status_code == 403, (role, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("path", PAGES)
def test_no_token_is_a_401_and_a_browser_is_sent_to_sign_in(
    monitoring: Monitoring, path: str
) -> None:
    assert monitoring.client.get(path).status_code == 401
    browser = monitoring.client.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
    assert browser.status_code == 303
    assert browser.headers["location"].startswith("/auth/sign-in?next=")


@pytest.fixture
def browser(monitoring: Monitoring) -> Iterator[TestClient]:
    """The service's client as a browser: it keeps cookies, forgotten after each test."""
    monitoring.client.cookies.clear()
    yield monitoring.client
    monitoring.client.cookies.clear()


def sign_in(client: TestClient, token: str, next_page: str = "/dashboard") -> Response:
    return client.post(
        "/auth/dev",
        data={"token": token, "next": next_page},
        headers={"Origin": "https://testserver"},
        follow_redirects=False,
    )


def test_a_role_token_signs_in_to_a_secure_http_only_same_site_session_with_its_scope(
    monitoring: Monitoring, browser: TestClient
) -> None:
    token = mint_token(
        monitoring.signing_key,
        role="area-board",
        subject=person_id_for("board-member-1"),
        areas=("east-kent",),
    )
    answer = browser.post(
        "/auth/dev",
        data={"token": token, "next": "/dashboard?scope=area:east-kent&year=2026-27"},
        headers={"Origin": "https://testserver"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/dashboard?scope=area:east-kent&year=2026-27"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert {"Secure", "HttpOnly", "SameSite=lax", "Path=/"} <= {
        part.strip() for part in cookie.split(";")
    }
    assert token not in cookie, "the session is a token of its own, not the role token"

    page = browser.get("/dashboard?scope=area:east-kent&year=2026-27")
    assert page.status_code == 200
    assert "East Kent: financial year 2026-27" in page.text
    assert "Signed in as area-board" in page.text
    # The session reaches what the token reached: East Kent, not Kent nor another area.
    assert browser.get("/dashboard?scope=district:thanet").status_code == 200
    for elsewhere in ("kent", "area:south-kent", "district:dover"):
        refused = browser.get(f"/dashboard?scope={elsewhere}")
        assert refused.status_code == 403, elsewhere
        assert refused.headers["content-type"] == "application/problem+json"

    signed_out = browser.post(
        "/auth/sign-out", headers={"Origin": "https://testserver"}, follow_redirects=False
    )
    assert signed_out.status_code == 303
    assert browser.get("/dashboard", follow_redirects=False).status_code == 401


def test_a_role_that_may_not_see_the_pages_cannot_sign_in(
    monitoring: Monitoring, browser: TestClient
) -> None:
    token = mint_token(monitoring.signing_key, role="senco", subject=person_id_for("senco-1"))
    answer = sign_in(browser, token)
    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers


def test_a_forged_or_expired_token_cannot_sign_in(
    monitoring: Monitoring, browser: TestClient
) -> None:
    assert sign_in(browser, "not-a-token").status_code == 401
    expired = mint_token(
        monitoring.signing_key, role="area-board", subject=person_id_for("x"), ttl_seconds=-60
    )
    assert sign_in(browser, expired).status_code == 401


def test_sign_in_is_refused_from_another_sites_form(
    monitoring: Monitoring, browser: TestClient
) -> None:
    token = mint_token(
        monitoring.signing_key, role="area-board", subject=person_id_for("board-member-1")
    )
    answer = browser.post(
        "/auth/dev",
        data={"token": token},
        headers={"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers


def test_signing_in_never_sends_anyone_to_another_site(
    monitoring: Monitoring, browser: TestClient
) -> None:
    token = mint_token(
        monitoring.signing_key, role="kcc-officer", subject=person_id_for("officer-1")
    )
    for target in ("https://attacker.example/", "//attacker.example/", "/\\attacker.example"):
        answer = sign_in(browser, token, target)
        assert answer.headers["location"] == "/dashboard"


def test_the_session_cookie_is_not_authority_for_anything_but_reading(
    monitoring: Monitoring, browser: TestClient
) -> None:
    token = mint_token(
        monitoring.signing_key,
        role="kcc-officer",
        subject=person_id_for("officer-1"),
        areas=("kent",),
    )
    sign_in(browser, token)
    assert browser.get("/dashboard").status_code == 200
    # A POST to a guarded path finds no role check satisfied by the cookie alone.
    assert browser.post("/dashboard").status_code in (401, 405)
    assert browser.get("/dashboard", headers={"Authorization": "Bearer x"}).status_code == 401


def test_the_dashboard_opens_on_the_viewers_own_place(monitoring: Monitoring) -> None:
    for scope, heading in (
        ({"areas": ("kent",)}, "Kent: financial year"),
        ({"areas": ("east-kent",)}, "East Kent: financial year"),
        ({"districts": ("thanet",)}, "Thanet: financial year"),
    ):
        answer = monitoring.client.get("/dashboard", headers=monitoring.as_("kcc-officer", **scope))
        assert answer.status_code == 200, answer.text
        assert f"<h1>{heading}" in answer.text, scope
    assert monitoring.client.get("/dashboard", headers=monitoring.as_("auditor")).status_code == 200


def test_an_officer_with_no_places_is_told_why_they_see_no_figures(monitoring: Monitoring) -> None:
    answer = monitoring.client.get("/dashboard", headers=monitoring.as_("kcc-officer", areas=()))
    assert answer.status_code == 403
    assert "only for records in their areas or districts" in answer.json()["detail"]


def test_places_beyond_the_viewers_scope_are_named_but_not_linked(monitoring: Monitoring) -> None:
    east = monitoring.as_("area-board", areas=("east-kent",))
    page = monitoring.client.get("/dashboard?scope=district:thanet&year=2026-27", headers=east)
    assert page.status_code == 200
    assert "<li><span>Kent</span></li>" in page.text
    assert 'href="/dashboard?scope=kent' not in page.text
    assert 'href="/dashboard?scope=area%3Aeast-kent' in page.text
    kent_wide = monitoring.client.get(
        "/dashboard?scope=district:thanet&year=2026-27", headers=monitoring.as_("area-board")
    )
    assert 'href="/dashboard?scope=kent' in kent_wide.text


def test_the_dashboard_is_accessible_html(monitoring: Monitoring) -> None:
    page = monitoring.client.get(
        "/dashboard?year=2026-27", headers=monitoring.as_("area-board")
    ).text
    assert '<html lang="en-GB">' in page
    assert 'href="#content"' in page  # skip link
    assert '<label for="year">' in page and '<label for="term">' in page
    assert '<th scope="col">Place</th>' in page
    assert '<th scope="row"><a href="/dashboard?scope=area%3Aeast-kent' in page
    assert "<caption>Funding applications received: Kent, financial year 2026-27</caption>" in page
    assert ":focus-visible" in page
    assert 'aria-hidden="true"' in page  # charts repeat the tables, so screen readers skip them


def test_pages_carry_a_strict_content_security_policy(monitoring: Monitoring) -> None:
    answer = monitoring.client.get("/dashboard", headers=monitoring.as_("area-board"))
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert answer.headers["cache-control"] == "no-store"


def test_the_csv_download_holds_the_published_table(monitoring: Monitoring) -> None:
    answer = monitoring.client.get(
        "/figures/funding-applications/table.csv",
        params={"scope": "district:thanet", "year": "2026-27"},
        headers=monitoring.as_("area-board"),
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="funding-applications-table-district-thanet-2026-27.csv"'
    )
    assert list(csv.reader(io.StringIO(answer.text))) == [
        ["Place", "High Needs Funding", "SENIF", "Disability Access Fund", "All applications"],
        ["Margate Coast", "c", "0", "0", "c"],
        ["Ramsgate Harbour", "c", "0", "0", "c"],
        ["Total", "9", "0", "0", "9"],
    ]


def test_a_community_of_schools_is_shown_by_the_name_the_registry_gives_it(
    monitoring: Monitoring,
) -> None:
    page = monitoring.client.get(
        "/dashboard",
        params={"scope": "community:cos-thanet-1", "year": "2026-27"},
        headers=monitoring.as_("area-board"),
    )
    assert page.status_code == 200
    assert "<h1>Margate Coast: financial year 2026-27</h1>" in page.text
    # One the registry gave no name is known by its code.
    unnamed = monitoring.client.get(
        "/dashboard",
        params={"scope": "community:cos-dover-1", "year": "2026-27"},
        headers=monitoring.as_("area-board"),
    )
    assert "<h1>Community of Schools cos-dover-1: financial year 2026-27</h1>" in unnamed.text


def test_a_bad_period_or_place_is_a_clear_4xx(monitoring: Monitoring) -> None:
    officer = monitoring.as_("kcc-officer")
    assert monitoring.client.get("/dashboard?year=2026", headers=officer).status_code == 422
    assert monitoring.client.get("/dashboard?term=winter", headers=officer).status_code == 422
    assert monitoring.client.get("/dashboard?scope=area:mars", headers=officer).status_code == 404
    assert monitoring.client.get("/figures/nonsense", headers=officer).status_code == 404
