//! Backups and restores. A backup is a folder holding `events.jsonl` — every event
//! held without gaps, in the total order, with the bytes it was recorded as (the same
//! lines `yuqing export` prints) — and `backup.json`, which names the realm, the console,
//! the time, the count, the version vector and the SHA-256 of `events.jsonl`.
//!
//! A backup is consistent while the store is written: the version vector is read first,
//! and since each console's log only grows, the events up to it are a state the store
//! was in. A restore refolds a backup (or an export) into an empty folder through the
//! same path as events from a peer, so the projections, the counters and the hash
//! chains come back exactly; `verify` then checks it.

use super::{Store, StoreError, Writer};
use crate::domain::codec::Recorded;
use crate::domain::said::Said;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// `backup.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub realm: String,
    /// The console that made the backup.
    pub console: String,
    pub created: chrono::DateTime<chrono::Utc>,
    pub events: u64,
    pub vector: BTreeMap<String, u64>,
    /// SHA-256 of `events.jsonl`, hex.
    pub sha256: String,
}

const FORMAT: &str = "yuqing-backup-1";

/// Why a backup or a restore did not happen; nothing was left half-written.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{path}:{line}: {message}")]
    Line { path: PathBuf, line: usize, message: String },
    /// Refused, said in English and Chinese (its `Display` is the English).
    #[error("{0}")]
    Refused(Said),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |e| BackupError::Io(path.to_path_buf(), e)
}

/// Writes a backup of `store` into `dir` (created; it must not hold a backup already).
pub fn backup(
    store: &Store,
    console: &str,
    dir: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Manifest, BackupError> {
    backup_reporting(store, console, dir, now, |_| ())
}

/// [`backup`], calling `progress(events read)` as it reads the log.
pub fn backup_reporting(
    store: &Store,
    console: &str,
    dir: &Path,
    now: chrono::DateTime<chrono::Utc>,
    mut progress: impl FnMut(u64),
) -> Result<Manifest, BackupError> {
    if dir.join("backup.json").exists() || dir.join("events.jsonl").exists() {
        let shown = dir.display();
        return Err(BackupError::Refused(Said::new(
            format!("{shown} holds a backup already; choose a new folder"),
            format!("{shown} 中已有一份备份；请另选一个新文件夹"),
        )));
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    // A backup holds everything: only its owner may read it.
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700)).map_err(io(dir))?;
    let vector = store.version_vector()?;
    let tmp = dir.join("events.jsonl.partial");
    let file = {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        o.open(&tmp).map_err(io(&tmp))?
    };
    let mut out = std::io::BufWriter::new(file);
    let mut hasher = Hasher::default();
    let mut events = 0u64;
    for (read, rec) in store.recorded_events()?.enumerate() {
        progress(read as u64);
        let rec = rec?;
        let id = &rec.event().id;
        if vector.get(&id.console).is_none_or(|&upto| id.seq > upto) {
            continue; // beyond a gap, or written after the vector was read
        }
        for part in [rec.raw().as_bytes(), b"\n"] {
            out.write_all(part).map_err(io(&tmp))?;
            hasher.update(part);
        }
        events += 1;
    }
    let file = out.into_inner().map_err(|e| BackupError::Io(tmp.clone(), e.into_error()))?;
    file.sync_all().map_err(io(&tmp))?;
    let manifest = Manifest {
        format: FORMAT.into(),
        realm: store.realm().to_string(),
        console: console.to_string(),
        created: now,
        events,
        vector,
        sha256: hasher.finish(),
    };
    let final_events = dir.join("events.jsonl");
    std::fs::rename(&tmp, &final_events).map_err(io(&final_events))?;
    let mpath = dir.join("backup.json");
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| {
        BackupError::Refused(Said::new(format!("cannot encode the manifest: {e}"), format!("无法写出备份说明：{e}")))
    })?;
    std::fs::write(&mpath, text).map_err(io(&mpath))?;
    std::fs::set_permissions(&mpath, std::os::unix::fs::PermissionsExt::from_mode(0o600)).map_err(io(&mpath))?;
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))?;
    Ok(manifest)
}

/// SHA-256 over everything written, without holding it.
#[derive(Default)]
struct Hasher(sha2::Sha256);

impl Hasher {
    fn update(&mut self, b: &[u8]) {
        sha2::Digest::update(&mut self.0, b);
    }
    fn finish(self) -> String {
        hex::encode(sha2::Digest::finalize(self.0))
    }
}

/// What a restore read.
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    pub events: u64,
    pub realm: String,
}

/// The events file and manifest of `source`: a backup folder, or an export file.
pub fn source_files(source: &Path) -> Result<(PathBuf, Option<Manifest>), BackupError> {
    if source.is_dir() {
        let mpath = source.join("backup.json");
        let text = std::fs::read(&mpath).map_err(io(&mpath))?;
        let m: Manifest = serde_json::from_slice(&text).map_err(|e| BackupError::Line {
            path: mpath.clone(),
            line: e.line(),
            message: e.to_string(),
        })?;
        if m.format != FORMAT {
            let (shown, format) = (mpath.display(), &m.format);
            return Err(BackupError::Refused(Said::new(
                format!("{shown}: format `{format}` is not `{FORMAT}`; a newer yuqing made it"),
                format!("{shown}：格式 `{format}` 不是 `{FORMAT}`；它由更新版本的 yuqing 写出"),
            )));
        }
        let events = source.join("events.jsonl");
        let mut f = std::fs::File::open(&events).map_err(io(&events))?;
        let mut h = Hasher::default();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = std::io::Read::read(&mut f, &mut buf).map_err(io(&events))?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        let found = h.finish();
        if found != m.sha256 {
            let (shown, said) = (events.display(), &m.sha256);
            return Err(BackupError::Refused(Said::new(
                format!(
                    "{shown}: its SHA-256 is {found}, but backup.json says {said}: the backup was changed or damaged"
                ),
                format!("{shown} 的 SHA-256 为 {found}，而 backup.json 记为 {said}：备份被改动或已损坏"),
            )));
        }
        return Ok((events, Some(m)));
    }
    // An export file: it must be there to be read.
    std::fs::metadata(source).map_err(io(source))?;
    Ok((source.to_path_buf(), None))
}

/// Restores a backup folder or an export file into `store`, which must hold nothing
/// yet, as console `console`. Every line is checked before anything is written; then
/// `progress(written, total)` is called as events are written.
pub fn restore(
    store: &Store,
    console: &str,
    source: &Path,
    mut progress: impl FnMut(u64, u64),
) -> Result<Restored, BackupError> {
    if !store.version_vector()?.is_empty() {
        let shown = store.path().display();
        return Err(BackupError::Refused(Said::new(
            format!("{shown} holds events already; restore into a new, empty data folder"),
            format!("{shown} 中已有事件；请恢复到一个新的空数据文件夹"),
        )));
    }
    let (events, manifest) = source_files(source)?;
    if let Some(m) = &manifest
        && m.realm != store.realm()
    {
        let (shown, theirs, ours) = (source.display(), &m.realm, store.realm());
        return Err(BackupError::Refused(Said::new(
            format!("{shown} is a backup of realm `{theirs}`, not `{ours}`"),
            format!("{shown} 是数据域“{theirs}”的备份，不是“{ours}”的"),
        )));
    }
    // First pass: every line must be an event of this realm.
    let read = |mut each: Box<dyn FnMut(usize, Recorded) -> Result<(), BackupError> + '_>| {
        let f = std::fs::File::open(&events).map_err(io(&events))?;
        for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
            let line =
                line.map_err(|e| BackupError::Line { path: events.clone(), line: i + 1, message: e.to_string() })?;
            if line.trim().is_empty() {
                continue;
            }
            let bad = |message: String| BackupError::Line { path: events.clone(), line: i + 1, message };
            let raw = serde_json::value::RawValue::from_string(line).map_err(|e| bad(e.to_string()))?;
            let rec = Recorded::from_raw(raw).map_err(|e| bad(e.to_string()))?;
            if rec.event().realm != store.realm() {
                return Err(bad(format!("event of realm `{}`, not `{}`", rec.event().realm, store.realm())));
            }
            each(i + 1, rec)?;
        }
        Ok::<_, BackupError>(())
    };
    let mut count = 0u64;
    // Each console's events must chain: an event changed in the file breaks it.
    let mut chains: BTreeMap<String, (u64, String)> = BTreeMap::new();
    read(Box::new(|line, rec| {
        count += 1;
        let id = &rec.event().id;
        let before = chains.get(&id.console).map_or(0, |(seq, _)| *seq);
        let (at, console) = (format!("{}:{line}", events.display()), &id.console);
        if id.seq != before + 1 {
            return Err(BackupError::Refused(Said::new(
                format!(
                    "{at}: event {id} follows {console}:{before}: events of console {console} are missing from the file (restore takes a whole backup or export)"
                ),
                format!(
                    "{at}：事件 {id} 接在 {console}:{before} 之后：文件中缺了值守台 {console} 的事件（恢复须用完整的备份或导出文件）"
                ),
            )));
        }
        if let Some((_, hash)) = chains.get(&id.console)
            && rec.event().prev.as_ref() != Some(hash)
        {
            return Err(BackupError::Refused(Said::new(
                format!(
                    "{at}: event {id} does not continue {console}:{before} (its `prev` is not that event's hash): the file was changed"
                ),
                format!("{at}：事件 {id} 接不上 {console}:{before}（其 `prev` 不是该事件的散列）：文件被改动过"),
            )));
        }
        chains.insert(id.console.clone(), (id.seq, rec.hash()));
        Ok(())
    }))?;
    if let Some(m) = &manifest
        && m.events != count
    {
        let (shown, said) = (events.display(), m.events);
        return Err(BackupError::Refused(Said::new(
            format!("{shown}: {count} events, backup.json says {said}"),
            format!("{shown} 有 {count} 个事件，而 backup.json 记为 {said} 个"),
        )));
    }
    let mut writer = Writer::new(store.clone(), console)?;
    let mut pending = 0usize;
    let mut written = 0u64;
    read(Box::new(|line, rec| {
        progress(written, count);
        written += 1;
        writer.receive_recorded(&rec).map_err(|e| BackupError::Line {
            path: events.clone(),
            line,
            message: e.to_string(),
        })?;
        pending += rec.raw().len();
        if pending > 4 << 20 {
            writer.commit()?;
            pending = 0;
        }
        Ok(())
    }))?;
    writer.commit()?;
    Ok(Restored { events: count, realm: store.realm().to_string() })
}
