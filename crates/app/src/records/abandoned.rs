//! The callback requests a manager makes from today's abandoned calls
//! (issue 15, CB-1; the list itself is `reports::dashboard`): the request is a `callbacks` row like the one
//! a caller's `callback.requested` leaves, so the worker dials it the same
//! way. One request per call (`UNIQUE (tenant_id, call_id)`).

use switchboard_storage::{Sql, StorageError};

/// Requests a callback for abandoned call `call_id`; returns (request ID, status,
/// whether this request made it). A call that has one already keeps it.
pub async fn request_callback(
    db: &dyn Sql,
    tenant_id: i64,
    call_id: &str,
    menu_id: Option<i64>,
    number: &str,
    digit: i64,
    now_ms: i64,
) -> Result<(i64, String, bool), StorageError> {
    let created = db
        .query_row(
            "INSERT INTO callbacks (tenant_id, call_id, number, digit, menu_id, requested_ms) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, call_id) DO NOTHING \
             RETURNING id, status",
            &[
                tenant_id.into(),
                call_id.into(),
                number.into(),
                digit.into(),
                menu_id.into(),
                now_ms.into(),
            ],
        )
        .await?;
    if let Some(r) = created {
        return Ok((r.i64(0)?, r.text(1)?, true));
    }
    let r = db
        .query_row(
            "SELECT id, status FROM callbacks WHERE tenant_id = ? AND call_id = ?",
            &[tenant_id.into(), call_id.into()],
        )
        .await?
        .ok_or_else(|| StorageError::new("callback neither inserted nor found"))?;
    Ok((r.i64(0)?, r.text(1)?, false))
}
