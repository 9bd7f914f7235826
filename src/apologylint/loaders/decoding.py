"""Charset and transfer-encoding decoding that remembers where every character came from.

An .eml body is quoted-printable or base64 text in some charset; a diagnostic about a word
in it must still point at the line and column of the file the user opens. The functions
here decode in two steps, each carrying an origin array:

1. transfer decoding (:func:`decode_transfer`): encoded ``str`` slice of the source →
   bytes, with the source offset of every byte;
2. charset decoding (:func:`decode_with_map`): bytes → text, with the origin of every
   character (the origin of its first byte).

Nothing here raises on malformed input: bad bytes become U+FFFD, bad escapes stay literal.
"""

from __future__ import annotations

import binascii
import codecs
import email.policy
import email.utils
import functools
import re
import sys
from array import array
from collections.abc import Sequence
from email import headerregistry
from itertools import compress
from typing import Any, NamedTuple

from ..model import Address, Span

__all__ = [
    "DecodedBody",
    "choose_codec",
    "decode_body",
    "decode_bytes_to_text",
    "decode_header_value",
    "decode_transfer",
    "decode_with_map",
    "decode_words",
    "kept_offsets",
    "normalize_charset",
    "offsets",
    "parse_addresses",
    "sniff_html_charset",
]

#: Labels seen in mail that Python's codec registry does not know, or knows differently.
_ALIASES = {
    "utf8mb4": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "unicode-1-1-utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "iso-8859-8-i": "iso8859-8",
    "iso-8859-6-i": "iso8859-6",
    "x-sjis": "shift_jis",
    "x-mac-roman": "mac-roman",
    "x-mac-ce": "mac-latin2",
    "x-mac-cyrillic": "mac-cyrillic",
    "windows-874": "cp874",
    "x-cp1250": "cp1250",
    "x-cp1251": "cp1251",
    "x-cp1252": "cp1252",
    "ks_c_5601-1987": "cp949",
    "x-euc-jp": "euc_jp",
    "x-gbk": "gbk",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-user-defined": "latin-1",
    "ansi_x3.4-1968": "ascii",
}

#: Labels mail clients read as windows-1252 (WHATWG encoding standard).
_CP1252_LABELS = frozenset({"iso8859-1", "ascii"})


def normalize_charset(label: str | None) -> str | None:
    """Python codec name for a MIME/HTML charset label, or None when unknown."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").strip().lower()
    if not cleaned:
        return None
    cleaned = _ALIASES.get(cleaned, cleaned)
    try:
        info = codecs.lookup(cleaned)
    except (LookupError, ValueError, TypeError):  # unknown, or a NUL in the label
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_DOCUMENT_CODECS:
        return None  # read as an unknown charset: decoded with a warning, never refused
    return info.name


#: Python codecs that are not charsets of documents: domain-name codings (punycode is
#: also quadratic in its input), escapes of Python literals, and one that always fails.
_NOT_DOCUMENT_CODECS = frozenset({
    "punycode", "idna", "undefined", "unicode-escape", "raw-unicode-escape",
    "unicode_escape", "raw_unicode_escape", "mbcs", "oem", "palmos",
})


@functools.lru_cache(maxsize=64)
def _is_single_byte(codec: str) -> bool:
    """Whether every byte decodes to exactly one character (so origins map 1:1)."""
    if codec in ("utf-8", "utf-8-sig") or codec.startswith(("utf-16", "utf-32", "utf-7")):
        return False
    try:
        info = codecs.lookup(codec)
        if not getattr(info, "_is_text_encoding", True):
            return False
        return len(codecs.decode(bytes(range(256)), codec, "replace")) == 256
    except (LookupError, ValueError, TypeError):
        return False


def _strict_ok(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


#: What Polish text in a legacy charset holds beyond ASCII: its letters and typography.
_POLISH_CHARS = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„”“’‘–—…«»°§\u00a0")
_POLISH_LETTERS = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def _polish_codec(data: bytes) -> str | None:
    """Windows-1250 or ISO-8859-2 if exactly that reading makes the bytes Polish text:
    every non-ASCII character a Polish letter or a typographic mark, and some letters.
    (The general detector ties ISO-8859-2 Polish with ISO-8859-10 and garbles ł, ś.)"""
    for codec in ("cp1250", "iso8859-2"):
        try:
            text = data[:200_000].decode(codec)
        except UnicodeDecodeError:
            continue
        extra = {c for c in text if not c.isascii()}
        if extra <= _POLISH_CHARS and extra & _POLISH_LETTERS:
            return codec
    return None


def _guess(data: bytes) -> str:
    """Best guess for undeclared or wrongly declared bytes that are not UTF-8."""
    polish = _polish_codec(data)
    if polish is not None:
        return polish
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            codec = normalize_charset(best.encoding)
            if codec is not None:
                return codec
    except Exception:  # a detector failure must not stop loading
        pass
    return "cp1252" if _strict_ok(data, "cp1252") else "latin-1"


def choose_codec(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """The codec to decode ``data`` with, and a warning when the label could not be used.

    Order: byte-order mark; the declared label if Python knows it and the bytes decode
    under it (iso-8859-1/us-ascii read as windows-1252, as mail clients do); else UTF-8;
    else charset-normalizer's guess; else windows-1252/latin-1.
    """
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return bom_codec, None
    codec = normalize_charset(declared)
    if codec is not None:
        if codec in _CP1252_LABELS:
            if data.isascii():
                return "ascii", None
            if _strict_ok(data, "cp1252"):
                return "cp1252", None
            if codec == "iso8859-1":
                return "latin-1", None
        elif _strict_ok(data, codec):
            return codec, None
    if data.isascii():
        return "ascii", None
    if _strict_ok(data, "utf-8"):
        if declared and codec is None:
            return "utf-8", f"unknown charset {declared.strip()!r}; decoded as UTF-8"
        if declared:
            return "utf-8", f"bytes do not match charset {declared.strip()!r}; decoded as UTF-8"
        return "utf-8", None
    guess = _guess(data)
    if declared and codec is None:
        why = f"unknown charset {declared.strip()!r}"
    elif declared:
        why = f"bytes do not match charset {declared.strip()!r}"
    else:
        why = "no charset declared and the bytes are not UTF-8"
    return guess, f"{why}; decoded as {guess}"


def decode_bytes_to_text(data: bytes, declared_charset: str | None) -> tuple[str, str | None]:
    """Decode with fallbacks (see :func:`choose_codec`); never raises on bad bytes."""
    codec, warning = choose_codec(data, declared_charset)
    return data.decode(codec, "replace"), warning


_META_CHARSET = re.compile(
    rb"<meta[^>]{0,200}?charset\s{0,5}=\s{0,5}[\"']?\s{0,5}([A-Za-z0-9_.:\-]{1,40})",
    re.IGNORECASE,
)


def sniff_html_charset(data: bytes) -> str | None:
    """Charset from ``<meta charset>`` / ``http-equiv`` in the first 4 KB of HTML bytes."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


# -- origin arrays built with bytes operations ------------------------------------------

_ITEMSIZE = array("l").itemsize
_BYTE_VALUES = bytes(range(256))
_ONE_BYTE = tuple(bytes([b]) for b in range(256))
#: 1 for a 0 byte of a mask (a dropped position), 0 for a kept one.
_DROPPED = b"\x01" + bytes(255)


#: Positions woven at a time by :func:`kept_offsets` (its scratch memory is ~12 bytes a
#: position; the result grows block by block).
_OFFSETS_BLOCK = 1 << 20


def kept_offsets(mask: bytes, start: int) -> array[int]:
    """``array("l", compress(range(start, start + len(mask)), mask))`` for a mask of 0/1
    bytes, without one int object per position (measured: 105 ms -> 15 ms for the
    3.3 million characters of the bench corpus' quoted-printable bodies).

    Each byte of the offsets is built on its own, then woven into machine words: the low
    bytes of the kept offsets as UTF-16 code units (low byte, 1 if dropped) that latin-1
    encoding with ``errors="ignore"`` turns back into bytes, keeping exactly the code
    units below 256; a higher byte k is constant over each block of 256**k offsets, so it
    is that value repeated as often as the block keeps a position.
    """
    end = start + len(mask)
    if start < 0 or (end - 1).bit_length() >= 8 * _ITEMSIZE - 1:
        return array("l", compress(range(start, end), mask))
    result: array[int] = array("l")
    for lo in range(0, len(mask), _OFFSETS_BLOCK):
        result.frombytes(_offset_words(mask[lo : lo + _OFFSETS_BLOCK], start + lo))
    return result


def _offset_words(mask: bytes, start: int) -> bytearray:
    """The machine words of :func:`kept_offsets` for one block."""
    n = len(mask)
    end = start + n
    shift = start & 0xFF
    low = (_BYTE_VALUES * ((n + shift) // 256 + 1))[shift : shift + n]
    if 0 in mask:
        units = bytearray(2 * n)
        units[0::2] = low
        units[1::2] = mask.translate(_DROPPED)
        low = units.decode("utf-16-le").encode("latin-1", "ignore")
    words = bytearray(_ITEMSIZE * len(low))
    little = sys.byteorder == "little"
    words[0 if little else _ITEMSIZE - 1 :: _ITEMSIZE] = low
    k = 1
    while (end - 1) >> (8 * k):
        size = 1 << (8 * k)
        pieces = []
        for block in range(start >> (8 * k), ((end - 1) >> (8 * k)) + 1):
            lo = max(block * size, start) - start
            hi = min((block + 1) * size, end) - start
            pieces.append(_ONE_BYTE[block & 0xFF] * mask.count(1, lo, hi))
        words[k if little else _ITEMSIZE - 1 - k :: _ITEMSIZE] = b"".join(pieces)
        k += 1
    return words


def offsets(start: int, count: int) -> array[int]:
    """``array("l", range(start, start + count))``, at the speed of :func:`kept_offsets`."""
    return kept_offsets(b"\x01" * count, start)


# -- transfer decoding -------------------------------------------------------------------


def _encode_chars(chunk: str, start: int, out: bytearray, origins: array[int]) -> None:
    """Append the bytes of a source slice (surrogateescape) with their char offsets."""
    if chunk.isascii():
        out += chunk.encode("ascii")
        origins.extend(range(start, start + len(chunk)))
        return
    for k, c in enumerate(chunk):
        b = c.encode("utf-8", "surrogateescape")
        out += b
        origins.extend((start + k,) * len(b))


#: A quoted-printable escape: ``=XY``, or a soft line break (``=``, blanks, end of line).
#: No nested quantifier: a failed match costs the length of one blank run.
_QP_ESCAPE = re.compile(r"=(?:([0-9A-Fa-f]{2})|[ \t]*(?:\r\n|\n|\r|\Z))")
#: An ``=`` that is neither ``=XY`` nor a bare soft break (``=`` then LF, CRLF or the
#: end): the only places where ``binascii.a2b_qp`` reads a body differently from us.
_QP_IRREGULAR = re.compile(r"=(?![0-9A-Fa-f]{2}|\r?\n|\Z)")
_QP_ESCAPE_BYTES = re.compile(rb"=[0-9A-Fa-f]{2}")
#: ``=XY`` of a byte 0x80-0xBF: a UTF-8 continuation byte, which starts no character.
_QP_CONTINUATION = re.compile(rb"=[89ABab][0-9A-Fa-f]")
#: Mask bytes of :func:`_qp_mask`: the markers 0x80 (drop) and 0x81 (keep) cannot be
#: in an ASCII body; the translation makes every other byte a 1 (a literal, kept).
_QP_MARKS = bytes(0 if b == 0x80 else 1 for b in range(256))


def _qp_regular(encoded: str) -> bool:
    """An ASCII body whose every ``=`` is ``=XY`` or a bare soft break: ``a2b_qp`` decodes
    it exactly as :func:`_decode_qp_slow` does (a property test compares them)."""
    return encoded.isascii() and _QP_IRREGULAR.search(encoded) is None


#: Bytes of a body masked at a time: ``re.sub`` keeps a list entry per match until it
#: joins them (~50 bytes an escape), so a 20 MB body in one piece held 350 MB more.
_QP_MASK_CHUNK = 1 << 18


def _qp_mask(raw: bytes, lead_only: bool) -> bytes:
    """For a regular body (see :func:`_qp_regular`): 1 for each encoded byte that gives a
    decoded byte (a literal, or the ``=`` of ``=XY``), 0 for hex digits and soft breaks;
    with ``lead_only``, 0 also for the escapes of UTF-8 continuation bytes, so that the
    ones mark where the characters of UTF-8 text start. A few C-level passes instead of
    Python work per escape (most lines of an HTML part hold several), over pieces that end
    with a line (no escape or soft break spans two)."""
    pieces: list[bytes] = []
    pos = 0
    while pos < len(raw):
        cut = raw.find(b"\n", pos + _QP_MASK_CHUNK)
        end = len(raw) if cut == -1 else cut + 1
        m = raw[pos:end]
        if lead_only:
            m = _QP_CONTINUATION.sub(b"\x80\x80\x80", m)
        m = _QP_ESCAPE_BYTES.sub(b"\x81\x80\x80", m)
        m = m.replace(b"=\r\n", b"\x80\x80\x80").replace(b"=\n", b"\x80\x80")
        if m.endswith(b"="):  # only the last piece can: the others end with a line break
            m = m[:-1] + b"\x80"
        pieces.append(m.translate(_QP_MARKS))
        pos = end
    return b"".join(pieces)


def _decode_qp(encoded: str, start: int) -> tuple[bytes, array[int]]:
    """Quoted-printable bytes with the source offset of each.

    Regular bodies (all that mail software writes) are decoded by ``binascii.a2b_qp``
    with origins from :func:`_qp_mask` (measured on the bench corpus: 234 ms -> 40 ms for
    308 bodies); other ASCII bodies take a keep-mask with Python work per escape, and
    non-ASCII ones :func:`_decode_qp_slow`."""
    if not encoded.isascii():
        return _decode_qp_slow(encoded, start)
    if _qp_regular(encoded):
        raw = encoded.encode("ascii")
        return binascii.a2b_qp(raw), kept_offsets(_qp_mask(raw, lead_only=False), start)
    data = bytearray(encoded, "ascii")
    keep = bytearray(b"\x01") * len(encoded)
    for m in _QP_ESCAPE.finditer(encoded):
        i, j = m.span()
        hex_digits = m.group(1)
        if hex_digits is not None:
            data[i] = int(hex_digits, 16)
            keep[i + 1 : j] = b"\x00\x00"
        else:
            keep[i:j] = bytes(j - i)
    out = bytes(compress(data, keep))
    return out, kept_offsets(bytes(keep), start)


def _decode_qp_slow(encoded: str, start: int) -> tuple[bytes, array[int]]:
    out = bytearray()
    origins: array[int] = array("l")
    n = len(encoded)
    i = 0
    find = encoded.find
    while i < n:
        j = find("=", i)
        if j == -1:
            _encode_chars(encoded[i:], start + i, out, origins)
            break
        if j > i:
            _encode_chars(encoded[i:j], start + i, out, origins)
        h = encoded[j + 1 : j + 3]
        if (
            len(h) == 2
            and h.isascii()
            and h[0] in "0123456789abcdefABCDEF"
            and (h[1] in "0123456789abcdefABCDEF")
        ):
            out.append(int(h, 16))
            origins.append(start + j)
            i = j + 3
            continue
        # soft line break: "=" optional trailing blanks, then CRLF or LF (or end)
        k = j + 1
        while k < n and encoded[k] in " \t":
            k += 1
        if k >= n:
            i = n
        elif encoded[k] == "\n":
            i = k + 1
        elif encoded[k] == "\r" and encoded[k + 1 : k + 2] == "\n":
            i = k + 2
        elif encoded[k] == "\r":
            i = k + 1
        else:  # malformed escape: keep "=" literally
            out.append(0x3D)
            origins.append(start + j)
            i = j + 1
    return bytes(out), origins


_B64_JUNK = re.compile(r"[^A-Za-z0-9+/]+")


def _decode_b64(encoded: str) -> bytes:
    """Decode what can be decoded; stop at the first padding, ignore garbage."""
    pad = encoded.find("=")
    if pad != -1:
        encoded = encoded[:pad]
    clean = _B64_JUNK.sub("", encoded)
    rest = len(clean) % 4
    if rest == 1:
        clean = clean[:-1]
    elif rest:
        clean += "=" * (4 - rest)
    try:
        return binascii.a2b_base64(clean.encode("ascii"))
    except (binascii.Error, ValueError):
        return b""


def decode_transfer(
    encoded: str, start: int, cte: str | None, header_offset: int
) -> tuple[bytes, array[int], str | None]:
    """Transfer-decode a body as it stands in the source, keeping byte origins.

    ``encoded`` is the slice of :attr:`Source.text` holding the part body, ``start`` its
    offset. Quoted-printable, 7bit and 8bit map every byte to where it stands; base64 maps
    every byte to ``header_offset`` (the part's header line). Returns bytes, origins and a
    warning for an unknown transfer encoding (treated as 8bit).
    """
    kind = (cte or "").strip().strip("\"'").lower()
    if kind == "quoted-printable":
        data, origins = _decode_qp(encoded, start)
        return data, origins, None
    if kind == "base64":
        data = _decode_b64(encoded)
        return data, array("l", [header_offset]) * len(data), None
    out = bytearray()
    origins = array("l")
    _encode_chars(encoded, start, out, origins)
    warning = None
    if kind not in ("", "7bit", "8bit", "binary"):
        warning = f"unknown Content-Transfer-Encoding {cte!r}; read as 8bit"
    return bytes(out), origins, warning


# -- charset decoding with origins -------------------------------------------------------

#: 1 for bytes that start a UTF-8 character (or are ASCII), 0 for continuation bytes.
_UTF8_LEAD = bytes(0 if 0x80 <= b <= 0xBF else 1 for b in range(256))
_SURROGATES = re.compile("[\udc80-\udcff]")


def _utf8_len(c: str) -> int:
    o = ord(c)
    if o < 0x80 or 0xDC80 <= o <= 0xDCFF:
        return 1
    if o < 0x800:
        return 2
    if o < 0x10000:
        return 3
    return 4


#: Codecs whose ASCII bytes are not ASCII text.
_WIDE_CODECS = frozenset(
    {"utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-7"}
)


def _plain_text(data: bytes, codec: str) -> tuple[str, bool] | None:
    """``data`` decoded when each character's origin is that of one byte: ``(text, True)``
    for one character per byte (ASCII, single-byte charsets), ``(text, False)`` for valid
    UTF-8 (a character per lead byte); None for everything else (BOMs, invalid UTF-8,
    multi-byte charsets), which :func:`decode_with_map` decodes step by step."""
    if data.isascii() and codec not in _WIDE_CODECS:
        return data.decode("ascii"), True
    if codec == "utf-8":
        try:  # strict: the same text as with surrogateescape when the bytes are valid
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            return None
    if _is_single_byte(codec):
        text = data.decode(codec, "replace")
        if len(text) == len(data):
            return text, True
    return None


def decode_with_map(
    data: bytes, byte_origins: Sequence[int], charset: str | None
) -> tuple[str, array[int]]:
    """Decode bytes to text; ``char_origins[i]`` is the origin of character ``i``'s first byte.

    ``charset`` is a codec or label (unknown labels fall back like :func:`choose_codec`).
    Fast paths: ASCII and single-byte charsets map 1:1, UTF-8 through its lead bytes;
    other charsets go through an incremental decoder byte by byte.
    """
    origins_in = byte_origins if isinstance(byte_origins, array) else array("l", byte_origins)
    if len(origins_in) != len(data):
        raise ValueError("decode_with_map: one origin per byte is required")
    codec = normalize_charset(charset)
    if codec is None:
        codec, _ = choose_codec(data, charset)
    plain = _plain_text(data, codec)
    if plain is not None:
        text, per_byte = plain
        if per_byte:
            return text, array("l", origins_in)
        # the origin of each character is that of its lead byte
        return text, array("l", compress(origins_in, data.translate(_UTF8_LEAD)))
    if codec in ("utf-8", "utf-8-sig"):
        skip = 3 if codec == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0
        body = data[skip:] if skip else data
        text = body.decode("utf-8", "surrogateescape")
        if skip:
            origins_in = origins_in[skip:]
        if _SURROGATES.search(text) is None:
            return text, array("l", compress(origins_in, body.translate(_UTF8_LEAD)))
        out: array[int] = array("l")
        i = 0
        for c in text:
            out.append(origins_in[i])
            i += _utf8_len(c)
        return _SURROGATES.sub("\ufffd", text), out
    return _decode_incremental(data, origins_in, codec)


class DecodedBody(NamedTuple):
    """A part body decoded: text, the source offset of each character, the size in bytes
    after transfer decoding, and what was recovered from (unknown labels ...)."""

    text: str
    origins: array[int]
    size: int
    warnings: list[str]


def decode_body(
    encoded: str,
    start: int,
    cte: str | None,
    header_offset: int,
    charset: str | None,
    *,
    sniff_html: bool = False,
    located: bool = True,
) -> DecodedBody:
    """:func:`decode_transfer` then :func:`decode_with_map` in one step, with the same
    text and origins (a property test compares them).

    ``charset`` is the part's label; with ``sniff_html`` a missing label is looked for in
    the HTML (``<meta charset>``). ``located=False``: the body is not written verbatim in
    the source, so every character points at ``header_offset``. Where the charset allows
    (ASCII, UTF-8, single-byte), character origins come straight from a mask over the
    encoded body, with no array of byte origins in between (measured: the 343 parts of
    the bench corpus, 0.32 s -> 0.05 s).
    """
    kind = (cte or "").strip().strip("\"'").lower()
    warnings: list[str] = []
    raw = b""
    byte_origins: array[int] | None = None
    if kind == "base64":
        how, data = "constant", _decode_b64(encoded)
    elif kind == "quoted-printable" and located and _qp_regular(encoded):
        how, raw = "qp", encoded.encode("ascii")
        data = binascii.a2b_qp(raw)
    elif kind != "quoted-printable" and located:
        how, data = "chars", encoded.encode("utf-8", "surrogateescape")
        if kind not in ("", "7bit", "8bit", "binary"):
            warnings.append(f"unknown Content-Transfer-Encoding {cte!r}; read as 8bit")
    else:
        data, byte_origins, warn = decode_transfer(encoded, start, cte, header_offset)
        if warn:
            warnings.append(warn)
        how = "general" if located else "constant"
    if sniff_html and charset is None:
        charset = sniff_html_charset(data)
    codec, warn = choose_codec(data, charset)
    if warn:
        warnings.append(warn)
    known = normalize_charset(codec)  # as decode_with_map reads it
    plain = _plain_text(data, known) if how != "general" and known is not None else None
    if plain is not None:
        text, per_byte = plain
        if how == "constant":
            return DecodedBody(text, array("l", [header_offset]) * len(text), len(data), warnings)
        if how == "qp":
            origins = kept_offsets(_qp_mask(raw, lead_only=not per_byte), start)
            return DecodedBody(text, origins, len(data), warnings)
        if len(data) == len(encoded):  # one byte per source character
            origins = offsets(start, len(data)) if per_byte else kept_offsets(
                data.translate(_UTF8_LEAD), start)
            return DecodedBody(text, origins, len(data), warnings)
        if not per_byte and text == encoded:  # UTF-8 written as such in the source
            return DecodedBody(text, offsets(start, len(text)), len(data), warnings)
    if how == "constant":
        byte_origins = array("l", [header_offset]) * len(data)
    elif byte_origins is None:
        data, byte_origins, _ = decode_transfer(encoded, start, cte, header_offset)
    text, origins = decode_with_map(data, byte_origins, codec)
    return DecodedBody(text, origins, len(data), warnings)


def _decode_incremental(data: bytes, origins: array[int], codec: str) -> tuple[str, array[int]]:
    if codec in ("utf-16", "utf-32") and not data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ):
        codec += "-le"  # labelled UTF-16 without a byte-order mark: its incremental
        # decoder refuses the bytes ("does not start with BOM") where bytes.decode guesses
    try:
        return _decode_stepwise(data, origins, codecs.getincrementaldecoder(codec)("replace"))
    except (LookupError, UnicodeError, ValueError):  # never fail on a part's bytes
        return _decode_stepwise(data, origins, codecs.getincrementaldecoder("latin-1")())


def _decode_stepwise(
    data: bytes, origins: array[int], decoder: codecs.IncrementalDecoder
) -> tuple[str, array[int]]:
    parts: list[str] = []
    out: array[int] = array("l")
    seq_start = 0
    for i in range(len(data)):
        chunk = decoder.decode(data[i : i + 1])
        if chunk:
            parts.append(chunk)
            out.extend((origins[seq_start],) * len(chunk))
            seq_start = i + 1
    tail = decoder.decode(b"", final=True)
    if tail:
        parts.append(tail)
        origin = origins[min(seq_start, len(origins) - 1)] if len(origins) else -1
        out.extend((origin,) * len(tail))
    return "".join(parts), out


# -- headers -----------------------------------------------------------------------------

_SURROGATE_ANY = re.compile("[\ud800-\udfff]")


def desurrogate(value: str) -> str:
    """Decode raw 8-bit bytes kept as surrogates (invalid UTF-8 in a header) by guessing."""
    if _SURROGATE_ANY.search(value) is None:
        return value
    raw = value.encode("utf-8", "surrogateescape")
    return decode_bytes_to_text(raw, None)[0]


_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=")
_Q_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def _decoded_word(m: re.Match[str]) -> str | None:
    """One RFC 2047 encoded word as text (None: not decodable, kept as written)."""
    codec = normalize_charset(m.group(1))
    if codec is None:
        return None
    payload = m.group(3)
    try:
        if m.group(2) in "bB":
            data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
        else:
            raw = payload.replace("_", " ").encode("ascii")
            data = _Q_ESCAPE.sub(lambda e: bytes([int(e.group(1), 16)]), raw)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return data.decode(codec, "replace")


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words, tolerantly and in one pass.

    Not ``email.header.decode_header``: it pops from the front of a list, quadratic in
    the number of words (4 MB of them took 13 s). White space between two encoded
    words is dropped, as the RFC says; a word in an unknown charset or with a broken
    payload is kept as written."""
    if "=?" not in value:
        return value
    out: list[str] = []
    i = 0
    after_word = False
    for m in _ENCODED_WORD.finditer(value):
        between = value[i:m.start()]
        text = _decoded_word(m)
        if not (after_word and text is not None and between.isspace()):
            out.append(between)
        out.append(m.group(0) if text is None else text)
        after_word = text is not None
        i = m.end()
    out.append(value[i:])
    return "".join(out)


#: Longest header value given to the stdlib's modern header parser (RFC 5322 allows
#: 998 characters a line; a real Subject or address list fits many times over).
_MODERN_PARSER_MAX = 16_384


#: Values the modern parser gives back exactly as written (a property test checks each
#: form against it); anything else, however slightly different, goes through the parser.
#: An address list: ``a@b.example`` or ``Name Words <a@b.example>``, joined by ", ".
_LOCAL_PART = r"[A-Za-z0-9_+\-]+(?:\.[A-Za-z0-9_+\-]+)*"
_DOMAIN = r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
_DISPLAY_NAME = r"[A-Za-z0-9\u00c0-\u017f]+(?: [A-Za-z0-9\u00c0-\u017f]+)*"
_MAILBOX = rf"(?:{_DISPLAY_NAME} <{_LOCAL_PART}@{_DOMAIN}>|{_LOCAL_PART}@{_DOMAIN})"
_PLAIN_ADDRESSES = re.compile(rf"{_MAILBOX}(?:, {_MAILBOX})*")
#: ``type/subtype; name="value"; ...`` (the parser quotes every parameter value and
#: puts "; " between them, so only that spelling comes back unchanged).
_PARAMETERS = r'(?:; [A-Za-z0-9\-]+="[ !#-\[\]-~]+")*'
_PLAIN_CONTENT_TYPE = re.compile(rf"[A-Za-z0-9.+\-]+/[A-Za-z0-9.+\-]+{_PARAMETERS}")
_PLAIN_DISPOSITION = re.compile(rf"[A-Za-z0-9.+\-]+{_PARAMETERS}")
_PLAIN_TOKEN = re.compile(r"[A-Za-z0-9\-]+")
_PLAIN_VERSION = re.compile(r"[0-9]\.[0-9]")


def _reads_as_written(name: str, value: str) -> bool:
    """Whether ``str(email.policy.default.header_factory(name, value))`` is ``value``,
    known without running the parser: no encoded word, no surrogate, and a header kind
    whose parser keeps all text (unstructured: Subject, X-...) or one of the plain forms
    above. The parser costs 10-80 us a header (a class is even built per call), ~0.1 s
    on the bench corpus; nearly every header of real mail is one of these forms."""
    if "=?" in value or (not value.isascii() and _SURROGATE_ANY.search(value) is not None):
        return False
    factory = email.policy.default.header_factory
    if not isinstance(factory, headerregistry.HeaderRegistry):
        return False
    kind = factory.registry.get(name.lower(), factory.default_class)
    if issubclass(kind, headerregistry.UnstructuredHeader):
        return True  # get_unstructured keeps every character but encoded words
    # fullmatch, one starting position: linear (under finditer the forms would not be)
    if issubclass(kind, headerregistry.AddressHeader):
        return _PLAIN_ADDRESSES.fullmatch(value) is not None
    if issubclass(kind, headerregistry.ContentTypeHeader):
        return _PLAIN_CONTENT_TYPE.fullmatch(value) is not None
    if issubclass(kind, headerregistry.ContentDispositionHeader):
        return _PLAIN_DISPOSITION.fullmatch(value) is not None
    if issubclass(kind, headerregistry.ContentTransferEncodingHeader):
        return _PLAIN_TOKEN.fullmatch(value) is not None
    if issubclass(kind, headerregistry.MIMEVersionHeader):
        return _PLAIN_VERSION.fullmatch(value) is not None
    return False  # dates and message ids are rewritten in a canonical form


def decode_header_value(name: str, value: str) -> str:
    """A header value (already unfolded) decoded for reading; never raises.

    Tries the modern parser (``email.policy.default``), then the legacy
    ``decode_header``/``make_header`` pair, then the raw text. A value longer than
    :data:`_MODERN_PARSER_MAX` skips the modern parser: it is quadratic in the length
    (each token re-splits the rest), and a 2 MB Subject took a minute. A value the
    parser would give back unchanged (:func:`_reads_as_written`) skips it too.
    """
    value = desurrogate(value).replace("\r", "").replace("\n", "")
    if len(value) > _MODERN_PARSER_MAX:
        return decode_words(value)
    if _reads_as_written(name, value):
        return value
    try:
        return str(email.policy.default.header_factory(name, value))
    except Exception:  # header parser defects must never stop loading
        return decode_words(value)


def _getaddresses(raw: str) -> list[tuple[str, str]]:
    """``getaddresses`` in its lenient mode (newer Pythons default to a strict one)."""
    split: Any = email.utils.getaddresses
    try:
        return list(split([raw], strict=False))
    except TypeError:
        pass
    except Exception:
        return []
    try:
        return list(split([raw]))
    except Exception:
        return []


def parse_addresses(value: str, span: Span | None = None) -> list[Address]:
    """Mailboxes of an address header as written (validation is a rule's job).

    Encoded words in display names are decoded after splitting, so that an encoded comma
    does not split a name. Text that does not parse is kept as one address.
    """
    raw = desurrogate(value).replace("\r", "").replace("\n", "")
    pairs = _getaddresses(raw)
    result = [
        Address(display_name=decode_words(name).strip(), address=addr.strip(), span=span)
        for name, addr in pairs
        if name or addr
    ]
    if not result and raw.strip():
        result = [Address(display_name="", address=decode_words(raw).strip(), span=span)]
    return result
