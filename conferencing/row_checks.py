"""What every import's rows share (sites in endpoint_rows, people in people.people_rows):
the error a refused row carries, and the `valid`/`refuse` of a checked row."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    message: str


class CheckedRow:
    """Mixed into a row dataclass that has `line` and `errors` fields."""

    line: int
    errors: list[RowError]

    @property
    def valid(self) -> bool:
        return not self.errors

    def refuse(self, code: str, message: str) -> None:
        self.errors.append(RowError(self.line, code, message))
