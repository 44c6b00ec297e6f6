"""Serialize ElementTree trees ourselves, because the stdlib cannot write CDATA.

Moodle XML carries HTML in CDATA (as Moodle's own exporter does); any `]]>`
inside the text is split across two CDATA sections so it can never close the
section early.  Trees are built with `xml.etree.ElementTree` (never string
formatting); only the final write is ours, and it escapes every text and
attribute, rejecting characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from studygen.errors import StudygenError

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_CDATA = re.compile(r"[<>&]")


def _check(text: str) -> str:
    bad = _INVALID.search(text)
    if bad:
        raise StudygenError(
            f"text contains U+{ord(bad.group()):04X}, which XML cannot hold: remove it from the bank ({text[:40]!r})"
        )
    return text


def escape_text(text: str) -> str:
    return _check(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def escape_attr(text: str) -> str:
    return escape_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def cdata(text: str) -> str:
    """`text` as CDATA: `]]>` split across sections, CR kept as a character reference (CDATA would normalise it)."""
    _check(text)
    body = text.replace("]]>", "]]]]><![CDATA[>")
    parts = body.split("\r")
    return "]]>&#13;<![CDATA[".join(f"<![CDATA[{p}" if i == 0 else p for i, p in enumerate(parts)) + "]]>"


def serialize(root: ET.Element, use_cdata: Callable[[ET.Element], bool] = lambda _e: False) -> bytes:
    """UTF-8 XML with a declaration, two-space indentation and attributes in insertion order.

    Elements hold either text or children, never both (none of our formats
    needs mixed content), so indentation never changes a text value.
    """
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']

    def write(el: ET.Element, depth: int) -> None:
        pad = "  " * depth
        attrs = "".join(f' {k}="{escape_attr(v)}"' for k, v in el.attrib.items())
        children = list(el)
        text = el.text or ""
        if children and text.strip():
            raise ValueError(f"mixed content in <{el.tag}> is not supported")
        if children:
            out.append(f"{pad}<{el.tag}{attrs}>\n")
            for child in children:
                write(child, depth + 1)
            out.append(f"{pad}</{el.tag}>\n")
        elif text:
            body = cdata(text) if use_cdata(el) and _NEEDS_CDATA.search(text) else escape_text(text)
            out.append(f"{pad}<{el.tag}{attrs}>{body}</{el.tag}>\n")
        else:
            out.append(f"{pad}<{el.tag}{attrs}/>\n")

    write(root, 0)
    return "".join(out).encode("utf-8")


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """Append a child element (attribute names ending in `_` lose it, for `class_` and friends)."""
    el = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el
