//! `yuqing serve`: a headless console (a hub) that stores and relays events, ingests
//! files dropped into `<data>/inbox/` as the console does, logs to a file a day (to the
//! journal as a systemd service), and stops cleanly on SIGTERM or Ctrl-C with everything
//! flushed.

use super::args::NetArgs;
use super::open::Env;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::process::ExitCode;

/// Runs the hub; inbox files are ingested as `actor`, the console's operator by default.
pub fn run(env: &Env, actor: Option<&str>, net: NetArgs) -> Result<ExitCode> {
    let log = crate::logging::init(&env.data_dir, env.settings.console.log_retention_days)
        .context("cannot open the log file")?;
    let Some(cfg) = env.net(&net)? else {
        bail!("nothing to serve: give --listen ADDR and/or --peer ADDR (or listen/peers in console.toml)");
    };
    let operator = env.actor(actor)?;
    let desk = env.desk()?;
    let inbox = env.data_dir.join("inbox");
    std::fs::create_dir_all(&inbox).with_context(|| format!("cannot create the inbox {}", inbox.display()))?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(async move {
        // Before anything is announced: a command run as soon as the hub says it listens
        // finds the socket.
        let control = crate::control::serve(desk.clone(), env.config_dir.clone())
            .with_context(|| format!("cannot open the control socket in {}", env.data_dir.display()))?;
        let node = crate::sync::Node::start(desk.clone(), cfg.clone()).await.with_context(|| match &cfg.listen {
            Some(l) => format!("cannot start sync listening on {l}"),
            None => "cannot start sync".to_string(),
        })?;
        // Not eprintln!: a closed stderr must not stop a hub.
        let _ = match node.local_addr {
            Some(a) => {
                writeln!(std::io::stderr(), "yuqing serve: console {} listening on {a}; log: {}", cfg.console, log)
            }
            None => writeln!(
                std::io::stderr(),
                "yuqing serve: console {} connecting to {:?}; log: {}",
                cfg.console,
                cfg.peers,
                log
            ),
        };
        tracing::info!("serving as {} on {:?}, peers {:?}", cfg.console, node.local_addr, cfg.peers);
        // Outcomes are logged by the scan itself; a hub has no screen to show them on.
        let watcher = crate::ingest::inbox::watch(desk.clone(), operator, inbox, drop);
        let reports = tokio::spawn(scheduled_reports(desk.clone()));
        let expiry = tokio::spawn(crate::ingest::expire::every_minute(desk.clone(), env.actor(actor)?));
        until_stopped().await?;
        reports.abort();
        expiry.abort();
        watcher.stop().await;
        node.stop();
        control.abort();
        // Batches already received are committed before the process ends.
        desk.drain().await;
        tracing::info!("stopping: every acknowledged event is already flushed");
        let _ = writeln!(std::io::stderr(), "yuqing serve: stopped");
        Ok::<_, anyhow::Error>(())
    })?;
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    Ok(ExitCode::SUCCESS)
}

/// Writes each finished week's and month's 通报 into `<data>/reports/` (policy
/// `report_weekly`, `report_monthly`): at start, then every minute.
async fn scheduled_reports(desk: crate::desk::Desk) {
    let folder = desk.store().path().join("reports");
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        let (d, f) = (desk.clone(), folder.clone());
        match tokio::task::spawn_blocking(move || crate::report::schedule::write_due(&d, &f)).await {
            Ok(Ok(files)) => files.iter().for_each(|p| tracing::info!("scheduled report written: {}", p.display())),
            Ok(Err(e)) => tracing::warn!("scheduled report not written: {e}"),
            Err(e) => tracing::warn!("scheduled report not written: {e}"),
        }
    }
}

/// Waits for Ctrl-C or SIGTERM.
pub async fn until_stopped() -> std::io::Result<()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r,
        _ = term.recv() => Ok(()),
    }
}
