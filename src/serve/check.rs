//! What ingest makes of the uploaded files, before any run: the pipeline's
//! own ingest stage into `check/` (its dataset and quarantine), so the Data
//! page shows per file the rows read, accepted and rejected, the rejected
//! rows with their reasons, and what a person must fix — in words, never a
//! stack trace.

use super::{lock, State};
use crate::i18n::Lang;
use crate::ingest::quarantine::Entry;
use crate::ingest::IngestSummary;
use std::path::PathBuf;
use std::sync::Arc;

/// Rejected rows shown in the page; the rest are in the downloads.
pub const SHOWN: usize = 200;

/// The last check of the uploaded files.
#[derive(Debug, Default)]
pub struct Check {
    /// The summary (its quarantine moved to `rejected`, cut to [`SHOWN`]).
    pub summary: Option<IngestSummary>,
    pub rejected: Vec<Entry>,
    /// Ingest refused the files as a whole.
    pub failure: Option<Problem>,
}

/// Something a person must act on, in both languages, with the library's
/// own words (English) as detail.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub vi: String,
    pub en: String,
    pub detail: String,
    /// Red (the rows cannot be used as they are) or a quieter note.
    pub alert: bool,
}

impl Problem {
    pub fn text(&self, lang: Lang) -> &str {
        lang.t(&self.vi, &self.en)
    }
}

impl Check {
    /// The uploaded files' problems a person must act on.
    pub fn problems(&self, lang: Lang) -> Vec<Problem> {
        let mut out: Vec<Problem> = self.failure.iter().cloned().collect();
        let Some(s) = &self.summary else {
            return out;
        };
        let has = |t: &str| s.tables.iter().any(|c| c.table == t);
        if !has("households") {
            out.push(problem(
                "Không thấy bảng hộ gia đình (households): cần một tệp hoặc một trang tính có các cột của hộ (mã hộ, năm khảo sát, tỉnh, thu nhập…). Hãy tải mẫu nhập liệu (liên kết ở phần Tải dữ liệu lên) và điền theo mẫu.",
                "No households table: one file or sheet must hold the household columns (household id, survey year, province, income…). Download the input template (the link under Upload data) and fill it in.",
                "",
            ));
        }
        if has("households") && !has("members") {
            out.push(problem(
                "Thiếu bảng thành viên (members): các chỉ tiêu về y tế, giáo dục, việc làm được tính từ thông tin từng người trong hộ. Hãy tải lên cả tệp thành viên (hoặc trang tính members trong cùng tệp Excel).",
                "The members table is missing: the health, education and work indicators are computed from each member of the household. Upload the members file too (or a members sheet in the same workbook).",
                "",
            ));
        }
        if let Some(n) = crate::report::notices::quarantine(lang, s.read, s.quarantined) {
            let alert = n.tone == crate::report::notices::Tone::Alert;
            let (vi, en) = match lang {
                Lang::Vi => (n.text.clone(), String::new()),
                Lang::En => (String::new(), n.text.clone()),
            };
            out.push(Problem {
                vi,
                en,
                detail: String::new(),
                alert,
            });
        }
        out
    }
}

fn problem(vi: &str, en: &str, detail: &str) -> Problem {
    Problem {
        vi: vi.into(),
        en: en.into(),
        detail: detail.into(),
        alert: true,
    }
}

/// Ingest refused the files: what the person should do, by the kind of
/// error, with the library's message as detail.
pub fn refusal(e: &anyhow::Error) -> Problem {
    let detail = e.chain().map(|c| c.to_string()).last().unwrap_or_default();
    let input = e
        .chain()
        .find_map(|c| match c.downcast_ref::<crate::error::Error>() {
            Some(crate::error::Error::Input { path, .. }) => Some(path.clone()),
            _ => None,
        });
    let full = crate::serve::runs::one_line(e);
    match input {
        Some(path) => {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            problem(
                &format!("Không đọc được tệp «{name}»: tệp không phải là bảng dữ liệu theo mẫu, hoặc thiếu cột bắt buộc, hoặc bị hỏng. Hãy mở tệp trong Excel, so với mẫu nhập liệu (liên kết ở phần Tải dữ liệu lên), lưu lại dưới dạng .xlsx hoặc .csv rồi tải lên lại."),
                &format!("Cannot read the file “{name}”: it is not a data table like the template, lacks a required column, or is damaged. Open it in Excel, compare it with the input template (the link under Upload data), save it as .xlsx or .csv and upload it again."),
                &full,
            )
        }
        None if detail.starts_with("no input files") => problem(
            "Chưa có tệp dữ liệu nào (CSV, Excel hoặc Parquet) trong các tệp đã tải lên.",
            "None of the uploaded files is a data file (CSV, Excel or Parquet).",
            &full,
        ),
        None => problem(
            "Không đọc được dữ liệu đã tải lên. Xem chi tiết bên dưới, sửa tệp rồi tải lên lại.",
            "The uploaded data could not be read. See the detail below, fix the files and upload them again.",
            &full,
        ),
    }
}

/// The files of the inputs folder.
pub fn input_files(state: &State) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(&state.layout.inputs)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// Ingest the inputs folder into `check/` (the caller holds `busy`).
pub fn run_check(state: &State) -> Check {
    let dir = &state.layout.check;
    let _ = std::fs::remove_dir_all(dir);
    if input_files(state).is_empty() {
        return Check::default();
    }
    let quarantine = dir.join("quarantine.csv");
    let done = std::fs::create_dir_all(dir)
        .map_err(anyhow::Error::from)
        .and_then(|_| {
            let files = crate::ingest::input_files(std::slice::from_ref(&state.layout.inputs))?;
            let opts = crate::pipeline::ingest_options(None, Some(&crate::standard::Choice::Auto))?;
            crate::pipeline::ingest_to(&files, &dir.join("dataset"), &quarantine, opts)
        });
    match done {
        Ok(mut summary) => {
            let mut rejected = std::mem::take(&mut summary.quarantine);
            rejected.truncate(SHOWN);
            // The rejected rows as a workbook too, for fixing in Excel.
            let xlsx = dir.join("quarantine.xlsx");
            if let Err(e) =
                crate::report::rejected::write_rejected_xlsx(&quarantine, &xlsx, Lang::Vi)
            {
                eprintln!("warning: {}: {e}", xlsx.display());
            }
            Check {
                summary: Some(summary),
                rejected,
                failure: None,
            }
        }
        Err(e) => Check {
            failure: Some(refusal(&e)),
            ..Default::default()
        },
    }
}

/// At start, check the files an earlier session uploaded, on a thread.
pub fn start_if_inputs(state: &Arc<State>) {
    if input_files(state).is_empty() {
        return;
    }
    let state = state.clone();
    std::thread::spawn(move || {
        let _busy = lock(&state.busy);
        let c = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_check(&state)));
        *lock(&state.check) = c.ok();
    });
}
