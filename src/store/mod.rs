//! The durable store: one sled tree holding the event log, the id and aggregate
//! indexes, and the projections (items, cases, the queue and open-case indexes).
//! Knows sled and the domain; knows nothing of screens, sockets or the command line.

pub mod backup;
mod dedup;
mod durable;
mod heads;
mod keys;
pub mod pack;
mod pages;
mod read;
mod roster;
mod segments;
mod space;
mod verify;
mod write;

pub use heads::{Head, Signer};
pub use read::{RawEvent, Timeline};
pub use space::LowSpace;
pub use verify::{Difference, Verified, verify};
pub use write::{Refusal, Writer};

use crate::domain::event::SCHEMA_VERSION;
use crate::domain::said::Said;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why the store could not be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the data folder {0} is in use by another yuqing process (a running console or `yuqing serve`).\n\
         Close it, choose another folder with --data, drop item files into {0}/inbox/ for the running console to ingest,\n\
         or act through its network address with --to ADDR (when it listens)."
    )]
    Locked(PathBuf),
    #[error(
        "{0} holds no yuqing database; nothing was created there.\n\
         Check --data and YUQING_DATA (a console, `yuqing ingest` or `yuqing serve` creates a new one)."
    )]
    NoDatabase(PathBuf),
    #[error(
        "the database in the data folder {path} is damaged and cannot be read: {detail}.\n\
         To recover: move the folder away, then either restore a backup into a new folder at that place\n\
         (`yuqing --data {path} restore BACKUP`), or start the console there on an empty folder, which\n\
         re-syncs everything from the other consoles (--peer ADDR)."
    )]
    Damaged { path: PathBuf, detail: crate::domain::said::Said },
    #[error(
        "the data folder {path} was written by a newer yuqing (schema {found}; this build reads up to {SCHEMA_VERSION}). \
         Upgrade yuqing, or choose another folder with --data."
    )]
    NewerSchema { path: PathBuf, found: u16 },
    #[error("the data folder {path} belongs to realm `{found}`, not `{wanted}`; choose another folder with --data")]
    WrongRealm { path: PathBuf, found: String, wanted: String },
    #[error("the database in {path} cannot be opened: {source}")]
    Open { path: PathBuf, source: sled::Error },
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    #[error("stored record {key} cannot be read: {error}")]
    Corrupt { key: String, error: String },
    #[error("cannot encode {what}: {error}")]
    Encode { what: String, error: String },
    #[error(transparent)]
    LowSpace(#[from] LowSpace),
    #[error(
        "the disk holding {0} is full: even reading needs a little space to open the database. \
         Free some space there; nothing saved is lost"
    )]
    DiskFull(PathBuf),
    #[error(
        "yuqing may not read or write the data folder {0} (permission denied). Run it as the user who owns \
         that folder, or give this user read and write access to it and to everything in it"
    )]
    Denied(PathBuf),
}

impl StoreError {
    /// Sled reporting corruption or a failed file read becomes [`StoreError::Damaged`],
    /// naming `dir`; every other error is left as it is.
    pub fn in_folder(self, dir: &Path) -> StoreError {
        let full = |e: &sled::Error| matches!(e, sled::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull);
        match self {
            StoreError::Sled(e) | StoreError::Open { source: e, .. } if full(&e) => {
                StoreError::DiskFull(dir.to_path_buf())
            }
            StoreError::Sled(sled::Error::Io(io)) | StoreError::Open { source: sled::Error::Io(io), .. }
                if io.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                StoreError::Denied(dir.to_path_buf())
            }
            StoreError::Sled(e) | StoreError::Open { source: e, .. } => match damage(&e, dir) {
                Some(detail) => StoreError::Damaged { path: dir.to_path_buf(), detail },
                None => StoreError::Sled(e),
            },
            other => other,
        }
    }
}

/// What sled's error says about damage, naming the database folder: sled's IO errors
/// carry no path, and its corruption errors at most an offset.
fn damage(e: &sled::Error, dir: &Path) -> Option<Said> {
    use std::io::ErrorKind::{InvalidData, NotFound, UnexpectedEof};
    let db = dir.join("db");
    let db = db.display();
    match e {
        sled::Error::Corruption { at: Some(at), .. } => Some(Said {
            en: format!("sled found corrupted data in {db} at {at:?}"),
            zh: format!("sled 在 {db} 的 {at:?} 处发现数据损坏"),
        }),
        sled::Error::Corruption { at: None, .. } => Some(Said {
            en: format!("sled found corrupted data in {db}"),
            zh: format!("sled 在 {db} 中发现数据损坏"),
        }),
        sled::Error::Io(io) if io.kind() == NotFound => Some(Said {
            en: format!(
                "a file in {db} is missing ({io}); sled does not say which: the log `db`, the settings `conf` or one in `blobs/`"
            ),
            zh: format!("{db} 中缺了一个文件（{io}）；sled 没有说是哪个：日志 db、设置 conf 或 blobs/ 中的某个"),
        }),
        sled::Error::Io(io) if matches!(io.kind(), UnexpectedEof | InvalidData) => Some(Said {
            en: format!("a file in {db} cannot be read: {io}"),
            zh: format!("{db} 中有文件读不出（{io}）"),
        }),
        _ => None,
    }
}

/// An event that came on another history of its console than the one held: refused,
/// the held one kept, and shown (log, `verify`, the console header).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fork {
    /// `console:seq` of the event refused.
    pub event: String,
    /// The chain hash of the event held before it here (when it continued the history).
    pub held_prev: Option<String>,
    /// The chain hash of the event held under the same id (when it came as one held).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<String>,
    /// The `prev` the refused event carried.
    pub got_prev: Option<String>,
    /// The chain hash of the refused event.
    pub got: String,
}

/// A handle on one opened data folder. Cheap to clone; reads from any thread.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    path: PathBuf,
    realm: String,
    /// Our exclusive lock on `<data>/yuqing.lock`, held while any clone lives.
    _lock: Arc<File>,
}

/// Opens sled. We hold the folder's lock file already, so a sled lock that is still
/// taken can only be this process's own handle from a store just dropped (sled lets go
/// of its file a moment after the last handle, on its flusher thread): wait for it, up to
/// five seconds (a loaded machine was seen to need more than one), before reporting it.
/// sled reports its lock as an `Other` IO error.
fn open_sled(config: &sled::Config) -> Result<sled::Db, sled::Error> {
    let mut tries = 0;
    loop {
        match config.open() {
            Err(sled::Error::Io(e)) if e.kind() == std::io::ErrorKind::Other && tries < 200 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(25));
                drop(e);
            }
            other => return other,
        }
    }
}

/// sled's page cache (its default is 1 GiB, which a console would fill with every page
/// it ever wrote): what the console reads often (the queue's and open cases' pages)
/// fits many times over, and ingesting 200 000 items peaks under 2× what 20 000 do.
const CACHE_BYTES: u64 = 16 << 20;

/// The lock file in a data folder: one process at a time opens the database.
pub const LOCK_FILE: &str = "yuqing.lock";

impl Store {
    /// Opens (creating if needed) the database in `dir/db` for `realm`.
    pub fn open(dir: &Path, realm: &str) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Open { path: dir.to_path_buf(), source: e.into() })?;
        Store::start(dir, realm)
    }

    /// Opens the database in `dir/db` only if there is one: read-only commands must not
    /// leave an empty database behind a mistyped path.
    pub fn open_existing(dir: &Path, realm: &str) -> Result<Store, StoreError> {
        let db = dir.join("db");
        if !db.join("db").exists() && !db.join("conf").exists() {
            return Err(StoreError::NoDatabase(dir.to_path_buf()));
        }
        Store::start(dir, realm)
    }

    fn start(dir: &Path, realm: &str) -> Result<Store, StoreError> {
        let lock = lock(dir)?;
        // Every database this program created holds its schema from its first open on;
        // an existing one without it was emptied or cut short.
        let existed = dir.join("db").join("conf").exists();
        let segment =
            segments::for_folder(dir).map_err(|detail| StoreError::Damaged { path: dir.to_path_buf(), detail })?;
        let config = sled::Config::new().path(dir.join("db")).cache_capacity(CACHE_BYTES).segment_size(segment);
        let opened = quietly(|| {
            let store =
                Store { db: open_sled(&config)?, path: dir.to_path_buf(), realm: realm.to_string(), _lock: lock };
            if existed && store.db.get(keys::META_SCHEMA)?.is_none() {
                return Err(StoreError::Damaged {
                    path: dir.to_path_buf(),
                    detail: Said {
                        en: format!(
                            "its records are gone (the log {} was emptied or cut short)",
                            dir.join("db/db").display()
                        ),
                        zh: format!("其中的记录没有了（日志 {} 被清空或截短）", dir.join("db/db").display()),
                    },
                });
            }
            store.check_meta()?;
            segments::keep_copy(dir);
            let held = store.version_vector()?;
            durable::check(dir, &held).map_err(|detail| StoreError::Damaged { path: dir.to_path_buf(), detail })?;
            Ok(store)
        });
        match opened {
            Some(r) => r.map_err(|e| e.in_folder(dir)),
            None => Err(StoreError::Damaged {
                path: dir.to_path_buf(),
                detail: Said {
                    en: format!(
                        "sled failed while recovering the log in {}: a file of it is cut short or missing (the log `db` or one in `blobs/`)",
                        dir.join("db").display()
                    ),
                    zh: format!(
                        "sled 恢复 {} 中的日志时失败：其中有文件被截短或缺失（日志 db 或 blobs/ 中的某个）",
                        dir.join("db").display()
                    ),
                },
            }),
        }
    }

    fn check_meta(&self) -> Result<(), StoreError> {
        match self.db.get(keys::META_SCHEMA)? {
            Some(v) => {
                let found = u16::from_be_bytes(v.as_ref().try_into().unwrap_or([0xff, 0xff]));
                if found > SCHEMA_VERSION {
                    return Err(StoreError::NewerSchema { path: self.path.clone(), found });
                }
            }
            None => {
                self.db.insert(keys::META_SCHEMA, &SCHEMA_VERSION.to_be_bytes())?;
            }
        }
        match self.db.get(keys::META_REALM)? {
            Some(r) if r.as_ref() != self.realm.as_bytes() => Err(StoreError::WrongRealm {
                path: self.path.clone(),
                found: String::from_utf8_lossy(&r).into_owned(),
                wanted: self.realm.clone(),
            }),
            Some(_) => Ok(()),
            None => {
                self.db.insert(keys::META_REALM, self.realm.as_bytes())?;
                self.db.flush()?;
                Ok(())
            }
        }
    }

    /// The data folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `live`, or `drill:<name>`.
    pub fn realm(&self) -> &str {
        &self.realm
    }
}

/// Takes our exclusive lock on the data folder, before sled sees it: another process
/// holding it is [`StoreError::Locked`], told by the lock's kind, not by an error text.
/// A lock held a moment longer is waited for, up to a second: a child process this
/// process starts holds a copy of every open file until it runs its program, so a store
/// just dropped can stay locked for that moment (seen in the tests, which start the
/// binary while other tests reopen stores).
fn lock(dir: &Path) -> Result<Arc<File>, StoreError> {
    let path = dir.join(LOCK_FILE);
    let open_error = |e: std::io::Error| StoreError::Open { path: dir.to_path_buf(), source: e.into() };
    let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(open_error)?;
    let mut tries = 0;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Arc::new(file)),
            Err(std::fs::TryLockError::WouldBlock) if tries < 40 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Err(StoreError::Locked(dir.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => return Err(open_error(e)),
        }
    }
}

/// Runs `f`, turning a panic into `None` without printing it: sled 0.34 panics on some
/// damaged files (an index out of bounds while it recovers its log) instead of
/// returning an error. Only a panic on this thread, inside `f`, is silenced: the hook is
/// wrapped once for the process and asks a thread-local flag, so a panic elsewhere at
/// the same moment is still reported (swapping the global hook per call lost other
/// threads' panics, and could leave the silent hook in place for good).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    thread_local! {
        static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    static WRAP: std::sync::Once = std::sync::Once::new();
    WRAP.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_open_in_the_same_process_is_locked_out_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path(), "live").unwrap();
        let copy = first.clone();
        drop(first);
        assert!(matches!(Store::open(dir.path(), "live"), Err(StoreError::Locked(_))), "a clone holds the lock");
        drop(copy);
        Store::open(dir.path(), "live").unwrap();
    }

    #[test]
    fn the_first_frame_takes_the_newest_items_of_every_console_and_no_more() {
        use crate::domain::command::Command;
        use crate::domain::item::{Channel, NewItem};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), "live").unwrap();
        let settings = crate::config::Settings::default();
        let duty = settings.operator("duty").unwrap().clone();
        // Consoles whose names share a beginning sort next to each other: A, AB.
        for console in ["AB", "A"] {
            let mut w = Writer::new(store.clone(), console).unwrap();
            for i in 0..100 {
                let item = NewItem {
                    channel: Channel::Weibo,
                    title: format!("{console} 第{i}条"),
                    body: String::new(),
                    url: None,
                    author: None,
                    published_at: None,
                    reach: None,
                    external_id: Some(format!("{console}-{i}")),
                };
                w.execute(
                    &duty,
                    chrono::Utc::now(),
                    &settings.policy,
                    &settings.directory,
                    &Command::ReceiveItem { item },
                )
                .unwrap();
            }
            w.commit().unwrap();
        }
        let first = store.queue_newest(20).unwrap();
        for console in ["A", "AB"] {
            let mine: Vec<u64> = first
                .iter()
                .filter_map(|i| keys::split_item_id(&i.id).filter(|(c, _)| *c == console).map(|(_, n)| n))
                .collect();
            assert!((20..40).contains(&mine.len()), "{console}: {} items", mine.len());
            assert!(mine.contains(&100), "{console}'s newest item is among them");
            assert!(!mine.contains(&1), "{console}'s oldest is not: only the last pages are read");
        }
    }

    #[test]
    fn a_folder_yuqing_may_not_use_is_named_once_with_what_to_do() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = StoreError::Sled(sled::Error::Io(denied)).in_folder(Path::new("/srv/yuqing/live")).to_string();
        assert!(e.contains("may not read or write the data folder /srv/yuqing/live"), "{e}");
        assert!(e.contains("Run it as the user who owns") && e.matches("ermission denied").count() == 1, "{e}");
    }

    #[test]
    fn opening_what_exists_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("not-here");
        assert!(matches!(Store::open_existing(&missing, "live"), Err(StoreError::NoDatabase(_))));
        assert!(!missing.exists());
        drop(Store::open(&missing, "live").unwrap());
        Store::open_existing(&missing, "live").unwrap();
    }
}
