"""icalendar's writer, byte for byte, without its per-line overhead.

A 10,000-event feed spent most of its cold build in icalendar 7 making and
throwing away objects: per line a Parameters dict, a Contentline string, a
vDatetime to format a date, a decode through the pure-Python "utf-8-sig"
codec, and the same TZID worked out again for every date. What is here does
the same steps with less of that, and writes nothing icalendar does not:

- `to_ical(component)` is `component.to_ical()`: the same walk
  (`Component.property_items`), each value written by its own icalendar type
  (`value.to_ical()`, `Parameters.to_ical()`; only a date-time's digits are
  formatted here, as vDatetime formats them, without making one per date),
  lines joined and folded as `Contentline.from_parts` and
  `Contentlines.to_ical` do. What it remembers is a pure function of hashable
  input: a component's BEGIN/END line, the order of a set of property names,
  the text of a set of string parameters.
- `install()` puts three equivalents in icalendar's place: `fast_foldline`
  for its line folding, a remembered `tzids_from_tzinfo` for zones whose ids
  depend on their name alone, and a shortcut for creating empty Parameters.

tests/meetings/calendar/test_ical_writer.py compares each with icalendar's own on
thousands of generated inputs. All of it stands on icalendar 7.3 (pinned in
pyproject.toml); `install` leaves alone what a future version has moved.
"""

import functools
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Component, Parameters, vDDDTypes, vText
from icalendar.caselessdict import CaselessDict, canonsort_keys
from icalendar.parser import content_line as _content_line
from icalendar.parser import string as _string
from icalendar.parser_tools import to_unicode
from icalendar.timezone import tzid as _tzid

FOLD_LIMIT = 75
FOLD_SEPARATOR = "\r\n "
_BOM = "\ufeff"
# Memos hold one entry per distinct input; a feed has a handful. The bound only
# keeps odd input from growing them.
_MEMO_SIZE = 4096

_ICALENDAR_FOLDLINE = _string._foldline
_ICALENDAR_TZIDS_FROM_TZINFO = _tzid.tzids_from_tzinfo
_ICALENDAR_PARAMETERS_INIT = Parameters.__init__
# What `Component.content_line` gives a value without parameters; only ever read.
_NO_PARAMETERS = Parameters()
_dict_getitem = OrderedDict.__getitem__
_dict_init = OrderedDict.__init__


# -- Folding --------------------------------------------------------------------------------------


def fast_foldline(line: str, limit: int = FOLD_LIMIT, fold_sep: str = FOLD_SEPARATOR) -> str:
    """icalendar's line folding (`_foldline`), byte for byte, in a fraction of the time.

    icalendar 7 folds character by character in Python. This cuts the UTF-8
    bytes at the same places: chunks of at most `limit - 1` bytes, never inside
    a character, and never right after a backslash or caret unless it is the
    chunk's only character (icalendar's rule against splitting escapes).
    """
    data = line.encode("utf-8")
    if len(data) < limit:
        return line
    if limit != FOLD_LIMIT or fold_sep != FOLD_SEPARATOR:
        return _ICALENDAR_FOLDLINE(line, limit, fold_sep)
    return _fold_bytes(data).decode("utf-8")


def _fold_bytes(data: bytes) -> bytes:
    """The folded UTF-8 of a line of at least FOLD_LIMIT bytes (see `fast_foldline`)."""
    room = FOLD_LIMIT - 1
    size = len(data)
    chunks = []
    start = 0
    while start + room < size:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to its start
            end -= 1
        if data[end - 1] in (0x5C, 0x5E) and end - 1 > start:  # "\\" or "^"
            end -= 1
        chunks.append(data[start:end])
        start = end
    chunks.append(data[start:])
    return FOLD_SEPARATOR.encode().join(chunks)


def _encode_folded(line: str) -> bytes:
    """`fast_foldline(line).encode("utf-8")`, encoding once."""
    data = line.encode("utf-8")
    return data if len(data) < FOLD_LIMIT else _fold_bytes(data)


# -- Equivalents installed in icalendar -----------------------------------------------------------

_zone_ids: dict[tuple, tuple[str, ...]] = {}


def remembered_tzids_from_tzinfo(zone: tzinfo | None) -> tuple[str, ...]:
    """icalendar's `tzids_from_tzinfo`, remembered where the answer depends on the
    zone's name alone: a zoneinfo zone by its key, a fixed offset by its name
    (fixed offsets compare equal by offset only, so not by the object)."""
    kind = type(zone)
    if kind is ZoneInfo and zone.key is not None:
        key = (kind, zone.key)
    elif kind is timezone:
        key = (kind, zone.tzname(None))
    else:
        return _ICALENDAR_TZIDS_FROM_TZINFO(zone)
    found = _zone_ids.get(key)
    if found is None:
        if len(_zone_ids) >= _MEMO_SIZE:
            _zone_ids.clear()
        found = _zone_ids[key] = _ICALENDAR_TZIDS_FROM_TZINFO(zone)
    return found


def fast_parameters_init(self: Parameters, *args: object, **kwargs: object) -> None:
    """`Parameters.__init__`: empty parameters (no argument, None or an empty dict,
    which every value type passes when given none) made without the general path."""
    if not kwargs and (
        not args
        or (len(args) == 1 and (args[0] is None or (type(args[0]) is dict and not args[0])))
    ):
        _dict_init(self)
        return
    _ICALENDAR_PARAMETERS_INIT(self, *args, **kwargs)


def install() -> None:
    """Put the equivalents in icalendar's place; each only where icalendar still has
    the function it replaces (so a no-op for what a future version moved)."""
    if getattr(_content_line, "_foldline", None) is _ICALENDAR_FOLDLINE:
        _content_line._foldline = fast_foldline
    if getattr(_tzid, "tzids_from_tzinfo", None) is _ICALENDAR_TZIDS_FROM_TZINFO:
        _tzid.tzids_from_tzinfo = remembered_tzids_from_tzinfo
    if Parameters.__init__ is _ICALENDAR_PARAMETERS_INIT:
        Parameters.__init__ = fast_parameters_init


# -- Serialising ----------------------------------------------------------------------------------


def to_ical(component: Component, sorted: bool = True) -> bytes:
    """`component.to_ical(sorted)`, the same bytes (see the module's docstring).

    The walk is `Component.property_items`: BEGIN, the properties (in canonical
    order if `sorted`; a list value gives one line per item), the subcomponents
    in order, END. A component class that writes itself differently is left to
    its own `to_ical`.
    """
    if not _writes_as_component(type(component)):
        return component.to_ical(sorted=sorted)
    fold = _content_line._foldline
    encode_folded: Callable[[str], bytes]
    if fold is fast_foldline:
        encode_folded = _encode_folded
    else:

        def encode_folded(line: str) -> bytes:
            return fold(line).encode("utf-8")

    name_type = component.types_factory["text"]
    lines = []
    stack = [(component, False)]
    while stack:
        comp, is_end = stack.pop()
        if is_end:
            lines.append(_boundary_line("END", comp.name, name_type, sorted, fold))
            continue
        lines.append(_boundary_line("BEGIN", comp.name, name_type, sorted, fold))
        get = _caseless_get if type(comp).__getitem__ is Component.__getitem__ else _get
        for name in _sorted_keys(comp) if sorted else comp.keys():
            values = get(comp, name)
            for value in values if isinstance(values, list) else (values,):
                lines.append(encode_folded(_content_line_text(name, value, sorted)))
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
    """`comp[name]` as CaselessDict looks it up."""
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


def _boundary_line(
    kind: str,
    name: str,
    name_type: type,
    sorted: bool,
    fold: Callable[..., str],
) -> bytes:
    """BEGIN:<name> or END:<name> as icalendar writes it, once per name."""
    key = (kind, name, name_type, sorted, fold)
    found = _boundary_memo.get(key)
    if found is None:
        value = name_type(name).to_ical()
        line = _content_line.Contentline.from_parts(kind, Parameters(), value, sorted=sorted)
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
    if value.params.is_utc() or _tzid.is_utc(dt):
        text += "Z"
    return text


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
