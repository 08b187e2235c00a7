//! `yuqing verify`: refold every aggregate from the log and compare with the stored
//! projections and indexes.

use super::keys::{self, key};
use super::{Store, StoreError};
use crate::domain::item::ItemStatus;
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

fn keys_under(store: &Store, prefix: &[u8]) -> Result<BTreeSet<String>, StoreError> {
    store
        .db
        .scan_prefix(prefix)
        .keys()
        .map(|k| Ok(String::from_utf8_lossy(&k?[prefix.len()..]).into_owned()))
        .collect()
}

/// Refolds from the log; `progress(done)` is called every 10 000 events.
pub fn verify(store: &Store, mut progress: impl FnMut(usize)) -> Result<Vec<Difference>, StoreError> {
    let mut world = World::default();
    let mut diffs = Vec::new();
    for (n, ev) in store.events().enumerate() {
        let ev = ev?;
        if store.db.get(keys::event_id(&ev.id))?.is_none() {
            diffs.push(Difference { what: format!("event {}", ev.id), detail: "missing from the id index".into() });
        }
        world.apply(&ev);
        if (n + 1) % 10_000 == 0 {
            progress(n + 1);
        }
    }
    compare(store, "item", keys::ITEM, &world.items, &mut diffs)?;
    compare(store, "case", keys::CASE, &world.cases, &mut diffs)?;
    let queue: BTreeSet<String> =
        world.items.values().filter(|i| i.status == ItemStatus::New).map(|i| i.id.clone()).collect();
    index(&queue, &keys_under(store, keys::QUEUE)?, "queue", &mut diffs);
    let open: BTreeSet<String> = world.cases.values().filter(|c| c.is_open()).map(|c| c.no.clone()).collect();
    index(&open, &keys_under(store, keys::OPEN)?, "open cases", &mut diffs);
    Ok(diffs)
}

fn compare<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    store: &Store,
    what: &str,
    family: &[u8],
    folded: &BTreeMap<String, T>,
    diffs: &mut Vec<Difference>,
) -> Result<(), StoreError> {
    for (id, want) in folded {
        let k = key(family, id.as_bytes());
        let stored: Option<T> = match store.db.get(&k)? {
            Some(v) => match serde_json::from_slice(&v) {
                Ok(t) => Some(t),
                Err(e) => {
                    diffs.push(Difference { what: format!("{what} {id}"), detail: format!("unreadable: {e}") });
                    continue;
                }
            },
            None => None,
        };
        if stored.as_ref() != Some(want) {
            let detail = match &stored {
                None => "missing from the projections".to_string(),
                Some(s) => format!("stored {s:?}\n    log says {want:?}"),
            };
            diffs.push(Difference { what: format!("{what} {id}"), detail });
        }
    }
    for id in keys_under(store, family)? {
        if !folded.contains_key(&id) {
            diffs.push(Difference { what: format!("{what} {id}"), detail: "stored, but no event mentions it".into() });
        }
    }
    Ok(())
}

fn index(want: &BTreeSet<String>, have: &BTreeSet<String>, what: &str, diffs: &mut Vec<Difference>) {
    for id in want.difference(have) {
        diffs.push(Difference { what: format!("{what} {id}"), detail: "missing from the index".into() });
    }
    for id in have.difference(want) {
        diffs.push(Difference { what: format!("{what} {id}"), detail: "in the index, but should not be".into() });
    }
}
