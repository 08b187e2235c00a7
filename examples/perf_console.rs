//! Console performance figures (`cargo run --release --example perf_console`):
//!
//! 1. `draw`: median time to draw the cases screen at 160x48 with 100 and with 100 000
//!    open cases, side by side, into ratatui's test backend.
//! 2. `terminal`: the real binary in a pseudo-terminal at 160x48 with 50 open cases whose
//!    countdowns tick every second, nothing else happening: the bytes it writes to the
//!    terminal per second and the CPU it uses, over 20 s; also with an empty database.
//! 3. `startup`: a console's start-up to its first frame (open the store, start the
//!    desk, load the queue and open cases, draw the queue screen at 160x48) with 2 000
//!    and with 200 000 untriaged items of a realistic feed in the queue, side by side,
//!    each in a fresh child process; also when the queue's hints are all ready.

#[path = "common/mod.rs"]
mod common;

use chrono::{Duration, TimeZone, Utc};
use std::io::Read;
use std::sync::Arc;
use std::time::Instant;
use yuqing::config::Settings;
use yuqing::domain::apply::apply_case;
use yuqing::domain::case::{Category, Severity};
use yuqing::domain::event::{Event, EventBody, EventId};
use yuqing::domain::hlc::Stamp;
use yuqing::domain::policy::Policy;
use yuqing::i18n::Lang;
use yuqing::ui::app::App;
use yuqing::ui::keymap::{DEFAULT, Keymap};
use yuqing::ui::model::Model;

fn cases(n: usize) -> Vec<yuqing::domain::Case> {
    let t0 = Utc.with_ymd_and_hms(2026, 7, 1, 1, 0, 0).unwrap();
    let policy = Policy::default();
    (0..n)
        .map(|i| {
            let at = t0 - Duration::minutes((i % 3000) as i64);
            let ev = Event {
                id: EventId { console: "A".into(), seq: i as u64 + 1 },
                stamp: Stamp { ms: at.timestamp_millis(), n: 0 },
                operator: "duty".into(),
                realm: "live".into(),
                v: 1,
                prev: None,
                body: EventBody::CaseOpened {
                    case: format!("A-{:06}", i + 1),
                    items: vec![],
                    title: format!("第{i}号：网传某小区停水三天无人回应，群众反映强烈"),
                    severity: if i % 4 == 0 { Severity::Major } else { Severity::General },
                    category: Category::Difficulty,
                    lead: "zjj".into(),
                    co: vec![],
                    plan: policy.plan(if i % 4 == 0 { Severity::Major } else { Severity::General }, at),
                    update_every_hours: 24,
                    hints: vec![],
                    counts_from: None,
                },
            };
            apply_case(None, &ev).unwrap()
        })
        .collect()
}

fn app(n: usize) -> App {
    let mut keymap = Keymap::default();
    keymap.merge("default", DEFAULT).unwrap();
    let s = Settings::default();
    let now = Utc.with_ymd_and_hms(2026, 7, 1, 1, 0, 0).unwrap();
    let local = yuqing::ui::app::Settings {
        tz: chrono::FixedOffset::east_opt(8 * 3600).unwrap(),
        queue_alert: Some(chrono::Duration::hours(2)),
        responses: Default::default(),
        realm: "live".into(),
        keymap,
        directory: s.directory.clone(),
        colour: true,
        inbox: "/tmp/inbox".into(),
    };
    let mut app = App::new(Lang::Zh, local, now, s.operators[0].clone(), Model::new(vec![], cases(n)));
    app.screen = yuqing::ui::app::Screen::Cases;
    yuqing::ui::update::refresh_lists(&mut app);
    app
}

use common::median;

fn bench_draw() {
    println!("## drawing the cases screen at 160x48 (median of 400 frames, the clock advancing 1 s a frame)");
    let mut apps = [(100usize, app(100)), (100_000, app(100_000))];
    for round in 1..=3 {
        let mut medians = Vec::new();
        for (n, app) in apps.iter_mut() {
            let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
            let mut times = Vec::new();
            for _ in 0..400 {
                app.now += Duration::seconds(1);
                let t = Instant::now();
                term.draw(|f| yuqing::ui::view::view(app, f)).unwrap();
                times.push(t.elapsed().as_secs_f64() * 1e6);
            }
            let m = median(times);
            medians.push(m);
            println!("round {round}: {n:>6} open cases: median {m:.0} µs per frame");
        }
        println!("round {round}: ratio 100 000 / 100 = {:.2}", medians[1] / medians[0]);
    }
}

/// Runs the binary on `data` in a 160x48 pseudo-terminal on the cases screen for `secs`
/// after settling; returns (bytes per second written, CPU % of one core).
fn measure_terminal(data: &std::path::Path, config: &std::path::Path, secs: u64) -> (f64, f64) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pair = native_pty_system().openpty(PtySize { rows: 48, cols: 160, pixel_width: 0, pixel_height: 0 }).unwrap();
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("yuqing");
    let mut cmd = CommandBuilder::new(bin);
    cmd.env("YUQING_DATA", data);
    cmd.env("YUQING_CONFIG", config);
    cmd.env("LANG", "zh_CN.UTF-8");
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    let pid = child.process_id().unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut keys = pair.master.take_writer().unwrap();
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c2 = count.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            c2.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        }
    });
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // Show the cases screen, where the countdowns are.
    let _ = std::io::Write::write_all(&mut keys, b"2");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let ticks = |pid: u32| -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let after = stat.rsplit(')').next().unwrap_or("");
        let f: Vec<&str> = after.split_whitespace().collect();
        f.get(11).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0)
            + f.get(12).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0)
    };
    let (b0, c0, t) = (count.load(std::sync::atomic::Ordering::Relaxed), ticks(pid), Instant::now());
    std::thread::sleep(std::time::Duration::from_secs(secs));
    let (b1, c1, dt) = (count.load(std::sync::atomic::Ordering::Relaxed), ticks(pid), t.elapsed().as_secs_f64());
    let _ = child.kill();
    let _ = child.wait();
    let hz = 100.0; // USER_HZ on Linux
    ((b1 - b0) as f64 / dt, (c1 - c0) as f64 / hz / dt * 100.0)
}

fn bench_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    let busy = tmp.path().join("busy");
    {
        let settings = Arc::new(Settings::default());
        let store = yuqing::store::Store::open(&busy, "live").unwrap();
        let desk =
            yuqing::desk::Desk::start(store, settings.clone(), Arc::new(yuqing::domain::clock::SystemClock)).unwrap();
        let op = settings.operator("duty").unwrap().clone();
        for i in 0..50 {
            let item = yuqing::domain::item::NewItem {
                channel: yuqing::domain::item::Channel::Weibo,
                title: format!("第{i}号：山体滑坡致道路中断"),
                body: String::new(),
                url: None,
                author: None,
                published_at: None,
                reach: None,
                external_id: Some(format!("x{i}")),
            };
            let cmds = vec![yuqing::domain::command::Command::ReceiveItem { item }];
            desk.run_blocking(&op, cmds).remove(0).unwrap();
            let open = yuqing::domain::command::Command::OpenCase {
                hints: vec![],
                items: vec![format!("A.{}", i + 1)],
                title: String::new(),
                severity: Severity::Major,
                category: Category::Misunderstanding,
                lead: "yjj".into(),
                co: vec![],
            };
            desk.run_blocking(&op, vec![open]).remove(0).unwrap();
        }
    }
    // The writer thread lets go of the database a moment after the desk is dropped.
    while yuqing::store::Store::open(&busy, "live").is_err() {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    println!("## the real console in a 160x48 pseudo-terminal, nothing happening, 20 s each");
    for round in 1..=2 {
        let (bps, cpu) = measure_terminal(&busy, &config, 20);
        println!("round {round}: 50 ticking countdowns: {bps:.0} bytes/s to the terminal, CPU {cpu:.2}% of one core");
        let empty = tmp.path().join(format!("empty{round}"));
        let (bps, cpu) = measure_terminal(&empty, &config, 20);
        println!("round {round}: empty database:        {bps:.0} bytes/s to the terminal, CPU {cpu:.2}% of one core");
    }
}

/// In a child: the console's start-up on `dir` up to its first frame (the newest items
/// shown), then until the whole queue is loaded and every queued item has its hints. Prints "<first frame ms> <hints ready ms> <queued> <peak kB>".
fn startup_child(dir: &std::path::Path, started: Instant) {
    let settings = Arc::new(Settings::default());
    let store = yuqing::store::Store::open(dir, "live").unwrap();
    let desk =
        yuqing::desk::Desk::start(store, settings.clone(), Arc::new(yuqing::domain::clock::SystemClock)).unwrap();
    let launch = yuqing::console::Launch {
        drill: None,
        follow: false,
        sync: None,
        operator: settings.operator("duty").unwrap().clone(),
        desk,
        lang: "zh".into(),
        keymap: "default".into(),
        config_dir: dir.join("config"),
        data_dir: dir.to_path_buf(),
        log: yuqing::logging::LogPlace::File(dir.join("logs/yuqing.log")),
    };
    let mut app = yuqing::console::prepare(&launch).unwrap();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
    term.draw(|f| yuqing::ui::view::view(&app, f)).unwrap();
    let first = started.elapsed().as_secs_f64() * 1000.0;
    // What the event loop does next: the whole queue loads, then its hints are worked out.
    let queue = launch.desk.store().queue().unwrap();
    yuqing::ui::update::update(&mut app, yuqing::ui::update::Msg::QueueLoaded(queue));
    while app.triage.work(&app.model, 500) {}
    let ready = started.elapsed().as_secs_f64() * 1000.0;
    println!("{first:.1} {ready:.1} {} {}", app.model.items.len(), common::peak_kb());
}

fn bench_startup() {
    let tmp = tempfile::tempdir().unwrap();
    let sizes = [2_000usize, 200_000];
    for n in sizes {
        let t = Instant::now();
        common::fill(&tmp.path().join(format!("q{n}")), (0..n).map(common::feed));
        println!("(filled a queue of {n} items in {:.1} s)", t.elapsed().as_secs_f64());
    }
    println!("## console start-up to the first frame, untriaged queue, fresh process each");
    let me = std::env::current_exe().unwrap();
    let mut worst: f64 = 0.0;
    for round in 1..=5 {
        let mut firsts = Vec::new();
        for n in sizes {
            let dir = tmp.path().join(format!("q{n}"));
            let out = std::process::Command::new(&me).arg("startup-child").arg(&dir).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let f: Vec<f64> = line.split_whitespace().map(|x| x.parse().unwrap()).collect();
            println!(
                "round {round}: {:>7} queued: first frame {:.1} ms, whole queue with hints {:.1} ms, peak {} kB",
                f[2], f[0], f[1], f[3]
            );
            firsts.push(f[0]);
        }
        let ratio = firsts[1] / firsts[0];
        worst = worst.max(ratio);
        println!("round {round}: ratio 200 000 / 2 000 = {ratio:.2} (target ≤ 3)");
    }
    println!("worst round: {worst:.2}");
}

fn main() {
    let started = Instant::now();
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("draw") => bench_draw(),
        Some("terminal") => bench_terminal(),
        Some("startup") => bench_startup(),
        Some("fill") => common::fill(std::path::Path::new(&args[2]), (0..args[3].parse().unwrap()).map(common::feed)),
        Some("startup-child") => startup_child(std::path::Path::new(&args[2]), started),
        _ => {
            bench_draw();
            bench_terminal();
            bench_startup();
        }
    }
}
