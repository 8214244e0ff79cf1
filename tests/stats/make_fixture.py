#!/usr/bin/env python3
"""Deterministic fixture for the survey-statistics reference values.

Writes tests/stats/fixture/households.csv (run from anywhere):

    python3 tests/stats/make_fixture.py

Python 3.11 standard library only; everything is drawn from random.Random(4242)
in a fixed order, so the output is byte-identical on every run.

Design: stratified two-stage sample, strata = province x area, PSUs = communes
(labels c01, c02, ... unique within a stratum), households within PSUs, two survey
years (2020, 2021) on the SAME strata and PSU labels (a panel of PSUs; household
ids differ between years).  Deliberate cases:
  * 01-rural has exactly one PSU (c01) in both years  -> lonely stratum;
  * every household of PSU c03 in 89-rural has dep_latrine blank (both years),
    every household of PSU c02 in 11-urban has dep_telecom blank (2021 only);
  * ~2 % of the other households have one or two scattered blank flags;
  * province 79 in 2020: all incomes > 1,500,000 and at most 2 deprivations per
    household (but some deprivations) -> no poor household, no AF-poor household;
  * incomes exactly on the lines: 700000, 700001, 1000000, 1000001, 1500000 (rural),
    900000, 900001, 1300000, 1950000 (urban), with chosen deprivation counts;
  * a few households with blanks that make the Decision 59 class undetermined.
Weights are multiples of 0.25 (exact in binary floating point), never integers.
"""
import csv
import math
import os
import random

IDS = [
    "health_access", "health_insurance", "adult_education", "child_schooling",
    "housing_quality", "floor_area", "water_source", "latrine", "telecom",
    "info_assets",
]
HEADER = [
    "survey_year", "household_id", "province_code", "area", "household_size",
    "weight", "stratum", "psu", "income_per_capita_month",
] + ["dep_" + i for i in IDS]

# (province, area, number of PSUs, base weight, median income, income sigma,
#  mean deprivation probability)
STRATA = [
    ("01", "rural", 1, 85.5, 2_400_000, 0.55, 0.10),
    ("01", "urban", 6, 140.25, 4_200_000, 0.50, 0.05),
    ("11", "rural", 8, 60.75, 850_000, 0.45, 0.42),
    ("11", "urban", 3, 45.5, 1_500_000, 0.45, 0.22),
    ("79", "rural", 3, 70.25, 3_000_000, 0.45, 0.08),
    ("79", "urban", 7, 180.5, 4_800_000, 0.50, 0.05),
    ("89", "rural", 8, 120.5, 1_150_000, 0.50, 0.28),
    ("89", "urban", 4, 98.25, 1_900_000, 0.50, 0.14),
]
# relative propensity of each indicator (mean about 1)
REL = [0.8, 0.9, 1.3, 0.6, 1.2, 0.9, 1.1, 1.4, 0.7, 1.1]
YEARS = [2020, 2021]
WEIGHT_OFFSETS = [-3.25, -1.5, -0.75, 0.0, 0.5, 1.25, 2.75, 4.0]
SIZE_CHOICES = [1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6, 7]

RURAL_SPECIAL = [(700_000, 2), (700_000, 4), (700_001, 1), (700_001, 3),
                 (1_000_000, 2), (1_000_000, 3), (1_000_001, 3), (1_500_000, 5)]
URBAN_SPECIAL = [(900_000, 1), (900_001, 3), (900_001, 2), (1_300_000, 2),
                 (1_300_000, 3), (1_950_000, 4)]


def set_count(rng, flags, target):
    """Make exactly `target` flags equal to 1 (changing as few as possible)."""
    ones = [j for j in range(10) if flags[j] == 1]
    zeros = [j for j in range(10) if flags[j] == 0]
    rng.shuffle(ones)
    rng.shuffle(zeros)
    while len(ones) > target:
        flags[ones.pop()] = 0
    while len(ones) < target:
        j = zeros.pop()
        flags[j] = 1
        ones.append(j)


def main():
    rng = random.Random(4242)
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.join(here, "fixture")
    os.makedirs(out_dir, exist_ok=True)

    rows = []
    for year in YEARS:
        year_rows = []
        for prov, area, npsu, base_w, med, sigma, pdep in STRATA:
            stratum = f"{prov}-{area}"
            for p in range(1, npsu + 1):
                psu = f"c{p:02d}"
                # PSU effect on income and deprivation (same draw order each year)
                psu_inc = math.exp(rng.gauss(0.0, 0.15))
                psu_dep = math.exp(rng.gauss(0.0, 0.25))
                nh = rng.randint(24, 36)
                for _ in range(nh):
                    size = rng.choice(SIZE_CHOICES)
                    w = base_w + rng.choice(WEIGHT_OFFSETS)
                    if w == int(w):
                        w += 0.25
                    inc = med * psu_inc * math.exp(rng.gauss(0.0, sigma))
                    if year == 2021:
                        inc *= 1.04
                    inc = int(round(inc / 1000.0)) * 1000
                    if prov == "79" and year == 2020 and inc <= 1_500_000:
                        inc = 1_500_000 + rng.randint(1, 900) * 1000
                    inc = max(inc, 150_000)
                    # deprivation propensity rises as income falls
                    lam = pdep * psu_dep * (1_000_000 / max(inc, 200_000)) ** 0.6
                    lam *= math.exp(rng.gauss(0.0, 0.45))
                    flags = [1 if rng.random() < min(0.97, lam * r) else 0 for r in REL]
                    if prov == "79" and year == 2020 and sum(flags) > 2:
                        set_count(rng, flags, 2)
                    year_rows.append({
                        "survey_year": year, "province_code": prov, "area": area,
                        "household_size": size, "weight": w, "stratum": stratum,
                        "psu": psu, "income": inc, "flags": flags,
                    })

        # incomes exactly on (and just above) the poverty lines, with chosen counts
        for prov in ["01", "11", "89"] + (["79"] if year == 2021 else []):
            for area, specials in (("rural", RURAL_SPECIAL), ("urban", URBAN_SPECIAL)):
                pool = [r for r in year_rows
                        if r["province_code"] == prov and r["area"] == area
                        and not r.get("special")]
                chosen = rng.sample(pool, len(specials))
                for r, (inc, cnt) in zip(chosen, specials):
                    r["income"] = inc
                    set_count(rng, r["flags"], cnt)
                    r["special"] = True

        # blanks: whole PSUs lacking one indicator
        for r in year_rows:
            if r["stratum"] == "89-rural" and r["psu"] == "c03":
                r["flags"][IDS.index("latrine")] = None
                r["special_blank"] = True
            if year == 2021 and r["stratum"] == "11-urban" and r["psu"] == "c02":
                r["flags"][IDS.index("telecom")] = None
                r["special_blank"] = True
        # blanks that make the class undetermined: income in (P, N], 2 known
        # deprivations, one of the zeros blank (class(d)=near_poor, class(d+u)=poor)
        for prov in ("11", "89"):
            pool = [r for r in year_rows
                    if r["province_code"] == prov and r["area"] == "rural"
                    and 700_000 < r["income"] <= 1_000_000
                    and not r.get("special") and not r.get("special_blank")]
            for r in rng.sample(pool, 3):
                set_count(rng, r["flags"], 2)
                zeros = [j for j in range(10) if r["flags"][j] == 0]
                r["flags"][rng.choice(zeros)] = None
                r["special_blank"] = True
        # ~2 % scattered blanks elsewhere (one flag, sometimes two)
        for r in year_rows:
            if r.get("special_blank") or r.get("special"):
                continue
            if rng.random() < 0.02:
                nb = 2 if rng.random() < 0.25 else 1
                for j in rng.sample(range(10), nb):
                    r["flags"][j] = None

        rng.shuffle(year_rows)
        for i, r in enumerate(year_rows, start=1):
            r["household_id"] = f"{year}-{i:05d}"
        year_rows.sort(key=lambda r: r["household_id"])
        rows.extend(year_rows)

    path = os.path.join(out_dir, "households.csv")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        wr = csv.writer(fh, lineterminator="\n")
        wr.writerow(HEADER)
        for r in rows:
            wr.writerow([
                r["survey_year"], r["household_id"], r["province_code"], r["area"],
                r["household_size"], f"{r['weight']:g}", r["stratum"], r["psu"],
                r["income"],
            ] + ["" if f is None else f for f in r["flags"]])
    print(f"wrote {path}: {len(rows)} households")


if __name__ == "__main__":
    main()
