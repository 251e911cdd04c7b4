//! Many rows as one: `SELECT json_array(…) … ` packed into a single row of
//! JSON text by SQLite and unpacked here.
//!
//! Why: inside Spin (4.0.2, SQLite interface 3) every row of a result
//! crosses from the host into the component on its own, through a channel
//! of four rows, and each crossing costs a task switch on both sides —
//! about 70 µs a row on the bench machine, where natively a row costs well
//! under 1 µs. A read of 200 rows (the agents of a company) then costs
//! 14 ms instead of 0.2 ms. Packed, it crosses once. Used by the reads of
//! the dashboard that return many rows (BENCHMARKS.md, "Monitoring
//! dashboard").
//!
//! Columns may be integers, reals, text or NULL (a BLOB cannot be packed:
//! SQLite's `json_array` refuses it).

use switchboard_storage::{Row, Sql, StorageError, Value};

/// Runs `SELECT {columns} {rest}` (`rest` is everything after the select
/// list: `FROM … WHERE … GROUP BY … ORDER BY …`) and returns its rows, read
/// as one row. The rows keep the order `rest` gives them.
pub async fn query(
    db: &dyn Sql,
    columns: &str,
    rest: &str,
    params: &[Value],
) -> Result<Vec<Row>, StorageError> {
    let q = format!(
        "SELECT '[' || COALESCE(group_concat(j, ','), '') || ']' \
         FROM (SELECT json_array({columns}) AS j {rest})"
    );
    let text = match db.query_row(&q, params).await? {
        Some(r) => r.text(0)?,
        None => return Ok(Vec::new()),
    };
    unpack(&text)
}

/// The rows of a packed result.
pub fn unpack(text: &str) -> Result<Vec<Row>, StorageError> {
    let rows: Vec<Vec<serde_json::Value>> =
        serde_json::from_str(text).map_err(|e| StorageError::new(format!("packed rows: {e}")))?;
    rows.into_iter()
        .map(|r| {
            r.into_iter()
                .map(|v| match v {
                    serde_json::Value::Null => Ok(Value::Null),
                    serde_json::Value::Number(n) => n
                        .as_i64()
                        .map(Value::Integer)
                        .or_else(|| n.as_f64().map(Value::Real))
                        .ok_or_else(|| StorageError::new(format!("packed rows: number {n}"))),
                    serde_json::Value::String(s) => Ok(Value::Text(s)),
                    other => Err(StorageError::new(format!("packed rows: {other}"))),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_rows_keep_their_types_and_order() {
        let rows = unpack(r#"[[1,"a",null,2.5],[-3,"é\"",7,0]]"#).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].i64(0).unwrap(), 1);
        assert_eq!(rows[0].text(1).unwrap(), "a");
        assert_eq!(rows[0].opt_i64(2).unwrap(), None);
        assert_eq!(rows[1].i64(0).unwrap(), -3);
        assert_eq!(rows[1].text(1).unwrap(), "é\"");
        assert!(unpack("[]").unwrap().is_empty());
        assert!(unpack("[[{}]]").is_err());
    }
}
