//! The research measures, apart from the official rates: H, A, M0, each
//! indicator's contribution and the cut-off sensitivity of the
//! Alkire–Foster method, each explained in two sentences, how they differ
//! from the official poor rate, and their charts.

use super::super::markup::esc;
use super::super::ReportInput;
use std::fmt::Write;

/// (name, what it is) in Vietnamese and English.
type Measure = (&'static str, &'static str, &'static str, &'static str);

const MEASURES: [Measure; 5] = [
    (
        "H (tỷ lệ nghèo đa chiều)",
        "Tỷ lệ hộ (hoặc người) có điểm thiếu hụt gia quyền từ ngưỡng k trở lên. Chỉ số này chỉ đếm các thiếu hụt, không xét thu nhập.",
        "H (headcount ratio)",
        "The share of households (or persons) whose weighted deprivation score is at least the cut-off k. It counts deprivations only and leaves income aside.",
    ),
    (
        "A (mức độ thiếu hụt)",
        "Điểm thiếu hụt gia quyền bình quân của những hộ được xác định là nghèo theo H. Chỉ số này cho biết các hộ đó thiếu hụt nặng đến mức nào.",
        "A (intensity)",
        "The average weighted deprivation score of the households that H counts as poor. It says how deprived those households are.",
    ),
    (
        "M0 (chỉ số nghèo đa chiều điều chỉnh)",
        "Tích của H và A: M0 = H × A. M0 giảm khi có ít hộ nghèo hơn và cả khi các hộ nghèo bớt thiếu hụt.",
        "M0 (adjusted headcount ratio)",
        "The product of H and A: M0 = H × A. It falls when fewer households are poor and also when the poor are less deprived.",
    ),
    (
        "Phần đóng góp của từng chỉ số",
        "Tỷ trọng của mỗi chỉ số trong M0: trọng số của chỉ số nhân tỷ lệ hộ vừa nghèo theo H vừa thiếu hụt chỉ số đó, chia cho M0. Các phần đóng góp cộng lại bằng 100 %.",
        "Contributions of the indicators",
        "Each indicator's share of M0: its weight times the share of households both poor under H and deprived in it, divided by M0. The contributions add up to 100%.",
    ),
    (
        "Độ nhạy theo ngưỡng k",
        "H tính lại ở từng ngưỡng k khác nhau. Một kết luận chỉ đúng ở một ngưỡng thì cần được dùng thận trọng.",
        "Cut-off sensitivity",
        "H computed again at each cut-off k. A conclusion that holds at one cut-off only should be used with care.",
    ),
];

const WHY_VI: &str = "Vì sao H khác tỷ lệ hộ nghèo chính thức: H chỉ đếm thiếu hụt, có gia quyền, \
ở ngưỡng k, và không xét chuẩn thu nhập; quy định chính thức kết hợp thu nhập với số chỉ số thiếu hụt \
(xem Phân loại hộ trong phần Phương pháp). Vì vậy một hộ có thu nhập trên chuẩn nghèo không là hộ nghèo \
dù thiếu hụt nhiều chỉ số, nhưng vẫn được H tính; còn hộ nghèo theo thu nhập mà ít thiếu hụt thì không \
được H tính.";
const WHY_EN: &str =
    "Why H is not the official poor rate: H counts deprivations only, weighted, at \
the cut-off k, without the income line; the official rule combines income with the number of \
deprivations (see Classification under Methods). So a household above the income line is never \
officially poor however deprived it is, yet H counts it; and an income-poor household with few \
deprivations is officially poor, yet H does not count it.";

/// The research section, with the research charts.
pub(super) fn research_section(h: &mut String, r: &ReportInput) {
    let t = |vi, en| r.lang.t(vi, en);
    let _ = write!(
        h,
        "<section id=\"research\">\n<h2>{}</h2>\n<p>{}</p>\n<dl class=\"research\">\n",
        t(
            "Chỉ số nghiên cứu (Alkire–Foster)",
            "Research measures (Alkire–Foster)"
        ),
        esc(t(
            "Các chỉ số dưới đây phục vụ nghiên cứu và so sánh, không phải kết quả rà soát chính thức. Chúng được tính từ cùng các chỉ số thiếu hụt của chuẩn nghèo, theo phương pháp Alkire–Foster.",
            "The measures below serve research and comparison; they are not official review results. They are computed from the same indicators of deprivation as the standard, by the Alkire–Foster method.",
        )),
    );
    for (vi, vi_text, en, en_text) in MEASURES {
        let _ = writeln!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(t(vi, en)),
            esc(t(vi_text, en_text))
        );
    }
    let _ = writeln!(h, "</dl>\n<p id=\"why-h\">{}</p>", esc(t(WHY_VI, WHY_EN)));
    for (i, c) in r.research_charts.iter().enumerate() {
        super::charts::figure(h, &format!("research-chart-{}", i + 1), c);
    }
    h.push_str("</section>\n");
}
