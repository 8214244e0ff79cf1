#!/usr/bin/env python3
"""Write data/synth/targets.csv: the poor and near-poor rates `dachieu synth`
calibrates each province to, per survey year, under Decision 59/2015.

Published figures (spec §6.1, §6.3) are kept exactly and tagged `published`
with their source. Every other province gets a `derived` rate: a rough level
for 2021 from what is known of its region (the 2021 highest provinces, the
six zero-poor cities and provinces, the regional ordering of §6.2), a ratio to
2020, and a near-poor/poor ratio per region (from the published pairs:
An Giang 2.6, Kiên Giang 2.2, Hải Dương 1.5, Chợ Mới district of Bắc Kạn 0.8).
The derived rates are then scaled, all by one factor per year and measure, so
that the household-weighted national rate equals the published national
figure (2020: 2.75 % poor; 2021: 2.23 % poor, 3.11 % near-poor). The 2020
national near-poor rate is not published (spec §6.1); the derived 2020
near-poor rates are the 2021 ones × 1.06 (the near-poor rate fell more slowly
than the poor rate) and their national average is only reported.

Household weights are the 2019 census populations of provinces.csv divided by
the mean household size of the region's size distribution in
src/synth/people.rs (SIZE_MEAN below must match it).

Python 3.11, standard library only. Run: python3 data/synth/make_targets.py
"""

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
GEO = HERE.parent / "geo" / "provinces.csv"

# Mean household size of each region's size distribution (src/synth/people.rs).
SIZE_MEAN = {"RRD": 3.35, "NMM": 3.95, "NCC": 3.66, "CH": 4.05, "SE": 3.36, "MRD": 3.58}

# Rough 2021 poor rate (%) of every province without a published 2021 figure,
# before scaling: the shape of the distribution, not a claim about any one
# province. Northern mountains and the Central Highlands highest, the Red
# River Delta and the Southeast lowest (spec §6.2 ordering).
ROUGH_2021 = {
    "02": None, "04": None, "06": None, "11": None,  # published (below)
    "08": 6.0, "10": 7.0, "12": 13.0, "14": 12.0, "15": 6.5, "17": 4.7, "19": 2.8,
    "20": 7.5, "24": 2.5, "25": 2.8,
    "01": None, "22": 0.2, "26": 1.0, "27": 0.6, "30": 1.0, "31": None, "33": 1.0,
    "34": 1.3, "35": 1.0, "36": 1.0, "37": 1.5,
    "38": 3.7, "40": 3.8, "42": 2.6, "44": 3.2, "45": 4.0, "46": 2.2, "48": None,
    "49": 3.6, "51": 4.0, "52": 2.0, "54": 2.5, "56": 1.5, "58": 3.3, "60": 1.0,
    "62": 10.5, "64": 4.5, "66": 5.5, "67": 6.5, "68": 1.5,
    "70": 0.9, "72": None, "74": None, "75": 0.15, "77": 0.4, "79": None,
    "80": 0.8, "82": 1.4, "83": 2.4, "84": 2.0, "86": 1.2, "87": 1.9, "89": 1.6,
    "91": 1.6, "92": 0.5, "93": 2.8, "94": 2.8, "95": 1.7, "96": 1.7,
}
# 2020 / 2021 ratio of the poor rate, by region (national 2.75 / 2.23 = 1.23).
RATIO_2020 = {"RRD": 1.35, "NMM": 1.12, "NCC": 1.22, "CH": 1.2, "SE": 1.4, "MRD": 1.2}
# Near-poor / poor, by region (published pairs, see the docstring).
NEAR_RATIO = {"RRD": 1.6, "NMM": 0.5, "NCC": 1.5, "CH": 0.8, "SE": 1.6, "MRD": 2.4}
# Share of the poor that are poor by deprivation (near-poor income band, >= 3
# deprivations) rather than by income. Not published except for Hải Dương 2020
# (5 of 8,858); regional guesses.
DEP_POOR = {"RRD": 0.02, "NMM": 0.12, "NCC": 0.06, "CH": 0.10, "SE": 0.02, "MRD": 0.08}
# Near-poor rate of the provinces with no poor household in 2021 (their own
# higher standards lift incomes; a small near-poor rate remains).
ZERO_POOR_NEAR = 0.10

S46 = "[S46] en.baochinhphu.vn, poverty rate 2.23 % (2021) / 2.75 % (2020)"
S47 = "[S47] Decision 125/QĐ-LĐTBXH (2021 results)"
PUBLISHED = {
    # (province, year, area): (poor %, near-poor %, dep-poor share, source)
    ("89", 2020, "all"): (1.90, 4.94, None, "spec §6.3: An Giang end 2020, 10,232 poor / 26,655 near-poor (provincial press report 27/05/2021)"),
    ("91", 2020, "all"): (1.91, 4.21, None, "[S55] Kiên Giang Decision 24/QĐ-UBND 06/01/2021: 8,790 poor / 19,378 near-poor"),
    ("30", 2020, "all"): (1.36, 2.00, 5 / 8858, "[S56] Hải Dương end 2020: 8,858 poor (8,853 income + 5 deprivation) / 13,030 near-poor"),
    ("30", 2020, "urban"): (1.27, 1.33, 5 / 8858, "[S56] Hải Dương end 2020, urban: 2,461 poor / 2,576 near-poor"),
    ("30", 2020, "rural"): (1.39, 2.28, 5 / 8858, "[S56] Hải Dương end 2020, rural: 6,397 poor / 10,454 near-poor"),
}
PUBLISHED_POOR_2021 = {"11": 27.33, "02": 18.54, "04": 18.36, "06": 17.22,
                       "01": 0.0, "31": 0.0, "48": 0.0, "79": 0.0, "74": 0.0, "72": 0.0}
NATIONAL = {2020: (2.75, None), 2021: (2.23, 3.11)}


def main():
    provs = list(csv.DictReader(GEO.open(encoding="utf-8")))
    region = {p["code"]: p["region"] for p in provs}
    pops = {r["code"]: int(r["population_2019"]) for r in csv.DictReader((HERE / "provinces.csv").open())}
    hh = {c: pops[c] / SIZE_MEAN[region[c]] for c in pops}
    total = sum(hh.values())

    # 2021 poor: published where known, rough elsewhere, scaled to the national rate.
    fixed21 = {c: v for c, v in PUBLISHED_POOR_2021.items()}
    free21 = {c: v for c, v in ROUGH_2021.items() if c not in fixed21}
    k = (NATIONAL[2021][0] * total - sum(hh[c] * v for c, v in fixed21.items())) / sum(hh[c] * v for c, v in free21.items())
    poor21 = {**fixed21, **{c: v * k for c, v in free21.items()}}
    # 2021 near-poor: region ratio × poor (zero-poor provinces: a small rate), scaled.
    near21_raw = {c: (ZERO_POOR_NEAR if poor21[c] == 0 else poor21[c] * NEAR_RATIO[region[c]]) for c in hh}
    kn = NATIONAL[2021][1] * total / sum(hh[c] * v for c, v in near21_raw.items())
    near21 = {c: v * kn for c, v in near21_raw.items()}
    # 2020 poor: region ratio × 2021 for the derived provinces, published ones fixed, scaled.
    pub20 = {c: v[0] for (c, y, a), v in PUBLISHED.items() if y == 2020 and a == "all"}
    rough20 = {c: (poor21[c] if poor21[c] > 0 else 0.05) * RATIO_2020[region[c]]
               for c in hh if c not in pub20}
    k20 = (NATIONAL[2020][0] * total - sum(hh[c] * v for c, v in pub20.items())) / sum(hh[c] * v for c, v in rough20.items())
    poor20 = {**pub20, **{c: v * k20 for c, v in rough20.items()}}
    near20 = {c: near21[c] * 1.06 for c in hh}
    for (c, y, a), v in PUBLISHED.items():
        if y == 2020 and a == "all":
            near20[c] = v[1]

    rows = []
    note_scale = "derived: regional shape scaled so the national rate is the published one (see make_targets.py)"
    for y, poor, near in ((2020, poor20, near20), (2021, poor21, near21)):
        nat_p = sum(hh[c] * poor[c] for c in hh) / total
        nat_n = sum(hh[c] * near[c] for c in hh) / total
        pp, pn = NATIONAL[y]
        rows.append(["VN", y, "all", f"{nat_p:.2f}", f"{nat_n:.2f}", "",
                     "published" if pn is not None else "published_poor",
                     S47 if y == 2021 else S46 + "; near-poor not published, the derived provinces' average shown"])
        for c in sorted(hh):
            pub = PUBLISHED.get((c, y, "all"))
            if pub:
                rows.append([c, y, "all", f"{pub[0]:.2f}", f"{pub[1]:.2f}", f"{pub[2]:.6f}" if pub[2] else f"{DEP_POOR[region[c]]:.2f}", "published", pub[3]])
                for a in ("urban", "rural"):
                    pa = PUBLISHED.get((c, y, a))
                    if pa:
                        rows.append([c, y, a, f"{pa[0]:.2f}", f"{pa[1]:.2f}", f"{pa[2]:.6f}", "published", pa[3]])
                continue
            if y == 2021 and c in PUBLISHED_POOR_2021:
                status, src = "published_poor", S46 + ("; highest four provinces of 2021" if poor[c] > 0 else "; no poor household in 2021") + "; near-poor derived"
            else:
                status, src = "derived", note_scale
            rows.append([c, y, "all", f"{poor[c]:.2f}", f"{near[c]:.2f}", f"{DEP_POOR[region[c]]:.2f}", status, src])

    with (HERE / "targets.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["province_code", "year", "area", "poor_pct", "near_poor_pct", "dep_poor_share", "status", "source"])
        w.writerows(rows)
    for r in rows:
        if r[0] == "VN":
            print("national", r[1], "poor", r[3], "near-poor", r[4])
    print(f"scale factors: poor 2021 {k:.3f}, near-poor 2021 {kn:.3f}, poor 2020 {k20:.3f}")
    top = sorted(((poor21[c], c) for c in hh), reverse=True)[:6]
    print("2021 highest:", ", ".join(f"{c} {v:.2f}" for v, c in top))


if __name__ == "__main__":
    main()
