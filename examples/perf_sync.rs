//! Sync performance figures (`cargo run --release --example perf_sync`):
//!
//! 1. Catch-up from one console to a new one on loopback, in bytes per second, against
//!    the rate at which the receiving store appends the same recorded events locally
//!    (in the same byte-bounded batches), side by side in one run: 200 000 events of
//!    about 2 KB, and 2 000 events of about 200 KB. `PERF_SCALE=10` divides both counts
//!    by 10 for a quick look.
//! 2. Latency of a live event across a chain of three consoles (A → B → C): 300 events
//!    made at A, each timed until C has applied it; 50th, 99th percentile and maximum.
//! 3. The handshake: 100 connections of a submitter to a console, each timed from TCP
//!    connect to the end of `hello` (TLS 1.3 with client certificates, then the
//!    endorsement check).

use std::sync::Arc;
use std::time::{Duration, Instant};
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::clock::SystemClock;
use yuqing::domain::codec::Recorded;
use yuqing::domain::command::Command;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::store::{Store, Writer};
use yuqing::sync::outbox::BATCH_BYTES;
use yuqing::sync::trust::{Authority, Role};
use yuqing::sync::{Node, NodeConfig};

static AUTHORITY: std::sync::LazyLock<Authority> = std::sync::LazyLock::new(|| Authority::generate().unwrap());

fn desk(name: &str, dir: &std::path::Path) -> Desk {
    let mut s = Settings::default();
    s.console.name = name.into();
    Desk::start(Store::open(dir, "live").unwrap(), Arc::new(s), Arc::new(SystemClock)).unwrap()
}

/// An item whose event is about `size` bytes of JSON.
fn item(i: usize, size: usize) -> NewItem {
    let line = "有网友在微博发帖称，小区附近道路施工噪音扰民，夜间仍在施工，希望有关部门尽快处理。";
    let mut body = String::new();
    while body.len() + 300 < size {
        body.push_str(line);
    }
    NewItem {
        channel: Channel::Weibo,
        title: format!("网友反映沅陵县某小区第{i}号问题，请相关部门尽快核实处理"),
        body,
        url: None,
        author: None,
        published_at: None,
        reach: Some(i as u64),
        external_id: Some(format!("wb-{i}")),
    }
}

fn cfg(name: &str, listen: bool, peers: Vec<String>) -> NodeConfig {
    NodeConfig {
        console: name.into(),
        realm: "live".into(),
        credentials: AUTHORITY.enroll(name, Role::Console).unwrap(),
        listen: listen.then(|| "127.0.0.1:0".into()),
        peers,
    }
}

async fn wait_for(desk: &Desk, events: u64) {
    while desk.store().version_vector().unwrap().values().sum::<u64>() < events {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn catch_up(round: usize, n: usize, size: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let a = desk("A", &tmp.path().join("a"));
    let op = a.settings().operator("duty").unwrap().clone();
    let per_commit = (4 << 20) / size;
    for chunk in (0..n).collect::<Vec<_>>().chunks(per_commit.max(1)) {
        let cmds = chunk.iter().map(|&i| Command::ReceiveItem { item: item(i, size) }).collect();
        a.submit(&op, cmds).await.unwrap();
    }
    let recorded: Vec<Recorded> = a.store().recorded_events().unwrap().map(|e| e.unwrap()).collect();
    let bytes: usize = recorded.iter().map(|r| r.raw().len()).sum();

    // Local append of the same recorded events on a fresh store, in the byte-bounded
    // batches sync sends.
    let local = Store::open(&tmp.path().join("local"), "live").unwrap();
    let mut w = Writer::new(local, "L").unwrap();
    let t = Instant::now();
    let mut in_batch = 0;
    for r in &recorded {
        w.receive_recorded(r).unwrap();
        in_batch += r.raw().len();
        if in_batch >= BATCH_BYTES {
            w.commit().unwrap();
            in_batch = 0;
        }
    }
    w.commit().unwrap();
    let local_rate = bytes as f64 / t.elapsed().as_secs_f64();
    drop(recorded);

    // Catch-up through the protocol into a new console.
    let node_a = Node::start(a.clone(), cfg("A", true, vec![])).await.unwrap();
    let b = desk("B", &tmp.path().join("b"));
    let t = Instant::now();
    let node_b = Node::start(b.clone(), cfg("B", false, vec![node_a.local_addr.unwrap().to_string()])).await.unwrap();
    wait_for(&b, n as u64).await;
    let sync_rate = bytes as f64 / t.elapsed().as_secs_f64();
    println!(
        "round {round}: {n} events of {:.0} KB ({:.0} MB): catch-up {:.1} MB/s; local append {:.1} MB/s; ratio {:.2}",
        bytes as f64 / n as f64 / 1e3,
        bytes as f64 / 1e6,
        sync_rate / 1e6,
        local_rate / 1e6,
        sync_rate / local_rate,
    );
    drop((node_a, node_b));
}

async fn chain_latency() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) =
        (desk("A", &tmp.path().join("a")), desk("B", &tmp.path().join("b")), desk("C", &tmp.path().join("c")));
    let na = Node::start(a.clone(), cfg("A", true, vec![])).await.unwrap();
    let nb = Node::start(b.clone(), cfg("B", true, vec![na.local_addr.unwrap().to_string()])).await.unwrap();
    let nc = Node::start(c.clone(), cfg("C", false, vec![nb.local_addr.unwrap().to_string()])).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut at_c = c.subscribe();
    let op = a.settings().operator("duty").unwrap().clone();
    let mut lat = Vec::new();
    for i in 0..300 {
        let t = Instant::now();
        a.submit(&op, vec![Command::ReceiveItem { item: item(1_000_000 + i, 400) }]).await.unwrap();
        loop {
            let ev = at_c.recv().await.unwrap();
            if ev.id.console == "A"
                && matches!(&ev.body, yuqing::domain::EventBody::ItemReceived { item, .. } if item.reach == Some(1_000_000 + i as u64))
            {
                break;
            }
        }
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    lat.sort_by(|x, y| x.partial_cmp(y).unwrap());
    let p = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)];
    println!(
        "chain A→B→C, 300 live events: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        p(0.5),
        p(0.99),
        lat[lat.len() - 1]
    );
    drop((na, nb, nc));
}

async fn handshakes() {
    let tmp = tempfile::tempdir().unwrap();
    let a = desk("A", &tmp.path().join("a"));
    let node = Node::start(a.clone(), cfg("A", true, vec![])).await.unwrap();
    let addr = node.local_addr.unwrap().to_string();
    let tool = AUTHORITY.enroll("tool", Role::Submitter).unwrap();
    let mut took = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        let client = yuqing::sync::Client::connect(&addr, &tool, "live").await.unwrap();
        took.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(client);
    }
    took.sort_by(|x, y| x.partial_cmp(y).unwrap());
    println!("handshake (TCP + TLS 1.3 + hello), 100 connections: p50 {:.2} ms, p99 {:.2} ms", took[50], took[99]);
    drop(node);
    // Signing a head: one signature per commit, whatever the number of events in it.
    let signer = AUTHORITY.enroll("signer", Role::Console).unwrap().signer().unwrap();
    let msg = yuqing::store::Head::message("signer", 123_456, &"ab".repeat(32));
    let t = Instant::now();
    for _ in 0..10_000 {
        std::hint::black_box((signer.sign)(&msg));
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / 10_000.0;
    println!(
        "signing a head: {us:.1} µs; per event at 1 event a commit {us:.1} µs, at 1 000 a commit {:.3} µs",
        us / 1000.0
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let scale: usize = std::env::var("PERF_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
        println!("## catch-up on loopback (bytes per second)");
        if scale < 1000 {
            for round in 1..=2 {
                catch_up(round, 200_000 / scale, 2_000).await;
                catch_up(round, 2_000 / scale, 200_000).await;
            }
        }
        println!("## live latency");
        chain_latency().await;
        println!("## handshake");
        handshakes().await;
    });
}
