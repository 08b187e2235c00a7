//! The report as Markdown: readable as is, and pasteable into a notice draft.

use super::{DEPT_COLUMNS, Report, dept_cells, label, t};
use crate::domain::department::Directory;
use crate::i18n::Lang;
use std::fmt::Write;

pub fn render(r: &Report, dir: &Directory, lang: Lang) -> String {
    let tr = |k| t(lang, k);
    let (colon, sep) = (lang.t("：", ": "), lang.t("；", "; "));
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", tr("title"));
    let _ = writeln!(s, "{}{colon}{} — {}  ", tr("period"), r.local(r.period.from), r.local(r.period.to));
    let _ = writeln!(s, "{}{colon}{}\n", tr("as_of"), r.local(r.as_of));
    let _ = writeln!(s, "## {}\n", tr("intake"));
    let _ = writeln!(s, "| {} | {} |\n|---|---|", tr("by_channel"), tr("items"));
    for (c, n) in &r.by_channel {
        let _ = writeln!(s, "| {} | {n} |", label(*c, lang));
    }
    let _ = writeln!(s, "\n## {}\n", tr("handling"));
    let _ = writeln!(
        s,
        "- {}{colon}{}{sep}{}{colon}{}{sep}{}{colon}{}{sep}{}{colon}{}\n- {}{colon}{}",
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
    let _ = writeln!(
        s,
        "- {}{colon}{}\n- {}{colon}{}\n",
        tr("by_severity"),
        sev.join(lang.t("，", ", ")),
        tr("by_category"),
        cat.join(lang.t("，", ", "))
    );
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
    let heads: Vec<&str> = DEPT_COLUMNS.iter().map(|k| tr(k)).collect();
    let _ = writeln!(s, "| {} |\n|---:|---|{}", heads.join(" | "), "---:|".repeat(DEPT_COLUMNS.len() - 2));
    for (i, d) in r.departments.iter().enumerate() {
        let _ = writeln!(s, "| {} |", dept_cells(i + 1, d).join(" | "));
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
