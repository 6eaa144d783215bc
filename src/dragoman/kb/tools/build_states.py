"""Regenerates data/states.jsonl from pycountry plus the hand-written table states_hand.tsv.

Run offline: ``python -m dragoman.kb.tools.build_states``. pycountry supplies the ISO codes and
formal names; the hand table supplies what pycountry lacks (the short form people write,
demonyms, capitals used as metonyms, conflict theatre).
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "data" / "states.jsonl"

# Names and demonyms shared by two states: the state most news text means by them.
PREFER: dict[str, str] = {"Congo": "COD", "Congolese": "COD", "Dominican": "DOM"}

# Wikidata items of states, only those this project is certain of (a wrong QID is worse than none).
WIKIDATA = dict(p.split("=") for p in """
USA=Q30 IRQ=Q796 IRN=Q794 ISR=Q801 SYR=Q858 RUS=Q159 UKR=Q212 CHN=Q148 GBR=Q145 FRA=Q142 DEU=Q183
TUR=Q43 SAU=Q851 EGY=Q79 LBN=Q822 YEM=Q805 AFG=Q889 PAK=Q843 IND=Q668 JPN=Q17 ITA=Q38 ESP=Q29
CAN=Q16 AUS=Q408 BRA=Q155 MEX=Q96 COL=Q739 NGA=Q1033 SDN=Q1049 SOM=Q1045 ETH=Q115 MMR=Q836
JOR=Q810 QAT=Q846 ARE=Q878 KOR=Q884 PRK=Q423 ZAF=Q258 ARG=Q414 IDN=Q252 MLI=Q912 NER=Q1032
BFA=Q965 COD=Q974 HTI=Q790 VEN=Q717 CUB=Q241 LBY=Q1016 POL=Q36 NLD=Q55 BEL=Q31 SWE=Q34 NOR=Q20
FIN=Q33 GRC=Q41 PRT=Q45 CHE=Q39 AUT=Q40 DNK=Q35 IRL=Q27 HUN=Q28 BLR=Q184 KAZ=Q232 AZE=Q227
ARM=Q399 GEO=Q230 DZA=Q262 MAR=Q1028 TUN=Q948 OMN=Q842 KWT=Q817 BHR=Q398 BGD=Q902 THA=Q869
VNM=Q881 PHL=Q928 MYS=Q833 SGP=Q334 NZL=Q664 CHL=Q298 PER=Q419 KEN=Q114 UGA=Q1036 RWA=Q1037
SSD=Q958 TCD=Q657 TWN=Q865 PSE=Q219060
""".split())

# Demonyms that are nouns for a person ("a Briton"), never adjectives ("British forces"), so
# institution patterns such as "{adj} government" must not use them.
NOUN_ONLY = {"Briton", "Pole", "Dane", "Finn", "Swede", "Turk", "Croat", "Motswana", "Basotho",
             "Mosotho", "Liswati", "Bajan", "Kittitian"}


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def build() -> list[dict[str, object]]:
    rows = []
    for line in (HERE / "states_hand.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        iso3, short, others, demonyms, capitals, theatre = line.split("\t")
        c = pycountry.countries.get(alpha_3=iso3)
        if c is None:
            raise SystemExit(f"{iso3} is not an ISO 3166-1 alpha-3 code")
        names = [short, *_split(others)]
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            # pycountry's inverted forms ("Korea, Republic of") are never written in news text.
            if value and "," not in value and value not in names:
                names.append(value)
        dems = _split(demonyms)
        rows.append({
            "iso3": iso3,
            "iso2": c.alpha_2,
            "name": short,
            "official_name": next(
                (n for n in (getattr(c, "official_name", None), c.name) if n and "," not in n), short),
            "names": names,
            "demonyms": dems,
            "adjectives": [d for d in dems if d not in NOUN_ONLY and not d.endswith("er")],
            "capitals": _split(capitals),
            "theatre": theatre.strip() or None,
            "wikidata": WIKIDATA.get(iso3),
            "prefer": sorted(k for k, v in PREFER.items() if v == iso3),
        })
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(rows)} states to {OUT}")


if __name__ == "__main__":
    main()
