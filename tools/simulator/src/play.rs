//! Plays a simulation into the app: paces simulated time against the wall
//! clock (`speed`), or sends as fast as it can (`burst`), signing each
//! request with the shared secret (`switchboard_telephony::signature::sign`).
//! Events of one instant go in one request; in burst mode requests carry up
//! to [`BURST_BATCH`] events.

use crate::client::Client;
use crate::model::{Originate, Sim};
use crate::summary::Tally;
use anyhow::{Result, anyhow, bail};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use switchboard_telephony::signature::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use switchboard_telephony::{MAX_BATCH, WireEvent};
use tokio::sync::mpsc;
use tokio::time::Instant;

pub const BURST_BATCH: usize = 200;

pub struct Player {
    pub client: Option<Client>,
    pub secret: String,
    /// Simulated seconds per real second.
    pub speed: f64,
    pub burst: bool,
    /// Keep serving (recordings, originate) after the traffic ends.
    pub serve: bool,
    /// Print each event as a JSON line instead of sending (no app needed).
    pub dry_run: bool,
    pub tally: Tally,
}

impl Player {
    pub async fn play(
        &mut self,
        mut sim: Sim,
        mut orders: mpsc::UnboundedReceiver<Originate>,
    ) -> Result<()> {
        let real_start = Instant::now();
        let sim_now = |sim: &Sim, burst: bool, speed: f64| -> i64 {
            if burst {
                sim.now_ms()
            } else {
                #[allow(clippy::cast_possible_truncation)]
                let v = (real_start.elapsed().as_secs_f64() * speed * 1000.0) as i64;
                v
            }
        };
        let mut pending: Vec<WireEvent> = Vec::new();
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        loop {
            while let Ok(o) = orders.try_recv() {
                let at = sim_now(&sim, self.burst, self.speed);
                sim.originate(at, o);
            }
            let Some(t) = sim.next_time() else {
                self.flush(&mut pending).await?;
                if !self.serve {
                    return Ok(());
                }
                tokio::select! {
                    o = orders.recv() => match o {
                        Some(o) => {
                            let at = sim_now(&sim, self.burst, self.speed);
                            sim.originate(at, o);
                            continue;
                        }
                        None => return Ok(()),
                    },
                    _ = &mut ctrl_c => return self.stop(sim, &mut pending).await,
                }
            };
            if !self.burst {
                let real_ms = t as f64 / self.speed;
                let due = real_start + Duration::from_secs_f64(real_ms.max(0.0) / 1000.0);
                tokio::select! {
                    () = tokio::time::sleep_until(due) => {}
                    o = orders.recv() => {
                        if let Some(o) = o {
                            let at = sim_now(&sim, self.burst, self.speed);
                            sim.originate(at, o);
                        }
                        continue;
                    }
                    _ = &mut ctrl_c => return self.stop(sim, &mut pending).await,
                }
            }
            let Some((_, events)) = sim.step() else {
                continue;
            };
            pending.extend(events);
            if !self.burst || pending.len() >= BURST_BATCH {
                self.flush(&mut pending).await?;
            }
        }
    }

    /// Ctrl-C: what is due goes out, then the agents sign out.
    async fn stop(&mut self, mut sim: Sim, pending: &mut Vec<WireEvent>) -> Result<()> {
        pending.extend(sim.sign_out_all());
        self.flush(pending).await
    }

    async fn flush(&mut self, pending: &mut Vec<WireEvent>) -> Result<()> {
        while !pending.is_empty() {
            let n = pending.len().min(MAX_BATCH);
            let batch: Vec<WireEvent> = pending.drain(..n).collect();
            self.send(&batch).await?;
            for e in &batch {
                self.tally.observe(e);
            }
        }
        Ok(())
    }

    async fn send(&mut self, batch: &[WireEvent]) -> Result<()> {
        if self.dry_run {
            for e in batch {
                println!("{}", serde_json::to_string(e)?);
            }
            self.tally.stored += batch.len() as u64;
            return Ok(());
        }
        let client = self
            .client
            .as_ref()
            .ok_or_else(|| anyhow!("no --base-url"))?;
        let body = serde_json::to_vec(&serde_json::json!({ "events": batch }))?;
        let mut delay = Duration::from_millis(250);
        for attempt in 1..=6 {
            let ts = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let ts = i64::try_from(ts).unwrap_or(0);
            let signature =
                sign(&self.secret, ts, &body).ok_or_else(|| anyhow!("the secret is empty"))?;
            let headers = [
                ("content-type", "application/json".to_owned()),
                (TIMESTAMP_HEADER, ts.to_string()),
                (SIGNATURE_HEADER, signature),
            ];
            match client
                .send("POST", "/hooks/events", &headers, body.clone())
                .await
            {
                Ok(a) if a.status == 200 => {
                    let v = a.json();
                    let n = |k: &str| v[k].as_u64().unwrap_or(0);
                    self.tally.stored += n("stored");
                    self.tally.duplicate += n("duplicate");
                    self.tally.unrouted += n("unrouted");
                    return Ok(());
                }
                Ok(a) if a.status < 500 && a.status != 429 => {
                    bail!(
                        "POST /hooks/events answered {}: {}",
                        a.status,
                        a.text().chars().take(2000).collect::<String>()
                    );
                }
                Ok(a) => eprintln!(
                    "POST /hooks/events answered {} (attempt {attempt}); retrying",
                    a.status
                ),
                Err(e) => {
                    eprintln!("POST /hooks/events failed (attempt {attempt}): {e:#}; retrying")
                }
            }
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
        bail!("POST /hooks/events kept failing; giving up")
    }
}
