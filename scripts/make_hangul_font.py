"""Rebuild the bundled Hangul faces (StudygenHangul-*.ttf) from Debian's fonts-nanum NanumGothic.

Not run by studygen: it documents, and lets anyone repeat, how the shipped files were made.

    apt-get download fonts-nanum && dpkg -x fonts-nanum_*.deb nanum
    pip install fonttools
    python scripts/make_hangul_font.py nanum/usr/share/fonts/truetype/nanum

Why a subset: NanumGothic is 4.7 MB a face, most of it Hanja and symbols a course never prints;
Hangul syllables, jamo, CJK punctuation and Latin make 1.9 MB.  Why a new name: NanumGothic is
under the SIL Open Font License 1.1 with Reserved Font Names (Nanum, NanumGothic, ...), and a
subset is a Modified Version, which the OFL lets us ship only under a name that is not reserved.
The copyright notice and the licence (LICENSE-StudygenHangul.txt) stay with the files.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Basic Latin + Latin-1, Hangul Jamo, CJK punctuation, compatibility jamo, jamo extensions A/B,
# Hangul syllables, full-width forms.
UNICODES = "U+0020-007E,U+00A0-00FF,U+1100-11FF,U+3000-303F,U+3130-318F,U+A960-A97F,U+AC00-D7A3,U+D7B0-D7FF,U+FF01-FF60"
FAMILY = "Studygen Hangul Gothic"
NOTE = (
    "Subset of NanumGothic (c) 2010 NAVER Corporation, renamed as the SIL Open Font License 1.1 requires "
    "of a Modified Version; licensed under the SIL Open Font License 1.1."
)


def build(source_dir: Path, out_dir: Path) -> None:
    from fontTools import subset  # type: ignore[import-not-found]
    from fontTools.ttLib import TTFont  # type: ignore[import-not-found]

    for src, style in (("NanumGothic.ttf", "Regular"), ("NanumGothicBold.ttf", "Bold")):
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        font = TTFont(source_dir / src)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
        subsetter.subset(font)
        postscript = FAMILY.replace(" ", "") + "-" + style
        names = font["name"]
        for record in list(names.names):
            if record.nameID in (1, 3, 4, 6, 16, 17, 18):
                names.removeNames(nameID=record.nameID)
        for name_id, value in (
            (1, FAMILY),
            (2, style),
            (3, f"studygen;{postscript}"),
            (4, f"{FAMILY} {style}" if style != "Regular" else FAMILY),
            (6, postscript),
            (13, NOTE),
            (14, "https://openfontlicense.org"),
        ):
            names.setName(value, name_id, 3, 1, 0x409)
            names.setName(value, name_id, 1, 0, 0)
        font.save(out_dir / f"StudygenHangul-{style}.ttf")


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(__file__).resolve().parents[1] / "studygen" / "fonts")
