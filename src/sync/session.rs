//! A session after the handshake. Between consoles: each side states its version
//! vector, receives what it lacks in order, then both push live events; heartbeats
//! show the other side is alive, and the version vectors are exchanged again now and
//! then, so a gap left by a broken transfer is filled. From a submitter: items and
//! commands, each answered once durable.

use super::conn::{Conn, ConnError, Writer};
use super::message::{BATCH, Message};
use crate::desk::Desk;
use crate::domain::command::Command;
use crate::domain::event::EventId;
use crate::store::Refusal;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;

pub const HEARTBEAT: Duration = Duration::from_secs(2);
/// No message for this long: the peer is dead.
pub const DEAD_AFTER: Duration = Duration::from_secs(10);
const ANTI_ENTROPY: Duration = Duration::from_secs(15);
/// Received batches waiting for the store at most, per session.
const IN_FLIGHT: usize = 3;
/// Ids of received events remembered to avoid echoing them back.
const ECHO_MEMORY: usize = 200_000;

type Receipt = tokio::sync::oneshot::Receiver<Result<Vec<EventId>, String>>;

/// Progress a session reports to the node.
pub trait Report: Send + Sync {
    /// Events the peer holds that we do not.
    fn behind(&self, n: u64);
    /// The peer's clock minus ours, from its latest heartbeat, in milliseconds.
    fn skew(&self, ms: i64);
}

fn missing(theirs: &BTreeMap<String, u64>, ours: &BTreeMap<String, u64>) -> u64 {
    theirs.iter().map(|(c, n)| n.saturating_sub(ours.get(c).copied().unwrap_or(0))).sum()
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, ConnError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ConnError::Frame(e.to_string()))?
        .map_err(|e| ConnError::Frame(e.to_string()))
}

async fn version_vector(desk: &Desk) -> Result<BTreeMap<String, u64>, ConnError> {
    let d = desk.clone();
    blocking(move || d.store().version_vector()).await
}

/// What the sending half sends.
enum Out {
    Message(Message),
    /// An `events` payload spliced from stored log pages.
    Payload(Vec<u8>),
}

/// Log pages per catch-up message (128 events each at most).
const PAGES_PER_MESSAGE: usize = 16;

/// Queues everything beyond `have` for sending, console by console, in sequence order,
/// as the log pages are stored.
async fn catch_up(out: mpsc::Sender<Out>, desk: Desk, have: BTreeMap<String, u64>) -> Result<(), ConnError> {
    let d = desk.clone();
    for console in blocking(move || d.store().consoles()).await? {
        let from = have.get(&console).copied().unwrap_or(0) + 1;
        let mut after: Option<Vec<u8>> = None;
        loop {
            let (d, c, a) = (desk.clone(), console.clone(), after.clone());
            let crate::store::RawPages { pages, last } =
                blocking(move || d.store().raw_pages(&c, from, a.as_deref(), PAGES_PER_MESSAGE)).await?;
            if !pages.is_empty() && out.send(Out::Payload(Message::events_from_pages(&pages))).await.is_err() {
                return Ok(());
            }
            match last {
                Some(k) => after = Some(k),
                None => break,
            }
        }
    }
    Ok(())
}

/// Sends queued messages until the queue closes or the peer is gone.
async fn pump(mut wr: Writer, mut rx: mpsc::Receiver<Out>) -> Result<(), ConnError> {
    while let Some(m) = rx.recv().await {
        match m {
            Out::Message(m) => wr.send(&m).await?,
            Out::Payload(p) => wr.send_payload(p).await?,
        }
    }
    Ok(())
}

/// Takes the answers of received batches that are written, waiting for the oldest
/// while more than [`IN_FLIGHT`] are queued; a store error ends the session.
async fn settle(writing: &mut VecDeque<Receipt>) -> Result<(), ConnError> {
    use tokio::sync::oneshot::error::TryRecvError;
    loop {
        let waiting = writing.len();
        let Some(front) = writing.front_mut() else { return Ok(()) };
        let answer = if waiting > IN_FLIGHT {
            front.await.map_err(|_| "the store writer stopped".to_string())
        } else {
            match front.try_recv() {
                Ok(a) => Ok(a),
                Err(TryRecvError::Empty) => return Ok(()),
                Err(TryRecvError::Closed) => Err("the store writer stopped".to_string()),
            }
        };
        writing.pop_front();
        answer.and_then(|a| a).map_err(ConnError::Frame)?;
    }
}

/// Replicates with another console until the connection ends.
pub async fn replicate(
    conn: Conn,
    desk: &Desk,
    report: &dyn Report,
    now_ms: impl Fn() -> i64,
) -> Result<(), ConnError> {
    let mut live = desk.subscribe();
    let (mut rd, wr) = conn.split();
    let (out, rx) = mpsc::channel::<Out>(8);
    let mut writer = tokio::spawn(pump(wr, rx));
    let mut catching: Option<tokio::task::JoinHandle<Result<(), ConnError>>> = None;
    // Events this peer sent us: not echoed back to it when the desk broadcasts them.
    let mut from_peer: HashSet<EventId> = HashSet::new();
    // What the peer last said it holds.
    let mut peer_has: BTreeMap<String, u64> = BTreeMap::new();
    // Events the peer holds that we lack, as last reported: counted down as they arrive.
    let mut behind = 0u64;
    // Received batches queued at the store; reading goes on while it writes.
    let mut writing: VecDeque<Receipt> = VecDeque::new();
    let send = |m: Message| {
        let out = out.clone();
        async move { out.send(Out::Message(m)).await.map_err(|_| ConnError::Closed) }
    };
    send(Message::Want { have: version_vector(desk).await? }).await?;
    let mut beat = tokio::time::interval(HEARTBEAT);
    let mut entropy = tokio::time::interval(ANTI_ENTROPY);
    entropy.tick().await;
    let result = loop {
        tokio::select! {
            msg = rd.recv(DEAD_AFTER) => match msg {
                Err(e) => break Err(e),
                Ok(None) => break Ok(()),
                Ok(Some(Message::Want { have })) => {
                    behind = missing(&have, &version_vector(desk).await?);
                    report.behind(behind);
                    if let Some(old) = catching.take() {
                        old.abort();
                    }
                    peer_has = have.clone();
                    catching = Some(tokio::spawn(catch_up(out.clone(), desk.clone(), have)));
                }
                Ok(Some(Message::Events { events })) => {
                    if from_peer.len() > ECHO_MEMORY {
                        from_peer.clear(); // duplicates are never broadcast; forget them now and then
                    }
                    from_peer.extend(events.iter().map(|e| e.id.clone()));
                    if behind > 0 {
                        behind = behind.saturating_sub(events.len() as u64);
                        report.behind(behind);
                    }
                    writing.push_back(desk.queue_received(events));
                    if let Err(e) = settle(&mut writing).await {
                        break Err(e);
                    }
                }
                Ok(Some(Message::Heartbeat { clock_ms })) => report.skew(clock_ms.saturating_sub(now_ms())),
                Ok(Some(Message::Refuse { reason })) => break Err(ConnError::Refused(reason)),
                Ok(Some(other)) => break Err(ConnError::Unexpected(other.kind())),
            },
            ev = live.recv() => match ev {
                Ok(first) => {
                    let mut events = Vec::new();
                    let mut next = Some(first);
                    while let Some(e) = next.take() {
                        if !from_peer.remove(&e.id) {
                            events.push((*e).clone());
                        }
                        if events.len() < BATCH {
                            next = live.try_recv().ok();
                        }
                    }
                    if !events.is_empty() {
                        send(Message::Events { events }).await?;
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    // Some of our events were not forwarded: send the peer everything
                    // beyond what it last said it holds (what it has already, it ignores).
                    tracing::warn!("{}: {n} live events not forwarded; catching the peer up", rd.peer);
                    if catching.as_ref().is_none_or(|c| c.is_finished()) {
                        catching = Some(tokio::spawn(catch_up(out.clone(), desk.clone(), peer_has.clone())));
                    }
                }
                Err(RecvError::Closed) => break Ok(()),
            },
            _ = beat.tick() => send(Message::Heartbeat { clock_ms: now_ms() }).await?,
            _ = entropy.tick() => send(Message::Want { have: version_vector(desk).await? }).await?,
            w = &mut writer => break match w {
                Ok(r) => r,
                Err(e) => Err(ConnError::Frame(e.to_string())),
            },
        }
    };
    if let Some(c) = catching {
        c.abort();
    }
    writer.abort();
    result
}

/// Serves a submitter until it hangs up.
pub async fn serve_submitter(conn: &mut Conn, desk: &Desk) -> Result<(), ConnError> {
    loop {
        match conn.recv(Duration::from_secs(60)).await? {
            None => return Ok(()),
            Some(Message::Submit { id, operator, items }) => {
                let reply = match desk.settings().operator(&operator) {
                    Err(e) => Message::Ack { id, new: 0, duplicates: 0, refused: vec![e] },
                    Ok(op) => {
                        let cmds = items.into_iter().map(|item| Command::ReceiveItem { item }).collect();
                        let answers = desk.submit(op, cmds).await.unwrap_or_default();
                        let (mut new, mut duplicates, mut refused) = (0, 0, Vec::new());
                        for a in answers {
                            match a {
                                Ok(_) => new += 1,
                                Err(Refusal::Duplicate(_)) => duplicates += 1,
                                Err(e) => refused.push(e.to_string()),
                            }
                        }
                        Message::Ack { id, new, duplicates, refused }
                    }
                };
                conn.send(&reply).await?;
            }
            Some(Message::Command { id, operator, command }) => {
                let result = match desk.settings().operator(&operator) {
                    Err(e) => Err(e),
                    Ok(op) => desk.run(op, command).await.map_err(|e| e.to_string()),
                };
                conn.send(&Message::Answer { id, result }).await?;
            }
            Some(Message::Heartbeat { .. }) => {}
            Some(other) => return Err(ConnError::Unexpected(other.kind())),
        }
    }
}
