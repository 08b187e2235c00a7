//! Periodic reports (定期通报): what monitoring found and how it was handled over a
//! period, built once from items and cases and rendered as Markdown, CSV or HTML. The
//! department figures come from the same code as the departments screen.

mod csv;
pub mod files;
mod html;
mod markdown;
pub mod schedule;

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
    pub kind: &'static str,
    pub case: String,
    pub dept: String,
    pub at: DateTime<Utc>,
    pub text: String,
}

impl Mark {
    /// The note as a reader of `lang` reads it: a referral's and an extension's leading
    /// code (`cyber_police 沅网信〔2026〕12号`, `press_conference: …`) by its name.
    pub fn shown(&self, lang: Lang) -> String {
        use crate::domain::case::Referral;
        let named = |code: &str| -> Option<&'static str> {
            let zh = lang == Lang::Zh;
            match self.kind {
                "referral" => Referral::parse(code).ok().map(|r| if zh { r.zh() } else { r.name() }),
                "extension" => MilestoneKind::parse(code).ok().map(|m| if zh { m.zh() } else { m.name() }),
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
    /// the fewest overdue cases, the quickest first response, by name.
    pub departments: Vec<DeptFigures>,
    /// The names of the others: nothing of theirs to rank in the period.
    pub inactive: Vec<String>,
    pub overdue: Vec<Overdue>,
    pub marks: Vec<Mark>,
    /// Per local day: items received, cases opened.
    pub daily: BTreeMap<NaiveDate, (u32, u32)>,
    /// Wordings (口径) agreed in the period, each once, with the cases that share it.
    pub wordings: Vec<crate::domain::case::Wording>,
    /// The duty officer's daily monitoring records by (day, channel): items of concern
    /// found, 0 a nil return (零报告); a day and channel absent was not reported.
    pub monitoring: BTreeMap<(NaiveDate, Channel), u32>,
}

fn acts<'a>(kind: &'static str, c: &'a Case, acts: &'a [Act], p: &'a Period) -> impl Iterator<Item = Mark> + 'a {
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
            r.marks.extend(acts("escalation", c, &c.escalations, &period));
            r.marks.extend(acts("extension", c, &c.extensions, &period));
            r.marks.extend(acts("accountability", c, &c.marks, &period));
            r.marks.extend(acts("referral", c, &c.referrals, &period));
        }
        r.overdue.sort_by(|a, b| b.minutes_late.cmp(&a.minutes_late).then(a.case.cmp(&b.case)));
        r.marks.sort_by(|a, b| a.at.cmp(&b.at).then(a.case.cmp(&b.case)));
        r.wordings.sort_by(|a, b| a.at.cmp(&b.at).then(a.cases.cmp(&b.cases)));
        let (active, inactive): (Vec<DeptFigures>, Vec<DeptFigures>) =
            std::mem::take(&mut r.departments).into_iter().partition(has_activity);
        r.inactive = inactive.into_iter().map(|d| d.name).collect();
        r.departments = active;
        r.departments.sort_by(|a, b| {
            let rate = |d: &DeptFigures| d.on_time_rate.unwrap_or(-1.0);
            let median = |d: &DeptFigures| d.median_first_response_minutes.unwrap_or(i64::MAX);
            rate(b)
                .partial_cmp(&rate(a))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.overdue_now.cmp(&b.overdue_now))
                .then(median(a).cmp(&median(b)))
                .then(a.name.cmp(&b.name))
        });
        r
    }

    /// Adds the monitoring records of the period's days from the event log (the last
    /// record of a day and channel stands).
    pub fn with_monitoring(mut self, store: &crate::store::Store) -> Result<Report, crate::store::StoreError> {
        let days = self.days();
        for ev in store.events()? {
            if let crate::domain::EventBody::MonitoringRecorded { day, channel, found, .. } = ev?.body
                && days.contains(&day)
            {
                self.monitoring.insert((day, channel), found);
            }
        }
        Ok(self)
    }

    /// The local days the period touches.
    pub fn days(&self) -> Vec<NaiveDate> {
        let first = self.period.from.with_timezone(&self.tz).date_naive();
        let last = (self.period.to - chrono::Duration::seconds(1)).with_timezone(&self.tz).date_naive();
        first.iter_days().take_while(|d| *d <= last).collect()
    }

    /// What a day's record of a channel says: the count, 零报告, or 未报 (none).
    pub fn monitoring_cell(&self, day: NaiveDate, channel: Channel, lang: crate::i18n::Lang) -> String {
        match self.monitoring.get(&(day, channel)) {
            Some(0) => t(lang, "nil").to_string(),
            Some(n) => n.to_string(),
            None => t(lang, "unreported").to_string(),
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

/// Headings (keys of [`t`]) of the ranked department table.
pub const DEPT_COLUMNS: [&str; 12] = [
    "rank",
    "department",
    "led",
    "co",
    "open",
    "overdue_now",
    "rate",
    "median",
    "escalations",
    "extensions",
    "marks",
    "referrals",
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

/// Label of a closed-set value in the report's language.
pub fn label<T: Named + PartialEq>(v: T, lang: crate::i18n::Lang) -> &'static str {
    match lang {
        crate::i18n::Lang::Zh => v.zh(),
        crate::i18n::Lang::En => v.name(),
    }
}

/// Headings and labels of the reports, in both languages.
pub fn t(lang: crate::i18n::Lang, key: &str) -> &'static str {
    let (zh, en) = match key {
        "title" => ("政务舆情回应处置情况通报", "Public-opinion response report"),
        "period" => ("统计区间", "Period"),
        "as_of" => ("统计截至", "Figures as of"),
        "intake" => ("一、舆情收集情况", "1. Items received"),
        "by_channel" => ("按渠道", "By channel"),
        "handling" => ("二、处置情况", "2. Handling"),
        "received" => ("收到条目", "Items received"),
        "dismissed" => ("排除", "Dismissed"),
        "attached" => ("并入案件", "Made into or attached to cases"),
        "pending" => ("待处理", "Still in the queue"),
        "expired" => ("过期移出", "Expired untriaged"),
        "cases" => ("登记", "Cases opened"),
        "by_severity" => ("按级别", "By severity"),
        "by_category" => ("按类别", "By category"),
        "timeliness" => ("三、回应时效", "3. Response timeliness"),
        "milestone" => ("节点", "Milestone"),
        "due" => ("应完成", "Due"),
        "on_time" => ("按时", "On time"),
        "late" => ("超时完成", "Late"),
        "overdue" => ("超时未完成", "Overdue, unmet"),
        "departments" => ("四、各单位情况（排名）", "4. Departments (ranked)"),
        "ranking" => (
            "排名依据：按时完成率由高到低（第1名最好），其次在办超时案件少、首次回应快。按时完成率 = 按时完成的节点 ÷ 本期应完成的节点（提前完成的计入完成当期）；“-”表示本期无应完成节点。",
            "Ranked best first: the highest on-time rate, then the fewest overdue cases, then the quickest first response. On-time rate = milestones met on time ÷ milestones that fell due in the period (one met early counts when it was met); \"-\": none fell due.",
        ),
        "inactive" => {
            ("本期无牵头、协办或节点的单位（不排名）", "No case, milestone or act in the period (not ranked)")
        }
        "rank" => ("名次", "Rank"),
        "department" => ("单位", "Department"),
        "led" => ("牵头", "Led"),
        "co" => ("协办", "Co"),
        "open" => ("在办", "Open"),
        "overdue_now" => ("超时", "Overdue"),
        "rate" => ("按时完成率（按时/应完成）", "On-time rate (on time/due)"),
        "median" => ("首次回应中位(分钟)", "Median 1st response (min)"),
        "acks" => ("签收", "Ack"),
        "escalations" => ("督办", "Escalations"),
        "extensions" => ("延期", "Extensions"),
        "marks" => ("问责", "Accountability"),
        "referrals" => ("移交", "Referrals"),
        "overdue_cases" => ("五、超时未回应案件", "5. Overdue cases"),
        "case" => ("案件", "Case"),
        "lead" => ("牵头单位", "Lead"),
        "late_by" => ("超时", "Late by"),
        "supervision" => ("六、督办、延期、问责与移交", "6. Escalations, extensions, accountability, referrals"),
        "kind" => ("类型", "Kind"),
        "time" => ("时间", "Time"),
        "note" => ("说明", "Note"),
        "trend" => ("七、每日趋势", "7. Daily trend"),
        "wordings" => ("八、统一口径", "8. Agreed wordings"),
        "monitoring" => ("九、每日监测记录", "9. Daily monitoring records"),
        "nil" => ("零报告", "nil"),
        "unreported" => ("未报", "not reported"),
        "wording" => ("口径", "Wording"),
        "day" => ("日期", "Day"),
        "items" => ("条目", "Items"),
        "none" => ("无", "None"),
        "escalation" => ("督办", "escalation"),
        "extension" => ("延期", "extension"),
        "accountability" => ("问责", "accountability"),
        "referral" => ("移交", "referral"),
        _ => ("?", "?"),
    };
    lang.t(zh, en)
}
