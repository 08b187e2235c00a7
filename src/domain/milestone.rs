//! Deadline milestones of a case and what meets them.

use crate::domain::names::Named;
use crate::named_serde;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The kinds of deadline the county's rules set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MilestoneKind {
    /// Ordinary opinion: respond within 48 h (国办发〔2016〕61号).
    FirstResponse,
    /// Major events: report to the county government first.
    ReportCounty,
    /// Major events: authoritative information within 5 h (国办发〔2016〕80号).
    AuthoritativeInfo,
    /// Major events: a press conference within 24 h.
    PressConference,
    /// Major events: a further update every N hours while open.
    Update,
    /// Major events: a follow-up report (续报) to the county government every N hours
    /// after the first, while the case is open.
    CountyUpdate,
}

impl Named for MilestoneKind {
    const WHAT: &'static str = "milestone";
    const WHAT_ZH: &'static str = "时限节点";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (MilestoneKind::FirstResponse, "first_response", "首次回应"),
        (MilestoneKind::ReportCounty, "report_county", "报告县政府"),
        (MilestoneKind::AuthoritativeInfo, "authoritative_info", "发布权威信息"),
        (MilestoneKind::PressConference, "press_conference", "新闻发布会"),
        (MilestoneKind::Update, "update", "持续发布"),
        (MilestoneKind::CountyUpdate, "county_update", "续报县政府"),
    ];
}
named_serde!(MilestoneKind);

/// One deadline of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub kind: MilestoneKind,
    pub due: DateTime<Utc>,
    /// The start of the window the countdown colours are measured against.
    pub since: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met_at: Option<DateTime<Utc>>,
    /// `console:seq` of the event that met it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met_by: Option<String>,
    /// Set when a supervisor extended it; reclassification then keeps the extended due.
    #[serde(default)]
    pub extended: bool,
    /// The due time before any extension, kept for the case's history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_due: Option<DateTime<Utc>>,
    /// Set when a reclassification dropped it after it had fallen due unmet: it is no
    /// longer waited for, and counts as missed in every figure (lateness stays late).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lapsed: bool,
    /// Set when the case closed before this milestone fell due: it no longer counts.
    #[serde(default)]
    pub waived: bool,
}

impl Milestone {
    /// A milestone of `kind` due at `due`, counted from `since`.
    pub fn new(kind: MilestoneKind, due: DateTime<Utc>, since: DateTime<Utc>) -> Milestone {
        Milestone {
            kind,
            due,
            since,
            met_at: None,
            met_by: None,
            extended: false,
            original_due: None,
            lapsed: false,
            waived: false,
        }
    }

    /// True when it is past due and not met at `now`.
    pub fn overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.pending() && now > self.due
    }

    /// True while it still waits to be met.
    pub fn pending(&self) -> bool {
        !self.waived && !self.lapsed && self.met_at.is_none()
    }

    /// True when it was met after its due time.
    pub fn met_late(&self) -> bool {
        self.met_at.is_some_and(|t| t > self.due)
    }

    /// Share of the window left at `now`, from 1.0 (just started) down to 0.0 (due).
    pub fn share_left(&self, now: DateTime<Utc>) -> f64 {
        let window = (self.due - self.since).num_seconds().max(1) as f64;
        ((self.due - now).num_seconds() as f64 / window).clamp(0.0, 1.0)
    }
}
