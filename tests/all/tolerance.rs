//! Every tolerance of a float comparison in the integration tests, named by
//! what it bounds and why it is that size. Counts, classes and the exact
//! arithmetic of the classification are compared exactly and need none;
//! these are for estimates computed in `f64` and for random draws.

/// Our point estimates (rates, shares, M0, A) vs R's `survey`, absolute:
/// both sum the same weights in `f64`, in a different order; on numbers in
/// [0, 1] that leaves a few units in the 16th digit.
pub const ESTIMATE_VS_R: f64 = 1e-12;

/// Our standard errors vs R's `survey`, relative: the variance is a sum of
/// squared PSU deviations from their mean, whose cancellation loses a few
/// digits more than a plain sum does, in either program.
pub const SE_VS_R_REL: f64 = 1e-9;

/// Absolute floor under [`SE_VS_R_REL`]: an SE that is zero in exact
/// arithmetic comes out as rounding noise (R prints ~1e-17 for it).
pub const SE_VS_R_ABS: f64 = 1e-15;

/// The Alkire–Foster identities on one run's own outputs (M0 = H × A,
/// contributions summing to 1, Σ w_j h_j(k) = M0): a handful of `f64`
/// operations on values written with 17 significant digits.
pub const AF_IDENTITY: f64 = 1e-12;

/// The engine vs a value computed by hand and written as a decimal (a
/// fixture's expected measures; 10 / 13.5 persons): the fixture's decimal
/// digits and one division.
pub const VS_HAND: f64 = 1e-12;

/// A percentage column (× 100) vs the hand-computed fraction: × 100 scales
/// [`VS_HAND`]'s rounding by 100, and the percentage is printed again.
pub const PERCENT_VS_HAND: f64 = 1e-9;

/// A number in a CSV table vs the same cell in the Excel workbook, relative
/// (floor 1): one `f64` printed as shortest round-trip text in the CSV and
/// stored as a double in the workbook; they differ by rounding at most.
pub const CSV_VS_XLSX_REL: f64 = 1e-12;

/// synth: a stratum's design weights sum to its population, relative: a
/// sum of n weights of N / n each, n up to thousands.
pub const WEIGHTS_SUM_REL: f64 = 1e-6;

/// synth: all design weights sum to the population (200,000 households),
/// absolute: the strata's sums of [`WEIGHTS_SUM_REL`] added up.
pub const WEIGHTS_TOTAL_ABS: f64 = 1e-3;

/// synth: a drawn poverty rate vs its calibration target, in binomial
/// standard errors: a fair draw falls outside 4 SEs about 6 times in
/// 100,000 checks (and never with the tests' fixed seeds); a biased
/// generator misses by more.
pub const TARGET_IN_BINOMIAL_SES: f64 = 4.0;

/// synth: the sample drawn vs the size asked for, relative: allocation
/// rounds per stratum and takes at least 2 PSUs in each.
pub const SAMPLE_SIZE_REL: f64 = 0.2;

/// synth: the share of optional cells blanked vs `--missing-rate 0.05`,
/// absolute: a tenth of the rate asked for, wide against the binomial
/// noise of the thousands of cells the test counts.
pub const MISSING_RATE_ABS: f64 = 0.005;
