//! Consoles on loopback: chains and stars converge after concurrent work, partitions
//! heal, a restarted console catches up, and every refusal closes the connection with
//! nothing written.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yuqing::config::Settings;
use yuqing::config::credential::Credential;
use yuqing::desk::Desk;
use yuqing::domain::clock::SystemClock;
use yuqing::domain::command::Command;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::store::Store;
use yuqing::sync::trust::{Authority, Credentials, Role, Tls};
use yuqing::sync::{Message, Node, NodeConfig};

mod common;

use common::trust::{AUTHORITY, creds};

struct Console {
    name: String,
    desk: Desk,
    node: Option<Node>,
    dir: tempfile::TempDir,
}

/// The token each test operator has at every console: `yqt_test-<id>`.
fn token(operator: &str) -> Credential {
    Credential::Token(format!("yqt_test-{operator}"))
}

fn desk(name: &str, dir: &std::path::Path, realm: &str) -> Desk {
    let mut s = Settings::default();
    s.console.name = name.into();
    // A supervisor who left: disabled, with a token.
    let mut gone = s.operator("chief").unwrap().clone();
    (gone.id, gone.disabled) = ("gone".into(), true);
    s.operators.push(gone);
    for o in &mut s.operators {
        o.token = Some(yuqing::config::token::hash(&format!("yqt_test-{}", o.id)));
    }
    // Neither PIN nor token.
    let mut bare = s.operator("duty").unwrap().clone();
    (bare.id, bare.token) = ("bare".into(), None);
    s.operators.push(bare);
    Desk::start(Store::open(&dir.join("data"), realm).unwrap(), Arc::new(s), Arc::new(SystemClock)).unwrap()
}

impl Console {
    async fn new(name: &str, listen: bool, peers: Vec<String>) -> Console {
        let dir = tempfile::tempdir().unwrap();
        let desk = desk(name, dir.path(), "live");
        let mut c = Console { name: name.into(), desk, node: None, dir };
        c.start(listen, peers).await;
        c
    }

    async fn start(&mut self, listen: bool, peers: Vec<String>) {
        let cfg = NodeConfig {
            console: self.name.clone(),
            realm: "live".into(),
            credentials: creds(&self.name),
            listen: listen.then(|| "127.0.0.1:0".to_string()),
            peers,
        };
        self.node = Some(Node::start(self.desk.clone(), cfg).await.unwrap());
    }

    fn addr(&self) -> String {
        self.node.as_ref().unwrap().local_addr.unwrap().to_string()
    }

    /// Receives `n` items and opens a case from the first, as this console's operator.
    async fn work(&self, tag: &str, n: usize) {
        self.work_sized(tag, n, 0).await
    }

    /// Like `work`, with item bodies of `body` bytes.
    async fn work_sized(&self, tag: &str, n: usize, body: usize) {
        let op = self.desk.settings().operator("duty").unwrap().clone();
        let items: Vec<Command> =
            (0..n).map(|i| Command::ReceiveItem { item: common::trust::item(tag, i, body) }).collect();
        let answers = self.desk.submit(&op, items).await.unwrap();
        let first = match &answers[0].as_ref().unwrap()[0].body {
            yuqing::domain::EventBody::ItemReceived { id, .. } => id.clone(),
            _ => unreachable!(),
        };
        let open = Command::OpenCase {
            hints: vec![],
            items: vec![first],
            title: String::new(),
            severity: yuqing::domain::Severity::General,
            category: yuqing::domain::Category::Other,
            lead: "jyj".into(),
            co: vec![],
        };
        self.desk.run(&op, open).await.unwrap();
    }

    fn state(&self) -> String {
        let s = self.desk.store();
        let mut items = s.items().unwrap();
        items.sort_by(|a, b| a.id.cmp(&b.id));
        let mut cases = s.cases().unwrap();
        cases.sort_by(|a, b| a.no.cmp(&b.no));
        format!("{}|{}", serde_json::to_string(&items).unwrap(), serde_json::to_string(&cases).unwrap())
    }

    fn events(&self) -> u64 {
        self.desk.store().version_vector().unwrap().values().sum()
    }
}

async fn converge(consoles: &[&Console], events: u64) {
    let start = Instant::now();
    loop {
        let counts: Vec<u64> = consoles.iter().map(|c| c.events()).collect();
        if counts.iter().all(|&n| n == events) {
            let first = consoles[0].state();
            if consoles.iter().all(|c| c.state() == first) {
                for c in consoles {
                    assert!(yuqing::store::verify(c.desk.store(), |_| ()).unwrap().differences.is_empty());
                }
                return;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no convergence: events {counts:?}, want {events} each");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_converges_after_concurrent_work() {
    let a = Console::new("A", true, vec![]).await;
    let b = Console::new("B", true, vec![a.addr()]).await;
    let c = Console::new("C", false, vec![b.addr()]).await;
    tokio::join!(a.work("a", 30), b.work("b", 20), c.work("c", 10));
    converge(&[&a, &b, &c], 31 + 21 + 11).await;
    let peers = b.node.as_ref().unwrap().peers();
    assert!(peers.iter().any(|p| p.connected && p.console.as_deref() == Some("A")), "{peers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_star_around_a_hub_converges_and_heals_after_a_partition() {
    let hub = Console::new("H", true, vec![]).await;
    let a = Console::new("A", false, vec![hub.addr()]).await;
    let mut b = Console::new("B", false, vec![hub.addr()]).await;
    let c = Console::new("C", false, vec![hub.addr()]).await;
    tokio::join!(a.work("a", 5), b.work("b", 5), c.work("c", 5));
    converge(&[&hub, &a, &b, &c], 18).await;
    // Cut B off; work goes on everywhere; then heal.
    b.node = None;
    tokio::join!(a.work("a2", 5), b.work("b2", 5), c.work("c2", 5));
    converge(&[&hub, &a, &c], 18 + 12).await;
    assert_eq!(b.events(), 18 + 6);
    let hub_addr = hub.addr();
    b.start(false, vec![hub_addr]).await;
    converge(&[&hub, &a, &b, &c], 36).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_restarted_mid_catch_up_resumes_where_it_stopped() {
    let a = Console::new("A", true, vec![]).await;
    a.work_sized("big", 1000, 20_000).await;
    let mut b = Console::new("B", false, vec![a.addr()]).await;
    let start = Instant::now();
    while b.events() == 0 && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    b.node = None;
    // The node's tasks see the stop at their next await; batches already handed to the
    // store are committed whole; then nothing moves.
    tokio::time::sleep(Duration::from_millis(200)).await;
    b.desk.drain().await;
    let partial = b.events();
    assert!(partial < 1001, "stopped mid-transfer ({partial})");
    // Nothing half-applied; A's signed head (sent first) shows how much is still missing.
    let found = yuqing::store::verify(b.desk.store(), |_| ()).unwrap().differences;
    let missing = format!("truncated: A signed a head at event 1001, this console holds {partial} of its events");
    assert!(found.iter().all(|d| d.detail == missing), "nothing half-applied: {found:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.events(), partial, "a stopped node receives nothing more");
    b.start(false, vec![a.addr()]).await;
    converge(&[&a, &b], 1001).await;
}

/// Connects over TLS as `who` and returns the messages the console sends after `bytes`.
async fn raw(addr: &str, who: &Credentials, bytes: &[u8]) -> Vec<Message> {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut s = Tls::new(who).unwrap().connect(tcp).await.unwrap();
    s.write_all(bytes).await.unwrap();
    let mut got = Vec::new();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(15), s.read_to_end(&mut buf)).await;
    let mut at = 0;
    while at + 4 <= buf.len() {
        let n = u32::from_be_bytes(buf[at..at + 4].try_into().unwrap()) as usize;
        if at + 4 + n > buf.len() {
            break;
        }
        got.push(Message::decode(&buf[at + 4..at + 4 + n]).unwrap());
        at += 4 + n;
    }
    got
}

fn frame(m: &Message) -> Vec<u8> {
    let p = m.encode().unwrap();
    let mut v = (p.len() as u32).to_be_bytes().to_vec();
    v.extend(p);
    v
}

fn hello(who: &Credentials, version: u32, realm: &str) -> Message {
    hello_schema(who, &who.name, version, realm, yuqing::domain::event::SCHEMA_VERSION)
}

fn hello_schema(who: &Credentials, console: &str, version: u32, realm: &str, schema: u16) -> Message {
    Message::Hello {
        schema,
        version,
        console: console.into(),
        realm: realm.into(),
        role: yuqing::sync::PeerRole::Console,
        clock_ms: chrono::Utc::now().timestamp_millis(),
        endorsement: who.endorsement().unwrap(),
    }
}

fn refused(msgs: &[Message]) -> String {
    msgs.iter()
        .find_map(|m| match m {
            Message::Refuse { reason } => Some(reason.clone()),
            _ => None,
        })
        .unwrap_or_else(|| format!("no refusal in {msgs:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_closes_the_connection_and_writes_nothing() {
    let a = Console::new("A", true, vec![]).await;
    a.work("a", 3).await;
    let before = a.events();
    let addr = a.addr();

    let (x, y, a2) = (creds("X"), creds("Y"), creds("A"));
    let v = yuqing::sync::PROTOCOL_VERSION;
    let s = yuqing::domain::event::SCHEMA_VERSION;
    assert!(refused(&raw(&addr, &x, &frame(&hello(&x, 99, "live"))).await).contains("protocol version 99"));
    assert!(refused(&raw(&addr, &x, &frame(&hello(&x, v, "drill:flood"))).await).contains("realm mismatch"));
    let same = refused(&raw(&addr, &a2, &frame(&hello(&a2, v, "live"))).await);
    assert!(same.contains("both consoles are named `A`"), "{same}");
    let newer = refused(&raw(&addr, &x, &frame(&hello_schema(&x, "X", v, "live", s + 1))).await);
    assert!(
        newer.contains(&format!("reads events up to schema {s}")) && newer.contains("upgrade yuqing there"),
        "{newer}"
    );
    // A name is the certificate's, never a claim: X cannot say it is Y, nor show Y's endorsement.
    let claim = refused(&raw(&addr, &x, &frame(&hello_schema(&x, "Y", v, "live", s))).await);
    assert!(claim.contains("enrolled as `X`, not `Y`"), "{claim}");
    let borrowed = refused(&raw(&addr, &x, &frame(&hello(&y, v, "live"))).await);
    assert!(borrowed.contains("endorsement is for another certificate"), "{borrowed}");
    let mut forged = x.endorsement().unwrap();
    forged.name = "chief-console".into();
    let mut hello_forged = hello_schema(&x, "chief-console", v, "live", s);
    if let Message::Hello { endorsement, .. } = &mut hello_forged {
        *endorsement = forged;
    }
    let forged = hello_forged;
    assert!(refused(&raw(&addr, &x, &frame(&forged)).await).contains("not the cluster authority's"));
    let events = Message::Events { events: vec![], heads: vec![] };
    assert!(refused(&raw(&addr, &x, &frame(&events)).await).contains("expected hello"));
    // Oversized, malformed, stalled mid-frame, silent: closed without a word past hello.
    for bytes in [
        (64u32 * 1024 * 1024).to_be_bytes().to_vec(),
        // Before authentication even 8 KiB is too much.
        [(8u32 * 1024).to_be_bytes().to_vec(), vec![b' '; 8 * 1024]].concat(),
        [5u32.to_be_bytes().to_vec(), b"{oops".to_vec()].concat(),
        [100u32.to_be_bytes().to_vec(), b"{\"t\":".to_vec()].concat(),
        vec![],
    ] {
        let msgs = raw(&addr, &x, &bytes).await;
        assert!(msgs.iter().all(|m| matches!(m, Message::Hello { .. } | Message::Refuse { .. })), "{msgs:?}");
    }
    // A console of another authority, and one in another realm, never connect.
    let dir = tempfile::tempdir().unwrap();
    let other = desk("Z", dir.path(), "live");
    let cfg = NodeConfig {
        console: "Z".into(),
        realm: "live".into(),
        credentials: Authority::generate().unwrap().enroll("Z", Role::Console).unwrap(),
        listen: None,
        peers: vec![addr.clone()],
    };
    let z = Node::start(other.clone(), cfg).await.unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let drill = desk("D", dir2.path(), "drill:flood");
    let cfg = NodeConfig {
        console: "D".into(),
        realm: "drill:flood".into(),
        credentials: creds("D"),
        listen: None,
        peers: vec![addr.clone()],
    };
    let d = Node::start(drill.clone(), cfg).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let zs = z.peers();
    assert!(zs[0].error.as_deref().unwrap_or("").contains("TLS"), "{zs:?}");
    let ds = d.peers();
    assert!(ds[0].error.as_deref().unwrap_or("").contains("realm mismatch"), "{ds:?}");
    assert_eq!(other.store().version_vector().unwrap().len(), 0);
    assert_eq!(drill.store().version_vector().unwrap().len(), 0);
    assert_eq!(a.events(), before, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_connections_is_turned_away_and_the_console_goes_on() {
    let a = Console::new("A", true, vec![]).await;
    let addr = a.addr();
    let mut held = Vec::new();
    // From as many addresses as it takes: one address gets only its share.
    let per_address = yuqing::sync::limits::MAX_PER_ADDRESS;
    for i in 0..yuqing::sync::node::MAX_CONNECTIONS {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("127.0.0.{}:0", 1 + i / per_address).parse().unwrap()).unwrap();
        held.push(socket.connect(addr.parse().unwrap()).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Turned away before TLS, also from another address: the connection is closed at once.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.250:0".parse().unwrap()).unwrap();
    let tcp = socket.connect(addr.parse().unwrap()).await.unwrap();
    let r = tokio::time::timeout(Duration::from_secs(5), Tls::new(&creds("X")).unwrap().connect(tcp)).await;
    assert!(matches!(r, Ok(Err(_))), "closed at once");
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let b = Console::new("B", false, vec![addr]).await;
    b.work("b", 2).await;
    converge(&[&a, &b], 3).await;
    let _ = &a.dir;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submitter_gets_an_acknowledgement_once_items_are_durable() {
    let a = Console::new("A", true, vec![]).await;
    let mut client = yuqing::sync::Client::connect(&a.addr(), &creds("cli"), "live").await.unwrap();
    let item = NewItem {
        channel: Channel::Hotline,
        title: "拖欠工资".into(),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some("h-1".into()),
    };
    let r = client.submit("duty", Some(&token("duty")), vec![item.clone(), item]).await.unwrap();
    assert_eq!((r.new, r.duplicates), (1, 1));
    assert!(a.desk.store().item("A.1").unwrap().is_some());
    let dismiss = Command::DismissItem { item: "A.1".into(), reason: "x".into() };
    let answer = client.command("guest", Some(&token("guest")), dismiss).await.unwrap();
    assert!(answer.unwrap_err().contains("viewer"), "a proved viewer is still only a viewer");
    let wrong = yuqing::sync::Client::connect(
        &a.addr(),
        &Authority::generate().unwrap().enroll("cli", Role::Console).unwrap(),
        "live",
    )
    .await;
    assert!(wrong.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_acts_only_as_the_operator_it_proves_and_wrong_proofs_close_the_connection() {
    let a = Console::new("A", true, vec![]).await;
    let item = |n: u32| NewItem {
        channel: Channel::Hotline,
        title: format!("拖欠工资 {n}"),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some(format!("h-{n}")),
    };
    let dismiss = || Command::DismissItem { item: "A.1".into(), reason: "重复".into() };
    let mut client = yuqing::sync::Client::connect(&a.addr(), &creds("cli"), "live").await.unwrap();

    let r = client.submit("duty", None, vec![item(1)]).await.unwrap();
    assert_eq!(r.new, 0);
    assert_eq!(r.refused, ["no PIN or token sent for operator `duty`; acting through another console needs one"]);
    assert_eq!(a.events(), 0, "nothing was written");
    let r = client.submit("duty", Some(&token("chief")), vec![item(1)]).await.unwrap();
    assert_eq!(r.refused, ["wrong PIN or token for operator `duty`"]);
    assert_eq!(a.events(), 0, "nothing was written");
    let r = client.submit("duty", Some(&token("duty")), vec![item(1)]).await.unwrap();
    assert_eq!((r.new, r.refused.len()), (1, 0));

    let answer = client.command("chief", None, dismiss()).await.unwrap();
    assert!(answer.unwrap_err().starts_with("no PIN or token sent for operator `chief`"));
    let answer = client.command("gone", Some(&token("gone")), dismiss()).await.unwrap();
    assert_eq!(answer.unwrap_err(), "operator `gone` is disabled on console A");
    let answer = client.command("bare", Some(&token("bare")), dismiss()).await.unwrap();
    assert_eq!(
        answer.unwrap_err(),
        "operator `bare` has no PIN or token on console A and cannot act through it; run `yuqing operator token bare` there"
    );
    assert_eq!(a.events(), 1, "nothing was written");
    let answer = client.command("chief", Some(&token("chief")), dismiss()).await.unwrap();
    assert_eq!(answer.unwrap()[0].operator, "chief");

    // The first wrong proof was the submission's; two more close the connection.
    for _ in 0..2 {
        let answer = client.command("chief", Some(&Credential::Pin("0000".into())), dismiss()).await.unwrap();
        assert_eq!(answer.unwrap_err(), "wrong PIN or token for operator `chief`");
    }
    let closed = client.command("chief", Some(&token("chief")), dismiss()).await.unwrap_err();
    assert_eq!(closed.to_string(), "refused by the peer: 3 wrong PINs or tokens; connection closed");
    assert_eq!(a.events(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_console_is_refused_by_every_console_the_revocation_reaches() {
    let hub = Console::new("H", true, vec![]).await;
    let a = Console::new("A", true, vec![hub.addr()]).await;
    // The laptop `L` is enrolled and syncs through the hub.
    let laptop = creds("L");
    let dir = tempfile::tempdir().unwrap();
    let l_desk = desk("L", dir.path(), "live");
    let cfg = |peers| NodeConfig {
        console: "L".into(),
        realm: "live".into(),
        credentials: laptop.clone(),
        listen: None,
        peers,
    };
    let l_node = Node::start(l_desk.clone(), cfg(vec![hub.addr()])).await.unwrap();
    converge(&[&hub, &a], 0).await;
    let t = Instant::now();
    while !l_node.peers().iter().any(|p| p.connected) {
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", l_node.peers());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // It is lost: a supervisor revokes its certificate at A; the revocation reaches the hub.
    let chief = a.desk.settings().operator("chief").unwrap().clone();
    let cert = laptop.endorsement().unwrap().cert;
    a.desk.run(&chief, Command::RevokeConsole { name: "L".into(), cert: cert.clone() }).await.unwrap();
    converge(&[&hub, &a], 1).await;
    assert_eq!(hub.desk.store().revoked(&cert).unwrap().as_deref(), Some("L"));
    // The open session is cut at the laptop's next heartbeat.
    let t = Instant::now();
    while l_node.peers().iter().any(|p| p.connected) {
        assert!(t.elapsed() < Duration::from_secs(8), "still connected: {:?}", l_node.peers());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(l_node);
    a.work("after", 2).await;
    // Whoever holds the laptop is refused, at the hub and at A, with the reason.
    let duty = a.desk.settings().operator("duty").unwrap().clone();
    let refused_by = |addr: String| {
        let (l_desk, cfg) = (l_desk.clone(), cfg(vec![addr]));
        async move {
            let n = Node::start(l_desk, cfg).await.unwrap();
            tokio::time::sleep(Duration::from_secs(2)).await;
            n.peers()[0].error.clone().unwrap_or_default()
        }
    };
    for addr in [hub.addr(), a.addr()] {
        let err = refused_by(addr).await;
        assert!(err.contains("certificate of `L` was revoked"), "{err}");
    }
    // An operator may not revoke: only a supervisor.
    let again = a.desk.run(&duty, Command::RevokeConsole { name: "L".into(), cert }).await;
    assert!(again.unwrap_err().to_string().contains("only a supervisor may"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        l_desk.store().version_vector().unwrap().get("A").is_none_or(|&n| n <= 1),
        "the laptop received nothing made after its revocation"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_monitoring_tool_submits_as_itself_and_may_do_nothing_else() {
    let a = Console::new("A", true, vec![]).await;
    let tool = AUTHORITY.enroll("monitor-1", Role::Submitter).unwrap();
    let mut client = yuqing::sync::Client::connect(&a.addr(), &tool, "live").await.unwrap();
    let item = NewItem {
        channel: Channel::Weibo,
        title: "网传县城将全面限电".into(),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some("m-1".into()),
    };
    // No operator proof: the tool's own enrolment is who acts, whatever operator it names.
    let r = client.submit("chief", None, vec![item]).await.unwrap();
    assert_eq!((r.new, r.refused.len()), (1, 0), "{r:?}");
    let ev = a.desk.store().event(&yuqing::domain::EventId { console: "A".into(), seq: 1 }).unwrap().unwrap();
    assert_eq!(ev.operator, "monitor-1", "the audit names the tool, not `chief`");
    let cmd = Command::DismissItem { item: "A.1".into(), reason: "x".into() };
    let answer = client.command("chief", None, cmd).await.unwrap();
    assert!(answer.unwrap_err().contains("may only submit items"));
    assert_eq!(a.events(), 1);
    // And it cannot pose as a console.
    let dir = tempfile::tempdir().unwrap();
    let cfg = NodeConfig {
        console: "monitor-1".into(),
        realm: "live".into(),
        credentials: tool,
        listen: None,
        peers: vec![a.addr()],
    };
    let n = Node::start(desk("monitor-1", dir.path(), "live"), cfg).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let err = n.peers()[0].error.clone().unwrap_or_default();
    assert!(err.contains("enrolled as a submitter, not a console"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_machines_with_the_same_credentials_are_not_both_served() {
    let hub = Console::new("H", true, vec![]).await;
    let b = creds("B");
    let start = |dir: &std::path::Path| {
        let cfg = NodeConfig {
            console: "B".into(),
            realm: "live".into(),
            credentials: b.clone(),
            listen: None,
            peers: vec![hub.addr()],
        };
        let d = desk("B", dir, "live");
        async move { (Node::start(d.clone(), cfg).await.unwrap(), d) }
    };
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (n1, _) = start(d1.path()).await;
    let t = Instant::now();
    while !n1.peers().iter().any(|p| p.connected) {
        assert!(t.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The copy is refused while the original is connected, with what to do.
    let (n2, _) = start(d2.path()).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let err = n2.peers()[0].error.clone().unwrap_or_default();
    assert!(err.contains("two machines hold the same credentials"), "{err}");
    assert!(n1.peers()[0].connected, "the original stays connected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consoles_signed_head_reaches_every_console_through_a_relay() {
    let hub = Console::new("H", true, vec![]).await;
    let b = Console::new("B", false, vec![hub.addr()]).await;
    // Console A signs its history with its enrolled key.
    let a_creds = creds("A");
    let dir = tempfile::tempdir().unwrap();
    let mut s = Settings::default();
    s.console.name = "A".into();
    let store = Store::open(&dir.path().join("data"), "live").unwrap();
    let a = Desk::start_signed(store, Arc::new(s), Arc::new(SystemClock), Some(a_creds.signer().unwrap())).unwrap();
    let cfg = NodeConfig {
        console: "A".into(),
        realm: "live".into(),
        credentials: a_creds.clone(),
        listen: None,
        peers: vec![hub.addr()],
    };
    let _na = Node::start(a.clone(), cfg).await.unwrap();
    let op = a.settings().operator("duty").unwrap().clone();
    for i in 0..3 {
        let item = NewItem {
            channel: Channel::Weibo,
            title: format!("签名 第{i}条"),
            body: String::new(),
            url: None,
            author: None,
            published_at: None,
            reach: None,
            external_id: Some(format!("signed-{i}")),
        };
        a.run(&op, Command::ReceiveItem { item }).await.unwrap();
    }
    let t = Instant::now();
    loop {
        if let Some(h) = b.desk.store().head("A").unwrap()
            && h.seq == 3
        {
            yuqing::sync::trust::Endorsement::check_head(&h, &a_creds.authority_key().unwrap()).unwrap();
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(20), "B never got A's head at 3");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let found = yuqing::store::verify(b.desk.store(), |_| ()).unwrap().differences;
    assert!(found.is_empty(), "{found:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_to_the_roster_on_one_console_counts_on_every_console_within_seconds() {
    let a = Console::new("A", true, vec![]).await;
    let b = Console::new("B", true, vec![a.addr()]).await;
    let item = |n: &str| NewItem {
        channel: Channel::Hotline,
        title: format!("来电 {n}"),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some(n.into()),
    };
    // duty acts through B: accepted.
    let mut client = yuqing::sync::Client::connect(&b.addr(), &creds("cli"), "live").await.unwrap();
    let r = client.submit("duty", Some(&token("duty")), vec![item("1")]).await.unwrap();
    assert_eq!(r.new, 1);
    // A supervisor at A disables duty: one event, replicated.
    let chief = a.desk.operator("chief").unwrap();
    let mut off = a.desk.operator("duty").unwrap();
    off.disabled = true;
    let answers = a.desk.submit(&chief, vec![Command::SetOperator { operator: off }]).await.unwrap();
    assert!(answers[0].is_ok(), "{answers:?}");
    let start = Instant::now();
    while !b.desk.operator("duty").unwrap().disabled {
        assert!(start.elapsed() < Duration::from_secs(10), "B never learned that duty was disabled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Refused at B now, without any restart or file there.
    let refused = client.submit("duty", Some(&token("duty")), vec![item("2")]).await;
    assert!(format!("{refused:?}").contains("disabled"), "{refused:?}");
    // And the roster is the same at both, as the events made it.
    assert_eq!(a.desk.store().roster().unwrap(), b.desk.store().roster().unwrap());
    // An operator may not change the roster.
    let duty_at_a = a.desk.operator("bare").unwrap();
    let mut up = duty_at_a.clone();
    up.role = yuqing::domain::role::Role::Supervisor;
    let refused = a.desk.submit(&duty_at_a, vec![Command::SetOperator { operator: up }]).await.unwrap();
    assert!(format!("{:?}", refused[0]).contains("only a supervisor may"), "{refused:?}");
}
