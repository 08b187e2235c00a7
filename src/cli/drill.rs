//! `yuqing drill check|run|score`.

use super::args::{Cli, DrillCmd};
use super::open::Env;
use crate::desk::Desk;
use crate::domain::clock::{Clock, DrillClock, SystemClock};
use crate::drill::folder::outside_live;
use crate::drill::{Runner, Scenario};
use crate::store::Store;
use anyhow::{Context, Result, anyhow, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

fn check(env: &Env, file: &Path) -> Result<Scenario> {
    crate::drill::check_file(file, &env.settings.directory).map_err(|errors| {
        let lang = crate::i18n::Lang::of_terminal();
        for e in &errors {
            errln!("{}", e.of(lang));
        }
        let (n, shown) = (errors.len(), file.display());
        let errors = if n == 1 { "error" } else { "errors" };
        anyhow!(said!("{shown} 中有 {n} 处错误", "{n} {errors} in {shown}"))
    })
}

/// A refusal in the terminal's language.
fn say(zh: String, en: String) -> String {
    match crate::i18n::Lang::of_terminal() {
        crate::i18n::Lang::Zh => zh,
        crate::i18n::Lang::En => en,
    }
}

/// A drill folder refused, in the terminal's language.
fn said_folder(e: crate::drill::folder::FolderError) -> anyhow::Error {
    anyhow!(say(e.zh(), e.to_string()))
}

/// True when the two files hold the same bytes (a scenario picked up again).
fn same_file(a: &Path, b: &Path) -> bool {
    matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

/// The drill's realm, kept in its data folder.
fn realm(dir: &Path) -> Result<String> {
    std::fs::read_to_string(dir.join("realm")).map(|r| r.trim().to_string()).with_context(|| {
        let dir = dir.display();
        said!("{dir} 不是演练数据文件夹（没有 `realm` 文件）", "{dir} is not a drill data folder (no `realm` file)")
    })
}

pub fn run(env: &Env, cli: &Cli, c: DrillCmd) -> Result<ExitCode> {
    match c {
        DrillCmd::Check { files } => {
            let mut bad = 0;
            for f in &files {
                match check(env, f) {
                    Ok(s) => {
                        let span = s.entries.iter().map(|e| e.offset).max().unwrap_or_default();
                        let (shown, name, n) = (f.display(), &s.name, s.entries.len());
                        let (hours, minutes) = (span.num_hours(), span.num_minutes() % 60);
                        let entries = if n == 1 { "entry" } else { "entries" };
                        outln!(
                            "{}",
                            said!(
                                "{shown}：无误 — {name}（{n} 个条目，历时 {hours} 小时 {minutes:02} 分）",
                                "{shown}: ok — {name} ({n} {entries} over {hours} h {minutes:02} min)"
                            )
                        );
                    }
                    Err(_) => bad += 1,
                }
            }
            if bad > 0 {
                let have = if bad == 1 { "file has" } else { "files have" };
                bail!("{}", said!("{bad} 个剧本文件有错误", "{bad} scenario {have} errors"));
            }
            Ok(ExitCode::SUCCESS)
        }
        DrillCmd::Record { from, to, anonymize, out, force } => {
            let from = super::list::time_arg("--from", &from)?;
            let to = super::list::time_arg("--to", &to)?;
            let names: Vec<String> = match &anonymize {
                Some(p) => std::fs::read_to_string(p)
                    .with_context(|| {
                        let p = p.display();
                        said!("无法读取 {p}", "cannot read {p}")
                    })?
                    .lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect(),
                None => vec![],
            };
            if out.exists() && !force {
                bail!(say(
                    format!("{} 已存在；要覆盖请加 --force", out.display()),
                    format!("{} exists; give --force to overwrite it", out.display())
                ));
            }
            outside_live(&env.data_dir, &out).map_err(said_folder)?;
            let store = env.store()?;
            let progress = super::progress::Progress::over_events(
                crate::i18n::Lang::of_terminal().t("记录", "recording"),
                &store,
            )?;
            let names = anonymize.is_some().then_some(names.as_slice());
            let text = crate::drill::record::record(&store, from, to, names, |n| progress.set(n))?;
            drop(progress);
            let shown = out.display();
            std::fs::write(&out, text).with_context(|| said!("无法写入 {shown}", "cannot write {shown}"))?;
            outln!("{}", said!("已写入 {shown}", "wrote {shown}"));
            Ok(ExitCode::SUCCESS)
        }
        DrillCmd::Run { file, speed, headless, drill_data, net, join } => {
            let scenario = check(env, &file)?;
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("drill").to_string();
            let given = drill_data.unwrap_or_else(|| {
                // In the county's time; a second run in the same second gets `-2`, `-3`…
                let stamp = SystemClock.now().with_timezone(&crate::timefmt::zone()).format("%Y%m%d-%H%M%S");
                let drills = env.data_dir.parent().unwrap_or(Path::new(".")).join("drills");
                (1..)
                    .map(|n| {
                        drills.join(if n == 1 { format!("{stem}-{stamp}") } else { format!("{stem}-{stamp}-{n}") })
                    })
                    .find(|p| !p.exists())
                    .unwrap_or_default()
            });
            // Resolved and checked before anything is written.
            let dir = outside_live(&env.data_dir, &given).map_err(said_folder)?;
            if join && net.peers.is_empty() {
                bail!(say(
                    "学员加入须用 --peer 地址（培训员 --listen 的地址）".into(),
                    "a trainee joins with --peer ADDR, the trainer's --listen address".into()
                ));
            }
            if join && headless {
                bail!(say(
                    "学员在控制台界面中加入；--headless 只用于培训员".into(),
                    "a trainee joins with a screen; --headless is for the trainer".into()
                ));
            }
            let realm_name = format!("drill:{stem}");
            let sync = env.drill_net(&net, &realm_name)?;
            match realm(&dir) {
                Ok(existing) if existing != realm_name => {
                    bail!(say(
                        format!("{} 中是演练 `{existing}`，不是 `{realm_name}`", dir.display()),
                        format!("{} holds the drill `{existing}`, not `{realm_name}`", dir.display())
                    ))
                }
                Ok(_) if !same_file(&file, &dir.join("scenario.jsonl")) => {
                    let name = file.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
                    bail!(say(
                        format!(
                            "{} 中是另一份 `{name}` 的演练：其 scenario.jsonl 与 {} 不同；演练只能用开始时的剧本文件继续（或用 --drill-data 另选文件夹）",
                            dir.display(),
                            file.display()
                        ),
                        format!(
                            "{} holds a drill of another `{name}`: its scenario.jsonl is not {}; a drill is picked up \
                             again only with the file it started with (choose a new folder with --drill-data)",
                            dir.display(),
                            file.display()
                        )
                    ))
                }
                Ok(_) => {}
                Err(_) if std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()) => {
                    bail!(say(
                        format!("{} 中有其他文件而不是演练；请用 --drill-data 另选新的或空的文件夹", dir.display()),
                        format!(
                            "{} holds files but no drill; choose a new or empty folder with --drill-data",
                            dir.display()
                        )
                    ))
                }
                Err(_) => {}
            }
            std::fs::create_dir_all(&dir).with_context(|| {
                let dir = dir.display();
                said!("无法创建 {dir}", "cannot create {dir}")
            })?;
            // Once more now that it exists, in case a link appeared in between.
            let dir = outside_live(&env.data_dir, &dir).map_err(said_folder)?;
            let store = Store::open(&dir, &realm_name)?;
            std::fs::write(dir.join("realm"), &realm_name)?;
            std::fs::copy(&file, dir.join("scenario.jsonl"))?;
            let resumed = crate::drill::Resume::read(&store)?;
            // The trainer's clock is held at the first entry until the runner delivers it
            // (at any speed); a trainee's follows the trainer's pace and is never held.
            let first = scenario.entries.iter().map(|e| e.offset).min().filter(|_| !join);
            let clock = Arc::new(match first {
                Some(first) => DrillClock::held(scenario.start, speed, scenario.start + first),
                None => DrillClock::new(scenario.start, speed),
            });
            let desk = Desk::start(store, Arc::new(crate::drill::settings(&env.settings, &scenario)), clock.clone())?;
            // The trainer's console acts as the trainer; a trainee's as its own operator.
            let trainer = env.actor(cli.actor.as_deref().or((!join).then_some("trainer")))?;
            let control = Arc::new(crate::drill::Control::new(clock.clone()).with_scenario(scenario.clone()));
            let (scenario_name, entry_count) = (scenario.name.clone(), scenario.entries.len());
            let mut runner = Runner::new(scenario, desk.clone(), trainer.clone());
            let shown = dir.display();
            outln!("{}", said!("演练数据文件夹：{shown}", "drill data folder: {shown}"));
            outln!(
                "{}",
                said!(
                    "演练：{scenario_name}（{entry_count} 个条目）",
                    "演练 drill: {scenario_name} ({entry_count} entries)"
                )
            );
            if join {
                // Still until the trainer is connected, then in step with its pace.
                control.hold(resumed.map_or(clock.now(), |r| r.through), resumed.and_then(|r| r.pace));
            } else {
                if let Some(r) = resumed {
                    // Picked up again: where the log ends, paused for the trainer (F5 goes on).
                    runner.skip_through(r.through, &desk.store().items()?);
                    clock.jump_to(r.through);
                    clock.pause(!headless);
                    if r.pace.is_some_and(|p| p.ended) {
                        clock.end();
                    }
                    let at = crate::timefmt::local(r.through);
                    let paused = match headless {
                        true => String::new(),
                        false => said!("，已暂停（F5 继续）", ", paused (F5 resumes)"),
                    };
                    outln!("{}", said!("从演练时间 {at} 处继续{paused}", "picked up again at drill time {at}{paused}"));
                }
                pace(&desk, &trainer, &control)?;
            }
            if headless {
                return headless_run(
                    runner,
                    control,
                    sync,
                    &dir,
                    &env.config_dir,
                    env.settings.console.log_retention_days,
                    trainer,
                );
            }
            let log = crate::logging::init(&dir, env.settings.console.log_retention_days)
                .with_context(|| said!("无法打开日志文件", "cannot open the log file"))?;
            if !join {
                let c2 = control.clone();
                std::thread::spawn(move || {
                    drive(
                        &mut runner,
                        c2.clock.as_ref(),
                        |_, text| tracing::info!("drill: {text}"),
                        |due| c2.set_next(due),
                    )
                });
            }
            let (quit_desk, quit_control) = (desk.clone(), control.clone());
            let shown = crate::console::run(crate::console::Launch {
                drill: Some(control),
                follow: join,
                sync,
                operator: trainer.clone(),
                desk,
                lang: String::new(),
                keymap: env.settings.console.keymap.clone(),
                config_dir: env.config_dir.clone(),
                data_dir: dir,
                log,
            });
            if !join {
                pause_at_quit(&quit_desk, &trainer, &quit_control);
            }
            shown
        }
        DrillCmd::Score { drill_data } => {
            if !env.is_served() {
                outside_live(&env.data_dir, &drill_data).map_err(said_folder)?;
            }
            let shown = drill_data.display();
            if !drill_data.join("scenario.jsonl").is_file() {
                bail!(
                    "{}",
                    said!(
                        "{shown} 中没有演练（没有 scenario.jsonl）；请给出 `drill run` 打印的演练数据文件夹",
                        "{shown} holds no drill (no scenario.jsonl); give the folder `drill run` printed as its drill data folder"
                    )
                );
            }
            let scenario = check(env, &drill_data.join("scenario.jsonl"))?;
            let store = env.drill_store(&drill_data, &realm(&drill_data)?)?;
            // Beside a running console the command runs in the process holding the folder.
            if !store.realm().starts_with("drill:") {
                let realm = store.realm();
                bail!(
                    "{}",
                    said!(
                        "{shown} 不是演练的文件夹（其 realm 为 `{realm}`）",
                        "{shown} is not a drill's folder (its realm is `{realm}`)"
                    )
                );
            }
            let events: Vec<_> = store.events()?.collect::<Result<_, _>>()?;
            let s = crate::drill::score(&scenario, &store.items()?, &store.cases()?, &events);
            let out: PathBuf = drill_data.join("score.md");
            std::fs::write(&out, &s.markdown)?;
            out!("{}", s.markdown);
            let written = out.display();
            outln!("{}", said!("（已写入 {written}）", "(written to {written})"));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Records the trainer's clock as it is now, for trainees to follow.
fn pace(desk: &Desk, trainer: &crate::domain::role::Operator, control: &crate::drill::Control) -> Result<()> {
    let cmd = crate::domain::command::Command::PaceDrill { pace: control.pace() };
    for answer in desk.run_blocking(trainer, vec![cmd]) {
        answer.map_err(|e| anyhow!(said!("无法记录演练时钟：{e}", "cannot record the drill clock: {e}")))?;
    }
    Ok(())
}

/// The trainer stops: the clock is recorded paused where it stands, so the drill picks
/// up there again (not where the last entry was) and the trainees' clocks follow.
fn pause_at_quit(desk: &Desk, trainer: &crate::domain::role::Operator, control: &crate::drill::Control) {
    if control.clock.ended() {
        return;
    }
    control.clock.pause(true);
    if let Err(e) = pace(desk, trainer, control) {
        tracing::warn!("{e:#}");
    }
}

/// Runs a drill with no screen: delivers every entry and prints notices, while scripts
/// act in it through its folder's control socket (`--data DRILL_FOLDER`, `drill score`).
/// With `--listen` it hosts trainees, and goes on serving them after the last entry
/// until stopped (Ctrl-C or SIGTERM); without, it ends after the last entry.
fn headless_run(
    mut runner: Runner,
    control: Arc<crate::drill::Control>,
    sync: Option<crate::sync::NodeConfig>,
    dir: &Path,
    config_dir: &Path,
    keep_days: u32,
    trainer: crate::domain::role::Operator,
) -> Result<ExitCode> {
    let print = |at: chrono::DateTime<chrono::Utc>, text: &str| outln!("[{}] {text}", crate::timefmt::local(at));
    let shown = &dir.display();
    let done = || {
        outln!(
            "{}",
            said!(
                "全部条目已下发；评分请运行：yuqing drill score --drill-data {shown}",
                "all entries delivered; score with: yuqing drill score --drill-data {shown}"
            )
        )
    };
    crate::logging::init(dir, keep_days).with_context(|| said!("无法打开日志文件", "cannot open the log file"))?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let desk = runner.desk().clone();
    rt.block_on(async move {
        let socket = crate::control::serve(desk.clone(), config_dir.to_path_buf())
            .with_context(|| said!("无法在 {shown} 中打开控制套接字", "cannot open the control socket in {shown}"))?;
        let node = match &sync {
            Some(cfg) => {
                let node =
                    crate::sync::Node::start(desk.clone(), cfg.clone()).await.with_context(|| match &cfg.listen {
                        Some(l) => said!("无法在 {l} 上启动同步监听", "cannot start sync listening on {l}"),
                        None => said!("无法启动同步", "cannot start sync"),
                    })?;
                if let Some(a) = node.local_addr {
                    outln!(
                        "{}",
                        said!(
                            "学员加入请运行：yuqing drill run FILE --join --peer {a}",
                            "trainees join with: yuqing drill run FILE --join --peer {a}"
                        )
                    );
                }
                Some(node)
            }
            None => None,
        };
        let clock = control.clone();
        let delivering = tokio::task::spawn_blocking(move || {
            drive(&mut runner, clock.clock.as_ref(), print, |_| {});
        });
        tokio::select! {
            r = delivering => {
                r?;
                done();
                if node.is_some() {
                    outln!("{}", said!("继续为学员服务，按 Ctrl-C 结束", "serving the trainees until Ctrl-C"));
                    super::serve::until_stopped().await?;
                }
            }
            r = super::serve::until_stopped() => {
                r?;
                let d = desk.clone();
                let c = control.clone();
                tokio::task::spawn_blocking(move || pause_at_quit(&d, &trainer, &c)).await?;
                if !control.clock.ended() {
                    let at = crate::timefmt::local(control.clock.now());
                    outln!(
                        "{}",
                        said!(
                            "演练已暂停，停在演练时间 {at}；用同一剧本文件加 --drill-data {shown} 可继续",
                            "演练已暂停 the drill stopped, paused at drill time {at}; pick it up again with the same file and --drill-data {shown}"
                        )
                    );
                }
            }
        }
        if let Some(node) = node {
            node.stop();
        }
        socket.abort();
        desk.drain().await;
        Ok::<_, anyhow::Error>(())
    })?;
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    Ok(ExitCode::SUCCESS)
}

/// Delivers the scenario as the drill clock passes each entry, sleeping in between,
/// then ends the drill; `next` hears when the next entry falls due.
pub fn drive(
    runner: &mut Runner,
    clock: &DrillClock,
    mut notice: impl FnMut(chrono::DateTime<chrono::Utc>, &str),
    mut next: impl FnMut(Option<chrono::DateTime<chrono::Utc>>),
) {
    if let Some(first) = runner.next_due() {
        clock.hold_at(first);
    }
    while !runner.done() {
        for (at, text) in runner.step(clock) {
            notice(at, &text);
        }
        next(runner.next_due());
        if let Some(due) = runner.next_due() {
            // The clock waits at the entry's time until it is delivered.
            clock.hold_at(due);
            let left = (due - clock.now()).num_milliseconds().max(0) as f64 / f64::from(clock.speed().max(1));
            std::thread::sleep(std::time::Duration::from_millis(left.clamp(1.0, 200.0) as u64));
        }
    }
    // A drill picked up after its end stays ended, and is not ended twice.
    let recorded = if clock.ended() { Ok(()) } else { runner.end(clock) };
    let end = match recorded {
        Ok(()) => said!("演练结束，时钟已停止", "演练结束，时钟已停止 the drill has ended; the clock stopped"),
        Err(e) => {
            said!("演练结束，但结束未能记录：{e}", "演练结束 the drill has ended, but the end was not recorded: {e}")
        }
    };
    notice(clock.now(), &end);
}
