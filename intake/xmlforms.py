"""The XML form of a JSON document (`application.xml` beside `application.json`, signed XML attestations).

The mapping is the same fields, element for key (issue 15, point 2):

* an object is an element whose children are its fields, each named by its key, each at most once;
* an array is an element whose children are all ``<item>``;
* a string, number or boolean is the element's text (``true``/``false``; numbers as JSON writes them);
* ``null`` is an absent element;
* ``ds:Signature`` elements (the document's XMLDSig) are not fields.

Reading is directed by the JSON Schema of the models (``docs/application.schema.json``): the schema
says whether ``5`` is a number or a string, so the strict validation of `intake.application` applies to
the XML form unchanged. The XML is parsed under the hardened parser of
:mod:`intake.verifier.xmldsig` (no DTD, no entity, no network, size and depth limits).
``docs/application.xsd`` is generated from the same schema (:func:`xsd`).
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from lxml import etree

from intake.verifier.xmldsig import DS, XmlFormatError, parse_xml

NAMESPACE: Final = "urn:kz:intake:application:1"
ITEM: Final = "item"
_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")
_NUM = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")


class FormError(ValueError):
    """An XML document that is not the XML form of a JSON object."""


def _local(el: etree._Element) -> str:
    return str(etree.QName(el).localname)


def _fields(el: etree._Element) -> list[etree._Element]:
    return [c for c in el.iterchildren(etree.Element) if c.tag != f"{{{DS}}}Signature"]


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 32:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        schema = root.get("$defs", {}).get(name, {})
        seen += 1
    return schema


def _alternatives(schema: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    alts = schema.get("anyOf") or schema.get("oneOf")
    if not alts:
        return [schema]
    return [r for a in alts if (r := _resolve(a, root)).get("type") != "null"]


def _scalar(text: str, alts: list[dict[str, Any]]) -> Any:
    for alt in alts:
        kind = alt.get("type")
        if kind == "integer" and _INT.match(text):
            return int(text)
        if kind == "number" and _NUM.match(text):
            return int(text) if _INT.match(text) else float(text)
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        if kind == "string" or kind is None or "enum" in alt or "const" in alt:
            return text
    return text  # no alternative fits: left as text, the strict validation names the field


def _value(el: etree._Element, schema: dict[str, Any], root: dict[str, Any], depth: int) -> Any:
    if depth > 64:
        raise FormError("the form is nested too deeply")
    schema = _resolve(schema, root)
    children = _fields(el)
    disc = schema.get("discriminator")
    if disc:
        key = disc.get("propertyName")
        tag = next((c for c in children if _local(c) == key), None)
        ref = disc.get("mapping", {}).get((tag.text or "").strip() if tag is not None else "")
        alts = [_resolve({"$ref": ref}, root)] if ref else _alternatives(schema, root)
    else:
        alts = _alternatives(schema, root)
    if children:
        is_list = all(_local(c) == ITEM for c in children)
        for alt in alts:
            if alt.get("type") == "array" and is_list:
                return [_value(c, alt.get("items", {}), root, depth + 1) for c in children]
            if alt.get("type") == "object" or "properties" in alt:
                return _object(children, alt, root, depth)
        if is_list:
            return [_value(c, {}, root, depth + 1) for c in children]
        return _object(children, {}, root, depth)
    if any(a.get("type") == "array" for a in alts) and not (el.text or "").strip():
        return []
    if any(a.get("type") == "object" for a in alts) and not (el.text or "").strip():
        return {}
    return _scalar(el.text or "", alts)


def _object(children: list[etree._Element], schema: dict[str, Any], root: dict[str, Any], depth: int) -> dict[str, Any]:
    props = schema.get("properties", {})
    out: dict[str, Any] = {}
    for child in children:
        name = _local(child)
        if name in out:
            raise FormError(f"the field <{name}> appears twice")
        out[name] = _value(child, props.get(name, {}), root, depth + 1)
    return out


def read(data: bytes, schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON object an XML form carries, typed by ``schema``.

    Raises:
        FormError: Not well-formed, hostile (a DTD, over a limit), or not the form of an object.
    """
    try:
        tree = parse_xml(data)
    except XmlFormatError as exc:
        raise FormError(str(exc)) from exc
    value = _value(tree.getroot(), schema, schema, 0)
    if not isinstance(value, dict):
        raise FormError("the root element holds no fields")
    return value


def _put(parent: etree._Element, name: str, value: Any) -> None:
    if value is None:
        return
    el = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if isinstance(value, dict):
        for k, v in value.items():
            _put(el, k, v)
    elif isinstance(value, list):
        for v in value:
            _put(el, ITEM, v)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif isinstance(value, int | float):
        el.text = json.dumps(value)
    else:
        el.text = str(value)


def write(value: dict[str, Any], root: str = "application") -> bytes:
    """The XML form of a JSON object (UTF-8, with its declaration)."""
    el = etree.Element(f"{{{NAMESPACE}}}{root}", nsmap={None: NAMESPACE})
    for k, v in value.items():
        _put(el, k, v)
    out: bytes = etree.tostring(el, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return out


# --------------------------------------------------------------------------- the XML Schema


_XS: Final = "http://www.w3.org/2001/XMLSchema"
_XSD_TYPES: Final = {"string": "xs:string", "integer": "xs:integer", "number": "xs:decimal", "boolean": "xs:boolean"}


def xsd(schema: dict[str, Any], root: str = "application") -> str:
    """An XML Schema (XSD 1.0) of the XML form of ``schema``: fields in any order (``xs:all`` cannot hold
    repeated items, so objects use a repeatable ``xs:choice`` and the JSON Schema stays the authority on
    which fields are required)."""
    out = etree.Element(
        f"{{{_XS}}}schema",
        nsmap={"xs": _XS, None: NAMESPACE},
        targetNamespace=NAMESPACE,
        elementFormDefault="qualified",
    )
    etree.SubElement(out, f"{{{_XS}}}annotation").append(_doc(str(schema.get("title", ""))))
    any_sig = f"{{{_XS}}}any"
    named: dict[str, str] = {}

    def type_of(s: dict[str, Any]) -> str:
        ref = s.get("$ref")
        if ref:
            name = str(ref).rsplit("/", 1)[-1]
            if name not in named:
                named[name] = name
                define(name, _resolve(s, schema))
            return name
        alts = _alternatives(s, schema)
        if len(alts) == 1 and alts[0] is not s:
            return type_of(alts[0])
        kind = s.get("type")
        if kind in _XSD_TYPES and "enum" not in s:
            return _XSD_TYPES[kind]
        return "xs:string" if kind not in {"array", "object"} and "properties" not in s else ""

    def define(name: str, s: dict[str, Any]) -> None:
        ct = etree.SubElement(out, f"{{{_XS}}}complexType" if _complex(s) else f"{{{_XS}}}simpleType", name=name)
        if s.get("description"):
            etree.SubElement(ct, f"{{{_XS}}}annotation").append(_doc(str(s["description"])))
        fill(ct, s)

    def fill(ct: etree._Element, s: dict[str, Any]) -> None:
        if not _complex(s):
            restriction = etree.SubElement(ct, f"{{{_XS}}}restriction", base="xs:string")
            for v in s.get("enum", []):
                etree.SubElement(restriction, f"{{{_XS}}}enumeration", value=str(v))
            return
        choice = etree.SubElement(ct, f"{{{_XS}}}choice", minOccurs="0", maxOccurs="unbounded")
        if s.get("type") == "array":
            element(choice, ITEM, s.get("items", {}))
            return
        for key, prop in s.get("properties", {}).items():
            element(choice, key, prop)
        etree.SubElement(choice, any_sig, namespace=DS, processContents="lax")

    def element(parent: etree._Element, name: str, s: dict[str, Any]) -> None:
        alts = _alternatives(s, schema) if "$ref" not in s else [s]
        target = alts[0] if len(alts) == 1 else {"type": "string"}
        t = type_of(target)
        el = etree.SubElement(parent, f"{{{_XS}}}element", name=name)
        if t:
            el.set("type", t)
        else:
            inner = etree.SubElement(el, f"{{{_XS}}}complexType")
            fill(inner, _resolve(target, schema))

    top = etree.SubElement(out, f"{{{_XS}}}element", name=root)
    inner = etree.SubElement(top, f"{{{_XS}}}complexType")
    choice = etree.SubElement(inner, f"{{{_XS}}}choice", minOccurs="0", maxOccurs="unbounded")
    seen: set[str] = set()
    for alt in _alternatives(schema, schema):
        for key, prop in alt.get("properties", {}).items():
            if key not in seen:
                seen.add(key)
                element(choice, key, prop)
    etree.SubElement(choice, any_sig, namespace=DS, processContents="lax")
    text: str = etree.tostring(out, pretty_print=True, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _complex(s: dict[str, Any]) -> bool:
    return s.get("type") in ("object", "array") or "properties" in s


def _doc(text: str) -> etree._Element:
    doc = etree.Element(f"{{{_XS}}}documentation")
    doc.text = text
    return doc
