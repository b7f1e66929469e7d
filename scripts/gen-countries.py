#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Generates data/countries.csv from Debian's iso-codes package.

Codes and English names come from /usr/share/iso-codes/json/iso_3166-1.json,
French names from /usr/share/locale/fr/LC_MESSAGES/iso_3166-1.mo (install
the `iso-codes` package). The UNESCO region of each country is given below by
hand, with its provenance:

* verified: the countries of the Learning City Award winners listed in the
  project's DOMAIN.md (the lead's brief classes these as seen on UNESCO pages);
* provisional: other UNESCO Member States whose region in UNESCO's grouping
  (Africa; Arab States; Asia and the Pacific; Europe and North America; Latin
  America and the Caribbean) we are confident of, to be checked against the
  official list;
* empty: territories, and states whose UNESCO region we are not certain of
  (e.g. Armenia, Azerbaijan, Georgia, Israel, Cyprus, Djibouti, Somalia,
  Mauritania, Sudan, Comoros). An empty region is better than a guess.

Usage: scripts/gen-countries.py > data/countries.csv
"""
import csv
import gettext
import json
import sys

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
FR_MO = "/usr/share/locale/fr/LC_MESSAGES/iso_3166-1.mo"

# Countries of award winners 2015-2024 (DOMAIN.md).
VERIFIED = {
    "AFR": "CI CM ET GN NG",
    "ARB": "EG JO MA QA SA TN",
    "APA": "AU CN ID JP KR MY PH",
    "EUR": "DE DK FI FR GB GR HU IE PT UA",
    "LAC": "AR BR CO EC MX PY",
}

PROVISIONAL = {
    "AFR": "AO BJ BW BF BI CV CF TD CG CD GQ ER SZ GA GM GH GW KE LS LR MG MW ML MU MZ "
           "NA NE RW ST SN SC SL ZA SS TZ TG UG ZM ZW",
    "ARB": "DZ BH IQ KW LB LY OM PS SY AE YE",
    "APA": "AF BD BT BN KH CK KP FJ IN IR KZ KI KG LA MV MH FM MN MM NR NP NZ NU PK PW PG "
           "WS SB LK TJ TH TL TO TM TV UZ VU VN",
    "EUR": "AL AD AT BY BE BA BG CA HR CZ EE IS IT LV LT LU MT MC ME NL MK NO PL MD RO RU "
           "SM RS SK SI ES SE CH TR US",
    "LAC": "AG BS BB BZ BO CL CR CU DM DO SV GD GT GY HT HN JM NI PA PE KN LC VC SR TT UY VE",
}

# English names as the project's sources spell them, where iso-codes inverts them.
OVERRIDES = {
    "KR": ("Republic of Korea", "République de Corée"),
}


def region_table():
    table = {}
    for prov, groups in (("verified", VERIFIED), ("provisional", PROVISIONAL)):
        for region, codes in groups.items():
            for code in codes.split():
                if code in table:
                    sys.exit(f"gen-countries: {code} listed twice")
                table[code] = (region, prov)
    return table


def main():
    entries = json.load(open(ISO_JSON, encoding="utf-8"))["3166-1"]
    fr = gettext.GNUTranslations(open(FR_MO, "rb"))
    regions = region_table()
    known = {e["alpha_2"] for e in entries}
    missing = sorted(set(regions) - known)
    if missing:
        sys.exit(f"gen-countries: unknown codes {missing}")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["alpha2", "alpha3", "numeric", "name_en", "name_fr", "region",
                  "region_provenance"])
    for e in sorted(entries, key=lambda e: e["alpha_2"]):
        a2 = e["alpha_2"]
        if a2 in OVERRIDES:
            en, frn = OVERRIDES[a2]
        elif "common_name" in e:
            en, frn = e["common_name"], fr.gettext(e["common_name"])
            if frn == en:  # no French common name: use the French short name
                frn = fr.gettext(e["name"])
        else:
            en, frn = e["name"], fr.gettext(e["name"])
        region, prov = regions.get(a2, ("", ""))
        out.writerow([a2, e["alpha_3"], int(e["numeric"]), en, frn, region, prov])


if __name__ == "__main__":
    main()
