//! The size of sled's log segments for a data folder. New databases take 1 MiB (fewer
//! segments for sled to account for at each open; a node goes to a blob file only past
//! a quarter of it); sled refuses to open a database with another size than it was
//! made with, so an existing one keeps its own: as sled's `db/conf` records it, or,
//! should that file be lost (sled would write it again from our setting), as the copy
//! kept beside the database in `sled.conf` says. A database from before that copy
//! was kept (it has no note of what it saved either, `durable.rs`) that lost its `conf`
//! was made with sled's default, 512 KiB. Otherwise the size is not guessed: a wrong one
//! makes sled misread the log and write its guess into `conf`, so the open refuses.

use std::path::Path;

/// The segment size of a database made now.
const NEW: usize = 1 << 20;

/// sled's default, which every database made before [`NEW`] has.
const EARLIER: usize = 512 * 1024;

/// The copy of sled's `conf`, in the data folder.
const COPY: &str = "sled.conf";

/// `segment_size: N` from the text of a sled `conf` (which ends in a binary checksum).
fn parse(bytes: &[u8]) -> Option<usize> {
    String::from_utf8_lossy(bytes).lines().find_map(|l| l.strip_prefix("segment_size: ")?.trim().parse().ok())
}

/// The segment size to open the database in `dir/db` with; the error says why it is
/// not known.
pub fn for_folder(dir: &Path) -> Result<usize, crate::domain::said::Said> {
    let db = dir.join("db");
    let read = |p: &Path| std::fs::read(p).ok().and_then(|b| parse(&b));
    if let Some(size) = read(&db.join("conf")).or_else(|| read(&dir.join(COPY))) {
        return Ok(size);
    }
    match (db.join("db").exists(), dir.join(super::durable::FILE).exists()) {
        (false, _) => Ok(NEW),
        (true, false) => Ok(EARLIER),
        (true, true) => Err(crate::domain::said::Said {
            en: format!(
                "sled's settings {} are missing and their copy {} is missing or unreadable, so the size of the \
                 log's segments is not known; put either file back from a backup of this folder",
                db.join("conf").display(),
                dir.join(COPY).display()
            ),
            zh: format!(
                "sled 的设置 {} 缺失，其副本 {} 也缺失或读不出，因而不知道日志分段的大小；请从该文件夹的备份中放回其中任一个文件",
                db.join("conf").display(),
                dir.join(COPY).display()
            ),
        }),
    }
}

/// Keeps a copy of sled's `conf` beside the database, once there is one.
pub fn keep_copy(dir: &Path) {
    let copy = dir.join(COPY);
    if !copy.exists()
        && let Err(e) = std::fs::copy(dir.join("db").join("conf"), &copy)
    {
        tracing::warn!("could not keep a copy of {}: {e}", dir.join("db/conf").display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_keeps_the_segment_size_it_was_made_with() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(for_folder(dir.path()), Ok(NEW), "a new database");
        std::fs::create_dir_all(dir.path().join("db")).unwrap();
        std::fs::write(dir.path().join("db/db"), b"").unwrap();
        assert_eq!(for_folder(dir.path()), Ok(EARLIER), "from before copies and notes, without conf: sled's default");
        std::fs::write(dir.path().join("db/conf"), b"segment_size: 1048576\nuse_compression: false\n\x01\x02").unwrap();
        assert_eq!(for_folder(dir.path()), Ok(1 << 20), "as its conf says");
        keep_copy(dir.path());
        std::fs::remove_file(dir.path().join("db/conf")).unwrap();
        assert_eq!(for_folder(dir.path()), Ok(1 << 20), "its conf lost: as the copy says");
        // Both lost (or the copy garbled) in a folder that keeps notes: not guessed.
        std::fs::write(dir.path().join(COPY), b"garbage").unwrap();
        std::fs::write(dir.path().join(super::super::durable::FILE), b"{}").unwrap();
        let e = for_folder(dir.path()).unwrap_err();
        assert!(e.en.contains("not known") && e.en.contains(COPY), "{e}");
        assert!(e.zh.contains("不知道日志分段的大小") && e.zh.contains(COPY), "{}", e.zh);
    }
}
