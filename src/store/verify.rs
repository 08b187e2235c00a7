//! `yuqing verify`: refold every aggregate from the log and compare with the stored
//! projections and indexes.

use super::keys::{self, key};
use super::{Store, StoreError};
use crate::domain::apply::{apply_case, apply_item};
use crate::domain::case::Case;
use crate::domain::event::Aggregate;
use crate::domain::item::{Item, ItemStatus};
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
    let mut items: BTreeMap<String, Option<Item>> = BTreeMap::new();
    let mut cases: BTreeMap<String, Option<Case>> = BTreeMap::new();
    let mut diffs = Vec::new();
    for (n, ev) in store.events().enumerate() {
        let ev = ev?;
        if store.db.get(keys::event_id(&ev.id))?.is_none() {
            diffs.push(Difference { what: format!("event {}", ev.id), detail: "missing from the id index".into() });
        }
        for agg in ev.body.aggregates() {
            match agg {
                Aggregate::Item(id) => {
                    let e = items.entry(id).or_default();
                    *e = apply_item(e.take(), &ev);
                }
                Aggregate::Case(no) => {
                    let e = cases.entry(no).or_default();
                    *e = apply_case(e.take(), &ev);
                }
            }
        }
        if (n + 1) % 10_000 == 0 {
            progress(n + 1);
        }
    }
    compare(store, "item", keys::ITEM, &items, &mut diffs)?;
    compare(store, "case", keys::CASE, &cases, &mut diffs)?;
    let queue: BTreeSet<String> =
        items.values().flatten().filter(|i| i.status == ItemStatus::New).map(|i| i.id.clone()).collect();
    index(&queue, &keys_under(store, keys::QUEUE)?, "queue", &mut diffs);
    let open: BTreeSet<String> = cases.values().flatten().filter(|c| c.is_open()).map(|c| c.no.clone()).collect();
    index(&open, &keys_under(store, keys::OPEN)?, "open cases", &mut diffs);
    Ok(diffs)
}

fn compare<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    store: &Store,
    what: &str,
    family: &[u8],
    folded: &BTreeMap<String, Option<T>>,
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
        if &stored != want {
            let detail = match (&stored, want) {
                (None, _) => "missing from the projections".to_string(),
                (Some(_), None) => "stored, but no event creates it".to_string(),
                (Some(s), Some(w)) => format!("stored {s:?}\n    log says {w:?}"),
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
