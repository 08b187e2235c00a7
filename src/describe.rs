//! One-line descriptions of events, case states and milestone states, in either
//! language; shared by the command line and the console's timeline.

use crate::domain::case::{Case, CaseStatus, Draft};
use crate::domain::department::Directory;
use crate::domain::event::{Event, EventBody};
use crate::domain::milestone::Milestone;
use crate::domain::names::Named;
use crate::domain::role::Operator;
use crate::i18n::Lang;
use crate::text::{one_line, truncate};
use crate::timefmt;
use chrono::{DateTime, Utc};

/// What an event did, in a line, departments by code and texts cut short (the
/// command line's audit).
pub fn event(ev: &Event, lang: Lang) -> String {
    line(ev, lang, None, None)
}

/// What an event did, departments by their names in `directory` and texts whole (what
/// officers read: the console's timeline, wrapped, and its status line).
pub fn event_named(ev: &Event, lang: Lang, directory: &Directory) -> String {
    line(ev, lang, Some(directory), None)
}

/// What an event did: departments by name and texts whole where `directory` is given,
/// else by code and cut short; a drafted response with its number (`draft`, from 1:
/// `起草 #2 首次回应: …`) where it is known.
pub fn line(ev: &Event, lang: Lang, directory: Option<&Directory>, draft: Option<usize>) -> String {
    let id = |id: &str| id.to_string();
    match directory {
        Some(d) => describe(ev, lang, &|code: &str| d.name(code).to_string(), None, draft, &id),
        None => describe(ev, lang, &|code: &str| code.to_string(), Some(60), draft, &id),
    }
}

/// What an event did, for people reading the command line's audit in `lang`:
/// departments by name, texts cut short, and the people it names (who signed in, whom
/// a shift went to) by their names in `roster`, the id in brackets.
pub fn for_people(ev: &Event, lang: Lang, directory: &Directory, roster: &[Operator]) -> String {
    let person = |id: &str| crate::config::person(roster, id);
    describe(ev, lang, &|code: &str| directory.name(code).to_string(), Some(60), None, &person)
}

/// A session's reason (`SessionRecorded::detail`, written in English by the console)
/// as a Chinese reader reads it; a reason not known here as it was written.
fn session_detail(detail: &str, lang: Lang) -> String {
    let zh = match detail {
        "idle" => "闲置超时",
        "wrong PIN" => "口令不对",
        "no PIN set" => "未设口令",
        "unknown or disabled operator" => "没有此人或已停用",
        "quit" => "退出值守台",
        "stopped" => "值守台被停止",
        "terminal closed" => "终端已断开",
        "another officer signed in" => "他人签入",
        "handed over" => "已交接班",
        _ => return detail.to_string(),
    };
    lang.t(zh, detail).to_string()
}

/// What an event is about, as people name it: its case (`A-0001`) or item (`A.17`);
/// `None` for an event about neither (a day's monitoring), which says what it is.
pub fn subject(ev: &Event) -> Option<String> {
    use crate::domain::event::Aggregate;
    match ev.body.aggregates().into_iter().next()? {
        Aggregate::Case(no) => Some(no),
        Aggregate::Item(id) => Some(id),
    }
}

/// A case's timeline, a line per event (as [`line`] says it), each drafted response
/// with the number it is approved and published by.
pub fn timeline(events: &[Event], lang: Lang, directory: Option<&Directory>) -> Vec<String> {
    let mut drafts = 0;
    events
        .iter()
        .map(|ev| {
            let draft = matches!(ev.body, EventBody::ResponseDrafted { .. }).then(|| {
                drafts += 1;
                drafts
            });
            line(ev, lang, directory, draft)
        })
        .collect()
}

fn describe(
    ev: &Event,
    lang: Lang,
    dept: &dyn Fn(&str) -> String,
    cut: Option<usize>,
    draft: Option<usize>,
    person: &dyn Fn(&str) -> String,
) -> String {
    use EventBody::*;
    let t = |zh: &str, en: &str| lang.t(zh, en).to_string();
    let short = |s: &str| match cut {
        Some(w) => truncate(&one_line(s), w),
        None => one_line(s),
    };
    match &ev.body {
        ItemReceived { id, item } => {
            format!("{} {id} [{}] {}", t("收到", "received"), item.channel.label(lang), short(&item.title))
        }
        ItemDismissed { item, reason } => format!("{} {item}: {}", t("排除", "dismissed"), short(reason)),
        ItemExpired { item, days } => {
            format!("{} {item}: {days} {}", t("过期移出", "expired"), t("天未研判", "days untriaged"))
        }
        ItemRestored { item, reason } => format!("{} {item}: {}", t("撤销排除", "restored"), short(reason)),
        CaseOpened { case, title, severity, lead, items, .. } => format!(
            "{} {case} {} · {} · {} {} · {}",
            t("登记", "opened"),
            short(title),
            severity.label(lang),
            t("牵头", "lead"),
            dept(lead),
            items.join(",")
        ),
        ItemAttached { case, item } => format!("{} {item} → {case}", t("并入", "attached")),
        CaseClassified { severity, category, .. } => {
            format!("{} {} / {}", t("重新定级", "classified"), severity.label(lang), category.label(lang))
        }
        DepartmentsAssigned { lead, co, .. } => {
            let co: Vec<String> = co.iter().map(|c| dept(c)).collect();
            format!("{} {} + {}", t("交办", "assigned"), dept(lead), co.join(lang.t("、", ",")))
        }
        CaseTransferred { to, reason, .. } => {
            format!("{} → {}: {}", t("转办", "transferred"), dept(to), short(reason))
        }
        CaseAcknowledged { dept: d, .. } => format!("{} {}", t("签收", "acknowledged by"), dept(d)),
        CaseEscalated { reason, .. } => format!("{}: {}", t("督办", "escalated"), short(reason)),
        MonitoringRecorded { day, channel, found, note } => {
            let what =
                if *found == 0 { t("零报告", "nil return") } else { format!("{} {found}", t("发现", "found")) };
            format!("{} {day} [{}] {what} {}", t("监测记录", "monitoring"), channel.label(lang), short(note))
        }
        ExtensionRequested { milestone, until, reason, .. } => format!(
            "{} {} → {}: {}",
            t("申请延期", "extension requested"),
            milestone.label(lang),
            crate::timefmt::local(*until),
            short(reason)
        ),
        DraftSignedOff { draft, dept: d, .. } => {
            format!("{} #{}: {}", t("会签草稿", "signed off draft"), Draft::number(*draft), dept(d))
        }
        WordingAgreed { cases, text } => {
            format!("{} ({}): {}", t("统一口径", "agreed wording"), cases.join(", "), short(text))
        }
        ReportedToCounty { note, .. } => {
            format!("{} {}", t("已报告县政府", "reported to the county government"), short(note))
        }
        CaseReferred { to, reference, .. } => {
            format!("{} {} ({reference})", t("移交", "referred to"), to.label(lang))
        }
        ResponseDrafted { kind, text, .. } => {
            let no = draft.map(|n| format!(" #{n}")).unwrap_or_default();
            format!("{}{no} {}: {}", t("起草", "drafted"), kind.label(lang), short(text))
        }
        ResponseApproved { draft, .. } => format!("{} #{}", t("审核通过草稿", "approved draft"), Draft::number(*draft)),
        DraftReturned { draft, reason, .. } => {
            format!("{} #{}: {}", t("退回草稿", "returned draft"), Draft::number(*draft), short(reason))
        }
        ResponsePublished { kind, channel, text, .. } => {
            format!("{} {} @{}: {}", t("发布", "published"), kind.label(lang), channel.label(lang), short(text))
        }
        PressConferenceHeld { note, .. } => format!("{} {}", t("召开新闻发布会", "press conference held"), short(note)),
        MilestoneExtended { milestone, until, reason, .. } => format!(
            "{} {} → {}: {}",
            t("延期", "extended"),
            milestone.label(lang),
            timefmt::local(*until),
            short(reason)
        ),
        NoteAdded { text, .. } => format!("{}: {}", t("备注", "note"), short(text)),
        AccountabilityMarked { dept: d, reason, .. } => {
            format!("{} {}: {}", t("问责建议", "accountability proposed"), dept(d), short(reason))
        }
        CaseClosed { outcome, note, .. } => {
            format!("{} ({}) {}", t("结案", "closed"), outcome.label(lang), short(note))
        }
        CaseReopened { reason, .. } => format!("{}: {}", t("重新打开", "reopened"), short(reason)),
        ItemReachUpdated { item, reach } => format!("{} {item}: {reach}", t("传播量更新", "reach updated")),
        ShiftHandedOver { to, .. } => format!("{} → {}", t("交接班", "shift handed over"), person(to)),
        OperatorSet { operator: o } => {
            // Hashes never reach the audit: only whether a PIN or token is set.
            let mut s = match lang {
                Lang::Zh => format!("设置值守人员 {} {}（{}）", o.id, o.name, o.role.label(lang)),
                Lang::En => format!("operator set {} {} ({})", o.id, o.name, o.role.label(lang)),
            };
            if o.pin.is_some() {
                s.push_str(&t(" · 已设口令", " · PIN set"));
            }
            if o.token.is_some() {
                s.push_str(&t(" · 已设令牌", " · token set"));
            }
            if o.disabled {
                s.push_str(&t(" · 已停用", " · disabled"));
            }
            s
        }
        SessionRecorded { act, who, detail } => {
            use crate::domain::session::SessionAct as A;
            let what = match act {
                A::SignedIn => t("签入", "signed in"),
                A::SignedOut => t("签出", "signed out"),
                A::Locked => t("锁屏", "locked"),
                A::Unlocked => t("解锁", "unlocked"),
                A::Refused => t("签入被拒", "sign-in refused"),
            };
            let mut s = format!("{what} {}", person(who));
            if !detail.is_empty() {
                let why = short(&session_detail(detail, lang));
                s.push_str(&match lang {
                    Lang::Zh => format!("（{why}）"),
                    Lang::En => format!(" ({why})"),
                });
            }
            s
        }
        DrillNoted { text } => format!("{}: {}", t("演练通知", "drill note"), short(text)),
        ConsoleRevoked { name, cert } => {
            format!(
                "{} {name} ({})",
                t("吊销控制台证书", "revoked the certificate of console"),
                &cert[..cert.len().min(16)]
            )
        }
        DrillPaced { pace } => format!(
            "{} {} {} ({}×)",
            t("演练时钟", "drill clock"),
            if pace.paused { t("暂停于", "paused at") } else { t("运行自", "running from") },
            timefmt::local(pace.at),
            pace.speed
        ),
    }
}

/// `open`, or `closed (solved) at …`.
pub fn status(c: &Case, lang: Lang) -> String {
    match &c.status {
        CaseStatus::Open => lang.t("办理中", "open").into(),
        CaseStatus::Closed { outcome, at } => {
            format!("{} ({}) {}", lang.t("已结案", "closed"), outcome.label(lang), timefmt::local(*at))
        }
    }
}

/// A milestone's state at `now`: met on time/late, waived, time left, or overdue.
pub fn milestone_state(m: &Milestone, now: DateTime<Utc>, lang: Lang) -> String {
    if let Some(met) = m.met_at {
        let how = if met <= m.due { lang.t("按时", "on time") } else { lang.t("超时", "late") };
        return format!("{} {} ({how})", lang.t("已完成", "met"), timefmt::local(met));
    }
    if m.waived {
        return lang.t("结案时未到期，不再计时", "waived at closing").into();
    }
    if m.lapsed {
        return lang.t("未按时完成（改级后不再要求）", "missed (no longer required after reclassification)").into();
    }
    let left = m.due - now;
    if left < chrono::Duration::zero() {
        format!("{} {}", lang.t("超时", "overdue"), timefmt::overdue(left))
    } else {
        format!("{} {}", lang.t("剩余", "left"), timefmt::countdown(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventId;
    use crate::domain::hlc::Stamp;
    use crate::domain::role::Role;
    use crate::domain::session::SessionAct;

    fn session(act: SessionAct, who: &str, detail: &str) -> Event {
        Event {
            id: EventId { console: "A".into(), seq: 1 },
            stamp: Stamp { ms: 0, n: 0 },
            operator: who.into(),
            realm: "live".into(),
            v: crate::domain::event::SCHEMA_VERSION,
            body: EventBody::SessionRecorded { act, who: who.into(), detail: detail.into() },
            prev: None,
        }
    }

    #[test]
    fn sessions_read_in_chinese_with_their_reasons_and_people_by_name() {
        let wang = Operator {
            id: "wang".into(),
            name: "王芳".into(),
            role: Role::Supervisor,
            pin: None,
            token: None,
            disabled: false,
        };
        let dir = Directory::default();
        let refused = session(SessionAct::Refused, "wang", "wrong PIN");
        let locked = session(SessionAct::Locked, "li", "idle");
        let no_pin = session(SessionAct::Refused, "wang", "no PIN set");
        let nobody = session(SessionAct::Refused, "zhao", "unknown or disabled operator");
        let zh = |ev: &Event| for_people(ev, Lang::Zh, &dir, std::slice::from_ref(&wang));
        assert_eq!(zh(&refused), "签入被拒 王芳（wang）（口令不对）");
        assert_eq!(zh(&locked), "锁屏 li（闲置超时）");
        assert_eq!(zh(&no_pin), "签入被拒 王芳（wang）（未设口令）");
        assert_eq!(zh(&nobody), "签入被拒 zhao（没有此人或已停用）");
        // English stays as it was: ids, and the reason as the console wrote it.
        assert_eq!(event(&refused, Lang::En), "sign-in refused wang (wrong PIN)");
        assert_eq!(event(&locked, Lang::En), "locked li (idle)");
    }
}
