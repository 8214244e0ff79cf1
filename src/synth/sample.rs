//! `--sample`: a stratified two-stage sample of the synthetic country, the
//! way household surveys such as the VHLSS are drawn. Strata are province ×
//! urban/rural; in each, communes (the PSUs) are drawn with probability
//! proportional to size by systematic sampling (communes too big for the
//! interval are taken with certainty), then a fixed number of households by
//! simple random sampling within each drawn commune. A household's weight is
//! the inverse of its inclusion probability, so the weights of a stratum add
//! up to its number of households exactly.

use super::frame::Frame;
use super::rng::Rng;
use crate::error::{Error, Result};

/// Households drawn per commune, as in the VHLSS (about 15–20 per area).
pub const TAKE_PER_PSU: u64 = 20;
const SAMPLE_STREAM: u64 = 0x7361_6d70_6c65;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SampleSpec {
    /// A fraction of all households (0 < f < 1).
    Fraction(f64),
    /// A number of households.
    Count(u64),
}

impl std::str::FromStr for SampleSpec {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || {
            format!(
                "`{s}`: give a fraction between 0 and 1 (0.01) or a number of households (20000)"
            )
        };
        if s.contains('.') {
            let f: f64 = s.parse().map_err(|_| bad())?;
            if f > 0.0 && f < 1.0 {
                return Ok(SampleSpec::Fraction(f));
            }
            return Err(bad());
        }
        match s.parse::<u64>() {
            Ok(n) if n > 0 => Ok(SampleSpec::Count(n)),
            _ => Err(bad()),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// Household indices drawn, ascending.
    pub selected: Vec<u64>,
    /// Design weight of the households drawn in each commune (0: not drawn).
    pub weight: Vec<f64>,
    pub psus: usize,
    pub strata: usize,
}

/// Knuth's selection sampling: `take` of `0..n`, ascending.
fn srs(rng: &mut Rng, n: u64, take: u64, out: &mut Vec<u64>) {
    let mut need = take.min(n);
    for i in 0..n {
        if need == 0 {
            break;
        }
        if (rng.f64() * (n - i) as f64) < need as f64 {
            out.push(i);
            need -= 1;
        }
    }
}

pub fn draw(frame: &Frame, spec: SampleSpec, seed: u64) -> Result<Sample> {
    let total = frame.households;
    let mut weight = vec![0.0; frame.communes.len()];
    let mut chosen: Vec<(usize, u64)> = Vec::new(); // (commune, take)
    let (mut psus, mut strata) = (0, 0);
    for p in 0..frame.provinces.len() {
        for urban in [false, true] {
            let communes = frame.stratum(p, urban);
            if communes.is_empty() {
                continue;
            }
            strata += 1;
            let size = |i: usize| frame.communes[i].len;
            let h: u64 = communes.iter().map(|&i| size(i)).sum();
            let n = match spec {
                SampleSpec::Fraction(f) => (f * h as f64).round() as u64,
                SampleSpec::Count(n) => (n as f64 * h as f64 / total as f64).round() as u64,
            }
            .max(2)
            .min(h);
            let m = (n.div_ceil(TAKE_PER_PSU)).max(2).min(communes.len() as u64);
            let k = n.div_ceil(m);
            let mut rng = Rng::new(seed, (p as u64) << 1 | urban as u64, SAMPLE_STREAM);
            // First stage: certainty communes, then systematic PPS of the rest.
            let mut certain = Vec::new();
            let mut rest = communes.clone();
            let mut m_rest = m;
            loop {
                if m_rest == 0 || rest.is_empty() {
                    break;
                }
                let tot: u64 = rest.iter().map(|&i| size(i)).sum();
                let step = tot as f64 / m_rest as f64;
                let (big, small): (Vec<usize>, Vec<usize>) =
                    rest.iter().partition(|&&i| size(i) as f64 >= step);
                if big.is_empty() {
                    break;
                }
                m_rest = m_rest.saturating_sub(big.len() as u64);
                certain.extend(big);
                rest = small;
            }
            let mut first: Vec<(usize, f64)> = certain.iter().map(|&i| (i, 1.0)).collect();
            if m_rest > 0 && !rest.is_empty() {
                let tot: u64 = rest.iter().map(|&i| size(i)).sum();
                let step = tot as f64 / m_rest as f64;
                let start = rng.f64() * step;
                let mut j = 0u64;
                let mut cum = 0u64;
                for (pos, &i) in rest.iter().enumerate() {
                    cum += size(i);
                    // Every commune is smaller than the interval: at most one
                    // point falls in it. The last commune takes a point that
                    // rounding pushed past the end.
                    let point = start + j as f64 * step;
                    if j < m_rest && (point < cum as f64 || pos == rest.len() - 1) {
                        first.push((i, m_rest as f64 * size(i) as f64 / tot as f64));
                        j += 1;
                    }
                }
            }
            first.sort_by_key(|x| x.0);
            for (i, pi1) in first {
                let take = k.min(size(i));
                weight[i] = size(i) as f64 / (pi1 * take as f64);
                chosen.push((i, take));
                psus += 1;
            }
        }
    }
    chosen.sort_by_key(|x| x.0);
    let mut selected = Vec::new();
    let mut offsets = Vec::new();
    for (i, take) in chosen {
        let c = &frame.communes[i];
        let mut rng = Rng::new(seed, c.code as u64, SAMPLE_STREAM + 1);
        offsets.clear();
        srs(&mut rng, c.len, take, &mut offsets);
        selected.extend(offsets.iter().map(|o| c.start + o));
    }
    if selected.is_empty() {
        return Err(Error::Usage(
            "the sample is empty: ask for more households".into(),
        ));
    }
    Ok(Sample {
        selected,
        weight,
        psus,
        strata,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_add_up_to_each_stratum_and_every_stratum_has_two_psus() {
        let f = Frame::build(300_000).unwrap();
        let s = draw(&f, SampleSpec::Fraction(0.01), 9).unwrap();
        assert!(s.selected.windows(2).all(|w| w[0] < w[1]));
        for p in 0..63 {
            for urban in [false, true] {
                let communes = f.stratum(p, urban);
                if communes.is_empty() {
                    continue;
                }
                let pop: u64 = communes.iter().map(|&i| f.communes[i].len).sum();
                let mut sum = 0.0;
                let mut psus = 0;
                for &i in &communes {
                    let c = &f.communes[i];
                    let n = s
                        .selected
                        .iter()
                        .filter(|&&g| g >= c.start && g < c.start + c.len)
                        .count();
                    if n > 0 {
                        psus += 1;
                        sum += n as f64 * s.weight[i];
                    }
                }
                assert!(
                    (sum - pop as f64).abs() < 1e-6 * pop as f64,
                    "{p} {urban}: {sum} vs {pop}"
                );
                assert!(psus >= 2, "{p} {urban}: {psus} PSUs");
            }
        }
        let n = s.selected.len() as f64;
        assert!((n / 3000.0 - 1.0).abs() < 0.15, "{n}");
    }

    #[test]
    fn sample_specs_parse() {
        assert_eq!("0.01".parse::<SampleSpec>(), Ok(SampleSpec::Fraction(0.01)));
        assert_eq!("20000".parse::<SampleSpec>(), Ok(SampleSpec::Count(20000)));
        assert!("1.5".parse::<SampleSpec>().is_err());
        assert!("0".parse::<SampleSpec>().is_err());
    }
}
