//! Language of human outputs (charts, report, workbook): Vietnamese or
//! English, and numbers formatted for the language — Vietnamese writes
//! 1,90 % and 27.345 where English writes 1.90% and 27,345.

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Pick the text for this language.
    pub fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// A percentage given in percent (1.9047 → "1,90 %" / "1.90%").
    pub fn pct(self, v: f64, decimals: usize) -> String {
        let s = format!("{v:.decimals$}");
        match self {
            Lang::Vi => format!("{} %", s.replace('.', ",")),
            Lang::En => format!("{s}%"),
        }
    }

    /// A count with thousands separators (27345 → "27.345" / "27,345").
    pub fn count(self, v: f64) -> String {
        let neg = v < 0.0;
        let digits = format!("{:.0}", v.abs());
        let sep = match self {
            Lang::Vi => '.',
            Lang::En => ',',
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(c);
        }
        if neg {
            format!("-{out}")
        } else {
            out
        }
    }
}

/// Labels drawn with the embedded font must be NFC: decomposed Vietnamese
/// (from macOS or some input methods) would draw its marks detached.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The proleptic Gregorian date (year, month, day) of `days` since
/// 1970-01-01 (H. Hinnant's algorithm): dates without a date library.
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Lang::Vi.pct(1.9047, 2), "1,90 %");
        assert_eq!(Lang::En.pct(1.9047, 2), "1.90%");
        assert_eq!(Lang::Vi.count(27345.0), "27.345");
        assert_eq!(Lang::En.count(1234567.0), "1,234,567");
        assert_eq!(Lang::En.count(999.0), "999");
        assert_eq!(nfc("Hu\u{65}\u{302}\u{301}"), "Huế");
    }
}
