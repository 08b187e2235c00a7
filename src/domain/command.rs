//! Commands: what a person asks for. `decide` turns each into events or refuses it.

use crate::domain::case::{Category, Outcome, PublishChannel, Referral, ResponseKind, Severity};
use crate::domain::clock::DrillPace;
use crate::domain::item::NewItem;
use crate::domain::milestone::MilestoneKind;
use crate::domain::permission::CommandKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A request to change something, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Command {
    ReceiveItem {
        item: NewItem,
    },
    DismissItem {
        item: String,
        reason: String,
    },
    /// Undoes a dismissal or an expiry: the item goes back to the queue.
    RestoreItem {
        item: String,
        reason: String,
    },
    /// Takes an item untriaged for `days` out of the queue (queue hygiene, sent by a
    /// running hub under the policy's `queue_expire_days`).
    ExpireItem {
        item: String,
        days: u32,
    },
    OpenCase {
        items: Vec<String>,
        title: String,
        severity: Severity,
        category: Category,
        lead: String,
        co: Vec<String>,
        /// Names of the triage rules whose hints the officer kept.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        hints: Vec<String>,
    },
    AttachItem {
        case: String,
        item: String,
    },
    Classify {
        case: String,
        severity: Severity,
        category: Category,
        /// On an upgrade to major: the item whose facts made it major, from whose
        /// arrival the major deadlines count (default: the upgrade itself).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since_item: Option<String>,
    },
    Assign {
        case: String,
        lead: String,
        co: Vec<String>,
    },
    Transfer {
        case: String,
        to: String,
        reason: String,
    },
    Acknowledge {
        case: String,
        dept: String,
    },
    Escalate {
        case: String,
        reason: String,
    },
    ReportCounty {
        case: String,
        note: String,
    },
    Refer {
        case: String,
        to: Referral,
        reference: String,
    },
    Draft {
        case: String,
        kind: ResponseKind,
        text: String,
    },
    /// A co-department signs off a draft (会签); `None` means the latest unapproved one.
    SignOff {
        case: String,
        draft: Option<usize>,
        dept: String,
    },
    /// One agreed wording (口径) for related cases of one incident, which each of their
    /// publications quotes (R12).
    AgreeWording {
        cases: Vec<String>,
        text: String,
    },
    /// Approves a draft; `None` means the latest unapproved one.
    Approve {
        case: String,
        draft: Option<usize>,
    },
    /// Sends a draft back to its author; `None` means the latest one waiting.
    ReturnDraft {
        case: String,
        draft: Option<usize>,
        reason: String,
    },
    Publish {
        case: String,
        kind: ResponseKind,
        channel: PublishChannel,
        text: String,
        url: Option<String>,
    },
    PressConference {
        case: String,
        note: String,
    },
    /// Asks a supervisor to extend a milestone (before it falls due).
    RequestExtension {
        case: String,
        milestone: MilestoneKind,
        until: DateTime<Utc>,
        reason: String,
    },
    Extend {
        case: String,
        milestone: MilestoneKind,
        until: DateTime<Utc>,
        reason: String,
    },
    Note {
        case: String,
        text: String,
    },
    Mark {
        case: String,
        dept: String,
        reason: String,
    },
    Close {
        case: String,
        outcome: Outcome,
        note: String,
    },
    Reopen {
        case: String,
        reason: String,
    },
    /// The duty officer's daily monitoring record of one channel (R1): how many items
    /// of concern were found on `day`, 0 being a nil return (零报告).
    RecordMonitoring {
        day: chrono::NaiveDate,
        channel: crate::domain::item::Channel,
        found: u32,
        note: String,
    },
    /// Records who is at the terminal now (sign-in, sign-out, lock, unlock, a refused
    /// sign-in); `who` is the operator concerned.
    RecordSession {
        act: crate::domain::session::SessionAct,
        who: String,
        detail: String,
    },
    /// Adds or changes an operator of the deployment's roster (the whole record; PIN
    /// and token as hashes only).
    SetOperator {
        operator: crate::domain::role::Operator,
    },
    /// Records a shift handover (交接班) with its summary.
    HandOver {
        to: String,
        summary: String,
    },
    /// An item's reach changed (reposts, views).
    UpdateReach {
        item: String,
        reach: u64,
    },
    /// The trainer paused, resumed, sped up or moved a drill's clock.
    PaceDrill {
        pace: DrillPace,
    },
    /// A trainer's note to everyone in a drill.
    NoteDrill {
        text: String,
    },
    /// A console's certificate is revoked (a lost laptop): every console refuses it.
    RevokeConsole {
        name: String,
        /// SHA-256 of the certificate, hex.
        cert: String,
    },
}

impl Command {
    /// The verb, as the command line spells it and as refusals name it.
    pub fn verb(&self) -> &'static str {
        use Command::*;
        match self {
            ReceiveItem { .. } => "ingest items",
            DismissItem { .. } => "dismiss items",
            RestoreItem { .. } => "restore dismissed items",
            ExpireItem { .. } => "expire items",
            OpenCase { .. } => "open cases",
            AttachItem { .. } => "attach items",
            Classify { .. } => "classify cases",
            Assign { .. } => "assign departments",
            Transfer { .. } => "transfer cases",
            Acknowledge { .. } => "acknowledge cases",
            Escalate { .. } => "escalate cases",
            ReportCounty { .. } => "report to the county",
            Refer { .. } => "refer cases",
            Draft { .. } => "draft responses",
            SignOff { .. } => "sign off drafts",
            AgreeWording { .. } => "agree wordings",
            Approve { .. } => "approve responses",
            ReturnDraft { .. } => "return drafts",
            Publish { .. } => "publish responses",
            PressConference { .. } => "record press conferences",
            RequestExtension { .. } => "request extensions",
            Extend { .. } => "extend milestones",
            Note { .. } => "add notes",
            Mark { .. } => "mark accountability",
            Close { .. } => "close cases",
            Reopen { .. } => "reopen cases",
            HandOver { .. } => "hand over the shift",
            RecordSession { .. } => "sign in and out",
            RecordMonitoring { .. } => "record daily monitoring",
            SetOperator { .. } => "change operators",
            UpdateReach { .. } => "update an item's reach",
            PaceDrill { .. } => "pace a drill",
            NoteDrill { .. } => "send drill notes",
            RevokeConsole { .. } => "revoke consoles",
        }
    }

    /// Its kind, as the permission table names it.
    pub fn kind(&self) -> CommandKind {
        use Command::*;
        match self {
            ReceiveItem { .. } => CommandKind::ReceiveItem,
            DismissItem { .. } => CommandKind::DismissItem,
            RestoreItem { .. } => CommandKind::RestoreItem,
            ExpireItem { .. } => CommandKind::ExpireItem,
            OpenCase { .. } => CommandKind::OpenCase,
            AttachItem { .. } => CommandKind::AttachItem,
            Classify { .. } => CommandKind::Classify,
            Assign { .. } => CommandKind::Assign,
            Transfer { .. } => CommandKind::Transfer,
            Acknowledge { .. } => CommandKind::Acknowledge,
            Escalate { .. } => CommandKind::Escalate,
            ReportCounty { .. } => CommandKind::ReportCounty,
            Refer { .. } => CommandKind::Refer,
            Draft { .. } => CommandKind::Draft,
            SignOff { .. } => CommandKind::SignOff,
            AgreeWording { .. } => CommandKind::AgreeWording,
            Approve { .. } => CommandKind::Approve,
            ReturnDraft { .. } => CommandKind::ReturnDraft,
            Publish { .. } => CommandKind::Publish,
            PressConference { .. } => CommandKind::PressConference,
            RequestExtension { .. } => CommandKind::RequestExtension,
            Extend { .. } => CommandKind::Extend,
            Note { .. } => CommandKind::Note,
            Mark { .. } => CommandKind::Mark,
            Close { .. } => CommandKind::Close,
            Reopen { .. } => CommandKind::Reopen,
            HandOver { .. } => CommandKind::HandOver,
            RecordSession { .. } => CommandKind::RecordSession,
            RecordMonitoring { .. } => CommandKind::RecordMonitoring,
            SetOperator { .. } => CommandKind::SetOperator,
            UpdateReach { .. } => CommandKind::UpdateReach,
            PaceDrill { .. } => CommandKind::PaceDrill,
            NoteDrill { .. } => CommandKind::NoteDrill,
            RevokeConsole { .. } => CommandKind::RevokeConsole,
        }
    }

    /// The case this command acts on, if any.
    pub fn case(&self) -> Option<&str> {
        use Command::*;
        match self {
            ReceiveItem { .. }
            | DismissItem { .. }
            | RestoreItem { .. }
            | ExpireItem { .. }
            | OpenCase { .. }
            | HandOver { .. }
            | RecordSession { .. }
            | RecordMonitoring { .. }
            | SetOperator { .. }
            | UpdateReach { .. }
            | PaceDrill { .. }
            | NoteDrill { .. }
            | RevokeConsole { .. } => None,
            AttachItem { case, .. }
            | Classify { case, .. }
            | Assign { case, .. }
            | Transfer { case, .. }
            | Acknowledge { case, .. }
            | Escalate { case, .. }
            | ReportCounty { case, .. }
            | Refer { case, .. }
            | Draft { case, .. }
            | Approve { case, .. }
            | SignOff { case, .. }
            | ReturnDraft { case, .. }
            | Publish { case, .. }
            | PressConference { case, .. }
            | Extend { case, .. }
            | RequestExtension { case, .. }
            | Note { case, .. }
            | Mark { case, .. }
            | Close { case, .. }
            | Reopen { case, .. } => Some(case),
            AgreeWording { cases, .. } => cases.first().map(String::as_str),
        }
    }
}
