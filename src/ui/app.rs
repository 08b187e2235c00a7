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
            Screen::Supervision => Scope::Supervision,
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
    /// The id (item id, case number) of the selected row when the officer last moved or
    /// the list was last rebuilt: when the rows change, the selection follows it.
    pub anchor: Option<String>,
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

/// How many sort orders the departments screen cycles through.
pub const DEPARTMENT_SORTS: usize = 4;

/// Sort order `key` of the departments screen: 0 most overdue first, 1 worst on-time
/// rate first, 2 most cases led, 3 the directory's order (departments.toml's, as the
/// county lists its units); ties in the directory's order too (`place` gives a
/// department's place in it), never by code.
pub fn compare_departments(
    key: usize,
    a: &DeptFigures,
    b: &DeptFigures,
    place: impl Fn(&DeptFigures) -> usize,
) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let rate = |f: &DeptFigures| f.on_time_rate.unwrap_or(2.0);
    match key {
        0 => b.overdue_now.cmp(&a.overdue_now).then(b.open_now.cmp(&a.open_now)),
        1 => rate(a).partial_cmp(&rate(b)).unwrap_or(Ordering::Equal),
        2 => b.cases_led.cmp(&a.cases_led),
        _ => Ordering::Equal,
    }
    .then_with(|| place(a).cmp(&place(b)))
}

/// The case detail's data (the case may be closed, so it is loaded, not taken from the model).
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: Case,
    pub items: Vec<Item>,
    pub timeline: Vec<Event>,
    /// The first row shown (`ui::detail` rows); past the last page (End: `u16::MAX`)
    /// it shows the last page, and stays there as entries arrive.
    pub scroll: u16,
}

/// The lists and what is open from them: selections, filters, marks, the case in
/// detail, and what this console noticed (new items, escalations, overdue cases).
pub struct Lists {
    pub queue: ListView,
    pub cases: ListView,
    /// The closed cases, most recently closed first, as last read (for browsing and search).
    pub closed: Vec<Case>,
    /// The cases list shows the closed cases after the open ones.
    pub show_closed: bool,
    /// Department code the cases list is limited to (from the departments screen).
    pub cases_dept: Option<String>,
    pub departments: DepartmentsView,
    /// The highlighted row of the supervision screen (`supervise::rows`).
    pub supervision: usize,
    pub case_view: Option<CaseView>,
    /// The case last viewed (the fourth tab).
    pub last_case: Option<String>,
    pub marked: BTreeSet<String>,
    /// The last dismissal made at this terminal, which `undo_dismiss` puts back.
    pub undo: Option<Undo>,
    /// Cases escalated (督办) since this console last opened them: marked in the lists.
    pub escalated: BTreeSet<String>,
    /// Cases one of whose items' reach rose since this console last opened them (a repost
    /// surge on an item no longer in the queue): marked in the lists.
    pub surged: BTreeSet<String>,
    /// Items that arrived since the operator last looked, shown highlighted.
    pub fresh: BTreeSet<String>,
    /// Cases seen overdue at the last tick, to signal newly overdue ones once.
    pub overdue_seen: BTreeSet<String>,
}

impl Default for Lists {
    fn default() -> Lists {
        Lists {
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
            supervision: 0,
            case_view: None,
            last_case: None,
            marked: BTreeSet::new(),
            undo: None,
            escalated: BTreeSet::new(),
            surged: BTreeSet::new(),
            fresh: BTreeSet::new(),
            overdue_seen: BTreeSet::new(),
        }
    }
}

/// The console's settings for the session: the county's time zone, its policy's
/// alert and response rules, the realm, keys, departments, colour and inbox.
pub struct Settings {
    /// Offset used to show times (the county's `timezone`).
    pub tz: FixedOffset,
    /// Items waiting longer than this are flagged (policy `queue_alert_hours`; `None`: off).
    pub queue_alert: Option<chrono::Duration>,
    /// What each category must publish and may close with (policy `[responses]`): the
    /// forms offer exactly that.
    pub responses: crate::domain::policy::Responses,
    /// `live`, or `drill:NAME` while a drill runs.
    pub realm: String,
    pub keymap: Keymap,
    pub directory: Directory,
    pub colour: bool,
    /// The folder the console scans for item files.
    pub inbox: PathBuf,
}

/// What this console knows of the others it syncs with.
#[derive(Default)]
pub struct SyncView {
    /// Sync peers and their state (empty when this console does not sync).
    pub peers: Vec<crate::sync::PeerStatus>,
    /// Events refused because they came on another history of their console.
    pub forks: usize,
    /// This console's name, learnt from the first answer to one of its commands: a
    /// conflict whose losing action was made here is told to the officer.
    pub console: Option<String>,
}

/// Work the console waits for in the background, each one at a time.
#[derive(Default)]
pub struct Busy {
    /// True while a form's commands wait for the desk's answer.
    pub awaiting: bool,
    /// True while a scan of the inbox runs (`Effect::ScanInbox`).
    pub scanning: bool,
    /// While the whole queue loads in the background (at start-up, which shows the
    /// newest items first, or after missing events): the events applied meanwhile, to
    /// fold into the loaded model.
    pub loading: Option<Vec<std::sync::Arc<crate::domain::event::Event>>>,
}

/// What the terminal showed at the last draw.
pub struct Viewport {
    /// Rows the current list showed (for paging).
    pub page_rows: usize,
    /// The terminal's width, for pop-ups that wrap text.
    pub cols: u16,
}

impl Viewport {
    /// Rows of a screen's body, between the tabs and the footer: two more than a page
    /// (the console sets `page_rows` to the terminal's height less five).
    pub fn body_rows(&self) -> usize {
        self.page_rows + 2
    }
}

/// Everything the console shows. Grouped: its settings (`settings`), who signs in here
/// (`sign_in`), the drill (`drill`), the lists (`lists`), the other consoles (`sync`),
/// background work (`busy`) and the terminal (`viewport`); the rest is the clock, the
/// officer at the keys, the model, the screen and the pop-up over it.
pub struct App {
    pub lang: Lang,
    pub settings: Settings,
    pub now: DateTime<Utc>,
    /// Who acts at this terminal now.
    pub operator: Operator,
    pub model: Model,
    pub screen: Screen,
    pub lists: Lists,
    pub mode: Mode,
    /// A form set aside while a confirmation is asked.
    pub pending_form: Option<Box<Form>>,
    /// A message for the status line, and whether it is an error.
    pub status: Option<(String, bool)>,
    pub viewport: Viewport,
    pub sync: SyncView,
    pub busy: Busy,
    /// Rule hints and near-duplicates of the queue.
    pub triage: super::triage::Triage,
    /// Who may sign in, who did, the locks.
    pub sign_in: super::signin::SignIn,
    /// The drill this console runs or joins.
    pub drill: super::drill::DrillState,
    /// What each officer did at this terminal since their last handover, one line
    /// each, by operator id (only their own commands: not items from the inbox or peers).
    pub shift: BTreeMap<String, Vec<String>>,
}

impl App {
    /// The item under the queue's selection.
    pub fn selected_item(&self) -> Option<&Item> {
        match &self.screen {
            Screen::Item(id) => self.model.items.get(id),
            _ => {
                let n = self.lists.queue.len(self.model.queue_order.len());
                (n > 0)
                    .then(|| self.lists.queue.index(self.lists.queue.selected))
                    .and_then(|i| self.model.items.get(&self.model.queue_order[i]))
            }
        }
    }

    /// The case under the cases list's selection, the one in detail, or the one the
    /// supervision screen's highlighted row is about.
    pub fn selected_case(&self) -> Option<&Case> {
        match &self.screen {
            Screen::Case(_) => self.lists.case_view.as_ref().map(|v| &v.case),
            Screen::Supervision => super::supervise::selected(self).map(|r| r.case),
            _ => {
                let n = self.lists.cases.len(self.case_total());
                (n > 0).then(|| self.lists.cases.index(self.lists.cases.selected)).and_then(|i| self.case_at(i))
            }
        }
    }

    /// The id of the queue's row `row` as displayed (after the filter).
    pub fn queue_id(&self, row: usize) -> Option<&str> {
        let n = self.lists.queue.len(self.model.queue_order.len());
        (row < n).then(|| self.model.queue_order.get(self.lists.queue.index(row))).flatten().map(String::as_str)
    }

    /// The number of the cases list's row `row` as displayed (after the filter).
    pub fn case_no(&self, row: usize) -> Option<&str> {
        let n = self.lists.cases.len(self.case_total());
        (row < n).then(|| self.case_at(self.lists.cases.index(row))).flatten().map(|c| c.no.as_str())
    }

    /// True when the cases list goes on past the open cases to the closed ones: when
    /// asked to, or while it is filtered (a search finds closed cases too).
    pub fn closed_listed(&self) -> bool {
        self.lists.show_closed || !self.lists.cases.filter.is_empty()
    }

    /// Rows of the cases list before any filter: the open cases, then the closed ones
    /// when they are listed.
    pub fn case_total(&self) -> usize {
        self.model.case_order.len() + if self.closed_listed() { self.lists.closed.len() } else { 0 }
    }

    /// The case at row `i` of the unfiltered cases list.
    pub fn case_at(&self, i: usize) -> Option<&Case> {
        match self.model.case_order.get(i) {
            Some(no) => self.model.cases.get(no),
            None if self.closed_listed() => self.lists.closed.get(i - self.model.case_order.len()),
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
        self.settings.directory.name(code)
    }
}

impl App {
    /// A console on `model`, showing the queue (or the welcome when there is nothing yet).
    pub fn new(lang: Lang, settings: Settings, now: DateTime<Utc>, operator: Operator, model: Model) -> App {
        let mut app = App {
            lang,
            settings,
            now,
            operator,
            model,
            screen: Screen::Queue,
            lists: Lists::default(),
            mode: Mode::Normal,
            pending_form: None,
            status: None,
            viewport: Viewport { page_rows: 20, cols: 80 },
            sync: SyncView::default(),
            busy: Busy::default(),
            triage: super::triage::Triage::new(Vec::new()),
            sign_in: super::signin::SignIn::new(now),
            drill: Default::default(),
            shift: BTreeMap::new(),
        };
        let overdue = app.model.overdue(now);
        app.lists.overdue_seen = app.model.case_order[..overdue].iter().cloned().collect();
        app
    }
}
