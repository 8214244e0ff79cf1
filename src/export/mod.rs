//! Export: the results of `measure` as tables, and the writers that put
//! them in files (CSV, JSON, Parquet) behind one `Writer` trait.

pub mod frame;
pub mod writer;

pub use frame::{Column, Frame};
pub use writer::{write, Format, Writer};
