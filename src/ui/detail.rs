//! The case detail as rows of text, already wrapped to the screen's width: the case,
//! every milestone with due, met and countdown, the attached items with their text,
//! and the timeline. `view/case.rs` colours the rows by their tones and `update`
//! scrolls within them, so both count the same rows and End reaches the newest
//! timeline entry at any width.

use super::app::{App, CaseView};
use super::strings::M;
use crate::domain::case::{Case, Severity};
use crate::domain::names::Named;
use crate::text::{fit, one_line};
use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthChar;

/// Cells a countdown takes: `超时 123:45` / `!! 23:59:59` (`view/countdown.rs` draws it).
pub const COUNTDOWN_WIDTH: usize = 12;

/// How a piece of a row is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Dim,
    Title,
    Danger,
    Ok,
    Warn,
    /// The countdown of milestone `i`: the view draws it over these blank cells.
    Countdown(usize),
}

/// One row on screen: its pieces, each with its tone.
pub type Row = Vec<(String, Tone)>;

/// An operator's name from the roster, or the id as recorded.
fn who<'a>(app: &'a App, id: &'a str) -> &'a str {
    app.sign_in.operators.iter().find(|o| o.id == id).map_or(id, |o| o.name.as_str())
}

/// Who led the case before each transfer (转办) and when it changed, oldest first;
/// empty when it was never transferred.
fn former_leads(app: &App, c: &Case, t: &dyn Fn(DateTime<Utc>) -> String) -> String {
    let l = app.lang;
    let before: Vec<String> = c
        .transfers
        .iter()
        .filter_map(|a| {
            a.dept.as_deref().map(|d| format!("{} {} {}", app.dept(d), t(a.at), l.t("转办", "transferred")))
        })
        .collect();
    if before.is_empty() {
        return String::new();
    }
    format!(" ({}{})", l.t("原牵头：", "formerly: "), before.join(l.t("；", "; ")))
}

/// Every row of the detail of `v`, `width` cells wide.
pub fn rows(app: &App, v: &CaseView, width: usize) -> Vec<Row> {
    let l = app.lang;
    let c = &v.case;
    let t = |d: DateTime<Utc>| d.with_timezone(&app.settings.tz).format("%m-%d %H:%M").to_string();
    let dim = |s: String| (s, Tone::Dim);
    let co: Vec<&str> = c.co.iter().map(|d| app.dept(d)).collect();
    let severity = if c.severity == Severity::General { Tone::Plain } else { Tone::Danger };
    // Each logical line with the indent its wrapped rows keep.
    let mut lines: Vec<(Row, usize)> = vec![
        (vec![(format!("{}  {}", c.no, c.title), Tone::Title)], 0),
        (
            vec![
                dim(format!("{}: ", M::Severity.t(l))),
                (c.severity.label(l), severity),
                dim(format!("  {}: ", M::Category.t(l))),
                (c.category.label(l), Tone::Plain),
                dim(format!("  {}: ", M::Status.t(l))),
                (crate::describe::status(c, l), Tone::Plain),
            ],
            0,
        ),
        (
            vec![
                dim(format!("{}: ", M::Lead.t(l))),
                (app.dept(&c.lead).to_string(), Tone::Plain),
                dim(former_leads(app, c, &t)),
                dim(format!("  {}: ", M::CoDepartments.t(l))),
                (if co.is_empty() { "-".to_string() } else { co.join("、") }, Tone::Plain),
            ],
            0,
        ),
        (vec![], 0),
        (vec![(M::Milestones.t(l).to_string(), Tone::Title)], 0),
    ];
    for (i, m) in c.milestones.iter().enumerate() {
        let state = if let Some(met) = m.met_at {
            let (how, tone) = if met <= m.due { (M::OnTime, Tone::Ok) } else { (M::Late, Tone::Warn) };
            (format!("{} {} ({})", M::Met.t(l), t(met), how.t(l)), tone)
        } else if m.waived {
            dim(M::Waived.t(l).to_string())
        } else {
            (" ".repeat(COUNTDOWN_WIDTH), Tone::Countdown(i))
        };
        let head = (format!("  {} ", fit(&m.kind.label(l), 18)), Tone::Plain);
        lines.push((vec![head, dim(format!("{} {}  ", M::Due.t(l), t(m.due))), state], 2));
    }
    lines.push((vec![], 0));
    lines.push((vec![(M::Items.t(l).to_string(), Tone::Title)], 0));
    for it in &v.items {
        let reach = it.fields.reach.map(|r| format!("  {} {r}", M::Reach.t(l))).unwrap_or_default();
        let head = vec![
            (format!("  {} ", it.id), Tone::Plain),
            dim(format!("[{}] ", it.fields.channel.label(l))),
            (one_line(&it.fields.title), Tone::Plain),
            dim(reach),
        ];
        lines.push((head, 4));
        if !it.fields.body.is_empty() {
            // Every row of the text keeps the indent that sets it under its item.
            for part in super::reader::wrap(&one_line(&it.fields.body), width.saturating_sub(5)) {
                lines.push((vec![dim(format!("    {part}"))], 4));
            }
        }
    }
    lines.push((vec![], 0));
    lines.push((vec![(M::Timeline.t(l).to_string(), Tone::Title)], 0));
    let said = crate::describe::timeline(&v.timeline, l, Some(&app.settings.directory));
    for (ev, what) in v.timeline.iter().zip(said) {
        // Who, by name (the id when the roster does not know it); what they did wraps
        // under itself.
        let head = format!("  {} {} ", t(ev.at()), fit(who(app, &ev.operator), 8));
        let indent = crate::text::width(&head);
        lines.push((vec![dim(head), (what, Tone::Plain)], indent));
    }
    lines.into_iter().flat_map(|(row, indent)| wrap(row, width, indent)).collect()
}

/// `row` in rows of at most `width` cells; the rows after the first start `indent`
/// cells in (none when that would leave less than half the width). Chinese breaks
/// between any two characters; a word of narrow characters (`A-0002`, `transferred`)
/// goes whole to the next row when it starts in the second half of its row.
pub fn wrap(row: Row, width: usize, indent: usize) -> Vec<Row> {
    let width = width.max(2);
    let indent = if indent * 2 > width { 0 } else { indent };
    let cells = |c: char| c.width().unwrap_or(0);
    let wordy = |c: char| c != ' ' && cells(c) == 1;
    // Two neighbours that stay on one row: within a word, or within a countdown.
    let joined = |a: (char, Tone), b: (char, Tone)| {
        (wordy(a.0) && wordy(b.0)) || (matches!(a.1, Tone::Countdown(_)) && a.1 == b.1)
    };
    let mut out: Vec<Vec<(char, Tone)>> = Vec::new();
    let mut line: Vec<(char, Tone)> = Vec::new();
    let mut used = 0;
    for (c, tone) in row.iter().flat_map(|(s, tone)| s.chars().map(move |c| (c, *tone))) {
        if used + cells(c) > width {
            let mid_word = line.last().is_some_and(|p| joined(*p, (c, tone)));
            let start = (1..line.len()).rev().find(|&i| !joined(line[i - 1], line[i])).unwrap_or(0);
            let start = Some(start).filter(|_| mid_word);
            let carried = match start {
                Some(i) if line[..i].iter().map(|(p, _)| cells(*p)).sum::<usize>() > width / 2 => line.split_off(i),
                _ => Vec::new(),
            };
            out.push(std::mem::replace(&mut line, vec![(' ', Tone::Plain); indent]));
            line.extend(carried);
            used = line.iter().map(|(p, _)| cells(*p)).sum();
            if c == ' ' && !matches!(tone, Tone::Countdown(_)) {
                continue;
            }
        }
        used += cells(c);
        line.push((c, tone));
    }
    out.push(line);
    out.into_iter()
        .map(|chars| {
            let mut row: Row = Vec::new();
            for (c, tone) in chars {
                match row.last_mut() {
                    Some((s, t)) if *t == tone => s.push(c),
                    _ => row.push((c.to_string(), tone)),
                }
            }
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[Row]) -> Vec<String> {
        rows.iter().map(|r| r.iter().map(|(s, _)| s.as_str()).collect()).collect()
    }

    #[test]
    fn a_row_wraps_by_cells_under_its_indent_and_keeps_words_whole() {
        let row = vec![("  07-01 09:00 ".to_string(), Tone::Dim), ("报告县政府提前完成".to_string(), Tone::Plain)];
        let rows = wrap(row, 30, 14);
        assert_eq!(text(&rows), vec!["  07-01 09:00 报告县政府提前完", "              成"]);
        assert_eq!(rows[0][0].1, Tone::Dim, "tones stay with their text");
        let words = wrap(vec![("met 35 min early".to_string(), Tone::Plain)], 10, 0);
        assert_eq!(text(&words), vec!["met 35 min", "early"]);
        let words = wrap(vec![("moved to A-0002 now".to_string(), Tone::Plain)], 12, 2);
        assert_eq!(text(&words), vec!["moved to ", "  A-0002 now"]);
    }
}
