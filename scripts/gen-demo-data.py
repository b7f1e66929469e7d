#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes data/demo.json and data/kflc.json from the facts of DOMAIN.md.

Every fact below is transcribed from the project's DOMAIN.md and carries its
tag: verified ([V]: seen on an official UNESCO/UIL page), secondary ([S]) or
provisional ([P]: our reconstruction). Facts DOMAIN.md gives without a tag
(the conference table, the award rules table, the membership series marked
[V/S]) are shipped as "secondary", the weaker claim. Nothing else is added:
no populations, coordinates, join dates or translations that DOMAIN.md does
not give (translatable fields hold English only; pages fall back to it).

Membership: an award winner was a member at its award (DOMAIN.md), so each
awardee gets one "member" row with an unknown start date and "known_by" set
to the last day of the conference of its first award. Join dates are never
invented.

Usage: scripts/gen-demo-data.py   (writes both files under data/)
"""
import json
import os
import re
import unicodedata

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

V, S, P = "verified", "secondary", "provisional"

# (year, conference number, awardee provenance, [(name, ISO alpha-2)])
AWARDS = [
    (2015, 2, V, [("Melton", "AU"), ("Sorocaba", "BR"), ("Beijing", "CN"), ("Bahir Dar", "ET"),
                  ("Espoo", "FI"), ("Cork", "IE"), ("Amman", "JO"), ("Mexico City", "MX"),
                  ("Ybycuí", "PY"), ("Balanga", "PH"), ("Namyangju", "KR"), ("Swansea", "GB")]),
    (2017, 3, V, [("Bristol", "GB"), ("Câmara de Lobos", "PT"), ("Contagem", "BR"),
                  ("Gelsenkirchen", "DE"), ("Giza", "EG"), ("Hangzhou", "CN"), ("Larissa", "GR"),
                  ("Limerick", "IE"), ("Mayo-Baléo", "CM"), ("N'Zérékoré", "GN"),
                  ("Okayama", "JP"), ("Pécs", "HU"), ("Surabaya", "ID"), ("Suwon", "KR"),
                  ("Tunis", "TN"), ("Villa María", "AR")]),
    (2019, 4, S, [("Aswan", "EG"), ("Chengdu", "CN"), ("Heraklion", "GR"), ("Ibadan", "NG"),
                  ("Medellín", "CO"), ("Melitopol", "UA"), ("Petaling Jaya", "MY"),
                  ("Santiago", "MX"), ("Seodaemun-gu", "KR"), ("Sønderborg", "DK")]),
    (2021, 5, V, [("Al Wakra", "QA"), ("Belfast", "GB"), ("Clermont-Ferrand", "FR"),
                  ("Damietta", "EG"), ("Dublin", "IE"), ("Huejotzingo", "MX"),
                  ("Jubail Industrial City", "SA"), ("Osan", "KR"), ("Shanghai", "CN"),
                  ("Wyndham", "AU")]),
    (2024, 6, S, [("Benguerir", "MA"), ("Bouaké", "CI"), ("Cork", "IE"), ("Cuenca", "EC"),
                  ("Doha", "QA"), ("Eunpyeong-gu", "KR"), ("Glasgow", "GB"), ("Querétaro", "MX"),
                  ("Wuhan", "CN"), ("Yanbu Industrial City", "SA")]),
]

RULES = {
    2015: ("members that piloted the KFLC since 2013",
           "report: general information, strategy, one good practice; up to 6 per region"),
    2017: ("members; at least 10,000 inhabitants; past awardees barred for 6 years",
           "mayor-signed form and consent, via the National Commission (at most 3 nominations "
           "each); international jury, at most 6 per region"),
    2021: ("members; 6-year bar for past awardees",
           "National Commission nominates at most 2; international jury; decision final"),
    2024: ("members for more than 12 months; 2019 and 2021 awardees and 2024 joiners excluded",
           "National Commission nominates at most 2; independent jury; at most 1 city per "
           "country"),
}

# Published criteria of a round ([S] in DOMAIN.md).
CRITERIA = {
    2024: "progress since joining: learning city plan; stakeholder coordination and "
          "partnerships; mobilising and using resources; monitoring and evaluation; learning "
          "accessible to all; a culture of lifelong learning; innovative practices; "
          "contributions to GNLC activities",
}

# number, start, end, host (name, alpha-2), mode, theme, outcome, participation
CONFERENCES = [
    (1, "2013-10-21", "2013-10-23", ("Beijing", "CN"), None,
     "Lifelong learning for all: inclusion, prosperity and sustainability in cities",
     "Beijing Declaration; Key Features of Learning Cities",
     "more than 550 delegates from 102 countries"),
    (2, "2015-09-28", "2015-09-30", ("Mexico City", "MX"), None,
     "Building sustainable learning cities",
     "Mexico City Statement; network opened; 12 awards; case-study book",
     "more than 650 participants from 95 countries"),
    (3, "2017-09-18", "2017-09-20", ("Cork", "IE"), None, "Global goals, local actions",
     "Cork Call to Action", "more than 650 participants from 92 countries"),
    (4, "2019-10-01", "2019-10-03", ("Medellín", "CO"), None,
     "Inclusion: a principle for lifelong learning and sustainable cities",
     "Medellín Manifesto", "about 650 participants, 50 mayors"),
    (5, "2021-10-27", "2021-10-30", ("Yeonsu-gu", "KR"), "hybrid",
     "From emergency to resilience", "Yeonsu Declaration", "about 2,000 online participants"),
    (6, "2024-12-03", "2024-12-05", ("Jubail Industrial City", "SA"), None,
     "Learning cities at the forefront of climate action", "final statement", None),
]

# as_of, members, countries ([V/S] in DOMAIN.md: shipped as secondary)
COUNTS = [("2016", 115, 28), ("2020", 230, 64), ("2022", 294, 76), ("2023", 292, None),
          ("2024-02", 356, 79), ("2025-12", 425, 91)]

KINDS = {"Seodaemun-gu": "district"}  # DOMAIN.md: "Some cities are districts (Seodaemun-gu)"


def slug(name):
    s = unicodedata.normalize("NFKD", name.replace("ø", "o").replace("Ø", "O"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("'", "-")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def en(text):
    return None if text is None else {"en": text}


def demo():
    cities, order = {}, []

    def add_city(name, country, prov):
        s = slug(name)
        if s not in cities:
            cities[s] = {"slug": s, "name": en(name), "country": country,
                         "kind": KINDS.get(name), "provenance": prov}
            order.append(s)
        return s

    end_of = {c[0]: c[2] for c in CONFERENCES}
    rounds, first_award, years_of = [], {}, {}
    for year, conf, prov, winners in AWARDS:
        slugs = []
        for name, country in winners:
            s = add_city(name, country, prov)
            slugs.append(s)
            first_award.setdefault(s, (year, conf, prov))
            years_of.setdefault(s, []).append(year)
        elig, sel = RULES.get(year, (None, None))
        rounds.append({"year": year, "conference": conf, "eligibility": en(elig),
                       "selection": en(sel), "criteria": en(CRITERIA.get(year)),
                       "rules_provenance": S if elig else None,
                       "provenance": prov, "awardees": slugs})
    confs = []
    for num, start, end, (hname, hcountry), mode, theme, outcome, part in CONFERENCES:
        h = add_city(hname, hcountry, S)
        confs.append({"number": num, "start_date": start, "end_date": end, "host": h,
                      "mode": mode, "theme": en(theme), "outcome": en(outcome),
                      "participation": en(part), "provenance": S})
    memberships = []
    for s in order:
        if s not in first_award:
            continue  # a host that never won the award: membership not known
        year, conf, prov = first_award[s]
        years = ", ".join(str(y) for y in years_of[s])
        memberships.append({
            "city": s, "status": "member", "from": None, "to": None,
            "known_by": end_of[conf], "reason": None,
            "source": f"UNESCO Learning City Award {years}: awardees are members at the award",
            "provenance": prov})
    counts = [{"as_of": a, "members": m, "countries": c,
               "source": "UNESCO/UIL published figures (project DOMAIN.md, tagged V/S)",
               "provenance": S} for a, m, c in COUNTS]
    return {
        "format": "learncity-demo/1",
        "note": "Demonstration data transcribed from the project's DOMAIN.md: award winners "
                "2015-2024, award rounds, the six ICLCs and the published membership series. "
                "Unknown facts are left empty.",
        "cities": [cities[s] for s in order],
        "conferences": confs,
        "award_rounds": rounds,
        "memberships": memberships,
        "network_counts": counts,
    }


PARTS = [
    ("1", "Wider benefits of building a learning city", [
        ("1.1", "Individual empowerment and social cohesion", [
            ("Literacy and basic skills", [
                ("Adult literacy rate", "%", "higher_is_better", "percentage"),
                ("Adults enrolled in literacy and basic skills programmes per 1,000 adults",
                 "per 1,000", "higher_is_better", "number")]),
            ("Participation in public life", [
                ("Turnout in the last local election", "%", "higher_is_better", "percentage"),
                ("Residents who volunteered in the past year", "%", "higher_is_better",
                 "percentage")]),
            ("Gender equality", [
                ("Women's share of adult learning participants", "%", "neutral", "percentage"),
                ("Women's share of city council seats", "%", "higher_is_better",
                 "percentage")]),
            ("A safe, inclusive community", [
                ("Residents who feel safe in their neighbourhood", "%", "higher_is_better",
                 "percentage"),
                ("Recorded crimes per 1,000 residents", "per 1,000", "lower_is_better",
                 "number")]),
        ]),
        ("1.2", "Economic development and cultural prosperity", [
            ("Inclusive economic growth and employment", [
                ("Employment rate of residents aged 15-64", "%", "higher_is_better",
                 "percentage"),
                ("Youth unemployment rate", "%", "lower_is_better", "percentage")]),
            ("Cultural life", [
                ("Visits to public cultural venues per resident per year", "visits",
                 "higher_is_better", "number"),
                ("Residents who took part in a cultural activity in the past year", "%",
                 "higher_is_better", "percentage")]),
        ]),
        ("1.3", "Sustainable development", [
            ("Environmental impact", [
                ("Greenhouse gas emissions per resident", "t CO2e", "lower_is_better",
                 "number"),
                ("Share of municipal waste recycled", "%", "higher_is_better", "percentage")]),
            ("Liveability", [
                ("Public green space per resident", "m²", "higher_is_better", "number"),
                ("Residents satisfied with living in the city", "%", "higher_is_better",
                 "percentage")]),
            ("Learning for sustainable development", [
                ("Schools with an education for sustainable development programme", "%",
                 "higher_is_better", "percentage"),
                ("Sustainable development learning in the city plan", None, "higher_is_better",
                 "yes_no")]),
        ]),
    ]),
    ("2", "Major building blocks of a learning city", [
        ("2.1", "Inclusive learning in the education system", [
            ("Early childhood care and education", [
                ("Enrolment rate of children aged 3-5", "%", "higher_is_better",
                 "percentage")]),
            ("Primary to tertiary access", [
                ("Upper secondary completion rate", "%", "higher_is_better", "percentage"),
                ("Tertiary gross enrolment ratio", "%", "higher_is_better", "percentage")]),
            ("Adult education and TVET", [
                ("Adults who took part in learning in the past 12 months", "%",
                 "higher_is_better", "percentage"),
                ("TVET places per 1,000 residents aged 15-24", "per 1,000", "higher_is_better",
                 "number")]),
            ("Support for marginalised groups", [
                ("Learning programmes targeting marginalised groups", "programmes",
                 "higher_is_better", "number"),
                ("Maturity of inclusion policy for learners with disabilities", None,
                 "higher_is_better", "maturity_0_4")]),
        ]),
        ("2.2", "Revitalized learning in families and communities", [
            ("Community learning spaces", [
                ("Community learning centres and libraries per 100,000 residents",
                 "per 100,000", "higher_is_better", "number"),
                ("Library visits per resident per year", "visits", "higher_is_better",
                 "number")]),
            ("Participation of vulnerable groups", [
                ("Share of community learning participants from vulnerable groups", "%",
                 "higher_is_better", "percentage")]),
            ("Community history and indigenous knowledge", [
                ("Programmes that document or teach local history and indigenous knowledge",
                 "programmes", "higher_is_better", "number")]),
        ]),
        ("2.3", "Effective learning for and in the workplace", [
            ("Learning organisations", [
                ("Employers that provide training to staff", "%", "higher_is_better",
                 "percentage")]),
            ("Employer and union support", [
                ("Agreements with employers or unions on workplace learning", "agreements",
                 "higher_is_better", "number")]),
            ("Learning for unemployed youth and adults", [
                ("Share of young people not in employment, education or training", "%",
                 "lower_is_better", "percentage"),
                ("Unemployed residents in training", "%", "higher_is_better", "percentage")]),
        ]),
        ("2.4", "Extended use of modern learning technologies", [
            ("Training educators in learning technologies", [
                ("Educators trained in digital learning tools in the past two years", "%",
                 "higher_is_better", "percentage")]),
            ("ICT access", [
                ("Households with broadband internet", "%", "higher_is_better", "percentage"),
                ("Free public internet access points per 10,000 residents", "per 10,000",
                 "higher_is_better", "number")]),
            ("E-learning resources", [
                ("Open online learning resources offered by the city", None,
                 "higher_is_better", "yes_no"),
                ("Registered users of the city's e-learning services per 1,000 residents",
                 "per 1,000", "higher_is_better", "number")]),
        ]),
        ("2.5", "Enhanced quality in learning", [
            ("From teaching to learning", [
                ("Maturity of learner-centred teaching policy", None, "higher_is_better",
                 "maturity_0_4")]),
            ("Shared values and tolerance", [
                ("Programmes on intercultural dialogue and tolerance", "programmes",
                 "higher_is_better", "number")]),
            ("Trained educators", [
                ("Teachers with the required qualification", "%", "higher_is_better",
                 "percentage")]),
            ("Learner-friendly environments", [
                ("Learning venues meeting accessibility standards", "%", "higher_is_better",
                 "percentage")]),
        ]),
        ("2.6", "A vibrant culture of learning throughout life", [
            ("Learning festivals", [
                ("A learning festival was held this year", None, "higher_is_better", "yes_no"),
                ("Learning festival participants per 1,000 residents", "per 1,000",
                 "higher_is_better", "number")]),
            ("Information and guidance for learners", [
                ("Guidance and counselling services for adult learners", None,
                 "higher_is_better", "yes_no")]),
            ("The media", [
                ("Media campaigns promoting lifelong learning", "campaigns",
                 "higher_is_better", "number")]),
        ]),
    ]),
    ("3", "Fundamental conditions for building a learning city", [
        ("3.1", "Strong political will and commitment", [
            ("Political leadership", [
                ("The mayor chairs or sponsors the learning city body", None,
                 "higher_is_better", "yes_no")]),
            ("Participatory strategy", [
                ("Maturity of the learning city strategy and its consultation", None,
                 "higher_is_better", "maturity_0_4")]),
            ("Monitoring progress", [
                ("Indicators of the learning city monitored this year", "indicators",
                 "higher_is_better", "number"),
                ("The biennial progress report was filed", None, "higher_is_better",
                 "yes_no")]),
        ]),
        ("3.2", "Governance and participation of all stakeholders", [
            ("Inter-sectoral coordination", [
                ("A coordinating body brings together all sectors", None, "higher_is_better",
                 "yes_no")]),
            ("Partnerships", [
                ("Active partnership agreements for learning", "agreements",
                 "higher_is_better", "number")]),
        ]),
        ("3.3", "Mobilization and utilization of resources", [
            ("Investment from all sources", [
                ("Public spending on lifelong learning per resident", "USD",
                 "higher_is_better", "number"),
                ("Share of the city budget spent on learning", "%", "higher_is_better",
                 "percentage")]),
            ("Use of all stakeholders' resources", [
                ("Share of learning funding from private and civil-society partners", "%",
                 "higher_is_better", "percentage")]),
            ("Support for disadvantaged groups", [
                ("Learners receiving fee waivers or grants per 1,000 residents", "per 1,000",
                 "higher_is_better", "number")]),
            ("Exchange with other cities", [
                ("Exchanges with other learning cities this year", "exchanges",
                 "higher_is_better", "number")]),
        ]),
    ]),
]

GOALPOSTS = {"percentage": (0, 100), "yes_no": (0, 1), "maturity_0_4": (0, 4)}


def kflc():
    parts = []
    for pcode, ptitle, areas in PARTS:
        pa = []
        for acode, atitle, features in areas:
            fs = []
            for i, (ftitle, ms) in enumerate(features, 1):
                fcode = f"{acode}.{i}"
                mlist = []
                for j, (label, unit, direction, typ) in enumerate(ms):
                    lo, hi = GOALPOSTS.get(typ, (None, None))
                    mlist.append({"code": f"{fcode}.{chr(ord('a') + j)}", "label": en(label),
                                  "unit": unit, "direction": direction, "type": typ,
                                  "goalpost_low": lo, "goalpost_high": hi, "provenance": P})
                fs.append({"code": fcode, "title": en(ftitle), "provenance": P,
                           "measurements": mlist})
            pa.append({"code": acode, "title": en(atitle), "provenance": V, "features": fs})
        parts.append({"code": pcode, "title": en(ptitle), "provenance": V, "areas": pa})
    return {
        "format": "learncity-framework/1",
        "version": {
            "code": "kflc-2013",
            "title": en("Key Features of Learning Cities"),
            "adopted": None,
            "note": en("Adopted at the first International Conference on Learning Cities "
                       "(Beijing, 2013). Parts and areas of focus are as published by UIL. "
                       "The official wording of the key features and measurements was not "
                       "available: the feature themes are our reconstruction and the "
                       "measurements are suggestions, both provisional until the official "
                       "table is loaded."),
            "provenance": V,
        },
        "parts": parts,
    }


def write(name, obj):
    path = os.path.join(ROOT, "data", name)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    write("demo.json", demo())
    write("kflc.json", kflc())
