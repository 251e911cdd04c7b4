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

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use switchboard_storage_native::NativeSql;

    fn hours_kept(db: &NativeSql) -> i64 {
        block_on(db.query_row("SELECT COUNT(*) FROM signin_refusals", &[]))
            .ok()
            .flatten()
            .and_then(|r| r.i64(0).ok())
            .unwrap_or(-1)
    }

    #[test]
    fn refusals_are_counted_per_hour_and_kept_for_ninety_days() {
        let db = NativeSql::in_memory().unwrap_or_else(|e| panic!("{e}"));
        block_on(crate::runtime::schema::migrate(&db)).unwrap_or_else(|e| panic!("{e}"));
        let count = |at: i64| block_on(count_unknown(&db, at)).unwrap_or(-1);
        let day = 86_400;
        let t0 = 1_800_000_000; // on the hour
        assert_eq!(count(t0), 1);
        assert_eq!(count(t0 + 60), 2, "same hour");
        assert_eq!(count(t0 + 3600), 1, "next hour");
        assert_eq!(count(t0 + 89 * day), 1);
        assert_eq!(hours_kept(&db), 3, "89 days on, nothing has expired");
        assert_eq!(count(t0 + 90 * day + 2 * 3600), 1);
        assert_eq!(hours_kept(&db), 2, "the first two hours are past 90 days");
    }
}
