"""The example web app (examples/web/app.py), run as a real server process and spoken to over HTTP.

One server per engine serves the tests of this module, each on cases of its
own; the tests that need a store of their own start a server of their own.
"""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from jsonschema import Draft202012Validator

import casestate as cs
from casestate.text import label, label_name, message
from store_places import POSTGRES_URL
from web_servers import CLIENT, EXAMPLE, failed_start, serving, store_arguments

PLAIN_CASE = "ua-0173"
VIDEO = {
    "kind": "video",
    "reference": "t.me/channel/9911",
    "source": "a channel",
    "obtained_at": "2024-04-02T00:00:00Z",
}
CARD = {
    "kind": "capture_card",
    "reference": "CC-55120",
    "source": "ICRC",
    "obtained_at": "2024-05-20T00:00:00Z",
}


def record(case_id: str, trigger: str, role: str, effective_at: str, recorded_at: str, **more) -> dict:
    return {
        "case_id": case_id,
        "trigger": trigger,
        "actor_id": f"{role}-desk-1",
        "role": role,
        "effective_at": effective_at,
        "recorded_at": recorded_at,
        **more,
    }


def opening(
    case_id: str, effective_at: str = "2024-02-20T06:30:00Z", recorded_at: str = "2024-03-01T09:00:00Z"
):
    return record(case_id, "open", "ngo", effective_at, recorded_at, reason="mother called the hotline")


def capture(case_id: str) -> dict:
    return record(
        case_id, "report_captured", "family", "2024-04-01T00:00:00Z", "2024-04-02T14:00:00Z", evidence=[VIDEO]
    )


def stamp(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(request, tmp_path_factory):
    """The example app serving one store for the module: a SQLite file, then a PostgreSQL schema."""
    folder = tmp_path_factory.mktemp(f"web-{request.param}")
    if request.param == "sqlite":
        arguments = store_arguments("sqlite", str(folder / "cases.db"))
    else:
        arguments = store_arguments(
            "postgres", POSTGRES_URL, request.getfixturevalue("module_postgres_schema")
        )
    with serving(arguments, folder / "server.log") as running:
        yield running


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


@pytest.fixture
def case_id(request) -> str:
    """A case id of the test's own, in the module's shared store (a slash would end it in a URL)."""
    return "t-" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())


def opened(client: httpx.Client, case_id: str) -> httpx.Response:
    answer = client.post(f"/cases/{case_id}/changes", json=opening(case_id))
    assert answer.status_code == 201, answer.text
    return answer


# -- applying changes --------------------------------------------------------


def test_opening_a_case_answers_201_with_where_it_is_and_its_etag(client, case_id) -> None:
    answer = opened(client, case_id)
    body = answer.json()
    assert answer.headers["Location"] == f"{client.base_url}/cases/{case_id}"
    assert answer.headers["ETag"] == f'"{body["head"]}"'
    assert (body["case_id"], body["status"], body["fate"], body["assurance"], body["version"]) == (
        case_id,
        "missing",
        "unknown",
        "reported",
        1,
    )
    assert client.get(f"/cases/{case_id}").json() == body


def test_opening_a_case_twice_is_409_and_changes_nothing(client, case_id) -> None:
    first = opened(client, case_id)
    again = client.post(
        f"/cases/{case_id}/changes", json=opening(case_id, recorded_at="2024-03-02T09:00:00Z")
    )
    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"
    assert again.json()["type"] == "urn:casestate:problem:case-exists"
    assert client.get(f"/cases/{case_id}").headers["ETag"] == first.headers["ETag"]


def test_an_opening_sent_again_under_its_source_id_is_stored_once(client, case_id) -> None:
    sent = {**opening(case_id), "source_id": "hotline-kyiv/2024-0412"}
    first = client.post(f"/cases/{case_id}/changes", json=sent)
    assert first.status_code == 201
    again = client.post(f"/cases/{case_id}/changes", json=sent)
    assert again.status_code < 300
    assert again.headers["ETag"] == first.headers["ETag"]
    assert client.get(f"/cases/{case_id}").json()["version"] == 1
    trail = client.get(f"/cases/{case_id}/trail").json()
    assert trail["entries"][0]["source_id"] == "hotline-kyiv/2024-0412"


def test_a_change_with_the_etag_read_is_applied_and_moves_the_etag(client, case_id) -> None:
    seen = opened(client, case_id).headers["ETag"]
    answer = client.post(f"/cases/{case_id}/changes", json=capture(case_id), headers={"If-Match": seen})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["fate"], answer.json()["version"]) == (
        "captured",
        "alive",
        2,
    )
    assert answer.headers["ETag"] not in (seen, None)
    assert client.get(f"/cases/{case_id}").headers["ETag"] == answer.headers["ETag"]


def test_a_refused_change_is_422_with_every_reason_code(client, case_id) -> None:
    seen = opened(client, case_id).headers["ETag"]
    attempt = record(
        case_id, "confirm", "family", "2024-04-01T00:00:00Z", "2024-04-03T00:00:00Z", evidence=[VIDEO]
    )
    answer = client.post(f"/cases/{case_id}/changes", json=attempt, headers={"If-Match": seen})
    assert answer.status_code == 422
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"] == "urn:casestate:problem:rejected"
    # Every reason the workflow gives, as the library gives them for the case as stored.
    stored = cs.from_dict(client.get(f"/cases/{case_id}/trail").json())
    verdict = cs.DEFAULT_WORKFLOW.check(stored, cs.change_from_record(attempt)[1])
    assert [reason["code"] for reason in problem["reasons"]] == list(verdict.codes)
    assert [reason["message"] for reason in problem["reasons"]] == [
        reason.message for reason in verdict.reasons
    ]
    assert len(problem["reasons"]) == 3
    assert client.get(f"/cases/{case_id}").headers["ETag"] == seen


def test_a_change_recorded_in_the_future_is_refused_by_the_store(client, case_id) -> None:
    seen = opened(client, case_id).headers["ETag"]
    typo = capture(case_id) | {"recorded_at": "2204-04-02T14:00:00Z"}
    answer = client.post(f"/cases/{case_id}/changes", json=typo, headers={"If-Match": seen})
    assert answer.status_code == 422
    assert [reason["code"] for reason in answer.json()["reasons"]] == ["recorded_in_future"]


def test_a_change_without_if_match_is_428_and_writes_nothing(client, case_id) -> None:
    seen = opened(client, case_id).headers["ETag"]
    for headers in ({}, {"If-Match": "*"}):
        answer = client.post(f"/cases/{case_id}/changes", json=capture(case_id), headers=headers)
        assert answer.status_code == 428
        assert answer.json()["type"] == "urn:casestate:problem:precondition-required"
    assert client.get(f"/cases/{case_id}").headers["ETag"] == seen


@pytest.mark.parametrize("sent", ['"0000"', 'W/"{head}"', "{head}", '"0000", W/"{head}"'])
def test_a_change_decided_on_another_version_is_412_with_the_current_etag(client, case_id, sent) -> None:
    seen = opened(client, case_id)
    head = seen.json()["head"]
    answer = client.post(
        f"/cases/{case_id}/changes", json=capture(case_id), headers={"If-Match": sent.format(head=head)}
    )
    assert answer.status_code == 412
    assert answer.json()["type"] == "urn:casestate:problem:stale"
    assert answer.headers["ETag"] == seen.headers["ETag"]
    assert client.get(f"/cases/{case_id}").json()["version"] == 1


def test_if_match_may_list_several_tags(client, case_id) -> None:
    seen = opened(client, case_id).headers["ETag"]
    answer = client.post(
        f"/cases/{case_id}/changes", json=capture(case_id), headers={"If-Match": f'"0000", {seen}'}
    )
    assert answer.status_code == 200


def test_writers_racing_with_one_etag_store_one_change_and_the_rest_are_412(client, case_id) -> None:
    seen = opened(client, case_id).headers["ETag"]
    attempts = [
        record(
            case_id,
            "report_captured",
            "family",
            f"2024-04-{n:02d}T00:00:00Z",
            f"2024-04-{n:02d}T12:00:00Z",
            evidence=[VIDEO],
        )
        for n in range(3, 11)
    ]

    def send(change: dict) -> int:
        return client.post(f"/cases/{case_id}/changes", json=change, headers={"If-Match": seen}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(send, attempts))
    assert statuses == [200] + [412] * 7
    assert client.get(f"/cases/{case_id}").json()["version"] == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda _case_id: capture("another-case"), "case_id"),
        (lambda case_id: capture(case_id) | {"effective_at": "2024-04-01T00:00:00"}, "effective_at"),
        (lambda case_id: capture(case_id) | {"efective_at": "2024-04-01T00:00:00Z"}, "efective_at"),
        (lambda case_id: capture(case_id) | {"evidence": [{**VIDEO, "kind": "Rumour"}]}, "evidence[0].kind"),
    ],
)
def test_a_record_that_cannot_be_read_is_422_naming_the_field(client, case_id, change, field) -> None:
    seen = opened(client, case_id).headers["ETag"]
    answer = client.post(f"/cases/{case_id}/changes", json=change(case_id), headers={"If-Match": seen})
    assert answer.status_code == 422
    assert (answer.json()["type"], answer.json()["field"]) == ("urn:casestate:problem:invalid-record", field)
    assert field in answer.json()["detail"]


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"case_id": "x", "case_id": "y"}'])
def test_a_body_that_is_not_one_record_is_422(client, case_id, body) -> None:
    answer = client.post(f"/cases/{case_id}/changes", content=body, headers={"If-Match": '"0000"'})
    assert answer.status_code == 422
    assert answer.json()["type"] == "urn:casestate:problem:invalid-record"


def test_an_address_with_no_route_is_a_problem_too(client) -> None:
    for answer, status, kind in (
        (client.get("/cases/a/b"), 404, "not-found"),
        (client.delete("/cases/nobody"), 405, "method-not-allowed"),
    ):
        assert answer.status_code == status
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.json()["type"] == f"urn:casestate:problem:{kind}"


def test_an_unknown_case_is_404_everywhere(client) -> None:
    for answer in (
        client.get("/cases/nobody"),
        client.get("/cases/nobody/trail"),
        client.post("/cases/nobody/changes", json=capture("nobody"), headers={"If-Match": '"0000"'}),
    ):
        assert answer.status_code == 404
        assert answer.json() == {
            "type": "urn:casestate:problem:unknown-case",
            "title": "unknown case",
            "status": 404,
            "detail": "no case 'nobody' in the store",
        }


# -- reading cases -------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "language"),
    [("uk-UA, ru;q=0.8", "uk"), ("ru", "ru"), ("de-CH, fr;q=0.9, en;q=0.5", "en"), (None, "en")],
)
def test_a_case_is_shown_with_labels_in_the_language_asked(client, case_id, header, language) -> None:
    seen = opened(client, case_id).headers["ETag"]
    client.post(f"/cases/{case_id}/changes", json=capture(case_id), headers={"If-Match": seen})
    answer = client.get(f"/cases/{case_id}", headers={} if header is None else {"Accept-Language": header})
    assert (answer.headers["Content-Language"], answer.headers["Vary"]) == (language, "Accept-Language")
    body = answer.json()
    assert body["labels"] == {
        vocabulary: label_name(vocabulary, body[vocabulary], language)
        for vocabulary in ("status", "fate", "assurance", "whereabouts")
    }
    assert (body["status"], body["whereabouts"]) == ("captured", "held")  # names stay names in every language


def test_labels_are_the_words_families_read(client, case_id) -> None:
    opened(client, case_id)
    said = {
        language: client.get(f"/cases/{case_id}", headers={"Accept-Language": language}).json()["labels"][
            "status"
        ]
        for language in ("en", "ru", "uk")
    }
    assert said == {
        "en": label(cs.Status.MISSING, "en"),
        "ru": "пропавший без вести",
        "uk": "зниклий безвісти за особливих обставин",
    }


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_a_refusal_says_its_reasons_in_the_language_asked(client, case_id, language) -> None:
    seen = opened(client, case_id).headers["ETag"]
    attempt = record(
        case_id, "confirm", "family", "2024-04-01T00:00:00Z", "2024-04-03T00:00:00Z", evidence=[VIDEO]
    )
    answer = client.post(
        f"/cases/{case_id}/changes", json=attempt, headers={"If-Match": seen, "Accept-Language": language}
    )
    assert answer.status_code == 422
    assert (answer.headers["Content-Language"], answer.headers["Vary"]) == (language, "Accept-Language")
    stored = cs.from_dict(client.get(f"/cases/{case_id}/trail").json())
    verdict = cs.DEFAULT_WORKFLOW.check(stored, cs.change_from_record(attempt)[1])
    reasons = answer.json()["reasons"]
    assert [reason["code"] for reason in reasons] == list(verdict.codes)
    assert [reason["message"] for reason in reasons] == [
        message(reason, language) for reason in verdict.reasons
    ]
    assert all(
        reason["message"] != english.message for reason, english in zip(reasons, verdict.reasons, strict=True)
    )


def test_cases_are_listed_with_labels_in_the_language_asked(client, case_id) -> None:
    opened(client, case_id)
    items = client.get(
        "/cases", params={"after": case_id[:-1], "limit": 1000}, headers={"Accept-Language": "uk"}
    )
    mine = next(item for item in items.json()["items"] if item["case_id"] == case_id)
    assert mine["labels"] == {
        "status": label(cs.Status.MISSING, "uk"),
        "fate": label(cs.Fate.UNKNOWN, "uk"),
        "assurance": label(cs.Assurance.REPORTED, "uk"),
    }
    assert items.headers["Content-Language"] == "uk"


def test_a_case_as_of_a_time_on_either_clock(client, case_id) -> None:
    seen = opened(client, case_id).headers["ETag"]
    client.post(f"/cases/{case_id}/changes", json=capture(case_id), headers={"If-Match": seen})
    # Known on 10 March: missing; as known now, on 15 April he was held.
    answer = client.get(
        f"/cases/{case_id}",
        params={"as_of_recorded": "2024-03-10T00:00:00+02:00", "as_of_effective": "2024-04-15T00:00:00Z"},
    ).json()
    assert (answer["status"], answer["version"], answer["as_of_recorded"]) == (
        "missing",
        1,
        "2024-03-09T22:00:00Z",
    )
    assert (
        answer["as_of_effective"]["period"] is None
        or answer["as_of_effective"]["period"]["status"] == "missing"
    )
    now = client.get(f"/cases/{case_id}", params={"as_of_effective": "2024-04-15T00:00:00Z"}).json()
    period = now["as_of_effective"]["period"]
    assert (now["status"], period["status"], period["whereabouts"], period["entry"]) == (
        "captured",
        "captured",
        "held",
        1,
    )
    assert period["labels"]["status"] == "captured"
    before = client.get(f"/cases/{case_id}", params={"as_of_effective": "2024-01-01T00:00:00Z"}).json()
    assert before["as_of_effective"] == {"when": "2024-01-01T00:00:00Z", "period": None}


def test_the_trail_is_the_case_document_and_verifies_up_to_the_etag(client, case_id) -> None:
    seen = opened(client, case_id).headers["ETag"]
    client.post(f"/cases/{case_id}/changes", json=capture(case_id), headers={"If-Match": seen})
    trail = client.get(f"/cases/{case_id}/trail")
    case = cs.from_dict(trail.json(), head=trail.headers["ETag"].strip('"'))
    assert (case.status, case.version) == ("captured", 2)
    then = client.get(f"/cases/{case_id}/trail", params={"as_of_recorded": "2024-03-10T00:00:00Z"})
    assert then.headers["ETag"] == seen
    assert cs.from_dict(then.json(), head=seen.strip('"')).version == 1


@pytest.mark.parametrize("route", ["/cases/{case_id}", "/cases/{case_id}/trail"])
def test_a_client_that_holds_the_version_read_gets_304_until_the_case_changes(client, case_id, route) -> None:
    address = route.format(case_id=case_id)
    seen = opened(client, case_id).headers["ETag"]
    for held in (seen, f"W/{seen}", f'"0000", {seen}', "*"):
        answer = client.get(address, headers={"If-None-Match": held})
        assert (answer.status_code, answer.content, answer.headers["ETag"]) == (304, b"", seen)
    assert client.get(address, headers={"If-None-Match": '"0000"'}).status_code == 200
    changed = client.post(f"/cases/{case_id}/changes", json=capture(case_id), headers={"If-Match": seen})
    again = client.get(address, headers={"If-None-Match": seen})
    assert (again.status_code, again.headers["ETag"]) == (200, changed.headers["ETag"])


def test_a_304_says_the_language_its_answer_varies_by(client, case_id) -> None:
    seen = opened(client, case_id).headers["ETag"]
    answer = client.get(f"/cases/{case_id}", headers={"If-None-Match": seen})
    assert (answer.headers["Vary"], answer.headers["Content-Language"]) == ("Accept-Language", "en")


@pytest.mark.parametrize("route", ["/cases/{case_id}", "/cases/{case_id}/trail"])
def test_as_of_before_the_case_was_opened_is_404(client, case_id, route) -> None:
    opened(client, case_id)
    answer = client.get(route.format(case_id=case_id), params={"as_of_recorded": "2024-01-01T00:00:00Z"})
    assert answer.status_code == 404
    assert answer.json()["type"] == "urn:casestate:problem:not-yet-opened"


@pytest.mark.parametrize(
    ("route", "params", "field"),
    [
        ("/cases/{case_id}", {"as_of_recorded": "2024-03-10T00:00:00"}, "as_of_recorded"),
        ("/cases/{case_id}", {"as_of_effective": "10 March"}, "as_of_effective"),
        ("/cases/{case_id}/trail", {"as_of_recorded": "2024-02-30T00:00:00Z"}, "as_of_recorded"),
        ("/cases", {"older_than": "180"}, "older_than"),
        ("/cases", {"older_than": "6m"}, "older_than"),
        ("/cases", {"limit": "0"}, None),
        ("/cases", {"fate": "lost"}, None),
    ],
)
def test_a_query_that_cannot_be_read_is_422(client, case_id, route, params, field) -> None:
    opened(client, case_id)
    answer = client.get(route.format(case_id=case_id), params=params)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["type"] == "urn:casestate:problem:invalid-request"
    assert problem.get("field") == field
    assert next(iter(params)) in problem["detail"]


@pytest.mark.parametrize(
    ("route", "params", "field"),
    [
        ("/cases/a%00b", {}, "case_id"),
        ("/cases/a%00b/trail", {}, "case_id"),
        ("/cases", {"status": "missing\x00"}, "status"),
        ("/cases", {"after": "\x00"}, "after"),
    ],
)
def test_text_no_store_can_hold_is_422_naming_where(client, route, params, field) -> None:
    answer = client.get(route, params=params)
    assert answer.status_code == 422
    assert (answer.json()["type"], answer.json()["field"]) == ("urn:casestate:problem:invalid-request", field)
    assert "NUL character" in answer.json()["detail"]


def test_cases_are_found_by_status_and_time_in_status_a_page_at_a_time(client, case_id) -> None:
    now = datetime.now(UTC)
    old = [f"{case_id}-old-{number}" for number in range(5)]
    recent = f"{case_id}-recent"
    for number, each in enumerate(old):
        since = stamp(now - timedelta(days=200 + number))
        client.post(f"/cases/{each}/changes", json=opening(each, since, stamp(now - timedelta(days=190))))
    client.post(f"/cases/{recent}/changes", json=opening(recent, stamp(now - timedelta(days=10)), stamp(now)))
    listed, pages = [], 0
    address = "/cases?status=missing&older_than=180d&limit=2"
    while address:
        answer = client.get(address)
        page = answer.json()
        assert len(page["items"]) <= 2
        assert (answer.headers.get("Link") is None) == (page["next"] is None)
        listed.extend(page["items"])
        address, pages = page["next"], pages + 1
    ids = [item["case_id"] for item in listed]
    assert ids == sorted(set(ids))
    assert set(old) <= set(ids)
    assert recent not in ids
    assert pages == (len(ids) + 1) // 2
    for item in listed:
        assert item["status"] == "missing"
        assert datetime.fromisoformat(item["status_since"]) <= now - timedelta(days=180)
        assert item["labels"] == {
            "status": label(cs.Status.MISSING),
            "fate": "unknown",
            "assurance": "reported",
        }
    assert recent in [
        item["case_id"] for item in client.get("/cases", params={"after": case_id}).json()["items"]
    ]


# -- the OpenAPI document ------------------------------------------------------


def _reassembled(components: dict, name: str) -> dict:
    """The schema *name* as the components hold it, put back together as one document."""

    def back(node):
        if isinstance(node, dict):
            return {
                key: value.replace(f"#/components/schemas/{name}.", "#/$defs/")
                if key == "$ref"
                else back(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [back(item) for item in node]
        return node

    parts = {
        key.removeprefix(f"{name}."): back(value)
        for key, value in components.items()
        if key.startswith(f"{name}.")
    }
    return {**back(components[name]), "$defs": parts}


def test_the_openapi_document_uses_the_shipped_json_schemas(client, case_id) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    components = document["components"]["schemas"]
    for name in ("change-record", "case"):
        shipped = dict(cs.json_schema(name))
        del shipped["$schema"], shipped["$id"]
        assert _reassembled(components, name) == shipped
    change = document["paths"]["/cases/{case_id}/changes"]["post"]
    assert change["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/change-record"
    }
    trail = document["paths"]["/cases/{case_id}/trail"]["get"]["responses"]["200"]
    assert trail["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/case"}
    assert "ETag" in trail["headers"]
    path_parameters = [parameter for parameter in change["parameters"] if parameter["in"] == "path"]
    assert [parameter["name"] for parameter in path_parameters] == ["case_id"]
    assert set(change["responses"]) == {"200", "201", "404", "409", "412", "422", "428"}
    assert change["responses"]["412"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }

    # What the app takes and gives fits the document: a record it took, the trail it gave.
    def fits(schema: str, instance: dict) -> list[str]:
        validator = Draft202012Validator({**document, "$ref": f"#/components/schemas/{schema}"})
        return [error.message for error in validator.iter_errors(instance)]

    opened(client, case_id)
    assert fits("change-record", opening(case_id)) == []
    assert fits("case", client.get(f"/cases/{case_id}/trail").json()) == []
    assert fits("CaseView", client.get(f"/cases/{case_id}").json()) == []
    assert fits("change-record", opening(case_id) | {"effective_at": "2024-02-20T06:30:00"}) != []


# -- running it ------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_the_client_prints_the_conversation_the_how_to_shows(request, tmp_path, engine) -> None:
    if engine == "sqlite":
        arguments = store_arguments("sqlite", str(tmp_path / "cases.db"))
    else:
        arguments = store_arguments("postgres", POSTGRES_URL, request.getfixturevalue("postgres_schema"))
    with serving(arguments, tmp_path / "server.log") as running:
        said = subprocess.run(  # noqa: S603 - our own interpreter and example
            [sys.executable, str(CLIENT), running.url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert said.returncode == 0, said.stderr
    assert said.stdout == (EXAMPLE / "client.out").read_text(encoding="utf-8")


def test_a_sealed_store_serves_with_its_key_file(tmp_path) -> None:
    key_file = tmp_path / "chain.key"
    key_file.write_text(cs.chain_key_to_text(bytes(range(32))) + "\n", encoding="utf-8")
    store = str(tmp_path / "sealed.db")
    with serving(
        [*store_arguments("sqlite", store), "--key-file", str(key_file)], tmp_path / "server.log"
    ) as running:
        answer = httpx.post(f"{running.url}/cases/{PLAIN_CASE}/changes", json=opening(PLAIN_CASE), timeout=30)
        assert answer.status_code == 201
        document = httpx.get(f"{running.url}/cases/{PLAIN_CASE}/trail", timeout=30).json()
    assert document["entries"][0]["chain"].startswith("hmac-sha256:")
    status, log = failed_start(store_arguments("sqlite", store), tmp_path / "keyless.log")
    assert status != 0
    assert "KeyRequired" in log


def test_a_file_that_is_not_a_store_stops_the_server_at_startup_saying_why(tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database " * 100, encoding="utf-8")
    status, log = failed_start(store_arguments("sqlite", str(notes)), tmp_path / "server.log")
    assert status != 0
    assert "NotAStore" in log
    assert "Application startup failed" in log
