//! Which Alkire–Foster cut-offs each standard's years are measured at.
//! `--k` picks among the cut-offs a standard has (every j/J, its own, its
//! bands); a k that no year's standard has is an error naming those it
//! does, never a column of blank cells. The standard's own cut-off is
//! always measured, since the rate tables' `af_*` columns are read at it.

use super::rational::Ratio;
use crate::error::{Error, Result};

/// The cut-offs a standard with these indicator weights has: every j/J and
/// its own cut-off and bands (`own`), in increasing order.
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
/// empty; else those asked that it offers, and its own cut-off.
pub fn chosen(asked: &[Ratio], offered: &[Ratio], own_cutoff: Option<Ratio>) -> Vec<Ratio> {
    if asked.is_empty() {
        return offered.to_vec();
    }
    let mut ks: Vec<Ratio> = offered
        .iter()
        .filter(|k| asked.contains(k))
        .copied()
        .collect();
    if let Some(c) = own_cutoff.filter(|c| !ks.contains(c)) {
        ks.push(c);
    }
    ks.sort_by(|a, b| a.cmp_exact(*b));
    ks
}

/// What a year's standard offers, for the check of `--k`.
#[derive(Clone)]
pub struct Offer {
    pub year: i64,
    pub standard: String,
    pub own: Option<Ratio>,
    pub offered: Vec<Ratio>,
}

/// Every asked k must be a cut-off of at least one year's standard; the
/// error lists each year's and how to ask for them.
pub fn check(asked: &[Ratio], offers: &[Offer]) -> Result<()> {
    let missing: Vec<String> = asked
        .iter()
        .filter(|k| !offers.iter().any(|o| o.offered.contains(k)))
        .map(Ratio::to_string)
        .collect();
    if missing.is_empty() {
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
        "--k {}: no survey year's standard has this cut-off, so no table could show it. \
         The cut-offs each year's standard has:\n{}\nask for some of these{example}, or leave --k out to get them all",
        missing.join(","),
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
    fn the_own_cutoff_is_always_measured_and_unoffered_ks_are_dropped() {
        let twelve = offered(&[r(1, 12); 12], &[r(1, 4)]);
        assert_eq!(twelve.len(), 12);
        assert_eq!(chosen(&[r(3, 10)], &twelve, Some(r(1, 4))), vec![r(1, 4)]);
        assert_eq!(
            chosen(&[r(1, 3)], &twelve, Some(r(1, 4))),
            vec![r(1, 4), r(1, 3)]
        );
        assert_eq!(chosen(&[], &twelve, Some(r(1, 4))), twelve);
    }

    #[test]
    fn a_k_no_standard_has_is_an_error_listing_what_each_year_has() {
        let o = |year, den: i64, own| Offer {
            year,
            standard: format!("s{den}"),
            own: Some(own),
            offered: offered(&vec![r(1, den); den as usize], &[own]),
        };
        let both = [o(2020, 10, r(3, 10)), o(2022, 12, r(1, 4))];
        assert!(check(&[r(3, 10)], &both).is_ok());
        let e = check(&[r(3, 10)], &both[1..]).unwrap_err().to_string();
        assert!(e.contains("--k 3/10"), "{e}");
        assert!(e.contains("2022 (s12): 1/12, 1/6, 1/4 (its own)"), "{e}");
        assert!(e.contains("--k 1/4"), "{e}");
    }
}
