//! The console's state: what the screens need, and nothing they can compute while
//! drawing. `update` changes it; `view` only reads it.

use super::form::Form;
use super::keymap::{Keymap, Scope};
use super::model::Model;
use crate::domain::case::Case;
use crate::domain::department::Directory;
use crate::domain::event::Event;
use crate::domain::item::Item;
use crate::domain::metrics::DeptFigures;
use crate::domain::role::Operator;
use crate::i18n::Lang;
use chrono::{DateTime, FixedOffset, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use tui_input::Input;

/// Which screen is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Queue,
    Item(String),
    Cases,
    Case(String),
    Departments,
    /// The supervisor's view: overdue, escalated, waiting for approval.
    Supervision,
}

impl Screen {
    pub fn scope(&self) -> Scope {
        match self {
            Screen::Queue => Scope::Queue,
            Screen::Item(_) => Scope::Item,
            Screen::Cases => Scope::Cases,
            Screen::Case(_) => Scope::Case,
            Screen::Departments => Scope::Departments,
            Screen::Supervision => Scope::Global,
        }
    }
}

/// Something that takes the keys before the screen does.
#[derive(Debug, Clone)]
pub enum Mode {
    Normal,
    /// Typing a filter for the current list.
    Filter(Input),
    Form(Box<Form>),
    /// A yes/no question; `yes` is what happens on yes.
    Confirm {
        question: super::strings::M,
        yes: Confirmed,
    },
    Help {
        scroll: u16,
    },
    /// The shift handover summary, shown to scroll through before the terminal changes
    /// hands; `summary` is `handover` as shown.
    Handover {
        handover: Box<super::handover::Handover>,
        summary: String,
        scroll: u16,
    },
    /// A text to read (the drill score), scrolled.
    Text(super::reader::Reader),
}

/// What a confirmation leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    Quit,
    Submit,
}

/// Selection, scroll and filter of one list.
#[derive(Debug, Clone, Default)]
pub struct ListView {
    pub selected: usize,
    pub offset: usize,
    pub filter: String,
    /// Indexes into the model's order that pass the filter; `None` when there is no filter.
    pub shown: Option<Vec<usize>>,
}

impl ListView {
    pub fn len(&self, total: usize) -> usize {
        self.shown.as_ref().map_or(total, Vec::len)
    }

    /// The model index of the row at display position `i`.
    pub fn index(&self, i: usize) -> usize {
        self.shown.as_ref().map_or(i, |s| s[i])
    }

    pub fn clamp(&mut self, total: usize) {
        let n = self.len(total);
        self.selected = self.selected.min(n.saturating_sub(1));
    }

    /// Keeps the selection visible in a window of `rows` rows.
    pub fn scroll_into_view(&mut self, rows: usize) {
        if rows == 0 {
            return;
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }
}

/// Items dismissed together at this terminal, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    pub items: Vec<String>,
    pub at: DateTime<Utc>,
}

/// The statistics period of the departments screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Today,
    Days7,
    Days30,
    /// Everything up to now.
    All,
    /// A period the operator typed.
    Custom {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
}

/// The departments screen's data.
#[derive(Debug, Clone)]
pub struct DepartmentsView {
    pub period: PeriodKind,
    pub rows: Vec<DeptFigures>,
    pub sort: usize,
    /// Position in the rows that pass the filter.
    pub selected: usize,
    pub loading: bool,
    /// Shows only departments whose name or code contains this.
    pub filter: String,
}

impl DepartmentsView {
    /// The rows that pass the filter, in the sort order.
    pub fn visible(&self) -> Vec<&DeptFigures> {
        let f = self.filter.to_lowercase();
        self.rows.iter().filter(|r| f.is_empty() || r.name.to_lowercase().contains(&f) || r.code.contains(&f)).collect()
    }
}

/// The case detail's data (the case may be closed, so it is loaded, not taken from the model).
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: Case,
    pub items: Vec<Item>,
    pub timeline: Vec<Event>,
    pub scroll: u16,
}

/// Everything the console shows.
pub struct App {
    pub lang: Lang,
    /// Offset used to show times (the county's `timezone`).
    pub tz: FixedOffset,
    /// Items waiting longer than this are flagged (policy `queue_alert_hours`; `None`: off).
    pub queue_alert: Option<chrono::Duration>,
    /// What each category must publish and may close with (policy `[responses]`): the
    /// forms offer exactly that.
    pub responses: crate::domain::policy::Responses,
    pub now: DateTime<Utc>,
    pub operator: Operator,
    pub realm: String,
    pub keymap: Keymap,
    pub directory: Directory,
    pub model: Model,
    pub screen: Screen,
    pub last_case: Option<String>,
    pub queue: ListView,
    pub cases: ListView,
    /// The closed cases, most recently closed first, as last read (for browsing and search).
    pub closed: Vec<Case>,
    /// The cases list shows the closed cases after the open ones.
    pub show_closed: bool,
    /// Department code the cases list is limited to (from the departments screen).
    pub cases_dept: Option<String>,
    pub departments: DepartmentsView,
    pub case_view: Option<CaseView>,
    pub marked: BTreeSet<String>,
    /// The last dismissal made at this terminal, which `undo_dismiss` puts back.
    pub undo: Option<Undo>,
    /// Cases escalated (督办) since this console last opened them: marked in the lists.
    pub escalated: BTreeSet<String>,
    pub mode: Mode,
    /// A form set aside while a confirmation is asked.
    pub pending_form: Option<Box<Form>>,
    /// True while a form's commands wait for the desk's answer.
    pub awaiting: bool,
    /// A message for the status line, and whether it is an error.
    pub status: Option<(String, bool)>,
    /// Items that arrived since the operator last looked, shown highlighted.
    pub fresh: BTreeSet<String>,
    /// Cases seen overdue at the last tick, to signal newly overdue ones once.
    pub overdue_seen: BTreeSet<String>,
    pub colour: bool,
    pub inbox: PathBuf,
    /// Rows the current list showed at the last draw (for paging).
    pub page_rows: usize,
    /// The terminal's width, for pop-ups that wrap text.
    pub cols: u16,
    /// Sync peers and their state (empty when this console does not sync).
    pub peers: Vec<crate::sync::PeerStatus>,
    /// Events refused because they came on another history of their console.
    pub forks: usize,
    /// Rule hints and near-duplicates of the queue.
    pub triage: super::triage::Triage,
    /// While the whole queue loads in the background (at start-up, which shows the
    /// newest items first, or after missing events): the events applied meanwhile, to
    /// fold into the loaded model.
    pub loading: Option<Vec<std::sync::Arc<crate::domain::event::Event>>>,
    /// Who may sign in here (with their PIN hashes): the roster in force at start,
    /// kept up to date by `operator_set` events as they arrive.
    pub operators: Vec<Operator>,
    /// The event that last set each operator here, so that roster events taken in any
    /// order leave the latest one in force, as in the store.
    pub roster_set_by: std::collections::HashMap<String, crate::domain::event::OrderKey>,
    /// True when operators have PINs: the console opens locked and locks when idle.
    pub sign_in_required: bool,
    /// Lock after this long without a key; `None`: never.
    pub lock_after: Option<chrono::Duration>,
    /// When the last key was pressed.
    pub last_input: DateTime<Utc>,
    /// Locked: only the clock, the counters and the sign-in form are shown.
    pub locked: bool,
    /// True once someone signed in with the form (not merely started the console as
    /// its configured operator): only such a session is unlocked, or signed out of.
    pub signed_in: bool,
    /// The drill's clock controls, when this console runs or joins a drill.
    pub drill: Option<std::sync::Arc<crate::drill::Control>>,
    /// A trainee's console: the clock follows the trainer's, and its controls are off.
    pub follow: bool,
    /// What each officer did at this terminal since their last handover, one line
    /// each, by operator id (only their own commands: not items from the inbox or peers).
    pub shift: BTreeMap<String, Vec<String>>,
    /// Failed sign-ins in a row: each doubles the wait after it.
    pub failures: u32,
    /// The wait the last failed sign-in set, while it lasts.
    pub lockout: Option<super::signin::Lockout>,
    /// Unsaved forms the idle lock took from their authors, by operator id: given back
    /// when that officer signs in again, shown to no one else.
    pub held: BTreeMap<String, Box<Form>>,
    /// A confirmed handover waiting for the incoming officer to sign in.
    pub handing: Option<Box<super::handover::Handover>>,
    /// This console's name, learnt from the first answer to one of its commands: a
    /// conflict whose losing action was made here is told to the officer.
    pub console: Option<String>,
}

impl App {
    /// The item under the queue's selection.
    pub fn selected_item(&self) -> Option<&Item> {
        match &self.screen {
            Screen::Item(id) => self.model.items.get(id),
            _ => {
                let n = self.queue.len(self.model.queue_order.len());
                (n > 0)
                    .then(|| self.queue.index(self.queue.selected))
                    .and_then(|i| self.model.items.get(&self.model.queue_order[i]))
            }
        }
    }

    /// The case under the cases list's selection, or the one in detail.
    pub fn selected_case(&self) -> Option<&Case> {
        match &self.screen {
            Screen::Case(_) => self.case_view.as_ref().map(|v| &v.case),
            _ => {
                let n = self.cases.len(self.case_total());
                (n > 0).then(|| self.cases.index(self.cases.selected)).and_then(|i| self.case_at(i))
            }
        }
    }

    /// True when the cases list goes on past the open cases to the closed ones: when
    /// asked to, or while it is filtered (a search finds closed cases too).
    pub fn closed_listed(&self) -> bool {
        self.show_closed || !self.cases.filter.is_empty()
    }

    /// Rows of the cases list before any filter: the open cases, then the closed ones
    /// when they are listed.
    pub fn case_total(&self) -> usize {
        self.model.case_order.len() + if self.closed_listed() { self.closed.len() } else { 0 }
    }

    /// The case at row `i` of the unfiltered cases list.
    pub fn case_at(&self, i: usize) -> Option<&Case> {
        match self.model.case_order.get(i) {
            Some(no) => self.model.cases.get(no),
            None if self.closed_listed() => self.closed.get(i - self.model.case_order.len()),
            None => None,
        }
    }

    /// True when nothing has arrived yet: the first start.
    pub fn is_empty(&self) -> bool {
        self.model.items.is_empty() && self.model.cases.is_empty()
    }

    pub fn set_status(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some((text.into(), error));
    }

    /// Department display name for a code.
    pub fn dept<'a>(&'a self, code: &'a str) -> &'a str {
        self.directory.name(code)
    }
}

impl App {
    /// A console on `model`, showing the queue (or the welcome when there is nothing yet).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        lang: Lang,
        tz: FixedOffset,
        now: DateTime<Utc>,
        operator: Operator,
        realm: String,
        keymap: Keymap,
        directory: Directory,
        model: Model,
        colour: bool,
        inbox: PathBuf,
    ) -> App {
        let mut app = App {
            lang,
            tz,
            queue_alert: Some(chrono::Duration::hours(2)),
            responses: Default::default(),
            now,
            operator,
            realm,
            keymap,
            directory,
            model,
            screen: Screen::Queue,
            last_case: None,
            queue: ListView::default(),
            cases: ListView::default(),
            closed: Vec::new(),
            show_closed: false,
            cases_dept: None,
            departments: DepartmentsView {
                period: PeriodKind::Days30,
                rows: vec![],
                sort: 0,
                selected: 0,
                loading: false,
                filter: String::new(),
            },
            case_view: None,
            marked: BTreeSet::new(),
            undo: None,
            escalated: BTreeSet::new(),
            mode: Mode::Normal,
            pending_form: None,
            awaiting: false,
            status: None,
            fresh: BTreeSet::new(),
            overdue_seen: BTreeSet::new(),
            colour,
            inbox,
            page_rows: 20,
            cols: 80,
            peers: Vec::new(),
            forks: 0,
            triage: super::triage::Triage::new(Vec::new()),
            loading: None,
            operators: Vec::new(),
            roster_set_by: Default::default(),
            sign_in_required: false,
            lock_after: None,
            last_input: now,
            locked: false,
            signed_in: false,
            failures: 0,
            console: None,
            lockout: None,
            held: BTreeMap::new(),
            handing: None,
            shift: BTreeMap::new(),
            drill: None,
            follow: false,
        };
        let overdue = app.model.overdue(now);
        app.overdue_seen = app.model.case_order[..overdue].iter().cloned().collect();
        app
    }
}
