//! Validate and compile a standard: every problem in every file, each with
//! `file:line:col`, the way a compiler reports — not only the first.

use super::head::{parse_standard, Head};
use super::indicator_file::{parse_indicator, Parsed};
use super::raw;
use super::weights;
use super::*;
use crate::error::{Error, Result};
use crate::exact::rational::Ratio;
use std::collections::BTreeSet;
use std::path::Path;

/// One file of a standard, by display name.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// Load a standard from a folder (`standard.toml` and its indicator files).
pub fn load_dir(dir: &Path) -> Result<Standard> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            files.push(SourceFile {
                name: path.display().to_string(),
                text,
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    load_files(&dir.display().to_string(), &files)
}

pub(super) struct Problems(pub(super) Vec<String>);

impl Problems {
    pub(super) fn at(&mut self, file: &SourceFile, offset: usize, msg: impl AsRef<str>) {
        let (line, col) = expr::line_col(&file.text, offset);
        self.0
            .push(format!("{}:{line}:{col}: {}", file.name, msg.as_ref()));
    }
}

pub(super) fn file_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".toml").unwrap_or(base)
}

/// Load a standard from its files. `standard.toml` must be among them.
pub fn load_files(origin: &str, files: &[SourceFile]) -> Result<Standard> {
    let mut p = Problems(Vec::new());
    let Some(std_file) = files.iter().find(|f| file_stem(&f.name) == "standard") else {
        return Err(Error::Standard(vec![format!(
            "{origin}: no standard.toml; a standard folder needs one (see indicators/README.md)"
        )]));
    };
    let head = parse_standard(std_file, &mut p);

    // Every indicator file that parsed, even if a rule in it did not compile,
    // so that listing and weight problems are still reported in the same run.
    let mut parsed: Vec<Parsed> = Vec::new();
    for f in files.iter().filter(|f| file_stem(&f.name) != "standard") {
        if let Some(ind) = parse_indicator(f, &mut p) {
            if parsed.iter().any(|x| x.id == ind.id) {
                p.at(
                    f,
                    ind.offset,
                    format!("duplicate indicator id `{}` (also in another file)", ind.id),
                );
                continue;
            }
            parsed.push(ind);
        }
    }

    let Some(Head {
        mut st,
        listed,
        cutoff_at,
        indicators_at,
    }) = head
    else {
        return Err(Error::Standard(p.0));
    };
    // The order of `indicators = [...]` is the output order.
    let mut ordered = Vec::new();
    let mut weight_of: Vec<(String, Option<Ratio>)> = Vec::new();
    let mut consumed = BTreeSet::new();
    for (name, offset) in &listed {
        if !consumed.insert(name) {
            continue; // listed twice: reported by parse_standard
        }
        match parsed.iter().position(|i| &i.id == name) {
            Some(i) => {
                let x = parsed.swap_remove(i);
                if x.provisional && !st.provisional {
                    let (line, col) = place(files, &x);
                    p.0.push(format!(
                        "{}:{line}:{col}: indicator `{}` is provisional but the standard is not; \
                         set `provisional = true` in standard.toml too",
                        x.file, x.id
                    ));
                }
                weight_of.push((x.id.clone(), x.weight));
                ordered.extend(x.indicator);
            }
            None => p.at(
                std_file,
                *offset,
                format!("indicator `{name}` is listed but there is no {name}.toml beside standard.toml (or it could not be read)"),
            ),
        }
    }
    for extra in &parsed {
        let (line, col) = place(files, extra);
        p.0.push(format!(
            "{}:{line}:{col}: indicator `{}` has a file but is not listed in standard.toml `indicators`",
            extra.file, extra.id
        ));
    }
    let n = listed.len() as u32;
    if st.rule != ClassRule::Weighted && (st.cutoff == 0 || st.cutoff > n) && cutoff_at.is_some() {
        p.at(
            std_file,
            cutoff_at.unwrap_or(0),
            format!(
                "cutoff {} must be between 1 and the number of indicators ({n})",
                st.cutoff
            ),
        );
    }
    if weight_of.len() == consumed.len() {
        weights::check_sum(std_file, indicators_at, &weight_of, &mut p);
    }
    if !p.0.is_empty() {
        return Err(Error::Standard(p.0));
    }
    st.indicators = ordered;
    st.origin = origin.to_string();
    Ok(st)
}

/// Line and column of an indicator's id in its file.
fn place(files: &[SourceFile], x: &Parsed) -> (usize, usize) {
    files
        .iter()
        .find(|f| f.name == x.file)
        .map(|f| expr::line_col(&f.text, x.offset))
        .unwrap_or((1, 1))
}

/// Report every key of `f` that `allowed` does not name.
pub(super) fn report_keys(f: &SourceFile, allowed: &[(&str, &[&str])], p: &mut Problems) {
    for (offset, msg) in &raw::unknown_keys(&f.text, allowed) {
        p.at(f, *offset, msg);
    }
}

pub(super) fn deserialize<T: serde::de::DeserializeOwned>(
    f: &SourceFile,
    p: &mut Problems,
) -> Option<T> {
    match toml::from_str::<T>(&f.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            p.at(f, offset, e.message().trim());
            None
        }
    }
}
