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

use crate::domain::said::Said;
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
pub fn check(dir: &Path, held: &BTreeMap<String, u64>) -> Result<(), Said> {
    let path = dir.join(FILE);
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Said {
                en: format!("its note of what it saved, {}, cannot be read ({e})", path.display()),
                zh: format!("它保存情况的记录 {} 读不出（{e}）", path.display()),
            });
        }
    };
    let saved = serde_json::from_slice::<BTreeMap<String, u64>>(&text).map_err(|e| Said {
        en: format!(
            "its note of what it saved, {}, is not what yuqing writes ({e}): it was changed or damaged, so a log \
             cut short could not be told from a sound one (remove that file only if `yuqing verify` on a copy \
             of the folder without it finds the database whole)",
            path.display()
        ),
        zh: format!(
            "它保存情况的记录 {} 不是 yuqing 写的样子（{e}）：被改动或损坏了，因而无法分辨日志是否被截短\
             （只有在该文件夹的副本去掉此文件后 yuqing verify 认定数据库完整时，才可删去此文件）",
            path.display()
        ),
    })?;
    let missing: Vec<(&String, u64, u64)> = saved
        .iter()
        .map(|(console, upto)| (console, held.get(console).copied().unwrap_or(0), *upto))
        .filter(|(_, held, upto)| held < upto)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let each =
        |f: &dyn Fn(&(&String, u64, u64)) -> String, sep: &str| missing.iter().map(f).collect::<Vec<_>>().join(sep);
    let note = dir.join(FILE);
    Err(Said {
        en: format!(
            "its log was cut short: it holds only {} (as noted in {}; remove that file only if you replaced the \
             database on purpose)",
            each(&|(c, held, upto)| format!("console {c}'s events up to {held} of the {upto} saved"), ", "),
            note.display()
        ),
        zh: format!(
            "其日志被截短：只有 {}（据 {} 所记；只有在有意换过数据库时才可删去该文件）",
            each(&|(c, held, upto)| format!("值守台 {c} 已保存的 {upto} 个事件中的前 {held} 个"), "，"),
            note.display()
        ),
    })
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
        let said = check(dir.path(), &cut).unwrap_err();
        let e = &said.en;
        assert!(e.contains("console A's events up to 12 of the 40 saved"), "{e}");
        assert!(e.contains("console B's events up to 0 of the 7 saved"), "{e}");
        assert!(e.contains(FILE), "{e}");
        let zh = &said.zh;
        assert!(zh.contains("值守台 A 已保存的 40 个事件中的前 12 个") && zh.contains(FILE), "{zh}");
    }

    #[test]
    fn a_note_that_cannot_be_read_refuses_the_open_rather_than_checking_nothing() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [&b"{\"A\": 4"[..], b"", b"null", b"{\"A\":\"x\"}", b"{\"A\":-1}", b"{\"A\":27.5}"] {
            std::fs::write(dir.path().join(FILE), bad).unwrap();
            let e = check(dir.path(), &BTreeMap::new()).unwrap_err();
            assert!(e.en.contains("is not what yuqing writes") && e.en.contains(FILE), "{bad:?}: {e}");
            assert!(e.zh.contains("不是 yuqing 写的样子") && e.zh.contains(FILE), "{bad:?}: {}", e.zh);
        }
        std::fs::remove_file(dir.path().join(FILE)).unwrap();
        assert_eq!(check(dir.path(), &BTreeMap::new()), Ok(()), "no note: a folder from before notes");
    }
}
