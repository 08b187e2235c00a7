//! The desk: the one handle through which the console, the command line and ingest
//! act. It owns the store's single writer on its own thread (sled calls block, so they
//! never run on the UI task), groups whatever commands are waiting into one atomic
//! batch and one flush, answers each sender after the flush, and broadcasts every
//! applied event to subscribers so screens update live.

use crate::config::Settings;
use crate::domain::clock::Clock;
use crate::domain::command::Command;
use crate::domain::event::{Event, EventId};
use crate::domain::role::Operator;
use crate::store::{Refusal, Store, StoreError, Writer};
use std::sync::{Arc, mpsc};
use tokio::sync::{broadcast, oneshot};

/// The answer to one command: its events, or why nothing was written.
pub type Answer = Result<Vec<Event>, Refusal>;

/// Work for the writer thread.
enum Job {
    /// Commands from a person, answered one by one.
    Commands { operator: Operator, commands: Vec<Command>, reply: oneshot::Sender<Vec<Answer>> },
    /// Events made elsewhere (a peer); answered with the ids of those that were new.
    Receive { events: Vec<Event>, reply: oneshot::Sender<Result<Vec<EventId>, String>> },
}

impl Job {
    fn size(&self) -> usize {
        match self {
            Job::Commands { commands, .. } => commands.len(),
            Job::Receive { events, .. } => events.len(),
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
}

/// Most commands one group commit takes before it flushes.
const GROUP_LIMIT: usize = 4096;

impl Desk {
    /// Starts the writer thread for `store`.
    pub fn start(store: Store, settings: Arc<Settings>, clock: Arc<dyn Clock>) -> Result<Desk, StoreError> {
        let mut writer = Writer::new(store.clone(), &settings.console.name)?;
        let (jobs, rx) = mpsc::channel::<Job>();
        let (events, _) = broadcast::channel(1 << 16);
        let tx = events.clone();
        let (s, c) = (settings.clone(), clock.clone());
        std::thread::Builder::new()
            .name("yuqing-writer".into())
            .spawn(move || run_writer(&mut writer, rx, tx, &s, c.as_ref()))
            .map_err(|e| StoreError::Open { path: store.path().to_path_buf(), source: e.into() })?;
        Ok(Desk { store, jobs, events, settings, clock })
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
    pub fn queue_received(&self, events: Vec<Event>) -> oneshot::Receiver<Result<Vec<EventId>, String>> {
        let (reply, rx) = oneshot::channel();
        if let Err(mpsc::SendError(Job::Receive { reply, .. })) = self.jobs.send(Job::Receive { events, reply }) {
            let _ = reply.send(Err("the store is closed".to_string()));
        }
        rx
    }

    /// Applies events from a peer; answers with the ids of the new ones, once durable.
    pub async fn receive(&self, events: Vec<Event>) -> Result<Vec<EventId>, String> {
        self.queue_received(events).await.map_err(|_| "the store writer stopped".to_string())?
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
}

fn run_writer(
    writer: &mut Writer,
    rx: mpsc::Receiver<Job>,
    events: broadcast::Sender<Arc<Event>>,
    settings: &Settings,
    clock: &dyn Clock,
) {
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
        let now = clock.now();
        let mut results: Vec<Done> = Vec::with_capacity(group.len());
        for job in &group {
            results.push(match job {
                Job::Commands { operator, commands, .. } => Done::Answers(
                    commands
                        .iter()
                        .map(|c| writer.execute(operator, now, &settings.policy, &settings.directory, c))
                        .collect(),
                ),
                Job::Receive { events, .. } => {
                    let mut fresh = Vec::new();
                    let mut failed = None;
                    for ev in events {
                        match writer.receive(ev) {
                            Ok(true) => fresh.push(ev.clone()),
                            Ok(false) => {}
                            Err(e) => {
                                failed = Some(e.to_string());
                                break;
                            }
                        }
                    }
                    Done::Received(failed.map_or(Ok(fresh), Err))
                }
            });
        }
        if let Err(e) = writer.commit() {
            tracing::error!("commit failed: {e}");
            if let Err(e) = writer.rollback() {
                tracing::error!("cannot reload the writer: {e}");
            }
            let msg = format!("not saved: {e}");
            for (job, _) in group.into_iter().zip(results) {
                match job {
                    Job::Commands { commands, reply, .. } => {
                        let _ = reply.send(vec![Err(Refusal::Store(msg.clone())); commands.len()]);
                    }
                    Job::Receive { reply, .. } => {
                        let _ = reply.send(Err(msg.clone()));
                    }
                }
            }
            continue;
        }
        for (job, result) in group.into_iter().zip(results) {
            match (job, result) {
                (Job::Commands { reply, .. }, Done::Answers(answers)) => {
                    for ev in answers.iter().flatten().flatten() {
                        let _ = events.send(Arc::new(ev.clone()));
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
                _ => unreachable!("results follow their jobs"),
            }
        }
    }
}
