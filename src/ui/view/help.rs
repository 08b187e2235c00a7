//! The help overlay, generated from the active keymap so it cannot drift from it:
//! every binding, grouped by where it applies; who may take each action comes from the
//! domain's permission table, and what the signed-in role may not take is marked.

use super::overlay::popup;
use super::style::Theme;
use crate::domain::names::Named;
use crate::i18n::Lang;
use crate::text::fit;
use crate::ui::app::App;
use crate::ui::keymap::{Key, Scope};
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
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
        Scope::Supervision => M::SupervisionScreen.t(l),
        Scope::Form => M::FormScope.t(l),
        Scope::Dialog => M::DialogScope.t(l),
    }
}

/// The help lines: what the marks mean, then per scope each action with all its keys;
/// `✗` (and dimmed) where the signed-in role may not take it.
pub fn lines(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let (l, role) = (app.lang, app.operator.role);
    let role_name = if l == Lang::Zh { role.zh() } else { role.name() };
    let mut out = vec![
        Line::styled(format!("{}{role_name}", M::YourRole.t(l)), theme.dim()),
        Line::styled(M::HelpMarks.t(l), theme.dim()),
        Line::raw(""),
    ];
    for scope in Scope::ALL {
        let Some(map) = app.settings.keymap.bindings.get(&scope) else { continue };
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
            let allowed = a.allowed(role);
            let line = Line::from(vec![
                Span::raw(format!("{} {} ", if allowed { " " } else { "✗" }, fit(&keys.join(" "), 16))),
                Span::raw(a.help_in(scope, l).to_string()),
                Span::raw(a.who_may(l).unwrap_or_default()),
            ]);
            out.push(if allowed { line } else { line.style(theme.dim()) });
        }
        out.push(Line::raw(""));
    }
    out
}

/// The help over the screen: wide enough for the longest line where the terminal allows,
/// scrolled no further than its last page.
pub fn help(app: &App, theme: Theme, f: &mut Frame, scroll: u16) {
    let all = lines(app, theme);
    let widest = all.iter().map(|l| l.width()).max().unwrap_or(0) as u16 + 2;
    let area =
        popup(f.area(), widest.clamp(64, f.area().width.saturating_sub(2).max(64)), f.area().height.saturating_sub(2));
    super::overlay::clear(f, area);
    let last = (all.len() as u16).saturating_sub(area.height.saturating_sub(2));
    let block =
        Block::default().borders(Borders::ALL).title(Span::styled(format!(" {} ", M::Help.t(app.lang)), theme.title()));
    f.render_widget(Paragraph::new(all).block(block).scroll((scroll.min(last), 0)), area);
}
