//! The column lists of the two input tables (data contract v2). Everything the
//! bundled standards' indicators and the income / score rules need. Kept as plain
//! static data so the dictionary, the validator and the rule checker share it.

use super::{ColType, ColumnSpec, Range};

const NONE: &[(&str, &str)] = &[];

const fn col(
    name: &'static str,
    ty: ColType,
    required: bool,
    aliases: &'static [&'static str],
    doc: &'static str,
) -> ColumnSpec {
    ColumnSpec {
        name,
        ty,
        required,
        aliases,
        range: None,
        code_aliases: NONE,
        doc,
    }
}

const fn ranged(mut c: ColumnSpec, r: Range) -> ColumnSpec {
    c.range = Some(r);
    c
}

const fn coded(mut c: ColumnSpec, a: &'static [(&'static str, &'static str)]) -> ColumnSpec {
    c.code_aliases = a;
    c
}

const YEAR: Range = Range {
    min: Some(1900.0),
    min_inclusive: true,
    max: Some(2100.0),
};

pub const AREA_CODES: &[&str] = &["urban", "rural"];
pub const DWELLING_CODES: &[&str] = &["permanent", "semi_permanent", "less_permanent", "simple"];
pub const WATER_CODES: &[&str] = &[
    "piped",
    "protected_well",
    "protected_spring",
    "rainwater",
    "bottled",
    "tanker",
    "unprotected_well",
    "unprotected_spring",
    "surface",
    "other",
];
pub const LATRINE_CODES: &[&str] = &[
    "septic_tank",
    "sewer",
    "double_vault",
    "biogas",
    "ventilated_pit",
    "single_pit",
    "bucket",
    "over_water",
    "other",
    "none",
];
pub const EDUCATION_CODES: &[&str] = &[
    "none",
    "primary",
    "lower_secondary",
    "upper_secondary",
    "tertiary",
];

pub const COOKING_FUEL_CODES: &[&str] = &[
    "electricity",
    "gas",
    "biogas",
    "kerosene",
    "coal",
    "charcoal",
    "wood",
    "straw_dung",
    "none",
    "other",
];
pub const WASTE_CODES: &[&str] = &["collected", "composted", "burned_buried", "dumped", "other"];
pub const EMPLOYMENT_CODES: &[&str] = &[
    "wage_employee",
    "self_employed",
    "family_worker",
    "unemployed",
    "inactive",
];
pub const TRAINING_CODES: &[&str] = &[
    "none",
    "elementary",
    "intermediate",
    "college",
    "university",
];

pub static HOUSEHOLD_COLUMNS: &[ColumnSpec] = &[
    ranged(
        col("survey_year", ColType::Int, true, &["nam", "năm", "nam_dieu_tra", "năm_điều_tra"], "Year of the review or survey the record belongs to."),
        YEAR,
    ),
    col("household_id", ColType::Text, true, &["ma_ho", "mã_hộ"], "Household identifier, unique within a survey year; the same id across years means the same household."),
    col("province_code", ColType::AdminCode(2), true, &["ma_tinh", "mã_tỉnh"], "2-digit GSO province code (63-province scheme), e.g. 01 Hà Nội, 89 An Giang. Numbers like 1 are zero-padded to 01."),
    col("district_code", ColType::AdminCode(3), false, &["ma_huyen", "mã_huyện"], "3-digit GSO district code."),
    col("commune_code", ColType::AdminCode(5), false, &["ma_xa", "mã_xã"], "5-digit GSO commune code."),
    coded(
        col("area", ColType::Code(AREA_CODES), true, &["khu_vuc", "khu_vực", "thanh_thi_nong_thon"], "urban or rural; decides which lines apply. GSO codes 1 = urban, 2 = rural are accepted."),
        &[("1", "urban"), ("2", "rural"), ("thanh_thi", "urban"), ("thành_thị", "urban"), ("nong_thon", "rural"), ("nông_thôn", "rural")],
    ),
    ranged(
        col("weight", ColType::Float, false, &["trong_so", "trọng_số"], "Survey weight (households represented). Missing column: every household counts 1."),
        Range::POSITIVE,
    ),
    col("stratum", ColType::Text, false, &["tang", "tầng"], "Sampling stratum (sample surveys only)."),
    col("psu", ColType::Text, false, &["dia_ban", "địa_bàn"], "Primary sampling unit (sample surveys only)."),
    ranged(
        col("household_size", ColType::Int, true, &["so_nhan_khau", "số_nhân_khẩu", "hh_size"], "Number of household members (nhân khẩu)."),
        Range { min: Some(1.0), min_inclusive: true, max: Some(100.0) },
    ),
    ranged(
        col("income_per_capita_month", ColType::Int, false, &["thu_nhap_binh_quan", "thu_nhập_bình_quân"], "Income per person per month, whole VND."),
        Range::NON_NEGATIVE,
    ),
    ranged(
        col("income_total_year", ColType::Int, false, &["tong_thu_nhap_nam", "tổng_thu_nhập_năm"], "Household income over 12 months, whole VND; compared with line × 12 × household_size."),
        Range::NON_NEGATIVE,
    ),
    ranged(
        col("score_b1", ColType::Float, false, &["diem_b1", "điểm_b1"], "Review-form score B1 (Circular 17/2016 as amended by Circular 14/2018; reviews 2016–2021). Authoritative when present, under a standard that reads it (vn-2016-2020)."),
        Range::NON_NEGATIVE,
    ),
    ranged(
        col("score_a", ColType::Float, false, &["diem_a", "điểm_a"], "Review-form score A (Circular 07/2021/TT-BLĐTBXH; reviews 2022–2026), the income proxy on its own scale (rural 140, urban 175 points). Authoritative when present, under a standard that reads it (vn-2022-2025)."),
        Range::NON_NEGATIVE,
    ),
    col("walls_durable", ColType::Bool, false, &["tuong_ben_chac", "tường_bền_chắc"], "The walls are of durable material."),
    col("columns_durable", ColType::Bool, false, &["cot_ben_chac", "cột_bền_chắc"], "The columns (or load-bearing walls) are of durable material."),
    col("roof_durable", ColType::Bool, false, &["mai_ben_chac", "mái_bền_chắc"], "The roof is of durable material."),
    coded(
        col("dwelling_type", ColType::Code(DWELLING_CODES), false, &["loai_nha", "loại_nhà"], "Four-level dwelling class, used when the three parts are not recorded."),
        &[("kien_co", "permanent"), ("kiên_cố", "permanent"), ("ban_kien_co", "semi_permanent"), ("bán_kiên_cố", "semi_permanent"), ("thieu_kien_co", "less_permanent"), ("thiếu_kiên_cố", "less_permanent"), ("don_so", "simple"), ("đơn_sơ", "simple")],
    ),
    ranged(
        col("floor_area_m2", ColType::Float, false, &["dien_tich_nha", "diện_tích_nhà"], "Usable floor area of the dwelling, m²."),
        Range::POSITIVE,
    ),
    col("water_source", ColType::Code(WATER_CODES), false, &["nguon_nuoc", "nguồn_nước"], "Main source of water for daily use."),
    col("latrine", ColType::Code(LATRINE_CODES), false, &["nha_tieu", "nhà_tiêu", "ho_xi", "hố_xí"], "Type of latrine the household uses."),
    col("has_tv", ColType::Bool, false, &["co_tivi", "có_tivi"], "Owns a working television."),
    col("has_radio", ColType::Bool, false, &["co_radio", "có_radio"], "Owns a working radio."),
    col("has_computer", ColType::Bool, false, &["co_may_tinh", "có_máy_tính"], "Owns a working computer."),
    col("hears_loudspeaker", ColType::Bool, false, &["nghe_loa_truyen_thanh", "nghe_loa_truyền_thanh"], "Can hear the commune / village public loudspeaker system."),
    // Contract v2: the fields the 2022–2025 and 2027–2030 standards and the global MPI need.
    col("has_phone", ColType::Bool, false, &["co_dien_thoai", "có_điện_thoại"], "Owns a working telephone (mobile or fixed)."),
    col("has_fridge", ColType::Bool, false, &["co_tu_lanh", "có_tủ_lạnh"], "Owns a working refrigerator."),
    col("has_bicycle", ColType::Bool, false, &["co_xe_dap", "có_xe_đạp"], "Owns a bicycle."),
    col("has_motorbike", ColType::Bool, false, &["co_xe_may", "có_xe_máy"], "Owns a motorbike."),
    col("has_car", ColType::Bool, false, &["co_o_to", "có_ô_tô"], "Owns a car or truck."),
    col("has_animal_cart", ColType::Bool, false, &["co_xe_suc_vat", "có_xe_súc_vật"], "Owns an animal-drawn cart."),
    col("has_electricity", ColType::Bool, false, &["co_dien", "có_điện"], "The dwelling has electricity (grid or own generator)."),
    coded(
        col("cooking_fuel", ColType::Code(COOKING_FUEL_CODES), false, &["chat_dot", "chất_đốt", "nhien_lieu_nau_an", "nhiên_liệu_nấu_ăn"], "Main fuel for cooking."),
        &[("dien", "electricity"), ("điện", "electricity"), ("ga", "gas"), ("khi_sinh_hoc", "biogas"), ("khí_sinh_học", "biogas"), ("dau_hoa", "kerosene"), ("dầu_hỏa", "kerosene"), ("than", "coal"), ("than_cui", "charcoal"), ("than_củi", "charcoal"), ("cui", "wood"), ("củi", "wood"), ("rom_ra", "straw_dung"), ("rơm_rạ", "straw_dung")],
    ),
    col("floor_finished", ColType::Bool, false, &["nen_hoan_thien", "nền_hoàn_thiện"], "The floor is of finished material (tiles, cement, parquet); no for earth, sand, dung, or rudimentary wood or bamboo."),
    ranged(
        col("water_minutes", ColType::Int, false, &["phut_lay_nuoc", "phút_lấy_nước"], "Minutes for a round trip to collect drinking water, waiting included; 0 when it is on the premises."),
        Range { min: Some(0.0), min_inclusive: true, max: Some(1440.0) },
    ),
    col("latrine_shared", ColType::Bool, false, &["nha_tieu_dung_chung", "nhà_tiêu_dùng_chung"], "The latrine is shared with other households."),
    coded(
        col("waste_treatment", ColType::Code(WASTE_CODES), false, &["xu_ly_rac", "xử_lý_rác"], "How the household's domestic waste is handled: collected by a service, composted, burned or buried on site, or dumped (open ground, river, canal)."),
        &[("thu_gom", "collected"), ("ủ_phân", "composted"), ("u_phan", "composted"), ("dot_chon", "burned_buried"), ("đốt_chôn", "burned_buried"), ("vut_bo", "dumped"), ("vứt_bỏ", "dumped")],
    ),
    ranged(
        col("child_deaths_5y", ColType::Int, false, &["tre_tu_vong_5_nam", "trẻ_tử_vong_5_năm"], "Children under 18 of the household who died in the five years before the survey."),
        Range::NON_NEGATIVE,
    ),
];

pub static MEMBER_COLUMNS: &[ColumnSpec] = &[
    ranged(
        col("survey_year", ColType::Int, true, &["nam", "năm", "nam_dieu_tra", "năm_điều_tra"], "Survey year of the member's household."),
        YEAR,
    ),
    col("household_id", ColType::Text, true, &["ma_ho", "mã_hộ"], "The member's household (must exist in households for the same year)."),
    col("member_id", ColType::Text, true, &["ma_thanh_vien", "mã_thành_viên"], "Member identifier, unique within the household."),
    ranged(
        col("age", ColType::Int, false, &["tuoi", "tuổi"], "Completed age in years at the survey. With only birth_year, rules are evaluated for both possible ages."),
        Range { min: Some(0.0), min_inclusive: true, max: Some(120.0) },
    ),
    ranged(
        col("birth_year", ColType::Int, false, &["nam_sinh", "năm_sinh"], "Year of birth; must not be after the survey year. With only age, rules are evaluated for both possible birth years."),
        YEAR,
    ),
    col("sick_last_12m", ColType::Bool, false, &["om_dau", "ốm_đau"], "Was ill or injured in the last 12 months seriously enough to be bed-ridden, need care, or stop normal work or study."),
    col("sought_care", ColType::Bool, false, &["kham_chua_benh", "khám_chữa_bệnh"], "Sought medical examination or treatment for that illness."),
    col("has_health_insurance", ColType::Bool, false, &["bhyt", "co_bhyt", "có_bhyt"], "Has a valid health insurance card."),
    coded(
        col("education_level", ColType::Code(EDUCATION_CODES), false, &["trinh_do_hoc_van", "trình_độ_học_vấn"], "Highest level completed."),
        &[("khong", "none"), ("không", "none"), ("tieu_hoc", "primary"), ("tiểu_học", "primary"), ("thcs", "lower_secondary"), ("thpt", "upper_secondary"), ("cao_dang_dai_hoc", "tertiary"), ("cao_đẳng_đại_học", "tertiary")],
    ),
    col("in_school", ColType::Bool, false, &["dang_di_hoc", "đang_đi_học"], "Currently attending school."),
    col("uses_phone", ColType::Bool, false, &["dung_dien_thoai", "dùng_điện_thoại"], "Uses a telephone subscription (mobile or fixed)."),
    col("uses_internet", ColType::Bool, false, &["dung_internet", "dùng_internet"], "Uses the internet."),
    // Contract v2: the fields the 2022–2025 and 2027–2030 standards and the global MPI need.
    coded(
        col("employment_status", ColType::Code(EMPLOYMENT_CODES), false, &["viec_lam", "việc_làm", "tinh_trang_viec_lam", "tình_trạng_việc_làm"], "Work in the last 7 days: wage_employee (works for a wage or salary), self_employed, family_worker (unpaid, in the household's business), unemployed (able and willing to work, looking, no job), inactive (not in the labour force: student, retired, home duties, unable)."),
        &[("lam_cong_an_luong", "wage_employee"), ("làm_công_ăn_lương", "wage_employee"), ("tu_lam", "self_employed"), ("tự_làm", "self_employed"), ("lao_dong_gia_dinh", "family_worker"), ("lao_động_gia_đình", "family_worker"), ("that_nghiep", "unemployed"), ("thất_nghiệp", "unemployed"), ("khong_hoat_dong", "inactive"), ("không_hoạt_động", "inactive")],
    ),
    col("has_labour_contract", ColType::Bool, false, &["hop_dong_lao_dong", "hợp_đồng_lao_động"], "A wage employee with a written labour contract (hợp đồng lao động)."),
    col("receives_social_allowance", ColType::Bool, false, &["tro_cap_xa_hoi", "trợ_cấp_xã_hội"], "Receives a monthly social allowance (trợ cấp xã hội hằng tháng: elderly, disabled, and other protected groups)."),
    col("stunted", ColType::Bool, false, &["suy_dinh_duong_chieu_cao", "suy_dinh_dưỡng_chiều_cao", "thap_coi", "thấp_còi"], "A child whose height for age is below −2 SD of the WHO reference (stunted)."),
    col("underweight", ColType::Bool, false, &["suy_dinh_duong_can_nang", "suy_dinh_dưỡng_cân_nặng", "nhe_can", "nhẹ_cân"], "A child whose weight for age is below −2 SD of the WHO reference (underweight)."),
    ranged(
        col("bmi", ColType::Float, false, &["chi_so_bmi"], "Body-mass index of an adult, kg/m² (global MPI nutrition: below 18.5 is undernourished)."),
        Range { min: Some(5.0), min_inclusive: true, max: Some(80.0) },
    ),
    ranged(
        col("years_schooling", ColType::Int, false, &["so_nam_di_hoc", "số_năm_đi_học"], "Years of schooling completed."),
        Range { min: Some(0.0), min_inclusive: true, max: Some(30.0) },
    ),
    coded(
        col("vocational_training", ColType::Code(TRAINING_CODES), false, &["trinh_do_chuyen_mon", "trình_độ_chuyên_môn"], "Highest vocational or professional qualification: none, elementary (sơ cấp, or employer-certified on-the-job training of 3 months or more), intermediate (trung cấp), college (cao đẳng), university."),
        &[("khong", "none"), ("không", "none"), ("so_cap", "elementary"), ("sơ_cấp", "elementary"), ("trung_cap", "intermediate"), ("trung_cấp", "intermediate"), ("cao_dang", "college"), ("cao_đẳng", "college"), ("dai_hoc", "university"), ("đại_học", "university")],
    ),
    col("uses_digital_services", ColType::Bool, false, &["dung_dich_vu_so", "dùng_dịch_vụ_số"], "Used an online public service, digital payment or other digital service in the last 12 months."),
];
