//! Read-only listings: items, cases, department figures, export, verify.

use super::args::{CasesArgs, DepartmentsArgs, ItemsArgs, PeriodArgs};
use crate::config::Settings;

use crate::domain::conflict::Deed;
use crate::domain::event::Aggregate;
use crate::domain::metrics::{Period, department_figures};
use crate::domain::names::Named;
use crate::i18n::Lang;
use crate::store::Store;
use crate::text::{fit, one_line};
use crate::timefmt;
use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Duration, Utc};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// An item's triage hints as JSON: what the rules suggest (severity, category, lead and
/// co-departments), which rules matched, and for a queued item the open case or queued
/// item it nearly repeats (`similar`: `{"to", "score"}`), so a script sees what the
/// console shows.
fn hints_json(triage: &crate::ui::triage::Triage, i: &crate::domain::item::Item) -> serde_json::Value {
    let matcher = &triage.matcher;
    let a = matcher.assess(&crate::triage::item_text(&i.fields.title, &i.fields.body));
    let similar = triage.similar.get(&i.id).map(|(to, score)| serde_json::json!({ "to": to, "score": score }));
    serde_json::json!({
        "severity": a.severity.map(|s| s.name()),
        "category": a.category.map(|c| c.name()),
        "lead": a.lead,
        "co": a.co,
        "rules": a.rules.iter().map(|&r| matcher.rules[r].name.clone()).collect::<Vec<_>>(),
        "similar": similar,
    })
}

/// The console's triage of this store's queue: the same hints, worked out the same way.
fn triage(store: &Store, settings: &Settings) -> Result<crate::ui::triage::Triage> {
    let open = store.open_cases()?;
    let mut t = crate::ui::triage::Triage::new(settings.rules.clone());
    for (case, id, text) in crate::console::loads::case_texts(store, &open)? {
        t.case_item(&case, &id, &text);
    }
    let mut model = crate::ui::model::Model::new(store.queue()?, open);
    t.sync(&mut model);
    Ok(t)
}

/// `yuqing items`; `--json` adds each item's triage hints.
pub fn items(store: &Store, settings: &Settings, a: ItemsArgs) -> Result<ExitCode> {
    let triage = if a.json { Some(triage(store, settings)?) } else { None };
    let mut items = if a.status.as_deref() == Some("new") { store.queue()? } else { store.items()? };
    if let Some(s) = &a.status {
        items.retain(|i| i.status.name() == s);
    }
    items.sort_by(|x, y| y.received_at.cmp(&x.received_at).then_with(|| crate::domain::item::by_number(&y.id, &x.id)));
    let mut out = super::out::stdout();
    let lang = Lang::of_terminal();
    for i in &items {
        if a.json {
            let mut v = serde_json::to_value(i)?;
            if let Some(t) = &triage {
                v["hints"] = hints_json(t, i);
            }
            writeln!(out, "{v}")?;
        } else {
            writeln!(
                out,
                "{} {} {} {} {}",
                fit(&i.id, 9),
                timefmt::short(i.fields.published_at.unwrap_or(i.received_at)),
                fit(i.fields.channel.zh(), 10),
                fit(super::words::status(&i.status, lang), 9),
                fit(&one_line(&i.fields.title), 50)
            )?;
        }
    }
    if !a.json && items.is_empty() {
        writeln!(out, "{}", super::words::W::NoItems.t(lang))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `yuqing cases`: open (or all) cases by nearest deadline, with time left.
/// `now` is the folder's clock (a running drill's time when it serves the command).
pub fn cases(store: &Store, settings: &Settings, a: CasesArgs, now: DateTime<Utc>) -> Result<ExitCode> {
    let mut cases = if a.all { store.cases()? } else { store.open_cases()? };
    cases.sort_by_key(|c| (c.next_milestone().map(|m| m.due).unwrap_or(DateTime::<Utc>::MAX_UTC), c.no.clone()));
    let mut out = super::out::stdout();
    if a.json {
        for c in &cases {
            writeln!(out, "{}", serde_json::to_string(c)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let lang = Lang::of_terminal();
    if cases.is_empty() {
        writeln!(out, "{}", lang.t("没有办理中的舆情事项", "no open cases"))?;
    }
    for c in &cases {
        let (next, left) = match c.next_milestone() {
            Some(m) => (m.kind.label(lang), crate::describe::milestone_state(m, now, lang)),
            None => ("-".to_string(), crate::describe::status(c, lang)),
        };
        writeln!(
            out,
            "{} {} {} {} {} {}",
            fit(&c.no, 8),
            fit(&c.severity.label(lang), 8),
            fit(&one_line(&c.title), 32),
            fit(settings.directory.name(&c.lead), 14),
            fit(&next, 18),
            left
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `s`, given to `flag`, as a time; refused in the terminal's language, saying what
/// reads.
pub fn time_arg(flag: &str, s: &str) -> Result<DateTime<Utc>> {
    timefmt::parse_said(s).map_err(|e| {
        let (zh, en) = (&e.zh, &e.en);
        anyhow!(said!("{flag}：{zh}", "{flag}: {en}"))
    })
}

/// `s`, given to `--period`, as a calendar period; refused in the terminal's language.
fn calendar_arg(s: &str) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    timefmt::calendar(s).map_err(|en| {
        anyhow!(said!(
            "--period：`{s}` 不是时段；请用一周（2026-W47）、一月（2026-11）、一季（2026-Q4）或一年（2026）",
            "--period: {en}"
        ))
    })
}

/// The period of `--period`, or of `--from`/`--to`; without either, `default` (given
/// the end, `--to` or now).
pub fn period(p: &PeriodArgs, now: DateTime<Utc>, default: impl Fn(DateTime<Utc>) -> DateTime<Utc>) -> Result<Period> {
    if let Some(cal) = &p.period {
        let (from, to) = calendar_arg(cal)?;
        return Ok(Period { from, to });
    }
    let to = p.to.as_deref().map(|t| time_arg("--to", t)).transpose()?.unwrap_or(now);
    let from = p.from.as_deref().map(|t| time_arg("--from", t)).transpose()?.unwrap_or(default(to));
    if from >= to {
        bail!(said!("--from 须早于 --to", "--from must be before --to"));
    }
    Ok(Period { from, to })
}

/// The last 30 days before `to`: the live look of `departments`.
fn last_30_days(to: DateTime<Utc>) -> DateTime<Utc> {
    to - Duration::days(30)
}

/// `yuqing departments`.
pub fn departments(store: &Store, settings: &Settings, a: DepartmentsArgs, now: DateTime<Utc>) -> Result<ExitCode> {
    let p = period(&a.period, now, last_30_days)?;
    let figs = department_figures(&settings.directory, &store.cases()?, p, now);
    let mut out = super::out::stdout();
    if a.json {
        for f in &figs {
            writeln!(out, "{}", serde_json::to_string(f)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{} – {}", timefmt::local(p.from), timefmt::local(p.to))?;
    let lang = Lang::of_terminal();
    let heads: [(&str, &str, usize); 15] = [
        ("单位", "department", 18),
        ("牵头", "led", 4),
        ("协办", "co", 4),
        ("在办", "open", 4),
        ("超时", "over", 4),
        ("到期", "due", 4),
        ("按时", "ontm", 4),
        ("迟办", "late", 4),
        ("按时率", "rate", 6),
        ("首次回应", "med1st", 8),
        ("签收", "ack", 4),
        ("督办", "esc", 4),
        ("延期", "ext", 4),
        ("问责", "mark", 4),
        ("移交", "ref", 4),
    ];
    let head: Vec<String> = heads
        .iter()
        .enumerate()
        .map(|(i, (zh, en, w))| {
            let t = lang.t(zh, en);
            if i == 0 { fit(t, *w) } else { crate::text::rfit(t, *w) }
        })
        .collect();
    writeln!(out, "{}", head.join(" "))?;
    for f in &figs {
        writeln!(
            out,
            "{} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>6} {:>8} {:>4} {:>4} {:>4} {:>4} {:>4}",
            fit(&f.name, 18),
            f.cases_led,
            f.cases_co_handled,
            f.open_now,
            f.overdue_now,
            f.milestones_due,
            f.met_on_time,
            f.met_late,
            f.on_time_rate.map(|r| format!("{:.0}%", r * 100.0)).unwrap_or_else(|| "-".into()),
            f.median_first_response_minutes.map(|m| format!("{}h{:02}", m / 60, m % 60)).unwrap_or_else(|| "-".into()),
            f.acknowledgements,
            f.escalations,
            f.extensions,
            f.accountability_marks,
            f.referrals
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `yuqing report`: the periodic report as Markdown, CSV or HTML.
pub fn report(store: &Store, settings: &Settings, a: super::args::ReportArgs, now: DateTime<Utc>) -> Result<ExitCode> {
    // A 通报 covers a calendar period: by default the last whole month.
    let p = match (&a.period.from, &a.period.to, &a.period.period) {
        (None, None, None) => {
            let (from, to) = timefmt::last_month(now);
            Period { from, to }
        }
        _ => period(&a.period, now, last_30_days)?,
    };
    let lang = Lang::pick(&a.lang).map_err(|e| anyhow!(e))?;
    let tz = timefmt::zone();
    let r = crate::report::Report::build(&store.items()?, &store.cases()?, &settings.directory, p, now, tz)
        .with_monitoring(store)?;
    let text = match a.format.as_str() {
        "csv" => crate::report::csv(&r)?,
        "html" => crate::report::html(&r, &settings.directory, lang),
        _ => crate::report::markdown(&r, &settings.directory, lang),
    };
    match &a.output {
        Some(path) => {
            let shown = path.display();
            std::fs::write(path, text).map_err(|e| anyhow!("{shown}: {e}"))?;
            outln!("{}", said!("已写入 {shown}", "wrote {shown}"));
        }
        None => super::out::stdout().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `yuqing rules stats`: per rule, items matched, cases where it was offered (the
/// case's first item matched), and cases that kept one of its hints.
pub fn rule_stats(store: &Store, settings: &Settings, json: bool) -> Result<ExitCode> {
    let matcher = crate::triage::Matcher::new(settings.rules.clone());
    let items = store.items()?;
    let text = |it: &crate::domain::item::Item| crate::triage::item_text(&it.fields.title, &it.fields.body);
    let by_id: std::collections::HashMap<&str, &crate::domain::item::Item> =
        items.iter().map(|i| (i.id.as_str(), i)).collect();
    let n = settings.rules.len();
    let (mut matched, mut offered, mut kept) = (vec![0u32; n], vec![0u32; n], vec![0u32; n]);
    for it in &items {
        for r in matcher.assess(&text(it)).rules {
            matched[r] += 1;
        }
    }
    for c in store.cases()? {
        if let Some(first) = c.items.first().and_then(|i| by_id.get(i.as_str())) {
            for r in matcher.assess(&text(first)).rules {
                offered[r] += 1;
            }
        }
        for (i, rule) in settings.rules.iter().enumerate() {
            kept[i] += c.hints.contains(&rule.name) as u32;
        }
    }
    let mut out = super::out::stdout();
    if !json {
        // Padded by display width: a Chinese heading takes two cells a character.
        let heads = match Lang::of_terminal() {
            Lang::Zh => ["规则", "命中", "建议", "采纳", "采纳率"],
            Lang::En => ["rule", "matched", "offered", "kept", "kept%"],
        };
        let [rule, matched, offered, kept, rate] = heads;
        let r = |h: &str| crate::text::rfit(h, 8);
        writeln!(out, "{} {} {} {} {}", fit(rule, 16), r(matched), r(offered), r(kept), r(rate))?;
    }
    for (i, r) in settings.rules.iter().enumerate() {
        let rate = (offered[i] > 0).then(|| kept[i] as f64 / offered[i] as f64);
        if json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"rule": r.name, "matched": matched[i], "offered": offered[i], "kept": kept[i], "kept_rate": rate})
            )?;
        } else {
            let rate = rate.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "-".into());
            writeln!(out, "{} {:>8} {:>8} {:>8} {:>8}", fit(&r.name, 16), matched[i], offered[i], kept[i], rate)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `yuqing audit`: who did what and when, in the total order, filtered; then the
/// conflicts among concurrent actions, a line each naming both authors.
pub fn audit(store: &Store, settings: &Settings, a: super::args::AuditArgs) -> Result<ExitCode> {
    let from = a.period.from.as_deref().map(|t| time_arg("--from", t)).transpose()?;
    let to = a.period.to.as_deref().map(|t| time_arg("--to", t)).transpose()?;
    let case = a.case.map(Aggregate::Case);
    let lang = Lang::of_terminal();
    // People by the names the roster gives them, for a Chinese reader; English keeps the
    // ids scripts match, and JSON always does.
    let roster = crate::domain::role::with_roster(&settings.operators, store.roster()?);
    let who = |id: &str| match lang {
        Lang::Zh => crate::config::name_of(&roster, id).to_string(),
        Lang::En => id.to_string(),
    };
    let mut out = std::io::BufWriter::new(super::out::stdout());
    let mut shown = 0;
    for ev in store.events()? {
        let ev = ev?;
        let at = ev.at();
        if from.is_some_and(|f| at < f)
            || to.is_some_and(|t| at >= t)
            || a.operator.as_ref().is_some_and(|o| *o != ev.operator)
            || case.as_ref().is_some_and(|c| !ev.body.aggregates().contains(c))
        {
            continue;
        }
        shown += 1;
        if a.json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"at": at.to_rfc3339(), "operator": ev.operator, "event": ev.id.to_string(), "about": crate::describe::subject(&ev), "what": crate::describe::event(&ev, Lang::En)})
            )?;
        } else {
            writeln!(
                out,
                "{} {} {} {} {}",
                timefmt::local(at),
                fit(&who(&ev.operator), 8),
                fit(&ev.id.to_string(), 10),
                // What it is about (a case, an item), so each line stands on its own.
                fit(&crate::describe::subject(&ev).unwrap_or_default(), 10),
                match lang {
                    // A Chinese reader gets departments and people by name; English keeps
                    // the codes scripts match.
                    Lang::Zh => crate::describe::for_people(&ev, lang, &settings.directory, &roster),
                    Lang::En => crate::describe::event(&ev, lang),
                }
            )?;
        }
    }
    if shown == 0 && !a.json {
        writeln!(out, "{}", lang.t("没有符合条件的记录", "no events match"))?;
    }
    for c in store.conflicts()? {
        let at = c.lost.key.0.time();
        let by = |o: &str| c.lost.operator == o || c.won.operator == o;
        let on_case = |no: &str| {
            c.subject == no
                || [&c.lost.deed, &c.won.deed].iter().any(|d| matches!(d, Deed::Attached { case } if case == no))
        };
        if from.is_some_and(|f| at < f)
            || to.is_some_and(|t| at >= t)
            || a.operator.as_deref().is_some_and(|o| !by(o))
            || case.as_ref().is_some_and(|agg| !matches!(agg, Aggregate::Case(no) if on_case(no)))
        {
            continue;
        }
        if a.json {
            writeln!(out, "{}", serde_json::json!({ "conflict": c }))?;
        } else if lang == Lang::Zh {
            let rule = super::words::rule_zh(c.rule);
            let deed = |d: &Deed| deed_zh(d, &settings.directory);
            writeln!(
                out,
                "{} 冲突 {}：{} 在 {} 的{}（{}）未生效，以 {} 在 {} 的{}（{}）为准；规则：{rule}",
                timefmt::local(at),
                c.subject,
                who(&c.lost.operator),
                c.lost.console(),
                deed(&c.lost.deed),
                c.lost.event(),
                who(&c.won.operator),
                c.won.console(),
                deed(&c.won.deed),
                c.won.event(),
            )?;
        } else {
            writeln!(
                out,
                "{} CONFLICT {}: {} by {} on {} ({}) lost to {} by {} on {} ({}); rule {}",
                timefmt::local(at),
                c.subject,
                deed(&c.lost.deed),
                c.lost.operator,
                c.lost.console(),
                c.lost.event(),
                deed(&c.won.deed),
                c.won.operator,
                c.won.console(),
                c.won.event(),
                c.rule.name()
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// What an action in a conflict tried to do, for the audit.
fn deed(d: &Deed) -> String {
    match d {
        Deed::Dismissed { reason } => format!("dismissal ({})", one_line(reason)),
        Deed::Attached { case } => format!("putting it into {case}"),
        Deed::Opened { lead, .. } => format!("opening (lead {lead})"),
        Deed::Assigned { lead, .. } => format!("assignment (lead {lead})"),
        Deed::Transferred { to } => format!("transfer to {to}"),
        Deed::Acknowledged { dept } => format!("acknowledgement by {dept}"),
        Deed::Closed { outcome } => format!("close ({})", outcome.name()),
        Deed::Reopened => "reopening".to_string(),
    }
}

/// What an action in a conflict tried to do, for the audit in Chinese.
fn deed_zh(d: &Deed, dir: &crate::domain::department::Directory) -> String {
    match d {
        Deed::Dismissed { reason } => format!("排除（{}）", one_line(reason)),
        Deed::Attached { case } => format!("归入 {case}"),
        Deed::Opened { lead, .. } => format!("登记（牵头 {}）", dir.name(lead)),
        Deed::Assigned { lead, .. } => format!("交办（牵头 {}）", dir.name(lead)),
        Deed::Transferred { to } => format!("转办至 {}", dir.name(to)),
        Deed::Acknowledged { dept } => format!("{} 签收", dir.name(dept)),
        Deed::Closed { outcome } => format!("结案（{}）", outcome.zh()),
        Deed::Reopened => "重新打开".to_string(),
    }
}

/// `yuqing export`: events in the total order, optionally within a period of event time.
pub fn export(store: &Store, p: PeriodArgs) -> Result<ExitCode> {
    let (from, to) = match &p.period {
        Some(cal) => {
            let (from, to) = calendar_arg(cal)?;
            (Some(from), Some(to))
        }
        None => (
            p.from.as_deref().map(|t| time_arg("--from", t)).transpose()?,
            p.to.as_deref().map(|t| time_arg("--to", t)).transpose()?,
        ),
    };
    let mut out = std::io::BufWriter::new(super::out::stdout());
    // Events shown on a terminal would tear the bar: it is for output sent elsewhere.
    let progress = match std::io::stdout().is_terminal() {
        true => super::progress::Progress::hidden(),
        false => super::progress::Progress::over_events(Lang::of_terminal().t("导出", "exporting"), store)?,
    };
    for (read, rec) in store.recorded_events()?.enumerate() {
        progress.set(read as u64);
        let rec = rec?;
        let at = rec.event().at();
        if from.is_some_and(|f| at < f) || to.is_some_and(|t| at >= t) {
            continue;
        }
        // As recorded: the bytes the hash chain covers, so `restore` can check them.
        writeln!(out, "{}", rec.raw())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `yuqing verify`: OK, or every difference and a failing exit.
pub fn verify(store: &Store, credentials: Option<&crate::sync::trust::Credentials>) -> Result<ExitCode> {
    let progress = super::progress::Progress::over_events(Lang::of_terminal().t("核对", "verifying"), store)?;
    let found = crate::store::verify(store, |n| progress.set(n as u64))?;
    drop(progress);
    // Signed heads: their signatures, with the cluster authority's key when this
    // machine is enrolled (the store has already compared them with the log).
    let authority = credentials.and_then(|c| c.authority_key().ok());
    let mut found = found;
    for h in store.heads()? {
        match &authority {
            Some(key) => {
                if let Err(e) = crate::sync::trust::Endorsement::check_head(&h, key) {
                    found.differences.push(crate::store::Difference {
                        what: format!("signed head of {} at {}", h.console, h.seq),
                        detail: e,
                    });
                }
            }
            None => {
                let console = &h.console;
                errln!(
                    "{}",
                    said!(
                        "注意：未核对 {console} 所签日志头的签名：此处没有 credentials.toml",
                        "note: the signature of {console}'s head is not checked: no credentials.toml here"
                    )
                )
            }
        }
    }
    let events = found.events;
    if found.differences.is_empty() {
        outln!(
            "{}",
            said!("核对无误：共 {events} 个事件，各项投影与日志一致", "OK: {events} events; projections match the log")
        );
        return Ok(ExitCode::SUCCESS);
    }
    for d in &found.differences {
        outln!("{}", said!("不一致 {d}", "DIFF {d}"));
    }
    let n = found.differences.len();
    outln!("{}", said!("日志与投影之间有 {n} 处不一致", "{n} difference(s) between the log and the projections"));
    Ok(ExitCode::FAILURE)
}
