//! The report as Markdown: readable as is, and pasteable into a notice draft.

use super::words::W;
use super::{DEPT_COLUMNS, Report, dept_cells};
use crate::domain::department::Directory;
use crate::domain::item::Channel;
use crate::domain::names::Named;
use crate::i18n::Lang;
use std::fmt::Write;

pub fn render(r: &Report, dir: &Directory, lang: Lang) -> String {
    let tr = |w: W| w.t(lang);
    let (colon, sep) = (lang.t("：", ": "), lang.t("；", "; "));
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", tr(W::Title));
    let _ = writeln!(s, "{}{colon}{} — {}  ", tr(W::Period), r.local(r.period.from), r.local(r.period.to));
    let _ = writeln!(s, "{}{colon}{}\n", tr(W::AsOf), r.local(r.as_of));
    let _ = writeln!(s, "## {}\n", tr(W::Intake));
    let rows = r.by_channel.iter().map(|(c, n)| vec![c.label(lang).to_string(), n.to_string()]);
    table_or_none(&mut s, &[tr(W::ByChannel), tr(W::Items)], "ll", rows, tr(W::None));
    let _ = writeln!(s, "\n## {}\n", tr(W::Handling));
    let _ = writeln!(
        s,
        "- {}{colon}{}{sep}{}{colon}{}{sep}{}{colon}{}{sep}{}{colon}{}{sep}{}{colon}{}\n- {}{colon}{}",
        tr(W::Received),
        r.items_received,
        tr(W::Attached),
        r.items_attached,
        tr(W::Dismissed),
        r.items_dismissed,
        tr(W::Pending),
        r.items_new,
        tr(W::Expired),
        r.items_expired,
        tr(W::Cases),
        r.cases_opened
    );
    let listed = |v: Vec<String>| if v.is_empty() { tr(W::None).to_string() } else { v.join(lang.t("，", ", ")) };
    let sev = listed(r.by_severity.iter().map(|(k, n)| format!("{} {n}", k.label(lang))).collect());
    let cat = listed(r.by_category.iter().map(|(k, n)| format!("{} {n}", k.label(lang))).collect());
    let _ = writeln!(s, "- {}{colon}{sev}\n- {}{colon}{cat}\n", tr(W::BySeverity), tr(W::ByCategory));
    let _ = writeln!(s, "## {}\n", tr(W::Timeliness));
    let rows = r.timeliness.iter().map(|(k, v)| {
        vec![
            k.label(lang).to_string(),
            v.due.to_string(),
            v.on_time.to_string(),
            v.late.to_string(),
            v.overdue.to_string(),
        ]
    });
    let heads = [tr(W::Milestone), tr(W::Due), tr(W::OnTime), tr(W::Late), tr(W::Overdue)];
    table_or_none(&mut s, &heads, "lrrrr", rows, tr(W::None));
    let _ = writeln!(s, "\n## {}\n", tr(W::Departments));
    let heads: Vec<&str> = DEPT_COLUMNS.iter().map(|&w| tr(w)).collect();
    let align = format!("rl{}", "r".repeat(DEPT_COLUMNS.len() - 2));
    let ranks = r.ranks();
    let rows = r.departments.iter().enumerate().map(|(i, d)| dept_cells(ranks[i], d).to_vec());
    table_or_none(&mut s, &heads, &align, rows, tr(W::None));
    if !r.departments.is_empty() {
        let _ = writeln!(s, "\n{}", tr(W::Ranking));
    }
    if !r.inactive.is_empty() {
        let _ = writeln!(
            s,
            "\n{}{colon}{}",
            tr(W::Inactive),
            r.inactive.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(lang.t("、", ", "))
        );
    }
    let _ = writeln!(s, "\n## {}\n", tr(W::OverdueCases));
    let rows = r.overdue.iter().map(|o| {
        vec![
            format!("{} {}", o.case, o.title.replace('|', "｜")),
            dir.name(&o.lead).to_string(),
            o.milestone.label(lang).to_string(),
            format!("{}:{:02}", o.minutes_late / 60, o.minutes_late % 60),
        ]
    });
    table_or_none(&mut s, &[tr(W::Case), tr(W::Lead), tr(W::Milestone), tr(W::LateBy)], "lllr", rows, tr(W::None));
    let _ = writeln!(s, "\n## {}\n", tr(W::Supervision));
    let rows = r.marks.iter().map(|m| {
        vec![
            r.local(m.at),
            tr(m.kind.word()).to_string(),
            m.case.clone(),
            dir.name(&m.dept).to_string(),
            m.shown(lang).replace('|', "｜"),
        ]
    });
    let heads = [tr(W::Time), tr(W::Kind), tr(W::Case), tr(W::Department), tr(W::Note)];
    table_or_none(&mut s, &heads, "lllll", rows, tr(W::None));
    let _ = writeln!(s, "\n## {}\n", tr(W::Trend));
    let rows = r.daily.iter().map(|(d, (i, c))| vec![d.to_string(), i.to_string(), c.to_string()]);
    table_or_none(&mut s, &[tr(W::Day), tr(W::Items), tr(W::Cases)], "lrr", rows, tr(W::None));
    let _ = writeln!(s, "\n## {}\n", tr(W::Wordings));
    let rows = r.wordings.iter().map(|w| vec![r.local(w.at), w.cases.join("、"), w.text.replace('|', "｜")]);
    table_or_none(&mut s, &[tr(W::Time), tr(W::Case), tr(W::Wording)], "lll", rows, tr(W::None));
    let _ = writeln!(s, "\n## {}\n", tr(W::Monitoring));
    let channels = Channel::ALL;
    let labels: Vec<String> = channels.iter().map(|(c, _, _)| c.label(lang)).collect();
    let mut heads = vec![tr(W::Day)];
    heads.extend(labels.iter().map(String::as_str));
    let rows = r.days().into_iter().map(|d| {
        std::iter::once(d.to_string()).chain(channels.iter().map(|(c, _, _)| r.monitoring_cell(d, *c, lang))).collect()
    });
    table_or_none(&mut s, &heads, &"l".repeat(heads.len()), rows, tr(W::None));
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
