#!/usr/bin/env python3
"""Make the committed review sample: data-samples/households.csv and members.csv.

A synthetic, census-style poverty-review sample (rà soát hộ nghèo) of about
2,000 households per year in six provinces, for the survey years 2020 and 2021
(both reviewed under Decision 59/2015/QĐ-TTg) and 2022 (the first review under
Decree 07/2021/NĐ-CP). The same households are followed across the years: a few
dissolve after 2020, a few new ones appear in 2021, incomes move a little and
some households cross the lines; in 2022 the 2021 households are followed again
with incomes moved to 2022 levels, so that the 2022–2025 standard gives shares
of poor and near-poor households like the published 2022 results.

Every column of data contract v2 is filled (employment, social allowances, child
nutrition, BMI, schooling years, vocational training, digital services, assets,
electricity, cooking fuel, floor, water time, shared latrine, waste, child
deaths; review-form score A in 2022). Those columns, and everything about 2022,
are drawn from their own random streams (seeded per household and person), so
the 2020 and 2021 values of the original columns are exactly what they were
before the contract grew.

Nothing here is real data. Province-level income distributions are calibrated
so that the 2020 shares of poor and near-poor households land near the
published 2020 results (spec §6.3). District and commune codes are real: GSO's
list of 01/03/2025 (data/geo/units63.csv, read here to check them).

The kept columns (ethnic_minority, village, head_name, address) are drawn
from streams of their own too (seeded per household and commune), so adding
them moved no other value. Names and addresses are synthetic: combinations
of short lists of common family, middle and given names and street names.

Python 3.11, standard library only, deterministic (one random.Random seeded
with 20201231). Run from anywhere:

    python3 data-samples/make_sample.py

It rewrites both CSV files next to this script (UTF-8, no BOM, `\\n` line
endings) and prints a quick check: the share of households per province and
year that the Decision 59/2015 rule classifies poor / near-poor / average /
undetermined, computed from the written rows with the indicator definitions of
indicators/vn-2016-2020 (missing values make an indicator unknown; a household
whose class depends on unknowns is undetermined); and the same for 2022 under
Decree 07/2021 with the definitions of indicators/vn-2022-2025.
"""

import csv
import io
import math
import random
from pathlib import Path
from statistics import NormalDist

SEED = 20201231
YEARS = (2020, 2021, 2022)
OUT = Path(__file__).resolve().parent
ND = NormalDist()

HOUSEHOLD_COLUMNS = [
    "survey_year", "household_id", "province_code", "district_code", "commune_code",
    # kept columns (schema::KEPT_COLUMNS): pass-through for the follow-up lists
    "village", "head_name", "address",
    "area", "ethnic_minority", "household_size", "income_per_capita_month", "income_total_year", "score_b1",
    "score_a",
    "walls_durable", "columns_durable", "roof_durable", "dwelling_type", "floor_area_m2",
    "water_source", "latrine", "has_tv", "has_radio", "has_computer", "hears_loudspeaker",
    # contract v2
    "has_phone", "has_fridge", "has_bicycle", "has_motorbike", "has_car", "has_animal_cart",
    "has_electricity", "cooking_fuel", "floor_finished", "water_minutes", "latrine_shared",
    "waste_treatment", "child_deaths_5y",
]
MEMBER_COLUMNS = [
    "survey_year", "household_id", "member_id", "age", "birth_year", "sick_last_12m",
    "sought_care", "has_health_insurance", "education_level", "in_school", "uses_phone",
    "uses_internet",
    # contract v2
    "employment_status", "has_labour_contract", "receives_social_allowance", "stunted",
    "underweight", "bmi", "years_schooling", "vocational_training", "uses_digital_services",
]

# Decision 59/2015 lines, VND per person per month: (poverty, near-poverty, average).
LINES = {"rural": (700_000, 1_000_000, 1_500_000), "urban": (900_000, 1_300_000, 1_950_000)}
# Circular 14/2018 score lines for B1: (poverty, near-poverty).
SCORE_LINES = {"rural": (120, 150), "urban": (140, 175)}
# Decree 07/2021 lines (reviews 2022–2026): (poverty, upper bound of the average band).
LINES_07 = {"rural": (1_500_000, 2_250_000), "urban": (2_000_000, 3_000_000)}
# Circular 07/2021 score A lines.
SCORE_A_LINES = {"rural": 140, "urban": 175}
# 2022 targets (poor, near-poor) per province under Decree 07/2021, from the
# published 2022 regional results (spec §6.2): Mekong Delta 5.73 % poor and
# near-poor, Red River Delta 2.45 %, Northern Midlands and Mountains 14.23 % /
# 7.69 % (Điện Biên, among its poorest provinces, set well above), Southeast
# 0.34 %. The split between poor and near-poor comes out of the deprivations.
TARGETS_2022 = {"89": 0.060, "91": 0.055, "30": 0.026, "11": 0.42, "01": 0.005, "79": 0.005}

# ---------------------------------------------------------------------------
# Geography and province parameters.
#
# Each district: (code, name, log-income shift, communes); each commune:
# (code, name, urban?, households in 2020). Every district and commune code is
# GSO's, from the list of 01/03/2025 in data/geo/units63.csv (check_geography()
# holds the table against that file, and a commune's urban flag against its
# type: phường and thị trấn urban, xã rural). The communes were first made up
# in GSO style; each was then replaced, within its district and keeping its
# urban flag, by the listed commune with its code, else the one with its name,
# else the lowest-coded one of its type not yet used; the flags, sizes and
# income shifts did not move, so neither did any random draw.
#
# targets: published 2020 shares (poor, near-poor) the income distribution is
#   calibrated to (spec §6.3); for Hà Nội and TP HCM a small target only sets
#   the level, and min_income keeps them at zero poor.
# dep_poor: expected share of the near-poor income band that is
#   deprivation-poor (>= 3 deprivations), used to split the target.
# sigma: spread of log income; None = solved from the two targets.
# vulnerable: optional share of households in a low-income group (VULN_RANGE),
#   used where the poor are few but the near-poor band is thin (Hải Dương).
# urban_extra: log-income premium of urban households beyond the ratio of the
#   urban to the rural lines.
# dep: multiplier of deprivation probabilities (1 = Mekong Delta rural level).
# sizes: weights of household sizes 1..8.
# trend: mean change of log income from 2020 to 2021.
# min_income: optional floor on income as a multiple of the poverty line (the
#   two cities reported no poor households in 2020-2021; their own assistance
#   schemes keep incomes above the national line).
# ---------------------------------------------------------------------------
PROVINCES = [
    {
        "code": "89", "name": "An Giang", "targets": (0.0190, 0.0494), "dep_poor": 0.13,
        "sigma": None, "dep": 1.0, "urban_extra": 0.10, "trend": 0.02, "region": "mekong",
        "sizes": [8, 17, 22, 28, 14, 7, 3, 1],
        "districts": [
            ("883", "TP Long Xuyên", 0.25, [
                ("30280", "P. Mỹ Bình", True, 65), ("30283", "P. Mỹ Long", True, 55),
                ("30313", "X. Mỹ Hoà Hưng", False, 50)]),
            ("886", "H. An Phú", -0.10, [
                ("30337", "TT An Phú", True, 20), ("30340", "X. Khánh An", False, 60),
                ("30352", "X. Phú Hữu", False, 60)]),
            ("887", "TX Tân Châu", 0.00, [
                ("30376", "P. Long Thạnh", True, 45), ("30385", "X. Vĩnh Hòa", False, 85)]),
            ("891", "H. Tri Tôn", -0.30, [
                ("30544", "TT Tri Tôn", True, 25), ("30565", "X. Lương Phi", False, 70),
                ("30586", "X. Ô Lâm", False, 65)]),
        ],
    },
    {
        "code": "91", "name": "Kiên Giang", "targets": (0.0191, 0.0421), "dep_poor": 0.13,
        "sigma": None, "dep": 1.0, "urban_extra": 0.10, "trend": 0.02, "region": "mekong",
        "sizes": [8, 17, 22, 28, 14, 7, 3, 1],
        "districts": [
            ("899", "TP Rạch Giá", 0.25, [
                ("30757", "P. Vĩnh Lợi", True, 40), ("30760", "P. Vĩnh Thông", True, 35),
                ("30763", "X. Phi Thông", False, 25)]),
            ("903", "H. Hòn Đất", -0.05, [
                ("30817", "TT Hòn Đất", True, 12), ("30823", "X. Bình Sơn", False, 50),
                ("30844", "X. Mỹ Lâm", False, 48)]),
            ("906", "H. Giồng Riềng", -0.15, [
                ("30904", "TT Giồng Riềng", True, 12), ("30922", "X. Bàn Tân Định", False, 58),
                ("30928", "X. Ngọc Chúc", False, 50)]),
            ("911", "TP Phú Quốc", 0.20, [
                ("31078", "P. Dương Đông", True, 30), ("31090", "X. Cửa Dương", False, 40)]),
        ],
    },
    {
        "code": "30", "name": "Hải Dương", "targets": (0.0136, 0.0200), "dep_poor": 0.02,
        "sigma": 0.55, "vulnerable": 0.015, "dep": 0.40, "urban_extra": 0.05, "trend": 0.03, "region": "red_river",
        "sizes": [8, 17, 22, 28, 14, 7, 3, 1],
        "districts": [
            ("288", "TP Hải Dương", 0.20, [
                ("10507", "P. Cẩm Thượng", True, 38), ("10510", "P. Bình Hàn", True, 32),
                ("10663", "X. An Thượng", False, 10)]),
            ("290", "TP Chí Linh", 0.05, [
                ("10552", "P. Bến Tắm", True, 30), ("10555", "X. Hoàng Hoa Thám", False, 50)]),
            ("294", "H. Thanh Hà", -0.05, [
                ("10813", "TT Thanh Hà", True, 8), ("10867", "X. Thanh Sơn", False, 42),
                ("10855", "X. Thanh Xuân", False, 45)]),
            ("298", "H. Tứ Kỳ", -0.10, [
                ("11074", "TT Tứ Kỳ", True, 8), ("11083", "X. Đại Sơn", False, 42),
                ("11125", "X. An Thanh", False, 45)]),
        ],
    },
    {
        "code": "11", "name": "Điện Biên", "targets": (0.25, 0.12), "dep_poor": 0.25,
        "sigma": None, "dep": 1.4, "urban_extra": 0.20, "trend": -0.02, "region": "mountain",
        "sizes": [4, 10, 16, 24, 20, 14, 8, 4],
        "districts": [
            ("094", "TP Điện Biên Phủ", 0.60, [
                ("03127", "P. Him Lam", True, 18), ("03130", "P. Thanh Bình", True, 16),
                ("03145", "X. Thanh Minh", False, 6)]),
            ("096", "H. Mường Nhé", -0.35, [
                ("03160", "X. Mường Nhé", False, 32), ("03163", "X. Mường Toong", False, 28)]),
            ("099", "H. Tuần Giáo", -0.10, [
                ("03253", "TT Tuần Giáo", True, 8), ("03289", "X. Quài Cang", False, 35),
                ("03262", "X. Mùn Chung", False, 32)]),
            ("100", "H. Điện Biên", 0.10, [
                ("03334", "X. Thanh Xương", False, 27), ("03319", "X. Mường Pồn", False, 25),
                ("03340", "X. Pa Thơm", False, 23)]),
        ],
    },
    {
        "code": "01", "name": "Hà Nội", "targets": (0.003, 0.0), "dep_poor": 0.0,
        "sigma": 0.55, "dep": 0.35, "urban_extra": 0.10, "trend": 0.0, "region": "red_river",
        "min_income": 1.4,
        "sizes": [10, 19, 24, 27, 12, 5, 2, 1],
        "districts": [
            ("001", "Q. Ba Đình", 0.15, [
                ("00001", "P. Phúc Xá", True, 18), ("00004", "P. Trúc Bạch", True, 16),
                ("00006", "P. Vĩnh Phúc", True, 16)]),
            ("005", "Q. Cầu Giấy", 0.20, [
                ("00157", "P. Nghĩa Đô", True, 26), ("00160", "P. Nghĩa Tân", True, 24)]),
            ("271", "H. Ba Vì", -0.15, [
                ("09619", "TT Tây Đằng", True, 8), ("09625", "X. Phú Cường", False, 22),
                ("09628", "X. Cổ Đô", False, 20)]),
            ("277", "H. Chương Mỹ", -0.10, [
                ("10015", "TT Chúc Sơn", True, 8), ("10021", "X. Phụng Châu", False, 22),
                ("10024", "X. Tiên Phương", False, 20)]),
        ],
    },
    {
        "code": "79", "name": "TP Hồ Chí Minh", "targets": (0.003, 0.0), "dep_poor": 0.0,
        "sigma": 0.55, "dep": 0.35, "urban_extra": 0.10, "trend": -0.02, "region": "southeast",
        "min_income": 1.4,
        "sizes": [10, 19, 24, 27, 12, 5, 2, 1],
        "districts": [
            ("760", "Q. 1", 0.20, [
                ("26734", "P. Tân Định", True, 22), ("26737", "P. Đa Kao", True, 20),
                ("26740", "P. Bến Nghé", True, 18)]),
            ("769", "TP Thủ Đức", 0.15, [
                ("26800", "P. Linh Trung", True, 34), ("26803", "P. Tam Bình", True, 36)]),
            ("783", "H. Củ Chi", -0.15, [
                ("27496", "TT Củ Chi", True, 6), ("27499", "X. Phú Mỹ Hưng", False, 15),
                ("27502", "X. An Phú", False, 14)]),
            ("785", "H. Bình Chánh", -0.05, [
                ("27595", "TT Tân Túc", True, 8), ("27598", "X. Phạm Văn Hai", False, 14),
                ("27601", "X. Vĩnh Lộc A", False, 13)]),
        ],
    },
]

# Care-centre style households (a social-protection centre, a pagoda shelter):
# several unrelated residents whose ages and details are unknown. Incomes are
# per capita for (2020, 2021); three sit in the near-poor band so their class
# depends on the unknown member indicators (undetermined), one is income-poor
# and one above the average band (both classified whatever the unknowns).
CARE_CENTRES = [
    # (province, district, commune, size, floor m², (income 2020, income 2021))
    # 2022: four under the Decree 07/2021 line (undetermined: poor or near-poor
    # depends on the unknown member indicators) and one in the average band.
    ("89", "883", "30283", 9, 64.0, (1_100_000, 1_150_000, 1_600_000)),
    ("89", "891", "30565", 7, 48.0, (850_000, 880_000, 1_200_000)),
    ("91", "899", "30760", 8, 60.0, (1_200_000, 1_250_000, 1_800_000)),
    ("11", "094", "03130", 6, 54.0, (600_000, 620_000, 1_000_000)),
    ("30", "288", "10510", 6, 90.0, (2_500_000, 2_600_000, 2_900_000)),
]

# Codes by region for water sources and latrines, as (code, weight) lists.
WATER_GOOD = {
    "mekong": {"rural": [("piped", 70), ("rainwater", 14), ("protected_well", 12), ("bottled", 4)],
               "urban": [("piped", 92), ("bottled", 5), ("rainwater", 3)]},
    "red_river": {"rural": [("piped", 68), ("protected_well", 27), ("rainwater", 3), ("bottled", 2)],
                  "urban": [("piped", 95), ("protected_well", 3), ("bottled", 2)]},
    "mountain": {"rural": [("piped", 40), ("protected_spring", 38), ("protected_well", 17), ("rainwater", 5)],
                 "urban": [("piped", 90), ("protected_well", 7), ("protected_spring", 3)]},
    "southeast": {"rural": [("piped", 75), ("protected_well", 20), ("bottled", 5)],
                  "urban": [("piped", 93), ("bottled", 5), ("protected_well", 2)]},
}
WATER_BAD = {
    "mekong": [("surface", 55), ("unprotected_well", 30), ("tanker", 8), ("other", 7)],
    "red_river": [("unprotected_well", 70), ("surface", 20), ("other", 10)],
    "mountain": [("unprotected_spring", 50), ("surface", 30), ("unprotected_well", 20)],
    "southeast": [("unprotected_well", 70), ("tanker", 30)],
}
LATRINE_GOOD = {
    "rural": [("septic_tank", 78), ("double_vault", 8), ("ventilated_pit", 7), ("biogas", 7)],
    "urban": [("septic_tank", 85), ("sewer", 12), ("ventilated_pit", 3)],
}
LATRINE_BAD = {
    "mekong": [("over_water", 55), ("single_pit", 20), ("none", 15), ("bucket", 5), ("other", 5)],
    "red_river": [("single_pit", 60), ("bucket", 20), ("none", 10), ("other", 10)],
    "mountain": [("single_pit", 55), ("none", 30), ("bucket", 10), ("other", 5)],
    "southeast": [("single_pit", 50), ("none", 30), ("other", 20)],
}

# Deprivation probabilities at the poverty line (w = 0), before the province
# multiplier; they fall by exp(-0.55 w) as income rises (w = distance above the
# poverty line in units of the gap between poverty and near-poverty lines).
P_HOUSING = 0.30
P_WATER = 0.16
P_LATRINE = 0.30
P_TELECOM = 0.05
P_ASSETS = 0.08
P_UNINSURED = 0.08     # per member aged 6+
P_NO_CARE = 0.20       # per sick member
P_EARLY_YOUNG = 0.24   # born 1986-2005: left school before completing lower secondary
P_EARLY_CHILD = 0.10   # born 2006 or later: will leave school before 15
FLOOR_MEDIAN_PP = 11.0 # m² per person at w = 0

HH_MISSING = 0.015     # share of blank household characteristic cells
MEM_MISSING = 0.010    # share of blank member cells
AGE_ONLY_ONE = 0.03    # members with only one of age / birth_year


def pick(rng, pairs):
    codes = [c for c, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(codes, weights)[0]


def prob(base, w, mult, floor=0.0, cap=0.9):
    return min(cap, floor + mult * base * math.exp(-0.55 * max(w, -1.5)))


def floored(prov, area, log_income):
    """Reflect incomes below the province's floor back above it (no spike at the floor)."""
    m = prov.get("min_income")
    if m is None:
        return log_income
    f = math.log(LINES[area][0] * m)
    return log_income if log_income >= f else 2 * f - log_income


def band_position(income, area):
    p, n, _ = LINES[area]
    return (math.log(max(income, 1)) - math.log(p)) / math.log(n / p)


# ---------------------------------------------------------------------------
# Income calibration: log income = mu + shift + sigma * z, z ~ N(0, 1).
# ---------------------------------------------------------------------------

# A "vulnerable" group (elderly or sick people without earners, the typical
# remaining poor of a well-off province): incomes log-uniform between these
# multiples of the area's poverty line; VULN_BELOW of them are at or below it.
VULN_RANGE = (0.5, 1.4)
VULN_BELOW = math.log(1 / VULN_RANGE[0]) / math.log(VULN_RANGE[1] / VULN_RANGE[0])


def cells_of(prov):
    total = sum(n for _, _, _, cs in prov["districts"] for _, _, _, n in cs)
    cells = []
    for _, _, shift, communes in prov["districts"]:
        for _, _, urban, n in communes:
            area = "urban" if urban else "rural"
            s = shift + (math.log(9 / 7) + prov["urban_extra"] if urban else 0.0)
            cells.append((n / total, s, LINES[area][0], LINES[area][1]))
    return cells


def expected_shares(mu, sigma, cells):
    poor = band = 0.0
    for w, s, p, n in cells:
        a = ND.cdf((math.log(p) - mu - s) / sigma)
        b = ND.cdf((math.log(n) - mu - s) / sigma)
        poor += w * a
        band += w * (b - a)
    return poor, band


def solve_mu(sigma, cells, target_poor):
    lo, hi = 10.0, 20.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if expected_shares(mid, sigma, cells)[0] > target_poor:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def calibrate(prov):
    """(mu, sigma) so that the expected income-poor and band shares match the
    published poor / near-poor shares, given the expected deprivation-poor part."""
    cells = cells_of(prov)
    poor, near = prov["targets"]
    f = prov["dep_poor"]
    band = near / (1 - f)
    income_poor = max(poor - f * band, poor * 0.3)
    if prov["sigma"] is not None:
        # With a vulnerable group, the main distribution supplies the rest.
        v = prov.get("vulnerable", 0.0)
        main_poor = max(1e-5, (income_poor - v * VULN_BELOW) / (1 - v))
        return solve_mu(prov["sigma"], cells, main_poor), prov["sigma"]
    lo, hi = 0.2, 2.5
    for _ in range(60):
        sigma = (lo + hi) / 2
        mu = solve_mu(sigma, cells, income_poor)
        if expected_shares(mu, sigma, cells)[1] > band:
            lo = sigma
        else:
            hi = sigma
    sigma = (lo + hi) / 2
    return solve_mu(sigma, cells, income_poor), sigma


# ---------------------------------------------------------------------------
# People.
# ---------------------------------------------------------------------------

class Person:
    def __init__(self, rng, member_id, birth_year, w, mult):
        self.member_id = member_id
        self.birth_year = birth_year
        self.u_ins = rng.random()
        self.u_phone = rng.random()
        self.u_net = rng.random()
        self.kinder = rng.random() < 0.65
        self.leave_age = self._leave_age(rng, w, mult)
        self.w0, self.mult = w, mult

    def _leave_age(self, rng, w, mult):
        """Age at which the person leaves (or left) school; 0 = never attended."""
        by = self.birth_year
        if by >= 2006:
            early = prob(P_EARLY_CHILD, w, mult, floor=0.005, cap=0.5)
            early_ages = [(0, 1), (6, 1), (8, 1), (9, 1), (10, 2), (11, 3), (12, 3), (13, 4), (14, 4)]
        elif by >= 1986:
            early = prob(P_EARLY_YOUNG, w, mult, floor=0.02, cap=0.8)
            early_ages = [(0, 1), (8, 1), (9, 1), (10, 2), (11, 3), (12, 3), (13, 4), (14, 4)]
        else:
            early = min(0.9, 0.12 + mult * 0.35 * math.exp(-0.35 * max(w, -1.5)))
            early_ages = [(0, 3), (8, 2), (9, 2), (10, 3), (11, 4), (12, 3), (13, 3), (14, 3)]
        if rng.random() < early:
            return pick(rng, early_ages)
        # Completed at least lower secondary: how much further, by cohort.
        if by >= 1986:
            tertiary, upper = min(0.35, max(0.02, 0.04 + 0.05 * w)), 0.45
        elif by >= 1960:
            tertiary, upper = min(0.25, max(0.01, 0.03 + 0.03 * w)), 0.35
        else:
            tertiary, upper = min(0.15, max(0.01, 0.02 + 0.02 * w)), 0.25
        r = rng.random()
        if r < tertiary:
            return rng.randint(22, 24)
        if r < tertiary + upper:
            return rng.randint(18, 21)
        return rng.randint(15, 17)

    def age(self, year):
        return year - self.birth_year

    def in_school(self, year):
        a = self.age(year)
        if a < 3:
            return False
        if a < 5:
            return self.kinder and self.leave_age > 0
        return a < self.leave_age

    def education(self, year):
        m = min(self.age(year), self.leave_age)
        if m >= 22:
            return "tertiary"
        if m >= 18:
            return "upper_secondary"
        if m >= 15:
            return "lower_secondary"
        if m >= 11:
            return "primary"
        return "none"


def household_ages(rng, size, head_range=(25, 79)):
    """Ages in 2020 of a plausible household of `size`: head, spouse, then others."""
    lo, hi = head_range
    if size == 1:
        if hi >= 60 and rng.random() < 0.6:
            return [rng.randint(60, hi)]
        return [rng.randint(lo, min(hi, 59))]
    head = int(round(rng.triangular(lo, hi, 44)))
    ages = [head]
    if rng.random() < (0.9 if head < 65 else 0.7):
        ages.append(min(95, max(20, head + rng.randint(-7, 3))))
    others = []
    slots = size - len(ages)
    if head <= 55:
        if slots >= 3 and rng.random() < 0.35 or slots >= 1 and rng.random() < 0.08:
            others.append(min(95, head + rng.randint(22, 32)))
            slots -= 1
        top = max(0, min(head - 19, 28))
        others += [rng.randint(0, top) for _ in range(slots)]
    else:
        child = max(18, head - rng.randint(22, 34))
        if slots:
            others.append(child)
            slots -= 1
        if slots and rng.random() < 0.7:
            others.append(max(18, child + rng.randint(-4, 3)))
            slots -= 1
        top = max(0, min(child - 19, 17))
        others += [rng.randint(0, top) for _ in range(slots)]
    others.sort(reverse=True)
    return ages + others


# ---------------------------------------------------------------------------
# Households.
# ---------------------------------------------------------------------------

class Household:
    pass


def weighted_size(rng, weights):
    return rng.choices(range(1, 9), weights)[0]


def make_household(rng, prov, district, commune, seq, log_income, year0, care=None, head_range=(25, 79), size=None):
    h = Household()
    h.prov = prov
    h.district, h.commune = district, commune
    h.area = "urban" if commune[2] else "rural"
    h.id = f"{prov['code']}-{district[0]}-{seq:05d}"
    h.care = care
    h.mode = "pc"
    r = rng.random()
    if care is None:
        h.mode = "pc" if r < 0.85 else ("total" if r < 0.95 else "score")
    h.log_income = {year0: log_income}
    mult = prov["dep"] * (0.7 if h.area == "urban" else 1.0)
    h.mult = mult
    w = band_position(math.exp(log_income), h.area)
    h.w0 = w
    reg = prov["region"]
    # Fixed household characteristics (2020 state; 2021 may improve a little).
    h.housing_dep = rng.random() < prob(P_HOUSING, w, mult)
    h.dwelling_mode = rng.random() < 0.05
    if h.housing_dep:
        h.parts = pick(rng, [((0, 0, 0), 40), ((0, 0, 1), 20), ((0, 1, 0), 15), ((1, 0, 0), 25)])
        h.dwelling_type = pick(rng, [("less_permanent", 60), ("simple", 40)])
    else:
        h.parts = pick(rng, [((1, 1, 1), 80), ((1, 1, 0), 14), ((0, 1, 1), 6)])
        h.dwelling_type = pick(rng, [("permanent", 45), ("semi_permanent", 55)])
    h.water = pick(rng, WATER_BAD[reg]) if rng.random() < prob(P_WATER, w, mult) else pick(rng, WATER_GOOD[reg][h.area])
    h.latrine = pick(rng, LATRINE_BAD[reg]) if rng.random() < prob(P_LATRINE, w, mult) else pick(rng, LATRINE_GOOD[h.area])
    if rng.random() < prob(P_ASSETS, w, mult):
        h.assets = [0, 0, 0, 0]
    else:
        loud_p = 0.45 if h.area == "urban" else 0.7
        h.assets = [
            int(rng.random() < min(0.97, 0.85 + 0.03 * w)),
            int(rng.random() < 0.12),
            int(rng.random() < min(0.8, max(0.02, 0.05 + 0.07 * w))),
            int(rng.random() < loud_p),
        ]
        if not any(h.assets):
            h.assets[0] = 1
    h.u_tel = rng.random()
    if care is not None:
        size = care[3]
        h.members = [Person(rng, str(i + 1), year0 - 40, w, mult) for i in range(size)]
        h.floor = care[4]
        h.fixed_income = dict(zip(YEARS, care[5]))
        # A solid building with water, latrine and a television: only the
        # crowding is known to be a deprivation.
        h.housing_dep, h.dwelling_mode, h.parts = False, False, (1, 1, 1)
        h.water, h.latrine, h.assets = "piped", "septic_tank", [1, 0, 0, 1]
        return h
    if size is None:
        size = weighted_size(rng, prov["sizes"])
    ages = household_ages(rng, size, head_range)
    h.members = [Person(rng, str(i + 1), year0 - a, w, mult) for i, a in enumerate(ages)]
    pp = FLOOR_MEDIAN_PP * math.exp(0.22 * max(w, -1.5)) * math.exp(rng.gauss(0, 0.4))
    if prov["code"] in ("01", "79") and h.area == "urban":
        pp *= 0.85
    h.floor = round(max(6.0, pp * size), 1)
    return h


def build_panel(rng):
    """All households of 2020 and 2021 as a dict year -> list of Household."""
    panel = {2020: [], 2021: [], 2022: []}
    seq_max = {}
    for prov in PROVINCES:
        mu, sigma = calibrate(prov)
        prov["mu"], prov["sigma_used"] = mu, sigma
        n = sum(c[3] for d in prov["districts"] for c in d[3])
        # Stratified draws of the latent income position keep the province's
        # realised distribution close to the calibrated one.
        us = [(k + rng.random()) / n for k in range(n)]
        rng.shuffle(us)
        zs = [ND.inv_cdf(u) for u in us]
        vulnerable = set(rng.sample(range(n), round(prov.get("vulnerable", 0.0) * n)))
        i = 0
        for district in prov["districts"]:
            seq = 0
            for commune in district[3]:
                for _ in range(commune[3]):
                    seq += rng.randint(1, 3)
                    urban = commune[2]
                    s = district[2] + (math.log(9 / 7) + prov["urban_extra"] if urban else 0.0)
                    area = "urban" if urban else "rural"
                    if i in vulnerable:
                        li = math.log(LINES[area][0]) + rng.uniform(*(math.log(x) for x in VULN_RANGE))
                    else:
                        li = floored(prov, area, mu + s + sigma * zs[i])
                    h = make_household(rng, prov, district, commune, seq, li, 2020)
                    i += 1
                    panel[2020].append(h)
            seq_max[(prov["code"], district[0])] = seq
    # Care-centre households.
    for care in CARE_CENTRES:
        prov = next(p for p in PROVINCES if p["code"] == care[0])
        district = next(d for d in prov["districts"] if d[0] == care[1])
        commune = next(c for c in district[3] if c[0] == care[2])
        key = (prov["code"], district[0])
        seq_max[key] += 1
        h = make_household(rng, prov, district, commune, seq_max[key], math.log(care[5][0]), 2020, care=care)
        panel[2020].append(h)
    return panel, seq_max


def evolve(rng, panel, seq_max):
    """2021: the same households a year on, minus dissolved ones, plus new ones."""
    regular = [h for h in panel[2020] if h.care is None]
    elderly_alone = [h for h in regular if len(h.members) == 1 and h.members[0].age(2020) >= 70]
    dissolved = {h.id for h in rng.sample(elderly_alone, min(15, len(elderly_alone)))}
    others = [h for h in regular if h.id not in dissolved]
    dissolved |= {h.id for h in rng.sample(others, 12)}
    for h in panel[2020]:
        if h.id in dissolved:
            continue
        prov = h.prov
        if h.care is None:
            h.log_income[2021] = floored(prov, h.area, h.log_income[2020] + prov["trend"] + rng.gauss(0, 0.13))
        # Small improvements.
        if h.housing_dep and rng.random() < 0.08:
            h.housing_dep = False
            h.parts = (1, 1, 1)
            h.dwelling_type = "semi_permanent"
            h.floor = round(h.floor * 1.2, 1)
        if h.latrine in dict(LATRINE_BAD[prov["region"]]) and rng.random() < 0.06:
            h.latrine = "septic_tank"
        if h.water in dict(WATER_BAD[prov["region"]]) and rng.random() < 0.05:
            h.water = "piped"
        if h.assets[2] == 0 and rng.random() < 0.03:
            h.assets = [h.assets[0], h.assets[1], 1, h.assets[3]]
        h.members21 = list(h.members)
        if h.care is None:
            adults = [m for m in h.members if m.member_id != "1"]
            if len(h.members) >= 2 and h.members[0].age(2020) < 45 and rng.random() < 0.035:
                w = band_position(math.exp(h.log_income[2021]), h.area)
                nxt = str(max(int(m.member_id) for m in h.members) + 1)
                h.members21.append(Person(rng, nxt, 2021, w, h.mult))
            elif adults and rng.random() < 0.02:
                old = [m for m in adults if m.age(2020) >= 75]
                young = [m for m in adults if 18 <= m.age(2020) <= 30]
                gone = old[0] if old else (young[0] if young else None)
                if gone is not None:
                    h.members21.remove(gone)
        panel[2021].append(h)
    # New households in 2021 (new couples, in-migrants).
    new_counts = {"89": 9, "91": 6, "30": 5, "11": 4, "01": 6, "79": 8}
    for prov in PROVINCES:
        for _ in range(new_counts[prov["code"]]):
            district = rng.choice(prov["districts"])
            commune = rng.choice(district[3])
            key = (prov["code"], district[0])
            seq_max[key] += rng.randint(1, 2)
            urban = commune[2]
            s = district[2] + (math.log(9 / 7) + prov["urban_extra"] if urban else 0.0)
            li = prov["mu"] + s + prov["trend"] + prov["sigma_used"] * rng.gauss(0, 1)
            li = floored(prov, "urban" if urban else "rural", li)
            size = pick(rng, [(1, 15), (2, 40), (3, 30), (4, 15)])
            h = make_household(rng, prov, district, commune, seq_max[key], li, 2021,
                               head_range=(25, 35), size=size)
            h.members21 = list(h.members)
            h.new = True
            panel[2021].append(h)
    return panel


# ---------------------------------------------------------------------------
# Rows.
# ---------------------------------------------------------------------------

def b(v):
    return "" if v is None else ("1" if v else "0")


def score_from_income(income, area):
    p, n = SCORE_LINES[area]
    t = band_position(income, area)
    s = p + (n - p) * t
    if s > 200:
        s = 200 + (s - 200) * 0.35
    return int(round(min(250, max(80, s))))


def members_of(h, year):
    return {2020: h.members, 2021: getattr(h, "members21", None), 2022: getattr(h, "members22", None)}[year]


def household_rows(panel):
    rows = {}
    for year in YEARS:
        out = []
        for h in panel[year]:
            members = members_of(h, year)
            size = len(members)
            if h.care is not None:
                income = h.fixed_income[year]
            else:
                income = int(round(math.exp(h.log_income[year]) / 1000.0)) * 1000
            r = {c: "" for c in HOUSEHOLD_COLUMNS}
            r.update({
                "survey_year": str(year), "household_id": h.id, "province_code": h.prov["code"],
                "district_code": h.district[0], "commune_code": h.commune[0], "area": h.area,
                "household_size": str(size),
            })
            if h.mode == "pc":
                r["income_per_capita_month"] = str(income)
            elif h.mode == "total":
                total = math.exp(h.log_income[year]) * 12 * size
                r["income_total_year"] = str(int(round(total / 10000.0)) * 10000)
            elif year < 2022:
                r["score_b1"] = str(score_from_income(math.exp(h.log_income[year]), h.area))
            else:
                # From 2022 the review form's score is Circular 07/2021's score A.
                r["score_a"] = str(score_a_from_income(math.exp(h.log_income[year]), h.area))
            if h.dwelling_mode:
                r["dwelling_type"] = h.dwelling_type
            else:
                r["walls_durable"], r["columns_durable"], r["roof_durable"] = (str(x) for x in h.parts)
            r["floor_area_m2"] = f"{h.floor:.1f}"
            r["water_source"] = h.water
            r["latrine"] = h.latrine
            r["has_tv"], r["has_radio"], r["has_computer"], r["hears_loudspeaker"] = (str(x) for x in h.assets)
            household_v2(h, year, r)
            out.append((h, r))
        rows[year] = out
    return rows


def member_rows(rng, h, year):
    members = members_of(h, year)
    income = math.exp(h.log_income[year]) if h.care is None else h.fixed_income[year]
    if year == 2022 and h.care is None:
        # Deprivation chances follow the household's position at 2021 prices.
        income /= math.exp(h.shift22)
    w = band_position(income, h.area)
    mult = h.mult
    out = []
    if h.care is not None:
        # Residents whose ages and details were not recorded; insurance cards
        # are held by the centre, so that one field is known.
        for m in members:
            r = {c: "" for c in MEMBER_COLUMNS}
            r.update({"survey_year": str(year), "household_id": h.id, "member_id": m.member_id,
                      "has_health_insurance": "1"})
            out.append(r)
        return out
    tel_dep = h.u_tel < prob(P_TELECOM, w, mult)
    for m in members:
        a = m.age(year)
        r = {c: "" for c in MEMBER_COLUMNS}
        r.update({"survey_year": str(year), "household_id": h.id, "member_id": m.member_id,
                  "age": str(a), "birth_year": str(m.birth_year)})
        sick_p = 0.07 + (0.15 if a >= 60 else 0.0) + (0.05 if a < 6 else 0.0)
        sick = rng.random() < sick_p
        r["sick_last_12m"] = b(sick)
        if sick:
            r["sought_care"] = b(rng.random() >= prob(P_NO_CARE, w, mult, floor=0.03))
        if a < 6:
            insured = rng.random() < 0.97
        else:
            p = prob(P_UNINSURED, w, mult, floor=0.02)
            if a >= 80:
                p *= 0.2
            elif m.in_school(year):
                p *= 0.5
            insured = m.u_ins >= p
        r["has_health_insurance"] = b(insured)
        r["education_level"] = m.education(year)
        r["in_school"] = b(m.in_school(year))
        if tel_dep:
            phone = net = False
        else:
            p_phone = 0.0 if a < 12 else (0.45 if a < 15 else (0.93 if a <= 65 else 0.55))
            p_net = 0.0 if a < 8 else (0.3 if a < 12 else (0.85 if a < 30 else (0.65 if a <= 55 else 0.2)))
            p_net *= min(1.0, 0.75 + 0.08 * max(w, 0))
            phone = m.u_phone < p_phone
            net = m.u_net < p_net
        r["uses_phone"], r["uses_internet"] = b(phone), b(net)
        out.append(r)
    if not tel_dep and not any(r["uses_phone"] == "1" and r["uses_internet"] == "1" for r in out):
        # Somebody in a connected household uses both (robust to either reading
        # of "phone and internet" in the telecom indicator).
        adult = max(out, key=lambda r: (15 <= int(r["age"]) <= 60, -int(r["member_id"])))
        adult["uses_phone"] = adult["uses_internet"] = "1"
    for m, r in zip(members, out):
        member_v2(h, m, year, w, r)
    return out


# ---------------------------------------------------------------------------
# Boundary cases.
# ---------------------------------------------------------------------------

def nearest_picker(rows):
    """A function (pred, target, k) giving the k not yet chosen per-capita
    records of pred nearest to target (in log terms), among households
    outside care centres; and the set of ids it has chosen."""
    used = set()
    pool = [(h, r) for h, r in rows if h.care is None]

    def closest(pred, target, k):
        cands = [(abs(math.log(target) - math.log(max(int(r["income_per_capita_month"]), 1))), r["household_id"], r)
                 for h, r in pool if r["household_id"] not in used and r["income_per_capita_month"] and pred(h, r)]
        cands.sort(key=lambda t: (t[0], t[1]))
        chosen = [c[2] for c in cands[:k]]
        for r in chosen:
            used.add(r["household_id"])
        return chosen
    return closest, used


def snap_incomes(rows):
    """Put a handful of households exactly at each line and one at line + 1."""
    closest, used = nearest_picker(rows)

    poorish = ("89", "91", "30", "11")
    for area, lines in LINES.items():
        for i, line in enumerate(lines):
            provs = poorish if i < 2 else poorish + ("01", "79")
            pred = lambda h, r, area=area, provs=provs: h.area == area and h.prov["code"] in provs
            got = closest(pred, line, 4)
            for r in got[:3]:
                r["income_per_capita_month"] = str(line)
            for r in got[3:]:
                r["income_per_capita_month"] = str(line + 1)
    # Annual totals exactly at line × 12 × size, and one VND above; and review
    # scores exactly at the B1 lines (one point above two of them). These are
    # households near the matching income line whose record is switched from a
    # per-capita income to the other measure, so their class barely moves.
    for area, line in (("rural", 700_000), ("urban", 1_300_000)):
        pred = lambda h, r, area=area: h.area == area and h.prov["code"] in poorish
        for j, r in enumerate(closest(pred, line, 2)):
            r["income_per_capita_month"] = ""
            r["income_total_year"] = str(line * 12 * int(r["household_size"]) + j)
    for area, (p, n) in SCORE_LINES.items():
        for line, income_line, extra in ((p, LINES[area][0], area == "rural"), (n, LINES[area][1], area == "urban")):
            pred = lambda h, r, area=area: h.area == area and h.prov["code"] in poorish
            for j, r in enumerate(closest(pred, income_line, 2 if extra else 1)):
                r["income_per_capita_month"] = ""
                r["score_b1"] = str(line + j)
    return used


def snap_floor_areas(panel):
    """A few dwellings exactly at 8 m² per person and a few just below (2020 state)."""
    regular = [h for h in panel[2020] if h.care is None]
    used = set()
    plan = [(3, 24.0, 3), (3, 23.9, 2), (4, 32.0, 1), (4, 31.9, 1), (1, 8.0, 1)]
    for size, area, k in plan:
        cands = sorted((abs(h.floor - area), h.id, h) for h in regular
                       if len(h.members) == size and h.id not in used)
        for _, _, h in cands[:k]:
            h.floor = area
            used.add(h.id)
    return used


# ---------------------------------------------------------------------------
# Missing values.
# ---------------------------------------------------------------------------

HH_CHAR_COLUMNS = ["walls_durable", "columns_durable", "roof_durable", "floor_area_m2", "water_source",
                   "latrine", "has_tv", "has_radio", "has_computer", "hears_loudspeaker"]
MEM_BLANKABLE = ["sick_last_12m", "sought_care", "has_health_insurance", "education_level", "in_school",
                 "uses_phone", "uses_internet"]


def blank_households(rng, rows, protected):
    for h, r in rows:
        if h.care is not None:
            continue
        for c in HH_CHAR_COLUMNS:
            if r[c] != "" and rng.random() < HH_MISSING:
                if c == "floor_area_m2" and h.id in protected:
                    continue
                r[c] = ""


def blank_members(rng, rows):
    for r in rows:
        if r["age"] == "":
            continue  # care-centre resident, already blank
        for c in MEM_BLANKABLE:
            if r[c] != "" and rng.random() < MEM_MISSING:
                r[c] = ""
        if rng.random() < AGE_ONLY_ONE:
            r["age" if rng.random() < 0.5 else "birth_year"] = ""


# ---------------------------------------------------------------------------
# Quick check: the Decision 59/2015 rule with three-valued indicators.
# ---------------------------------------------------------------------------

def tb(s):
    return None if s == "" else s == "1"


def and3(*xs):
    if any(x is False for x in xs):
        return False
    if all(x is True for x in xs):
        return True
    return None


def or3(*xs):
    if any(x is True for x in xs):
        return True
    if all(x is False for x in xs):
        return False
    return None


def not3(x):
    return None if x is None else not x


def any_member(flags, complete):
    if any(f is True for f in flags):
        return True
    if complete and all(f is False for f in flags):
        return False
    return None


HYGIENIC_WATER = {"piped", "protected_well", "protected_spring", "rainwater", "bottled"}
HYGIENIC_LATRINE = {"septic_tank", "sewer", "double_vault", "biogas", "ventilated_pit"}


def indicators(hr, mrs):
    year = int(hr["survey_year"])
    size = int(hr["household_size"])
    complete = len(mrs) >= size
    people = []
    for m in mrs:
        age = int(m["age"]) if m["age"] else (year - int(m["birth_year"]) if m["birth_year"] else None)
        by = int(m["birth_year"]) if m["birth_year"] else (year - age if age is not None else None)
        people.append((age, by, m))

    def cmp(v, f):
        return None if v is None else f(v)

    edu = lambda m: None if m["education_level"] == "" else m["education_level"] in ("none", "primary")
    d = {}
    d["health_access"] = any_member([and3(tb(m["sick_last_12m"]), not3(tb(m["sought_care"]))) for _, _, m in people], complete)
    d["health_insurance"] = any_member([and3(cmp(a, lambda x: x >= 6), not3(tb(m["has_health_insurance"]))) for a, _, m in people], complete)
    d["adult_education"] = any_member([and3(cmp(a, lambda x: x >= 15), cmp(by, lambda x: x >= 1986), edu(m),
                                            not3(tb(m["in_school"]))) for a, by, m in people], complete)
    d["child_schooling"] = any_member([and3(cmp(a, lambda x: 5 <= x <= 14), not3(tb(m["in_school"]))) for a, _, m in people], complete)
    wa, co, ro = (not3(tb(hr[c])) for c in ("walls_durable", "columns_durable", "roof_durable"))
    two = or3(and3(wa, co), and3(wa, ro), and3(co, ro))
    if two is None and hr["dwelling_type"]:
        two = hr["dwelling_type"] in ("less_permanent", "simple")
    d["housing_quality"] = two
    d["floor_area"] = None if hr["floor_area_m2"] == "" else float(hr["floor_area_m2"]) < 8 * size
    d["water_source"] = None if hr["water_source"] == "" else hr["water_source"] not in HYGIENIC_WATER
    d["latrine"] = None if hr["latrine"] == "" else hr["latrine"] not in HYGIENIC_LATRINE
    # Telecom: deprived when no member uses a phone and no member uses the internet.
    users = [or3(tb(m["uses_phone"]), tb(m["uses_internet"])) for _, _, m in people]
    d["telecom"] = not3(any_member(users, complete))
    d["info_assets"] = not3(or3(*(tb(hr[c]) for c in ("has_tv", "has_radio", "has_computer", "hears_loudspeaker"))))
    return d


def classify(hr, mrs):
    d = indicators(hr, mrs)
    lo = sum(1 for v in d.values() if v is True)
    hi = lo + sum(1 for v in d.values() if v is None)
    area = hr["area"]
    size = int(hr["household_size"])
    if hr["score_b1"]:
        p, n = SCORE_LINES[area]
        s = float(hr["score_b1"])
        where = "poor" if s <= p else ("band" if s <= n else "above")
    else:
        p, n, a = LINES[area]
        if hr["income_per_capita_month"]:
            le = lambda line: int(hr["income_per_capita_month"]) <= line
        else:
            le = lambda line: int(hr["income_total_year"]) <= line * 12 * size
        where = "poor" if le(p) else ("band" if le(n) else ("average" if le(a) else "above"))
    if where == "poor":
        return "poor_income", lo, hi
    if where == "band":
        if lo >= 3:
            return "poor_deprivation", lo, hi
        if hi < 3:
            return "near_poor", lo, hi
        return "undetermined", lo, hi
    return ("average" if where == "average" else "not_poor"), lo, hi


def quick_check(hh_rows, mem_rows):
    by_hh = {}
    for m in mem_rows:
        by_hh.setdefault((m["survey_year"], m["household_id"]), []).append(m)
    table = {}
    for r in hh_rows:
        cls, lo, hi = classify(r, by_hh.get((r["survey_year"], r["household_id"]), []))
        key = (r["survey_year"], r["province_code"])
        t = table.setdefault(key, {"n": 0})
        t["n"] += 1
        t[cls] = t.get(cls, 0) + 1
    names = {p["code"]: p["name"] for p in PROVINCES}
    lines = ["year prov name              households  poor%  (income+depriv.)  near-poor%  average%  undetermined"]
    for (year, code), t in sorted(table.items()):
        n = t["n"]
        pi, pd = t.get("poor_income", 0), t.get("poor_deprivation", 0)
        lines.append(
            f"{year} {code}   {names[code]:<17} {n:>10}  {100 * (pi + pd) / n:5.2f}  ({pi:>3} + {pd:>2})"
            f"        {100 * t.get('near_poor', 0) / n:5.2f}      {100 * t.get('average', 0) / n:5.2f}"
            f"     {t.get('undetermined', 0):>3}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Contract v2 columns and the 2022 review. Everything here draws from its own
# random streams, seeded by household and person (random.Random with a string
# seed is stable across runs and platforms), so nothing in it moves the main
# stream that made the 2020 and 2021 rows.
# ---------------------------------------------------------------------------

def stream(*key):
    return random.Random(":".join(str(k) for k in (SEED,) + key))


def score_a_from_income(income, area):
    """Circular 07/2021 score A: the line's points at the Decree 07/2021 line,
    about 84 points per unit of log income (the slope of the B1 scale)."""
    line = LINES_07[area][0]
    s = SCORE_A_LINES[area] + 84 * math.log(max(income, 1) / line)
    return int(round(min(320, max(60, s))))


def evolve_2022(panel):
    """2022: the households of 2021 a year on, incomes moved to 2022 levels.

    Each province's incomes move by one factor, set so that the share of
    households at or below the Decree 07/2021 line matches TARGETS_2022, plus
    a household's own change (log sd 0.10)."""
    by_prov = {}
    for h in panel[2021]:
        by_prov.setdefault(h.prov["code"], []).append(h)
    for code, hs in by_prov.items():
        regular = [h for h in hs if h.care is None]
        for h in regular:
            h.noise22 = stream("income2022", h.id).gauss(0, 0.10)
        gaps = sorted(h.log_income[2021] + h.noise22 - math.log(LINES_07[h.area][0]) for h in regular)
        k = max(0, min(len(gaps) - 1, int(round(TARGETS_2022[code] * len(gaps))) - 1))
        # The k-th smallest gap lands on the line, the next just above it.
        shift = -(gaps[k] + gaps[k + 1]) / 2 if k + 1 < len(gaps) else -gaps[k]
        for h in hs:
            h.shift22 = shift
            if h.care is None:
                h.log_income[2022] = h.log_income[2021] + shift + h.noise22
            h.members22 = list(h.members21)
            panel[2022].append(h)
    return panel


def household_v2(h, year, r):
    """The contract v2 household columns: fixed traits of the household,
    drawn once, more likely lacking the poorer it is."""
    g = stream("hh", h.id)
    w, mult, reg = getattr(h, "w0", 0.0), h.mult, h.prov["region"]
    rural = h.area == "rural"
    if h.care is not None:
        r.update({"has_phone": "1", "has_fridge": "1", "has_bicycle": "0", "has_motorbike": "1",
                  "has_car": "0", "has_animal_cart": "0", "has_electricity": "1",
                  "cooking_fuel": "gas", "floor_finished": "1", "water_minutes": "0",
                  "latrine_shared": "0", "waste_treatment": "collected", "child_deaths_5y": "0"})
        return
    no_info = not any(h.assets)
    r["has_phone"] = b(g.random() >= (0.55 if no_info else prob(0.03, w, mult, cap=0.3)))
    r["has_fridge"] = b(g.random() < min(0.95, max(0.10, 0.45 + 0.15 * w)))
    r["has_bicycle"] = b(g.random() < (0.45 if rural else 0.30))
    r["has_motorbike"] = b(g.random() < min(0.97, max(0.35, 0.80 + 0.06 * w)))
    r["has_car"] = b(g.random() < min(0.35, max(0.005, 0.02 + 0.03 * w + (0.04 if not rural else 0))))
    r["has_animal_cart"] = b(g.random() < (0.06 if rural and reg == "mountain" else 0.004))
    r["has_electricity"] = b(g.random() >= (prob(0.04, w, mult) if rural and reg == "mountain" else 0.002))
    if g.random() < prob(0.35 if rural else 0.08, w, mult, cap=0.85):
        r["cooking_fuel"] = pick(g, [("wood", 75), ("straw_dung", 12), ("charcoal", 8), ("coal", 5)])
    else:
        r["cooking_fuel"] = pick(g, [("gas", 70), ("electricity", 25), ("biogas", 4), ("kerosene", 1)])
    r["floor_finished"] = b(not (h.housing_dep and g.random() < 0.55) and g.random() >= 0.01)
    if h.water == "piped":
        minutes = 0
    elif h.water in ("protected_well", "rainwater", "bottled"):
        minutes = 0 if g.random() < 0.8 else g.randint(2, 10)
    else:
        # Springs, streams and tankers can be far, mostly in the mountains.
        far = reg == "mountain" and rural
        minutes = pick(g, [(0, 25), (5, 20), (10, 15), (20, 12), (29, 5), (30, 8), (31, 3), (45, 7 if far else 2), (60, 5 if far else 1)])
    r["water_minutes"] = str(minutes)
    r["latrine_shared"] = b(g.random() < (0.04 if rural else 0.08))
    if rural:
        waste = [("collected", 40), ("burned_buried", 38), ("composted", 8), ("dumped", 12 + int(10 * max(0.0, -w))), ("other", 2)]
    else:
        waste = [("collected", 92), ("burned_buried", 4), ("dumped", 3), ("other", 1)]
    r["waste_treatment"] = pick(g, waste)
    children = sum(1 for m in members_of(h, year) if m.age(year) < 18)
    r["child_deaths_5y"] = str(int(children > 0 and g.random() < prob(0.012, w, mult, cap=0.1)))


TRAINING = [("elementary", 45), ("intermediate", 35), ("college", 20)]


def member_v2(h, m, year, w, r):
    """The contract v2 member columns. A person's lasting traits come from
    their own stream; what can change from year to year from a stream of
    the person and year."""
    if h.care is not None:
        return  # residents' details are not recorded
    g = stream("person", h.id, m.member_id)      # lasting
    y = stream("person", h.id, m.member_id, year)  # this year
    a = m.age(year)
    mult = h.mult
    school = r["in_school"] == "1"
    # Lasting draws, always made in the same order.
    u_work, u_kind, u_contract, u_allow, u_stunt, u_under, u_bmi, u_train, u_digital = (g.random() for _ in range(9))
    bmi_z = g.gauss(0, 1)
    if a < 15 or school:
        status = "inactive"
    elif a >= 60:
        status = "inactive" if u_work < 0.55 else ("self_employed" if u_kind < 0.75 else "family_worker")
    elif y.random() < prob(0.045, w, mult, floor=0.01, cap=0.4):
        status = "unemployed"
    elif u_work < (0.05 if a < 55 else 0.25):
        status = "inactive"  # home duties, unable to work
    else:
        wage = 0.50 if h.area == "urban" else 0.32
        status = "wage_employee" if u_kind < wage else ("self_employed" if u_kind < wage + 0.33 else "family_worker")
    r["employment_status"] = status
    if status == "wage_employee":
        r["has_labour_contract"] = b(u_contract >= prob(0.22, w, mult, floor=0.06, cap=0.8))
    allowance = (a >= 80 and u_allow < 0.85) or (60 <= a < 80 and u_allow < prob(0.06, w, mult, cap=0.5)) \
        or (a < 60 and u_allow < 0.012)
    r["receives_social_allowance"] = b(allowance)
    if a < 16:
        r["stunted"] = b(u_stunt < prob(0.09, w, mult, floor=0.02, cap=0.6))
        r["underweight"] = b(u_under < prob(0.06, w, mult, floor=0.01, cap=0.5))
    if a >= 18:
        r["bmi"] = f"{max(14.0, min(40.0, 22.0 + 0.6 * min(w, 3) + 2.8 * bmi_z - (1.0 if u_bmi < 0.1 * mult else 0))):.1f}"
    done = min(a, m.leave_age) if m.leave_age > 0 else min(a, 6)
    r["years_schooling"] = str(max(0, min(18, done - 6)))
    level = r["education_level"]
    if a < 16:
        training = "none"
    elif level == "tertiary":
        training = "university" if u_train < 0.7 else "college"
    else:
        p_train = min(0.45, max(0.05, 0.16 + 0.05 * w)) / (1.0 if level == "upper_secondary" else 1.6)
        training = pick(stream("training", h.id, m.member_id), TRAINING) if u_train < p_train and a >= 18 else "none"
    r["vocational_training"] = training
    if r["uses_internet"] == "1" and a >= 15:
        r["uses_digital_services"] = b(u_digital < min(0.9, 0.45 + 0.1 * max(w, 0) + 0.1 * (year - 2020)))
    elif r["uses_internet"] != "":
        r["uses_digital_services"] = "0"


HH_V2 = ["has_phone", "has_fridge", "has_bicycle", "has_motorbike", "has_car", "has_animal_cart",
         "has_electricity", "cooking_fuel", "floor_finished", "water_minutes", "latrine_shared",
         "waste_treatment", "child_deaths_5y"]
MEM_V2 = ["employment_status", "has_labour_contract", "receives_social_allowance", "stunted",
          "underweight", "bmi", "years_schooling", "vocational_training", "uses_digital_services"]


def blank_v2(h, year, hr, mrs):
    """Blank cells in the v2 columns at the sample's usual rates."""
    if h.care is not None:
        return
    g = stream("blank", year, h.id)
    for c in HH_V2:
        if hr[c] != "" and g.random() < HH_MISSING:
            hr[c] = ""
    for r in mrs:
        for c in MEM_V2:
            if r[c] != "" and g.random() < MEM_MISSING:
                r[c] = ""


def snap_incomes_2022(rows):
    """2022 boundary cases under Decree 07/2021: incomes exactly at the poverty
    line and at the top of the average band, and one VND above; annual totals
    at line × 12 × size and one VND above; score A exactly at 140 and 175 and
    one point above."""
    closest, used = nearest_picker(rows)

    poorish = ("89", "91", "30", "11")
    for area, lines in LINES_07.items():
        for i, line in enumerate(lines):
            provs = poorish if i == 0 else poorish + ("01", "79")
            pred = lambda h, r, area=area, provs=provs: h.area == area and h.prov["code"] in provs
            got = closest(pred, line, 4)
            for r in got[:3]:
                r["income_per_capita_month"] = str(line)
            for r in got[3:]:
                r["income_per_capita_month"] = str(line + 1)
    for area in ("rural", "urban"):
        line = LINES_07[area][0]
        pred = lambda h, r, area=area: h.area == area and h.prov["code"] in poorish
        for j, r in enumerate(closest(pred, line, 2)):
            r["income_per_capita_month"] = ""
            r["income_total_year"] = str(line * 12 * int(r["household_size"]) + j)
        for j, r in enumerate(closest(pred, line, 2)):
            r["income_per_capita_month"] = ""
            r["score_a"] = str(SCORE_A_LINES[area] + j)
    return used


# Quick check of 2022 under Decree 07/2021 (indicators/vn-2022-2025), with the
# same three-valued logic as the 2020-2021 check.

def indicators_07(hr, mrs):
    year = int(hr["survey_year"])
    size = int(hr["household_size"])
    complete = len(mrs) >= size

    def readings(m):
        """Ages under both readings when one of age / birth year is missing."""
        if m["age"] and m["birth_year"]:
            return [int(m["age"])]
        if m["age"]:
            return [int(m["age"])]
        if m["birth_year"]:
            return [max(0, year - int(m["birth_year"]) - 1), year - int(m["birth_year"])]
        return [None]

    def per_member(f):
        vals = []
        for m in mrs:
            vs = [f(a, m) for a in readings(m)]
            vals.append(vs[0] if all(v == vs[0] for v in vs) else None)
        return vals

    def between(a, lo, hi):
        return None if a is None else lo <= a <= hi

    edu = lambda m: None if m["education_level"] == "" else m["education_level"]
    d = {}
    d["employment"] = any_member(per_member(lambda a, m: and3(between(a, 15, 59), or3(
        None if m["employment_status"] == "" else m["employment_status"] == "unemployed",
        and3(None if m["employment_status"] == "" else m["employment_status"] == "wage_employee",
             not3(tb(m["has_labour_contract"])))))), complete)
    dep = per_member(lambda a, m: or3(None if a is None else a < 16, tb(m["receives_social_allowance"])))
    known = sum(1 for v in dep if v is True)
    maybe = sum(1 for v in dep if v is None) + max(0, size - len(mrs))
    den = max(size, len(mrs))
    d["dependents"] = True if 2 * known > den else (False if 2 * (known + maybe) <= den else None)
    d["nutrition"] = any_member(per_member(lambda a, m: and3(None if a is None else a < 16,
                                                             or3(tb(m["stunted"]), tb(m["underweight"])))), complete)
    d["health_insurance"] = any_member(per_member(lambda a, m: and3(None if a is None else a >= 6,
                                                                    not3(tb(m["has_health_insurance"])))), complete)

    def adult(a, m):
        if a is None:
            return None
        if not 16 <= a <= 30:
            return False
        e = edu(m)
        young = None if e is None else e in ("none", "primary")
        older = and3(None if e is None else e in ("none", "primary", "lower_secondary"),
                     None if m["vocational_training"] == "" else m["vocational_training"] == "none")
        return and3(not3(tb(m["in_school"])), young if a < 18 else older)
    d["adult_education"] = any_member(per_member(adult), complete)
    d["child_schooling"] = any_member(per_member(lambda a, m: and3(between(a, 3, 15), not3(tb(m["in_school"])))), complete)
    wa, co, ro = (not3(tb(hr[c])) for c in ("walls_durable", "columns_durable", "roof_durable"))
    two = or3(and3(wa, co), and3(wa, ro), and3(co, ro))
    if two is None and hr["dwelling_type"]:
        two = hr["dwelling_type"] in ("less_permanent", "simple")
    d["housing_quality"] = two
    d["floor_area"] = None if hr["floor_area_m2"] == "" else float(hr["floor_area_m2"]) < 8 * size
    d["water_source"] = None if hr["water_source"] == "" else hr["water_source"] not in HYGIENIC_WATER
    d["latrine"] = None if hr["latrine"] == "" else hr["latrine"] not in HYGIENIC_LATRINE
    # "all" over members of "not uses_internet".
    net = [not3(tb(m["uses_internet"])) for m in mrs]
    exists = or3(bool(mrs), None) if not complete else bool(mrs)
    forall = and3(*net, True) if complete else and3(*net, None)
    d["telecom"] = and3(exists, forall)
    d["info_access"] = not3(or3(*(tb(hr[c]) for c in ("has_tv", "has_radio", "has_computer", "has_phone", "hears_loudspeaker"))))
    return d


def classify_07(hr, mrs):
    d = indicators_07(hr, mrs)
    lo = sum(1 for v in d.values() if v is True)
    hi = lo + sum(1 for v in d.values() if v is None)
    area, size = hr["area"], int(hr["household_size"])
    if hr["score_a"]:
        below, band = float(hr["score_a"]) <= SCORE_A_LINES[area], False
    else:
        p, a = LINES_07[area]
        if hr["income_per_capita_month"]:
            le = lambda line: int(hr["income_per_capita_month"]) <= line
        else:
            le = lambda line: int(hr["income_total_year"]) <= line * 12 * size
        below, band = le(p), le(a)
    if below:
        return "poor" if lo >= 3 else ("near_poor" if hi < 3 else "undetermined")
    return "average" if band else "not_poor"


def quick_check_2022(hh_rows, mem_rows):
    by_hh = {}
    for m in mem_rows:
        by_hh.setdefault((m["survey_year"], m["household_id"]), []).append(m)
    table = {}
    for r in hh_rows:
        if r["survey_year"] != "2022":
            continue
        cls = classify_07(r, by_hh.get((r["survey_year"], r["household_id"]), []))
        for key in ("VN", r["province_code"]):
            t = table.setdefault(key, {"n": 0})
            t["n"] += 1
            t[cls] = t.get(cls, 0) + 1
    names = {p["code"]: p["name"] for p in PROVINCES}
    names["VN"] = "national"
    lines = ["2022 under Decree 07/2021:",
             "prov name              households  poor%  near-poor%  average%  undetermined"]
    for code, t in sorted(table.items(), key=lambda kv: (kv[0] != "VN", kv[0])):
        n = t["n"]
        lines.append(f"{code:<4} {names[code]:<17} {n:>10}  {100 * t.get('poor', 0) / n:5.2f}"
                     f"       {100 * t.get('near_poor', 0) / n:5.2f}     {100 * t.get('average', 0) / n:5.2f}"
                     f"     {t.get('undetermined', 0):>3}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# The geography check and the kept columns (ethnic_minority, village,
# head_name, address). Everything here draws from streams of its own, seeded
# by household or commune, so nothing in it moves any other value.
# ---------------------------------------------------------------------------

UNITS63 = OUT.parent / "data" / "geo" / "units63.csv"


def check_geography():
    """Every district and commune of PROVINCES (and of CARE_CENTRES) is in
    GSO's list of 01/03/2025, in its province and district, and a commune's
    urban flag follows its type (xã rural; phường and thị trấn urban)."""
    with UNITS63.open(encoding="utf-8", newline="") as f:
        units = {r["commune_code"]: r for r in csv.DictReader(f)}
    listed = set()
    for p in PROVINCES:
        for dcode, _, _, communes in p["districts"]:
            for ccode, _, urban, _ in communes:
                u = units.get(ccode)
                assert u is not None, f"commune {ccode} is not in {UNITS63}"
                assert (u["province_code"], u["district_code"]) == (p["code"], dcode), \
                    f"commune {ccode} is in {u['province_code']}/{u['district_code']}, not {p['code']}/{dcode}"
                assert urban == (not u["commune_name"].startswith("Xã ")), \
                    f"commune {ccode} ({u['commune_name']}): urban flag {urban} does not follow its type"
                listed.add((p["code"], dcode, ccode))
    for care in CARE_CENTRES:
        assert care[:3] in listed, f"care centre {care[:3]} is not in PROVINCES"


# Share of ethnic-minority households (hộ dân tộc thiểu số) by district.
# Province levels roughly follow the 2019 Population and Housing Census
# (GSO): ethnic minorities are about four in five people in Điện Biên (Thái
# and Mông the largest groups), about one in seven in Kiên Giang and one in
# twenty in An Giang (Khmer, Chăm, Hoa), some 6-7 % in TP Hồ Chí Minh (Hoa),
# about 1 % in Hà Nội and well under 1 % in Hải Dương. The district values
# are illustrative, higher where the groups live (Khmer in Tri Tôn and
# Giồng Riềng, Chăm in An Phú and Tân Châu, Mông in Mường Nhé, Mường and Dao
# in Ba Vì), so the sample's province shares differ from the census figures
# with the districts it holds.
ETHNIC_SHARE = {
    "883": 0.02, "886": 0.08, "887": 0.05, "891": 0.35,
    "899": 0.08, "903": 0.15, "906": 0.25, "911": 0.02,
    "288": 0.003, "290": 0.01, "294": 0.003, "298": 0.003,
    "094": 0.40, "096": 0.97, "099": 0.90, "100": 0.80,
    "001": 0.01, "005": 0.015, "271": 0.10, "277": 0.03,
    "760": 0.05, "769": 0.04, "783": 0.01, "785": 0.04,
}
# Which group an ethnic-minority household's head belongs to, for the name:
# (group, weight) by district, else by province.
ETHNIC_GROUPS = {
    "094": [("thai", 80), ("mong", 20)], "096": [("mong", 80), ("thai", 20)],
    "099": [("thai", 55), ("mong", 45)], "100": [("thai", 70), ("mong", 30)],
    "89": [("khmer", 1)], "91": [("khmer", 1)], "30": [("muong", 1)], "01": [("muong", 1)],
    "79": [("hoa", 1)],
}

# Short lists of common names; a head's name is one of each, so every name is
# synthetic (any likeness to a real person is chance).
KINH_FAMILY = [("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 3),
               ("Vũ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1)]
MIDDLE = {"m": ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thanh"],
          "f": ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim"]}
GIVEN = {"m": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân",
               "Sơn", "Thắng", "Tuấn", "Việt", "Lộc", "Tài", "Hiếu", "Toàn", "Thành"],
         "f": ["Anh", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Liên", "Mai", "Nga", "Nhung", "Phương",
               "Thảo", "Trang", "Yến", "Loan", "Tuyết", "Hồng", "Dung"]}
# Ethnic-minority names: (family names, middle by sex, given names by sex);
# None = the Kinh lists.
GROUP_NAMES = {
    "thai": (["Lò", "Lường", "Quàng", "Cà", "Tòng", "Điêu", "Lèo"], {"m": ["Văn"], "f": ["Thị"]},
             {"m": ["Pọm", "Xôm", "Ún", "Khăm", "Panh", "Thanh", "Piếng", "Inh", "Chăm"],
              "f": ["Ơn", "Xoan", "Bun", "Phanh", "Ỏn", "Hươn", "Lả", "Mai"]}),
    "mong": (["Giàng", "Sùng", "Vàng", "Thào", "Lầu", "Mùa", "Hạng", "Lý"], {"m": ["A"], "f": ["Thị"]},
             {"m": ["Páo", "Tủa", "Chứ", "Dê", "Sử", "Lử", "Pó", "Chá", "Dình"],
              "f": ["Mỷ", "Dợ", "Chua", "Sua", "Xí", "Pằng", "Máy"]}),
    "khmer": (["Chau", "Thạch", "Danh", "Sơn", "Kim"], {"m": [""], "f": ["Thị"]},
              {"m": ["Sóc Khăng", "Sa Rinh", "Phước", "Sang", "Kha", "Thol", "Sa Ly", "Út"],
               "f": ["Sa Phia", "Sa Ri", "Sóc Thy", "Mỹ", "Sa Vân", "Sa Ren", "Út"]}),
    "muong": (["Đinh", "Bùi", "Quách", "Hà", "Xa"], None, None),
    "hoa": (["Lâm", "Quách", "Lưu", "Trương", "Tăng", "Mã", "Diệp"], None, None),
}

# Villages (thôn, bản, ấp) of rural communes and residential groups (tổ dân
# phố, khóm, khu phố) of urban ones, in the style of each province.
VILLAGE_RURAL = {
    "11": ("Bản", ["Na Sang", "Huổi Lếch", "Nậm Pồ", "Pá Khoang", "Co Mỵ", "Hua Pe", "Phiêng Ban",
                   "Nà Nhạn", "Huổi Hoa", "Pú Nhi", "Tà Lèng", "Nà Hỳ", "Púng Bon", "Hồng Lứu",
                   "Nậm Kè", "Huổi Khon", "Pá Chả", "Nà Sự", "Co Cượm", "Hát Lót"]),
    "30": ("Thôn", ["Đông", "Đoài", "Thượng", "Trung", "Hạ", "Nội", "An Lạc", "Phú Lộc", "Đồng Tâm",
                    "Yên Phú", "Vĩnh Thịnh", "Tân Tiến", "Hòa Bình", "Lương Xá", "Đại Đồng"]),
    "01": ("Thôn", ["Đông", "Đoài", "Thượng", "Trung", "Hạ", "Nội", "Phú Lộc", "Đồng Tâm", "Yên Phú",
                    "Cổ Lũng", "Tân Tiến", "Hòa Bình", "Phương Quế", "Đại Đồng", "Vĩnh Thịnh"]),
    "89": ("Ấp", ["Phú Hòa", "Phú Hiệp", "Long Hòa", "Tân Lợi", "Mỹ Thuận", "Vĩnh Lợi", "Bình Thạnh",
                  "Hòa Long", "An Thạnh", "Thạnh Lợi", "Phước Lợi", "Long Thuận", "Tô Thuận", "Ninh Thuận"]),
    "91": ("Ấp", ["Phú Hòa", "Tân Hiệp", "Bình An", "Thạnh Lợi", "Vĩnh Thành", "Hòa Thuận", "Kinh Tư",
                  "Xẻo Đước", "Sóc Triết", "Vàm Răng", "An Bình", "Mỹ Phú", "Tà Keo", "Rạch Tràm"]),
    "79": ("Ấp", ["Bàu Tròn", "Phú Hòa", "Mỹ Khánh", "An Hòa", "Xóm Mới", "Bình Hạ", "Chợ Cũ",
                  "Láng Le", "Bàu Sim", "Phước An", "Cây Da", "Bến Đình"]),
}
VILLAGE_URBAN = {"89": "Khóm", "91": "Khu phố", "30": "Tổ dân phố", "11": "Tổ dân phố",
                 "01": "Tổ dân phố", "79": "Khu phố"}
STREETS = {
    "89": ["Trần Hưng Đạo", "Hà Hoàng Hổ", "Tôn Đức Thắng", "Nguyễn Huệ", "Lý Thái Tổ", "Hùng Vương"],
    "91": ["Nguyễn Trung Trực", "Trần Phú", "Lạc Hồng", "30 Tháng 4", "Mạc Cửu", "Nguyễn Hùng Sơn"],
    "30": ["Trần Hưng Đạo", "Nguyễn Lương Bằng", "Thanh Niên", "Chi Lăng", "Bạch Đằng", "Lê Thanh Nghị"],
    "11": ["Võ Nguyên Giáp", "Trần Đăng Ninh", "Hoàng Văn Thái", "Nguyễn Chí Thanh", "Sùng Phái Sinh"],
    "01": ["Phan Đình Phùng", "Đội Cấn", "Hoàng Quốc Việt", "Trần Quốc Hoàn", "Nguyễn Khánh Toàn"],
    "79": ["Hai Bà Trưng", "Đinh Tiên Hoàng", "Trần Quang Khải", "Kha Vạn Cân", "Tỉnh lộ 8", "Quốc lộ 1A"],
}
CARE_ADDRESS = "Cơ sở bảo trợ xã hội (nuôi dưỡng tập trung)"

_villages = {}


def villages_of(prov_code, commune):
    """The villages of a commune (names and weights), drawn once per commune."""
    code, _, urban, n = commune
    if code not in _villages:
        g = stream("villages", code)
        k = max(2, min(8, round(n / 10)))
        if urban:
            nums = sorted(g.sample(range(1, k + 7), k))
            names = [f"{VILLAGE_URBAN[prov_code]} {i}" for i in nums]
        else:
            word, pool = VILLAGE_RURAL[prov_code]
            if word == "Bản" or g.random() < 0.6:
                names = [f"{word} {x}" for x in g.sample(pool, k)]
            else:
                names = [f"{word} {i}" for i in sorted(g.sample(range(1, k + 5), k))]
        _villages[code] = (names, [g.randint(2, 6) for _ in names])
    return _villages[code]


def head_name(g, prov_code, district_code, minority):
    sex = "m" if g.random() < 0.72 else "f"
    if minority:
        group = pick(g, ETHNIC_GROUPS.get(district_code) or ETHNIC_GROUPS[prov_code])
        families, middles, givens = GROUP_NAMES[group]
        family = g.choice(families)
        middle = g.choice((middles or MIDDLE)[sex])
        given = g.choice((givens or GIVEN)[sex])
        if group == "khmer" and sex == "f" and family == "Chau":
            family, middle = "Néang", ""
    else:
        family, middle, given = pick(g, KINH_FAMILY), g.choice(MIDDLE[sex]), g.choice(GIVEN[sex])
        if g.random() < 0.15:
            given = f"{g.choice(GIVEN[sex])} {given}" if sex == "f" else f"{g.choice(GIVEN[sex])} {given}"
    return " ".join(x for x in (family, middle, given) if x)


def kept_columns(h, r, medians):
    """The kept columns of a household: the same in every year it is seen."""
    pc, dc = h.prov["code"], h.district[0]
    names, weights = villages_of(pc, h.commune)
    r["village"] = stream("village", h.id).choices(names, weights)[0]
    if h.care is not None:
        # Residents of a centre: no head and no ethnicity recorded.
        r["address"] = CARE_ADDRESS
        return
    g = stream("kept", h.id)
    # Ethnic-minority households are poorer: the odds tilt with the household's
    # 2020 (or first) income position against its district's median.
    base = ETHNIC_SHARE[dc]
    logit = math.log(base / (1 - base)) - 0.5 * max(-2.0, min(2.0, h.w0 - medians[dc]))
    minority = g.random() < 1 / (1 + math.exp(-logit))
    r["ethnic_minority"] = b(minority)
    r["head_name"] = head_name(g, pc, dc, minority)
    if h.area == "urban" and g.random() < 0.7:
        n = g.randint(1, 240)
        street = g.choice(STREETS[pc])
        if pc == "01" and g.random() < 0.6:
            r["address"] = f"Số {n} ngõ {g.randint(2, 120)} phố {street}"
        else:
            r["address"] = f"Số {n} {'phố' if pc == '01' else 'đường'} {street}"
        # No comma inside a value: the sample stays unquoted CSV, which the
        # corruption and conversion tests split on commas.


def district_medians(panel):
    """Median 2020 (or first-year) income position of each district's households."""
    ws = {}
    seen = set()
    for year in YEARS:
        for h in panel[year]:
            if h.care is None and h.id not in seen:
                seen.add(h.id)
                ws.setdefault(h.district[0], []).append(h.w0)
    return {d: sorted(v)[len(v) // 2] for d, v in ws.items()}


def ethnic_check(hh_rows):
    table = {}
    for r in hh_rows:
        t = table.setdefault((r["survey_year"], r["province_code"]), [0, 0])
        t[0] += 1
        t[1] += r["ethnic_minority"] == "1"
    lines = ["ethnic-minority households (share of households):"]
    for (year, code), (n, m) in sorted(table.items()):
        lines.append(f"  {year} {code}  {m:>4} of {n:>4}  {100 * m / n:5.1f} %")
    return "\n".join(lines)


# ---------------------------------------------------------------------------

def write_csv(path, columns, rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def main():
    check_geography()
    rng = random.Random(SEED)
    panel, seq_max = build_panel(rng)
    floor_fixed = snap_floor_areas(panel)
    panel = evolve(rng, panel, seq_max)
    panel = evolve_2022(panel)
    hh = household_rows(panel)
    medians = district_medians(panel)
    for year in YEARS:
        for h, r in hh[year]:
            kept_columns(h, r, medians)
    all_hh, all_mem = [], []
    # 2022 draws from its own stream: the main one makes 2020 and 2021 as before.
    rng22 = stream("2022")
    for year in YEARS:
        g = rng if year < 2022 else rng22
        rows = sorted(hh[year], key=lambda t: t[1]["household_id"])
        ids = [r["household_id"] for _, r in rows]
        assert len(ids) == len(set(ids)), "household_id must be unique within a year"
        if year < 2022:
            snap_incomes(rows)
        else:
            snap_incomes_2022(rows)
        blank_households(g, rows, floor_fixed)
        for h, r in rows:
            mrs = member_rows(g, h, year)
            assert len(mrs) == int(r["household_size"])
            mrs.sort(key=lambda m: int(m["member_id"]))
            blank_members(g, mrs)
            blank_v2(h, year, r, mrs)
            all_mem.extend(mrs)
            all_hh.append(r)
    check_required_cases(all_hh, all_mem)
    write_csv(OUT / "households.csv", HOUSEHOLD_COLUMNS, all_hh)
    write_csv(OUT / "members.csv", MEMBER_COLUMNS, all_mem)
    print(f"wrote {len(all_hh)} households and {len(all_mem)} members to {OUT}")
    for p in PROVINCES:
        print(f"  {p['code']} {p['name']:<15} mu={p['mu']:.3f} sigma={p['sigma_used']:.3f} "
              f"median rural income {math.exp(p['mu']):,.0f} VND")
    print(quick_check([r for r in all_hh if r["survey_year"] != "2022"], all_mem))
    print(quick_check_2022(all_hh, all_mem))
    print(ethnic_check(all_hh))


def check_required_cases(hh_rows, mem_rows):
    """The boundary cases the tests rely on are present."""
    pcs = {r["income_per_capita_month"] for r in hh_rows}
    for line in (700_000, 1_000_000, 1_500_000, 900_000, 1_300_000, 1_950_000):
        assert str(line) in pcs and str(line + 1) in pcs, line
    ages = {m["age"] for m in mem_rows if m["birth_year"]}
    births = {m["birth_year"] for m in mem_rows if m["age"]}
    assert {"5", "14", "15"} <= ages and {"1985", "1986"} <= births
    areas = {(r["household_size"], r["floor_area_m2"]) for r in hh_rows}
    assert ("3", "24.0") in areas and ("3", "23.9") in areas
    pcs22 = {r["income_per_capita_month"] for r in hh_rows if r["survey_year"] == "2022"}
    for line in (1_500_000, 2_250_000, 2_000_000, 3_000_000):
        assert str(line) in pcs22 and str(line + 1) in pcs22, line
    scores = {r["score_a"] for r in hh_rows}
    assert {"140", "141", "175", "176"} <= scores
    ages22 = {m["age"] for m in mem_rows if m["survey_year"] == "2022" and m["birth_year"]}
    assert {"2", "3", "5", "6", "15", "16", "17", "18", "30", "31"} <= ages22


if __name__ == "__main__":
    main()
