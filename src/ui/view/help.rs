//! The help overlay, generated from the active keymap so it cannot drift from it:
//! every binding, grouped by where it applies.

use super::overlay::popup;
use super::style::Theme;
use crate::text::fit;
use crate::ui::app::App;
use crate::ui::keymap::{Key, Scope};
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use std::collections::BTreeMap;

fn scope_title(scope: Scope, app: &App) -> &'static str {
    let l = app.lang;
    match scope {
        Scope::Global => M::Global.t(l),
        Scope::Queue => M::Queue.t(l),
        Scope::Item => M::ItemScreen.t(l),
        Scope::Cases => M::Cases.t(l),
        Scope::Case => M::CaseScreen.t(l),
        Scope::Departments => M::Departments.t(l),
    }
}

/// The help lines: per scope, each action with all its keys.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for scope in Scope::ALL {
        let Some(map) = app.keymap.bindings.get(&scope) else { continue };
        let mut by_action: BTreeMap<_, Vec<Key>> = BTreeMap::new();
        for (k, a) in map {
            by_action.entry(*a).or_default().push(*k);
        }
        out.push(Line::styled(
            scope_title(scope, app).to_string(),
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        ));
        for (a, keys) in by_action {
            let keys: Vec<String> = keys.iter().map(Key::to_string).collect();
            out.push(Line::from(vec![
                Span::raw(format!("  {} ", fit(&keys.join(" "), 16))),
                Span::raw(a.help(app.lang).to_string()),
            ]));
        }
        out.push(Line::raw(""));
    }
    out
}

pub fn help(app: &App, theme: Theme, f: &mut Frame, scroll: u16) {
    let area = popup(f.area(), 64, f.area().height.saturating_sub(2));
    f.render_widget(Clear, area);
    let block =
        Block::default().borders(Borders::ALL).title(Span::styled(format!(" {} ", M::Help.t(app.lang)), theme.title()));
    f.render_widget(Paragraph::new(lines(app)).block(block).scroll((scroll, 0)), area);
}
