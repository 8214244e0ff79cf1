//! The synthetic country: how many households each province, district and
//! commune holds, laid out as one numbered list of households so that any
//! household can be generated on its own from its index.
//!
//! Households are allocated to the 63 provinces in proportion to their 2019
//! census population over the region's mean household size
//! (`data/synth/provinces.csv`), split urban/rural by the census urban share,
//! then into districts (GSO-style 3-digit codes from the province's own
//! range) and communes (5-digit codes numbered in order). A province's first
//! districts are its urban ones (wards); each rural district has a town. The
//! layout depends on the number of households only, never on the seed, so
//! two seeds give two populations of the same geography.

use super::people::region_mean_size;
use super::rng::Rng;
use crate::error::{Error, Result};

const PROVINCES_CSV: &str = include_str!("../../data/synth/provinces.csv");

/// Vietnam has about 10,600 communes; above this many households per
/// commune on average, communes get bigger rather than more numerous.
pub const MAX_COMMUNES: u64 = 10_600;
/// Smallest average commune (a cluster of a few hundred households).
pub const MIN_COMMUNE_SIZE: u64 = 300;
/// Key of the layout's random stream: fixed, so the layout ignores the seed.
const LAYOUT_KEY: u64 = 0x6c61_796f_7574;

#[derive(Debug, Clone)]
pub struct ProvinceInfo {
    pub code: &'static str,
    /// Index into the six regions, in `data/geo/regions.csv` order.
    pub region: usize,
    pub population: u64,
    pub urban_share: f64,
    pub district_codes: Vec<u16>,
}

#[derive(Debug, Clone)]
pub struct Commune {
    pub code: u32,
    pub district: u16,
    /// Index into `Frame::provinces`.
    pub province: usize,
    pub urban: bool,
    /// Index of the commune's first household in the national list.
    pub start: u64,
    pub len: u64,
}

#[derive(Debug, Clone)]
pub struct Frame {
    pub provinces: Vec<ProvinceInfo>,
    pub communes: Vec<Commune>,
    /// Each commune's real district and commune codes (`units::place`).
    pub real: Vec<super::units::Real>,
    pub households: u64,
}

pub const REGIONS: [&str; 6] = ["RRD", "NMM", "NCC", "CH", "SE", "MRD"];

/// The provinces of the bundled data file, with their regions. The file is
/// part of the build: a parse failure is a packaging bug the tests catch.
pub fn provinces() -> Result<Vec<ProvinceInfo>> {
    let geo = crate::geo::geography();
    let mut out = Vec::new();
    let mut rd = csv::Reader::from_reader(PROVINCES_CSV.as_bytes());
    for rec in rd.records() {
        let r = rec.map_err(|e| Error::Usage(format!("data/synth/provinces.csv: {e}")))?;
        let bad =
            |what: &str| Error::Usage(format!("data/synth/provinces.csv: bad {what} in {r:?}"));
        let code = geo
            .provinces
            .keys()
            .find(|k| *k == &r[0])
            .ok_or_else(|| bad("province code"))?;
        // The geography lives for the whole program, so its codes can be borrowed forever.
        let code: &'static str = &geo.provinces[code].code;
        let region_code = &geo.provinces[code].region;
        let region = REGIONS
            .iter()
            .position(|x| x == region_code)
            .ok_or_else(|| bad("region"))?;
        let population: u64 = r[1].parse().map_err(|_| bad("population"))?;
        let urban_share = r[2].parse::<f64>().map_err(|_| bad("urban share"))? / 100.0;
        let districts: usize = r[3].parse().map_err(|_| bad("district count"))?;
        let district_codes = expand_ranges(&r[4]).ok_or_else(|| bad("district codes"))?;
        if district_codes.len() != districts {
            return Err(bad("district code count"));
        }
        out.push(ProvinceInfo {
            code,
            region,
            population,
            urban_share,
            district_codes,
        });
    }
    if out.len() != 63 {
        return Err(Error::Usage(format!(
            "data/synth/provinces.csv has {} provinces, expected 63",
            out.len()
        )));
    }
    Ok(out)
}

/// "001-009;016" → [1, …, 9, 16].
fn expand_ranges(s: &str) -> Option<Vec<u16>> {
    let mut out = Vec::new();
    for part in s.split(';') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u16, u16) = (a.parse().ok()?, b.parse().ok()?);
                out.extend(a..=b);
            }
            None => out.push(part.parse().ok()?),
        }
    }
    Some(out)
}

/// Split `total` into parts proportional to `weights` (largest remainder;
/// ties to the earlier part), so the parts always sum to `total`.
pub fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut parts: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut left = total - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

/// Random weights around 1 (0.5–1.5) for `n` parts: districts and communes
/// are not all the same size.
fn uneven(rng: &mut Rng, n: usize) -> Vec<f64> {
    (0..n).map(|_| 0.5 + rng.f64()).collect()
}

impl Frame {
    /// Lay out `households` households over the country.
    pub fn build(households: u64) -> Result<Frame> {
        let provinces = provinces()?;
        let weights: Vec<f64> = provinces
            .iter()
            .map(|p| p.population as f64 / region_mean_size(p.region))
            .collect();
        let per_province = apportion(households, &weights);
        let commune_size = (households / MAX_COMMUNES).max(MIN_COMMUNE_SIZE) as f64;
        let mut rng = Rng::new(LAYOUT_KEY, households, 0);
        // (province, district, urban, households) in national order.
        let mut specs: Vec<(usize, u16, bool, u64)> = Vec::new();
        for (pi, p) in provinces.iter().enumerate() {
            let h = per_province[pi];
            let urban = (h as f64 * p.urban_share).round() as u64;
            let rural = h - urban;
            let d = p.district_codes.len();
            // The first k districts are urban (the provincial city, towns
            // with district status); the rest are rural, each with a town.
            let k = if urban == 0 {
                0
            } else if rural == 0 {
                d
            } else {
                ((d as f64 * p.urban_share).round() as usize).clamp(1, d - 1)
            };
            let towns = if k < d {
                (0.04 * (d - k) as f64).min(0.3)
            } else {
                0.0
            };
            let town_households = (urban as f64 * towns).round() as u64;
            let ward_households = apportion(urban - town_households, &uneven(&mut rng, k));
            let town_split = apportion(town_households, &vec![1.0; d - k]);
            let rural_split = apportion(rural, &uneven(&mut rng, d - k));
            for (di, &dc) in p.district_codes.iter().enumerate() {
                let parts: [(bool, u64); 2] = if di < k {
                    [(true, ward_households[di]), (false, 0)]
                } else {
                    [(true, town_split[di - k]), (false, rural_split[di - k])]
                };
                for (is_urban, n) in parts {
                    if n == 0 {
                        continue;
                    }
                    let count = ((n as f64 / commune_size).round() as u64).clamp(1, n) as usize;
                    for len in apportion(n, &uneven(&mut rng, count)) {
                        if len > 0 {
                            specs.push((pi, dc, is_urban, len));
                        }
                    }
                }
            }
        }
        // A sample design needs two PSUs in every stratum (province × area)
        // that has two households: split a stratum's only commune in two.
        let mut per_stratum = std::collections::HashMap::new();
        for s in &specs {
            *per_stratum.entry((s.0, s.2)).or_insert(0usize) += 1;
        }
        let mut split = Vec::with_capacity(specs.len() + 126);
        for s in specs {
            if per_stratum[&(s.0, s.2)] == 1 && s.3 >= 2 {
                split.push((s.0, s.1, s.2, s.3 / 2));
                split.push((s.0, s.1, s.2, s.3 - s.3 / 2));
            } else {
                split.push(s);
            }
        }
        let mut communes = Vec::with_capacity(split.len());
        let mut start = 0u64;
        for (i, (province, district, urban, len)) in split.into_iter().enumerate() {
            communes.push(Commune {
                code: i as u32 + 1,
                district,
                province,
                urban,
                start,
                len,
            });
            start += len;
        }
        debug_assert_eq!(start, households);
        let real = super::units::place(&provinces, &communes);
        Ok(Frame {
            provinces,
            communes,
            real,
            households,
        })
    }

    /// The commune holding household `index` (binary search; communes are in
    /// household order).
    pub fn commune_of(&self, index: u64) -> usize {
        self.communes.partition_point(|c| c.start + c.len <= index)
    }

    /// Indices of the communes of one stratum (province × area), in order.
    pub fn stratum(&self, province: usize, urban: bool) -> Vec<usize> {
        self.communes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.province == province && c.urban == urban)
            .map(|(i, _)| i)
            .collect()
    }

    /// The household index range of each province (communes are in
    /// province order, so a province's households are contiguous).
    pub fn province_range(&self, province: usize) -> (u64, u64) {
        let first = self.communes.iter().find(|c| c.province == province);
        let last = self.communes.iter().rev().find(|c| c.province == province);
        match (first, last) {
            (Some(a), Some(z)) => (a.start, z.start + z.len),
            _ => (0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_has_63_provinces_with_unique_district_codes() {
        let p = provinces().unwrap();
        assert_eq!(p.len(), 63);
        let mut codes: Vec<u16> = p.iter().flat_map(|p| p.district_codes.clone()).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "a district code is used twice");
        assert_eq!(p.iter().map(|p| p.population).sum::<u64>(), 96_208_984);
    }

    #[test]
    fn apportion_sums_to_the_total() {
        assert_eq!(apportion(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(apportion(0, &[1.0, 2.0]), vec![0, 0]);
        assert_eq!(apportion(7, &[]), Vec::<u64>::new());
        assert_eq!(apportion(100, &[0.2, 0.8]).iter().sum::<u64>(), 100);
    }

    #[test]
    fn layout_covers_every_household_once_with_nested_codes() {
        for n in [1_000u64, 200_000] {
            let f = Frame::build(n).unwrap();
            let mut next = 0;
            for c in &f.communes {
                assert_eq!(c.start, next);
                assert!(c.len > 0);
                next += c.len;
                assert!(f.provinces[c.province].district_codes.contains(&c.district));
                assert!(c.code < 100_000);
            }
            assert_eq!(next, n);
            assert_eq!(f.commune_of(0), 0);
            assert_eq!(f.commune_of(n - 1), f.communes.len() - 1);
            // Every stratum with two households has two communes.
            for p in 0..63 {
                for u in [false, true] {
                    let s = f.stratum(p, u);
                    let hh: u64 = s.iter().map(|&i| f.communes[i].len).sum();
                    assert!(
                        hh < 2 || s.len() >= 2,
                        "province {p} urban {u}: {hh} in {}",
                        s.len()
                    );
                }
            }
        }
        let f = Frame::build(1_000_000).unwrap();
        let avg = 1_000_000 / f.communes.len() as u64;
        assert!((200..=500).contains(&avg), "{avg}");
    }
}
