//! TEL-5: the simulator's traffic is deterministic, speaks the app's event
//! contract, and its summary is the truth of what it sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use switchboard_simulator::client::Client;
use switchboard_simulator::model::{Config, Originate, Sim, Timed};
use switchboard_simulator::random::Random;
use switchboard_simulator::server::{self, OriginateRates, ServerState};
use switchboard_simulator::summary::Tally;
use switchboard_telephony::{AttemptResult, EventBody, parse_body};

fn config(seed: u64, calls: u64) -> Config {
    let agents = (1..=5).map(|i| format!("agent{i:02}")).collect();
    let mut cfg = Config::new(
        seed,
        "070-4000-1234",
        agents,
        "2026-12-01T08:30:00+09:00".parse().unwrap(),
    );
    cfg.max_calls = Some(calls);
    cfg.open = Some((9 * 60, 18 * 60));
    cfg
}

fn run(cfg: Config) -> (Vec<Timed>, switchboard_simulator::model::Decided) {
    Sim::new(cfg)
        .run_to_end(1_000_000)
        .expect("a bounded run ends")
}

#[test]
fn tel_5_the_same_seed_gives_the_same_events_and_another_seed_others() {
    let (a, _) = run(config(42, 200));
    let (b, _) = run(config(42, 200));
    assert_eq!(a, b);
    let (c, _) = run(config(43, 200));
    assert_ne!(a, c);
}

#[test]
fn tel_5_every_event_parses_with_the_apps_contract_and_ids_are_unique() {
    let (events, _) = run(config(7, 300));
    let mut ids = HashSet::new();
    let mut kinds = BTreeMap::new();
    for batch in events.chunks(200) {
        let body =
            serde_json::json!({ "events": batch.iter().map(|t| &t.event).collect::<Vec<_>>() });
        let parsed =
            parse_body(&serde_json::to_vec(&body).unwrap()).unwrap_or_else(|e| panic!("{e:?}"));
        for e in parsed {
            assert!(
                !matches!(e.body, EventBody::Unknown { .. }),
                "{}",
                e.body.type_name()
            );
            *kinds.entry(e.body.type_name().to_owned()).or_insert(0) += 1;
            assert!(ids.insert(e.id.clone()), "duplicate id {}", e.id);
        }
    }
    // Every kind of traffic the model promises is in a 300-call run.
    for kind in [
        "call.received",
        "call.menu",
        "call.queued",
        "call.offered",
        "call.answered",
        "call.abandoned",
        "call.ended",
        "call.outbound",
        "callback.requested",
        "recording.ready",
        "agent.login",
        "agent.logout",
        "agent.state",
    ] {
        assert!(kinds.contains_key(kind), "no {kind} in {kinds:?}");
    }
    // Times never go backwards.
    assert!(events.windows(2).all(|w| w[0].t_ms <= w[1].t_ms));
}

#[test]
fn tel_5_the_summary_counts_agree_with_the_outcomes_the_model_decided() {
    for seed in [1, 2, 3] {
        let (events, decided) = run(config(seed, 250));
        let mut tally = Tally::default();
        for t in &events {
            tally.observe(&t.event);
        }
        let s = tally.summary();
        assert_eq!(s.total_inbound, decided.inbound);
        assert_eq!(s.total_inbound, 250);
        assert_eq!(s.results.get("in_progress"), None, "every call ended");
        let from_summary: BTreeMap<u8, (u64, u64, u64, u64)> = s
            .queues
            .iter()
            .map(|(d, q)| (*d, (q.offered, q.answered, q.abandoned, q.callback)))
            .collect();
        assert_eq!(from_summary, decided.queues);
        for q in s.queues.values() {
            assert_eq!(q.offered, q.answered + q.abandoned + q.callback);
        }
        assert_eq!(
            s.results.get("outbound").copied().unwrap_or(0),
            decided.outbound
        );
        assert_eq!(
            s.results.get("internal").copied().unwrap_or(0),
            decided.internal
        );
        // Opening at 09:00 with the clock starting 08:30: some callers
        // found the center closed.
        assert!(s.results.get("out_of_hours").copied().unwrap_or(0) > 0);
        assert_eq!(s.agents_logged_in, 5);
        assert_eq!(s.agents_logged_in_at_end, 0);
    }
}

#[test]
fn tel_5_a_callback_dial_ends_with_its_attempt_result() {
    let mut cfg = config(5, 3);
    cfg.open = None;
    let mut sim = Sim::new(cfg);
    for (id, outcome) in [
        (11, AttemptResult::Completed),
        (12, AttemptResult::NoAnswer),
    ] {
        sim.originate(
            200_000,
            Originate {
                callback_id: id,
                number: "010-5555-1234".into(),
                agent: "agent01".into(),
                outcome,
            },
        );
    }
    let (events, _) = sim.run_to_end(100_000).unwrap();
    let attempts: Vec<(i64, String, String)> = events
        .iter()
        .filter(|t| t.event.kind == "callback.attempt")
        .map(|t| {
            (
                t.event.callback.unwrap(),
                t.event.result.clone().unwrap(),
                t.event.call.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    for (id, result, call) in &attempts {
        let outbound = events
            .iter()
            .find(|t| t.event.kind == "call.outbound" && t.event.call.as_ref() == Some(call))
            .unwrap();
        assert_eq!(outbound.event.callback, Some(*id));
        assert_eq!(result, if *id == 11 { "completed" } else { "no_answer" });
        let answered = events
            .iter()
            .any(|t| t.event.kind == "call.answered" && t.event.call.as_ref() == Some(call));
        assert_eq!(answered, *id == 11);
    }
}

fn server_state(
    token: Option<&str>,
    rates: OriginateRates,
) -> (
    Arc<ServerState>,
    tokio::sync::mpsc::UnboundedReceiver<Originate>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    (
        Arc::new(ServerState {
            token: token.map(str::to_owned),
            rates,
            rng: Mutex::new(Random::new(1)),
            orders: tx,
            line: "070-4000-1234".into(),
            keys: Mutex::default(),
        }),
        rx,
    )
}

#[tokio::test]
async fn tel_5_recordings_are_served_as_wav_with_ranges_behind_the_token() {
    let rates = OriginateRates {
        success: 1.0,
        no_answer: 0.0,
        error: 0.0,
    };
    let (state, _rx) = server_state(Some("tok-123"), rates);
    let addr = server::start("127.0.0.1:0", state).await.unwrap();
    let client = Client::new(&format!("http://{addr}")).unwrap();
    let path = "/recordings/sim1-c0000001/2000.wav";
    let auth = [("authorization", "Bearer tok-123".to_owned())];

    let refused = client.send("GET", path, &[], Vec::new()).await.unwrap();
    assert_eq!(refused.status, 401);
    let wrong = [("authorization", "Bearer nope".to_owned())];
    assert_eq!(
        client
            .send("GET", path, &wrong, Vec::new())
            .await
            .unwrap()
            .status,
        401
    );

    let whole = client.send("GET", path, &auth, Vec::new()).await.unwrap();
    assert_eq!(whole.status, 200);
    assert_eq!(whole.headers["content-type"], "audio/wav");
    assert_eq!(whole.body.len(), 44 + 2000 * 16);
    assert_eq!(&whole.body[0..4], b"RIFF");

    let range = [auth[0].clone(), ("range", "bytes=40-49".to_owned())];
    let part = client.send("GET", path, &range, Vec::new()).await.unwrap();
    assert_eq!(part.status, 206);
    assert_eq!(
        part.headers["content-range"],
        format!("bytes 40-49/{}", whole.body.len())
    );
    assert_eq!(part.body, whole.body.slice(40..50));

    let past = [auth[0].clone(), ("range", "bytes=999999-".to_owned())];
    assert_eq!(
        client
            .send("GET", path, &past, Vec::new())
            .await
            .unwrap()
            .status,
        416
    );
    assert_eq!(
        client
            .send("GET", "/recordings/x/forever.wav", &auth, Vec::new())
            .await
            .unwrap()
            .status,
        404
    );
}

#[tokio::test]
async fn tel_5_originate_accepts_a_valid_dial_and_refuses_a_bad_one() {
    let ok = OriginateRates {
        success: 1.0,
        no_answer: 0.0,
        error: 0.0,
    };
    let (state, mut rx) = server_state(None, ok);
    let addr = server::start("127.0.0.1:0", state).await.unwrap();
    let client = Client::new(&format!("http://{addr}")).unwrap();
    let json = [("content-type", "application/json".to_owned())];
    let body = br#"{"callback_id":17,"number":"010-1234-5678","agent":"agent01"}"#.to_vec();
    let a = client
        .send("POST", "/originate", &json, body)
        .await
        .unwrap();
    assert_eq!(a.status, 202, "{}", a.text());
    let order = rx.recv().await.unwrap();
    assert_eq!(order.callback_id, 17);
    assert_eq!(order.outcome, AttemptResult::Completed);

    let bad = br#"{"callback_id":17,"number":"<script>","agent":"agent01"}"#.to_vec();
    assert_eq!(
        client
            .send("POST", "/originate", &json, bad)
            .await
            .unwrap()
            .status,
        422
    );

    let failing = OriginateRates {
        success: 0.0,
        no_answer: 0.0,
        error: 1.0,
    };
    let (state, mut rx) = server_state(None, failing);
    let addr = server::start("127.0.0.1:0", state).await.unwrap();
    let client = Client::new(&format!("http://{addr}")).unwrap();
    let body = br#"{"callback_id":18,"number":"010-1234-5678","agent":"agent01"}"#.to_vec();
    assert_eq!(
        client
            .send("POST", "/originate", &json, body)
            .await
            .unwrap()
            .status,
        503
    );
    assert!(rx.try_recv().is_err(), "a provider error dials nothing");
}

/// CB-2: a dial sent again with the same idempotency key (a worker that
/// died before recording the answer) is accepted and dials nothing more.
#[tokio::test]
async fn tel_5_originate_dials_once_per_idempotency_key() {
    let ok = OriginateRates {
        success: 1.0,
        no_answer: 0.0,
        error: 0.0,
    };
    let (state, mut rx) = server_state(None, ok);
    let addr = server::start("127.0.0.1:0", state).await.unwrap();
    let client = Client::new(&format!("http://{addr}")).unwrap();
    let headers = |key: &str| {
        [
            ("content-type", "application/json".to_owned()),
            ("idempotency-key", key.to_owned()),
        ]
    };
    let body = br#"{"callback_id":21,"number":"010-1234-5678","agent":"agent01"}"#.to_vec();
    for _ in 0..2 {
        let a = client
            .send("POST", "/originate", &headers("cb-21-1"), body.clone())
            .await
            .unwrap();
        assert_eq!(a.status, 202, "{}", a.text());
    }
    assert_eq!(rx.recv().await.unwrap().callback_id, 21);
    assert!(rx.try_recv().is_err(), "the same key dialled twice");
    let next = client
        .send("POST", "/originate", &headers("cb-21-2"), body)
        .await
        .unwrap();
    assert_eq!(next.status, 202);
    assert_eq!(rx.recv().await.unwrap().callback_id, 21);
}
