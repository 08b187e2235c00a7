//! The status line once a form's commands are saved: what was done, by number (the
//! case opened, how many items were dismissed and how to undo it); and once the inbox
//! took a file.

use super::strings::{self, M};
use crate::domain::department::Directory;
use crate::domain::event::{Event, EventBody};
use crate::i18n::Lang;

/// The line for the events a submission saved; `undo` is the key that undoes a dismissal.
pub fn saved(events: &[&Event], undo: Option<String>, lang: Lang, directory: &Directory) -> String {
    let count = |f: fn(&EventBody) -> bool| events.iter().filter(|e| f(&e.body)).count();
    if let Some(case) = events.iter().find_map(|e| match &e.body {
        EventBody::CaseOpened { case, .. } => Some(case),
        _ => None,
    }) {
        return format!("{} {case}", M::CaseRegistered.t(lang));
    }
    let dismissed = count(|b| matches!(b, EventBody::ItemDismissed { .. }));
    if dismissed > 0 {
        return strings::dismissed(dismissed, undo, lang);
    }
    let restored = count(|b| matches!(b, EventBody::ItemRestored { .. }));
    if restored > 0 {
        return format!("{} {restored}{}", M::Restored.t(lang), lang.t(" 条", ""));
    }
    // Several items attached at once: how many, to which case.
    let attached: Vec<&String> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::ItemAttached { case, .. } => Some(case),
            _ => None,
        })
        .collect();
    if attached.len() > 1 {
        let (n, case) = (attached.len(), attached[0]);
        return match lang {
            Lang::Zh => format!("{}：{n} 条并入 {case}", M::Done.t(lang)),
            Lang::En => format!("{}: {n} items attached to {case}", M::Done.t(lang)),
        };
    }
    // What was done, and to which case or item (`已保存: A-0002 督办: …`), unless the
    // words name it already (`并入 A.14 → A-0003`).
    match events.first() {
        Some(e) => {
            let what = crate::describe::event_named(e, lang, directory);
            match crate::describe::subject(e).filter(|s| !what.contains(s.as_str())) {
                Some(s) => format!("{}: {s} {what}", M::Done.t(lang)),
                None => format!("{}: {what}", M::Done.t(lang)),
            }
        }
        None => M::Done.t(lang).to_string(),
    }
}

/// The status line for a file the inbox took, and whether it is an error.
pub fn inbox(o: crate::ingest::inbox::Outcome, lang: Lang) -> (String, bool) {
    use crate::ingest::inbox::Outcome;
    match o {
        Outcome::Ingested { file, new, duplicates } => (
            format!("{} {file}: +{new} ({duplicates} {})", M::InboxIngested.t(lang), M::InboxDuplicates.t(lang)),
            false,
        ),
        Outcome::Rejected { file, why } => {
            (format!("{} {file}: {}", M::InboxRejected.t(lang), why.of(lang).lines().next().unwrap_or("")), true)
        }
    }
}
