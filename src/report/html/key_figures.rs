//! The key figures: one block of big numbers per survey year, for the
//! count rules (poor, near-poor: numbers, rates, their change against the
//! previous year) or the weighted standard (H, A, MPI); the households
//! that moved on the lists (`key_changes`); undetermined households beside
//! them, in no rate or count.

use super::super::labels::{decimal, DASH};
use super::super::markup::esc;
use super::super::ReportInput;
use super::key_changes::{change_dd, change_notes, flows_stats};
use crate::i18n::Lang;
use std::collections::BTreeSet;
use std::fmt::Write;

pub(super) fn headline_section(h: &mut String, r: &ReportInput) {
    let lang = r.lang;
    let t = |vi, en| lang.t(vi, en);
    let _ = write!(
        h,
        "<section id=\"key\">\n<h2>{} ({})</h2>\n",
        t("Số liệu chính", "Key figures"),
        esc(&r.scope)
    );
    if r.headline.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"notes\">{}</p>",
            t("Không có số liệu tổng hợp.", "No totals.")
        );
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    for hl in &r.headline {
        let id = unique_id(&mut used, &hl.year.to_string());
        let standard = hl
            .standard
            .as_deref()
            .map(|s| format!(" <span class=\"std\">{}</span>", esc(s)))
            .unwrap_or_default();
        let _ = write!(
            h,
            "<article class=\"year\" id=\"year-{id}\">\n<h3>{}{standard}</h3>\n<dl class=\"stats\">\n",
            hl.year
        );
        let households = if r.census {
            t("Số hộ được rà soát", "Households reviewed")
        } else {
            t("Số hộ (gia quyền)", "Households (weighted)")
        };
        stat(
            h,
            "",
            households,
            &format!("households-{id}"),
            &count(lang, hl.households),
            "",
        );
        if let Some(m) = &hl.mpi {
            mpi_stats(h, r, m, &id);
        } else {
            income_stats(h, r, hl, &id);
        }
        // Beside the rates, never in them: not poor, not near-poor.
        stat(
            h,
            "",
            t("Hộ chưa xác định", "Undetermined households"),
            &format!("undetermined-{id}"),
            &count(lang, hl.undetermined),
            &format!(
                "<dd class=\"part\">{}</dd>\n",
                esc(match hl.mpi {
                    // The weighted standard has no near-poor.
                    Some(_) => t(
                        "không tính là hộ nghèo hay không nghèo",
                        "counted neither as poor nor as not poor",
                    ),
                    None => t(
                        "không tính là hộ nghèo hay hộ cận nghèo (có trong tổng số hộ ở trên)",
                        "counted neither as poor nor as near-poor (they are in the households above)",
                    ),
                })
            ),
        );
        flows_stats(h, lang, &hl.flows, hl.change.as_ref(), &id);
        h.push_str("</dl>\n");
        change_notes(h, hl.change.as_ref());
        h.push_str("</article>\n");
    }
    super::methods::push_definitions_note(h, r);
    h.push_str("</section>\n");
}

/// The income-based figures of the count rules: poor (by income, by
/// deprivation) and near-poor households.
fn income_stats(h: &mut String, r: &ReportInput, hl: &super::super::Headline, id: &str) {
    let lang = r.lang;
    let t = |vi, en| lang.t(vi, en);
    // Two paths to poor only under a union rule (Decision 59/2015).
    let parts = if hl.poor_income_pct.is_some() || hl.poor_deprivation_pct.is_some() {
        format!(
            "<dd class=\"part\">{} <span id=\"poor-income-pct-{id}\">{}</span></dd>\n\
             <dd class=\"part\">{} <span id=\"poor-deprivation-pct-{id}\">{}</span></dd>\n",
            t("theo thu nhập:", "by income:"),
            pct(lang, hl.poor_income_pct),
            t("theo thiếu hụt đa chiều:", "by deprivation:"),
            pct(lang, hl.poor_deprivation_pct),
        )
    } else {
        String::new()
    };
    // Counts beside rates, as a review states its result: "10.232 hộ
    // nghèo, chiếm 1,90 %".
    let change = hl.change.as_ref();
    let parts = format!(
        "{}{}{parts}",
        households_dd(lang, hl.poor, "poor", id),
        change_dd(lang, change, "poor", id)
    );
    stat(
        h,
        "poor",
        t("Tỷ lệ hộ nghèo", "Poor households"),
        &format!("poor-pct-{id}"),
        &pct(lang, hl.poor_pct),
        &parts,
    );
    stat(
        h,
        "near",
        t("Tỷ lệ hộ cận nghèo", "Near-poor households"),
        &format!("near-poor-pct-{id}"),
        &pct(lang, hl.near_poor_pct),
        &format!(
            "{}{}",
            households_dd(lang, hl.near_poor, "near-poor", id),
            change_dd(lang, change, "near-poor", id)
        ),
    );
}

/// The number of households behind a rate ("10.232 hộ"), for the key
/// figures: `{key}-n-{id}` holds the number alone.
fn households_dd(lang: Lang, n: Option<f64>, key: &str, id: &str) -> String {
    let Some(n) = n else {
        return String::new();
    };
    format!(
        "<dd class=\"count\" id=\"{key}-count-{id}\"><span id=\"{key}-n-{id}\">{}</span> {}</dd>\n",
        count(lang, n),
        lang.t("hộ", "households")
    )
}

/// The weighted standard's headline: H, A and M0 for persons (the big
/// numbers) and households (below each), the vulnerable and the severely poor.
fn mpi_stats(h: &mut String, r: &ReportInput, m: &super::super::MpiHeadline, id: &str) {
    let lang = r.lang;
    let t = |vi, en| lang.t(vi, en);
    let share = |v: Option<f64>| pct(lang, v.map(|x| 100.0 * x));
    let index = |v: Option<f64>| match v {
        Some(v) if v.is_finite() => esc(&decimal(lang, v, 3)),
        _ => DASH.to_string(),
    };
    type Get = fn(&super::super::AfFigures) -> Option<f64>;
    let rows: [(&str, &str, &str, &str, Get, bool); 5] = [
        (
            "poor",
            "mpi-h",
            "Tỷ lệ người nghèo đa chiều (H)",
            "People in multidimensional poverty (H)",
            |f| f.h,
            true,
        ),
        (
            "",
            "mpi-a",
            "Mức độ thiếu hụt bình quân của người nghèo (A)",
            "Average intensity among the poor (A)",
            |f| f.a,
            true,
        ),
        (
            "",
            "mpi-m0",
            "Chỉ số nghèo đa chiều MPI = H × A",
            "Multidimensional Poverty Index MPI = H × A",
            |f| f.m0,
            false,
        ),
        (
            "near",
            "mpi-vulnerable",
            "Dễ bị tổn thương trước nghèo đa chiều",
            "Vulnerable to multidimensional poverty",
            |f| f.vulnerable,
            true,
        ),
        (
            "poor",
            "mpi-severe",
            "Nghèo đa chiều nghiêm trọng",
            "In severe multidimensional poverty",
            |f| f.severe,
            true,
        ),
    ];
    for (class, key, vi, en, get, is_share) in rows {
        let show = |v| if is_share { share(v) } else { index(v) };
        let extra = format!(
            "<dd class=\"part\">{} <span id=\"{key}-household-{id}\">{}</span></dd>\n",
            t("theo hộ:", "households:"),
            show(get(&m.household)),
        );
        stat(
            h,
            class,
            &format!("{} — {}", t(vi, en), t("theo người", "persons")),
            &format!("{key}-person-{id}"),
            &show(get(&m.person)),
            &extra,
        );
    }
}

/// One big number; `value` and `extra` are already escaped markup.
fn stat(h: &mut String, class: &str, label: &str, id: &str, value: &str, extra: &str) {
    let _ = write!(
        h,
        "<div class=\"stat {class}\"><dt>{}</dt><dd class=\"big\" id=\"{id}\">{value}</dd>\n{extra}</div>\n",
        esc(label)
    );
}

/// `base`, or `base-2`, `base-3`… if already used: ids stay unique.
fn unique_id(used: &mut BTreeSet<String>, base: &str) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

fn pct(lang: Lang, v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => esc(&lang.pct(v, 2)),
        _ => DASH.to_string(),
    }
}

fn count(lang: Lang, v: f64) -> String {
    if v.is_finite() {
        esc(&lang.count(v))
    } else {
        DASH.to_string()
    }
}
