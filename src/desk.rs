//! The desk: the one handle through which the console, the command line and ingest
//! act. It owns the store's single writer on its own thread (sled calls block, so they
//! never run on the UI task), groups whatever commands are waiting into one atomic
//! batch and one flush, answers each sender after the flush, and broadcasts every
//! applied event to subscribers so screens update live.

use crate::config::Settings;
use crate::domain::clock::Clock;
use crate::domain::codec::Recorded;
use crate::domain::command::Command;
use crate::domain::event::{Event, EventId};
use crate::domain::role::Operator;
use crate::store::{Refusal, Store, StoreError, Writer};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use tokio::sync::{broadcast, oneshot};

/// The answer to one command: its events, or why nothing was written.
pub type Answer = Result<Vec<Event>, Refusal>;

/// Work for the writer thread.
enum Job {
    /// Commands from a person, answered one by one.
    Commands { operator: Operator, commands: Vec<Command>, reply: oneshot::Sender<Vec<Answer>> },
    /// Events made elsewhere (a peer), as recorded; answered with the ids of those that
    /// were new.
    /// With them, signed heads from the peer (signatures checked), kept in the same
    /// commit so that a session woken by these events finds the heads too.
    Receive {
        events: Vec<Recorded>,
        heads: Vec<crate::store::Head>,
        reply: oneshot::Sender<Result<Vec<EventId>, String>>,
    },
    /// Answered once every job queued before it is done.
    Barrier { reply: oneshot::Sender<()> },
    /// Signs this console's history from now on (taken by the writer).
    Sign { signer: Option<crate::store::Signer> },
    /// A fork found by a session (relayed events against a signed head), to keep.
    Fork { fork: crate::store::Fork },
}

impl Job {
    fn size(&self) -> usize {
        match self {
            Job::Commands { commands, .. } => commands.len(),
            Job::Receive { events, .. } => events.len(),
            Job::Barrier { .. } | Job::Sign { .. } | Job::Fork { .. } => 0,
        }
    }
}

/// Shared handle; clone freely.
#[derive(Clone)]
pub struct Desk {
    store: Store,
    jobs: mpsc::Sender<Job>,
    events: broadcast::Sender<Arc<Event>>,
    settings: Arc<Settings>,
    clock: Arc<dyn Clock>,
    /// The highest sequence number of this console's own events that a peer holds:
    /// until the store has caught up to it, new commands would reuse numbers.
    own_history: Arc<AtomicU64>,
    /// Forks refused so far (the console header shows them).
    forks: Arc<std::sync::atomic::AtomicUsize>,
}

/// Most commands one group commit takes before it flushes.
const GROUP_LIMIT: usize = 4096;

impl Desk {
    /// Starts the writer thread for `store`.
    pub fn start(store: Store, settings: Arc<Settings>, clock: Arc<dyn Clock>) -> Result<Desk, StoreError> {
        Desk::start_signed(store, settings, clock, None)
    }

    /// Starts the writer thread; with `signer`, this console's history is signed at
    /// each commit (see `store::heads`).
    pub fn start_signed(
        store: Store,
        settings: Arc<Settings>,
        clock: Arc<dyn Clock>,
        signer: Option<crate::store::Signer>,
    ) -> Result<Desk, StoreError> {
        let mut writer = Writer::new(store.clone(), &settings.console.name)?;
        writer.set_reserve(settings.console.disk_reserve_mb);
        let refolded = writer.refold_if_rules_changed()?;
        writer.commit()?;
        if refolded > 0 {
            tracing::info!("refolded {refolded} cases under this version's rules");
        }
        if let Some(s) = signer {
            writer.set_signer(s)?;
            // History written before this signer (unsigned, or by an earlier enrolment)
            // is signed now, so relays can vouch for it even if this console stays quiet.
            if let Err(e) = writer.commit() {
                tracing::warn!("could not sign this console's history yet: {e}");
                writer.rollback()?;
            }
        }
        writer.set_clock_bound(settings.console.clock_bound_ms(store.realm()));
        let (jobs, rx) = mpsc::channel::<Job>();
        let (events, _) = broadcast::channel(1 << 16);
        let own_history = Arc::new(AtomicU64::new(0));
        let forks = Arc::new(std::sync::atomic::AtomicUsize::new(writer.forks()));
        let tx = events.clone();
        let (s, c, h, f) = (settings.clone(), clock.clone(), own_history.clone(), forks.clone());
        std::thread::Builder::new()
            .name("yuqing-writer".into())
            .spawn(move || {
                run_writer(&mut writer, rx, tx, &s, c.as_ref(), &h, &f);
            })
            .map_err(|e| StoreError::Open { path: store.path().to_path_buf(), source: e.into() })?;
        Ok(Desk { store, jobs, events, settings, clock, own_history, forks })
    }

    /// Sends commands as `operator`; the reply comes once they are durable.
    pub fn submit(&self, operator: &Operator, commands: Vec<Command>) -> oneshot::Receiver<Vec<Answer>> {
        let (reply, rx) = oneshot::channel();
        let n = commands.len();
        let job = Job::Commands { operator: operator.clone(), commands, reply };
        if let Err(mpsc::SendError(Job::Commands { reply, .. })) = self.jobs.send(job) {
            let _ = reply.send(vec![Err(Refusal::Store("the store is closed".into())); n]);
        }
        rx
    }

    /// Queues events from a peer; the answer (the ids of the new ones) comes once they
    /// are durable. Several batches may be queued at once and share a commit.
    pub fn queue_received(&self, events: Vec<Recorded>) -> oneshot::Receiver<Result<Vec<EventId>, String>> {
        self.queue_received_with(events, Vec::new())
    }

    /// Like [`Desk::queue_received`], with the signed heads that came with the events
    /// (their signatures checked by the caller), kept in the same commit if newer.
    pub fn queue_received_with(
        &self,
        events: Vec<Recorded>,
        heads: Vec<crate::store::Head>,
    ) -> oneshot::Receiver<Result<Vec<EventId>, String>> {
        let (reply, rx) = oneshot::channel();
        if let Err(mpsc::SendError(Job::Receive { reply, .. })) = self.jobs.send(Job::Receive { events, heads, reply })
        {
            let _ = reply.send(Err("the store is closed".to_string()));
        }
        rx
    }

    /// Applies events made elsewhere, recorded afresh; answers with the ids of the new
    /// ones, once durable.
    pub async fn receive(&self, events: Vec<Event>) -> Result<Vec<EventId>, String> {
        let recorded =
            events.into_iter().map(Recorded::new).collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
        self.queue_received(recorded).await.map_err(|_| "the store writer stopped".to_string())?
    }

    /// A peer holds this console's own events up to `seq`: new commands wait (are
    /// refused) until they have arrived here, so no number is used twice.
    pub fn own_history_at_least(&self, seq: u64) {
        self.own_history.fetch_max(seq, Ordering::Relaxed);
    }

    /// Events refused so far because they came on another history of their console.
    pub fn forks(&self) -> usize {
        self.forks.load(Ordering::Relaxed)
    }

    /// Signs this console's history from now on, its earlier history included (see
    /// `store::heads`): what a node does when it starts with this console's credentials,
    /// since peers store relayed events only once a signed head covers them. Returns
    /// once the head is written (or refused, as a commit is).
    pub async fn sign_with(&self, signer: crate::store::Signer) {
        if self.jobs.send(Job::Sign { signer: Some(signer) }).is_ok() {
            self.drain().await;
        }
    }

    /// The deployment's operators: as the roster events set them, over the seed in
    /// `operators.toml` (an operator no event named yet is the file's). Read afresh each
    /// time, so a change made on any console counts here as soon as its event arrives.
    pub fn operators(&self) -> Vec<Operator> {
        let roster = self.store.roster().unwrap_or_else(|e| {
            tracing::error!("cannot read the operator roster: {e}");
            Vec::new()
        });
        crate::domain::role::with_roster(&self.settings.operators, roster)
    }

    /// The operator `id` (see [`Desk::operators`]); the error lists the known ids.
    pub fn operator(&self, id: &str) -> Result<Operator, String> {
        let all = self.operators();
        match all.iter().find(|o| o.id == id) {
            Some(o) => Ok(o.clone()),
            None => {
                let ids: Vec<&str> = all.iter().map(|o| o.id.as_str()).collect();
                Err(format!("unknown operator `{id}`; known: {}", ids.join(", ")))
            }
        }
    }

    /// Keeps a fork a session found (relayed events that contradict their author's
    /// signed head), so it is counted and shown with the others.
    pub fn keep_fork(&self, fork: crate::store::Fork) {
        let _ = self.jobs.send(Job::Fork { fork });
    }

    /// Waits until everything queued before this call is committed or refused: what a
    /// stopping hub does before it exits.
    pub async fn drain(&self) {
        let (reply, rx) = oneshot::channel();
        if self.jobs.send(Job::Barrier { reply }).is_ok() {
            let _ = rx.await;
        }
    }

    /// Runs commands and waits (blocking) for their answers. Not for async tasks.
    pub fn run_blocking(&self, operator: &Operator, commands: Vec<Command>) -> Vec<Answer> {
        let n = commands.len();
        self.submit(operator, commands)
            .blocking_recv()
            .unwrap_or_else(|_| vec![Err(Refusal::Store("the store writer stopped".into())); n])
    }

    /// Runs one command and waits for its answer.
    pub async fn run(&self, operator: &Operator, command: Command) -> Answer {
        match self.submit(operator, vec![command]).await {
            Ok(mut v) if !v.is_empty() => v.remove(0),
            _ => Err(Refusal::Store("the store writer stopped".into())),
        }
    }

    /// Every event applied from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.events.subscribe()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }
}

/// What a job produced before the commit.
enum Done {
    Answers(Vec<Answer>),
    /// The events that were new, or why receiving stopped.
    Received(Result<Vec<Event>, String>),
    Nothing,
}

/// Decides, applies and commits groups of jobs until every desk is dropped.
fn run_writer(
    writer: &mut Writer,
    rx: mpsc::Receiver<Job>,
    events: broadcast::Sender<Arc<Event>>,
    settings: &Settings,
    clock: &dyn Clock,
    own_history: &AtomicU64,
    forks: &std::sync::atomic::AtomicUsize,
) {
    // Set when a commit failed half-way: what sled holds is then uncertain, so nothing
    // more is written until the store is opened again (and checked) by a restart.
    let mut broken: Option<String> = None;
    while let Ok(first) = rx.recv() {
        let mut count = first.size();
        let mut group = vec![first];
        while count < GROUP_LIMIT {
            match rx.try_recv() {
                Ok(job) => {
                    count += job.size();
                    group.push(job);
                }
                Err(_) => break,
            }
        }
        if let Some(why) = &broken {
            refuse(group, why);
            continue;
        }
        let now = clock.now();
        let results: Vec<Done> = group.iter_mut().map(|job| run_job(writer, job, settings, now, own_history)).collect();
        match writer.commit() {
            Ok(()) => {
                forks.store(writer.forks(), Ordering::Relaxed);
                answer(group, results, &events)
            }
            Err(StoreError::LowSpace(low)) => {
                // Nothing was applied: drop the group's changes and go on reading.
                tracing::warn!("{low}");
                if let Err(e) = writer.rollback() {
                    tracing::error!("cannot reload the writer: {e}");
                    broken = Some(format!("not saved: the store cannot be read back ({e}); restart yuqing"));
                }
                refuse(group, &low.to_string());
            }
            Err(e) => {
                tracing::error!("commit failed: {e}; no more writes until restart");
                let why = format!(
                    "not saved: writing to the store failed ({e}); this console writes nothing more until it is \
                     restarted (`yuqing verify` then checks the store)"
                );
                refuse(group, &why);
                broken = Some(why);
            }
        }
    }
}

/// Decides and applies one job against the writer's pending state.
fn run_job(
    writer: &mut Writer,
    job: &mut Job,
    settings: &Settings,
    now: chrono::DateTime<chrono::Utc>,
    own_history: &AtomicU64,
) -> Done {
    match job {
        Job::Commands { operator, commands, .. } => {
            let (me, seq) = writer.own();
            let expected = own_history.load(Ordering::Relaxed);
            if seq < expected {
                let why = format!(
                    "not saved: console {me}'s own earlier events are still arriving from its peers \
                     ({seq} of {expected}); try again when it has caught up"
                );
                return Done::Answers(vec![Err(Refusal::Store(why)); commands.len()]);
            }
            Done::Answers(
                commands
                    .iter()
                    .map(|c| writer.execute(operator, now, &settings.policy, &settings.directory, c))
                    .collect(),
            )
        }
        Job::Receive { events, heads, .. } => {
            let mut fresh = Vec::new();
            for rec in events {
                match writer.receive_at(rec, now) {
                    Ok(true) => fresh.push(rec.event().clone()),
                    Ok(false) => {}
                    Err(e) => return Done::Received(Err(e.to_string())),
                }
            }
            for h in heads {
                if let Err(e) = writer.keep_head(h) {
                    return Done::Received(Err(e.to_string()));
                }
            }
            Done::Received(Ok(fresh))
        }
        Job::Barrier { .. } => Done::Nothing,
        Job::Sign { signer } => {
            if let Some(s) = signer.take()
                && let Err(e) = writer.set_signer(s)
            {
                tracing::error!("cannot sign this console's history: {e}");
            }
            Done::Nothing
        }
        Job::Fork { fork } => {
            if let Err(e) = writer.keep_fork(fork.clone()) {
                tracing::error!("cannot keep fork {}: {e}", fork.event);
            }
            Done::Nothing
        }
    }
}

/// Answers every job of a group that was not written.
fn refuse(group: Vec<Job>, why: &str) {
    for job in group {
        match job {
            Job::Commands { commands, reply, .. } => {
                let _ = reply.send(vec![Err(Refusal::Store(why.to_string())); commands.len()]);
            }
            Job::Receive { reply, .. } => {
                let _ = reply.send(Err(why.to_string()));
            }
            Job::Barrier { reply } => {
                let _ = reply.send(());
            }
            Job::Sign { .. } | Job::Fork { .. } => {}
        }
    }
}

/// Answers every job of a committed group and broadcasts what it applied.
fn answer(group: Vec<Job>, results: Vec<Done>, events: &broadcast::Sender<Arc<Event>>) {
    for (job, result) in group.into_iter().zip(results) {
        match (job, result) {
            (Job::Commands { reply, .. }, Done::Answers(answers)) => {
                // Copies for the screens only when a screen listens (`yuqing ingest` has none).
                if events.receiver_count() > 0 {
                    for ev in answers.iter().flatten().flatten() {
                        let _ = events.send(Arc::new(ev.clone()));
                    }
                }
                let _ = reply.send(answers);
            }
            (Job::Receive { reply, .. }, Done::Received(received)) => {
                let answer = received.map(|fresh| {
                    fresh
                        .into_iter()
                        .map(|ev| {
                            let id = ev.id.clone();
                            let _ = events.send(Arc::new(ev));
                            id
                        })
                        .collect()
                });
                let _ = reply.send(answer);
            }
            (Job::Barrier { reply }, _) => {
                let _ = reply.send(());
            }
            (Job::Sign { .. } | Job::Fork { .. }, _) => {}
            _ => unreachable!("results follow their jobs"),
        }
    }
}
