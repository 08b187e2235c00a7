//! The scenario file (`docs/drills/format.md`): JSONL, a header line, then entries at
//! offsets from the scenario's start — items arriving, scripted happenings, and the
//! expectations a drill is scored against. Every error names the line and the field.

use crate::domain::case::{Category, Severity};
use crate::domain::item::NewItem;
use crate::domain::milestone::MilestoneKind;
use crate::ingest::RawItem;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use std::path::Path;

/// The first line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    scenario: String,
    #[serde(default)]
    description: String,
    start: String,
    #[serde(default)]
    departments: Vec<crate::domain::department::Department>,
}

/// What happens at an offset.
#[derive(Debug, Clone, PartialEq)]
pub enum Happening {
    /// An item arrives in the queue.
    Item(NewItem),
    /// An item's reach jumps (a repost surge).
    Surge { external_id: String, reach: u64 },
    /// A reporter calls, or another inquiry the officers must answer.
    Inquiry { text: String },
    /// A note from the trainer, shown to the trainees.
    Note { text: String },
    /// Scoring: this item should become a case like this, and these milestones be met.
    Expect {
        external_id: String,
        severity: Option<Severity>,
        category: Option<Category>,
        lead: Option<String>,
        milestones: Vec<MilestoneKind>,
    },
}

/// One line after the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Line in the file, for messages.
    pub line: usize,
    pub offset: Duration,
    pub what: Happening,
}

/// A checked scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub start: DateTime<Utc>,
    pub departments: Vec<crate::domain::department::Department>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    at: String,
    kind: String,
    #[serde(default)]
    item: Option<RawItem>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    reach: Option<u64>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    lead: Option<String>,
    #[serde(default)]
    milestones: Vec<String>,
}

/// `+HH:MM` or `+HH:MM:SS` (hours may exceed 24).
fn offset(s: &str) -> Result<Duration, String> {
    let bad = || format!("field `at`: `{s}` is not an offset; use +HH:MM or +HH:MM:SS from the start");
    let parts: Vec<&str> = s.strip_prefix('+').ok_or_else(bad)?.split(':').collect();
    let n: Vec<i64> = parts.iter().map(|p| p.parse::<i64>().map_err(|_| bad())).collect::<Result<_, _>>()?;
    match n.as_slice() {
        [h, m] if *m < 60 && *h >= 0 => Ok(Duration::hours(*h) + Duration::minutes(*m)),
        [h, m, sec] if *m < 60 && *sec < 60 && *h >= 0 => {
            Ok(Duration::hours(*h) + Duration::minutes(*m) + Duration::seconds(*sec))
        }
        _ => Err(bad()),
    }
}

fn need<T>(v: Option<T>, field: &str, kind: &str) -> Result<T, String> {
    v.ok_or_else(|| format!("field `{field}` is needed for a `{kind}` entry"))
}

fn named<T: crate::domain::names::Named>(field: &str, v: Option<String>) -> Result<Option<T>, String> {
    v.map(|s| T::parse(&s).map_err(|e| format!("field `{field}`: {e}"))).transpose()
}

fn entry(raw: RawEntry, known: &dyn Fn(&str) -> bool) -> Result<(Duration, Happening), String> {
    let at = offset(&raw.at)?;
    let what = match raw.kind.as_str() {
        "item" => Happening::Item(need(raw.item, "item", "item")?.validate().map_err(|e| format!("item {e}"))?),
        "surge" => Happening::Surge {
            external_id: need(raw.external_id, "external_id", "surge")?,
            reach: need(raw.reach, "reach", "surge")?,
        },
        "inquiry" => Happening::Inquiry { text: need(raw.text, "text", "inquiry")? },
        "note" => Happening::Note { text: need(raw.text, "text", "note")? },
        "expect" => {
            if let Some(l) = raw.lead.as_deref().filter(|l| !known(l)) {
                return Err(format!("field `lead`: unknown department `{l}`; use a code from the departments"));
            }
            Happening::Expect {
                external_id: need(raw.external_id, "external_id", "expect")?,
                severity: named("severity", raw.severity)?,
                category: named("category", raw.category)?,
                lead: raw.lead,
                milestones: raw
                    .milestones
                    .iter()
                    .map(|m| {
                        <MilestoneKind as crate::domain::names::Named>::parse(m)
                            .map_err(|e| format!("field `milestones`: {e}"))
                    })
                    .collect::<Result<_, _>>()?,
            }
        }
        other => {
            return Err(format!("field `kind`: unknown kind `{other}`; valid: item, surge, inquiry, note, expect"));
        }
    };
    Ok((at, what))
}

/// Parses a scenario; every bad line is reported as `file:line: what is wrong`.
pub fn parse(
    path: &Path,
    text: &str,
    directory: &crate::domain::department::Directory,
) -> Result<Scenario, Vec<String>> {
    let mut errors = Vec::new();
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let err = |n: usize, m: String| format!("{}:{n}: {m}", path.display());
    let Some((hn, hl)) = lines.next() else { return Err(vec![format!("{}: the file is empty", path.display())]) };
    let header: Option<Header> = match serde_json::from_str::<Header>(hl) {
        Ok(h) => Some(h),
        Err(e) => {
            errors.push(err(hn + 1, format!("the first line is the header {{\"scenario\", \"start\", …}}: {e}")));
            None
        }
    };
    let start = header.as_ref().and_then(|h| match crate::timefmt::parse(&h.start) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(err(hn + 1, format!("field `start`: {e}")));
            None
        }
    });
    let departments = header
        .as_ref()
        .map(|h| h.departments.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| directory.departments.clone());
    let dir = crate::domain::department::Directory { departments: departments.clone() };
    let known = |code: &str| dir.find(code).is_some();
    let mut entries = Vec::new();
    for (i, l) in lines {
        match serde_json::from_str::<RawEntry>(l)
            .map_err(|e| format!("not a scenario entry: {e}"))
            .and_then(|r| entry(r, &known))
        {
            Ok((offset, what)) => entries.push(Entry { line: i + 1, offset, what }),
            Err(m) => errors.push(err(i + 1, m)),
        }
    }
    match (header, start, errors.is_empty()) {
        (Some(h), Some(start), true) => {
            Ok(Scenario { name: h.scenario, description: h.description, start, departments, entries })
        }
        _ => Err(errors),
    }
}

/// Reads and checks a scenario file.
pub fn check_file(path: &Path, directory: &crate::domain::department::Directory) -> Result<Scenario, Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    parse(path, &text, directory)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> crate::domain::department::Directory {
        crate::domain::department::Directory { departments: crate::config::default_departments() }
    }

    #[test]
    fn every_bad_line_is_reported_with_its_field() {
        let text = concat!(
            "{\"scenario\":\"t\",\"start\":\"2026-07-01T08:00:00+08:00\"}\n",
            "{\"at\":\"+00:05\",\"kind\":\"item\",\"item\":{\"channel\":\"weibo\",\"title\":\"网传\"}}\n",
            "{\"at\":\"5 minutes\",\"kind\":\"note\",\"text\":\"x\"}\n",
            "{\"at\":\"+00:10\",\"kind\":\"explode\"}\n",
            "{\"at\":\"+00:10\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"huge\"}\n",
            "{\"at\":\"+00:10\",\"kind\":\"surge\",\"external_id\":\"w1\"}\n",
        );
        let errors = parse(Path::new("s.jsonl"), text, &dir()).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("s.jsonl:3: field `at`"), "{errors:?}");
        assert!(errors[1].starts_with("s.jsonl:4: field `kind`: unknown kind `explode`; valid: item"), "{errors:?}");
        assert!(errors[2].contains(":5: field `severity`") && errors[2].contains("general"), "{errors:?}");
        assert!(errors[3].contains(":6: field `reach` is needed"), "{errors:?}");
    }

    #[test]
    fn offsets_read_hours_minutes_and_seconds() {
        assert_eq!(offset("+01:30").unwrap(), Duration::minutes(90));
        assert_eq!(offset("+26:00:30").unwrap(), Duration::hours(26) + Duration::seconds(30));
        assert!(offset("+01:75").is_err() && offset("01:00").is_err());
    }
}
