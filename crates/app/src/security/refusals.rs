//! Refused sign-ins for login IDs that belong to no account (AUTH-3, AUD-1).
//!
//! Anyone who can reach the sign-in form can invent login IDs, so these are
//! not written to the work history one by one: they are counted per hour, and
//! only the first of each hour becomes a history record. Counts are kept for
//! [`KEEP_HOURS`].

use switchboard_storage::{Sql, StorageError};

pub const KEEP_HOURS: i64 = 90 * 24;

/// Counts one refusal in the hour of `now` (Unix seconds) and returns the
/// hour's count including it; deletes counts older than [`KEEP_HOURS`].
pub async fn count_unknown(db: &dyn Sql, now: i64) -> Result<i64, StorageError> {
    let hour = now.div_euclid(3600);
    db.execute(
        "DELETE FROM signin_refusals WHERE hour < ?",
        &[(hour - KEEP_HOURS).into()],
    )
    .await?;
    let row = db
        .query_row(
            "INSERT INTO signin_refusals (hour, refusals) VALUES (?, 1) \
             ON CONFLICT (hour) DO UPDATE SET refusals = refusals + 1 \
             RETURNING refusals",
            &[hour.into()],
        )
        .await?;
    row.map_or(Ok(1), |r| r.i64(0))
}
