//! Estimates from the per-PSU sums: each a ratio Y/X, and for samples the
//! variance of its linearised PSU totals z_p = (y_p − R·x_p) / X. A
//! domain's totals and stratum totals are summed once, so each estimate's
//! ratio and stratum means come without a pass over the PSUs; the squares
//! about those means then take one pass over the domain's PSUs, each PSU's
//! row of sums serving every estimate while in cache.

use super::design::{Design, Part};
use super::gather::{Accumulated, Block};
use super::layout::Spec;
use crate::exact::fx::FxHashMap;
use crate::measure::Level;
use rayon::prelude::*;

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
    /// The numerator by PSU id (zero but while in use).
    by_psu: Vec<f64>,
}

pub struct Ctx<'a> {
    pub acc: &'a Accumulated,
    pub design: Option<Design>,
    /// Per domain and weighting (`2·domain + person`): its sums.
    sums: Vec<DomainSums>,
    /// Per (national domain, weighting, base variable): each stratum's
    /// part when z is the base variable itself (see `parts_of_x`).
    untouched: FxHashMap<(u32, bool, usize), Vec<Part>>,
}

/// A domain's sums of every base variable over its PSUs, for one
/// weighting: in total, and in each stratum it meets (so each estimate's
/// stratum means come without a pass over the PSUs).
#[derive(Default)]
struct DomainSums {
    totals: Vec<f64>,
    /// The strata met, in order of first sight: (stratum, PSUs present).
    strata: Vec<(u32, u32)>,
    /// Stratum id → its place in `strata`.
    local: FxHashMap<u32, u32>,
    /// `strata.len()` rows of the layout's width.
    by_stratum: Vec<f64>,
}

/// A block's sums of every base variable in each of its runs (a stratum's
/// PSUs), for one weighting: a row of the layout's width per run.
fn run_sums(acc: &Accumulated, b: &Block, person: bool) -> Vec<f64> {
    let mut out = vec![0.0; b.runs.len() * b.width];
    let mut at = 0;
    for (sums, &(_, len)) in out.chunks_exact_mut(b.width).zip(&b.runs) {
        for i in at..at + len as usize {
            for (t, v) in sums.iter_mut().zip(acc.row(b, i, person)) {
                *t += v;
            }
        }
        at += len as usize;
    }
    out
}

impl DomainSums {
    /// From the domain's blocks, each with its `run_sums`.
    fn of<'b>(blocks: impl Iterator<Item = (&'b Block, &'b [f64])>) -> DomainSums {
        let mut d = DomainSums::default();
        let mut width = 0;
        for (b, run_sums) in blocks {
            width = b.width;
            for (&(h, len), v) in b.runs.iter().zip(run_sums.chunks_exact(width)) {
                let l = *d.local.entry(h).or_insert_with(|| {
                    d.strata.push((h, 0));
                    d.strata.len() as u32 - 1
                }) as usize;
                d.strata[l].1 += len;
                d.by_stratum.resize(d.strata.len() * width, 0.0);
                for (t, v) in d.by_stratum[l * width..(l + 1) * width].iter_mut().zip(v) {
                    *t += v;
                }
            }
        }
        d.totals = (0..width)
            .map(|base| {
                (0..d.strata.len())
                    .map(|l| d.by_stratum[l * width + base])
                    .sum()
            })
            .collect();
        d
    }

    /// `Σ c·v[base]` over a numerator's terms, of row `v`.
    fn num(num: &[(usize, f64)], v: &[f64]) -> f64 {
        match num {
            [(base, c)] => c * v[*base],
            terms => (terms.iter()).fold(0.0, |t, &(base, c)| t + c * v[base]),
        }
    }

    fn width(&self) -> usize {
        self.totals.len()
    }

    /// Stratum `h`'s sums (None: the domain has no PSU in it).
    fn stratum(&self, h: u32) -> Option<&[f64]> {
        let w = self.width();
        let l = *self.local.get(&h)? as usize;
        Some(&self.by_stratum[l * w..(l + 1) * w])
    }
}

/// A stratum's mean z, `(y_h − r·x_h) / x / n_h` (a lonely PSU's: zero).
fn mean_z(design: &Design, h: u32, yh: f64, xh: f64, r: f64, x: f64) -> f64 {
    match design.stratum_psus[h as usize] {
        n if n >= 2 => (yh - r * xh) / x / n as f64,
        _ => 0.0,
    }
}

/// An estimate's denominator domain, ratio and denominator.
type Head = (u32, f64, f64);

/// The estimates of one domain and weighting being computed: their heads,
/// and which are own (see `Ctx::own`).
struct Estimates<'s> {
    specs: &'s [Spec],
    heads: Vec<Option<Head>>,
    own: Vec<usize>,
    dom: u32,
    person: bool,
}

impl Estimates<'_> {
    /// Per own estimate and stratum of the domain (`num`): its part, with
    /// its mean z from the stratum sums and no squares yet.
    fn own_parts(&self, design: &Design, num: &DomainSums) -> Vec<Part> {
        let (strata, w) = (num.strata.len(), num.width());
        let mut parts = vec![Part::default(); self.specs.len() * strata];
        for &i in &self.own {
            let (s, (_, r, x)) = (&self.specs[i], self.heads[i].unwrap_or_default());
            for (l, &(h, present)) in num.strata.iter().enumerate() {
                let v = &num.by_stratum[l * w..(l + 1) * w];
                let yh = DomainSums::num(&s.num, v);
                parts[i * strata + l] = Part {
                    mean: mean_z(design, h, yh, v[s.den], r, x),
                    present,
                    ..Part::default()
                };
            }
        }
        parts
    }
}

/// The own estimates as lanes of the pass over PSUs, those with a single
/// numerator term first (their terms flat: base, coefficient,
/// denominator, ratio).
struct Lanes<'s> {
    /// Per lane: its estimate.
    of: Vec<usize>,
    /// Per lane: its spec and ratio.
    lin: Vec<(&'s Spec, f64)>,
    single: Vec<(usize, f64, usize, f64)>,
}

impl<'s> Lanes<'s> {
    fn new(e: &Estimates<'s>) -> Lanes<'s> {
        let mut of = e.own.clone();
        of.sort_by_key(|i| e.specs[*i].num.len() != 1);
        let lin: Vec<(&Spec, f64)> = (of.iter())
            .map(|&i| (&e.specs[i], e.heads[i].unwrap_or_default().1))
            .collect();
        let single = (lin.iter())
            .map_while(|(s, r)| match s.num[..] {
                [(base, c)] => Some((base, c, s.den, *r)),
                _ => None,
            })
            .collect();
        Lanes { of, lin, single }
    }

    /// Add to each lane's `ss` the square of a PSU's z times x (of its row
    /// of sums `v`) about the lane's mean `ms`.
    #[inline]
    fn add_squares(&self, v: &[f64], ms: &[f64], ss: &mut [f64]) {
        let ns = self.single.len();
        let (ss1, ss2) = ss.split_at_mut(ns);
        for ((t, m), &(a, c, den, r)) in ss1.iter_mut().zip(ms).zip(&self.single) {
            let d = c * v[a] - r * v[den] - m;
            *t += d * d;
        }
        for ((t, m), &(s, r)) in ss2.iter_mut().zip(&ms[ns..]).zip(&self.lin[ns..]) {
            let d = DomainSums::num(&s.num, v) - r * v[s.den] - m;
            *t += d * d;
        }
    }

    /// Lane `k`'s z times x of a PSU's row of sums `v`.
    fn z(&self, k: usize, v: &[f64]) -> f64 {
        let (s, r) = self.lin[k];
        DomainSums::num(&s.num, v) - r * v[s.den]
    }
}

/// An own estimate's variance from its parts, their squares scaled by the
/// denominator `x`.
fn own_variance(design: &Design, num: &DomainSums, parts: &[Part], x: f64) -> (f64, bool) {
    let scaled = (num.strata.iter().zip(parts)).map(|(&(h, _), p)| {
        (
            h,
            Part {
                ss: p.ss / (x * x),
                ..*p
            },
        )
    });
    design.combine(scaled)
}

impl<'a> Ctx<'a> {
    /// The context of estimates from `acc`: each domain's sums, worked out
    /// in parallel; and for each (national domain, base variable) in
    /// `national_dens`, the parts its strata give any share of it.
    pub fn new(
        acc: &'a Accumulated,
        design: Option<Design>,
        national_dens: &[(u32, usize)],
    ) -> Ctx<'a> {
        // Per block and weighting (`2·block + person`): its runs' sums, each
        // taken once however many domains the block serves.
        let run_sums: Vec<Vec<f64>> = (0..acc.blocks.len() * 2)
            .into_par_iter()
            .map(|i| run_sums(acc, &acc.blocks[i / 2], i % 2 == 1))
            .collect();
        let sums: Vec<DomainSums> = (0..acc.domains.len() * 2)
            .into_par_iter()
            .map(|i| {
                let blocks = (acc.dense[i / 2].iter()).map(|b| {
                    (
                        &acc.blocks[*b as usize],
                        &run_sums[*b as usize * 2 + i % 2][..],
                    )
                });
                DomainSums::of(blocks)
            })
            .collect();
        let mut ctx = Ctx {
            acc,
            design,
            sums,
            untouched: FxHashMap::default(),
        };
        if let Some(design) = &ctx.design {
            let keys: Vec<(u32, bool, usize)> = (national_dens.iter())
                .flat_map(|&(dom, base)| [(dom, false, base), (dom, true, base)])
                .collect();
            let parts: Vec<Vec<Part>> = (keys.par_iter())
                .map(|&(dom, person, base)| ctx.parts_of_x(design, dom, person, base))
                .collect();
            ctx.untouched = keys.into_iter().zip(parts).collect();
        }
        ctx
    }

    fn sums(&self, dom: u32, person: bool) -> &DomainSums {
        &self.sums[dom as usize * 2 + person as usize]
    }

    fn national(&self, year: i64) -> Option<u32> {
        self.acc
            .index
            .get(&(year, Level::Total, "VN".to_string()))
            .copied()
    }

    fn blocks(&self, dom: u32) -> impl Iterator<Item = &Block> {
        self.acc.dense[dom as usize]
            .iter()
            .map(|b| &self.acc.blocks[*b as usize])
    }

    /// The domain of an estimate's denominator.
    fn den_domain(&self, s: &Spec, dom: u32) -> Option<u32> {
        match s.den_national {
            true => self.national(self.acc.domains[dom as usize].0),
            false => Some(dom),
        }
    }

    /// A block's runs of PSUs by stratum, as (the domain's place for the
    /// stratum, rows).
    fn runs(sums: &DomainSums, b: &Block) -> Vec<(usize, std::ops::Range<usize>)> {
        let mut at = 0;
        (b.runs.iter())
            .map(|&(h, len)| {
                at += len as usize;
                (sums.local[&h] as usize, at - len as usize..at)
            })
            .collect()
    }

    /// Each stratum's part of `dom` in an estimate of a share `y/x` with
    /// `y = 0` throughout, scaled to `r/x = −1`: z is then `x` itself.
    /// A share of the nation whose numerator has no PSU in a stratum gets
    /// that stratum's part times `(r/x)²`.
    fn parts_of_x(&self, design: &Design, dom: u32, person: bool, base: usize) -> Vec<Part> {
        let sums = self.sums(dom, person);
        let w = sums.width();
        let mut parts: Vec<Part> = (sums.strata.iter().enumerate())
            .map(|(l, &(h, present))| Part {
                mean: mean_z(design, h, sums.by_stratum[l * w + base], 0.0, 0.0, 1.0),
                present,
                ..Part::default()
            })
            .collect();
        for b in self.blocks(dom) {
            for (l, rows) in Self::runs(sums, b) {
                let p = &mut parts[l];
                for i in rows {
                    let x = self.acc.row(b, i, person)[base];
                    p.ss += (x - p.mean) * (x - p.mean);
                    p.nonzero |= x != 0.0;
                }
            }
        }
        parts
    }

    /// Every estimate of `specs` in domain `dom`, with its variance for
    /// samples. Ratios come from the domain totals and each stratum's mean
    /// z from the stratum sums; the squares then take one pass over the
    /// domain's PSUs, each PSU's row of sums (in cache) serving every
    /// estimate.
    pub fn compute_all(
        &self,
        specs: &[Spec],
        dom: u32,
        person: bool,
        sc: &mut Scratch,
    ) -> Vec<Option<Computed>> {
        let heads = self.heads(specs, dom, person);
        let Some(design) = &self.design else {
            return (heads.iter())
                .map(|h| h.map(|(_, r, x)| (r, x, None)))
                .collect();
        };
        let e = Estimates {
            specs,
            own: self.own(&heads, dom),
            heads,
            dom,
            person,
        };
        let num = self.sums(dom, person);
        let mut parts = e.own_parts(design, num);
        self.add_squares(design, &e, &mut parts);
        let strata = num.strata.len();
        (0..specs.len())
            .map(|i| {
                let (den_dom, r, x) = e.heads[i]?;
                let var = if e.own.binary_search(&i).is_ok() {
                    own_variance(design, num, &parts[i * strata..(i + 1) * strata], x)
                } else {
                    self.share_variance(design, &specs[i], dom, den_dom, person, r, x, sc)
                };
                Some((r, x, Some(var)))
            })
            .collect()
    }

    /// Each estimate's head: its denominator domain, ratio and
    /// denominator (None: undefined).
    fn heads(&self, specs: &[Spec], dom: u32, person: bool) -> Vec<Option<Head>> {
        let num = self.sums(dom, person);
        (specs.iter())
            .map(|s| {
                let den_dom = self.den_domain(s, dom)?;
                let y = DomainSums::num(&s.num, &num.totals);
                let x = self.sums(den_dom, person).totals[s.den];
                (x != 0.0).then(|| (den_dom, y / x, x))
            })
            .collect()
    }

    /// The defined estimates whose denominator has the PSUs of `dom`
    /// itself (all but shares of a wider domain), in order.
    fn own(&self, heads: &[Option<Head>], dom: u32) -> Vec<usize> {
        let dense = &self.acc.dense;
        (0..heads.len())
            .filter(|i| heads[*i].is_some_and(|(d, _, _)| dense[d as usize] == dense[dom as usize]))
            .collect()
    }

    /// Each own estimate's squares about its stratum means, added to
    /// `parts` (per estimate, a part per stratum of the domain) in one pass
    /// over the domain's PSUs; in a stratum with a lonely PSU, whether any
    /// z there is non-zero.
    fn add_squares(&self, design: &Design, e: &Estimates, parts: &mut [Part]) {
        let num = self.sums(e.dom, e.person);
        let strata = num.strata.len();
        let lonely: Vec<bool> = (num.strata.iter())
            .map(|(h, _)| design.stratum_psus[*h as usize] < 2)
            .collect();
        let lanes = Lanes::new(e);
        let (mut ms, mut ss) = (vec![0.0; lanes.of.len()], vec![0.0; lanes.of.len()]);
        for b in self.blocks(e.dom) {
            for (l, rows) in Self::runs(num, b) {
                for (m, &i) in ms.iter_mut().zip(&lanes.of) {
                    *m = parts[i * strata + l].mean * e.heads[i].unwrap_or_default().2;
                }
                ss.fill(0.0);
                for p in rows.clone() {
                    lanes.add_squares(self.acc.row(b, p, e.person), &ms, &mut ss);
                }
                for (k, &i) in lanes.of.iter().enumerate() {
                    let p = &mut parts[i * strata + l];
                    p.ss += ss[k];
                    if lonely[l] {
                        p.nonzero |=
                            (rows.clone()).any(|q| lanes.z(k, self.acc.row(b, q, e.person)) != 0.0);
                    }
                }
            }
        }
    }

    /// The variance of a share `y/x` of a wider domain (a group's share of
    /// its nation): strata where the group has PSUs take a pass over the
    /// wider domain's PSUs there; the others, where z is `−r/x` times the
    /// denominator, their precomputed part scaled.
    #[allow(clippy::too_many_arguments)]
    fn share_variance(
        &self,
        design: &Design,
        s: &Spec,
        dom: u32,
        den_dom: u32,
        person: bool,
        r: f64,
        x: f64,
        sc: &mut Scratch,
    ) -> (f64, bool) {
        let (num, den) = (self.sums(dom, person), self.sums(den_dom, person));
        let w = den.width();
        // The numerator by PSU id.
        sc.by_psu.resize(self.acc.psu_stratum.len(), 0.0);
        for b in self.blocks(dom) {
            for (i, p) in b.psus.iter().enumerate() {
                sc.by_psu[*p as usize] = DomainSums::num(&s.num, self.acc.row(b, i, person));
            }
        }
        let mut parts: Vec<Part> = (den.strata.iter().enumerate())
            .map(|(l, &(h, present))| {
                let yh = num.stratum(h).map_or(0.0, |v| DomainSums::num(&s.num, v));
                Part {
                    mean: mean_z(design, h, yh, den.by_stratum[l * w + s.den], r, x),
                    present,
                    ..Part::default()
                }
            })
            .collect();
        for b in self.blocks(den_dom) {
            for (l, rows) in Self::runs(den, b) {
                if num.local.contains_key(&den.strata[l].0) {
                    let p = &mut parts[l];
                    let m = p.mean * x;
                    for i in rows {
                        let z = sc.by_psu[b.psus[i] as usize];
                        let e = z - r * self.acc.row(b, i, person)[s.den];
                        p.ss += (e - m) * (e - m);
                        p.nonzero |= e != 0.0;
                    }
                }
            }
        }
        for p in self.blocks(dom).flat_map(|b| &b.psus) {
            sc.by_psu[*p as usize] = 0.0;
        }
        let scale = r / x;
        let untouched = &self.untouched[&(den_dom, person, s.den)];
        let all = (den.strata.iter().enumerate()).map(|(l, &(h, _))| {
            let p = match num.local.contains_key(&h) {
                true => Part {
                    ss: parts[l].ss / (x * x),
                    ..parts[l]
                },
                false => Part {
                    ss: scale * scale * untouched[l].ss,
                    mean: -scale * untouched[l].mean,
                    present: untouched[l].present,
                    nonzero: untouched[l].nonzero && r != 0.0,
                },
            };
            (h, p)
        });
        design.combine(all)
    }

    /// One estimate with its z values by PSU id (sorted), for differences.
    pub fn linearise(&self, s: &Spec, dom: u32, person: bool) -> Option<Linear> {
        let den_dom = self.den_domain(s, dom)?;
        let y = DomainSums::num(&s.num, &self.sums(dom, person).totals);
        let x = self.sums(den_dom, person).totals[s.den];
        if x == 0.0 {
            return None;
        }
        let r = y / x;
        // The numerator per PSU of its domain, and the denominator per PSU
        // of its own (which holds the numerator's PSUs), each by id.
        let mut ys: Vec<(u32, f64)> = (self.blocks(dom))
            .flat_map(|b| {
                (b.psus.iter().enumerate())
                    .map(move |(i, p)| (*p, DomainSums::num(&s.num, self.acc.row(b, i, person))))
            })
            .collect();
        ys.sort_unstable_by_key(|(p, _)| *p);
        let mut z: Vec<(u32, f64)> = (self.blocks(den_dom))
            .flat_map(|b| {
                (b.psus.iter().enumerate())
                    .map(move |(i, p)| (*p, self.acc.row(b, i, person)[s.den]))
            })
            .collect();
        z.sort_unstable_by_key(|(p, _)| *p);
        let mut ys = ys.into_iter().peekable();
        for (p, v) in z.iter_mut() {
            let yp = ys.next_if(|(q, _)| q == p).map_or(0.0, |(_, y)| y);
            *v = (yp - r * *v) / x;
        }
        Some(Linear {
            value: r,
            weight_sum: x,
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
