//! A session after the handshake. Between consoles: each side states its version
//! vector, receives what it lacks in order, then both push live events; heartbeats
//! show the other side is alive, and the version vectors are exchanged again now and
//! then, so a gap left by a broken transfer is filled. From a submitter: items and
//! commands, each answered once durable.

use super::conn::{Conn, ConnError, Writer};
use super::message::{BATCH, Message};
use crate::desk::Desk;
use crate::domain::command::Command;
use crate::store::Refusal;
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;

pub const HEARTBEAT: Duration = Duration::from_secs(2);
/// No message for this long: the peer is dead.
pub const DEAD_AFTER: Duration = Duration::from_secs(10);
const ANTI_ENTROPY: Duration = Duration::from_secs(15);

/// Progress a session reports to the node.
pub trait Report: Send + Sync {
    /// Events the peer holds that we do not.
    fn behind(&self, n: u64);
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

/// Queues everything beyond `have` for sending, in batches, in order per console.
async fn catch_up(out: mpsc::Sender<Message>, desk: Desk, mut have: BTreeMap<String, u64>) -> Result<(), ConnError> {
    loop {
        let (d, h) = (desk.clone(), have.clone());
        let batch = blocking(move || d.store().events_since(&h, BATCH)).await?;
        let done = batch.len() < BATCH;
        for e in &batch {
            let h = have.entry(e.id.console.clone()).or_insert(0);
            *h = (*h).max(e.id.seq);
        }
        if !batch.is_empty() && out.send(Message::Events { events: batch }).await.is_err() {
            return Ok(());
        }
        if done {
            return Ok(());
        }
    }
}

/// Sends queued messages until the queue closes or the peer is gone.
async fn pump(mut wr: Writer, mut rx: mpsc::Receiver<Message>) -> Result<(), ConnError> {
    while let Some(m) = rx.recv().await {
        wr.send(&m).await?;
    }
    Ok(())
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
    let (out, rx) = mpsc::channel::<Message>(16);
    let mut writer = tokio::spawn(pump(wr, rx));
    let mut catching: Option<tokio::task::JoinHandle<Result<(), ConnError>>> = None;
    let send = |m: Message| {
        let out = out.clone();
        async move { out.send(m).await.map_err(|_| ConnError::Closed) }
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
                    report.behind(missing(&have, &version_vector(desk).await?));
                    if let Some(old) = catching.take() {
                        old.abort();
                    }
                    catching = Some(tokio::spawn(catch_up(out.clone(), desk.clone(), have)));
                }
                Ok(Some(Message::Events { events })) => {
                    if let Err(e) = desk.receive(events).await {
                        break Err(ConnError::Frame(e));
                    }
                }
                Ok(Some(Message::Heartbeat { .. })) => {}
                Ok(Some(Message::Refuse { reason })) => break Err(ConnError::Refused(reason)),
                Ok(Some(other)) => break Err(ConnError::Unexpected(other.kind())),
            },
            ev = live.recv() => match ev {
                Ok(first) => {
                    let mut events = vec![(*first).clone()];
                    while events.len() < BATCH {
                        match live.try_recv() {
                            Ok(e) => events.push((*e).clone()),
                            Err(_) => break,
                        }
                    }
                    send(Message::Events { events }).await?;
                }
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!("{}: {n} live events skipped; asking for a catch-up", rd.peer);
                    send(Message::Want { have: version_vector(desk).await? }).await?;
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
