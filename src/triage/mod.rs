//! Triage assistance: keyword rules that suggest severity, category and departments,
//! and near-duplicate detection that points an item to the open case or the other
//! queued items it repeats. Hints only prefill; the officer decides.

pub mod matcher;
pub mod rules;
pub mod similar;

pub use matcher::{Assessment, Matcher};
pub use rules::Rule;

/// The text of an item that the rules and the similarity look at: title, then body.
pub fn item_text(title: &str, body: &str) -> String {
    format!("{title}\n{body}")
}
