//! One behavioural suite for every implementation of the storage seam.
//!
//! The native tests run it against rusqlite; the Spin smoke test runs it inside
//! a real component (through the `storage_selftest` route), so both
//! implementations are held to the same semantics. Each check returns a
//! description of the first difference instead of panicking, so the suite can
//! report over HTTP.
//!
//! The suite leaves nothing behind: SQL checks use `TEMP` tables (private to the
//! connection) and key-value checks use keys under a caller-chosen unique
//! prefix that are deleted at the end.

use crate::{KeyValue, Migration, Sql, Statement, Value, migrate};

type Check = Result<(), String>;

fn ensure(cond: bool, what: impl FnOnce() -> String) -> Check {
    if cond { Ok(()) } else { Err(what()) }
}

fn io<T>(r: crate::Result<T>, what: &str) -> Result<T, String> {
    r.map_err(|e| format!("{what}: {e}"))
}

/// Runs every key-value check under `prefix` and returns how many passed.
pub async fn key_value(kv: &dyn KeyValue, prefix: &str) -> Result<usize, String> {
    let a = format!("{prefix}:a");
    let b = format!("{prefix}:b");
    let missing = format!("{prefix}:missing");
    let mut passed = 0;

    let got = io(kv.get(&missing).await, "get missing")?;
    ensure(got.is_none(), || {
        format!("get of a missing key returned {got:?}")
    })?;
    passed += 1;

    ensure(!io(kv.exists(&missing).await, "exists missing")?, || {
        "exists reported a missing key".into()
    })?;
    passed += 1;

    io(kv.set(&a, b"one").await, "set")?;
    let got = io(kv.get(&a).await, "get")?;
    ensure(got.as_deref() == Some(b"one".as_slice()), || {
        format!("get after set returned {got:?}")
    })?;
    passed += 1;

    io(kv.set(&a, b"two").await, "overwrite")?;
    let got = io(kv.get(&a).await, "get after overwrite")?;
    ensure(got.as_deref() == Some(b"two".as_slice()), || {
        format!("set did not overwrite: {got:?}")
    })?;
    passed += 1;

    let binary: Vec<u8> = (0..=255u8).collect();
    io(kv.set(&b, &binary).await, "set binary")?;
    let got = io(kv.get(&b).await, "get binary")?;
    ensure(got.as_deref() == Some(binary.as_slice()), || {
        "binary value did not round-trip".into()
    })?;
    passed += 1;

    io(kv.set(&missing, b"").await, "set empty")?;
    let got = io(kv.get(&missing).await, "get empty")?;
    ensure(got.as_deref() == Some(b"".as_slice()), || {
        format!("an empty value must be stored and distinct from absence: {got:?}")
    })?;
    passed += 1;

    ensure(io(kv.exists(&a).await, "exists")?, || {
        "exists missed a present key".into()
    })?;
    passed += 1;

    let keys = io(kv.keys().await, "keys")?;
    let ours: Vec<&String> = keys.iter().filter(|k| k.starts_with(prefix)).collect();
    ensure(ours.len() == 3, || format!("keys listed {ours:?}"))?;
    passed += 1;

    for key in [&a, &b, &missing] {
        io(kv.delete(key).await, "delete")?;
    }
    ensure(io(kv.get(&a).await, "get deleted")?.is_none(), || {
        "a deleted key is still readable".into()
    })?;
    passed += 1;

    io(kv.delete(&a).await, "delete twice")?;
    passed += 1; // deleting a missing key succeeds

    let keys = io(kv.keys().await, "keys after delete")?;
    ensure(!keys.iter().any(|k| k.starts_with(prefix)), || {
        "deleted keys are still listed".into()
    })?;
    passed += 1;
    Ok(passed)
}

/// Runs every SQL check on temporary tables and returns how many passed.
pub async fn sql(db: &dyn Sql) -> Result<usize, String> {
    let mut passed = 0;
    io(
        db.execute("DROP TABLE IF EXISTS temp.conf_values", &[])
            .await,
        "drop",
    )?;
    io(
        db.execute(
            "CREATE TEMP TABLE conf_values (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n TEXT)",
            &[],
        )
        .await,
        "create temp table",
    )?;

    let params = [
        Value::Integer(i64::MIN),
        Value::Real(-1.5),
        Value::Text("상담 ☎ 'quoted' \"double\"; DROP TABLE x".into()),
        Value::Blob(vec![0, 1, 2, 255]),
        Value::Null,
    ];
    let changed = io(
        db.execute(
            "INSERT INTO conf_values (i, r, t, b, n) VALUES (?, ?, ?, ?, ?)",
            &params,
        )
        .await,
        "insert",
    )?;
    // A change count is the true one or 0: Spin 4.0.2 on a libSQL server
    // reports 0 for every write, so the app never depends on it (it reads
    // `RETURNING` instead); anything else is wrong.
    ensure(changed == 1 || changed == 0, || {
        format!("insert reported {changed} changes")
    })?;
    passed += 1;

    let rows = io(
        db.query("SELECT i, r, t, b, n FROM conf_values", &[]).await,
        "select",
    )?;
    ensure(rows.columns == ["i", "r", "t", "b", "n"], || {
        format!("columns were {:?}", rows.columns)
    })?;
    passed += 1;
    let row = rows.first().ok_or("no row came back")?;
    ensure(row.0 == params, || {
        format!("values did not round-trip: {:?}", row.0)
    })?;
    passed += 1;
    ensure(
        row.opt_text(4).ok() == Some(None) && row.i64(0).ok() == Some(i64::MIN),
        || "typed accessors disagree with the values".into(),
    )?;
    passed += 1;

    let by_null = io(
        db.query(
            "SELECT COUNT(*) FROM conf_values WHERE n IS ?",
            &[Value::Null],
        )
        .await,
        "null parameter",
    )?;
    let count = by_null.first().map(|r| r.i64(0));
    ensure(count == Some(Ok(1)), || {
        format!("NULL as a parameter matched {count:?}")
    })?;
    passed += 1;

    let returning = io(
        db.query(
            "INSERT INTO conf_values (t) VALUES (?) RETURNING id",
            &[Value::Text("r".into())],
        )
        .await,
        "insert returning",
    )?;
    ensure(returning.len() == 1, || "RETURNING produced no row".into())?;
    passed += 1;

    let updated = io(
        db.execute("UPDATE conf_values SET r = r + 1", &[]).await,
        "update",
    )?;
    ensure(updated == 2 || updated == 0, || {
        format!("update reported {updated} changes")
    })?;
    passed += 1;

    // A failing batch leaves nothing behind.
    let bad = [
        Statement::new(
            "INSERT INTO conf_values (t) VALUES (?)",
            vec!["kept?".into()],
        ),
        Statement::new("INSERT INTO no_such_table VALUES (1)", vec![]),
    ];
    ensure(db.batch(&bad).await.is_err(), || {
        "a batch with a bad statement succeeded".into()
    })?;
    let kept = io(
        db.query(
            "SELECT COUNT(*) FROM conf_values WHERE t = ?",
            &["kept?".into()],
        )
        .await,
        "count after rollback",
    )?;
    ensure(kept.first().map(|r| r.i64(0)) == Some(Ok(0)), || {
        "a failed batch was partly applied".into()
    })?;
    passed += 1;

    let good = [
        Statement::new("INSERT INTO conf_values (t) VALUES (?)", vec!["x".into()]),
        Statement::new("DELETE FROM conf_values WHERE t = ?", vec!["r".into()]),
    ];
    let changes = io(db.batch(&good).await, "batch")?;
    ensure(changes == [1, 1] || changes == [0, 0], || {
        format!("batch changes were {changes:?}")
    })?;
    passed += 1;

    // Migrations: applying twice is the same as once.
    let migrations = [
        Migration {
            version: 1,
            name: "one",
            sql: "CREATE TEMP TABLE conf_m1 (x INTEGER);\nINSERT INTO conf_m1 VALUES (1);\n",
        },
        Migration {
            version: 2,
            name: "two",
            sql: "INSERT INTO conf_m1 VALUES (2);",
        },
    ];
    let _ = db.execute("DROP TABLE IF EXISTS temp.conf_m1", &[]).await;
    let _ = db
        .execute("DROP TABLE IF EXISTS temp.schema_migrations", &[])
        .await;
    // Run the ledger in TEMP space too, so the real one is untouched.
    io(
        db.execute(
            "CREATE TEMP TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT)",
            &[],
        )
        .await,
        "temp ledger",
    )?;
    let first = io(migrate(db, &migrations).await, "migrate")?;
    let second = io(migrate(db, &migrations).await, "migrate again")?;
    let rows = io(db.query("SELECT COUNT(*) FROM conf_m1", &[]).await, "count")?;
    ensure(
        first == 2 && second == 2 && rows.first().map(|r| r.i64(0)) == Some(Ok(2)),
        || format!("migrations were not idempotent: {first}, {second}, {rows:?}"),
    )?;
    passed += 1;

    let _ = db.execute("DROP TABLE temp.schema_migrations", &[]).await;
    let _ = db.execute("DROP TABLE temp.conf_m1", &[]).await;
    let _ = db.execute("DROP TABLE temp.conf_values", &[]).await;
    Ok(passed)
}
