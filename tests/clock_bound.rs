//! A console whose clock is far off cannot poison the others: it is refused at the
//! handshake with the reason on both sides, a session ends when heartbeats measure the
//! clock beyond the bound, and an event stamped hours ahead is kept but does not drag
//! the receiving console's clock (so its next actions, also after a restart, are
//! stamped at about its own time).

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::clock::{Clock, SystemClock};
use yuqing::domain::command::Command;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::store::Store;
use yuqing::sync::{Node, NodeConfig, PeerStatus};

mod common;

const THREE_HOURS_MS: i64 = 3 * 3_600_000;
/// The default `max_clock_skew_seconds`, in milliseconds.
const BOUND_MS: i64 = 120_000;

/// The system clock moved by an offset that a test may change.
#[derive(Default)]
struct OffsetClock(AtomicI64);

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.0.load(Ordering::Relaxed))
    }
}

fn desk(name: &str, dir: &std::path::Path, clock: Arc<dyn Clock>) -> Desk {
    let mut s = Settings::default();
    s.console.name = name.into();
    Desk::start(Store::open(&dir.join("data"), "live").unwrap(), Arc::new(s), clock).unwrap()
}

async fn node(desk: &Desk, listen: bool, peers: Vec<String>) -> Node {
    let cfg = NodeConfig {
        console: desk.settings().console.name.clone(),
        realm: "live".into(),
        credentials: common::trust::creds(&desk.settings().console.name),
        listen: listen.then(|| "127.0.0.1:0".to_string()),
        peers,
    };
    Node::start(desk.clone(), cfg).await.unwrap()
}

fn item(tag: &str) -> Command {
    Command::ReceiveItem {
        item: NewItem {
            channel: Channel::Weibo,
            title: format!("{tag} 网传停水"),
            body: String::new(),
            url: None,
            author: None,
            published_at: None,
            reach: None,
            external_id: Some(tag.into()),
        },
    }
}

/// Runs one command as the duty operator; returns the stamp of its event, in ms.
async fn act(desk: &Desk, tag: &str) -> i64 {
    let op = desk.settings().operator("duty").unwrap().clone();
    desk.run(&op, item(tag)).await.unwrap()[0].stamp.ms
}

/// Waits until `node` shows peer `name` with an error that `ok` accepts.
async fn until_error(node: &Node, name: &str, ok: impl Fn(&str) -> bool, within: Duration) -> PeerStatus {
    let start = Instant::now();
    loop {
        if let Some(p) = node.peers().into_iter().find(|p| p.name == name && !p.connected)
            && p.error.as_deref().is_some_and(&ok)
        {
            return p;
        }
        assert!(start.elapsed() < within, "{name}: {:?}", node.peers());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_three_hours_fast_is_refused_with_the_reason_on_both_sides() {
    let (da, df) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = desk("A", da.path(), Arc::new(SystemClock));
    let fast = Arc::new(OffsetClock(AtomicI64::new(THREE_HOURS_MS + 2 * 60_000)));
    let f = desk("F", df.path(), fast);
    act(&f, "f1").await;
    let na = node(&a, true, vec![]).await;
    let addr = na.local_addr.unwrap().to_string();
    let nf = node(&f, false, vec![addr.clone()]).await;
    let bound = |e: &str| e.contains("more than the 2-minute bound; fix the clock");
    let at_a = until_error(&na, "from F", |e| bound(e), Duration::from_secs(5)).await;
    let e = at_a.error.unwrap();
    assert!(e.starts_with("clock of the peer differs by +3h02m from this console's"), "{e}");
    assert!(at_a.skew_ms > THREE_HOURS_MS, "the header shows the difference: {}", at_a.skew_ms);
    let at_f = until_error(&nf, &addr, |e| bound(e), Duration::from_secs(5)).await;
    assert!(at_f.error.unwrap().contains("differs by -3h0"), "F sees A's clock 3 h behind its own");
    assert!(a.store().version_vector().unwrap().is_empty(), "nothing crossed");
    assert!(f.store().item("A.1").unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_measuring_a_clock_beyond_the_bound_end_the_session() {
    let (da, df) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = desk("A", da.path(), Arc::new(SystemClock));
    let clock = Arc::new(OffsetClock::default());
    let f = desk("F", df.path(), clock.clone());
    let na = node(&a, true, vec![]).await;
    let _nf = node(&f, false, vec![na.local_addr.unwrap().to_string()]).await;
    let start = Instant::now();
    while !na.peers().iter().any(|p| p.name == "from F" && p.connected) {
        assert!(start.elapsed() < Duration::from_secs(5), "{:?}", na.peers());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    clock.0.store(THREE_HOURS_MS, Ordering::Relaxed);
    let jumped = Instant::now();
    // A heartbeat comes every 2 s: the next one ends the session, with the reason.
    let p = until_error(&na, "from F", |e| e.contains("+3h00m"), Duration::from_secs(4)).await;
    assert!(p.error.unwrap().contains("more than the 2-minute bound"));
    assert!(jumped.elapsed() < Duration::from_secs(4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_stamped_hours_ahead_is_kept_but_does_not_drag_this_consoles_clock() {
    let (da, df) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let f = desk("F", df.path(), Arc::new(OffsetClock(AtomicI64::new(THREE_HOURS_MS))));
    let op = f.settings().operator("duty").unwrap().clone();
    let ahead = f.run(&op, item("f1")).await.unwrap();
    let a = desk("A", da.path(), Arc::new(SystemClock));
    assert_eq!(a.receive(ahead.clone()).await.unwrap().len(), 1, "the event is stored");
    assert!(a.store().item("F.1").unwrap().is_some());

    let now = Utc::now().timestamp_millis();
    let stamp = act(&a, "a1").await;
    assert!(stamp <= now + BOUND_MS + 1_000, "stamped {} s ahead", (stamp - now) / 1000);
    assert!(stamp >= now - 1_000);

    // Restarted, the console reads the stored stamps again and still keeps its clock.
    drop(a);
    let store = reopen(&da.path().join("data"));
    let mut s = Settings::default();
    s.console.name = "A".into();
    let a = Desk::start(store, Arc::new(s), Arc::new(SystemClock)).unwrap();
    let now = Utc::now().timestamp_millis();
    let stamp = act(&a, "a2").await;
    assert!(stamp <= now + BOUND_MS + 1_000, "after a restart stamped {} s ahead", (stamp - now) / 1000);
    assert!(ahead[0].stamp.ms > stamp, "the early event keeps its own stamp and order");
}

/// Opens the store again once the stopped writer has let it go.
fn reopen(dir: &std::path::Path) -> Store {
    let start = Instant::now();
    loop {
        match Store::open(dir, "live") {
            Ok(s) => return s,
            Err(e) => assert!(start.elapsed() < Duration::from_secs(5), "{e}"),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
