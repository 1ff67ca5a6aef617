"""Keep casestate's message catalogs in step with the code, with Babel: extract, update, compile, check.

    .venv/bin/python tools/catalogs.py            # extract, update and compile: after changing any text
    .venv/bin/python tools/catalogs.py --check    # exit 1, each fault listed, unless all is in step

The code marks its words for people with ``said`` (a message template),
``labelled`` (a label, in the context of its vocabulary) and ``counted`` (a
text with a number, in its singular and plural forms), from
``casestate._words``; the command line marks its headings with ``said`` and
``counted`` of its own, and says them with ``say(...)``. This extracts them into the template
``src/casestate/locale/casestate.pot``, merges the template into each
language's ``.po`` (new messages come in untranslated, translations and their
comments are kept), and compiles each ``.po`` into the ``.mo`` the package
reads at run time. The ``.mo`` files are committed: a checkout, an editable
install and an sdist read them without Babel, and ``--check`` (a test runs
it) fails while any is out of step with its ``.po``.

``--check`` changes nothing. It fails when the template does not hold what
the code says, when a ``.po`` lacks a message of the template or keeps one the
code no longer says, when a message has no translation (or a fuzzy one),
when a translation names a placeholder its English does not, and when a
``.mo`` does not hold what its ``.po`` says.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "casestate"
LOCALE = PACKAGE / "locale"
DOMAIN = "casestate"
LANGUAGES = ("ru", "uk")
"""The languages with a catalog; English is the code's own."""
KEYWORDS = {"said": None, "labelled": ((1, "c"), 2), "counted": (1, 2), "say": None}
"""The markers of ``casestate._words`` and of the command line (which says its headings with ``say``),
as Babel's keyword specifications."""
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_HEADER = """\
# The words casestate shows people, in {language}.
# This file is distributed under the same licence as casestate (MIT).
# Where a term is the law's or the ICRC's, its entry says where it comes from.
#"""
_VOLATILE = ("POT-Creation-Date", "PO-Revision-Date")
"""Header fields that change on every run: a file whose messages are unchanged is not rewritten for them."""


def template_path() -> Path:
    """Where the extracted template is kept."""
    return LOCALE / f"{DOMAIN}.pot"


def po_path(language: str) -> Path:
    """Where the translations of *language* are kept."""
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    """Where the compiled catalog of *language* is kept: what the package reads."""
    return po_path(language).with_suffix(".mo")


def extract() -> Catalog:
    """Every marked text of the package, as a template catalog."""
    template = Catalog(
        project="casestate",
        domain=DOMAIN,
        header_comment=_HEADER.format(language="English: the template of the other languages"),
        msgid_bugs_address="the casestate developers (see CONTRIBUTING.md)",
        copyright_holder="the casestate developers",
        last_translator="the casestate developers",
        language_team="the casestate developers",
    )
    for filename, line, text, comments, context in extract_from_dir(
        PACKAGE, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        location = f"src/casestate/{Path(filename).as_posix()}"
        template.add(text, locations=[(location, line)], auto_comments=comments, context=context)
    return template


def _bytes(catalog: Catalog) -> bytes:
    stream = io.BytesIO()
    write_po(stream, catalog, width=100, include_lineno=False, sort_output=True)
    return stream.getvalue()


def _steady(data: bytes) -> bytes:
    return b"\n".join(
        line for line in data.split(b"\n") if not any(line.startswith(f'"{f}:'.encode()) for f in _VOLATILE)
    )


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and _steady(path.read_bytes()) == _steady(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _read_po(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=language, domain=DOMAIN)


def translations(language: str) -> Catalog:
    """The translations of *language*, as its ``.po`` holds them."""
    return _read_po(po_path(language), language)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _new_catalog(language: str) -> Catalog:
    name = {"ru": "Russian", "uk": "Ukrainian"}.get(language, language)
    return Catalog(
        locale=language,
        domain=DOMAIN,
        project="casestate",
        header_comment=_HEADER.format(language=name),
        msgid_bugs_address="the casestate developers (see CONTRIBUTING.md)",
        copyright_holder="the casestate developers",
        last_translator="the casestate developers",
        language_team=f"{name}, the casestate developers",
        fuzzy=False,  # the header holds the plural forms, which a fuzzy header would leave out of the .mo
    )


def update() -> list[str]:
    """Extract, merge into every language's ``.po`` and compile; the files rewritten."""
    written = []
    template = extract()
    if _write_if_changed(template_path(), _bytes(template)):
        written.append(template_path())
    for language in LANGUAGES:
        path = po_path(language)
        catalog = _read_po(path, language) if path.exists() else _new_catalog(language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # a message the code no longer says has no place in the catalog
        if _write_if_changed(path, _bytes(catalog)):
            written.append(path)
        stream = io.BytesIO()
        write_mo(stream, _read_po(path, language), use_fuzzy=False)
        if _write_if_changed(mo_path(language), stream.getvalue()):
            written.append(mo_path(language))
    return [_shown(path) for path in written]


def _key(message: Message) -> tuple[str | None, str]:
    text = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, text


def _messages(catalog: Catalog) -> dict[tuple[str | None, str], Message]:
    return {_key(message): message for message in catalog if message.id}


def _said(key: tuple[str | None, str]) -> str:
    context, text = key
    return repr(text) if context is None else f"{text!r} ({context})"


def placeholders(text: str) -> set[str]:
    """The ``{placeholders}`` of a message template."""
    return set(_PLACEHOLDER.findall(text))


def _translation_faults(language: str, message: Message) -> Iterator[str]:
    where = f"{_shown(po_path(language))}: {_said(_key(message))}"
    translations = [message.string] if isinstance(message.string, str) else list(message.string)
    if message.fuzzy or not all(translations):
        yield f"{where} has no translation" + (" (a fuzzy one only)" if message.fuzzy else "")
        return
    english = message.id if isinstance(message.id, str) else "".join(message.id)
    for translation in translations:
        extra = placeholders(translation) - placeholders(english)
        if extra:
            yield f"{where}: the translation names placeholders its English has not: {sorted(extra)}"


def check() -> list[str]:
    """Every way the catalogs are out of step with the code or with each other."""
    faults = []
    code = _messages(extract())
    if not template_path().exists():
        return [f"{_shown(template_path())} is missing: run tools/catalogs.py"]
    kept = _messages(_read_po(template_path()))
    faults += [f"the template lacks {_said(key)}: run tools/catalogs.py" for key in code.keys() - kept.keys()]
    faults += [
        f"the template keeps {_said(key)}, which the code no longer says" for key in kept.keys() - code.keys()
    ]
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            faults.append(f"{_shown(path)} is missing: run tools/catalogs.py")
            continue
        catalog = _read_po(path, language)
        translated = _messages(catalog)
        faults += [f"{_shown(path)} lacks {_said(key)}" for key in code.keys() - translated.keys()]
        faults += [f"{_shown(path)} keeps {_said(key)}, unused" for key in translated.keys() - code.keys()]
        for key in code.keys() & translated.keys():
            faults += _translation_faults(language, translated[key])
        faults += _compiled_faults(language, catalog)
    return faults


def _strings(message: Message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def _compiled_faults(language: str, catalog: Catalog) -> list[str]:
    path = mo_path(language)
    if not path.exists():
        return [f"{_shown(path)} is missing: run tools/catalogs.py"]
    with path.open("rb") as stream:
        compiled = read_mo(stream)
    wanted = {(key, _strings(message)) for key, message in _messages(catalog).items() if not message.fuzzy}
    held = {(key, _strings(message)) for key, message in _messages(compiled).items()}
    if wanted != held or catalog.plural_forms != compiled.plural_forms:
        return [f"{_shown(path)} does not hold what its .po says: run tools/catalogs.py"]
    return []


def main(arguments: list[str] | None = None) -> int:
    """Update the catalogs, or check them with ``--check``."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; fail if anything is out of step"
    )
    if parser.parse_args(arguments).check:
        faults = check()
        if faults:
            print(f"the catalogs are out of step ({len(faults)}):", file=sys.stderr)
            for fault in faults:
                print(f"  - {fault}", file=sys.stderr)
            return 1
        print("the catalogs hold every message the code says, each translated, and compiled")
        return 0
    written = update()
    print("\n".join(f"wrote {path}" for path in written) or "the catalogs were up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
