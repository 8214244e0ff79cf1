//! The synthetic communes placed in GSO's real units: each laid-out
//! commune takes a real district and commune of its province from the
//! bundled list of 01/03/2025 (`data/geo/units63.csv`), a ward or town
//! (phường, thị trấn) for an urban one and a xã for a rural one where the
//! district has one, in turn; and, for years from 2025, the new commune
//! and provincial unit its area went to on 1 July 2025
//! (`data/geo/commune_crosswalk.csv`). A household of a split commune goes
//! to one of the commune's parts, the same in every year, chosen from its
//! number. No random draw: the layout's streams are unchanged.

use super::frame::{Commune, ProvinceInfo};
use crate::geo::{geography, CommuneLink};
use std::collections::HashMap;

/// A laid-out commune's real codes.
#[derive(Debug, Clone, Copy)]
pub struct Real {
    pub district: &'static str,
    pub commune: &'static str,
}

/// Real codes for every laid-out commune, in order.
pub fn place(provinces: &[ProvinceInfo], communes: &[Commune]) -> Vec<Real> {
    let geo = geography();
    let mut districts_of: HashMap<&str, Vec<&'static str>> = HashMap::new();
    for d in geo.units.districts.values() {
        districts_of
            .entry(d.province.as_str())
            .or_default()
            .push(d.code.as_str());
    }
    // (district, urban) → its communes of that kind (all, where none is).
    let mut communes_of: HashMap<(&str, bool), Vec<&'static str>> = HashMap::new();
    for c in geo.units.communes.values() {
        let urban = c.name.starts_with("Phường") || c.name.starts_with("Thị trấn");
        communes_of
            .entry((c.district.as_str(), urban))
            .or_default()
            .push(c.code.as_str());
    }
    let mut turn: HashMap<(&str, bool), usize> = HashMap::new();
    (communes.iter())
        .map(|c| {
            let p = provinces[c.province].code;
            let own = format!("{:03}", c.district);
            let district: &'static str = match geo.district(&own) {
                Some(d) if d.province == p => d.code.as_str(),
                _ => {
                    let list = &districts_of[p];
                    list[c.district as usize % list.len()]
                }
            };
            let key = if communes_of.contains_key(&(district, c.urban)) {
                (district, c.urban)
            } else {
                (district, !c.urban)
            };
            let list = &communes_of[&key];
            let t = turn.entry(key).or_default();
            let commune = list[*t % list.len()];
            *t += 1;
            Real { district, commune }
        })
        .collect()
}

/// The commune and provincial unit, from 1 July 2025, of a household of
/// former commune `commune`, numbered `seq` in it; `None` when the
/// crosswalk has no link (never for a commune of the list).
pub fn after_reform(commune: &str, seq: u64) -> Option<(&'static str, &'static str)> {
    let geo = geography();
    let links: &'static [CommuneLink] = geo.commune_links(commune);
    if links.is_empty() {
        return None;
    }
    let link = &links[(seq % links.len() as u64) as usize];
    let new = geo.commune_2025(&link.new_code)?;
    Some((new.code.as_str(), new.province.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::frame::Frame;

    #[test]
    fn every_laid_out_commune_is_a_real_one_of_its_province() {
        let f = Frame::build(50_000).unwrap();
        let real = place(&f.provinces, &f.communes);
        let geo = geography();
        for (c, r) in f.communes.iter().zip(&real) {
            let commune = geo.commune(r.commune).unwrap();
            assert_eq!(commune.district, r.district);
            assert_eq!(commune.province, f.provinces[c.province].code);
            let (new, unit) = after_reform(r.commune, 3).unwrap();
            assert_eq!(geo.commune_2025(new).unwrap().province, unit);
        }
    }
}
