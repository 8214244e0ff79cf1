//! The words of the lists: units named, file and folder names a Windows
//! user can read, and the values (classes, area, yes/no, indicators) in
//! Vietnamese.

use super::rows::{Unit, ABSENT};
use crate::measure::{Level, Names};
use crate::schema::{TableKind, HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};
use crate::standard::{Level as IndLevel, Standard};
use unicode_normalization::UnicodeNormalization;

/// Longest folder or file name (before `.xlsx`), in characters: with the
/// output folder, the year, province and district folders a path stays
/// well under Windows' 260.
const MAX_NAME: usize = 48;

/// A unit's name in the list of its year's scheme, or in the user's
/// names file (`Names`), Vietnamese.
fn unit_name(names: &Names, year: i64, level: Level, code: &str) -> Option<String> {
    match level {
        Level::Province => {
            let scheme = names.schemes.get(&year).copied().unwrap_or_default();
            crate::geo::geography()
                .province_title(scheme, code, crate::i18n::Lang::Vi)
                .or_else(|| names.name(level, year, code))
        }
        _ => names.name(level, year, code),
    }
}

/// A unit's line as the title rows show it: its name with its type, as
/// the list of units writes it, and its code (`Xã Nà Tấu (mã 03127)`);
/// `label mã 03127` when the list has no name for the code.
pub fn unit_line(names: &Names, year: i64, label: &str, level: Level, code: &str) -> String {
    match unit_name(names, year, level, code) {
        _ if code.is_empty() => format!("{label}: (không ghi mã)"),
        Some(n) => format!("{n} (mã {code})"),
        None => format!("{label} mã {code}"),
    }
}

/// The three lines of a commune's place: commune, district, province (no
/// district line for records without one: the 34-province scheme).
pub fn place(names: &Names, year: i64, u: &Unit) -> Vec<String> {
    let line = |label, level, code| unit_line(names, year, label, level, code);
    let mut v = vec![line("Xã/phường/thị trấn", Level::Commune, &u.commune)];
    if !u.district.is_empty() {
        v.push(line(
            "Huyện/quận/thị xã/thành phố",
            Level::District,
            &u.district,
        ));
    }
    v.push(line("Tỉnh/thành phố", Level::Province, &u.province));
    v
}

/// What a commune-level unit is, from its name in the list: "phường",
/// "thị trấn", "đặc khu" or "xã" (who signs its lists: the People's
/// Committee of that unit); "xã/phường/thị trấn" when the list has no name.
pub fn commune_kind(name: Option<&str>) -> &'static str {
    match name {
        Some(n) if n.starts_with("Phường") => "phường",
        Some(n) if n.starts_with("Thị trấn") => "thị trấn",
        Some(n) if n.starts_with("Đặc khu") => "đặc khu",
        Some(_) => "xã",
        None => "xã/phường/thị trấn",
    }
}

/// A folder or file name for a unit: its code then its name without tone
/// marks (`03127_Noong_Bua`), only letters, digits, `_` and `-`, so every
/// Windows tool, zip program and e-mail client keeps it.
pub fn file_name(names: &Names, year: i64, level: Level, code: &str) -> String {
    let code = if code.is_empty() { "khong_ma" } else { code };
    let mut out = ascii(code);
    if let Some(name) = names.name(level, year, code) {
        out.push('_');
        out.push_str(&ascii(&name));
    }
    let out: String = out.chars().take(MAX_NAME).collect();
    out.trim_end_matches(['_', '-']).to_string()
}

/// Text without tone marks, `đ` as `d`, runs of other characters as `_`.
pub fn ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)) {
        let c = match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        };
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// A class in words, as the review writes it.
pub fn class_vi(class: &str) -> String {
    let known = crate::schema::outputs::CLASSES
        .iter()
        .find(|(n, _, _)| *n == class)
        .map(|(_, vi, _)| vi.to_string());
    known.unwrap_or_else(|| {
        match class {
            "undetermined" => "chưa xác định",
            "excluded" => "không thuộc diện rà soát",
            ABSENT => "chưa có trong danh sách",
            other => other,
        }
        .to_string()
    })
}

pub fn area_vi(area: &str) -> &str {
    match area {
        "urban" => "Thành thị",
        "rural" => "Nông thôn",
        other => other,
    }
}

pub fn yes_no_vi(v: &str) -> &str {
    match v {
        "yes" => "Có",
        "no" => "Không",
        other => other,
    }
}

/// An indicator's name in words (its id when the standard lacks it).
pub fn indicator_vi(st: Option<&Standard>, id: &str) -> String {
    st.and_then(|s| s.indicators.iter().find(|i| i.id == id))
        .map(|i| i.label_vi.clone())
        .unwrap_or_else(|| id.to_string())
}

/// What to collect for an unknown indicator: its name and the input
/// columns its rule reads (`tuổi, việc làm (từng thành viên)`).
pub fn to_collect(st: Option<&Standard>, id: &str) -> String {
    let Some(ind) = st.and_then(|s| s.indicators.iter().find(|i| i.id == id)) else {
        return id.to_string();
    };
    let (cols, table) = match ind.level {
        IndLevel::Household => (HOUSEHOLD_COLUMNS, TableKind::Households),
        IndLevel::Member => (MEMBER_COLUMNS, TableKind::Members),
    };
    let mut used = ind.deprived_if.columns();
    if let Some(e) = &ind.eligible {
        used.extend(e.columns());
    }
    used.sort_unstable();
    used.dedup();
    let names: Vec<String> = used
        .iter()
        .filter_map(|&i| cols.get(i))
        .map(|c| {
            // The contract's Vietnamese alias with its tone marks, if any.
            let vi = c.aliases.iter().rev().find(|a| !a.is_ascii());
            match vi {
                Some(a) => format!("{} ({})", a.replace('_', " "), c.name),
                None => c.name.to_string(),
            }
        })
        .collect();
    let whose = match table {
        TableKind::Members => " của từng thành viên",
        TableKind::Households => "",
    };
    format!("{}: {}{whose}", ind.label_vi, names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_only_what_windows_keeps() {
        assert_eq!(ascii("Thành phố Điện Biên Phủ"), "Thanh_pho_Dien_Bien_Phu");
        assert_eq!(ascii("Xã Nà Tấu / (mới)"), "Xa_Na_Tau_moi");
        let names = Names::default();
        assert_eq!(file_name(&names, 2022, Level::Commune, ""), "khong_ma");
        assert_eq!(
            file_name(&names, 2022, Level::Province, "11"),
            "11_Dien_Bien"
        );
        let long = file_name(&names, 2022, Level::Commune, &"9".repeat(80));
        assert_eq!(long.len(), MAX_NAME);
    }

    #[test]
    fn values_in_words() {
        assert_eq!(class_vi("poor"), "hộ nghèo");
        assert_eq!(class_vi(ABSENT), "chưa có trong danh sách");
        assert_eq!(area_vi("rural"), "Nông thôn");
        assert_eq!(yes_no_vi("yes"), "Có");
        let names = Names::default();
        let line = |label, level, code| unit_line(&names, 2022, label, level, code);
        assert_eq!(line("Xã", Level::Commune, ""), "Xã: (không ghi mã)");
        assert_eq!(
            line("Tỉnh", Level::Province, "11"),
            "Tỉnh Điện Biên (mã 11)"
        );
        assert_eq!(line("Xã", Level::Commune, "99999"), "Xã mã 99999");
        assert_eq!(commune_kind(Some("Phường Phúc Xá")), "phường");
        assert_eq!(commune_kind(Some("Thị trấn Mường Chà")), "thị trấn");
        assert_eq!(commune_kind(Some("Xã Nà Tấu")), "xã");
        assert_eq!(commune_kind(None), "xã/phường/thị trấn");
    }
}
