//! A console stays reachable and tells dead peers from live ones: idle connections from
//! one address cannot lock others out, a connection that never authenticates is closed
//! at the handshake deadline, and a peer that goes silent after its handshake (a raw
//! client, or a real console stopped with SIGSTOP) is shown disconnected within the
//! dead-peer time although this console goes on sending it heartbeats.

mod common;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::clock::SystemClock;
use yuqing::store::Store;
use yuqing::sync::trust::Tls;
use yuqing::sync::{Message, Node, NodeConfig, PeerRole};

use common::trust::creds;

type Secured = tokio_rustls::TlsStream<TcpStream>;
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
        credentials: creds("A"),
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

/// Secures a connection as `who`.
async fn secure(tcp: TcpStream, who: &str) -> Secured {
    Tls::new(&creds(who)).unwrap().connect(tcp).await.unwrap()
}

async fn send(s: &mut Secured, m: &Message) {
    let p = m.encode().unwrap();
    s.write_all(&(p.len() as u32).to_be_bytes()).await.unwrap();
    s.write_all(&p).await.unwrap();
}

/// The next message, `None` at the end of the stream.
async fn recv<S: AsyncReadExt + Unpin>(s: &mut S, within: Duration) -> Option<Message> {
    let mut len = [0u8; 4];
    tokio::time::timeout(within, s.read_exact(&mut len)).await.expect("a message in time").ok()?;
    let mut payload = vec![0u8; u32::from_be_bytes(len) as usize];
    s.read_exact(&mut payload).await.ok()?;
    Some(Message::decode(&payload).unwrap())
}

fn hello(console: &str) -> Message {
    Message::Hello {
        version: yuqing::sync::PROTOCOL_VERSION,
        console: console.into(),
        realm: "live".into(),
        role: PeerRole::Console,
        clock_ms: chrono::Utc::now().timestamp_millis(),
        schema: yuqing::domain::event::SCHEMA_VERSION,
        endorsement: creds(console).endorsement().unwrap(),
    }
}

/// Completes the handshake as console `console` (TLS with its enrolment, then `hello`
/// as `docs/protocol.md` specifies it), then returns without sending anything more.
async fn authenticate(tcp: TcpStream, console: &str) -> Secured {
    let mut s = Tls::new(&creds(console)).unwrap().connect(tcp).await.unwrap();
    send(&mut s, &hello(console)).await;
    let got = recv(&mut s, Duration::from_secs(5)).await;
    assert!(matches!(got, Some(Message::Hello { .. })), "{got:?}");
    s
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
    // The flooding address is turned away at once …
    let over = connect_from("127.0.0.1", addr).await;
    let tls = tokio::time::timeout(Duration::from_secs(2), Tls::new(&creds("B")).unwrap().connect(over)).await;
    assert!(matches!(tls, Ok(Err(_))), "not even TLS from the flooding address");
    // … and another address is still served: a console from there gets through.
    let mut other = authenticate(connect_from("127.0.0.2", addr).await, "B").await;
    let got = recv(&mut other, Duration::from_secs(2)).await;
    assert!(matches!(got, Some(Message::Want { .. })), "{got:?}");
    until_connected(&node, "from B", Duration::from_secs(2)).await;
    drop(flood);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_does_not_authenticate_is_closed_at_the_handshake_deadline() {
    let (node, _desk, _dir) = listening().await;
    let addr = node.local_addr.unwrap();
    // Silent (not even TLS): closed one handshake step after connecting.
    let start = Instant::now();
    let mut silent = connect_from("127.0.0.1", addr).await;
    assert!(recv(&mut silent, HANDSHAKE_STEP + MARGIN).await.is_none());
    let took = start.elapsed();
    assert!(took >= HANDSHAKE_STEP - Duration::from_millis(100), "closed early: {took:?}");
    // TLS, then no hello: the console's hello, then the end one step later.
    let mut stalled = secure(connect_from("127.0.0.1", addr).await, "B").await;
    let start = Instant::now();
    assert!(matches!(recv(&mut stalled, Duration::from_secs(2)).await, Some(Message::Hello { .. })));
    let told = recv(&mut stalled, HANDSHAKE_STEP + MARGIN).await;
    assert!(
        matches!(&told, Some(Message::Refuse { reason }) if reason == "handshake not finished in time"),
        "{told:?}"
    );
    assert!(start.elapsed() >= HANDSHAKE_STEP - Duration::from_millis(100));
    assert!(recv(&mut stalled, MARGIN).await.is_none(), "then closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_silent_after_its_handshake_is_shown_disconnected_within_the_dead_peer_time() {
    let (node, _desk, _dir) = listening().await;
    let quiet = authenticate(connect_from("127.0.0.1", node.local_addr.unwrap()).await, "B").await;
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
    creds("B").write(&config.join("credentials.toml")).unwrap();
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
