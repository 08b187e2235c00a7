//! The handshake, inside the secure channel. TLS 1.3 has already proved that the peer
//! holds the key of a certificate the cluster authority signed. Each side then sends
//! `hello` (protocol version, name, realm, role, clock, event schema, and the
//! authority's endorsement of its name, role, certificate and key) and checks the
//! other's: the endorsement must verify with the authority's key *and* name the very
//! certificate the peer presented, so the name is the certificate's, never a claim.
//! Anything wrong is refused with a reason both sides log, before any event moves.

use super::conn::{Conn, ConnError};
use super::message::{Message, PROTOCOL_VERSION, PeerRole};
use super::trust::{Endorsement, Role};
use crate::domain::event::SCHEMA_VERSION;
use std::time::Duration;

/// The whole handshake (TLS and `hello`) must finish within this.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// Who this side is.
#[derive(Debug, Clone)]
pub struct Me {
    pub console: String,
    pub realm: String,
    pub role: PeerRole,
    pub endorsement: Endorsement,
    /// The authority's public key (raw ed25519).
    pub authority: Vec<u8>,
}

/// Who the other side proved to be.
#[derive(Debug, Clone)]
pub struct Them {
    pub console: String,
    pub role: PeerRole,
    /// Their clock minus ours at the handshake, in milliseconds.
    pub skew_ms: i64,
    /// Their endorsement (name, role, certificate fingerprint, history key).
    pub endorsement: Endorsement,
}

/// Why a hello is not acceptable, as told to its sender; `None` when it is.
fn check_hello(me: &Me, peer_cert: Option<&str>, hello: &Message) -> Option<String> {
    let Message::Hello { version, console, realm, role, endorsement, .. } = hello else {
        return Some(format!("expected hello, got {}", hello.kind()));
    };
    if *version != PROTOCOL_VERSION {
        return Some(format!("protocol version {version} is not spoken here; this console speaks {PROTOCOL_VERSION}"));
    }
    if !endorsement.verify(&me.authority) {
        return Some("the endorsement is not the cluster authority's".into());
    }
    if Some(endorsement.cert.as_str()) != peer_cert {
        return Some("the endorsement is for another certificate".into());
    }
    if endorsement.name != *console {
        return Some(format!("the certificate is enrolled as `{}`, not `{console}`", endorsement.name));
    }
    if *role == PeerRole::Console && endorsement.role != Role::Console {
        return Some(format!("`{console}` is enrolled as a {}, not a console", endorsement.role.name()));
    }
    if *realm != me.realm {
        return Some(format!("realm mismatch: this console is `{}`, the peer is `{realm}`", me.realm));
    }
    if *role == PeerRole::Console && me.role == PeerRole::Console && *console == me.console {
        // Both would number events `A.1`, `A.2`, … and each would ignore the other's.
        return Some(format!(
            "both consoles are named `{console}`; each console needs its own enrolment (`yuqing cluster enroll NAME`)"
        ));
    }
    if *role == PeerRole::Submitter && me.role == PeerRole::Submitter {
        return Some("two submitters cannot talk to each other".into());
    }
    None
}

/// Runs the handshake on a secured `conn`; on failure the peer has been told why.
pub async fn handshake(conn: &mut Conn, me: &Me, now_ms: i64) -> Result<Them, ConnError> {
    let hello = Message::Hello {
        version: PROTOCOL_VERSION,
        console: me.console.clone(),
        realm: me.realm.clone(),
        role: me.role,
        clock_ms: now_ms,
        schema: SCHEMA_VERSION,
        endorsement: me.endorsement.clone(),
    };
    conn.send(&hello).await?;
    let theirs = match conn.expect(HANDSHAKE_TIMEOUT).await {
        Err(ConnError::Timeout(t)) => {
            let _ = conn.send(&Message::Refuse { reason: "handshake not finished in time".into() }).await;
            return Err(ConnError::Timeout(t));
        }
        other => other?,
    };
    if let Message::Hello { schema, role, .. } = &theirs
        && *role == PeerRole::Console
        && *schema != SCHEMA_VERSION
    {
        // One side could not read the other's events: both say so and stop. (A
        // submitter exchanges no events: its schema does not matter.)
        let reason = schema_reason(SCHEMA_VERSION, *schema);
        let _ = conn.send(&Message::Refuse { reason: schema_reason(*schema, SCHEMA_VERSION) }).await;
        return Err(ConnError::Schema(reason));
    }
    if let Some(reason) = check_hello(me, conn.peer_certificate().as_deref(), &theirs) {
        let _ = conn.send(&Message::Refuse { reason: reason.clone() }).await;
        return Err(match theirs {
            Message::Hello { .. } => ConnError::Refusing(reason),
            other => ConnError::Unexpected(other.kind()),
        });
    }
    let Message::Hello { console, role, clock_ms, endorsement, .. } = theirs else {
        unreachable!("checked to be a hello")
    };
    conn.authenticated();
    Ok(Them { console, role, skew_ms: clock_ms.saturating_sub(now_ms), endorsement })
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
