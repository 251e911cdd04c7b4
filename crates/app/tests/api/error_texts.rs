//! Every error code the server can send has Korean and English text in the
//! web UI. The codes come from the catalogue in the code
//! (`switchboard_domain::codes`), not from a list kept by hand, so a code
//! added there without UI text fails here.
#![allow(clippy::unwrap_used)]

use switchboard_http::{ErrorCode, FieldCode};

fn dictionary(lang: &str) -> String {
    let path = format!(
        "{}/../../static/js/i18n/{lang}.js",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// The keys the UI looks up: `error.<code>` and `field.<code>`.
fn keys() -> Vec<String> {
    let errors = ErrorCode::ALL.iter().map(|c| format!("error.{c}"));
    let fields = FieldCode::ALL.iter().map(|c| format!("field.{c}"));
    errors.chain(fields).collect()
}

#[test]
fn every_code_has_korean_and_english_text() {
    for lang in ["ko", "en"] {
        let dict = dictionary(lang);
        let missing: Vec<String> = keys()
            .into_iter()
            .filter(|k| !dict.contains(&format!("'{k}':")))
            .collect();
        assert!(missing.is_empty(), "{lang}.js lacks {missing:?}");
    }
}

#[test]
fn korean_error_texts_are_korean() {
    let dict = dictionary("ko");
    for key in keys() {
        let line = dict
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("'{key}':")))
            .unwrap();
        let text = line.split_once(':').unwrap().1;
        // Placeholders such as {max} are not text; everything else must
        // contain Hangul.
        assert!(
            text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)),
            "{key} is not Korean: {text}"
        );
    }
}
