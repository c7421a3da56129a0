"""The national tree of administrative divisions, as import rows for `endpoint_import`.

Built from the `vietnam-provinces` package (the 2025 reform: 34 provinces, no
districts, 3,321 communes and wards): one central site, one site per province
under it, one per commune under its province. Codes derive from the official
division codes, so importing again finds the same sites.
"""

from vietnam_provinces import Province, Ward

from conferencing.models import Level

CENTRAL_CODE = "TW"
CENTRAL_NAME = "Trung ương"


def province_site_code(province_code: int) -> str:
    return f"T{int(province_code):02d}"


def commune_site_code(ward_code: int) -> str:
    return f"X{int(ward_code):05d}"


def division_rows() -> list[dict[str, str]]:
    """Rows with code, name, level and parent only: a re-import keeps dial strings and contacts."""
    rows = [_row(CENTRAL_CODE, CENTRAL_NAME, Level.CENTRAL, "")]
    rows += [
        _row(province_site_code(province.code), province.name, Level.PROVINCE, CENTRAL_CODE)
        for province in Province.iter_all()
    ]
    rows += [
        _row(
            commune_site_code(ward.code),
            ward.name,
            Level.COMMUNE,
            province_site_code(ward.province_code),
        )
        for ward in Ward.iter_all()
    ]
    return rows


def _row(code: str, name: str, level: Level, parent_code: str) -> dict[str, str]:
    return {"code": code, "name": name, "level": level.slug, "parent_code": parent_code}
