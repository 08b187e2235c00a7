//! The report as Markdown: readable as is, and pasteable into a notice draft.

use super::{DEPT_COLUMNS, Report, dept_cells, label, t};
use crate::domain::department::Directory;
use crate::domain::item::Channel;
use crate::domain::names::Named;
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
    let rows = r.by_channel.iter().map(|(c, n)| vec![label(*c, lang).to_string(), n.to_string()]);
    table_or_none(&mut s, &[tr("by_channel"), tr("items")], "ll", rows, tr("none"));
    let _ = writeln!(s, "\n## {}\n", tr("handling"));
    let _ = writeln!(
        s,
        "- {}{colon}{}{sep}{}{colon}{}{sep}{}{colon}{}{sep}{}{colon}{}{sep}{}{colon}{}\n- {}{colon}{}",
        tr("received"),
        r.items_received,
        tr("attached"),
        r.items_attached,
        tr("dismissed"),
        r.items_dismissed,
        tr("pending"),
        r.items_new,
        tr("expired"),
        r.items_expired,
        tr("cases"),
        r.cases_opened
    );
    let listed = |v: Vec<String>| if v.is_empty() { tr("none").to_string() } else { v.join(lang.t("，", ", ")) };
    let sev = listed(r.by_severity.iter().map(|(k, n)| format!("{} {n}", label(*k, lang))).collect());
    let cat = listed(r.by_category.iter().map(|(k, n)| format!("{} {n}", label(*k, lang))).collect());
    let _ = writeln!(s, "- {}{colon}{sev}\n- {}{colon}{cat}\n", tr("by_severity"), tr("by_category"));
    let _ = writeln!(s, "## {}\n", tr("timeliness"));
    let rows = r.timeliness.iter().map(|(k, v)| {
        vec![
            label(*k, lang).to_string(),
            v.due.to_string(),
            v.on_time.to_string(),
            v.late.to_string(),
            v.overdue.to_string(),
        ]
    });
    let heads = [tr("milestone"), tr("due"), tr("on_time"), tr("late"), tr("overdue")];
    table_or_none(&mut s, &heads, "lrrrr", rows, tr("none"));
    let _ = writeln!(s, "\n## {}\n", tr("departments"));
    let heads: Vec<&str> = DEPT_COLUMNS.iter().map(|k| tr(k)).collect();
    let align = format!("rl{}", "r".repeat(DEPT_COLUMNS.len() - 2));
    let rows = r.departments.iter().enumerate().map(|(i, d)| dept_cells(i + 1, d).to_vec());
    table_or_none(&mut s, &heads, &align, rows, tr("none"));
    if !r.departments.is_empty() {
        let _ = writeln!(s, "\n{}", tr("ranking"));
    }
    if !r.inactive.is_empty() {
        let _ = writeln!(s, "\n{}{colon}{}", tr("inactive"), r.inactive.join(lang.t("、", ", ")));
    }
    let _ = writeln!(s, "\n## {}\n", tr("overdue_cases"));
    let rows = r.overdue.iter().map(|o| {
        vec![
            format!("{} {}", o.case, o.title.replace('|', "｜")),
            dir.name(&o.lead).to_string(),
            label(o.milestone, lang).to_string(),
            format!("{}:{:02}", o.minutes_late / 60, o.minutes_late % 60),
        ]
    });
    table_or_none(&mut s, &[tr("case"), tr("lead"), tr("milestone"), tr("late_by")], "lllr", rows, tr("none"));
    let _ = writeln!(s, "\n## {}\n", tr("supervision"));
    let rows = r.marks.iter().map(|m| {
        vec![
            r.local(m.at),
            tr(m.kind).to_string(),
            m.case.clone(),
            dir.name(&m.dept).to_string(),
            m.shown(lang).replace('|', "｜"),
        ]
    });
    let heads = [tr("time"), tr("kind"), tr("case"), tr("department"), tr("note")];
    table_or_none(&mut s, &heads, "lllll", rows, tr("none"));
    let _ = writeln!(s, "\n## {}\n", tr("trend"));
    let rows = r.daily.iter().map(|(d, (i, c))| vec![d.to_string(), i.to_string(), c.to_string()]);
    table_or_none(&mut s, &[tr("day"), tr("items"), tr("cases")], "lrr", rows, tr("none"));
    let _ = writeln!(s, "\n## {}\n", tr("wordings"));
    let rows = r.wordings.iter().map(|w| vec![r.local(w.at), w.cases.join("、"), w.text.replace('|', "｜")]);
    table_or_none(&mut s, &[tr("time"), tr("case"), tr("wording")], "lll", rows, tr("none"));
    let _ = writeln!(s, "\n## {}\n", tr("monitoring"));
    let channels = Channel::ALL;
    let mut heads = vec![tr("day")];
    heads.extend(channels.iter().map(|(c, _, _)| label(*c, lang)));
    let rows = r.days().into_iter().map(|d| {
        std::iter::once(d.to_string()).chain(channels.iter().map(|(c, _, _)| r.monitoring_cell(d, *c, lang))).collect()
    });
    table(&mut s, &heads, &"l".repeat(heads.len()), rows);
    s
}

/// A Markdown table: the header, an alignment row (`l` or `r` per column), the rows.
fn table(s: &mut String, heads: &[&str], align: &str, rows: impl IntoIterator<Item = Vec<String>>) {
    let seps: Vec<&str> = align.chars().map(|a| if a == 'r' { "---:" } else { "---" }).collect();
    let _ = writeln!(s, "| {} |\n|{}|", heads.join(" | "), seps.join("|"));
    for row in rows {
        let _ = writeln!(s, "| {} |", row.join(" | "));
    }
}

/// A table, or `none` when there are no rows.
fn table_or_none(s: &mut String, heads: &[&str], align: &str, rows: impl Iterator<Item = Vec<String>>, none: &str) {
    let mut rows = rows.peekable();
    if rows.peek().is_none() {
        let _ = writeln!(s, "{none}");
    } else {
        table(s, heads, align, rows);
    }
}
