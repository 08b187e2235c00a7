//! Scoring a drill against its scenario's expectations: per expectation, whether the
//! item became a case, whether severity, category and lead are right, and each milestone
//! met, how early or late in drill time, counted as the console counts them (from
//! discovery, and at the latest the rule's time after the expectation's `at`); a
//! milestone not yet due when the drill stopped is shown, not scored. Each
//! line names the rule behind it (R1–R12 of the county's rules). Then per trainee the
//! points of the cases they opened, items handled and the median time to triage, and
//! the team's total. Written as Markdown.

use super::scenario::{Happening, Scenario};
use crate::domain::case::{Case, Severity};
use crate::domain::event::{Event, EventBody};
use crate::domain::item::{Item, ItemStatus};
use crate::domain::milestone::MilestoneKind;
use crate::domain::names::Named;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The score, and the Markdown that explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub points: u32,
    pub possible: u32,
    pub markdown: String,
}

/// Scores the drill whose state is `items`, `cases` and `events` against `scenario`.
pub fn score(scenario: &Scenario, items: &[Item], cases: &[Case], events: &[Event]) -> Score {
    let (mut points, mut possible) = (0u32, 0u32);
    // The drill's clock when it was scored: its latest event.
    let now = events.iter().map(Event::at).max();
    // Per trainee: (points, possible) of the lines about the cases they opened.
    let mut credit: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut md = format!("# 演练评分 Drill score — {}\n\n## 预期 Expectations\n\n", scenario.name);
    // A line scored, credited (or charged) to each trainee in `by`.
    let mut mark = |ok: bool, md: &mut String, what: String, by: &[&str]| {
        possible += 1;
        points += ok as u32;
        for by in by {
            let c = credit.entry(by.to_string()).or_default();
            (c.0, c.1) = (c.0 + ok as u32, c.1 + 1);
        }
        let _ = writeln!(md, "- [{}] {what}", if ok { "x" } else { " " });
    };
    for e in &scenario.entries {
        let Happening::Expect { external_id, severity, category, lead, milestones, dismissed, same_case } = &e.what
        else {
            continue;
        };
        let item = items.iter().find(|i| i.fields.external_id.as_deref() == Some(external_id));
        let case_of = |i: &Item| match &i.status {
            ItemStatus::Attached { case } => Some(case.clone()),
            _ => None,
        };
        let case = item.and_then(case_of).and_then(|no| cases.iter().find(|c| c.no == no));
        let by: Vec<&str> = case.map(|c| c.opened_by.as_str()).into_iter().collect();
        let _ = writeln!(md, "### {external_id}");
        // Scored only once its item is in and the facts it names are at hand.
        let from = scenario.start + e.offset;
        if item.is_none() || now.is_some_and(|t| from > t) {
            let _ = writeln!(
                md,
                "- [·] 尚未到时 not yet ({}): {}\n",
                offset(e.offset),
                match item {
                    None => "信息尚未到达 the item has not arrived",
                    Some(_) => "研判所需情况尚未到达 what the officers need has not come yet",
                }
            );
            continue;
        }
        if *dismissed {
            let done = item.map_or("未到达 not arrived".to_string(), |i| status(&i.status));
            let ok = item.is_some_and(|i| matches!(i.status, ItemStatus::Dismissed { .. }));
            // Charged to whoever made the noise a case, credited to whoever dismissed it.
            let by: Vec<&str> = match item.map(|i| &i.status) {
                Some(ItemStatus::Dismissed { by, .. }) => vec![by.as_str()],
                _ => by,
            };
            mark(ok, &mut md, format!("作为噪声忽略 dismissed as noise (R3 分类处置): 实际 actual: {done}"), &by);
            md.push('\n');
            continue;
        }
        if !same_case.is_empty() {
            let mut split: Vec<String> = std::iter::once(external_id)
                .chain(same_case)
                .map(|x| {
                    items
                        .iter()
                        .find(|i| i.fields.external_id.as_deref() == Some(x))
                        .and_then(case_of)
                        .unwrap_or_else(|| "—".into())
                })
                .collect();
            split.sort();
            split.dedup();
            let ok = split.len() == 1 && split[0] != "—";
            // A split is every opener's: each case of it counts against the one who opened it.
            let mut openers: Vec<&str> =
                cases.iter().filter(|c| split.contains(&c.no)).map(|c| c.opened_by.as_str()).collect();
            openers.sort_unstable();
            openers.dedup();
            mark(
                ok,
                &mut md,
                format!(
                    "同一事件一案 one case for this incident ({}) (R12): 实际 actual: {}",
                    same_case.join(", "),
                    split.join(", ")
                ),
                &openers,
            );
        }
        mark(
            case.is_some(),
            &mut md,
            format!("登记 made into a case (R7): {}", case.map_or("否 no".into(), |c| c.no.clone())),
            &by,
        );
        if let Some(want) = severity {
            let (ok, text) = judged("级别 severity (R3 研判)", both(*want), case.map(|c| both(c.severity)));
            mark(ok, &mut md, text, &by);
        }
        if let Some(want) = category {
            let (ok, text) = judged("类别 category (R3, R10)", both(*want), case.map(|c| both(c.category)));
            mark(ok, &mut md, text, &by);
        }
        if let Some(want) = lead {
            // Named as the drill's pickers name them, with the code a scenario uses.
            let dir = crate::domain::department::Directory { departments: scenario.departments.clone() };
            let named = |code: &str| dir.find(code).map_or(code.to_string(), |d| format!("{} {code}", d.name));
            let (ok, text) = judged("牵头部门 lead (R5 第一责任主体)", named(want), case.map(|c| named(&c.lead)));
            mark(ok, &mut md, text, &by);
        }
        for k in milestones {
            let rule = if *k == crate::domain::milestone::MilestoneKind::FirstResponse { "R9" } else { "R11" };
            let met = case.and_then(|c| c.milestones.iter().find(|m| m.kind == *k && m.met_at.is_some()));
            let planned = met.or_else(|| case.and_then(|c| c.pending(*k))).map(|m| m.due);
            // Due as the console counts it, and at the latest the rule's time after the
            // expectation's `at` (or its item's arrival, if later).
            let from = item.map_or(scenario.start + e.offset, |i| i.received_at.max(scenario.start + e.offset));
            let by_rule = rule_due(*k, from);
            let due = planned.map_or(by_rule, |d| d.min(by_rule));
            if met.is_none() && now.is_some_and(|t| due > t) {
                // Not yet due when the drill stopped: neither met nor missed.
                let _ = writeln!(md, "- [·] {} {} ({rule}): 尚未到期 not yet due", k.zh(), k.name());
                continue;
            }
            let met_at = met.and_then(|m| m.met_at);
            let how = match met_at.map(|t| (due - t).num_minutes()) {
                Some(early) if early >= 0 => format!("提前 {early} 分钟 met {early} min early"),
                Some(late) => format!("超时 {} 分钟 met {} min late", -late, -late),
                None => "未完成 not met".into(),
            };
            let ok = met_at.is_some_and(|t| t <= due);
            mark(ok, &mut md, format!("{} {} ({rule}): {how}", k.zh(), k.name()), &by);
        }
        md.push('\n');
    }
    // Per operator: items triaged (dismissed, attached, made into cases) and how long after arrival.
    let received: BTreeMap<&str, chrono::DateTime<chrono::Utc>> =
        items.iter().map(|i| (i.id.as_str(), i.received_at)).collect();
    let mut per_op: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for ev in events {
        let triaged: Vec<&str> = match &ev.body {
            EventBody::ItemDismissed { item, .. } | EventBody::ItemAttached { item, .. } => vec![item.as_str()],
            EventBody::CaseOpened { items, .. } => items.iter().map(String::as_str).collect(),
            _ => vec![],
        };
        for id in triaged {
            if let Some(t) = received.get(id) {
                per_op.entry(ev.operator.as_str()).or_default().push((ev.at() - *t).num_seconds());
            }
        }
    }
    let _ = writeln!(
        md,
        "## 学员 Trainees\n\n| 操作员 operator | 得分 points | 处理条目 items handled | 分诊用时中位数 median time to triage |\n|---|---:|---:|---:|"
    );
    let mut ops: Vec<&str> = per_op.keys().copied().chain(credit.keys().map(String::as_str)).collect();
    ops.sort_unstable();
    ops.dedup();
    for op in ops {
        let (p, of) = credit.get(op).copied().unwrap_or_default();
        let handled = per_op.get(op).map(|v| {
            let mut v = v.clone();
            v.sort_unstable();
            let m = v[v.len() / 2];
            (v.len(), format!("{}分{:02}秒 {}m{:02}s", m / 60, m % 60, m / 60, m % 60))
        });
        let (n, median) = handled.unwrap_or((0, "-".into()));
        let _ = writeln!(md, "| {op} | {p} / {of} | {n} | {median} |");
    }
    let _ = writeln!(md, "\n## 总分 Total: {points} / {possible}");
    Score { points, possible, markdown: md }
}

/// When milestone `k` falls due by the rules (R9, R11: the default policy) for a case
/// whose facts were at hand at `from`.
fn rule_due(k: MilestoneKind, from: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    let severity = if k == MilestoneKind::FirstResponse { Severity::General } else { Severity::Major };
    let plan = crate::domain::policy::Policy::default().plan(severity, from);
    plan.into_iter().find(|(m, _)| *m == k).map_or(from, |(_, due)| due)
}

/// An item's status in both languages: `待研判 new`.
fn status(s: &ItemStatus) -> String {
    let zh = match s {
        ItemStatus::New => "待研判",
        ItemStatus::Dismissed { .. } => "已排除",
        ItemStatus::Attached { .. } => "已并入",
        ItemStatus::Expired { .. } => "过期移出",
    };
    format!("{zh} {}", s.name())
}

/// An offset from the drill's start as the scenario writes it: `+01:35`.
fn offset(d: chrono::Duration) -> String {
    format!("+{:02}:{:02}", d.num_hours(), d.num_minutes() % 60)
}

/// A value's Chinese and English names: `重大 major`.
fn both<T: Named + PartialEq>(v: T) -> String {
    format!("{} {}", v.zh(), v.name())
}

/// Whether the officers chose what was expected, and the line saying so: what was
/// expected, and what they chose when it differs.
fn judged(what: &str, want: String, got: Option<String>) -> (bool, String) {
    match got {
        Some(got) if got != want => (false, format!("{what}: {want} (实际 actual: {got})")),
        got => (got.is_some(), format!("{what}: {want}")),
    }
}
