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
        .context(said!("无法打开日志文件", "cannot open the log file"))?;
    let Some(cfg) = env.net(&net)? else {
        bail!(said!(
            "没有可服务的对象：请给出 --listen 地址 和/或 --peer 地址（或在 console.toml 中设置 listen/peers）",
            "nothing to serve: give --listen ADDR and/or --peer ADDR (or listen/peers in console.toml)"
        ));
    };
    let operator = env.actor(actor)?;
    let desk = env.desk()?;
    let inbox = env.data_dir.join("inbox");
    let shown = inbox.display();
    std::fs::create_dir_all(&inbox)
        .with_context(|| said!("无法创建收件文件夹 {shown}", "cannot create the inbox {shown}"))?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(async move {
        // Before anything is announced: a command run as soon as the hub says it listens
        // finds the socket.
        let data = env.data_dir.display();
        let control = crate::control::serve(desk.clone(), env.config_dir.clone())
            .with_context(|| said!("无法在 {data} 中打开控制套接字", "cannot open the control socket in {data}"))?;
        let node = crate::sync::Node::start(desk.clone(), cfg.clone()).await.with_context(|| match &cfg.listen {
            Some(l) => said!("无法在 {l} 上启动同步监听", "cannot start sync listening on {l}"),
            None => said!("无法启动同步", "cannot start sync"),
        })?;
        // Not eprintln!: a closed stderr must not stop a hub.
        let console = &cfg.console;
        let _ = match node.local_addr {
            Some(a) => writeln!(
                std::io::stderr(),
                "{}",
                said!(
                    "yuqing serve：值守台 {console} 在 {a} 上监听；日志：{log}",
                    "yuqing serve: console {console} listening on {a}; log: {log}"
                )
            ),
            None => {
                let peers = &cfg.peers;
                writeln!(
                    std::io::stderr(),
                    "{}",
                    said!(
                        "yuqing serve：值守台 {console} 正连接 {peers:?}；日志：{log}",
                        "yuqing serve: console {console} connecting to {peers:?}; log: {log}"
                    )
                )
            }
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
        let _ = writeln!(std::io::stderr(), "{}", said!("yuqing serve：已停止", "yuqing serve: stopped"));
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
