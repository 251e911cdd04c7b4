//! Requests served concurrently by one instance share its connection
//! (`SharedConnection`): a transaction must never sweep another request's
//! statements into it.
#![allow(clippy::unwrap_used)]

use futures::executor::block_on;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use switchboard_storage::{BoxFuture, Result, Rows, SharedConnection, Sql, Statement, Value};
use switchboard_storage_native::NativeSql;

/// Gives way once before every statement, as a host call to Spin's SQLite
/// does, so two requests' statements interleave.
struct YieldingSql(NativeSql);

struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl Sql for YieldingSql {
    fn query<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<Rows>> {
        Box::pin(async move {
            YieldOnce(false).await;
            self.0.query(sql, params).await
        })
    }

    fn execute<'a>(&'a self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            YieldOnce(false).await;
            self.0.execute(sql, params).await
        })
    }
}

fn setup(db: &dyn Sql) {
    block_on(db.execute("CREATE TABLE t (name TEXT NOT NULL UNIQUE)", &[])).unwrap();
}

/// Request A runs a transaction that fails on its last statement (and rolls
/// back); request B, at the same time, writes one row on its own.
fn race(db: &dyn Sql) -> Vec<String> {
    let a = async {
        let statements = [
            Statement::new("INSERT INTO t (name) VALUES ('a1')", vec![]),
            Statement::new("INSERT INTO t (name) VALUES ('a2')", vec![]),
            Statement::new("INSERT INTO t (name) VALUES ('a1')", vec![]),
        ];
        db.batch(&statements).await
    };
    let b = db.execute("INSERT INTO t (name) VALUES ('b')", &[]);
    let (a, b) = block_on(futures::future::join(a, b));
    assert!(a.is_err(), "A's duplicate makes its transaction fail");
    let _ = b;
    let rows = block_on(db.query("SELECT name FROM t ORDER BY name", &[])).unwrap();
    rows.iter().map(|r| r.text(0).unwrap()).collect()
}

#[test]
fn a_rolled_back_transaction_keeps_a_concurrent_requests_write() {
    let db = SharedConnection::new(YieldingSql(NativeSql::in_memory().unwrap()));
    setup(&db);
    assert_eq!(race(&db), vec!["b"]);
}

#[test]
fn without_the_shared_hold_the_concurrent_write_is_lost() {
    // The hazard the hold exists for, shown on the bare connection: B's row
    // joined A's transaction and went with its rollback.
    let db = YieldingSql(NativeSql::in_memory().unwrap());
    setup(&db);
    assert_eq!(race(&db), Vec::<String>::new());
}
