//! Which Alkire–Foster cut-offs each standard's years are measured at.
//!
//! Without `--k`: every j/J and the standard's own cut-off and bands. With
//! `--k`: the cut-offs asked, for every year, and always the standard's own
//! as well, since the rate tables' `af_*` columns are read at it (asking
//! `--k 3/10` used to leave them blank for 2022, whose cut-off is 1/4).
//! Any share above 0 and at most 1 is a cut-off every standard can use (the
//! R-checked statistics ask 1/3 of ten equal weights: poor with 4 of 10);
//! one outside that range (`--k 3`, meant as "3 deprivations") makes no
//! household poor or every household poor, so it is an error naming each
//! year's cut-offs, never a table of zeros or blanks.

use crate::error::{Error, Result};
use crate::exact::rational::Ratio;

/// The cut-offs measured without `--k` for a standard with these
/// indicator weights: every j/J and its own cut-off and bands (`own`), in
/// increasing order.
pub fn offered(weights: &[Ratio], own: &[Ratio]) -> Vec<Ratio> {
    let n = weights.len() as i64;
    let mut ks: Vec<Ratio> = (1..=n).filter_map(|j| Ratio::new(j, n)).collect();
    for k in own {
        if !ks.contains(k) {
            ks.push(*k);
        }
    }
    ks.sort_by(|a, b| a.cmp_exact(*b));
    ks
}

/// The cut-offs one standard is measured at: all it offers when `asked` is
/// empty; else those asked and its own cut-off.
pub fn chosen(asked: &[Ratio], offered: &[Ratio], own_cutoff: Option<Ratio>) -> Vec<Ratio> {
    if asked.is_empty() {
        return offered.to_vec();
    }
    let mut ks: Vec<Ratio> = Vec::new();
    for k in asked.iter().chain(own_cutoff.as_ref()) {
        if !ks.contains(k) {
            ks.push(*k);
        }
    }
    ks.sort_by(|a, b| a.cmp_exact(*b));
    ks
}

/// What a year's standard offers, for the message of a bad `--k`.
#[derive(Clone)]
pub struct Offer {
    pub year: i64,
    pub standard: String,
    pub own: Option<Ratio>,
    pub offered: Vec<Ratio>,
}

/// A cut-off is a share of the weights: above 0, at most 1.
fn usable(k: Ratio) -> bool {
    k.num > 0 && k.num <= k.den
}

/// Every asked k must be usable; the error lists each year's cut-offs and
/// how to ask for them.
pub fn check(asked: &[Ratio], offers: &[Offer]) -> Result<()> {
    let bad: Vec<String> = (asked.iter())
        .filter(|k| !usable(**k))
        .map(Ratio::to_string)
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = offers
        .iter()
        .map(|o| {
            let ks: Vec<String> = (o.offered.iter())
                .map(|k| match o.own {
                    Some(own) if own == *k => format!("{k} (its own)"),
                    _ => k.to_string(),
                })
                .collect();
            format!("  {} ({}): {}", o.year, o.standard, ks.join(", "))
        })
        .collect();
    let example = offers
        .iter()
        .find_map(|o| o.own)
        .map(|k| format!(" (e.g. --k {k})"))
        .unwrap_or_default();
    Err(Error::Usage(format!(
        "--k {}: no survey year's standard has this cut-off: a cut-off is a share of the \
         indicator weights, above 0 and at most 1 (3 deprivations of 10 equal weights is 3/10), \
         so it would make no household poor, or every one. The cut-offs each year's standard has:\n{}\n\
         ask for some of these{example}, or leave --k out to get them all",
        bad.join(","),
        lines.join("\n")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    #[test]
    fn the_own_cutoff_is_always_measured_beside_those_asked() {
        let twelve = offered(&[r(1, 12); 12], &[r(1, 4)]);
        assert_eq!(twelve.len(), 12);
        assert_eq!(
            chosen(&[r(3, 10)], &twelve, Some(r(1, 4))),
            vec![r(1, 4), r(3, 10)]
        );
        assert_eq!(chosen(&[r(1, 4)], &twelve, Some(r(1, 4))), vec![r(1, 4)]);
        assert_eq!(chosen(&[], &twelve, Some(r(1, 4))), twelve);
    }

    #[test]
    fn a_k_outside_0_to_1_is_an_error_listing_what_each_year_has() {
        let o = |year, den: i64, own| Offer {
            year,
            standard: format!("s{den}"),
            own: Some(own),
            offered: offered(&vec![r(1, den); den as usize], &[own]),
        };
        let both = [o(2020, 10, r(3, 10)), o(2022, 12, r(1, 4))];
        assert!(check(&[r(3, 10), r(1, 3), r(1, 1)], &both).is_ok());
        for bad in [r(3, 1), r(0, 1), r(-1, 4)] {
            let e = check(&[r(1, 4), bad], &both).unwrap_err().to_string();
            assert!(e.contains(&format!("--k {bad}: no survey year's")), "{e}");
            assert!(
                e.contains("2022 (s12): 1/12, 1/6, 1/4 (its own), 1/3"),
                "{e}"
            );
            assert!(e.contains("2020 (s10): 1/10, 1/5, 3/10 (its own)"), "{e}");
            assert!(e.contains("(e.g. --k 3/10)"), "{e}");
        }
    }
}
