//! Who is at the terminal: the lock and its sign-in form, the wait after a wrong PIN
//! (counted down on screen each second; keys typed meanwhile are thrown away, and the
//! PIN field is empty when it ends), and the idle lock, which keeps an unsaved form for
//! its author until that same officer signs in again. A handover waiting for the
//! incoming officer is completed here too (`handover::taken_over`). A PIN is checked
//! by the console process (`Effect::CheckPin`: argon2 is slow) and the answer comes
//! back as `Msg::PinChecked`.

use super::app::{App, Mode};
use super::form::{Field, Form, Purpose};
use super::handover;
use super::message::{Effect, Pin};
use super::strings::{self, M};
use crate::domain::command::Command;
use crate::domain::role::{Operator, Role};
use crate::domain::session::SessionAct;
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap};

/// Who may sign in at this terminal, who did, and the locks.
pub struct SignIn {
    /// Who may sign in here (with their PIN hashes): the roster in force at start,
    /// kept up to date by `operator_set` events as they arrive.
    pub operators: Vec<Operator>,
    /// The event that last set each operator here, so that roster events taken in any
    /// order leave the latest one in force, as in the store.
    pub roster_set_by: HashMap<String, crate::domain::event::OrderKey>,
    /// True when operators have PINs: the console opens locked and locks when idle.
    pub required: bool,
    /// Lock after this long without a key; `None`: never.
    pub lock_after: Option<Duration>,
    /// When the last key was pressed.
    pub last_input: DateTime<Utc>,
    /// Locked: only the clock, the counters and the sign-in form are shown.
    pub locked: bool,
    /// True once someone signed in with the form (not merely started the console as
    /// its configured operator): only such a session is unlocked, or signed out of.
    pub signed_in: bool,
    /// Failed sign-ins in a row: each doubles the wait after it.
    pub failures: u32,
    /// The wait the last failed sign-in set, while it lasts.
    pub lockout: Option<Lockout>,
    /// True while a PIN is being checked (`Effect::CheckPin`): the form waits for it.
    pub checking: bool,
    /// Unsaved forms the idle lock took from their authors, by operator id: given back
    /// when that officer signs in again, shown to no one else.
    pub held: BTreeMap<String, Box<Form>>,
    /// A confirmed handover waiting for the incoming officer to sign in.
    pub handing: Option<Box<handover::Handover>>,
}

impl SignIn {
    /// Nobody to sign in yet, the console open, last used at `now`.
    pub fn new(now: DateTime<Utc>) -> SignIn {
        SignIn {
            operators: Vec::new(),
            roster_set_by: HashMap::new(),
            required: false,
            lock_after: None,
            last_input: now,
            locked: false,
            signed_in: false,
            failures: 0,
            lockout: None,
            checking: false,
            held: BTreeMap::new(),
            handing: None,
        }
    }
}

/// Records `act` concerning `who` in the event log, as `by`.
fn record(by: &Operator, act: SessionAct, who: &str, detail: &str) -> Effect {
    let cmd = Command::RecordSession { act, who: who.to_string(), detail: detail.to_string() };
    Effect::Run(by.clone(), vec![cmd])
}

/// The wait after a refused sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    /// No attempt before this.
    pub until: DateTime<Utc>,
    /// Why the last attempt was refused.
    pub why: M,
}

impl App {
    /// Asks who is at the terminal: locks the console behind the sign-in form (titled
    /// for the incoming officer while a handover waits).
    pub fn lock(&mut self) {
        self.sign_in.locked = true;
        let title = if self.sign_in.handing.is_some() { M::SignInIncoming } else { M::SignIn };
        self.mode = Mode::Form(Box::new(Form::new(
            title,
            Purpose::SignIn,
            vec![Field::text(M::OperatorId, true), Field::secret(M::Pin)],
        )));
    }

    /// Turns on sign-in for these operators (some with PINs); the console starts locked.
    pub fn require_sign_in(&mut self, operators: Vec<Operator>, lock_after: Option<Duration>) {
        self.sign_in.required = operators.iter().any(|o| o.pin.is_some());
        self.sign_in.operators = operators;
        self.sign_in.lock_after = lock_after;
        if self.sign_in.required {
            self.lock();
        }
    }

    /// True while a refused sign-in's wait lasts.
    pub fn waiting(&self) -> bool {
        self.sign_in.lockout.is_some_and(|l| l.until > self.now)
    }
}

/// True when the open form takes `action` as its key line would offer it: the sign-in
/// form never opens the help (nothing is shown before someone signs in), and is
/// cancelled only while the console is not locked (a handover's sign-in without PINs).
pub fn form_offers(app: &App, action: super::action::Action) -> bool {
    use super::action::Action;
    let signing_in = matches!(&app.mode, Mode::Form(f) if f.purpose == Purpose::SignIn);
    match action {
        _ if !signing_in => true,
        Action::Help => false,
        Action::Cancel => !app.sign_in.locked,
        _ => true,
    }
}

/// The sign-in form's message: why the last attempt was refused and, while the wait
/// lasts, the seconds left. When it is over the PIN field is emptied and the wait ends.
fn show_wait(app: &mut App) {
    let Some(lockout) = app.sign_in.lockout else { return };
    let Mode::Form(form) = &mut app.mode else { return };
    if form.purpose != Purpose::SignIn {
        return;
    }
    let left = (lockout.until - app.now).num_milliseconds();
    let why = lockout.why.t(app.lang);
    if left > 0 {
        form.error = Some(format!("{why} · {}", strings::try_again_in((left + 999) / 1000, app.lang)));
    } else {
        form.error = Some(why.to_string());
        form.fields[1].input.reset();
        app.sign_in.lockout = None;
    }
}

/// Takes the sign-in form: an operator with a PIN has it checked by the console
/// process (the answer is [`checked`]); anyone else is decided at once.
pub fn sign_in(app: &mut App) -> Vec<Effect> {
    if app.sign_in.checking {
        return vec![];
    }
    let Mode::Form(form) = &mut app.mode else { return vec![] };
    let id = form.fields[0].value();
    let pin = form.fields[1].input.value().to_string();
    let found = app.sign_in.operators.iter().find(|o| o.id == id && !o.disabled);
    if let Some(stored) = found.and_then(|o| o.pin.clone()) {
        app.sign_in.checking = true;
        return vec![Effect::CheckPin { id, stored, pin: Pin(pin) }];
    }
    let ok = found.is_some() && !app.sign_in.required;
    finish(app, &id, ok)
}

/// The answer to a PIN check, for the sign-in form still open.
pub fn checked(app: &mut App, id: &str, ok: bool) -> Vec<Effect> {
    app.sign_in.checking = false;
    if !matches!(&app.mode, Mode::Form(f) if f.purpose == Purpose::SignIn) {
        return vec![];
    }
    finish(app, id, ok)
}

/// Signs `id` in when `ok` (and they are still on the roster, enabled); otherwise
/// refuses, and each refusal makes the next attempt wait twice as long.
fn finish(app: &mut App, id: &str, ok: bool) -> Vec<Effect> {
    let Mode::Form(form) = &mut app.mode else { return vec![] };
    let id = id.to_string();
    let found = app.sign_in.operators.iter().find(|o| o.id == id && !o.disabled).cloned();
    let ok = ok && found.is_some();
    if !ok {
        form.fields[1].input.reset();
        app.sign_in.failures += 1;
        let wait = Duration::seconds(1i64 << (app.sign_in.failures - 1).min(6));
        let why = if found.as_ref().is_some_and(|o| o.pin.is_none()) { M::NoPin } else { M::WrongPin };
        app.sign_in.lockout = Some(Lockout { until: app.now + wait, why });
        show_wait(app);
        // Nobody proved who they are: the attempt is recorded under the id that was tried.
        let claimed = Operator {
            id: if id.is_empty() { "?".into() } else { id.clone() },
            name: String::new(),
            role: Role::Viewer,
            pin: None,
            token: None,
            disabled: false,
        };
        let detail = match &found {
            Some(o) if o.pin.is_none() => "no PIN set",
            Some(_) => "wrong PIN",
            None => "unknown or disabled operator",
        };
        return vec![
            Effect::Log(format!("sign-in refused for `{id}` (attempt {})", app.sign_in.failures)),
            record(&claimed, SessionAct::Refused, &claimed.id, detail),
        ];
    }
    let was_locked = app.sign_in.locked;
    let op = found.unwrap_or_else(|| app.operator.clone());
    app.sign_in.failures = 0;
    app.sign_in.lockout = None;
    app.sign_in.locked = false;
    app.mode = Mode::Normal;
    let mut status = format!("{} {} {}", M::SignedIn.t(app.lang), op.name, op.id);
    if let Some(form) = app.sign_in.held.remove(&op.id) {
        app.mode = Mode::Form(form);
        status = format!("{status} · {}", M::FormRestored.t(app.lang));
    }
    let others: Vec<String> = app
        .sign_in
        .held
        .keys()
        .map(|id| app.sign_in.operators.iter().find(|o| &o.id == id).map_or(id.clone(), |o| format!("{} {id}", o.name)))
        .collect();
    if !others.is_empty() {
        status = format!("{status} · {}", strings::forms_kept_for(&others, app.lang));
    }
    app.set_status(status, false);
    let mut out = vec![Effect::Log(format!("signed in: {} (was {})", op.id, app.operator.id))];
    // Who sits here now is in the event log: the same officer back at a locked console
    // unlocks it; anyone else signs in, after the officer who was signed in here signs
    // out (locked or not), saying why.
    let same = op.id == app.operator.id;
    if was_locked && app.sign_in.signed_in && same {
        out.push(record(&op, SessionAct::Unlocked, &op.id, ""));
    } else {
        if app.sign_in.signed_in {
            let why = signed_out_because(app, &op);
            out.push(record(&app.operator, SessionAct::SignedOut, &app.operator.id, why));
        }
        out.push(record(&op, SessionAct::SignedIn, &op.id, ""));
    }
    out.extend(handover::taken_over(app, &op));
    app.operator = op;
    app.sign_in.signed_in = true;
    out
}

/// Why the officer signed in here signs out as `incoming` signs in, in English as every
/// session's reason is written (`describe::session_detail` says it in Chinese): the
/// incoming officer takes a handover over, or another officer signs in. Nothing to say
/// when the same officer signs in again at an unlocked terminal (a handover's sign-in
/// without PINs).
pub fn signed_out_because(app: &App, incoming: &Operator) -> &'static str {
    if incoming.id == app.operator.id {
        ""
    } else if app.sign_in.handing.as_ref().is_some_and(|h| h.from.id == app.operator.id) {
        HANDED_OVER
    } else {
        ANOTHER_SIGNED_IN
    }
}

/// A sign-out's reason when the incoming officer takes a handover over.
pub const HANDED_OVER: &str = "handed over";
/// A sign-out's reason when another officer signs in at this terminal.
pub const ANOTHER_SIGNED_IN: &str = "another officer signed in";

/// An `operator_set` event: the roster changes here at once. An operator disabled while
/// signed in here is locked out; a changed role counts from their next command.
pub fn roster_changed(app: &mut App, set_by: crate::domain::event::OrderKey, op: &Operator) -> Vec<Effect> {
    if app.sign_in.roster_set_by.get(&op.id).is_some_and(|held| *held >= set_by) {
        return vec![];
    }
    app.sign_in.roster_set_by.insert(op.id.clone(), set_by);
    match app.sign_in.operators.iter_mut().find(|o| o.id == op.id) {
        Some(o) => *o = op.clone(),
        None => app.sign_in.operators.push(op.clone()),
    }
    app.sign_in.required = app.sign_in.operators.iter().any(|o| o.pin.is_some());
    if app.operator.id != op.id {
        return vec![];
    }
    app.operator = op.clone();
    if op.disabled && app.sign_in.required && !app.sign_in.locked {
        app.lock();
        return vec![Effect::Log(format!("{} was disabled while signed in; locked", op.id))];
    }
    vec![]
}

/// Each second: counts a wait down, and locks an idle console, keeping its open form
/// (or the form a question set aside) for the officer who was filling it in. A console
/// still waiting for a form's answer locks at the next tick after it.
pub fn tick(app: &mut App) -> Vec<Effect> {
    show_wait(app);
    let idle = app.sign_in.lock_after.is_some_and(|d| app.now - app.sign_in.last_input >= d);
    if !app.sign_in.required || app.sign_in.locked || app.busy.awaiting || !idle {
        return vec![];
    }
    let form = match std::mem::replace(&mut app.mode, Mode::Normal) {
        Mode::Form(f) => Some(f),
        Mode::Confirm { .. } => app.pending_form.take(),
        _ => None,
    };
    let mut line = format!("locked after idling; {} was signed in", app.operator.id);
    if let Some(f) = form {
        line.push_str("; their unsaved form is kept for them");
        app.sign_in.held.insert(app.operator.id.clone(), f);
    }
    app.lock();
    vec![Effect::Log(line), record(&app.operator, SessionAct::Locked, &app.operator.id, "idle")]
}
