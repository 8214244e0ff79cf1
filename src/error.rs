//! Library errors by category. The CLI maps them to exit code 2 and adds
//! context; every message says what is wrong, where, and what to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A whole input file cannot be used (missing required column, empty file,
    /// unreadable format). Row-level problems never get here: they are quarantined.
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },
    /// A standard failed validation; each line is `file:line: problem`.
    #[error("the standard has {} problem(s):\n{}", .0.len(), .0.join("\n"))]
    Standard(Vec<String>),
    #[error("{0}")]
    Usage(String),
    #[error("parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
    pub fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            message: message.into(),
        }
    }
}
