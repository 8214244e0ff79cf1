// placeholder: the lead takes i22-template's version at merge
//! The rejected rows (the quarantine) as a workbook, to fix in Excel.

use crate::i18n::Lang;
use std::path::Path;

/// Copy the quarantine CSV's rows into one sheet of `out`; the rows written.
pub fn write_rejected_xlsx(quarantine_csv: &Path, out: &Path, lang: Lang) -> anyhow::Result<usize> {
    let _ = lang;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("quarantine")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(quarantine_csv)?;
    let mut rows = 0usize;
    for (r, rec) in reader.records().enumerate() {
        let rec = rec?;
        for (c, v) in rec.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, v)?;
        }
        rows = r;
    }
    book.save(out)?;
    Ok(rows)
}
