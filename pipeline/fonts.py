"""Thai fonts installed from PyPI wheels and Debian packages, found by family name.

Used to render training lines for the numeral recogniser and the scan benchmark.
Sources (all installed by ``make`` set-up, none fetched at run time):

- PyPI ``odoo-addon-l10n-th-fonts`` / ``odoo-addon-l10n-th-base-utils``: TH Sarabun PSK,
  TH Sarabun New and the 13 SIPA fonts (TH Charmonman, TH Mali Grade 6 … look handwritten);
- PyPI ``fontpkg-sarabun``: Sarabun (OFL);
- Debian ``fonts-thai-tlwg``: Garuda, Kinnari, Laksaman, Loma, Norasi, Purisa …
"""

from __future__ import annotations

import functools
import site
import sys
from dataclasses import dataclass
from pathlib import Path

DEBIAN_DIRS = (Path("/usr/share/fonts/truetype/tlwg"), Path("/usr/share/fonts/opentype/tlwg"))

#: Families that look like print in government letters (TH Sarabun first: the
#: standard font of official letters since 2010).
PRINT_FAMILIES = (
    "THSarabun", "THSarabunNew", "Sarabun", "THNiramitAS", "THKoHo", "THKrub", "THBaijam",
    "THChakraPetch", "THK2DJuly8", "THSrisakdi", "THKodchasal", "THFahkwang",
    "Garuda", "Kinnari", "Laksaman", "Loma", "Norasi", "Sawasdee", "TlwgTypewriter", "AngsanaNew",
)
#: Families that look handwritten: serials and days are often filled in by pen.
HAND_FAMILIES = ("THCharmonman", "THCharmofAU", "THMaliGrade6", "Purisa")


@dataclass(frozen=True)
class Font:
    family: str
    style: str  # Regular, Bold, Italic, BoldItalic …
    path: Path

    @property
    def handwritten(self) -> bool:
        return self.family in HAND_FAMILIES


def _search_dirs() -> list[Path]:
    dirs = [Path(p) for p in site.getsitepackages() + [site.getusersitepackages()]]
    dirs += [Path(p) for p in sys.path if p.endswith("site-packages")]
    wheel_dirs = []
    for base in dict.fromkeys(dirs):
        wheel_dirs += [
            base / "odoo/addons/l10n_th_base_utils/static/fonts/thai",
            base / "odoo/addons/l10n_th_fonts/static/fonts",
            base / "fontpkg_sarabun/files",
        ]
    return [d for d in wheel_dirs + list(DEBIAN_DIRS) if d.is_dir()]


def _parse(path: Path) -> Font:
    stem = path.stem.replace("-Bold-Italic", "-BoldItalic")
    family, _, style = stem.partition("-")
    family = {"THFahkwang": "THFahkwang", "Sarabun": "Sarabun"}.get(family, family)
    return Font(family=family, style=style or "Regular", path=path)


@functools.lru_cache(maxsize=1)
def all_fonts() -> tuple[Font, ...]:
    """Every Thai-capable font found, one per (family, style), wheel copies first."""
    seen: dict[tuple[str, str], Font] = {}
    for d in _search_dirs():
        for path in sorted(d.rglob("*.ttf")):
            font = _parse(path)
            if font.family == "Webdings":
                continue
            seen.setdefault((font.family, font.style), font)
    return tuple(seen.values())


def find(family: str, style: str = "Regular") -> Font:
    """The font of that family and style; raises LookupError naming what to install."""
    for font in all_fonts():
        if font.family == family and font.style == style:
            return font
    raise LookupError(
        f"font {family} {style} not found; run `make setup` (installs odoo-addon-l10n-th-fonts, "
        "odoo-addon-l10n-th-base-utils, fontpkg-sarabun and Debian fonts-thai-tlwg)"
    )


def families(handwritten: bool | None = None, styles: tuple[str, ...] = ("Regular",)) -> list[Font]:
    """Installed fonts in the listed styles; ``handwritten`` filters hand-like families."""
    wanted = PRINT_FAMILIES + HAND_FAMILIES
    out = [f for f in all_fonts() if f.family in wanted and f.style in styles]
    if handwritten is not None:
        out = [f for f in out if f.handwritten == handwritten]
    return sorted(out, key=lambda f: (wanted.index(f.family), f.style))
