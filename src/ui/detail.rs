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
    /// A label (`协办单位: `), drawn dim; it stays on the row where its value starts.
    Label,
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
    let label = |m: M| (format!("{}: ", m.t(l)), Tone::Label);
    let gap = || ("  ".to_string(), Tone::Dim);
    let co: Vec<&str> = c.co.iter().map(|d| app.dept(d)).collect();
    let severity = if c.severity == Severity::General { Tone::Plain } else { Tone::Danger };
    // Each logical line with the indent its wrapped rows keep.
    let mut lines: Vec<(Row, usize)> = vec![
        (vec![(format!("{}  {}", c.no, c.title), Tone::Title)], 0),
        (
            vec![
                label(M::Severity),
                (c.severity.label(l), severity),
                gap(),
                label(M::Category),
                (c.category.label(l), Tone::Plain),
                gap(),
                label(M::Status),
                (crate::describe::status(c, l), Tone::Plain),
            ],
            0,
        ),
        (
            vec![
                label(M::Lead),
                (app.dept(&c.lead).to_string(), Tone::Plain),
                dim(former_leads(app, c, &t)),
                gap(),
                label(M::CoDepartments),
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
        let due = vec![head, (format!("{} ", M::Due.t(l)), Tone::Label), dim(format!("{}  ", t(m.due))), state];
        lines.push((due, 2));
    }
    lines.push((vec![], 0));
    lines.push((vec![(M::Items.t(l).to_string(), Tone::Title)], 0));
    for it in &v.items {
        let mut head = vec![
            (format!("  {} ", it.id), Tone::Plain),
            dim(format!("[{}] ", it.fields.channel.label(l))),
            (one_line(&it.fields.title), Tone::Plain),
        ];
        if let Some(r) = it.fields.reach {
            head.extend([gap(), (format!("{} ", M::Reach.t(l)), Tone::Label), dim(r.to_string())]);
        }
        lines.push((head, 4));
        if !it.fields.body.is_empty() {
            // Every row of the text keeps the indent that sets it under its item.
            lines.push((vec![dim(format!("    {}", one_line(&it.fields.body)))], 4));
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
/// cells in (none when that would leave less than half the width). Broken as
/// `wrap::fill` breaks text (Chinese between characters but not before closing
/// punctuation, narrow words whole); a label stays with the start of its value and a
/// countdown's cells stay together.
pub fn wrap(row: Row, width: usize, indent: usize) -> Vec<Row> {
    let chars = row.iter().flat_map(|(s, tone)| s.chars().map(move |c| (c, *tone)));
    let together = |a: (char, Tone), b: (char, Tone)| {
        super::wrap::joined(a.0, b.0) || a.1 == Tone::Label || (matches!(a.1, Tone::Countdown(_)) && a.1 == b.1)
    };
    let dropped = |p: (char, Tone)| p.0 == ' ' && !matches!(p.1, Tone::Countdown(_));
    let rows = super::wrap::fill(chars, width, indent, (' ', Tone::Plain), together, dropped);
    rows.into_iter()
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

    #[test]
    fn a_label_stays_with_its_value_and_punctuation_with_the_character_before() {
        let lead = "县应急管理局 (原牵头：县交通运输局 06-30 10:00 转办)";
        let row = vec![
            ("牵头单位: ".to_string(), Tone::Label),
            (lead.to_string(), Tone::Dim),
            ("  ".to_string(), Tone::Dim),
            ("协办单位: ".to_string(), Tone::Label),
            ("五强溪镇人民政府、县交通运输局".to_string(), Tone::Plain),
        ];
        // Room for the label but not for the first character after it.
        let width = crate::text::width(lead) + 10 + 2 + 10 + 1;
        let rows = text(&wrap(row, width, 0));
        assert_eq!(rows[1], "协办单位: 五强溪镇人民政府、县交通运输局", "{rows:?}");
        let row = vec![
            ("  07-01 09:00 duty     ".to_string(), Tone::Dim),
            ("备注: 死亡人数仍在核实，请宣传部统一口径".to_string(), Tone::Plain),
        ];
        let rows = text(&wrap(row, 46, 23));
        assert_eq!(
            rows,
            vec!["  07-01 09:00 duty     备注: 死亡人数仍在核", "                       实，请宣传部统一口径"]
        );
    }

    #[test]
    fn no_row_is_wider_than_its_width_and_no_character_is_lost() {
        let said = "登记 A-0004 明溪口镇集镇餐馆液化气罐爆炸致多人受伤网传死亡人数 · 重大 · 牵头 县应急管理局 · A.4";
        for width in 20..=100 {
            let row = vec![("  07-01 09:00 duty     ".to_string(), Tone::Dim), (said.to_string(), Tone::Plain)];
            let rows = text(&wrap(row, width, 23));
            assert!(rows.iter().all(|r| crate::text::width(r) <= width), "{width}: {rows:?}");
            let kept: String = rows.concat().split_whitespace().collect();
            let want: String = format!("07-01 09:00 duty {said}").split_whitespace().collect();
            assert_eq!(kept, want, "{width}");
        }
    }
}
