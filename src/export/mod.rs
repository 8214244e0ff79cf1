//! Export: the results of `measure` as tables (rates, indicators,
//! estimates, comparisons), and the writers that put them in files (CSV,
//! JSON, Parquet) behind one `Writer` trait.

pub mod cells;
pub mod compare;
pub mod estimates;
pub mod forms;
pub mod frame;
pub mod publish;
pub mod tables;
pub mod writer;

pub use estimates::Estimates;
pub use frame::{Column, Frame};
pub use tables::LevelTables;
pub use writer::{write, Format, Writer};
