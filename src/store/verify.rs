//! `yuqing verify`: refold every aggregate from the log and compare with the stored
//! projections, indexes and conflict records.

use super::keys::{self, key};
use super::read::decode;
use super::{Store, StoreError};
use crate::domain::conflict::Conflict;
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

/// Refolds from the log; `progress(done)` is called every 1 000 events.
pub fn verify(store: &Store, mut progress: impl FnMut(usize)) -> Result<Verified, StoreError> {
    let mut world = World::default();
    let mut out = Verified::default();
    let mut gap_free: BTreeMap<String, (u64, bool)> = BTreeMap::new();
    // Per console: the last event's sequence and hash, and whether its chain broke already.
    let mut chains: BTreeMap<String, (u64, String, bool)> = BTreeMap::new();
    let mut broken = Vec::new();
    let mut revoked: BTreeMap<String, String> = BTreeMap::new();
    for rec in store.recorded_events()? {
        let rec = rec?;
        let ev = rec.event();
        let chain = chains.entry(ev.id.console.clone()).or_insert((0, String::new(), false));
        let expected = if chain.0 == 0 { None } else { Some(chain.1.clone()) };
        if !chain.2 && ev.id.seq == chain.0 + 1 && ev.prev != expected {
            chain.2 = true;
            broken.push(diff(
                format!("event {}", ev.id),
                format!(
                    "the hash chain of console {} breaks here: this event or {}:{} was changed after it was written",
                    ev.id.console,
                    ev.id.console,
                    ev.id.seq.saturating_sub(1)
                ),
            ));
        }
        *chain = (ev.id.seq, rec.hash(), chain.2);
        let (upto, broken) = gap_free.entry(ev.id.console.clone()).or_insert((0, false));
        if !*broken {
            if ev.id.seq == *upto + 1 {
                *upto = ev.id.seq;
            } else {
                *broken = true;
            }
        }
        if let crate::domain::EventBody::ConsoleRevoked { name, cert } = &ev.body {
            revoked.insert(cert.clone(), name.clone());
        }
        world.apply(ev);
        out.events += 1;
        if out.events % 1_000 == 0 {
            progress(out.events);
        }
    }
    let d = &mut out.differences;
    d.extend(broken);
    for h in store.heads()? {
        let at = crate::domain::event::EventId { console: h.console.clone(), seq: h.seq };
        match store.recorded(&at)? {
            None => {
                let held = store.version_vector()?.get(&h.console).copied().unwrap_or(0);
                d.push(diff(
                    format!("history of {}", h.console),
                    format!(
                        "truncated: {} signed a head at event {}, this console holds {held} of its events",
                        h.console, h.seq
                    ),
                ))
            }
            Some(r) if r.hash() != h.hash => d.push(diff(
                format!("event {at}"),
                format!(
                    "does not match the head {} signed: an event of {} up to it was changed, dropped or forged",
                    h.console, h.console
                ),
            )),
            Some(_) => {}
        }
    }
    for f in store.forks()? {
        d.push(diff(
            format!("fork at event {}", f.event),
            "a peer sent this event on another history of its console; the one held here was kept (check that console, then its certificate)",
        ));
    }
    let mut stored_revoked = BTreeMap::new();
    for kv in store.db.scan_prefix(keys::REVOKED) {
        let (k, v) = kv?;
        stored_revoked.insert(
            String::from_utf8_lossy(&k[keys::REVOKED.len()..]).into_owned(),
            String::from_utf8_lossy(&v).into_owned(),
        );
    }
    if stored_revoked != revoked {
        d.push(diff("revoked certificates".into(), format!("stored {stored_revoked:?}, the log says {revoked:?}")));
    }
    let stored_vv = store.version_vector()?;
    for (console, (upto, _)) in &gap_free {
        if stored_vv.get(console) != Some(upto) {
            d.push(diff(
                format!("version of {console}"),
                format!("stored {:?}, the log holds all up to {upto}", stored_vv.get(console)),
            ));
        }
    }

    let mut stored: BTreeMap<String, Item> = BTreeMap::new();
    for kv in store.db.scan_prefix(keys::ITEM) {
        let (k, v) = kv?;
        let page: Vec<Item> = match decode(&k, &v) {
            Ok(p) => p,
            Err(e) => {
                d.push(diff(String::from_utf8_lossy(&k).into_owned(), e.to_string()));
                continue;
            }
        };
        let has_new = page.iter().any(|i| i.status == ItemStatus::New);
        let marked = store.db.contains_key(key(keys::QUEUE, &k[keys::ITEM.len()..]))?;
        if has_new != marked {
            let first = page.first().map(|i| i.id.as_str()).unwrap_or("?");
            let detail = if has_new {
                "holds new items but is not in the queue"
            } else {
                "is in the queue but holds no new item"
            };
            d.push(diff(format!("queue page of {first}"), detail));
        }
        for it in page {
            stored.insert(it.id.clone(), it);
        }
    }
    for k in store.db.scan_prefix(keys::QUEUE).keys() {
        let k = k?;
        if !store.db.contains_key(key(keys::ITEM, &k[keys::QUEUE.len()..]))? {
            d.push(diff("queue".into(), format!("marks a page that does not exist: {}", String::from_utf8_lossy(&k))));
        }
    }
    for (id, want) in &world.items {
        match stored.get(id) {
            None => d.push(diff(format!("item {id}"), "missing from the item pages")),
            Some(have) if have != want => {
                d.push(diff(format!("item {id}"), format!("stored {have:?}\n    log says {want:?}")))
            }
            Some(_) => {}
        }
    }
    let dedup = super::dedup::Dedup::load(store)?;
    for (id, it) in &world.items {
        if dedup.get(it.fields.fingerprint()).is_none() {
            d.push(diff(format!("item {id}"), "its fingerprint is missing, so a second copy would be taken as new"));
        }
    }
    for id in stored.keys() {
        if !world.items.contains_key(id) {
            d.push(diff(format!("item {id}"), "stored, but no event creates it"));
        }
    }

    for (no, want) in &world.cases {
        let k = key(keys::CASE, no.as_bytes());
        match store.db.get(&k)? {
            None => d.push(diff(format!("case {no}"), "missing from the projections")),
            Some(v) => match decode::<super::read::StoredCase>(&k, &v).map(|s| s.case) {
                Err(e) => d.push(diff(format!("case {no}"), e.to_string())),
                Ok(None) => d.push(diff(format!("case {no}"), "stored as not opened yet")),
                Ok(Some(have)) if &have != want => {
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
    for (on, want) in &world.conflicts {
        let k = key(keys::CONFLICT, on.as_bytes());
        match store.db.get(&k)?.map(|v| decode::<Vec<Conflict>>(&k, &v)) {
            None => d.push(diff(format!("conflicts of {on}"), "missing from the store")),
            Some(Err(e)) => d.push(diff(format!("conflicts of {on}"), e.to_string())),
            Some(Ok(have)) if &have != want => {
                d.push(diff(format!("conflicts of {on}"), format!("stored {have:?}\n    log says {want:?}")))
            }
            Some(Ok(_)) => {}
        }
    }
    for on in names(store, keys::CONFLICT)?.iter().filter(|on| !world.conflicts.contains_key(*on)) {
        d.push(diff(format!("conflicts of {on}"), "stored, but the log holds no such conflict"));
    }
    Ok(out)
}

fn names(store: &Store, prefix: &[u8]) -> Result<BTreeSet<String>, StoreError> {
    store.db.scan_prefix(prefix).keys().map(|k| Ok(String::from_utf8_lossy(&k?[prefix.len()..]).into_owned())).collect()
}
