//! The write path. One [`Writer`] per store, on one thread: it decides commands
//! against the state, stamps the events, folds them into the projections and writes
//! log pages, indexes and projections in one atomic sled batch, then flushes once for
//! the whole group before anyone is answered.

use super::dedup::Dedup;
use super::keys::{self, key};
use super::pages::Pages;
use super::read::StoredCase;
use super::{Store, StoreError};
use crate::domain::apply::{apply_case, apply_item, keep_won_items};
use crate::domain::case::Case;
use crate::domain::codec::Recorded;
use crate::domain::command::Command;
use crate::domain::conflict::{Claim, Conflict, Deed, conflicts, loses_when_last};
use crate::domain::decide::{Context, DomainError, View, decide};
use crate::domain::department::Directory;
use crate::domain::event::{Aggregate, Event, EventBody, EventId, OrderKey, SCHEMA_VERSION};
use crate::domain::hlc::Hlc;
use crate::domain::item::{Item, ItemStatus};
use crate::domain::policy::Policy;
use crate::domain::role::Operator;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// The single writer of a store, with the console's own counters and the writes of
/// the group not yet committed.
pub struct Writer {
    store: Store,
    console: String,
    seq: u64,
    clock: Hlc,
    case_ctr: u64,
    item_ctr: u64,
    /// Highest sequence held from each console: events above it are new for sure.
    high: HashMap<String, u64>,
    /// Sequence up to which each console's events are all held (the version vector).
    contiguous: HashMap<String, u64>,
    /// The marks last written to the folder's note of what it saved (`durable.rs`).
    noted: Option<HashMap<String, u64>>,
    /// The chain hash of the event at each console's gap-free mark, as last received.
    marks: HashMap<String, (u64, String)>,
    /// Forks recorded in this store.
    forks: usize,
    /// Per console, the first sequence and the chain hashes of the log page last looked
    /// up for a duplicate (a page's events never change).
    seen_pages: HashMap<String, (u64, Vec<String>)>,
    /// Signs this console's head at each commit, when it has a key.
    signer: Option<super::Signer>,
    /// The sequence number of the last head signed.
    signed: u64,
    /// Pending key writes (`None` deletes), read through before the database.
    pub(super) overlay: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// Log pages changed in this group.
    log: Pages<Recorded>,
    /// Item pages changed in this group.
    items: Pages<Item>,
    /// Fingerprints of items received, loaded on first use.
    dedup: Option<Dedup>,
    /// Chain hash of this console's last event.
    last_hash: Option<String>,
    /// Free space kept on the volume, in MiB (`None`: the default, see [`super::space`]).
    reserve_mb: Option<u64>,
    /// Consoles an event stamped beyond the clock bound was logged for.
    warned_ahead: HashSet<String>,
}

struct WriterView<'a>(&'a Writer);

impl View for WriterView<'_> {
    fn item(&self, id: &str) -> Option<Item> {
        self.0.item(id).ok().flatten()
    }
    fn case(&self, no: &str) -> Option<Case> {
        self.0.load::<StoredCase>(&key(keys::CASE, no.as_bytes())).ok().flatten().and_then(|s| s.case)
    }
}

impl Writer {
    /// Takes the write side of `store` for console `console`.
    pub fn new(store: Store, console: &str) -> Result<Writer, StoreError> {
        let db = &store.db;
        let case_ctr = keys::be_u64(db.get(keys::counter("case", console))?.as_deref());
        let item_ctr = keys::be_u64(db.get(keys::counter("item", console))?.as_deref());
        let high: HashMap<String, u64> = store.high_water()?.into_iter().collect();
        let contiguous: HashMap<String, u64> = store.version_vector()?.into_iter().collect();
        let forks = store.forks()?.len();
        let mut clock = Hlc::default();
        for (c, seq) in &high {
            if let Some(ev) = store.event(&EventId { console: c.clone(), seq: *seq })? {
                if c == console { clock.own(ev.stamp) } else { clock.observe(ev.stamp) }
            }
        }
        let seq = high.get(console).copied().unwrap_or(0);
        let last_hash = store.recorded(&EventId { console: console.to_string(), seq })?.map(|r| r.hash());
        Ok(Writer {
            last_hash,
            seq,
            store,
            console: console.to_string(),
            clock,
            case_ctr,
            item_ctr,
            high,
            contiguous,
            noted: None,
            marks: HashMap::new(),
            forks,
            seen_pages: HashMap::new(),
            signer: None,
            signed: 0,
            overlay: BTreeMap::new(),
            log: Pages::new(keys::LOG, keys::LOG_PAGE),
            items: Pages::new(keys::ITEM, keys::ITEM_PAGE),
            dedup: None,
            reserve_mb: None,
            warned_ahead: HashSet::new(),
        })
    }

    /// Signs this console's history from now on (see [`super::heads`]). History
    /// written before (unsigned, or under another endorsement) is signed at the next
    /// commit, even one with nothing else to write, so that relays can pass it on.
    pub fn set_signer(&mut self, signer: super::Signer) -> Result<(), StoreError> {
        self.signed = match self.store.head(&self.console)? {
            Some(h) if h.endorsement == signer.endorsement => h.seq,
            _ => 0,
        };
        self.signer = Some(signer);
        Ok(())
    }

    /// True when this console has history its signer has not signed yet, and may sign
    /// it: only a gap-free own history is signed. A gap means our own events are still
    /// coming back from peers, or that another history under our name broke the chain
    /// (a fork): signing over it would vouch for events we may not have written.
    fn unsigned(&self) -> bool {
        self.signer.is_some()
            && self.last_hash.is_some()
            && self.seq > self.signed
            && self.contiguous.get(&self.console) == Some(&self.seq)
    }

    /// Keeps `head` if it is newer than the one held for its console (its signature was
    /// checked by the caller). A head that names another hash than the event held here
    /// at its sequence number is proof of another history under that console's name (a
    /// same-named console, or a forger): kept as a fork, and the head is not kept.
    pub fn keep_head(&mut self, head: &super::Head) -> Result<(), StoreError> {
        let id = EventId { console: head.console.clone(), seq: head.seq };
        if let Some(held) = self.held_hash(&id)?
            && held != head.hash
        {
            let fork = super::Fork {
                event: id.to_string(),
                held_prev: None,
                held: Some(held),
                got_prev: None,
                got: head.hash.clone(),
            };
            return self.record_fork(&id, fork);
        }
        if head.console == self.console && self.signer.as_ref().is_some_and(|s| s.endorsement != head.endorsement) {
            // Signed under our name by another key, beyond what we hold: our own head
            // stays, so that peers compare theirs with it.
            return Ok(());
        }
        let k = key(keys::HEAD, head.console.as_bytes());
        let held: Option<super::Head> = self.load(&k)?;
        if held.is_none_or(|h| h.seq < head.seq) {
            self.overlay.insert(k, Some(json(head)?));
        }
        Ok(())
    }

    /// Refolds every case from its events when the stored cases were folded under other
    /// rules than this program's ([`crate::domain::apply::FOLD_RULES`]), so that they
    /// agree with what `verify` and new events compute; commit to keep it. Returns how
    /// many cases were refolded.
    pub fn refold_if_rules_changed(&mut self) -> Result<usize, StoreError> {
        let current = crate::domain::apply::FOLD_RULES.to_be_bytes();
        if self.get(keys::META_FOLD)?.as_deref() == Some(&current[..]) {
            return Ok(0);
        }
        let mut cases = Vec::new();
        for kv in self.store.db.scan_prefix(keys::CASE) {
            let (k, v) = kv?;
            let stored: StoredCase = super::read::decode(&k, &v)?;
            cases.push((String::from_utf8_lossy(&k[keys::CASE.len()..]).into_owned(), stored.last));
        }
        for (no, last) in &cases {
            self.refold_case(no, last.clone())?;
        }
        self.overlay.insert(keys::META_FOLD.to_vec(), Some(current.to_vec()));
        Ok(cases.len())
    }

    /// Sets the free space a commit must leave on the volume.
    pub fn set_reserve(&mut self, mb: Option<u64>) {
        self.reserve_mb = mb;
    }

    /// Stamps from elsewhere move this console's clock at most this far ahead of its
    /// wall clock (`None`: as far as they go).
    pub fn set_clock_bound(&mut self, bound_ms: Option<i64>) {
        self.clock.set_bound(bound_ms);
    }

    /// How many events were refused as forks (see [`super::Fork`]).
    pub fn forks(&self) -> usize {
        self.forks
    }

    /// This console's name and the sequence number of its latest event.
    pub fn own(&self) -> (&str, u64) {
        (&self.console, self.seq)
    }

    fn get(&self, k: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self.overlay.get(k) {
            Some(v) => Ok(v.clone()),
            None => Ok(self.store.db.get(k)?.map(|v| v.to_vec())),
        }
    }

    pub(super) fn load<T: serde::de::DeserializeOwned>(&self, k: &[u8]) -> Result<Option<T>, StoreError> {
        self.get(k)?.map(|v| super::read::decode(k, &v)).transpose()
    }

    fn item(&self, id: &str) -> Result<Option<Item>, StoreError> {
        let Some((console, n)) = keys::split_item_id(id) else { return Ok(None) };
        self.items.find(&self.store, console, n, |page| page.iter().find(|i| i.id == id).cloned())
    }

    fn dedup(&mut self) -> Result<&mut Dedup, StoreError> {
        if self.dedup.is_none() {
            self.dedup = Some(Dedup::load(&self.store)?);
        }
        Ok(self.dedup.get_or_insert_with(Dedup::default))
    }

    fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        self.log.find(&self.store, &id.console, id.seq, |page| {
            page.iter().find(|r| r.event().id.seq == id.seq).map(|r| r.event().clone())
        })
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
        let fingerprint = match cmd {
            Command::ReceiveItem { item } => Some(item.fingerprint()),
            _ => None,
        };
        if let (Command::ReceiveItem { item }, Some(fp)) = (cmd, fingerprint)
            && let Some(existing) = self.dedup().map_err(store_err)?.get(fp)
        {
            // The same post delivered again with a higher reach (a monitoring service's
            // update): its reach rises, as a surge does, wherever the item now is.
            let known = self.item(&existing).map_err(store_err)?;
            if let (Some(reach), Some(it)) = (item.reach, known)
                && it.fields.reach.is_none_or(|r| reach > r)
            {
                let update = Command::UpdateReach { item: existing, reach };
                return self.execute(op, now, policy, directory, &update);
            }
            return Err(Refusal::Duplicate(existing));
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
            let stamp = self.clock.tick(now);
            match &body {
                EventBody::CaseOpened { .. } => {
                    self.case_ctr += 1;
                    self.overlay
                        .insert(keys::counter("case", &self.console), Some(self.case_ctr.to_be_bytes().to_vec()));
                }
                EventBody::ItemReceived { .. } => {
                    self.item_ctr += 1;
                    self.overlay
                        .insert(keys::counter("item", &self.console), Some(self.item_ctr.to_be_bytes().to_vec()));
                }
                _ => {}
            }
            let ev = Event {
                id: EventId { console: self.console.clone(), seq: self.seq },
                stamp,
                operator: op.id.clone(),
                realm: self.store.realm.clone(),
                v: SCHEMA_VERSION,
                body,
                prev: self.last_hash.take(),
            };
            let rec = Recorded::new(ev).map_err(|e| Refusal::Store(e.to_string()))?;
            self.last_hash = Some(rec.hash());
            self.apply(&rec, fingerprint).map_err(store_err)?;
            out.push(rec.into_event());
        }
        Ok(out)
    }

    /// Applies an event made elsewhere, recorded afresh; false if it was already here.
    /// Events from the wire keep their bytes: see [`Writer::receive_recorded`].
    pub fn receive(&mut self, ev: &Event) -> Result<bool, StoreError> {
        let rec = Recorded::new(ev.clone())
            .map_err(|e| StoreError::Encode { what: format!("event {}", ev.id), error: e.to_string() })?;
        self.receive_recorded(&rec)
    }

    /// Applies an event made elsewhere (a peer, a backup) with the bytes it was recorded
    /// as; false if it was already here.
    pub fn receive_recorded(&mut self, rec: &Recorded) -> Result<bool, StoreError> {
        let ev = rec.event();
        // Below the gap-free mark it is held for sure; between it and the highest held
        // sequence it may fill a gap, so look; above, it is new for sure.
        let below = self.contiguous.get(&ev.id.console).is_some_and(|&c| ev.id.seq <= c);
        let maybe = self.high.get(&ev.id.console).is_some_and(|&h| ev.id.seq <= h);
        if below || maybe {
            // Held already, or maybe: the same bytes are a duplicate; other bytes under the
            // same id are another history of that console.
            match self.held_hash(&ev.id)? {
                Some(h) if h == rec.hash() => return Ok(false),
                Some(h) => {
                    let fork = super::Fork {
                        event: ev.id.to_string(),
                        held_prev: None,
                        held: Some(h),
                        got_prev: ev.prev.clone(),
                        got: rec.hash(),
                    };
                    self.record_fork(&ev.id, fork)?;
                    return Ok(false);
                }
                None if below => return Ok(false),
                None => {}
            }
        }
        if let Some(fork) = self.forks_here(rec)? {
            self.record_fork(&ev.id, fork)?;
            return Ok(false);
        }
        if let EventBody::ItemReceived { id, .. } = &ev.body
            && keys::split_item_id(id).is_none_or(|(c, _)| c != ev.id.console)
        {
            return Err(StoreError::Corrupt {
                key: ev.id.to_string(),
                error: format!("item id `{id}` is not `{}.<number>`", ev.id.console),
            });
        }
        self.clock.observe(ev.stamp);
        self.apply(rec, None)?;
        // The next event of this console is checked against this one without a look-up.
        if self.contiguous.get(&ev.id.console) == Some(&ev.id.seq) {
            self.marks.insert(ev.id.console.clone(), (ev.id.seq, rec.hash()));
        }
        if ev.id.console == self.console {
            self.take_back(rec);
        }
        Ok(true)
    }

    /// Applies an event from a peer arriving at `now`, as [`Writer::receive_recorded`].
    /// One stamped further ahead of `now` than the clock bound is stored and ordered by
    /// its stamp like any other, but this console's clock does not follow it past the
    /// bound; the first such event of each console is logged.
    pub fn receive_at(&mut self, rec: &Recorded, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let fresh = self.receive_recorded(rec)?;
        let ev = rec.event();
        if fresh
            && let Some(ahead) = self.clock.beyond_bound(ev.stamp, now)
            && self.warned_ahead.insert(ev.id.console.clone())
        {
            tracing::warn!(
                "event {} of console {} is stamped {} ahead of this console's clock, more than the {} bound: \
                 stored and shown at its stamp, but this console's clock does not follow it; fix the clock of {}",
                ev.id,
                ev.id.console,
                crate::timefmt::offset(ahead),
                crate::timefmt::bound(self.clock.bound_ms().unwrap_or_default()),
                ev.id.console,
            );
        }
        Ok(fresh)
    }

    /// Keeps a fork found outside the store: relayed events that contradict their
    /// author's signed head (see `sync::admit`).
    pub fn keep_fork(&mut self, fork: super::Fork) -> Result<(), StoreError> {
        let id =
            fork.event.rsplit_once(':').and_then(|(c, s)| Some(EventId { console: c.into(), seq: s.parse().ok()? }));
        match id {
            Some(id) => self.record_fork(&id, fork),
            None => Ok(()),
        }
    }

    /// Records and logs a fork (once per event id).
    fn record_fork(&mut self, id: &EventId, fork: super::Fork) -> Result<(), StoreError> {
        let k = keys::page(keys::FORK, &id.console, id.seq);
        if self.get(&k)?.is_none() {
            tracing::error!(
                "fork: event {id} came on another history of console {} than the one held here; the held one is kept",
                id.console
            );
            self.overlay.insert(k, Some(json(&fork)?));
            self.forks += 1;
        }
        Ok(())
    }

    /// The chain hash of the event held under `id`, if any (pending or stored). The
    /// hashes of the last page looked up per console are kept: duplicates come in runs.
    fn held_hash(&mut self, id: &EventId) -> Result<Option<String>, StoreError> {
        if let Some((first, hashes)) = self.seen_pages.get(&id.console)
            && id.seq >= *first
            && let Some(h) = hashes.get((id.seq - first) as usize)
        {
            return Ok(Some(h.clone()));
        }
        let page = self.log.find(&self.store, &id.console, id.seq, |page| {
            let first = page.first()?.event().id.seq;
            Some((first, page.iter().map(Recorded::hash).collect::<Vec<_>>()))
        })?;
        let Some((first, hashes)) = page else { return Ok(None) };
        let found = id.seq.checked_sub(first).and_then(|i| hashes.get(i as usize)).cloned();
        self.seen_pages.insert(id.console.clone(), (first, hashes));
        Ok(found)
    }

    /// A fork, when `rec` continues a console's history right after what is held here
    /// but its `prev` is not the hash of the event held there: it belongs to another
    /// history of that console (a forger, a same-named console, an altered event).
    fn forks_here(&mut self, rec: &Recorded) -> Result<Option<super::Fork>, StoreError> {
        let id = &rec.event().id;
        let mark = self.contiguous.get(&id.console).copied().unwrap_or(0);
        if id.seq != mark + 1 {
            return Ok(None);
        }
        let held = match self.marks.get(&id.console) {
            _ if mark == 0 => None,
            Some((seq, hash)) if *seq == mark => Some(hash.clone()),
            _ => {
                let at = EventId { console: id.console.clone(), seq: mark };
                let hash = self
                    .held_hash(&at)?
                    .ok_or_else(|| StoreError::Corrupt { key: at.to_string(), error: "missing from the log".into() })?;
                Some(hash)
            }
        };
        if rec.event().prev == held {
            return Ok(None);
        }
        Ok(Some(super::Fork {
            event: id.to_string(),
            held_prev: held,
            held: None,
            got_prev: rec.event().prev.clone(),
            got: rec.hash(),
        }))
    }

    /// This console's own earlier events coming back (from a backup, or from peers to a
    /// rebuilt data folder): its counters move past them, so it never reuses a sequence,
    /// case or item number.
    fn take_back(&mut self, rec: &Recorded) {
        let ev = rec.event();
        self.clock.own(ev.stamp);
        if ev.id.seq > self.seq {
            self.seq = ev.id.seq;
            self.last_hash = Some(rec.hash());
        }
        let number = |s: &str, sep: char| s.rsplit_once(sep).and_then(|(_, n)| n.parse::<u64>().ok());
        let (what, n) = match &ev.body {
            EventBody::CaseOpened { case, .. } => ("case", number(case, '-')),
            EventBody::ItemReceived { id, .. } => ("item", number(id, '.')),
            _ => return,
        };
        let Some(n) = n else { return };
        let ctr = if what == "case" { &mut self.case_ctr } else { &mut self.item_ctr };
        if n > *ctr {
            *ctr = n;
            self.overlay.insert(keys::counter(what, &self.console), Some(n.to_be_bytes().to_vec()));
        }
    }

    /// Records the event and folds it into the projections it changes; `fingerprint`
    /// is a received item's, when the caller has worked it out already.
    fn apply(&mut self, rec: &Recorded, fingerprint: Option<u64>) -> Result<(), StoreError> {
        let ev = rec.event();
        self.log.add(&self.store, &ev.id.console, ev.id.seq, rec.clone(), |r| r.event().id.seq)?;
        let high = self.high.entry(ev.id.console.clone()).or_insert(0);
        *high = (*high).max(ev.id.seq);
        let high = *high;
        self.advance_contiguous(&ev.id.console, ev.id.seq, high)?;
        if let EventBody::ItemReceived { id, item } = &ev.body {
            let fp = fingerprint.unwrap_or_else(|| item.fingerprint());
            self.dedup()?.add(fp, id);
        }
        if let EventBody::ConsoleRevoked { name, cert } = &ev.body {
            self.overlay.insert(key(keys::REVOKED, cert.as_bytes()), Some(name.as_bytes().to_vec()));
        }
        if let EventBody::OperatorSet { operator } = &ev.body {
            self.set_operator(ev.order_key(), operator)?;
        }
        for agg in ev.body.aggregates() {
            match agg {
                Aggregate::Item(id) => self.apply_to_item(&id, ev)?,
                Aggregate::Case(no) => self.apply_to_case(&no, ev)?,
            }
        }
        Ok(())
    }

    /// Moves a console's gap-free mark past `seq` (and past events that arrived earlier
    /// beyond a gap it fills).
    fn advance_contiguous(&mut self, console: &str, seq: u64, high: u64) -> Result<(), StoreError> {
        let mut c = self.contiguous.get(console).copied().unwrap_or(0);
        if seq != c + 1 {
            return Ok(());
        }
        c = seq;
        while c < high && self.event(&EventId { console: console.to_string(), seq: c + 1 })?.is_some() {
            c += 1;
        }
        self.contiguous.insert(console.to_string(), c);
        self.overlay.insert(key(keys::VERSION, console.as_bytes()), Some(c.to_be_bytes().to_vec()));
        Ok(())
    }

    /// Items keep their winning triage ([`apply_item`]), so they never need a refold; a
    /// triage event for an item not here yet waits under `w/` until the item arrives. A
    /// second triage of an item records the conflicts under `x/` and puts the item's
    /// cases right.
    fn apply_to_item(&mut self, id: &str, ev: &Event) -> Result<(), StoreError> {
        let Some((console, n)) = keys::split_item_id(id) else { return Ok(()) };
        let wait_key = key(keys::WAITING, id.as_bytes());
        if let EventBody::ItemReceived { .. } = &ev.body {
            let mut item = apply_item(None, ev);
            let mut contested = false;
            // Only an item minted elsewhere can have triage events here already.
            if ev.id.console != self.console {
                let waiting: Vec<EventId> = self.load(&wait_key)?.unwrap_or_default();
                let mut earlier = Vec::new();
                for eid in &waiting {
                    earlier.extend(self.event(eid)?);
                }
                earlier.sort_by_key(Event::order_key);
                for e in &earlier {
                    contested |= self.contest(id, item.as_ref(), e)?;
                    item = apply_item(item, e);
                }
                if !waiting.is_empty() {
                    self.overlay.insert(wait_key, None);
                }
            }
            if let Some(item) = item {
                self.items.add(&self.store, console, n, item, |i| keys::split_item_id(&i.id).map_or(0, |x| x.1))?;
            }
            return if contested { self.settle_cases(id) } else { Ok(()) };
        }
        let Some(pk) = self.items.locate(&self.store, console, n)? else { return self.wait(wait_key, ev) };
        let page = self.items.get_mut(&self.store, &pk)?;
        let Some(before) = page.iter().find(|i| i.id == id).cloned() else { return self.wait(wait_key, ev) };
        let contested = self.contest(id, Some(&before), ev)?;
        let page = self.items.get_mut(&self.store, &pk)?;
        if let Some(slot) = page.iter_mut().find(|i| i.id == id)
            && let Some(next) = apply_item(Some(slot.clone()), ev)
        {
            *slot = next;
        }
        if contested { self.settle_cases(id) } else { Ok(()) }
    }

    /// Records the conflicts of triage event `ev` on item `id`, which holds `before`:
    /// the claims are the winning triage so far and the losers already recorded since
    /// the item was last put back in the queue (those of a triage before that, which
    /// lost to another winner, stay on record as they are). True if the item was
    /// triaged before (so the event is contested).
    fn contest(&mut self, id: &str, before: Option<&Item>, ev: &Event) -> Result<bool, StoreError> {
        let on = Aggregate::Item(id.to_string());
        let (Some(claim), Some(held)) = (Claim::of(ev, &on), before.and_then(|i| i.status_key.as_ref())) else {
            return Ok(false);
        };
        let ck = key(keys::CONFLICT, on.key().as_bytes());
        let stored: Vec<Conflict> = self.load(&ck)?.unwrap_or_default();
        let (now, mut found): (Vec<Conflict>, Vec<Conflict>) = stored.into_iter().partition(|c| &c.won.key == held);
        let mut claims: Vec<Claim> = now.iter().map(|c| c.lost.clone()).collect();
        match now.first() {
            Some(c) => claims.push(c.won.clone()),
            None => {
                let held = self.logged(&EventId { console: held.1.clone(), seq: held.2 }, id)?;
                claims.extend(Claim::of(&held, &on));
            }
        }
        claims.push(claim);
        found.extend(conflicts(&on, None, &claims));
        self.put_conflicts(ck, found)?;
        Ok(true)
    }

    /// After a contested triage of item `id`: every case that claimed it lists it if and
    /// only if it won the item; a case that does not agree is refolded.
    fn settle_cases(&mut self, id: &str) -> Result<(), StoreError> {
        let ck = key(keys::CONFLICT, Aggregate::Item(id.to_string()).key().as_bytes());
        let found: Vec<Conflict> = self.load(&ck)?.unwrap_or_default();
        let winner = self.item(id)?.and_then(|i| i.status.case().map(str::to_string));
        let mut cases: Vec<String> = found
            .iter()
            .flat_map(|c| [&c.lost.deed, &c.won.deed])
            .filter_map(|d| match d {
                Deed::Attached { case } => Some(case.clone()),
                _ => None,
            })
            .collect();
        cases.sort();
        cases.dedup();
        for no in cases {
            let Some(StoredCase { case: Some(case), last }) = self.load(&key(keys::CASE, no.as_bytes()))? else {
                continue;
            };
            if case.items.iter().any(|i| i == id) != (winner.as_deref() == Some(no.as_str())) {
                self.refold_case(&no, last)?;
            }
        }
        Ok(())
    }

    /// Appends an event that comes after all others to the case's event index.
    fn index_case_event(&mut self, no: &str, okey: &OrderKey) -> Result<(), StoreError> {
        let ik = key(keys::CASE_EVENTS, no.as_bytes());
        let mut index: Vec<OrderKey> = self.load(&ik)?.unwrap_or_default();
        index.push(okey.clone());
        self.overlay.insert(ik, Some(packed(&index)?));
        Ok(())
    }

    fn wait(&mut self, wait_key: Vec<u8>, ev: &Event) -> Result<(), StoreError> {
        let mut waiting: Vec<EventId> = self.load(&wait_key)?.unwrap_or_default();
        waiting.push(ev.id.clone());
        self.overlay.insert(wait_key, Some(json(&waiting)?));
        Ok(())
    }

    /// Cases fold in order; an event older than the last one folded refolds the case
    /// from its own events, listed in its record. A case lists only the items it won.
    fn apply_to_case(&mut self, no: &str, ev: &Event) -> Result<(), StoreError> {
        let k = key(keys::CASE, no.as_bytes());
        let okey = ev.order_key();
        let stored: Option<StoredCase> = self.load(&k)?;
        match stored {
            Some(s) if s.last >= okey => {
                let ik = key(keys::CASE_EVENTS, no.as_bytes());
                let mut index: Vec<OrderKey> = self.load(&ik)?.unwrap_or_default();
                let pos = index.partition_point(|e| *e < okey);
                if index.get(pos) == Some(&okey) {
                    return Ok(());
                }
                index.insert(pos, okey);
                self.overlay.insert(ik, Some(packed(&index)?));
                self.refold_case(no, s.last)
            }
            other => {
                self.index_case_event(no, &okey)?;
                let before = other.and_then(|s| s.case);
                let lost = before.as_ref().is_some_and(|c| loses_when_last(c, &ev.body));
                let mut case = apply_case(before, ev);
                match &ev.body {
                    EventBody::CaseOpened { items, .. } => self.drop_lost_items(&mut case, items)?,
                    EventBody::ItemAttached { item, .. } => {
                        self.drop_lost_items(&mut case, std::slice::from_ref(item))?
                    }
                    _ => {}
                }
                if lost {
                    let events = self.case_events(no)?;
                    self.record_case_conflicts(no, &events)?;
                }
                self.put_case(no, StoredCase { case, last: okey })
            }
        }
    }

    /// Refolds a case from its own events (its index must be current); `last` is the
    /// order key of the latest of them.
    fn refold_case(&mut self, no: &str, last: OrderKey) -> Result<(), StoreError> {
        let events = self.case_events(no)?;
        let mut case = None;
        for e in &events {
            case = apply_case(case, e);
        }
        let items = case.as_ref().map(|c| c.items.clone()).unwrap_or_default();
        self.drop_lost_items(&mut case, &items)?;
        self.record_case_conflicts(no, &events)?;
        self.put_case(no, StoredCase { case, last })
    }

    /// A case's events in the total order, from its index.
    fn case_events(&self, no: &str) -> Result<Vec<Event>, StoreError> {
        let index: Vec<OrderKey> = self.load(&key(keys::CASE_EVENTS, no.as_bytes()))?.unwrap_or_default();
        index.into_iter().map(|OrderKey(_, console, seq)| self.logged(&EventId { console, seq }, no)).collect()
    }

    /// An event the log must hold, as a projection of `of` refers to it.
    fn logged(&self, id: &EventId, of: &str) -> Result<Event, StoreError> {
        self.event(id)?.ok_or_else(|| StoreError::Corrupt {
            key: id.to_string(),
            error: format!("an event of {of} is missing from the log"),
        })
    }

    /// Drops from `case` those of `ids` that another case won.
    fn drop_lost_items(&self, case: &mut Option<Case>, ids: &[String]) -> Result<(), StoreError> {
        let Some(case) = case else { return Ok(()) };
        let mut owner = HashMap::new();
        for id in ids {
            owner.insert(id.clone(), self.item(id)?.and_then(|i| i.status.case().map(str::to_string)));
        }
        keep_won_items(case, |id| owner.get(id).cloned().flatten());
        Ok(())
    }

    fn record_case_conflicts(&mut self, no: &str, events: &[Event]) -> Result<(), StoreError> {
        let on = Aggregate::Case(no.to_string());
        let claims: Vec<Claim> = events.iter().filter_map(|e| Claim::of(e, &on)).collect();
        self.put_conflicts(key(keys::CONFLICT, on.key().as_bytes()), conflicts(&on, None, &claims))
    }

    fn put_conflicts(&mut self, k: Vec<u8>, found: Vec<Conflict>) -> Result<(), StoreError> {
        let v = if found.is_empty() { None } else { Some(json(&found)?) };
        self.overlay.insert(k, v);
        Ok(())
    }

    fn put_case(&mut self, no: &str, stored: StoredCase) -> Result<(), StoreError> {
        let open = stored.case.as_ref().is_some_and(Case::is_open);
        self.overlay.insert(key(keys::OPEN, no.as_bytes()), open.then(Vec::new));
        self.overlay.insert(key(keys::CASE, no.as_bytes()), Some(packed(&stored)?));
        Ok(())
    }

    /// Writes everything pending in one atomic batch and flushes it to disk.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        if self.overlay.is_empty() && self.log.is_empty() && self.items.is_empty() && !self.unsigned() {
            return Ok(());
        }
        if self.unsigned()
            && let (Some(signer), Some(hash)) = (&self.signer, &self.last_hash)
        {
            let sig = (signer.sign)(&super::Head::message(&self.console, self.seq, hash));
            let head = super::Head {
                console: self.console.clone(),
                seq: self.seq,
                hash: hash.clone(),
                sig,
                endorsement: signer.endorsement.clone(),
            };
            self.overlay.insert(key(keys::HEAD, self.console.as_bytes()), Some(json(&head)?));
            self.signed = self.seq;
        }
        let mut batch = sled::Batch::default();
        let mut bytes = 0u64;
        let mut put = |batch: &mut sled::Batch, k: Vec<u8>, v: Vec<u8>| {
            bytes += (k.len() + v.len()) as u64;
            batch.insert(k, v);
        };
        for (k, page) in self.log.drain() {
            put(&mut batch, k, packed(&page)?);
        }
        for (k, page) in self.items.drain() {
            let marker = key(keys::QUEUE, &k[keys::ITEM.len()..]);
            if page.iter().any(|i| i.status == ItemStatus::New) {
                put(&mut batch, marker, Vec::new());
            } else {
                batch.remove(marker);
            }
            put(&mut batch, k, packed(&page)?);
        }
        for (k, v) in self.dedup.as_mut().map(Dedup::take_pages).unwrap_or_default() {
            put(&mut batch, k, v);
        }
        for (k, v) in std::mem::take(&mut self.overlay) {
            match v {
                Some(v) => put(&mut batch, k, v),
                None => batch.remove(k),
            }
        }
        // Nothing is applied unless the whole group fits with the reserve left free.
        super::space::check(self.store.path(), self.reserve_mb, bytes)?;
        self.store.db.apply_batch(batch)?;
        self.store.db.flush()?;
        // The note is replaced only when the marks moved (a commit of heads or forks
        // leaves them), and tried again at the next commit if it could not be.
        if self.noted.as_ref() != Some(&self.contiguous) && super::durable::note(self.store.path(), &self.contiguous) {
            self.noted = Some(self.contiguous.clone());
        }
        Ok(())
    }

    /// Drops everything pending (after a refused commit) and reloads the counters,
    /// keeping how the writer was set up (reserve, clock bound, signer).
    pub fn rollback(&mut self) -> Result<(), StoreError> {
        let (reserve, bound, signer) = (self.reserve_mb, self.clock.bound_ms(), self.signer.take());
        *self = Writer::new(self.store.clone(), &self.console.clone())?;
        self.reserve_mb = reserve;
        self.clock.set_bound(bound);
        self.signer = signer;
        Ok(())
    }
}

/// JSON of a record to store; an error names what could not be written.
/// `v` as JSON, packed (`pack.rs`): for the values that make up most of the bytes
/// (log and item pages, cases and their event indexes).
fn packed<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, StoreError> {
    Ok(super::pack::pack(&json(v)?))
}

pub(super) fn json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(v)
        .map_err(|e| StoreError::Encode { what: std::any::type_name::<T>().to_string(), error: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{Category, Severity};
    use crate::domain::command::Command;
    use crate::domain::item::{Channel, NewItem};
    use crate::domain::milestone::MilestoneKind;

    /// A database whose cases were folded under older rules (there a press conference
    /// did not meet authoritative information) is refolded when opened, so that its
    /// cases agree with the log as this version reads it.
    #[test]
    fn cases_folded_under_older_rules_are_refolded_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let settings = std::sync::Arc::new(crate::config::Settings::default());
        let clock = std::sync::Arc::new(crate::domain::clock::SystemClock);
        // A dropped desk's writer thread lets go of the folder a moment later.
        let reopen = || {
            let t = std::time::Instant::now();
            loop {
                match Store::open(dir.path(), "live") {
                    Err(StoreError::Locked(_)) if t.elapsed().as_secs() < 5 => {
                        std::thread::sleep(std::time::Duration::from_millis(20))
                    }
                    other => return other.unwrap(),
                }
            }
        };
        let start = || crate::desk::Desk::start(reopen(), settings.clone(), clock.clone());
        let desk = start().unwrap();
        let duty = settings.operator("duty").unwrap().clone();
        let item = NewItem {
            channel: Channel::Weibo,
            title: "网传堤坝溃口".into(),
            body: String::new(),
            url: None,
            author: None,
            published_at: None,
            reach: None,
            external_id: None,
        };
        let open = Command::OpenCase {
            items: vec!["A.1".into()],
            title: String::new(),
            severity: Severity::Major,
            category: Category::Rumor,
            lead: "yjj".into(),
            co: vec![],
            hints: vec![],
        };
        let report = Command::ReportCounty { case: "A-0001".into(), note: String::new() };
        let press = Command::PressConference { case: "A-0001".into(), note: String::new() };
        for cmd in [Command::ReceiveItem { item }, open, report, press] {
            desk.run_blocking(&duty, vec![cmd]).remove(0).unwrap();
        }
        drop(desk);
        // As an older version left it: no fold version, authoritative information unmet.
        {
            let store = reopen();
            let k = key(keys::CASE, b"A-0001");
            let mut stored: StoredCase = super::super::read::decode(&k, &store.db.get(&k).unwrap().unwrap()).unwrap();
            let case = stored.case.as_mut().unwrap();
            case.milestones.iter_mut().filter(|m| m.kind == MilestoneKind::AuthoritativeInfo).for_each(|m| {
                m.met_at = None;
                m.met_by = None;
            });
            store.db.insert(&k, serde_json::to_vec(&stored).unwrap()).unwrap();
            store.db.remove(keys::META_FOLD).unwrap();
            store.db.flush().unwrap();
            assert!(!super::super::verify(&store, |_| {}).unwrap().differences.is_empty(), "stale before");
        }
        let desk = start().unwrap();
        let case = desk.store().case("A-0001").unwrap().unwrap();
        let ai = case.milestones.iter().find(|m| m.kind == MilestoneKind::AuthoritativeInfo).unwrap();
        assert!(ai.met_at.is_some(), "refolded under this version's rules");
        assert!(super::super::verify(desk.store(), |_| {}).unwrap().differences.is_empty());
    }
}
