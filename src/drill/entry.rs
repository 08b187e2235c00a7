//! One line of a scenario checked on its own: the header, or an entry at an offset.
//! Every error of the line is reported, each with its JSON path and the valid values,
//! in English and in Chinese; offsets are bounded, so no time computed from them can
//! overflow.

use super::fields::{Fields, object};
use super::scenario::Happening;
use crate::domain::case::{Category, Severity};
use crate::domain::department::{Department, Directory};
use crate::domain::milestone::MilestoneKind;
use crate::domain::names::Named;
use crate::domain::said::Said;
use chrono::{DateTime, Duration, Utc};

/// The longest offset from the start: a year of drill time.
pub const MAX_HOURS: i64 = 24 * 366;

/// The kinds of entry and the fields each takes besides `at` and `kind`.
pub const KINDS: &[(&str, &[&str])] = &[
    ("item", &["item"]),
    ("surge", &["external_id", "reach"]),
    ("inquiry", &["text"]),
    ("note", &["text"]),
    ("expect", &["external_id", "severity", "category", "lead", "milestones", "dismissed", "same_case"]),
];

/// The header: the scenario's name, description, start and departments.
pub struct Header {
    pub name: String,
    pub description: String,
    pub start: DateTime<Utc>,
    /// Empty when the deployment's are used.
    pub departments: Vec<Department>,
}

/// Reads the first line.
pub fn header(line: &str) -> Result<Header, Vec<Said>> {
    let obj = object(line).map_err(|e| {
        let first = "{\"scenario\", \"start\", …}";
        vec![Said::new(
            format!("the first line is the header {first}: {}", e.en),
            format!("首行是表头 {first}：{}", e.zh),
        )]
    })?;
    let mut f = Fields::new(&obj, "");
    let the_header = Said::new("the header", "表头");
    f.only(&["scenario", "description", "start", "departments"], &the_header);
    let name = f.needed_text("scenario", &Said::new("the header (the scenario's name)", "表头（剧本名称）"));
    let description = f.text("description").unwrap_or_default();
    let start = f.needed_text("start", &the_header).and_then(|s| match crate::timefmt::parse_said(&s) {
        // Bounded, so that the start plus any offset stays a time.
        Ok(t) if t.checked_add_signed(Duration::hours(MAX_HOURS)).is_some() => Some(t),
        Ok(_) => {
            f.error("start", format!("`{s}` is too far in the future"), format!("`{s}` 太远了；请给出近年的时间"));
            None
        }
        Err(e) => {
            f.said("start", e);
            None
        }
    });
    let departments = departments(&mut f);
    match (name, start, f.errors.is_empty()) {
        (Some(name), Some(start), true) => Ok(Header { name, description, start, departments }),
        _ => Err(f.errors),
    }
}

/// The header's `departments`: each with a code and a name, no code twice.
fn departments(f: &mut Fields) -> Vec<Department> {
    let Some(v) = f.raw("departments") else { return vec![] };
    let Some(list) = v.as_array() else {
        let list = "[{\"code\":…,\"name\":…}, …]";
        f.error("departments", format!("is not a list; write {list}"), format!("不是列表；请写成 {list}"));
        return vec![];
    };
    let mut out: Vec<Department> = Vec::new();
    for (i, d) in list.iter().enumerate() {
        let at = format!("departments[{i}]");
        let Some(obj) = d.as_object() else {
            f.error(
                &at,
                format!("`{d}` is not {{\"code\":…,\"name\":…}}"),
                format!("`{d}` 不是 {{\"code\":…,\"name\":…}}"),
            );
            continue;
        };
        let mut g = Fields::new(obj, &at);
        let a_department = Said::new("a department", "单位");
        g.only(&["code", "name"], &a_department);
        let code = g.needed_text("code", &a_department);
        let name = g.needed_text("name", &a_department);
        if let Some(c) = &code
            && out.iter().any(|d| d.code.eq_ignore_ascii_case(c))
        {
            g.error("code", format!("`{c}` is given twice"), format!("`{c}` 出现了两次；每个单位代码只写一次"));
        }
        let ok = g.errors.is_empty();
        f.errors.append(&mut g.errors);
        if let (Some(code), Some(name), true) = (code, name, ok) {
            out.push(Department { code, name });
        }
    }
    out
}

/// `+HH:MM` or `+HH:MM:SS`, hours from 0 to [`MAX_HOURS`].
pub fn offset(s: &str) -> Result<Duration, Said> {
    let bad = || {
        Said::new(
            format!("`{s}` is not an offset; use +HH:MM or +HH:MM:SS from the start (hours 0 to {MAX_HOURS})"),
            format!("`{s}` 不是偏移；请用距开始的 +HH:MM 或 +HH:MM:SS（小时为 0 到 {MAX_HOURS}）"),
        )
    };
    let parts: Vec<&str> = s.strip_prefix('+').ok_or_else(bad)?.split(':').collect();
    let n: Vec<i64> = parts.iter().map(|p| p.parse::<i64>().map_err(|_| bad())).collect::<Result<_, _>>()?;
    let (h, m, sec) = match n.as_slice() {
        [h, m] => (*h, *m, 0),
        [h, m, sec] => (*h, *m, *sec),
        _ => return Err(bad()),
    };
    if !(0..=MAX_HOURS).contains(&h) || !(0..60).contains(&m) || !(0..60).contains(&sec) {
        return Err(bad());
    }
    Ok(Duration::seconds(h * 3600 + m * 60 + sec))
}

/// Reads an entry line against the drill's departments.
pub fn entry(line: &str, directory: &Directory) -> Result<(Duration, Happening), Vec<Said>> {
    let obj = object(line).map_err(|e| vec![e])?;
    let mut f = Fields::new(&obj, "");
    let at = match f.raw("at") {
        Some(serde_json::Value::String(s)) => offset(s).map_err(|e| f.said("at", e)).ok(),
        Some(v) => {
            let en = format!("`{v}` is not an offset; use \"+HH:MM\" or \"+HH:MM:SS\" in quotes");
            f.error("at", en, format!("`{v}` 不是偏移；请用加引号的 \"+HH:MM\" 或 \"+HH:MM:SS\""));
            None
        }
        None => {
            let en = "is needed: the offset from the start, +HH:MM or +HH:MM:SS";
            f.error("at", en, "缺少此字段：距开始的偏移，+HH:MM 或 +HH:MM:SS");
            None
        }
    };
    let kinds = KINDS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ");
    let kind = f.raw("kind").and_then(|v| v.as_str()).map(str::to_string);
    let Some((kind, fields)) = kind.as_deref().and_then(|k| KINDS.iter().find(|(n, _)| *n == k)) else {
        match kind {
            Some(k) => f.error(
                "kind",
                format!("unknown kind `{k}`; valid: {kinds}"),
                format!("没有条目类型 `{k}`；可填：{kinds}"),
            ),
            None => f.error("kind", format!("is needed; valid: {kinds}"), format!("缺少此字段；可填：{kinds}")),
        }
        return Err(f.errors);
    };
    let allowed: Vec<&str> = ["at", "kind"].iter().chain(fields.iter()).copied().collect();
    let an = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    let whose = Said::new(format!("{an} `{kind}` entry"), format!("`{kind}` 条目"));
    f.only(&allowed, &whose);
    let what = match *kind {
        "item" => item(&mut f),
        "surge" => {
            let external_id = f.needed_text("external_id", &whose);
            let reach = f.count("reach", &whose);
            external_id.zip(reach).map(|(external_id, reach)| Happening::Surge { external_id, reach })
        }
        "inquiry" => f.needed_text("text", &whose).map(|text| Happening::Inquiry { text }),
        "note" => f.needed_text("text", &whose).map(|text| Happening::Note { text }),
        _ => expect(&mut f, directory),
    };
    match (at, what, f.errors.is_empty()) {
        (Some(at), Some(what), true) => Ok((at, what)),
        _ => Err(f.errors),
    }
}

/// What a line that has errors still says arrives, for the checks across lines: an
/// item with its `external_id` (or an inquiry), at its offset if that reads (else the
/// start, which no surge can come before).
pub fn arrival(line: &str) -> Option<(Duration, Happening)> {
    let obj = object(line).ok()?;
    let at = obj.get("at").and_then(|v| v.as_str()).and_then(|s| offset(s).ok()).unwrap_or_else(Duration::zero);
    match obj.get("kind")?.as_str()? {
        "item" => {
            let id = obj.get("item")?.get("external_id")?.as_str()?.trim().to_string();
            let item = crate::domain::item::NewItem {
                channel: crate::domain::item::Channel::Other,
                title: String::new(),
                body: String::new(),
                url: None,
                author: None,
                published_at: None,
                reach: None,
                external_id: Some(id).filter(|id| !id.is_empty()),
            };
            item.external_id.is_some().then_some((at, Happening::Item(item)))
        }
        "inquiry" => Some((at, Happening::Inquiry { text: String::new() })),
        _ => None,
    }
}

/// The item ids a line with errors names, as (field, id), so that the checks across
/// lines still find an id no item has: an `expect` entry's `external_id` and
/// `same_case`, a `surge`'s `external_id`.
pub fn references(line: &str) -> Vec<(String, String)> {
    let Ok(obj) = object(line) else { return vec![] };
    let text = |v: &serde_json::Value| v.as_str().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut out: Vec<(String, String)> = Vec::new();
    if matches!(obj.get("kind").and_then(|k| k.as_str()), Some("expect" | "surge")) {
        out.extend(obj.get("external_id").and_then(text).map(|id| ("external_id".to_string(), id)));
    }
    if obj.get("kind").and_then(|k| k.as_str()) == Some("expect")
        && let Some(list) = obj.get("same_case").and_then(|v| v.as_array())
    {
        out.extend(list.iter().enumerate().filter_map(|(i, v)| text(v).map(|id| (format!("same_case[{i}]"), id))));
    }
    out
}

/// An `item` entry's item, checked as an item file's line is, with the paths under `item`.
fn item(f: &mut Fields) -> Option<Happening> {
    let Some(v) = f.raw("item") else {
        let columns = crate::ingest::COLUMNS;
        f.error(
            "item",
            format!("is needed for an `item` entry: {{{columns}}}"),
            format!("`item` 条目必须填写此字段：{{{columns}}}"),
        );
        return None;
    };
    let Some(obj) = v.as_object() else {
        let like = "{\"channel\":…,\"title\":…}";
        f.error("item", format!("`{v}` is not an item {like}"), format!("`{v}` 不是信息 {like}"));
        return None;
    };
    let columns: Vec<&str> = crate::ingest::COLUMNS.split(", ").collect();
    let mut g = Fields::new(obj, "item");
    g.only(&columns, &Said::new("an item", "信息"));
    for c in columns.iter().filter(|c| **c != "reach") {
        g.text(c);
    }
    let ok = g.errors.is_empty();
    f.errors.append(&mut g.errors);
    // The fields of the right shape are checked as an item file's are, so every error
    // of the line is said; a field already refused (not text) is not refused again.
    let known: serde_json::Map<_, _> = obj
        .iter()
        .filter(|(k, v)| columns.contains(&k.as_str()) && (v.is_string() || v.is_null() || k.as_str() == "reach"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let refused = |field: &str| obj.contains_key(field) && !known.contains_key(field);
    let raw: crate::ingest::RawItem = serde_json::from_value(serde_json::Value::Object(known.clone())).ok()?;
    match raw.validate_all() {
        Ok(item) if ok => Some(Happening::Item(item)),
        Ok(_) => None,
        Err(all) => {
            let again = |e: &Said| columns.iter().any(|c| refused(c) && e.en.contains(&format!("`{c}`")));
            // The item's own messages name its fields; put them under `item`.
            let under = |e: String| columns.iter().fold(e, |e, c| e.replace(&format!("`{c}`"), &format!("`item.{c}`")));
            for e in all.into_iter().filter(|e| !again(e)) {
                f.errors.push(Said::new(under(e.en), under(e.zh)));
            }
            None
        }
    }
}

/// An `expect` entry: a case like this, or a dismissal; and the items that belong in
/// the same case.
fn expect(f: &mut Fields, directory: &Directory) -> Option<Happening> {
    let external_id = f.needed_text("external_id", &Said::new("an `expect` entry", "`expect` 条目"));
    let severity = f.named::<Severity>("severity");
    let category = f.named::<Category>("category");
    let lead = f.text("lead").and_then(|l| match directory.find(&l) {
        Some(d) => Some(d.code.clone()),
        None => {
            let valid = directory.choices();
            let zh = format!("没有单位 `{l}`；牵头单位可填的代码：{valid}");
            f.error("lead", format!("unknown department `{l}`; valid codes: {valid}"), zh);
            None
        }
    });
    let milestones = f.list("milestones", MilestoneKind::parse_said);
    for (i, k) in milestones.iter().enumerate().filter(|(i, k)| milestones[..*i].contains(k)) {
        let (at, k) = (format!("milestones[{i}]"), k.name());
        f.error(
            &at,
            format!("`{k}` is listed twice; list each milestone once"),
            format!("`{k}` 列了两次；每个时限节点只列一次"),
        );
    }
    if !milestones.is_empty() && severity.is_none() {
        let en = "give `severity` too: which milestones a case owes, and when, depends on it (R9, R11)";
        f.error("milestones", en, "请同时给出 `severity`：舆情事项有哪些时限节点、何时到期，取决于其级别");
    }
    let dismissed = f.flag("dismissed");
    let same_case = f.list("same_case", |s| match s.trim() {
        "" => Err(Said::new("is empty; give an item's external_id", "为空；请填写信息的 external_id")),
        t => Ok(t.to_string()),
    });
    if dismissed {
        let given: Vec<&str> =
            ["severity", "category", "lead", "milestones", "same_case"].into_iter().filter(|k| f.has(k)).collect();
        for k in given {
            let en = "a dismissed item becomes no case; leave it out or drop `dismissed`";
            f.error(k, en, "排除的信息不会成为舆情事项；请删去此字段，或去掉 `dismissed`");
        }
    }
    if let Some(sev) = severity {
        let due = planned(sev);
        let valid = due.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ");
        for (i, k) in milestones.iter().enumerate().filter(|(_, k)| !due.contains(k)) {
            let (s, z, k) = (sev.name(), sev.zh(), k.name());
            f.error(
                &format!("milestones[{i}]"),
                format!("a {s} case has no `{k}` milestone; valid for {s}: {valid}"),
                format!("{z}（{s}）舆情事项没有 `{k}` 时限节点；{z}舆情事项可填：{valid}"),
            );
        }
    } else if milestones.contains(&MilestoneKind::FirstResponse)
        && milestones.iter().any(|k| !planned(Severity::General).contains(k))
    {
        let en = "first_response is a general case's, the others a major one's: no case has both";
        f.error(
            "milestones",
            en,
            "first_response 属于一般（general）舆情事项，其余属于重大（major）舆情事项：没有舆情事项两者都有",
        );
    }
    let e = Happening::Expect { external_id: external_id?, severity, category, lead, milestones, dismissed, same_case };
    Some(e)
}

/// The milestones a case of `severity` gets, as the console plans them.
pub fn planned(severity: Severity) -> Vec<MilestoneKind> {
    crate::domain::policy::Policy::default()
        .plan(severity, DateTime::<Utc>::UNIX_EPOCH)
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}
