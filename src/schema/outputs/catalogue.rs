//! The catalogue's facts: every output file and its columns, in the order
//! the files hold them. One column a line (so the table reads as a table),
//! hence no rustfmt here.

use super::OutType::{self, Bool, Float, Int, Percent, PercentagePoints as Pp, Text};
use super::{OutColumn, OutFile};

const fn c(name: &'static str, ty: OutType, unit: &'static str, vi: &'static str, en: &'static str, about: &'static str) -> OutColumn {
    OutColumn { name, ty, unit, vi, en, about }
}

const HH: &str = "households";
const HHW: &str = "households (weighted)";
const PCT: &str = "%";
const PROP: &str = "proportion (0–1)";
const YEAR: &str = "year";

// The columns that place a row of a table: its year, standard and unit.
const SURVEY_YEAR: OutColumn = c("survey_year", Int, YEAR, "Năm khảo sát", "Survey year", "The survey (review) year the row describes.");
const STANDARD: OutColumn = c("standard", Text, "", "Chuẩn nghèo", "Standard", "Id of the poverty standard the year's households were classified under (see `dachieu standards list`).");
const LEVEL: OutColumn = c("level", Text, "", "Cấp", "Level", "The grouping the row belongs to: total (the whole run, its name that of what the records cover: a province, several, or the whole country), region, province, district, commune or area (urban/rural).");
const CODE: OutColumn = c("code", Text, "", "Mã đơn vị", "Unit code", "The unit's code: VN for the whole run, a GSO province, district or commune code, a region number, or urban/rural.");
const NAME: OutColumn = c("name", Text, "", "Tên đơn vị", "Unit name", "The unit's name in Vietnamese (the total row: what the records cover, e.g. Tỉnh Điện Biên or Toàn quốc); a code GSO's list of 01/03/2025 lacks has the name given with --unit-names, else none.");
const FROM_YEAR: OutColumn = c("from_year", Int, YEAR, "Từ năm", "From year", "The earlier survey year of the comparison.");
const TO_YEAR: OutColumn = c("to_year", Int, YEAR, "Đến năm", "To year", "The later survey year of the comparison.");
const STANDARD_FROM: OutColumn = c("standard_from", Text, "", "Chuẩn nghèo năm đầu", "Standard, from", "Id of the standard the earlier classification used.");
const STANDARD_TO: OutColumn = c("standard_to", Text, "", "Chuẩn nghèo năm sau", "Standard, to", "Id of the standard the later classification used.");
const CELL_FLAGS: OutColumn = c("cell_flags", Text, "", "Ghi chú ô nhỏ", "Cell flags", "small_cell when the unit has fewer households than --min-cell (small_cell,suppressed when --suppress blanked its numbers); empty otherwise.");
const HOUSEHOLD_ID: OutColumn = c("household_id", Text, "", "Mã hộ", "Household id", "The household's identifier as in the input, unique within a survey year.");
const PROVINCE: OutColumn = c("province_code", Text, "", "Mã tỉnh", "Province code", "GSO code of the household's province (2 digits).");
const DISTRICT: OutColumn = c("district_code", Text, "", "Mã huyện", "District code", "GSO code of the household's district (3 digits), when recorded.");
const COMMUNE: OutColumn = c("commune_code", Text, "", "Mã xã", "Commune code", "GSO code of the household's commune (5 digits), when recorded.");
const POSSIBLE: OutColumn = c("possible_classes", Text, "", "Các loại hộ có thể", "Possible classes", "For an undetermined household, the classes its unknown indicators leave open, joined by |; empty otherwise.");
const UNKNOWN_INDICATORS: OutColumn = c("unknown_indicators", Text, "", "Chỉ số chưa rõ", "Unknown indicators", "Ids of the indicators whose value is unknown for the household, joined by ;.");
const MEASURE_HH: OutColumn = c("measure", Text, "", "Thước đo mức sống", "Living-standard measure", "Which measure placed the household against the lines: income_per_capita, income_total, score, or deprivation_score under the weighted rule.");
const POOR_PATH: OutColumn = c("poor_path", Text, "", "Lý do nghèo", "Path to poor", "Why a poor household is poor: income, deprivation or income_and_deprivation (count rules); empty otherwise.");

// A comparison across the reform of 1 July 2025 (a year before it beside
// one after it) adds these after the comparison's own columns.
const COMPARABILITY: OutColumn = c("comparability", Text, "", "Khả năng so sánh", "Comparability", "Across the reform of 1 July 2025 only: how the unit was formed from the units of both years — same (one former unit became one new unit), merged (several former units, whole, became one), split_group (a split commune's parts and every commune sharing a new commune with them, compared as one group), not_comparable (a split group chained over more than 7 new communes: each commune shown alone in its own year), not_in_list (a code the bundled lists lack, shown alone). Empty for the national row and when both years are in one scheme.");
const CODES_FROM: OutColumn = c("codes_from", Text, "", "Mã đơn vị năm đầu", "Codes, from", "Across the reform only: the former (63-province scheme) codes the unit holds, joined by commas.");
const CODES_TO: OutColumn = c("codes_to", Text, "", "Mã đơn vị năm sau", "Codes, to", "Across the reform only: the new (34-unit scheme) codes the unit holds, joined by commas.");

// The estimate columns shared by the estimates and their changes.
const E_NAME: OutColumn = c("name", Text, "", "Tên đơn vị", "Unit name", "The unit's name in Vietnamese (the total row: what the records cover, e.g. Tỉnh Điện Biên or Toàn quốc); a code GSO's list of 01/03/2025 lacks has the name given with --unit-names, else none.");
const E_MEASURE: OutColumn = c("measure", Text, "", "Chỉ tiêu", "Measure", "What is estimated: a class share (poor_rate, near_poor_rate, …), an Alkire–Foster measure (H, A, M0), a headcount or contribution per indicator, or a count of deprivations; a person measure carries _person (poor_person_rate, H_person, contribution_person, …).");
const E_INDICATOR: OutColumn = c("indicator", Text, "", "Chỉ số", "Indicator", "Id of the indicator of a per-indicator measure; empty otherwise.");
const E_K: OutColumn = c("k", Text, "", "Ngưỡng k", "Cut-off k", "The Alkire–Foster cut-off of the measure as a share of the indicator weights (3/10: three of ten equal indicators); empty otherwise.");
const E_DEPRIVATIONS: OutColumn = c("deprivations", Int, "indicators", "Số chỉ số thiếu hụt", "Deprivations", "The number of deprivations of a count_exactly or count_at_least measure; empty otherwise.");
const E_ESTIMATE: OutColumn = c("estimate", Float, PROP, "Ước lượng", "Estimate", "The estimate as a proportion (or, for a change, a difference of proportions; for A, an average share).");
const E_SE: OutColumn = c("se", Float, PROP, "Sai số chuẩn", "Standard error", "Design-based standard error of the estimate (Taylor linearisation over strata and PSUs); empty for a census.");
const E_CI_LOW: OutColumn = c("ci_low", Float, PROP, "KTC 95 % – cận dưới", "95% CI, low", "Lower bound of the 95 % confidence interval (estimate − t × se); empty for a census.");
const E_CI_HIGH: OutColumn = c("ci_high", Float, PROP, "KTC 95 % – cận trên", "95% CI, high", "Upper bound of the 95 % confidence interval; empty for a census.");
const E_N: OutColumn = c("n", Int, "households", "Số quan sát", "Observations", "Household records the estimate rests on (unweighted).");
const E_WEIGHT_SUM: OutColumn = c("weight_sum", Float, HHW, "Tổng quyền số", "Sum of weights", "Sum of the household weights of those records (persons are counted through their household's weight).");
const E_N_UNKNOWN: OutColumn = c("n_unknown", Int, "households", "Số hộ chưa rõ", "Unknown", "Records whose indicator value is unknown, for a per-indicator measure; empty otherwise.");
const E_FLAGS: OutColumn = c("cell_flags", Text, "", "Ghi chú", "Cell flags", "Notes on the estimate, joined by commas: census (no sampling error), provisional_standard, standard_changed, near_poor_definition_changed, undefined (no denominator), lonely_psu, small_cell, suppressed.");

const RATES: &[OutColumn] = &[
    SURVEY_YEAR, STANDARD, LEVEL, CODE, NAME,
    c("households", Int, HH, "Số hộ (bản ghi)", "Households (records)", "Household records in the unit, unweighted."),
    c("households_weighted", Float, HHW, "Tổng số hộ", "Households (weighted)", "Households in the unit, each counted with its weight (the records themselves in a census)."),
    c("persons_weighted", Float, "persons (weighted)", "Tổng số người", "Persons (weighted)", "Members of the unit's households, each counted with its household's weight."),
    c("<class>", Float, HHW, "Số <class>", "<class> households", "Weighted households the year's standard places in the class; empty where that standard does not define it."),
    c("poor_income", Float, HHW, "Số hộ nghèo theo thu nhập", "Poor by income", "Weighted poor households whose income (or score) is at or below the poverty line (count rules; empty under the intersection rule)."),
    c("poor_deprivation", Float, HHW, "Số hộ nghèo theo thiếu hụt", "Poor by deprivation", "Weighted households poor by deprivations alone: above the poverty line, not above the near-poor line, deprived in at least the cut-off count (union rule)."),
    c("severe", Float, HHW, "Số hộ nghèo nghiêm trọng", "Severe poverty", "Weighted households whose deprivation score reaches the standard's severe cut-off (weighted rule)."),
    c("undetermined", Float, HHW, "Số hộ chưa xác định", "Undetermined", "Weighted households whose class depends on unknown indicator values."),
    c("excluded", Float, HHW, "Số hộ loại trừ", "Excluded", "Weighted households left out of every rate (--missing exclude and an unknown indicator)."),
    c("<class>_pct", Percent, PCT, "Tỷ lệ <class> (%)", "<class> (%)", "Households of the class, in percent of the weighted households not excluded."),
    c("poor_income_pct", Percent, PCT, "Tỷ lệ nghèo theo thu nhập (%)", "Poor by income (%)", "Households poor by income, in percent of the weighted households not excluded."),
    c("poor_deprivation_pct", Percent, PCT, "Tỷ lệ nghèo theo thiếu hụt (%)", "Poor by deprivation (%)", "Households poor by deprivations alone, in percent of the weighted households not excluded."),
    c("poor_pct_upper", Percent, PCT, "Tỷ lệ hộ nghèo, cận trên (%)", "Poor, upper bound (%)", "The poverty rate if every undetermined household that may be poor were poor."),
    c("severe_pct", Percent, PCT, "Tỷ lệ nghèo nghiêm trọng (%)", "Severe poverty (%)", "Households in severe poverty, in percent of the weighted households not excluded (weighted rule)."),
    c("severe_pct_upper", Percent, PCT, "Tỷ lệ nghèo nghiêm trọng, cận trên (%)", "Severe poverty, upper bound (%)", "The severe-poverty rate if every undetermined household that may be severely poor were."),
    c("undetermined_pct", Percent, PCT, "Tỷ lệ chưa xác định (%)", "Undetermined (%)", "Undetermined households, in percent of the weighted households not excluded."),
    c("poor_person_pct", Percent, PCT, "Tỷ lệ người trong hộ nghèo (%)", "Persons in poor households (%)", "Persons living in poor households, in percent of the weighted persons of households not excluded."),
    c("severe_person_pct", Percent, PCT, "Tỷ lệ người nghèo nghiêm trọng (%)", "Persons in severe poverty (%)", "Persons living in severely poor households, in percent of the weighted persons of households not excluded."),
    c("<class>_person_pct", Percent, PCT, "Tỷ lệ người trong <class> (%)", "Persons in <class> households (%)", "Persons living in households of the class counted beside the poor (near-poor or vulnerable), in percent of the weighted persons not excluded."),
    c("af_k", Text, "", "Ngưỡng k (AF)", "AF cut-off k", "The Alkire–Foster cut-off of the af_ columns, as a share of the indicator weights (3/10: three of ten equal indicators)."),
    c("af_<af>", Float, PROP, "<af>", "<af>", "An Alkire–Foster measure over households at the cut-off af_k: H the headcount ratio, A the average deprivation share of the poor, M0 = H × A."),
    c("af_<af>_se", Float, PROP, "<af> – sai số chuẩn", "<af> – std. error", "Design-based standard error of the Alkire–Foster measure (samples only)."),
    c("af_<af>_person", Float, PROP, "<af> theo người", "<af>, persons", "The Alkire–Foster measure over persons (each member carries the household's deprivations), for standards that count persons."),
    c("af_<af>_person_se", Float, PROP, "<af> theo người – sai số chuẩn", "<af>, persons – std. error", "Design-based standard error of the person measure (samples only)."),
    CELL_FLAGS,
];

const INDICATORS: &[OutColumn] = &[
    SURVEY_YEAR, STANDARD, LEVEL, CODE, NAME,
    c("indicator", Text, "", "Chỉ số", "Indicator", "Id of the deprivation indicator (its wording: `dachieu standards show <standard>`)."),
    c("households_weighted", Float, HHW, "Tổng số hộ", "Households (weighted)", "Households in the unit, each counted with its weight, excluded ones left out."),
    c("deprived", Float, HHW, "Số hộ thiếu hụt", "Deprived households", "Weighted households deprived in the indicator."),
    c("unknown", Float, HHW, "Số hộ chưa rõ", "Unknown", "Weighted households whose value of the indicator is unknown."),
    c("deprived_pct", Percent, PCT, "Tỷ lệ hộ thiếu hụt (%)", "Deprived (%)", "Households deprived in the indicator, in percent of the weighted households."),
    c("unknown_pct", Percent, PCT, "Tỷ lệ chưa rõ (%)", "Unknown (%)", "Households with the indicator unknown, in percent of the weighted households."),
    c("poor", Float, HHW, "Số hộ nghèo", "Poor households", "Weighted poor households of the unit (the same on every indicator's row)."),
    c("poor_deprived", Float, HHW, "Số hộ nghèo thiếu hụt", "Poor and deprived", "Weighted poor households deprived in the indicator."),
    c("poor_deprived_pct", Percent, PCT, "Tỷ lệ thiếu hụt trong hộ nghèo (%)", "Deprived among the poor (%)", "Poor households deprived in the indicator, in percent of the weighted poor households."),
    CELL_FLAGS,
];

const EST_UNIT: OutColumn = c("unit_of_analysis", Text, "", "Đơn vị phân tích", "Unit of analysis", "What the estimate counts: household, or person (each member weighted by the household's weight; the measure's name then ends in _person or _person_rate).");
const EST_LEVEL: OutColumn = c("level", Text, "", "Cấp", "Level", "The grouping the row belongs to: total (the whole run, named for what the records cover), region, province, district, commune, area, or a column named by --by.");
const EST_CODE: OutColumn = c("code", Text, "", "Mã đơn vị", "Unit code", "The unit's code: VN for the whole run, a GSO code, a region number, urban/rural, or the value of a --by column.");

const ESTIMATES: &[OutColumn] = &[
    STANDARD, SURVEY_YEAR, EST_UNIT, EST_LEVEL, EST_CODE,
    E_NAME, E_MEASURE, E_INDICATOR, E_K, E_DEPRIVATIONS, E_ESTIMATE, E_SE, E_CI_LOW, E_CI_HIGH, E_N, E_WEIGHT_SUM, E_N_UNKNOWN, E_FLAGS,
];

const ESTIMATES_CHANGE: &[OutColumn] = &[
    STANDARD_FROM, STANDARD_TO, FROM_YEAR, TO_YEAR, EST_UNIT, EST_LEVEL, EST_CODE,
    E_NAME, E_MEASURE, E_INDICATOR, E_K, E_DEPRIVATIONS,
    c("estimate", Float, PROP, "Thay đổi ước lượng", "Change in estimate", "The later year's estimate minus the earlier year's, as a difference of proportions."),
    c("se", Float, PROP, "Sai số chuẩn của thay đổi", "Std. error of change", "Standard error of the change, the two years' samples taken as independent; empty for a census."),
    c("ci_low", Float, PROP, "KTC 95 % – cận dưới", "95% CI, low", "Lower bound of the 95 % confidence interval of the change; empty for a census."),
    c("ci_high", Float, PROP, "KTC 95 % – cận trên", "95% CI, high", "Upper bound of the 95 % confidence interval of the change; empty for a census."),
    c("n", Int, "households", "Số quan sát", "Observations", "Household records of the later year the change rests on (unweighted)."),
    c("weight_sum", Float, HHW, "Tổng quyền số", "Sum of weights", "Sum of the household weights of the later year's records."),
    E_N_UNKNOWN, E_FLAGS,
];

const RATES_CHANGE: &[OutColumn] = &[
    FROM_YEAR, TO_YEAR, LEVEL, CODE, NAME,
    c("rate", Text, "", "Chỉ tiêu", "Rate", "Which rate changes: poor_rate, near_poor_rate, … (households)."),
    c("pct_from", Percent, PCT, "Tỷ lệ năm đầu (%)", "Rate, from (%)", "The rate in from_year, in percent."),
    c("pct_to", Percent, PCT, "Tỷ lệ năm sau (%)", "Rate, to (%)", "The rate in to_year, in percent."),
    c("change_pp", Pp, "percentage points", "Thay đổi (điểm %)", "Change (pp)", "The later rate minus the earlier one, in percentage points."),
    c("change_se_pp", Pp, "percentage points", "Sai số chuẩn của thay đổi (điểm %)", "Std. error of change (pp)", "Standard error of the change (samples only), in percentage points."),
    c("change_ci_low_pp", Pp, "percentage points", "KTC 95 % của thay đổi – cận dưới", "95% CI of change, low (pp)", "Lower bound of the 95 % confidence interval of the change (samples only)."),
    c("change_ci_high_pp", Pp, "percentage points", "KTC 95 % của thay đổi – cận trên", "95% CI of change, high (pp)", "Upper bound of the 95 % confidence interval of the change (samples only)."),
    STANDARD_FROM, STANDARD_TO,
    c("comparable", Text, "", "So sánh được", "Comparable", "Whether the two rates compare: yes, with care (different standards) or no (the class is defined differently), with the reason."),
    c("note", Text, "", "Ghi chú", "Note", "Why the comparison is limited, and census or sample."),
    COMPARABILITY, CODES_FROM, CODES_TO,
];

const TRANSITIONS: &[OutColumn] = &[
    FROM_YEAR, TO_YEAR, LEVEL, CODE, NAME,
    c("class_from", Text, "", "Loại hộ năm đầu", "Class, from", "The household's class in the earlier year (absent: no record that year)."),
    c("class_to", Text, "", "Loại hộ năm sau", "Class, to", "The household's class in the later year (absent: no record that year)."),
    c("households", Int, HH, "Số hộ", "Households", "Households (same household_id) that moved from class_from to class_to, unweighted."),
    STANDARD_FROM, STANDARD_TO,
    COMPARABILITY, CODES_FROM, CODES_TO,
];

const fn t(name: &'static str, vi: &'static str, en: &'static str, about: &'static str) -> OutColumn {
    c(name, Int, HH, vi, en, about)
}

const TRANSITIONS_SUMMARY: &[OutColumn] = &[
    FROM_YEAR, TO_YEAR, LEVEL, CODE, NAME,
    t("households_from", "Số hộ năm đầu", "Households, from", "Households recorded in the earlier year."),
    t("households_to", "Số hộ năm sau", "Households, to", "Households recorded in the later year."),
    t("in_both_years", "Số hộ có ở cả hai năm", "In both years", "Households recorded in both years (same household_id)."),
    t("appeared", "Số hộ mới", "Appeared", "Households recorded in the later year only."),
    t("disappeared", "Số hộ không còn", "Disappeared", "Households recorded in the earlier year only."),
    t("poor_from", "Số hộ nghèo năm đầu", "Poor, from", "Poor households in the earlier year."),
    t("poor_to", "Số hộ nghèo năm sau", "Poor, to", "Poor households in the later year."),
    t("stayed_poor", "Vẫn nghèo", "Stayed poor", "Households poor in both years."),
    t("exited_poverty", "Thoát nghèo", "Exited poverty", "Households poor in the earlier year and of a determined other class in the later one."),
    t("entered_poverty", "Nghèo mới (hộ cũ)", "Entered poverty", "Households of a determined other class in the earlier year and poor in the later one."),
    t("poor_to_undetermined", "Nghèo → chưa xác định", "Poor to undetermined", "Households poor in the earlier year and undetermined or excluded in the later one."),
    t("undetermined_to_poor", "Chưa xác định → nghèo", "Undetermined to poor", "Households undetermined or excluded in the earlier year and poor in the later one."),
    t("new_households_poor", "Hộ mới là hộ nghèo", "New households, poor", "Households recorded in the later year only, and poor."),
    t("poor_households_gone", "Hộ nghèo không còn", "Poor households gone", "Households poor in the earlier year and not recorded in the later one."),
    t("<class>_to", "Số <class> năm sau", "<class>, to", "Households of the class counted beside the poor (near-poor or vulnerable) in the later year."),
    t("entered_<class>", "Số <class> mới", "Entered <class>", "Households of the class in the later year that were of a determined other class, not poor, or not recorded in the earlier year."),
    t("undetermined_to_<class>", "Chưa xác định → <class>", "Undetermined to <class>", "Households undetermined or excluded in the earlier year and of the class in the later one."),
    STANDARD_FROM, STANDARD_TO,
    COMPARABILITY, CODES_FROM, CODES_TO,
];

// The official summary forms (biểu tổng hợp), for tools: `report::forms` lays them out.
const FORM_LIST: OutColumn = c("list", Text, "", "Danh sách", "List", "Which list the row counts: poor (hộ nghèo) or near_poor (hộ cận nghèo).");
const FORM_AREA: OutColumn = c("area", Text, "", "Khu vực", "Area", "urban or rural: the area of the unit's households the row counts (section I or II of the form); empty on the total row.");
const FORM_LISTS: &[OutColumn] = &[
    FROM_YEAR, TO_YEAR, FORM_LIST, LEVEL, CODE, NAME, FORM_AREA,
    t("households", "Tổng số hộ dân cư", "Total households", "Households of the row with a record in to_year, whatever their class."),
    t("start", "Số hộ đầu năm", "At the start of the year", "Households on the list in from_year (the previous review in the data)."),
    c("start_minority", Int, HH, "Số hộ DTTS đầu năm", "Ethnic-minority, start", "Of start, ethnic-minority households (their from_year record); empty when the records have no ethnic_minority column."),
    t("left", "Số hộ thoát", "Left the list", "On the list in from_year, classed off it in to_year (thoát nghèo / thoát cận nghèo)."),
    t("gone", "Số hộ không còn trong dữ liệu", "No longer recorded", "On the list in from_year, with no record in to_year (moved, split, merged, died)."),
    t("fell_back", "Số hộ tái", "Fell back", "On the list in to_year, not in from_year (classed off it or not recorded), on it in an earlier review in the data (tái nghèo / tái cận nghèo)."),
    t("new", "Số hộ phát sinh", "New", "On the list in to_year, off it or not recorded in from_year, never on it in an earlier review in the data (phát sinh)."),
    t("to_undetermined", "Đầu năm chuyển sang chưa xác định", "Start list to undetermined", "On the list in from_year, undetermined or excluded in to_year: neither left nor stayed."),
    t("from_undetermined", "Chưa xác định chuyển vào", "Undetermined to end list", "On the list in to_year, undetermined or excluded in from_year: neither new nor fell back."),
    t("end", "Số hộ cuối năm", "At the end of the year", "Households on the list in to_year; end = start − left − gone − to_undetermined + fell_back + new + from_undetermined."),
    c("end_pct", Percent, PCT, "Tỷ lệ cuối năm (%)", "End of the year (%)", "end in percent of households."),
    c("end_minority", Int, HH, "Số hộ DTTS cuối năm", "Ethnic-minority, end", "Of end, ethnic-minority households; empty when the records have no ethnic_minority column."),
    c("end_minority_pct", Percent, PCT, "Tỷ lệ hộ DTTS cuối năm (%)", "Ethnic-minority share, end (%)", "end_minority in percent of end."),
];
const FORM_DEPRIVATIONS: &[OutColumn] = &[
    SURVEY_YEAR, FORM_LIST, LEVEL, CODE, NAME, FORM_AREA,
    c("indicator", Text, "", "Chỉ số", "Indicator", "Id of the deprivation indicator (its wording: `dachieu standards show <standard>`)."),
    t("households", "Số hộ của danh sách", "Households on the list", "Households of the row on the list in survey_year (the same on every indicator's row)."),
    t("deprived", "Số hộ thiếu hụt", "Deprived households", "Of households, those deprived in the indicator."),
    c("deprived_pct", Percent, PCT, "Tỷ lệ hộ thiếu hụt (%)", "Deprived (%)", "deprived in percent of households."),
    t("unknown", "Số hộ chưa rõ", "Unknown", "Of households, those whose value of the indicator is unknown (not counted as deprived)."),
];

const FOLLOW_UP: &[OutColumn] = &[
    HOUSEHOLD_ID, PROVINCE, DISTRICT, COMMUNE,
    c("from_year", Int, YEAR, "Từ năm", "From year", "The earlier survey year of the comparison."),
    c("to_year", Int, YEAR, "Đến năm", "To year", "The later survey year: the household is newly poor or newly near-poor in it."),
    c("class_from", Text, "", "Loại hộ năm đầu", "Class, from", "The household's class in from_year (poor, near_poor, …, undetermined; absent when not recorded that year)."),
    c("class_to", Text, "", "Loại hộ năm sau", "Class, to", "The household's class in to_year: poor, or the class counted beside the poor (near-poor or vulnerable)."),
    POOR_PATH, MEASURE_HH, STANDARD_TO,
];

const SCORED: &[OutColumn] = &[
    SURVEY_YEAR, HOUSEHOLD_ID, PROVINCE, DISTRICT, COMMUNE,
    c("area", Text, "", "Khu vực", "Area", "urban or rural, as recorded."),
    c("stratum", Text, "", "Tầng mẫu", "Stratum", "The sampling stratum, as recorded (samples only)."),
    c("psu", Text, "", "Đơn vị mẫu cấp 1", "PSU", "The primary sampling unit, as recorded (samples only)."),
    c("household_size", Int, "persons", "Số nhân khẩu", "Household size", "Members of the household, as recorded or counted from the members table."),
    c("weight", Float, "households", "Quyền số", "Weight", "The household's sampling weight (1 when the data carry none)."),
    c("deprivations_min", Int, "indicators", "Số thiếu hụt tối thiểu", "Deprivations, min", "Deprivations counting every unknown indicator as not deprived."),
    c("deprivations_max", Int, "indicators", "Số thiếu hụt tối đa", "Deprivations, max", "Deprivations counting every unknown indicator as deprived."),
    c("deprivation_score_min", Float, "share of weights (0–1)", "Điểm thiếu hụt tối thiểu", "Deprivation score, min", "Weighted deprivation score with unknown indicators not deprived (weighted rule)."),
    c("deprivation_score_max", Float, "share of weights (0–1)", "Điểm thiếu hụt tối đa", "Deprivation score, max", "Weighted deprivation score with unknown indicators deprived (weighted rule)."),
    c("severe", Bool, "", "Nghèo nghiêm trọng", "Severe poverty", "Whether the household is in severe poverty (weighted rule with a severe band); empty when unknown."),
    c("class", Text, "", "Loại hộ", "Class", "The household's class: one the standard defines (poor, near_poor, …), undetermined or excluded."),
    POOR_PATH, MEASURE_HH, POSSIBLE, UNKNOWN_INDICATORS,
    // Kept input columns (`schema::KEPT_COLUMNS`), carried as text when the input has them.
    c("ethnic_minority", Text, "", "Hộ dân tộc thiểu số", "Ethnic-minority household", "yes or no, as kept from the input (kept column); empty when not recorded."),
    c("village", Text, "", "Thôn, ấp, bản, tổ dân phố", "Village", "The village or residential group, as kept from the input (kept column)."),
    c("head_name", Text, "", "Họ tên chủ hộ", "Household head", "The household head's name, as kept from the input (kept column): for the follow-up lists only."),
    c("address", Text, "", "Địa chỉ", "Address", "The household's address, as kept from the input (kept column): for the follow-up lists only."),
    c("<indicator>", Bool, "", "Thiếu hụt: <indicator>", "Deprived: <indicator>", "Whether the household is deprived in the indicator; empty when unknown."),
];

const UNDETERMINED: &[OutColumn] = &[
    SURVEY_YEAR, HOUSEHOLD_ID, PROVINCE, DISTRICT, COMMUNE, POSSIBLE, UNKNOWN_INDICATORS, MEASURE_HH,
];

const QUARANTINE: &[OutColumn] = &[
    c("source_file", Text, "", "Tệp nguồn", "Source file", "The input file the rejected row comes from."),
    c("row", Int, "row", "Dòng", "Row", "The row a person would look up: the CSV line or Excel row (both counting the header), or the Parquet row."),
    c("column", Text, "", "Cột", "Column", "The column whose value was rejected; empty when the whole row is."),
    c("value", Text, "", "Giá trị", "Value", "The rejected value as written."),
    c("reason", Text, "", "Lý do", "Reason", "What is wrong and what to do."),
];

const BRIDGE: &[OutColumn] = &[
    SURVEY_YEAR, STANDARD_FROM, LEVEL, CODE, NAME,
    c("class_from", Text, "", "Loại hộ theo chuẩn đầu", "Class, first standard", "The household's class under standard_from."),
    c("class_to", Text, "", "Loại hộ theo chuẩn sau", "Class, second standard", "The household's class under standard_to."),
    c("households", Int, HH, "Số hộ", "Households", "Households with that pair of classes, unweighted."),
    STANDARD_TO,
];

// The follow-up lists for commune officers: Excel only, Vietnamese headers;
// the only outputs that carry the pass-through columns naming people.
const LISTS: &[OutColumn] = &[
    c("row_number", Int, "row", "STT", "No.", "The household's number in the list, from 1."),
    HOUSEHOLD_ID,
    c("head_name", Text, "", "Họ và tên chủ hộ", "Head of household", "The household head's name as in the input (head_name); empty when the input has none."),
    c("village", Text, "", "Thôn, ấp, bản, tổ dân phố", "Village", "The village or residential group as in the input (village); the list is sorted by it, then by household id."),
    c("address", Text, "", "Địa chỉ", "Address", "The household's address as in the input (address)."),
    c("ethnic_minority", Text, "", "Hộ DTTS", "Ethnic minority", "Có when the household is an ethnic-minority household, Không when not; empty when the input does not say."),
    c("area", Text, "", "Khu vực", "Area", "Thành thị (urban) or Nông thôn (rural)."),
    c("class_from", Text, "", "Loại hộ năm <year>", "Class in <year>", "Movement lists: the household's class in the previous review, in words (chưa có trong danh sách when it had no record)."),
    c("class_to", Text, "", "Loại hộ năm <year>", "Class in <year>", "Movement lists: the household's class in the list's year, in words."),
    c("deprived_indicators", Text, "", "Các chỉ số thiếu hụt", "Deprived in", "Movement lists: the indicators the household is deprived in this year, by their names in the standard, joined by ;."),
    c("possible_classes", Text, "", "Có thể là", "Possible classes", "Undetermined list: the classes the unknown values leave open, in words."),
    c("unknown_indicators", Text, "", "Chỉ số chưa rõ", "Unknown indicators", "Undetermined list: the indicators whose value is unknown, by their names in the standard."),
    c("to_collect", Text, "", "Thông tin cần thu thập", "To collect", "Undetermined list: per unknown indicator, the input columns its rule reads (Vietnamese alias and column name), to collect before scoring again."),
];

const TABLE: &[&str] = &["csv", "json", "parquet"];

/// Every file dachieu writes, in the order a run writes them; each file's
/// columns in the order it holds them (a name is looked up among the names
/// written out first, then among the patterns, so the order never decides
/// a match).
pub static FILES: &[OutFile] = &[
    OutFile { path: "quarantine", formats: &["csv"], written_by: "ingest, run", vi: "Dòng bị loại", en: "Quarantine", about: "Every input row or value ingest rejected, with where it is and why.", columns: QUARANTINE },
    OutFile { path: "scored/survey_year=<year>/scored", formats: &["parquet"], written_by: "score, run", vi: "Kết quả chấm điểm", en: "Scored households", about: "One row per household of the year: its indicators, the count range, class, path and measure; the standard in the file's metadata.", columns: SCORED },
    OutFile { path: "scored/survey_year=<year>/undetermined", formats: &["csv"], written_by: "score, run", vi: "Hộ chưa xác định", en: "Undetermined", about: "Follow-up list: households whose class depends on unknown values, and which values.", columns: UNDETERMINED },
    OutFile { path: "tables/rates_<level>", formats: TABLE, written_by: "tables, run", vi: "Tỷ lệ theo <level>", en: "Rates by <level>", about: "Counts and rates of each class per unit and year, with the whole run's rows, person rates and the Alkire–Foster measures at the standard's cut-off.", columns: RATES },
    OutFile { path: "tables/indicators_<level>", formats: TABLE, written_by: "tables, run", vi: "Thiếu hụt theo <level>", en: "Deprivations by <level>", about: "Deprivation headcounts per indicator, among all households and among the poor, per unit and year.", columns: INDICATORS },
    OutFile { path: "tables/estimates", formats: TABLE, written_by: "tables, run", vi: "Ước lượng", en: "Estimates", about: "Tidy: one row per estimate (class rates, Alkire–Foster measures at every cut-off, per indicator), with standard error and 95 % interval for samples.", columns: ESTIMATES },
    OutFile { path: "tables/estimates_change", formats: TABLE, written_by: "tables, run", vi: "Thay đổi ước lượng", en: "Estimate changes", about: "The estimates as changes between consecutive survey years.", columns: ESTIMATES_CHANGE },
    OutFile { path: "tables/form_lists", formats: TABLE, written_by: "run", vi: "Diễn biến hộ nghèo, cận nghèo", en: "Forms, list movement", about: "The official summary form of each review with one before it (census records only): per list, unit and area, the households, the list at the start and end of the year and its movement (left, no longer recorded, fell back, new, to and from undetermined), with the ethnic-minority households.", columns: FORM_LISTS },
    OutFile { path: "tables/form_deprivations", formats: TABLE, written_by: "run", vi: "Biểu thiếu hụt theo chỉ số", en: "Forms, deprivations", about: "Households on the poor and the near-poor list of each review with one before it (census records only), by deprivation indicator, per unit and area: deprived and unknown.", columns: FORM_DEPRIVATIONS },
    OutFile { path: "compare/rates_change_<level>", formats: TABLE, written_by: "compare, run", vi: "Thay đổi tỷ lệ theo <level>", en: "Rate changes by <level>", about: "Each rate in two years and its change in percentage points, with whether the two compare.", columns: RATES_CHANGE },
    OutFile { path: "compare/transitions_<level>", formats: TABLE, written_by: "compare, run", vi: "Chuyển đổi theo <level>", en: "Transitions by <level>", about: "Households of the same id in two years, counted by their class in each.", columns: TRANSITIONS },
    OutFile { path: "compare/transitions_summary_<level>", formats: TABLE, written_by: "compare, run", vi: "Tóm tắt chuyển đổi – <level>", en: "Transition summary – <level>", about: "The transitions summed up per unit: stayed poor, exited, entered, appeared, gone.", columns: TRANSITIONS_SUMMARY },
    OutFile { path: "compare/follow_up_<year>", formats: &["csv"], written_by: "compare, run", vi: "Danh sách theo dõi <year>", en: "Follow-up <year>", about: "Households newly poor or newly near-poor in the year named, for commune officers.", columns: FOLLOW_UP },
    OutFile { path: "lists/<year>/danh_sach_xa", formats: &["xlsx"], written_by: "run", vi: "Danh sách theo dõi <year>", en: "Follow-up lists <year>", about: "One workbook per commune (lists/<year>/<province>/<district>/<commune>.xlsx), one sheet per list: undetermined, newly poor, newly near-poor, fell back into poverty, left poverty; Vietnamese headers and values, with the head's name, village and address.", columns: LISTS },
    OutFile { path: "bridge_<year>_<level>", formats: TABLE, written_by: "bridge", vi: "Cầu nối chuẩn <year> – <level>", en: "Bridge <year> – <level>", about: "One survey year classified under two standards: households counted by their class under each.", columns: BRIDGE },
];
