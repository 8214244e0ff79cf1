//! The input columns' labels a person reads: the Vietnamese and English
//! header of each contract and kept column, with its unit. The Excel
//! input template writes them as its header row (`label (unit)`), and
//! ingest accepts them, with or without the unit, as aliases of the
//! column (`resolve_header`, `resolve_kept`). One line per column, so the
//! table reads as a table, hence no rustfmt here.

use crate::i18n::Lang;

/// The labels of one input column.
#[derive(Debug, Clone, Copy)]
pub struct Label {
    pub name: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
    /// The unit, in Vietnamese and English; empty when none.
    pub unit_vi: &'static str,
    pub unit_en: &'static str,
}

impl Label {
    /// The label alone.
    pub fn text(&self, lang: Lang) -> &'static str {
        lang.t(self.vi, self.en)
    }
    /// The unit alone (empty when none).
    pub fn unit(&self, lang: Lang) -> &'static str {
        lang.t(self.unit_vi, self.unit_en)
    }
    /// The header the template writes: the label, and its unit in
    /// brackets when it has one.
    pub fn header(&self, lang: Lang) -> String {
        match self.unit(lang) {
            "" => self.text(lang).to_string(),
            u => format!("{} ({u})", self.text(lang)),
        }
    }
    /// The headers that mean this column: each language's label, with and
    /// without the unit.
    pub fn headers(&self) -> [String; 4] {
        [
            self.vi.to_string(),
            self.header(Lang::Vi),
            self.en.to_string(),
            self.header(Lang::En),
        ]
    }
}

const fn l(
    name: &'static str,
    vi: &'static str,
    en: &'static str,
    unit_vi: &'static str,
    unit_en: &'static str,
) -> Label {
    Label {
        name,
        vi,
        en,
        unit_vi,
        unit_en,
    }
}

/// Every contract column of both tables (`survey_year` and `household_id`
/// once: they mean the same in both) and every kept column.
#[rustfmt::skip]
pub static LABELS: &[Label] = &[
    // Both tables.
    l("survey_year", "Năm khảo sát", "Survey year", "", ""),
    l("household_id", "Mã hộ", "Household id", "", ""),
    // Households.
    l("province_code", "Mã tỉnh", "Province code", "", ""),
    l("district_code", "Mã huyện", "District code", "", ""),
    l("commune_code", "Mã xã", "Commune code", "", ""),
    l("area", "Khu vực", "Area", "", ""),
    l("weight", "Quyền số", "Weight", "hộ", "households"),
    l("stratum", "Tầng mẫu", "Stratum", "", ""),
    l("psu", "Đơn vị mẫu cấp 1", "Primary sampling unit", "", ""),
    l("household_size", "Số nhân khẩu", "Household size", "người", "persons"),
    l("income_per_capita_month", "Thu nhập bình quân đầu người/tháng", "Income per person per month", "đồng", "VND"),
    l("income_total_year", "Tổng thu nhập của hộ trong 12 tháng", "Household income over 12 months", "đồng", "VND"),
    l("score_b1", "Điểm B1", "Score B1", "điểm", "points"),
    l("score_a", "Điểm A", "Score A", "điểm", "points"),
    l("walls_durable", "Tường bền chắc", "Durable walls", "", ""),
    l("columns_durable", "Cột bền chắc", "Durable columns", "", ""),
    l("roof_durable", "Mái bền chắc", "Durable roof", "", ""),
    l("dwelling_type", "Loại nhà", "Dwelling type", "", ""),
    l("floor_area_m2", "Diện tích nhà ở", "Floor area", "m²", "m²"),
    l("water_source", "Nguồn nước sinh hoạt", "Water source", "", ""),
    l("latrine", "Loại nhà tiêu", "Latrine type", "", ""),
    l("has_tv", "Có ti vi", "Has a TV", "", ""),
    l("has_radio", "Có radio", "Has a radio", "", ""),
    l("has_computer", "Có máy vi tính", "Has a computer", "", ""),
    l("hears_loudspeaker", "Nghe được loa truyền thanh", "Hears the public loudspeaker", "", ""),
    l("has_phone", "Có điện thoại", "Has a phone", "", ""),
    l("has_fridge", "Có tủ lạnh", "Has a fridge", "", ""),
    l("has_bicycle", "Có xe đạp", "Has a bicycle", "", ""),
    l("has_motorbike", "Có xe máy", "Has a motorbike", "", ""),
    l("has_car", "Có ô tô", "Has a car", "", ""),
    l("has_animal_cart", "Có xe súc vật kéo", "Has an animal cart", "", ""),
    l("has_electricity", "Có điện", "Has electricity", "", ""),
    l("cooking_fuel", "Chất đốt nấu ăn chính", "Main cooking fuel", "", ""),
    l("floor_finished", "Nền nhà hoàn thiện", "Finished floor", "", ""),
    l("water_minutes", "Thời gian đi lấy nước", "Time to fetch water", "phút", "minutes"),
    l("latrine_shared", "Nhà tiêu dùng chung", "Latrine shared", "", ""),
    l("waste_treatment", "Xử lý rác thải", "Waste treatment", "", ""),
    l("child_deaths_5y", "Số trẻ em tử vong trong 5 năm", "Child deaths in 5 years", "trẻ", "children"),
    // Households, kept columns.
    l("ethnic_minority", "Hộ dân tộc thiểu số", "Ethnic-minority household", "", ""),
    l("village", "Thôn/ấp/bản/tổ dân phố", "Village", "", ""),
    l("head_name", "Họ tên chủ hộ", "Head of household", "", ""),
    l("address", "Địa chỉ", "Address", "", ""),
    l("admin_scheme", "Hệ đơn vị hành chính", "Administrative scheme", "", ""),
    // Members.
    l("member_id", "Mã thành viên", "Member id", "", ""),
    l("age", "Tuổi", "Age", "năm", "years"),
    l("birth_year", "Năm sinh", "Birth year", "", ""),
    l("sick_last_12m", "Ốm đau trong 12 tháng qua", "Ill in the last 12 months", "", ""),
    l("sought_care", "Có đi khám chữa bệnh", "Sought care", "", ""),
    l("has_health_insurance", "Có thẻ bảo hiểm y tế", "Has health insurance", "", ""),
    l("education_level", "Trình độ học vấn", "Education level", "", ""),
    l("in_school", "Đang đi học", "In school", "", ""),
    l("uses_phone", "Sử dụng điện thoại", "Uses a phone", "", ""),
    l("uses_internet", "Sử dụng internet", "Uses the internet", "", ""),
    l("employment_status", "Tình trạng việc làm", "Employment status", "", ""),
    l("has_labour_contract", "Có hợp đồng lao động", "Has a labour contract", "", ""),
    l("receives_social_allowance", "Hưởng trợ cấp xã hội hằng tháng", "Receives a monthly social allowance", "", ""),
    l("stunted", "Trẻ thấp còi", "Stunted", "", ""),
    l("underweight", "Trẻ nhẹ cân", "Underweight", "", ""),
    l("bmi", "Chỉ số khối cơ thể BMI", "Body-mass index", "kg/m²", "kg/m²"),
    l("years_schooling", "Số năm đi học", "Years of schooling", "năm", "years"),
    l("vocational_training", "Trình độ chuyên môn kỹ thuật", "Vocational training", "", ""),
    l("uses_digital_services", "Sử dụng dịch vụ số", "Uses digital services", "", ""),
];

/// The labels of the input column `name`.
pub fn label(name: &str) -> Option<&'static Label> {
    LABELS.iter().find(|l| l.name == name)
}

/// Whether the normalised header `norm` is one of the labels of `name`.
pub fn is_label_of(name: &str, norm: &str) -> bool {
    label(name).is_some_and(|l| {
        l.headers()
            .iter()
            .any(|h| super::normalise_header(h) == norm)
    })
}
