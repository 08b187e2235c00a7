//! The key layout of the one sled tree. sled's costs — ingest time per key written,
//! start-up time and memory per key held — grow with the number of keys, not bytes,
//! so everything that grows with history is stored in pages: the log, the items and
//! the fingerprints. A log page holds at most 32 records and an item page 16 (and both
//! stop growing at a few KiB, see [`LOG_PAGE`] and [`ITEM_PAGE`] for why not more), so
//! the number of keys grows with history some twenty times slower than the number of
//! events.
//!
//! | key | value |
//! |---|---|
//! | `m/schema`, `m/realm`, `m/fold` | schema version, realm, version of the rules the cases were folded under |
//! | `m/case/<console>`, `m/item/<console>` | this console's case and item counters |
//! | `v/<console>` | that console's events are all held up to this sequence number |
//! | `l/<console>\0<first seq>` | log page: JSON array of that console's events with consecutive sequence numbers, packed (`pack.rs`) |
//! | `i/<console>\0<first n>` | item page: JSON array of items `<console>.<n>…` with consecutive numbers, packed |
//! | `q/<console>\0<first n>` | empty: that item page holds new items (the live queue) |
//! | `w/<item id>` | ids of triage events that arrived before the item itself |
//! | `c/<case no>` | the case projection and the order key of the last event folded in, packed |
//! | `e/<case no>` | the order keys of the case's events, sorted, packed |
//! | `o/<case no>` | empty: the case is open |
//! | `d/<console>\0<first n>` | fingerprint page: (fingerprint, n) pairs of that console's items |
//! | `r/<certificate sha-256>` | that console certificate is revoked; the value is its name |
//! | `h/<console>` | that console's newest signed head (JSON [`Head`](super::Head)) |
//! | `f/<console>\0<seq>` | a fork: a peer sent that event of that console on another history (JSON [`Fork`](super::Fork)) |
//! | `x/i:<item id>`, `x/c:<case no>` | conflicts among concurrent actions on that item or case (absent: none) |

pub const META_SCHEMA: &[u8] = b"m/schema";
pub const META_REALM: &[u8] = b"m/realm";
/// The version of the folding rules the stored cases were folded under.
pub const META_FOLD: &[u8] = b"m/fold";
pub const LOG: &[u8] = b"l/";
pub const QUEUE: &[u8] = b"q/";
pub const ITEM: &[u8] = b"i/";
pub const WAITING: &[u8] = b"w/";
pub const CASE: &[u8] = b"c/";
pub const CASE_EVENTS: &[u8] = b"e/";
pub const OPEN: &[u8] = b"o/";
pub const DEDUP: &[u8] = b"d/";
pub const VERSION: &[u8] = b"v/";
pub const REVOKED: &[u8] = b"r/";
pub const FORK: &[u8] = b"f/";
pub const HEAD: &[u8] = b"h/";
pub const CONFLICT: &[u8] = b"x/";
/// The operator roster, by operator id (`roster.rs`).
pub const ROSTER: &[u8] = b"p/";

/// How many records, and bytes of their JSON (before it is packed, see `pack.rs`), an
/// item page takes at most. Pages are kept small for sled: a tree node holds up to 16
/// keys, and a node larger than a quarter of a segment goes to a blob file of its own,
/// which sled rewrites whole on every change and whose values its cache cannot evict (it
/// weighs a node by its bytes in the log, and a blob's are only a pointer): pages of 128
/// records cost 2 KB of disk per item and kept every page ever written in memory
/// (docs/performance.md, P11 and P12). An item page is rewritten whenever one of its
/// items is triaged, so it is the smaller.
pub const ITEM_PAGE: (usize, usize) = (16, 8 * 1024);

/// The same for a log page, which is written while it fills and never changes after:
/// 16 packed log pages stay well under a quarter of a 1 MiB segment.
pub const LOG_PAGE: (usize, usize) = (32, 16 * 1024);

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

/// A big-endian u64 from a stored value (0 when absent or short).
pub fn be_u64(v: Option<&[u8]>) -> u64 {
    v.and_then(|b| b.try_into().ok()).map(u64::from_be_bytes).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_keys_round_trip() {
        let k = page(QUEUE, "A", 17);
        assert_eq!(parse_page(QUEUE, &k), Some(("A".to_string(), 17)));
        assert_eq!(split_item_id("A.17"), Some(("A", 17)));
    }
}
