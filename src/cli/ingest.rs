//! `yuqing ingest FILE…`: validate every file first; write nothing if a line is bad
//! (unless `--skip-invalid`); then write in durable batches, reporting duplicates.

use super::args::IngestArgs;
use super::progress::Progress;
use crate::domain::command::Command;
use crate::ingest::parse_file;
use crate::store::Refusal;
use anyhow::{Result, bail};
use std::process::ExitCode;

/// Runs the ingest command.
pub fn run(target: super::case::Target, a: IngestArgs) -> Result<ExitCode> {
    let mut files = Vec::new();
    let mut bad = 0usize;
    for f in &a.files {
        let parsed = parse_file(f)?;
        for e in &parsed.errors {
            errln!("{e}");
        }
        bad += parsed.errors.len();
        files.push((f, parsed));
    }
    if bad > 0 && !a.skip_invalid {
        bail!("{bad} bad line(s); nothing was written. Fix them, or pass --skip-invalid to ingest the good lines");
    }
    let total: usize = files.iter().map(|(_, p)| p.items.len()).sum();
    let progress = if a.json { Progress::hidden() } else { Progress::new("ingesting", total as u64, "items") };
    let (desk, op) = match target {
        super::case::Target::Local(desk, op) => (desk, op),
        super::case::Target::Remote(mut remote) => {
            let (mut new, mut dups, mut refused, mut sent) = (0, 0, 0, 0);
            for (file, parsed) in &files {
                for chunk in parsed.items.chunks(a.batch as usize) {
                    let r = remote.submit(chunk.iter().map(|(_, i)| i.clone()).collect())?;
                    for e in &r.refused {
                        progress.note(format_args!("{}: {e}", file.display()));
                    }
                    sent += chunk.len() as u64;
                    progress.set(sent);
                    (new, dups, refused) = (new + r.new, dups + r.duplicates, refused + r.refused.len());
                    if a.json {
                        let last = chunk.last().map(|(l, _)| *l).unwrap_or(0);
                        outln!(
                            "{}",
                            serde_json::json!({"durable": true, "file": file.display().to_string(), "through_line": last, "new": r.new, "duplicates": r.duplicates})
                        );
                    }
                }
            }
            drop(progress);
            if a.json {
                outln!(
                    "{}",
                    serde_json::json!({"done": true, "new": new, "duplicates": dups, "invalid": bad, "refused": refused})
                );
            } else {
                outln!("{new} new, {dups} duplicate(s) skipped, {bad} invalid line(s) skipped, {refused} refused");
            }
            return Ok(if refused > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS });
        }
    };
    let (desk, op) = (&desk, &op);
    let (mut added, mut dups, mut refused, mut done) = (0usize, 0usize, 0usize, 0usize);
    'files: for (file, parsed) in &files {
        for chunk in parsed.items.chunks(a.batch as usize) {
            let cmds = chunk.iter().map(|(_, item)| Command::ReceiveItem { item: item.clone() }).collect();
            let answers = desk.run_blocking(op, cmds);
            // The store refuses a whole group (disk nearly full, a failed write): say
            // where it stopped once, and stop; nothing of this batch was kept.
            if let Some(Err(Refusal::Store(why))) = answers.iter().find(|a| matches!(a, Err(Refusal::Store(_)))) {
                let first = chunk.first().map(|(l, _)| *l).unwrap_or(0);
                refused += total - done;
                progress.note(format_args!("{}:{first}: {why}", file.display()));
                progress.note(format_args!(
                    "stopped: lines before {}:{first} are saved; run the same command again to go on",
                    file.display()
                ));
                if a.json {
                    outln!(
                        "{}",
                        serde_json::json!({"durable": false, "file": file.display().to_string(), "from_line": first, "error": why})
                    );
                }
                break 'files;
            }
            let (mut n_new, mut n_dup) = (0, 0);
            for ((line, _), ans) in chunk.iter().zip(answers) {
                match ans {
                    Ok(_) => n_new += 1,
                    Err(Refusal::Duplicate(_)) => n_dup += 1,
                    Err(e) => {
                        refused += 1;
                        progress.note(format_args!("{}:{line}: {e}", file.display()));
                    }
                }
            }
            added += n_new;
            dups += n_dup;
            done += chunk.len();
            if a.json {
                let last = chunk.last().map(|(l, _)| *l).unwrap_or(0);
                outln!(
                    "{}",
                    serde_json::json!({"durable": true, "file": file.display().to_string(), "through_line": last, "new": n_new, "duplicates": n_dup})
                );
            }
            progress.set(done as u64);
        }
    }
    drop(progress);
    if a.json {
        outln!(
            "{}",
            serde_json::json!({"done": true, "new": added, "duplicates": dups, "invalid": bad, "refused": refused})
        );
    } else {
        outln!("{added} new, {dups} duplicate(s) skipped, {bad} invalid line(s) skipped, {refused} refused");
    }
    Ok(if refused > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
