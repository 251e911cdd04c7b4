//! The callback worker (RUN-4, CB-2, CB-3, CB-5): a tick dials due callbacks
//! once, through a fake provider answering 202 / 4xx / 5xx / timeout, moves
//! them on as the provider's reports arrive (later, twice, out of order),
//! and keeps house.
#![allow(clippy::unwrap_used)]

use crate::support::{self, AgentScript, CallScript, TestApp};
use futures::FutureExt;
use futures::executor::block_on;
use serde_json::{Value as Json, json};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use switchboard_app::records::callbacks as rec;
use switchboard_app::telephony::ingest::{self, Outcome, Source};
use switchboard_app::worker::provider::{Answer, Originate, Provider};
use switchboard_app::worker::{self, Limits, TickReport};
use switchboard_http::OutboundError;
use switchboard_storage::{BoxFuture, Sql, Value};
use switchboard_telephony::{AgentState, AttemptResult, Platform};

const SECRET: &str = "whsec-worker-tests";

/// What runs while a request is in flight.
type InFlight = Box<dyn Fn(&Originate)>;

/// A provider that answers from a script (202 when it runs out) and keeps
/// every request; it dials once per idempotency key, as the contract says.
#[derive(Default)]
pub struct FakeProvider {
    answers: RefCell<VecDeque<Result<Answer, OutboundError>>>,
    pub requests: RefCell<Vec<Originate>>,
    dials: RefCell<HashMap<String, u32>>,
    /// Runs while the request is "in flight" (before the answer).
    during: RefCell<Option<InFlight>>,
}

fn status(code: u16) -> Result<Answer, OutboundError> {
    Ok(Answer {
        status: code,
        body: format!("{{\"status\":{code}}}"),
    })
}

impl FakeProvider {
    fn then(&self, a: Result<Answer, OutboundError>) -> &Self {
        self.answers.borrow_mut().push_back(a);
        self
    }
    /// Dials made (distinct keys the provider accepted).
    fn dials(&self) -> usize {
        self.dials.borrow().len()
    }
    fn orders(&self) -> Vec<(i64, String, String)> {
        self.requests
            .borrow()
            .iter()
            .map(|o| (o.callback_id, o.agent.clone(), o.key.clone()))
            .collect()
    }
}

impl Provider for FakeProvider {
    fn originate<'a>(
        &'a self,
        order: &'a Originate,
    ) -> BoxFuture<'a, Result<Answer, OutboundError>> {
        Box::pin(async move {
            self.requests.borrow_mut().push(order.clone());
            if let Some(f) = self.during.borrow().as_ref() {
                f(order);
            }
            let answer = self
                .answers
                .borrow_mut()
                .pop_front()
                .unwrap_or_else(|| status(202));
            if matches!(&answer, Ok(a) if a.status == 202) {
                *self
                    .dials
                    .borrow_mut()
                    .entry(order.key.clone())
                    .or_insert(0) += 1;
            }
            answer
        })
    }
}

/// Tenant `acme` (number 070-1234-5678, queue 1 with callback), open
/// 09–12 and 13–18 on weekdays; agents kim and lee assigned to queue 1,
/// signed in at the phone system (lee first: the longest idle).
fn center() -> (TestApp, i64) {
    center_on(TestApp::with_operator())
}

fn center_on(app: TestApp) -> (TestApp, i64) {
    let app = app.with_var("webhook_secret", SECRET);
    let (tenant_id, owner) = app.tenant("acme");
    let ok = |r: support::TestResponse| {
        assert!(r.status < 300, "{}", r.json_body());
        r.json_body()
    };
    ok(owner.put("/api/settings/ars", support::ars_body()));
    ok(owner.put("/api/settings/hours", support::lunch_break_hours()));
    let menu = ok(owner.post(
        "/api/settings/menus",
        json!({ "digit": 1, "kind": "agents", "queue": "상담", "callback": true }),
    ));
    for login in ["kim", "lee"] {
        let id = owner.add_agent(login);
        ok(owner.put(
            &format!("/api/settings/agents/{id}/menus"),
            json!({ "menu_ids": [menu["id"]] }),
        ));
    }
    app.deliver_ok(
        AgentScript::login("lee", "s-lee", Platform::Pc, "10.0.0.2").starting_after(-600),
    );
    app.deliver_ok(
        AgentScript::login("kim", "s-kim", Platform::Pc, "10.0.0.1").starting_after(-300),
    );
    (app, tenant_id)
}

fn tick(app: &TestApp, p: &FakeProvider) -> TickReport {
    let report = block_on(worker::tick_with(&app.host(), Some(p), Limits::default())).unwrap();
    for s in &report.steps {
        assert!(s.failed.is_none(), "{s:?}");
        assert!(s.counts.errors.is_empty(), "{s:?}");
    }
    report
}

fn q(app: &TestApp, sql: &str, params: &[Value]) -> Vec<Vec<Value>> {
    block_on(app.db.query(sql, params))
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.0)
        .collect()
}

fn one(app: &TestApp, sql: &str, params: &[Value]) -> Value {
    q(app, sql, params)[0][0].clone()
}

fn request(app: &TestApp, call: &str) -> i64 {
    app.deliver_ok(CallScript::later(call).callback_requested("010-2222-3333", 1));
    match one(
        app,
        "SELECT id FROM callbacks WHERE call_id = ?",
        &[call.into()],
    ) {
        Value::Integer(id) => id,
        other => panic!("{other:?}"),
    }
}

fn status_of(app: &TestApp, id: i64) -> String {
    match one(
        app,
        "SELECT status FROM callbacks WHERE id = ?",
        &[id.into()],
    ) {
        Value::Text(s) => s,
        other => panic!("{other:?}"),
    }
}

/// The transitions of `id` as `from>to:reason`.
fn transitions(app: &TestApp, tenant_id: i64, id: i64) -> Vec<String> {
    let (_, t) = block_on(rec::attempts_for(app.db.as_ref(), tenant_id, id)).unwrap();
    t.iter()
        .map(|t| {
            format!(
                "{}>{}:{}",
                t.from_state.as_deref().unwrap_or("-"),
                t.to_state,
                t.reason
            )
        })
        .collect()
}

fn outcomes(app: &TestApp, tenant_id: i64, id: i64) -> Vec<Option<String>> {
    let (a, _) = block_on(rec::attempts_for(app.db.as_ref(), tenant_id, id)).unwrap();
    a.into_iter().map(|a| a.outcome).collect()
}

fn report(app: &TestApp, id: i64, n: i64, result: AttemptResult) {
    let secs = app.now().as_second() - support::START_MS / 1000;
    app.deliver_ok(
        CallScript::later(&format!("out-{id}-{n}"))
            .starting_after(secs)
            .callback_attempt(id, result),
    );
}

#[test]
fn cb_2_a_due_callback_is_dialled_once_with_the_longest_idle_ready_agent_then_completes() {
    let (app, tenant) = center();
    let id = request(&app, "c1");
    let p = FakeProvider::default();
    let r = tick(&app, &p);
    assert_eq!(r.count("claimed"), 1);
    assert_eq!(r.count("dialled"), 1);
    assert_eq!(
        p.orders(),
        vec![(id, "lee".to_owned(), format!("cb-{id}-1"))]
    );
    assert_eq!(p.requests.borrow()[0].number, "01022223333");
    // Further ticks while the dial is out dial nothing.
    app.advance(10);
    tick(&app, &p);
    app.advance(600);
    tick(&app, &p);
    assert_eq!(p.requests.borrow().len(), 1);
    report(&app, id, 1, AttemptResult::Completed);
    let r = tick(&app, &p);
    assert_eq!(r.count("completed"), 1);
    assert_eq!(status_of(&app, id), "completed");
    assert_eq!(
        transitions(&app, tenant, id),
        vec![
            "->requested:requested",
            "requested>dialing:dial_with_lee",
            "dialing>completed:customer_reached"
        ]
    );
    assert_eq!(
        outcomes(&app, tenant, id),
        vec![Some("completed".to_owned())]
    );
    let (a, _) = block_on(rec::attempts_for(app.db.as_ref(), tenant, id)).unwrap();
    assert_eq!(a[0].provider_status, Some(202));
    assert_eq!(a[0].agent, "lee");
}

#[test]
fn cb_3_no_answer_and_busy_retry_after_the_delay_until_the_attempts_are_used_up() {
    let (app, tenant) = center();
    let id = request(&app, "c1");
    let p = FakeProvider::default();
    tick(&app, &p);
    report(&app, id, 1, AttemptResult::NoAnswer);
    let r = tick(&app, &p);
    assert_eq!(r.count("retried"), 1);
    assert_eq!(status_of(&app, id), "requested");
    // Not before the delay (600 s by default).
    app.advance(590);
    tick(&app, &p);
    assert_eq!(p.requests.borrow().len(), 1);
    app.advance(20);
    tick(&app, &p);
    assert_eq!(p.requests.borrow().len(), 2);
    assert_eq!(p.orders()[1].2, format!("cb-{id}-2"));
    report(&app, id, 2, AttemptResult::Busy);
    tick(&app, &p);
    app.advance(601);
    tick(&app, &p);
    report(&app, id, 3, AttemptResult::NoAnswer);
    let r = tick(&app, &p);
    assert_eq!(r.count("failed"), 1);
    assert_eq!(status_of(&app, id), "failed");
    app.advance(3600);
    tick(&app, &p);
    assert_eq!(
        p.requests.borrow().len(),
        3,
        "a failed request is not dialled"
    );
    assert_eq!(
        transitions(&app, tenant, id),
        vec![
            "->requested:requested",
            "requested>dialing:dial_with_lee",
            "dialing>requested:no_answer_retry",
            "requested>dialing:dial_with_lee",
            "dialing>requested:busy_retry",
            "requested>dialing:dial_with_lee",
            "dialing>failed:no_answer_attempts_used_up",
        ]
    );
}

#[test]
fn cb_3_provider_refusals_errors_and_timeouts_are_attempts_that_retry() {
    let (app, tenant) = center();
    let id = request(&app, "c1");
    let p = FakeProvider::default();
    p.then(status(503))
        .then(status(422))
        .then(Err(OutboundError::Timeout));
    let r = tick(&app, &p);
    assert_eq!(r.count("provider_error"), 1);
    assert_eq!(r.count("retried"), 1);
    for _ in 0..2 {
        app.advance(601);
        tick(&app, &p);
    }
    assert_eq!(status_of(&app, id), "failed");
    assert_eq!(
        outcomes(&app, tenant, id),
        vec![
            Some("provider_error".to_owned()),
            Some("rejected".to_owned()),
            Some("timeout".to_owned())
        ]
    );
    let (a, _) = block_on(rec::attempts_for(app.db.as_ref(), tenant, id)).unwrap();
    assert_eq!(
        a.iter().map(|a| a.provider_status).collect::<Vec<_>>(),
        vec![Some(503), Some(422), None]
    );
    assert_eq!(p.dials(), 0);
}

#[test]
fn cb_3_reports_arriving_early_twice_or_out_of_order_move_a_request_once() {
    let (app, tenant) = center();
    let id = request(&app, "c1");
    // The report arrives while the request is still in flight.
    let p = FakeProvider::default();
    let early = app.clone();
    *p.during.borrow_mut() = Some(Box::new(move |o: &Originate| {
        let events = support::events::checked(
            &CallScript::later("out-early")
                .callback_attempt(o.callback_id, AttemptResult::NoAnswer)
                .events(),
        );
        // The native store is synchronous underneath: no executor needed
        // inside the tick's.
        let stored = ingest::store(
            early.db.as_ref(),
            &events,
            Source::Provider,
            early.now().as_millisecond(),
        )
        .now_or_never()
        .unwrap()
        .unwrap();
        assert_eq!(stored, vec![Outcome::Stored]);
    }));
    tick(&app, &p);
    *p.during.borrow_mut() = None;
    assert_eq!(status_of(&app, id), "requested");
    assert_eq!(
        outcomes(&app, tenant, id),
        vec![Some("no_answer".to_owned())]
    );
    // Delivered again: a duplicate, nothing moves twice.
    report(&app, id, 1, AttemptResult::NoAnswer);
    tick(&app, &p);
    app.advance(601);
    tick(&app, &p);
    assert_eq!(p.requests.borrow().len(), 2);
    report(&app, id, 2, AttemptResult::Completed);
    // A late, contradicting report of the same attempt changes nothing.
    app.deliver_ok(
        CallScript::later("out-late")
            .starting_after(700)
            .callback_attempt(id, AttemptResult::Busy),
    );
    tick(&app, &p);
    app.advance(3600);
    tick(&app, &p);
    assert_eq!(status_of(&app, id), "completed");
    assert_eq!(p.requests.borrow().len(), 2);
    let t = transitions(&app, tenant, id);
    assert_eq!(
        t.iter().filter(|t| t.ends_with("no_answer_retry")).count(),
        1
    );
    assert_eq!(t.last().unwrap(), "dialing>completed:customer_reached");
}

#[test]
fn cb_2_nothing_is_dialled_out_of_hours_or_without_a_ready_agent_and_it_stays_due() {
    let (app, _) = center();
    let id = request(&app, "c1");
    let p = FakeProvider::default();
    // 12:30 in Seoul: lunch break, closed.
    app.set_now("2026-11-30T03:30:00Z".parse().unwrap());
    let r = tick(&app, &p);
    assert_eq!(r.count("closed_hours"), 1);
    assert!(p.requests.borrow().is_empty());
    // 13:00: open, but both agents are away.
    app.set_now("2026-11-30T04:00:00Z".parse().unwrap());
    for a in ["kim", "lee"] {
        app.deliver_ok(
            AgentScript::later(a, &format!("s-{a}"))
                .ids(&format!("away-{a}"))
                .starting_after(3 * 3600 - 60)
                .state(AgentState::Away),
        );
    }
    let r = tick(&app, &p);
    assert_eq!(r.count("no_ready_agent"), 1);
    assert!(p.requests.borrow().is_empty());
    // kim comes back: dialled with kim.
    app.deliver_ok(
        AgentScript::later("kim", "s-kim")
            .ids("back-kim")
            .starting_after(3 * 3600 - 30)
            .state(AgentState::Ready),
    );
    tick(&app, &p);
    assert_eq!(
        p.orders(),
        vec![(id, "kim".to_owned(), format!("cb-{id}-1"))]
    );
}

#[test]
fn cb_3_a_request_deleted_by_an_admin_is_never_dialled_and_its_transition_says_so() {
    let (app, tenant) = center();
    let id = request(&app, "c1");
    let now = app.now().as_millisecond();
    let after = block_on(rec::delete(app.db.as_ref(), tenant, id, 7, now)).unwrap();
    assert_eq!(after.as_deref(), Some("deleted"));
    // Another tenant's ID: nothing.
    assert_eq!(
        block_on(rec::delete(app.db.as_ref(), tenant + 1, id, 7, now)).unwrap(),
        None
    );
    let p = FakeProvider::default();
    tick(&app, &p);
    assert!(p.requests.borrow().is_empty());
    assert_eq!(
        transitions(&app, tenant, id),
        vec![
            "->requested:requested",
            "requested>deleted:deleted_by_admin"
        ]
    );
}

#[test]
fn cb_3_the_tenants_policy_sets_attempts_and_delay_and_expiry_fails_old_requests() {
    let (app, tenant) = center();
    let policy = switchboard_domain::CallbackPolicy::new(1, 60, 1).unwrap();
    block_on(rec::save_policy(app.db.as_ref(), tenant, policy, app.now())).unwrap();
    let id = request(&app, "c1");
    let p = FakeProvider::default();
    tick(&app, &p);
    report(&app, id, 1, AttemptResult::Busy);
    tick(&app, &p);
    assert_eq!(status_of(&app, id), "failed", "one attempt only");
    // A request nobody could take for an hour expires.
    for a in ["kim", "lee"] {
        app.deliver_ok(
            AgentScript::later(a, &format!("s-{a}"))
                .ids(&format!("away-{a}"))
                .starting_after(5)
                .state(AgentState::Away),
        );
    }
    let old = request(&app, "c2");
    app.advance(3599);
    tick(&app, &p);
    assert_eq!(status_of(&app, old), "requested");
    app.advance(2);
    let r = tick(&app, &p);
    assert_eq!(r.count("expired"), 1);
    assert_eq!(status_of(&app, old), "failed");
    assert_eq!(
        transitions(&app, tenant, old).last().unwrap(),
        "requested>failed:expired"
    );
}

#[test]
fn cb_2_a_tick_that_dies_after_claiming_leaves_the_request_to_be_dialled_once_after_the_lease() {
    let (app, tenant) = center();
    let id = request(&app, "c1");
    let now = app.now().as_millisecond();
    let lease = Limits::default().lease_ms;
    // A worker claims and dies.
    let claimed = block_on(rec::claim(
        app.db.as_ref(),
        "dead",
        tenant,
        1,
        10,
        now,
        now + lease,
    ))
    .unwrap();
    assert_eq!(claimed.len(), 1);
    // Another worker's claim at that instant gets nothing.
    let other = block_on(rec::claim(
        app.db.as_ref(),
        "other",
        tenant,
        1,
        10,
        now + 1,
        now + lease,
    ))
    .unwrap();
    assert!(other.is_empty());
    let p = FakeProvider::default();
    app.advance(30);
    tick(&app, &p);
    assert!(p.requests.borrow().is_empty(), "the lease is live");
    app.advance(31);
    tick(&app, &p);
    assert_eq!(p.requests.borrow().len(), 1);
    assert_eq!(p.dials(), 1);

    // A worker records its attempt, sends it, and dies before recording the
    // answer: sent again after the lease with the same key, dialled once.
    let id2 = request(&app, "c2");
    let now = app.now().as_millisecond();
    let claimed = block_on(rec::claim(
        app.db.as_ref(),
        "dead2",
        tenant,
        1,
        10,
        now,
        now + lease,
    ))
    .unwrap();
    let kim = block_on(rec::ready_agents(app.db.as_ref(), tenant, 1)).unwrap();
    assert_eq!(kim.len(), 1, "lee is dialling");
    assert!(
        block_on(rec::begin_attempt(
            app.db.as_ref(),
            "dead2",
            &claimed[0],
            &kim[0],
            now
        ))
        .unwrap()
    );
    let order = Originate {
        callback_id: id2,
        number: claimed[0].number.clone(),
        agent: "kim".into(),
        key: format!("cb-{id2}-1"),
    };
    block_on(p.originate(&order)).unwrap();
    app.advance(10);
    tick(&app, &p);
    assert_eq!(
        p.requests.borrow().len(),
        2,
        "not while the dead worker's lease lasts"
    );
    app.advance(60);
    let r = tick(&app, &p);
    assert_eq!(r.count("resent"), 1);
    let keys: Vec<String> = p.orders().into_iter().map(|o| o.2).collect();
    assert_eq!(
        keys,
        vec![
            format!("cb-{id}-1"),
            format!("cb-{id2}-1"),
            format!("cb-{id2}-1")
        ]
    );
    assert_eq!(p.dials(), 2, "two requests, each dialled once");
    assert_eq!(outcomes(&app, tenant, id2), vec![None]);
}

/// CB-2, RUN-6: two workers (each its own connection to one SQLite file, as
/// two Spin instances) ticking at once, round after round, while requests
/// keep arriving, dial each request exactly once.
#[test]
fn cb_2_two_workers_ticking_at_once_on_one_file_dial_each_request_exactly_once() {
    use std::sync::{Arc, Barrier, Mutex};
    let dir = std::env::temp_dir().join(format!("sb-worker-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("race.db");
    let _ = std::fs::remove_file(&path);
    let (app, tenant) = center_on(
        TestApp::on_file(&path).with_var("bootstrap_operator_password", support::OPERATOR_PASSWORD),
    );
    let owner = app.owner_of("acme");
    let Value::Integer(menu) = one(&app, "SELECT id FROM ars_menus WHERE digit = 1", &[]) else {
        panic!()
    };
    // Six agents in all: two per round are left idle on purpose.
    for login in ["park", "choi", "jung", "kang"] {
        let aid = owner.add_agent(login);
        let r = owner.put(
            &format!("/api/settings/agents/{aid}/menus"),
            json!({ "menu_ids": [menu] }),
        );
        assert_eq!(r.status, 200, "{}", r.json_body());
        app.deliver_ok(
            AgentScript::login(login, &format!("s-{login}"), Platform::Pc, "10.0.0.9")
                .starting_after(-100),
        );
    }
    const ROUNDS: usize = 25;
    const PER_ROUND: i64 = 8;
    let orders: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let start = Arc::new(Barrier::new(3));
    let done = Arc::new(Barrier::new(3));
    let now_ms = Arc::new(Mutex::new(app.now().as_millisecond()));
    let mut workers = Vec::new();
    for _ in 0..2 {
        let (path, orders, errors, start, done, now_ms) = (
            path.clone(),
            orders.clone(),
            errors.clone(),
            start.clone(),
            done.clone(),
            now_ms.clone(),
        );
        workers.push(std::thread::spawn(move || {
            let db = Rc::new(switchboard_storage_native::NativeSql::open(&path).unwrap());
            let kv = Rc::new(switchboard_storage_native::NativeKv::in_memory().unwrap());
            let vars = Rc::new(switchboard_app::runtime::config::MapVariables::default());
            let p = FakeProvider::default();
            for _ in 0..ROUNDS {
                start.wait();
                let now = jiff::Timestamp::from_millisecond(*now_ms.lock().unwrap()).unwrap();
                let host = switchboard_app::Host::new(db.clone(), kv.clone(), vars.clone())
                    .with_clock(switchboard_app::Clock::Fixed(now));
                match block_on(worker::tick_with(&host, Some(&p), Limits::default())) {
                    Ok(r) => {
                        for s in r.steps {
                            errors.lock().unwrap().extend(s.failed);
                            errors.lock().unwrap().extend(s.counts.errors);
                        }
                    }
                    Err(e) => errors.lock().unwrap().push(e.to_string()),
                }
                for o in p.requests.borrow_mut().drain(..) {
                    orders.lock().unwrap().push((o.callback_id, o.key));
                }
                done.wait();
            }
        }));
    }
    let mut made = 0;
    for round in 0..ROUNDS {
        for k in 0..PER_ROUND {
            request(&app, &format!("r{round}-{k}"));
            made += 1;
        }
        start.wait();
        done.wait();
        // Every dial of the round reaches the customer; the agents are free
        // again for the next round.
        let dialling = q(
            &app,
            "SELECT id FROM callbacks WHERE stage = 'dialing'",
            &[],
        );
        for row in dialling {
            let Value::Integer(id) = row[0] else { panic!() };
            report(&app, id, 1, AttemptResult::Completed);
        }
        app.advance(10);
        *now_ms.lock().unwrap() = app.now().as_millisecond();
    }
    for w in workers {
        w.join().unwrap();
    }
    let orders = orders.lock().unwrap().clone();
    let mut per: HashMap<i64, usize> = HashMap::new();
    for (id, _) in &orders {
        *per.entry(*id).or_insert(0) += 1;
    }
    assert!(
        per.values().all(|n| *n == 1),
        "a request dialled twice: {per:?}"
    );
    let attempts = one(&app, "SELECT COUNT(*) FROM callback_attempts", &[]);
    assert_eq!(attempts, Value::from(i64::try_from(orders.len()).unwrap()));
    // Six agents per round: most requests were dialled by now.
    assert!(
        orders.len() >= 100,
        "only {} of {made} dialled",
        orders.len()
    );
    // Busy errors (one connection waiting on the other's write lock past
    // the timeout) are allowed; a double dial is not.
    let errors = errors.lock().unwrap().clone();
    assert!(
        errors
            .iter()
            .all(|e| e.contains("locked") || e.contains("busy")),
        "{errors:?}"
    );
    let _ = tenant;
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cb_5_a_ghost_call_closes_as_lost_after_the_limit_and_not_before() {
    let (app, _) = center();
    app.deliver_ok(CallScript::inbound("ghost", "010-5555-6666").queued(1));
    let live = |app: &TestApp| one(app, "SELECT live FROM calls WHERE call_id = 'ghost'", &[]);
    let result = |app: &TestApp| one(app, "SELECT result FROM calls WHERE call_id = 'ghost'", &[]);
    assert_eq!(live(&app), Value::from("waiting"));
    let p = FakeProvider::default();
    app.advance(3 * 3600 - 5);
    let r = tick(&app, &p);
    assert_eq!(r.count("lost"), 0);
    assert_eq!(live(&app), Value::from("waiting"));
    app.advance(10);
    let r = tick(&app, &p);
    assert_eq!(r.count("lost"), 1);
    assert_eq!(live(&app), Value::Null);
    assert_eq!(result(&app), Value::from("lost"));
    // Never answered nor abandoned.
    let counted = one(
        &app,
        "SELECT COUNT(*) FROM calls WHERE result IN ('answered', 'abandoned')",
        &[],
    );
    assert_eq!(counted, Value::from(0));
    // The real end, however late, wins.
    app.deliver_ok(
        CallScript::later("ghost")
            .ids("ghost-late")
            .starting_after(3 * 3600 + 60)
            .ended(),
    );
    assert_eq!(result(&app), Value::from("abandoned"));
}

#[test]
fn cb_5_a_silent_agent_app_is_logged_out_at_the_time_it_was_last_seen() {
    let (app, tenant) = center();
    let agent = app.agent_login(tenant, "kim");
    app.advance(600);
    let me = agent.get("/api/agent/me");
    assert_eq!(me.status, 200, "{}", me.json_body());
    let seen = app.now().as_millisecond();
    let session = agent.body["session"].as_str().unwrap().to_owned();
    let logout = |app: &TestApp| {
        one(
            app,
            "SELECT logout_ms FROM agent_sessions WHERE session = ?",
            &[session.clone().into()],
        )
    };
    let p = FakeProvider::default();
    // The session lifetime is 480 minutes by default.
    app.advance(480 * 60 - 10);
    tick(&app, &p);
    assert_eq!(logout(&app), Value::Null);
    app.advance(20);
    let r = tick(&app, &p);
    assert_eq!(r.count("closed"), 1);
    assert_eq!(logout(&app), Value::from(seen));
    let state = one(
        &app,
        "SELECT state FROM agent_states WHERE agent = 'kim' AND ended_ms IS NULL",
        &[],
    );
    assert_eq!(state, Value::from("logged_out"));
}

#[test]
fn run_4_the_tick_reports_its_steps_and_a_minute_without_one_is_stalled() {
    let (app, _) = center();
    let before = block_on(worker::status(app.db.as_ref(), app.now())).unwrap();
    assert!(before.stalled);
    request(&app, "c1");
    let p = FakeProvider::default();
    tick(&app, &p);
    let s = block_on(worker::status(app.db.as_ref(), app.now())).unwrap();
    assert!(!s.stalled);
    let r = s.last_report.unwrap();
    let names: Vec<&str> = r.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["callbacks", "rollup", "housekeeping"]);
    assert_eq!(r.count("dialled"), 1);
    app.advance(61);
    assert!(
        block_on(worker::status(app.db.as_ref(), app.now()))
            .unwrap()
            .stalled
    );
    let _: Option<Json> = None;
}

#[test]
fn run_4_the_operator_sees_the_worker_and_runs_a_tick_on_demand_which_is_audited() {
    let (app, tenant) = center();
    let op = app.operator();
    let s = op.get("/api/operator/worker");
    assert_eq!(s.status, 200);
    assert_eq!(s.json_body()["stalled"], true);
    request(&app, "c1");
    // No provider configured here: the callback waits, the rest runs.
    let r = op.post_empty("/api/operator/worker/tick");
    assert_eq!(r.status, 200, "{}", r.json_body());
    let steps = r.json_body()["steps"].clone();
    assert_eq!(steps[0]["name"], "callbacks");
    assert_eq!(steps[0]["counts"]["waiting_no_provider"], 1);
    let s = op.get("/api/operator/worker").json_body();
    assert_eq!(s["stalled"], false);
    assert_eq!(s["last_report"]["steps"][2]["name"], "housekeeping");
    assert!(
        app.audit_rows()
            .iter()
            .any(|(a, l, o)| a == "worker.tick" && l == "operator" && *o == 200),
        "{:?}",
        app.audit_rows()
    );
    // A tenant's owner may do neither.
    let owner = app.owner_of("acme");
    assert_eq!(owner.get("/api/operator/worker").status, 403);
    assert_eq!(owner.post_empty("/api/operator/worker/tick").status, 403);
    let _ = tenant;
}

#[test]
fn run_4_owners_and_managers_see_a_stalled_worker_on_the_dashboard_and_viewers_do_not_ask() {
    let (app, _) = center();
    let owner = app.owner_of("acme");
    let get = |s: &support::Session| {
        let r = s.get("/api/dashboard/worker");
        assert_eq!(r.status, 200, "{}", r.json_body());
        r.json_body()
    };
    // Never ticked: stalled, with no last tick.
    let never = get(&owner);
    assert_eq!(never["stalled"], true);
    assert_eq!(never["last_tick"], Json::Null);
    assert_eq!(never["stalled_after_seconds"], 60);
    tick(&app, &FakeProvider::default());
    let fresh = get(&owner);
    assert_eq!(fresh["stalled"], false, "{fresh}");
    let at = fresh["last_tick"].as_str().unwrap().to_owned();
    // 60 s without a tick is still fine; past that it is stalled, and the
    // warning says when it last ran.
    app.advance(60);
    assert_eq!(get(&owner)["stalled"], false);
    app.advance(2);
    let stalled = get(&owner);
    assert_eq!(stalled["stalled"], true);
    assert_eq!(stalled["last_tick"], at.as_str());
    // A manager sees it too; a viewer may not ask (the page does not).
    let mk = |login: &str, role: &str| {
        let r = owner.post(
            "/api/users",
            json!({ "login_id": login, "name": login, "role": role, "password": "admin-pass-123" }),
        );
        assert_eq!(r.status, 201, "{}", r.json_body());
        app.login(login, "admin-pass-123")
    };
    assert_eq!(get(&mk("acme-mgr", "manager"))["stalled"], true);
    assert_eq!(
        mk("acme-view", "viewer")
            .get("/api/dashboard/worker")
            .status,
        403
    );
    // The next tick clears it.
    tick(&app, &FakeProvider::default());
    assert_eq!(get(&owner)["stalled"], false);
}

#[test]
fn cb_3_owners_and_managers_set_the_callback_policy_on_the_work_settings_page() {
    let (app, tenant) = center();
    let owner = app.owner_of("acme");
    let get = owner.get("/api/settings/work/callbacks").json_body();
    assert_eq!(
        get,
        json!({ "max_attempts": 3, "retry_delay_seconds": 600, "expiry_hours": 24, "saved": false })
    );
    let bad = owner.put(
        "/api/settings/work/callbacks",
        json!({ "max_attempts": 0, "retry_delay_seconds": 10, "expiry_hours": 24 }),
    );
    support::assert_error(&bad, 422, "validation_failed");
    let fields = bad.json_body()["error"]["fields"].clone();
    assert_eq!(fields["max_attempts"]["code"], "number_range");
    assert_eq!(fields["retry_delay_seconds"]["params"]["min"], "60");
    assert!(fields.get("expiry_hours").is_none());
    let ok = owner.put(
        "/api/settings/work/callbacks",
        json!({ "max_attempts": 1, "retry_delay_seconds": 300, "expiry_hours": 12 }),
    );
    assert_eq!(ok.status, 200, "{}", ok.json_body());
    assert_eq!(ok.json_body()["saved"], true);
    let viewer = owner.add_admin("acme-viewer", "viewer");
    assert_eq!(
        viewer.get("/api/settings/work/callbacks").json_body()["max_attempts"],
        1
    );
    let refused = viewer.put(
        "/api/settings/work/callbacks",
        json!({ "max_attempts": 5, "retry_delay_seconds": 300, "expiry_hours": 12 }),
    );
    assert_eq!(refused.status, 403);
    // The worker follows it: one attempt only.
    let id = request(&app, "c1");
    let p = FakeProvider::default();
    tick(&app, &p);
    report(&app, id, 1, AttemptResult::NoAnswer);
    tick(&app, &p);
    assert_eq!(status_of(&app, id), "failed");
    let _ = tenant;
}

#[test]
fn cb_3_an_admin_deletes_an_open_request_through_the_api_and_only_an_open_one() {
    let (app, tenant) = center();
    let id = request(&app, "c1");
    let owner = app.owner_of("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    assert_eq!(
        viewer
            .delete(&format!("/api/history/callbacks/{id}"))
            .status,
        403
    );
    let (_, other) = app.tenant("other");
    assert_eq!(
        other.delete(&format!("/api/history/callbacks/{id}")).status,
        404
    );
    let r = owner.delete(&format!("/api/history/callbacks/{id}"));
    assert_eq!(r.status, 204);
    let again = owner.delete(&format!("/api/history/callbacks/{id}"));
    support::assert_error(&again, 409, "callback_not_open");
    assert_eq!(again.json_body()["error"]["params"]["status"], "deleted");
    let p = FakeProvider::default();
    tick(&app, &p);
    assert!(p.requests.borrow().is_empty());
    let t = transitions(&app, tenant, id);
    assert_eq!(t.last().unwrap(), "requested>deleted:deleted_by_admin");
    assert!(
        app.audit_rows()
            .iter()
            .any(|(a, _, o)| a == "callbacks.delete" && *o == 204)
    );
}

/// CB-5: the hourly upkeep gives the planner statistics (`PRAGMA optimize`),
/// once an hour whatever the number of ticks.
#[test]
fn cb_5_the_hourly_upkeep_analyses_the_tables_once_an_hour() {
    let (app, _) = center();
    let p = FakeProvider::default();
    let stats = |app: &TestApp| {
        q(
            app,
            "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'",
            &[],
        )[0][0]
            .clone()
    };
    assert_eq!(stats(&app), Value::from(0));
    tick(&app, &p); // the first tick makes the worker's row
    let r = tick(&app, &p);
    assert_eq!(r.count("optimized"), 1);
    let analysed = one(
        &app,
        "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'agent_states'",
        &[],
    );
    assert_ne!(analysed, Value::from(0));
    app.advance(600);
    assert_eq!(
        tick(&app, &p).count("optimized"),
        0,
        "not twice within the hour"
    );
    app.advance(3000);
    assert_eq!(tick(&app, &p).count("optimized"), 1);
}

#[test]
fn cb_5_a_silent_provider_reported_agent_is_logged_out_at_the_last_seen_time_not_before_the_limit()
{
    // center(): the provider signed lee in at START-600 s and kim at
    // START-300 s; neither has an agent app (no presence).
    let (app, _) = center();
    let start = support::START_MS;
    let logout = |app: &TestApp, s: &str| {
        one(
            app,
            "SELECT logout_ms FROM agent_sessions WHERE session = ?",
            &[s.into()],
        )
    };
    let p = FakeProvider::default();
    // kim is heard of an hour later (a state change).
    app.advance(3600);
    app.deliver_ok(
        AgentScript::later("kim", "s-kim")
            .ids("kim-away")
            .starting_after(3600)
            .state(AgentState::Away),
    );
    // 12 hours after lee was last seen, less 10 s: nobody is logged out.
    app.set_now(
        jiff::Timestamp::from_millisecond(start - 600_000 + 12 * 3_600_000 - 10_000).unwrap(),
    );
    let r = tick(&app, &p);
    assert_eq!(r.count("closed"), 0);
    assert_eq!(logout(&app, "s-lee"), Value::Null);
    // Past the limit: lee is logged out at the time last seen (the login),
    // kim (seen 1 h after START) is not yet.
    app.advance(20);
    let r = tick(&app, &p);
    assert_eq!(r.count("closed"), 1);
    // (1 ms after: the logout orders after the state begun at that time.)
    assert_eq!(logout(&app, "s-lee"), Value::from(start - 600_000 + 1));
    assert_eq!(logout(&app, "s-kim"), Value::Null);
    let current = |agent: &str| {
        q(
            &app,
            "SELECT state, started_ms FROM agent_states WHERE agent = ? AND ended_ms IS NULL",
            &[agent.into()],
        )
    };
    assert_eq!(
        current("lee"),
        vec![vec![
            Value::from("logged_out"),
            Value::from(start - 600_000 + 1)
        ]]
    );
    assert_eq!(current("kim")[0][0], Value::from("away"));
    // kim, 12 hours after the state change.
    app.set_now(
        jiff::Timestamp::from_millisecond(start + 3_600_000 + 12 * 3_600_000 + 1_000).unwrap(),
    );
    let r = tick(&app, &p);
    assert_eq!(r.count("closed"), 1);
    assert_eq!(logout(&app, "s-kim"), Value::from(start + 3_600_000 + 1));
    assert_eq!(
        current("kim"),
        vec![vec![
            Value::from("logged_out"),
            Value::from(start + 3_600_000 + 1)
        ]]
    );
    // Closed once: the next tick finds nothing.
    assert_eq!(tick(&app, &p).count("closed"), 0);
}

fn housekeeping(app: &TestApp) -> worker::Counts {
    let kv = app.host().kv.clone();
    let cx = worker::TickCx {
        db: app.db.as_ref(),
        kv: kv.as_ref(),
        session_lifetime_minutes: 480,
        now: app.now(),
        provider: None,
        worker: "w-test".into(),
        now_ms: app.now().as_millisecond(),
        limits: Limits::default(),
        started: std::time::Instant::now(),
    };
    let c = block_on(worker::housekeeping::run(&cx)).unwrap();
    assert!(c.errors.is_empty(), "{c:?}");
    c
}

#[test]
fn cb_5_retention_per_tenant_deletes_old_records_only_once_the_statistics_have_them() {
    use switchboard_app::worker::rollup::{self, Budget};
    let (app, tenant) = center();
    let owner = app.owner_of("acme");
    // The setting: default 400 days, 100..=1825, audited.
    let r = owner.get("/api/settings/work/retention").json_body();
    assert_eq!(r["retention_days"], 400);
    assert_eq!(r["saved"], false);
    let bad = owner.put(
        "/api/settings/work/retention",
        json!({ "retention_days": 99 }),
    );
    support::assert_error(&bad, 422, "validation_failed");
    assert_eq!(
        bad.json_body()["error"]["fields"]["retention_days"]["code"],
        "number_range"
    );
    let viewer = {
        let r = owner.post(
            "/api/users",
            json!({ "login_id": "acme-view", "name": "v", "role": "viewer", "password": "admin-pass-123" }),
        );
        assert_eq!(r.status, 201);
        app.login("acme-view", "admin-pass-123")
    };
    assert_eq!(
        viewer
            .put(
                "/api/settings/work/retention",
                json!({ "retention_days": 100 })
            )
            .status,
        403
    );
    let ok = owner.put(
        "/api/settings/work/retention",
        json!({ "retention_days": 100 }),
    );
    assert_eq!(ok.status, 200, "{}", ok.json_body());
    assert_eq!(ok.json_body()["saved"], true);
    assert!(
        app.audit_rows()
            .iter()
            .any(|(a, _, o)| a == "retention.update" && *o == 200),
        "{:?}",
        app.audit_rows()
    );

    // 200 days ago (10:00 in Seoul): a call answered by kim, recorded; a
    // callback request that was completed; kim's session, ended.
    let start = support::START_MS;
    let old = jiff::Timestamp::from_millisecond(start - 200 * 86_400_000).unwrap();
    app.set_now(old);
    app.deliver_ok(
        AgentScript::login("kim", "s-old", Platform::Pc, "10.0.0.1")
            .starting_at(old)
            .wait(600)
            .logout(),
    );
    app.deliver_ok(
        CallScript::inbound("old-call", "010-1111-2222")
            .starting_at(old)
            .queued(1)
            .wait(5)
            .offered("kim")
            .wait(3)
            .answered("kim")
            .wait(60)
            .recording_ready(
                "https://rec.example/old.mp3",
                60.0,
                switchboard_telephony::RecordingFormat::Mp3,
            )
            .ended(),
    );
    app.set_now(jiff::Timestamp::from_millisecond(start).unwrap());
    // Today: a call that stays.
    app.deliver_ok(
        CallScript::inbound("new-call", "010-3333-4444")
            .queued(1)
            .wait(4)
            .abandoned(),
    );
    let calls = |app: &TestApp| {
        q(app, "SELECT call_id FROM calls ORDER BY call_id", &[])
            .into_iter()
            .map(|r| r[0].clone())
            .collect::<Vec<_>>()
    };
    let old_day = old
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Seoul").unwrap())
        .date();
    let stats_q = format!("/api/stats/tenant?from={old_day}&to={old_day}");

    // Not rolled up yet (the watermark is at the old call's hour): nothing
    // of it is deleted, whatever the retention says.
    let old_hour = (old.as_millisecond() / 3_600_000) * 3_600_000;
    block_on(app.db.execute(
        "INSERT INTO rollup_state (id, rolled_until_ms, updated_ms) VALUES (1, ?1, ?1)",
        &[old_hour.into()],
    ))
    .unwrap();
    let c = housekeeping(&app);
    assert_eq!(c.get("records_deleted"), 0, "{c:?}");
    assert_eq!(calls(&app).len(), 2);

    // Rolled up: the statistics of that day come from the hourly buckets.
    block_on(rollup::run(
        app.db.as_ref(),
        app.now(),
        Budget {
            hours: 24 * 300,
            dirty: 500,
        },
    ))
    .unwrap();
    let figures = |s: &support::Session| {
        let r = s.get(&stats_q).json_body();
        json!({ "totals": r["totals"], "rows": r["rows"] })
    };
    let before = figures(&owner);
    assert_eq!(before["totals"]["answered"], 1, "{before}");
    let c = housekeeping(&app);
    assert!(c.get("records_deleted") >= 4, "{c:?}"); // call, recording, session, states
    assert!(c.get("events_deleted") >= 8, "{c:?}");
    assert_eq!(calls(&app), vec![Value::from("new-call")]);
    for (table, sql) in [
        ("recordings", "SELECT COUNT(*) FROM recordings"),
        (
            "agent_sessions",
            "SELECT COUNT(*) FROM agent_sessions WHERE session = 's-old'",
        ),
        (
            "events",
            "SELECT COUNT(*) FROM telephony_events WHERE call_id = 'old-call'",
        ),
        (
            "states",
            "SELECT COUNT(*) FROM agent_states WHERE ended_ms < 1780000000000",
        ),
    ] {
        assert_eq!(one(&app, sql, &[]), Value::from(0), "{table}");
    }
    // Today's call and its events stay; the statistics of the old day too.
    assert_eq!(
        one(
            &app,
            "SELECT COUNT(*) FROM telephony_events WHERE call_id = 'new-call'",
            &[]
        ),
        Value::from(3)
    );
    assert_eq!(figures(&owner), before);
    // A late event for the deleted call does not make the roll-up recompute
    // that hour from what is left.
    app.deliver_ok(
        CallScript::later("old-call")
            .ids("old-late")
            .starting_at(old)
            .wait(120)
            .ended(),
    );
    block_on(rollup::run(app.db.as_ref(), app.now(), Budget::default())).unwrap();
    assert_eq!(figures(&owner), before);
    // The other tenant's retention is its own (default 400 days).
    assert_eq!(
        block_on(switchboard_app::records::retention::days(
            app.db.as_ref(),
            tenant + 1000
        ))
        .unwrap()
        .days(),
        400
    );
}
