//! Prints one example of every event type as `docs/webhooks.md` shows them:
//! `cargo run -p switchboard-telephony --example event_examples`.
fn main() {
    for e in switchboard_telephony::event::examples() {
        println!("### `{}`\n", e.body.type_name());
        println!(
            "```json\n{}\n```\n",
            serde_json::to_string_pretty(&e.to_wire()).unwrap_or_default()
        );
    }
}
