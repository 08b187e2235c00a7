//! The report as CSV, for spreadsheets: UTF-8 with a byte-order mark (so spreadsheet
//! programs show Chinese right), in long form — one figure per row:
//! `section,key,measure,value`. The layout is in `docs/reports.md`.

use super::Report;
use crate::domain::names::Named;

pub fn render(r: &Report) -> Result<String, ::csv::Error> {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let mut failed: Option<::csv::Error> = None;
    let mut row = |a: &str, b: &str, c: &str, d: String| {
        if let Err(e) = w.write_record([a, b, c, d.as_str()]) {
            failed.get_or_insert(e);
        }
    };
    row("section", "key", "measure", "value".into());
    row("period", "", "from", r.period.from.to_rfc3339());
    row("period", "", "to", r.period.to.to_rfc3339());
    row("period", "", "as_of", r.as_of.to_rfc3339());
    for (c, n) in &r.by_channel {
        row("items", c.name(), "received", n.to_string());
    }
    row("items", "all", "received", r.items_received.to_string());
    row("items", "all", "dismissed", r.items_dismissed.to_string());
    row("items", "all", "attached", r.items_attached.to_string());
    row("items", "all", "still_new", r.items_new.to_string());
    row("items", "all", "expired", r.items_expired.to_string());
    row("cases", "all", "opened", r.cases_opened.to_string());
    for (s, n) in &r.by_severity {
        row("cases", s.name(), "opened", n.to_string());
    }
    for (c, n) in &r.by_category {
        row("cases", c.name(), "opened", n.to_string());
    }
    for (k, v) in &r.timeliness {
        row("timeliness", k.name(), "due", v.due.to_string());
        row("timeliness", k.name(), "on_time", v.on_time.to_string());
        row("timeliness", k.name(), "late", v.late.to_string());
        row("timeliness", k.name(), "overdue", v.overdue.to_string());
    }
    let ranks = r.ranks();
    for (i, d) in r.departments.iter().enumerate() {
        let opt = |v: Option<String>| v.unwrap_or_default();
        for (m, v) in [
            ("rank", ranks[i].to_string()),
            ("name", d.name.clone()),
            ("cases_led", d.cases_led.to_string()),
            ("cases_co_handled", d.cases_co_handled.to_string()),
            ("open_now", d.open_now.to_string()),
            ("overdue_now", d.overdue_now.to_string()),
            ("milestones_due", d.milestones_due.to_string()),
            ("met_on_time", d.met_on_time.to_string()),
            ("met_late", d.met_late.to_string()),
            ("on_time_rate", opt(d.on_time_rate.map(|x| format!("{x:.4}")))),
            ("median_first_response_minutes", opt(d.median_first_response_minutes.map(|x| x.to_string()))),
            ("acknowledgements", d.acknowledgements.to_string()),
            ("escalations", d.escalations.to_string()),
            ("extensions", d.extensions.to_string()),
            ("accountability_marks", d.accountability_marks.to_string()),
            ("referrals", d.referrals.to_string()),
        ] {
            row("department", &d.code, m, v);
        }
    }
    for (code, name) in &r.inactive {
        row("inactive", code, "name", name.clone());
    }
    for o in &r.overdue {
        row("overdue", &o.case, o.milestone.name(), o.minutes_late.to_string());
    }
    for m in &r.marks {
        row(m.kind.code(), &m.case, &m.dept, m.at.to_rfc3339());
    }
    for (d, (i, c)) in &r.daily {
        row("daily", &d.to_string(), "items", i.to_string());
        row("daily", &d.to_string(), "cases", c.to_string());
    }
    for ((day, channel), found) in &r.monitoring {
        row("monitoring", &day.to_string(), channel.name(), found.to_string());
    }
    for w in &r.wordings {
        row("wording", &w.cases.join(" "), &w.at.to_rfc3339(), w.text.clone());
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let body = w.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&body)))
}
