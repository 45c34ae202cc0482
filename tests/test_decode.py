"""Page bytes → text: BOMs, declared charsets, undeclared windows-1252, lying headers, NFC."""

from __future__ import annotations

import unicodedata

import pytest

from archive.decode import charset_name, declared_charset, decode_bytes

TEXT = "L’été à Noël : « 5 € » pour un cœur"


def test_utf8_without_declaration_is_read_as_utf8():
    assert decode_bytes(TEXT.encode("utf-8")) == (TEXT, "utf-8")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_a_bom_decides_and_is_dropped(encoding):
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    text, _ = decode_bytes(data)
    assert text == TEXT


def test_iso_8859_1_declared_only_by_meta_charset_is_read():
    page = "<meta charset='iso-8859-1'><p>Crème brûlée à l'été</p>"
    text, used = decode_bytes(page.encode("latin-1"))
    assert "Crème brûlée à l'été" in text
    assert used == "cp1252"  # browsers read Latin-1 labels as windows-1252


def test_windows_1252_without_declaration_keeps_curly_quotes_oe_and_euro():
    text, used = decode_bytes(f"<p>{TEXT}</p>".encode("cp1252"))
    assert TEXT in text
    assert used == "cp1252"


def test_http_equiv_content_type_is_a_declaration():
    page = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    assert declared_charset(page) == "cp1252"


def test_a_header_that_disagrees_with_utf8_content_loses():
    text, used = decode_bytes(f"<p>{TEXT}</p>".encode(), "ISO-8859-1")
    assert TEXT in text and used == "utf-8"


def test_a_utf8_header_on_cp1252_bytes_falls_back_to_cp1252():
    text, _ = decode_bytes(f"<p>{TEXT}</p>".encode("cp1252"), "utf-8")
    assert TEXT in text


def test_a_latin1_header_on_cp1252_bytes_reads_the_curly_quote():
    text, _ = decode_bytes("l’eau".encode("cp1252"), "iso-8859-1")
    assert text == "l’eau"


def test_text_comes_out_in_nfc():
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decode_bytes(decomposed.encode("utf-8"))[0] == TEXT


def test_unknown_labels_are_ignored():
    assert charset_name("x-no-such-charset") is None
    assert decode_bytes(b"<meta charset='klingon'><p>caf\xc3\xa9</p>")[0].endswith("café</p>")


def test_any_bytes_decode():
    text, _ = decode_bytes(bytes(range(256)))
    assert isinstance(text, str) and "\ufffd" not in text


def test_mostly_utf8_with_a_few_latin1_bytes_is_read_per_the_majority():
    data = f"<p>{TEXT}</p>".encode() + "<p>Un café crème.</p>".encode("latin-1")
    text, used = decode_bytes(data)
    assert TEXT in text and "Un café crème." in text and used == "utf-8"


def test_a_latin1_header_does_not_turn_mostly_utf8_bytes_into_mojibake():
    data = "Réception à l’Élysée".encode() + b" caf\xe9"
    assert decode_bytes(data, "iso-8859-1")[0] == "Réception à l’Élysée café"


def test_cp1252_text_with_one_utf8_character_stays_cp1252():
    data = "Crème brûlée à l’été, où ".encode("cp1252") + "é".encode()
    assert decode_bytes(data)[0].startswith("Crème brûlée à l’été")


def test_a_declared_multibyte_charset_is_kept_when_its_bytes_decode():
    assert decode_bytes("東京の天気".encode("shift_jis"), "shift_jis") == ("東京の天気", "shift_jis")


def test_random_bytes_do_not_look_like_text_and_pages_do():
    import random

    from archive.decode import looks_like_text

    noise = random.Random(7).randbytes(4096)
    assert not looks_like_text(noise)
    assert not looks_like_text(random.Random(8).randbytes(2_000_000))  # judged on samples
    assert looks_like_text(f"<p>{TEXT}</p>".encode("cp1252") * 100)
    assert looks_like_text(TEXT.encode("utf-16"))


def test_command_line_bytes_the_locale_could_not_decode_are_repaired():
    import os

    from archive.decode import repaired_text

    assert repaired_text(os.fsdecode("été".encode())) == "été"
    assert repaired_text(os.fsdecode("été".encode("latin-1"))) == "été"
    assert repaired_text("déjà propre") == "déjà propre"
