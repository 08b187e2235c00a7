//! The response policy: which milestones a case gets for its severity, and when each
//! falls due. Values come from `policy.toml`; the defaults are the county's rules.

use crate::domain::case::Severity;
use crate::domain::milestone::MilestoneKind;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Deadline settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Ordinary opinion: first response within this many hours (61号: 48).
    pub first_response_hours: u32,
    /// Major events: report to the county government within this many minutes (local: 60).
    pub report_county_minutes: u32,
    /// Major events: authoritative information within this many hours (80号: 5).
    pub authoritative_info_hours: u32,
    /// Major events: press conference within this many hours (61号: 24).
    pub press_conference_hours: u32,
    /// Major events: a further update every this many hours while open; 0 turns it off.
    pub update_every_hours: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            first_response_hours: 48,
            report_county_minutes: 60,
            authoritative_info_hours: 5,
            press_conference_hours: 24,
            update_every_hours: 24,
        }
    }
}

impl Policy {
    /// The milestones (kind, due) a case of `severity` opened at `opened` must meet.
    /// The first `update` falls due one interval after opening.
    pub fn plan(&self, severity: Severity, opened: DateTime<Utc>) -> Vec<(MilestoneKind, DateTime<Utc>)> {
        let h = |n: u32| opened + Duration::hours(n as i64);
        match severity {
            Severity::General => vec![(MilestoneKind::FirstResponse, h(self.first_response_hours))],
            Severity::Major | Severity::Extraordinary => {
                let mut v = vec![
                    (MilestoneKind::ReportCounty, opened + Duration::minutes(self.report_county_minutes as i64)),
                    (MilestoneKind::AuthoritativeInfo, h(self.authoritative_info_hours)),
                    (MilestoneKind::PressConference, h(self.press_conference_hours)),
                ];
                if self.update_every_hours > 0 {
                    v.push((MilestoneKind::Update, h(self.update_every_hours)));
                }
                v
            }
        }
    }
}
