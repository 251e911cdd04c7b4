//! The storage-seam suite (RUN-3) against the native implementation.
#![allow(clippy::unwrap_used)]

use futures::executor::block_on;
use switchboard_storage::{KeyValue, Migration, Sql, Value, conformance, migrate};
use switchboard_storage_native::{NativeKv, NativeSql};

#[test]
fn key_value_has_spin_semantics() {
    let kv = NativeKv::in_memory().unwrap();
    let passed = block_on(conformance::key_value(&kv, "t1")).unwrap();
    assert_eq!(passed, 11);
}

#[test]
fn sql_round_trips_every_value_kind_and_batches_atomically() {
    let db = NativeSql::in_memory().unwrap();
    let passed = block_on(conformance::sql(&db)).unwrap();
    assert_eq!(passed, 10);
}

#[test]
fn the_libsql_mode_reports_no_change_counts_and_still_conforms() {
    // Spin 4.0.2 on a libSQL server reports 0 changed rows for every write;
    // the harness's mode of the same name must too, and the suite accepts it.
    let db = NativeSql::in_memory().unwrap().reporting_no_changes();
    block_on(db.execute("CREATE TABLE t (x INTEGER)", &[])).unwrap();
    let n = block_on(db.execute("INSERT INTO t (x) VALUES (1), (2)", &[])).unwrap();
    assert_eq!(n, 0);
    let rows = block_on(db.query("SELECT COUNT(*) FROM t", &[])).unwrap();
    assert_eq!(rows.rows[0].i64(0).unwrap(), 2, "the write happened");
    assert_eq!(block_on(conformance::sql(&db)).unwrap(), 10);
}

#[test]
fn key_value_stores_in_one_file_are_separate_by_label() {
    let dir = tempdir();
    let path = dir.join("kv.db");
    let a = NativeKv::open(&path, "default").unwrap();
    let b = NativeKv::open(&path, "other").unwrap();
    block_on(a.set("k", b"a")).unwrap();
    assert_eq!(block_on(b.get("k")).unwrap(), None);
    let a2 = NativeKv::open(&path, "default").unwrap();
    assert_eq!(block_on(a2.get("k")).unwrap(), Some(b"a".to_vec()));
}

const MIGRATIONS: [Migration; 2] = [
    Migration {
        version: 1,
        name: "create",
        sql: "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n",
    },
    Migration {
        version: 2,
        name: "seed",
        sql: "INSERT INTO things (name) VALUES ('first');\nINSERT INTO things (name) VALUES ('second');\n",
    },
];

fn count(db: &NativeSql) -> i64 {
    block_on(db.query("SELECT COUNT(*) FROM things", &[]))
        .unwrap()
        .first()
        .unwrap()
        .i64(0)
        .unwrap()
}

#[test]
fn migrations_apply_once_even_when_two_connections_race() {
    let dir = tempdir();
    let path = dir.join("db.sqlite");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let db = NativeSql::open(&path).unwrap();
                block_on(migrate(&db, &MIGRATIONS)).unwrap()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 2);
    }
    let db = NativeSql::open(&path).unwrap();
    assert_eq!(count(&db), 2, "each migration ran exactly once");
    assert_eq!(block_on(migrate(&db, &MIGRATIONS)).unwrap(), 2);
    assert_eq!(count(&db), 2);
}

#[test]
fn a_failing_migration_leaves_the_schema_at_the_previous_version() {
    let db = NativeSql::in_memory().unwrap();
    let broken = [
        MIGRATIONS[0],
        Migration {
            version: 2,
            name: "broken",
            sql: "INSERT INTO things (name) VALUES ('x');\nINSERT INTO nowhere VALUES (1);\n",
        },
    ];
    let err = block_on(migrate(&db, &broken)).unwrap_err();
    assert!(err.message.contains("migration 2 (broken)"), "{err}");
    assert_eq!(count(&db), 0, "the half-applied migration was rolled back");
    assert_eq!(block_on(migrate(&db, &MIGRATIONS[..1])).unwrap(), 1);
}

#[test]
fn migrations_out_of_order_are_refused() {
    let db = NativeSql::in_memory().unwrap();
    let reversed = [MIGRATIONS[1], MIGRATIONS[0]];
    assert!(block_on(migrate(&db, &reversed)).is_err());
}

#[test]
fn connection_settings_are_applied_on_open() {
    let db = NativeSql::in_memory().unwrap();
    let fk = block_on(db.query("PRAGMA foreign_keys", &[])).unwrap();
    assert_eq!(fk.first().unwrap().0, vec![Value::Integer(1)]);
    let timeout = block_on(db.query("PRAGMA busy_timeout", &[])).unwrap();
    assert_eq!(timeout.first().unwrap().0, vec![Value::Integer(5000)]);
}

fn tempdir() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("switchboard-test-{nanos}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
