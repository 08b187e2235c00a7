//! `view`: draws the state, and only draws. Lists build only their visible rows, so
//! a hundred thousand cases cost what a hundred do.

mod case;
mod chrome;
mod countdown;
pub mod departments;
mod footer;
mod help;
mod item;
mod overlay;
mod queue;
mod style;
mod supervision;

pub use queue::hint as queue_hint;
pub use style::Theme;

use super::app::{App, Mode, Screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};

/// Draws the whole screen.
pub fn view(app: &App, f: &mut Frame) {
    let theme = Theme { colour: app.settings.colour };
    // The footer takes more than one row only for a message too long for one.
    let foot = chrome::footer(app, theme, f.area().width as usize);
    let [header, tabs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(foot.len() as u16),
    ])
    .areas(f.area());
    chrome::header(app, theme, f, header);
    chrome::tabs(app, theme, f, tabs);
    match &app.screen {
        _ if app.sign_in.locked => {
            let msg = ratatui::text::Line::styled(super::strings::M::Locked.t(app.lang), theme.title());
            f.render_widget(ratatui::widgets::Paragraph::new(msg).alignment(ratatui::layout::Alignment::Center), body);
        }
        Screen::Queue if app.is_empty() => chrome::welcome(app, theme, f, body),
        Screen::Queue => queue::queue(app, theme, f, body),
        Screen::Item(id) => item::item(app, theme, f, body, id),
        Screen::Cases => queue::cases(app, theme, f, body),
        Screen::Case(_) => case::case(app, theme, f, body),
        Screen::Departments => departments::departments(app, theme, f, body),
        Screen::Supervision => supervision::supervision(app, theme, f, body),
    }
    f.render_widget(ratatui::widgets::Paragraph::new(foot), footer);
    match &app.mode {
        Mode::Form(form) => overlay::form(app, theme, f, form),
        Mode::Confirm { question, .. } => overlay::confirm(app, theme, f, *question),
        Mode::Help { scroll } => help::help(app, theme, f, *scroll),
        Mode::Handover { summary, scroll, .. } => overlay::handover(app, theme, f, summary, *scroll),
        Mode::Text(reader) => overlay::text(app, theme, f, reader),
        Mode::Normal | Mode::Filter(_) => {}
    }
}

/// Rows a list shows in a body of `height` rows (one goes to its column header).
pub fn list_rows(height: u16) -> usize {
    height.saturating_sub(1) as usize
}

/// `lines` wrapped to `width` cells as `ui::wrap` breaks text (no row begins with
/// closing punctuation, narrow words whole), each piece keeping its style: for a
/// `Paragraph` drawn without ratatui's own wrapping.
pub(crate) fn wrapped(lines: Vec<ratatui::text::Line<'_>>, width: usize) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::style::Style;
    use ratatui::text::{Line, Span};
    let mut out = Vec::new();
    for line in lines {
        let chars: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|s| {
                let style = line.style.patch(s.style);
                s.content.chars().map(move |c| (c, style))
            })
            .collect();
        let together = |a: (char, Style), b: (char, Style)| super::wrap::joined(a.0, b.0);
        for row in super::wrap::fill(chars, width, 0, (' ', Style::default()), together, |p| p.0 == ' ') {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for (c, style) in row {
                match spans.last_mut() {
                    Some(last) if last.style == style => last.content.to_mut().push(c),
                    _ => spans.push(Span::styled(c.to_string(), style)),
                }
            }
            out.push(Line::from(spans));
        }
    }
    out
}
