"""Bytes to text, the one way every entry point does it (analyze, ingest files and standard input,
tables, fetched pages), and the repairs that were needed, so the article can say so.

In order:

1. A byte-order mark names the encoding (UTF-8, UTF-16 or UTF-32, either byte order).
2. Without one, UTF-16 and UTF-32 still show themselves: text in them that is mostly Latin script
   has a zero byte in every second (or three of every four) position.
3. Other zero bytes and control characters mean a binary file, not an article.
4. Valid UTF-8 is UTF-8.
5. Text that is UTF-8 in places and not in others (a UTF-8 file with a pasted Windows-1252
   quotation) is repaired where it breaks: each byte run that is not UTF-8 is read as Windows-1252,
   and the article records a warning saying how many bytes and on which lines.
6. Text with no UTF-8 at all is in a legacy encoding. English news in one is overwhelmingly
   Windows-1252 or Latin-1, with few bytes above 127; statistical detection (charset-normalizer)
   is asked only when such bytes are common, and trusted only above a confidence floor.
7. What still cannot be decoded is replaced by U+FFFD, with a warning.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .errors import BinaryInputError, EmptyInputError

__all__ = ["Decoded", "decode_text", "clean_characters", "open_text", "repaired_bytes"]

_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 65536
_LEGACY_HIGH_SHARE = 0.2  # English in cp1252 rarely has more than this share of bytes above 127
_DETECTION_FLOOR = 0.1  # charset-normalizer's "chaos" (mess ratio) must stay under this


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_text(data: bytes, *, name: str = "input") -> Decoded:
    """The text of ``data``; raises ``EmptyInputError`` or ``BinaryInputError`` when there is none."""
    if not data.strip():
        raise EmptyInputError(f"{name}: the file is empty; nothing to analyse")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict_or_replaced(data[len(bom):], encoding, name)
    wide = _wide_encoding(data[:_SAMPLE])
    if wide is not None:
        return _strict_or_replaced(data, wide, name)
    sample = data[:_SAMPLE]
    if b"\x00" in sample or _control_ratio(sample) > 0.05:
        raise BinaryInputError(
            f"{name}: this looks like a binary file, not an article; give a text or HTML file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _has_utf8_sequences(data):
        return _repair_mixed(data)
    return _legacy(data, name)


def _wide_encoding(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, from where its zero bytes fall."""
    n = len(sample) - len(sample) % 4
    if n < 8 or b"\x00" not in sample:
        return None
    quads = [sum(1 for i in range(k, n, 4) if sample[i] == 0) / (n // 4) for k in range(4)]
    if quads[1] > 0.9 and quads[2] > 0.9 and quads[3] > 0.9 and quads[0] < 0.5:
        return "utf-32-le"
    if quads[0] > 0.9 and quads[1] > 0.9 and quads[2] > 0.9 and quads[3] < 0.5:
        return "utf-32-be"
    odd = (quads[1] + quads[3]) / 2
    even = (quads[0] + quads[2]) / 2
    if odd > 0.6 and even < 0.1:
        return "utf-16-le"
    if even > 0.6 and odd < 0.1:
        return "utf-16-be"
    return None


def _strict_or_replaced(data: bytes, encoding: str, name: str) -> Decoded:
    try:
        text = data.decode(encoding)
        warnings: tuple[str, ...] = ()
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        warnings = (f"{bad} undecodable {encoding.upper()} sequence{'s' if bad != 1 else ''} "
                    "replaced with \ufffd",)
    if _control_ratio(text[:_SAMPLE].encode("utf-8", "replace")) > 0.05:
        raise BinaryInputError(
            f"{name}: this looks like a binary file, not an article; give a text or HTML file")
    return Decoded(text, encoding, warnings)


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether the bytes hold at least one well-formed multi-byte UTF-8 sequence."""
    return _UTF8_SEQUENCE.search(data) is not None


_STATE = threading.local()


def _as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _STATE.repaired = repaired_bytes() + exc.end - exc.start
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


def repaired_bytes() -> int:
    """How many bytes this thread has read as Windows-1252 inside UTF-8 so far (a running count)."""
    return int(getattr(_STATE, "repaired", 0))


def open_text(path: Path) -> TextIO:
    """A table file opened for streaming with the same rules: a byte-order mark or the zero-byte
    pattern of UTF-16/32 names the encoding; otherwise UTF-8, stray bytes read as Windows-1252
    (counted by ``repaired_bytes``)."""
    with path.open("rb") as fh:
        head = fh.read(_SAMPLE)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            name = "utf-8-sig" if encoding == "utf-8" else encoding.rsplit("-", 1)[0]  # codec skips the mark
            return path.open(encoding=name, errors="replace", newline="")
    wide = _wide_encoding(head)
    if wide is not None:
        return path.open(encoding=wide, errors="replace", newline="")
    return path.open(encoding="utf-8", errors="dragoman.cp1252", newline="")


codecs.register_error("dragoman.cp1252", _as_cp1252)


def _repair_mixed(data: bytes) -> Decoded:
    """UTF-8 line by line; a line that is not UTF-8 has its stray bytes read as Windows-1252."""
    lines = data.split(b"\n")
    repaired: list[int] = []
    out: list[str] = []
    for n, line in enumerate(lines, 1):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("utf-8", errors="dragoman.cp1252"))
            repaired.append(n)
    shown = ", ".join(str(n) for n in repaired[:10]) + (", ..." if len(repaired) > 10 else "")
    warning = (f"{len(repaired)} line{'s' if len(repaired) != 1 else ''} not valid UTF-8 "
               f"({shown}): their stray bytes were read as Windows-1252")
    return Decoded("\n".join(out), "utf-8+cp1252", (warning,))


def _legacy(data: bytes, name: str) -> Decoded:
    high = sum(1 for b in data[:_SAMPLE] if b >= 0x80) / max(1, min(len(data), _SAMPLE))
    if high > _LEGACY_HIGH_SHARE:
        detected = _detect(data)
        if detected is not None:
            return detected
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected is not None:
        return detected
    # cp1252 leaves five bytes undefined; Latin-1 maps them to C1 controls, which are not text
    text = data.decode("cp1252", errors="replace")
    bad = text.count("\ufffd")
    return Decoded(text, "cp1252", (f"{bad} byte{'s' if bad != 1 else ''} undefined in Windows-1252 "
                                    "replaced with \ufffd",))


def _detect(data: bytes) -> Decoded | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a dependency
        return None
    best = from_bytes(data[:_SAMPLE * 4]).best()
    if best is None or not best.encoding or best.chaos > _DETECTION_FLOOR:
        return None
    try:
        return Decoded(data.decode(best.encoding), best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _control_ratio(sample: bytes) -> float:
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / max(1, len(sample))


_CONTROLS = {c: None for c in range(32) if c not in (9, 10, 12, 13)}
_CONTROLS.update({c: None for c in range(0x7F, 0xA0)})


def clean_characters(text: str) -> tuple[str, tuple[str, ...]]:
    """Text without what no article contains and no database takes everywhere: control characters
    (PostgreSQL refuses NUL) and lone surrogates (not encodable as UTF-8). Reports what it removed."""
    warnings: list[str] = []
    if not text.isascii() and any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        fixed = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
        warnings.append(f"{sum(1 for a, b in zip(text, fixed, strict=True) if a != b)} lone surrogate "
                        "code points replaced with \ufffd")
        text = fixed
    stripped = text.translate(_CONTROLS)
    if len(stripped) != len(text):
        n = len(text) - len(stripped)
        warnings.append(f"{n} control character{'s' if n != 1 else ''} removed")
        text = stripped
    return text, tuple(warnings)
