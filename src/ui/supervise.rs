//! The supervision screen's rows (督办视图), in the order shown: overdue cases of every
//! department (longest overdue first), cases under escalation (latest first), drafts
//! waiting for approval, extensions asked for and not yet granted. Every row is about
//! one case: the highlighted row's case is what `Enter` opens and what the screen's
//! keys (`[supervision]` in the keymap) act on. `view/supervision.rs` draws them.

use super::app::{App, Screen};
use crate::domain::case::Case;

/// The sections of the screen, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overdue,
    Escalated,
    Waiting,
    Asked,
}

/// One selectable row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'a> {
    pub section: Section,
    pub case: &'a Case,
    /// The draft waiting (`Waiting`) or the extension request (`Asked`), by index.
    pub index: usize,
}

/// Every row, section by section.
pub fn rows(app: &App) -> Vec<Row<'_>> {
    let cases = &app.model.cases;
    let row = |section, case, index| Row { section, case, index };
    let overdue = app.model.case_order[..app.model.overdue(app.now)].iter().filter_map(|no| cases.get(no));
    let mut out: Vec<Row> = overdue.map(|c| row(Section::Overdue, c, 0)).collect();
    let mut escalated: Vec<&Case> = cases.values().filter(|c| !c.escalations.is_empty()).collect();
    escalated.sort_by_key(|c| (std::cmp::Reverse(c.escalations.last().map(|a| a.at)), c.no.clone()));
    out.extend(escalated.into_iter().map(|c| row(Section::Escalated, c, 0)));
    let mut waiting: Vec<&Case> = cases.values().filter(|c| c.drafts.iter().any(|d| d.waiting())).collect();
    waiting.sort_by(|a, b| a.no.cmp(&b.no));
    for c in waiting {
        out.extend(c.drafts.iter().enumerate().filter(|(_, d)| d.waiting()).map(|(i, _)| row(Section::Waiting, c, i)));
    }
    let mut asked: Vec<Row> = cases
        .values()
        .flat_map(|c| {
            c.extension_requests
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.granted)
                .map(move |(i, _)| row(Section::Asked, c, i))
        })
        .collect();
    asked.sort_by_key(|r| (r.case.extension_requests[r.index].at, r.case.no.clone()));
    out.extend(asked);
    out
}

/// The highlighted row: the selection, kept within the rows there are.
pub fn selected(app: &App) -> Option<Row<'_>> {
    let rows = rows(app);
    let at = app.lists.supervision.min(rows.len().saturating_sub(1));
    rows.get(at).copied()
}

/// The draft or extension request (by index) of case `no` that the highlighted row of
/// the supervision screen is about, when that screen is shown and the row is one of
/// `section`: the form acts on that one rather than on the case's latest.
pub fn highlighted(app: &App, no: &str, section: Section) -> Option<usize> {
    if app.screen != Screen::Supervision {
        return None;
    }
    selected(app).filter(|r| r.section == section && r.case.no == no).map(|r| r.index)
}
