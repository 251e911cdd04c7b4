//! The SQL trait and the values that cross it.

use crate::{BoxFuture, Result, StorageError};

/// A SQLite value, the same five kinds Spin's `sqlite` interface carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Integer(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Integer(i64::from(v))
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Integer(i64::from(v))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Integer(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// One result row. Accessors fail with a [`StorageError`] rather than
/// panicking when a column is missing or of another kind: a schema mismatch is
/// a bug to report, not a reason to crash the component.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    pub fn value(&self, idx: usize) -> Result<&Value> {
        self.0
            .get(idx)
            .ok_or_else(|| StorageError::new(format!("no column {idx} in row")))
    }

    pub fn i64(&self, idx: usize) -> Result<i64> {
        match self.value(idx)? {
            Value::Integer(v) => Ok(*v),
            other => Err(mismatch(idx, "integer", other)),
        }
    }

    pub fn opt_i64(&self, idx: usize) -> Result<Option<i64>> {
        match self.value(idx)? {
            Value::Null => Ok(None),
            _ => self.i64(idx).map(Some),
        }
    }

    pub fn text(&self, idx: usize) -> Result<String> {
        match self.value(idx)? {
            Value::Text(v) => Ok(v.clone()),
            other => Err(mismatch(idx, "text", other)),
        }
    }

    pub fn opt_text(&self, idx: usize) -> Result<Option<String>> {
        match self.value(idx)? {
            Value::Null => Ok(None),
            _ => self.text(idx).map(Some),
        }
    }
}

fn mismatch(idx: usize, wanted: &str, got: &Value) -> StorageError {
    StorageError::new(format!("column {idx}: expected {wanted}, found {got:?}"))
}

/// The rows a statement produced, with their column names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

impl Rows {
    pub fn first(&self) -> Option<&Row> {
        self.rows.first()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Row> {
        self.rows.iter()
    }
}

impl<'a> IntoIterator for &'a Rows {
    type Item = &'a Row;
    type IntoIter = std::slice::Iter<'a, Row>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

/// A statement with its parameters, for [`Sql::batch`].
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Statement {
    pub fn new(sql: impl Into<String>, params: Vec<Value>) -> Self {
        Self {
            sql: sql.into(),
            params,
        }
    }
}

/// A connection to the system-of-record database. Always parameterised: the
/// statement text is a constant and every value travels in `params`.
pub trait Sql {
    /// Runs a statement that produces rows (SELECT, or anything with RETURNING).
    fn query<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<Rows>>;

    /// Runs a statement and returns how many rows it changed.
    fn execute<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<u64>>;

    /// Runs `statements` in one write transaction: all of them or none.
    /// `BEGIN IMMEDIATE` takes the write lock up front so two instances racing
    /// on the same rows serialise instead of failing half-way. This is the
    /// only way code opens a transaction: a `BEGIN` sent through
    /// [`execute`](Sql::execute) would, on a connection shared by concurrent
    /// requests, sweep their statements into it (see `SharedConnection`).
    fn batch<'a>(&'a self, statements: &'a [Statement]) -> BoxFuture<'a, Result<Vec<u64>>> {
        Box::pin(async move {
            self.execute("BEGIN IMMEDIATE", &[]).await?;
            let mut changes = Vec::with_capacity(statements.len());
            for statement in statements {
                match self.execute(&statement.sql, &statement.params).await {
                    Ok(n) => changes.push(n),
                    Err(err) => {
                        // The original error is the one worth reporting.
                        let _ = self.execute("ROLLBACK", &[]).await;
                        return Err(err);
                    }
                }
            }
            self.execute("COMMIT", &[]).await?;
            Ok(changes)
        })
    }

    /// The first row of a query, if any.
    fn query_row<'a>(
        &'a self,
        sql: &'a str,
        params: &'a [Value],
    ) -> BoxFuture<'a, Result<Option<Row>>> {
        Box::pin(async move { Ok(self.query(sql, params).await?.rows.into_iter().next()) })
    }
}
