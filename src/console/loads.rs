//! Reads the console needs from the store, and the files it writes, as plain blocking
//! functions: `effect.rs` runs them on blocking threads, tests call them directly.

use crate::desk::Desk;
use crate::domain::metrics::{DeptFigures, Period, department_figures};
use crate::store::{Store, StoreError};
use crate::ui::app::{CaseView, PeriodKind};
use chrono::{DateTime, Duration, FixedOffset, Utc};

/// A case with its items and timeline; `None` if there is no such case.
pub fn case_view(store: &Store, no: &str) -> Result<Option<CaseView>, StoreError> {
    let Some(case) = store.case(no)? else { return Ok(None) };
    let mut items = Vec::new();
    for id in &case.items {
        items.extend(store.item(id)?);
    }
    Ok(Some(CaseView { timeline: store.timeline(no)?, items, case, scroll: 0 }))
}

/// The period a choice on the departments screen means at `now` ("today" in `tz`).
pub fn period(kind: PeriodKind, now: DateTime<Utc>, tz: FixedOffset) -> Period {
    let from = match kind {
        PeriodKind::Today => {
            let midnight = now.with_timezone(&tz).date_naive().and_hms_opt(0, 0, 0).unwrap_or_default();
            midnight.and_local_timezone(tz).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or(now)
        }
        PeriodKind::Days7 => now - Duration::days(7),
        PeriodKind::Days30 => now - Duration::days(30),
        PeriodKind::All => DateTime::<Utc>::MIN_UTC,
        PeriodKind::Custom { from, to } => return Period { from, to },
    };
    Period { from, to: now + Duration::seconds(1) }
}

/// Every department's figures for a period choice.
pub fn departments(desk: &Desk, kind: PeriodKind, tz: FixedOffset) -> Result<Vec<DeptFigures>, StoreError> {
    let now = desk.clock().now();
    Ok(department_figures(&desk.settings().directory, &desk.store().cases()?, period(kind, now, tz), now))
}

/// Writes the report of a period choice into `<data>/reports/` in every format
/// (see `report::files`); returns the files written.
pub fn export_report(
    desk: &Desk,
    kind: PeriodKind,
    tz: FixedOffset,
    lang: crate::i18n::Lang,
) -> Result<Vec<std::path::PathBuf>, String> {
    let now = desk.clock().now();
    let folder = desk.store().path().join("reports");
    let stem = format!("report-{}", now.with_timezone(&tz).format("%Y%m%d-%H%M%S"));
    crate::report::files::write(desk, period(kind, now, tz), tz, lang, &folder, &stem)
}

/// The notice after files were written: what (`what`), the files' name and kinds
/// (`report-20261206-080000 .md .html .csv`), then their folder, which is long and so
/// comes last where a narrow status line cuts it.
pub fn written(what: &str, files: &[std::path::PathBuf]) -> String {
    let folder = files.first().and_then(|f| f.parent()).map(|p| p.display().to_string()).unwrap_or_default();
    let stem = files.first().and_then(|f| f.file_stem()).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let kinds: Vec<String> =
        files.iter().filter_map(|f| f.extension()).map(|e| format!(".{}", e.to_string_lossy())).collect();
    // One file by its name; several of one stem as the stem and their extensions.
    let named = match files {
        [one] => one.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        _ => format!("{stem} {}", kinds.join(" ")),
    };
    format!("{what} {named} → {folder}")
}

/// Writes a handover summary into `<data>/handovers/`; returns the file.
pub fn export_handover(desk: &Desk, summary: &str, tz: FixedOffset) -> Result<std::path::PathBuf, String> {
    let folder = desk.store().path().join("handovers");
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let file = folder.join(format!("handover-{}.md", desk.clock().now().with_timezone(&tz).format("%Y%m%d-%H%M%S")));
    std::fs::write(&file, summary).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(file)
}

/// The text of every item the `cases` hold, as (case, item, text): what the near-duplicate
/// index knows an open case by, beside its title.
pub fn case_texts(
    store: &crate::store::Store,
    cases: &[crate::domain::case::Case],
) -> Result<Vec<(String, String, String)>, StoreError> {
    let mut out = Vec::new();
    for c in cases {
        for id in &c.items {
            if let Some(it) = store.item(id)? {
                out.push((c.no.clone(), id.clone(), crate::triage::item_text(&it.fields.title, &it.fields.body)));
            }
        }
    }
    Ok(out)
}

/// The drill's score so far, as Markdown.
pub fn drill_score(desk: &Desk, scenario: &crate::drill::Scenario) -> Result<String, StoreError> {
    let store = desk.store();
    let events: Vec<_> = store.events()?.collect::<Result<_, _>>()?;
    let md = crate::drill::score(scenario, &store.items()?, &store.cases()?, &events).markdown;
    Ok(crate::text::aligned_tables(&md))
}

/// The closed cases, most recently closed first: for browsing and searching them.
pub fn closed_cases(store: &crate::store::Store) -> Result<Vec<crate::domain::case::Case>, crate::store::StoreError> {
    use crate::domain::case::CaseStatus;
    let mut closed: Vec<_> = store.cases()?.into_iter().filter(|c| !c.is_open()).collect();
    let at = |c: &crate::domain::case::Case| match c.status {
        CaseStatus::Closed { at, .. } => Some(at),
        CaseStatus::Open => None,
    };
    closed.sort_by(|a, b| at(b).cmp(&at(a)).then_with(|| b.no.cmp(&a.no)));
    Ok(closed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_written_is_named_whole_or_by_stem_and_extensions() {
        let one = written("交接摘要已保存", &["/d/handovers/handover-1.md".into()]);
        assert_eq!(one, "交接摘要已保存 handover-1.md → /d/handovers");
        let files =
            ["/d/reports/report-1.html".into(), "/d/reports/report-1.md".into(), "/d/reports/report-1.csv".into()];
        assert_eq!(written("报表已导出", &files), "报表已导出 report-1 .html .md .csv → /d/reports");
    }
}
