r"""Text a case may hold: Unicode that a UTF-8 file or database can store.

Python strings, and JSON's ``\ud800`` escapes, can hold half of a UTF-16
surrogate pair on its own. Such a string hashes and prints, but no UTF-8
file, SQLite or PostgreSQL database can store it: it must be refused where
it comes in, with the field named, not deep inside a store's write.
"""

from __future__ import annotations


def is_storable(value: str) -> bool:
    r"""Whether *value* can be written as UTF-8: no half of a surrogate pair stands alone.

    >>> is_storable("Іван"), is_storable("\ud800")
    (True, False)
    """
    if value.isascii():  # nearly all text, and a flag read: the encoding is not tried
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable(value: str) -> str:
    """Why *value* is refused, naming its first lone surrogate."""
    position = next(index for index, char in enumerate(value) if "\ud800" <= char <= "\udfff")
    return f"not valid Unicode: a lone surrogate ({value[position]!a}) at character {position + 1}"


def printable(value: str) -> str:
    r"""*value* as a message can show it: a lone surrogate as its escape.

    >>> printable("efective_at\ud800")
    'efective_at\\ud800'
    """
    return value if is_storable(value) else value.encode("utf-8", "backslashreplace").decode("utf-8")


def check_case_id(case_id: object) -> None:
    """Refuse a case id that is not a non-empty string a store can hold."""
    if not isinstance(case_id, str) or not case_id.strip():
        msg = f"case_id must be a non-empty string, got {case_id!r}"
        raise ValueError(msg)
    check_storable(case_id, "case_id")


def check_storable(value: str, what: str) -> None:
    """Refuse *value*, a string, with a ``ValueError`` naming *what*, when it cannot be stored."""
    if not is_storable(value):
        msg = f"{what} is {unstorable(value)}"
        raise ValueError(msg)
