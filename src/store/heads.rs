//! Signed heads: at each group commit a console that has a signing key signs the head
//! of its own history — its last sequence number and that event's chain hash — so that
//! anyone holding the head can check, through any relay, that every event of that
//! console up to it is the one its author wrote, in order, complete. The store keeps
//! the newest head of each console under `h/<console>` and compares it with the log in
//! `verify`; signing and checking signatures is the caller's (the store knows no keys).

use serde::{Deserialize, Serialize};

/// A console's signed head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub console: String,
    pub seq: u64,
    /// The chain hash of event `console:seq`.
    pub hash: String,
    /// The signer's ed25519 signature over [`Head::message`], hex.
    pub sig: String,
    /// Who signed, as the signer presents itself (the cluster authority's endorsement).
    pub endorsement: serde_json::Value,
}

impl Head {
    /// The bytes signed: `yuqing-head-v1`, the console, the sequence number (decimal)
    /// and the hash, each followed by a NUL byte.
    pub fn message(console: &str, seq: u64, hash: &str) -> Vec<u8> {
        let mut m = Vec::new();
        for part in ["yuqing-head-v1", console, &seq.to_string(), hash] {
            m.extend_from_slice(part.as_bytes());
            m.push(0);
        }
        m
    }
}

/// Signs a message with this console's key; the signature in hex.
pub type Sign = Box<dyn Fn(&[u8]) -> String + Send>;

/// What signs this console's heads, and the endorsement shown with it.
pub struct Signer {
    pub sign: Sign,
    pub endorsement: serde_json::Value,
}
