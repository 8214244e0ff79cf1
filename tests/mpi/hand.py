#!/usr/bin/env python3
"""Hand computation of the global MPI on the six households of input/,
written from the indicator definitions in indicators/global-mpi/ (not from
the engine's code), with exact fractions. Writes expected_households.csv
(each household's score, class and severe flag) and expected_measures.csv
(H, M0, A at 1/5, 1/3 and 1/2, and the class rates, for households and
persons) beside itself.

    python3 tests/mpi/hand.py
"""
import csv
import os
from fractions import Fraction as F

HERE = os.path.dirname(os.path.abspath(__file__))
hh = list(csv.DictReader(open(os.path.join(HERE, "input", "households.csv"))))
mem = list(csv.DictReader(open(os.path.join(HERE, "input", "members.csv"))))

W = {  # nested weights: health and education 1/6 each, living standards 1/18
    "nutrition": F(1, 6), "child_mortality": F(1, 6),
    "years_schooling": F(1, 6), "school_attendance": F(1, 6),
    "cooking_fuel": F(1, 18), "sanitation": F(1, 18), "drinking_water": F(1, 18),
    "electricity": F(1, 18), "housing": F(1, 18), "assets": F(1, 18),
}
assert sum(W.values()) == 1

yes = lambda v: v == "1"
num = lambda v: None if v == "" else float(v)


def deprivations(h, ms):
    d = {}
    # Nutrition: under 5 stunted or underweight; adults 20-69 BMI < 18.5;
    # only members with nutritional information are eligible.
    def undernourished(m):
        a = int(m["age"])
        if a < 5 and (m["stunted"] or m["underweight"]):
            return yes(m["stunted"]) or yes(m["underweight"])
        if 20 <= a <= 69 and m["bmi"]:
            return num(m["bmi"]) < 18.5
        return False  # not eligible
    d["nutrition"] = any(undernourished(m) for m in ms)
    d["child_mortality"] = int(h["child_deaths_5y"]) >= 1
    # No member aged 10+ has 6 years; no member aged 10+: not deprived.
    eligible = [m for m in ms if int(m["age"]) >= 10]
    d["years_schooling"] = bool(eligible) and all(int(m["years_schooling"]) < 6 for m in eligible)
    # A child aged 6-14 not in school.
    d["school_attendance"] = any(6 <= int(m["age"]) <= 14 and not yes(m["in_school"]) for m in ms)
    d["cooking_fuel"] = h["cooking_fuel"] in ("coal", "charcoal", "wood", "straw_dung")
    improved_latrine = ("septic_tank", "sewer", "double_vault", "biogas", "ventilated_pit")
    d["sanitation"] = h["latrine"] not in improved_latrine or yes(h["latrine_shared"])
    improved_water = ("piped", "protected_well", "protected_spring", "rainwater", "bottled", "tanker")
    d["drinking_water"] = h["water_source"] not in improved_water or int(h["water_minutes"]) >= 30
    d["electricity"] = not yes(h["has_electricity"])
    d["housing"] = not (yes(h["floor_finished"]) and yes(h["roof_durable"]) and yes(h["walls_durable"]))
    eight = ["has_radio", "has_tv", "has_phone", "has_computer", "has_animal_cart",
             "has_bicycle", "has_motorbike", "has_fridge"]
    d["assets"] = sum(yes(h[a]) for a in eight) <= 1 and not yes(h["has_car"])
    return d


rows = []
for h in hh:
    ms = [m for m in mem if m["household_id"] == h["household_id"]]
    assert len(ms) == int(h["household_size"])
    d = deprivations(h, ms)
    c = sum(W[j] for j, g in d.items() if g)
    w = F(h["weight"])
    rows.append((h["household_id"], w, w * int(h["household_size"]), c))

K, VULNERABLE, SEVERE = F(1, 3), F(1, 5), F(1, 2)


def at(level, k):
    """H, M0 and A at cut-off k; households or persons."""
    wt = (lambda r: r[1]) if level == "household" else (lambda r: r[2])
    total = sum(wt(r) for r in rows)
    poor = [r for r in rows if r[3] >= k]
    H = sum(wt(r) for r in poor) / total
    M0 = sum(wt(r) * r[3] for r in poor) / total
    return H, M0, (M0 / H if H else None)


out = csv.writer(open(os.path.join(HERE, "expected_households.csv"), "w"), lineterminator="\n")
out.writerow(["household_id", "score", "class", "severe"])
for hid, _, _, c in rows:
    cls = "poor" if c >= K else "vulnerable" if c >= VULNERABLE else "not_poor"
    out.writerow([hid, str(c), cls, str(c >= SEVERE).lower()])
out = csv.writer(open(os.path.join(HERE, "expected_measures.csv"), "w"), lineterminator="\n")
out.writerow(["level", "measure", "k", "estimate"])
for level in ("household", "person"):
    for k in (VULNERABLE, K, SEVERE):
        H, M0, A = at(level, k)
        out.writerow([level, "H", str(k), repr(float(H))])
        out.writerow([level, "M0", str(k), repr(float(M0))])
        out.writerow([level, "A", str(k), repr(float(A))])
    wt = (lambda r: r[1]) if level == "household" else (lambda r: r[2])
    total = sum(wt(r) for r in rows)
    share = lambda f: repr(float(sum(wt(r) for r in rows if f(r[3])) / total))
    out.writerow([level, "poor_rate", "", share(lambda c: c >= K)])
    out.writerow([level, "vulnerable_rate", "", share(lambda c: VULNERABLE <= c < K)])
    out.writerow([level, "severe_rate", "", share(lambda c: c >= SEVERE)])
    out.writerow([level, "not_poor_rate", "", share(lambda c: c < VULNERABLE)])
