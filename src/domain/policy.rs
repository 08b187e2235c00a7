//! The response policy: which milestones a case gets for its severity, from when they
//! count, and when each falls due; how long an extension may be. Values come from
//! `policy.toml`, checked by [`Policy::check`]; the defaults are the county's rules.

use crate::domain::case::{Category, Outcome, ResponseKind, Severity};
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
    /// From when a case's deadlines count (see [`ClockBase`]).
    pub clock_base: ClockBase,
    /// An extension may move a due time at most this many hours past its original due.
    pub max_extension_hours: u32,
    /// Major events: nothing is published, and no press conference held, before the
    /// report to the county government (R11: report first).
    pub report_before_publish: bool,
    /// Items waiting in the queue longer than this many hours are flagged; 0 turns it off.
    pub queue_alert_hours: u32,
    /// Items untriaged this many days after they were received leave the queue as
    /// expired (a running hub sends `item_expired`; restorable); 0 keeps them for good.
    pub queue_expire_days: u32,
    /// Major events: after the first report, a follow-up report (续报) to the county
    /// government every this many hours while open; 0 turns it off.
    pub county_update_every_hours: u32,
    /// A draft on a case with co-departments is signed off by each of them (会签)
    /// before a supervisor approves it (R12).
    pub cosign_before_approval: bool,
    /// A running hub writes each finished week's 通报 into `<data>/reports/`.
    pub report_weekly: bool,
    /// A running hub writes each finished month's 通报 into `<data>/reports/`.
    pub report_monthly: bool,
    /// What each category of case must publish before it closes, and how it may end
    /// (R10: respond by kind).
    pub responses: Responses,
}

/// Per category: the response it needs and the outcomes it allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Responses {
    pub suggestion: ByKind,
    pub difficulty: ByKind,
    pub misunderstanding: ByKind,
    pub rumor: ByKind,
    pub other: ByKind,
}

/// What one category of case needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByKind {
    /// A response of one of these kinds must have been published before the case
    /// closes; empty: none is required.
    pub requires: Vec<ResponseKind>,
    /// The outcomes a case of this category may close with.
    pub outcomes: Vec<Outcome>,
}

impl Responses {
    /// What cases of `category` need.
    pub fn of(&self, category: Category) -> &ByKind {
        match category {
            Category::Suggestion => &self.suggestion,
            Category::Difficulty => &self.difficulty,
            Category::Misunderstanding => &self.misunderstanding,
            Category::Rumor => &self.rumor,
            Category::Other => &self.other,
        }
    }
}

impl Default for Responses {
    /// The county's rules (R10): suggestions adopted openly; difficulties answered with
    /// a solution; misunderstandings with authoritative information that clarifies;
    /// rumours and mistaken views with information that corrects them (clues may go to
    /// the police, R4). Any published response counts where no kind is named.
    fn default() -> Self {
        use Outcome as O;
        use ResponseKind as K;
        let any = vec![K::FirstResponse, K::AuthoritativeInfo, K::Update];
        Responses {
            suggestion: ByKind { requires: any.clone(), outcomes: vec![O::Adopted, O::NoAction] },
            difficulty: ByKind { requires: any.clone(), outcomes: vec![O::Solved, O::Referred] },
            misunderstanding: ByKind { requires: vec![K::AuthoritativeInfo], outcomes: vec![O::Clarified] },
            rumor: ByKind { requires: any, outcomes: vec![O::Corrected, O::Clarified, O::Referred] },
            other: ByKind {
                requires: vec![],
                outcomes: vec![O::Adopted, O::Solved, O::Clarified, O::Corrected, O::Referred, O::NoAction],
            },
        }
    }
}

/// The moment a case's milestones count from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockBase {
    /// When the duty room received the case's earliest item (the default: the county
    /// learned of the opinion then, whenever an officer opened the case).
    Received,
    /// When the earliest item was published, where the source says; else received.
    Published,
    /// When the case was opened.
    Opened,
}

/// The bounds a policy value must lie in: (field, lowest, highest).
const BOUNDS: &[(&str, u32, u32)] = &[
    ("first_response_hours", 1, 720),
    ("report_county_minutes", 1, 1440),
    ("authoritative_info_hours", 1, 168),
    ("press_conference_hours", 1, 168),
    ("update_every_hours", 0, 168),
    ("max_extension_hours", 1, 720),
    ("queue_alert_hours", 0, 168),
    ("queue_expire_days", 0, 3650),
    ("county_update_every_hours", 0, 168),
];

impl Default for Policy {
    fn default() -> Self {
        Policy {
            first_response_hours: 48,
            report_county_minutes: 60,
            authoritative_info_hours: 5,
            press_conference_hours: 24,
            update_every_hours: 24,
            clock_base: ClockBase::Received,
            max_extension_hours: 48,
            report_before_publish: true,
            queue_alert_hours: 2,
            queue_expire_days: 7,
            county_update_every_hours: 24,
            cosign_before_approval: true,
            report_weekly: true,
            report_monthly: true,
            responses: Responses::default(),
        }
    }
}

impl Policy {
    /// Checks every value against its bounds and the deadlines against each other: the
    /// field at fault and what would be valid, or `Ok`.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let value = |field: &str| match field {
            "first_response_hours" => self.first_response_hours,
            "report_county_minutes" => self.report_county_minutes,
            "authoritative_info_hours" => self.authoritative_info_hours,
            "press_conference_hours" => self.press_conference_hours,
            "update_every_hours" => self.update_every_hours,
            "max_extension_hours" => self.max_extension_hours,
            "county_update_every_hours" => self.county_update_every_hours,
            "queue_expire_days" => self.queue_expire_days,
            _ => self.queue_alert_hours,
        };
        for &(field, lo, hi) in BOUNDS {
            let v = value(field);
            if !(lo..=hi).contains(&v) {
                return Err((field, format!("{v} is out of range; use {lo} to {hi}")));
            }
        }
        if self.authoritative_info_hours > self.press_conference_hours {
            return Err((
                "authoritative_info_hours",
                format!(
                    "{} h is after the press conference ({} h); authoritative information comes first (the rules for major events)",
                    self.authoritative_info_hours, self.press_conference_hours
                ),
            ));
        }
        for (field, by) in [
            ("responses.suggestion", &self.responses.suggestion),
            ("responses.difficulty", &self.responses.difficulty),
            ("responses.misunderstanding", &self.responses.misunderstanding),
            ("responses.rumor", &self.responses.rumor),
            ("responses.other", &self.responses.other),
        ] {
            if by.outcomes.is_empty() {
                return Err((field, "no outcome is allowed, so no case could close; list at least one".into()));
            }
        }
        if self.report_county_minutes > self.authoritative_info_hours * 60 {
            return Err((
                "report_county_minutes",
                format!(
                    "{} min is after authoritative information ({} h); the county government is told first (the rules for major events)",
                    self.report_county_minutes, self.authoritative_info_hours
                ),
            ));
        }
        Ok(())
    }

    /// The milestones (kind, due) a case of `severity` must meet, counted from `base`.
    /// The first `update` falls due one interval after it. Values are bounded by
    /// [`Policy::check`], so no due time can overflow.
    pub fn plan(&self, severity: Severity, base: DateTime<Utc>) -> Vec<(MilestoneKind, DateTime<Utc>)> {
        let opened = base;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_pass_and_each_bad_value_names_its_field() {
        assert_eq!(Policy::default().check(), Ok(()));
        let bad = |f: fn(&mut Policy)| {
            let mut p = Policy::default();
            f(&mut p);
            p.check().unwrap_err().0
        };
        assert_eq!(bad(|p| p.first_response_hours = u32::MAX), "first_response_hours");
        assert_eq!(bad(|p| p.first_response_hours = 0), "first_response_hours");
        assert_eq!(bad(|p| p.press_conference_hours = 0), "press_conference_hours");
        assert_eq!(bad(|p| p.authoritative_info_hours = 30), "authoritative_info_hours", "after the press conference");
        assert_eq!(bad(|p| p.report_county_minutes = 400), "report_county_minutes", "after authoritative info");
        assert_eq!(bad(|p| p.queue_expire_days = 3651), "queue_expire_days");
    }
}
