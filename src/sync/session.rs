//! A session after the handshake. Between consoles: each side states its version
//! vector and is sent what it lacks, in order, then whatever is stored later; heartbeats
//! show the other side is alive, and version vectors are exchanged again now and then,
//! so a gap left by a broken transfer is filled. From a submitter: items and commands,
//! each acted on as the operator it names once their PIN or token checks here, and
//! answered once durable.
//!
//! Receiving and sending are independent tasks: the reader only reads and hands batches
//! to the store (waiting only for the store), and the sender reads the log beyond what
//! the peer holds and writes to the socket at the pace the peer reads. A peer that
//! stops reading can therefore never stop us reading it, and two peers both sending a
//! long catch-up cannot wedge each other. Memory per peer is bounded: a few received
//! batches waiting for the store, one batch being sent, and a version vector.

use super::admit::{Admission, Held};
use super::conn::{Conn, ConnError, Writer};
use super::message::Message;
use super::outbox::{self, BATCH_BYTES, Vector};
use super::trust::{Endorsement, Role};
use crate::config::credential::{AuthError, Credential, authenticate};
use crate::desk::Desk;
use crate::domain::codec::Recorded;
use crate::domain::command::Command;
use crate::domain::role::Operator;
use crate::store::Refusal;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

pub const HEARTBEAT: Duration = Duration::from_secs(2);
/// No message for this long: the peer is dead.
pub const DEAD_AFTER: Duration = Duration::from_secs(10);
const ANTI_ENTROPY: Duration = Duration::from_secs(15);
/// Received batches waiting for the store at most, per session.
const IN_FLIGHT: usize = 3;

type Receipt = tokio::sync::oneshot::Receiver<Result<Vec<crate::domain::event::EventId>, String>>;

/// Progress a session reports to the node.
pub trait Report: Send + Sync {
    /// Events the peer holds that we do not.
    fn behind(&self, n: u64);
    /// The peer's clock minus ours, from its latest heartbeat, in milliseconds.
    fn skew(&self, ms: i64);
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, ConnError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ConnError::Frame(e.to_string()))?
        .map_err(|e| ConnError::Frame(e.to_string()))
}

/// What this console holds of each console, other than `peer`, that `events` are of.
async fn held_of(desk: &Desk, peer: &str, events: &[Recorded]) -> Result<BTreeMap<String, Held>, ConnError> {
    let consoles: BTreeSet<String> =
        events.iter().map(|e| &e.event().id.console).filter(|c| *c != peer).cloned().collect();
    if consoles.is_empty() {
        return Ok(BTreeMap::new());
    }
    let d = desk.clone();
    blocking(move || {
        let vv = d.store().version_vector()?;
        consoles
            .into_iter()
            .map(|c| {
                let held = Held { head: d.store().head(&c)?, upto: vv.get(&c).copied().unwrap_or(0) };
                Ok((c, held))
            })
            .collect()
    })
    .await
}

async fn version_vector(desk: &Desk) -> Result<Vector, ConnError> {
    let d = desk.clone();
    blocking(move || d.store().version_vector()).await
}

/// What the reader learns about what the peer holds, waiting for the sender.
#[derive(Default)]
struct PeerHolds {
    news: Mutex<News>,
    changed: Notify,
}

#[derive(Default)]
struct News {
    /// The peer's latest `want`: replaces the sender's cursor, so anything lost in
    /// transit is sent again.
    said: Option<Vector>,
    /// The highest sequence per console the peer sent us since: it holds those.
    sent_us: Vector,
}

impl PeerHolds {
    fn lock(&self) -> std::sync::MutexGuard<'_, News> {
        self.news.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn said(&self, have: Vector) {
        let mut n = self.lock();
        n.said = Some(have);
        n.sent_us.clear();
        drop(n);
        self.changed.notify_one();
    }

    fn sent_us(&self, events: &[crate::domain::codec::Recorded]) {
        let mut n = self.lock();
        for r in events {
            let id = &r.event().id;
            let seq = n.sent_us.entry(id.console.clone()).or_insert(0);
            *seq = (*seq).max(id.seq);
        }
    }

    /// Brings the sender's cursor (what the peer holds; `None` until its first `want`)
    /// up to date with the reader's news.
    fn update(&self, cursor: &mut Option<Vector>) {
        let mut n = self.lock();
        if let Some(said) = n.said.take() {
            *cursor = Some(said);
        }
        let sent_us = std::mem::take(&mut n.sent_us);
        if let Some(c) = cursor.as_mut() {
            for (console, seq) in sent_us {
                let held = c.entry(console).or_insert(0);
                *held = (*held).max(seq);
            }
        }
    }
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

/// The sending half: our `want` first, then everything the peer lacks, then what is
/// stored later, with heartbeats and a periodic `want` while idle.
async fn send_loop(
    mut wr: Writer,
    desk: Desk,
    peer: Arc<PeerHolds>,
    now_ms: Arc<dyn Fn() -> i64 + Send + Sync>,
) -> Result<(), ConnError> {
    let mut live = desk.subscribe();
    wr.send(&Message::Want { have: version_vector(&desk).await? }).await?;
    send_heads(&mut wr, &desk).await?;
    let mut cursor: Option<Vector> = None;
    let mut beat = tokio::time::interval(HEARTBEAT);
    let mut entropy = tokio::time::interval(ANTI_ENTROPY);
    entropy.tick().await;
    loop {
        peer.update(&mut cursor);
        if let Some(mut theirs) = cursor.take() {
            let ours = version_vector(&desk).await?;
            let d = desk.clone();
            let (batch, theirs) =
                blocking(move || outbox::next_batch(d.store(), &ours, &mut theirs, BATCH_BYTES).map(|b| (b, theirs)))
                    .await?;
            cursor = Some(theirs);
            if let Some((events, head)) = batch {
                let heads: Vec<_> = head.into_iter().collect();
                wr.send_payload(Message::events_payload(&events, &heads).map_err(ConnError::Frame)?).await?;
                // Keep heartbeats going during a long catch-up.
                if beat_due(&mut beat) {
                    wr.send(&Message::Heartbeat { clock_ms: now_ms() }).await?;
                }
                continue;
            }
        }
        tokio::select! {
            _ = peer.changed.notified() => {}
            ev = live.recv() => {
                if let Err(RecvError::Closed) = ev {
                    return Ok(());
                }
                // One look at the log serves every event applied meanwhile.
                while !matches!(live.try_recv(), Err(TryRecvError::Empty | TryRecvError::Closed)) {}
            },
            _ = beat.tick() => wr.send(&Message::Heartbeat { clock_ms: now_ms() }).await?,
            _ = entropy.tick() => {
                wr.send(&Message::Want { have: version_vector(&desk).await? }).await?;
                send_heads(&mut wr, &desk).await?;
            }
        }
    }
}

/// Every signed head we hold, in an `events` message without events: a peer holding
/// another history under some console's name finds out even when neither side lacks
/// events by number (the version vectors of two same-named consoles can agree).
async fn send_heads(wr: &mut Writer, desk: &Desk) -> Result<(), ConnError> {
    let d = desk.clone();
    let heads = blocking(move || d.store().heads()).await?;
    if heads.is_empty() {
        return Ok(());
    }
    wr.send(&Message::Events { events: Vec::new(), heads }).await
}

/// True (and the timer re-armed) when the heartbeat timer has fired.
fn beat_due(beat: &mut tokio::time::Interval) -> bool {
    use futures::FutureExt;
    beat.tick().now_or_never().is_some()
}

/// A task that ends when its handle is dropped: the sender must not outlive its
/// session (a stopped node drops the session's future, not the tasks it spawned).
struct Abort<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for Abort<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Replicates with the console `peer_name` until the connection ends. Events it relays
/// from other consoles are stored once their author's signed head covers them
/// (see [`super::admit`]). `cert` is the SHA-256 of the peer's certificate: once a revocation of it reaches this
/// console, the session ends at the peer's next heartbeat.
pub async fn replicate(
    conn: Conn,
    desk: &Desk,
    peer_name: &str,
    cert: &str,
    authority: &[u8],
    report: &dyn Report,
    now_ms: impl Fn() -> i64 + Send + Sync + 'static,
) -> Result<(), ConnError> {
    let now_ms: Arc<dyn Fn() -> i64 + Send + Sync> = Arc::new(now_ms);
    let (mut rd, wr) = conn.split();
    let peer = Arc::new(PeerHolds::default());
    let mut sender = Abort(tokio::spawn(send_loop(wr, desk.clone(), peer.clone(), now_ms.clone())));
    let me = desk.settings().console.name.clone();
    // Received batches queued at the store; reading goes on while it writes.
    let mut writing: VecDeque<Receipt> = VecDeque::new();
    // Events the peer holds that we lack, as last reported: counted down as they arrive.
    let mut behind = 0u64;
    let mut admission = Admission::new(peer_name);
    let result = loop {
        tokio::select! {
            msg = rd.recv(DEAD_AFTER) => match msg {
                Err(e) => break Err(e),
                Ok(None) => break Ok(()),
                Ok(Some(Message::Want { have })) => {
                    if let Some(&mine) = have.get(&me) {
                        desk.own_history_at_least(mine);
                    }
                    behind = outbox::missing(&version_vector(desk).await?, &have);
                    report.behind(behind);
                    peer.said(have);
                }
                Ok(Some(Message::Events { events, heads })) => {
                    // Heads whose signature does not check are dropped, and said so.
                    let good: Vec<_> = heads
                        .into_iter()
                        .filter(|h| match super::trust::Endorsement::check_head(h, authority) {
                            Ok(()) => true,
                            Err(e) => {
                                tracing::warn!("head of {} at {} refused: {e}", h.console, h.seq);
                                false
                            }
                        })
                        .collect();
                    peer.sent_us(&events);
                    if behind > 0 {
                        behind = behind.saturating_sub(events.len() as u64);
                        report.behind(behind);
                    }
                    let held = held_of(desk, peer_name, &events).await?;
                    let events = match admission.admit(events, &good, &|c| held.get(c).cloned().unwrap_or_default()) {
                        Ok(events) => events,
                        Err(refused) => {
                            tracing::error!("{}", refused.reason);
                            if let Some(fork) = refused.fork {
                                desk.keep_fork(*fork);
                            }
                            break Err(ConnError::Refused(refused.reason));
                        }
                    };
                    writing.push_back(desk.queue_received_with(events, good));
                    if let Err(e) = settle(&mut writing).await {
                        break Err(e);
                    }
                }
                Ok(Some(Message::Heartbeat { clock_ms })) => {
                    let skew = clock_ms.saturating_sub(now_ms());
                    report.skew(skew);
                    if let Err(far) = super::skew::check(desk, skew) {
                        break Err(far.into());
                    }
                    if let Ok(Some(name)) = desk.store().revoked(cert) {
                        break Err(ConnError::Refused(format!("the certificate of `{name}` was revoked")));
                    }
                }
                Ok(Some(Message::Refuse { reason })) => break Err(ConnError::Refused(reason)),
                Ok(Some(other)) => break Err(ConnError::Unexpected(other.kind())),
            },
            w = &mut sender.0 => break match w {
                Ok(r) => r,
                Err(e) => Err(ConnError::Frame(e.to_string())),
            },
        }
    };
    drop(sender);
    // What was received is kept: wait for the store to take it before going.
    while let Some(r) = writing.pop_front() {
        let _ = r.await;
    }
    result
}

/// Wrong credentials one submitter connection may send; after the last it is closed.
const WRONG_CREDENTIALS: u32 = 3;

/// The operator a submission acts as, once `credential` proves them against this
/// console's operators (`config::credential::authenticate`, run off the async threads:
/// argon2 is slow). Every submission passes here, so a submitter proved some other way
/// is let through in this one place. A refusal is logged with the peer's address.
async fn acting(
    desk: &Desk,
    peer: &str,
    operator: &str,
    credential: Option<Credential>,
) -> Result<Result<Operator, AuthError>, ConnError> {
    let settings = desk.settings();
    // The roster in force here, events included: a PIN reset or a disabling made on any
    // console counts as soon as its event has arrived.
    let op = match desk.operator(operator) {
        Ok(op) => op,
        Err(e) => {
            tracing::warn!("{peer}: submission as unknown operator `{operator}` refused");
            return Ok(Err(AuthError::Unknown(e)));
        }
    };
    let console = settings.console.name.clone();
    let checked = tokio::task::spawn_blocking(move || authenticate(&op, &console, credential.as_ref()).map(|()| op))
        .await
        .map_err(|e| ConnError::Frame(e.to_string()))?;
    if let Err(e) = &checked {
        tracing::warn!("{peer}: submission as operator `{operator}` refused: {e}");
    }
    Ok(checked)
}

/// Serves a submitter until it hangs up, or until it has sent [`WRONG_CREDENTIALS`]
/// wrong PINs or tokens.
pub async fn serve_submitter(conn: &mut Conn, desk: &Desk, who: &Endorsement) -> Result<(), ConnError> {
    let mut wrong = 0;
    // A monitoring tool enrolled as a submitter acts as itself, and may only submit.
    let tool = (who.role == Role::Submitter).then(|| Operator {
        id: who.name.clone(),
        name: who.name.clone(),
        role: crate::domain::role::Role::Operator,
        pin: None,
        token: None,
        disabled: false,
    });
    loop {
        let reply = match conn.recv(Duration::from_secs(60)).await? {
            None => return Ok(()),
            Some(Message::Command { id, .. }) if tool.is_some() => Message::Answer {
                id,
                result: Err(format!("`{}` is enrolled as a monitoring tool: it may only submit items", who.name)),
            },
            Some(Message::Submit { id, operator, credential, items }) => {
                let acting = match &tool {
                    Some(op) => Ok(op.clone()),
                    None => acting(desk, &conn.peer, &operator, credential).await?,
                };
                match acting {
                    Err(e) => {
                        wrong += u32::from(matches!(e, AuthError::Wrong { .. }));
                        Message::Ack { id, new: 0, duplicates: 0, refused: vec![e.to_string()] }
                    }
                    Ok(op) => {
                        let cmds = items.into_iter().map(|item| Command::ReceiveItem { item }).collect();
                        let answers = desk.submit(&op, cmds).await.unwrap_or_default();
                        let (mut new, mut duplicates, mut refused) = (0, 0, Vec::new());
                        for a in answers {
                            match a {
                                Ok(evs) if crate::domain::event::received(&evs) => new += 1,
                                Ok(_) | Err(Refusal::Duplicate(_)) => duplicates += 1,
                                Err(e) => refused.push(e.to_string()),
                            }
                        }
                        Message::Ack { id, new, duplicates, refused }
                    }
                }
            }
            Some(Message::Command { id, operator, credential, command }) => {
                let result = match acting(desk, &conn.peer, &operator, credential).await? {
                    Err(e) => {
                        wrong += u32::from(matches!(e, AuthError::Wrong { .. }));
                        Err(e.to_string())
                    }
                    Ok(op) => desk.run(&op, command).await.map_err(|e| e.to_string()),
                };
                Message::Answer { id, result }
            }
            Some(Message::Heartbeat { .. }) => continue,
            Some(other) => return Err(ConnError::Unexpected(other.kind())),
        };
        conn.send(&reply).await?;
        if wrong >= WRONG_CREDENTIALS {
            tracing::warn!("{}: {wrong} wrong PINs or tokens; connection closed", conn.peer);
            conn.send(&Message::Refuse { reason: format!("{wrong} wrong PINs or tokens; connection closed") }).await?;
            return Ok(());
        }
    }
}
