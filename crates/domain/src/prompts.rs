//! Default texts for the ARS prompts (ARS-2, ARS-4, ARS-6), in Korean and
//! English, filled from the company name.
//!
//! A new tenant should hear a sensible ARS before anyone edits a prompt, and
//! an admin who does edit one starts from a polite, complete sentence rather
//! than an empty box. The Korean texts use the formal 하십시오체 that Korean
//! ARS systems use ("눌러 주십시오"); the English ones are the plain, polite
//! register of English-language phone menus.
//!
//! Every text is a [`TtsText`], so the default passes the same check as an
//! edited prompt. That holds for any company name because the name is first
//! made speakable ([`spoken_company_name`]):
//! - legal forms are dropped, as on the phone nobody says them:
//!   `주식회사 스위치보드`, `(주)스위치보드`, `스위치보드㈜` and
//!   `Switchboard Co., Ltd.` are read as `스위치보드` / `Switchboard`;
//! - characters that cannot be read out (control, invisible) are dropped and
//!   runs of spaces become one;
//! - a name longer than [`NAME_MAX`] characters is cut to at most that many,
//!   at the last space if that keeps at least half of it (whole words read
//!   better than a cut word), otherwise mid-word; no ellipsis is added, as a
//!   speech engine would read it out;
//! - an empty result falls back to a generic "our customer center".
//!
//! The Korean texts avoid particles after the name (이/가, 을/를), which
//! depend on whether the name ends in a consonant: the name is followed by
//! "고객센터" (unless it already ends in 센터) and then by 에/입니다, which
//! fit every ending.

use crate::TtsText;
use crate::tts::grapheme_count;
use unicode_segmentation::UnicodeSegmentation;

/// The most characters of the company name a prompt reads out. With the
/// longest template this keeps every prompt within [`TtsText::MAX_CHARS`].
pub const NAME_MAX: usize = 30;

/// The digit the callback prompt asks the caller to press.
pub const CALLBACK_DIGIT: u8 = 1;

/// The language of a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PromptLanguage {
    Korean,
    English,
}

/// Which prompt a default text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PromptKind {
    /// 인사말: the first prompt of every call (ARS-2).
    Greeting,
    /// 상담시간 외 안내: played outside business hours (ARS-4).
    OutOfHours,
    /// 상담사 연결: played while the call is put through (ARS-6).
    Connecting,
    /// 상담사 통화 중: played when the expected wait is long (ARS-6).
    AgentsBusy,
    /// 콜백멘트: offers a callback when agents are busy or the center is
    /// closed (ARS-6).
    Callback,
}

impl PromptKind {
    pub const ALL: [PromptKind; 5] = [
        PromptKind::Greeting,
        PromptKind::OutOfHours,
        PromptKind::Connecting,
        PromptKind::AgentsBusy,
        PromptKind::Callback,
    ];
}

/// The default text of `kind` in `language` for a company called `company`
/// (as entered in the contract, legal form and all).
pub fn default_prompt(kind: PromptKind, language: PromptLanguage, company: &str) -> TtsText {
    let name = spoken_company_name(company);
    let text = match language {
        PromptLanguage::Korean => korean(kind, &name),
        PromptLanguage::English => english(kind, &name),
    };
    TtsText::from_generated(text)
}

fn korean(kind: PromptKind, name: &str) -> String {
    let center = if name.is_empty() {
        "고객센터".to_owned()
    } else if name.ends_with("센터") {
        name.to_owned()
    } else {
        format!("{name} 고객센터")
    };
    let digit = CALLBACK_DIGIT;
    match kind {
        PromptKind::Greeting => format!(
            "안녕하십니까? {center}에 전화해 주셔서 감사합니다. \
             안내에 따라 원하시는 서비스의 번호를 눌러 주십시오."
        ),
        PromptKind::OutOfHours => format!(
            "{center}에 전화해 주셔서 감사합니다. 지금은 상담 시간이 아닙니다. \
             상담 시간에 다시 전화해 주시기 바랍니다. 감사합니다."
        ),
        PromptKind::Connecting => {
            format!("{center} 상담사에게 연결해 드리겠습니다. 잠시만 기다려 주십시오.")
        }
        PromptKind::AgentsBusy => "지금은 모든 상담사가 통화 중입니다. \
             잠시만 기다려 주시면 연결해 드리겠습니다. 기다려 주셔서 감사합니다."
            .to_owned(),
        PromptKind::Callback => format!(
            "지금은 상담사와 바로 연결해 드릴 수 없습니다. \
             상담사와 통화를 원하시면 {digit}번을 눌러 콜백을 예약해 주십시오. \
             상담이 가능한 시간에 지금 거신 번호로 다시 전화드리겠습니다."
        ),
    }
}

fn english(kind: PromptKind, name: &str) -> String {
    let center = if name.is_empty() {
        "our customer center"
    } else {
        name
    };
    let digit = CALLBACK_DIGIT;
    match kind {
        PromptKind::Greeting => format!(
            "Hello, and thank you for calling {center}. \
             Please listen carefully and press the number of the service you need."
        ),
        PromptKind::OutOfHours => format!(
            "Thank you for calling {center}. We are currently closed. \
             Please call again during our business hours. Thank you."
        ),
        PromptKind::Connecting => {
            "Connecting you to an agent. Please hold for a moment.".to_owned()
        }
        PromptKind::AgentsBusy => "All our agents are currently busy. \
             Please stay on the line and we will connect you as soon as possible. \
             Thank you for waiting."
            .to_owned(),
        PromptKind::Callback => format!(
            "We cannot connect you to an agent right now. \
             To book a callback, press {digit}. \
             An agent will call you back on this number as soon as possible."
        ),
    }
}

/// Legal forms written before or after a Korean or English company name.
const LEGAL_FORMS: [&str; 16] = [
    "주식회사",
    "유한회사",
    "유한책임회사",
    "합자회사",
    "합명회사",
    "(주)",
    "(유)",
    "㈜",
    "Co., Ltd.",
    "Co.,Ltd.",
    "Co., Ltd",
    "Co.,Ltd",
    "Inc.",
    "Corp.",
    "Ltd.",
    "LLC",
];

/// The company name as a prompt reads it (see the module documentation).
pub fn spoken_company_name(company: &str) -> String {
    // Readable characters only, single spaces.
    let cleaned = crate::tts::readable(company);
    let mut name = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");

    // Drop legal forms at either end, repeatedly ("주식회사 X (주)").
    loop {
        let before = name.len();
        for form in LEGAL_FORMS {
            // Korean forms are often written without a space; English ones
            // only count as a separate word ("BILLC" is not "BI LLC").
            let english = form.starts_with(|c: char| c.is_ascii_alphabetic());
            if let Some(rest) = name.strip_prefix(form)
                && (!english || rest.is_empty() || rest.starts_with([' ', ',']))
            {
                name = rest.to_owned();
            }
            if let Some(rest) = name.strip_suffix(form)
                && (!english || rest.is_empty() || rest.ends_with([' ', ',']))
            {
                name = rest.to_owned();
            }
            name = name.trim_matches(|c: char| c == ' ' || c == ',').to_owned();
        }
        if name.len() == before {
            break;
        }
    }

    if grapheme_count(&name) > NAME_MAX {
        let cut: String = name.graphemes(true).take(NAME_MAX).collect();
        // Cut at a space when the next character of the full name starts a
        // new word anyway, or when the last space keeps at least half.
        let next_is_space = name.graphemes(true).nth(NAME_MAX).is_some_and(|g| g == " ");
        name = match cut.rfind(' ') {
            _ if next_is_space => cut,
            Some(i) if grapheme_count(&cut[..i]) >= NAME_MAX / 2 => cut[..i].to_owned(),
            _ => cut,
        };
        // A cut can leave a dangling separator or an opening bracket.
        name = name
            .trim_end_matches(|c: char| {
                c == ' ' || c == ',' || c == '-' || c == '(' || c == '[' || c == '·' || c == '&'
            })
            .to_owned();
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_names() -> Vec<String> {
        vec![
            String::new(),
            "스위치보드".to_owned(),
            "주식회사 스위치보드".to_owned(),
            "(주)한빛상사".to_owned(),
            "Switchboard Co., Ltd.".to_owned(),
            "가".repeat(100),
            "가나다라 ".repeat(20),
            "A".repeat(100),
            "Very Long International Trading And Logistics Company Of Korea Incorporated Group"
                .to_owned(),
            "👨\u{200d}👩\u{200d}👧".repeat(100),
            "\u{202e}스위치\u{200b}보드\t센터".to_owned(),
            "㈜".to_owned(),
        ]
    }

    #[test]
    fn every_default_is_a_valid_tts_text_for_any_name() {
        for name in all_names() {
            for kind in PromptKind::ALL {
                for language in [PromptLanguage::Korean, PromptLanguage::English] {
                    let text = default_prompt(kind, language, &name);
                    let parsed = TtsText::parse(text.as_str())
                        .unwrap_or_else(|e| panic!("{kind:?} {language:?} {name:?}: {e}"));
                    assert_eq!(parsed, text);
                    assert!(text.char_count() <= TtsText::MAX_CHARS);
                }
            }
        }
    }

    #[test]
    fn the_longest_template_leaves_room_for_the_longest_name() {
        let name = "가".repeat(NAME_MAX);
        for kind in PromptKind::ALL {
            for language in [PromptLanguage::Korean, PromptLanguage::English] {
                let n = default_prompt(kind, language, &name).char_count();
                assert!(n <= TtsText::MAX_CHARS, "{kind:?} {language:?}: {n}");
            }
        }
    }

    #[test]
    fn korean_texts_read_naturally() {
        let ko = |kind| {
            default_prompt(kind, PromptLanguage::Korean, "주식회사 스위치보드")
                .as_str()
                .to_owned()
        };
        assert_eq!(
            ko(PromptKind::Greeting),
            "안녕하십니까? 스위치보드 고객센터에 전화해 주셔서 감사합니다. \
             안내에 따라 원하시는 서비스의 번호를 눌러 주십시오."
        );
        assert!(ko(PromptKind::OutOfHours).contains("지금은 상담 시간이 아닙니다."));
        assert!(ko(PromptKind::Connecting).starts_with("스위치보드 고객센터 상담사에게"));
        assert!(ko(PromptKind::AgentsBusy).contains("모든 상담사가 통화 중입니다"));
        assert!(
            ko(PromptKind::Callback).contains("통화를 원하시면 1번을 눌러 콜백을 예약해 주십시오.")
        );
        for kind in PromptKind::ALL {
            let text = ko(kind);
            assert!(!text.contains("주식회사"), "{text}");
            assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{text}");
        }
        // A name that already is a center is not doubled.
        let text = default_prompt(PromptKind::Greeting, PromptLanguage::Korean, "한빛 콜센터");
        assert!(text.as_str().contains("한빛 콜센터에 전화해"), "{text}");
        // No name: a generic center.
        let text = default_prompt(PromptKind::Greeting, PromptLanguage::Korean, "  ");
        assert!(
            text.as_str().starts_with("안녕하십니까? 고객센터에"),
            "{text}"
        );
    }

    #[test]
    fn english_texts_read_naturally() {
        let en = |kind, name| {
            default_prompt(kind, PromptLanguage::English, name)
                .as_str()
                .to_owned()
        };
        assert_eq!(
            en(PromptKind::Greeting, "Switchboard Co., Ltd."),
            "Hello, and thank you for calling Switchboard. \
             Please listen carefully and press the number of the service you need."
        );
        assert!(en(PromptKind::OutOfHours, "").contains("calling our customer center."));
        assert!(en(PromptKind::Callback, "X").contains("press 1"));
    }

    #[test]
    fn names_are_made_speakable() {
        assert_eq!(spoken_company_name("주식회사 스위치보드"), "스위치보드");
        assert_eq!(spoken_company_name("(주)스위치보드"), "스위치보드");
        assert_eq!(spoken_company_name("스위치보드㈜"), "스위치보드");
        assert_eq!(
            spoken_company_name("주식회사 스위치보드 (주)"),
            "스위치보드"
        );
        assert_eq!(spoken_company_name("Switchboard Co., Ltd."), "Switchboard");
        assert_eq!(spoken_company_name("Switchboard, Inc."), "Switchboard");
        assert_eq!(spoken_company_name("  한빛   \t 상사  "), "한빛 상사");
        assert_eq!(spoken_company_name("한\u{200b}빛\u{202e}상사"), "한빛상사");
        assert_eq!(spoken_company_name("㈜"), "");
        // English forms only as a separate word.
        assert_eq!(spoken_company_name("BILLC"), "BILLC");
        assert_eq!(spoken_company_name("Inc.Space"), "Inc.Space");
        assert_eq!(spoken_company_name("Acme LLC"), "Acme");
    }

    #[test]
    fn long_names_are_cut_at_a_word_when_that_keeps_enough() {
        let long = "Very Long International Trading And Logistics Company Of Korea";
        let cut = spoken_company_name(long);
        assert_eq!(cut, "Very Long International");
        assert!(grapheme_count(&cut) <= NAME_MAX);

        // One long word is cut mid-word at NAME_MAX.
        let cut = spoken_company_name(&"가".repeat(100));
        assert_eq!(cut, "가".repeat(NAME_MAX));

        // Words of 4 plus a space: the cut ends on a whole word.
        let cut = spoken_company_name(&"가나다라 ".repeat(20));
        assert_eq!(cut, ["가나다라"; 6].join(" "));

        // Emoji families count as one character each.
        let family = "👨\u{200d}👩\u{200d}👧";
        assert_eq!(
            spoken_company_name(&family.repeat(100)),
            family.repeat(NAME_MAX)
        );
    }
}
