//! The parts around every screen: the header (clock, realm, operator, counters), the
//! screen tabs, the footer (status, filter, key hints) and the first-start welcome.

use super::style::Theme;
use crate::domain::names::Named;
use crate::text::width;
use crate::ui::action::Action;
use crate::ui::app::{App, Mode, Screen};
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Clock, realm banner, counters and who is signed in, on one line.
pub fn header(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let local = app.now.with_timezone(&app.settings.tz);
    let now = |date: bool| local.format(if date { "%Y-%m-%d %H:%M:%S" } else { "%H:%M:%S" }).to_string();
    let realm = |name_w: usize| {
        if app.settings.realm == "live" {
            return Span::styled(format!(" {} ", M::Live.t(l)), theme.live());
        }
        let ctl = app
            .drill
            .control
            .as_ref()
            .map(|c| match (c.clock.ended(), c.clock.paused()) {
                (true, _) => format!(" {}", M::DrillEndedTag.t(l)),
                (false, true) => format!(" ×{} ⏸", c.clock.speed()),
                (false, false) => format!(" ×{}", c.clock.speed()),
            })
            .unwrap_or_default();
        let name = app
            .drill
            .control
            .as_ref()
            .and_then(|c| c.name())
            .unwrap_or(app.settings.realm.trim_start_matches("drill:"));
        Span::styled(format!(" DRILL {}{ctl} ", crate::text::truncate(name, name_w)), theme.overdue())
    };
    let overdue = app.model.overdue(app.now);
    let waiting = app.settings.queue_alert.map_or(0, |a| app.model.waiting_since_before(app.now - a));
    let mut counters = Vec::new();
    if !app.lists.marked.is_empty() {
        counters.push(Span::styled(format!(" {} {} ", M::Marked.t(l), app.lists.marked.len()), theme.accent()));
    }
    counters.push(Span::raw(format!(" {} {} ", M::NewItems.t(l), app.model.items.len())));
    if waiting > 0 {
        counters.push(Span::styled(format!("{} {waiting} ", M::WaitingLong.t(l)), theme.warn()));
    }
    counters.extend([
        Span::raw(format!("{} {} ", M::OpenCases.t(l), app.model.cases.len())),
        Span::styled(
            format!("{} {}", M::Overdue.t(l), overdue),
            if overdue > 0 { theme.danger() } else { theme.plain() },
        ),
        Span::raw(format!(" {} {}", M::DueSoon.t(l), app.model.due_soon(app.now))),
    ]);
    let right: usize = counters.iter().map(|s| width(&s.content)).sum();
    // The counters matter most; then the drill's name, the time, the console's name,
    // the date. The first layout that fits, from the fullest.
    let layouts = [
        (usize::MAX, true, true),
        (usize::MAX, false, true),
        (16, false, true),
        (usize::MAX, false, false),
        (16, false, false),
    ];
    let layout = |&(name_w, date, title): &(usize, bool, bool)| {
        let mut spans = Vec::new();
        if title {
            spans.push(Span::styled(format!("{} ", M::AppName.t(l)), theme.title()));
        }
        spans.extend([realm(name_w), Span::raw(format!(" {} ", now(date)))]);
        spans
    };
    let fits = |s: &Vec<Span>| s.iter().map(|s| width(&s.content)).sum::<usize>() + right <= area.width as usize;
    let mut spans = layouts.iter().map(layout).find(fits).unwrap_or_else(|| layout(&(6, false, false)));
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    if used + right < area.width as usize {
        spans.push(Span::raw(" ".repeat(area.width as usize - used - right)));
        spans.extend(counters);
    } else {
        spans.extend(counters);
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The screen tabs, with the operator at the right; while locked, neither the
/// operator nor the last case's tab.
pub fn tabs(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let on = |active: bool| if active { theme.selected() } else { theme.dim() };
    let mut spans = vec![
        Span::styled(format!(" 1 {} ", M::Queue.t(l)), on(matches!(app.screen, Screen::Queue | Screen::Item(_)))),
        Span::raw(" "),
        Span::styled(format!(" 2 {} ", M::Cases.t(l)), on(app.screen == Screen::Cases)),
        Span::raw(" "),
        Span::styled(format!(" 3 {} ", M::Departments.t(l)), on(app.screen == Screen::Departments)),
    ];
    // Locked, nothing says who was signed in or what they had open.
    let locked = app.sign_in.locked;
    if let Some(no) = app.lists.last_case.as_ref().filter(|_| !locked) {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!(" 4 {no} "), on(matches!(app.screen, Screen::Case(_)))));
    }
    spans.push(Span::raw(" "));
    spans.push(Span::styled(format!(" 5 {} ", M::Supervision.t(l)), on(app.screen == Screen::Supervision)));
    let tabs_w: usize = spans.iter().map(|s| width(&s.content)).sum();
    // The officer signed in stays: in full if it fits, else shorter.
    let o = &app.operator;
    let who = if locked {
        String::new()
    } else {
        [format!("{} {} ({}) ", o.name, o.id, role_label(app)), format!("{} {} ", o.name, o.id), format!("{} ", o.id)]
            .into_iter()
            .find(|w| tabs_w + 1 + width(w) <= area.width as usize)
            .unwrap_or_else(|| format!("{} ", o.id))
    };
    let room = (area.width as usize).saturating_sub(width(&who));
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let mut sync = sync_spans(app, theme);
    if used + sync.iter().map(|s| width(&s.content)).sum::<usize>() > room {
        // Too wide beside the officer's name: the peers in brief, the name stays.
        sync = sync_brief(app, theme);
    }
    spans.extend(sync);
    if app.sync.forks > 0 {
        spans.push(Span::styled(format!("  ⚠{} {}", M::Forks.t(l), app.sync.forks), theme.danger()));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    if used + width(&who) <= area.width as usize {
        spans.push(Span::raw(" ".repeat(area.width as usize - used - width(&who))));
    } else {
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(who, theme.dim()));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `同步 ✓2 ✗1`: how many peers are connected and how many are not.
fn sync_brief(app: &App, theme: Theme) -> Vec<Span<'static>> {
    if app.sync.peers.is_empty() {
        return vec![];
    }
    let up = app.sync.peers.iter().filter(|p| p.connected).count();
    let down = app.sync.peers.len() - up;
    let style = if down > 0 { theme.warn() } else { theme.ok() };
    vec![Span::styled(format!("  {} ✓{up} ✗{down}", M::Sync.t(app.lang)), style)]
}

/// Each sync peer: connected (and how far behind), or retrying since when; clock skew.
fn sync_spans(app: &App, theme: Theme) -> Vec<Span<'static>> {
    let l = app.lang;
    let mut spans = Vec::new();
    if !app.sync.peers.is_empty() {
        spans.push(Span::raw(format!("  {}:", M::Sync.t(l))));
        for p in &app.sync.peers {
            let name = p.console.clone().unwrap_or_else(|| p.name.clone());
            if p.connected {
                let behind = if p.behind > 0 { format!("({} {})", M::Behind.t(l), p.behind) } else { String::new() };
                spans.push(Span::styled(format!(" {name}✓{behind}"), theme.ok()));
            } else {
                let since = p.since.with_timezone(&app.settings.tz).format("%H:%M");
                spans.push(Span::styled(format!(" {name}✗{} {since}", M::Retrying.t(l)), theme.warn()));
            }
            if p.skew_ms.abs() > crate::sync::node::SKEW_WARN_MS {
                spans.push(Span::styled(
                    format!(" ⚠{} {}", M::Skew.t(l), crate::timefmt::offset(p.skew_ms)),
                    theme.danger(),
                ));
            }
        }
    }
    spans
}

fn role_label(app: &App) -> &'static str {
    match app.lang {
        crate::i18n::Lang::Zh => app.operator.role.zh(),
        crate::i18n::Lang::En => app.operator.role.name(),
    }
}

/// The status message, the filter being typed, or key hints from the active keymap, in
/// rows `cols` cells wide: one, or up to three for a message too long for one.
pub fn footer(app: &App, theme: Theme, cols: usize) -> Vec<Line<'static>> {
    let line = if let Mode::Filter(input) = &app.mode {
        Line::from(vec![
            Span::styled("/", theme.accent()),
            Span::raw(format!("{}    ", input.value())),
            Span::styled(super::overlay::filter_keys(app), theme.dim()),
        ])
    } else if let Some(why) = trainer_gone(app).filter(|_| !app.status.as_ref().is_some_and(|(_, e)| *e)) {
        // A trainee without its trainer: said over any older news, not over a refusal.
        return super::footer::said(app, theme, &why, theme.error(), cols);
    } else if let Some((text, error)) = &app.status {
        let style = if *error { theme.error() } else { theme.ok() };
        return super::footer::said(app, theme, text, style, cols);
    } else if let Mode::Help { .. } | Mode::Text(_) = &app.mode {
        Line::styled(super::overlay::reader_keys(app), theme.dim())
    } else if let Mode::Handover { .. } = &app.mode {
        Line::styled(crate::ui::handover::hint(app), theme.dim())
    } else if let Mode::Form(_) = &app.mode {
        Line::styled(super::overlay::form_keys(app, cols), theme.dim())
    } else if let Mode::Confirm { .. } = &app.mode {
        Line::styled(super::overlay::confirm_keys(app), theme.dim())
    } else {
        Line::from(super::footer::hints(app, theme, cols))
    };
    vec![line]
}

/// The first start: how items arrive (in a drill: what the drill keys do), and how to
/// practise.
pub fn welcome(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let lines = match &app.drill.control {
        Some(ctl) => drill_welcome(app, ctl, theme),
        None => vec![
            Line::from(Span::styled(M::Welcome.t(l), theme.title())),
            Line::raw(""),
            Line::raw(M::WelcomeBody1.t(l)),
            Line::raw(format!("  • {}", M::WelcomeInbox.t(l))),
            Line::from(Span::styled(format!("    {}", app.settings.inbox.display()), theme.accent())),
            Line::raw(format!("  • {}", M::WelcomeIngest.t(l))),
            Line::raw(""),
            Line::raw(M::WelcomeFormat.t(l)),
            Line::raw(M::WelcomeDrill.t(l)),
        ],
    };
    let area = area.inner(ratatui::layout::Margin::new(2, 1));
    f.render_widget(Paragraph::new(super::wrapped(lines, area.width as usize)), area);
}

/// A drill's empty queue: the scenario, and the trainer's keys from the keymap (a
/// trainee's clock is the trainer's).
fn drill_welcome(app: &App, ctl: &crate::drill::Control, theme: Theme) -> Vec<Line<'static>> {
    let l = app.lang;
    let name = ctl.scenario.as_ref().map_or(String::new(), |s| s.name.clone());
    let mut lines =
        vec![Line::from(Span::styled(format!("{} {name}", M::DrillWelcome.t(l)), theme.title())), Line::raw("")];
    if app.drill.follow {
        lines.push(Line::raw(M::DrillTrainee.t(l)));
        return lines;
    }
    lines.push(Line::raw(M::DrillTrainer.t(l)));
    for a in [Action::DrillPause, Action::DrillSpeed, Action::DrillNext, Action::DrillInject, Action::DrillScore] {
        if let Some(k) = app.settings.keymap.keys_for(crate::ui::keymap::Scope::Global, a).first() {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:>4} ", k.to_string()), theme.accent()),
                Span::raw(a.help(l).to_string()),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(M::DrillJoin.t(l)));
    lines
}

/// On a trainee's console with no trainer connected (and the drill not over): that the
/// drill waits for the trainer, and why the connection is not up (a refusal such as a
/// realm mismatch, or the trainer gone).
fn trainer_gone(app: &App) -> Option<String> {
    app.drill.control.as_ref().filter(|c| app.drill.follow && !c.clock.ended())?;
    if app.sync.peers.iter().any(|p| p.connected) {
        return None;
    }
    let why = app.sync.peers.iter().find_map(|p| p.error.as_deref().map(|e| peer_error(e, app.lang)));
    let colon = app.lang.t("：", ": ");
    Some(match why {
        Some(why) => format!("{}{colon}{why}", M::DrillTrainerGone.t(app.lang)),
        None => M::DrillTrainerGone.t(app.lang).to_string(),
    })
}

/// Why the trainer cannot be reached, as a trainee reads it: the common causes in
/// Chinese for a Chinese console (the realms named from the trainee's side), anything
/// else as the sync layer said it.
fn peer_error(e: &str, lang: crate::i18n::Lang) -> String {
    if lang == crate::i18n::Lang::En {
        return e.to_string();
    }
    let realms: Vec<&str> = e.split('`').skip(1).step_by(2).collect();
    if e.contains("realm mismatch")
        && let [a, b] = realms[..]
    {
        // "this console" is whoever refused: the trainer when the peer refused.
        let (mine, trainer) = if e.starts_with("refused by the peer") { (b, a) } else { (a, b) };
        let stem = |r: &'_ str| r.trim_start_matches("drill:").to_string();
        return format!("剧本不同：本机 {}，培训员 {}", stem(mine), stem(trainer));
    }
    let lower = e.to_lowercase();
    if lower.contains("is connected already") {
        "同名控制台已连接：两台机器用了同一份证书".into()
    } else if lower.contains("connection refused") {
        "连不上培训员：对方控制台未运行".into()
    } else if lower.contains("timed out") || lower.contains("timeout") {
        "连接培训员超时".into()
    } else if lower.contains("closed") || lower.contains("reset") || lower.contains("broken pipe") {
        "与培训员的连接已断开".into()
    } else {
        e.to_string()
    }
}
