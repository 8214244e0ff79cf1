//! Write the accepted rows of each survey year as a partition: households
//! sorted by id, members by household then member id, each member with its
//! household's row index. Staged in a sibling folder, then swapped in.

use super::build::{hh_index_column, TableBuilder};
use super::stream::Year;
use super::YearCount;
use crate::dataset;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Order for member ids: numbers numerically, then text.
fn natural_key(s: &str) -> (u8, u64, &str) {
    match s.parse::<u64>() {
        Ok(n) => (0, n, s),
        Err(_) => (1, 0, s),
    }
}

fn strings<'a>(b: &'a TableBuilder, name: &str) -> &'a [Option<String>] {
    b.strings(name).unwrap_or(&[])
}

pub fn write_years(years: &BTreeMap<i32, Year>, root: &Path) -> Result<Vec<YearCount>> {
    crate::fsx::create_dir_all(root)?;
    let mut counts = Vec::new();
    for (&y, yr) in years {
        let hh = &yr.households;
        if hh.len() == yr.households_dropped.len() {
            continue; // every household of the year was set aside
        }
        // Households sorted by id: the dataset does not depend on input row order.
        let ids = strings(hh, "household_id");
        let mut order: Vec<usize> = (0..hh.len())
            .filter(|i| !yr.households_dropped.contains(&(*i as u32)))
            .collect();
        order.sort_by(|&a, &b| ids[a].cmp(&ids[b]));
        let mut new_index = vec![u32::MAX; hh.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new as u32;
        }
        let m = &yr.members;
        let mids = strings(m, "member_id");
        let mut morder: Vec<usize> = (0..m.len())
            .filter(|i| !yr.members_dropped.contains(&(*i as u32)))
            .collect();
        let key = |i: usize| {
            (
                new_index[yr.member_hh[i] as usize],
                natural_key(mids[i].as_deref().unwrap_or("")),
            )
        };
        morder.sort_by(|&a, &b| key(a).cmp(&key(b)));
        let hh_idx: Vec<u32> = morder
            .iter()
            .map(|&i| new_index[yr.member_hh[i] as usize])
            .collect();

        let staged = root.join(format!(".staging-survey_year={y}-{}", std::process::id()));
        if staged.exists() {
            std::fs::remove_dir_all(&staged).map_err(|e| Error::io(&staged, e))?;
        }
        crate::fsx::create_dir_all(&staged)?;
        dataset::write_parquet(
            &staged.join(dataset::HOUSEHOLDS_FILE),
            &[hh.finish(&order, Vec::new())?],
        )?;
        dataset::write_parquet(
            &staged.join(dataset::MEMBERS_FILE),
            &[m.finish(&morder, vec![hh_index_column(hh_idx)])?],
        )?;
        crate::fsx::replace_dir(&staged, &dataset::year_dir(root, y))?;
        counts.push(YearCount {
            survey_year: y,
            households: order.len(),
            members: morder.len(),
        });
    }
    Ok(counts)
}
