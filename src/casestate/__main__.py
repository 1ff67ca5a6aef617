"""``casestate`` and ``python -m casestate``: the command line, or which extra it needs.

Installed without the ``cli`` extra, the command says so in one line rather
than in a traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line (``casestate.cli``), or name the extra it needs and exit with status 2."""
    try:
        from casestate.cli import main as command  # noqa: PLC0415 - only once it is known to be there
    except ImportError as missing:
        if "casestate[cli]" not in str(missing):
            raise
        sys.stderr.write(f"casestate: {missing}\n")
        raise SystemExit(2) from None
    command()


if __name__ == "__main__":
    main()
