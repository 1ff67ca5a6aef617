"""The example web app (examples/web/app.py) run as its docs say, as a real server process on a free port."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import attrs

from support import script

EXAMPLE = Path(__file__).parents[1] / "examples" / "web"
APP = EXAMPLE / "app.py"
CLIENT = EXAMPLE / "client.py"
_RUNNING = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")
STARTUP_SECONDS = 60.0
"""How long a server may take to start: imports, and the store opened, under coverage on a busy machine."""


def example_module(name: str) -> ModuleType:
    """The module examples/web/NAME.py, imported into the test process (not as __main__: it serves nothing)."""
    return script(EXAMPLE / f"{name}.py", f"casestate_web_{name}")


class ServerFailed(AssertionError):
    """The server did not start, or did not stop as it should; the message holds its log."""


@attrs.frozen
class Server:
    """A running server: where it answers, and the file its log goes to."""

    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def store_arguments(engine: str, target: str, schema: str | None = None) -> list[str]:
    """The command-line arguments that name a store: a SQLite file, or a PostgreSQL URL and schema."""
    if engine == "sqlite":
        return ["--store", target]
    return ["--store", target, "--schema", schema or "casestate"]


def start(arguments: list[str], log: Path) -> subprocess.Popen[bytes]:
    """``python examples/web/app.py ARGUMENTS --port 0``, its output to *log*."""
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and example, with our arguments
            [sys.executable, str(APP), *arguments, "--port", "0", "--threads", "2"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_for_address(process: subprocess.Popen[bytes], log: Path) -> str:
    """The address the server answers at, once its log says it is running."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        running = _RUNNING.search(text)
        if running is not None:
            return running[1]
        if process.poll() is not None:
            msg = f"the server ended with status {process.returncode} before it ran:\n{text}"
            raise ServerFailed(msg)
        time.sleep(0.05)
    process.kill()
    process.wait()
    msg = f"the server did not start in {STARTUP_SECONDS} s:\n{log.read_text(encoding='utf-8')}"
    raise ServerFailed(msg)


def stop(process: subprocess.Popen[bytes], log: Path) -> None:
    """Stop the server as an operator does (SIGTERM), and check that it shut down cleanly."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            msg = f"the server did not stop on SIGTERM in 30 s:\n{log.read_text(encoding='utf-8')}"
            raise ServerFailed(msg) from None
    # uvicorn shuts the app down (its stores closed), then ends by the signal it was stopped with.
    text = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode not in (0, -signal.SIGTERM) or "Application shutdown complete." not in text:
        msg = f"the server ended with status {process.returncode}, not shut down cleanly:\n{text}"
        raise ServerFailed(msg)


@contextmanager
def serving(arguments: list[str], log: Path) -> Iterator[Server]:
    """The example app serving with *arguments*, for the length of the block; stopped cleanly after it."""
    process = start(arguments, log)
    url = wait_for_address(process, log)  # the server ended, or was killed, when it did not start
    try:
        yield Server(url, log)
    finally:
        stop(process, log)


def failed_start(arguments: list[str], log: Path) -> tuple[int, str]:
    """The exit status and log of a server that must refuse to start with *arguments*."""
    process = start(arguments, log)
    try:
        process.wait(timeout=STARTUP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    return process.returncode, log.read_text(encoding="utf-8", errors="replace")
