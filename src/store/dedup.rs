//! Recognising an item received before. Fingerprints are kept in pages (one key per
//! console per commit) and loaded into memory on the first ingest, not at start-up:
//! a key per item would halve ingest speed, since sled's cost is per key.

use super::keys::{self, DEDUP};
use super::{Store, StoreError};
use std::collections::{BTreeMap, HashMap};

/// Fingerprint → item, for every item received.
#[derive(Default)]
pub struct Dedup {
    /// Interned console names; an item is (console index, number).
    consoles: Vec<String>,
    seen: HashMap<u64, (u32, u64)>,
    /// Entries of this group not yet written, per console.
    pending: BTreeMap<String, Vec<(u64, u64)>>,
}

impl Dedup {
    /// Reads every dedup page.
    pub fn load(store: &Store) -> Result<Dedup, StoreError> {
        let mut d = Dedup::default();
        for kv in store.db.scan_prefix(DEDUP) {
            let (k, v) = kv?;
            let Some((console, _)) = keys::parse_page(DEDUP, &k) else { continue };
            let c = d.intern(&console);
            for pair in v.chunks_exact(16) {
                let fp = u64::from_be_bytes(pair[..8].try_into().unwrap_or_default());
                let n = u64::from_be_bytes(pair[8..].try_into().unwrap_or_default());
                d.seen.entry(fp).or_insert((c, n));
            }
        }
        Ok(d)
    }

    fn intern(&mut self, console: &str) -> u32 {
        match self.consoles.iter().position(|c| c == console) {
            Some(i) => i as u32,
            None => {
                self.consoles.push(console.to_string());
                (self.consoles.len() - 1) as u32
            }
        }
    }

    /// The item id received under this fingerprint, if any.
    pub fn get(&self, fp: u64) -> Option<String> {
        self.seen.get(&fp).map(|(c, n)| format!("{}.{n}", self.consoles[*c as usize]))
    }

    /// Records item `id` (`<console>.<n>`) under `fp`; the first item keeps a fingerprint.
    pub fn add(&mut self, fp: u64, id: &str) {
        let Some((console, n)) = keys::split_item_id(id) else { return };
        let c = self.intern(console);
        self.seen.entry(fp).or_insert((c, n));
        self.pending.entry(console.to_string()).or_default().push((fp, n));
    }

    /// The pending pages as (key, value), emptying them.
    pub fn take_pages(&mut self) -> Vec<(Vec<u8>, Vec<u8>)> {
        std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(console, entries)| {
                let first = entries.iter().map(|e| e.1).min().unwrap_or(0);
                let mut v = Vec::with_capacity(entries.len() * 16);
                for (fp, n) in entries {
                    v.extend_from_slice(&fp.to_be_bytes());
                    v.extend_from_slice(&n.to_be_bytes());
                }
                (keys::page(DEDUP, &console, first), v)
            })
            .collect()
    }
}
