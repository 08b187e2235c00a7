//! `yuqing ingest FILE…`: validate every file first; write nothing if a line is bad
//! (unless `--skip-invalid`); then write in durable batches, reporting duplicates.
//! Files are streamed (`ingest::stream`): a first pass keeps only counts and prints the
//! bad lines, a second reads them again and writes batch by batch, so memory is bounded
//! by the batch, not by the file.

use super::args::IngestArgs;
use super::progress::Progress;
use crate::desk::Desk;
use crate::domain::command::Command;
use crate::domain::item::NewItem;
use crate::domain::role::Operator;
use crate::ingest::stream;
use crate::store::Refusal;
use anyhow::{Result, bail};
use std::ops::ControlFlow;
use std::path::Path;
use std::process::ExitCode;

/// Runs the ingest command.
pub fn run(target: super::case::Target, a: IngestArgs) -> Result<ExitCode> {
    let (mut total, mut bad) = (0usize, 0usize);
    let lang = crate::i18n::Lang::of_terminal();
    for f in &a.files {
        stream::each(f, |_, r| {
            match r {
                Ok(_) => total += 1,
                Err(e) => {
                    errln!("{}", e.shown(lang));
                    bad += 1;
                }
            }
            ControlFlow::Continue(())
        })
        .map_err(|e| anyhow::anyhow!(e.shown(lang)))?;
    }
    if bad > 0 && !a.skip_invalid {
        bail!(super::words::bad_lines(bad, lang));
    }
    let progress = if a.json {
        Progress::hidden()
    } else {
        Progress::new(lang.t("导入", "ingesting"), total as u64, lang.t("条", "items"))
    };
    let mut w = Writing { to: target, progress, json: a.json, total, new: 0, dups: 0, refused: 0, done: 0 };
    let size = a.batch as usize;
    'files: for file in &a.files {
        let mut batch = Vec::with_capacity(size);
        let mut failed = None;
        let mut go_on = true;
        stream::each(file, |line, r| {
            if let Ok(item) = r {
                batch.push((line, item));
            }
            if batch.len() < size {
                return ControlFlow::Continue(());
            }
            match w.send(file, &std::mem::take(&mut batch)) {
                Ok(true) => ControlFlow::Continue(()),
                Ok(false) => {
                    go_on = false;
                    ControlFlow::Break(())
                }
                Err(e) => {
                    failed = Some(e);
                    ControlFlow::Break(())
                }
            }
        })
        .map_err(|e| anyhow::anyhow!(e.shown(lang)))?;
        if let Some(e) = failed {
            return Err(e);
        }
        if !go_on || (!batch.is_empty() && !w.send(file, &batch)?) {
            break 'files;
        }
    }
    let Writing { progress, new, dups, refused, .. } = w;
    drop(progress);
    if a.json {
        outln!(
            "{}",
            serde_json::json!({"done": true, "new": new, "duplicates": dups, "invalid": bad, "refused": refused})
        );
    } else {
        outln!("{}", super::words::ingested(new, dups, bad, refused, lang));
    }
    Ok(if refused > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The second pass: where the batches go, and what came of them so far.
struct Writing {
    to: super::case::Target,
    progress: Progress,
    json: bool,
    /// Good items in all the files.
    total: usize,
    new: usize,
    dups: usize,
    refused: usize,
    /// Items sent so far.
    done: usize,
}

impl Writing {
    /// Sends one batch of `file`'s items; false when the store refused it whole and the
    /// ingest must stop.
    fn send(&mut self, file: &Path, chunk: &[(usize, NewItem)]) -> Result<bool> {
        let items: Vec<NewItem> = chunk.iter().map(|(_, i)| i.clone()).collect();
        let (n_new, n_dup) = match &mut self.to {
            super::case::Target::Remote(remote) => {
                let r = remote.submit(items)?;
                for e in &r.refused {
                    self.progress.note(format_args!("{}: {e}", file.display()));
                }
                self.refused += r.refused.len();
                (r.new, r.duplicates)
            }
            super::case::Target::Local(desk, op) => match local(desk, op, file, chunk, items, &self.progress) {
                Ok((new, dups, refused)) => {
                    self.refused += refused;
                    (new, dups)
                }
                Err((first, why)) => {
                    self.refused += self.total - self.done;
                    self.progress.note(format_args!("{}:{first}: {why}", file.display()));
                    self.progress.note(format_args!(
                        "stopped: lines before {}:{first} are saved; run the same command again to go on",
                        file.display()
                    ));
                    if self.json {
                        outln!(
                            "{}",
                            serde_json::json!({"durable": false, "file": file.display().to_string(), "from_line": first, "error": why})
                        );
                    }
                    return Ok(false);
                }
            },
        };
        self.new += n_new;
        self.dups += n_dup;
        self.done += chunk.len();
        if self.json {
            let last = chunk.last().map(|(l, _)| *l).unwrap_or(0);
            outln!(
                "{}",
                serde_json::json!({"durable": true, "file": file.display().to_string(), "through_line": last, "new": n_new, "duplicates": n_dup})
            );
        }
        self.progress.set(self.done as u64);
        Ok(true)
    }
}

/// Runs one batch on this folder's desk: (new, duplicates, other refusals, each noted);
/// or the first line and the reason when the store refused the whole group (disk
/// nearly full, a failed write), of which nothing was kept.
fn local(
    desk: &Desk,
    op: &Operator,
    file: &Path,
    chunk: &[(usize, NewItem)],
    items: Vec<NewItem>,
    progress: &Progress,
) -> Result<(usize, usize, usize), (usize, String)> {
    let answers = desk.run_blocking(op, items.into_iter().map(|item| Command::ReceiveItem { item }).collect());
    if let Some(Err(Refusal::Store(why))) = answers.iter().find(|a| matches!(a, Err(Refusal::Store(_)))) {
        return Err((chunk.first().map(|(l, _)| *l).unwrap_or(0), why.clone()));
    }
    let (mut new, mut dups, mut refused) = (0, 0, 0);
    for ((line, _), ans) in chunk.iter().zip(answers) {
        match ans {
            Ok(evs) if crate::domain::event::received(&evs) => new += 1,
            Ok(_) | Err(Refusal::Duplicate(_)) => dups += 1,
            Err(e) => {
                refused += 1;
                progress.note(format_args!("{}:{line}: {e}", file.display()));
            }
        }
    }
    Ok((new, dups, refused))
}
