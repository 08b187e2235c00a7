//! The loop of a console process: draws, waits for the next key, mouse event, applied
//! event, tick or effect's answer, feeds it to `update` and carries out the effects it
//! returns (on tokio tasks and blocking threads, their answers coming back as
//! messages). Between them, when nothing waits, it works through the triage backlog.

use super::effect::{Context, perform};
use crate::ui::app::App;
use crate::ui::update::{Effect, Msg, refresh_lists, update};
use anyhow::{Result, anyhow};
use futures::StreamExt;
use ratatui::crossterm::event::{Event as TermEvent, EventStream};
use std::io::Write;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

/// Per pass of the event loop, at most this many queued items are assessed while the
/// start-up backlog lasts (a few milliseconds, so keys are never kept waiting).
const TRIAGE_STEP: usize = 500;

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The officer quit (`q`).
    Quit,
    /// A SIGTERM (a kill, a shutdown).
    Terminated,
    /// A SIGHUP or the end of the terminal's input (a closed SSH session).
    HungUp,
}

/// Runs until the operator quits; then the officer signed in here signs out, and an
/// inbox scan under way is waited for, so a file being ingested is finished and moved.
pub async fn run(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    ctx: &Context,
    bell: bool,
    node: Option<&crate::sync::Node>,
) -> Result<()> {
    let mut scan = None;
    let result = pass(terminal, app, ctx, bell, node, &mut scan).await;
    if let Ok(stop) = result {
        sign_out(app, ctx, stop).await;
    }
    if let Some(s) = scan {
        let _ = s.await;
    }
    result.map(|_| ())
}

/// Records that the officer who signed in at this terminal left as the console
/// stopped (`signed_out`, with how it stopped), so the audit shows when each session
/// ended. Nobody signed in with the form: nothing to record.
async fn sign_out(app: &App, ctx: &Context, stop: Stop) {
    if !app.sign_in.signed_in {
        return;
    }
    // Said in English, as every session's reason is written (`describe` says it in Chinese).
    let detail = match stop {
        Stop::Quit => "quit",
        Stop::Terminated => "stopped",
        Stop::HungUp => "terminal closed",
    };
    let act = crate::domain::session::SessionAct::SignedOut;
    let cmd = crate::domain::command::Command::RecordSession {
        act,
        who: app.operator.id.clone(),
        detail: detail.to_string(),
    };
    let answer = ctx.desk.submit(&app.operator, vec![cmd]);
    match tokio::time::timeout(std::time::Duration::from_secs(5), answer).await {
        Ok(Ok(answers)) if answers.iter().all(Result::is_ok) => {}
        other => tracing::warn!("could not record {} signing out: {other:?}", app.operator.id),
    }
}

async fn pass(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    ctx: &Context,
    bell: bool,
    node: Option<&crate::sync::Node>,
    scan: &mut Option<JoinHandle<()>>,
) -> Result<Stop> {
    let desk = &ctx.desk;
    let mut keys = EventStream::new();
    let mut applied = desk.subscribe();
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // Stopped from outside (kill, a closed SSH session): leave as `q` does, so the
    // terminal is restored and an inbox file under way is finished.
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    if app.busy.loading.is_some() {
        spawn(ctx, Effect::LoadQueue, &tx);
    }
    loop {
        let size = terminal.size().unwrap_or(ratatui::layout::Size { width: 80, height: 25 });
        let rows = size.height.saturating_sub(5) as usize;
        if (size.width, rows) != (app.viewport.cols, app.viewport.page_rows) {
            update(app, Msg::Resized { cols: size.width, rows });
        }
        terminal.draw(|f| crate::ui::view::view(app, f))?;
        let msg = tokio::select! {
            // Keys, events and answers come first; the triage backlog when nothing waits.
            biased;
            ev = keys.next() => match ev {
                Some(Ok(TermEvent::Key(k))) => Msg::Key(k),
                Some(Ok(TermEvent::Mouse(m))) => Msg::Mouse(m),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(anyhow!("terminal input failed: {e}")),
                None => return Ok(Stop::HungUp),
            },
            ev = applied.recv() => match ev {
                Ok(ev) => Msg::Applied(ev),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!("missed {n} events; reloading");
                    spawn(ctx, Effect::Reload, &tx);
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => return Err(anyhow!("the store stopped")),
            },
            _ = tick.tick() => {
                let peers = node.map(|n| n.peers()).unwrap_or_default();
                let mut effects = update(app, Msg::Network { peers, forks: desk.forks() });
                effects.extend(update(app, Msg::Tick(desk.clock().now())));
                if carry_out(app, ctx, bell, effects, &tx, scan) {
                    return Ok(Stop::Quit);
                }
                continue;
            }
            Some(m) = rx.recv() => m,
            _ = term.recv() => {
                tracing::info!("console stopped by SIGTERM");
                return Ok(Stop::Terminated);
            }
            _ = hangup.recv() => {
                tracing::info!("console stopped by SIGHUP (the terminal went away)");
                return Ok(Stop::HungUp);
            }
            _ = std::future::ready(()), if app.triage.behind() => {
                app.triage.work(&app.model, TRIAGE_STEP);
                continue;
            }
        };
        let mut effects = update(app, msg);
        while let Ok(ev) = applied.try_recv() {
            effects.extend(update(app, Msg::Applied(ev)));
        }
        if carry_out(app, ctx, bell, effects, &tx, scan) {
            return Ok(Stop::Quit);
        }
    }
}

/// Carries out what `update` returned; true when it asked to quit.
fn carry_out(
    app: &mut App,
    ctx: &Context,
    bell: bool,
    effects: Vec<Effect>,
    tx: &mpsc::UnboundedSender<Msg>,
    scan: &mut Option<JoinHandle<()>>,
) -> bool {
    refresh_lists(app);
    let mut rang = false;
    for e in effects {
        match e {
            Effect::Quit => return true,
            Effect::Bell if bell && !rang => {
                rang = true;
                let mut out = std::io::stdout();
                let _ = out.write_all(b"\x07").and_then(|_| out.flush());
            }
            Effect::Bell => {}
            Effect::Log(line) => tracing::info!("{line}"),
            Effect::Run(op, cmds) => {
                let (answer, tx) = (ctx.desk.submit(&op, cmds), tx.clone());
                tokio::spawn(async move {
                    if let Ok(answers) = answer.await {
                        let _ = tx.send(Msg::Answered(answers));
                    }
                });
            }
            Effect::ScanInbox => *scan = Some(spawn(ctx, Effect::ScanInbox, tx)),
            other => drop(spawn(ctx, other, tx)),
        }
    }
    false
}

/// Carries out a blocking effect on a blocking thread; its answers come back on `tx`.
fn spawn(ctx: &Context, e: Effect, tx: &mpsc::UnboundedSender<Msg>) -> JoinHandle<()> {
    let (ctx, tx) = (ctx.clone(), tx.clone());
    tokio::task::spawn_blocking(move || {
        for m in perform(&ctx, e) {
            let _ = tx.send(m);
        }
    })
}
