//! The key layout of the one sled tree. sled's cost is per key, not per byte, so the
//! hot path (ingest) writes about one key per item: the log and the live queue are
//! stored in pages, one key per run of consecutive events or items.
//!
//! | key | value |
//! |---|---|
//! | `m/schema`, `m/realm` | schema version, realm |
//! | `m/case/<console>`, `m/item/<console>` | this console's case and item counters |
//! | `l/<console>\0<first seq>` | log page: JSON array of that console's events with consecutive sequence numbers |
//! | `q/<console>\0<first n>` | queue page: JSON array of new items `<console>.<n>…` received together |
//! | `i/<item id>` | item projection, once it has left the queue |
//! | `c/<case no>` | case projection |
//! | `o/<case no>` | empty: the case is open |
//! | `a/<aggregate>\0<order key>` | event id: the aggregate's events after creation, in order |
//! | `z/<aggregate>` | order key of the last event folded into a case projection |
//! | `d/<console>\0<first n>` | dedup page: (fingerprint, n) pairs of that console's items received together |

use crate::domain::event::EventId;

pub const META_SCHEMA: &[u8] = b"m/schema";
pub const META_REALM: &[u8] = b"m/realm";
pub const LOG: &[u8] = b"l/";
pub const QUEUE: &[u8] = b"q/";
pub const ITEM: &[u8] = b"i/";
pub const CASE: &[u8] = b"c/";
pub const OPEN: &[u8] = b"o/";
pub const DEDUP: &[u8] = b"d/";

/// Events or items per page.
pub const PAGE: usize = 128;

/// `prefix` followed by `rest`.
pub fn key(prefix: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + rest.len());
    k.extend_from_slice(prefix);
    k.extend_from_slice(rest);
    k
}

/// Meta counter key for this console, e.g. `m/case/A`.
pub fn counter(what: &str, console: &str) -> Vec<u8> {
    format!("m/{what}/{console}").into_bytes()
}

/// `family/<console>\0<n BE>`: a page key, or the upper bound to find the page holding `n`.
pub fn page(family: &[u8], console: &str, n: u64) -> Vec<u8> {
    let mut k = page_prefix(family, console);
    k.extend_from_slice(&n.to_be_bytes());
    k
}

/// `family/<console>\0`: every page of one console.
pub fn page_prefix(family: &[u8], console: &str) -> Vec<u8> {
    let mut k = key(family, console.as_bytes());
    k.push(0);
    k
}

/// The console and first number of a page key.
pub fn parse_page(family: &[u8], k: &[u8]) -> Option<(String, u64)> {
    let rest = k.strip_prefix(family)?;
    let nul = rest.iter().position(|&b| b == 0)?;
    let console = std::str::from_utf8(&rest[..nul]).ok()?.to_string();
    Some((console, u64::from_be_bytes(rest[nul + 1..].try_into().ok()?)))
}

/// `A.17` → (`A`, 17).
pub fn split_item_id(id: &str) -> Option<(&str, u64)> {
    let (c, n) = id.rsplit_once('.')?;
    Some((c, n.parse().ok()?))
}

pub fn event_id_bytes(id: &EventId) -> Vec<u8> {
    let mut v = id.console.as_bytes().to_vec();
    v.push(0);
    v.extend_from_slice(&id.seq.to_be_bytes());
    v
}

pub fn parse_event_id(v: &[u8]) -> Option<EventId> {
    let nul = v.iter().position(|&b| b == 0)?;
    Some(EventId {
        console: std::str::from_utf8(&v[..nul]).ok()?.to_string(),
        seq: u64::from_be_bytes(v[nul + 1..].try_into().ok()?),
    })
}

/// The prefix under which an aggregate's events are indexed.
pub fn agg_prefix(agg: &str) -> Vec<u8> {
    let mut k = key(b"a/", agg.as_bytes());
    k.push(0);
    k
}

pub fn agg_last(agg: &str) -> Vec<u8> {
    key(b"z/", agg.as_bytes())
}


/// A big-endian u64 from a stored value (0 when absent or short).
pub fn be_u64(v: Option<&[u8]>) -> u64 {
    v.and_then(|b| b.try_into().ok()).map(u64::from_be_bytes).unwrap_or(0)
}

/// Splits sorted numbers into runs of consecutive values, at most [`PAGE`] long.
pub fn runs<T>(sorted: Vec<(u64, T)>) -> Vec<Vec<(u64, T)>> {
    let mut out: Vec<Vec<(u64, T)>> = Vec::new();
    for (n, v) in sorted {
        match out.last_mut() {
            Some(run) if run.len() < PAGE && run.last().is_some_and(|(m, _)| *m + 1 == n) => run.push((n, v)),
            _ => out.push(vec![(n, v)]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_at_gaps_and_page_size() {
        let nums: Vec<(u64, ())> = [1, 2, 3, 5, 6].iter().map(|&n| (n, ())).collect();
        let lens: Vec<usize> = runs(nums).iter().map(Vec::len).collect();
        assert_eq!(lens, vec![3, 2]);
        let many: Vec<(u64, ())> = (0..300).map(|n| (n, ())).collect();
        let lens: Vec<usize> = runs(many).iter().map(Vec::len).collect();
        assert_eq!(lens, vec![128, 128, 44]);
    }

    #[test]
    fn page_keys_round_trip() {
        let k = page(QUEUE, "A", 17);
        assert_eq!(parse_page(QUEUE, &k), Some(("A".to_string(), 17)));
        assert_eq!(split_item_id("A.17"), Some(("A", 17)));
    }
}
