//! Scheduled 通报: a running hub writes the report of each finished calendar week and
//! month (policy `report_weekly`, `report_monthly`) into `<data>/reports/`, named by
//! the period (`tongbao-2026-W47.html`, `tongbao-2026-11.html`, with `.md` and `.csv`).
//! A period's files are written once, the first time the hub runs after it ended;
//! nothing is rewritten, so a report sent out stays as it was sent.

use crate::desk::Desk;
use crate::domain::metrics::Period;
use crate::domain::policy::Policy;
use chrono::{DateTime, Datelike, Utc};
use std::path::{Path, PathBuf};

/// The finished periods the policy asks reports of at `now`: the last whole ISO week
/// and the last whole month, in the county's time, with their names.
pub fn due(policy: &Policy, now: DateTime<Utc>) -> Vec<(String, Period)> {
    let mut out = Vec::new();
    if policy.report_weekly {
        let week = (now.with_timezone(&crate::timefmt::zone()).date_naive() - chrono::Days::new(7)).iso_week();
        let name = format!("{}-W{:02}", week.year(), week.week());
        if let Ok((from, to)) = crate::timefmt::calendar(&name) {
            out.push((name, Period { from, to }));
        }
    }
    if policy.report_monthly {
        let (from, to) = crate::timefmt::last_month(now);
        let name = from.with_timezone(&crate::timefmt::zone()).format("%Y-%m").to_string();
        out.push((name, Period { from, to }));
    }
    out
}

/// Writes the due reports whose files are not in `folder` yet; returns the files
/// written.
pub fn write_due(desk: &Desk, folder: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (name, period) in due(&desk.settings().policy, desk.clock().now()) {
        let stem = format!("tongbao-{name}");
        if folder.join(format!("{stem}.html")).exists() {
            continue;
        }
        let files = super::files::write(desk, period, crate::timefmt::zone(), crate::i18n::Lang::Zh, folder, &stem)?;
        written.extend(files);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_whole_week_and_month_in_the_countys_time() {
        // Wednesday 2 December 2026, 10:00 in Beijing.
        let now = crate::timefmt::parse("2026-12-02T02:00:00Z").unwrap();
        let names: Vec<String> = due(&Policy::default(), now).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["2026-W48", "2026-11"]);
        let off = Policy { report_weekly: false, report_monthly: false, ..Policy::default() };
        assert!(due(&off, now).is_empty());
    }
}
