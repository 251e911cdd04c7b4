//! The flow as a caller meets it: table-driven over the center's hours
//! (open, closed, each kind of holiday), the menu's kinds, callback on and
//! off, the queue's load and the caller's input.

use super::*;
use crate::schedule::{ClosedReason, HolidayKind, Status};
use crate::{PromptLanguage, TtsText};

const READY: QueueLoad = QueueLoad {
    ready_agents: 2,
    expected_wait_seconds: 10,
};
const NONE_READY: QueueLoad = QueueLoad {
    ready_agents: 0,
    expected_wait_seconds: 0,
};
const LONG_WAIT: QueueLoad = QueueLoad {
    ready_agents: 1,
    expected_wait_seconds: 600,
};

fn text(s: &str) -> Spoken {
    Spoken::text(&TtsText::parse(s).expect("test prompt"))
}

/// Menu 1: agents of 주문 (callback as given); menu 2: a message;
/// menu 3: agents of 배송 without callback.
fn settings(callback: bool) -> FlowSettings {
    FlowSettings {
        language: PromptLanguage::Korean,
        greeting: text("안녕하십니까 테스트 고객센터입니다."),
        out_of_hours: text("지금은 상담 시간이 아닙니다."),
        connecting: text("상담사에게 연결합니다."),
        busy: text("모든 상담사가 통화 중입니다."),
        callback: text("콜백을 원하시면 1번을 눌러 주십시오."),
        busy_wait_seconds: 120,
        menus: vec![
            FlowMenu {
                digit: 1,
                kind: FlowMenuKind::Agents {
                    queue: "주문".into(),
                    callback,
                },
            },
            FlowMenu {
                digit: 2,
                kind: FlowMenuKind::Info(text("영업시간은 평일 9시부터 6시까지입니다.")),
            },
            FlowMenu {
                digit: 3,
                kind: FlowMenuKind::Agents {
                    queue: "배송".into(),
                    callback: false,
                },
            },
        ],
        can_call_back: true,
    }
}

fn holiday(kind: HolidayKind) -> Status {
    Status::Closed(ClosedReason::Holiday {
        name: "추석".into(),
        kind,
    })
}

/// A caller's walk: each key (or `None` for silence) answers the last
/// gather; returns the decisions made, in order, and the last step.
fn walk(
    settings: &FlowSettings,
    status: &Status,
    load: QueueLoad,
    keys: &[Option<&str>],
) -> (Vec<&'static str>, Step) {
    let load = move |_: u8| load;
    let mut step = next(settings, status, Position::Start, Input::None, &load);
    let mut decisions = vec![step.decision];
    for key in keys {
        let Some(Action::Gather { then, .. }) = step.actions.last().cloned() else {
            panic!("no gather to answer after {decisions:?}");
        };
        step = next(settings, status, then, Input::parse(*key, true), &load);
        decisions.push(step.decision);
    }
    (decisions, step)
}

fn ends_call(step: &Step) -> bool {
    step.actions.last() == Some(&Action::Hangup)
}

fn enqueued(step: &Step) -> Option<&str> {
    step.actions.iter().find_map(|a| match a {
        Action::Enqueue { queue } => Some(queue.as_str()),
        _ => None,
    })
}

fn booked(step: &Step) -> Option<&str> {
    step.actions.iter().find_map(|a| match a {
        Action::BookCallback { queue, .. } => Some(queue.as_str()),
        _ => None,
    })
}

fn heard(step: &Step) -> Vec<String> {
    let mut out = Vec::new();
    for a in &step.actions {
        let spoken: Vec<&Spoken> = match a {
            Action::Say(s) => vec![s],
            Action::Gather { prompts, .. } => prompts.iter().collect(),
            _ => vec![],
        };
        for s in spoken {
            out.push(match s {
                Spoken::Text { text, .. } => text.clone(),
                Spoken::Audio { file_id } => format!("audio:{file_id}"),
            });
        }
    }
    out
}

#[test]
fn an_open_center_greets_and_reads_the_menu() {
    let (decisions, step) = walk(&settings(true), &Status::Open, READY, &[]);
    assert_eq!(decisions, ["flow.menu"]);
    assert_eq!(step.hours, Some(Hours::Open));
    assert_eq!(
        heard(&step),
        [
            "안녕하십니까 테스트 고객센터입니다.",
            "주문 상담사 연결은 1번, 안내 말씀은 2번, 배송 상담사 연결은 3번을 눌러 주십시오."
        ]
    );
}

#[test]
fn the_agents_menu_by_load_and_callback() {
    // (callback on the menu, load, keys after the menu) → decisions, queue
    // entered, callback booked
    type Case = (
        bool,
        QueueLoad,
        &'static [Option<&'static str>],
        &'static [&'static str],
        Option<&'static str>,
        Option<&'static str>,
    );
    let cases: &[Case] = &[
        (
            true,
            READY,
            &[Some("1")],
            &["flow.menu", "flow.enqueue"],
            Some("주문"),
            None,
        ),
        (
            false,
            READY,
            &[Some("1")],
            &["flow.menu", "flow.enqueue"],
            Some("주문"),
            None,
        ),
        (
            true,
            NONE_READY,
            &[Some("1")],
            &["flow.menu", "flow.busy_offer"],
            None,
            None,
        ),
        (
            true,
            LONG_WAIT,
            &[Some("1")],
            &["flow.menu", "flow.busy_offer"],
            None,
            None,
        ),
        (
            false,
            NONE_READY,
            &[Some("1")],
            &["flow.menu", "flow.busy_hold"],
            Some("주문"),
            None,
        ),
        (
            false,
            LONG_WAIT,
            &[Some("1")],
            &["flow.menu", "flow.busy_hold"],
            Some("주문"),
            None,
        ),
        // offered a callback: 1 books it, anything else keeps the place in line
        (
            true,
            NONE_READY,
            &[Some("1"), Some("1")],
            &["flow.menu", "flow.busy_offer", "flow.callback"],
            None,
            Some("주문"),
        ),
        (
            true,
            LONG_WAIT,
            &[Some("1"), None],
            &["flow.menu", "flow.busy_offer", "flow.busy_hold"],
            Some("주문"),
            None,
        ),
        (
            true,
            LONG_WAIT,
            &[Some("1"), Some("7")],
            &["flow.menu", "flow.busy_offer", "flow.busy_hold"],
            Some("주문"),
            None,
        ),
        // menu 3 never offers a callback, whatever menu 1 allows
        (
            true,
            NONE_READY,
            &[Some("3")],
            &["flow.menu", "flow.busy_hold"],
            Some("배송"),
            None,
        ),
    ];
    for (i, (callback, load, keys, want, queue, callback_queue)) in cases.iter().enumerate() {
        let (decisions, step) = walk(&settings(*callback), &Status::Open, *load, keys);
        assert_eq!(&decisions, want, "case {i}");
        assert_eq!(enqueued(&step), *queue, "case {i}: queue");
        assert_eq!(booked(&step), *callback_queue, "case {i}: callback");
        if callback_queue.is_some() {
            assert!(
                ends_call(&step),
                "case {i}: a booked callback ends the call"
            );
        }
    }
}

#[test]
fn a_busy_queue_says_so_before_offering_or_holding() {
    let (_, offer) = walk(&settings(true), &Status::Open, NONE_READY, &[Some("1")]);
    assert_eq!(
        heard(&offer),
        [
            "모든 상담사가 통화 중입니다.",
            "콜백을 원하시면 1번을 눌러 주십시오."
        ]
    );
    let (_, ready) = walk(&settings(true), &Status::Open, READY, &[Some("1")]);
    assert_eq!(heard(&ready), ["상담사에게 연결합니다."]);
    // The threshold is the saved one: a wait of exactly it is not "long".
    let at_threshold = QueueLoad {
        ready_agents: 1,
        expected_wait_seconds: 120,
    };
    let (d, _) = walk(&settings(true), &Status::Open, at_threshold, &[Some("1")]);
    assert_eq!(d.last(), Some(&"flow.enqueue"));
    let over = QueueLoad {
        ready_agents: 1,
        expected_wait_seconds: 121,
    };
    let (d, _) = walk(&settings(true), &Status::Open, over, &[Some("1")]);
    assert_eq!(d.last(), Some(&"flow.busy_offer"));
}

#[test]
fn an_information_menu_plays_again_or_returns_to_the_start() {
    let s = settings(true);
    let (decisions, step) = walk(&s, &Status::Open, READY, &[Some("2")]);
    assert_eq!(decisions, ["flow.menu", "flow.info"]);
    assert_eq!(
        heard(&step),
        [
            "영업시간은 평일 9시부터 6시까지입니다.",
            "다시 들으시려면 1번, 처음으로 돌아가시려면 2번을 눌러 주십시오."
        ]
    );
    let (decisions, _) = walk(&s, &Status::Open, READY, &[Some("2"), Some("1"), Some("1")]);
    assert_eq!(
        decisions,
        ["flow.menu", "flow.info", "flow.info", "flow.info"]
    );
    let (decisions, step) = walk(&s, &Status::Open, READY, &[Some("2"), Some("2")]);
    assert_eq!(decisions, ["flow.menu", "flow.info", "flow.menu"]);
    assert_eq!(
        step.hours, None,
        "a return to the start does not classify the call again"
    );
    let (decisions, step) = walk(&s, &Status::Open, READY, &[Some("2"), Some("2"), Some("1")]);
    assert_eq!(decisions.last(), Some(&"flow.enqueue"));
    assert_eq!(enqueued(&step), Some("주문"));
}

#[test]
fn no_or_wrong_input_is_asked_again_then_the_call_ends() {
    let s = settings(true);
    for (what, key) in [
        ("silence", None),
        ("a missing digit", Some("9")),
        ("a star", Some("*")),
        ("several keys", Some("12")),
        ("garbage", Some("x")),
    ] {
        let (decisions, step) = walk(&s, &Status::Open, READY, &[key, key, key]);
        assert_eq!(
            decisions,
            ["flow.menu", "flow.retry", "flow.retry", "flow.give_up"],
            "{what}"
        );
        assert!(ends_call(&step), "{what}");
        assert_eq!(heard(&step), ["전화해 주셔서 감사합니다. 안녕히 계십시오."]);
    }
    // A re-prompt says why, then the menu again.
    let (_, silence) = walk(&s, &Status::Open, READY, &[None]);
    assert_eq!(
        heard(&silence)[0],
        "입력이 없습니다. 다시 안내해 드리겠습니다."
    );
    let (_, wrong) = walk(&s, &Status::Open, READY, &[Some("9")]);
    assert_eq!(
        heard(&wrong)[0],
        "잘못 누르셨습니다. 다시 안내해 드리겠습니다."
    );
    assert!(heard(&wrong)[1].contains("1번"));
    // A right digit after a wrong one still counts.
    let (decisions, _) = walk(&s, &Status::Open, READY, &[Some("9"), Some("1")]);
    assert_eq!(decisions, ["flow.menu", "flow.retry", "flow.enqueue"]);
    // The same bound after a message.
    let (decisions, step) = walk(
        &s,
        &Status::Open,
        READY,
        &[Some("2"), None, Some("5"), None],
    );
    assert_eq!(
        decisions,
        [
            "flow.menu",
            "flow.info",
            "flow.retry",
            "flow.retry",
            "flow.give_up"
        ]
    );
    assert!(ends_call(&step));
}

#[test]
fn out_of_hours_and_days_off_play_the_out_of_hours_prompt() {
    for reason in [ClosedReason::OutOfHours, ClosedReason::DayOff] {
        let closed = Status::Closed(reason.clone());
        // No menu allows a callback: the prompt, then the call ends.
        let mut no_callback = settings(false);
        no_callback.menus.retain(|m| m.digit != 1);
        let (decisions, step) = walk(&no_callback, &closed, READY, &[]);
        assert_eq!(decisions, ["flow.closed"], "{reason:?}");
        assert_eq!(step.hours, Some(Hours::Closed));
        assert_eq!(heard(&step), ["지금은 상담 시간이 아닙니다."]);
        assert!(ends_call(&step));
        // A menu allows callbacks: offered; 1 books it for that menu's queue.
        let (decisions, step) = walk(&settings(true), &closed, READY, &[Some("1")]);
        assert_eq!(decisions, ["flow.closed", "flow.callback"]);
        assert_eq!(booked(&step), Some("주문"));
        assert!(ends_call(&step));
        let (decisions, step) = walk(&settings(true), &closed, READY, &[None]);
        assert_eq!(decisions, ["flow.closed", "flow.goodbye"]);
        assert_eq!(booked(&step), None);
        assert!(ends_call(&step));
    }
}

#[test]
fn a_holiday_plays_the_prompt_of_its_kind() {
    for (kind, words) in [
        (HolidayKind::Holiday, "추석, 휴무일이라"),
        (HolidayKind::National, "추석, 공휴일이라"),
        (HolidayKind::Temporary, "추석, 임시 휴무일이라"),
    ] {
        for callback in [false, true] {
            let mut s = settings(callback);
            if !callback {
                s.menus.retain(|m| m.digit != 1);
            }
            let (decisions, step) = walk(&s, &holiday(kind), READY, &[]);
            assert_eq!(decisions, ["flow.holiday"]);
            assert_eq!(step.hours, Some(Hours::Holiday));
            assert!(heard(&step)[0].contains(words), "{:?}", heard(&step));
            assert_eq!(ends_call(&step), !callback, "{kind:?} callback {callback}");
            if callback {
                let (_, booked_step) = walk(&s, &holiday(kind), READY, &[Some("1")]);
                assert_eq!(booked(&booked_step), Some("주문"));
            }
        }
    }
}

#[test]
fn a_tenant_without_settings_gets_a_polite_flow() {
    let s = FlowSettings::defaults("주식회사 테스트", PromptLanguage::Korean);
    let (decisions, step) = walk(&s, &Status::Open, READY, &[]);
    assert_eq!(decisions, ["flow.no_menu"]);
    assert!(heard(&step)[0].contains("테스트 고객센터"));
    assert!(ends_call(&step));
    let (decisions, step) = walk(&s, &Status::Closed(ClosedReason::OutOfHours), READY, &[]);
    assert_eq!(decisions, ["flow.closed"]);
    assert!(ends_call(&step));
}

#[test]
fn a_menu_changed_during_the_call_starts_again_from_what_is_saved() {
    let before = settings(true);
    let load = |_: u8| READY;
    let info = next(&before, &Status::Open, Position::Start, Input::None, &load);
    assert_eq!(info.decision, "flow.menu");
    // The admin deletes menu 2 while the caller listens to its message.
    let mut after = settings(true);
    after.menus.retain(|m| m.digit != 2);
    let step = next(
        &after,
        &Status::Open,
        Position::Info { digit: 2, tries: 0 },
        Input::Key('1'),
        &load,
    );
    assert_eq!(step.decision, "flow.menu");
    assert!(heard(&step)[1].contains("배송"));
    assert!(!heard(&step)[1].contains("안내 말씀"));
}

#[test]
fn english_prompts_are_read_in_english() {
    let greeting = Spoken::text(&TtsText::parse("Welcome to Acme.").expect("text"));
    assert_eq!(
        greeting,
        Spoken::Text {
            text: "Welcome to Acme.".into(),
            language: PromptLanguage::English
        }
    );
    let korean = Spoken::text(&TtsText::parse("Acme 고객센터").expect("text"));
    assert!(matches!(
        korean,
        Spoken::Text {
            language: PromptLanguage::Korean,
            ..
        }
    ));
}

#[test]
fn digits_are_parsed_strictly() {
    assert_eq!(Input::parse(None, false), Input::None);
    assert_eq!(Input::parse(None, true), Input::Timeout);
    assert_eq!(Input::parse(Some(""), true), Input::Timeout);
    assert_eq!(Input::parse(Some("5"), true), Input::Key('5'));
    assert_eq!(Input::parse(Some("#"), true), Input::Key('#'));
    assert_eq!(Input::parse(Some("*"), true), Input::Key('*'));
    assert_eq!(Input::parse(Some("55"), true), Input::Invalid);
    assert_eq!(Input::parse(Some("a"), true), Input::Invalid);
    assert_eq!(
        Input::parse(Some("٣"), true),
        Input::Invalid,
        "non-ASCII digits are not keys"
    );
    let enormous = "1".repeat(1 << 20);
    assert_eq!(Input::parse(Some(&enormous), true), Input::Invalid);
}

#[test]
fn a_callback_is_offered_and_booked_only_where_it_can_happen() {
    let load = |_: u8| NONE_READY;
    // Callbacks turned off on menu 1 after the offer: pressing 1 at the
    // offer keeps the caller in line instead of booking.
    let off = settings(false);
    let step = next(
        &off,
        &Status::Open,
        Position::BusyOffer { digit: 1 },
        Input::Key('1'),
        &load,
    );
    assert_eq!(step.decision, "flow.busy_hold");
    assert_eq!(booked(&step), None);
    // A caller without a number is not offered a callback, busy or closed.
    let mut anonymous = settings(true);
    anonymous.can_call_back = false;
    let (decisions, step) = walk(&anonymous, &Status::Open, NONE_READY, &[Some("1")]);
    assert_eq!(decisions, ["flow.menu", "flow.busy_hold"]);
    assert_eq!(enqueued(&step), Some("주문"));
    let (decisions, step) = walk(
        &anonymous,
        &Status::Closed(ClosedReason::OutOfHours),
        READY,
        &[],
    );
    assert_eq!(decisions, ["flow.closed"]);
    assert!(ends_call(&step));
    let step = next(
        &anonymous,
        &Status::Open,
        Position::BusyOffer { digit: 1 },
        Input::Key('1'),
        &load,
    );
    assert_eq!(booked(&step), None);
    // "Closed, press 1" sent while the center is open starts the call over.
    let step = next(
        &settings(true),
        &Status::Open,
        Position::ClosedOffer,
        Input::Key('1'),
        &load,
    );
    assert_eq!(step.decision, "flow.menu");
    assert_eq!(booked(&step), None);
}
