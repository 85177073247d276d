"""Bytes to text: UTF-8 first, then the charset the input declares, then the fallbacks."""

from __future__ import annotations

import codecs
import re

from wirewatch.errors import UndecodableRecord

_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.I)


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML ``<meta>`` (charset or http-equiv) or XML declaration names.

    None when the head declares none or names one Python does not know.
    """
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def decode_text(data: bytes, declared: str | None, fallbacks: tuple[str, ...]) -> str:
    """The text of ``data``: UTF-8 (a BOM stripped), else ``declared``, else each fallback.

    Raises UndecodableRecord naming every charset tried when none decodes the bytes.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    tried = ["utf-8"]
    seen = {codecs.lookup("utf-8").name}
    for name in ((declared,) if declared else ()) + fallbacks:
        key = codecs.lookup(name).name
        if key in seen:
            continue
        seen.add(key)
        tried.append(name)
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    raise UndecodableRecord("not valid " + _names(tried))


def _names(names: list[str]) -> str:
    shown = [name.upper() for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
