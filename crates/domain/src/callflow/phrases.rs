//! What the flow says that no admin sets: the menu read out from the menu's
//! digits, "1 to hear again", a re-prompt, goodbye, a holiday of each kind.
//! Korean in the formal 하십시오체 of the saved prompts ([`crate::default_prompt`]);
//! English in the plain register of English phone menus. A sentence never
//! puts a particle after a name the admin typed (a queue or holiday name),
//! since 이/가 and 을/를 depend on how the name ends.

use crate::PromptLanguage;
use crate::schedule::HolidayKind;

/// A system phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phrase {
    /// The menu, read from its entries: `(digit, Some(queue))` for a menu
    /// that connects to the agents of `queue`, `(digit, None)` for a message.
    MenuList(Vec<(u8, Option<String>)>),
    /// After a message (ARS-3): 1 to hear it again, 2 for the start.
    InfoRepeat,
    /// No digit was pressed in time.
    NoInput,
    /// A digit the menu does not have.
    WrongDigit,
    /// The caller gave up or was given up on.
    Goodbye,
    /// A callback was booked (CB-1).
    CallbackBooked,
    /// A holiday closes the center today (ARS-5).
    Holiday { name: String, kind: HolidayKind },
    /// The tenant has set up no menu yet.
    NoService,
}

/// `p` in `language`.
pub fn phrase(p: &Phrase, language: PromptLanguage) -> String {
    match language {
        PromptLanguage::Korean => korean(p),
        PromptLanguage::English => english(p),
    }
}

fn korean(p: &Phrase) -> String {
    match p {
        Phrase::MenuList(entries) => {
            let items: Vec<String> = entries
                .iter()
                .map(|(digit, queue)| match queue {
                    Some(q) => format!("{q} 상담사 연결은 {}", korean_digit(*digit)),
                    None => format!("안내 말씀은 {}", korean_digit(*digit)),
                })
                .collect();
            format!("{}을 눌러 주십시오.", items.join(", "))
        }
        Phrase::InfoRepeat => {
            "다시 들으시려면 1번, 처음으로 돌아가시려면 2번을 눌러 주십시오.".to_owned()
        }
        Phrase::NoInput => "입력이 없습니다. 다시 안내해 드리겠습니다.".to_owned(),
        Phrase::WrongDigit => "잘못 누르셨습니다. 다시 안내해 드리겠습니다.".to_owned(),
        Phrase::Goodbye => "전화해 주셔서 감사합니다. 안녕히 계십시오.".to_owned(),
        Phrase::CallbackBooked => "콜백이 예약되었습니다. \
             상담이 가능한 시간에 지금 거신 번호로 다시 전화드리겠습니다. 감사합니다."
            .to_owned(),
        Phrase::Holiday { name, kind } => {
            let day = match kind {
                HolidayKind::Holiday => "휴무일",
                HolidayKind::National => "공휴일",
                HolidayKind::Temporary => "임시 휴무일",
            };
            format!(
                "전화해 주셔서 감사합니다. 오늘은 {name}, {day}이라 상담을 쉽니다. \
                 상담이 가능한 날에 다시 전화해 주시기 바랍니다."
            )
        }
        Phrase::NoService => "전화해 주셔서 감사합니다. 지금은 상담을 연결해 드릴 수 없습니다. \
             나중에 다시 전화해 주시기 바랍니다."
            .to_owned(),
    }
}

/// A menu digit as it is read out: `1번`.
fn korean_digit(digit: u8) -> String {
    format!("{digit}번")
}

fn english(p: &Phrase) -> String {
    match p {
        Phrase::MenuList(entries) => {
            let items: Vec<String> = entries
                .iter()
                .map(|(digit, queue)| match queue {
                    Some(q) => format!("For {q}, press {digit}."),
                    None => format!("For information, press {digit}."),
                })
                .collect();
            items.join(" ")
        }
        Phrase::InfoRepeat => {
            "To hear this again, press 1. To return to the start, press 2.".to_owned()
        }
        Phrase::NoInput => "We did not receive your choice.".to_owned(),
        Phrase::WrongDigit => "That is not one of the options.".to_owned(),
        Phrase::Goodbye => "Thank you for calling. Goodbye.".to_owned(),
        Phrase::CallbackBooked => "Your callback is booked. \
             An agent will call you back on this number as soon as possible. Thank you."
            .to_owned(),
        Phrase::Holiday { name, kind } => {
            let day = match kind {
                HolidayKind::Holiday => "a company holiday",
                HolidayKind::National => "a public holiday",
                HolidayKind::Temporary => "a temporary holiday",
            };
            format!(
                "Thank you for calling. Today is {name}, {day}, and we are closed. \
                 Please call again on a working day."
            )
        }
        Phrase::NoService => "Thank you for calling. We cannot connect your call right now. \
             Please call again later."
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_menu_is_read_from_its_entries() {
        let menu = Phrase::MenuList(vec![(1, Some("주문".into())), (2, None)]);
        assert_eq!(
            phrase(&menu, PromptLanguage::Korean),
            "주문 상담사 연결은 1번, 안내 말씀은 2번을 눌러 주십시오."
        );
        assert_eq!(
            phrase(&menu, PromptLanguage::English),
            "For 주문, press 1. For information, press 2."
        );
    }

    #[test]
    fn a_holiday_is_named_with_its_kind() {
        let chuseok = Phrase::Holiday {
            name: "추석".into(),
            kind: HolidayKind::National,
        };
        assert!(phrase(&chuseok, PromptLanguage::Korean).contains("오늘은 추석, 공휴일이라"));
        let outing = Phrase::Holiday {
            name: "창립기념일".into(),
            kind: HolidayKind::Holiday,
        };
        assert!(phrase(&outing, PromptLanguage::Korean).contains("창립기념일, 휴무일이라"));
        assert!(phrase(&outing, PromptLanguage::English).contains("a company holiday"));
    }

    #[test]
    fn korean_phrases_say_sangdamsa() {
        let all = [
            Phrase::MenuList(vec![(1, Some("A".into()))]),
            Phrase::InfoRepeat,
            Phrase::NoInput,
            Phrase::WrongDigit,
            Phrase::Goodbye,
            Phrase::CallbackBooked,
            Phrase::NoService,
        ];
        for p in all {
            let text = phrase(&p, PromptLanguage::Korean);
            assert!(!text.contains("상담원"), "{text}");
            assert!(crate::TtsText::parse(&text).is_ok(), "{text}");
        }
    }
}
