//! All the rules: `decide` checks a command against the current state and the acting
//! operator's role, and either returns the events it becomes or says why not.

use super::said;
pub use super::said::Said;
use crate::domain::case::{Case, Draft, Outcome, ResponseKind, Severity};
use crate::domain::command::Command;
use crate::domain::department::Directory;
use crate::domain::event::EventBody;
use crate::domain::item::{Item, ItemStatus};
use crate::domain::milestone::MilestoneKind;
use crate::domain::names::Named;
use crate::domain::permission;
use crate::domain::policy::ClockBase;
use crate::domain::policy::Policy;
use crate::domain::role::{Operator, Role};
use chrono::{DateTime, Utc};

/// Why a command was refused. Each message says what would be valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("{who} ({role}) may not {action}; {needed}")]
    Forbidden { who: String, role: Role, action: &'static str, needed: &'static str },
    #[error("no case `{0}`; case numbers look like A-0042 (list them with `yuqing cases --all`)")]
    UnknownCase(String),
    #[error("no item `{0}`; item numbers look like A.17 (list them with `yuqing items`)")]
    UnknownItem(String),
    #[error("{0}")]
    UnknownDepartment(String),
    #[error("case {0} is closed; reopen it first")]
    Closed(String),
    #[error("case {0} is open; only a closed case can be reopened")]
    NotClosed(String),
    #[error("item {id} is already {status}; only new items can be {action}")]
    ItemNotNew { id: String, status: String, action: &'static str },
    #[error("{0}")]
    Invalid(Said),
}

/// Builds a refusal of the rules, in English and in Chinese.
fn invalid(en: impl Into<String>, zh: impl Into<String>) -> DomainError {
    DomainError::Invalid(Said { en: en.into(), zh: zh.into() })
}

/// What `decide` may read of the current state.
pub trait View {
    fn item(&self, id: &str) -> Option<Item>;
    fn case(&self, no: &str) -> Option<Case>;
}

/// Everything besides the state that a decision depends on.
pub struct Context<'a> {
    pub operator: &'a Operator,
    pub now: DateTime<Utc>,
    pub policy: &'a Policy,
    pub directory: &'a Directory,
    /// The number a case opened now would get.
    pub next_case_no: String,
    /// The number an item received now would get.
    pub next_item_id: String,
}

fn check_role(ctx: &Context, cmd: &Command) -> Result<(), DomainError> {
    let op = ctx.operator;
    permission::check(op.role, cmd.kind()).map_err(|needed| DomainError::Forbidden {
        who: op.id.clone(),
        role: op.role,
        action: cmd.verb(),
        needed,
    })
}

fn dept(ctx: &Context, code: &str) -> Result<String, DomainError> {
    ctx.directory.resolve(code).map_err(DomainError::UnknownDepartment)
}

fn depts(ctx: &Context, codes: &[String], lead: &str) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for c in codes {
        let d = dept(ctx, c)?;
        if d != lead && !out.contains(&d) {
            out.push(d);
        }
    }
    Ok(out)
}

fn non_empty(what: &str, s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    if t.is_empty() {
        Err(invalid(format!("{what} must not be empty"), format!("{}不能为空", said::zh_what(what))))
    } else {
        Ok(t.to_string())
    }
}

fn new_item(view: &dyn View, id: &str, action: &'static str) -> Result<Item, DomainError> {
    let it = view.item(id).ok_or_else(|| DomainError::UnknownItem(id.to_string()))?;
    match &it.status {
        ItemStatus::New => Ok(it),
        other => Err(DomainError::ItemNotNew { id: id.to_string(), status: other.name().to_string(), action }),
    }
}

/// How long after a dismissal the item can still be put back in the queue.
pub const RESTORE_WINDOW: chrono::Duration = chrono::Duration::hours(24);

/// The latest draft of `c` waiting for approval.
fn waiting_draft(c: &Case, case: &str) -> Result<usize, DomainError> {
    c.drafts.iter().rposition(|d| d.waiting()).ok_or_else(|| {
        invalid(
            format!("case {case} has no draft waiting for approval; draft one first"),
            format!("舆情事项 {case} 没有待审核的草稿；请先起草"),
        )
    })
}

fn open_case(view: &dyn View, no: &str) -> Result<Case, DomainError> {
    let c = view.case(no).ok_or_else(|| DomainError::UnknownCase(no.to_string()))?;
    if c.is_open() { Ok(c) } else { Err(DomainError::Closed(no.to_string())) }
}

/// The draft `draft` names, or the latest one waiting for approval; refused when there
/// is none, it does not exist or it is approved already.
fn named_draft(c: &Case, draft: Option<usize>) -> Result<usize, DomainError> {
    let case = &c.no;
    let idx = match draft {
        Some(i) => i,
        None => waiting_draft(c, case)?,
    };
    match c.drafts.get(idx) {
        None if c.drafts.is_empty() => Err(invalid(
            format!("case {case} has no drafts yet; draft a response first"),
            format!("舆情事项 {case} 还没有草稿；请先起草回应"),
        )),
        None => {
            let n = c.drafts.len();
            Err(invalid(
                format!("case {case} has no draft #{}; its drafts are numbered 1 to {n}", Draft::number(idx)),
                format!("舆情事项 {case} 没有草稿 #{}；其草稿编号为 1 至 {n}", Draft::number(idx)),
            ))
        }
        Some(d) if d.approved_by.is_some() => Err(invalid(
            format!("draft #{} of case {case} is already approved", Draft::number(idx)),
            format!("舆情事项 {case} 的草稿 #{} 已审核通过", Draft::number(idx)),
        )),
        Some(_) => Ok(idx),
    }
}

/// An extension of `milestone` to `until` may be asked for and granted only before the
/// milestone falls due (lateness stays on record, R6), later than its due time, and
/// within the policy's cap past its original due.
fn extendable(ctx: &Context, c: &Case, milestone: MilestoneKind, until: DateTime<Utc>) -> Result<(), DomainError> {
    let case = &c.no;
    let m = c.pending(milestone).ok_or_else(|| {
        let pending: Vec<String> = c.milestones.iter().filter(|m| m.pending()).map(|m| m.kind.words()).collect();
        let zh: Vec<&str> = c.milestones.iter().filter(|m| m.pending()).map(|m| m.kind.zh()).collect();
        invalid(
            format!(
                "case {case} has no pending {} milestone; pending: {}",
                milestone.words(),
                if pending.is_empty() { "none".to_string() } else { pending.join(", ") }
            ),
            format!(
                "舆情事项 {case} 没有未完成的{}节点；未完成：{}",
                milestone.zh(),
                if zh.is_empty() { "无".to_string() } else { zh.join("、") }
            ),
        )
    })?;
    if ctx.now > m.due {
        return Err(invalid(
            format!(
                "the {} milestone of case {case} fell due at {}; a deadline that has passed cannot be extended \
                 (its lateness stays on record); extensions are asked for before the deadline",
                milestone.words(),
                crate::timefmt::local(m.due)
            ),
            format!(
                "舆情事项 {case} 的{}节点已于 {} 到期；已过的时限不能延期（超时记录保留），须在到期前申请",
                milestone.zh(),
                crate::timefmt::local(m.due)
            ),
        ));
    }
    if until <= m.due {
        return Err(invalid(
            format!("the new due time must be after the current one ({})", crate::timefmt::local(m.due)),
            format!("新的时限须晚于现有时限（{}）", crate::timefmt::local(m.due)),
        ));
    }
    let cap = m.original_due.unwrap_or(m.due) + chrono::Duration::hours(ctx.policy.max_extension_hours.into());
    if until > cap {
        let h = ctx.policy.max_extension_hours;
        return Err(invalid(
            format!(
                "an extension may reach at most {h} h past the original due time, so no later than {} \
                         (max_extension_hours in policy.toml)",
                crate::timefmt::local(cap)
            ),
            format!("延期最多超过原时限 {h} 小时，即不晚于 {}", crate::timefmt::local(cap)),
        ));
    }
    Ok(())
}

/// When the duty room learned of `item`, as the policy's clock base counts it (never
/// later than `now`).
fn discovered(base: ClockBase, item: &Item, now: DateTime<Utc>) -> DateTime<Utc> {
    match base {
        ClockBase::Opened => now,
        ClockBase::Received => item.received_at.min(now),
        ClockBase::Published => item.fields.published_at.unwrap_or(item.received_at).min(item.received_at).min(now),
    }
}

/// Refuses `text` (what `what` names, in English and Chinese: the published text, a
/// draft) when case `c` shares an agreed wording (统一口径) that it does not quote word
/// for word: responses of several departments agree (R12).
fn quotes_wording(c: &Case, text: &str, what: (&str, &str)) -> Result<(), DomainError> {
    let Some(w) = c.wording.as_ref().filter(|w| !text.contains(w.text.trim())) else { return Ok(()) };
    let case = &c.no;
    // The cases it shares the wording with: the others, not itself.
    let others: Vec<&str> = w.cases.iter().map(String::as_str).filter(|no| *no != case.as_str()).collect();
    let (with, with_zh) = match others.as_slice() {
        [] => (String::new(), String::new()),
        [one] => (format!(" with case {one}"), format!("与 {one} ")),
        many => (format!(" with cases {}", many.join(", ")), format!("与 {} ", many.join("、"))),
    };
    let (en, zh) = what;
    Err(invalid(
        format!(
            "case {case} shares an agreed wording (口径){with}; responses of several departments agree, so {en} \
             quotes it word for word: {}",
            w.text
        ),
        format!("舆情事项 {case} {with_zh}已统一口径，各部门回应须一致，{zh}须原文引用：{}", w.text),
    ))
}

/// A major case is reported to the county government before anything is published
/// about it (R11, `report_before_publish`).
fn reported_first(ctx: &Context, c: &Case, what: &str, what_zh: &str) -> Result<(), DomainError> {
    if ctx.policy.report_before_publish && c.severity != Severity::General && c.reported_county_at.is_none() {
        return Err(invalid(
            format!("case {} is {}: a major case is reported to the county government before {what}", c.no, c.severity),
            format!("舆情事项 {} 为{}舆情：须先报告县政府，再{}", c.no, c.severity.zh(), what_zh),
        ));
    }
    Ok(())
}

/// A case closes with an outcome its category allows, once it has published the
/// response its category needs (R10) and, when major, met the milestones the rules
/// require (R11); updates still due are waived by the close.
fn closable(ctx: &Context, c: &Case, outcome: Outcome) -> Result<(), DomainError> {
    let by = ctx.policy.responses.of(c.category);
    let names = |v: &mut dyn Iterator<Item = &'static str>| v.collect::<Vec<_>>().join(", ");
    if !by.outcomes.contains(&outcome) {
        return Err(invalid(
            format!(
                "a {} case cannot close as {outcome}; it may close as: {}",
                c.category,
                names(&mut by.outcomes.iter().map(|o| o.name()))
            ),
            format!(
                "{}类舆情事项不能以“{}”结案；可用：{}",
                c.category.zh(),
                outcome.zh(),
                by.outcomes.iter().map(|o| o.zh()).collect::<Vec<_>>().join("、")
            ),
        ));
    }
    if !by.requires.is_empty() && !c.responses.iter().any(|r| by.requires.contains(&r.kind)) {
        let kinds = match by.requires.len() == ResponseKind::ALL.len() {
            true => String::new(),
            false => format!("{} ", names(&mut by.requires.iter().map(|k| k.name()))),
        };
        return Err(invalid(
            format!("case {} has published no {kinds}response; a {} case needs one before it closes", c.no, c.category),
            format!(
                "舆情事项 {} 尚未发布{}回应，{}类事项结案前须发布",
                c.no,
                by.requires.iter().map(|k| k.zh()).collect::<Vec<_>>().join("或"),
                c.category.zh()
            ),
        ));
    }
    let required = [MilestoneKind::ReportCounty, MilestoneKind::AuthoritativeInfo, MilestoneKind::PressConference];
    let missing: Vec<MilestoneKind> =
        c.milestones.iter().filter(|m| m.pending() && required.contains(&m.kind)).map(|m| m.kind).collect();
    if !missing.is_empty() {
        let en: Vec<String> = missing.iter().map(|m| m.words()).collect();
        let zh: Vec<&str> = missing.iter().map(|m| m.zh()).collect();
        return Err(invalid(
            format!(
                "case {} still owes {}, which a major case meets before it closes; meet it first, or reclassify \
                 the case",
                c.no,
                en.join(", ")
            ),
            format!("舆情事项 {} 尚欠{}，重大舆情须完成后方可结案；请先完成，或重新研判", c.no, zh.join("、")),
        ));
    }
    Ok(())
}

/// Checks `cmd` and returns the events it becomes.
pub fn decide(view: &dyn View, ctx: &Context, cmd: &Command) -> Result<Vec<EventBody>, DomainError> {
    use Command as C;
    use EventBody as E;
    check_role(ctx, cmd)?;
    let ev = match cmd {
        C::ReceiveItem { item } => {
            let mut item = item.clone();
            item.title = item.title.trim().to_string();
            if item.title.is_empty() && item.body.trim().is_empty() {
                return Err(invalid("an item needs a title or a body", "信息须有标题或正文"));
            }
            E::ItemReceived { id: ctx.next_item_id.clone(), item }
        }
        C::DismissItem { item, reason } => {
            new_item(view, item, "dismissed")?;
            E::ItemDismissed { item: item.clone(), reason: non_empty("the reason", reason)? }
        }
        C::RestoreItem { item, reason } => {
            let it = view.item(item).ok_or_else(|| DomainError::UnknownItem(item.clone()))?;
            match it.status {
                ItemStatus::Dismissed { at, .. } if ctx.now - at <= RESTORE_WINDOW => {}
                ItemStatus::Expired { .. } => {}
                ItemStatus::Dismissed { .. } => {
                    let hours = RESTORE_WINDOW.num_hours();
                    return Err(invalid(
                        format!("item {item} was dismissed more than {hours} hours ago; receive it again instead"),
                        format!("信息 {item} 排除已超过 {hours} 小时，不能撤销；请重新录入"),
                    ));
                }
                ref other => {
                    let status = other.name();
                    return Err(invalid(
                        format!(
                            "item {item} is {status}; only a dismissed item (within {} hours) or an expired one is put \
                             back in the queue",
                            RESTORE_WINDOW.num_hours()
                        ),
                        format!(
                            "信息 {item} {}；只有已排除（{} 小时内）或已过期的信息才能放回待研判",
                            said::zh_status(status),
                            RESTORE_WINDOW.num_hours()
                        ),
                    ));
                }
            }
            E::ItemRestored { item: item.clone(), reason: non_empty("the reason", reason)? }
        }
        C::ExpireItem { item, days } => {
            let it = new_item(view, item, "expired")?;
            let age = ctx.now - it.received_at;
            if *days == 0 || age < chrono::Duration::days(i64::from(*days)) {
                return Err(invalid(
                    format!(
                        "item {item} has waited {} hours, not {days} days: it does not expire yet",
                        age.num_hours()
                    ),
                    format!("信息 {item} 才等待 {} 小时，未满 {days} 天，不能过期", age.num_hours()),
                ));
            }
            E::ItemExpired { item: item.clone(), days: *days }
        }
        C::OpenCase { items, title, severity, category, lead, co, hints } => {
            if items.is_empty() {
                return Err(invalid("a case is opened from at least one item", "登记舆情事项至少需要一条信息"));
            }
            let mut first_title = String::new();
            let mut base = ctx.now;
            for (i, id) in items.iter().enumerate() {
                let it = new_item(view, id, "made into a case")?;
                if items[..i].contains(id) {
                    return Err(invalid(format!("item {id} is listed twice"), format!("信息 {id} 重复列出")));
                }
                if first_title.is_empty() {
                    first_title = it.fields.title.clone();
                }
                base = base.min(discovered(ctx.policy.clock_base, &it, ctx.now));
            }
            let lead = dept(ctx, lead)?;
            let co = depts(ctx, co, &lead)?;
            let title = if title.trim().is_empty() { first_title } else { title.trim().to_string() };
            E::CaseOpened {
                case: ctx.next_case_no.clone(),
                items: items.clone(),
                title,
                severity: *severity,
                category: *category,
                lead,
                co,
                plan: ctx.policy.plan(*severity, base),
                update_every_hours: ctx.policy.update_every_hours,
                hints: hints.clone(),
                counts_from: Some(base),
            }
        }
        C::AttachItem { case, item } => {
            open_case(view, case)?;
            new_item(view, item, "attached")?;
            E::ItemAttached { case: case.clone(), item: item.clone() }
        }
        C::Classify { case, severity, category, since_item } => {
            let c = open_case(view, case)?;
            if c.severity == *severity && c.category == *category {
                return Err(invalid(
                    format!("case {case} is already {severity} / {category}; give another severity or category"),
                    format!("舆情事项 {case} 已是{}／{}；请选择其他级别或类别", severity.zh(), category.zh()),
                ));
            }
            // General deadlines count from the case's base; major ones from when the
            // case became major: kept on a change between major and extraordinary, now
            // for an upgrade (an officer who upgrades as the facts arrive is not late).
            let named = match since_item {
                Some(id) if c.items.contains(id) => view.item(id).map(|it| it.received_at.min(ctx.now)),
                Some(id) => {
                    return Err(invalid(
                        format!(
                            "item {id} is not in case {case}; attach it first, or name one of: {}",
                            c.items.join(", ")
                        ),
                        format!("信息 {id} 不在舆情事项 {case} 中；请先并入，或从中选择：{}", c.items.join("、")),
                    ));
                }
                None => None,
            };
            let since = match (*severity, c.major_since) {
                (Severity::General, _) => c.base(),
                (_, Some(since)) => since,
                (_, None) => named.unwrap_or(ctx.now),
            };
            E::CaseClassified {
                case: case.clone(),
                severity: *severity,
                category: *category,
                plan: ctx.policy.plan(*severity, since),
                counts_from: Some(since),
            }
        }
        C::Assign { case, lead, co } => {
            open_case(view, case)?;
            let lead = dept(ctx, lead)?;
            let co = depts(ctx, co, &lead)?;
            E::DepartmentsAssigned { case: case.clone(), lead, co }
        }
        C::Transfer { case, to, reason } => {
            let c = open_case(view, case)?;
            let to = dept(ctx, to)?;
            if to == c.lead {
                return Err(invalid(
                    format!("{to} already leads case {case}; transfer to another department"),
                    format!("{} 已是舆情事项 {case} 的牵头单位；请转办给其他单位", ctx.directory.name(&to)),
                ));
            }
            E::CaseTransferred { case: case.clone(), to, reason: non_empty("the reason", reason)? }
        }
        C::Acknowledge { case, dept: d } => {
            let c = open_case(view, case)?;
            let d = dept(ctx, d)?;
            if !c.involves(&d) {
                let mut involved = vec![c.lead.clone()];
                involved.extend(c.co.iter().cloned());
                return Err(invalid(
                    format!("{d} is not on case {case}; departments on it: {}", involved.join(", ")),
                    format!(
                        "{} 不在舆情事项 {case} 的办理单位中；办理单位：{}",
                        ctx.directory.name(&d),
                        involved.iter().map(|x| ctx.directory.name(x)).collect::<Vec<_>>().join("、")
                    ),
                ));
            }
            if c.acks.iter().any(|a| a.dept.as_deref() == Some(d.as_str())) {
                return Err(invalid(
                    format!("{d} has already acknowledged case {case}"),
                    format!("{} 已签收舆情事项 {case}", ctx.directory.name(&d)),
                ));
            }
            E::CaseAcknowledged { case: case.clone(), dept: d }
        }
        C::Escalate { case, reason } => {
            open_case(view, case)?;
            E::CaseEscalated { case: case.clone(), reason: non_empty("the reason", reason)? }
        }
        C::ReportCounty { case, note } => {
            // The first report (首报), then follow-ups (续报) while a major case is open.
            let c = open_case(view, case)?;
            if c.reported_county_at.is_some() && c.severity == Severity::General {
                return Err(invalid(
                    format!("case {case} was already reported to the county government"),
                    format!("舆情事项 {case} 已报告过县政府"),
                ));
            }
            let every = ctx.policy.county_update_every_hours;
            let next_due =
                (c.severity != Severity::General && every > 0).then(|| ctx.now + chrono::Duration::hours(every.into()));
            E::ReportedToCounty { case: case.clone(), note: note.trim().to_string(), next_due }
        }
        C::Refer { case, to, reference } => {
            open_case(view, case)?;
            E::CaseReferred { case: case.clone(), to: *to, reference: non_empty("the reference number", reference)? }
        }
        C::Draft { case, kind, text } => {
            open_case(view, case)?;
            E::ResponseDrafted { case: case.clone(), kind: *kind, text: non_empty("the text", text)? }
        }
        C::SignOff { case, draft, dept: d } => {
            let c = open_case(view, case)?;
            let idx = named_draft(&c, *draft)?;
            let d = dept(ctx, d)?;
            if !c.co.contains(&d) {
                let co: Vec<&str> = c.co.iter().map(|x| ctx.directory.name(x)).collect();
                return Err(invalid(
                    format!(
                        "{d} is not a co-department of case {case}; drafts are signed off by its co-departments: {}",
                        if c.co.is_empty() { "none".to_string() } else { c.co.join(", ") }
                    ),
                    format!(
                        "{} 不是舆情事项 {case} 的协办单位；会签由协办单位进行：{}",
                        ctx.directory.name(&d),
                        if co.is_empty() { "无".to_string() } else { co.join("、") }
                    ),
                ));
            }
            if c.drafts[idx].signed_off.contains(&d) {
                return Err(invalid(
                    format!("{d} has already signed off draft #{} of case {case}", Draft::number(idx)),
                    format!("{} 已会签舆情事项 {case} 的草稿 #{}", ctx.directory.name(&d), Draft::number(idx)),
                ));
            }
            E::DraftSignedOff { case: case.clone(), draft: idx, dept: d }
        }
        C::AgreeWording { cases, text } => {
            if cases.is_empty() {
                return Err(invalid("a wording is agreed for at least one case", "统一口径须至少对应一个舆情事项"));
            }
            for (i, no) in cases.iter().enumerate() {
                open_case(view, no)?;
                if cases[..i].contains(no) {
                    return Err(invalid(format!("case {no} is listed twice"), format!("舆情事项 {no} 重复列出")));
                }
            }
            E::WordingAgreed { cases: cases.clone(), text: non_empty("the wording", text)? }
        }
        C::Approve { case, draft } => {
            let c = open_case(view, case)?;
            let idx = named_draft(&c, *draft)?;
            let draft_zh = format!("草稿 #{} ", Draft::number(idx));
            quotes_wording(&c, &c.drafts[idx].text, (&format!("draft #{}", Draft::number(idx)), &draft_zh))?;
            let missing: Vec<&str> =
                c.co.iter().filter(|d| !c.drafts[idx].signed_off.contains(d)).map(String::as_str).collect();
            if ctx.policy.cosign_before_approval && !missing.is_empty() {
                let named: Vec<String> = missing.iter().map(|d| format!("{d} {}", ctx.directory.name(d))).collect();
                let zh: Vec<&str> = missing.iter().map(|d| ctx.directory.name(d)).collect();
                return Err(invalid(
                    format!(
                        "draft #{} of case {case} awaits sign-off (会签) from {}; each co-department signs it off \
                         before a supervisor approves it",
                        Draft::number(idx),
                        named.join(", ")
                    ),
                    format!(
                        "舆情事项 {case} 的草稿 #{} 尚待{}会签；多部门办理的事项，各协办单位会签后方可审核",
                        Draft::number(idx),
                        zh.join("、")
                    ),
                ));
            }
            E::ResponseApproved { case: case.clone(), draft: idx }
        }
        C::ReturnDraft { case, draft, reason } => {
            let c = open_case(view, case)?;
            let idx = match draft {
                Some(i) => *i,
                None => waiting_draft(&c, case)?,
            };
            if !c.drafts.get(idx).is_some_and(|d| d.waiting()) {
                return Err(invalid(
                    format!("draft #{} of case {case} is not waiting for approval", Draft::number(idx)),
                    format!("舆情事项 {case} 的草稿 #{} 不在待审核中", Draft::number(idx)),
                ));
            }
            E::DraftReturned { case: case.clone(), draft: idx, reason: non_empty("the reason", reason)? }
        }
        C::Publish { case, kind, channel, text, url } => {
            let c = open_case(view, case)?;
            reported_first(ctx, &c, "publishing", "发布回应")?;
            let draft = c.drafts.iter().rposition(|d| d.kind == *kind && d.approved_by.is_some() && !d.published);
            if draft.is_none() && !permission::publishes_unapproved(ctx.operator.role) {
                return Err(invalid(
                    format!(
                        "case {case} has no approved {} draft; draft it and have a supervisor approve it first",
                        kind.words()
                    ),
                    format!("舆情事项 {case} 没有已审核的{}草稿；请先起草并经带班领导审核", kind.zh()),
                ));
            }
            let text = match (text.trim(), draft) {
                ("", Some(i)) => c.drafts[i].text.clone(),
                (t, _) => non_empty("the text", t)?,
            };
            quotes_wording(&c, &text, ("the published text", "发布内容"))?;
            E::ResponsePublished {
                case: case.clone(),
                kind: *kind,
                channel: *channel,
                text,
                url: url.clone().filter(|u| !u.trim().is_empty()),
                draft,
            }
        }
        C::PressConference { case, note } => {
            let c = open_case(view, case)?;
            reported_first(ctx, &c, "a press conference", "召开新闻发布会")?;
            E::PressConferenceHeld { case: case.clone(), note: note.trim().to_string() }
        }
        C::RequestExtension { case, milestone, until, reason } => {
            let c = open_case(view, case)?;
            extendable(ctx, &c, *milestone, *until)?;
            E::ExtensionRequested {
                case: case.clone(),
                milestone: *milestone,
                until: *until,
                reason: non_empty("the reason", reason)?,
            }
        }
        C::Extend { case, milestone, until, reason } => {
            let c = open_case(view, case)?;
            extendable(ctx, &c, *milestone, *until)?;
            E::MilestoneExtended {
                case: case.clone(),
                milestone: *milestone,
                until: *until,
                reason: non_empty("the reason", reason)?,
            }
        }
        C::Note { case, text } => {
            if view.case(case).is_none() {
                return Err(DomainError::UnknownCase(case.clone()));
            }
            E::NoteAdded { case: case.clone(), text: non_empty("the note", text)? }
        }
        C::Mark { case, dept: d, reason } => {
            if view.case(case).is_none() {
                return Err(DomainError::UnknownCase(case.clone()));
            }
            E::AccountabilityMarked {
                case: case.clone(),
                dept: dept(ctx, d)?,
                reason: non_empty("the reason", reason)?,
            }
        }
        C::Close { case, outcome, note } => {
            let c = open_case(view, case)?;
            if c.severity != Severity::General && c.reported_county_at.is_none() {
                return Err(invalid(
                    format!(
                        "case {case} is {} and was never reported to the county government; report first",
                        c.severity
                    ),
                    format!("舆情事项 {case} 为{}，尚未报告县政府；请先报告", c.severity.zh()),
                ));
            }
            closable(ctx, &c, *outcome)?;
            E::CaseClosed { case: case.clone(), outcome: *outcome, note: note.trim().to_string() }
        }
        C::HandOver { to, summary } => E::ShiftHandedOver { to: to.clone(), summary: summary.clone() },
        C::SetOperator { operator } => {
            let id = operator.id.trim();
            if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) || id.len() > 32 {
                return Err(invalid(
                    format!("`{}` is not an operator id; use up to 32 letters and digits without spaces", operator.id),
                    format!("“{}”不是有效工号：最多 32 个字母或数字，不含空格", operator.id),
                ));
            }
            if operator.name.trim().is_empty() {
                return Err(invalid(format!("operator `{id}` needs a name"), format!("工号 {id} 须有姓名")));
            }
            if operator.id == ctx.operator.id && (operator.disabled || operator.role != Role::Supervisor) {
                return Err(invalid(
                    format!("`{id}` cannot disable or demote themselves; another supervisor can"),
                    format!("{id} 不能停用自己或降低自己的角色；须由另一位带班领导操作"),
                ));
            }
            E::OperatorSet { operator: operator.clone() }
        }
        C::RecordMonitoring { day, channel, found, note } => {
            let today = ctx.now.with_timezone(&crate::timefmt::zone()).date_naive();
            if *day > today {
                return Err(invalid(
                    format!("{day} has not come yet; a monitoring record is for today ({today}) or a past day"),
                    format!("{day} 尚未到来；监测记录只能记今天（{today}）或以前"),
                ));
            }
            E::MonitoringRecorded { day: *day, channel: *channel, found: *found, note: note.trim().to_string() }
        }
        C::RecordSession { act, who, detail } => {
            E::SessionRecorded { act: *act, who: who.clone(), detail: detail.clone() }
        }
        C::RevokeConsole { name, cert } => {
            if cert.len() != 64 || !cert.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(
                    format!("`{cert}` is not a certificate fingerprint (64 hex digits)"),
                    format!("“{cert}”不是证书指纹（64 位十六进制）"),
                ));
            }
            E::ConsoleRevoked { name: name.clone(), cert: cert.to_ascii_lowercase() }
        }
        C::PaceDrill { pace } => E::DrillPaced { pace: *pace },
        C::NoteDrill { text } => E::DrillNoted { text: non_empty("a drill note", text)? },
        C::UpdateReach { item, reach } => {
            view.item(item).ok_or_else(|| DomainError::UnknownItem(item.clone()))?;
            E::ItemReachUpdated { item: item.clone(), reach: *reach }
        }
        C::Reopen { case, reason } => {
            let c = view.case(case).ok_or_else(|| DomainError::UnknownCase(case.clone()))?;
            if c.is_open() {
                return Err(DomainError::NotClosed(case.clone()));
            }
            E::CaseReopened { case: case.clone(), reason: non_empty("the reason", reason)? }
        }
    };
    Ok(vec![ev])
}
