//! `yuqing verify`: refold every aggregate from the log and compare with the stored
//! projections and indexes.

use super::keys::{self, key};
use super::read::decode;
use super::{Store, StoreError};
use crate::domain::item::{Item, ItemStatus};
use crate::domain::world::World;
use std::collections::{BTreeMap, BTreeSet};

/// One disagreement between the log and what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The projection or index entry, e.g. `case A-0003` or `queue A.17`.
    pub what: String,
    pub detail: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.detail)
    }
}

/// What a verification found.
#[derive(Debug, Default)]
pub struct Verified {
    pub events: usize,
    pub differences: Vec<Difference>,
}

fn diff(what: String, detail: impl Into<String>) -> Difference {
    Difference { what, detail: detail.into() }
}

/// Refolds from the log; `progress(done)` is called every 10 000 events.
pub fn verify(store: &Store, mut progress: impl FnMut(usize)) -> Result<Verified, StoreError> {
    let mut world = World::default();
    let mut out = Verified::default();
    for ev in store.events()? {
        world.apply(&ev?);
        out.events += 1;
        if out.events % 10_000 == 0 {
            progress(out.events);
        }
    }
    let d = &mut out.differences;

    let mut queued: BTreeMap<String, Item> = BTreeMap::new();
    for kv in store.db.scan_prefix(keys::QUEUE) {
        let (k, v) = kv?;
        for it in decode::<Vec<Item>>(&k, &v)? {
            queued.insert(it.id.clone(), it);
        }
    }
    let mut triaged: BTreeMap<String, Item> = BTreeMap::new();
    for kv in store.db.scan_prefix(keys::ITEM) {
        let (k, v) = kv?;
        match decode::<Item>(&k, &v) {
            Ok(it) => {
                triaged.insert(it.id.clone(), it);
            }
            Err(e) => d.push(diff(String::from_utf8_lossy(&k).into_owned(), e.to_string())),
        }
    }
    for (id, want) in &world.items {
        let (here, other, place) = if want.status == ItemStatus::New {
            (queued.get(id), triaged.get(id), "the queue")
        } else {
            (triaged.get(id), queued.get(id), "the triaged items")
        };
        match here {
            None => d.push(diff(format!("item {id}"), format!("missing from {place}"))),
            Some(have) if have != want => {
                d.push(diff(format!("item {id}"), format!("stored {have:?}\n    log says {want:?}")))
            }
            Some(_) => {}
        }
        if other.is_some() {
            d.push(diff(format!("item {id}"), format!("also stored outside {place}")));
        }
    }
    let dedup = super::dedup::Dedup::load(store)?;
    for (id, it) in &world.items {
        if dedup.get(it.fields.fingerprint()).is_none() {
            d.push(diff(format!("item {id}"), "its fingerprint is missing, so a second copy would be taken as new"));
        }
    }
    for id in queued.keys().chain(triaged.keys()) {
        if !world.items.contains_key(id) {
            d.push(diff(format!("item {id}"), "stored, but no event creates it"));
        }
    }

    for (no, want) in &world.cases {
        let k = key(keys::CASE, no.as_bytes());
        match store.db.get(&k)? {
            None => d.push(diff(format!("case {no}"), "missing from the projections")),
            Some(v) => match decode::<crate::domain::case::Case>(&k, &v) {
                Err(e) => d.push(diff(format!("case {no}"), e.to_string())),
                Ok(have) if &have != want => {
                    d.push(diff(format!("case {no}"), format!("stored {have:?}\n    log says {want:?}")))
                }
                Ok(_) => {}
            },
        }
    }
    let stored_cases = names(store, keys::CASE)?;
    for no in stored_cases.iter().filter(|no| !world.cases.contains_key(*no)) {
        d.push(diff(format!("case {no}"), "stored, but no event creates it"));
    }
    let open: BTreeSet<String> = world.cases.values().filter(|c| c.is_open()).map(|c| c.no.clone()).collect();
    let indexed = names(store, keys::OPEN)?;
    for no in open.difference(&indexed) {
        d.push(diff(format!("open cases {no}"), "missing from the index"));
    }
    for no in indexed.difference(&open) {
        d.push(diff(format!("open cases {no}"), "in the index, but the case is not open"));
    }
    Ok(out)
}

fn names(store: &Store, prefix: &[u8]) -> Result<BTreeSet<String>, StoreError> {
    store
        .db
        .scan_prefix(prefix)
        .keys()
        .map(|k| Ok(String::from_utf8_lossy(&k?[prefix.len()..]).into_owned()))
        .collect()
}
