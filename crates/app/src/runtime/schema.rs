//! The numbered migrations, in order. Add a file under `migrations/` and a
//! line here; never edit a migration that has shipped.

use switchboard_storage::{Migration, Sql, StorageError};

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../../migrations/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        sql: include_str!("../../migrations/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "security",
        sql: include_str!("../../migrations/0003_security.sql"),
    },
    Migration {
        version: 4,
        name: "settings",
        sql: include_str!("../../migrations/0004_settings.sql"),
    },
    Migration {
        version: 5,
        name: "worker_state",
        sql: include_str!("../../migrations/0005_worker_state.sql"),
    },
    Migration {
        version: 6,
        name: "settings_more",
        sql: include_str!("../../migrations/0006_settings_more.sql"),
    },
    Migration {
        version: 7,
        name: "telephony",
        sql: include_str!("../../migrations/0007_telephony.sql"),
    },
    Migration {
        version: 8,
        name: "agent_at_event_time",
        sql: include_str!("../../migrations/0008_agent_at_event_time.sql"),
    },
    Migration {
        version: 9,
        name: "audio_quota",
        sql: include_str!("../../migrations/0009_audio_quota.sql"),
    },
    Migration {
        version: 10,
        name: "audio_ids_never_reused",
        sql: include_str!("../../migrations/0010_audio_ids_never_reused.sql"),
    },
    Migration {
        version: 11,
        name: "number_inventory",
        sql: include_str!("../../migrations/0011_number_inventory.sql"),
    },
    Migration {
        version: 12,
        name: "dashboard",
        sql: include_str!("../../migrations/0012_dashboard.sql"),
    },
    Migration {
        version: 13,
        name: "history_lookup",
        sql: include_str!("../../migrations/0013_history_lookup.sql"),
    },
    Migration {
        version: 14,
        name: "callback_worker",
        sql: include_str!("../../migrations/0014_callback_worker.sql"),
    },
    Migration {
        version: 15,
        name: "statistics_rollup",
        sql: include_str!("../../migrations/0015_statistics_rollup.sql"),
    },
    Migration {
        version: 17,
        name: "retention",
        sql: include_str!("../../migrations/0017_retention.sql"),
    },
    Migration {
        version: 20,
        name: "late_session_events",
        sql: include_str!("../../migrations/0020_late_session_events.sql"),
    },
    Migration {
        version: 21,
        name: "call_flow",
        sql: include_str!("../../migrations/0021_call_flow.sql"),
    },
];

/// Brings the database to the latest schema; cheap when it already is.
pub async fn migrate(db: &dyn Sql) -> Result<i64, StorageError> {
    switchboard_storage::migrate(db, MIGRATIONS).await
}
