//! `yuqing backup DIR` and `yuqing restore SOURCE`: a consistent copy of the log, taken
//! directly from a free data folder or through the running process's control socket,
//! and a new data folder rebuilt from one (see `store::backup`).

use super::args::{BackupArgs, RestoreArgs};
use super::open::{Env, LIVE};
use super::progress::Progress;
use crate::control::{self, Request};
use crate::store::{Store, StoreError};
use anyhow::{Result, anyhow};
use std::process::ExitCode;

pub fn backup(env: &Env, a: BackupArgs) -> Result<ExitCode> {
    let dir = std::path::absolute(&a.dir).map_err(|e| anyhow!("{}: {e}", a.dir.display()))?;
    match Store::open_existing(&env.data_dir, LIVE) {
        Ok(store) => {
            let progress = Progress::over_events("backing up", &store)?;
            let now = chrono::Utc::now();
            let m = crate::store::backup::backup_reporting(&store, &env.settings.console.name, &dir, now, |n| {
                progress.set(n)
            })?;
            drop(progress);
            outln!("{}", control::describe_backup(&m, &dir));
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Locked(_)) => {
            outln!("{}", control::ask_running(&env.data_dir, &Request::Backup { dir }).map_err(|e| anyhow!(e))?);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn restore(env: &Env, a: RestoreArgs) -> Result<ExitCode> {
    let realm = if a.source.is_dir() {
        let text = std::fs::read(a.source.join("backup.json"))
            .map_err(|e| anyhow!("{}: {e}", a.source.join("backup.json").display()))?;
        serde_json::from_slice::<crate::store::backup::Manifest>(&text)
            .map(|m| m.realm)
            .map_err(|e| anyhow!("{}: {e}", a.source.join("backup.json").display()))?
    } else {
        LIVE.to_string()
    };
    let fresh = !env.data_dir.join("db").exists();
    let store = Store::open(&env.data_dir, &realm)?;
    let progress = Progress::new("restoring", 0, "events");
    let restored = crate::store::backup::restore(&store, &env.settings.console.name, &a.source, |done, total| {
        progress.set_total(total);
        progress.set(done);
    });
    drop(progress);
    match restored {
        Ok(r) => {
            outln!(
                "restored {} events of realm `{}` into {}; `yuqing verify` checks it",
                r.events,
                r.realm,
                env.data_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ crate::store::backup::BackupError::Refused(_))
        | Err(e @ crate::store::backup::BackupError::Line { .. })
            if fresh =>
        {
            drop(store);
            let _ = std::fs::remove_dir_all(env.data_dir.join("db"));
            Err(anyhow!("{e}; nothing was restored"))
        }
        Err(e @ crate::store::backup::BackupError::Refused(_)) => Err(anyhow!("{e}; nothing was restored")),
        Err(e) => Err(anyhow!(
            "{e}; {} may be partly restored: move it away and run the restore again",
            env.data_dir.display()
        )),
    }
}
