//! TEL-2: the machine-readable contract (`docs/webhook-events.schema.json`)
//! says what the parser does. For every event type: the schema has it, every
//! field of its example is declared, every field the schema requires is one
//! the parser refuses to do without, and every other field is optional.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use switchboard_telephony::EventType;
use switchboard_telephony::event::{BodyError, examples, parse_body};

fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/webhook-events.schema.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The schema's variant for each known type, by its `type` const.
fn variants(schema: &Value) -> Vec<(String, Value)> {
    schema["$defs"]["event"]["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| {
            let t = v["properties"]["type"]["const"].as_str()?;
            Some((t.to_owned(), v.clone()))
        })
        .collect()
}

#[test]
fn tel_2_the_schema_lists_exactly_the_types_the_parser_knows() {
    let schema = schema();
    let mut documented: Vec<String> = variants(&schema).into_iter().map(|(t, _)| t).collect();
    let mut known: Vec<String> = EventType::ALL
        .iter()
        .map(|t| t.as_str().to_owned())
        .collect();
    documented.sort();
    known.sort();
    assert_eq!(documented, known);
}

#[test]
fn tel_2_each_types_required_fields_are_the_ones_the_parser_requires() {
    let schema = schema();
    let envelope = &schema["$defs"]["envelope"]["properties"];
    let variants = variants(&schema);
    let examples = examples();
    assert_eq!(examples.len(), EventType::ALL.len());
    for example in examples {
        let wire = serde_json::to_value(example.to_wire()).unwrap();
        let kind = wire["type"].as_str().unwrap().to_owned();
        let (_, variant) = variants.iter().find(|(t, _)| *t == kind).unwrap();
        let required: Vec<&str> = variant["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for (field, _) in wire.as_object().unwrap() {
            assert!(
                envelope.get(field).is_some() || variant["properties"].get(field).is_some(),
                "{kind}: `{field}` is not in the schema"
            );
            let mut without = wire.clone();
            without.as_object_mut().unwrap().remove(field);
            let parsed = parse_body(&serde_json::to_vec(&without).unwrap());
            if required.contains(&field.as_str()) {
                let Err(BodyError::Fields(problems)) = parsed else {
                    panic!("{kind}: parses without required `{field}`");
                };
                assert!(
                    problems.iter().any(|(name, _)| name == field),
                    "{kind}: missing `{field}` not named: {problems:?}"
                );
            } else {
                assert!(
                    parsed.is_ok(),
                    "{kind}: `{field}` is optional in the schema but required by the parser"
                );
            }
        }
        for field in &required {
            assert!(
                wire.get(*field).is_some(),
                "{kind}: the example lacks required `{field}`"
            );
        }
    }
}

#[test]
fn tel_2_the_documented_examples_are_the_parsers_examples() {
    // docs/webhooks.md shows one example per type; they are generated from
    // `examples()` and must stay in step with it.
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/webhooks.md"
    ))
    .unwrap();
    for example in examples() {
        let wire = serde_json::to_string_pretty(&example.to_wire()).unwrap();
        assert!(
            doc.contains(&wire),
            "docs/webhooks.md lacks the example of {}:\n{wire}",
            example.body.type_name()
        );
    }
}
