//! The console process: everything around `ui` (which is model, update and view only).
//! It sets up and restores the terminal (`terminal.rs`), runs the loop that feeds keys,
//! ticks, applied events and effects' answers into `update` (`event_loop.rs`), and
//! carries out the effects (`effect.rs`): store reads and files (`loads.rs`), PIN
//! checks, the drill clock (`drill.rs`) and inbox scans. It also starts the control
//! socket and sync.

pub mod drill;
pub mod effect;
mod event_loop;
pub mod loads;
mod terminal;

use crate::desk::Desk;
use crate::domain::role::Operator;
use crate::i18n::Lang;
use crate::ui::app::App;
use crate::ui::keymap::Keymap;
use crate::ui::model::Model;
use crate::ui::update::refresh_lists;
use anyhow::{Context, Result, anyhow};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// What the console needs to start.
pub struct Launch {
    /// The trainer's controls, when this console runs a drill.
    pub drill: Option<Arc<crate::drill::Control>>,
    /// A trainee's console: its drill clock follows the peers' (the trainer's).
    pub follow: bool,
    /// Sync with other consoles, if configured.
    pub sync: Option<crate::sync::NodeConfig>,
    pub operator: Operator,
    pub desk: Desk,
    pub lang: String,
    pub keymap: String,
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    /// Where the log goes, for messages that point a person at it.
    pub log: crate::logging::LogPlace,
}

/// Queued items of each console loaded before the first frame (the newest); the whole
/// queue loads in the background (`Effect::LoadQueue`), so the first frame does not
/// wait for a large queue.
const FIRST_ITEMS: usize = 1000;

/// The console's state up to its first frame: the open cases and the newest queued
/// items loaded, their triage waiting in a backlog (`Triage::work` goes through it),
/// and the whole queue still to load (`Busy::loading`; the event loop starts it).
pub fn prepare(l: &Launch) -> Result<App> {
    let lang = Lang::pick(&l.lang).map_err(|e| anyhow!(e))?;
    let keymap = Keymap::load(&l.keymap, &l.config_dir)?;
    let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let model = Model::new(l.desk.store().queue_newest(FIRST_ITEMS)?, l.desk.store().open_cases()?);
    let inbox = l.data_dir.join("inbox");
    std::fs::create_dir_all(&inbox).with_context(|| format!("cannot create the inbox {}", inbox.display()))?;
    let tz = crate::timefmt::zone();
    let now = l.desk.clock().now();
    let s = l.desk.settings();
    let settings = crate::ui::app::Settings {
        tz,
        queue_alert: (s.policy.queue_alert_hours > 0)
            .then(|| chrono::Duration::hours(s.policy.queue_alert_hours.into())),
        responses: s.policy.responses.clone(),
        realm: l.desk.store().realm().to_string(),
        keymap,
        directory: s.directory.clone(),
        colour,
        inbox: inbox.clone(),
    };
    let mut app = App::new(lang, settings, now, l.operator.clone(), model);
    let lock = (s.console.lock_minutes > 0.0)
        .then(|| chrono::Duration::milliseconds((s.console.lock_minutes * 60_000.0) as i64));
    app.require_sign_in(l.desk.operators(), lock);
    app.drill.control = l.drill.clone();
    app.drill.follow = l.follow;
    app.triage = crate::ui::triage::Triage::new(l.desk.settings().rules.clone());
    app.triage.take(&mut app.model);
    app.busy.loading = Some(Vec::new());
    refresh_lists(&mut app);
    Ok(app)
}

/// Runs the console until the operator quits.
pub fn run(l: Launch) -> Result<ExitCode> {
    let mut app = prepare(&l)?;
    let ctx = effect::Context {
        desk: l.desk.clone(),
        lang: app.lang,
        tz: app.settings.tz,
        drill: l.drill.clone(),
        inbox: app.settings.inbox.clone(),
        inbox_operator: l.operator.clone(),
    };
    let bell = l.desk.settings().console.bell;
    tracing::info!("console started by {} on {}", l.operator.id, l.data_dir.display());
    let mut terminal = terminal::open(l.log.clone())?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let result = rt.block_on(async {
        // Commands aimed at this folder come through its control socket.
        let control = crate::control::serve(l.desk.clone(), l.config_dir.clone())
            .map_err(|e| tracing::warn!("no control socket in {}: {e}", l.data_dir.display()))
            .ok();
        let node = match &l.sync {
            Some(cfg) => {
                Some(crate::sync::Node::start(l.desk.clone(), cfg.clone()).await.with_context(
                    || match &cfg.listen {
                        Some(l) => format!("cannot start sync listening on {l}"),
                        None => "cannot start sync".to_string(),
                    },
                )?)
            }
            None => None,
        };
        if let (Some(addr), Some(_), false) = (node.as_ref().and_then(|n| n.local_addr), &l.drill, l.follow) {
            app.set_status(format!("{}--join --peer {addr}", app.lang.t("学员加入：", "trainees join with ")), false);
        }
        // A console on its own expires its queue's stale items; one that syncs leaves
        // that to its hub (`yuqing serve`), so no two consoles expire the same item.
        let expiry = (node.is_none() && l.drill.is_none())
            .then(|| tokio::spawn(crate::ingest::expire::every_minute(l.desk.clone(), l.operator.clone())));
        let result = event_loop::run(&mut terminal, &mut app, &ctx, bell, node.as_ref()).await;
        if let Some(c) = control {
            c.abort();
        }
        if let Some(e) = expiry {
            e.abort();
        }
        l.desk.drain().await;
        result
    });
    terminal::restore();
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            tracing::error!("console stopped: {e:#}");
            Err(e.context(format!("the console stopped; the log is {}", l.log)))
        }
    }
}
