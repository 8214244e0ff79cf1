//! Small cells: `--min-cell N` flags every published figure resting on
//! fewer than N households, and `--suppress` blanks it (`export::cells`
//! does so in every table the same way).

/// The flag of a figure resting on fewer households than `--min-cell`.
pub const SMALL: &str = "small_cell";
/// The flag of a figure blanked by `--suppress`.
pub const SUPPRESSED: &str = "suppressed";

/// `--min-cell` and `--suppress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRule {
    pub min: u64,
    pub suppress: bool,
}

impl CellRule {
    pub fn of(min_cell: Option<u64>, suppress: bool) -> Option<CellRule> {
        min_cell.map(|min| CellRule { min, suppress })
    }

    /// Whether a figure resting on `n` households is a small cell.
    pub fn is_small(&self, n: i64) -> bool {
        n < self.min as i64
    }
}
