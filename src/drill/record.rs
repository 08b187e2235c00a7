//! Recording a period of the live log as a scenario: the items received at their
//! offsets from the start, and the cases the officers opened from them as expectations.
//! Anonymising masks phone numbers, ID-card numbers and listed names.

use crate::domain::event::EventBody;
use crate::domain::names::Named;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use serde_json::json;

/// Replaces runs of digits that look like a mobile number (11 digits starting with 1)
/// or an ID-card number (17 digits and a digit or X) with asterisks, and each listed
/// name with 某某.
pub fn mask(text: &str, names: &[String]) -> String {
    let mut s = text.to_string();
    for n in names.iter().filter(|n| !n.is_empty()) {
        s = s.replace(n.as_str(), "某某");
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let id_card = j - i == 17 && chars.get(j).is_some_and(|c| *c == 'X' || *c == 'x');
            let end = if id_card { j + 1 } else { j };
            let run = end - i;
            if (run == 11 && chars[i] == '1') || run == 18 {
                out.extend(std::iter::repeat_n('*', run));
            } else {
                out.extend(&chars[i..end]);
            }
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn offset(d: chrono::Duration) -> String {
    let s = d.num_seconds().max(0);
    format!("+{:02}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
}

/// The scenario of `[from, to)` as JSONL; `names` set means anonymise. Calls
/// `progress(events read)` as it reads the log.
pub fn record(
    store: &Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    names: Option<&[String]>,
    mut progress: impl FnMut(u64),
) -> Result<String, StoreError> {
    let m = |t: &str| names.map_or_else(|| t.to_string(), |n| mask(t, n));
    let mut lines = vec![
        json!({
            "scenario": format!("recorded {} – {}", crate::timefmt::local(from), crate::timefmt::local(to)),
            "description": "recorded from the live log",
            "start": from.to_rfc3339(),
        })
        .to_string(),
    ];
    let mut external: std::collections::HashMap<String, String> = std::collections::HashMap::new();
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
                external.insert(id.clone(), x.clone());
                let mut it = json!({"channel": item.channel.name(), "title": m(&item.title), "body": m(&item.body), "external_id": x});
                if let Some(r) = item.reach {
                    it["reach"] = json!(r);
                }
                if let Some(a) = &item.author {
                    it["author"] = json!(m(a));
                }
                lines.push(json!({"at": offset(at - from), "kind": "item", "item": it}).to_string());
            }
            EventBody::CaseOpened { case, items, severity, category, lead, .. } => {
                let Some(x) = items.first().and_then(|i| external.get(i)) else { continue };
                let met: Vec<&str> = store
                    .case(case)?
                    .map(|c| {
                        c.milestones
                            .iter()
                            .filter(|m| m.met_at.is_some_and(|t| t < to))
                            .map(|m| m.kind.name())
                            .collect()
                    })
                    .unwrap_or_default();
                lines.push(
                    json!({"at": "+00:00", "kind": "expect", "external_id": x, "severity": severity.name(), "category": category.name(), "lead": lead, "milestones": met})
                        .to_string(),
                );
            }
            _ => {}
        }
    }
    Ok(lines.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_and_id_numbers_and_listed_names_are_masked() {
        let names = vec!["张三".to_string()];
        assert_eq!(
            mask("张三电话13812345678，身份证43122519900101123X，工号12345", &names),
            "某某电话***********，身份证******************，工号12345"
        );
    }
}
