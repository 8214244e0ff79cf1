//! One estimate from the per-PSU sums: the ratio Y/X, and for samples its
//! linearised PSU totals z_p = (y_p − R·x_p) / X and their variance. The
//! sums are column-major blocks, so each estimate reads contiguous columns.

use super::accumulate::{Accumulated, Block};
use super::design::{lanes_sum, Design};
use super::layout::Spec;
use crate::table::Level;

/// An estimate as computed: value, weighted denominator, and (samples only)
/// the variance with whether a lonely PSU contributed to it.
pub type Computed = (f64, f64, Option<(f64, bool)>);

/// One estimate's ratio, denominator and linearised PSU totals.
pub struct Linear {
    pub value: f64,
    pub weight_sum: f64,
    pub z: Vec<(u32, f64)>,
}

/// A thread's reusable buffers.
#[derive(Default)]
pub struct Scratch {
    /// The numerator per PSU of its domain, in block order.
    y: Vec<f64>,
    /// The numerator by PSU id (zero but while in use).
    by_psu: Vec<f64>,
    /// The denominator's domain's PSUs as runs of (stratum, length), in
    /// block order, and their z.
    runs: Vec<(u32, u32)>,
    z: Vec<f64>,
}

pub struct Ctx<'a> {
    pub acc: &'a Accumulated,
    pub design: Option<Design>,
}

impl Ctx<'_> {
    fn national(&self, year: i64) -> Option<u32> {
        self.acc
            .index
            .get(&(year, Level::National, "VN".to_string()))
            .copied()
    }

    fn blocks(&self, dom: u32) -> impl Iterator<Item = &Block> {
        self.acc.dense[dom as usize]
            .iter()
            .map(|b| &self.acc.blocks[*b as usize])
    }

    /// The ratio and its denominator; for samples, `sc.z` gets the z value
    /// of each PSU of the denominator's domain (its blocks in order), and
    /// `sc.runs` their strata.
    fn linearise_into(
        &self,
        s: &Spec,
        dom: u32,
        person: bool,
        sc: &mut Scratch,
    ) -> Option<(f64, f64)> {
        let year = self.acc.domains[dom as usize].0;
        let den_dom = if s.den_national {
            self.national(year)?
        } else {
            dom
        };
        sc.y.clear();
        for b in self.blocks(dom) {
            let start = sc.y.len();
            // The first term written, the others added (0 + c·v is c·v).
            let Some(((base, c), rest)) = s.num.split_first() else {
                sc.y.resize(start + b.psus.len(), 0.0);
                continue;
            };
            sc.y.extend(b.column(*base, person).iter().map(|v| c * v));
            for &(base, c) in rest {
                for (t, v) in sc.y[start..].iter_mut().zip(b.column(base, person)) {
                    *t += c * v;
                }
            }
        }
        let y: f64 = lanes_sum(&sc.y, |v| v);
        let x: f64 = self
            .blocks(den_dom)
            .map(|b| lanes_sum(b.column(s.den, person), |v| v))
            .sum();
        if x == 0.0 {
            return None;
        }
        let r = y / x;
        sc.z.clear();
        sc.runs.clear();
        if self.design.is_none() {
            return Some((r, x));
        }
        let same = self.acc.dense[dom as usize] == self.acc.dense[den_dom as usize];
        if !same {
            // The numerator's PSUs are among the denominator's (a subgroup
            // of its nation): look them up by id.
            sc.by_psu.resize(self.acc.psu_stratum.len(), 0.0);
            let mut i = 0;
            for b in self.blocks(dom) {
                for p in &b.psus {
                    sc.by_psu[*p as usize] = sc.y[i];
                    i += 1;
                }
            }
        }
        for b in self.blocks(den_dom) {
            let xs = b.column(s.den, person);
            if same {
                let ys = &sc.y[sc.z.len()..sc.z.len() + xs.len()];
                sc.z.extend(ys.iter().zip(xs).map(|(yp, xp)| (yp - r * xp) / x));
            } else {
                let by_psu = &sc.by_psu;
                sc.z.extend(
                    b.psus
                        .iter()
                        .zip(xs)
                        .map(|(p, xp)| (by_psu[*p as usize] - r * xp) / x),
                );
            }
            sc.runs.extend_from_slice(&b.runs);
        }
        if !same {
            for b in self.blocks(dom) {
                for p in &b.psus {
                    sc.by_psu[*p as usize] = 0.0;
                }
            }
        }
        Some((r, x))
    }

    /// One estimate with its variance, reusing a thread's buffers.
    pub fn compute(&self, s: &Spec, dom: u32, person: bool, sc: &mut Scratch) -> Option<Computed> {
        let (r, x) = self.linearise_into(s, dom, person, sc)?;
        let var = self
            .design
            .as_ref()
            .map(|d| d.variance_runs(&sc.runs, &sc.z));
        Some((r, x, var))
    }

    /// One estimate with its z values by PSU id (sorted), for differences.
    pub fn linearise(&self, s: &Spec, dom: u32, person: bool) -> Option<Linear> {
        let mut sc = Scratch::default();
        let (value, weight_sum) = self.linearise_into(s, dom, person, &mut sc)?;
        let psus = self.blocks(if s.den_national {
            self.national(self.acc.domains[dom as usize].0)?
        } else {
            dom
        });
        let mut z: Vec<(u32, f64)> = psus
            .flat_map(|b| b.psus.iter().copied())
            .zip(sc.z)
            .collect();
        z.sort_unstable_by_key(|(p, _)| *p);
        Some(Linear {
            value,
            weight_sum,
            z,
        })
    }
}

/// z of a change from `a` to `b`, over both estimates' PSUs, in id order.
pub fn difference(a: &[(u32, f64)], b: &[(u32, f64)]) -> Vec<(u32, f64)> {
    let mut out: Vec<(u32, f64)> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                out.push((x.0, y.1 - x.1));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                out.push((x.0, -x.1));
                i += 1;
            }
            (Some(x), None) => {
                out.push((x.0, -x.1));
                i += 1;
            }
            (_, Some(y)) => {
                out.push((y.0, y.1));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}
