//! The key figures' changes against the previous survey year ("+1.234 hộ",
//! "−0,52 điểm phần trăm"), flagged in words when the standard changed,
//! and the households that left, fell back into and are new to each list.
//! Every number sits in an element with a stable id (`poor-change-n-2022`,
//! `left-2022`, …) holding the number alone; its unit follows in words.

use super::super::labels::{decimal, DASH};
use super::super::markup::esc;
use super::super::{Change, Flows};
use crate::i18n::Lang;
use crate::measure::movement::{List, Tally};
use std::fmt::Write;

/// `v` with its sign ("+1.234", "−0,52", "0"): a minus sign, not a
/// hyphen; no sign when it rounds to zero.
pub(super) fn signed(lang: Lang, v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return DASH.to_string();
    }
    let abs = decimal(lang, v.abs(), decimals);
    let zero = abs.bytes().all(|b| matches!(b, b'0' | b'.' | b','));
    match () {
        _ if zero => abs,
        _ if v < 0.0 => format!("\u{2212}{abs}"),
        _ => format!("+{abs}"),
    }
}

fn signed_or_dash(lang: Lang, v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| DASH.to_string(), |v| esc(&signed(lang, v, decimals)))
}

/// The change line under a rate (`key`: "poor", "near-poor"): households
/// and percentage points against the previous year, flagged when the
/// standard changed; for the first year, that it is the first.
pub(super) fn change_dd(lang: Lang, change: Option<&Change>, key: &str, id: &str) -> String {
    let Some(c) = change else {
        return format!(
            "<dd class=\"part change\">{}</dd>\n",
            esc(lang.t(
                "So với năm trước: năm đầu tiên trong dữ liệu",
                "Change: first year in the data"
            ))
        );
    };
    let (n, pp) = if key == "poor" {
        (c.poor, c.poor_pp)
    } else {
        (c.near_poor, c.near_poor_pp)
    };
    let (households, points) = match lang {
        Lang::Vi => ("hộ", "điểm phần trăm"),
        Lang::En => ("households", "pp"),
    };
    let flag = match (
        c.standard_changed,
        key == "near-poor" && c.near_poor_redefined,
    ) {
        (false, _) => String::new(),
        (true, false) => flag(lang.t(
            "đổi chuẩn nghèo: không so sánh trực tiếp được",
            "standard changed: not directly comparable",
        )),
        (true, true) => flag(lang.t(
            "đổi chuẩn nghèo, hộ cận nghèo được xác định khác nhau: không so sánh được",
            "standard changed and near-poor defined differently: not comparable",
        )),
    };
    format!(
        "<dd class=\"part change\">{} {}: <span id=\"{key}-change-n-{id}\">{}</span> {households}, \
         <span id=\"{key}-change-pp-{id}\">{}</span> {points}{flag}</dd>\n",
        esc(lang.t("So với năm", "Against")),
        c.previous,
        signed_or_dash(lang, n, 0),
        signed_or_dash(lang, pp, 2),
    )
}

fn flag(text: &str) -> String {
    format!(" <em class=\"flag\">({})</em>", esc(text))
}

/// What a reader must know about the year's changes (the change of
/// standard, near-poor defined differently), under the year's figures.
pub(super) fn change_notes(h: &mut String, change: Option<&Change>) {
    for note in change.map(|c| c.caveats.as_slice()).unwrap_or_default() {
        let _ = writeln!(h, "<p class=\"notes\">{}</p>", esc(note));
    }
}

/// The movements on each list since the previous survey year (census), or
/// why there are none (sample data).
pub(super) fn flows_stats(
    h: &mut String,
    lang: Lang,
    flows: &Flows,
    change: Option<&Change>,
    id: &str,
) {
    match flows {
        Flows::None => {}
        Flows::Sample => {
            let _ = write!(
                h,
                "<div class=\"stat flows\"><dt>{}</dt><dd class=\"part\">{}</dd>\n</div>\n",
                esc(lang.t("Diễn biến so với năm trước", "Movements since the previous year")),
                esc(lang.t(
                    "Dữ liệu mẫu có trọng số: không theo dõi cùng các hộ qua các năm, nên không có số hộ thoát nghèo, tái nghèo hay phát sinh mới. Xem thay đổi của tỷ lệ ở trên và khoảng tin cậy của nó trong bảng so sánh.",
                    "Weighted sample data: the same households are not followed from year to year, so there are no counts of households leaving, falling back into or new to poverty. See the change in the rates above, and its confidence interval in the comparison tables.",
                ))
            );
        }
        Flows::Counted {
            previous,
            poor,
            near_poor,
        } => {
            let changed = change.is_some_and(|c| c.standard_changed);
            for (list, tally) in [(List::Poor, poor), (List::NearPoor, near_poor)] {
                if let Some(t) = tally {
                    list_flows(h, lang, (list, t), (*previous, changed), id);
                }
            }
        }
    }
}

/// The words of a list's movements and the ids' prefix ("" for the poor
/// list, whose ids the brief fixed as `left-…`, `fell-back-…`, `new-poor-…`).
struct Words {
    title: &'static str,
    left: &'static str,
    back: &'static str,
    new: &'static str,
    /// Ids: left, fell back, new, and the prefix of the others.
    ids: [&'static str; 4],
}

fn words(list: List, lang: Lang) -> Words {
    let w = |title, left, back, new, ids| Words {
        title,
        left,
        back,
        new,
        ids,
    };
    let poor = ["left", "fell-back", "new-poor", "poor"];
    let near = [
        "near-poor-left",
        "near-poor-fell-back",
        "near-poor-new",
        "near-poor",
    ];
    match (list, lang) {
        (List::Poor, Lang::Vi) => w(
            "Diễn biến hộ nghèo",
            "Hộ thoát nghèo",
            "Hộ tái nghèo",
            "Hộ nghèo phát sinh mới",
            poor,
        ),
        (List::Poor, Lang::En) => w(
            "Poor households: movements",
            "Left poverty",
            "Fell back into poverty",
            "New to poverty",
            poor,
        ),
        (List::NearPoor, Lang::Vi) => w(
            "Diễn biến hộ cận nghèo",
            "Hộ thoát cận nghèo",
            "Hộ tái cận nghèo",
            "Hộ cận nghèo phát sinh mới",
            near,
        ),
        (List::NearPoor, Lang::En) => w(
            "Near-poor households: movements",
            "Left near-poverty",
            "Fell back into near-poverty",
            "New to near-poverty",
            near,
        ),
    }
}

fn list_flows(
    h: &mut String,
    lang: Lang,
    (list, t): (List, &Tally),
    (previous, changed): (i64, bool),
    id: &str,
) {
    let w = words(list, lang);
    let unit = lang.t("hộ", "households");
    let n = |v: u64| esc(&lang.count(v as f64));
    let since = match lang {
        Lang::Vi => format!("{} (so với năm {previous})", w.title),
        Lang::En => format!("{} (since {previous})", w.title),
    };
    let _ = writeln!(h, "<div class=\"stat flows\"><dt>{}</dt>", esc(&since));
    let [left, back, new, rest] = w.ids;
    for (label, key, v) in [
        (w.left, left, t.left),
        (w.back, back, t.fell_back),
        (w.new, new, t.new),
    ] {
        let _ = writeln!(
            h,
            "<dd class=\"part\">{}: <span id=\"{key}-{id}\">{}</span> {unit}</dd>",
            esc(label),
            n(v)
        );
    }
    // The other movements, so that start and end add up: households gone
    // from the records, and to or from undetermined — never counted as
    // leaving or entering.
    let _ = writeln!(
        h,
        "<dd class=\"part\">{}: <span id=\"{rest}-gone-{id}\">{}</span>; {}: <span id=\"{rest}-to-undetermined-{id}\">{}</span>; {}: <span id=\"{rest}-from-undetermined-{id}\">{}</span> ({unit})</dd>",
        esc(lang.t("Không còn trong dữ liệu", "No longer in the records")),
        n(t.gone),
        esc(lang.t("chuyển sang chưa xác định", "became undetermined")),
        n(t.to_undetermined),
        esc(lang.t("từ chưa xác định", "were undetermined")),
        n(t.from_undetermined),
    );
    if changed {
        let _ = writeln!(
            h,
            "<dd class=\"part\">{}</dd>",
            flag(lang.t(
                "đổi chuẩn nghèo: diễn biến gồm cả tác động của việc đổi chuẩn",
                "standard changed: the movements include the change of standard",
            ))
            .trim_start()
        );
    }
    h.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_separators_follow_the_language() {
        assert_eq!(signed(Lang::Vi, 1234.0, 0), "+1.234");
        assert_eq!(signed(Lang::En, 1234.0, 0), "+1,234");
        assert_eq!(signed(Lang::Vi, -0.5234, 2), "\u{2212}0,52");
        assert_eq!(signed(Lang::En, -0.5234, 2), "\u{2212}0.52");
        assert_eq!(signed(Lang::Vi, -0.001, 2), "0,00", "no sign on a zero");
        assert_eq!(signed(Lang::En, 0.0, 0), "0");
        assert_eq!(signed(Lang::En, f64::NAN, 2), DASH);
    }

    /// The text of the element with `id`, up to the next tag.
    fn by_id<'a>(html: &'a str, id: &str) -> &'a str {
        let key = format!("id=\"{id}\">");
        let start = html
            .find(&key)
            .unwrap_or_else(|| panic!("no id {id}: {html}"))
            + key.len();
        let end = start + html[start..].find('<').unwrap();
        &html[start..end]
    }

    fn change(standard_changed: bool) -> Change {
        Change {
            previous: 2021,
            poor: Some(1234.0),
            poor_pp: Some(-0.5234),
            near_poor: Some(-7.0),
            near_poor_pp: Some(0.004),
            standard_changed,
            near_poor_redefined: standard_changed,
            caveats: vec!["Đổi chuẩn nghèo: <năm 2021> …".into()],
        }
    }

    #[test]
    fn a_change_in_households_and_points() {
        let c = change(false);
        let vi = change_dd(Lang::Vi, Some(&c), "poor", "2022");
        assert_eq!(by_id(&vi, "poor-change-n-2022"), "+1.234");
        assert_eq!(by_id(&vi, "poor-change-pp-2022"), "\u{2212}0,52");
        assert!(vi.contains("So với năm 2021: "), "{vi}");
        assert!(
            vi.contains("</span> hộ, ") && vi.contains("</span> điểm phần trăm"),
            "{vi}"
        );
        assert!(!vi.contains("flag"), "same standard: no flag: {vi}");
        let en = change_dd(Lang::En, Some(&c), "near-poor", "2022");
        assert_eq!(by_id(&en, "near-poor-change-n-2022"), "\u{2212}7");
        assert_eq!(by_id(&en, "near-poor-change-pp-2022"), "0.00");
        assert!(
            en.contains("</span> households, ") && en.contains("</span> pp"),
            "{en}"
        );
        // A missing rate the year before: a dash, never a made-up change.
        let none = Change {
            poor: None,
            poor_pp: None,
            ..c
        };
        let vi = change_dd(Lang::Vi, Some(&none), "poor", "2022");
        assert_eq!(by_id(&vi, "poor-change-n-2022"), DASH);
    }

    #[test]
    fn the_first_year_says_so() {
        let vi = change_dd(Lang::Vi, None, "poor", "2020");
        assert!(vi.contains("năm đầu tiên trong dữ liệu"), "{vi}");
        assert!(!vi.contains("id="), "no number, no id: {vi}");
        let en = change_dd(Lang::En, None, "near-poor", "2020");
        assert!(en.contains("first year in the data"), "{en}");
        let mut h = String::new();
        flows_stats(&mut h, Lang::Vi, &Flows::None, None, "2020");
        change_notes(&mut h, None);
        assert_eq!(h, "", "the first year has no movements and no notes");
    }

    #[test]
    fn a_change_of_standard_is_flagged_in_words() {
        let c = change(true);
        let vi = change_dd(Lang::Vi, Some(&c), "poor", "2022");
        assert!(
            vi.contains("(đổi chuẩn nghèo: không so sánh trực tiếp được)"),
            "{vi}"
        );
        assert_eq!(by_id(&vi, "poor-change-n-2022"), "+1.234", "still shown");
        let vi = change_dd(Lang::Vi, Some(&c), "near-poor", "2022");
        assert!(
            vi.contains("hộ cận nghèo được xác định khác nhau: không so sánh được"),
            "{vi}"
        );
        let en = change_dd(Lang::En, Some(&c), "poor", "2022");
        assert!(
            en.contains("(standard changed: not directly comparable)"),
            "{en}"
        );
        let mut h = String::new();
        change_notes(&mut h, Some(&c));
        assert_eq!(
            h,
            "<p class=\"notes\">Đổi chuẩn nghèo: &lt;năm 2021&gt; …</p>\n"
        );
    }

    #[test]
    fn movements_by_list_or_why_there_are_none() {
        let t = Tally {
            left: 1200,
            fell_back: 3,
            new: 45,
            gone: 2,
            to_undetermined: 1,
            from_undetermined: 0,
            ..Tally::default()
        };
        let flows = Flows::Counted {
            previous: 2021,
            poor: Some(t),
            near_poor: Some(Tally { left: 9, ..t }),
        };
        let mut h = String::new();
        flows_stats(&mut h, Lang::Vi, &flows, Some(&change(true)), "2022");
        for (id, v) in [
            ("left-2022", "1.200"),
            ("fell-back-2022", "3"),
            ("new-poor-2022", "45"),
            ("poor-gone-2022", "2"),
            ("poor-to-undetermined-2022", "1"),
            ("poor-from-undetermined-2022", "0"),
            ("near-poor-left-2022", "9"),
            ("near-poor-fell-back-2022", "3"),
            ("near-poor-new-2022", "45"),
        ] {
            assert_eq!(by_id(&h, id), v, "{id}");
        }
        assert!(
            h.contains("Hộ thoát nghèo") && h.contains("Hộ tái nghèo"),
            "{h}"
        );
        assert!(h.contains("Hộ nghèo phát sinh mới") && h.contains("so với năm 2021"));
        assert!(
            h.contains("diễn biến gồm cả tác động của việc đổi chuẩn"),
            "{h}"
        );
        let mut h = String::new();
        flows_stats(&mut h, Lang::En, &Flows::Sample, None, "2022");
        assert!(
            h.contains("Weighted sample data") && !h.contains("id="),
            "{h}"
        );
    }
}
