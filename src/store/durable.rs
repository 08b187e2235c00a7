//! The data folder's own note of what its database has saved, kept beside it in
//! `durable.json` and checked at every open. sled, given a log cut short (a copy that
//! stopped early, a damaged disk), may recover up to the cut without a word, and the
//! events after it would be gone unnoticed; with this note an open that finds fewer
//! events than were saved refuses, naming what is missing.
//!
//! The note is written after the flush of each commit that moves a mark, so it never claims more than the
//! database holds; it is replaced whole (written aside, then renamed), so a crash
//! leaves the old note or the new one, never a part. A missing note checks nothing (a
//! folder from before notes were kept); a note that is there but cannot be read was
//! changed by something else, and the open refuses rather than write over it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The note's file name, in the data folder.
pub const FILE: &str = "durable.json";

/// Notes that the database in `dir` holds every event of each console up to its
/// number in `held` (the gap-free marks); false if it could not. A failure is logged,
/// not an error: the commit it follows is durable whatever becomes of the note.
pub fn note(dir: &Path, held: &HashMap<String, u64>) -> bool {
    let sorted: BTreeMap<&String, &u64> = held.iter().collect();
    let aside = dir.join(format!("{FILE}.new"));
    let written = serde_json::to_vec(&sorted)
        .map_err(std::io::Error::other)
        .and_then(|json| std::fs::write(&aside, json))
        .and_then(|()| std::fs::rename(&aside, dir.join(FILE)));
    if let Err(e) = &written {
        tracing::warn!("could not note what {} has saved: {e}", dir.display());
    }
    written.is_ok()
}

/// Checks that the database in `dir`, holding `held` (its version vector), holds at
/// least what the note says was saved; the error says which console's events are
/// missing and what to do.
pub fn check(dir: &Path, held: &BTreeMap<String, u64>) -> Result<(), String> {
    let path = dir.join(FILE);
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("its note of what it saved, {}, cannot be read ({e})", path.display())),
    };
    let saved = serde_json::from_slice::<BTreeMap<String, u64>>(&text).map_err(|e| {
        format!(
            "its note of what it saved, {}, is not what yuqing writes ({e}): it was changed or damaged, so a log \
             cut short could not be told from a sound one (remove that file only if `yuqing verify` on a copy \
             of the folder without it finds the database whole)",
            path.display()
        )
    })?;
    let missing: Vec<String> = saved
        .iter()
        .filter(|(console, upto)| held.get(*console).copied().unwrap_or(0) < **upto)
        .map(|(console, upto)| {
            format!("console {console}'s events up to {} of the {upto} saved", held.get(console).copied().unwrap_or(0))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "its log was cut short: it holds only {} (as noted in {}; remove that file only if you replaced the \
         database on purpose)",
        missing.join(", "),
        dir.join(FILE).display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_holding_less_than_was_noted_is_refused_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let held: BTreeMap<String, u64> = [("A".to_string(), 40), ("B".to_string(), 7)].into();
        assert_eq!(check(dir.path(), &held), Ok(()), "no note yet: nothing to check");
        note(dir.path(), &[("A".to_string(), 40), ("B".to_string(), 7)].into());
        assert_eq!(check(dir.path(), &held), Ok(()));
        let more: BTreeMap<String, u64> = [("A".to_string(), 41), ("B".to_string(), 7), ("C".into(), 1)].into();
        assert_eq!(check(dir.path(), &more), Ok(()), "holding more than noted is fine (a crash before the note)");
        let cut: BTreeMap<String, u64> = [("A".to_string(), 12)].into();
        let e = check(dir.path(), &cut).unwrap_err();
        assert!(e.contains("console A's events up to 12 of the 40 saved"), "{e}");
        assert!(e.contains("console B's events up to 0 of the 7 saved"), "{e}");
        assert!(e.contains(FILE), "{e}");
    }

    #[test]
    fn a_note_that_cannot_be_read_refuses_the_open_rather_than_checking_nothing() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [&b"{\"A\": 4"[..], b"", b"null", b"{\"A\":\"x\"}", b"{\"A\":-1}", b"{\"A\":27.5}"] {
            std::fs::write(dir.path().join(FILE), bad).unwrap();
            let e = check(dir.path(), &BTreeMap::new()).unwrap_err();
            assert!(e.contains("is not what yuqing writes") && e.contains(FILE), "{bad:?}: {e}");
        }
        std::fs::remove_file(dir.path().join(FILE)).unwrap();
        assert_eq!(check(dir.path(), &BTreeMap::new()), Ok(()), "no note: a folder from before notes");
    }
}
