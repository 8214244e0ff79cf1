//! The few spellings in which the SQL engines we target differ, in one
//! table, so the query generator and the rule renderer never branch on the
//! engine anywhere else. Everything not listed here is written the same way
//! for every dialect (Kleene `AND`/`OR`, `CASE`, `COALESCE`, `||`, `COUNT`,
//! `CAST(… AS DECIMAL(38, 0))`, `VALUES`).

/// An SQL engine the generated query is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB (tested: the query is run against the engine in the tests).
    Duckdb,
    /// Spark SQL 3.x (`spark-sql`, PySpark's `spark.sql`).
    Spark,
    /// Standard SQL, for other engines; adapt where yours differs.
    Ansi,
}

/// One dialect's spellings.
#[derive(Debug, Clone, Copy)]
pub struct Spelling {
    /// Delimiters of a quoted identifier (Spark reads `"…"` as a string).
    pub quote: (char, char),
    /// The binary floating-point type, for casts before a division.
    pub double: &'static str,
    /// `{}` from its second character on (drops a leading separator).
    pub from_second: &'static str,
    /// A text type for casts (Spark's casts take no `VARCHAR(n)` before 3.4).
    pub text: &'static str,
}

impl Dialect {
    pub fn spelling(self) -> Spelling {
        match self {
            Dialect::Duckdb => Spelling {
                quote: ('"', '"'),
                double: "DOUBLE",
                from_second: "SUBSTRING({}, 2)",
                text: "VARCHAR",
            },
            Dialect::Spark => Spelling {
                quote: ('`', '`'),
                double: "DOUBLE",
                from_second: "SUBSTRING({}, 2)",
                text: "STRING",
            },
            Dialect::Ansi => Spelling {
                quote: ('"', '"'),
                double: "DOUBLE PRECISION",
                from_second: "SUBSTRING({} FROM 2)",
                text: "VARCHAR(32)",
            },
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Ansi => "ansi",
        }
    }
}

impl Spelling {
    /// A quoted identifier; the closing delimiter inside the name is doubled.
    pub fn ident(&self, name: &str) -> String {
        let (open, close) = self.quote;
        let doubled = format!("{close}{close}");
        format!("{open}{}{close}", name.replace(close, &doubled))
    }

    pub fn from_second(&self, x: &str) -> String {
        self.from_second.replace("{}", x)
    }
}
