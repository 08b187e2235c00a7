//! The report as Markdown: readable as is, and pasteable into a notice draft.

use super::{Report, label, t};
use crate::domain::department::Directory;
use crate::i18n::Lang;
use std::fmt::Write;

fn rate(r: Option<f64>) -> String {
    r.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "-".into())
}

pub fn render(r: &Report, dir: &Directory, lang: Lang) -> String {
    let tr = |k| t(lang, k);
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", tr("title"));
    let _ = writeln!(s, "{}：{} — {}  ", tr("period"), r.local(r.period.from), r.local(r.period.to));
    let _ = writeln!(s, "{}：{}\n", tr("as_of"), r.local(r.as_of));
    let _ = writeln!(s, "## {}\n", tr("intake"));
    let _ = writeln!(s, "| {} | {} |\n|---|---|", tr("by_channel"), tr("items"));
    for (c, n) in &r.by_channel {
        let _ = writeln!(s, "| {} | {n} |", label(*c, lang));
    }
    let _ = writeln!(s, "\n## {}\n", tr("handling"));
    let _ = writeln!(
        s,
        "- {}：{}；{}：{}；{}：{}；{}：{}\n- {}：{}",
        tr("received"),
        r.items_received,
        tr("attached"),
        r.items_attached,
        tr("dismissed"),
        r.items_dismissed,
        tr("pending"),
        r.items_new,
        tr("cases"),
        r.cases_opened
    );
    let sev: Vec<String> = r.by_severity.iter().map(|(k, n)| format!("{} {n}", label(*k, lang))).collect();
    let cat: Vec<String> = r.by_category.iter().map(|(k, n)| format!("{} {n}", label(*k, lang))).collect();
    let _ = writeln!(s, "- {}：{}\n- {}：{}\n", tr("by_severity"), sev.join("，"), tr("by_category"), cat.join("，"));
    let _ = writeln!(s, "## {}\n", tr("timeliness"));
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
        tr("milestone"),
        tr("due"),
        tr("on_time"),
        tr("late"),
        tr("overdue")
    );
    for (k, v) in &r.timeliness {
        let _ = writeln!(s, "| {} | {} | {} | {} | {} |", label(*k, lang), v.due, v.on_time, v.late, v.overdue);
    }
    let _ = writeln!(s, "\n## {}\n", tr("departments"));
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        tr("rank"),
        tr("department"),
        tr("led"),
        tr("co"),
        tr("open"),
        tr("overdue_now"),
        tr("rate"),
        tr("median"),
        tr("escalations"),
        tr("extensions"),
        tr("marks"),
        tr("referrals")
    );
    for (i, d) in r.departments.iter().enumerate() {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            d.name,
            d.cases_led,
            d.cases_co_handled,
            d.open_now,
            d.overdue_now,
            rate(d.on_time_rate),
            d.median_first_response_minutes.map(|m| m.to_string()).unwrap_or_else(|| "-".into()),
            d.escalations,
            d.extensions,
            d.accountability_marks,
            d.referrals
        );
    }
    let _ = writeln!(s, "\n## {}\n", tr("overdue_cases"));
    if r.overdue.is_empty() {
        let _ = writeln!(s, "{}", tr("none"));
    } else {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |\n|---|---|---|---:|",
            tr("case"),
            tr("lead"),
            tr("milestone"),
            tr("late_by")
        );
        for o in &r.overdue {
            let _ = writeln!(
                s,
                "| {} {} | {} | {} | {}:{:02} |",
                o.case,
                o.title.replace('|', "｜"),
                dir.name(&o.lead),
                label(o.milestone, lang),
                o.minutes_late / 60,
                o.minutes_late % 60
            );
        }
    }
    let _ = writeln!(s, "\n## {}\n", tr("supervision"));
    if r.marks.is_empty() {
        let _ = writeln!(s, "{}", tr("none"));
    } else {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            tr("time"),
            tr("kind"),
            tr("case"),
            tr("department"),
            tr("note")
        );
        for m in &r.marks {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                r.local(m.at),
                tr(m.kind),
                m.case,
                dir.name(&m.dept),
                m.text.replace('|', "｜")
            );
        }
    }
    let _ = writeln!(s, "\n## {}\n", tr("trend"));
    let _ = writeln!(s, "| {} | {} | {} |\n|---|---:|---:|", tr("day"), tr("items"), tr("cases"));
    for (d, (i, c)) in &r.daily {
        let _ = writeln!(s, "| {d} | {i} | {c} |");
    }
    s
}
