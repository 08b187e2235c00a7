//! The shift handover (交接班). `Ctrl-O` gathers the outgoing officer's summary — their
//! own actions at this terminal first, then open cases by nearest deadline, overdue
//! cases, items waiting oldest first — and shows it to scroll through. `Enter` locks
//! the terminal for the incoming officer; once they have signed in, the handover is
//! recorded as the outgoing officer (`HandOver` naming the incoming one) and saved as
//! Markdown naming both. Nothing is recorded if the outgoing officer signs back in or
//! the sign-in is cancelled.

use super::action::Action;
use super::app::{App, Mode};
use super::keymap::{Key, Scope};
use super::strings::M;
use super::update::Effect;
use crate::domain::command::Command;
use crate::domain::names::Named;
use crate::domain::role::Operator;
use crate::i18n::Lang;
use ratatui::crossterm::event::KeyEvent;

/// Entries listed per section; the rest are counted.
const LIST_MAX: usize = 100;

/// One shift's summary, gathered when the outgoing officer asks to hand over.
#[derive(Debug, Clone)]
pub struct Handover {
    /// The outgoing officer (交班人).
    pub from: Operator,
    lang: Lang,
    /// When it was gathered, as shown.
    at: String,
    own: Vec<String>,
    open: Vec<String>,
    overdue: Vec<String>,
    waiting: Vec<String>,
}

fn who(op: &Operator, lang: Lang) -> String {
    let role = if lang == Lang::Zh { op.role.zh() } else { op.role.name() };
    format!("{} {} ({role})", op.name, op.id)
}

impl Handover {
    /// The summary of the officer signed in, from what the console holds now.
    pub fn gather(app: &App) -> Handover {
        let (l, now) = (app.lang, app.now);
        let time =
            |d: chrono::DateTime<chrono::Utc>| d.with_timezone(&app.settings.tz).format("%m-%d %H:%M").to_string();
        let case_line = |no: &String| {
            let c = &app.model.cases[no];
            let next = c.next_milestone().map(|m| crate::describe::milestone_state(m, now, l)).unwrap_or_default();
            // A field with nothing to say (no deadline left) is left out, dash and all.
            let fields = [crate::text::one_line(&c.title), app.dept(&c.lead).to_string(), next];
            let fields: Vec<&str> = fields.iter().map(|f| f.trim()).filter(|f| !f.is_empty()).collect();
            format!("{no} {}", fields.join(" — "))
        };
        let mut waiting: Vec<_> = app.model.items.values().collect();
        // Oldest first; items received together by number (A.9 before A.10).
        waiting.sort_by(|a, b| {
            a.received_at.cmp(&b.received_at).then_with(|| crate::domain::item::by_number(&a.id, &b.id))
        });
        Handover {
            from: app.operator.clone(),
            lang: l,
            at: app.now.with_timezone(&app.settings.tz).format("%Y-%m-%d %H:%M").to_string(),
            own: app.shift.get(&app.operator.id).cloned().unwrap_or_default(),
            open: app.model.case_order.iter().map(case_line).collect(),
            overdue: app.model.case_order[..app.model.overdue(now)].iter().map(case_line).collect(),
            waiting: waiting
                .into_iter()
                .map(|i| {
                    let channel = if l == Lang::Zh { i.fields.channel.zh() } else { i.fields.channel.name() };
                    format!("{} {} [{channel}] {}", i.id, time(i.received_at), crate::text::one_line(&i.fields.title))
                })
                .collect(),
        }
    }

    /// The summary as Markdown; `to` is the incoming officer once known.
    pub fn markdown(&self, to: Option<&Operator>) -> String {
        let l = self.lang;
        let incoming = to.map_or_else(|| M::HandoverNobodyYet.t(l).to_string(), |op| who(op, l));
        let mut s = format!(
            "# {} {}\n\n{}: {}\n{}: {incoming}\n",
            M::HandoverTitle.t(l),
            self.at,
            M::HandedOverBy.t(l),
            who(&self.from, l),
            M::TakenOverBy.t(l),
        );
        for (title, lines) in [
            (M::HandoverOwn, &self.own),
            (M::HandoverOpen, &self.open),
            (M::HandoverOverdue, &self.overdue),
            (M::HandoverWaiting, &self.waiting),
        ] {
            s.push_str(&format!("\n## {} ({})\n\n", title.t(l), lines.len()));
            for line in lines.iter().take(LIST_MAX) {
                s.push_str(&format!("- {line}\n"));
            }
            if lines.len() > LIST_MAX {
                s.push_str(&format!("- … {} {}\n", lines.len() - LIST_MAX, M::More.t(l)));
            }
        }
        s
    }
}

/// One line of what an officer did this shift: the time, the case or item it was on,
/// and what was done (`10:21 A-0002 已报告县政府 …`); the summary lists these.
pub fn shift_line(app: &App, ev: &crate::domain::Event) -> String {
    let at = ev.at().with_timezone(&app.settings.tz).format("%H:%M");
    let what = crate::describe::event_named(ev, app.lang, &app.settings.directory);
    match crate::describe::subject(ev) {
        Some(on) => format!("{at} {on} {what}"),
        None => format!("{at} {what}"),
    }
}

/// `Ctrl-O`: shows the signed-in officer's summary.
pub fn start(app: &mut App) {
    let handover = Handover::gather(app);
    let summary = handover.markdown(None);
    app.mode = Mode::Handover { handover: Box::new(handover), summary, scroll: 0 };
}

/// The summary pop-up's width at most.
pub const WIDTH: u16 = 76;

/// The summary's rows as the pop-up shows them on a terminal `cols` wide: each line
/// wrapped, not cut, so nothing (a countdown at a line's end) is lost.
pub fn rows(summary: &str, cols: u16) -> Vec<String> {
    let w = WIDTH.min(cols).saturating_sub(2).max(1) as usize;
    summary.lines().flat_map(|l| super::wrap::lines(l, w)).collect()
}

/// A key on the summary: scroll (the keymap's moves), confirm (`open`) or cancel (`back`).
pub fn key(app: &mut App, handover: Box<Handover>, summary: String, scroll: u16, k: &KeyEvent) -> Vec<Effect> {
    let action = Key::from_event(k).and_then(|key| app.settings.keymap.action(Scope::Global, &key));
    // The popup shows a row more than a list does (`page_rows`); the last page fills it.
    let page = app.viewport.page_rows.max(1) as isize;
    let last = (rows(&summary, app.viewport.cols).len() as isize - page - 1).max(0);
    let by = match action {
        Some(Action::Open) => {
            let line = format!("{} handed over; waiting for the incoming officer to sign in", handover.from.id);
            app.sign_in.handing = Some(handover);
            let required = app.sign_in.required;
            app.lock();
            // Without PINs the sign-in can be cancelled, which cancels the handover.
            app.sign_in.locked = required;
            return vec![Effect::Log(line)];
        }
        Some(Action::Back) => return vec![],
        Some(Action::Up) => -1,
        Some(Action::Down) => 1,
        Some(Action::PageUp) => -page,
        Some(Action::PageDown) => page,
        Some(Action::Top) => -last,
        Some(Action::Bottom) => last,
        _ => 0,
    };
    let scroll = (scroll as isize + by).clamp(0, last) as u16;
    app.mode = Mode::Handover { handover, summary, scroll };
    vec![]
}

/// Someone signed in while a handover waited: records it if they are another officer.
pub fn taken_over(app: &mut App, incoming: &Operator) -> Vec<Effect> {
    let Some(h) = app.sign_in.handing.take() else { return vec![] };
    if h.from.id == incoming.id {
        app.set_status(M::HandoverSameOfficer.t(app.lang), false);
        return vec![Effect::Log(format!("{} signed in again; no handover recorded", h.from.id))];
    }
    let summary = h.markdown(Some(incoming));
    app.shift.remove(&h.from.id);
    let record = Command::HandOver { to: incoming.id.clone(), summary: summary.clone() };
    vec![
        Effect::Log(format!("handover from {} to {}", h.from.id, incoming.id)),
        Effect::Run(h.from.clone(), vec![record]),
        Effect::ExportHandover(summary),
    ]
}

/// The sign-in that was to take a handover over was cancelled (possible only without PINs).
pub fn cancelled(app: &mut App) {
    if app.sign_in.handing.take().is_some() {
        app.set_status(M::HandoverCancelled.t(app.lang), false);
    }
}

/// The keys of the summary, from the keymap: `Enter 记录交接并换人  Esc 取消  Up/Down/… 滚动`.
pub fn hint(app: &App) -> String {
    let l = app.lang;
    let first = |a| app.settings.keymap.keys_for(Scope::Global, a).first().map(Key::to_string).unwrap_or_default();
    let moves: Vec<String> =
        [Action::Up, Action::Down, Action::PageUp, Action::PageDown].into_iter().map(first).collect();
    format!(
        "{} {}  {} {}  {} {}",
        first(Action::Open),
        M::HandoverConfirm.t(l),
        first(Action::Back),
        M::Cancel.t(l),
        moves.join("/"),
        M::Scroll.t(l)
    )
}
