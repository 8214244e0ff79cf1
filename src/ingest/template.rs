// placeholder: the lead takes i22-template's version at merge
//! The Excel input template: a `households` and a `members` sheet with the
//! contract's column names as headers, ready to fill in.

use crate::i18n::Lang;
use crate::schema::{ColumnSpec, HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};
use std::path::Path;

/// Write the template workbook to `path`.
pub fn write_template(path: &Path, lang: Lang) -> anyhow::Result<()> {
    let _ = lang;
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, cols) in [
        ("households", HOUSEHOLD_COLUMNS),
        ("members", MEMBER_COLUMNS),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        for (i, c) in cols.iter().enumerate() {
            let c: &ColumnSpec = c;
            sheet.write_string(0, i as u16, c.name)?;
        }
    }
    book.save(path)?;
    Ok(())
}
