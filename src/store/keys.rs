//! The key layout of the one sled tree. Every key starts with a one-letter family:
//!
//! | key | value |
//! |---|---|
//! | `m/…` | meta: schema version, realm, own counters |
//! | `l/<order key>` | the event, JSON |
//! | `e/<console>\0<seq>` | the event's order key (duplicate detection) |
//! | `v/<console>` | highest sequence seen from that console (version vector) |
//! | `a/<aggregate>\0<order key>` | empty: the aggregate's events, in order |
//! | `z/<aggregate>` | order key of the last event folded into its projection |
//! | `i/<item id>` | item projection, JSON |
//! | `c/<case no>` | case projection, JSON |
//! | `q/<item id>` | empty: the item is new (the live queue) |
//! | `o/<case no>` | empty: the case is open |
//! | `d/<dedup key>` | item id already received under that key |

use crate::domain::event::EventId;

pub const META_SCHEMA: &[u8] = b"m/schema";
pub const META_REALM: &[u8] = b"m/realm";
pub const LOG: &[u8] = b"l/";
pub const ITEM: &[u8] = b"i/";
pub const CASE: &[u8] = b"c/";
pub const QUEUE: &[u8] = b"q/";
pub const OPEN: &[u8] = b"o/";
pub const VERSION: &[u8] = b"v/";
pub const AGG: &[u8] = b"a/";

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

pub fn event_id(id: &EventId) -> Vec<u8> {
    let mut k = format!("e/{}", id.console).into_bytes();
    k.push(0);
    k.extend_from_slice(&id.seq.to_be_bytes());
    k
}

/// The prefix under which an aggregate's events are indexed.
pub fn agg_prefix(agg: &str) -> Vec<u8> {
    let mut k = key(AGG, agg.as_bytes());
    k.push(0);
    k
}

pub fn agg_last(agg: &str) -> Vec<u8> {
    key(b"z/", agg.as_bytes())
}

pub fn dedup(k: &str) -> Vec<u8> {
    key(b"d/", k.as_bytes())
}

/// A big-endian u64 from a stored value (0 when absent or short).
pub fn be_u64(v: Option<&[u8]>) -> u64 {
    v.and_then(|b| b.try_into().ok()).map(u64::from_be_bytes).unwrap_or(0)
}
