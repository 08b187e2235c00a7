//! The footer's key hints: what the screen offers the signed-in role, most needed
//! first, as many as fit the width; help and quit always, at the end — also after a
//! status message or a drill's warning, which take the rest of the line (and up to two
//! more rows when they are longer).

use super::style::Theme;
use crate::text::width;
use crate::ui::action::Action;
use crate::ui::app::{App, Screen};
use crate::ui::keymap::Key;
use ratatui::text::{Line, Span};

/// The actions a screen offers, most needed first; the rest of its keymap section
/// follows in help order.
fn priority(screen: &Screen) -> &'static [Action] {
    use Action as A;
    match screen {
        Screen::Queue => {
            &[A::Open, A::OpenCase, A::DismissItem, A::AttachItem, A::ToggleMark, A::UndoDismiss, A::Filter]
        }
        Screen::Item(_) => &[A::OpenCase, A::AttachItem, A::DismissItem, A::Back],
        Screen::Cases => &[A::Open, A::Filter, A::Escalate, A::Publish],
        Screen::Case(_) => &[A::Draft, A::Approve, A::Publish, A::ReportCounty, A::AddNote, A::CloseCase, A::Back],
        Screen::Departments => {
            &[A::Open, A::RecordMonitoring, A::Filter, A::Period, A::CustomPeriod, A::SortDepartments, A::ExportReport]
        }
        Screen::Supervision => &[A::Open, A::Extend, A::Approve, A::Escalate, A::ScreenCases],
    }
}

/// The hints that fit in `cols` cells: `o 登记舆情事项  ?  帮助  q 退出`.
pub fn hints(app: &App, theme: Theme, cols: usize) -> Vec<Span<'static>> {
    let (l, scope) = (app.lang, app.screen.scope());
    let key = |a: Action| app.settings.keymap.keys_for(scope, a).first().map(Key::to_string);
    let own: Vec<Action> = app
        .settings
        .keymap
        .bindings
        .get(&scope)
        .filter(|_| scope != crate::ui::keymap::Scope::Global)
        .map(|m| {
            let mut v: Vec<Action> = m.values().copied().collect();
            v.sort();
            v.dedup();
            v
        })
        .unwrap_or_default();
    let mut wanted: Vec<Action> = priority(&app.screen).to_vec();
    for a in own {
        if !wanted.contains(&a) {
            wanted.push(a);
        }
    }
    wanted.push(Action::SwitchOperator);
    let always = [Action::Help, Action::Quit];
    let cell =
        |a: Action| key(a).map(|k| (k.clone(), a.help_in(scope, l), width(&k) + 1 + width(a.help_in(scope, l)) + 2));
    let reserved: usize = always.iter().filter_map(|a| cell(*a)).map(|c| c.2).sum();
    let mut used = reserved;
    let mut shown = Vec::new();
    for a in wanted.into_iter().filter(|a| a.allowed(app.operator.role)) {
        if let Some(c) = cell(a)
            && used + c.2 <= cols
        {
            used += c.2;
            shown.push(c);
        }
    }
    shown.extend(always.iter().filter_map(|a| cell(*a)));
    let mut spans = Vec::new();
    for (k, help, _) in shown {
        spans.push(Span::styled(k, theme.accent()));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    spans
}

/// Rows a message takes at most; a longer one is cut at the end of the last.
const MESSAGE_ROWS: usize = 3;

/// A message (a status, a drill's warning) before help and quit, so `?` stays visible
/// whatever is said: on one row when it fits, else wrapped over up to three, the keys at
/// the end of the first (a refusal may quote wording the officer must read in full).
pub fn said(app: &App, theme: Theme, text: &str, style: ratatui::style::Style, cols: usize) -> Vec<Line<'static>> {
    let l = app.lang;
    // In a form or a question `?` and `q` are typed or answer: no hints there.
    let normal = matches!(app.mode, crate::ui::app::Mode::Normal);
    let keys: Vec<(String, &str)> = [Action::Help, Action::Quit]
        .into_iter()
        .filter(|_| normal)
        .filter_map(|a| app.settings.keymap.keys_for(app.screen.scope(), a).first().map(|k| (k.to_string(), a.help(l))))
        .collect();
    let tail: usize = keys.iter().map(|(k, h)| width(k) + 1 + width(h) + 2).sum();
    let room = cols.saturating_sub(tail + 2).max(1);
    let mut rows: Vec<String> = text.lines().flat_map(|p| crate::ui::wrap::lines(p, room)).collect();
    if rows.is_empty() {
        rows.push(String::new());
    }
    if rows.len() > MESSAGE_ROWS {
        rows.truncate(MESSAGE_ROWS);
        let last = &mut rows[MESSAGE_ROWS - 1];
        *last = crate::text::truncate(&format!("{last}…"), room);
    }
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        if i > 0 {
            lines.push(Line::styled(row, style));
            continue;
        }
        let mut spans = vec![Span::styled(format!("{}  ", crate::text::fit(&row, room)), style)];
        for (k, help) in &keys {
            spans.push(Span::styled(k.clone(), theme.accent()));
            spans.push(Span::raw(format!(" {help}  ")));
        }
        lines.push(Line::from(spans));
    }
    lines
}
