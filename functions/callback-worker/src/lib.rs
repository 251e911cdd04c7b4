//! The `callback-worker` component (RUN-4): Spin's cron trigger calls
//! `handle-cron-event`; the work itself is `switchboard_app::worker::tick`,
//! which the on-demand path also runs.

// The generated export glue is `unsafe` by nature (raw ABI functions); this
// crate contains no other code.
#![allow(unsafe_code)]

mod bindings {
    wit_bindgen::generate!({
        world: "spin-cron",
        path: "../../wit/cron.wit",
    });
}

use bindings::{Error, Guest, Metadata};

struct Worker;

impl Guest for Worker {
    async fn handle_cron_event(metadata: Metadata) -> Result<(), Error> {
        let host = switchboard_spin::instance_host(None)
            .await
            .map_err(Error::Other)?;
        let report = switchboard_app::worker::tick(&host)
            .await
            .map_err(|e| Error::Other(e.to_string()))?;
        println!(
            "callback-worker tick at {} (cron timestamp {}) by {} in {} ms: dialled {}, completed {}, retried {}, failed {}, lost {}, closed {}",
            report.at,
            metadata.timestamp,
            report.worker,
            report.duration_ms,
            report.count("dialled"),
            report.count("completed"),
            report.count("retried"),
            report.count("failed"),
            report.count("lost"),
            report.count("closed"),
        );
        Ok(())
    }
}

bindings::export!(Worker with_types_in bindings);
