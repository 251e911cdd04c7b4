//! One connection shared by the requests an instance serves at once.
//!
//! Spin reuses a component instance for many requests, up to 16 at a time,
//! and a connection kept in the instance is twice as fast as one opened per
//! request. But a SQLite connection has one transaction state: if request A
//! is inside `BEGIN … COMMIT` when request B's statement runs on the same
//! connection, B's write joins A's transaction and vanishes with A's
//! rollback. [`SharedConnection`] therefore lets one caller at a time use the
//! connection: a plain statement holds it for that statement, a
//! [`Sql::batch`] (the only way code opens a transaction) for the whole
//! transaction. The hold is an async lock, so a waiting request yields
//! instead of blocking the instance.

use crate::{BoxFuture, Result, Rows, Sql, Statement, Value};
use futures_util::lock::Mutex;

pub struct SharedConnection<S> {
    inner: S,
    turn: Mutex<()>,
}

impl<S: Sql> SharedConnection<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            turn: Mutex::new(()),
        }
    }
}

impl<S: Sql> Sql for SharedConnection<S> {
    fn query<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<Rows>> {
        Box::pin(async move {
            let _turn = self.turn.lock().await;
            self.inner.query(sql, params).await
        })
    }

    fn execute<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            let _turn = self.turn.lock().await;
            self.inner.execute(sql, params).await
        })
    }

    fn batch<'a>(&'a self, statements: &'a [Statement]) -> BoxFuture<'a, Result<Vec<u64>>> {
        Box::pin(async move {
            let _turn = self.turn.lock().await;
            self.inner.batch(statements).await
        })
    }
}
