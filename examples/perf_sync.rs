//! Sync performance figures (`cargo run --release --example perf_sync`):
//!
//! 1. Catch-up of 200 000 events from one console to a new one on loopback, against the
//!    rate at which the receiving store appends the same events locally, and the raw
//!    loopback TCP rate of the same bytes, side by side in one run.
//! 2. Latency of a live event across a chain of three consoles (A → B → C): 300 events
//!    made at A, each timed until C has applied it; 50th, 99th percentile and maximum.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::clock::SystemClock;
use yuqing::domain::command::Command;
use yuqing::domain::event::Event;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::store::{Store, Writer};
use yuqing::sync::{ClusterKey, Message, Node, NodeConfig};

const N: usize = 200_000;

fn desk(name: &str, dir: &std::path::Path) -> Desk {
    let mut s = Settings::default();
    s.console.name = name.into();
    Desk::start(Store::open(dir, "live").unwrap(), Arc::new(s), Arc::new(SystemClock)).unwrap()
}

fn item(i: usize) -> NewItem {
    NewItem {
        channel: Channel::Weibo,
        title: format!("网友反映沅陵县某小区第{i}号问题，请相关部门尽快核实处理"),
        body: "有网友在微博发帖称，小区附近道路施工噪音扰民，夜间仍在施工。".into(),
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
        key: ClusterKey::from_bytes(&[3; 32]),
        listen: listen.then(|| "127.0.0.1:0".into()),
        peers,
    }
}

async fn wait_for(desk: &Desk, events: u64) {
    while desk.store().version_vector().unwrap().values().sum::<u64>() < events {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn catch_up(round: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let a = desk("A", &tmp.path().join("a"));
    let op = a.settings().operator("duty").unwrap().clone();
    for chunk in (0..N).collect::<Vec<_>>().chunks(2000) {
        let cmds = chunk.iter().map(|&i| Command::ReceiveItem { item: item(i) }).collect();
        a.submit(&op, cmds).await.unwrap();
    }
    let events: Vec<Event> = a.store().events().unwrap().map(|e| e.unwrap()).collect();

    // Local append of the same events on a fresh store, in the batches sync uses.
    let local = Store::open(&tmp.path().join("local"), "live").unwrap();
    let mut w = Writer::new(local, "L").unwrap();
    let t = Instant::now();
    for batch in events.chunks(yuqing::sync::message::BATCH) {
        for e in batch {
            w.receive(e).unwrap();
        }
        w.commit().unwrap();
    }
    let local_rate = N as f64 / t.elapsed().as_secs_f64();

    // Raw loopback TCP of the same frames.
    let frames: Vec<Vec<u8>> = events
        .chunks(yuqing::sync::message::BATCH)
        .map(|b| {
            let p = Message::Events { events: b.to_vec() }.encode();
            [(p.len() as u32).to_be_bytes().to_vec(), p].concat()
        })
        .collect();
    let bytes: usize = frames.iter().map(Vec::len).sum();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let reader = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 1 << 16];
        let mut got = 0;
        while got < bytes {
            got += s.read(&mut buf).await.unwrap();
        }
    });
    let t = Instant::now();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    for f in &frames {
        s.write_all(f).await.unwrap();
    }
    reader.await.unwrap();
    let tcp_rate = N as f64 / t.elapsed().as_secs_f64();

    // Catch-up through the protocol into a new console.
    let node_a = Node::start(a.clone(), cfg("A", true, vec![])).await.unwrap();
    let b = desk("B", &tmp.path().join("b"));
    let t = Instant::now();
    let node_b = Node::start(b.clone(), cfg("B", false, vec![node_a.local_addr.unwrap().to_string()])).await.unwrap();
    wait_for(&b, N as u64).await;
    let sync_rate = N as f64 / t.elapsed().as_secs_f64();
    println!(
        "round {round}: catch-up {sync_rate:.0} events/s; local append {local_rate:.0} events/s; ratio {:.2}; raw loopback TCP of the same {:.1} MB: {tcp_rate:.0} events/s",
        sync_rate / local_rate,
        bytes as f64 / 1e6
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
        a.submit(&op, vec![Command::ReceiveItem { item: item(1_000_000 + i) }]).await.unwrap();
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

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        println!("## catch-up of {N} events on loopback");
        for round in 1..=2 {
            catch_up(round).await;
        }
        println!("## live latency");
        chain_latency().await;
    });
}
