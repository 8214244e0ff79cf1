//! The exact-fraction side of a standard: indicator weights as fractions
//! that must sum to exactly 1, and the weighted rule's cut-off and bands
//! as shares of them. Split from `load.rs` so that the count rules'
//! validation reads on its own; every problem goes to the same list, with
//! file and line.

use super::load::{Problems, SourceFile};
use super::raw::RawStandard;
use super::WeightedRule;
use crate::exact::rational::Ratio;

/// A share of the weights written as a fraction in quotes (`"1/3"`), or an
/// exact decimal in quotes (`"0.2"`), in (0, 1]. A bare decimal number is
/// refused: 0.333 is not 1/3, and the rule must not miss a household by it.
fn share(
    f: &SourceFile,
    v: &toml::Spanned<toml::Value>,
    what: &str,
    p: &mut Problems,
) -> Option<Ratio> {
    let at = v.span().start;
    let r = match v.get_ref() {
        toml::Value::String(s) => Ratio::parse(s),
        toml::Value::Integer(i) => Ratio::new(*i, 1),
        toml::Value::Float(x) => {
            // Suggest the fraction the number seems to mean, if a simple one.
            let hint = Ratio::from_f64(*x)
                .filter(|r| r.den <= 100)
                .map(|r| r.to_string())
                .unwrap_or_else(|| "1/3".into());
            p.at(
                f,
                at,
                format!("{what} = {x}: write the share as an exact fraction in quotes, e.g. {what} = \"{hint}\" (a decimal number such as 0.333 is not 1/3)"),
            );
            return None;
        }
        _ => None,
    };
    let Some(r) = r else {
        p.at(
            f,
            at,
            format!("{what} must be a fraction of the weights in quotes, e.g. \"1/3\""),
        );
        return None;
    };
    if r.num <= 0 || r.num > r.den {
        p.at(
            f,
            at,
            format!(
                "{what} {r} must be a share of the weights above 0 and at most 1, e.g. \"1/3\""
            ),
        );
        return None;
    }
    Some(r)
}

/// The weighted rule's cut-off and bands, checked: each a share in (0, 1],
/// vulnerable below the cut-off, severe above it. None when the cut-off is bad.
pub(super) fn weighted_rule(
    f: &SourceFile,
    r: &RawStandard,
    p: &mut Problems,
) -> Option<WeightedRule> {
    let k = share(f, &r.cutoff, "cutoff", p);
    let band = |v: &Option<toml::Spanned<toml::Value>>, name: &str, p: &mut Problems| {
        v.as_ref()
            .and_then(|v| share(f, v, name, p).map(|b| (b, v.span().start)))
    };
    let bands = r.bands.as_ref();
    let vulnerable = bands.and_then(|b| band(&b.vulnerable, "bands.vulnerable", p));
    let severe = bands.and_then(|b| band(&b.severe, "bands.severe", p));
    if let (Some(k), Some((v, at))) = (k, vulnerable) {
        if v.cmp_exact(k).is_ge() {
            p.at(f, at, format!("bands.vulnerable ({v}) must be below the cut-off ({k}): vulnerable means vulnerable <= score < cutoff"));
        }
    }
    if let (Some(k), Some((s, at))) = (k, severe) {
        if s.cmp_exact(k).is_le() {
            p.at(f, at, format!("bands.severe ({s}) must be above the cut-off ({k}): severe poverty is a part of poverty"));
        }
    }
    k.map(|cutoff| WeightedRule {
        cutoff,
        vulnerable: vulnerable.map(|v| v.0),
        severe: severe.map(|s| s.0),
    })
}

/// Bands under a count rule are a mistake: say so where they are.
pub(super) fn no_bands(f: &SourceFile, r: &RawStandard, p: &mut Problems) {
    if let Some(b) = &r.bands {
        let at = b
            .vulnerable
            .as_ref()
            .or(b.severe.as_ref())
            .map(|v| v.span().start)
            .unwrap_or(0);
        p.at(
            f,
            at,
            "[bands] (vulnerable, severe) go with rule = \"weighted\" only",
        );
    }
}

/// An indicator's weight: a fraction in quotes, a whole number, or a
/// decimal read as the fraction it means (0.1 is 1/10, 0.16666666666666666
/// is 1/6), in (0, 1]. None (reported) when missing or bad.
pub(super) fn indicator_weight(
    f: &SourceFile,
    w: &Option<toml::Spanned<toml::Value>>,
    p: &mut Problems,
) -> Option<Ratio> {
    let Some(w) = w else {
        p.at(
            f,
            0,
            "weight is missing (the indicator's weight in the deprivation score; the weights of a standard sum to 1)",
        );
        return None;
    };
    let at = w.span().start;
    let exact = match w.get_ref() {
        toml::Value::String(s) => Ratio::parse(s),
        toml::Value::Integer(i) => Ratio::new(*i, 1),
        toml::Value::Float(x) => Ratio::from_f64(*x),
        _ => None,
    };
    match exact {
        None => {
            p.at(
                f,
                at,
                "weight must be a fraction such as \"1/18\" (in quotes) or a decimal number",
            );
            None
        }
        Some(x) if x.num <= 0 || x.num > x.den => {
            p.at(f, at, format!("weight {x} must be in (0, 1]"));
            None
        }
        Some(x) => Some(x),
    }
}

/// The weights must sum to exactly 1: the weighted rule identifies the poor
/// on Σ w_j g_j, and the Alkire–Foster measures of every rule rest on it.
/// Reported at the `indicators` list of `standard.toml`, with every weight.
/// Skipped when a weight is already reported as bad.
pub(super) fn check_sum(
    std_file: &SourceFile,
    indicators_at: usize,
    weights: &[(String, Option<Ratio>)],
    p: &mut Problems,
) {
    if weights.iter().any(|(_, w)| w.is_none()) {
        return;
    }
    let total = weights
        .iter()
        .try_fold(Ratio { num: 0, den: 1 }, |a, (_, w)| {
            w.and_then(|w| a.checked_add(w))
        });
    if total == Ratio::new(1, 1) {
        return;
    }
    let parts: Vec<String> = weights
        .iter()
        .map(|(id, w)| format!("{id} {}", w.map(|w| w.to_string()).unwrap_or_default()))
        .collect();
    p.at(
        std_file,
        indicators_at,
        format!(
            "indicator weights sum to {}, they must sum to exactly 1 ({}); write each weight as a fraction, e.g. weight = \"1/18\"",
            total
                .map(|t| format!("{t} ({})", t.value()))
                .unwrap_or_else(|| "more than the engine can add exactly".into()),
            parts.join(", ")
        ),
    );
}
