//! The write path. One [`Writer`] per store, on one thread: it decides commands
//! against the state, stamps the events, folds them into the projections and writes
//! log pages, indexes and projections in one atomic sled batch, then flushes once for
//! the whole group before anyone is answered.

use super::keys::{self, key};
use super::dedup::Dedup;
use super::{Store, StoreError};
use crate::domain::apply::{apply_case, apply_item};
use crate::domain::case::Case;
use crate::domain::command::Command;
use crate::domain::decide::{Context, DomainError, View, decide};
use crate::domain::department::Directory;
use crate::domain::event::{Aggregate, Event, EventBody, EventId, SCHEMA_VERSION};
use crate::domain::hlc::Stamp;
use crate::domain::item::{Item, ItemStatus};
use crate::domain::policy::Policy;
use crate::domain::role::Operator;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

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

/// Where an item's projection lives.
enum Place {
    /// Received in this group, still new.
    Fresh,
    /// In a queue page (the page's key).
    Page(Vec<u8>),
    /// Under `i/`.
    Triaged,
}

/// The single writer of a store, with the console's own counters and the writes of
/// the group not yet committed.
pub struct Writer {
    store: Store,
    console: String,
    seq: u64,
    stamp: Stamp,
    case_ctr: u64,
    item_ctr: u64,
    /// Highest sequence held from each console: events above it are new for sure.
    high: HashMap<String, u64>,
    /// Pending key writes (`None` deletes), read through before the database.
    overlay: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// Pending events, written as log pages at commit.
    log: BTreeMap<(String, u64), Event>,
    /// Items received in this group and still new, written as queue pages at commit.
    fresh: BTreeMap<String, Item>,
    /// Fingerprints of items received, loaded on first use.
    dedup: Option<Dedup>,
}

struct WriterView<'a>(&'a Writer);

impl View for WriterView<'_> {
    fn item(&self, id: &str) -> Option<Item> {
        self.0.item(id).ok().flatten().map(|(i, _)| i)
    }
    fn case(&self, no: &str) -> Option<Case> {
        self.0.load(&key(keys::CASE, no.as_bytes())).ok().flatten()
    }
}

impl Writer {
    /// Takes the write side of `store` for console `console`.
    pub fn new(store: Store, console: &str) -> Result<Writer, StoreError> {
        let db = &store.db;
        let case_ctr = keys::be_u64(db.get(keys::counter("case", console))?.as_deref());
        let item_ctr = keys::be_u64(db.get(keys::counter("item", console))?.as_deref());
        let high: HashMap<String, u64> = store.version_vector()?.into_iter().collect();
        let mut stamp = Stamp::default();
        for (c, seq) in &high {
            if let Some(ev) = store.event(&EventId { console: c.clone(), seq: *seq })? {
                stamp = stamp.max(ev.stamp);
            }
        }
        Ok(Writer {
            seq: high.get(console).copied().unwrap_or(0),
            store,
            console: console.to_string(),
            stamp,
            case_ctr,
            item_ctr,
            high,
            overlay: BTreeMap::new(),
            log: BTreeMap::new(),
            fresh: BTreeMap::new(),
            dedup: None,
        })
    }

    fn get(&self, k: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self.overlay.get(k) {
            Some(v) => Ok(v.clone()),
            None => Ok(self.store.db.get(k)?.map(|v| v.to_vec())),
        }
    }

    fn load<T: serde::de::DeserializeOwned>(&self, k: &[u8]) -> Result<Option<T>, StoreError> {
        self.get(k)?.map(|v| super::read::decode(k, &v)).transpose()
    }

    fn item(&self, id: &str) -> Result<Option<(Item, Place)>, StoreError> {
        if let Some(it) = self.fresh.get(id) {
            return Ok(Some((it.clone(), Place::Fresh)));
        }
        if let Some(it) = self.load(&key(keys::ITEM, id.as_bytes()))? {
            return Ok(Some((it, Place::Triaged)));
        }
        let Some((console, n)) = keys::split_item_id(id) else { return Ok(None) };
        let Some(pk) = self.store.page_key(keys::QUEUE, console, n)? else { return Ok(None) };
        let page: Vec<Item> = self.load(&pk)?.unwrap_or_default();
        Ok(page.into_iter().find(|i| i.id == id).map(|i| (i, Place::Page(pk))))
    }

    fn dedup(&mut self) -> Result<&mut Dedup, StoreError> {
        if self.dedup.is_none() {
            self.dedup = Some(Dedup::load(&self.store)?);
        }
        Ok(self.dedup.get_or_insert_with(Dedup::default))
    }

    fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        match self.log.get(&(id.console.clone(), id.seq)) {
            Some(e) => Ok(Some(e.clone())),
            None => self.store.event(id),
        }
    }

    /// Decides and applies `cmd` as `op` at `now`; nothing is durable until [`Writer::commit`].
    pub fn execute(
        &mut self,
        op: &Operator,
        now: DateTime<Utc>,
        policy: &Policy,
        directory: &Directory,
        cmd: &Command,
    ) -> Result<Vec<Event>, Refusal> {
        let store_err = |e: StoreError| Refusal::Store(e.to_string());
        if let Command::ReceiveItem { item } = cmd {
            if let Some(existing) = self.dedup().map_err(store_err)?.get(item.fingerprint()) {
                return Err(Refusal::Duplicate(existing));
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
        let bodies = decide(&WriterView(self), &ctx, cmd)?;
        let mut out = Vec::with_capacity(bodies.len());
        for body in bodies {
            self.seq += 1;
            self.stamp = self.stamp.tick(now);
            match &body {
                EventBody::CaseOpened { .. } => {
                    self.case_ctr += 1;
                    self.overlay.insert(keys::counter("case", &self.console), Some(self.case_ctr.to_be_bytes().to_vec()));
                }
                EventBody::ItemReceived { .. } => {
                    self.item_ctr += 1;
                    self.overlay.insert(keys::counter("item", &self.console), Some(self.item_ctr.to_be_bytes().to_vec()));
                }
                _ => {}
            }
            let ev = Event {
                id: EventId { console: self.console.clone(), seq: self.seq },
                stamp: self.stamp,
                operator: op.id.clone(),
                realm: self.store.realm.clone(),
                v: SCHEMA_VERSION,
                body,
            };
            self.apply(&ev).map_err(store_err)?;
            out.push(ev);
        }
        Ok(out)
    }

    /// Applies an event made elsewhere (a peer); false if it was already here.
    pub fn receive(&mut self, ev: &Event) -> Result<bool, StoreError> {
        let known = self.high.get(&ev.id.console).is_some_and(|&h| ev.id.seq <= h);
        if known && self.event(&ev.id)?.is_some() {
            return Ok(false);
        }
        if let EventBody::ItemReceived { id, .. } = &ev.body {
            if keys::split_item_id(id).is_none_or(|(c, _)| c != ev.id.console) {
                return Err(StoreError::Corrupt {
                    key: ev.id.to_string(),
                    error: format!("item id `{id}` is not `{}.<number>`", ev.id.console),
                });
            }
        }
        self.stamp = self.stamp.observe(ev.stamp);
        self.apply(ev)?;
        Ok(true)
    }

    /// Records the event and folds it into the projections it changes.
    fn apply(&mut self, ev: &Event) -> Result<(), StoreError> {
        self.log.insert((ev.id.console.clone(), ev.id.seq), ev.clone());
        let high = self.high.entry(ev.id.console.clone()).or_insert(0);
        *high = (*high).max(ev.id.seq);
        if let EventBody::ItemReceived { id, item } = &ev.body {
            self.dedup()?.add(item.fingerprint(), id);
        }
        let ok = ev.order_key().to_bytes();
        for agg in ev.body.aggregates() {
            match agg {
                Aggregate::Item(id) => self.apply_to_item(&id, ev, &ok)?,
                Aggregate::Case(no) => self.apply_to_case(&no, ev, &ok)?,
            }
        }
        Ok(())
    }

    /// Items are a last-writer-wins status, so they never need a refold; triage events
    /// are indexed so an item whose arrival comes late still sees them.
    fn apply_to_item(&mut self, id: &str, ev: &Event, ok: &[u8]) -> Result<(), StoreError> {
        let agg = Aggregate::Item(id.to_string()).key();
        if let EventBody::ItemReceived { .. } = &ev.body {
            // Only this event creates the item, and events are applied once, so the item
            // is new; only an item minted elsewhere can have triage events here already.
            let mut item = apply_item(None, ev);
            if ev.id.console != self.console {
                for (_, eid) in self.indexed(&agg)? {
                    if let Some(earlier) = self.event(&eid)? {
                        item = apply_item(item, &earlier);
                    }
                }
            }
            return self.put_item(item, Place::Fresh);
        }
        let current = self.item(id)?;
        let mut idx = keys::agg_prefix(&agg);
        idx.extend_from_slice(ok);
        self.overlay.insert(idx, Some(keys::event_id_bytes(&ev.id)));
        match current {
            Some((item, place)) => self.put_item(apply_item(Some(item), ev), place),
            None => Ok(()),
        }
    }

    /// Cases fold in order; an event older than the last one folded refolds the case
    /// from its indexed events.
    fn apply_to_case(&mut self, no: &str, ev: &Event, ok: &[u8]) -> Result<(), StoreError> {
        let agg = Aggregate::Case(no.to_string()).key();
        let mut idx = keys::agg_prefix(&agg);
        idx.extend_from_slice(ok);
        self.overlay.insert(idx, Some(keys::event_id_bytes(&ev.id)));
        let last_key = keys::agg_last(&agg);
        let last = self.get(&last_key)?;
        let next = if last.as_deref().is_none_or(|l| l < ok) {
            self.overlay.insert(last_key, Some(ok.to_vec()));
            apply_case(self.load(&key(keys::CASE, no.as_bytes()))?, ev)
        } else {
            let mut state = None;
            for (_, eid) in self.indexed(&agg)? {
                let e = self.event(&eid)?.ok_or_else(|| StoreError::Corrupt {
                    key: eid.to_string(),
                    error: "indexed event missing from the log".into(),
                })?;
                state = apply_case(state, &e);
            }
            state
        };
        let Some(case) = next else { return Ok(()) };
        let open = key(keys::OPEN, no.as_bytes());
        self.overlay.insert(open, case.is_open().then(Vec::new));
        self.overlay.insert(key(keys::CASE, no.as_bytes()), Some(serde_json::to_vec(&case).unwrap_or_default()));
        Ok(())
    }

    /// The indexed events of an aggregate, database and pending writes merged, in order.
    fn indexed(&self, agg: &str) -> Result<Vec<(Vec<u8>, EventId)>, StoreError> {
        let prefix = keys::agg_prefix(agg);
        let mut found: BTreeMap<Vec<u8>, EventId> = BTreeMap::new();
        for kv in self.store.db.scan_prefix(&prefix) {
            let (k, v) = kv?;
            if let Some(id) = keys::parse_event_id(&v) {
                found.insert(k[prefix.len()..].to_vec(), id);
            }
        }
        for (k, v) in self.overlay.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)) {
            if let Some(id) = v.as_deref().and_then(keys::parse_event_id) {
                found.insert(k[prefix.len()..].to_vec(), id);
            }
        }
        Ok(found.into_iter().collect())
    }

    fn put_item(&mut self, item: Option<Item>, place: Place) -> Result<(), StoreError> {
        let Some(item) = item else { return Ok(()) };
        let id = item.id.clone();
        if item.status == ItemStatus::New {
            match place {
                Place::Fresh => {
                    self.fresh.insert(id, item);
                }
                Place::Page(pk) => self.rewrite_page(&pk, &id, Some(item))?,
                Place::Triaged => {
                    self.overlay.insert(key(keys::ITEM, id.as_bytes()), Some(serde_json::to_vec(&item).unwrap_or_default()));
                }
            }
            return Ok(());
        }
        match place {
            Place::Fresh => {
                self.fresh.remove(&id);
            }
            Place::Page(pk) => self.rewrite_page(&pk, &id, None)?,
            Place::Triaged => {}
        }
        self.overlay.insert(key(keys::ITEM, id.as_bytes()), Some(serde_json::to_vec(&item).unwrap_or_default()));
        Ok(())
    }

    /// Replaces (or with `None` removes) one item of a queue page.
    fn rewrite_page(&mut self, pk: &[u8], id: &str, with: Option<Item>) -> Result<(), StoreError> {
        let mut page: Vec<Item> = self.load(pk)?.unwrap_or_default();
        match with {
            Some(it) => page.iter_mut().filter(|i| i.id == id).for_each(|i| *i = it.clone()),
            None => page.retain(|i| i.id != id),
        }
        let v = (!page.is_empty()).then(|| serde_json::to_vec(&page).unwrap_or_default());
        self.overlay.insert(pk.to_vec(), v);
        Ok(())
    }

    /// Writes everything pending in one atomic batch and flushes it to disk.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        if self.overlay.is_empty() && self.log.is_empty() {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        let mut events: BTreeMap<String, Vec<(u64, Event)>> = BTreeMap::new();
        for ((c, seq), ev) in std::mem::take(&mut self.log) {
            events.entry(c).or_default().push((seq, ev));
        }
        for (c, evs) in events {
            for run in keys::runs(evs) {
                let first = run[0].0;
                let page: Vec<Event> = run.into_iter().map(|(_, e)| e).collect();
                batch.insert(keys::page(keys::LOG, &c, first), serde_json::to_vec(&page).unwrap_or_default());
            }
        }
        let mut items: BTreeMap<String, Vec<(u64, Item)>> = BTreeMap::new();
        for (id, item) in std::mem::take(&mut self.fresh) {
            if let Some((c, n)) = keys::split_item_id(&id) {
                items.entry(c.to_string()).or_default().push((n, item));
            }
        }
        for (c, mut list) in items {
            list.sort_by_key(|(n, _)| *n);
            for run in keys::runs(list) {
                let first = run[0].0;
                let page: Vec<Item> = run.into_iter().map(|(_, i)| i).collect();
                batch.insert(keys::page(keys::QUEUE, &c, first), serde_json::to_vec(&page).unwrap_or_default());
            }
        }
        for (k, v) in self.dedup.as_mut().map(Dedup::take_pages).unwrap_or_default() {
            batch.insert(k, v);
        }
        for (k, v) in std::mem::take(&mut self.overlay) {
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
        *self = Writer::new(self.store.clone(), &self.console.clone())?;
        Ok(())
    }
}
