//! Reading projections and the log. Start-up reads only the queue and open-case
//! indexes, never the whole history.

use super::keys::{self, key};
use super::{Store, StoreError};
use crate::domain::case::Case;
use crate::domain::event::{Event, OrderKey};
use crate::domain::item::Item;
use std::collections::BTreeMap;

/// A case's events, oldest first: what the case detail shows as its timeline.
pub type Timeline = Vec<Event>;

fn decode<T: serde::de::DeserializeOwned>(k: &[u8], v: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(v)
        .map_err(|e| StoreError::Corrupt { key: String::from_utf8_lossy(k).into_owned(), error: e.to_string() })
}

impl Store {
    fn get_json<T: serde::de::DeserializeOwned>(&self, k: &[u8]) -> Result<Option<T>, StoreError> {
        match self.db.get(k)? {
            Some(v) => decode(k, &v).map(Some),
            None => Ok(None),
        }
    }

    /// Loads the projections named by an index family (`q/` → items, `o/` → cases).
    fn indexed<T: serde::de::DeserializeOwned>(&self, index: &[u8], family: &[u8]) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        for k in self.db.scan_prefix(index).keys() {
            let k = k?;
            if let Some(v) = self.get_json(&key(family, &k[index.len()..]))? {
                out.push(v);
            }
        }
        Ok(out)
    }

    fn all<T: serde::de::DeserializeOwned>(&self, family: &[u8]) -> Result<Vec<T>, StoreError> {
        self.db.scan_prefix(family).map(|kv| {
            let (k, v) = kv?;
            decode(&k, &v)
        }).collect()
    }

    /// Items still waiting in the live queue.
    pub fn queue(&self) -> Result<Vec<Item>, StoreError> {
        self.indexed(keys::QUEUE, keys::ITEM)
    }

    /// Every item ever received.
    pub fn items(&self) -> Result<Vec<Item>, StoreError> {
        self.all(keys::ITEM)
    }

    /// Open cases.
    pub fn open_cases(&self) -> Result<Vec<Case>, StoreError> {
        self.indexed(keys::OPEN, keys::CASE)
    }

    /// Every case, open or closed.
    pub fn cases(&self) -> Result<Vec<Case>, StoreError> {
        self.all(keys::CASE)
    }

    pub fn item(&self, id: &str) -> Result<Option<Item>, StoreError> {
        self.get_json(&key(keys::ITEM, id.as_bytes()))
    }

    pub fn case(&self, no: &str) -> Result<Option<Case>, StoreError> {
        self.get_json(&key(keys::CASE, no.as_bytes()))
    }

    /// A case's events in order, read through the aggregate index.
    pub fn timeline(&self, no: &str) -> Result<Timeline, StoreError> {
        let prefix = keys::agg_prefix(&crate::domain::event::Aggregate::Case(no.to_string()).key());
        let mut out = Vec::new();
        for k in self.db.scan_prefix(&prefix).keys() {
            let k = k?;
            if let Some(ev) = self.get_json(&key(keys::LOG, &k[prefix.len()..]))? {
                out.push(ev);
            }
        }
        Ok(out)
    }

    /// Every event in the total order (lazily).
    pub fn events(&self) -> impl Iterator<Item = Result<Event, StoreError>> + '_ {
        self.db.scan_prefix(keys::LOG).map(|kv| {
            let (k, v) = kv?;
            decode(&k, &v)
        })
    }

    /// How many events the log holds (walks the keys).
    pub fn event_count(&self) -> usize {
        self.db.scan_prefix(keys::LOG).keys().count()
    }

    /// Highest sequence number held from each console.
    pub fn version_vector(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut out = BTreeMap::new();
        for kv in self.db.scan_prefix(keys::VERSION) {
            let (k, v) = kv?;
            out.insert(String::from_utf8_lossy(&k[keys::VERSION.len()..]).into_owned(), keys::be_u64(Some(&v)));
        }
        Ok(out)
    }

    /// The order key stored for a log entry's key, for tools that walk the raw log.
    pub fn decode_log_key(k: &[u8]) -> Option<OrderKey> {
        OrderKey::from_bytes(k.strip_prefix(keys::LOG)?)
    }
}
