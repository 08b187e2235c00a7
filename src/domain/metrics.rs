//! Department accountability figures over a period: the one implementation behind
//! `yuqing departments`, the console's departments screen and the reports. Each
//! figure is defined in `docs/metrics.md`.

use crate::domain::case::{Act, Case};
use crate::domain::department::Directory;
use crate::domain::milestone::Milestone;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A half-open period `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Period {
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && t < self.to
    }
}

/// One department's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct DeptFigures {
    pub code: String,
    pub name: String,
    pub cases_led: u32,
    pub cases_co_handled: u32,
    pub open_now: u32,
    pub overdue_now: u32,
    pub milestones_due: u32,
    pub met_on_time: u32,
    pub met_late: u32,
    /// `met_on_time / milestones_due`; `None` when nothing fell due.
    pub on_time_rate: Option<f64>,
    /// Median minutes from opening to the first published response.
    pub median_first_response_minutes: Option<i64>,
    pub acknowledgements: u32,
    pub escalations: u32,
    pub extensions: u32,
    pub accountability_marks: u32,
    pub referrals: u32,
}

fn open_at(c: &Case, t: DateTime<Utc>) -> bool {
    if c.opened_at > t {
        return false;
    }
    match &c.status {
        crate::domain::case::CaseStatus::Open => true,
        crate::domain::case::CaseStatus::Closed { at, .. } => *at > t,
    }
}

fn overdue_at(c: &Case, t: DateTime<Utc>) -> bool {
    open_at(c, t) && c.milestones.iter().any(|m| !m.lapsed && m.due < t && m.met_at.is_none_or(|met| met > t))
}

/// When a milestone counts in a period's figures, if it does: when it was met, if met
/// early (on time, before its due time); otherwise when it fell due. Each milestone so
/// counts in exactly one period, and a department that met everything early is judged
/// on it; only moments in the period and not after `as_of` count, waived ones never.
pub fn counted_at(m: &Milestone, period: &Period, as_of: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if m.waived {
        return None;
    }
    let at = match m.met_at {
        Some(t) if t <= m.due => t,
        _ => m.due,
    };
    (period.contains(at) && at <= as_of).then_some(at)
}

fn count_in(acts: &[Act], p: &Period) -> u32 {
    acts.iter().filter(|a| p.contains(a.at)).count() as u32
}

fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2 })
}

/// Figures for every department of `dir` over `period`; "now" figures are taken at
/// the earlier of `now` and the end of the period.
pub fn department_figures(dir: &Directory, cases: &[Case], period: Period, now: DateTime<Utc>) -> Vec<DeptFigures> {
    let as_of = now.min(period.to);
    dir.departments
        .iter()
        .map(|d| {
            let code = d.code.as_str();
            let mut f = DeptFigures { code: d.code.clone(), name: d.name.clone(), ..Default::default() };
            let mut first_response = Vec::new();
            for c in cases {
                let leads = c.lead == code;
                if period.contains(c.opened_at) {
                    if leads {
                        f.cases_led += 1;
                        if let Some(r) = c.responses.iter().map(|r| r.at).min() {
                            first_response.push((r - c.opened_at).num_minutes());
                        }
                    } else if c.co.iter().any(|x| x == code) {
                        f.cases_co_handled += 1;
                    }
                }
                f.acknowledgements +=
                    c.acks.iter().filter(|a| a.dept.as_deref() == Some(code) && period.contains(a.at)).count() as u32;
                f.accountability_marks +=
                    c.marks.iter().filter(|a| a.dept.as_deref() == Some(code) && period.contains(a.at)).count() as u32;
                // Lateness is the lead's of the time the milestone fell due (R5).
                for m in
                    c.milestones.iter().filter(|m| counted_at(m, &period, as_of).is_some_and(|t| c.lead_at(t) == code))
                {
                    f.milestones_due += 1;
                    match m.met_at {
                        Some(t) if t <= m.due => f.met_on_time += 1,
                        Some(t) if t <= as_of => f.met_late += 1,
                        _ => {}
                    }
                }
                if !leads {
                    continue;
                }
                f.open_now += open_at(c, as_of) as u32;
                f.overdue_now += overdue_at(c, as_of) as u32;
                f.escalations += count_in(&c.escalations, &period);
                f.extensions += count_in(&c.extensions, &period);
                f.referrals += count_in(&c.referrals, &period);
            }
            f.on_time_rate = (f.milestones_due > 0).then(|| f.met_on_time as f64 / f.milestones_due as f64);
            f.median_first_response_minutes = median(first_response);
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![30, 10, 20]), Some(20));
        assert_eq!(median(vec![40, 10, 20, 30]), Some(25));
    }
}
