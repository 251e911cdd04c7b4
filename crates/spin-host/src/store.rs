//! Spin's SQLite and key-value stores behind the storage traits.

use spin_sdk::key_value::Store;
use spin_sdk::sqlite::{Connection, Value as SpinValue};
use switchboard_storage::{
    BoxFuture, CONNECTION_PRAGMAS, KeyValue, Result, Row, Rows, Sql, StorageError, Value,
};

fn sql_err(e: spin_sdk::sqlite::Error) -> StorageError {
    StorageError::new(format!("{e:?}"))
}

fn kv_err(e: spin_sdk::key_value::Error) -> StorageError {
    StorageError::new(format!("{e:?}"))
}

fn to_spin(v: &Value) -> SpinValue {
    match v {
        Value::Null => SpinValue::Null,
        Value::Integer(i) => SpinValue::Integer(*i),
        Value::Real(r) => SpinValue::Real(*r),
        Value::Text(t) => SpinValue::Text(t.clone()),
        Value::Blob(b) => SpinValue::Blob(b.clone()),
    }
}

fn from_spin(v: SpinValue) -> Value {
    match v {
        SpinValue::Null => Value::Null,
        SpinValue::Integer(i) => Value::Integer(i),
        SpinValue::Real(r) => Value::Real(r),
        SpinValue::Text(t) => Value::Text(t),
        SpinValue::Blob(b) => Value::Blob(b),
    }
}

/// The `default` SQLite database. The per-connection settings are applied
/// when it is opened ([`CONNECTION_PRAGMAS`], as natively); an instance opens
/// it once and shares it (see `SharedConnection`).
pub struct SpinSql(Connection);

impl SpinSql {
    pub async fn open_default() -> Result<Self> {
        let conn = Connection::open_default().await.map_err(sql_err)?;
        let db = SpinSql(conn);
        for pragma in CONNECTION_PRAGMAS {
            // A remote database (libSQL) may ignore or refuse these.
            let _ = db.query(pragma, &[]).await;
        }
        Ok(db)
    }

    async fn run(&self, sql: &str, params: &[Value]) -> Result<Rows> {
        let result = self
            .0
            .execute(sql, params.iter().map(to_spin))
            .await
            .map_err(sql_err)?;
        let columns = result.columns().to_vec();
        let rows = result.collect().await.map_err(sql_err)?;
        Ok(Rows {
            columns,
            rows: rows
                .into_iter()
                .map(|r| Row(r.values.into_iter().map(from_spin).collect()))
                .collect(),
        })
    }
}

impl Sql for SpinSql {
    fn query<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<Rows>> {
        Box::pin(self.run(sql, params))
    }

    fn execute<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            self.run(sql, params).await?;
            Ok(self.0.changes().await)
        })
    }
}

/// The `default` key-value store.
pub struct SpinKv(Store);

impl SpinKv {
    pub async fn open_default() -> Result<Self> {
        Store::open_default().await.map(SpinKv).map_err(kv_err)
    }
}

impl KeyValue for SpinKv {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>>> {
        Box::pin(async move { self.0.get(key).await.map_err(kv_err) })
    }

    fn set<'a>(&'a self, key: &'a str, value: &'a [u8]) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move { self.0.set(key, value).await.map_err(kv_err) })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move { self.0.delete(key).await.map_err(kv_err) })
    }

    fn exists<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move { self.0.exists(key).await.map_err(kv_err) })
    }

    fn keys(&self) -> BoxFuture<'_, Result<Vec<String>>> {
        Box::pin(async move { self.0.get_keys().await.collect().await.map_err(kv_err) })
    }
}
