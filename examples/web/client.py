"""A client of the web app in app.py: the conversation that docs/how-to/web-api.md walks through.

Run the app, then this against it (it opens cases ua-0173 and ua-0200 to ua-0204)::

    python examples/web/client.py http://127.0.0.1:8000

What it prints is in client.out beside it; the test suite holds the two equal.
"""

import sys
from collections.abc import Callable
from typing import Any

import httpx

import casestate as cs


def record(
    trigger: str, actor_id: str, role: str, effective_at: str, recorded_at: str, **more: object
) -> dict[str, object]:
    """A change record to case ua-0173."""
    return {
        "case_id": "ua-0173",
        "trigger": trigger,
        "actor_id": actor_id,
        "role": role,
        "effective_at": effective_at,
        "recorded_at": recorded_at,
        **more,
    }


def evidence(kind: str, reference: str, source: str, obtained_at: str) -> dict[str, str]:
    """A piece of evidence in a change record."""
    return {"kind": kind, "reference": reference, "source": source, "obtained_at": obtained_at}


# how-to: retry
def change_case(
    client: httpx.Client, case_id: str, decide: Callable[[dict[str, Any]], dict[str, object]]
) -> httpx.Response:
    """Read the case, decide on a change, and send it with the version read; again if another came first."""
    while True:
        read = client.get(f"/cases/{case_id}")
        read.raise_for_status()
        sent = client.post(
            f"/cases/{case_id}/changes", json=decide(read.json()), headers={"If-Match": read.headers["ETag"]}
        )
        if sent.status_code != httpx.codes.PRECONDITION_FAILED:
            return sent
        print("  412: the case changed since it was read: read it again and decide again")


# how-to: retry, end


def converse(client: httpx.Client) -> None:
    """Open a case, read it, see a change refused and a stale one, change it, read its trail, find cases."""
    # how-to: open
    opening = record(
        "open",
        "hotline-operator-12",
        "ngo",
        "2024-02-20T06:30:00Z",
        "2024-03-01T09:00:00Z",
        reason="mother called the hotline",
    )
    opened = client.post("/cases/ua-0173/changes", json=opening)
    print(
        opened.status_code,
        opened.headers["Location"].removeprefix(str(client.base_url)),
        opened.json()["status"],
    )
    # how-to: open, end

    # how-to: read
    read = client.get("/cases/ua-0173", headers={"Accept-Language": "uk, ru;q=0.8, en;q=0.5"})
    seen = read.headers["ETag"]
    print(read.status_code, read.headers["Content-Language"], read.json()["labels"])
    # how-to: read, end

    # how-to: refused
    video = evidence("video", "https://t.me/channel/9911", "Telegram channel", "2024-04-02T00:00:00Z")
    attempt = record(
        "confirm", "olena-k", "family", "2024-04-01T00:00:00Z", "2024-04-03T10:00:00Z", evidence=[video]
    )
    refused = client.post(
        "/cases/ua-0173/changes", json=attempt, headers={"If-Match": seen, "Accept-Language": "uk"}
    )
    print(refused.status_code, refused.headers["Content-Type"])
    for reason in refused.json()["reasons"]:
        print(" ", reason["code"], "-", reason["message"])
    # how-to: refused, end

    # how-to: stale
    report = record(
        "report_captured",
        "olena-k",
        "family",
        "2024-04-01T00:00:00Z",
        "2024-04-02T14:00:00Z",
        evidence=[video],
    )
    changed = client.post("/cases/ua-0173/changes", json=report, headers={"If-Match": seen})
    print(changed.status_code, changed.json()["status"], changed.json()["fate"])
    again = client.post("/cases/ua-0173/changes", json=report, headers={"If-Match": seen})  # the old ETag
    print(again.status_code, again.json()["type"], again.headers["ETag"] == changed.headers["ETag"])
    # how-to: stale, end

    # how-to: decide
    card = evidence("capture_card", "CC-55120", "ICRC Central Tracing Agency", "2024-05-20T00:00:00Z")

    def confirm(case: dict[str, Any]) -> dict[str, object]:
        print("  deciding on version", case["version"], "status", case["status"])
        return record(
            "confirm",
            "icrc-cta-desk-4",
            "icrc",
            "2024-05-20T00:00:00Z",
            "2024-05-21T08:15:00Z",
            evidence=[card],
        )

    confirmed = change_case(client, "ua-0173", confirm)
    print(confirmed.status_code, confirmed.json()["status"], confirmed.json()["assurance"])
    # how-to: decide, end

    # how-to: trail
    then = client.get(
        "/cases/ua-0173",
        params={"as_of_recorded": "2024-04-10T00:00:00Z", "as_of_effective": "2024-03-15T00:00:00Z"},
    )
    print(then.json()["status"], then.json()["as_of_effective"]["period"]["status"])
    trail = client.get("/cases/ua-0173/trail")
    case = cs.from_dict(
        trail.json(), head=trail.headers["ETag"].strip('"')
    )  # verifies the chain up to the head
    print(trail.status_code, case.status, [entry.trigger for entry in case.trail])
    # how-to: trail, end

    # how-to: find
    for number in range(5):
        client.post(
            f"/cases/ua-02{number:02d}/changes",
            json={**opening, "case_id": f"ua-02{number:02d}", "effective_at": f"2024-01-1{number}T00:00:00Z"},
        )
    address: str | None = "/cases?status=missing&older_than=180d&limit=2"
    while address is not None:
        page = client.get(address).json()
        print([item["case_id"] for item in page["items"]])
        address = page["next"]
    # how-to: find, end


def main() -> None:
    """Talk to the app at the address given (http://127.0.0.1:8000 unless given)."""
    base_url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    with httpx.Client(base_url=base_url, timeout=30) as client:
        converse(client)


if __name__ == "__main__":
    main()
