//! The supervisor's view: overdue cases of every department first, then the cases under
//! escalation, the drafts waiting for a supervisor's approval, and the extensions
//! officers asked for that no supervisor has granted yet — the rows of
//! `ui::supervise`, the highlighted one reversed and kept on screen.

use super::style::Theme;
use crate::domain::names::Named;
use crate::text::{fit, one_line, truncate, width};
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::keymap::Scope;
use crate::ui::strings::M;
use crate::ui::supervise::{Row, Section};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A section's heading; the extensions' names the key that grants one.
fn heading(app: &App, section: Section) -> String {
    let l = app.lang;
    match section {
        Section::Overdue => M::OverdueAll.t(l).to_string(),
        Section::Escalated => M::Escalated.t(l).to_string(),
        Section::Waiting => M::AwaitingApproval.t(l).to_string(),
        Section::Asked => {
            // The key to grant one, to those who may.
            let keys = app.settings.keymap.keys_for(Scope::Supervision, Action::Extend);
            let grant = match keys.first() {
                Some(k) if Action::Extend.allowed(app.operator.role) => format!("  {k} {}", Action::Extend.help(l)),
                _ => String::new(),
            };
            format!("{}{grant}", M::ExtensionsAsked.t(l))
        }
    }
}

/// Cells at the end of a row for what is due: `超时 02:00`, who drafted; an extension's
/// milestone and the time asked for (`新闻发布会 → 07-02 12:00`) take more.
fn tail_width(section: Section) -> usize {
    if section == Section::Asked { 26 } else { 15 }
}

/// A row's line (number, title, lead, what is due) and the lines under it (who said
/// what, wrapped to the width), with the row's style. The title gives way to what is
/// due, which is never cut.
fn lines_of(app: &App, theme: Theme, r: &Row, w: usize) -> (Line<'static>, Vec<String>, Style) {
    let (l, c) = (app.lang, r.case);
    let no_w = app.model.case_order.iter().map(String::len).max().unwrap_or(0).clamp(8, 14);
    let tail_w = tail_width(r.section);
    let line = |text: &str, tail: String, style: Style| {
        Line::from(vec![
            Span::raw(format!(
                "  {} {} {} ",
                fit(&c.no, no_w),
                fit(&one_line(text), w.saturating_sub(2 + no_w + 1 + 1 + 12 + 1 + tail_w)),
                fit(app.dept(&c.lead), 12)
            )),
            Span::styled(truncate(&tail, tail_w), style),
        ])
    };
    let said = |s: String| crate::ui::wrap::lines(&s, w.saturating_sub(6));
    // People by their names in the roster, the id in brackets.
    let person = |id: &str| crate::config::person(&app.sign_in.operators, id);
    match r.section {
        Section::Overdue => {
            let late = c.next_milestone().map(|m| crate::timefmt::overdue(m.due - app.now)).unwrap_or_default();
            (line(&c.title, format!("{} {late}", M::Overdue.t(l)), theme.overdue()), vec![], theme.plain())
        }
        Section::Escalated => {
            // When, by whom and why in full, however narrow the screen.
            let last = c.escalations.last();
            let under = last.map_or(vec![], |e| {
                let at = e.at.with_timezone(&app.settings.tz).format("%m-%d %H:%M");
                said(format!("{at} {}{}{}", person(&e.by), l.t("：", ": "), one_line(&e.text)))
            });
            (line(&c.title, String::new(), theme.warn()), under, theme.warn())
        }
        Section::Waiting => {
            let d = &c.drafts[r.index];
            (line(&d.text, person(&d.by), theme.accent()), vec![], theme.plain())
        }
        Section::Asked => {
            let asked = &c.extension_requests[r.index];
            let until = asked.until.with_timezone(&app.settings.tz).format("%m-%d %H:%M");
            // The time asked for whole; the milestone's name shortened if need be.
            let until = format!(" → {until}");
            let tail = format!("{}{until}", truncate(&asked.milestone.label(l), tail_w - width(&until)));
            let under = said(format!("{}{}{}", person(&asked.by), l.t("：", ": "), one_line(&asked.reason)));
            (line(&c.title, tail, theme.warn()), under, theme.warn())
        }
    }
}

pub fn supervision(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let w = area.width as usize;
    let rows = crate::ui::supervise::rows(app);
    let selected = app.lists.supervision.min(rows.len().saturating_sub(1));
    let mut lines: Vec<Line> = Vec::new();
    // The lines the highlighted row takes, to keep on screen.
    let mut shown = (0, 0);
    let mut at = 0;
    for section in [Section::Overdue, Section::Escalated, Section::Waiting, Section::Asked] {
        if section != Section::Overdue {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(heading(app, section), theme.title()));
        if rows.get(at).is_none_or(|r| r.section != section) {
            // An empty section says so, rather than showing nothing under its heading.
            lines.push(Line::styled(format!("  {}", M::NoneHere.t(app.lang)), theme.dim()));
        }
        for r in rows[at..].iter().take_while(|r| r.section == section) {
            let (line, under, style) = lines_of(app, theme, r, w);
            let first = lines.len();
            lines.push(if at == selected { line.patch_style(theme.selected()) } else { line });
            lines.extend(under.into_iter().map(|part| Line::styled(format!("      {part}"), style)));
            if at == selected {
                shown = (first, lines.len() - 1);
            }
            at += 1;
        }
    }
    let height = area.height as usize;
    let top = (shown.1 + 1).saturating_sub(height).min(shown.0);
    f.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), area);
}
