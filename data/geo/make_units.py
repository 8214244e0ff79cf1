#!/usr/bin/env python3
"""Derive the bundled unit lists in this folder from GSO's lists as kept in
the project's shared reference folder (see README.md here for sources).

    python3 data/geo/make_units.py ../shared/data/admin-units

writes units63.csv, communes34.csv and commune_crosswalk.csv, and re-codes
units34.csv, crosswalk_2025.csv and tilegrid34.csv to the codes of Official
Letter 915/CTK-CSCL. Names are kept as GSO spells them, except that the
capital letter some rows carry inside a unit type ("Thị Xã", "Thành Phố",
"Thị Trấn") is written as everywhere else in the list ("Thị xã", …).
"""
import csv, os, sys

src = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
FIX = {"Thị Xã ": "Thị xã ", "Thành Phố ": "Thành phố ", "Thị Trấn ": "Thị trấn "}


def tidy(name):
    for a, b in FIX.items():
        if name.startswith(a):
            return b + name[len(a):]
    return name


def read(name):
    with open(os.path.join(src, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(name, header, rows):
    with open(os.path.join(here, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


old = read("units_2025-03-01.csv")
write("units63.csv",
      ["province_code", "district_code", "district_name", "commune_code", "commune_name"],
      [[r["province_code"], r["district_code"], tidy(r["district_name"]),
        r["commune_code"], tidy(r["commune_name"])] for r in old])

new = read("units_2025-07-01.csv")
write("communes34.csv", ["province_code", "commune_code", "commune_name"],
      [[r["province_code"], r["commune_code"], tidy(r["commune_name"])] for r in new])

cw = read("commune_crosswalk_2025.csv")
write("commune_crosswalk.csv", ["old_commune_code", "new_commune_code", "whole"],
      [[r["old_commune_code"], r["new_commune_code"], r["whole"]] for r in cw])

# The 34 units' codes: the official letter's, read from the new list.
official = {}
for r in new:
    official.setdefault(r["province_code"], r["province_name"])
# units34.csv as first written used the code of the constituent whose name
# the unit kept; the official list gives seven units another constituent's code.
RECODE = {"10": "15", "27": "24", "45": "44", "64": "52", "72": "80", "87": "82", "89": "91"}
for fname, cols in [("units34.csv", [0]), ("crosswalk_2025.csv", [1]), ("tilegrid34.csv", [0])]:
    path = os.path.join(here, fname)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for r in rows[1:]:
        for c in cols:
            r[c] = RECODE.get(r[c], r[c])
    if fname == "units34.csv":
        codes = {r[0] for r in rows[1:]}
        assert codes == set(official), sorted(codes ^ set(official))
        rows[1:] = sorted(rows[1:])
    write(fname, rows[0], rows[1:])
