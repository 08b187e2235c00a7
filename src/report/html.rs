//! The report as one self-contained HTML file: inline CSS and SVG charts, nothing
//! loaded from elsewhere, laid out to print on A4. The markup is well-formed XML.

use super::words::W;
use super::{DEPT_COLUMNS, Report, dept_cells};
use crate::domain::department::Directory;
use crate::domain::names::Named;
use crate::i18n::Lang;
use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const CSS: &str = "@page{size:A4;margin:18mm 15mm}body{font-family:'Noto Sans CJK SC','Microsoft YaHei',SimSun,sans-serif;font-size:10.5pt;color:#111;max-width:180mm;margin:auto}\
h1{font-size:18pt;text-align:center;margin:0 0 6pt}h2{font-size:13pt;border-bottom:1px solid #888;margin:14pt 0 6pt;page-break-after:avoid}\
table{border-collapse:collapse;width:100%;margin:4pt 0;page-break-inside:auto}tr{page-break-inside:avoid}th,td{border:1px solid #999;padding:2pt 4pt;text-align:left}\
td.n,th.n{text-align:right}.meta{text-align:center;color:#444}svg{display:block;margin:4pt 0}";

/// A horizontal bar chart of (label, value) pairs as inline SVG.
fn bars(rows: &[(String, f64, String)], max: f64) -> String {
    let h = 16 * rows.len() + 4;
    let mut s = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="{h}" viewBox="0 0 640 {h}">"#);
    for (i, (name, v, text)) in rows.iter().enumerate() {
        let y = 16 * i + 2;
        let w = if max > 0.0 { (v / max * 400.0).max(0.0) } else { 0.0 };
        let _ = write!(
            s,
            r##"<text x="0" y="{}" font-size="10">{}</text><rect x="150" y="{y}" width="{w:.1}" height="12" fill="#4a7ab5"/><text x="{:.1}" y="{}" font-size="10">{}</text>"##,
            y + 10,
            esc(name),
            155.0 + w,
            y + 10,
            esc(text)
        );
    }
    s.push_str("</svg>");
    s
}

/// A table, or `none` in a paragraph when there are no rows.
fn table_or_none(head: &[&str], rows: Vec<Vec<(String, bool)>>, none: &str) -> String {
    if rows.is_empty() { format!("<p>{}</p>", esc(none)) } else { table(head, rows) }
}

fn table(head: &[&str], rows: Vec<Vec<(String, bool)>>) -> String {
    let mut s = String::from("<table><thead><tr>");
    for h in head {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        for (cell, num) in r {
            let _ = write!(s, "<td{}>{}</td>", if num { r#" class="n""# } else { "" }, esc(&cell));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

pub fn render(r: &Report, dir: &Directory, lang: Lang) -> String {
    let tr = |w: W| w.t(lang);
    let (colon, sep) = (lang.t("：", ": "), lang.t("；", "; "));
    let n = |v: u32| (v.to_string(), true);
    let txt = |v: &str| (v.to_string(), false);
    let mut s = format!(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{}\"><head><meta charset=\"utf-8\"/><title>{}</title><style>{CSS}</style></head><body>",
        if lang == Lang::Zh { "zh-CN" } else { "en" },
        esc(tr(W::Title))
    );
    let _ = write!(
        s,
        "<h1>{}</h1><p class=\"meta\">{}{colon}{} — {}{sep}{}{colon}{}</p>",
        esc(tr(W::Title)),
        tr(W::Period),
        r.local(r.period.from),
        r.local(r.period.to),
        tr(W::AsOf),
        r.local(r.as_of)
    );
    let _ = write!(s, "<h2>{}</h2>", tr(W::Intake));
    let ch: Vec<(String, f64, String)> =
        r.by_channel.iter().map(|(c, v)| (c.label(lang).to_string(), *v as f64, v.to_string())).collect();
    let max = ch.iter().map(|x| x.1).fold(0.0, f64::max);
    s.push_str(&if ch.is_empty() { format!("<p>{}</p>", esc(tr(W::None))) } else { bars(&ch, max) });
    let _ = write!(s, "<h2>{}</h2>", tr(W::Handling));
    s.push_str(&table(
        &[tr(W::Received), tr(W::Attached), tr(W::Dismissed), tr(W::Pending), tr(W::Expired), tr(W::Cases)],
        vec![vec![
            n(r.items_received),
            n(r.items_attached),
            n(r.items_dismissed),
            n(r.items_new),
            n(r.items_expired),
            n(r.cases_opened),
        ]],
    ));
    let mut sev: Vec<Vec<(String, bool)>> =
        r.by_severity.iter().map(|(k, v)| vec![txt(tr(W::BySeverity)), txt(&k.label(lang)), n(*v)]).collect();
    sev.extend(r.by_category.iter().map(|(k, v)| vec![txt(tr(W::ByCategory)), txt(&k.label(lang)), n(*v)]));
    if !sev.is_empty() {
        s.push_str(&table(&["", "", tr(W::Cases)], sev));
    }
    let _ = write!(s, "<h2>{}</h2>", tr(W::Timeliness));
    s.push_str(&table_or_none(
        &[tr(W::Milestone), tr(W::Due), tr(W::OnTime), tr(W::Late), tr(W::Overdue)],
        r.timeliness
            .iter()
            .map(|(k, v)| vec![txt(&k.label(lang)), n(v.due), n(v.on_time), n(v.late), n(v.overdue)])
            .collect(),
        tr(W::None),
    ));
    let _ = write!(s, "<h2>{}</h2>", tr(W::Departments));
    let rates: Vec<(String, f64, String)> = r
        .departments
        .iter()
        .filter(|d| d.milestones_due > 0)
        .map(|d| {
            (d.name.clone(), d.on_time_rate.unwrap_or(0.0), format!("{:.0}%", d.on_time_rate.unwrap_or(0.0) * 100.0))
        })
        .collect();
    if !rates.is_empty() {
        s.push_str(&bars(&rates, 1.0));
    }
    let heads: Vec<&str> = DEPT_COLUMNS.iter().map(|&w| tr(w)).collect();
    let ranks = r.ranks();
    s.push_str(&table_or_none(
        &heads,
        r.departments
            .iter()
            .enumerate()
            .map(|(i, d)| dept_cells(ranks[i], d).into_iter().enumerate().map(|(k, c)| (c, k != 1)).collect())
            .collect(),
        tr(W::None),
    ));
    if !r.departments.is_empty() {
        let _ = write!(s, "<p class=\"note\">{}</p>", esc(tr(W::Ranking)));
    }
    if !r.inactive.is_empty() {
        let _ = write!(
            s,
            "<p class=\"note\">{}{colon}{}</p>",
            esc(tr(W::Inactive)),
            esc(&r.inactive.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(lang.t("、", ", ")))
        );
    }
    let _ = write!(s, "<h2>{}</h2>", tr(W::OverdueCases));
    s.push_str(&table_or_none(
        &[tr(W::Case), tr(W::Lead), tr(W::Milestone), tr(W::LateBy)],
        r.overdue
            .iter()
            .map(|o| {
                vec![
                    txt(&format!("{} {}", o.case, o.title)),
                    txt(dir.name(&o.lead)),
                    txt(&o.milestone.label(lang)),
                    (format!("{}:{:02}", o.minutes_late / 60, o.minutes_late % 60), true),
                ]
            })
            .collect(),
        tr(W::None),
    ));
    let _ = write!(s, "<h2>{}</h2>", tr(W::Supervision));
    s.push_str(&table_or_none(
        &[tr(W::Time), tr(W::Kind), tr(W::Case), tr(W::Department), tr(W::Note)],
        r.marks
            .iter()
            .map(|m| {
                vec![
                    txt(&r.local(m.at)),
                    txt(tr(m.kind.word())),
                    txt(&m.case),
                    txt(dir.name(&m.dept)),
                    txt(&m.shown(lang)),
                ]
            })
            .collect(),
        tr(W::None),
    ));
    let _ = write!(s, "<h2>{}</h2>", tr(W::Trend));
    let daily: Vec<(String, f64, String)> =
        r.daily.iter().map(|(d, (i, c))| (d.to_string(), *i as f64, format!("{i} / {c}"))).collect();
    let max = daily.iter().map(|x| x.1).fold(0.0, f64::max);
    s.push_str(&if daily.is_empty() { format!("<p>{}</p>", esc(tr(W::None))) } else { bars(&daily, max) });
    let _ = write!(s, "<h2>{}</h2>", tr(W::Wordings));
    s.push_str(&table_or_none(
        &[tr(W::Time), tr(W::Case), tr(W::Wording)],
        r.wordings.iter().map(|w| vec![txt(&r.local(w.at)), txt(&w.cases.join("、")), txt(&w.text)]).collect(),
        tr(W::None),
    ));
    let _ = write!(s, "<h2>{}</h2>", tr(W::Monitoring));
    let channels = <crate::domain::item::Channel as crate::domain::names::Named>::ALL;
    let labels: Vec<String> = channels.iter().map(|(c, _, _)| c.label(lang)).collect();
    let mut heads = vec![tr(W::Day)];
    heads.extend(labels.iter().map(String::as_str));
    let rows = r
        .days()
        .into_iter()
        .map(|d| {
            std::iter::once(txt(&d.to_string()))
                .chain(channels.iter().map(|(c, _, _)| txt(&r.monitoring_cell(d, *c, lang))))
                .collect()
        })
        .collect();
    s.push_str(&table_or_none(&heads, rows, tr(W::None)));
    s.push_str("</body></html>\n");
    s
}
