//! The handshake: each side sends `Hello` (protocol version, console, realm, role, a
//! fresh nonce, its clock), checks the other's, proves it holds the cluster key with an
//! HMAC over the other side's nonce, and checks the other's proof. Anything wrong is
//! refused with a reason both sides log, before any event moves.

use super::conn::{Conn, ConnError};
use super::key::ClusterKey;
use super::message::{Message, PROTOCOL_VERSION, PeerRole};
use crate::domain::event::SCHEMA_VERSION;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::time::Duration;

/// The whole handshake must finish within this.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// Who this side is.
#[derive(Debug, Clone)]
pub struct Me {
    pub console: String,
    pub realm: String,
    pub role: PeerRole,
}

/// Who the other side proved to be.
#[derive(Debug, Clone)]
pub struct Them {
    pub console: String,
    pub role: PeerRole,
    /// Their clock minus ours at the handshake, in milliseconds.
    pub skew_ms: i64,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// HMAC-SHA256 over "yuqing-v1", the nonce, the console and the realm, each followed by a NUL.
fn mac(key: &ClusterKey, nonce: &str, console: &str, realm: &str) -> Hmac<Sha256> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&key.0).expect("HMAC takes a key of any length");
    for part in ["yuqing-v1", nonce, console, realm] {
        m.update(part.as_bytes());
        m.update(&[0]);
    }
    m
}

/// The proof a side sends: the MAC, hex.
pub fn proof(key: &ClusterKey, nonce: &str, console: &str, realm: &str) -> String {
    hex(&mac(key, nonce, console, realm).finalize().into_bytes())
}

/// Checks a proof in constant time.
fn check_proof(key: &ClusterKey, nonce: &str, console: &str, realm: &str, proof: &str) -> bool {
    let Some(bytes) = (0..proof.len() / 2)
        .map(|i| u8::from_str_radix(proof.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    mac(key, nonce, console, realm).verify_slice(&bytes).is_ok()
}

/// Runs the handshake on `conn`; on failure the peer has been told why.
pub async fn handshake(conn: &mut Conn, key: &ClusterKey, me: &Me, now_ms: i64) -> Result<Them, ConnError> {
    let mut nonce = [0u8; 32];
    rand::fill(&mut nonce);
    let nonce = hex(&nonce);
    let hello = Message::Hello {
        version: PROTOCOL_VERSION,
        console: me.console.clone(),
        realm: me.realm.clone(),
        role: me.role,
        nonce: nonce.clone(),
        clock_ms: now_ms,
        schema: SCHEMA_VERSION,
    };
    conn.send(&hello).await?;
    let (console, role, their_nonce, clock_ms) = match conn.expect(HANDSHAKE_TIMEOUT).await? {
        Message::Hello { version, console, realm, role, nonce, clock_ms, schema } => {
            if schema != SCHEMA_VERSION {
                // One side could not read the other's events: both say so and stop.
                let reason = schema_reason(SCHEMA_VERSION, schema);
                let _ = conn.send(&Message::Refuse { reason: schema_reason(schema, SCHEMA_VERSION) }).await;
                return Err(ConnError::Schema(reason));
            }
            let refusal = if version != PROTOCOL_VERSION {
                Some(format!("protocol version {version} is not spoken here; this console speaks {PROTOCOL_VERSION}"))
            } else if realm != me.realm {
                Some(format!("realm mismatch: this console is `{}`, the peer is `{realm}`", me.realm))
            } else if role == PeerRole::Console && me.role == PeerRole::Console && console == me.console {
                // Both would number events `A.1`, `A.2`, … and each would ignore the other's.
                Some(format!("both consoles are named `{console}`; give each its own `name` in console.toml"))
            } else if role == PeerRole::Submitter && me.role == PeerRole::Submitter {
                Some("two submitters cannot talk to each other".to_string())
            } else if console.is_empty() || console.len() > 64 || nonce.len() != 64 {
                Some("malformed hello".to_string())
            } else {
                None
            };
            if let Some(reason) = refusal {
                let _ = conn.send(&Message::Refuse { reason: reason.clone() }).await;
                return Err(ConnError::Refused(format!("we refused: {reason}")));
            }
            (console, role, nonce, clock_ms)
        }
        other => {
            let _ = conn.send(&Message::Refuse { reason: format!("expected hello, got {}", other.kind()) }).await;
            return Err(ConnError::Unexpected(other.kind()));
        }
    };
    conn.send(&Message::Proof { mac: proof(key, &their_nonce, &me.console, &me.realm) }).await?;
    match conn.expect(HANDSHAKE_TIMEOUT).await? {
        Message::Proof { mac } if check_proof(key, &nonce, &console, &me.realm, &mac) => {}
        Message::Proof { .. } => {
            let reason = "wrong cluster key".to_string();
            let _ = conn.send(&Message::Refuse { reason: reason.clone() }).await;
            return Err(ConnError::Refused(format!("we refused {console}: {reason}")));
        }
        other => return Err(ConnError::Unexpected(other.kind())),
    }
    conn.authenticated();
    Ok(Them { console, role, skew_ms: clock_ms.saturating_sub(now_ms) })
}

/// Why a console writing event schema `mine` cannot sync with one writing `theirs`, as
/// told to the first.
fn schema_reason(mine: u16, theirs: u16) -> String {
    if theirs > mine {
        format!(
            "the peer writes events of schema {theirs}, newer than this console reads ({mine}): upgrade yuqing here"
        )
    } else {
        format!(
            "the peer reads events up to schema {theirs}, older than this console writes ({mine}): upgrade yuqing there"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_checks_only_with_the_same_key_nonce_console_and_realm() {
        let k = ClusterKey::from_bytes(&[7; 32]);
        let n = "ab".repeat(32);
        let mac = proof(&k, &n, "A", "live");
        assert!(check_proof(&k, &n, "A", "live", &mac));
        assert!(!check_proof(&ClusterKey::from_bytes(&[8; 32]), &n, "A", "live", &mac));
        assert!(!check_proof(&k, &"cd".repeat(32), "A", "live", &mac));
        assert!(!check_proof(&k, &n, "B", "live", &mac));
        assert!(!check_proof(&k, &n, "A", "drill:x", &mac));
        assert!(!check_proof(&k, &n, "A", "live", "zz"));
    }
}
