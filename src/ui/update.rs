//! `update`: every message (a key, a tick, an applied event, an answer) changes the
//! state and returns effects for the console process (`src/console`) to carry out. No
//! IO happens here, nor anything slow: a PIN is checked, the drill clock steered and
//! the inbox scanned as effects whose results come back as messages.

use super::action::Action;
use super::app::{App, Confirmed, Mode, PeriodKind, Screen};
use super::form::{FormKey, Purpose};
use super::forms;
use super::handover;
use super::keymap::{Key, Scope};
pub use super::message::{Effect, Msg};
use super::signin;
use super::strings::M;
use crate::desk::Answer;
use crate::domain::command::Command;
use crate::domain::event::{Event, EventBody};
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

/// Applies a message; returns what the runtime must do.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => key(app, k),
        Msg::Mouse(m) => mouse(app, m),
        Msg::Tick(now) => tick(app, now),
        Msg::Resized { cols, rows } => {
            app.viewport.cols = cols;
            app.viewport.page_rows = rows;
            vec![]
        }
        Msg::Network { peers, forks } => {
            app.sync.forks = forks;
            let out = super::drill::network(app, &peers);
            // A trainee whose trainer just went away: older news gives way to saying so.
            let was_up = app.sync.peers.iter().any(|p| p.connected);
            if app.drill.follow && was_up && !peers.iter().any(|p| p.connected) {
                app.status = None;
            }
            app.sync.peers = peers;
            out
        }
        Msg::PinChecked { id, ok } => {
            let out = signin::checked(app, &id, ok);
            back_to_form(app, out)
        }
        Msg::DrillSteered(s) => super::drill::steered(app, s),
        Msg::InboxScanned(outcomes) => {
            app.busy.scanning = false;
            for o in outcomes {
                let (text, error) = super::status::inbox(o, app.lang);
                app.set_status(text, error);
            }
            vec![]
        }
        Msg::Applied(ev) => {
            if let Some(meanwhile) = app.busy.loading.as_mut() {
                meanwhile.push(ev.clone());
            }
            applied(app, &ev)
        }
        Msg::Answered(a) => answered(app, a),
        Msg::CaseLoaded(mut view) => {
            if app.model.cases.contains_key(&view.case.no) {
                // An open case's items are what the near-duplicate hints know it by (a
                // reopened case's come back this way).
                for it in &view.items {
                    let text = crate::triage::item_text(&it.fields.title, &it.fields.body);
                    app.triage.case_item(&view.case.no, &it.id, &text);
                }
            }
            if matches!(&app.screen, Screen::Case(no) if *no == view.case.no) {
                // The same case again (it changed): where the officer was reading.
                if let Some(old) = app.lists.case_view.as_ref().filter(|v| v.case.no == view.case.no) {
                    view.scroll = old.scroll;
                }
                app.lists.case_view = Some(*view);
            }
            vec![]
        }
        Msg::CaseRefreshed(case) => {
            if !case.is_open() {
                closed_now(app, (*case).clone());
            }
            let no = case.no.clone();
            app.model.put_case(*case);
            refresh_lists(app);
            // Reopened: its items' texts are read again for the hints.
            if app.triage.wants_texts(&no) { vec![Effect::LoadCase(no)] } else { vec![] }
        }
        Msg::Reloaded(model) => {
            app.model = *model;
            // The hints start again on the new model, as after a restart (the event loop
            // works through them between frames).
            app.triage.reset(&mut app.model);
            refresh_lists(app);
            vec![]
        }
        Msg::CaseTexts(texts) => {
            for (case, id, text) in texts {
                app.triage.case_item(&case, &id, &text);
            }
            vec![]
        }
        Msg::QueueLoaded(items) => {
            app.model.merge_queue(items, &app.busy.loading.take().unwrap_or_default());
            app.triage.reset(&mut app.model);
            refresh_lists(app);
            vec![]
        }
        Msg::ClosedLoaded(cases) => {
            app.lists.closed = cases;
            refresh_lists(app);
            vec![]
        }
        Msg::DepartmentsLoaded(rows) => {
            app.lists.departments.rows = rows;
            app.lists.departments.loading = false;
            sort_departments(app);
            vec![]
        }
        Msg::Show(body) => {
            app.mode = Mode::Text(super::reader::Reader::new(body));
            vec![]
        }
        Msg::Notice(text, error) => {
            app.set_status(text, error);
            vec![]
        }
    }
}

fn key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    if k.kind == ratatui::crossterm::event::KeyEventKind::Release {
        return vec![];
    }
    app.sign_in.last_input = app.now;
    match std::mem::replace(&mut app.mode, Mode::Normal) {
        Mode::Normal => {}
        Mode::Help { scroll } => {
            let page = app.viewport.page_rows.max(1) as u16;
            // At most a line per binding and two per section (the view stops the text at
            // its last page; this keeps Up from having to come back from far below).
            let lines: usize = app.settings.keymap.bindings.values().map(|m| m.len() + 2).sum::<usize>() + 4;
            let last = (lines as u16).saturating_sub(page);
            let scroll = scroll.min(last);
            app.mode = match dialog_action(app, &k) {
                Some(Action::Down) => Mode::Help { scroll: scroll + 1 },
                Some(Action::Up) => Mode::Help { scroll: scroll.saturating_sub(1) },
                Some(Action::PageDown) => Mode::Help { scroll: (scroll + page).min(last) },
                Some(Action::Bottom) => Mode::Help { scroll: last },
                Some(Action::PageUp) => Mode::Help { scroll: scroll.saturating_sub(page) },
                Some(Action::Top) => Mode::Help { scroll: 0 },
                // Opened from a form: back to it, as it was.
                _ => app.pending_form.take().map_or(Mode::Normal, Mode::Form),
            };
            return vec![];
        }
        Mode::Confirm { yes, .. } => {
            let own = Key::from_event(&k).and_then(|key| app.settings.keymap.own(Scope::Dialog, &key));
            return match own {
                Some(Action::Confirm) => match yes {
                    Confirmed::Quit => vec![Effect::Quit],
                    Confirmed::Submit => submit(app),
                },
                _ => {
                    if let Some(f) = app.pending_form.take() {
                        app.mode = Mode::Form(f);
                    }
                    vec![]
                }
            };
        }
        Mode::Text(mut reader) => {
            // The pop-up's rows and inner width, as the view draws it.
            let (rows, w) = (
                app.viewport.page_rows + 1,
                app.viewport.cols.min(super::reader::MAX_WIDTH).saturating_sub(2) as usize,
            );
            if reader.key(dialog_action(app, &k), rows, w) {
                app.mode = Mode::Text(reader);
            }
            return vec![];
        }
        Mode::Handover { handover, summary, scroll } => return handover::key(app, handover, summary, scroll, &k),
        Mode::Filter(mut input) => {
            // A filter ends as a form does: submit keeps it, cancel clears it.
            match Key::from_event(&k).and_then(|key| app.settings.keymap.own(Scope::Form, &key)) {
                Some(Action::Cancel) => set_filter(app, String::new()),
                Some(Action::Submit) => {}
                _ => {
                    if let Some(req) = to_input_request(&ratatui::crossterm::event::Event::Key(k)) {
                        input.handle(req);
                    }
                    set_filter(app, input.value().to_string());
                    app.mode = Mode::Filter(input);
                }
            }
            return vec![];
        }
        Mode::Form(mut form) => {
            // A global quit key with Ctrl or Alt (C-c) still quits from a form; plain
            // keys type.
            let key = Key::from_event(&k).filter(|key| key.ctrl || key.alt);
            if key.and_then(|key| app.settings.keymap.own(Scope::Global, &key)) == Some(Action::Quit) {
                let dirty = form.dirty();
                app.mode = Mode::Form(form);
                return ask_quit(app, dirty);
            }
            if form.purpose == Purpose::SignIn && app.waiting() {
                // Typed during the wait after a wrong PIN: thrown away, not kept for later.
                app.mode = Mode::Form(form);
                return vec![];
            }
            let own = Key::from_event(&k).and_then(|key| app.settings.keymap.own(Scope::Form, &key));
            if own == Some(Action::Help) && form.purpose != Purpose::SignIn {
                // The help over the form; closing it comes back to the form.
                app.pending_form = Some(form);
                app.mode = Mode::Help { scroll: app.settings.keymap.help_line_of(Scope::Form) };
                return vec![];
            }
            let wrap = form.value_width(app.viewport.cols, app.lang);
            return match form.key(&k, own, wrap) {
                FormKey::Stay => {
                    app.mode = Mode::Form(form);
                    vec![]
                }
                FormKey::Cancel if app.sign_in.locked => {
                    app.mode = Mode::Form(form);
                    vec![]
                }
                FormKey::Cancel => {
                    if form.purpose == Purpose::SignIn {
                        handover::cancelled(app);
                    }
                    if let Some(before) = form.marks_before {
                        app.lists.marked = before;
                        app.status = None;
                    }
                    vec![]
                }
                FormKey::Submit if app.busy.awaiting => {
                    // The previous submission is still being saved: no second copy.
                    app.mode = Mode::Form(form);
                    vec![]
                }
                FormKey::Submit => {
                    let closing = matches!(form.purpose, Purpose::Case { action: Action::CloseCase, .. });
                    app.mode = Mode::Form(form);
                    if closing {
                        app.pending_form = match std::mem::replace(&mut app.mode, Mode::Normal) {
                            Mode::Form(f) => Some(f),
                            _ => None,
                        };
                        app.mode = Mode::Confirm { question: M::ConfirmClose, yes: Confirmed::Submit };
                        vec![]
                    } else {
                        submit(app)
                    }
                }
            };
        }
    }
    let Some(key) = Key::from_event(&k) else { return vec![] };
    match app.settings.keymap.action(app.screen.scope(), &key) {
        Some(a) => action(app, a),
        None => vec![],
    }
}

/// What a key means in a dialog: its own keys first, then the global ones (moves).
fn dialog_action(app: &App, k: &KeyEvent) -> Option<Action> {
    Key::from_event(k).and_then(|key| {
        app.settings.keymap.own(Scope::Dialog, &key).or(app.settings.keymap.action(Scope::Global, &key))
    })
}

fn ask_quit(app: &mut App, dirty: bool) -> Vec<Effect> {
    if dirty {
        if let Mode::Form(f) = std::mem::replace(&mut app.mode, Mode::Normal) {
            app.pending_form = Some(f);
        }
        app.mode = Mode::Confirm { question: M::ConfirmQuit, yes: Confirmed::Quit };
        vec![]
    } else {
        vec![Effect::Quit]
    }
}

/// Sends the open form's commands; the form stays until the desk answers.
fn submit(app: &mut App) -> Vec<Effect> {
    if let Some(f) = app.pending_form.take() {
        app.mode = Mode::Form(f);
    }
    let Mode::Form(form) = &mut app.mode else { return vec![] };
    if form.purpose == Purpose::SignIn {
        let out = signin::sign_in(app);
        return back_to_form(app, out);
    }
    let Mode::Form(form) = &mut app.mode else { return vec![] };
    if form.purpose == Purpose::Period {
        let parse = |i: usize| crate::timefmt::parse(&form.fields[i].value());
        match (parse(0), parse(1)) {
            (Ok(from), Ok(to)) if from < to => {
                app.lists.departments.period = PeriodKind::Custom { from, to };
                app.mode = Mode::Normal;
                return show_departments(app);
            }
            (Ok(_), Ok(_)) => {
                form.error = Some(app.lang.t("开始须早于结束", "the start must be before the end").into())
            }
            // The field that does not read is named, and the cursor goes to it.
            (Err(_), _) | (_, Err(_)) => {
                let bad = if parse(0).is_err() { 0 } else { 1 };
                let label = form.fields[bad].label.t(app.lang);
                form.error = Some(format!("{label}: {}", M::NotATime.t(app.lang)));
                form.focus = bad;
            }
        }
        return vec![];
    }
    if let Err((field, e)) = forms::check(form, app.now, app.settings.tz, app.lang) {
        // The cursor goes to the field the refusal names.
        form.focus = form.fields.iter().position(|f| f.label == field).unwrap_or(form.focus);
        form.error = Some(e);
        return vec![];
    }
    match form.commands(app.lang) {
        Ok(cmds) => {
            form.error = None;
            app.busy.awaiting = true;
            vec![Effect::Run(app.operator.clone(), cmds)]
        }
        Err(e) => {
            form.error = Some(e);
            vec![]
        }
    }
}

/// After a sign-in: a form the idle lock held for this officer, given back, comes back
/// over what it acts on (its case, its item), whatever the screen was left on meanwhile.
fn back_to_form(app: &mut App, mut out: Vec<Effect>) -> Vec<Effect> {
    let Mode::Form(f) = &app.mode else { return out };
    if f.purpose == Purpose::SignIn || app.sign_in.locked {
        return out;
    }
    let case = f.purpose.case().map(str::to_string);
    let items = f.purpose.items().to_vec();
    if let Some(no) = case {
        out.extend(open_case(app, no));
    } else if let [one] = items.as_slice()
        && app.model.items.contains_key(one)
    {
        app.screen = Screen::Item(one.clone());
    } else if let Some(first) = items.first() {
        app.screen = Screen::Queue;
        app.lists.queue.anchor = Some(first.clone());
        refresh_lists(app);
    }
    out
}

fn answered(app: &mut App, answers: Vec<Answer>) -> Vec<Effect> {
    // Only a submitted form waits for its answer; other commands (a handover) do not.
    let from_form = std::mem::take(&mut app.busy.awaiting);
    let errors: Vec<String> =
        answers.iter().filter_map(|a| a.as_ref().err()).map(|e| super::strings::refusal(e, app.lang)).collect();
    if let Some(ev) = answers.iter().flatten().flatten().next() {
        app.sync.console.get_or_insert_with(|| ev.id.console.clone());
    }
    // Records of the terminal itself (handovers, sign-ins, the drill clock) are no
    // officer's work, and say nothing on screen when they are saved.
    let record = |b: &EventBody| {
        matches!(
            b,
            EventBody::ShiftHandedOver { .. } | EventBody::DrillPaced { .. } | EventBody::SessionRecorded { .. }
        )
    };
    for ev in answers.iter().flatten().flatten() {
        if !record(&ev.body) {
            let line = super::handover::shift_line(app, ev);
            app.shift.entry(ev.operator.clone()).or_default().push(line);
        }
    }
    if errors.is_empty() && !from_form && answers.iter().flatten().flatten().all(|ev| record(&ev.body)) {
        return vec![];
    }
    if errors.is_empty() {
        if from_form && matches!(app.mode, Mode::Form(_)) {
            app.mode = Mode::Normal;
            app.lists.marked.clear();
        }
        let saved: Vec<&Event> = answers.iter().flatten().flatten().collect();
        let undo_key = app.settings.keymap.keys_for(Scope::Queue, Action::UndoDismiss).first().map(Key::to_string);
        let text = super::status::saved(&saved, undo_key, app.lang, &app.settings.directory);
        let dismissed: Vec<String> = saved
            .iter()
            .filter_map(|e| match &e.body {
                EventBody::ItemDismissed { item, .. } => Some(item.clone()),
                _ => None,
            })
            .collect();
        if !dismissed.is_empty() {
            app.lists.undo = Some(super::app::Undo { items: dismissed, at: app.now });
        }
        app.set_status(text, false);
    } else {
        let (colon, semi) = (app.lang.t("：", ": "), app.lang.t("；", "; "));
        let msg = format!("{}{colon}{}", M::Refused.t(app.lang), errors.join(semi));
        match &mut app.mode {
            Mode::Form(f) if from_form => f.error = Some(msg),
            _ => app.set_status(msg, true),
        }
    }
    vec![]
}

/// Carries out one keymap action.
pub fn action(app: &mut App, a: Action) -> Vec<Effect> {
    app.status = None;
    let rows = app.viewport.page_rows.max(1);
    match a {
        Action::Quit => return ask_quit(app, false),
        Action::Help => app.mode = Mode::Help { scroll: 0 },
        Action::DrillPause | Action::DrillSpeed | Action::DrillNext | Action::DrillInject | Action::DrillScore => {
            return super::drill::key(app, a);
        }
        Action::SwitchOperator => handover::start(app),
        Action::ScreenQueue => app.screen = Screen::Queue,
        Action::ScreenSupervision => app.screen = Screen::Supervision,
        Action::ScreenCases => app.screen = Screen::Cases,
        Action::ScreenDepartments => return show_departments(app),
        Action::ScreenLastCase => {
            if let Some(no) = app.lists.last_case.clone() {
                return open_case(app, no);
            }
        }
        Action::NextScreen | Action::PrevScreen => {
            // The tabs in their order: 1 queue, 2 cases, 3 departments, 4 the last case
            // (once one was viewed), 5 supervision.
            let mut order = vec![Action::ScreenQueue, Action::ScreenCases, Action::ScreenDepartments];
            if app.lists.last_case.is_some() {
                order.push(Action::ScreenLastCase);
            }
            order.push(Action::ScreenSupervision);
            let at = match &app.screen {
                Screen::Queue | Screen::Item(_) => Action::ScreenQueue,
                Screen::Cases => Action::ScreenCases,
                Screen::Case(_) => Action::ScreenLastCase,
                Screen::Departments => Action::ScreenDepartments,
                Screen::Supervision => Action::ScreenSupervision,
            };
            let i = order.iter().position(|x| *x == at).unwrap_or(0);
            let n = order.len();
            let next = if a == Action::NextScreen { (i + 1) % n } else { (i + n - 1) % n };
            return action(app, order[next]);
        }
        Action::Up => move_by(app, -1),
        Action::Down => move_by(app, 1),
        Action::PageUp => move_by(app, -(rows as isize)),
        Action::PageDown => move_by(app, rows as isize),
        Action::Top => move_by(app, isize::MIN / 2),
        Action::Bottom => move_by(app, isize::MAX / 2),
        Action::Back => match &app.screen {
            Screen::Item(_) => app.screen = Screen::Queue,
            Screen::Case(_) => app.screen = Screen::Cases,
            Screen::Cases if app.lists.cases_dept.is_some() => {
                app.lists.cases_dept = None;
                refresh_lists(app);
            }
            _ => {
                if !app.current_filter().is_empty() {
                    set_filter(app, String::new());
                }
            }
        },
        Action::Filter => {
            if matches!(app.screen, Screen::Queue | Screen::Cases | Screen::Departments) {
                app.mode = Mode::Filter(Input::new(app.current_filter().to_string()));
            }
            if app.screen == Screen::Cases {
                // A search covers the closed cases too.
                return vec![Effect::LoadClosed];
            }
        }
        Action::ToggleClosed => {
            app.lists.show_closed = !app.lists.show_closed;
            refresh_lists(app);
            if app.lists.show_closed {
                return vec![Effect::LoadClosed];
            }
        }
        Action::Open => return open(app),
        Action::ToggleMark => {
            if let Some(id) = app.selected_item().map(|i| i.id.clone()) {
                if !app.lists.marked.remove(&id) {
                    app.lists.marked.insert(id);
                }
                move_by(app, 1);
            }
        }
        Action::MarkSimilar | Action::AttachGroup => {
            let before = app.lists.marked.clone();
            if let Some(id) = app.selected_item().map(|i| i.id.clone()) {
                let group = app.triage.group(&id);
                app.set_status(format!("{} {}", M::Marked.t(app.lang), group.len()), false);
                app.lists.marked.extend(group);
            }
            if a == Action::AttachGroup {
                let out = item_form(app, Action::AttachItem);
                match &mut app.mode {
                    // Cancelling the form undoes the marking that came with it.
                    Mode::Form(f) => f.marks_before = Some(before),
                    _ => app.lists.marked = before,
                }
                return out;
            }
        }
        Action::SortQueue => {
            let on = !app.model.sort_by_reach;
            app.model.set_sort_by_reach(on);
            refresh_lists(app);
        }
        Action::SortDepartments => {
            app.lists.departments.sort = (app.lists.departments.sort + 1) % super::app::DEPARTMENT_SORTS;
            sort_departments(app);
        }
        Action::Period => {
            app.lists.departments.period = match app.lists.departments.period {
                PeriodKind::Today => PeriodKind::Days7,
                PeriodKind::Days7 => PeriodKind::Days30,
                PeriodKind::Days30 => PeriodKind::All,
                PeriodKind::All | PeriodKind::Custom { .. } => PeriodKind::Today,
            };
            return show_departments(app);
        }
        Action::ExportReport => return vec![Effect::ExportReport(app.lists.departments.period)],
        Action::CustomPeriod => {
            let fields = vec![super::form::Field::text(M::From, true), super::form::Field::text(M::ToTime, true)];
            app.mode = Mode::Form(Box::new(super::form::Form::new(M::Period, Purpose::Period, fields)));
        }
        Action::RecordMonitoring if a.allowed(app.operator.role) => {
            app.mode = Mode::Form(Box::new(forms::monitoring(app)));
        }
        Action::RecordMonitoring => app.set_status(a.refusal_to(app.operator.role, app.lang), true),
        Action::OpenCase | Action::AttachItem | Action::DismissItem => return item_form(app, a),
        Action::UndoDismiss => return undo_dismiss(app),
        Action::Submit | Action::NextField | Action::PrevField | Action::Confirm | Action::Cancel => {}
        _ => return case_form(app, a),
    }
    vec![]
}

/// Puts the items of the last dismissal made here back in the queue, while the domain
/// still allows it.
fn undo_dismiss(app: &mut App) -> Vec<Effect> {
    if !Action::UndoDismiss.allowed(app.operator.role) {
        app.set_status(Action::UndoDismiss.refusal_to(app.operator.role, app.lang), true);
        return vec![];
    }
    let Some(undo) = app.lists.undo.take().filter(|u| app.now - u.at <= crate::domain::decide::RESTORE_WINDOW) else {
        app.set_status(M::NothingToUndo.t(app.lang), true);
        return vec![];
    };
    let reason = M::UndoReason.t(app.lang).to_string();
    let cmds = undo.items.into_iter().map(|item| Command::RestoreItem { item, reason: reason.clone() }).collect();
    vec![Effect::Run(app.operator.clone(), cmds)]
}

fn item_form(app: &mut App, a: Action) -> Vec<Effect> {
    if !a.allowed(app.operator.role) {
        app.set_status(a.refusal_to(app.operator.role, app.lang), true);
        return vec![];
    }
    let items: Vec<String> = if !app.lists.marked.is_empty() && matches!(app.screen, Screen::Queue) {
        // By number; a case opened from them takes its title from the first, so the
        // highlighted item comes first when it is marked.
        let highlighted = app.selected_item().map(|i| i.id.clone()).filter(|_| a == Action::OpenCase);
        let mut marked: Vec<String> = app.lists.marked.iter().cloned().collect();
        marked.sort_by(|a, b| {
            (Some(b) == highlighted.as_ref())
                .cmp(&(Some(a) == highlighted.as_ref()))
                .then_with(|| crate::domain::item::by_number(a, b))
        });
        marked
    } else {
        app.selected_item().map(|i| vec![i.id.clone()]).unwrap_or_default()
    };
    if items.is_empty() {
        app.set_status(M::NothingSelected.t(app.lang), true);
        return vec![];
    }
    if let Some(f) = forms::for_items(app, a, items) {
        app.mode = Mode::Form(Box::new(f));
    }
    vec![]
}

fn case_form(app: &mut App, a: Action) -> Vec<Effect> {
    if !matches!(app.screen, Screen::Cases | Screen::Case(_) | Screen::Supervision) {
        return vec![];
    }
    if !a.allowed(app.operator.role) {
        app.set_status(a.refusal_to(app.operator.role, app.lang), true);
        return vec![];
    }
    let Some(case) = app.selected_case().cloned() else {
        app.set_status(M::NothingSelected.t(app.lang), true);
        return vec![];
    };
    if matches!(a, Action::Approve | Action::SignOff) && !case.drafts.iter().any(|d| d.waiting()) {
        app.set_status(M::NoDraftWaiting.t(app.lang), true);
        return vec![];
    }
    if a == Action::SignOff && case.co.is_empty() {
        app.set_status(M::NoCoDepartments.t(app.lang), true);
        return vec![];
    }
    if let Some(f) = forms::for_case(app, a, &case) {
        app.mode = Mode::Form(Box::new(f));
    }
    vec![]
}

fn open(app: &mut App) -> Vec<Effect> {
    match &app.screen {
        Screen::Queue => {
            if let Some(id) = app.selected_item().map(|i| i.id.clone()) {
                app.lists.fresh.remove(&id);
                app.screen = Screen::Item(id);
            }
        }
        Screen::Cases => {
            if let Some(no) = app.selected_case().map(|c| c.no.clone()) {
                return open_case(app, no);
            }
        }
        Screen::Departments => {
            if let Some(row) = app.lists.departments.visible().get(app.lists.departments.selected) {
                app.lists.cases_dept = Some(row.code.clone());
                let list = &mut app.lists.cases;
                (list.selected, list.offset, list.anchor) = (0, 0, None);
                app.screen = Screen::Cases;
                refresh_lists(app);
            }
        }
        Screen::Supervision => {
            if let Some(no) = super::supervise::selected(app).map(|r| r.case.no.clone()) {
                return open_case(app, no);
            }
        }
        Screen::Item(_) | Screen::Case(_) => {}
    }
    vec![]
}

fn open_case(app: &mut App, no: String) -> Vec<Effect> {
    app.lists.escalated.remove(&no);
    app.lists.surged.remove(&no);
    app.lists.last_case = Some(no.clone());
    if app.lists.case_view.as_ref().is_none_or(|v| v.case.no != no) {
        app.lists.case_view = None;
    }
    app.screen = Screen::Case(no.clone());
    vec![Effect::LoadCase(no)]
}

fn show_departments(app: &mut App) -> Vec<Effect> {
    app.screen = Screen::Departments;
    app.lists.departments.loading = true;
    vec![Effect::LoadDepartments(app.lists.departments.period)]
}

fn sort_departments(app: &mut App) {
    let key = app.lists.departments.sort;
    let dir = &app.settings.directory.departments;
    let place =
        |f: &crate::domain::metrics::DeptFigures| dir.iter().position(|d| d.code == f.code).unwrap_or(usize::MAX);
    app.lists.departments.rows.sort_by(|a, b| super::app::compare_departments(key, a, b, place));
}

fn move_by(app: &mut App, delta: isize) {
    let step = |sel: usize, n: usize| -> usize {
        if n == 0 {
            return 0;
        }
        (sel as isize).saturating_add(delta).clamp(0, n as isize - 1) as usize
    };
    match &app.screen {
        // The rows as on screen (the model's order is rebuilt only after this batch).
        Screen::Queue => {
            let n = app.lists.queue.len(app.model.queue_order.len());
            app.lists.queue.selected = step(app.lists.queue.selected, n);
            app.lists.queue.scroll_into_view(app.viewport.page_rows);
            app.lists.queue.anchor = app.queue_id(app.lists.queue.selected).map(str::to_string);
        }
        Screen::Cases => {
            let n = app.lists.cases.len(app.case_total());
            app.lists.cases.selected = step(app.lists.cases.selected, n);
            app.lists.cases.scroll_into_view(app.viewport.page_rows);
            app.lists.cases.anchor = app.case_no(app.lists.cases.selected).map(str::to_string);
        }
        Screen::Departments => {
            app.lists.departments.selected =
                step(app.lists.departments.selected, app.lists.departments.visible().len());
        }
        Screen::Case(_) => {
            // The detail's rows as the view draws them at this width: every row is
            // reached, and Up after End moves at once.
            let Some(total) =
                app.lists.case_view.as_ref().map(|v| super::detail::rows(app, v, app.viewport.cols as usize).len())
            else {
                return;
            };
            let last = total.saturating_sub(app.viewport.body_rows()).min(u16::MAX as usize - 1) as isize;
            if let Some(v) = &mut app.lists.case_view {
                let from = (v.scroll as isize).min(last);
                // To the end: the last page, whatever its height on screen.
                v.scroll = if from.saturating_add(delta) >= last { u16::MAX } else { (from + delta).max(0) as u16 };
            }
        }
        Screen::Supervision => {
            let n = super::supervise::rows(app).len();
            app.lists.supervision = step(app.lists.supervision.min(n.saturating_sub(1)), n);
        }
        Screen::Item(_) => {}
    }
}

fn mouse(app: &mut App, m: MouseEvent) -> Vec<Effect> {
    match m.kind {
        MouseEventKind::ScrollDown => move_by(app, 3),
        MouseEventKind::ScrollUp => move_by(app, -3),
        MouseEventKind::Down(_) => {
            // Lists start below the header (2 rows) and their column header (1 row).
            let row = m.row as isize - 3;
            if row >= 0 {
                let target = match &app.screen {
                    Screen::Queue => Some(app.lists.queue.offset + row as usize),
                    Screen::Cases => Some(app.lists.cases.offset + row as usize),
                    _ => None,
                };
                if let Some(t) = target {
                    let cur = match &app.screen {
                        Screen::Queue => app.lists.queue.selected,
                        _ => app.lists.cases.selected,
                    };
                    move_by(app, t as isize - cur as isize);
                }
            }
        }
        _ => {}
    }
    vec![]
}

fn tick(app: &mut App, now: DateTime<Utc>) -> Vec<Effect> {
    app.now = now;
    let mut out = signin::tick(app);
    let overdue: std::collections::BTreeSet<String> =
        app.model.case_order[..app.model.overdue(now)].iter().cloned().collect();
    let newly = overdue.difference(&app.lists.overdue_seen).count();
    app.lists.overdue_seen = overdue;
    if newly > 0 {
        out.push(Effect::Bell);
    }
    if !app.busy.scanning {
        // One scan at a time: the next tick after its answer asks again.
        app.busy.scanning = true;
        out.push(Effect::ScanInbox);
    }
    out
}

fn applied(app: &mut App, ev: &Event) -> Vec<Effect> {
    if let Some(out) = super::drill::applied(app, ev) {
        return out;
    }
    if let EventBody::OperatorSet { operator } = &ev.body {
        return super::signin::roster_changed(app, ev.order_key(), operator);
    }
    if let (EventBody::DrillNoted { text }, Some(_)) = (&ev.body, &app.drill.control) {
        app.set_status(format!("{}: {}", app.lang.t("演练通知", "drill note"), crate::text::one_line(text)), false);
        return vec![Effect::Bell];
    }
    let change = app.model.apply(ev);
    let mut out = Vec::new();
    if matches!(ev.body, EventBody::ItemRestored { .. }) {
        // The model dropped the item when it was dismissed: read the queue again.
        out.push(Effect::Reload);
    }
    if let EventBody::CaseEscalated { case, reason } = &ev.body {
        app.lists.escalated.insert(case.clone());
        let text = format!("{} {case}: {}", M::EscalatedNow.t(app.lang), crate::text::one_line(reason));
        app.set_status(text, true);
        out.push(Effect::Bell);
    }
    out.extend(surged(app, ev));
    for c in &change.conflicts {
        if c.lost.operator == app.operator.id && app.sync.console.as_deref() == Some(c.lost.console()) {
            let won_by =
                app.sign_in.operators.iter().find(|o| o.id == c.won.operator).map_or(&c.won.operator, |o| &o.name);
            let text = super::strings::conflict_notice(c, won_by, &app.settings.directory, app.lang);
            app.set_status(text, true);
            out.push(Effect::Bell);
        }
    }
    if !change.new_items.is_empty() {
        app.lists.fresh.extend(change.new_items);
        out.push(Effect::Bell);
    }
    if let Some(no) = change.reload {
        out.push(Effect::RefreshCase(no));
    }
    for c in change.closed {
        closed_now(app, c);
    }
    if let Screen::Case(shown) = &app.screen
        && change.cases.contains(shown)
    {
        out.push(Effect::LoadCase(shown.clone()));
    }
    app.lists.marked.retain(|id| app.model.items.contains_key(id));
    out
}

/// A case that closed while this console runs: first among the closed cases, as it
/// is now (the cases list shows each case once).
fn closed_now(app: &mut App, case: crate::domain::case::Case) {
    app.lists.closed.retain(|c| c.no != case.no);
    app.lists.closed.insert(0, case);
}

/// A surge on an item that a case holds (the queue shows its own items' reach): marks
/// the case, says so and rings; a case on screen reloads to show the new reach.
fn surged(app: &mut App, ev: &Event) -> Vec<Effect> {
    let EventBody::ItemReachUpdated { item, reach } = &ev.body else { return vec![] };
    // A surge from before the case was opened (met late, by a console catching up) was
    // there when the officers opened it: nothing new to flag.
    let case = app.model.cases.values().find(|c| c.items.contains(item) && ev.at() > c.opened_at);
    let Some(no) = case.map(|c| c.no.clone()) else {
        return vec![];
    };
    let l = app.lang;
    app.set_status(format!("{} {no}: {item} {} {reach}", M::SurgedNow.t(l), M::Reach.t(l)), true);
    app.lists.surged.insert(no.clone());
    let mut out = vec![Effect::Bell];
    if app.screen == Screen::Case(no.clone()) {
        out.push(Effect::LoadCase(no));
    }
    out
}

/// Rebuilds the display orders and the filtered rows after a change.
pub fn refresh_lists(app: &mut App) {
    if app.model.refresh() {
        app.triage.sync(&mut app.model);
    }
    // An item on screen that left the queue (made a case, attached, dismissed here or
    // elsewhere): back to the queue, where the status line says what became of it.
    if let Screen::Item(id) = &app.screen
        && app.busy.loading.is_none()
        && !app.model.items.contains_key(id)
    {
        app.screen = Screen::Queue;
    }
    // A case reopened since the closed cases were read is listed once, as open.
    let open = &app.model.cases;
    app.lists.closed.retain(|c| !open.contains_key(&c.no));
    let q = app.lists.queue.filter.to_lowercase();
    app.lists.queue.shown = (!q.is_empty()).then(|| {
        (0..app.model.queue_order.len())
            .filter(|&i| {
                let it = &app.model.items[&app.model.queue_order[i]];
                it.fields.title.to_lowercase().contains(&q)
                    || it.fields.body.to_lowercase().contains(&q)
                    || it.id.to_lowercase().contains(&q)
            })
            .collect()
    });
    let c = app.lists.cases.filter.to_lowercase();
    let dept = app.lists.cases_dept.clone();
    app.lists.cases.shown = (!c.is_empty() || dept.is_some()).then(|| {
        (0..app.case_total())
            .filter(|&i| {
                let Some(cs) = app.case_at(i) else { return false };
                let text = c.is_empty()
                    || cs.title.to_lowercase().contains(&c)
                    || cs.no.to_lowercase().contains(&c)
                    || app.settings.directory.name(&cs.lead).contains(&c);
                text && dept.as_ref().is_none_or(|d| cs.involves(d))
            })
            .collect()
    });
    follow_anchors(app);
}

/// Puts each list's selection back on the item or case it was on, wherever the rows
/// moved; when that one left the list, the selection keeps its row (the next one moves
/// up into it). Then records what is selected now.
fn follow_anchors(app: &mut App) {
    let rows = app.viewport.page_rows;
    let n = app.lists.queue.len(app.model.queue_order.len());
    let at = app
        .lists
        .queue
        .anchor
        .as_deref()
        .and_then(|id| row_of(n, app.lists.queue.selected, |i| app.queue_id(i) == Some(id)));
    let list = &mut app.lists.queue;
    list.selected = at.unwrap_or(list.selected);
    list.clamp(app.model.queue_order.len());
    list.scroll_into_view(rows);
    app.lists.queue.anchor = app.queue_id(app.lists.queue.selected).map(str::to_string);
    let n = app.lists.cases.len(app.case_total());
    let at = app
        .lists
        .cases
        .anchor
        .as_deref()
        .and_then(|no| row_of(n, app.lists.cases.selected, |i| app.case_no(i) == Some(no)));
    let total = app.case_total();
    let list = &mut app.lists.cases;
    list.selected = at.unwrap_or(list.selected);
    list.clamp(total);
    list.scroll_into_view(rows);
    app.lists.cases.anchor = app.case_no(app.lists.cases.selected).map(str::to_string);
}

/// The row of `n` for which `is` holds, trying `near` first (where it usually still is).
fn row_of(n: usize, near: usize, is: impl Fn(usize) -> bool) -> Option<usize> {
    if near < n && is(near) {
        return Some(near);
    }
    (0..n).find(|&i| is(i))
}

/// Filters the list on screen; the list starts again at its top (its first match
/// highlighted), so a narrowed list is never shown scrolled past its rows. Cleared, the
/// whole list shows with the highlight still on the item or case it was on (`anchor`).
fn set_filter(app: &mut App, f: String) {
    let list = match app.screen {
        Screen::Cases => &mut app.lists.cases,
        Screen::Departments => {
            app.lists.departments.filter = f;
            app.lists.departments.selected = 0;
            refresh_lists(app);
            return;
        }
        _ => &mut app.lists.queue,
    };
    if list.filter != f && !f.is_empty() {
        (list.selected, list.offset, list.anchor) = (0, 0, None);
    }
    list.filter = f;
    refresh_lists(app);
}

impl App {
    /// The filter of the list on screen.
    pub fn current_filter(&self) -> &str {
        match self.screen {
            Screen::Cases => &self.lists.cases.filter,
            Screen::Departments => &self.lists.departments.filter,
            _ => &self.lists.queue.filter,
        }
    }
}
