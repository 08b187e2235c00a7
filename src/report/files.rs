//! Writing a period's report to files, in every format under one name: the HTML 通报
//! to print or send, Markdown, and CSV for spreadsheets. Used by the console's `x` and
//! by a hub's scheduled reports.

use super::Report;
use crate::desk::Desk;
use crate::domain::metrics::Period;
use crate::i18n::Lang;
use chrono::FixedOffset;
use std::path::{Path, PathBuf};

/// Writes the report of `period` from `desk`'s store into `folder` as `stem.html`,
/// `stem.md` and `stem.csv`; returns the files written.
pub fn write(
    desk: &Desk,
    period: Period,
    tz: FixedOffset,
    lang: Lang,
    folder: &Path,
    stem: &str,
) -> Result<Vec<PathBuf>, String> {
    let now = desk.clock().now();
    let store = desk.store();
    let (items, cases) = (store.items().map_err(|e| e.to_string())?, store.cases().map_err(|e| e.to_string())?);
    let dir = &desk.settings().directory;
    let r = Report::build(&items, &cases, dir, period, now, tz).with_monitoring(store).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let csv = super::csv(&r).map_err(|e| e.to_string())?;
    let formats = [("html", super::html(&r, dir, lang)), ("md", super::markdown(&r, dir, lang)), ("csv", csv)];
    formats
        .into_iter()
        .map(|(ext, text)| {
            let file = folder.join(format!("{stem}.{ext}"));
            // Written beside, then renamed: a reader never sees half a report.
            let part = folder.join(format!(".{stem}.{ext}.part"));
            std::fs::write(&part, text)
                .and_then(|()| std::fs::rename(&part, &file))
                .map_err(|e| format!("{}: {e}", file.display()))?;
            Ok(file)
        })
        .collect()
}
