//! What a reader must see before any figure: that the rates rest on the
//! accepted rows only when rows were quarantined (a red alert above
//! [`QUARANTINE_ALERT_PCT`] of the rows read, a quieter note below it), and
//! how many figures rest on too few households (`--min-cell`). The same
//! words open the HTML report, the workbook's first sheet and, for the
//! alert, the console, so no headline is stated without them.

use crate::i18n::Lang;

/// Above this share of the rows read (households and members together),
/// quarantined rows are an alert: the headline may rest on a minority.
pub const QUARANTINE_ALERT_PCT: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Red, at the top of the first screen.
    Alert,
    /// Quieter: worth knowing before reading on.
    Note,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
}

/// `--min-cell` as the report applies it, and the figures it flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmallCells {
    pub min: u64,
    pub suppress: bool,
    pub flagged: usize,
}

/// The share of rows quarantined, in percent (None when none were read).
fn share(read: u64, quarantined: u64) -> Option<f64> {
    (read > 0).then(|| 100.0 * quarantined as f64 / read as f64)
}

/// The quarantine notice: an alert above the threshold, a note below it,
/// nothing when no row was quarantined.
pub fn quarantine(lang: Lang, read: u64, quarantined: u64) -> Option<Notice> {
    let pct = share(read, quarantined).filter(|_| quarantined > 0)?;
    let (q, n, p) = (
        lang.count(quarantined as f64),
        lang.count(read as f64),
        lang.pct(pct, 1),
    );
    let limit = lang.pct(QUARANTINE_ALERT_PCT, 0);
    let tone = if pct > QUARANTINE_ALERT_PCT {
        Tone::Alert
    } else {
        Tone::Note
    };
    let text = match (tone, lang) {
        (Tone::Alert, Lang::Vi) => format!(
            "Cảnh báo: {q} trong số {n} dòng dữ liệu đã đọc ({p}) bị cách ly do không hợp lệ, vượt ngưỡng {limit}. Mọi số liệu trong báo cáo này chỉ dựa trên các dòng được chấp nhận và có thể không đại diện cho các hộ được khảo sát. Xem lý do trong quarantine.csv, sửa dữ liệu đầu vào và chạy lại."
        ),
        (Tone::Alert, Lang::En) => format!(
            "Warning: {q} of the {n} rows read ({p}) were quarantined as invalid, more than {limit}. Every figure in this report rests on the accepted rows only and may not represent the households surveyed. See quarantine.csv for the reasons, fix the inputs and run again."
        ),
        (Tone::Note, Lang::Vi) => format!(
            "{q} trong số {n} dòng dữ liệu đã đọc ({p}) bị cách ly do không hợp lệ; các số liệu chỉ dựa trên các dòng được chấp nhận (xem quarantine.csv)."
        ),
        (Tone::Note, Lang::En) => format!(
            "{q} of the {n} rows read ({p}) were quarantined as invalid; the figures rest on the accepted rows only (see quarantine.csv)."
        ),
    };
    Some(Notice { tone, text })
}

/// The console's warning when the quarantine is above the threshold.
pub fn console_warning(read: u64, quarantined: u64) -> Option<String> {
    let pct = share(read, quarantined)?;
    (pct > QUARANTINE_ALERT_PCT).then(|| {
        format!(
            "warning: {quarantined} of the {read} rows read ({pct:.1} %) were quarantined, more than {QUARANTINE_ALERT_PCT} %: \
             every rate rests on the accepted rows only and may not represent the households surveyed; \
             see the quarantine file for the reasons"
        )
    })
}

/// The small-cell note: how many figures rest on fewer households than the
/// minimum, and whether they are blank.
pub fn small_cells(lang: Lang, s: &SmallCells) -> Option<Notice> {
    if s.flagged == 0 {
        return None;
    }
    let (n, min) = (lang.count(s.flagged as f64), lang.count(s.min as f64));
    let text = match (lang, s.suppress) {
        (Lang::Vi, true) => format!(
            "{n} ô số liệu dựa trên ít hơn {min} hộ nên được để trống (ẩn để bảo mật); cột cell_flags hoặc flags ghi lý do."
        ),
        (Lang::Vi, false) => format!(
            "{n} ô số liệu dựa trên ít hơn {min} hộ, được đánh dấu small_cell: cần thận trọng khi sử dụng."
        ),
        (Lang::En, true) => format!(
            "{n} figures rest on fewer than {min} households and are left blank (suppressed); the cell_flags or flags column says why."
        ),
        (Lang::En, false) => format!(
            "{n} figures rest on fewer than {min} households and are flagged small_cell: read them with care."
        ),
    };
    Some(Notice {
        tone: Tone::Note,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn above_the_threshold_is_an_alert_below_a_note_none_is_nothing() {
        let alert = quarantine(Lang::En, 759, 720).unwrap();
        assert_eq!(alert.tone, Tone::Alert);
        assert!(
            alert.text.contains("rests on the accepted rows only"),
            "{}",
            alert.text
        );
        assert_eq!(quarantine(Lang::Vi, 1000, 51).unwrap().tone, Tone::Alert);
        assert_eq!(quarantine(Lang::En, 1000, 50).unwrap().tone, Tone::Note);
        assert_eq!(quarantine(Lang::En, 1000, 0), None);
        assert!(console_warning(1000, 51)
            .unwrap()
            .contains("51 of the 1000 rows read (5.1 %)"));
        assert_eq!(console_warning(1000, 50), None);
    }

    #[test]
    fn the_small_cell_note_counts_the_figures() {
        let s = SmallCells {
            min: 50,
            suppress: true,
            flagged: 7,
        };
        assert!(small_cells(Lang::En, &s)
            .unwrap()
            .text
            .starts_with("7 figures"));
        assert_eq!(small_cells(Lang::En, &SmallCells { flagged: 0, ..s }), None);
    }
}
