"""icalendar's `to_ical()`, byte for byte, written here without its per-line overhead.

A 10,000-event feed spent most of its cold build in icalendar 7 making and
throwing away objects: per event an Event and a value object per property, each
with its Parameters; per line a Contentline string, a vDatetime to format a
date, a decode through the pure-Python "utf-8-sig" codec, the same TZID worked
out again for every date, and folding character by character. Two writers here
give icalendar's bytes without that:

- `write(kind, properties)`: a component from a property list (name, `Kind`,
  value), written from the values themselves (escaping, TZID, parameters,
  folding). `component(kind, properties)` is the same list as an icalendar
  component, so that one list gives both, and the tests compare the two.
- `to_ical(component)`: any icalendar component, walked as
  `Component.to_ical()` walks it (`Component.property_items`: BEGIN, the
  properties in canonical order, a list value one line per item, the
  subcomponents, END), each value written by its own icalendar type through the
  public API except a date-time's digits; lines joined as
  `Contentline.from_parts` joins them.

Both fold as `Contentlines.to_ical` folds (`fold_line`). The module is pure: it
changes nothing in icalendar, so every other user of the library in the process
gets icalendar as installed. What it remembers is a pure function of hashable
input (a BEGIN/END line, the order of a set of property names, the text of a set
of string parameters, a zone's id, an RRULE's text).
tests/meetings/calendar/test_ical_writer.py compares it with icalendar's own writer on
thousands of generated inputs; it stands on icalendar 7.3 (pinned in
pyproject.toml).
"""

import enum
import functools
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import (
    Component,
    Parameters,
    vCalAddress,
    vDDDLists,
    vDDDTypes,
    vInt,
    vRecur,
    vText,
    vUri,
)
from icalendar.caselessdict import CaselessDict, canonsort_keys
from icalendar.parser import Contentline
from icalendar.parser_tools import to_unicode
from icalendar.timezone import tzid_from_tzinfo

FOLD_LIMIT = 75
FOLD_SEPARATOR = "\r\n "
_FOLD_SEPARATOR_BYTES = FOLD_SEPARATOR.encode()
# icalendar keeps a TEXT backslash escape or an RFC 6868 caret escape on one line.
_ESCAPES = "\\^"
_ESCAPE_BYTES = (0x5C, 0x5E)
_BOM = "\ufeff"
# Memos hold one entry per distinct input; a feed has a handful. The bound only
# keeps odd input from growing them.
_MEMO_SIZE = 4096

# What `Component.content_line` gives a value without parameters; only ever read.
_NO_PARAMETERS = Parameters()
_dict_getitem = OrderedDict.__getitem__


# -- Folding --------------------------------------------------------------------------------------


def fold_line(line: str, limit: int = FOLD_LIMIT, fold_sep: str = FOLD_SEPARATOR) -> str:
    """A content line folded as icalendar folds it (RFC 5545 3.1), byte for byte.

    Chunks of at most `limit - 1` UTF-8 bytes, never cut inside a character, and
    never right after a backslash or caret unless it is the chunk's only
    character (icalendar's rule against splitting escapes). icalendar 7 does this
    character by character in Python; here the UTF-8 bytes are cut instead.
    """
    data = line.encode("utf-8")
    if len(data) < limit:
        return line
    if limit < 5:  # a 4-byte character may not fit a chunk: cut by characters
        return fold_sep.join(_fold_characters(line, limit))
    return fold_sep.encode().join(_fold_bytes(data, limit)).decode("utf-8")


def _fold_bytes(data: bytes, limit: int) -> list[bytes]:
    """The chunks of a line's UTF-8 of at least `limit` bytes (see `fold_line`)."""
    room = limit - 1
    size = len(data)
    chunks = []
    start = 0
    while start + room < size:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to its start
            end -= 1
        if data[end - 1] in _ESCAPE_BYTES and end - 1 > start:
            end -= 1
        chunks.append(data[start:end])
        start = end
    chunks.append(data[start:])
    return chunks


def _fold_characters(line: str, limit: int) -> list[str]:
    """`_fold_bytes` for any limit, a character at a time (a character never splits)."""
    chunks: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and count + width >= limit:
            if len(current) > 1 and current[-1] in _ESCAPES:
                escape = current.pop()
                chunks.append("".join(current))
                current, count = [escape], len(escape.encode("utf-8"))
            else:
                chunks.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += width
    if current:
        chunks.append("".join(current))
    return chunks


def _encode_folded(line: str) -> bytes:
    """`fold_line(line).encode("utf-8")`, encoding once."""
    data = line.encode("utf-8")
    if len(data) < FOLD_LIMIT:
        return data
    return _FOLD_SEPARATOR_BYTES.join(_fold_bytes(data, FOLD_LIMIT))


# -- Serialising ----------------------------------------------------------------------------------


def to_ical(component: Component, sorted: bool = True) -> bytes:
    """`component.to_ical(sorted)`, the same bytes (see the module's docstring).

    A component class that writes itself differently is left to its own `to_ical`.
    """
    if not _writes_as_component(type(component)):
        return component.to_ical(sorted=sorted)
    name_type = component.types_factory["text"]
    lines = []
    stack = [(component, False)]
    while stack:
        comp, is_end = stack.pop()
        if is_end:
            lines.append(_boundary_line("END", comp.name, name_type, sorted))
            continue
        lines.append(_boundary_line("BEGIN", comp.name, name_type, sorted))
        get = _caseless_get if type(comp).__getitem__ is Component.__getitem__ else _get
        for name in _sorted_keys(comp) if sorted else comp.keys():
            values = get(comp, name)
            for value in values if isinstance(values, list) else (values,):
                lines.append(_encode_folded(_content_line_text(name, value, sorted)))
        stack.append((comp, True))
        stack.extend((sub, False) for sub in reversed(comp.subcomponents))
    lines.append(b"")
    return b"\r\n".join(lines)


@functools.cache
def _writes_as_component(kind: type) -> bool:
    """Whether `kind` writes itself with Component's own methods, which `to_ical` follows."""
    methods = ("to_ical", "content_lines", "content_line", "property_items")
    return all(getattr(kind, name) is getattr(Component, name) for name in methods)


def _caseless_get(comp: Component, name: str) -> object:
    """`comp[name]` as CaselessDict looks it up (by the upper-cased name)."""
    return _dict_getitem(comp, to_unicode(name).upper())


def _get(comp: Component, name: str) -> object:
    return comp[name]


_sorted_memo: dict[tuple, list[str]] = {}


def _sorted_keys(comp: Component) -> list[str]:
    """`comp.sorted_keys()`, remembered for each list of names and canonical order."""
    if type(comp).sorted_keys is not CaselessDict.sorted_keys:
        return comp.sorted_keys()
    names = tuple(comp.keys())
    key = (names, comp.canonical_order)
    try:
        return _sorted_memo[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable canonical order
        return comp.sorted_keys()
    if len(_sorted_memo) >= _MEMO_SIZE:
        _sorted_memo.clear()
    result = _sorted_memo[key] = canonsort_keys(names, comp.canonical_order)
    return result


_boundary_memo: dict[tuple, bytes] = {}


def _boundary_line(kind: str, name: str, name_type: type, sorted: bool) -> bytes:
    """BEGIN:<name> or END:<name> as icalendar writes it, once per name."""
    key = (kind, name, name_type, sorted)
    found = _boundary_memo.get(key)
    if found is None:
        value = name_type(name).to_ical()
        line = Contentline.from_parts(kind, Parameters(), value, sorted=sorted)
        if len(_boundary_memo) >= _MEMO_SIZE:
            _boundary_memo.clear()
        found = _boundary_memo[key] = line.to_ical()
    return found


def _content_line_text(name: str, value: object, sorted: bool) -> str:
    """`Component.content_line(name, value)` before folding (`Contentline.from_parts`)."""
    params = getattr(value, "params", _NO_PARAMETERS)
    assert isinstance(params, Parameters)
    if type(value) is vDDDTypes and type(value.dt) is datetime:
        text = _datetime_text(value)
    else:
        text = _unicode(value.to_ical() if hasattr(value, "to_ical") else vText(value).to_ical())
    if type(name) is not str:
        name = to_unicode(name)
    params_text = _parameters_text(params, sorted) if params else ""
    line = f"{name};{params_text}:{text}" if params_text else f"{name}:{text}"
    assert "\n" not in line, "Content line can not contain unescaped new line characters."
    return line


def _unicode(raw: object) -> object:
    """`to_unicode(raw)`: bytes decoded as "utf-8-sig", which drops a leading BOM."""
    if type(raw) is bytes:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return to_unicode(raw)
        return text[1:] if text[:1] == _BOM else text
    return to_unicode(raw)


def _datetime_text(value: vDDDTypes) -> str:
    """`vDDDTypes.to_ical()` of a datetime, which writes it through a vDatetime
    sharing its parameters: digits, and Z if the TZID or the zone is UTC."""
    dt = value.dt
    text = "%04d%02d%02dT%02d%02d%02d" % (  # noqa: UP031 (twice as fast as an f-string)
        dt.year,
        dt.month,
        dt.day,
        dt.hour,
        dt.minute,
        dt.second,
    )
    if value.params.is_utc() or is_utc(dt):
        text += "Z"
    return text


_zone_ids: dict[tuple, str | None] = {}


def zone_id(zone: tzinfo | None) -> str | None:
    """icalendar's `tzid_from_tzinfo(zone)`, remembered where the answer depends on
    the zone's name alone: a zoneinfo zone by its key, a fixed offset by its name
    (fixed offsets compare equal by offset only, so not by the object)."""
    kind = type(zone)
    if kind is ZoneInfo and zone.key is not None:
        key = (kind, zone.key)
    elif kind is timezone:
        key = (kind, zone.tzname(None))
    else:
        return tzid_from_tzinfo(zone)
    try:
        return _zone_ids[key]
    except KeyError:
        pass
    if len(_zone_ids) >= _MEMO_SIZE:
        _zone_ids.clear()
    found = _zone_ids[key] = tzid_from_tzinfo(zone)
    return found


def is_utc(moment: datetime) -> bool:
    """icalendar's `is_utc(moment)`: its zone's id (`tzid_from_dt`) is UTC."""
    found = zone_id(moment.tzinfo)
    return (moment.tzname() if found is None else found) == "UTC"


_parameters_memo: dict[tuple, str] = {}


def _parameters_text(params: Parameters, sorted: bool) -> str:
    """`to_unicode(params.to_ical(sorted))`, remembered when every value is a str."""
    items = tuple(params.items())
    if type(params) is not Parameters or any(type(value) is not str for _name, value in items):
        return to_unicode(params.to_ical(sorted=sorted))
    key = (sorted, items)
    found = _parameters_memo.get(key)
    if found is None:
        if len(_parameters_memo) >= _MEMO_SIZE:
            _parameters_memo.clear()
        found = _parameters_memo[key] = to_unicode(params.to_ical(sorted=sorted))
    return found


# -- Writing a property list ----------------------------------------------------------------------


class Kind(enum.Enum):
    """What a property's value is, which decides how it is written."""

    TEXT = "text"  # a str, escaped as TEXT
    UTC_TIME = "utc-time"  # a datetime in UTC
    ZONED_TIME = "zoned-time"  # a datetime in a zone, written with its TZID
    ZONED_TIMES = "zoned-times"  # a sequence of such datetimes, one TZID
    INTEGER = "integer"
    URI = "uri"  # a str, written as it is
    ADDRESS = "address"  # (uri, common name or "", further parameters as (name, value) pairs)
    RECUR = "recur"  # an RRULE value as text


# One property of a component: name, kind, value. A name given more than once
# makes one line per value, as a list value does in icalendar.
Property = tuple[str, Kind, object]


def icalendar_value(kind: Kind, value: Any) -> object:
    """The icalendar value type that holds `value`: what `component` builds."""
    if kind is Kind.TEXT:
        return vText(value)
    if kind is Kind.UTC_TIME or kind is Kind.ZONED_TIME:
        return vDDDTypes(value)
    if kind is Kind.ZONED_TIMES:
        return vDDDLists(list(value))
    if kind is Kind.INTEGER:
        return vInt(value)
    if kind is Kind.URI:
        return vUri(value)
    if kind is Kind.ADDRESS:
        uri, name, parameters = value
        address = vCalAddress(uri)
        if name:
            address.params["CN"] = name
        for parameter, setting in parameters:
            address.params[parameter] = setting
        return address
    return vRecur.from_ical(value)


def component(kind: type[Component], properties: Iterable[Property]) -> Component:
    """The icalendar component of these properties (`write` gives its `to_ical()`)."""
    built = kind()
    for name, value_kind, value in properties:
        typed = icalendar_value(value_kind, value)
        if name not in built:
            built[name] = typed
        elif isinstance(built[name], list):
            built[name].append(typed)
        else:
            built[name] = [built[name], typed]
    return built


def write(kind: type[Component], properties: Iterable[Property]) -> bytes:
    """`component(kind, properties).to_ical()`, byte for byte, written from the
    values themselves: no icalendar object is made for the common kinds."""
    by_name: dict[str, list[tuple[Kind, Any]]] = {}
    for name, value_kind, value in properties:
        by_name.setdefault(name.upper(), []).append((value_kind, value))
    begin = _boundary_line("BEGIN", kind.name, kind.types_factory["text"], True)
    lines = [begin]
    for name in _canonical_order(tuple(by_name), kind.canonical_order):
        for value_kind, value in by_name[name]:
            lines.append(_encode_folded(_property_line(name, value_kind, value)))
    lines.append(_boundary_line("END", kind.name, kind.types_factory["text"], True))
    lines.append(b"")
    return b"\r\n".join(lines)


def _canonical_order(names: tuple[str, ...], order: tuple[str, ...]) -> list[str]:
    """`canonsort_keys(names, order)`, remembered."""
    key = (names, order)
    found = _sorted_memo.get(key)
    if found is None:
        if len(_sorted_memo) >= _MEMO_SIZE:
            _sorted_memo.clear()
        found = _sorted_memo[key] = canonsort_keys(names, order)
    return found


def _property_line(name: str, kind: Kind, value: Any) -> str:
    """One content line, unfolded, as `Component.content_line` makes it."""
    params = ""
    if kind is Kind.TEXT:
        text = _drop_bom(escape_text(value))
    elif kind is Kind.UTC_TIME and type(value) is datetime and is_utc(value):
        text = _digits(value) + "Z"
    elif kind is Kind.ZONED_TIME and type(value) is datetime and value.tzinfo is not None:
        tzid = zone_id(value.tzinfo) or value.tzname()
        if tzid is None:
            return _content_line_text(name, icalendar_value(kind, value), True)
        if tzid == "UTC":
            text = _digits(value) + "Z"
        else:
            params = _parameter_items_text((("TZID", tzid),))
            text = _digits(value)
    elif kind is Kind.INTEGER and type(value) is int:
        text = str(value)
    elif kind is Kind.URI:
        text = _drop_bom(value)
    elif kind is Kind.ADDRESS:
        uri, common_name, parameters = value
        items = (("CN", common_name),) if common_name else ()
        params = _parameter_items_text(items + tuple(parameters))
        text = _drop_bom(uri)
    elif kind is Kind.RECUR:
        text = _recur_text(value)
    else:
        return _content_line_text(name, icalendar_value(kind, value), True)
    line = f"{name};{params}:{text}" if params else f"{name}:{text}"
    assert "\n" not in line, "Content line can not contain unescaped new line characters."
    return line


def escape_text(text: str) -> str:
    """A TEXT value escaped as icalendar escapes it (RFC 5545 3.3.11): the order
    matters, so that nothing is escaped twice."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _drop_bom(text: str) -> str:
    """icalendar reads a value's bytes back as "utf-8-sig", which drops a leading BOM."""
    return text[1:] if text[:1] == _BOM else text


def _digits(moment: datetime) -> str:
    return "%04d%02d%02dT%02d%02d%02d" % (  # noqa: UP031 (twice as fast as an f-string)
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )


_items_memo: dict[tuple, str] = {}


def _parameter_items_text(items: tuple[tuple[str, str], ...]) -> str:
    """The text of parameters with these str values, as `Parameters.to_ical()` writes it."""
    found = _items_memo.get(items)
    if found is None:
        if len(_items_memo) >= _MEMO_SIZE:
            _items_memo.clear()
        found = _items_memo[items] = to_unicode(Parameters(dict(items)).to_ical(sorted=True))
    return found


_recur_memo: dict[str, str] = {}


def _recur_text(rule: str) -> str:
    """An RRULE value as `vRecur` writes it back (its parts in its own order)."""
    found = _recur_memo.get(rule)
    if found is None:
        if len(_recur_memo) >= _MEMO_SIZE:
            _recur_memo.clear()
        found = _recur_memo[rule] = _unicode(vRecur.from_ical(rule).to_ical())
    return found
