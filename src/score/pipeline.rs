//! A survey year on disk scored as a three-stage pipeline: one thread
//! decodes the next slice, the thread pool scores the current one, one
//! thread writes the one before, its columns encoded side by side on the
//! pool ([`ParallelWriter`]). Overlapped with scoring they no longer add up.
//! Channels keep the slices in order, so the file is byte-for-byte the one
//! slice-after-slice scoring writes.

use super::slices::{concat, Slices};
use crate::dataset::ParallelWriter;
use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use std::io::Write;
use std::sync::mpsc::sync_channel;

/// Score every slice with `score` and write the results to `w` as one
/// Parquet file, calling `each` on every scored batch (in order) first.
pub fn score_to<W: Write + Send>(
    w: W,
    mut slices: Slices,
    score: impl Fn(&RecordBatch, &RecordBatch) -> Result<RecordBatch> + Sync,
    mut each: impl FnMut(&RecordBatch) -> Result<()> + Send,
) -> Result<()> {
    // An empty year still gets a file with the scored columns.
    let empty = (slices.empty_households(), slices.empty_members());
    let group = slices.group();
    std::thread::scope(|scope| {
        let (to_score, slices_in) = sync_channel::<Result<(RecordBatch, RecordBatch)>>(0);
        let (to_write, scored_in) = sync_channel::<RecordBatch>(0);
        scope.spawn(move || loop {
            let next = slices.next_slice().transpose();
            let last = !matches!(next, Some(Ok(_)));
            // A closed channel means scoring stopped (on an error): stop too.
            if let Some(item) = next {
                if to_score.send(item).is_err() {
                    break;
                }
            }
            if last {
                break;
            }
        });
        let writer = scope.spawn(move || -> Result<()> {
            let mut pw: Option<ParallelWriter<W>> = None;
            let mut w = Some(w);
            let mut put = |held: &mut Vec<RecordBatch>| -> Result<()> {
                let batch = concat(&held[0].schema(), std::mem::take(held))?;
                if pw.is_none() {
                    let out = w
                        .take()
                        .ok_or_else(|| Error::Usage("writer reused".into()))?;
                    pw = Some(ParallelWriter::try_new(out, batch.schema())?);
                }
                match &mut pw {
                    Some(pw) => pw.write(&batch),
                    None => Ok(()),
                }
            };
            // `group` slices at a time, then the rest: the batches slices
            // of `SLICE` households would have given.
            let mut held: Vec<RecordBatch> = Vec::with_capacity(group);
            for batch in scored_in {
                each(&batch)?;
                held.push(batch);
                if held.len() == group {
                    put(&mut held)?;
                }
            }
            if !held.is_empty() {
                put(&mut held)?;
            }
            match pw {
                Some(pw) => pw.close(),
                None => Err(Error::Usage("nothing was scored".into())),
            }
        });
        let scored = (|| -> Result<()> {
            let mut sent = false;
            for item in slices_in {
                let (hh, mem) = item?;
                // A closed channel means the writer failed: its error is reported below.
                if to_write.send(score(&hh, &mem)?).is_err() {
                    return Ok(());
                }
                sent = true;
            }
            if !sent {
                let _ = to_write.send(score(&empty.0, &empty.1)?);
            }
            Ok(())
        })();
        drop(to_write);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(Error::Usage("the writer thread panicked".into())));
        scored.and(written)
    })
}
