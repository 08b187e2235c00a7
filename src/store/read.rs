//! Reading projections and the log. Start-up reads only the queue's pages and the
//! open-case index, never the whole history.

use super::keys::{self, key};
use super::{Store, StoreError};
use crate::domain::case::Case;
use crate::domain::codec::Recorded;
use crate::domain::conflict::Conflict;
use crate::domain::event::{Event, EventId, OrderKey};
use crate::domain::item::{Item, ItemStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// One event's recorded bytes and its sequence number, read without decoding.
#[derive(Debug)]
pub struct RawEvent {
    pub seq: u64,
    pub raw: Box<RawValue>,
}

/// A case's events, oldest first: what the case detail shows as its timeline.
pub type Timeline = Vec<Event>;

/// What `c/<no>` holds: the projection and the order key of the last event folded in.
/// The case's own event index (order keys, sorted) is under `e/<no>`, so a refold or
/// a timeline reads only the case's events, and start-up reads only the projection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredCase {
    /// `None` while the case's opening has not arrived yet (a peer's events out of order).
    pub case: Option<Case>,
    pub last: OrderKey,
}

pub(super) fn decode<T: serde::de::DeserializeOwned>(k: &[u8], v: &[u8]) -> Result<T, StoreError> {
    let corrupt = |error: String| StoreError::Corrupt { key: String::from_utf8_lossy(k).into_owned(), error };
    serde_json::from_slice(&super::pack::unpack(v).map_err(corrupt)?).map_err(|e| corrupt(e.to_string()))
}

impl Store {
    pub(super) fn get_json<T: serde::de::DeserializeOwned>(&self, k: &[u8]) -> Result<Option<T>, StoreError> {
        match self.db.get(k)? {
            Some(v) => decode(k, &v).map(Some),
            None => Ok(None),
        }
    }

    /// The key of the stored page of `family` that would hold number `n` of `console`.
    pub(super) fn page_key(&self, family: &[u8], console: &str, n: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let lo = keys::page_prefix(family, console);
        let hi = keys::page(family, console, n);
        Ok(self.db.range(lo..=hi).keys().next_back().transpose()?.map(|k| k.to_vec()))
    }

    fn paged<T: serde::de::DeserializeOwned>(
        &self,
        family: &[u8],
        console: &str,
        n: u64,
    ) -> Result<Vec<T>, StoreError> {
        match self.page_key(family, console, n)? {
            Some(k) => Ok(self.get_json(&k)?.unwrap_or_default()),
            None => Ok(Vec::new()),
        }
    }

    /// The name of the console whose certificate (SHA-256, hex) was revoked, if it was.
    pub fn revoked(&self, cert: &str) -> Result<Option<String>, StoreError> {
        Ok(self.db.get(key(keys::REVOKED, cert.as_bytes()))?.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// The newest signed head of every console that has one.
    pub fn heads(&self) -> Result<Vec<super::Head>, StoreError> {
        self.db
            .scan_prefix(keys::HEAD)
            .map(|kv| kv.map_err(StoreError::from).and_then(|(k, v)| decode(&k, &v)))
            .collect()
    }

    /// The newest signed head of `console`.
    pub fn head(&self, console: &str) -> Result<Option<super::Head>, StoreError> {
        self.get_json(&key(keys::HEAD, console.as_bytes()))
    }

    /// Every fork found, oldest console and sequence first.
    pub fn forks(&self) -> Result<Vec<super::Fork>, StoreError> {
        self.db
            .scan_prefix(keys::FORK)
            .map(|kv| kv.map_err(StoreError::from).and_then(|(k, v)| decode(&k, &v)))
            .collect()
    }

    /// One event by id, from its log page.
    pub fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        Ok(self.recorded(id)?.map(Recorded::into_event))
    }

    /// One event by id with its recorded bytes.
    pub fn recorded(&self, id: &EventId) -> Result<Option<Recorded>, StoreError> {
        let page: Vec<Recorded> = self.paged(keys::LOG, &id.console, id.seq)?;
        Ok(page.into_iter().find(|r| r.event().id.seq == id.seq))
    }

    /// Items still waiting in the live queue: only the pages marked as holding new ones.
    pub fn queue(&self) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        for k in self.db.scan_prefix(keys::QUEUE).keys() {
            let k = k?;
            let page: Vec<Item> = self.get_json(&key(keys::ITEM, &k[keys::QUEUE.len()..]))?.unwrap_or_default();
            out.extend(page.into_iter().filter(|i| i.status == ItemStatus::New));
        }
        Ok(out)
    }

    /// Up to `limit` items of the live queue received before `cutoff`, oldest page of
    /// each console first. A console's items are numbered in the order received, so its
    /// pages are read only until one holds an item received at or after `cutoff`: the
    /// cost is the items that qualify, not the queue.
    pub fn queue_received_before(&self, cutoff: DateTime<Utc>, limit: usize) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        let mut done: Option<String> = None;
        for k in self.db.scan_prefix(keys::QUEUE).keys() {
            let k = k?;
            let Some((console, _)) = keys::parse_page(keys::QUEUE, &k) else { continue };
            if done.as_deref() == Some(console.as_str()) {
                continue;
            }
            let page: Vec<Item> = self.get_json(&key(keys::ITEM, &k[keys::QUEUE.len()..]))?.unwrap_or_default();
            for it in page.into_iter().filter(|i| i.status == ItemStatus::New) {
                if it.received_at >= cutoff {
                    done = Some(console.clone());
                    break;
                }
                out.push(it);
                if out.len() == limit {
                    return Ok(out);
                }
            }
        }
        Ok(out)
    }

    /// The newest items still in the live queue, at least `per_console` of each console
    /// (fewer if it has fewer): its last queue pages only, so the cost does not grow
    /// with the queue. What a console shows first while [`Store::queue`] loads.
    pub fn queue_newest(&self, per_console: usize) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        // Console by console from the last, each from its newest page back; once one has
        // enough, on to the keys before its own (its older markers are not even read).
        let mut below = {
            let mut end = keys::QUEUE.to_vec();
            *end.last_mut().expect("a family prefix is not empty") += 1;
            end
        };
        loop {
            let Some(last) = self.db.range(keys::QUEUE.to_vec()..below.clone()).keys().next_back() else { break };
            let last = last?;
            let Some((console, _)) = keys::parse_page(keys::QUEUE, &last) else { break };
            let prefix = keys::page_prefix(keys::QUEUE, &console);
            let mut taken = 0;
            for k in self.db.range(prefix.clone()..below.clone()).keys().rev() {
                let k = k?;
                let page: Vec<Item> = self.get_json(&key(keys::ITEM, &k[keys::QUEUE.len()..]))?.unwrap_or_default();
                let before = out.len();
                out.extend(page.into_iter().filter(|i| i.status == ItemStatus::New));
                taken += out.len() - before;
                if taken >= per_console {
                    break;
                }
            }
            below = prefix;
        }
        Ok(out)
    }

    /// Every item ever received.
    pub fn items(&self) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        for kv in self.db.scan_prefix(keys::ITEM) {
            let (k, v) = kv?;
            out.extend(decode::<Vec<Item>>(&k, &v)?);
        }
        Ok(out)
    }

    pub fn item(&self, id: &str) -> Result<Option<Item>, StoreError> {
        let Some((console, n)) = keys::split_item_id(id) else { return Ok(None) };
        let page: Vec<Item> = self.paged(keys::ITEM, console, n)?;
        Ok(page.into_iter().find(|i| i.id == id))
    }

    pub(super) fn stored_case(&self, no: &str) -> Result<Option<StoredCase>, StoreError> {
        self.get_json(&key(keys::CASE, no.as_bytes()))
    }

    pub fn case(&self, no: &str) -> Result<Option<Case>, StoreError> {
        Ok(self.stored_case(no)?.and_then(|s| s.case))
    }

    /// Open cases.
    pub fn open_cases(&self) -> Result<Vec<Case>, StoreError> {
        let mut out = Vec::new();
        for k in self.db.scan_prefix(keys::OPEN).keys() {
            let k = k?;
            out.extend(self.case(&String::from_utf8_lossy(&k[keys::OPEN.len()..]))?);
        }
        Ok(out)
    }

    /// Every case, open or closed.
    pub fn cases(&self) -> Result<Vec<Case>, StoreError> {
        self.db
            .scan_prefix(keys::CASE)
            .filter_map(|kv| {
                kv.map_err(StoreError::from).and_then(|(k, v)| decode::<StoredCase>(&k, &v)).map(|s| s.case).transpose()
            })
            .collect()
    }

    /// Every conflict among concurrent actions, in the total order of the actions that lost.
    pub fn conflicts(&self) -> Result<Vec<Conflict>, StoreError> {
        let mut out = Vec::new();
        for kv in self.db.scan_prefix(keys::CONFLICT) {
            let (k, v) = kv?;
            out.extend(decode::<Vec<Conflict>>(&k, &v)?);
        }
        out.sort_by(|a, b| a.lost.key.cmp(&b.lost.key));
        Ok(out)
    }

    /// A case's events in order.
    pub fn timeline(&self, no: &str) -> Result<Timeline, StoreError> {
        let mut out = Vec::new();
        let index: Vec<OrderKey> = self.get_json(&key(keys::CASE_EVENTS, no.as_bytes()))?.unwrap_or_default();
        for ok in index {
            out.extend(self.event(&EventId { console: ok.1, seq: ok.2 })?);
        }
        Ok(out)
    }

    /// The consoles whose events the log holds.
    pub fn consoles(&self) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        let mut from = keys::LOG.to_vec();
        while let Some(k) = self.db.range(from.clone()..).keys().next().transpose()? {
            let Some((console, _)) = keys::parse_page(keys::LOG, &k) else { break };
            from = keys::page_prefix(keys::LOG, &console);
            if let Some(last) = from.last_mut() {
                *last = 1;
            }
            out.push(console);
        }
        Ok(out)
    }

    /// Highest sequence number held from each console, gaps or not.
    pub(super) fn high_water(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut out = BTreeMap::new();
        for c in self.consoles()? {
            let page: Vec<Recorded> = self.paged(keys::LOG, &c, u64::MAX)?;
            out.insert(c, page.last().map(|r| r.event().id.seq).unwrap_or(0));
        }
        Ok(out)
    }

    /// The version vector: for each console, the sequence number up to which every one
    /// of its events is held, without gaps. What a peer is asked to send is what lies
    /// beyond it.
    pub fn version_vector(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut out = BTreeMap::new();
        for kv in self.db.scan_prefix(keys::VERSION) {
            let (k, v) = kv?;
            out.insert(String::from_utf8_lossy(&k[keys::VERSION.len()..]).into_owned(), keys::be_u64(Some(&v)));
        }
        Ok(out)
    }

    /// The recorded bytes of `console`'s events from sequence `from` up to `to`, in
    /// order, until they reach `budget` bytes (at least one event when there is one):
    /// what a peer that holds everything below `from` is sent next. Pages are split into
    /// their events without decoding them (a page holds consecutive numbers from the
    /// one in its key).
    pub fn log_from(&self, console: &str, from: u64, to: u64, budget: usize) -> Result<Vec<RawEvent>, StoreError> {
        let (mut out, mut bytes) = (Vec::new(), 0usize);
        if from > to {
            return Ok(out);
        }
        let start = self.page_key(keys::LOG, console, from)?.unwrap_or_else(|| keys::page_prefix(keys::LOG, console));
        for kv in self.db.range(start..=keys::page(keys::LOG, console, to)) {
            let (k, v) = kv?;
            let first = keys::parse_page(keys::LOG, &k).map_or(0, |(_, n)| n);
            for (i, raw) in decode::<Vec<Box<RawValue>>>(&k, &v)?.into_iter().enumerate() {
                let seq = first + i as u64;
                if seq < from {
                    continue;
                }
                if seq > to || (bytes > 0 && bytes + raw.get().len() > budget) {
                    return Ok(out);
                }
                bytes += raw.get().len();
                out.push(RawEvent { seq, raw });
            }
        }
        Ok(out)
    }

    /// One console's recorded events in sequence order (lazily, a page at a time).
    fn console_log(&self, console: &str) -> impl Iterator<Item = Result<Recorded, StoreError>> + use<> {
        self.db.scan_prefix(keys::page_prefix(keys::LOG, console)).flat_map(|kv| {
            match kv.map_err(StoreError::from).and_then(|(k, v)| decode::<Vec<Recorded>>(&k, &v)) {
                Ok(p) => p.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(e) => vec![Err(e)],
            }
        })
    }

    /// Every recorded event in the total order, with the bytes it was recorded as: what
    /// `export`, `backup` and `verify` read.
    pub fn recorded_events(&self) -> Result<impl Iterator<Item = Result<Recorded, StoreError>> + use<>, StoreError> {
        let heads = self.consoles()?.iter().map(|c| self.console_log(c).peekable()).collect();
        Ok(Merge { heads })
    }

    /// Every event in the total order: a merge of the consoles' logs, each already in
    /// stamp order.
    pub fn events(&self) -> Result<impl Iterator<Item = Result<Event, StoreError>> + use<>, StoreError> {
        Ok(self.recorded_events()?.map(|r| r.map(Recorded::into_event)))
    }
}

/// K-way merge of per-console event streams by order key.
struct Merge<I: Iterator<Item = Result<Recorded, StoreError>>> {
    heads: Vec<std::iter::Peekable<I>>,
}

impl<I: Iterator<Item = Result<Recorded, StoreError>>> Iterator for Merge<I> {
    type Item = Result<Recorded, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut best: Option<(usize, OrderKey)> = None;
        for i in 0..self.heads.len() {
            match self.heads[i].peek() {
                None => {}
                Some(Err(_)) => return self.heads[i].next(),
                Some(Ok(r)) => {
                    let k = r.event().order_key();
                    if best.as_ref().is_none_or(|(_, b)| k < *b) {
                        best = Some((i, k));
                    }
                }
            }
        }
        self.heads[best?.0].next()
    }
}
