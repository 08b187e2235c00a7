//! Core performance figures (run with `cargo run --release --example perf_core`):
//!
//! 1. Ingest of 100 000 items through the desk, against a raw sled baseline that
//!    inserts the same encoded event bytes in batches of 1 000 with one flush per batch.
//! 2. Start-up (open + what the console loads before its first frame: the newest queued
//!    items and the open cases) with 1 000 000 events of history, 1 000 open cases and
//!    2 000 queued items, against 10 000 events with the same open cases and queue: time
//!    and peak memory, each measured in a fresh child process started once this process
//!    has let go of the store.
//!
//! 3. `ingest-memory`: peak memory of `yuqing ingest` (the release binary, built first
//!    with `cargo build --release`) for a file of 200 000 items of a realistic feed
//!    against one of 20 000, each into a fresh folder.
//!
//! For profiling: `build DIR EVENTS` makes one history as (2) does and keeps it;
//! `startup-only DIR…` times start-up on such folders.
//!
//! Five rounds of each, every round printed, then the median and the worst round.
//! Figures go to docs/performance.md.

#[path = "common/mod.rs"]
mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::case::{Category, Severity};
use yuqing::domain::clock::SystemClock;
use yuqing::domain::command::Command;
use yuqing::domain::event::EventBody;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::store::{Store, Writer};

fn item(i: usize) -> NewItem {
    NewItem {
        channel: Channel::Weibo,
        title: format!("网友反映沅陵县某小区第{i}号问题，请相关部门尽快核实处理"),
        body: "有网友在微博发帖称，小区附近道路施工噪音扰民，夜间仍在施工，希望有关部门督促整改。".into(),
        url: Some(format!("https://weibo.example/{i}")),
        author: Some("沅陵网友".into()),
        published_at: None,
        reach: Some(i as u64 % 5000),
        external_id: Some(format!("wb-{i}")),
    }
}

const BATCH: usize = 1000;

/// Items per second through the desk (the `yuqing ingest` path).
fn ingest_desk(dir: &Path, n: usize) -> (f64, Store) {
    let settings = Arc::new(Settings::default());
    let store = Store::open(dir, "live").unwrap();
    let desk = Desk::start(store.clone(), settings.clone(), Arc::new(SystemClock)).unwrap();
    let op = settings.operator("duty").unwrap().clone();
    let items: Vec<NewItem> = (0..n).map(item).collect();
    let t = Instant::now();
    for chunk in items.chunks(BATCH) {
        let cmds = chunk.iter().map(|i| Command::ReceiveItem { item: i.clone() }).collect();
        let answers = desk.run_blocking(&op, cmds);
        assert!(answers.iter().all(|a| a.is_ok()));
    }
    (n as f64 / t.elapsed().as_secs_f64(), store)
}

/// Items per second for raw sled inserts of the same event bytes, one flush per batch.
fn ingest_raw(dir: &Path, encoded: &[(Vec<u8>, Vec<u8>)]) -> f64 {
    let db = sled::open(dir).unwrap();
    let t = Instant::now();
    for chunk in encoded.chunks(BATCH) {
        let mut b = sled::Batch::default();
        for (k, v) in chunk {
            b.insert(k.as_slice(), v.as_slice());
        }
        db.apply_batch(b).unwrap();
        db.flush().unwrap();
    }
    encoded.len() as f64 / t.elapsed().as_secs_f64()
}

const ROUNDS: usize = 5;

fn bench_ingest() {
    let n = 100_000;
    println!("## ingest of {n} items (batches of {BATCH}, one flush each)");
    // The baseline's bytes: the events a desk writes for these items.
    let tmp = tempfile::tempdir().unwrap();
    let (_, store) = ingest_desk(&tmp.path().join("bytes"), n);
    let encoded: Vec<(Vec<u8>, Vec<u8>)> = store
        .events()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.order_key().to_bytes(), serde_json::to_vec(&e).unwrap())
        })
        .collect();
    drop(store);
    let mut ratios = Vec::new();
    for round in 1..=ROUNDS {
        let tmp = tempfile::tempdir().unwrap();
        // Alternate which goes first: the machine is noisy.
        let (desk_rate, raw_rate) = if round % 2 == 1 {
            let d = ingest_desk(&tmp.path().join("desk"), n).0;
            (d, ingest_raw(&tmp.path().join("raw"), &encoded))
        } else {
            let r = ingest_raw(&tmp.path().join("raw"), &encoded);
            (ingest_desk(&tmp.path().join("desk"), n).0, r)
        };
        let ratio = desk_rate / raw_rate;
        ratios.push(ratio);
        println!("round {round}: desk {desk_rate:.0} items/s, raw sled {raw_rate:.0} items/s, ratio {ratio:.2}");
    }
    let worst = ratios.iter().copied().fold(f64::MAX, f64::min);
    println!("median ratio {:.2}, worst round {worst:.2} (target ≥ 0.5)", common::median(ratios));
}

/// Items left in the queue at the end of each history.
const QUEUED: usize = 2_000;

/// Builds a history of `events` events holding `open` open cases: the open cases,
/// then notes on them alternating with items received and dismissed, then [`QUEUED`]
/// items left in the queue.
fn build_history(dir: &Path, events: usize, open: usize) {
    let s = Settings::default();
    let op = s.operator("duty").unwrap().clone();
    let store = Store::open(dir, "live").unwrap();
    let mut w = Writer::new(store, "A").unwrap();
    let now = chrono::Utc::now();
    let made = std::cell::Cell::new(0usize);
    let run = |w: &mut Writer, cmd: Command| -> Vec<yuqing::domain::Event> {
        let evs = w.execute(&op, now, &s.policy, &s.directory, &cmd).unwrap();
        made.set(made.get() + evs.len());
        evs
    };
    let received = |evs: Vec<yuqing::domain::Event>| match &evs[0].body {
        EventBody::ItemReceived { id, .. } => id.clone(),
        other => panic!("expected an item, got {other:?}"),
    };
    for i in 0..open {
        let id = received(run(&mut w, Command::ReceiveItem { item: item(i) }));
        let c = Command::OpenCase {
            hints: vec![],
            items: vec![id],
            title: String::new(),
            severity: Severity::General,
            category: Category::Difficulty,
            lead: "zjj".into(),
            co: vec![],
        };
        run(&mut w, c);
    }
    w.commit().unwrap();
    let mut i = open;
    while made.get() < events {
        if i.is_multiple_of(2) {
            let case = format!("A-{:04}", i % open + 1);
            run(&mut w, Command::Note { case, text: "跟进情况：已电话联系反映人".into() });
        } else {
            let id = received(run(&mut w, Command::ReceiveItem { item: item(i) }));
            run(&mut w, Command::DismissItem { item: id, reason: "与本县无关".into() });
        }
        i += 1;
        if i.is_multiple_of(20_000) {
            w.commit().unwrap();
        }
    }
    for q in 0..QUEUED {
        run(&mut w, Command::ReceiveItem { item: item(i + q) });
    }
    w.commit().unwrap();
}

/// In a child: open the store and load what the console loads before its first frame.
fn startup_child(dir: &Path) {
    let t = Instant::now();
    let store = Store::open(dir, "live").unwrap();
    let open_ms = t.elapsed().as_secs_f64() * 1000.0;
    let _w = Writer::new(store.clone(), "A").unwrap();
    let q = store.queue_newest(1000).unwrap();
    let c = store.open_cases().unwrap();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    print!("(sled open {open_ms:.1} ms) ");
    println!("{ms:.1} ms, {} open cases, {} queued shown first, {}", c.len(), q.len(), common::peak_kb());
}

fn bench_startup() {
    let tmp = tempfile::tempdir().unwrap();
    let open = 1000;
    let mut dirs = Vec::new();
    for events in [10_000usize, 1_000_000] {
        let dir = tmp.path().join(format!("h{events}"));
        let t = Instant::now();
        build_history(&dir, events, open);
        common::released(&dir);
        let n: u64 = Store::open(&dir, "live").unwrap().version_vector().unwrap().values().sum();
        common::released(&dir);
        println!("built {n} events with {open} open cases in {:.1} s", t.elapsed().as_secs_f64());
        dirs.push((events, dir));
    }
    println!("## start-up (open + newest queued items and open cases), fresh process each; peak RSS in kB");
    let me = std::env::current_exe().unwrap();
    let mut ratios = Vec::new();
    for round in 1..=ROUNDS {
        let mut ms = Vec::new();
        for (events, dir) in &dirs {
            let out = std::process::Command::new(&me).arg("startup-child").arg(dir).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
            println!("round {round}: {events:>9} events: {line}");
            let t = line.split(") ").nth(1).and_then(|x| x.split(' ').next()).unwrap();
            ms.push(t.parse::<f64>().unwrap());
        }
        ratios.push(ms[1] / ms[0]);
        println!("round {round}: time ratio {:.2}", ms[1] / ms[0]);
    }
    let worst = ratios.iter().copied().fold(0.0, f64::max);
    println!("median ratio {:.2}, worst round {worst:.2} (target ≤ 2)", common::median(ratios));
}

/// Peak memory (kB) of `yuqing ingest FILE` into a fresh folder, and its exit status.
fn ingest_peak(bin: &Path, file: &Path, data: &Path) -> u64 {
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin)
        .args(["ingest", "--json"])
        .arg(file)
        .env("YUQING_DATA", data)
        .env("YUQING_CONFIG", data.join("config"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines().last().and_then(|l| l.trim().parse().ok()).unwrap()
}

fn bench_ingest_memory() {
    let bin = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("yuqing");
    let tmp = tempfile::tempdir().unwrap();
    let sizes = [20_000usize, 200_000];
    for n in sizes {
        let mut f = std::io::BufWriter::new(std::fs::File::create(tmp.path().join(format!("f{n}.jsonl"))).unwrap());
        for i in 0..n {
            let it = common::feed(i);
            let line = serde_json::json!({"channel": "weibo", "title": it.title, "body": it.body, "url": it.url,
                "author": it.author, "reach": it.reach, "external_id": it.external_id});
            std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes()).unwrap();
        }
    }
    println!("## peak memory of `yuqing ingest` ({}), fresh folder each", bin.display());
    let mut ratios = Vec::new();
    for round in 1..=3 {
        let kb: Vec<u64> = sizes
            .iter()
            .map(|n| {
                let data = tmp.path().join(format!("d{n}-{round}"));
                ingest_peak(&bin, &tmp.path().join(format!("f{n}.jsonl")), &data)
            })
            .collect();
        let ratio = kb[1] as f64 / kb[0] as f64;
        ratios.push(ratio);
        println!("round {round}: 20 000 items {} kB, 200 000 items {} kB, ratio {ratio:.2} (target ≤ 2)", kb[0], kb[1]);
    }
    println!("worst round {:.2}", ratios.iter().copied().fold(0.0, f64::max));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("startup-child") => startup_child(Path::new(&args[2])),
        Some("ingest") => bench_ingest(),
        Some("startup") => bench_startup(),
        Some("ingest-memory") => bench_ingest_memory(),
        Some("build") => {
            // `build DIR EVENTS`: one history as `startup` builds it, kept for profiling.
            build_history(Path::new(&args[2]), args[3].parse().unwrap(), 1000);
        }
        Some("startup-only") => {
            let me = std::env::current_exe().unwrap();
            for round in 1..=ROUNDS {
                for d in &args[2..] {
                    let out = std::process::Command::new(&me).arg("startup-child").arg(d).output().unwrap();
                    println!("round {round}: {d}: {}", String::from_utf8_lossy(&out.stdout).trim());
                }
            }
        }
        _ => {
            bench_ingest();
            bench_startup();
        }
    }
}
