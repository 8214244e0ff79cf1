//! A quarantine reason (ingest's English sentence) in the reader's
//! language, with what to do about it. Ingest's reasons are built from a
//! few patterns; each known pattern is said again in Vietnamese, naming
//! the column by its template label. A reason no pattern knows is shown as
//! ingest wrote it, marked as English.

use crate::i18n::Lang;
use crate::schema::labels;

/// The reason and the fix, in `lang`.
pub fn explain(reason: &str, lang: Lang) -> (String, String) {
    let known = pattern(reason);
    match (lang, known) {
        (Lang::Vi, Some((vi, fix_vi, _))) => (vi, fix_vi),
        (Lang::Vi, None) => (
            format!("(tiếng Anh) {reason}"),
            "Đọc lý do, sửa giá trị trong tệp gốc rồi nạp lại.".into(),
        ),
        (Lang::En, Some((_, _, fix_en))) => (reason.to_string(), fix_en),
        (Lang::En, None) => (
            reason.to_string(),
            "Fix the value in the original file as the reason says, and submit it again.".into(),
        ),
    }
}

/// The column a reason starts with (`` `name` must … ``) and the rest.
fn column_and_rest(reason: &str) -> Option<(&str, &str)> {
    let rest = reason.strip_prefix('`')?;
    let (name, rest) = rest.split_once('`')?;
    Some((name, rest.trim_start()))
}

/// The Vietnamese label of a column, else its name.
fn vi_label(name: &str) -> String {
    labels::label(name).map_or_else(|| name.to_string(), |l| l.vi.to_string())
}

/// The text between `start` and the next `end` in `s`.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let (_, rest) = s.split_once(start)?;
    Some(rest.split_once(end).map_or(rest, |(v, _)| v))
}

/// (Vietnamese reason, Vietnamese fix, English fix).
type Said = (String, String, String);

/// What a known pattern of ingest's reasons says.
fn pattern(reason: &str) -> Option<Said> {
    row_pattern(reason).or_else(|| column_pattern(reason))
}

/// The reasons about a whole row: duplicates, a member's household, the field count.
fn row_pattern(reason: &str) -> Option<Said> {
    let t = |vi: String, fix_vi: &str, fix_en: &str| -> Option<Said> {
        Some((vi, fix_vi.to_string(), fix_en.to_string()))
    };
    if let Some(rest) = reason.strip_prefix("duplicate: ") {
        let what = between(rest, "`", "`").unwrap_or("");
        let times = between(rest, "appears ", " times").unwrap_or("");
        let year = between(rest, "survey year ", " ").unwrap_or("");
        let at = between(rest, "(at ", ")").unwrap_or("");
        let whom = match rest.starts_with("member") {
            true => format!(
                "thành viên {what} của hộ {}",
                between(rest, "household `", "`").unwrap_or("")
            ),
            false => format!("hộ {what}"),
        };
        return t(
            format!("Trùng: {whom} xuất hiện {times} lần trong năm khảo sát {year} (tại {at}); mọi bản đều bị loại"),
            "Giữ lại một dòng đúng; xoá các dòng kia hoặc sửa mã cho đúng, rồi nạp lại.",
            "Keep the right row; delete the others or correct their id, and submit again.",
        );
    }
    if let Some(rest) = reason.strip_prefix("its household `") {
        let (id, rest) = rest.split_once('`')?;
        let year = between(rest, "survey year ", ")").unwrap_or("");
        let at = between(rest, "quarantined at ", ";").unwrap_or("");
        return t(
            format!("Hộ {id} (năm {year}) của thành viên này bị loại ở {at}"),
            "Sửa dòng của hộ trước; thành viên được nhận khi hộ hợp lệ.",
            "Fix the household's row first; the member is accepted once the household is.",
        );
    }
    if let Some(rest) = reason.strip_prefix("household `") {
        let (id, rest) = rest.split_once('`')?;
        if rest.contains("has no record for survey year") {
            let year = between(rest, "survey year ", " ").unwrap_or("");
            return t(
                format!("Hộ {id} không có trong bảng hộ của năm khảo sát {year}"),
                "Kiểm tra Mã hộ và Năm khảo sát của thành viên; nếu hộ bị thiếu, thêm hộ vào trang households.",
                "Check the member's household id and survey year; if the household is missing, add it to the households table.",
            );
        }
    }
    if let Some(rest) = reason.strip_prefix("the row has ") {
        let n = rest.split(' ').next().unwrap_or("");
        let m = between(rest, "the header has ", ";").unwrap_or("");
        return t(
            format!("Dòng có {n} ô nhưng dòng tiêu đề có {m} cột"),
            "Kiểm tra dấu phân cách thừa hoặc thiếu; số thập phân viết bằng dấu chấm (45.5), giá trị có dấu phẩy phải đặt trong ngoặc kép.",
            "Check for a missing or extra delimiter; write decimals with a point (45.5) and quote a value holding a comma.",
        );
    }
    None
}

/// The reasons about one column's value (`` `name` must … ``).
fn column_pattern(reason: &str) -> Option<Said> {
    let t = |vi: String, fix_vi: &str, fix_en: &str| -> Option<Said> {
        Some((vi, fix_vi.to_string(), fix_en.to_string()))
    };
    let (name, rest) = column_and_rest(reason)?;
    let col = vi_label(name);
    let after = |p: &str| {
        rest.strip_prefix(p)
            .map(|v| v.split([' ', ';', '(']).next().unwrap_or(""))
    };
    if rest.starts_with("must be a whole number without decimals") {
        return t(
            format!("{col}: phải là số nguyên, không có phần thập phân"),
            "Nhập số nguyên, ví dụ 700000, hoặc nhóm hàng nghìn: 2.808.000.",
            "Type a whole number, e.g. 700000, or group thousands: 2,808,000.",
        );
    }
    if rest.starts_with("must be a whole number") {
        return t(
            format!("{col}: phải là số nguyên"),
            "Nhập số nguyên (chỉ gồm chữ số).",
            "Type a whole number (digits only).",
        );
    }
    if rest.starts_with("must be a number") || rest.starts_with("must be a finite number") {
        return t(
            format!("{col}: phải là số"),
            "Nhập một số; phần thập phân viết bằng dấu chấm (45.5).",
            "Type a number, with a decimal point (45.5).",
        );
    }
    if let Some(v) = after("must be at least ") {
        return t(
            format!("{col}: phải từ {v} trở lên"),
            "Sửa lại giá trị cho đúng thực tế.",
            "Correct the value.",
        );
    }
    if let Some(v) = after("must be greater than ") {
        return t(
            format!("{col}: phải lớn hơn {v}"),
            "Sửa lại giá trị; để trống nếu không biết.",
            "Correct the value; leave it blank if unknown.",
        );
    }
    if let Some(v) = after("must be at most ") {
        return t(
            format!("{col}: không được lớn hơn {v}"),
            "Sửa lại giá trị cho đúng thực tế.",
            "Correct the value.",
        );
    }
    if rest.starts_with("is required but empty") {
        return t(
            format!("{col}: cột bắt buộc nhưng ô trống"),
            "Điền giá trị vào ô này.",
            "Fill in this cell.",
        );
    }
    if rest.starts_with("must be yes or no") {
        return t(
            format!("{col}: phải là có hoặc không"),
            "Nhập có/không, hoặc 1/0; để trống nếu không biết.",
            "Type yes/no or 1/0; leave it blank if unknown.",
        );
    }
    code_pattern(&col, rest)
}

/// The reasons about a code or a year in a column.
fn code_pattern(col: &str, rest: &str) -> Option<Said> {
    let t = |vi: String, fix_vi: &str, fix_en: &str| -> Option<Said> {
        Some((vi, fix_vi.to_string(), fix_en.to_string()))
    };
    if let Some(codes) = rest.strip_prefix("is not a known code; use one of: ") {
        return Some((
            format!("{col}: không phải mã hợp lệ"),
            format!("Chọn một mã trong danh sách: {codes} (xem trang Ghi chú của mẫu nhập liệu)."),
            format!("Use one of: {codes} (see the template's Notes sheet)."),
        ));
    }
    if rest.contains("is not one of the 63 GSO province codes")
        || rest.contains("is not one of the 34 provincial units")
    {
        let code = rest.split(' ').next().unwrap_or("");
        let scheme = if rest.contains("63 GSO") {
            "63 tỉnh (đến 30/06/2025)"
        } else {
            "34 đơn vị hành chính cấp tỉnh (từ 01/07/2025)"
        };
        return t(
            format!("{col} {code} không có trong danh mục {scheme}"),
            "Xem trang Mã tỉnh của mẫu nhập liệu và sửa mã; nếu mã theo hệ 63 tỉnh cho năm từ 2025, điền 63 vào cột Hệ đơn vị hành chính.",
            "See the template's Province codes sheet and correct the code; for 63-province codes in a year from 2025, put 63 in the admin_scheme column.",
        );
    }
    if rest.contains("is after the survey year") {
        return t(
            format!("{col} sau năm khảo sát"),
            "Kiểm tra năm sinh và năm khảo sát.",
            "Check the birth year and the survey year.",
        );
    }
    if rest.contains("means an age over 120") {
        return t(
            format!("{col}: tuổi tính ra trên 120"),
            "Kiểm tra năm sinh.",
            "Check the birth year.",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_reasons_are_said_in_vietnamese() {
        let (vi, fix) = explain("`income_per_capita_month` must be at least 0", Lang::Vi);
        assert_eq!(vi, "Thu nhập bình quân đầu người/tháng: phải từ 0 trở lên");
        assert!(!fix.is_empty());
        let (vi, _) = explain(
            "duplicate: member `2` of household `89-886-00002` appears 2 times for survey year 2020 (at m.csv:6, m.csv:15); every copy is set aside, keep the right one and ingest again",
            Lang::Vi,
        );
        assert_eq!(vi, "Trùng: thành viên 2 của hộ 89-886-00002 xuất hiện 2 lần trong năm khảo sát 2020 (tại m.csv:6, m.csv:15); mọi bản đều bị loại");
        let (vi, _) = explain("its household `89-883-00006` (survey year 2020) was quarantined at h.csv:7; fix that row first", Lang::Vi);
        assert_eq!(
            vi,
            "Hộ 89-883-00006 (năm 2020) của thành viên này bị loại ở h.csv:7"
        );
        let (en, fix) = explain("`age` must be at most 120", Lang::En);
        assert_eq!(
            (en.as_str(), fix.as_str()),
            ("`age` must be at most 120", "Correct the value.")
        );
    }

    #[test]
    fn an_unknown_reason_is_shown_as_written() {
        let (vi, _) = explain("something new", Lang::Vi);
        assert_eq!(vi, "(tiếng Anh) something new");
    }
}
