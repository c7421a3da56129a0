"""The rules of an import of conference sites that join rows to each other and to the
stored tree: duplicate codes, unknown parents, cycles, and the level of each site
against its parent's and its stored sub-sites'.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from conferencing.endpoint_rows import Row, RowError, Site
from conferencing.models import Level, placement_error


class TreeCheck:
    """The rules that join rows to each other and to the stored tree.

    A row whose own cells are bad still defines its code, so that a row under it
    is reported as "parent has errors" rather than "unknown parent".
    """

    def __init__(self, rows: list[Row], stored: dict[str, Site]) -> None:
        self.rows = rows
        self.stored = stored
        self.by_code: dict[str, Row] = {}
        self.stored_children: dict[str, list[Site]] = defaultdict(list)
        for site in stored.values():
            if site.parent_code:
                self.stored_children[site.parent_code].append(site)

    def run(self) -> None:
        self._refuse_duplicates()
        self._refuse_unknown_parents()
        self._refuse_cycles()
        while self._refuse_misplaced():
            pass

    def _refuse_duplicates(self) -> None:
        for row in self.rows:
            if not row.code:
                continue
            first = self.by_code.setdefault(row.code, row)
            if first is not row:
                row.refuse(
                    "code_duplicate",
                    _("The code “%(code)s” is already used on line %(line)d.")
                    % {"code": row.code, "line": first.line},
                )

    def _refuse_unknown_parents(self) -> None:
        for row in self.rows:
            parent = row.parent_code
            if parent and parent not in self.by_code and parent not in self.stored:
                row.refuse(
                    "parent_unknown",
                    _("Unknown parent “%(code)s”: it is neither in this file nor in the database.")
                    % {"code": parent},
                )

    def _parent_of(self, code: str) -> str:
        if code in self.by_code:
            return self.by_code[code].parent_code
        stored = self.stored.get(code)
        return stored.parent_code if stored else ""

    def _refuse_cycles(self) -> None:
        """Follow every row's chain of parents, as the file and the database give them."""
        walk_of: dict[str, int] = {}
        for walk, row in enumerate(self.by_code.values()):
            chain: list[str] = []
            code = row.code
            while code and code not in walk_of:
                walk_of[code] = walk
                chain.append(code)
                code = self._parent_of(code)
            if code and walk_of[code] == walk:
                self._refuse_loop(chain[chain.index(code) :])

    def _refuse_loop(self, loop: list[str]) -> None:
        reason = placement_error(0, None, is_own_descendant=True) or ""
        for start, code in enumerate(loop):
            if code in self.by_code:
                chain = [*loop[start:], *loop[: start + 1]]
                self.by_code[code].refuse(
                    "cycle",
                    f"{reason} " + _("Parent chain: %(chain)s.") % {"chain": " → ".join(chain)},
                )

    def _refuse_misplaced(self) -> bool:
        """One pass of the level rule; True when it refused a row (the others may follow)."""
        refused = False
        for row in self.rows:
            if row.valid:
                error = self._placement_error(row) or self._stored_children_error(row)
                if error:
                    row.errors.append(error)
                    refused = True
        return refused

    def _placement_error(self, row: Row) -> RowError | None:
        if not row.parent_code:
            return None
        parent_row = self.by_code.get(row.parent_code)
        if parent_row is not None and not parent_row.valid:
            return RowError(
                row.line,
                "parent_invalid",
                _("Skipped: its parent “%(code)s” on line %(line)d has errors.")
                % {"code": row.parent_code, "line": parent_row.line},
            )
        parent_level = parent_row.level if parent_row else self.stored[row.parent_code].level
        assert row.level is not None and parent_level is not None
        reason = placement_error(row.level, parent_level, is_own_descendant=False)
        return RowError(row.line, "placement", reason) if reason else None

    def _stored_children_error(self, row: Row) -> RowError | None:
        """A stored sub-site that the file does not place elsewhere must stay below the row."""
        assert row.level is not None
        for child in self.stored_children.get(row.code, ()):
            child_row = self.by_code.get(child.code)
            if child_row is not None and child_row.valid:
                continue
            if child.level <= row.level:
                return RowError(
                    row.line,
                    "placement",
                    _(
                        "Its level cannot become %(level)s: its sub-site %(child)s "
                        "is %(child_level)s."
                    )
                    % {
                        "level": Level(row.level).label,
                        "child": child.code,
                        "child_level": Level(child.level).label,
                    },
                )
        return None
