//! What a scenario's lines must agree on across the file, so that it can run and be
//! scored: item ids are unique, surges follow the item they raise, expectations name
//! items that arrive, and no two expectations ask for different things. Each error is
//! said in English and in Chinese.

use super::scenario::{Entry, Happening};
use crate::domain::names::Named;
use crate::domain::said::Said;
use std::collections::HashMap;

/// The id an entry's item has in the drill: an item's `external_id`, or `inquiry-LINE`
/// for an inquiry (as the runner gives it).
pub fn arrival_id(e: &Entry) -> Option<String> {
    match &e.what {
        Happening::Item(i) => i.external_id.clone(),
        Happening::Inquiry { .. } => Some(format!("inquiry-{}", e.line)),
        _ => None,
    }
}

/// The cross-line errors, each with the line it is on; `named` are the item ids that
/// lines with errors of their own name, as (line, field, id), checked as well.
pub fn check(entries: &[Entry], named: &[(usize, String, String)]) -> Vec<(usize, Said)> {
    let mut errors = Vec::new();
    // Where each item arrives: (offset, line), the order the runner delivers in.
    let mut arrives: HashMap<String, (chrono::Duration, usize)> = HashMap::new();
    for e in entries {
        let Some(id) = arrival_id(e) else { continue };
        match arrives.get(&id) {
            Some((_, first)) => errors.push((
                e.line,
                Said::new(
                    format!("field `item.external_id`: `{id}` is already the id of the item on line {first}; give each item its own"),
                    format!("字段 `item.external_id`：`{id}` 已是第 {first} 行信息的编号；每条信息的编号须各不相同"),
                ),
            )),
            None => {
                arrives.insert(id, (e.offset, e.line));
            }
        }
    }
    let mut known: Vec<&String> = arrives.keys().collect();
    known.sort();
    let known = known.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
    let unknown = |field: &str, id: &str| {
        Said::new(
            format!("field `{field}`: no item has the id `{id}`; the items' ids: {known}"),
            format!("字段 `{field}`：没有编号为 `{id}` 的信息；各信息的编号：{known}"),
        )
    };
    for (line, field, id) in named.iter().filter(|(_, _, id)| !arrives.contains_key(id)) {
        errors.push((*line, unknown(field, id)));
    }
    // Per item, the expectation that asks about it: (line, what it asks); and the line
    // of the `expect` entry named after it (the one that is scored for it).
    let mut asked: HashMap<String, (usize, Asked)> = HashMap::new();
    let mut expected: HashMap<String, usize> = HashMap::new();
    for e in entries {
        match &e.what {
            Happening::Surge { external_id, .. } => match arrives.get(external_id) {
                None => errors.push((e.line, unknown("external_id", external_id))),
                Some(&(at, line)) if (at, line) > (e.offset, e.line) => errors.push((
                    e.line,
                    Said::new(
                        format!("field `at`: the surge comes before its item `{external_id}` arrives (line {line}); set it later"),
                        format!("字段 `at`：转发激增早于其信息 `{external_id}` 到达（第 {line} 行）；请把它设得晚一些"),
                    ),
                )),
                Some(_) => {}
            },
            Happening::Expect { external_id, severity, category, lead, dismissed, same_case, .. } => {
                if !arrives.contains_key(external_id) {
                    errors.push((e.line, unknown("external_id", external_id)));
                }
                for (i, x) in same_case.iter().enumerate().filter(|(_, x)| !arrives.contains_key(*x)) {
                    errors.push((e.line, unknown(&format!("same_case[{i}]"), x)));
                }
                let this = Asked { severity: severity.map(|s| s.name()), category: category.map(|c| c.name()), lead: lead.clone(), dismissed: *dismissed };
                // One `expect` line per item: a second is scored again, even when it agrees.
                let clashing = asked.get(external_id.as_str()).is_some_and(|(_, b)| !b.clashes(&this).is_empty());
                match expected.get(external_id) {
                    Some(first) if !clashing => errors.push((
                        e.line,
                        Said::new(
                            format!("field `external_id`: line {first} already expects `{external_id}`; one item, one expectation (merge the two lines)"),
                            format!("字段 `external_id`：第 {first} 行已有 `{external_id}` 的预期；一条信息只有一条预期（请合并这两行）"),
                        ),
                    )),
                    Some(_) => {}
                    None => {
                        expected.insert(external_id.clone(), e.line);
                    }
                }
                let mut ask = |id: &str, what: Asked, field: &str| match asked.get(id) {
                    Some((line, before)) => {
                        for clash in before.clashes(&what) {
                            errors.push((
                                e.line,
                                Said::new(
                                    format!("field `{field}`: line {line} expects {} for `{id}`; one item, one expectation", clash.en),
                                    format!("字段 `{field}`：第 {line} 行对 `{id}` 的预期是{}；一条信息只有一条预期", clash.zh),
                                ),
                            ));
                        }
                    }
                    None => {
                        asked.insert(id.to_string(), (e.line, what));
                    }
                };
                ask(external_id, this.clone(), "external_id");
                for (i, x) in same_case.iter().enumerate() {
                    ask(x, Asked { dismissed: false, ..this.clone() }, &format!("same_case[{i}]"));
                }
            }
            _ => {}
        }
    }
    errors
}

/// What an expectation asks of one item.
#[derive(Clone)]
struct Asked {
    severity: Option<&'static str>,
    category: Option<&'static str>,
    lead: Option<String>,
    dismissed: bool,
}

impl Asked {
    /// Everything `other` contradicts in this, each said as what this asks.
    fn clashes(&self, other: &Asked) -> Vec<Said> {
        let differ = |a: &Option<String>, b: &Option<String>| a.is_some() && b.is_some() && a != b;
        if self.dismissed != other.dismissed {
            return vec![if self.dismissed {
                Said::new("a dismissal", "排除")
            } else {
                Said::new("a case", "登记为舆情事项")
            }];
        }
        let s = |v: Option<&str>| v.map(str::to_string);
        let mut out = Vec::new();
        if differ(&s(self.severity), &s(other.severity)) {
            let v = self.severity.unwrap_or_default();
            out.push(Said::new(format!("severity `{v}`"), format!("级别 `{v}`")));
        }
        if differ(&s(self.category), &s(other.category)) {
            let v = self.category.unwrap_or_default();
            out.push(Said::new(format!("category `{v}`"), format!("类别 `{v}`")));
        }
        if differ(&self.lead, &other.lead) {
            let v = self.lead.clone().unwrap_or_default();
            out.push(Said::new(format!("lead `{v}`"), format!("牵头单位 `{v}`")));
        }
        out
    }
}
