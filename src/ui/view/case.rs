//! Case detail: the case, every milestone with due, met and countdown, the attached
//! items with their text, and the timeline.

use super::countdown;
use super::style::Theme;
use crate::domain::names::Named;
use crate::text::{fit, one_line};
use crate::ui::app::App;
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// An operator's name from the roster, or the id as recorded.
fn who<'a>(app: &'a App, id: &'a str) -> &'a str {
    app.sign_in.operators.iter().find(|o| o.id == id).map_or(id, |o| o.name.as_str())
}

/// Who led the case before each transfer (转办) and when it changed, oldest first;
/// empty when it was never transferred.
fn former_leads(
    app: &App,
    c: &crate::domain::case::Case,
    t: &dyn Fn(chrono::DateTime<chrono::Utc>) -> String,
) -> String {
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

pub fn case(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let Some(v) = &app.lists.case_view else {
        f.render_widget(Paragraph::new(Line::styled(M::Loading.t(l), theme.dim())), area);
        return;
    };
    let c = &v.case;
    let t = |d: chrono::DateTime<chrono::Utc>| d.with_timezone(&app.settings.tz).format("%m-%d %H:%M").to_string();
    let dim = |s: &str| Span::styled(s.to_string(), theme.dim());
    let co: Vec<&str> = c.co.iter().map(|d| app.dept(d)).collect();
    let mut lines = vec![
        Line::from(vec![Span::styled(format!("{}  {}", c.no, c.title), theme.title())]),
        Line::from(vec![
            dim(&format!("{}: ", M::Severity.t(l))),
            Span::styled(
                c.severity.label(l),
                if c.severity == crate::domain::case::Severity::General { theme.plain() } else { theme.danger() },
            ),
            dim(&format!("  {}: ", M::Category.t(l))),
            Span::raw(c.category.label(l)),
            dim(&format!("  {}: ", M::Status.t(l))),
            Span::raw(crate::describe::status(c, l)),
        ]),
        Line::from(vec![
            dim(&format!("{}: ", M::Lead.t(l))),
            Span::raw(app.dept(&c.lead).to_string()),
            dim(&former_leads(app, c, &t)),
            dim(&format!("  {}: ", M::CoDepartments.t(l))),
            Span::raw(if co.is_empty() { "-".to_string() } else { co.join("、") }),
        ]),
        Line::raw(""),
        Line::styled(M::Milestones.t(l).to_string(), theme.title()),
    ];
    for m in &c.milestones {
        let state = if let Some(met) = m.met_at {
            let how = if met <= m.due { M::OnTime } else { M::Late };
            Span::styled(
                format!("{} {} ({})", M::Met.t(l), t(met), how.t(l)),
                if met <= m.due { theme.ok() } else { theme.warn() },
            )
        } else if m.waived {
            dim(M::Waived.t(l))
        } else {
            countdown::span(m, app.now, l, theme)
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {} ", fit(&m.kind.label(l), 18))),
            dim(&format!("{} {}  ", M::Due.t(l), t(m.due))),
            state,
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(M::Items.t(l).to_string(), theme.title()));
    for it in &v.items {
        lines.push(Line::from(vec![
            Span::raw(format!("  {} ", it.id)),
            dim(&format!("[{}] ", it.fields.channel.label(l))),
            Span::raw(one_line(&it.fields.title)),
            dim(&it.fields.reach.map(|r| format!("  {} {r}", M::Reach.t(l))).unwrap_or_default()),
        ]));
        if !it.fields.body.is_empty() {
            // Wrapped here, so every row keeps the indent that sets it under its item.
            for part in crate::ui::reader::wrap(&one_line(&it.fields.body), (area.width as usize).saturating_sub(5)) {
                lines.push(Line::styled(format!("    {part}"), theme.dim()));
            }
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(M::Timeline.t(l).to_string(), theme.title()));
    let said = crate::describe::timeline(&v.timeline, l, Some(&app.settings.directory));
    for (ev, what) in v.timeline.iter().zip(said) {
        lines.push(Line::from(vec![
            // Who, by name (the id when the roster does not know it).
            dim(&format!("  {} {} ", t(ev.at()), fit(who(app, &ev.operator), 8))),
            Span::raw(what),
        ]));
    }
    // Rows once wrapped, so End (or scrolling on) stops at the last page, not past it.
    let cols = area.width.max(1) as usize;
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(cols)).sum();
    let last = rows.saturating_sub(area.height as usize) as u16;
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((v.scroll.min(last), 0)), area);
}
