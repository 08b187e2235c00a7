//! Recording a period of the live log as a scenario: the items received at their
//! offsets from the start, and, for the cases the officers opened from them, what the
//! rules require of such cases as expectations. Anonymising is [`super::anonymize`].

use crate::domain::event::EventBody;
use crate::domain::names::Named;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::HashMap;

fn offset(d: chrono::Duration) -> String {
    let s = d.num_seconds().max(0);
    format!("+{:02}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
}

/// Why a period cannot be recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("the period is empty: --from {from} is not before --to {to}")]
    EmptyPeriod { from: String, to: String },
    #[error("the period from {from} to {to} is longer than a drill can be ({max} hours)", max = super::entry::MAX_HOURS)]
    TooLong { from: String, to: String },
    #[error("no item was received from {from} to {to}: there is nothing to replay")]
    NoItems { from: String, to: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The scenario of `[from, to)` as JSONL; `names` set means anonymise. Each case the
/// officers opened becomes an expectation of what the rules require of such a case:
/// its severity, category and lead as the case stands, every milestone the console
/// plans for that severity (met or not), and the case's other items in the same case.
/// Calls `progress(events read)` as it reads the log.
pub fn record(
    store: &Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    names: Option<&[String]>,
    mut progress: impl FnMut(u64),
) -> Result<String, RecordError> {
    let local = crate::timefmt::local;
    if from >= to {
        return Err(RecordError::EmptyPeriod { from: local(from), to: local(to) });
    }
    if to - from > chrono::Duration::hours(super::entry::MAX_HOURS) {
        return Err(RecordError::TooLong { from: local(from), to: local(to) });
    }
    let m = |t: &str| names.map_or_else(|| t.to_string(), |n| super::anonymize::mask(t, n));
    let mut lines = vec![
        json!({
            "scenario": format!("值班记录 {} 至 {}", local(from), local(to)),
            "description": "从值班日志录制 recorded from the live log",
            // In the county's time, as officers read it (with its offset, so exact).
            "start": from.with_timezone(&crate::timefmt::zone()).to_rfc3339(),
        })
        .to_string(),
    ];
    // Per item id: its external id and its offset.
    let mut external: HashMap<String, (String, String)> = HashMap::new();
    let mut expectations = Vec::new();
    for (read, ev) in store.events()?.enumerate() {
        progress(read as u64);
        let ev = ev?;
        let at = ev.at();
        if at < from || at >= to {
            continue;
        }
        match &ev.body {
            EventBody::ItemReceived { id, item } => {
                let x = item.external_id.clone().unwrap_or_else(|| id.clone());
                external.insert(id.clone(), (x.clone(), offset(at - from)));
                let mut it = json!({"channel": item.channel.name(), "title": m(&item.title), "body": m(&item.body), "external_id": x});
                if let Some(r) = item.reach {
                    it["reach"] = json!(r);
                }
                if let Some(a) = &item.author {
                    it["author"] = json!(m(a));
                }
                lines.push(json!({"at": offset(at - from), "kind": "item", "item": it}).to_string());
            }
            EventBody::CaseOpened { case, items, .. } => {
                let (Some((x, arrived)), Some(c)) = (items.first().and_then(|i| external.get(i)), store.case(case)?)
                else {
                    continue;
                };
                let milestones: Vec<&str> = super::entry::planned(c.severity).iter().map(|k| k.name()).collect();
                let others: Vec<&str> = c
                    .items
                    .iter()
                    .filter_map(|i| external.get(i))
                    .map(|(x, _)| x.as_str())
                    .filter(|o| o != x)
                    .collect();
                let mut e = json!({"at": arrived, "kind": "expect", "external_id": x, "severity": c.severity.name(), "category": c.category.name(), "lead": c.lead, "milestones": milestones});
                if !others.is_empty() {
                    e["same_case"] = json!(others);
                }
                expectations.push(e.to_string());
            }
            _ => {}
        }
    }
    if external.is_empty() {
        return Err(RecordError::NoItems { from: local(from), to: local(to) });
    }
    lines.extend(expectations);
    Ok(lines.join("\n") + "\n")
}
