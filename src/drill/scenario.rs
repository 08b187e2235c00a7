//! The scenario file (`docs/drills/format.md`): JSONL, a header line, then entries at
//! offsets from the scenario's start — items arriving, scripted happenings, and the
//! expectations a drill is scored against. Every error names the line and the field,
//! in English and in Chinese.

use super::entry;
use crate::domain::case::{Category, Severity};
use crate::domain::item::NewItem;
use crate::domain::milestone::MilestoneKind;
use crate::domain::said::Said;
use chrono::{DateTime, Duration, Utc};
use std::path::Path;

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
    /// Scoring: this item should become a case like this, and these milestones be met
    /// (or, `dismissed`, be dismissed as noise); the items of `same_case` belong in the
    /// same case.
    Expect {
        external_id: String,
        severity: Option<Severity>,
        category: Option<Category>,
        lead: Option<String>,
        milestones: Vec<MilestoneKind>,
        dismissed: bool,
        same_case: Vec<String>,
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

/// Parses a scenario; every error is reported as `file:line: field `path`: what is
/// wrong; valid: …` (in Chinese `file:line: 字段 `path`：…；可填：…`), all of them on
/// every line, then what the lines disagree on.
pub fn parse(path: &Path, text: &str, directory: &crate::domain::department::Directory) -> Result<Scenario, Vec<Said>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let shown = path.display();
    let err = |n: usize, m: &Said| Said::new(format!("{shown}:{n}: {}", m.en), format!("{shown}:{n}: {}", m.zh));
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| (i + 1, l));
    let Some((hn, hl)) = lines.next() else {
        return Err(vec![Said::new(
            format!("{shown}: the file is empty"),
            format!("{shown}：文件是空的；剧本的首行应是表头 {{\"scenario\", \"start\", …}}"),
        )]);
    };
    let mut errors = Vec::new();
    let header = entry::header(hl).map_err(|e| errors.extend(e.iter().map(|m| err(hn, m)))).ok();
    let departments = header
        .as_ref()
        .map(|h| h.departments.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| directory.departments.clone());
    let dir = crate::domain::department::Directory { departments: departments.clone() };
    let mut entries = Vec::new();
    // Items and inquiries of lines with errors, standing in for them in the checks
    // across lines: a bad item is not also "missing" from the lines that name it.
    let mut standing_in = Vec::new();
    // And the ids such lines name, so that one no item has is found there too.
    let mut named = Vec::new();
    let mut found: Vec<(usize, Said)> = Vec::new();
    for (n, l) in lines {
        match entry::entry(l, &dir) {
            Ok((offset, what)) => entries.push(Entry { line: n, offset, what }),
            Err(e) => {
                found.extend(e.into_iter().map(|m| (n, m)));
                standing_in.extend(entry::arrival(l).map(|(offset, what)| Entry { line: n, offset, what }));
                named.extend(entry::references(l).into_iter().map(|(field, id)| (n, field, id)));
            }
        }
    }
    let mut all = entries.clone();
    all.extend(standing_in);
    found.extend(super::coherence::check(&all, &named));
    // In the file's order; a line's own errors before those across lines.
    found.sort_by_key(|(n, _)| *n);
    errors.extend(found.iter().map(|(n, m)| err(*n, m)));
    match (header, errors.is_empty()) {
        (Some(h), true) => {
            Ok(Scenario { name: h.name, description: h.description, start: h.start, departments, entries })
        }
        _ => Err(errors),
    }
}

/// The deployment's settings as a drill of `scenario` runs with them: its departments
/// (the header's, when it lists some) are the ones the pickers offer and cases take.
pub fn settings(deployment: &crate::config::Settings, scenario: &Scenario) -> crate::config::Settings {
    let mut s = deployment.clone();
    s.directory.departments = scenario.departments.clone();
    s
}

/// The largest scenario file read: far beyond any drill (a year of entries), and small
/// enough that a wrong path (`/dev/zero`, a disk image) is refused, not read to the end.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and checks a scenario file: a regular file of at most [`MAX_BYTES`].
pub fn check_file(path: &Path, directory: &crate::domain::department::Directory) -> Result<Scenario, Vec<Said>> {
    let shown = path.display();
    let fail = |en: String, zh: String| vec![Said::new(format!("{shown}: {en}"), format!("{shown}：{zh}"))];
    let unreadable = |e: std::io::Error| vec![super::zh::unreadable(path, &e)];
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        let en = "not a regular file; a scenario is a JSONL file (docs/drills/format.md)";
        return Err(fail(en.into(), "不是普通文件；剧本是 JSONL 文件（docs/drills/format.md）".into()));
    }
    if meta.len() > MAX_BYTES {
        let n = meta.len();
        return Err(fail(
            format!("{n} bytes; a scenario is at most {MAX_BYTES} bytes"),
            format!("{n} 字节；剧本至多 {MAX_BYTES} 字节"),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(unreadable)?;
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
            "{\"at\":\"+00:05\",\"kind\":\"item\",\"item\":{\"channel\":\"weibo\",\"title\":\"网传\",\"external_id\":\"w1\"}}\n",
            "{\"at\":\"5 minutes\",\"kind\":\"note\",\"text\":\"x\"}\n",
            "{\"at\":\"+00:10\",\"kind\":\"explode\"}\n",
            "{\"at\":\"+00:10\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"huge\"}\n",
            "{\"at\":\"+00:10\",\"kind\":\"surge\",\"external_id\":\"w1\"}\n",
        );
        let errors = parse(Path::new("s.jsonl"), text, &dir()).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].en.starts_with("s.jsonl:3: field `at`"), "{errors:?}");
        assert!(errors[1].en.starts_with("s.jsonl:4: field `kind`: unknown kind `explode`; valid: item"), "{errors:?}");
        assert!(errors[2].en.contains(":5: field `severity`") && errors[2].en.contains("general"), "{errors:?}");
        assert!(errors[3].en.contains(":6: field `reach`: is needed"), "{errors:?}");
        // The same errors in Chinese, each naming its line and field and what is valid.
        assert!(errors[0].zh.starts_with("s.jsonl:3: 字段 `at`：`5 minutes` 不是偏移"), "{errors:?}");
        assert!(errors[1].zh.starts_with("s.jsonl:4: 字段 `kind`：没有条目类型 `explode`；可填：item"), "{errors:?}");
        assert!(errors[2].zh.contains(":5: 字段 `severity`：没有级别 `huge`；可填：general"), "{errors:?}");
        assert!(errors[3].zh.contains(":6: 字段 `reach`：`surge` 条目必须填写此字段"), "{errors:?}");
    }

    #[test]
    fn offsets_read_hours_minutes_and_seconds() {
        use super::entry::offset;
        assert_eq!(offset("+01:30").unwrap(), Duration::minutes(90));
        assert_eq!(offset("+26:00:30").unwrap(), Duration::hours(26) + Duration::seconds(30));
        assert!(offset("+01:75").is_err() && offset("01:00").is_err());
    }
}
