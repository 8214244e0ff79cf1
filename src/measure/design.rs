//! The sampling design and the variance of a linearised total: strata and
//! PSUs (ultimate clusters, with replacement, no finite-population
//! correction), computed the way R's `survey` package computes it. Domains are
//! never separate designs: a PSU of the stratum with no one in the domain
//! still counts, with a zero total.

use crate::error::{Error, Result};

/// What to do with a stratum that has a single PSU (R: `survey.lonely.psu`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LonelyPsu {
    /// Refuse to estimate a variance (R's default).
    Fail,
    /// Centre the lonely PSU at the population mean instead of its stratum mean.
    Adjust,
    /// The stratum contributes nothing to the variance.
    Remove,
    /// Treat the PSU as sampled with certainty: no contribution.
    Certainty,
}

impl LonelyPsu {
    pub fn name(self) -> &'static str {
        match self {
            LonelyPsu::Fail => "fail",
            LonelyPsu::Adjust => "adjust",
            LonelyPsu::Remove => "remove",
            LonelyPsu::Certainty => "certainty",
        }
    }
}

/// PSUs are numbered by stratum (strata in the order of their labels).
#[derive(Debug, Clone)]
pub struct Design {
    pub psu_stratum: Vec<u32>,
    pub stratum_psus: Vec<u32>,
    pub stratum_names: Vec<String>,
    pub lonely: LonelyPsu,
}

impl Design {
    /// The design of PSUs numbered by stratum, given each PSU's stratum
    /// (numbered in order too) and each stratum's name.
    pub fn of_strata(
        psu_stratum: Vec<u32>,
        stratum_names: Vec<String>,
        lonely: LonelyPsu,
    ) -> Result<Design> {
        let mut stratum_psus = vec![0u32; stratum_names.len()];
        for h in &psu_stratum {
            stratum_psus[*h as usize] += 1;
        }
        let d = Design {
            psu_stratum,
            stratum_psus,
            stratum_names,
            lonely,
        };
        if lonely == LonelyPsu::Fail {
            let lonely: Vec<&str> = d
                .stratum_names
                .iter()
                .zip(&d.stratum_psus)
                .filter(|(_, n)| **n == 1)
                .map(|(s, _)| s.as_str())
                .collect();
            if !lonely.is_empty() {
                return Err(Error::Usage(format!(
                    "stratum {} has only one PSU, so its variance cannot be estimated; \
                     choose --lonely-psu adjust, remove or certainty (as R's survey.lonely.psu)",
                    lonely.join(", ")
                )));
            }
        }
        Ok(d)
    }

    /// Variance of the total of `z` (PSU id → linearised PSU total), and
    /// whether a single-PSU stratum contributed to it.
    /// PSUs of a stratum absent from `z` count with z = 0.
    pub fn variance(&self, z: &[(u32, f64)]) -> (f64, bool) {
        let mut parts = vec![Part::default(); self.stratum_psus.len()];
        let part = |p: &u32| self.psu_stratum[*p as usize] as usize;
        for (p, z) in z {
            parts[part(p)].mean += z;
            parts[part(p)].present += 1;
        }
        // Squares about the stratum mean (two passes, for accuracy); a
        // lonely PSU's about zero.
        for (p, n) in parts.iter_mut().zip(&self.stratum_psus) {
            p.mean = if *n >= 2 { p.mean / *n as f64 } else { 0.0 };
        }
        for (p, z) in z {
            let part = &mut parts[part(p)];
            part.ss += (z - part.mean).powi(2);
            part.nonzero |= *z != 0.0;
        }
        let present = (parts.into_iter().enumerate())
            .filter(|(_, p)| p.present > 0)
            .map(|(h, p)| (h as u32, p));
        self.combine(present)
    }

    /// The variance from each stratum's part (stratum id, part); absent
    /// PSUs count with z = 0. Also whether a lonely PSU contributed.
    pub fn combine(&self, parts: impl Iterator<Item = (u32, Part)>) -> (f64, bool) {
        let (mut v, mut lonely_used) = (0.0, false);
        for (h, p) in parts {
            let n = self.stratum_psus[h as usize] as f64;
            if n >= 2.0 {
                let zeros = n - p.present as f64;
                v += n / (n - 1.0) * (p.ss + zeros * p.mean * p.mean);
            } else if p.nonzero {
                lonely_used = true;
                if self.lonely == LonelyPsu::Adjust {
                    // R centres a lonely PSU at zero, the mean of the linearised values.
                    v += p.ss;
                }
            }
        }
        (v, lonely_used)
    }
}

/// One stratum's part in an estimate's variance: the squares of its PSUs'
/// z about the stratum mean, that mean, the PSUs present in the domain, and
/// whether any z is not zero.
#[derive(Debug, Clone, Copy, Default)]
pub struct Part {
    pub ss: f64,
    pub mean: f64,
    pub present: u32,
    pub nonzero: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For PSUs labelled (stratum, psu) and sorted: each PSU's stratum, strata
    /// numbered in label order, and each stratum's name.
    pub fn strata_of<S: AsRef<str>>(labels: &[(S, S)]) -> (Vec<u32>, Vec<String>) {
        let (mut of_psu, mut names): (Vec<u32>, Vec<String>) = (Vec::new(), Vec::new());
        for (stratum, _) in labels {
            let stratum = stratum.as_ref();
            if names.last().map(String::as_str) != Some(stratum) {
                names.push(stratum.to_string());
            }
            of_psu.push(names.len() as u32 - 1);
        }
        (of_psu, names)
    }

    fn design(strata: &[(&str, &[&str])], lonely: LonelyPsu) -> Result<Design> {
        let mut labels = Vec::new();
        for (s, psus) in strata {
            for p in *psus {
                labels.push((s.to_string(), p.to_string()));
            }
        }
        labels.sort();
        let (of_psu, names) = strata_of(&labels);
        Design::of_strata(of_psu, names, lonely)
    }

    #[test]
    fn stratum_formula_with_zero_padding() {
        // One stratum, 3 PSUs, z = (1, 2, 0 absent): mean 1, ss = 0 + 1 + 1 = 2, × 3/2 = 3.
        let d = design(&[("a", &["p1", "p2", "p3"])], LonelyPsu::Fail).unwrap();
        assert_eq!(d.variance(&[(0, 1.0), (1, 2.0)]), (3.0, false));
    }

    #[test]
    fn lonely_policies() {
        let strata: &[(&str, &[&str])] = &[("a", &["p1", "p2"]), ("b", &["q1"])];
        assert!(design(strata, LonelyPsu::Fail).is_err());
        let z = [(0, 1.0), (1, -1.0), (2, 0.5)];
        let adjust = design(strata, LonelyPsu::Adjust).unwrap().variance(&z);
        let remove = design(strata, LonelyPsu::Remove).unwrap().variance(&z);
        assert_eq!(remove, (4.0, true));
        assert_eq!(adjust, (4.25, true));
    }
}
