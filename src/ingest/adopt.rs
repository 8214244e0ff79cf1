//! The end of an ingest whose input came in key order (`direct`): without a
//! surprise, the staged files become the dataset, and what the merge would
//! have settled last is settled here (members whose household was not
//! accepted, rejected members, copies among rejected households); with
//! one, the staged rows become the first runs of the merge (`write`).

use super::direct::{Shared, Written};
use super::spill::{output_schema, union_of, Run};
use super::staging::{join_staged, member_schema, publish};
use super::stream::{Ingestor, Loc};
use super::write::{finish_rejected, household_problem, Fate};
use super::YearCount;
use crate::error::Result;
use arrow_schema::{Schema, SchemaRef};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// The staged files of both passes, kept (with their folders) until the
/// dataset is written.
pub struct Staged {
    pub households: Option<Written>,
    pub members: Option<Written>,
}

/// The schema the merge would write a table's rows with: the union of the
/// staged rows' and the pass's runs' columns, without the locations (and,
/// for households, without a known kept column no accepted row fills).
fn merged_schema(ing: &Ingestor, w: &Written, runs: &[Run], members: bool) -> SchemaRef {
    let schemas = w.run_schema.iter().chain(runs.iter().map(|r| r.schema()));
    let schema = output_schema(&union_of(schemas));
    match members {
        true => member_schema(&schema),
        false => Arc::new(Schema::new(
            (schema.fields().iter())
                .filter(|f| !ing.unfilled(f.name()))
                .cloned()
                .collect::<Vec<_>>(),
        )),
    }
}

/// Whether a table's staged files hold every accepted row of the pass, in
/// the schema the merge would give them.
fn whole(ing: &Ingestor, w: &Written, runs: &[Run], members: bool) -> bool {
    let rows_elsewhere = runs.iter().any(|r| !r.is_empty());
    let written = w.out.as_ref().map(|o| o.schema(members));
    !rows_elsewhere
        && match written {
            None => true,
            Some(s) => merged_schema(ing, w, runs, members).fields() == s.fields(),
        }
}

/// The staged files as the dataset, when nothing surprised the writers;
/// `None`: their rows are left as runs for the merge.
pub fn adopt(
    ing: &mut Ingestor,
    shared: &Shared,
    staged: &mut Staged,
    root: &Path,
) -> Result<Option<Vec<YearCount>>> {
    let (Some(hh), Some(mem)) = (staged.households.as_mut(), staged.members.as_mut()) else {
        return Ok(None);
    };
    let hh_runs = std::mem::take(&mut ing.household_runs);
    let mem_runs = std::mem::take(&mut ing.member_runs);
    let whole =
        !shared.surprised() && whole(ing, hh, &hh_runs, false) && whole(ing, mem, &mem_runs, true);
    if !whole {
        // The staged rows go first, as the in-order prefix would have.
        ing.household_runs = hh.take_runs().into_iter().chain(hh_runs).collect();
        ing.member_runs = mem.take_runs().into_iter().chain(mem_runs).collect();
        return Ok(None);
    }
    crate::files::create_dir_all(root)?;
    let mem_schema = merged_schema(ing, mem, &mem_runs, true);
    let from = ing.member_tables_from;
    let shift = |l: Loc| Loc {
        table: l.table + from,
        row: l.row,
    };
    for (loc, key) in std::mem::take(&mut mem.orphan_keys) {
        let fate = (ing.rejected_households.get(&key)).map(|l| Fate::SetAside(l[0]));
        let problem = household_problem(ing, &key, fate);
        ing.unaccept(shift(loc));
        ing.reject(shift(loc), vec![problem]);
    }
    let wanted = std::mem::take(&mut mem.wanted);
    finish_rejected(ing, &HashSet::new(), |k| {
        wanted.get(k).copied().flatten().map(Fate::Accepted)
    });
    let Some(out) = hh.out.as_mut() else {
        return Ok(Some(Vec::new()));
    };
    join_staged(out, mem.out.as_mut(), mem_schema)?;
    Ok(Some(publish(out)?))
}
