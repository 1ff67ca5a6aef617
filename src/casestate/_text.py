r"""Text a case may hold: what every UTF-8 file and both databases can store.

Python strings, and JSON's ``\ud800`` escapes, can hold a lone surrogate
(half of a UTF-16 pair). Such a string hashes and prints, but no UTF-8 file,
SQLite or PostgreSQL database can store it; nor can PostgreSQL store a NUL
character. Either must be refused where it comes in, with the field named,
not deep inside a store's write.
"""

from __future__ import annotations

import unicodedata
from typing import TypeGuard

import attrs

MAX_CASE_ID = 400
"""The longest case id, in characters: with a status name (at most
:data:`MAX_NAME`), it fits a PostgreSQL index entry (2,704 bytes) in UTF-8."""
MAX_NAME = 200
"""The longest name of a status, trigger or role, in characters."""


def is_storable(value: str) -> bool:
    r"""Whether every store can hold *value*: no lone surrogate, no NUL character.

    >>> is_storable("Іван"), is_storable("\ud800"), is_storable("a\x00b")
    (True, False, False)
    """
    if "\x00" in value:
        return False
    return value.isascii() or is_valid_unicode(value)  # nearly all text is ASCII: a flag read


def is_text(value: object) -> TypeGuard[str]:
    r"""Whether *value* is a ``str`` that shows something, storable: as evidence and records ask.

    >>> is_text("ICRC Geneva"), is_text("  "), is_text("\u200b"), is_text(7), is_text("a\x00b")
    (True, False, False, False, False)
    """
    return type(value) is str and not is_blank(value) and is_storable(value)


_ASCII_UNSEEN = "".join(map(chr, range(0x21))) + "\x7f"
"""The ASCII characters that show nothing: controls, and the space."""
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Letters that show nothing: the Hangul fillers, and the braille pattern blank."""
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf"})
"""Control and format characters (zero-width spaces and joiners, the soft hyphen, the BOM, bidi marks)."""


def is_unseen(char: str) -> bool:
    r"""Whether *char* shows nothing: whitespace, a control or format character, a filler.

    >>> [is_unseen(char) for char in ("a", " ", "\u200b", "\u3164", "\u2800", "\u00ad")]
    [False, True, True, True, True, True]
    """
    return char.isspace() or char in _FILLERS or unicodedata.category(char) in _UNSEEN_CATEGORIES


def is_blank(value: str) -> bool:
    r"""Whether *value* shows nothing, so that a person reading it reads nothing.

    Blank is empty once whitespace, control and format characters (Unicode
    categories Cc and Cf: zero-width spaces, the soft hyphen, the BOM), the
    Hangul fillers and the braille blank are taken out.

    >>> is_blank(""), is_blank(" \u200b\u2800\u3164\ufeff\u00ad"), is_blank("not him")
    (True, True, False)
    """
    if value.isascii():
        return not value.strip(_ASCII_UNSEEN)
    return all(map(is_unseen, value))


def identifier_problem(value: str) -> str | None:
    r"""Why *value* cannot name a case, an actor, a role or a status; ``None`` if it can.

    An identifier must show what it is: ``ua-1``, ``ua-1 `` and ``ua-\u200b1``
    look alike and must not be three cases. So an identifier is refused when
    it shows nothing, has whitespace at either end, or holds a character that
    shows nothing other than an inner space.

    >>> identifier_problem("ua-1") is None, identifier_problem("unit 41 HQ") is None
    (True, True)
    >>> identifier_problem("ua-1 ")
    'has whitespace at its start or end'
    >>> identifier_problem("ua\u200b-1")
    "holds a character that shows nothing ('\\u200b') at character 3"
    """
    if value.isascii() and value.isprintable() and value[:1] not in ("", " ") and value[-1] != " ":
        return None  # nearly every identifier: two flag reads and two comparisons
    if is_blank(value):
        return "shows nothing"
    if value != value.strip():
        return "has whitespace at its start or end"
    for position, char in enumerate(value):
        if is_unseen(char) and char != " ":
            return f"holds a character that shows nothing ({char!a}) at character {position + 1}"
    return None


def is_valid_unicode(value: str) -> bool:
    r"""Whether *value* can be written as UTF-8: no lone surrogate (a NUL is valid Unicode).

    >>> is_valid_unicode("Іван"), is_valid_unicode("a\x00b"), is_valid_unicode("\udc80")
    (True, True, False)
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storable_problem(value: str) -> str | None:
    r"""Why no store can hold *value*, naming its first lone surrogate or NUL; ``None`` if every store can.

    >>> storable_problem("Іван") is None
    True
    >>> storable_problem("a\x00b")
    'not storable text: a NUL character at character 2 (PostgreSQL cannot hold it)'
    """
    return None if is_storable(value) else unstorable(value)


def unstorable(value: str) -> str:
    """Why *value*, known not to be storable, is refused, naming its first lone surrogate or NUL character."""
    position, char = next(
        (index, char) for index, char in enumerate(value) if char == "\x00" or "\ud800" <= char <= "\udfff"
    )
    if char == "\x00":
        return f"not storable text: a NUL character at character {position + 1} (PostgreSQL cannot hold it)"
    return f"not valid Unicode: a lone surrogate ({char!a}) at character {position + 1}"


def printable(value: str) -> str:
    r"""*value* as a message can show it: characters that are not printable as their escapes.

    A name read from a file may hold a lone surrogate, which no terminal can
    print, or a control character that would act on one.

    >>> printable("efective_at\ud800"), printable("note\x1b[31m"), printable("Іван")
    ('efective_at\\ud800', 'note\\x1b[31m', 'Іван')
    """
    if value.isprintable():
        return value
    return "".join(char if char.isprintable() else _escape(char) for char in value)


def _escape(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


def check_case_id(case_id: object) -> None:
    """Refuse a case id that is not a non-empty string every store can hold."""
    check_identifier(case_id, "case_id", MAX_CASE_ID)


def check_identifier(value: object, what: str, most: int | None = None) -> None:
    """Refuse *value*, named *what*, unless an identifier (see :func:`identifier_problem`).

    It must be a storable string, of at most *most* characters when given.
    """
    if not isinstance(value, str) or not value.strip():
        msg = f"{what} must be a non-empty string, got {value!r}"
        raise ValueError(msg)
    check_storable(value, what)
    problem = identifier_problem(value)
    if problem is not None:
        msg = f"{what} {problem}: {printable(value)!r} would look like another"
        raise ValueError(msg)
    if most is not None and len(value) > most:
        msg = f"{what} is {too_long(value, most)}"
        raise ValueError(msg)


def too_long(value: str, most: int) -> str:
    """Why *value* is refused as longer than *most* characters."""
    return f"{len(value)} characters long; at most {most} are stored"


def check_storable(value: str, what: str) -> None:
    r"""Refuse *value*, a string, with a ``ValueError`` naming *what*, when it cannot be stored.

    >>> check_storable("ICRC Geneva", "source")
    >>> check_storable("ICRC\ud800", "source")
    Traceback (most recent call last):
    ...
    ValueError: source is not valid Unicode: a lone surrogate ('\ud800') at character 5
    """
    if not is_storable(value):
        msg = f"{what} is {unstorable(value)}"
        raise ValueError(msg)


def storable_field(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """An attrs validator: a definition's text must be storable, as a definition is written out."""
    # Not type-checked, as before: mypy holds the type.
    if isinstance(value, str):
        check_storable(value, attribute.name)


def flag_field(_instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    """An attrs validator: a definition's flag is a bool or nothing ("no" would be true)."""
    if not isinstance(value, bool):
        msg = f"{attribute.name} must be True or False, not {value!r}"
        raise TypeError(msg)
