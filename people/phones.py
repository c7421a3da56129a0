"""Vietnamese phone numbers, one rule for the invite page and the people import: 0 then 9
or 10 digits, or +84 / 84 then the number without its 0; spaces, dots, dashes and
brackets ignored; stored as 0…"""

import re

from django.utils.translation import gettext as _

SEPARATORS = re.compile(r"[\s.\-()]")
NATIONAL = re.compile(r"0\d{9,10}")


def national_number(value: str) -> str | None:
    """The number as stored (0…), or None when it is not a Vietnamese phone number."""
    number = SEPARATORS.sub("", value)
    if number.startswith("+84"):
        number = "0" + number[3:]
    elif number.startswith("84") and len(number) in (11, 12):
        number = "0" + number[2:]
    elif number.isdigit() and len(number) in (9, 10) and not number.startswith("0"):
        # A spreadsheet stored the number as a number and dropped its leading zero.
        number = "0" + number
    return number if NATIONAL.fullmatch(number) else None


def refusal(value: str) -> str:
    return _(
        "“%(value)s” is not a Vietnamese phone number: write 0 then 9 or 10 digits, "
        "or +84 then the number without its 0."
    ) % {"value": value}
