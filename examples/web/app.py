"""Cases behind a web API: a small, complete FastAPI service on a casestate store.

Run it from a checkout (docs/how-to/web-api.md walks through it)::

    pip install -e '.[web]' && python examples/web/app.py --store cases.db

Its OpenAPI document is http://127.0.0.1:8000/openapi.json; /docs is a page to try each route.

What it shows:

* ``POST /cases/{case_id}/changes`` takes one change record (the JSON Schema
  ``change-record``); trigger ``open`` opens the case. A change the workflow
  refuses is ``422`` with every reason; a change decided on an old version
  of the case is ``412``: the case's head is its ``ETag``, and ``If-Match``
  says which version the client read.
* ``GET /cases/{case_id}``: status, fate, assurance and whereabouts, with
  labels in the language of ``Accept-Language`` (English, Russian or
  Ukrainian, as are a refusal's messages), now or as of a time.
* ``GET /cases/{case_id}/trail``: the case document (the JSON Schema
  ``case``), whole or as known at a time.
* ``GET /cases?status=missing&older_than=180d``: cases by status, fate,
  conflict and time in status, a page at a time.

There is no access control here: a real service puts its own in front of
these routes, as the trail holds personal data (who reported, and why).
"""

import argparse
import asyncio
import queue
import re
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any, TypeVar

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

import casestate as cs
from casestate.feeds import names_a_database
from casestate.store import (
    CaseExists,
    CaseStore,
    ConcurrentUpdate,
    PostgresStore,
    SQLiteStore,
    StoreError,
    StoreLocked,
    UnknownCase,
    read_key_file,
)
from casestate.text import LOCALES, Vocabulary, best_locale, label_name, message, storable_problem

T = TypeVar("T")

# --- the store, one object per thread ----------------------------------------------------------


class StoreThreads:
    """A few threads, each with a store object of its own, that run the app's store calls.

    A store object serves one thread at a time, and a SQLite connection may
    only be used and closed by the thread that opened it; so the routes,
    which run on the event loop, hand their store work to these threads.
    Each thread keeps its store open, with the trails it has verified, for
    the life of the app.
    """

    def __init__(self, open_store: Callable[[], CaseStore], count: int) -> None:
        self._open_store = open_store
        self._count = count
        self._jobs: queue.SimpleQueue[tuple[Callable[[CaseStore], Any], Future[Any]] | None]
        self._jobs = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []

    async def start(self) -> None:
        """Open the stores, one thread after the other (the first may create the store)."""
        for number in range(self._count):
            opened: Future[None] = Future()
            thread = threading.Thread(target=self._serve, args=(opened,), name=f"store-{number}")
            thread.start()
            self._threads.append(thread)
            await asyncio.wrap_future(opened)  # the store's own error if it cannot be opened

    def stop(self) -> None:
        """Let each thread finish the calls it was given, close its store and end."""
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    async def run(self, work: Callable[[CaseStore], T]) -> T:
        """``work(store)`` on one of the threads, with its store."""
        done: Future[T] = Future()
        self._jobs.put((work, done))
        return await asyncio.wrap_future(done)

    def _serve(self, opened: Future[None]) -> None:
        try:
            store = self._open_store()
        except Exception as error:  # noqa: BLE001 - handed to start(), which raises it
            opened.set_exception(error)
            return
        opened.set_result(None)
        with store:
            while (job := self._jobs.get()) is not None:
                work, done = job
                if not done.set_running_or_notify_cancel():
                    continue  # the request went away before its turn came
                try:
                    done.set_result(work(store))
                except Exception as error:  # noqa: BLE001 - raised again in the route
                    done.set_exception(error)


def store_opener(location: str, *, schema: str, key: bytes | None) -> Callable[[], CaseStore]:
    """What opens the store at *location*: a PostgreSQL URL, else the path of a SQLite file."""
    if names_a_database(location):
        return lambda: PostgresStore(location, schema=schema, key=key)
    return lambda: SQLiteStore(location, key=key)


# --- labels, in the language the client reads -----------------------------------------------------

LANGUAGES = LOCALES
"""The languages the app answers in: those casestate speaks, English (the one it falls back to) first."""

_LANGUAGE_RANGE = re.compile(
    r"\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([01](?:\.\d{0,3})?))?\s*"
)


def preferences(accept_language: str | None) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most wanted first; ``q=0`` is not wanted.

    >>> preferences("uk-UA, ru;q=0.8, en;q=0.5, de;q=0")
    ['uk-UA', 'ru', 'en']
    """
    wanted: list[tuple[float, int, str]] = []
    for index, item in enumerate((accept_language or "").split(",")):
        matched = _LANGUAGE_RANGE.fullmatch(item)
        if matched is None:
            continue  # a range nobody can read asks for nothing
        weight = float(matched[2]) if matched[2] else 1.0
        if weight > 0:
            wanted.append((-weight, index, matched[1]))
    return [tag for _, _, tag in sorted(wanted)]


def reader_language(accept_language: str | None) -> str:
    """The language to answer in: the one casestate speaks that the client wants most, by ``Accept-Language``.

    English when it speaks none of them.

    >>> reader_language("de-CH, uk;q=0.9, ru;q=0.8"), reader_language("fr")
    ('uk', 'en')
    """
    return best_locale(preferences(accept_language))


def labels(language: str, named: Mapping[Vocabulary, str]) -> dict[str, str]:
    """Each of *named* (a status, a fate, ...), by its vocabulary, as a person reads it in *language*."""
    return {vocabulary: label_name(vocabulary, name, language) for vocabulary, name in named.items()}


def said_in(response: Response, language: str) -> None:
    """Tell caches and clients which language the labels of *response* are in."""
    response.headers["Content-Language"] = language
    response.headers["Vary"] = "Accept-Language"


async def request_language(accept_language: Annotated[str | None, Header()] = None) -> str:
    """The language to answer the request in, by its ``Accept-Language``."""
    return reader_language(accept_language)


Language = Annotated[str, Depends(request_language)]


# --- what the app answers ---------------------------------------------------------------------


class Standing(BaseModel):
    """Where a case stands, or stood: its status and what goes with it, with labels for people to read."""

    status: str
    fate: cs.Fate
    assurance: cs.Assurance
    whereabouts: cs.Whereabouts
    labels: dict[str, str]


class Period(Standing):
    """Where a case stood at some time, as known now."""

    since: datetime
    entry: int
    contested_by: list[int]


class AsOfEffective(BaseModel):
    """The answer to "where did the case stand at this time?": ``null`` before the person was last seen."""

    when: datetime
    period: Period | None


class CaseView(Standing):
    """Where a case stands, with what a client needs to change it (its version and head)."""

    case_id: str
    version: int
    head: str
    status_since: datetime
    open_conflicts: list[int]
    as_of_recorded: datetime | None = None
    as_of_effective: AsOfEffective | None = None


class CaseItem(BaseModel):
    """One case in a list of cases."""

    case_id: str
    version: int
    status: str
    fate: cs.Fate
    assurance: cs.Assurance
    status_since: datetime
    has_conflict: bool
    labels: dict[str, str]


class CasePage(BaseModel):
    """A page of cases, by case id; *next* is the address of the next page (``null`` on the last)."""

    items: list[CaseItem]
    next: str | None


class ReasonView(BaseModel):
    """Why the workflow refused a change: a stable code, and a message for a person in their language."""

    code: cs.Code
    message: str


class Problem(BaseModel):
    """A refusal or fault, as RFC 9457 problem details (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    reasons: list[ReasonView] | None = None


def standing(where: cs.Standing | cs.Snapshot, language: str) -> dict[str, Any]:
    """The fields of :class:`Standing` for *where* a case stands or stood, labelled in *language*."""
    named: dict[Vocabulary, str] = {
        "status": where.status,
        "fate": where.fate,
        "assurance": where.assurance,
        "whereabouts": where.whereabouts,
    }
    fields: dict[str, Any] = dict(named.items())
    fields["labels"] = labels(language, named)
    return fields


def case_view(
    case: cs.Case, language: str, *, recorded: datetime | None, effective: datetime | None
) -> CaseView:
    """*case* as :class:`CaseView` shows it, with the answer as of the *effective* time if asked."""
    as_of_effective = None
    if effective is not None:
        then = case.as_of_effective(effective)
        period = None
        if then is not None:
            period = Period(
                **standing(then, language),
                since=then.since,
                entry=then.seq,
                contested_by=list(then.contested_by),
            )
        as_of_effective = AsOfEffective(when=effective, period=period)
    return CaseView(
        **standing(case, language),
        case_id=case.id,
        version=case.version,
        head=case.head,
        status_since=case.status_since,
        open_conflicts=list(case.open_conflicts),
        as_of_recorded=recorded,
        as_of_effective=as_of_effective,
    )


def etag(case: cs.Case) -> str:
    """The entity tag of *case*: its head, the hash of its last entry, which every change moves on."""
    return f'"{case.head}"'


# --- refusals and faults, as problem details ------------------------------------------------------

PROBLEM = "urn:casestate:problem:"


class ProblemError(Exception):
    """A request the app answers with a problem: *status*, a *kind* of problem, and what went wrong."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        field: str | None = None,
        reasons: Iterable[cs.Reason] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.field = field
        self.reasons = None if reasons is None else tuple(reasons)
        self.headers = headers or {}


FAULTS: dict[type[Exception], tuple[int, str]] = {
    RequestValidationError: (422, "invalid-request"),
    cs.RecordError: (422, "invalid-record"),
    cs.Rejected: (422, "rejected"),
    UnknownCase: (404, "unknown-case"),
    CaseExists: (409, "case-exists"),
    StoreLocked: (503, "store-busy"),
    cs.BrokenTrail: (500, "broken-trail"),
    StoreError: (500, "store-fault"),
}
"""The problem each of casestate's refusals and faults is, by its HTTP status and kind."""


def as_problem(error: Exception) -> ProblemError:
    """The problem *error* is: one of :data:`FAULTS`, or FastAPI's own (no such route, a bad query)."""
    if isinstance(error, ProblemError):
        return error
    if isinstance(error, HTTPException):
        kind = HTTPStatus(error.status_code).phrase.lower().replace(" ", "-")
        return ProblemError(error.status_code, kind, str(error.detail), headers=dict(error.headers or {}))
    status, kind = next(FAULTS[known] for known in type(error).__mro__ if known in FAULTS)
    if isinstance(error, RequestValidationError):
        detail = "; ".join(f"{'.'.join(map(str, fault['loc']))}: {fault['msg']}" for fault in error.errors())
    elif isinstance(error, cs.Rejected):  # every reason comes with it; the store's message counts a batch
        detail = f"the workflow refused the change to case {error.case_id!r}: {', '.join(error.codes)}"
    else:
        detail = str(error)
    return ProblemError(
        status,
        kind,
        detail,
        field=getattr(error, "field", None),
        reasons=error.reasons if isinstance(error, cs.Rejected) else None,
        headers={"Retry-After": "1"} if isinstance(error, StoreLocked) else None,
    )


def problem(error: Exception, language: str) -> JSONResponse:
    """*error* as a problem details response (RFC 9457), its reasons' messages in *language*."""
    said = as_problem(error)
    reasons = said.reasons
    headers = dict(said.headers)
    if reasons is not None:
        headers.update({"Content-Language": language, "Vary": "Accept-Language"})
    body = Problem(
        type=PROBLEM + said.kind,
        title=said.kind.replace("-", " "),
        status=said.status,
        detail=said.detail,
        field=said.field,
        reasons=None
        if reasons is None
        else [ReasonView(code=each.code, message=message(each, language)) for each in reasons],
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=said.status,
        headers=headers,
        media_type="application/problem+json",
    )


async def answer_problem(request: Request, error: Exception) -> JSONResponse:
    """The exception handler of every problem."""
    return problem(error, reader_language(request.headers.get("Accept-Language")))


def answers(
    *problem_statuses: int, ok: dict[int | str, dict[str, Any]] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI description of a route's answers: the *ok* ones, and the problems of *problem_statuses*."""
    described: dict[int | str, dict[str, Any]] = {status: {"model": Problem} for status in problem_statuses}
    described.update(ok or {})
    return described


def problems_as_problems(document: dict[str, Any]) -> None:
    """Describe the problems as ``application/problem+json``, which FastAPI describes as its default type."""
    for operation in (operation for path in document["paths"].values() for operation in path.values()):
        for status, answer in operation["responses"].items():
            if status[0] in "45" and "application/json" in answer.get("content", {}):
                answer["content"] = {"application/problem+json": answer["content"]["application/json"]}


ETAG = {
    "ETag": {
        "description": "The case's head: send it back in If-Match to change the case.",
        "schema": {"type": "string"},
    }
}
"""The OpenAPI description of the ``ETag`` header of a response that shows a case."""


# --- the routes --------------------------------------------------------------------------------

router = APIRouter()


async def store_threads(request: Request) -> StoreThreads:
    """The app's store threads."""
    threads: StoreThreads = request.app.state.stores
    return threads


Stores = Annotated[StoreThreads, Depends(store_threads)]


def refuse_unstorable(value: str | None, name: str) -> None:
    """Refuse *value*, named *name*, with a problem if no store can hold it (a NUL, a lone surrogate)."""
    problem = None if value is None else storable_problem(value)
    if problem is not None:
        raise ProblemError(422, "invalid-request", f"{name} is {problem}", field=name)


async def path_case_id(case_id: str) -> str:
    """The case id in the address, which a store can hold."""
    refuse_unstorable(case_id, "case_id")
    return case_id


CaseId = Annotated[str, Depends(path_case_id)]


def asked_time(name: str) -> Any:  # noqa: ANN401 - a FastAPI parameter declaration
    """A query parameter that takes a timestamp as change records write it, with its offset."""
    return Query(
        alias=name,
        description="ISO 8601 with an offset: 2024-05-01T00:00:00Z",
        examples=["2024-05-01T00:00:00Z"],
    )


def timestamp(value: str | None, name: str) -> datetime | None:
    """*value* read as a timestamp with an offset; a problem naming *name* if it is not one."""
    if value is None:
        return None
    try:
        return cs.parse_timestamp(value, name)
    except cs.RecordError as error:
        raise ProblemError(422, "invalid-request", str(error), field=name) from None


def known_at(case: cs.Case, when: datetime | None) -> cs.Case:
    """*case* as known at recorded time *when* (now, when ``None``)."""
    if when is None:
        return case
    known = case.known_at(when)
    if known is None:
        raise ProblemError(
            404, "not-yet-opened", f"case {case.id!r} was not yet opened at {when.isoformat()}"
        )
    return known


def not_modified(if_none_match: str | None, case: cs.Case, headers: dict[str, str]) -> Response | None:
    """``304 Not Modified`` when the client holds this version of *case* already (``If-None-Match``)."""
    if if_none_match is None:
        return None
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}  # compared weakly
    if "*" not in tags and etag(case) not in tags:
        return None
    return Response(status_code=304, headers={"ETag": etag(case), **headers})


NOT_MODIFIED = {"description": "The client holds this version of the case already (If-None-Match)"}


@router.get(
    "/cases/{case_id}",
    response_model=CaseView,
    responses=answers(404, 422, ok={200: {"headers": ETAG}, 304: NOT_MODIFIED}),
)
async def get_case(
    *,
    case_id: CaseId,
    response: Response,
    stores: Stores,
    language: Language,
    as_of_recorded: Annotated[str | None, asked_time("as_of_recorded")] = None,
    as_of_effective: Annotated[str | None, asked_time("as_of_effective")] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> CaseView | Response:
    """Where the case stands (as known at *as_of_recorded*), and where it stood at *as_of_effective*.

    *as_of_recorded* answers "what did we know then?" (the recorded clock);
    *as_of_effective* answers "what was true then, as we know it now?" (the
    effective clock).
    """
    recorded = timestamp(as_of_recorded, "as_of_recorded")
    effective = timestamp(as_of_effective, "as_of_effective")
    case = known_at(await stores.run(lambda store: store.load(case_id)), recorded)
    said_in(response, language)
    unchanged = not_modified(if_none_match, case, dict(response.headers))
    if unchanged is not None:
        return unchanged
    response.headers["ETag"] = etag(case)
    return case_view(case, language, recorded=recorded, effective=effective)


@router.get(
    "/cases/{case_id}/trail",
    response_class=JSONResponse,
    responses=answers(
        404,
        422,
        ok={
            200: {
                "description": "The case document: the case and its whole trail",
                "headers": ETAG,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/case"}}},
            },
            304: NOT_MODIFIED,
        },
    ),
)
async def get_trail(
    *,
    case_id: CaseId,
    stores: Stores,
    as_of_recorded: Annotated[str | None, asked_time("as_of_recorded")] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The case document (``casestate.case``): every entry, or those recorded by *as_of_recorded*.

    A client verifies it with ``casestate.from_dict(document, head=...)``.
    """
    recorded = timestamp(as_of_recorded, "as_of_recorded")
    case = known_at(await stores.run(lambda store: store.load(case_id)), recorded)
    return not_modified(if_none_match, case, {}) or JSONResponse(
        cs.to_dict(case), headers={"ETag": etag(case)}
    )


_DURATION = re.compile(r"(\d{1,6})([hdw])")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def duration(value: str | None) -> timedelta | None:
    """``180d`` as 180 days (``h`` hours, ``d`` days, ``w`` weeks)."""
    if value is None:
        return None
    matched = _DURATION.fullmatch(value)
    if matched is None:
        detail = f"older_than: expected a number and a unit (h, d or w), such as 180d; got {value!r}"
        raise ProblemError(422, "invalid-request", detail, field="older_than")
    return timedelta(**{_UNITS[matched[2]]: int(matched[1])})


@router.get("/cases", responses=answers(422))
async def list_cases(
    *,
    request: Request,
    response: Response,
    stores: Stores,
    language: Language,
    status: str | None = None,
    fate: cs.Fate | None = None,
    has_conflict: bool | None = None,
    older_than: Annotated[str | None, Query(description="in the status for at least: 180d, 12h, 2w")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    after: Annotated[str | None, Query(description="the last case id of the page before")] = None,
) -> CasePage:
    """The cases that match every filter given, by case id, *limit* at a time after the case id *after*."""
    refuse_unstorable(status, "status")
    refuse_unstorable(after, "after")
    in_status = duration(older_than)
    now = datetime.now(UTC)
    found = await stores.run(
        lambda store: store.find(
            status=status,
            fate=fate,
            has_conflict=has_conflict,
            in_status_for_at_least=in_status,
            now=now,
            limit=limit + 1,  # one more than asked tells whether there is a next page
            after=after,
        )
    )
    page = found[:limit]
    following = None
    if len(found) > limit:
        following = str(request.url.include_query_params(after=page[-1].case_id))
        response.headers["Link"] = f'<{following}>; rel="next"'
    said_in(response, language)
    items = [
        CaseItem(
            case_id=summary.case_id,
            version=summary.version,
            status=summary.status,
            fate=summary.fate,
            assurance=summary.assurance,
            status_since=summary.status_since,
            has_conflict=summary.has_conflict,
            labels=labels(
                language, {"status": summary.status, "fate": summary.fate, "assurance": summary.assurance}
            ),
        )
        for summary in page
    ]
    return CasePage(items=items, next=following)


def read_tags(if_match: str | None) -> list[str]:
    """The entity tags of an ``If-Match`` header, which a change to a case must carry."""
    if if_match is None:
        detail = "a change needs If-Match: the ETag of the case as you read it, so that no update is lost"
        raise ProblemError(428, "precondition-required", detail)
    tags = [tag.strip() for tag in if_match.split(",")]
    if "*" in tags:
        detail = "If-Match: * says no version: give the ETag of the case as you read it"
        raise ProblemError(428, "precondition-required", detail)
    # Weak tags (W/"...") never match: If-Match compares strongly.
    return [tag[1:-1] for tag in tags if len(tag) > 1 and tag[0] == tag[-1] == '"']


def apply_if_current(store: CaseStore, case_id: str, change: cs.Change, tags: Sequence[str]) -> cs.Case:
    """Apply *change* if the case is still at a version the client read (its head among *tags*)."""
    case = store.load(case_id)
    if case.head not in tags:
        raise stale(case_id, case.head)
    try:
        return store.apply(case_id, [change], expected_version=case.version)
    except ConcurrentUpdate:  # another writer got there between our load and our write
        raise stale(case_id, store.head(case_id)) from None


def stale(case_id: str, head: str | None) -> ProblemError:
    """The answer to a change decided on a version of the case other than the one stored, *head*."""
    detail = f"case {case_id!r} changed since you read it: read it again, decide again, and retry"
    return ProblemError(412, "stale", detail, headers={} if head is None else {"ETag": f'"{head}"'})


def open_case(store: CaseStore, case_id: str, opening: cs.Change) -> cs.Case:
    """Open *case_id* as the *opening* change record says, its source id included."""
    return store.open_case(case_id, **opening.opening())


@router.post(
    "/cases/{case_id}/changes",
    responses=answers(
        404,
        409,
        412,
        422,
        428,
        ok={
            200: {"headers": ETAG},
            201: {"model": CaseView, "description": "The case, opened", "headers": ETAG},
        },
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/change-record"}}},
        }
    },
)
async def post_change(
    *,
    case_id: CaseId,
    request: Request,
    response: Response,
    stores: Stores,
    language: Language,
    if_match: Annotated[str | None, Header()] = None,
) -> CaseView:
    """Apply one change record to the case; the trigger ``open`` opens it.

    A change to an open case needs ``If-Match`` with the ``ETag`` of the case
    as the client read it: ``412`` when the case has changed since (read it
    again, decide again, retry). A change the workflow refuses is ``422``
    with every reason.
    """
    record_case_id, change = cs.change_from_json(await request.body())
    if record_case_id != case_id:
        detail = f"case_id: the record is for case {record_case_id!r}, the address for case {case_id!r}"
        raise ProblemError(422, "invalid-record", detail, field="case_id")
    if change.trigger == cs.OPEN:
        case = await stores.run(lambda store: open_case(store, case_id, change))
        response.status_code = 201
        response.headers["Location"] = str(request.url_for("get_case", case_id=case_id))
    else:
        tags = read_tags(if_match)
        case = await stores.run(lambda store: apply_if_current(store, case_id, change, tags))
    response.headers["ETag"] = etag(case)
    said_in(response, language)
    return case_view(case, language, recorded=None, effective=None)


# --- the app -----------------------------------------------------------------------------------


def casestate_schemas(names: Iterable[cs.SchemaName] = ("change-record", "case")) -> dict[str, Any]:
    """The JSON Schemas *names* as OpenAPI components, each of their ``$defs`` a component too.

    OpenAPI 3.1 speaks JSON Schema 2020-12, the schemas' own dialect: only
    their references move, from ``#/$defs/evidence`` to
    ``#/components/schemas/change-record.evidence``.
    """

    def moved(node: Any, name: str) -> Any:  # noqa: ANN401 - any JSON value
        if isinstance(node, dict):
            return {
                key: f"#/components/schemas/{name}.{value.removeprefix('#/$defs/')}"
                if key == "$ref"
                else moved(value, name)
                for key, value in node.items()
                if key not in {"$schema", "$id"}
            }
        if isinstance(node, list):
            return [moved(item, name) for item in node]
        return node

    components: dict[str, Any] = {}
    for name in names:
        schema: dict[str, Any] = dict(cs.json_schema(name))
        for part, definition in schema.pop("$defs", {}).items():
            components[f"{name}.{part}"] = moved(definition, name)
        components[name] = moved(schema, name)
    return components


def create_app(open_store: Callable[[], CaseStore], *, threads: int = 4) -> FastAPI:
    """The web app, on the store *open_store* opens: once in each of *threads* threads."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stores = app.state.stores = StoreThreads(open_store, threads)
        try:
            await stores.start()
            yield
        finally:
            stores.stop()

    app = FastAPI(title="casestate cases", version=cs.__version__, lifespan=lifespan)
    app.include_router(router)
    answered: list[type[Exception]] = [ProblemError, HTTPException, *FAULTS]
    for error in answered:
        app.add_exception_handler(error, answer_problem)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, routes=app.routes)
            document.setdefault("components", {}).setdefault("schemas", {}).update(casestate_schemas())
            problems_as_problems(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign] # FastAPI's documented way to extend the document
    return app


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the app: ``python examples/web/app.py --store cases.db``."""
    parser = argparse.ArgumentParser(description="Serve casestate's cases over HTTP.")
    parser.add_argument(
        "--store", default="cases.db", help="a SQLite file (created if missing) or a PostgreSQL URL"
    )
    parser.add_argument("--schema", default="casestate", help="the PostgreSQL schema of the store")
    parser.add_argument("--key-file", type=Path, help="the key the store's trails are sealed with")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 takes a free port (the log says which)")
    parser.add_argument("--threads", type=int, default=4, help="threads, each with its store object")
    arguments = parser.parse_args(argv)
    key = None if arguments.key_file is None else read_key_file(arguments.key_file)
    app = create_app(
        store_opener(arguments.store, schema=arguments.schema, key=key), threads=arguments.threads
    )
    uvicorn.run(app, host=arguments.host, port=arguments.port)


if __name__ == "__main__":
    main()
