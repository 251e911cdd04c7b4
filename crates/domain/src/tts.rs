//! Text for text-to-speech prompts (ARS-2, ARS-4, ARS-6): the greeting, the
//! out-of-hours prompt, the "connecting you" and "please hold" prompts and
//! the callback prompt.
//!
//! The limit is 200 characters **as a person counts them**, because the
//! admin sees a counter next to the text box and must be able to trust it:
//! - not bytes: a Korean syllable is 3 bytes in UTF-8, so a byte limit would
//!   allow only 66 syllables;
//! - not `char`s (code points) either: a syllable typed as decomposed jamo
//!   (ᄒ + ᅡ + ᆫ), an accented letter with a combining mark, or an emoji with
//!   a skin-tone modifier or joined by zero-width joiners is several code
//!   points but one character on screen.
//!
//! So the count is of extended grapheme clusters (Unicode UAX #29), the same
//! unit the browser's `Intl.Segmenter` counts, so the UI's counter and the
//! server agree.
//!
//! The text must be readable as typed: control characters and invisible or
//! text-direction characters ([`crate::visible_text`]) are refused, as they
//! would be read out as nothing or as garbage by the speech engine. Two
//! exceptions, both things a person does type:
//! - line breaks, which a multi-line text box produces (`\r\n` is stored as
//!   `\n`); speech engines read them as a pause. Each counts as one
//!   character;
//! - a zero-width joiner *inside* a character (it joins 👩 and 💻 into one
//!   emoji); one standing between characters is invisible and refused.

use crate::{FieldCode, Invalid};
use serde::Serialize;
use std::fmt;
use unicode_segmentation::UnicodeSegmentation;

const ZERO_WIDTH_JOINER: char = '\u{200d}';

/// How many characters a person sees in `s`: extended grapheme clusters.
pub fn grapheme_count(s: &str) -> usize {
    s.graphemes(true).count()
}

/// The longest single character accepted, in bytes.
const MAX_CHARACTER_BYTES: usize = 64;

/// Text the ARS reads out: 1–[`TtsText::MAX_CHARS`] characters after
/// trimming, counted as in the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TtsText(String);

impl TtsText {
    /// The most characters a prompt may have.
    pub const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<TtsText, crate::ParseError> {
        let text = input.trim().replace("\r\n", "\n");
        if text.is_empty() {
            return Err(Invalid::required("Enter the text to be read out."));
        }
        // Checked before counting so that a pasted megabyte is refused
        // without segmenting it: no character is shorter than a byte, and
        // none a person types is longer than a few dozen.
        if text.len() > Self::MAX_CHARS * 64 || grapheme_count(&text) > Self::MAX_CHARS {
            return Err(Invalid::too_long(Self::MAX_CHARS));
        }
        // One "character" stacked with thousands of combining marks would
        // count once; no real one (a family emoji, a flag) is over 64 bytes.
        if text.graphemes(true).any(|g| g.len() > MAX_CHARACTER_BYTES) {
            return Err(Invalid::new(
                FieldCode::ControlCharacters,
                "Remove the stacked combining marks.",
            ));
        }
        check_readable(&text)?;
        Ok(TtsText(text))
    }

    /// A text this crate composed itself (the default prompts), whose
    /// tests prove it passes [`TtsText::parse`] for every input.
    pub(crate) fn from_generated(text: String) -> TtsText {
        debug_assert!(TtsText::parse(&text).is_ok(), "{text}");
        TtsText(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Characters as counted against [`TtsText::MAX_CHARS`].
    pub fn char_count(&self) -> usize {
        grapheme_count(&self.0)
    }
}

impl fmt::Display for TtsText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// [`crate::visible_text`] line by line, with joiners inside a character
/// taken out first (see the module documentation).
fn check_readable(text: &str) -> Result<(), Invalid> {
    for line in text.split('\n') {
        let mut without_inner_joiners = String::with_capacity(line.len());
        for grapheme in line.graphemes(true) {
            // A joiner always attaches to the character before it; when it
            // is the last code point of its cluster it joined nothing.
            let (body, last) = match grapheme.char_indices().next_back() {
                Some((i, c)) => (&grapheme[..i], c),
                None => continue,
            };
            without_inner_joiners.extend(body.chars().filter(|&c| c != ZERO_WIDTH_JOINER));
            without_inner_joiners.push(last);
        }
        crate::visible_text(&without_inner_joiners)?;
    }
    Ok(())
}

/// `s` without what [`TtsText::parse`] refuses, for text composed from
/// stored values: whitespace of any kind becomes a space, control and
/// invisible characters are dropped, joiners inside a character are kept.
pub(crate) fn readable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for grapheme in s.graphemes(true) {
        let last = grapheme.chars().count().saturating_sub(1);
        for (i, c) in grapheme.chars().enumerate() {
            if c.is_whitespace() {
                out.push(' ');
            } else if c == ZERO_WIDTH_JOINER {
                if i != 0 && i != last {
                    out.push(c);
                }
            } else if !c.is_control() && !crate::is_hidden_char(c) {
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldCode;

    #[test]
    fn two_hundred_korean_syllables_are_accepted_and_201_refused() {
        let ok = "가".repeat(200);
        assert_eq!(ok.len(), 600, "bytes do not matter");
        let t = TtsText::parse(&ok).unwrap();
        assert_eq!(t.char_count(), 200);

        let err = TtsText::parse(&"가".repeat(201)).unwrap_err();
        assert_eq!(err.code, FieldCode::TooLong);
        assert_eq!(err.params, vec![("max", "200".to_owned())]);
    }

    #[test]
    fn a_real_greeting_cut_at_200_characters_is_accepted() {
        let greeting = "안녕하십니까, 고객님. 스위치보드 고객센터입니다. ".repeat(10);
        let cut: String = greeting.graphemes(true).take(200).collect();
        let cut = cut.trim();
        let n = grapheme_count(cut);
        // Pad the trimmed text back to exactly 200 characters.
        let exact = format!("{}{cut}", "요".repeat(200 - n));
        assert!(TtsText::parse(&exact).is_ok());
        assert!(TtsText::parse(&format!("요{exact}")).is_err());
    }

    #[test]
    fn characters_are_what_a_person_sees() {
        // Decomposed jamo: 한 as three code points is one character.
        let decomposed = "\u{1112}\u{1161}\u{11ab}";
        assert_eq!(decomposed.chars().count(), 3);
        assert_eq!(grapheme_count(decomposed), 1);
        assert!(TtsText::parse(&decomposed.repeat(200)).is_ok());
        assert!(TtsText::parse(&decomposed.repeat(201)).is_err());

        // An emoji with a skin-tone modifier, and a joined family.
        let waving = "👋🏽";
        let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
        assert_eq!(grapheme_count(waving), 1);
        assert_eq!(grapheme_count(family), 1);
        let text = format!("{}{waving}{family}", "가".repeat(198));
        assert_eq!(TtsText::parse(&text).unwrap().char_count(), 200);
        assert!(TtsText::parse(&format!("가{text}")).is_err());

        // e + combining acute accent.
        assert_eq!(grapheme_count("e\u{301}"), 1);
        assert!(TtsText::parse(&"e\u{301}".repeat(200)).is_ok());
    }

    #[test]
    fn text_is_trimmed_and_not_empty() {
        assert_eq!(
            TtsText::parse("  안녕하세요  ").unwrap().as_str(),
            "안녕하세요"
        );
        for empty in ["", "   ", "\n\t "] {
            assert_eq!(
                TtsText::parse(empty).unwrap_err().code,
                FieldCode::Required,
                "{empty:?}"
            );
        }
        // Trimmed before counting.
        let padded = format!("   {}   ", "가".repeat(200));
        assert!(TtsText::parse(&padded).is_ok());
    }

    #[test]
    fn control_and_invisible_characters_are_refused() {
        for bad in [
            "안녕\u{0}하세요",
            "안녕\u{7}하세요",
            "안녕\t하세요",
            "안녕\u{1b}[31m하세요",
            "안녕\u{202e}하세요",
            "안녕\u{200b}하세요",
            "안녕\u{feff}하세요",
            "안녕\u{2066}하세요",
            // A joiner between two syllables joins nothing.
            "안녕\u{200d}하세요",
            "\u{200d}안녕하세요",
        ] {
            assert_eq!(
                TtsText::parse(bad).unwrap_err().code,
                FieldCode::ControlCharacters,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn line_breaks_are_kept_and_count_once() {
        let t = TtsText::parse("안녕하십니까.\r\n스위치보드입니다.").unwrap();
        assert_eq!(t.as_str(), "안녕하십니까.\n스위치보드입니다.");
        assert_eq!(t.char_count(), 7 + 1 + 9);
        let long = format!("{}\n{}", "가".repeat(100), "가".repeat(100));
        assert!(TtsText::parse(&long).is_err());
    }

    #[test]
    fn huge_input_is_refused_as_too_long() {
        let err = TtsText::parse(&"가".repeat(1_000_000)).unwrap_err();
        assert_eq!(err.code, FieldCode::TooLong);
    }

    #[test]
    fn serialises_as_its_text() {
        let t = TtsText::parse("안녕하세요").unwrap();
        assert_eq!(serde_json::to_value(&t).unwrap(), "안녕하세요");
    }

    #[test]
    fn one_character_stacked_with_combining_marks_is_refused() {
        let stacked = format!("e{}", "\u{0301}".repeat(5000));
        assert!(TtsText::parse(&stacked).is_err());
        assert!(TtsText::parse("안녕하세요 e\u{0301} 👨\u{200d}👩\u{200d}👧\u{200d}👦").is_ok());
    }
}
