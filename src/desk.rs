//! The desk: the one handle through which the console, the command line and ingest
//! act. It owns the store's single writer on its own thread (sled calls block, so they
//! never run on the UI task), groups whatever commands are waiting into one atomic
//! batch and one flush, answers each sender after the flush, and broadcasts every
//! applied event to subscribers so screens update live.

use crate::config::Settings;
use crate::domain::clock::Clock;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::role::Operator;
use crate::store::{Refusal, Store, StoreError, Writer};
use std::sync::{Arc, mpsc};
use tokio::sync::{broadcast, oneshot};

/// The answer to one command: its events, or why nothing was written.
pub type Answer = Result<Vec<Event>, Refusal>;

struct Job {
    operator: Operator,
    commands: Vec<Command>,
    reply: oneshot::Sender<Vec<Answer>>,
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
        let (events, _) = broadcast::channel(4096);
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
        let job = Job { operator: operator.clone(), commands, reply };
        if let Err(mpsc::SendError(job)) = self.jobs.send(job) {
            let n = job.commands.len();
            let _ = job.reply.send(vec![Err(Refusal::Store("the store is closed".into())); n]);
        }
        rx
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

fn run_writer(
    writer: &mut Writer,
    rx: mpsc::Receiver<Job>,
    events: broadcast::Sender<Arc<Event>>,
    settings: &Settings,
    clock: &dyn Clock,
) {
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        let mut count = group[0].commands.len();
        while count < GROUP_LIMIT {
            match rx.try_recv() {
                Ok(job) => {
                    count += job.commands.len();
                    group.push(job);
                }
                Err(_) => break,
            }
        }
        let now = clock.now();
        let answers: Vec<Vec<Answer>> = group
            .iter()
            .map(|job| {
                job.commands
                    .iter()
                    .map(|c| writer.execute(&job.operator, now, &settings.policy, &settings.directory, c))
                    .collect()
            })
            .collect();
        let answers = match writer.commit() {
            Ok(()) => answers,
            Err(e) => {
                tracing::error!("commit failed: {e}");
                if let Err(e) = writer.rollback() {
                    tracing::error!("cannot reload the writer: {e}");
                }
                let msg = format!("not saved: {e}");
                answers.iter().map(|a| vec![Err(Refusal::Store(msg.clone())); a.len()]).collect()
            }
        };
        for (job, answer) in group.into_iter().zip(answers) {
            for ev in answer.iter().flatten().flatten() {
                let _ = events.send(Arc::new(ev.clone()));
            }
            let _ = job.reply.send(answer);
        }
    }
}
