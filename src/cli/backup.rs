//! `yuqing backup DIR` and `yuqing restore SOURCE`: a consistent copy of the log, taken
//! directly from a free data folder or through the running process's control socket,
//! and a new data folder rebuilt from one (see `store::backup`).

use super::args::{BackupArgs, RestoreArgs};
use super::open::{Env, LIVE};
use super::progress::Progress;
use crate::control::{self, Request};
use crate::i18n::Lang;
use crate::store::backup::BackupError;
use crate::store::{Store, StoreError};
use anyhow::{Result, anyhow};
use std::process::ExitCode;

pub fn backup(env: &Env, a: BackupArgs) -> Result<ExitCode> {
    let lang = Lang::of_terminal();
    let dir = std::path::absolute(&a.dir).map_err(|e| anyhow!("{}: {e}", a.dir.display()))?;
    match Store::open_existing(&env.data_dir, LIVE) {
        Ok(store) => {
            let progress = Progress::over_events(lang.t("备份", "backing up"), &store)?;
            let now = chrono::Utc::now();
            let m = crate::store::backup::backup_reporting(&store, &env.settings.console.name, &dir, now, |n| {
                progress.set(n)
            })
            .map_err(|e| anyhow!(said_backup_error(e, lang)))?;
            drop(progress);
            outln!("{}", control::describe_backup(&m, &dir, lang));
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Locked(_)) => {
            let asked = Request::Backup { dir, lang: Some(lang.code().to_string()) };
            outln!("{}", control::ask_running(&env.data_dir, &asked).map_err(|e| anyhow!(e))?);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn restore(env: &Env, a: RestoreArgs) -> Result<ExitCode> {
    let lang = Lang::of_terminal();
    let realm = if a.source.is_dir() {
        let manifest = a.source.join("backup.json");
        let shown = manifest.display();
        let text = std::fs::read(&manifest).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                anyhow!(said!("{shown}：没有这个文件，这不是 yuqing 的备份文件夹", "{shown}: {e}"))
            }
            _ => anyhow!("{shown}: {e}"),
        })?;
        serde_json::from_slice::<crate::store::backup::Manifest>(&text)
            .map(|m| m.realm)
            .map_err(|e| anyhow!(said!("{shown}：不是 yuqing 的备份说明（{e}）", "{shown}: {e}")))?
    } else {
        LIVE.to_string()
    };
    // The source checked whole before anything is made here: a missing, changed or
    // newer backup leaves no folder behind.
    crate::store::backup::source_files(&a.source).map_err(|e| {
        let e = said_backup_error(e, lang);
        anyhow!(said!("{e}；未恢复任何内容", "{e}; nothing was restored"))
    })?;
    let existed = env.data_dir.exists();
    let fresh = !env.data_dir.join("db").exists();
    let store = Store::open(&env.data_dir, &realm)?;
    let progress = Progress::new(lang.t("恢复", "restoring"), 0, lang.t("个事件", "events"));
    let restored = crate::store::backup::restore(&store, &env.settings.console.name, &a.source, |done, total| {
        progress.set_total(total);
        progress.set(done);
    });
    drop(progress);
    match restored {
        Ok(r) => {
            let (events, realm, data) = (r.events, &r.realm, env.data_dir.display());
            outln!(
                "{}",
                said!(
                    "已将数据域“{realm}”的 {events} 个事件恢复到 {data}；可用 `yuqing verify` 核对",
                    "restored {events} events of realm `{realm}` into {data}; `yuqing verify` checks it"
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ BackupError::Refused(_)) | Err(e @ BackupError::Line { .. }) if fresh => {
            drop(store);
            // Nothing of this restore is left: the folder it made, or the database in it.
            let _ = match existed {
                true => std::fs::remove_dir_all(env.data_dir.join("db")),
                false => std::fs::remove_dir_all(&env.data_dir),
            };
            let e = said_backup_error(e, lang);
            Err(anyhow!(said!("{e}；未恢复任何内容", "{e}; nothing was restored")))
        }
        Err(e @ BackupError::Refused(_)) => {
            let e = said_backup_error(e, lang);
            Err(anyhow!(said!("{e}；未恢复任何内容", "{e}; nothing was restored")))
        }
        Err(e) => {
            let data = env.data_dir.display();
            let e = match e {
                BackupError::Store(store) => match super::words::store_error_zh(&store) {
                    Some(zh) if lang == Lang::Zh => zh,
                    _ => store.to_string(),
                },
                other => other.to_string(),
            };
            Err(anyhow!(said!(
                "{e}；{data} 可能只恢复了一部分：请把它移走，再恢复一次",
                "{e}; {data} may be partly restored: move it away and run the restore again"
            )))
        }
    }
}

/// A backup's or restore's error in `lang`: refusals as made, store errors as the
/// command line says them (also the answer of a backup asked through the control socket).
pub(crate) fn said_backup_error(e: BackupError, lang: Lang) -> String {
    match e {
        BackupError::Refused(said) => said.of(lang).to_string(),
        BackupError::Store(store) => match super::words::store_error_zh(&store) {
            Some(zh) if lang == Lang::Zh => zh,
            _ => store.to_string(),
        },
        BackupError::Io(path, io) if lang == Lang::Zh && io.kind() == std::io::ErrorKind::NotFound => {
            format!("{} 不存在", path.display())
        }
        other => other.to_string(),
    }
}
