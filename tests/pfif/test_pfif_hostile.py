"""Hostile or broken XML is refused with a clear message, before anything is made of it."""

import pytest

from casestate.pfif import PfifError, from_pfif
from support import day

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"><pfif:person>
 <pfif:person_record_id>evil.example.org/1</pfif:person_record_id>
 <pfif:source_date>2024-01-01T00:00:00Z</pfif:source_date>
 <pfif:full_name>&lol9;</pfif:full_name>
</pfif:person></pfif:pfif>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE pfif [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"><pfif:person>
 <pfif:person_record_id>evil.example.org/2</pfif:person_record_id>
 <pfif:source_date>2024-01-01T00:00:00Z</pfif:source_date>
 <pfif:full_name>&secret;</pfif:full_name>
</pfif:person></pfif:pfif>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE pfif SYSTEM "http://evil.example.org/pfif.dtd">
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"/>
"""

VALID = b"""<?xml version="1.0"?>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"><pfif:person>
 <pfif:person_record_id>ok.example.org/1</pfif:person_record_id>
 <pfif:source_date>2024-01-01T00:00:00Z</pfif:source_date>
 <pfif:full_name>Ivan</pfif:full_name>
 <pfif:note>
  <pfif:note_record_id>ok.example.org/n1</pfif:note_record_id>
  <pfif:author_name>a</pfif:author_name>
  <pfif:source_date>2024-01-02T00:00:00Z</pfif:source_date>
  <pfif:status>believed_dead</pfif:status>
  <pfif:text>t</pfif:text>
 </pfif:note>
</pfif:person></pfif:pfif>
"""


def read(data, **options):
    return from_pfif(data, recorded_at=day(400), **options)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_a_document_type_declaration_is_refused_before_any_entity_is_read(document):
    with pytest.raises(PfifError, match=r"refused: the document has a document type declaration \(DTD\)"):
        read(document)


def test_a_truncated_document_is_refused_with_where_it_broke():
    with pytest.raises(
        PfifError,
        match=r"not well-formed XML \(truncated or damaged\?\): no element found: line 12, column 1",
    ):
        read(VALID[: VALID.index(b"</pfif:note>")])


def test_a_document_in_another_namespace_is_refused():
    other = VALID.replace(b"http://zesty.ca/pfif/1.4", b"http://www.w3.org/2005/Atom")
    with pytest.raises(PfifError, match=r"not PFIF: the root element is \{http://www.w3.org/2005/Atom\}pfif"):
        read(other)


def test_pfif_1_1_is_refused_as_it_has_no_note_status():
    with pytest.raises(PfifError, match=r"^PFIF 1.1 is not supported: its notes have no status"):
        read(VALID.replace(b"pfif/1.4", b"pfif/1.1"))


def test_a_foreign_element_at_the_top_is_refused():
    other = VALID.replace(
        b"</pfif:pfif>", b'<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"/></pfif:pfif>'
    )
    with pytest.raises(PfifError, match="element 2 of the root is"):
        read(other)


def test_an_oversized_document_is_refused_before_parsing():
    with pytest.raises(PfifError, match=r"refused: the document has \d+ bytes, more than the limit of 100"):
        read(VALID, max_bytes=100)
    assert len(read(VALID).cases) == 1


@pytest.mark.parametrize("document", [b"", b"   \n", "not xml at all"])
def test_empty_or_plain_text_is_refused(document):
    with pytest.raises(PfifError, match=r"empty|not well-formed"):
        read(document)


def test_text_is_read_as_well_as_bytes():
    # Each import draws fresh salts, so compare what the trails say, not their hashes.
    (from_text,), (from_bytes,) = read(VALID.decode()).cases, read(VALID).cases
    assert [(e.kind, e.to_status, e.effective_at) for e in from_text.trail] == [
        (e.kind, e.to_status, e.effective_at) for e in from_bytes.trail
    ]


def test_the_error_names_the_module_an_app_imports_it_from():
    assert PfifError.__module__ == "casestate.pfif"


@pytest.mark.parametrize(
    ("declared", "says"),
    [
        ("x-foo", "not PFIF: its declared encoding cannot be read: unknown encoding: x-foo"),
        ("utf-7", "not PFIF: its declared encoding cannot be read: multi-byte encodings are not supported"),
    ],
)
def test_an_encoding_the_parser_cannot_read_is_refused(declared, says):
    document = VALID.replace(
        b'<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{declared}"?>'.encode()
    )
    with pytest.raises(PfifError, match=says):
        read(document)


def test_text_is_read_as_text_whatever_encoding_it_declares():
    text = VALID.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="ISO-8859-1"?>')
    [imported] = read(text.replace("<pfif:full_name>Ivan<", "<pfif:full_name>Іван Петрович<")).imported
    assert imported.person.full_name == "Іван Петрович"
    with pytest.raises(PfifError, match="not valid Unicode: a lone surrogate"):
        read(text.replace("Ivan", "Iv\ud800an"))


def test_a_person_whose_id_is_too_long_for_a_case_id_is_skipped_and_the_others_taken():
    head, rest = VALID.split(b"<pfif:person>", 1)
    person = b"<pfif:person>" + rest.rsplit(b"</pfif:pfif>", 1)[0]
    long_id = b"ok.example.org/" + b"x" * 500
    second = person.replace(b"ok.example.org/1", long_id).replace(b"ok.example.org/n1", b"ok.example.org/n2")
    report = read(head + person + second + b"</pfif:pfif>")
    assert [item.case.id for item in report.imported] == ["ok.example.org/1"]
    assert any("case_id is 515 characters long" in item.reason for item in report.skipped)


@pytest.mark.parametrize(
    ("options", "says"),
    [({"key": b"short"}, "at least 16 bytes"), ({"role": ""}, "actor role must be a non-empty string")],
)
def test_the_callers_own_role_and_key_are_checked_before_any_person(options, says):
    with pytest.raises(ValueError, match=says):
        read(VALID, **options)
