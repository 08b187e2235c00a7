//! What goes into `update` ([`Msg`]: keys, ticks, applied events, the results of
//! effects) and what comes out ([`Effect`]: what the console process must do: run
//! commands, read the store, check a PIN, steer the drill clock, scan the inbox). The
//! console (`src/console`) carries effects out and sends their results back as messages.

use super::app::{CaseView, PeriodKind};
use crate::desk::Answer;
use crate::domain::clock::DrillPace;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::metrics::DeptFigures;
use crate::domain::role::Operator;
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use std::sync::Arc;

/// Something that happened.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Tick(DateTime<Utc>),
    /// The terminal's size: its width, and the rows a list shows.
    Resized {
        cols: u16,
        rows: usize,
    },
    /// The sync peers' state and the count of refused forks, read each second.
    Network {
        peers: Vec<crate::sync::PeerStatus>,
        forks: usize,
    },
    Applied(Arc<Event>),
    Answered(Vec<Answer>),
    CaseLoaded(Box<CaseView>),
    /// A case reloaded for the model (after a reopen).
    CaseRefreshed(Box<crate::domain::case::Case>),
    /// The whole queue and open cases reloaded (after missing events).
    Reloaded(Box<super::model::Model>),
    /// The whole queue, loaded in the background after the first frame showed the newest.
    QueueLoaded(Vec<crate::domain::item::Item>),
    /// The texts of the open cases' items (case, item, text), loaded with the queue, so
    /// a later repost is matched to its case.
    CaseTexts(Vec<(String, String, String)>),
    DepartmentsLoaded(Vec<DeptFigures>),
    /// The closed cases, for browsing and searching them.
    ClosedLoaded(Vec<crate::domain::case::Case>),
    /// A message for the status line, and whether it is an error.
    Notice(String, bool),
    /// A text to show over the screen (the drill score).
    Show(String),
    /// The answer to `Effect::CheckPin`: whether the PIN typed for `id` is theirs.
    PinChecked {
        id: String,
        ok: bool,
    },
    /// The drill clock after an `Effect::Steer`.
    DrillSteered(Steered),
    /// What one scan of the inbox did with each file it found (`Effect::ScanInbox`).
    InboxScanned(Vec<crate::ingest::inbox::Outcome>),
}

/// Something for the console process to do.
#[derive(Debug, PartialEq)]
pub enum Effect {
    /// Run commands as this operator: the one signed in when they were asked for, so
    /// whoever signs in next never acts under another's name (nor the reverse).
    Run(Operator, Vec<Command>),
    LoadCase(String),
    RefreshCase(String),
    /// Load the whole queue (`Msg::CaseTexts`, then `Msg::QueueLoaded`).
    LoadQueue,
    Reload,
    LoadDepartments(PeriodKind),
    /// Read the closed cases (`Msg::ClosedLoaded`).
    LoadClosed,
    /// Write the period's report to the reports folder.
    ExportReport(PeriodKind),
    Bell,
    Quit,
    /// A line for the log file (sign-in attempts).
    Log(String),
    /// Write a handover summary to the handovers folder.
    ExportHandover(String),
    /// Score the drill so far and show it.
    DrillScore,
    /// Check a PIN against its stored hash (argon2: slow, so off the UI task); the
    /// answer is `Msg::PinChecked`.
    CheckPin {
        id: String,
        stored: String,
        pin: Pin,
    },
    /// Change the drill clock; the answer is `Msg::DrillSteered`.
    Steer(Steer),
    /// Ingest the files waiting in the inbox; the answer is `Msg::InboxScanned`.
    ScanInbox,
}

/// A PIN as typed; never shown, not even in debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(pub String);

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(…)")
    }
}

/// A change to the drill clock.
#[derive(Debug, Clone, PartialEq)]
pub enum Steer {
    /// The trainer pauses a running clock or resumes a paused one.
    TogglePause,
    /// The trainer's next speed: 1×, 5×, 30×, 60×, then 1× again.
    NextSpeed,
    /// The trainer jumps to the next entry.
    Next,
    /// A trainee's clock takes the trainer's recorded pace.
    FollowPace(DrillPace),
    /// A trainee's clock corrects towards the trainer's, as heartbeats measured it.
    FollowPeers(Vec<crate::sync::PeerStatus>),
}

/// The drill clock after a [`Steer`].
#[derive(Debug, Clone, PartialEq)]
pub struct Steered {
    pub asked: Steer,
    /// The drill time now.
    pub now: DateTime<Utc>,
    /// The clock's pace now, to record after a trainer's change.
    pub pace: DrillPace,
    /// Where `Steer::Next` jumped to; `None` when no entry was left.
    pub jumped: Option<DateTime<Utc>>,
}
