//! Numbered schema migrations, applied automatically on first use.
//!
//! Every component calls [`migrate`] before it handles a request, so whichever
//! component a fresh deployment hits first creates the schema. When the schema
//! is current this costs two cheap statements (and a component instance
//! remembers the result, so only its first request pays them). When it is
//! not, each migration runs in its own transaction, led by its ledger row: two
//! components starting together apply every migration exactly once.

use crate::{Result, Sql, Statement, StorageError, Value};

/// One schema step. `sql` holds statements separated by `;` at the end of a
/// line; a trigger must therefore be written on one line (its inner `;` is
/// followed by a space, not a line break).
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

const LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
    version INTEGER PRIMARY KEY, \
    name TEXT NOT NULL, \
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))";

/// Brings the schema up to the last of `migrations` (which must be in strictly
/// increasing version order) and returns the resulting version.
pub async fn migrate(db: &dyn Sql, migrations: &[Migration]) -> Result<i64> {
    check_order(migrations)?;
    db.execute(LEDGER, &[]).await?;
    let current = current_version(db).await?;
    let Some(latest) = migrations.last().map(|m| m.version) else {
        return Ok(current);
    };
    if current >= latest {
        return Ok(current);
    }
    // WAL lets readers proceed while a writer commits; the setting persists in
    // the database file, so it is made once, here. Remote databases (libSQL)
    // may refuse it, which is harmless.
    let _ = db.query("PRAGMA journal_mode=WAL", &[]).await;
    for migration in migrations.iter().filter(|m| m.version > current) {
        apply(db, migration).await?;
    }
    current_version(db).await
}

async fn current_version(db: &dyn Sql) -> Result<i64> {
    let row = db
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?;
    row.map_or(Ok(0), |r| r.i64(0))
}

/// Applies one migration in one transaction, its ledger row first: when a
/// racing instance applied it meanwhile, that insert hits the primary key,
/// the transaction rolls back whole and the migration counts as applied.
async fn apply(db: &dyn Sql, migration: &Migration) -> Result<()> {
    let mut batch = vec![Statement::new(
        "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
        vec![
            Value::Integer(migration.version),
            Value::Text(migration.name.to_owned()),
        ],
    )];
    batch.extend(
        statements(migration.sql)
            .into_iter()
            .map(|sql| Statement::new(sql, Vec::new())),
    );
    match db.batch(&batch).await {
        Ok(_) => Ok(()),
        Err(err) if err.is_unique_violation() && err.message.contains("schema_migrations") => {
            Ok(())
        }
        Err(err) => Err(StorageError::new(format!(
            "migration {} ({}) failed: {}",
            migration.version, migration.name, err.message
        ))),
    }
}

fn check_order(migrations: &[Migration]) -> Result<()> {
    for pair in migrations.windows(2) {
        if pair[0].version >= pair[1].version {
            return Err(StorageError::new(format!(
                "migrations out of order: {} then {}",
                pair[0].version, pair[1].version
            )));
        }
    }
    Ok(())
}

/// Splits a migration into statements: text up to each `;` that ends a line,
/// with `--` comment lines dropped. A `CREATE TRIGGER` runs on to its `END`:
/// the statements of its body end lines with `;` too.
pub(crate) fn statements(sql: &str) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for (idx, _) in sql.match_indices(";\n").chain(end_semicolon(sql)) {
        push_statement(&mut chunks, &sql[start..idx]);
        start = idx + 1;
    }
    push_statement(&mut chunks, &sql[start.min(sql.len())..]);
    let mut out: Vec<String> = Vec::with_capacity(chunks.len());
    let mut open_trigger = false;
    for chunk in chunks {
        match out.last_mut() {
            Some(last) if open_trigger => {
                last.push_str(";\n");
                last.push_str(&chunk);
            }
            _ => {
                open_trigger = chunk
                    .get(..14)
                    .is_some_and(|head| head.eq_ignore_ascii_case("CREATE TRIGGER"));
                out.push(chunk);
            }
        }
        if let Some(last) = out.last() {
            let tail = last.len().saturating_sub(3);
            open_trigger &= !last
                .get(tail..)
                .is_some_and(|t| t.eq_ignore_ascii_case("END"));
        }
    }
    out
}

fn end_semicolon(sql: &str) -> Option<(usize, &str)> {
    let trimmed = sql.trim_end();
    trimmed
        .ends_with(';')
        .then(|| (trimmed.len() - 1, ";"))
        .filter(|(idx, _)| !sql[*idx..].starts_with(";\n"))
}

fn push_statement(out: &mut Vec<String>, chunk: &str) {
    let code: Vec<&str> = chunk
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with("--"))
        .collect();
    if !code.is_empty() {
        out.push(code.join("\n").trim().to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::statements;

    #[test]
    fn a_trigger_body_stays_in_one_statement() {
        let sql = "CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n    -- why\n    INSERT INTO b VALUES (1);\n    DELETE FROM c;\nEND;\nCREATE INDEX i ON a (x);\n";
        assert_eq!(
            statements(sql),
            vec![
                "CREATE TABLE a (x)",
                "CREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n    INSERT INTO b VALUES (1);\nDELETE FROM c;\nEND",
                "CREATE INDEX i ON a (x)"
            ]
        );
    }

    #[test]
    fn splits_on_line_ending_semicolons_and_skips_comment_only_chunks() {
        let sql = "-- header\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nCREATE INDEX i ON a (x);\n-- trailing\n";
        assert_eq!(
            statements(sql),
            vec![
                "CREATE TABLE a (x TEXT DEFAULT ';')",
                "CREATE INDEX i ON a (x)"
            ]
        );
    }

    #[test]
    fn a_final_statement_without_newline_is_kept() {
        assert_eq!(
            statements("CREATE TABLE a (x);\nCREATE TABLE b (y);"),
            vec!["CREATE TABLE a (x)", "CREATE TABLE b (y)"]
        );
    }
}
