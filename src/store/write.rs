//! The write path. One [`Writer`] per store, on one thread: it decides commands
//! against the state, stamps the events, folds them into the projections and writes
//! log, indexes and projections in one atomic sled batch, then flushes once for the
//! whole group before anyone is answered.

use super::keys::{self, key};
use super::{Store, StoreError};
use crate::domain::apply::{apply_case, apply_item};
use crate::domain::case::Case;
use crate::domain::command::Command;
use crate::domain::decide::{Context, DomainError, View, decide};
use crate::domain::department::Directory;
use crate::domain::event::{Aggregate, Event, EventBody, OrderKey, SCHEMA_VERSION};
use crate::domain::hlc::Stamp;
use crate::domain::item::{Item, ItemStatus};
use crate::domain::policy::Policy;
use crate::domain::role::Operator;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Why a command wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The item was received before, under this number.
    #[error("already received as {0}")]
    Duplicate(String),
    #[error("{0}")]
    Store(String),
}

/// Pending writes of one group, read through before the database.
#[derive(Default)]
struct Overlay {
    puts: HashMap<Vec<u8>, Option<Vec<u8>>>,
}

impl Overlay {
    fn put(&mut self, k: Vec<u8>, v: Vec<u8>) {
        self.puts.insert(k, Some(v));
    }
    fn del(&mut self, k: Vec<u8>) {
        self.puts.insert(k, None);
    }
}

/// The single writer of a store, with the console's own counters.
pub struct Writer {
    store: Store,
    console: String,
    seq: u64,
    stamp: Stamp,
    case_ctr: u64,
    item_ctr: u64,
    overlay: Overlay,
}

struct OverlayView<'a> {
    w: &'a Writer,
}

impl View for OverlayView<'_> {
    fn item(&self, id: &str) -> Option<Item> {
        self.w.load(&key(keys::ITEM, id.as_bytes()))
    }
    fn case(&self, no: &str) -> Option<Case> {
        self.w.load(&key(keys::CASE, no.as_bytes()))
    }
}

impl Writer {
    /// Takes the write side of `store` for console `console`.
    pub fn new(store: Store, console: &str) -> Result<Writer, StoreError> {
        let db = &store.db;
        let seq = keys::be_u64(db.get(key(keys::VERSION, console.as_bytes()))?.as_deref());
        let case_ctr = keys::be_u64(db.get(keys::counter("case", console))?.as_deref());
        let item_ctr = keys::be_u64(db.get(keys::counter("item", console))?.as_deref());
        let stamp = match db.scan_prefix(keys::LOG).keys().next_back() {
            Some(k) => OrderKey::from_bytes(&k?[keys::LOG.len()..]).map(|o| o.0).unwrap_or_default(),
            None => Stamp::default(),
        };
        Ok(Writer { store, console: console.to_string(), seq, stamp, case_ctr, item_ctr, overlay: Overlay::default() })
    }

    fn get(&self, k: &[u8]) -> Option<Vec<u8>> {
        match self.overlay.puts.get(k) {
            Some(v) => v.clone(),
            None => self.store.db.get(k).ok().flatten().map(|v| v.to_vec()),
        }
    }

    fn load<T: serde::de::DeserializeOwned>(&self, k: &[u8]) -> Option<T> {
        self.get(k).and_then(|v| serde_json::from_slice(&v).ok())
    }

    /// Decides and applies `cmds` as `op` at `now`; nothing is durable until [`Writer::commit`].
    pub fn execute(
        &mut self,
        op: &Operator,
        now: DateTime<Utc>,
        policy: &Policy,
        directory: &Directory,
        cmd: &Command,
    ) -> Result<Vec<Event>, Refusal> {
        if let Command::ReceiveItem { item } = cmd {
            if let Some(existing) = self.get(&keys::dedup(&item.dedup_key())) {
                return Err(Refusal::Duplicate(String::from_utf8_lossy(&existing).into_owned()));
            }
        }
        let ctx = Context {
            operator: op,
            now,
            policy,
            directory,
            next_case_no: format!("{}-{:04}", self.console, self.case_ctr + 1),
            next_item_id: format!("{}.{}", self.console, self.item_ctr + 1),
        };
        let bodies = decide(&OverlayView { w: self }, &ctx, cmd)?;
        let mut out = Vec::with_capacity(bodies.len());
        for body in bodies {
            self.seq += 1;
            self.stamp = self.stamp.tick(now);
            match &body {
                EventBody::CaseOpened { .. } => self.case_ctr += 1,
                EventBody::ItemReceived { .. } => self.item_ctr += 1,
                _ => {}
            }
            let ev = Event {
                id: crate::domain::event::EventId { console: self.console.clone(), seq: self.seq },
                stamp: self.stamp,
                operator: op.id.clone(),
                realm: self.store.realm.clone(),
                v: SCHEMA_VERSION,
                body,
            };
            self.apply(&ev).map_err(|e| Refusal::Store(e.to_string()))?;
            out.push(ev);
        }
        self.overlay.put(keys::counter("case", &self.console), self.case_ctr.to_be_bytes().to_vec());
        self.overlay.put(keys::counter("item", &self.console), self.item_ctr.to_be_bytes().to_vec());
        Ok(out)
    }

    /// Applies an event made elsewhere (a peer); false if it was already here.
    pub fn receive(&mut self, ev: &Event) -> Result<bool, StoreError> {
        if self.get(&keys::event_id(&ev.id)).is_some() {
            return Ok(false);
        }
        self.stamp = self.stamp.observe(ev.stamp);
        self.apply(ev)?;
        Ok(true)
    }

    /// Writes the event, its indexes and the projections it changes into the overlay.
    fn apply(&mut self, ev: &Event) -> Result<(), StoreError> {
        let ok = ev.order_key().to_bytes();
        let json = serde_json::to_vec(ev).map_err(|e| StoreError::Corrupt { key: ev.id.to_string(), error: e.to_string() })?;
        self.overlay.put(key(keys::LOG, &ok), json);
        self.overlay.put(keys::event_id(&ev.id), ok.clone());
        let vkey = key(keys::VERSION, ev.id.console.as_bytes());
        if keys::be_u64(self.get(&vkey).as_deref()) < ev.id.seq {
            self.overlay.put(vkey, ev.id.seq.to_be_bytes().to_vec());
        }
        if let EventBody::ItemReceived { id, item } = &ev.body {
            let dk = keys::dedup(&item.dedup_key());
            if self.get(&dk).is_none() {
                self.overlay.put(dk, id.as_bytes().to_vec());
            }
        }
        for agg in ev.body.aggregates() {
            let ak = agg.key();
            let mut idx = keys::agg_prefix(&ak);
            idx.extend_from_slice(&ok);
            self.overlay.put(idx, Vec::new());
            let last = self.get(&keys::agg_last(&ak));
            let in_order = last.as_deref().is_none_or(|l| l < ok.as_slice());
            match &agg {
                Aggregate::Item(id) => {
                    let k = key(keys::ITEM, id.as_bytes());
                    let next = if in_order { apply_item(self.load(&k), ev) } else { self.refold(&ak, apply_item)? };
                    self.put_item(id, next);
                }
                Aggregate::Case(no) => {
                    let k = key(keys::CASE, no.as_bytes());
                    let next = if in_order { apply_case(self.load(&k), ev) } else { self.refold(&ak, apply_case)? };
                    self.put_case(no, next);
                }
            }
            if in_order {
                self.overlay.put(keys::agg_last(&ak), ok.clone());
            }
        }
        Ok(())
    }

    /// Folds an aggregate from scratch over all its indexed events, in order.
    fn refold<T>(&self, agg: &str, f: fn(Option<T>, &Event) -> Option<T>) -> Result<Option<T>, StoreError> {
        let prefix = keys::agg_prefix(agg);
        let mut order: Vec<Vec<u8>> = Vec::new();
        for k in self.store.db.scan_prefix(&prefix).keys() {
            order.push(k?[prefix.len()..].to_vec());
        }
        for (k, v) in &self.overlay.puts {
            if v.is_some() && k.starts_with(&prefix) {
                order.push(k[prefix.len()..].to_vec());
            }
        }
        order.sort();
        order.dedup();
        let mut state = None;
        for ok in order {
            let lk = key(keys::LOG, &ok);
            let ev: Event = self.load(&lk).ok_or_else(|| StoreError::Corrupt {
                key: String::from_utf8_lossy(&lk).into_owned(),
                error: "indexed event missing from the log".into(),
            })?;
            state = f(state, &ev);
        }
        Ok(state)
    }

    fn put_item(&mut self, id: &str, item: Option<Item>) {
        let Some(item) = item else { return };
        let q = key(keys::QUEUE, id.as_bytes());
        if item.status == ItemStatus::New {
            self.overlay.put(q, Vec::new());
        } else {
            self.overlay.del(q);
        }
        self.overlay.put(key(keys::ITEM, id.as_bytes()), serde_json::to_vec(&item).unwrap_or_default());
    }

    fn put_case(&mut self, no: &str, case: Option<Case>) {
        let Some(case) = case else { return };
        let o = key(keys::OPEN, no.as_bytes());
        if case.is_open() {
            self.overlay.put(o, Vec::new());
        } else {
            self.overlay.del(o);
        }
        self.overlay.put(key(keys::CASE, no.as_bytes()), serde_json::to_vec(&case).unwrap_or_default());
    }

    /// Writes everything pending in one atomic batch and flushes it to disk.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        if self.overlay.puts.is_empty() {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        for (k, v) in self.overlay.puts.drain() {
            match v {
                Some(v) => batch.insert(k, v),
                None => batch.remove(k),
            }
        }
        self.store.db.apply_batch(batch)?;
        self.store.db.flush()?;
        Ok(())
    }

    /// Drops everything pending (after a failed commit) and reloads the counters.
    pub fn rollback(&mut self) -> Result<(), StoreError> {
        self.overlay.puts.clear();
        *self = Writer::new(self.store.clone(), &self.console.clone())?;
        Ok(())
    }
}
