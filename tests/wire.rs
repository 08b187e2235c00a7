//! The log and the wire between consoles: a peer that stops reading never stops us
//! reading it; items of any allowed size replicate; a console rebuilt from an empty
//! folder takes its own history back from its peers and never reuses a number.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::clock::SystemClock;
use yuqing::domain::command::Command;
use yuqing::domain::event::{Event, EventBody, EventId};
use yuqing::domain::hlc::Stamp;
use yuqing::store::Store;
use yuqing::sync::trust::Tls;
use yuqing::sync::{Message, Node, NodeConfig, PeerRole};

mod common;

use common::trust::{creds, item};

struct Console {
    desk: Desk,
    node: Option<Node>,
    dir: std::path::PathBuf,
    name: String,
}

impl Console {
    async fn start(name: &str, dir: &std::path::Path, listen: bool, peers: Vec<String>) -> Console {
        let mut s = Settings::default();
        s.console.name = name.into();
        let desk = Desk::start(Store::open(dir, "live").unwrap(), Arc::new(s), Arc::new(SystemClock)).unwrap();
        let cfg = NodeConfig {
            console: name.into(),
            realm: "live".into(),
            credentials: creds(name),
            listen: listen.then(|| "127.0.0.1:0".to_string()),
            peers,
        };
        let node = Node::start(desk.clone(), cfg).await.unwrap();
        Console { desk, node: Some(node), dir: dir.to_path_buf(), name: name.into() }
    }

    fn addr(&self) -> String {
        self.node.as_ref().unwrap().local_addr.unwrap().to_string()
    }

    async fn ingest(&self, tag: &str, n: usize, body: usize) {
        let op = self.desk.settings().operator("duty").unwrap().clone();
        for chunk in (0..n).collect::<Vec<_>>().chunks(20) {
            let cmds = chunk.iter().map(|&i| Command::ReceiveItem { item: item(tag, i, body) }).collect();
            for a in self.desk.submit(&op, cmds).await.unwrap() {
                a.unwrap();
            }
        }
    }

    fn vector(&self) -> BTreeMap<String, u64> {
        self.desk.store().version_vector().unwrap()
    }

    async fn stop(mut self) -> std::path::PathBuf {
        self.node = None;
        self.desk.drain().await;
        let dir = self.dir.clone();
        drop(self);
        // The writer thread lets go of the store once every desk handle is gone.
        tokio::time::sleep(Duration::from_millis(300)).await;
        dir
    }
}

async fn until(what: &str, within: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < within, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn frame(m: &Message) -> Vec<u8> {
    let p = m.encode().unwrap();
    [(p.len() as u32).to_be_bytes().to_vec(), p].concat()
}

type Secured = tokio_rustls::TlsStream<TcpStream>;

async fn read_frame(s: &mut Secured) -> Message {
    let mut len = [0u8; 4];
    s.read_exact(&mut len).await.unwrap();
    let mut buf = vec![0u8; u32::from_be_bytes(len) as usize];
    s.read_exact(&mut buf).await.unwrap();
    Message::decode(&buf).unwrap()
}

/// Connects as console `name` written from the protocol document, up to the end of the
/// handshake; reads nothing afterwards.
async fn raw_console(addr: &str, name: &str) -> Secured {
    let me = creds(name);
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut s = Tls::new(&me).unwrap().connect(tcp).await.unwrap();
    let hello = Message::Hello {
        version: yuqing::sync::PROTOCOL_VERSION,
        console: name.into(),
        realm: "live".into(),
        role: PeerRole::Console,
        clock_ms: chrono::Utc::now().timestamp_millis(),
        schema: yuqing::domain::event::SCHEMA_VERSION,
        endorsement: me.endorsement().unwrap(),
    };
    s.write_all(&frame(&hello)).await.unwrap();
    assert!(matches!(read_frame(&mut s).await, Message::Hello { .. }));
    s
}

fn event_of(console: &str, seq: u64) -> Event {
    Event {
        id: EventId { console: console.into(), seq },
        stamp: Stamp { ms: chrono::Utc::now().timestamp_millis(), n: seq as u32 },
        operator: "duty".into(),
        realm: "live".into(),
        v: yuqing::domain::event::SCHEMA_VERSION,
        prev: None,
        body: EventBody::ItemReceived { id: format!("{console}.{seq}"), item: item(console, seq as usize, 100) },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_stops_reading_never_stops_us_reading_it() {
    let tmp = tempfile::tempdir().unwrap();
    let a = Console::start("A", &tmp.path().join("a"), true, vec![]).await;
    // Far more than the socket buffers hold, so A's sending blocks.
    a.ingest("a", 1500, 20_000).await;
    let mut w = raw_console(&a.addr(), "W").await;
    w.write_all(&frame(&Message::Want { have: BTreeMap::new() })).await.unwrap();
    // W never reads again. It keeps sending: heartbeats, and events of its own.
    let started = Instant::now();
    let (mut seq, mut prev) = (0, None);
    while started.elapsed() < Duration::from_secs(6) {
        let mut events = Vec::new();
        for s in seq + 1..=seq + 5 {
            let r = yuqing::domain::codec::Recorded::new(Event { prev: prev.take(), ..event_of("W", s) }).unwrap();
            prev = Some(r.hash());
            events.push(r);
        }
        seq += 5;
        w.write_all(&frame(&Message::Events { events, heads: vec![] })).await.unwrap();
        w.write_all(&frame(&Message::Heartbeat { clock_ms: chrono::Utc::now().timestamp_millis() })).await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let held = a.vector().get("W").copied().unwrap_or(0);
    assert_eq!(held, seq, "A stored every event W sent while W read nothing (sent {seq})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_of_any_allowed_size_replicate() {
    let tmp = tempfile::tempdir().unwrap();
    let a = Console::start("A", &tmp.path().join("a"), true, vec![]).await;
    // 40 items of 240 KB, under the 256 KiB item limit: 9.6 MB, over the 8 MiB frame limit.
    a.ingest("big", 40, 240_000).await;
    let b = Console::start("B", &tmp.path().join("b"), false, vec![a.addr()]).await;
    until("B holds every large item", Duration::from_secs(60), || b.vector().get("A") == Some(&40)).await;
    let found = yuqing::store::verify(b.desk.store(), |_| ()).unwrap();
    assert!(found.differences.is_empty(), "{:?}", found.differences);
    assert_eq!(b.desk.store().item("A.40").unwrap().unwrap().fields.body.len(), 240_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuilt_console_takes_its_own_history_back_and_reuses_no_number() {
    let tmp = tempfile::tempdir().unwrap();
    let hub = Console::start("H", &tmp.path().join("h"), true, vec![]).await;
    let a = Console::start("A", &tmp.path().join("a"), false, vec![hub.addr()]).await;
    a.ingest("a", 30, 100).await;
    until("the hub holds A's items", Duration::from_secs(20), || hub.vector().get("A") == Some(&30)).await;
    // A's laptop is lost: a new, empty data folder under the same name.
    let old = a.stop().await;
    std::fs::remove_dir_all(&old).unwrap();
    let a = Console::start("A", &tmp.path().join("a2"), false, vec![hub.addr()]).await;
    until("A has its history back", Duration::from_secs(20), || a.vector().get("A") == Some(&30)).await;
    a.ingest("after", 1, 100).await;
    until("the hub takes the new item", Duration::from_secs(20), || hub.vector().get("A") == Some(&31)).await;
    let newest = hub.desk.store().event(&EventId { console: "A".into(), seq: 31 }).unwrap().unwrap();
    assert!(matches!(&newest.body, EventBody::ItemReceived { id, .. } if id == "A.31"), "{newest:?}");
    for c in [&a, &hub] {
        let found = yuqing::store::verify(c.desk.store(), |_| ()).unwrap();
        assert!(found.differences.is_empty(), "{}: {:?}", c.name, found.differences);
    }
}

/// Console X's history as recorded: `n` events chained by `prev`, each body from `text`.
fn history(console: &str, n: u64, text: &str) -> Vec<yuqing::domain::codec::Recorded> {
    let mut out: Vec<yuqing::domain::codec::Recorded> = Vec::new();
    for seq in 1..=n {
        let ev = Event {
            prev: out.last().map(|r| r.hash()),
            body: EventBody::ItemReceived { id: format!("{console}.{seq}"), item: item(text, seq as usize, 10) },
            ..event_of(console, seq)
        };
        out.push(yuqing::domain::codec::Recorded::new(ev).unwrap());
    }
    out
}

#[test]
fn another_history_under_a_held_name_is_refused_kept_apart_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), "live").unwrap();
    let mut w = yuqing::store::Writer::new(store.clone(), "R").unwrap();
    let real = history("X", 3, "真");
    // A same-named console (or a forger) with its own history from the same numbers on.
    let other = history("X", 4, "伪造：县长已被免职");
    assert!(w.receive_recorded(&real[0]).unwrap());
    assert!(w.receive_recorded(&real[1]).unwrap());
    w.commit().unwrap();
    // Its third event does not continue the history held here: refused and recorded.
    assert!(!w.receive_recorded(&other[2]).unwrap());
    w.commit().unwrap();
    let forks = store.forks().unwrap();
    assert_eq!(forks.len(), 1, "{forks:?}");
    assert_eq!(forks[0].event, "X:3");
    assert_eq!(forks[0].held_prev.as_deref(), Some(real[1].hash().as_str()));
    // The real third event still goes in; the forged one is not stored anywhere.
    assert!(w.receive_recorded(&real[2]).unwrap());
    assert!(!w.receive_recorded(&other[3]).unwrap(), "the other history goes on being refused");
    w.commit().unwrap();
    let held = store.event(&EventId { console: "X".into(), seq: 3 }).unwrap().unwrap();
    assert_eq!(held, *real[2].event());
    assert_eq!(store.items().unwrap().iter().filter(|i| i.fields.title.contains("伪造")).count(), 0);
    // verify shows the divergence, never silent.
    let found = yuqing::store::verify(&store, |_| ()).unwrap();
    assert!(found.differences.iter().any(|d| d.what == "fork at event X:3"), "{:?}", found.differences);
}

#[test]
fn other_bytes_under_a_held_id_are_a_fork_not_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), "live").unwrap();
    let mut w = yuqing::store::Writer::new(store.clone(), "R").unwrap();
    let real = history("B", 3, "真");
    let copy = history("B", 1, "复制的笔记本");
    for r in &real {
        assert!(w.receive_recorded(r).unwrap());
    }
    w.commit().unwrap();
    // The same bytes again: a duplicate, nothing recorded.
    assert!(!w.receive_recorded(&real[0]).unwrap());
    // A copied laptop's own B:1: other bytes under the same id.
    assert!(!w.receive_recorded(&copy[0]).unwrap());
    w.commit().unwrap();
    let forks = store.forks().unwrap();
    assert_eq!(forks.iter().map(|f| f.event.as_str()).collect::<Vec<_>>(), vec!["B:1"]);
    assert_eq!(w.forks(), 1);
}

/// `n` events of console X, written by X's own writer, which signs its history at each
/// commit; and its signed head.
fn signed_history(
    x: &yuqing::sync::trust::Credentials,
    dir: &std::path::Path,
    n: usize,
) -> (Vec<yuqing::domain::codec::Recorded>, yuqing::store::Head) {
    let sx = Store::open(dir, "live").unwrap();
    let mut wx = yuqing::store::Writer::new(sx.clone(), "X").unwrap();
    wx.set_signer(x.signer().unwrap()).unwrap();
    let s = Settings::default();
    let duty = s.operator("duty").unwrap().clone();
    for i in 0..n {
        let cmd = Command::ReceiveItem { item: item("x", i, 10) };
        wx.execute(&duty, chrono::Utc::now(), &s.policy, &s.directory, &cmd).unwrap();
    }
    wx.commit().unwrap();
    let head = sx.head("X").unwrap().expect("a signed head");
    assert_eq!(head.seq, n as u64);
    yuqing::sync::trust::Endorsement::check_head(&head, &x.authority_key().unwrap()).unwrap();
    (sx.recorded_events().unwrap().map(|r| r.unwrap()).collect(), head)
}

#[test]
fn a_signed_head_shows_a_changed_history_and_a_dropped_tail() {
    let x = creds("X");
    let (dx, dr, df, dt) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let (real, head) = signed_history(&x, dx.path(), 3);
    let receive = |dir: &std::path::Path, events: &[yuqing::domain::codec::Recorded]| {
        let store = Store::open(dir, "live").unwrap();
        let mut w = yuqing::store::Writer::new(store.clone(), "R").unwrap();
        for e in events {
            w.receive_recorded(e).unwrap();
        }
        w.keep_head(&head).unwrap();
        w.commit().unwrap();
        yuqing::store::verify(&store, |_| ()).unwrap().differences
    };
    // The real history with its head: nothing to say.
    assert_eq!(receive(dr.path(), &real), vec![]);
    // Another history under X's name, chained anew by a relay that holds no key of X's:
    // the chain holds, the head does not — a fork.
    let forged = history("X", 3, "伪造：县长已被免职");
    let found = receive(df.path(), &forged);
    assert!(found.iter().any(|d| d.what == "fork at event X:3"), "{found:?}");
    // The real history without its last event: the head says how much is missing.
    let found = receive(dt.path(), &real[..2]);
    assert!(found.iter().any(|d| d.detail.contains("truncated: X signed a head at event 3")), "{found:?}");
    // A head whose signature was made by another key does not check.
    let mut bad = head.clone();
    bad.seq = 4;
    assert!(yuqing::sync::trust::Endorsement::check_head(&bad, &x.authority_key().unwrap()).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_cannot_plant_events_in_another_consoles_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (real, head) = signed_history(&creds("X"), &tmp.path().join("x"), 3);
    let r = Console::start("R", &tmp.path().join("r"), true, vec![]).await;
    // An enrolled console P relays a history of X that X never wrote, chained anew.
    let forged = history("X", 3, "伪造：县长已被免职");
    let mut p = raw_console(&r.addr(), "P").await;
    p.write_all(&frame(&Message::Events { events: forged.clone(), heads: vec![] })).await.unwrap();
    // Then the same with X's real head: it contradicts them, and R ends the session.
    p.write_all(&frame(&Message::Events { events: forged, heads: vec![head.clone()] })).await.unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        while matches!(p.read(&mut buf).await, Ok(n) if n > 0) {}
    });
    closed.await.expect("R closes the session with the relay");
    // The contradiction is an alarm, as any fork is: the header counts it.
    until("the fork is kept", Duration::from_secs(5), || r.desk.forks() == 1).await;
    assert_eq!(r.desk.store().forks().unwrap()[0].event, "X:3");
    assert_eq!(r.vector().get("X"), None, "nothing of the forged history was stored");
    // An honest relay passes X's real history with its head: stored, and verify agrees.
    let mut q = raw_console(&r.addr(), "Q").await;
    q.write_all(&frame(&Message::Events { events: real[..2].to_vec(), heads: vec![] })).await.unwrap();
    q.write_all(&frame(&Message::Events { events: real[2..].to_vec(), heads: vec![head] })).await.unwrap();
    until("R holds X's history", Duration::from_secs(10), || r.vector().get("X") == Some(&3)).await;
    // Verify agrees with the history, and still shows the attempt.
    let found = yuqing::store::verify(r.desk.store(), |_| ()).unwrap();
    let whats: Vec<&str> = found.differences.iter().map(|d| d.what.as_str()).collect();
    assert_eq!(whats, vec!["fork at event X:3"], "{:?}", found.differences);
}
