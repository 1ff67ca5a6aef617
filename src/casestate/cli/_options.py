"""Options several commands share, and reading what they name."""

from __future__ import annotations

from pathlib import Path

import click

from casestate import DEFAULT_WORKFLOW, KeyFileError, Workflow, WorkflowError, workflow_from_json

_MOST_BYTES = 16 * 1024 * 1024
"""More than any workflow definition holds: a file that goes on (/dev/zero) is refused."""


def _read(path: Path, option: str) -> bytes:
    try:
        if not path.is_file():  # a pipe may never end, a device neither
            raise click.BadParameter(f"{path}: not a regular file", param_hint=option)
        with path.open("rb") as stream:
            data = stream.read(_MOST_BYTES + 1)
    except OSError as error:
        raise click.BadParameter(f"{path}: {error.strerror or error}", param_hint=option) from None
    if len(data) > _MOST_BYTES:
        raise click.BadParameter(f"{path}: larger than {_MOST_BYTES} bytes", param_hint=option)
    return data


def read_text(path: Path, option: str) -> str:
    """The UTF-8 text of the file at *path*; a usage error naming *option* when it cannot be read."""
    try:
        return _read(path, option).decode("utf-8")
    except UnicodeDecodeError:
        raise click.BadParameter(f"{path}: not UTF-8 text", param_hint=option) from None


def load_workflow(path: Path | None) -> Workflow:
    """The workflow defined in the file at *path*, or the default; a usage error naming each fault."""
    if path is None:
        return DEFAULT_WORKFLOW
    text = _read(path, "--workflow")
    try:
        return workflow_from_json(text)
    except WorkflowError as error:
        raise click.BadParameter(f"{path}: {error}", param_hint="--workflow") from None


def read_key(path: Path | None) -> bytes | None:
    """The chain key in the key file at *path*, read as :func:`casestate.store.read_key_file` reads it."""
    if path is None:
        return None
    from casestate.store import read_key_file  # noqa: PLC0415 - the store is imported when a key is named

    try:
        return read_key_file(path)
    except KeyFileError as error:
        raise click.BadParameter(str(error), param_hint="--key-file") from None
    except OSError as error:
        raise click.BadParameter(f"{path}: {error.strerror or error}", param_hint="--key-file") from None


workflow_option = click.option(
    "--workflow",
    "workflow_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A workflow definition file (JSON); the default workflow otherwise.",
)
key_option = click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A key file: the secret key that seals the chains (HMAC), as hexadecimal digits on one line "
    '(at least 32; make one with: python3 -c "import secrets; print(secrets.token_hex(32))").',
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for machines.",
)
quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="No progress bar and no summary; only faults."
)
