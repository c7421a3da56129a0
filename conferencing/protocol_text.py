"""The text the readiness sockets accept (docs/readiness-protocol.md, "Text").

JSON can carry what PostgreSQL cannot store or UTF-8 cannot encode: `\\u0000`, and a
lone surrogate such as `\\ud800`. One such note in a batch of reports made the whole
batch fail, and a lone surrogate in an id broke the answer that echoes it. Both are
refused when the envelope is read, with every other control character a phone has no
reason to send; tab, line feed and carriage return stay (a note may have lines).
"""

import re

# Unicode control characters (category Cc) but tab, LF and CR; and the surrogates, which
# in a decoded JSON string can only be lone (a valid pair decodes to one character).
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def is_clean(value: object) -> bool:
    """Whether every string in a decoded JSON value — object keys included, at any
    depth — is free of refused characters."""
    # A loop, not recursion: 4 KiB of JSON nests deeper than Python's recursion limit.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if REFUSED.search(item):
                return False
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True
