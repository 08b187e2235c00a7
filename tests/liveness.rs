//! A console stays reachable and tells dead peers from live ones: idle connections from
//! one address cannot lock others out, a connection that never authenticates is closed
//! at the handshake deadline, and a peer that goes silent after its handshake (a raw
//! client, or a real console stopped with SIGSTOP) is shown disconnected within the
//! dead-peer time although this console goes on sending it heartbeats.

mod common;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::clock::SystemClock;
use yuqing::store::Store;
use yuqing::sync::{ClusterKey, Message, Node, NodeConfig, PeerRole};

const KEY: [u8; 32] = [42; 32];
/// The figures `docs/protocol.md` states ("Limits and timeouts").
const HANDSHAKE_STEP: Duration = Duration::from_secs(5);
const DEAD_AFTER: Duration = Duration::from_secs(10);
/// Scheduling slack on two shared cores.
const MARGIN: Duration = Duration::from_millis(2500);

/// A listening console "A" on loopback.
async fn listening() -> (Node, Desk, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Settings::default();
    s.console.name = "A".into();
    let desk = Desk::start(Store::open(&dir.path().join("data"), "live").unwrap(), Arc::new(s), Arc::new(SystemClock))
        .unwrap();
    let cfg = NodeConfig {
        console: "A".into(),
        realm: "live".into(),
        key: ClusterKey::from_bytes(&KEY),
        listen: Some("127.0.0.1:0".into()),
        peers: vec![],
    };
    (Node::start(desk.clone(), cfg).await.unwrap(), desk, dir)
}

/// Connects to `to` from the loopback address `from` (all of 127.0.0.0/8 is loopback).
async fn connect_from(from: &str, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(from.parse::<IpAddr>().unwrap(), 0)).unwrap();
    socket.connect(to).await.unwrap()
}

async fn send(s: &mut TcpStream, m: &Message) {
    let p = m.encode().unwrap();
    s.write_all(&(p.len() as u32).to_be_bytes()).await.unwrap();
    s.write_all(&p).await.unwrap();
}

/// The next message, `None` at the end of the stream.
async fn recv(s: &mut TcpStream, within: Duration) -> Option<Message> {
    let mut len = [0u8; 4];
    tokio::time::timeout(within, s.read_exact(&mut len)).await.expect("a message in time").ok()?;
    let mut payload = vec![0u8; u32::from_be_bytes(len) as usize];
    s.read_exact(&mut payload).await.ok()?;
    Some(Message::decode(&payload).unwrap())
}

fn hello(console: &str) -> Message {
    Message::Hello {
        version: 1,
        console: console.into(),
        realm: "live".into(),
        role: PeerRole::Console,
        nonce: "11".repeat(32),
        clock_ms: chrono::Utc::now().timestamp_millis(),
        schema: 1,
    }
}

/// Completes the handshake as console `console` with the cluster key (the proof as
/// `docs/protocol.md` specifies it), then returns without sending anything more.
async fn authenticate(s: &mut TcpStream, console: &str) {
    send(s, &hello(console)).await;
    let Some(Message::Hello { nonce, .. }) = recv(s, Duration::from_secs(5)).await else { panic!("no hello") };
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&KEY).unwrap();
    for part in ["yuqing-v1", &nonce, console, "live"] {
        mac.update(part.as_bytes());
        mac.update(&[0]);
    }
    send(s, &Message::Proof { mac: hex::encode(mac.finalize().into_bytes()) }).await;
    let got = recv(s, Duration::from_secs(5)).await;
    assert!(matches!(got, Some(Message::Proof { .. })), "{got:?}");
}

/// Waits until the peer `name` is shown connected; returns when.
async fn until_connected(node: &Node, name: &str, within: Duration) -> Instant {
    let start = Instant::now();
    while !node.peers().iter().any(|p| p.name == name && p.connected) {
        assert!(start.elapsed() < within, "{name} never connected: {:?}", node.peers());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Instant::now()
}

/// Waits until the peer `name` is shown disconnected; returns how long that took from `since`.
async fn until_disconnected(node: &Node, name: &str, since: Instant) -> Duration {
    while node.peers().iter().any(|p| p.name == name && p.connected) {
        assert!(since.elapsed() < DEAD_AFTER * 3, "{name} still shown connected: {:?}", node.peers());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    since.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_from_one_address_do_not_lock_out_another() {
    let (node, _desk, _dir) = listening().await;
    let addr = node.local_addr.unwrap();
    let mut flood = Vec::new();
    for _ in 0..yuqing::sync::node::MAX_CONNECTIONS {
        flood.push(connect_from("127.0.0.1", addr).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The flooding address is turned away at once, with the reason …
    let mut over = connect_from("127.0.0.1", addr).await;
    let got = recv(&mut over, Duration::from_secs(2)).await;
    let Some(Message::Refuse { reason }) = got else { panic!("not refused: {got:?}") };
    assert!(reason.contains("too many connections from 127.0.0.1"), "{reason}");
    // … and another address is still served: a console from there gets through.
    let mut other = connect_from("127.0.0.2", addr).await;
    authenticate(&mut other, "B").await;
    let got = recv(&mut other, Duration::from_secs(2)).await;
    assert!(matches!(got, Some(Message::Want { .. })), "{got:?}");
    until_connected(&node, "from B", Duration::from_secs(2)).await;
    drop(flood);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_does_not_authenticate_is_closed_at_the_handshake_deadline() {
    let (node, _desk, _dir) = listening().await;
    let addr = node.local_addr.unwrap();
    // Silent: the console's hello, then the end, one handshake step after connecting.
    let start = Instant::now();
    let mut silent = connect_from("127.0.0.1", addr).await;
    assert!(matches!(recv(&mut silent, Duration::from_secs(2)).await, Some(Message::Hello { .. })));
    assert!(recv(&mut silent, HANDSHAKE_STEP + MARGIN).await.is_none());
    let took = start.elapsed();
    assert!(took >= HANDSHAKE_STEP - Duration::from_millis(100), "closed early: {took:?}");
    // A hello and then silence: the console's hello and proof, then the end one step
    // after the hello.
    let mut stalled = connect_from("127.0.0.1", addr).await;
    send(&mut stalled, &hello("B")).await;
    let start = Instant::now();
    assert!(matches!(recv(&mut stalled, Duration::from_secs(2)).await, Some(Message::Hello { .. })));
    assert!(matches!(recv(&mut stalled, Duration::from_secs(2)).await, Some(Message::Proof { .. })));
    assert!(recv(&mut stalled, HANDSHAKE_STEP + MARGIN).await.is_none());
    assert!(start.elapsed() >= HANDSHAKE_STEP - Duration::from_millis(100));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_silent_after_its_handshake_is_shown_disconnected_within_the_dead_peer_time() {
    let (node, _desk, _dir) = listening().await;
    let mut quiet = connect_from("127.0.0.1", node.local_addr.unwrap()).await;
    authenticate(&mut quiet, "B").await;
    // From here on it neither sends nor reads; the console keeps sending it heartbeats.
    let since = until_connected(&node, "from B", Duration::from_secs(2)).await;
    let took = until_disconnected(&node, "from B", since).await;
    assert!(took <= DEAD_AFTER + MARGIN, "shown connected for {took:?}");
    assert!(took >= DEAD_AFTER - Duration::from_millis(500), "dropped before the dead-peer time: {took:?}");
    let error = node.peers().into_iter().find(|p| p.name == "from B").unwrap().error.unwrap_or_default();
    assert!(error.contains("no message within 10s"), "{error}");
    drop(quiet);
}

/// A `yuqing serve` process, killed when the test ends.
struct Serve(std::process::Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = signal(&self.0, "-CONT");
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn signal(child: &std::process::Child, sig: &str) -> bool {
    std::process::Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap().success()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_console_is_shown_disconnected_and_reconnects_when_it_continues() {
    let (node, _desk, _dir) = listening().await;
    let sb = common::Sandbox::new();
    let config = sb.path("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("console.toml"), "name = \"B\"\n").unwrap();
    ClusterKey::from_bytes(&KEY).write(&config.join("cluster.key")).unwrap();
    let child = sb
        .cmd()
        .args(["serve", "--peer", &node.local_addr.unwrap().to_string()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let serve = Serve(child);
    until_connected(&node, "from B", Duration::from_secs(15)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(signal(&serve.0, "-STOP"));
    let since = Instant::now();
    let took = until_disconnected(&node, "from B", since).await;
    assert!(took <= DEAD_AFTER + MARGIN, "a stopped console shown connected for {took:?}");
    assert!(signal(&serve.0, "-CONT"));
    until_connected(&node, "from B", Duration::from_secs(15)).await;
}
