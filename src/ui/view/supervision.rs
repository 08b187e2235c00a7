//! The supervisor's view: overdue cases of every department first, then the cases under
//! escalation, the drafts waiting for a supervisor's approval, and the extensions
//! officers asked for that no supervisor has granted yet.

use super::style::Theme;
use crate::domain::names::Named;
use crate::text::{fit, one_line};
use crate::ui::app::App;
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn supervision(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let w = area.width as usize;
    let no_w = app.model.case_order.iter().map(String::len).max().unwrap_or(0).clamp(8, 14);
    let row = |no: &str, title: &str, lead: &str, tail: String, style| {
        Line::from(vec![
            Span::raw(format!(
                "  {} {} {} ",
                fit(no, no_w),
                fit(&one_line(title), w.saturating_sub(32 + no_w)),
                fit(lead, 12)
            )),
            Span::styled(tail, style),
        ])
    };
    let mut lines = vec![Line::styled(M::OverdueAll.t(l), theme.title())];
    let overdue = app.model.overdue(app.now);
    for no in &app.model.case_order[..overdue] {
        let c = &app.model.cases[no];
        let late = c.next_milestone().map(|m| crate::timefmt::overdue(m.due - app.now)).unwrap_or_default();
        lines.push(row(no, &c.title, app.dept(&c.lead), format!("{} {late}", M::Overdue.t(l)), theme.overdue()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(M::Escalated.t(l), theme.title()));
    let mut escalated: Vec<_> = app.model.cases.values().filter(|c| !c.escalations.is_empty()).collect();
    escalated.sort_by_key(|c| std::cmp::Reverse(c.escalations.last().map(|a| a.at)));
    for c in escalated {
        let Some(last) = c.escalations.last() else { continue };
        let at = last.at.with_timezone(&app.settings.tz).format("%m-%d %H:%M").to_string();
        lines.push(row(&c.no, &c.title, app.dept(&c.lead), String::new(), theme.warn()));
        // When, by whom and why in full, on the lines below, however narrow the screen.
        let said = format!("{at} {}{}{}", last.by, l.t("：", ": "), one_line(&last.text));
        for part in crate::ui::reader::wrap(&said, w.saturating_sub(6)) {
            lines.push(Line::styled(format!("      {part}"), theme.warn()));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(M::AwaitingApproval.t(l), theme.title()));
    let mut waiting: Vec<_> = app.model.cases.values().filter(|c| c.drafts.iter().any(|d| d.waiting())).collect();
    waiting.sort_by(|a, b| a.no.cmp(&b.no));
    for c in waiting {
        for d in c.drafts.iter().filter(|d| d.waiting()) {
            lines.push(row(&c.no, &d.text, app.dept(&c.lead), d.by.clone(), theme.accent()));
        }
    }
    lines.push(Line::raw(""));
    // Which key grants one, from the keymap (in the case's detail).
    let grant = app.settings.keymap.keys_for(crate::ui::keymap::Scope::Case, crate::ui::action::Action::Extend);
    let grant = grant.first().map_or(String::new(), |k| format!("  {k} {}", crate::ui::action::Action::Extend.help(l)));
    lines.push(Line::styled(format!("{}{grant}", M::ExtensionsAsked.t(l)), theme.title()));
    let mut asked: Vec<_> = app
        .model
        .cases
        .values()
        .flat_map(|c| c.extension_requests.iter().filter(|r| !r.granted).map(move |r| (c, r)))
        .collect();
    asked.sort_by_key(|(c, r)| (r.at, c.no.clone()));
    for (c, r) in asked {
        let kind = r.milestone.label(l);
        let until = r.until.with_timezone(&app.settings.tz).format("%m-%d %H:%M");
        lines.push(row(&c.no, &c.title, app.dept(&c.lead), format!("{kind} → {until}"), theme.warn()));
        let said = format!("{}{}{}", r.by, l.t("：", ": "), one_line(&r.reason));
        for part in crate::ui::reader::wrap(&said, w.saturating_sub(6)) {
            lines.push(Line::styled(format!("      {part}"), theme.warn()));
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}
