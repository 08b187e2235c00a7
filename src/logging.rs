//! Where the process's log goes (ours and sled's, through tracing), never the screen:
//! to the systemd journal when standard error is the journal's stream (a service), else
//! to a file a day under `<data>/logs/`, kept for a number of days.
//!
//! tracing-appender rotates the files and links the current one. Old files are deleted
//! here, by the date in their names: the appender's own `max_log_files` counts files
//! rather than days and orders them by creation time, which a copy or a restore resets.
//!
//! Knows nothing of consoles or hubs: the caller names the folder and the retention.

use chrono::{NaiveDate, Utc};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use tracing_appender::rolling::{RollingFileAppender, RollingWriter, Rotation};
use tracing_subscriber::fmt::MakeWriter;

/// The log files' folder inside a data folder.
const FOLDER: &str = "logs";

/// The name that always points at the current day's file.
const CURRENT: &str = "yuqing.log";

/// Where log lines go, for telling a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogPlace {
    /// The systemd journal (`journalctl -u yuqing`), which keeps and rotates them.
    Journal,
    /// `<data>/logs/yuqing.log`, a link to the current day's file.
    File(PathBuf),
}

impl fmt::Display for LogPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogPlace::Journal => f.write_str("the systemd journal"),
            LogPlace::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Sends the process's log lines to the journal or to `<data_dir>/logs/`, keeping the
/// files of the last `keep_days` days there (older ones are deleted now and at each
/// day's change). Filtered by `YUQING_LOG` (default: info, and sled's warnings). Only
/// the first call in a process takes effect.
pub fn init(data_dir: &Path, keep_days: u32) -> std::io::Result<LogPlace> {
    let filter =
        || tracing_subscriber::EnvFilter::try_from_env("YUQING_LOG").unwrap_or_else(|_| "info,sled=warn".into());
    if stderr_is_journal() {
        // The journal stamps each line itself.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_ansi(false)
            .without_time()
            .with_writer(std::io::stderr)
            .try_init();
        return Ok(LogPlace::Journal);
    }
    // Absolute, so the link to the current file holds wherever the process started.
    let dir = std::path::absolute(data_dir.join(FOLDER))?;
    std::fs::create_dir_all(&dir)?;
    let files = DailyFiles::open(&dir, keep_days)?;
    let _ = tracing_subscriber::fmt().with_env_filter(filter()).with_ansi(false).with_writer(files).try_init();
    Ok(LogPlace::File(dir.join(CURRENT)))
}

/// Files `yuqing.YYYY-MM-DD.log` (UTC dates: a new file at 08:00 Beijing time), with
/// `yuqing.log` linking to the current one; the first line written on a new day deletes
/// the files older than `keep` days.
struct DailyFiles {
    files: RollingFileAppender,
    dir: PathBuf,
    keep: u32,
    /// The day last pruned, as days since the Common Era.
    pruned: AtomicI32,
}

impl DailyFiles {
    fn open(dir: &Path, keep: u32) -> std::io::Result<DailyFiles> {
        let files = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix("yuqing")
            .filename_suffix("log")
            .latest_symlink(CURRENT)
            .build(dir)
            .map_err(std::io::Error::other)?;
        let today = Utc::now().date_naive();
        prune(dir, keep, today);
        Ok(DailyFiles { files, dir: dir.to_path_buf(), keep, pruned: AtomicI32::new(day_number(today)) })
    }
}

impl<'a> MakeWriter<'a> for DailyFiles {
    type Writer = RollingWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        let today = Utc::now().date_naive();
        if self.pruned.swap(day_number(today), Ordering::Relaxed) != day_number(today) {
            prune(&self.dir, self.keep, today);
        }
        self.files.make_writer()
    }
}

fn day_number(d: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&d)
}

/// Deletes the log files in `dir` dated more than `keep - 1` days before `today`, so
/// that `keep` days stay, today's among them. Other files are left alone.
fn prune(dir: &Path, keep: u32, today: NaiveDate) {
    let oldest = today - chrono::Days::new(u64::from(keep.max(1) - 1));
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let dated = name.to_str().and_then(|n| n.strip_prefix("yuqing.")?.strip_suffix(".log"));
        let Some(day) = dated.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else { continue };
        if day < oldest
            && entry.file_type().is_ok_and(|t| t.is_file())
            && let Err(e) = std::fs::remove_file(entry.path())
        {
            // Called by the writer at most once a day, so this line does not come back here.
            tracing::warn!("cannot delete the old log {}: {e}", entry.path().display());
        }
    }
}

/// True when standard error is the stream systemd connected to the journal: it names
/// that stream's device and inode in `JOURNAL_STREAM`, which children inherit even when
/// their standard error goes elsewhere, so the two are compared.
fn stderr_is_journal() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Some(stream) = std::env::var("JOURNAL_STREAM").ok() else { return false };
    let Some((dev, ino)) = stream.split_once(':') else { return false };
    let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() else { return false };
    let Ok(meta) = std::fs::File::from(fd).metadata() else { return false };
    dev.parse() == Ok(meta.dev()) && ino.parse() == Ok(meta.ino())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        names
    }

    #[test]
    fn the_files_of_the_last_days_stay_and_nothing_else_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["yuqing.2026-03-01.log", "yuqing.2026-03-08.log", "yuqing.2026-03-09.log", "yuqing.2026-03-10.log"]
        {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        for other in ["notes.txt", "yuqing.old.log", "other.2026-01-01.log"] {
            std::fs::write(dir.path().join(other), "x").unwrap();
        }
        prune(dir.path(), 3, NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
        assert_eq!(
            names(dir.path()),
            [
                "notes.txt",
                "other.2026-01-01.log",
                "yuqing.2026-03-08.log",
                "yuqing.2026-03-09.log",
                "yuqing.2026-03-10.log",
                "yuqing.old.log"
            ]
        );
        prune(dir.path(), 1, NaiveDate::from_ymd_opt(2026, 3, 11).unwrap());
        assert!(!names(dir.path()).iter().any(|n| n.starts_with("yuqing.2026")), "only the new day's would stay");
    }

    #[test]
    fn lines_go_to_the_days_file_through_the_current_link() {
        let dir = tempfile::tempdir().unwrap();
        let files = DailyFiles::open(dir.path(), 3).unwrap();
        std::io::Write::write_all(&mut files.make_writer(), b"hello\n").unwrap();
        let today = format!("yuqing.{}.log", Utc::now().format("%Y-%m-%d"));
        assert_eq!(names(dir.path()), [today.as_str(), CURRENT]);
        assert_eq!(std::fs::read_to_string(dir.path().join(CURRENT)).unwrap(), "hello\n");
    }
}
