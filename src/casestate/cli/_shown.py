r"""Untrusted text made safe to show: no control character reaches a terminal, no password a screen.

Case ids, actor ids, reasons, evidence references and file names come from
files and stores anyone may have written. Printed raw, an escape sequence in
one would clear the screen, retitle the window or hide the lines above it; a
NUL or a lone surrogate would garble the output. Every such text is shown
with its control characters as visible escapes (``\x1b``), as ``repr``
shows them.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from urllib.parse import unquote

import click
from rich.markup import escape

from casestate.text import printable

_HIDDEN = "***"
_PASSWORD = re.compile(r"\A([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*):(.*)@", re.DOTALL)
"""A URL's scheme and user, then its password up to the last ``@``: too much hidden rather than too little."""
_PASSWORD_PARAMETER = re.compile(r"([?&]password=)([^&#]*)", re.IGNORECASE)
"""libpq also takes the password as a query parameter."""


def plain(text: str) -> str:
    r"""*text* with every character that would act on a terminal written as its escape; line ends kept.

    >>> plain("ua-1\x1b[2J\x00")
    'ua-1\\x1b[2J\\x00'
    """
    if text.isprintable():
        return text
    return "\n".join(printable(line) for line in text.split("\n"))


def shown(text: str) -> str:
    r"""*text* for a rich console: :func:`plain`, and its ``[`` read as text, never as markup.

    >>> shown("[bold]ua-1\x1b]0;title\x07")
    '\\[bold]ua-1\\x1b]0;title\\x07'
    """
    return escape(plain(text))


def bold(text: str) -> str:
    r"""*text* shown (see :func:`shown`) in bold.

    >>> bold("ua-[1]")
    '[bold]ua-\\[1][/bold]'
    """
    return f"[bold]{shown(text)}[/bold]"


def masked(store: str) -> str:
    """A store's name (a path, or a database URL) as it may be shown: the password hidden.

    >>> masked("postgresql+psycopg://postgres:S3cret@127.0.0.1:5432/test")
    'postgresql+psycopg://postgres:***@127.0.0.1:5432/test'
    >>> masked("cases.db")
    'cases.db'
    """
    found = _PASSWORD.match(store)
    if found is not None:
        store = f"{found.group(1)}:{_HIDDEN}@{store[found.end() :]}"
    return plain(_PASSWORD_PARAMETER.sub(rf"\g<1>{_HIDDEN}", store))


def passwords_in(store: str) -> list[str]:
    """The passwords a store's URL holds, as written and as decoded, longest first."""
    said: set[str] = set()
    found = _PASSWORD.match(store)
    if found is not None:
        said.add(found.group(2))
    said.update(value for _, value in _PASSWORD_PARAMETER.findall(store))
    said |= {unquote(value) for value in said}
    return sorted((value for value in said if value), key=len, reverse=True)


def hiding_passwords(text: str, store: str | None) -> str:
    """*text* (a message that may quote the store's URL, or part of it) with its passwords hidden."""
    if store is None:
        return text
    for password in passwords_in(store):
        text = text.replace(password, _HIDDEN)
    return text


class InputOutputFault(click.ClickException):
    """A file, device or standard output the system cannot read or write; exits with status 2."""

    exit_code = 2


class Commands(click.Group):
    """casestate's commands: every fault told in one clear line, never a traceback or a raw escape.

    A message may quote a file name or a case id: its control characters are
    shown as escapes. An error of the system (a disk full, a device that
    fails, standard output on ``/dev/full``) ends the command with status 2
    and says which file; a closed pipe (``| head``) is left to click, which
    ends quietly.
    """

    def invoke(self, ctx: click.Context) -> object:
        """Run the command, turning its faults into clear messages."""
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # output that cannot be written is told here, not at exit
        except click.UsageError as fault:
            raise click.UsageError(plain(fault.format_message()), fault.ctx) from None
        except click.ClickException as fault:
            click.echo(f"Error: {plain(fault.format_message())}", err=True)  # as click shows it
            raise SystemExit(fault.exit_code) from None
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise
            raise InputOutputFault(_told(error)) from None


def _told(error: OSError) -> str:
    """The fault in one line, naming its file.

    Every file casestate reads or writes by name is named in its faults; a
    fault without a file name is standard output's (``> /dev/full``, a full disk).
    """
    where = error.filename
    if where is None:
        _drop_standard_output()
        where = "standard output"
    name = os.fsdecode(where) if isinstance(where, str | bytes) else str(where)
    return f"{name}: {error.strerror or error}"


def _drop_standard_output() -> None:
    """Send what is still held for standard output to ``os.devnull``, if it cannot be written.

    Python writes what is held when it exits, and would fail there again,
    with a traceback of its own.
    """
    try:
        sys.stdout.flush()
    except OSError:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, sys.stdout.fileno())
        os.close(nowhere)
