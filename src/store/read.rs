//! Reading projections and the log. Start-up reads only the queue pages and the
//! open-case index, never the whole history.

use super::keys::{self, key};
use super::{Store, StoreError};
use crate::domain::case::Case;
use crate::domain::event::{Aggregate, Event, EventId};
use crate::domain::item::Item;
use std::collections::BTreeMap;

/// A case's events, oldest first: what the case detail shows as its timeline.
pub type Timeline = Vec<Event>;

pub(super) fn decode<T: serde::de::DeserializeOwned>(k: &[u8], v: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(v)
        .map_err(|e| StoreError::Corrupt { key: String::from_utf8_lossy(k).into_owned(), error: e.to_string() })
}

impl Store {
    pub(super) fn get_json<T: serde::de::DeserializeOwned>(&self, k: &[u8]) -> Result<Option<T>, StoreError> {
        match self.db.get(k)? {
            Some(v) => decode(k, &v).map(Some),
            None => Ok(None),
        }
    }

    /// The key of the page of `family` that would hold number `n` of `console`.
    pub(super) fn page_key(&self, family: &[u8], console: &str, n: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let lo = keys::page_prefix(family, console);
        let hi = keys::page(family, console, n);
        Ok(self.db.range(lo..=hi).keys().next_back().transpose()?.map(|k| k.to_vec()))
    }

    /// One event by id, from its log page.
    pub fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        let Some(k) = self.page_key(keys::LOG, &id.console, id.seq)? else { return Ok(None) };
        let page: Vec<Event> = self.get_json(&k)?.unwrap_or_default();
        Ok(page.into_iter().find(|e| e.id.seq == id.seq))
    }

    /// Items still waiting in the live queue.
    pub fn queue(&self) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        for kv in self.db.scan_prefix(keys::QUEUE) {
            let (k, v) = kv?;
            out.extend(decode::<Vec<Item>>(&k, &v)?);
        }
        Ok(out)
    }

    /// Every item ever received.
    pub fn items(&self) -> Result<Vec<Item>, StoreError> {
        let mut out = self.queue()?;
        for kv in self.db.scan_prefix(keys::ITEM) {
            let (k, v) = kv?;
            out.push(decode(&k, &v)?);
        }
        Ok(out)
    }

    fn indexed_cases(&self, prefix: &[u8]) -> Result<Vec<Case>, StoreError> {
        let mut out = Vec::new();
        for k in self.db.scan_prefix(prefix).keys() {
            let k = k?;
            if let Some(c) = self.get_json(&key(keys::CASE, &k[prefix.len()..]))? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Open cases.
    pub fn open_cases(&self) -> Result<Vec<Case>, StoreError> {
        self.indexed_cases(keys::OPEN)
    }

    /// Every case, open or closed.
    pub fn cases(&self) -> Result<Vec<Case>, StoreError> {
        self.db.scan_prefix(keys::CASE).map(|kv| kv.map_err(StoreError::from).and_then(|(k, v)| decode(&k, &v))).collect()
    }

    pub fn item(&self, id: &str) -> Result<Option<Item>, StoreError> {
        if let Some(it) = self.get_json(&key(keys::ITEM, id.as_bytes()))? {
            return Ok(Some(it));
        }
        let Some((console, n)) = keys::split_item_id(id) else { return Ok(None) };
        let Some(k) = self.page_key(keys::QUEUE, console, n)? else { return Ok(None) };
        let page: Vec<Item> = self.get_json(&k)?.unwrap_or_default();
        Ok(page.into_iter().find(|i| i.id == id))
    }

    pub fn case(&self, no: &str) -> Result<Option<Case>, StoreError> {
        self.get_json(&key(keys::CASE, no.as_bytes()))
    }

    /// Ids of an aggregate's indexed events, in order.
    pub(super) fn indexed_events(&self, agg: &Aggregate) -> Result<Vec<(Vec<u8>, EventId)>, StoreError> {
        let prefix = keys::agg_prefix(&agg.key());
        let mut out = Vec::new();
        for kv in self.db.scan_prefix(&prefix) {
            let (k, v) = kv?;
            if let Some(id) = keys::parse_event_id(&v) {
                out.push((k[prefix.len()..].to_vec(), id));
            }
        }
        Ok(out)
    }

    /// A case's events in order, read through the aggregate index.
    pub fn timeline(&self, no: &str) -> Result<Timeline, StoreError> {
        let mut out = Vec::new();
        for (_, id) in self.indexed_events(&Aggregate::Case(no.to_string()))? {
            out.extend(self.event(&id)?);
        }
        Ok(out)
    }

    /// The consoles whose events the log holds.
    pub fn consoles(&self) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        let mut from = keys::LOG.to_vec();
        while let Some(k) = self.db.range(from.clone()..).keys().next().transpose()? {
            let Some((console, _)) = keys::parse_page(keys::LOG, &k) else { break };
            let mut next = keys::page_prefix(keys::LOG, &console);
            *next.last_mut().unwrap_or(&mut 0) = 1;
            out.push(console);
            from = next;
        }
        Ok(out)
    }

    /// Highest sequence number held from each console.
    pub fn version_vector(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut out = BTreeMap::new();
        for c in self.consoles()? {
            if let Some(kv) = self.db.scan_prefix(keys::page_prefix(keys::LOG, &c)).next_back() {
                let (k, v) = kv?;
                let page: Vec<Event> = decode(&k, &v)?;
                out.insert(c, page.last().map(|e| e.id.seq).unwrap_or(0));
            }
        }
        Ok(out)
    }

    /// One console's events in sequence order (lazily, a page at a time).
    fn console_events(&self, console: &str) -> impl Iterator<Item = Result<Event, StoreError>> + use<> {
        self.db.scan_prefix(keys::page_prefix(keys::LOG, console)).flat_map(|kv| {
            let page: Result<Vec<Event>, StoreError> = kv.map_err(StoreError::from).and_then(|(k, v)| decode(&k, &v));
            match page {
                Ok(p) => p.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(e) => vec![Err(e)],
            }
        })
    }

    /// Every event in the total order: a merge of the consoles' logs, each already
    /// in stamp order.
    pub fn events(&self) -> Result<impl Iterator<Item = Result<Event, StoreError>> + use<>, StoreError> {
        let heads = self.consoles()?.iter().map(|c| self.console_events(c).peekable()).collect();
        Ok(Merge { heads })
    }
}

/// K-way merge of per-console event streams by order key.
struct Merge<I: Iterator<Item = Result<Event, StoreError>>> {
    heads: Vec<std::iter::Peekable<I>>,
}

impl<I: Iterator<Item = Result<Event, StoreError>>> Iterator for Merge<I> {
    type Item = Result<Event, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut best: Option<(usize, crate::domain::event::OrderKey)> = None;
        for i in 0..self.heads.len() {
            match self.heads[i].peek() {
                None => {}
                Some(Err(_)) => return self.heads[i].next(),
                Some(Ok(e)) => {
                    let k = e.order_key();
                    if best.as_ref().is_none_or(|(_, b)| k < *b) {
                        best = Some((i, k));
                    }
                }
            }
        }
        self.heads[best?.0].next()
    }
}
