//! Validate and compile a standard: every problem in every file, each with
//! `file:line:col`, the way a compiler reports — not only the first.

use super::raw::{self, RawIndicator, RawStandard, INDICATOR_KEYS, STANDARD_KEYS};
use super::weights;
use super::*;
use crate::error::{Error, Result};
use crate::exact::rational::Ratio;
use crate::schema;
use std::collections::BTreeSet;
use std::path::Path;

/// One file of a standard, by display name.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// Load a standard from a folder (`standard.toml` and its indicator files).
pub fn load_dir(dir: &Path) -> Result<Standard> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            files.push(SourceFile {
                name: path.display().to_string(),
                text,
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    load_files(&dir.display().to_string(), &files)
}

pub(super) struct Problems(pub(super) Vec<String>);

impl Problems {
    pub(super) fn at(&mut self, file: &SourceFile, offset: usize, msg: impl AsRef<str>) {
        let (line, col) = expr::line_col(&file.text, offset);
        self.0
            .push(format!("{}:{line}:{col}: {}", file.name, msg.as_ref()));
    }
}

fn file_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".toml").unwrap_or(base)
}

/// Load a standard from its files. `standard.toml` must be among them.
pub fn load_files(origin: &str, files: &[SourceFile]) -> Result<Standard> {
    let mut p = Problems(Vec::new());
    let Some(std_file) = files.iter().find(|f| file_stem(&f.name) == "standard") else {
        return Err(Error::Standard(vec![format!(
            "{origin}: no standard.toml; a standard folder needs one (see indicators/README.md)"
        )]));
    };
    let head = parse_standard(std_file, &mut p);

    // Every indicator file that parsed, even if a rule in it did not compile,
    // so that listing and weight problems are still reported in the same run.
    let mut parsed: Vec<Parsed> = Vec::new();
    for f in files.iter().filter(|f| file_stem(&f.name) != "standard") {
        if let Some(ind) = parse_indicator(f, &mut p) {
            if parsed.iter().any(|x| x.id == ind.id) {
                p.at(
                    f,
                    ind.offset,
                    format!("duplicate indicator id `{}` (also in another file)", ind.id),
                );
                continue;
            }
            parsed.push(ind);
        }
    }

    let Some(Head {
        mut st,
        listed,
        cutoff_at,
        indicators_at,
    }) = head
    else {
        return Err(Error::Standard(p.0));
    };
    // The order of `indicators = [...]` is the output order.
    let mut ordered = Vec::new();
    let mut weight_of: Vec<(String, Option<Ratio>)> = Vec::new();
    let mut consumed = BTreeSet::new();
    for (name, offset) in &listed {
        if !consumed.insert(name) {
            continue; // listed twice: reported by parse_standard
        }
        match parsed.iter().position(|i| &i.id == name) {
            Some(i) => {
                let x = parsed.swap_remove(i);
                if x.provisional && !st.provisional {
                    let (line, col) = files
                        .iter()
                        .find(|f| f.name == x.file)
                        .map(|f| expr::line_col(&f.text, x.offset))
                        .unwrap_or((1, 1));
                    p.0.push(format!(
                        "{}:{line}:{col}: indicator `{}` is provisional but the standard is not; \
                         set `provisional = true` in standard.toml too",
                        x.file, x.id
                    ));
                }
                weight_of.push((x.id.clone(), x.weight));
                ordered.extend(x.indicator);
            }
            None => p.at(
                std_file,
                *offset,
                format!("indicator `{name}` is listed but there is no {name}.toml beside standard.toml (or it could not be read)"),
            ),
        }
    }
    for extra in &parsed {
        let (line, col) = files
            .iter()
            .find(|f| f.name == extra.file)
            .map(|f| expr::line_col(&f.text, extra.offset))
            .unwrap_or((1, 1));
        p.0.push(format!(
            "{}:{line}:{col}: indicator `{}` has a file but is not listed in standard.toml `indicators`",
            extra.file, extra.id
        ));
    }
    let n = listed.len() as u32;
    if st.rule != ClassRule::Weighted && (st.cutoff == 0 || st.cutoff > n) && cutoff_at.is_some() {
        p.at(
            std_file,
            cutoff_at.unwrap_or(0),
            format!(
                "cutoff {} must be between 1 and the number of indicators ({n})",
                st.cutoff
            ),
        );
    }
    if weight_of.len() == consumed.len() {
        weights::check_sum(std_file, indicators_at, &weight_of, &mut p);
    }
    if !p.0.is_empty() {
        return Err(Error::Standard(p.0));
    }
    st.indicators = ordered;
    st.origin = origin.to_string();
    Ok(st)
}

fn report_keys(f: &SourceFile, allowed: &[(&str, &[&str])], p: &mut Problems) -> bool {
    let found = raw::unknown_keys(&f.text, allowed);
    for (offset, msg) in &found {
        p.at(f, *offset, msg);
    }
    found.is_empty()
}

fn deserialize<T: serde::de::DeserializeOwned>(f: &SourceFile, p: &mut Problems) -> Option<T> {
    match toml::from_str::<T>(&f.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            p.at(f, offset, e.message().trim());
            None
        }
    }
}

/// `standard.toml` checked: the standard (without indicators), the listed
/// indicator ids with their offsets, and where the cut-off and the list are.
struct Head {
    st: Standard,
    listed: Vec<(String, usize)>,
    /// Offset of a count cut-off that parsed (None when already reported).
    cutoff_at: Option<usize>,
    indicators_at: usize,
}

/// Parse and check `standard.toml`.
fn parse_standard(f: &SourceFile, p: &mut Problems) -> Option<Head> {
    let keys_ok = report_keys(f, STANDARD_KEYS, p);
    let r: RawStandard = deserialize(f, p)?;
    if !keys_ok {
        // Unknown keys already reported; the rest may still be checked.
    }
    let rule = match r.rule.get_ref().as_str() {
        "union" => ClassRule::Union,
        "intersection" => ClassRule::Intersection,
        "weighted" => ClassRule::Weighted,
        other => {
            p.at(
                f,
                r.rule.span().start,
                format!("unknown rule `{other}`; expected union, intersection or weighted"),
            );
            ClassRule::Union
        }
    };
    let [first, last] = *r.review_years.get_ref();
    if first > last {
        p.at(
            f,
            r.review_years.span().start,
            "review_years must be [first, last] with first <= last",
        );
    }
    let cutoff_at = r.cutoff.span().start;
    let (cutoff, count_at, weighted) = match (rule, r.cutoff.get_ref()) {
        (ClassRule::Weighted, _) => (0, None, weights::weighted_rule(f, &r, p)),
        (_, toml::Value::Integer(i)) if (0..=u32::MAX as i64).contains(i) => {
            (*i as u32, Some(cutoff_at), None)
        }
        (_, other) => {
            p.at(
                f,
                cutoff_at,
                format!(
                    "cutoff {other} must be a whole number of deprived indicators under rule = \"{}\" (e.g. cutoff = 3); a share such as \"1/3\" goes with rule = \"weighted\"",
                    rule.name()
                ),
            );
            (0, None, None)
        }
    };
    if rule != ClassRule::Weighted {
        weights::no_bands(f, &r, p);
    }
    let mut lines = |spanned: &toml::Spanned<raw::RawIncomeLines>, area: &str| {
        let l = *spanned.get_ref();
        let at = spanned.span().start;
        let mut chain = vec![("poverty", Some(l.poverty))];
        chain.push(("near_poverty", l.near_poverty));
        chain.push(("average", l.average));
        if rule == ClassRule::Union && l.near_poverty.is_none() {
            p.at(
                f,
                at,
                format!("income.{area}: the union rule needs near_poverty"),
            );
        }
        if l.poverty < 0 {
            p.at(
                f,
                at,
                format!("income.{area}: poverty must not be negative"),
            );
        }
        let set: Vec<(&str, i64)> = chain
            .into_iter()
            .filter_map(|(n, v)| v.map(|v| (n, v)))
            .collect();
        for w in set.windows(2) {
            if w[0].1 >= w[1].1 {
                p.at(
                    f,
                    at,
                    format!(
                        "income.{area}: {} ({}) must be below {} ({})",
                        w[0].0, w[0].1, w[1].0, w[1].1
                    ),
                );
            }
        }
        IncomeLines {
            poverty: l.poverty,
            near_poverty: l.near_poverty,
            average: l.average,
        }
    };
    let no_lines = IncomeLines {
        poverty: 0,
        near_poverty: None,
        average: None,
    };
    let (rural, urban) = match (&r.income, rule) {
        (Some(inc), ClassRule::Weighted) => {
            p.at(
                f,
                inc.rural.span().start.min(inc.urban.span().start),
                "rule = \"weighted\" classifies on the deprivation score alone: remove the [income.*] tables",
            );
            (no_lines, no_lines)
        }
        (None, ClassRule::Weighted) => (no_lines, no_lines),
        (Some(inc), _) => (lines(&inc.rural, "rural"), lines(&inc.urban, "urban")),
        (None, _) => {
            p.at(
                f,
                r.rule.span().start,
                format!(
                    "rule = \"{}\" needs income lines: add [income.rural] and [income.urban]",
                    rule.name()
                ),
            );
            (no_lines, no_lines)
        }
    };
    if let (Some(s), ClassRule::Weighted) = (&r.score, rule) {
        p.at(
            f,
            s.column.span().start,
            "rule = \"weighted\" has no review-form score path: remove the [score] tables",
        );
    }
    let score = r.score.map(|s| {
        match schema::column(schema::TableKind::Households, s.column.get_ref()) {
            Some(c) if c.ty.is_numeric() => {}
            _ => p.at(
                f,
                s.column.span().start,
                format!(
                    "score column `{}` is not a numeric household column of the data contract",
                    s.column.get_ref()
                ),
            ),
        }
        let sl = |x: &toml::Spanned<raw::RawScoreLines>, area: &str, p: &mut Problems| {
            let v = *x.get_ref();
            if rule == ClassRule::Union && v.near_poverty.is_none() {
                p.at(
                    f,
                    x.span().start,
                    format!("score.{area}: the union rule needs near_poverty"),
                );
            }
            if let Some(n) = v.near_poverty {
                if n <= v.poverty {
                    p.at(
                        f,
                        x.span().start,
                        format!("score.{area}: near_poverty must be above poverty"),
                    );
                }
            }
            ScoreLines {
                poverty: v.poverty,
                near_poverty: v.near_poverty,
            }
        };
        ScoreRule {
            column: s.column.get_ref().clone(),
            points_per_indicator: s.points_per_indicator,
            deprivation_points: s.deprivation_points,
            rural: sl(&s.rural, "rural", p),
            urban: sl(&s.urban, "urban", p),
        }
    });
    if let Some(s) = &score {
        if s.points_per_indicator == 0 {
            p.at(f, 0, "score.points_per_indicator must be at least 1");
        }
    }
    let listed: Vec<(String, usize)> = r
        .indicators
        .get_ref()
        .iter()
        .map(|s| (s.get_ref().clone(), s.span().start))
        .collect();
    if listed.len() > crate::schema::MAX_INDICATORS {
        p.at(
            f,
            r.indicators.span().start,
            format!(
                "{} indicators are listed; a standard has at most {}",
                listed.len(),
                crate::schema::MAX_INDICATORS
            ),
        );
    }
    let mut uniq = BTreeSet::new();
    for (name, offset) in &listed {
        if !uniq.insert(name) {
            p.at(f, *offset, format!("indicator `{name}` is listed twice"));
        }
    }
    let st = Standard {
        id: r.id.get_ref().clone(),
        version: r.version,
        name_vi: r.name_vi,
        name_en: r.name_en,
        legal_basis: r.legal_basis,
        review_years: (first, last),
        rule,
        cutoff,
        weighted,
        rural,
        urban,
        score,
        notes: r.notes,
        provisional: r.provisional,
        indicators: Vec::new(),
        origin: String::new(),
    };
    Some(Head {
        st,
        listed,
        cutoff_at: count_at,
        indicators_at: r.indicators.span().start,
    })
}

/// Where the text of a string value starts, skipping its opening quotes.
fn string_body_offset(text: &str, value_start: usize) -> usize {
    let rest = text.get(value_start..).unwrap_or("");
    for q in ["\"\"\"", "'''"] {
        if let Some(after) = rest.strip_prefix(q) {
            let nl = if after.starts_with("\r\n") {
                2
            } else if after.starts_with('\n') {
                1
            } else {
                0
            };
            return value_start + 3 + nl;
        }
    }
    value_start + 1
}

fn compile_at(
    f: &SourceFile,
    src: &toml::Spanned<String>,
    table: schema::TableKind,
    p: &mut Problems,
) -> Option<Expr> {
    match compile_rule(src.get_ref(), table) {
        Ok(e) => Some(e),
        Err(errors) => {
            let base = string_body_offset(&f.text, src.span().start);
            for e in errors {
                p.at(
                    f,
                    base + e.start,
                    format!(
                        "{} (in `{}`, rule over {} columns)",
                        e.message,
                        src.get_ref(),
                        table.name()
                    ),
                );
            }
            None
        }
    }
}

/// An indicator file that parsed; `indicator` is None when a rule failed.
struct Parsed {
    id: String,
    /// None when the weight was missing or bad (already reported).
    weight: Option<Ratio>,
    provisional: bool,
    /// Where its id is, for problems found when the standard is assembled.
    offset: usize,
    file: String,
    indicator: Option<Indicator>,
}

fn parse_indicator(f: &SourceFile, p: &mut Problems) -> Option<Parsed> {
    report_keys(f, INDICATOR_KEYS, p);
    let r: RawIndicator = deserialize(f, p)?;
    let id = r.id.get_ref().clone();
    if id != file_stem(&f.name) {
        p.at(
            f,
            r.id.span().start,
            format!(
                "id `{id}` must equal the file name `{}`",
                file_stem(&f.name)
            ),
        );
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        || id.is_empty()
    {
        p.at(
            f,
            r.id.span().start,
            "id must be lower-case letters, digits and _ (it names a column)",
        );
    }
    if !["confirmed", "secondary", "unconfirmed"].contains(&r.confidence.get_ref().as_str()) {
        p.at(
            f,
            r.confidence.span().start,
            "confidence must be confirmed, secondary or unconfirmed",
        );
    }
    let level = match r.level.get_ref().as_str() {
        "member" => Level::Member,
        "household" => Level::Household,
        other => {
            p.at(
                f,
                r.level.span().start,
                format!("unknown level `{other}`; expected member or household"),
            );
            return None;
        }
    };
    let table = match level {
        Level::Member => schema::TableKind::Members,
        Level::Household => schema::TableKind::Households,
    };
    let combine = match (&r.combine, level) {
        (None, _) => Combine::Any,
        (Some(c), Level::Member) => match c.get_ref().as_str() {
            "any" => Combine::Any,
            "all" => Combine::All,
            "share" => match &r.share_above {
                None => {
                    p.at(
                        f,
                        c.span().start,
                        "combine = \"share\" needs share_above (e.g. 0.5: deprived above half of the household)",
                    );
                    Combine::Any
                }
                Some(t) => {
                    let v = *t.get_ref();
                    match Ratio::from_f64(v) {
                        Some(ratio) if (0.0..1.0).contains(&v) => Combine::Share(ratio),
                        _ => {
                            p.at(
                                f,
                                t.span().start,
                                "share_above must be a share in [0, 1), such as 0.5",
                            );
                            Combine::Any
                        }
                    }
                }
            },
            other => {
                p.at(
                    f,
                    c.span().start,
                    format!("unknown combine `{other}`; expected any, all or share"),
                );
                Combine::Any
            }
        },
        (Some(c), Level::Household) => {
            p.at(
                f,
                c.span().start,
                "combine applies to member-level indicators only",
            );
            Combine::Any
        }
    };
    if let Some(t) = &r.share_above {
        if !matches!(combine, Combine::Share(_)) && !matches!(level, Level::Household) {
            p.at(
                f,
                t.span().start,
                "share_above applies only with combine = \"share\"",
            );
        }
        if level == Level::Household {
            p.at(
                f,
                t.span().start,
                "share_above applies to member-level indicators only",
            );
        }
    }
    let eligible = match (&r.eligible, level) {
        (Some(e), Level::Member) => compile_at(f, e, table, p).map(Some),
        (Some(e), Level::Household) => {
            p.at(
                f,
                e.span().start,
                "eligible applies to member-level indicators only",
            );
            Some(None)
        }
        (None, _) => Some(None),
    };
    let deprived_if = compile_at(f, &r.deprived_if, table, p);
    let missing = match &r.missing {
        None => MissingPolicy::Unknown,
        Some(m) => MissingPolicy::parse(m.get_ref()).unwrap_or_else(|| {
            p.at(
                f,
                m.span().start,
                "missing must be unknown, not_deprived or deprived",
            );
            MissingPolicy::Unknown
        }),
    };
    let weight = weights::indicator_weight(f, &r.weight, p);
    let mut examples = Vec::new();
    for ex in &r.example {
        let at = ex.span().start;
        let e = ex.get_ref();
        let expect = match e.expect.get_ref().as_str() {
            "deprived" => Some(true),
            "not_deprived" => Some(false),
            "unknown" => None,
            other => {
                p.at(
                    f,
                    e.expect.span().start,
                    format!("expect `{other}`: use deprived, not_deprived or unknown"),
                );
                continue;
            }
        };
        let (line, _) = expr::line_col(&f.text, at);
        examples.push(Example {
            description: e.description.clone(),
            household: e.household.clone(),
            members: e.members.clone(),
            expect,
            location: format!("{}:{line}", f.name),
        });
    }
    let indicator = match (eligible, deprived_if) {
        (Some(eligible), Some(deprived_if)) => Some(Indicator {
            id: id.clone(),
            dimension: r.dimension,
            dimension_vi: r.dimension_vi,
            label_vi: r.label_vi,
            label_en: r.label_en,
            legal_wording_vi: r.legal_wording_vi,
            legal_wording_en: r.legal_wording_en,
            confidence: r.confidence.get_ref().clone(),
            source: r.source,
            notes: r.notes,
            level,
            eligible,
            eligible_src: r.eligible.map(|e| e.get_ref().clone()),
            deprived_if,
            deprived_if_src: r.deprived_if.get_ref().clone(),
            combine,
            missing,
            weight: weight.unwrap_or(Ratio { num: 0, den: 1 }),
            provisional: r.provisional,
            examples,
        }),
        _ => None,
    };
    Some(Parsed {
        id,
        weight,
        provisional: r.provisional,
        offset: r.id.span().start,
        file: f.name.clone(),
        indicator,
    })
}
