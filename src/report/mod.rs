//! Periodic reports (定期通报): what monitoring found and how it was handled over a
//! period, built once from items and cases and rendered as Markdown, CSV or HTML. The
//! department figures come from the same code as the departments screen.

mod csv;
pub mod files;
mod html;
mod markdown;
pub mod schedule;
pub mod words;

use words::W;

use crate::domain::case::{Act, Case, Category, Severity};
use crate::domain::department::Directory;
use crate::domain::item::{Channel, Item, ItemStatus};
use crate::domain::metrics::{DeptFigures, Period, counted_at, department_figures};
use crate::domain::milestone::MilestoneKind;
use crate::domain::names::Named;
use crate::i18n::Lang;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::collections::BTreeMap;

pub use csv::render as csv;
pub use html::render as html;
pub use markdown::render as markdown;

/// Timeliness of one milestone kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeliness {
    pub due: u32,
    pub on_time: u32,
    pub late: u32,
    /// Due in the period, unmet at its end (or now).
    pub overdue: u32,
}

/// An open case with a milestone past due at the end of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    pub case: String,
    pub title: String,
    pub lead: String,
    pub milestone: MilestoneKind,
    pub minutes_late: i64,
}

/// An escalation, extension, accountability mark or referral in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub kind: MarkKind,
    pub case: String,
    pub dept: String,
    pub at: DateTime<Utc>,
    pub text: String,
}

/// What kind of act a [`Mark`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Escalation,
    Extension,
    Accountability,
    Referral,
}

impl MarkKind {
    /// The code the CSV form writes.
    pub fn code(self) -> &'static str {
        match self {
            MarkKind::Escalation => "escalation",
            MarkKind::Extension => "extension",
            MarkKind::Accountability => "accountability",
            MarkKind::Referral => "referral",
        }
    }

    /// The word a reader sees.
    pub fn word(self) -> W {
        match self {
            MarkKind::Escalation => W::Escalation,
            MarkKind::Extension => W::Extension,
            MarkKind::Accountability => W::Accountability,
            MarkKind::Referral => W::Referral,
        }
    }
}

impl Mark {
    /// The note as a reader of `lang` reads it: a referral's and an extension's leading
    /// code (`cyber_police 沅网信〔2026〕12号`, `press_conference: …`) by its name.
    pub fn shown(&self, lang: Lang) -> String {
        use crate::domain::case::Referral;
        let named = |code: &str| -> Option<&'static str> {
            let zh = lang == Lang::Zh;
            match self.kind {
                MarkKind::Referral => Referral::parse(code).ok().map(|r| if zh { r.zh() } else { r.name() }),
                MarkKind::Extension => MilestoneKind::parse(code).ok().map(|m| if zh { m.zh() } else { m.name() }),
                _ => None,
            }
        };
        let (head, rest) = match self.text.find([' ', ':']) {
            Some(i) => self.text.split_at(i),
            None => (self.text.as_str(), ""),
        };
        match named(head) {
            Some(name) => format!("{name}{}", rest.replacen(':', lang.t("：", ":"), 1)),
            None => self.text.clone(),
        }
    }
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Report {
    pub period: Period,
    pub as_of: DateTime<Utc>,
    pub tz: FixedOffset,
    pub by_channel: BTreeMap<Channel, u32>,
    pub items_received: u32,
    pub items_dismissed: u32,
    pub items_attached: u32,
    pub items_new: u32,
    /// Left the queue untriaged after the policy's age (`item_expired`).
    pub items_expired: u32,
    pub cases_opened: u32,
    pub by_severity: BTreeMap<Severity, u32>,
    pub by_category: BTreeMap<Category, u32>,
    pub timeliness: BTreeMap<MilestoneKind, Timeliness>,
    /// The departments with something to judge in the period (a case led or co-handled,
    /// a milestone, an act on them), ranked best first: the highest on-time rate, then
    /// the fewest overdue cases, the quickest first response; those equal on all three
    /// in the directory's order ([`Report::ranks`] gives them one place).
    pub departments: Vec<DeptFigures>,
    /// The others, as (code, name): nothing of theirs to rank in the period.
    pub inactive: Vec<(String, String)>,
    pub overdue: Vec<Overdue>,
    pub marks: Vec<Mark>,
    /// Per local day: items received, cases opened.
    pub daily: BTreeMap<NaiveDate, (u32, u32)>,
    /// Wordings (口径) agreed in the period, each once, with the cases that share it.
    pub wordings: Vec<crate::domain::case::Wording>,
    /// The duty officer's daily monitoring records by (day, channel): items of concern
    /// found, 0 a nil return (零报告); a day and channel absent was not reported.
    pub monitoring: BTreeMap<(NaiveDate, Channel), u32>,
    /// The local day the deployment's records begin (set by [`Report::with_monitoring`]).
    pub log_begins: Option<NaiveDate>,
}

fn acts<'a>(kind: MarkKind, c: &'a Case, acts: &'a [Act], p: &'a Period) -> impl Iterator<Item = Mark> + 'a {
    acts.iter().filter(|a| p.contains(a.at)).map(move |a| Mark {
        kind,
        case: c.no.clone(),
        dept: a.dept.clone().unwrap_or_else(|| c.lead.clone()),
        at: a.at,
        text: a.text.clone(),
    })
}

impl Report {
    /// Builds the report of `period` from every item and case, as it stood at the end
    /// of the period (or now, if earlier).
    pub fn build(
        items: &[Item],
        cases: &[Case],
        dir: &Directory,
        period: Period,
        now: DateTime<Utc>,
        tz: FixedOffset,
    ) -> Report {
        let as_of = now.min(period.to);
        let day = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
        let mut r = Report {
            period,
            as_of,
            tz,
            by_channel: BTreeMap::new(),
            items_received: 0,
            items_dismissed: 0,
            items_attached: 0,
            items_new: 0,
            items_expired: 0,
            cases_opened: 0,
            by_severity: BTreeMap::new(),
            by_category: BTreeMap::new(),
            timeliness: BTreeMap::new(),
            departments: department_figures(dir, cases, period, now),
            inactive: Vec::new(),
            overdue: Vec::new(),
            marks: Vec::new(),
            daily: BTreeMap::new(),
            wordings: Vec::new(),
            monitoring: BTreeMap::new(),
            log_begins: None,
        };
        for it in items.iter().filter(|i| period.contains(i.received_at)) {
            r.items_received += 1;
            *r.by_channel.entry(it.fields.channel).or_default() += 1;
            r.daily.entry(day(it.received_at)).or_default().0 += 1;
            match &it.status {
                ItemStatus::New => r.items_new += 1,
                ItemStatus::Dismissed { .. } => r.items_dismissed += 1,
                ItemStatus::Attached { .. } => r.items_attached += 1,
                ItemStatus::Expired { .. } => r.items_expired += 1,
            }
        }
        for c in cases {
            if period.contains(c.opened_at) {
                r.cases_opened += 1;
                *r.by_severity.entry(c.severity).or_default() += 1;
                *r.by_category.entry(c.category).or_default() += 1;
                r.daily.entry(day(c.opened_at)).or_default().1 += 1;
            }
            let open_at_end = c.opened_at <= as_of
                && match &c.status {
                    crate::domain::case::CaseStatus::Open => true,
                    crate::domain::case::CaseStatus::Closed { at, .. } => *at > as_of,
                };
            for m in c.milestones.iter().filter(|m| !m.waived) {
                let unmet_at_end = m.met_at.is_none_or(|t| t > as_of);
                if counted_at(m, &period, as_of).is_some() {
                    let t = r.timeliness.entry(m.kind).or_default();
                    t.due += 1;
                    match m.met_at {
                        Some(met) if met <= m.due => t.on_time += 1,
                        Some(met) if met <= as_of => t.late += 1,
                        _ => t.overdue += 1,
                    }
                }
                if open_at_end && m.due < as_of && unmet_at_end {
                    r.overdue.push(Overdue {
                        case: c.no.clone(),
                        title: c.title.clone(),
                        lead: c.lead.clone(),
                        milestone: m.kind,
                        minutes_late: (as_of - m.due).num_minutes(),
                    });
                }
            }
            if let Some(w) = c.wording.as_ref().filter(|w| period.contains(w.at) && w.at <= as_of)
                && !r.wordings.contains(w)
            {
                r.wordings.push(w.clone());
            }
            r.marks.extend(acts(MarkKind::Escalation, c, &c.escalations, &period));
            r.marks.extend(acts(MarkKind::Extension, c, &c.extensions, &period));
            r.marks.extend(acts(MarkKind::Accountability, c, &c.marks, &period));
            r.marks.extend(acts(MarkKind::Referral, c, &c.referrals, &period));
        }
        r.overdue.sort_by(|a, b| b.minutes_late.cmp(&a.minutes_late).then(a.case.cmp(&b.case)));
        r.marks.sort_by(|a, b| a.at.cmp(&b.at).then(a.case.cmp(&b.case)));
        r.wordings.sort_by(|a, b| a.at.cmp(&b.at).then(a.cases.cmp(&b.cases)));
        let (active, inactive): (Vec<DeptFigures>, Vec<DeptFigures>) =
            std::mem::take(&mut r.departments).into_iter().partition(has_activity);
        r.inactive = inactive.into_iter().map(|d| (d.code, d.name)).collect();
        r.departments = active;
        // A stable sort: departments that rank equal keep the directory's order (the
        // order of departments.toml), not the order of their names' character codes.
        r.departments.sort_by(rank_order);
        r
    }

    /// Each ranked department's place, from 1; departments that rank equal share one
    /// (1, 2, 2, 4).
    pub fn ranks(&self) -> Vec<usize> {
        let d = &self.departments;
        let mut ranks: Vec<usize> = Vec::with_capacity(d.len());
        for i in 0..d.len() {
            let tied = i > 0 && rank_order(&d[i - 1], &d[i]) == std::cmp::Ordering::Equal;
            ranks.push(if tied { ranks[i - 1] } else { i + 1 });
        }
        ranks
    }

    /// Adds the monitoring records of the period's days from the event log (the last
    /// record of a day and channel stands), and notes when the log begins: days before
    /// the deployment's first event (or the first day a record was made for) are not listed (a period of "all time" would
    /// otherwise list every day since the calendar began).
    pub fn with_monitoring(mut self, store: &crate::store::Store) -> Result<Report, crate::store::StoreError> {
        let mut first: Option<NaiveDate> = None;
        let mut records = Vec::new();
        for ev in store.events()? {
            let ev = ev?;
            let mut day = ev.stamp.time().with_timezone(&self.tz).date_naive();
            if let crate::domain::EventBody::MonitoringRecorded { day: of, channel, found, .. } = ev.body {
                records.push((of, channel, found));
                day = day.min(of);
            }
            first = Some(first.map_or(day, |f| f.min(day)));
        }
        self.log_begins = first;
        let days = self.day_range();
        for (day, channel, found) in records {
            if days.as_ref().is_some_and(|(a, b)| (a..=b).contains(&&day)) {
                self.monitoring.insert((day, channel), found);
            }
        }
        Ok(self)
    }

    /// The first and last local day the monitoring table lists: the period's days from
    /// the day the log begins; none when nothing was ever recorded.
    fn day_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let begins = self.log_begins?;
        let first = self.period.from.max(DateTime::UNIX_EPOCH).with_timezone(&self.tz).date_naive().max(begins);
        // Up to the report's day at the latest: days still to come are not "not reported".
        let last = (self.period.to - chrono::Duration::seconds(1)).min(self.as_of).with_timezone(&self.tz).date_naive();
        (first <= last).then_some((first, last))
    }

    /// The local days the monitoring table lists (see [`Report::with_monitoring`]).
    pub fn days(&self) -> Vec<NaiveDate> {
        self.day_range().map(|(first, last)| first.iter_days().take_while(|d| *d <= last).collect()).unwrap_or_default()
    }

    /// What a day's record of a channel says: the count, 零报告, or 未报 (none).
    pub fn monitoring_cell(&self, day: NaiveDate, channel: Channel, lang: crate::i18n::Lang) -> String {
        match self.monitoring.get(&(day, channel)) {
            Some(0) => W::Nil.t(lang).to_string(),
            Some(n) => n.to_string(),
            None => W::Unreported.t(lang).to_string(),
        }
    }

    /// Local time, for headings and lists.
    pub fn local(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz).format("%Y-%m-%d %H:%M").to_string()
    }
}

/// True when a department has something to be judged on in the period.
fn has_activity(d: &DeptFigures) -> bool {
    d.cases_led
        + d.cases_co_handled
        + d.open_now
        + d.milestones_due
        + d.acknowledgements
        + d.escalations
        + d.extensions
        + d.accountability_marks
        + d.referrals
        > 0
}

/// The ranking's order: the highest on-time rate first, then the fewest overdue cases,
/// then the quickest median first response.
fn rank_order(a: &DeptFigures, b: &DeptFigures) -> std::cmp::Ordering {
    let rate = |d: &DeptFigures| d.on_time_rate.unwrap_or(-1.0);
    let median = |d: &DeptFigures| d.median_first_response_minutes.unwrap_or(i64::MAX);
    rate(b)
        .partial_cmp(&rate(a))
        .unwrap_or(std::cmp::Ordering::Equal)
        .then(a.overdue_now.cmp(&b.overdue_now))
        .then(median(a).cmp(&median(b)))
}

/// Headings of the ranked department table.
pub const DEPT_COLUMNS: [W; 12] = [
    W::Rank,
    W::Department,
    W::Led,
    W::Co,
    W::Open,
    W::OverdueNow,
    W::Rate,
    W::Median,
    W::Escalations,
    W::Extensions,
    W::Marks,
    W::Referrals,
];

/// The cells of one row of the ranked department table (`rank` counts from 1).
pub fn dept_cells(rank: usize, d: &DeptFigures) -> [String; 12] {
    [
        rank.to_string(),
        d.name.clone(),
        d.cases_led.to_string(),
        d.cases_co_handled.to_string(),
        d.open_now.to_string(),
        d.overdue_now.to_string(),
        d.on_time_rate
            .map(|x| format!("{:.0}% ({}/{})", x * 100.0, d.met_on_time, d.milestones_due))
            .unwrap_or_else(|| "-".into()),
        d.median_first_response_minutes.map(|m| m.to_string()).unwrap_or_else(|| "-".into()),
        d.escalations.to_string(),
        d.extensions.to_string(),
        d.accountability_marks.to_string(),
        d.referrals.to_string(),
    ]
}
