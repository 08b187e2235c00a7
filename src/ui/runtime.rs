//! Wiring one console process: the terminal (restored on exit, error or panic), the
//! loop that feeds keys, ticks, applied events and answers into `update`, the effects
//! it returns, and the inbox watcher.

use super::app::App;
use super::keymap::Keymap;
use super::model::Model;
use super::update::{Effect, Msg, refresh_lists, update};
use crate::desk::Desk;
use crate::domain::role::Operator;
use crate::i18n::Lang;
use anyhow::{Context, Result, anyhow};
use futures::StreamExt;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture, Event as TermEvent, EventStream};
use ratatui::crossterm::execute;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};

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

/// Per pass of the event loop, at most this many queued items are assessed while the
/// start-up backlog lasts (a few milliseconds, so keys are never kept waiting).
const TRIAGE_STEP: usize = 500;

/// Queued items of each console loaded before the first frame (the newest); the whole
/// queue loads in the background (`Effect::LoadQueue`), so the first frame does not
/// wait for a large queue.
const FIRST_ITEMS: usize = 1000;

/// The console's state up to its first frame: the open cases and the newest queued
/// items loaded, their triage waiting in a backlog (`Triage::work` goes through it),
/// and the whole queue still to load (`App::loading`; the event loop starts it).
pub fn prepare(l: &Launch) -> Result<App> {
    let lang = Lang::pick(&l.lang).map_err(|e| anyhow!(e))?;
    let keymap = Keymap::load(&l.keymap, &l.config_dir)?;
    let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let model = Model::new(l.desk.store().queue_newest(FIRST_ITEMS)?, l.desk.store().open_cases()?);
    let inbox = l.data_dir.join("inbox");
    std::fs::create_dir_all(&inbox).with_context(|| format!("cannot create the inbox {}", inbox.display()))?;
    let tz = crate::timefmt::zone();
    let now = l.desk.clock().now();
    let mut app = App::new(
        lang,
        tz,
        now,
        l.operator.clone(),
        l.desk.store().realm().to_string(),
        keymap,
        l.desk.settings().directory.clone(),
        model,
        colour,
        inbox.clone(),
    );
    let s = l.desk.settings();
    app.responses = s.policy.responses.clone();
    app.queue_alert =
        (s.policy.queue_alert_hours > 0).then(|| chrono::Duration::hours(s.policy.queue_alert_hours.into()));
    let lock = (s.console.lock_minutes > 0.0)
        .then(|| chrono::Duration::milliseconds((s.console.lock_minutes * 60_000.0) as i64));
    app.require_sign_in(l.desk.operators(), lock);
    app.drill = l.drill.clone();
    app.follow = l.follow;
    app.triage = super::triage::Triage::new(l.desk.settings().rules.clone());
    app.triage.take(&mut app.model);
    app.loading = Some(Vec::new());
    refresh_lists(&mut app);
    Ok(app)
}

/// Runs the console until the operator quits.
pub fn run(l: Launch) -> Result<ExitCode> {
    let mut app = prepare(&l)?;
    let inbox = l.data_dir.join("inbox");
    let bell = l.desk.settings().console.bell;
    tracing::info!("console started by {} on {}", l.operator.id, l.data_dir.display());

    let log = l.log.clone();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("panic: {info}");
        eprintln!("yuqing stopped unexpectedly: {info}\nThe terminal was restored. The log is {log}");
    }));
    let mut terminal = ratatui::try_init().context("cannot open the terminal")?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
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
        let (told, mut inbox_news) = mpsc::unbounded_channel();
        let watcher = crate::ingest::inbox::watch(l.desk.clone(), l.operator.clone(), inbox, move |o| {
            let _ = told.send(o);
        });
        let result = event_loop(&mut terminal, &mut app, &l, bell, &mut inbox_news, node.as_ref()).await;
        watcher.stop().await;
        if let Some(c) = control {
            c.abort();
        }
        l.desk.drain().await;
        result
    });
    restore();
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            tracing::error!("console stopped: {e:#}");
            Err(e.context(format!("the console stopped; the log is {}", l.log)))
        }
    }
}

fn restore() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    l: &Launch,
    bell: bool,
    inbox: &mut mpsc::UnboundedReceiver<crate::ingest::inbox::Outcome>,
    node: Option<&crate::sync::Node>,
) -> Result<()> {
    let desk = &l.desk;
    let mut keys = EventStream::new();
    let mut applied = desk.subscribe();
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    if app.loading.is_some() {
        spawn_effect(desk, (app.lang, app.tz), l.drill.as_deref(), Effect::LoadQueue, &tx);
    }
    loop {
        app.page_rows = terminal.size().map(|s| s.height.saturating_sub(5) as usize).unwrap_or(20);
        app.cols = terminal.size().map(|s| s.width).unwrap_or(80);
        terminal.draw(|f| super::view::view(app, f))?;
        let msg = tokio::select! {
            // Keys, events and answers come first; the triage backlog when nothing waits.
            biased;
            ev = keys.next() => match ev {
                Some(Ok(TermEvent::Key(k))) => Msg::Key(k),
                Some(Ok(TermEvent::Mouse(m))) => Msg::Mouse(m),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(anyhow!("terminal input failed: {e}")),
                None => return Ok(()),
            },
            ev = applied.recv() => match ev {
                Ok(ev) => Msg::Applied(ev),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!("missed {n} events; reloading");
                    spawn_effect(desk, (app.lang, app.tz), l.drill.as_deref(), Effect::Reload, &tx);
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => return Err(anyhow!("the store stopped")),
            },
            _ = tick.tick() => {
                app.forks = desk.forks();
                if let Some(n) = node {
                    app.peers = n.peers();
                    if let (Some(ctl), true) = (&l.drill, l.follow) {
                        ctl.follow(&app.peers);
                    }
                }
                Msg::Tick(desk.clock().now())
            }
            Some(o) = inbox.recv() => notice(o, app.lang),
            Some(m) = rx.recv() => m,
            _ = std::future::ready(()), if app.triage.behind() => {
                app.triage.work(&app.model, TRIAGE_STEP);
                continue;
            }
        };
        let mut effects = update(app, msg);
        while let Ok(ev) = applied.try_recv() {
            effects.extend(update(app, Msg::Applied(ev)));
        }
        refresh_lists(app);
        let mut rang = false;
        for e in effects {
            match e {
                Effect::Quit => return Ok(()),
                Effect::Bell if bell && !rang => {
                    rang = true;
                    let mut out = std::io::stdout();
                    let _ = out.write_all(b"\x07").and_then(|_| out.flush());
                }
                Effect::Bell => {}
                other => spawn_effect(desk, (app.lang, app.tz), l.drill.as_deref(), other, &tx),
            }
        }
    }
}

fn notice(o: crate::ingest::inbox::Outcome, lang: Lang) -> Msg {
    use super::strings::M;
    match o {
        crate::ingest::inbox::Outcome::Ingested { file, new, duplicates } => Msg::Notice(
            format!("{} {file}: +{new} ({duplicates} {})", M::InboxIngested.t(lang), M::InboxDuplicates.t(lang)),
            false,
        ),
        crate::ingest::inbox::Outcome::Rejected { file, why } => {
            let why = if lang == Lang::Zh { why.zh } else { why.en };
            Msg::Notice(format!("{} {file}: {}", M::InboxRejected.t(lang), why.lines().next().unwrap_or("")), true)
        }
    }
}

/// Carries out an effect in the background; its result comes back as a message. Times
/// are shown in `tz`, the console's offset taken once at start-up.
fn spawn_effect(
    desk: &Desk,
    (lang, tz): (Lang, chrono::FixedOffset),
    drill: Option<&crate::drill::Control>,
    e: Effect,
    tx: &mpsc::UnboundedSender<Msg>,
) {
    let (desk, tx) = (desk.clone(), tx.clone());
    match e {
        Effect::Run(op, cmds) => {
            let rx = desk.submit(&op, cmds);
            tokio::spawn(async move {
                if let Ok(answers) = rx.await {
                    let _ = tx.send(Msg::Answered(answers));
                }
            });
        }
        Effect::LoadCase(no) => {
            tokio::task::spawn_blocking(move || match super::loads::case_view(desk.store(), &no) {
                Ok(Some(v)) => drop(tx.send(Msg::CaseLoaded(Box::new(v)))),
                Ok(None) => drop(tx.send(Msg::Notice(format!("no case {no}"), true))),
                Err(e) => drop(tx.send(Msg::Notice(e.to_string(), true))),
            });
        }
        Effect::RefreshCase(no) => {
            tokio::task::spawn_blocking(move || {
                if let Ok(Some(c)) = desk.store().case(&no) {
                    let _ = tx.send(Msg::CaseRefreshed(Box::new(c)));
                }
            });
        }
        Effect::LoadClosed => {
            tokio::task::spawn_blocking(move || match super::loads::closed_cases(desk.store()) {
                Ok(cases) => drop(tx.send(Msg::ClosedLoaded(cases))),
                Err(e) => drop(tx.send(Msg::Notice(e.to_string(), true))),
            });
        }
        Effect::Reload => {
            tokio::task::spawn_blocking(move || {
                let s = desk.store();
                if let (Ok(q), Ok(c)) = (s.queue(), s.open_cases()) {
                    let _ = tx.send(Msg::Reloaded(Box::new(Model::new(q, c))));
                }
            });
        }
        Effect::LoadQueue => {
            tokio::task::spawn_blocking(move || match desk.store().queue() {
                Ok(items) => drop(tx.send(Msg::QueueLoaded(items))),
                Err(e) => drop(tx.send(Msg::Notice(e.to_string(), true))),
            });
        }
        Effect::LoadDepartments(kind) => {
            tokio::task::spawn_blocking(move || match super::loads::departments(&desk, kind, tz) {
                Ok(rows) => drop(tx.send(Msg::DepartmentsLoaded(rows))),
                Err(e) => drop(tx.send(Msg::Notice(e.to_string(), true))),
            });
        }
        Effect::ExportReport(kind) => {
            tokio::task::spawn_blocking(move || {
                let msg = match super::loads::export_report(&desk, kind, tz, lang) {
                    Ok(files) => Msg::Notice(super::loads::exported(&files), false),
                    Err(e) => Msg::Notice(e, true),
                };
                let _ = tx.send(msg);
            });
        }
        Effect::Log(line) => tracing::info!("{line}"),
        Effect::DrillScore => {
            let scenario = drill.and_then(|c| c.scenario.clone());
            tokio::task::spawn_blocking(move || {
                let msg = match scenario.map(|s| super::loads::drill_score(&desk, &s)) {
                    Some(Ok(md)) => Msg::Show(md),
                    Some(Err(e)) => Msg::Notice(e.to_string(), true),
                    None => Msg::Notice("no scenario".into(), true),
                };
                let _ = tx.send(msg);
            });
        }
        Effect::ExportHandover(summary) => {
            tokio::task::spawn_blocking(move || {
                let msg = match super::loads::export_handover(&desk, &summary, tz) {
                    Ok(path) => Msg::Notice(path.display().to_string(), false),
                    Err(e) => Msg::Notice(e, true),
                };
                let _ = tx.send(msg);
            });
        }
        Effect::Bell | Effect::Quit => {}
    }
}
