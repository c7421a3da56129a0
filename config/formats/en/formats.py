"""English formats: the same day-first dates and 24-hour times as Vietnamese.

Someone reading the English interface still works with Vietnamese colleagues and
documents: one date must not read as two different days depending on the language.
Only the number separators follow English.
"""

from config.formats.vi.formats import (  # noqa: F401 (re-exported for Django's format lookup)
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
    YEAR_MONTH_FORMAT,
)

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
