//! `yuqing case …`, `yuqing dismiss` and `yuqing requeue`: one lifecycle step each.

use super::args::{CaseCmd, DismissArgs};
use super::words::{self, W, named};
use crate::config::Settings;
use crate::desk::{Answer, Desk};
use crate::domain::case::{Case, Category, Outcome, PublishChannel, Referral, ResponseKind, Severity};
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::command::Command;
use crate::domain::milestone::MilestoneKind;
use crate::domain::names::Named;
use crate::domain::role::Operator;
use crate::i18n::Lang;
use crate::store::Store;
use crate::text::{fit, one_line};
use crate::timefmt;
use anyhow::{Result, anyhow, bail};
use std::process::ExitCode;

/// A draft's number as people give it (from 1) as the index commands carry (from 0).
fn index(number: Option<u64>) -> Option<usize> {
    number.map(|n| n.saturating_sub(1) as usize)
}

fn time(s: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    super::list::time_arg("--until", s)
}

/// Turns the arguments into domain commands (one per item for `attach`).
fn commands(c: CaseCmd) -> Result<Vec<Command>> {
    use CaseCmd as A;
    use Command as C;
    Ok(vec![match c {
        A::Open { items, severity, category, lead, co, title } => C::OpenCase {
            hints: vec![],
            items,
            title,
            severity: named::<Severity>(&severity)?,
            category: named::<Category>(&category)?,
            lead,
            co,
        },
        A::Attach { case, items } => {
            return Ok(items.into_iter().map(|item| C::AttachItem { case: case.clone(), item }).collect());
        }
        A::Classify { case, severity, category, since_item } => {
            C::Classify { case, severity: named(&severity)?, category: named(&category)?, since_item }
        }
        A::Assign { case, lead, co } => C::Assign { case, lead, co },
        A::Transfer { case, lead, reason } => C::Transfer { case, to: lead, reason },
        A::Ack { case, dept } => C::Acknowledge { case, dept },
        A::Escalate { case, reason } => C::Escalate { case, reason },
        A::ReportCounty { case, note } => C::ReportCounty { case, note },
        A::Refer { case, agency, reference } => C::Refer { case, to: named::<Referral>(&agency)?, reference },
        A::Draft { case, kind, text } => C::Draft { case, kind: named::<ResponseKind>(&kind)?, text },
        A::SignOff { case, dept, draft } => C::SignOff { case, draft: index(draft), dept },
        A::Wording { cases, text } => C::AgreeWording { cases, text },
        A::Approve { case, draft } => C::Approve { case, draft: index(draft) },
        A::Publish { case, kind, channel, text, url } => C::Publish {
            case,
            kind: named::<ResponseKind>(&kind)?,
            channel: named::<PublishChannel>(&channel)?,
            text,
            url,
        },
        A::PressConference { case, note } => C::PressConference { case, note },
        A::RequestExtension { case, milestone, until, reason } => {
            C::RequestExtension { case, milestone: named::<MilestoneKind>(&milestone)?, until: time(&until)?, reason }
        }
        A::Extend { case, milestone, until, reason } => {
            C::Extend { case, milestone: named::<MilestoneKind>(&milestone)?, until: time(&until)?, reason }
        }
        A::Note { case, text, text_option } => C::Note { case, text: text.or(text_option).unwrap_or_default() },
        A::Mark { case, dept, reason } => C::Mark { case, dept, reason },
        A::Close { case, outcome, note } => C::Close { case, outcome: named::<Outcome>(&outcome)?, note },
        A::Reopen { case, reason } => C::Reopen { case, reason },
        A::Show { .. } => unreachable!("show is handled before"),
    }])
}

/// Prints what each command did (`A-0001 escalated: …`), and the refusals. On this
/// machine (`local`), departments by name in Chinese and a new draft with its number.
fn report(
    answers: Vec<Result<Vec<crate::domain::event::Event>, String>>,
    lang: Lang,
    local: Option<&Desk>,
) -> Result<ExitCode> {
    let mut failed = 0;
    for a in answers {
        match a {
            Ok(events) => {
                for ev in events {
                    // On this machine: departments by name in Chinese, a new draft's number.
                    let directory = local.filter(|_| lang == Lang::Zh).map(|d| &d.settings().directory);
                    let draft = match (&ev.body, local) {
                        (crate::domain::event::EventBody::ResponseDrafted { case, .. }, Some(d)) => {
                            d.store().case(case).ok().flatten().map(|c| c.drafts.len())
                        }
                        _ => None,
                    };
                    let said = crate::describe::line(&ev, lang, directory, draft);
                    let said = said.trim_end();
                    match crate::describe::subject(&ev) {
                        Some(about) if !said.contains(&about) => outln!("{about} {said}"),
                        _ => outln!("{said}"),
                    }
                }
            }
            Err(e) => {
                failed += 1;
                errln!("{}", words::refused(&e, lang));
            }
        }
    }
    if failed > 0 { bail!(words::some_refused(failed, lang)) } else { Ok(ExitCode::SUCCESS) }
}

/// Runs commands on the local store, or through a running console.
fn execute(target: Target, cmds: Vec<Command>) -> Result<ExitCode> {
    match target {
        Target::Local(desk, op) => {
            let lang = Lang::of_terminal();
            let answers: Vec<Answer> = desk.run_blocking(&op, cmds);
            let answers = answers.into_iter().map(|a| a.map_err(|e| words::refusal(&e, lang))).collect();
            report(answers, lang, Some(&desk))
        }
        Target::Remote(mut r) => report(r.commands(cmds)?, Lang::of_terminal(), None),
    }
}

/// `yuqing case …` but `case show`.
pub fn run(target: Target, c: CaseCmd) -> Result<ExitCode> {
    execute(target, commands(c)?)
}

/// `yuqing dismiss ITEM… --reason R`.
pub fn dismiss(target: Target, a: DismissArgs) -> Result<ExitCode> {
    let cmds = a.items.into_iter().map(|item| Command::DismissItem { item, reason: a.reason.clone() }).collect();
    execute(target, cmds)
}

/// `yuqing requeue ITEM… --reason R`: expired or lately dismissed items go back to the
/// queue (`item_restored`).
pub fn requeue(target: Target, a: DismissArgs) -> Result<ExitCode> {
    let cmds = a.items.into_iter().map(|item| Command::RestoreItem { item, reason: a.reason.clone() }).collect();
    execute(target, cmds)
}

/// `yuqing monitor`: a day's monitoring record of one channel.
pub fn monitor(target: Target, a: super::args::MonitorArgs) -> Result<ExitCode> {
    let day = match &a.day {
        Some(d) => chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
            anyhow!(said!("--day：`{d}` 不是日期；请写成 YYYY-MM-DD", "--day: `{d}` is not a date; use YYYY-MM-DD"))
        })?,
        None => SystemClock.now().with_timezone(&timefmt::zone()).date_naive(),
    };
    let channel = named::<crate::domain::item::Channel>(&a.channel)
        .map_err(|e| anyhow!("{}{e}", Lang::of_terminal().t("--channel：", "--channel: ")))?;
    execute(target, vec![Command::RecordMonitoring { day, channel, found: a.found, note: a.note }])
}

/// Where commands go, and who acts. One is made per process, so its size is no matter.
#[allow(clippy::large_enum_variant)]
pub enum Target {
    /// The local store, as the operator signed in on this machine.
    Local(Desk, Operator),
    /// A running console, as the operator it checks.
    Remote(super::remote::Remote),
}

/// `yuqing case show`: reads the local data folder.
pub fn show(
    store: &Store,
    settings: &Settings,
    no: &str,
    json: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ExitCode> {
    let case: Case = store.case(no)?.ok_or_else(|| {
        let e = crate::domain::decide::DomainError::UnknownCase(no.to_string());
        anyhow!(match crate::i18n::Lang::of_terminal() {
            crate::i18n::Lang::Zh => e.zh(),
            crate::i18n::Lang::En => e.to_string(),
        })
    })?;
    let timeline = store.timeline(no)?;
    if json {
        // Each draft carries the number people and `--draft` use (#1 is the first).
        let mut case = serde_json::to_value(&case)?;
        if let Some(drafts) = case.get_mut("drafts").and_then(serde_json::Value::as_array_mut) {
            for (idx, draft) in drafts.iter_mut().enumerate() {
                draft["number"] = crate::domain::case::Draft::number(idx).into();
            }
        }
        outln!("{}", serde_json::json!({ "case": case, "timeline": timeline }));
        return Ok(ExitCode::SUCCESS);
    }
    let dir = &settings.directory;
    let lang = Lang::of_terminal();
    // People as the roster in force names them (its events over operators.toml), as the
    // console does; English keeps the ids recorded, for scripts and logs.
    let roster = crate::domain::role::with_roster(&settings.operators, store.roster()?);
    let label = |zh: &'static str, code: String| if lang == Lang::Zh { zh.to_string() } else { format!("{zh} {code}") };
    outln!("{}  {}", case.no, case.title);
    outln!(
        "  {} · {} · {} {} · {} {}",
        label(case.severity.zh(), case.severity.to_string()),
        label(case.category.zh(), case.category.to_string()),
        W::Lead.t(lang),
        dir.name(&case.lead),
        W::Co.t(lang),
        if case.co.is_empty() {
            "-".to_string()
        } else {
            case.co.iter().map(|c| dir.name(c)).collect::<Vec<_>>().join("、")
        }
    );
    let opened_by = match lang {
        Lang::Zh => crate::config::person(&roster, &case.opened_by),
        Lang::En => case.opened_by.clone(),
    };
    outln!(
        "{}",
        words::opened(
            &timefmt::local(case.opened_at),
            &opened_by,
            &timefmt::local(case.base()),
            &crate::describe::status(&case, lang),
            lang
        )
    );
    outln!("\n{}", W::Milestones.t(lang));
    for m in &case.milestones {
        let was = m.original_due.map(|d| words::originally(&timefmt::local(d), lang)).unwrap_or_default();
        let code = if lang == Lang::Zh { String::new() } else { format!("{} ", fit(m.kind.name(), 18)) };
        outln!(
            "  {} {code}{} {}{was}  {}",
            fit(m.kind.zh(), 12),
            W::Due.t(lang),
            timefmt::local(m.due),
            crate::describe::milestone_state(m, now, lang)
        );
    }
    outln!("\n{}", W::Items.t(lang));
    for id in &case.items {
        if let Some(it) = store.item(id)? {
            outln!("  {id} [{}] {}", it.fields.channel.zh(), one_line(&it.fields.title));
        }
    }
    outln!("\n{}", W::Timeline.t(lang));
    let said = crate::describe::timeline(&timeline, lang, (lang == Lang::Zh).then_some(dir));
    for (ev, what) in timeline.iter().zip(said) {
        // Who, by name in Chinese (the id as recorded in English, for scripts and logs).
        let who = match lang {
            Lang::Zh => crate::config::name_of(&roster, &ev.operator),
            Lang::En => ev.operator.as_str(),
        };
        outln!("  {} {} {what}", timefmt::local(ev.at()), crate::text::fit(who, 8));
    }
    Ok(ExitCode::SUCCESS)
}
