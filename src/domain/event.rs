//! Events: the facts the log records, inside an envelope that says who made them,
//! when, and where they sit in the one total order every console agrees on.

use crate::domain::case::{Category, Outcome, PublishChannel, Referral, ResponseKind, Severity};
use crate::domain::clock::DrillPace;
use crate::domain::hlc::Stamp;
use crate::domain::item::NewItem;
use crate::domain::milestone::MilestoneKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The version of the event envelope and bodies this build writes.
pub const SCHEMA_VERSION: u16 = 5;

/// A unique event id: the console that made it and that console's sequence number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventId {
    pub console: String,
    pub seq: u64,
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.console, self.seq)
    }
}

/// The total order of events: (stamp, console, sequence), the same on every console.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OrderKey(pub Stamp, pub String, pub u64);

impl OrderKey {
    /// Big-endian bytes that sort like the key (console names hold no NUL byte).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(24 + self.1.len());
        v.extend_from_slice(&((self.0.ms as u64) ^ (1 << 63)).to_be_bytes());
        v.extend_from_slice(&self.0.n.to_be_bytes());
        v.extend_from_slice(self.1.as_bytes());
        v.push(0);
        v.extend_from_slice(&self.2.to_be_bytes());
        v
    }

    /// The inverse of [`OrderKey::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Option<OrderKey> {
        if b.len() < 12 + 1 + 8 {
            return None;
        }
        let ms = (u64::from_be_bytes(b[0..8].try_into().ok()?) ^ (1 << 63)) as i64;
        let n = u32::from_be_bytes(b[8..12].try_into().ok()?);
        let rest = &b[12..];
        let nul = rest.iter().position(|&c| c == 0)?;
        let console = std::str::from_utf8(&rest[..nul]).ok()?.to_string();
        let seq = u64::from_be_bytes(rest[nul + 1..].try_into().ok()?);
        Some(OrderKey(Stamp { ms, n }, console, seq))
    }
}

/// One recorded fact with its envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub stamp: Stamp,
    /// Operator id of the person who acted.
    pub operator: String,
    /// `live`, or `drill:<name>`.
    pub realm: String,
    /// Schema version of the body.
    pub v: u16,
    pub body: EventBody,
    /// SHA-256 (hex) of the same console's previous event's recorded bytes (see
    /// [`crate::domain::codec`]): each console's events form a hash chain, so an event
    /// changed afterwards breaks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

impl Event {
    pub fn order_key(&self) -> OrderKey {
        OrderKey(self.stamp, self.id.console.clone(), self.id.seq)
    }

    /// When it happened (the stamp's physical part).
    pub fn at(&self) -> DateTime<Utc> {
        self.stamp.time()
    }
}

/// Which projection an event changes: one item or one case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Aggregate {
    Item(String),
    Case(String),
}

impl Aggregate {
    /// Store key prefix: `i:A.17` or `c:A-0042`.
    pub fn key(&self) -> String {
        match self {
            Aggregate::Item(id) => format!("i:{id}"),
            Aggregate::Case(no) => format!("c:{no}"),
        }
    }
}

/// What happened. Past tense; each is applied without ever failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    ItemReceived {
        id: String,
        item: NewItem,
    },
    ItemDismissed {
        item: String,
        reason: String,
    },
    CaseOpened {
        case: String,
        items: Vec<String>,
        title: String,
        severity: Severity,
        category: Category,
        lead: String,
        co: Vec<String>,
        /// The policy's milestones at opening.
        plan: Vec<(MilestoneKind, DateTime<Utc>)>,
        update_every_hours: u32,
        /// Names of the triage rules whose hints were kept.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        hints: Vec<String>,
        /// When the plan counts from (absent in events written before it was kept:
        /// those counted from the opening).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        counts_from: Option<DateTime<Utc>>,
    },
    ItemAttached {
        case: String,
        item: String,
    },
    CaseClassified {
        case: String,
        severity: Severity,
        category: Category,
        /// Milestones recomputed for the new severity.
        plan: Vec<(MilestoneKind, DateTime<Utc>)>,
        /// When the plan counts from: the case's base for general, when it became major
        /// for major and extraordinary (absent in older events: the opening).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        counts_from: Option<DateTime<Utc>>,
    },
    DepartmentsAssigned {
        case: String,
        lead: String,
        co: Vec<String>,
    },
    CaseTransferred {
        case: String,
        to: String,
        reason: String,
    },
    CaseAcknowledged {
        case: String,
        dept: String,
    },
    CaseEscalated {
        case: String,
        reason: String,
    },
    /// A co-department signed off draft number `draft` (会签).
    DraftSignedOff {
        case: String,
        draft: usize,
        dept: String,
    },
    /// One wording (口径) agreed for these cases.
    WordingAgreed {
        cases: Vec<String>,
        text: String,
    },
    ReportedToCounty {
        case: String,
        note: String,
        /// When the next follow-up report (续报) falls due, for a major case (absent:
        /// none is owed, or an event written before follow-ups were kept).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_due: Option<DateTime<Utc>>,
    },
    CaseReferred {
        case: String,
        to: Referral,
        reference: String,
    },
    ResponseDrafted {
        case: String,
        kind: ResponseKind,
        text: String,
    },
    ResponseApproved {
        case: String,
        draft: usize,
    },
    ResponsePublished {
        case: String,
        kind: ResponseKind,
        channel: PublishChannel,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        /// The approved draft this publishes, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        draft: Option<usize>,
    },
    PressConferenceHeld {
        case: String,
        note: String,
    },
    /// An officer asked for an extension, before the milestone fell due.
    ExtensionRequested {
        case: String,
        milestone: MilestoneKind,
        until: DateTime<Utc>,
        reason: String,
    },
    MilestoneExtended {
        case: String,
        milestone: MilestoneKind,
        until: DateTime<Utc>,
        reason: String,
    },
    NoteAdded {
        case: String,
        text: String,
    },
    AccountabilityMarked {
        case: String,
        dept: String,
        reason: String,
    },
    CaseClosed {
        case: String,
        outcome: Outcome,
        note: String,
    },
    CaseReopened {
        case: String,
        reason: String,
    },
    /// A shift handed over (交接班): from the acting operator to `to`, with the summary
    /// shown at the time. Changes no projection; kept for the record and the audit.
    ShiftHandedOver {
        to: String,
        summary: String,
    },
    /// An item's reach changed (a repost surge).
    ItemReachUpdated {
        item: String,
        reach: u64,
    },
    /// A drill's clock was paused, resumed, sped up or moved: trainees' clocks follow it.
    /// Changes no projection.
    DrillPaced {
        pace: DrillPace,
    },
    /// A trainer's note to everyone in a drill, shown on every console. Changes no
    /// projection.
    DrillNoted {
        text: String,
    },
    /// A console's certificate was revoked: every console refuses it from now on.
    /// (Schema 2.)
    ConsoleRevoked {
        name: String,
        /// SHA-256 of the certificate, hex.
        cert: String,
    },
    /// Who is at a terminal changed (sign-in, sign-out, lock, unlock) or a sign-in was
    /// refused; `who` is the operator concerned (for a refusal, the id that was tried),
    /// `detail` why a sign-in was refused. (Schema 3.)
    /// A day's monitoring record of one channel; `found` 0 is a nil return (零报告).
    MonitoringRecorded {
        day: chrono::NaiveDate,
        channel: crate::domain::item::Channel,
        found: u32,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    SessionRecorded {
        act: crate::domain::session::SessionAct,
        who: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        detail: String,
    },
    /// An operator of the deployment's roster was added or changed (name, role, PIN or
    /// token hash, disabled): the whole record, so the latest event (in the total order)
    /// is the operator. (Schema 3.)
    OperatorSet {
        operator: crate::domain::role::Operator,
    },
    /// A dismissed item put back in the queue (an undone dismissal): it is new again and
    /// may be triaged afresh. (Schema 4.)
    ItemRestored {
        item: String,
        reason: String,
    },
    /// An item left the queue untriaged, `days` (the policy's `queue_expire_days`)
    /// after it was received; an `item_restored` puts it back. A triage of the item in
    /// any order beats it. (Schema 5.)
    ItemExpired {
        item: String,
        days: u32,
    },
    /// A draft sent back to its author unapproved, with what to change; it no longer
    /// waits for approval. (Schema 4.)
    DraftReturned {
        case: String,
        draft: usize,
        reason: String,
    },
}

impl EventBody {
    /// Every aggregate this event changes.
    pub fn aggregates(&self) -> Vec<Aggregate> {
        use EventBody::*;
        match self {
            ItemReceived { id, .. } => vec![Aggregate::Item(id.clone())],
            ItemDismissed { item, .. } | ItemRestored { item, .. } | ItemExpired { item, .. } => {
                vec![Aggregate::Item(item.clone())]
            }
            CaseOpened { case, items, .. } => std::iter::once(Aggregate::Case(case.clone()))
                .chain(items.iter().map(|i| Aggregate::Item(i.clone())))
                .collect(),
            ItemAttached { case, item } => {
                vec![Aggregate::Case(case.clone()), Aggregate::Item(item.clone())]
            }
            WordingAgreed { cases, .. } => cases.iter().map(|c| Aggregate::Case(c.clone())).collect(),
            CaseClassified { case, .. }
            | DepartmentsAssigned { case, .. }
            | CaseTransferred { case, .. }
            | CaseAcknowledged { case, .. }
            | CaseEscalated { case, .. }
            | ReportedToCounty { case, .. }
            | ExtensionRequested { case, .. }
            | DraftSignedOff { case, .. }
            | CaseReferred { case, .. }
            | ResponseDrafted { case, .. }
            | ResponseApproved { case, .. }
            | DraftReturned { case, .. }
            | ResponsePublished { case, .. }
            | PressConferenceHeld { case, .. }
            | MilestoneExtended { case, .. }
            | NoteAdded { case, .. }
            | AccountabilityMarked { case, .. }
            | CaseClosed { case, .. }
            | CaseReopened { case, .. } => vec![Aggregate::Case(case.clone())],
            ShiftHandedOver { .. }
            | DrillPaced { .. }
            | DrillNoted { .. }
            | ConsoleRevoked { .. }
            | SessionRecorded { .. }
            | MonitoringRecorded { .. }
            | OperatorSet { .. } => vec![],
            ItemReachUpdated { item, .. } => vec![Aggregate::Item(item.clone())],
        }
    }

    /// The snake_case name of the event type, as in the JSON `type` field.
    pub fn kind(&self) -> &'static str {
        use EventBody::*;
        match self {
            ItemReceived { .. } => "item_received",
            ItemDismissed { .. } => "item_dismissed",
            CaseOpened { .. } => "case_opened",
            ItemAttached { .. } => "item_attached",
            CaseClassified { .. } => "case_classified",
            DepartmentsAssigned { .. } => "departments_assigned",
            CaseTransferred { .. } => "case_transferred",
            CaseAcknowledged { .. } => "case_acknowledged",
            CaseEscalated { .. } => "case_escalated",
            ReportedToCounty { .. } => "reported_to_county",
            ExtensionRequested { .. } => "extension_requested",
            DraftSignedOff { .. } => "draft_signed_off",
            WordingAgreed { .. } => "wording_agreed",
            CaseReferred { .. } => "case_referred",
            ResponseDrafted { .. } => "response_drafted",
            ResponseApproved { .. } => "response_approved",
            ResponsePublished { .. } => "response_published",
            PressConferenceHeld { .. } => "press_conference_held",
            MilestoneExtended { .. } => "milestone_extended",
            NoteAdded { .. } => "note_added",
            AccountabilityMarked { .. } => "accountability_marked",
            CaseClosed { .. } => "case_closed",
            CaseReopened { .. } => "case_reopened",
            ShiftHandedOver { .. } => "shift_handed_over",
            ItemReachUpdated { .. } => "item_reach_updated",
            DrillPaced { .. } => "drill_paced",
            DrillNoted { .. } => "drill_noted",
            ConsoleRevoked { .. } => "console_revoked",
            SessionRecorded { .. } => "session_recorded",
            MonitoringRecorded { .. } => "monitoring_recorded",
            OperatorSet { .. } => "operator_set",
            ItemRestored { .. } => "item_restored",
            ItemExpired { .. } => "item_expired",
            DraftReturned { .. } => "draft_returned",
        }
    }
}

/// True when `events` (one command's) took in a new item; false for a known item whose
/// reach rose on a second delivery, which ingest counts with the duplicates.
pub fn received(events: &[Event]) -> bool {
    events.iter().any(|e| matches!(e.body, EventBody::ItemReceived { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_key_bytes_round_trip_and_sort_like_the_key() {
        let a = OrderKey(Stamp { ms: 1_700_000_000_000, n: 2 }, "A".into(), 7);
        let b = OrderKey(Stamp { ms: 1_700_000_000_000, n: 2 }, "AB".into(), 1);
        let c = OrderKey(Stamp { ms: 1_700_000_000_001, n: 0 }, "A".into(), 1);
        for k in [&a, &b, &c] {
            assert_eq!(OrderKey::from_bytes(&k.to_bytes()).as_ref(), Some(k));
        }
        assert!(a < b && b < c);
        assert!(a.to_bytes() < b.to_bytes() && b.to_bytes() < c.to_bytes());
    }
}
