//! A call-flow step as TwiML, for Twilio's voice webhooks (TEL-3, the
//! Twilio variant): the same engine's [`Step`] the JSON contract renders,
//! written as the verbs Twilio documents — `<Say language=…>`, `<Play>`,
//! `<Gather numDigits="1" action=… timeout=…>`, `<Enqueue>`, `<Redirect>`,
//! `<Hangup/>`, `<Reject/>`.
//!
//! A gather is followed by a `<Redirect>` to the same action: Twilio goes
//! on to the next verb when nothing is pressed, so the redirect asks again
//! without `Digits`, which the flow reads as "no input". Every text and URL
//! is XML-escaped (`quick-xml`).

use quick_xml::escape::escape;
use switchboard_domain::PromptLanguage;
use switchboard_domain::callflow::{Action, Position, Spoken, Step};

/// Where the Twilio side of a step points: the action URL that carries a
/// position, the public URL of an uploaded prompt, Twilio's name for a
/// queue, and the voice `<Say>` uses (none: Twilio's default for the
/// language).
pub struct Links<'a> {
    pub action: &'a dyn Fn(Position) -> String,
    pub audio: &'a dyn Fn(i64) -> Option<String>,
    pub queue: &'a dyn Fn(u8) -> String,
    pub voice: Option<&'a str>,
}

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#;

/// The TwiML of `step`.
pub fn render(step: &Step, links: &Links<'_>) -> String {
    let mut out = String::from(HEAD);
    for action in &step.actions {
        match action {
            Action::Say(s) => spoken(&mut out, s, links),
            Action::Gather {
                prompts,
                timeout_seconds,
                then,
            } => {
                let url = escape((links.action)(*then)).into_owned();
                out.push_str(&format!(
                    r#"<Gather input="dtmf" numDigits="1" timeout="{timeout_seconds}" method="POST" action="{url}">"#
                ));
                for p in prompts {
                    spoken(&mut out, p, links);
                }
                out.push_str("</Gather>");
                out.push_str(&format!(r#"<Redirect method="POST">{url}</Redirect>"#));
            }
            Action::Enqueue { .. } => {
                let digit = step.digit.unwrap_or(0);
                out.push_str(&format!(
                    "<Enqueue>{}</Enqueue>",
                    escape((links.queue)(digit))
                ));
            }
            // Switchboard has booked it; the caller hears the confirmation
            // the step says next.
            Action::BookCallback { .. } => {}
            Action::Hangup => out.push_str("<Hangup/>"),
        }
    }
    out.push_str("</Response>");
    out
}

/// The answer for a number no company holds: the call is refused.
pub fn reject() -> String {
    format!("{HEAD}<Reject/></Response>")
}

fn spoken(out: &mut String, s: &Spoken, links: &Links<'_>) {
    match s {
        Spoken::Text { text, language } => {
            let lang = match language {
                PromptLanguage::Korean => "ko-KR",
                PromptLanguage::English => "en-US",
            };
            let voice = links
                .voice
                .map(|v| format!(r#" voice="{}""#, escape(v)))
                .unwrap_or_default();
            out.push_str(&format!(
                r#"<Say language="{lang}"{voice}>{}</Say>"#,
                escape(text.as_str())
            ));
        }
        Spoken::Audio { file_id } => match (links.audio)(*file_id) {
            Some(url) => out.push_str(&format!("<Play>{}</Play>", escape(url))),
            None => out.push_str(r#"<Pause length="1"/>"#),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;
    use quick_xml::events::Event;
    use switchboard_domain::callflow::{
        FlowMenu, FlowMenuKind, FlowSettings, Input, QueueLoad, next,
    };
    use switchboard_domain::schedule::Status;

    /// One element: its name, attributes and text.
    type Verb = (String, Vec<(String, String)>, String);

    /// The document as its elements in order: what Twilio would read.
    fn verbs(xml: &str) -> Vec<Verb> {
        let mut reader = Reader::from_str(xml);
        let mut out: Vec<Verb> = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e) => {
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("attribute");
                            (
                                a.key.as_ref().to_owned(),
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .expect("value")
                                    .into_owned(),
                            )
                        })
                        .collect();
                    let name = e.name().as_ref().to_owned();
                    out.push((name, attrs, String::new()));
                }
                Event::Text(t) => {
                    if let Some(last) = out.last_mut() {
                        last.2.push_str(&t.xml10_content());
                    }
                }
                // Entities arrive apart from the text around them.
                Event::GeneralRef(r) => {
                    let ch = match r.xml10_content().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity {other}"),
                    };
                    if let Some(last) = out.last_mut() {
                        last.2.push_str(ch);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    fn settings() -> FlowSettings {
        let mut s = FlowSettings::defaults("에이크미 & 파트너스 <주>", PromptLanguage::Korean);
        s.menus = vec![FlowMenu {
            digit: 1,
            kind: FlowMenuKind::Agents {
                queue: "상담".into(),
                callback: false,
            },
        }];
        s
    }

    #[allow(clippy::type_complexity)]
    fn links() -> (
        impl Fn(Position) -> String,
        impl Fn(i64) -> Option<String>,
        impl Fn(u8) -> String,
    ) {
        (
            |p: Position| format!("https://sb.example/hooks/twilio/voice?at={p}&v=1"),
            |id: i64| Some(format!("https://sb.example/hooks/audio/t{id}")),
            |d: u8| format!("t7-q{d}"),
        )
    }

    #[test]
    fn a_menu_is_a_gather_with_its_prompts_then_a_redirect_for_silence() {
        let load = |_: u8| QueueLoad {
            ready_agents: 1,
            expected_wait_seconds: 0,
        };
        let step = next(
            &settings(),
            &Status::Open,
            Position::Start,
            Input::None,
            &load,
        );
        let (action, audio, queue) = links();
        let xml = render(
            &step,
            &Links {
                action: &action,
                audio: &audio,
                queue: &queue,
                voice: Some("Polly.Seoyeon"),
            },
        );
        let v = verbs(&xml);
        let names: Vec<&str> = v.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(names, ["Response", "Gather", "Say", "Say", "Redirect"]);
        let gather = &v[1].1;
        assert!(gather.contains(&("numDigits".into(), "1".into())));
        assert!(gather.contains(&("timeout".into(), "5".into())));
        assert!(gather.contains(&(
            "action".into(),
            "https://sb.example/hooks/twilio/voice?at=menu.0&v=1".into()
        )));
        assert_eq!(
            v[4].2,
            "https://sb.example/hooks/twilio/voice?at=menu.0&v=1"
        );
        assert!(v[2].1.contains(&("language".into(), "ko-KR".into())));
        assert!(v[2].1.contains(&("voice".into(), "Polly.Seoyeon".into())));
        // The company name's `&` and `<` arrive as text, escaped on the wire.
        assert!(v[2].2.contains("에이크미 & 파트너스"), "{}", v[2].2);
        assert!(xml.contains("&amp;"));
    }

    #[test]
    fn a_ready_queue_is_said_then_enqueued_and_a_goodbye_hangs_up() {
        let load = |_: u8| QueueLoad {
            ready_agents: 1,
            expected_wait_seconds: 0,
        };
        let step = next(
            &settings(),
            &Status::Open,
            Position::Menu { tries: 0 },
            Input::Key('1'),
            &load,
        );
        let (action, audio, queue) = links();
        let l = Links {
            action: &action,
            audio: &audio,
            queue: &queue,
            voice: None,
        };
        let v = verbs(&render(&step, &l));
        let names: Vec<&str> = v.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(names, ["Response", "Say", "Enqueue"]);
        assert_eq!(v[2].2, "t7-q1");
        assert!(!v[1].1.iter().any(|(k, _)| k == "voice"));
        let bye = next(
            &settings(),
            &Status::Open,
            Position::Menu { tries: 2 },
            Input::Timeout,
            &load,
        );
        let names: Vec<String> = verbs(&render(&bye, &l)).into_iter().map(|x| x.0).collect();
        assert_eq!(names, ["Response", "Say", "Hangup"]);
        let names: Vec<String> = verbs(&reject()).into_iter().map(|x| x.0).collect();
        assert_eq!(names, ["Response", "Reject"]);
    }

    #[test]
    fn an_uploaded_greeting_is_played_from_its_public_url() {
        let mut s = settings();
        s.greeting = Spoken::Audio { file_id: 42 };
        let load = |_: u8| QueueLoad {
            ready_agents: 0,
            expected_wait_seconds: 0,
        };
        let step = next(&s, &Status::Open, Position::Start, Input::None, &load);
        let (action, audio, queue) = links();
        let v = verbs(&render(
            &step,
            &Links {
                action: &action,
                audio: &audio,
                queue: &queue,
                voice: None,
            },
        ));
        assert_eq!(v[2].0, "Play");
        assert_eq!(v[2].2, "https://sb.example/hooks/audio/t42");
    }
}
