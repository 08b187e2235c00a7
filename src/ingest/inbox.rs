//! The inbox folder (`<data>/inbox/`): while a console holds the database, monitoring
//! tools drop JSONL or CSV files there. Each file is ingested whole, then moved to
//! `done/`, or to `rejected/` beside a `.err` file saying why. The console and
//! `yuqing serve` both run the [`watch`]er.

use super::parse_file;
use crate::desk::Desk;
use crate::domain::command::Command;
use crate::domain::role::Operator;
use crate::domain::said::Said;
use crate::i18n::Lang;
use crate::store::Refusal;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ingested { file: String, new: usize, duplicates: usize },
    Rejected { file: String, why: Said },
}

/// How often the inbox is looked at.
const EVERY: Duration = Duration::from_millis(500);

/// The running inbox watcher of a console or hub.
pub struct Watcher {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

/// Watches `dir` on the current tokio runtime, ingesting settled files as `op`; `tell`
/// hears what became of each. Dropping the watcher stops it after the current scan.
pub fn watch(desk: Desk, op: Operator, dir: PathBuf, mut tell: impl FnMut(Outcome) + Send + 'static) -> Watcher {
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = &mut stopped => return,
                _ = tick.tick() => {}
            }
            let (d, o, p) = (desk.clone(), op.clone(), dir.clone());
            match tokio::task::spawn_blocking(move || scan(&d, &o, &p)).await {
                Ok(outcomes) => outcomes.into_iter().for_each(&mut tell),
                Err(e) => tracing::error!("inbox: a scan stopped: {e}"),
            }
        }
    });
    Watcher { stop, task }
}

impl Watcher {
    /// Stops watching once the scan in progress, if any, has dealt with its files.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Files younger than this are left alone: they may still be being written.
const SETTLE: Duration = Duration::from_millis(300);

fn ready(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') || name.ends_with(".tmp") || name.ends_with(".part") || !path.is_file() {
        return false;
    }
    let age =
        std::fs::metadata(path).and_then(|m| m.modified()).ok().and_then(|t| SystemTime::now().duration_since(t).ok());
    age.is_some_and(|a| a >= SETTLE)
}

/// Moves a handled file into `sub` (`done`, `rejected`) beside it; a file of the same
/// name already there is kept, and this one gets the next free name: `items.2.jsonl`.
fn move_to(path: &Path, sub: &str) -> std::io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new(".")).join(sub);
    std::fs::create_dir_all(&dir)?;
    let name = path.file_name().unwrap_or_default();
    let mut to = dir.join(name);
    let (stem, ext) = (path.file_stem().unwrap_or_default().to_string_lossy(), path.extension());
    let mut n = 1;
    while to.exists() {
        n += 1;
        to = dir.join(match ext {
            Some(e) => format!("{stem}.{n}.{}", e.to_string_lossy()),
            None => format!("{stem}.{n}"),
        });
    }
    std::fs::rename(path, &to)?;
    Ok(to)
}

/// Ingests every settled file in `dir` once. Blocking: call from a blocking thread.
pub fn scan(desk: &Desk, op: &Operator, dir: &Path) -> Vec<Outcome> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| ready(p)).collect();
    files.sort();
    files.into_iter().map(|f| ingest_one(desk, op, &f)).collect()
}

fn ingest_one(desk: &Desk, op: &Operator, path: &Path) -> Outcome {
    let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
    // The `.err` file beside a rejected file says why in Chinese, then in English.
    let reject = |why: Said| {
        if let Ok(to) = move_to(path, "rejected") {
            let _ = std::fs::write(
                to.with_extension(format!("{}.err", to.extension().and_then(|e| e.to_str()).unwrap_or(""))),
                format!("{}\n{}", why.zh, why.en),
            );
        }
        tracing::warn!("inbox: rejected {file}: {}", why.en);
        Outcome::Rejected { file: file.clone(), why }
    };
    let parsed = match parse_file(path) {
        Ok(p) => p,
        Err(e) => return reject(Said { en: e.shown(Lang::En), zh: e.shown(Lang::Zh) }),
    };
    if !parsed.errors.is_empty() {
        let lines = |lang| parsed.errors.iter().map(|e| e.shown(lang)).collect::<Vec<_>>().join("\n");
        return reject(Said {
            en: format!("{}\nnothing was ingested from this file\n", lines(Lang::En)),
            zh: format!("{}\n本文件未导入任何信息\n", lines(Lang::Zh)),
        });
    }
    let (mut new, mut duplicates, mut refused) = (0, 0, Vec::new());
    for chunk in parsed.items.chunks(1000) {
        let cmds = chunk.iter().map(|(_, item)| Command::ReceiveItem { item: item.clone() }).collect();
        for ((line, _), answer) in chunk.iter().zip(desk.run_blocking(op, cmds)) {
            match answer {
                Ok(evs) if crate::domain::event::received(&evs) => new += 1,
                Ok(_) | Err(Refusal::Duplicate(_)) => duplicates += 1,
                Err(e) => refused.push(format!("{file}:{line}: {e}")),
            }
        }
    }
    if !refused.is_empty() {
        let refused = refused.join("\n");
        return reject(Said { en: refused.clone(), zh: refused });
    }
    if let Err(e) = move_to(path, "done") {
        tracing::error!("inbox: cannot move {file} to done/: {e}");
    }
    tracing::info!("inbox: {file}: {new} new, {duplicates} duplicates");
    Outcome::Ingested { file, new, duplicates }
}

#[cfg(test)]
mod move_tests {
    #[test]
    fn a_handled_file_never_overwrites_one_of_the_same_name() {
        let dir = tempfile::tempdir().unwrap();
        for body in ["first", "second", "third"] {
            let f = dir.path().join("items.jsonl");
            std::fs::write(&f, body).unwrap();
            super::move_to(&f, "done").unwrap();
        }
        let done = dir.path().join("done");
        let read = |n: &str| std::fs::read_to_string(done.join(n)).unwrap();
        assert_eq!(
            (read("items.jsonl"), read("items.2.jsonl"), read("items.3.jsonl")),
            ("first".into(), "second".into(), "third".into())
        );
    }
}
