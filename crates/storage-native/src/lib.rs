//! Native implementations of [`Sql`] and [`KeyValue`].
//!
//! Spin's own local key-value store is a SQLite table keyed by `(store, key)`,
//! and its SQLite database is a plain file; this crate uses the same layout, so
//! tests and the native dev server see the semantics a component sees. Each
//! handle owns one connection, opened with the same per-connection settings the
//! Spin implementation applies on every request (see [`CONNECTION_PRAGMAS`]).

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;
use switchboard_storage::{
    BoxFuture, CONNECTION_PRAGMAS, KeyValue, Result, Row, Rows, Sql, StorageError, Value,
};

fn err(e: rusqlite::Error) -> StorageError {
    StorageError::new(e.to_string())
}

fn open_connection(path: Option<&Path>) -> Result<Connection> {
    let conn = match path {
        Some(p) => Connection::open(p),
        None => Connection::open_in_memory(),
    }
    .map_err(err)?;
    for pragma in CONNECTION_PRAGMAS {
        conn.query_row(pragma, [], |_| Ok(()))
            .optional()
            .map_err(err)?;
    }
    Ok(conn)
}

/// A SQLite database over rusqlite.
pub struct NativeSql {
    conn: Mutex<Connection>,
    /// Report 0 changed rows for every statement, as Spin 4.0.2 does on a
    /// libSQL server (the scale-out configuration).
    no_change_counts: bool,
}

impl NativeSql {
    /// A private in-memory database, for tests.
    pub fn in_memory() -> Result<Self> {
        Ok(Self {
            conn: Mutex::new(open_connection(None)?),
            no_change_counts: false,
        })
    }

    /// A database file, shared by every handle opened on the same path.
    pub fn open(path: &Path) -> Result<Self> {
        Ok(Self {
            conn: Mutex::new(open_connection(Some(path))?),
            no_change_counts: false,
        })
    }

    /// The same database reporting 0 changed rows for every write, as Spin
    /// 4.0.2 does when its SQLite is a libSQL server: the test harness runs
    /// on this, so code that branches on an affected-row count fails a test
    /// instead of failing in the scale-out configuration (use `RETURNING`).
    pub fn reporting_no_changes(mut self) -> Self {
        self.no_change_counts = true;
        self
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| StorageError::new("connection lock poisoned"))?;
        f(&conn).map_err(err)
    }
}

struct Param<'a>(&'a Value);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Integer(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Real(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            Value::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Value::Blob(v) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
        })
    }
}

fn from_ref(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn run_query(conn: &Connection, sql: &str, params: &[Value]) -> rusqlite::Result<Rows> {
    let mut stmt = conn.prepare(sql)?;
    let columns: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let width = columns.len();
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter().map(Param)))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        for idx in 0..width {
            values.push(from_ref(row.get_ref(idx)?));
        }
        out.push(Row(values));
    }
    Ok(Rows { columns, rows: out })
}

fn run_execute(conn: &Connection, sql: &str, params: &[Value]) -> rusqlite::Result<u64> {
    let mut stmt = conn.prepare(sql)?;
    // `raw_execute` also accepts statements that return rows (PRAGMA, RETURNING),
    // as Spin's `execute` does.
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter().map(Param)))?;
    while rows.next()?.is_some() {}
    drop(rows);
    Ok(conn.changes())
}

impl Sql for NativeSql {
    fn query<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<Rows>> {
        Box::pin(async move { self.with(|c| run_query(c, sql, params)) })
    }

    fn execute<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            let n = self.with(|c| run_execute(c, sql, params))?;
            Ok(if self.no_change_counts { 0 } else { n })
        })
    }
}

/// A key-value store in a SQLite table, laid out as Spin's local store is.
pub struct NativeKv {
    db: NativeSql,
    store: String,
}

const KV_TABLE: &str = "CREATE TABLE IF NOT EXISTS spin_key_value (\
    store TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, \
    PRIMARY KEY (store, key))";

impl NativeKv {
    pub fn in_memory() -> Result<Self> {
        Self::with_db(NativeSql::in_memory()?, "default")
    }

    pub fn open(path: &Path, store: &str) -> Result<Self> {
        Self::with_db(NativeSql::open(path)?, store)
    }

    fn with_db(db: NativeSql, store: &str) -> Result<Self> {
        db.with(|c| c.execute(KV_TABLE, []))?;
        Ok(Self {
            db,
            store: store.to_owned(),
        })
    }
}

impl KeyValue for NativeKv {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>>> {
        Box::pin(async move {
            self.db.with(|c| {
                c.query_row(
                    "SELECT value FROM spin_key_value WHERE store = ?1 AND key = ?2",
                    [&self.store, key],
                    |r| r.get::<_, Vec<u8>>(0),
                )
                .optional()
            })
        })
    }

    fn set<'a>(&'a self, key: &'a str, value: &'a [u8]) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.db.with(|c| {
                c.execute(
                    "INSERT INTO spin_key_value (store, key, value) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (store, key) DO UPDATE SET value = excluded.value",
                    rusqlite::params![self.store, key, value],
                )
                .map(|_| ())
            })
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.db.with(|c| {
                c.execute(
                    "DELETE FROM spin_key_value WHERE store = ?1 AND key = ?2",
                    [&self.store, key],
                )
                .map(|_| ())
            })
        })
    }

    fn exists<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move { Ok(self.get(key).await?.is_some()) })
    }

    fn keys(&self) -> BoxFuture<'_, Result<Vec<String>>> {
        Box::pin(async move {
            self.db.with(|c| {
                let mut stmt = c.prepare("SELECT key FROM spin_key_value WHERE store = ?1")?;
                let keys = stmt
                    .query_map([&self.store], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(keys)
            })
        })
    }
}
