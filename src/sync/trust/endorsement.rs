//! The authority's endorsement of one enrolled name: an ed25519 signature over
//! `yuqing-endorsement-v1`, the name, the role, the SHA-256 of the certificate (DER, hex)
//! and the ed25519 public key (hex), each followed by a NUL byte.

use super::credentials::Role;
use serde::{Deserialize, Serialize};

/// What a console shows of itself inside the secure channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endorsement {
    pub name: String,
    pub role: Role,
    /// SHA-256 of the certificate's DER, hex.
    pub cert: String,
    /// The ed25519 public key of the certificate (32 bytes, hex): it signs history.
    pub key: String,
    /// The authority's ed25519 signature over the fields above (64 bytes, hex).
    pub sig: String,
}

/// SHA-256 of a certificate's DER, hex.
pub fn fingerprint(der: &[u8]) -> String {
    crate::domain::codec::hash_bytes(der)
}

impl Endorsement {
    /// The bytes the authority signs.
    pub fn message(name: &str, role: Role, cert: &str, key: &str) -> Vec<u8> {
        let mut m = Vec::new();
        for part in ["yuqing-endorsement-v1", name, role.name(), cert, key] {
            m.extend_from_slice(part.as_bytes());
            m.push(0);
        }
        m
    }

    /// Checks a signed head: endorsed by the authority for its console, and signed with
    /// the endorsed key.
    pub fn check_head(head: &crate::store::Head, authority: &[u8]) -> Result<(), String> {
        let e: Endorsement =
            serde_json::from_value(head.endorsement.clone()).map_err(|e| format!("endorsement: {e}"))?;
        if !e.verify(authority) {
            return Err("the endorsement is not the cluster authority's".into());
        }
        if e.name != head.console {
            return Err(format!("signed by `{}`, not `{}`", e.name, head.console));
        }
        let (key, sig) =
            (hex::decode(&e.key).map_err(|x| x.to_string())?, hex::decode(&head.sig).map_err(|x| x.to_string())?);
        let msg = crate::store::Head::message(&head.console, head.seq, &head.hash);
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, key)
            .verify(&msg, &sig)
            .map_err(|_| "the signature does not verify".to_string())
    }

    /// Checks the signature with the authority's public key (raw, 32 bytes).
    pub fn verify(&self, authority: &[u8]) -> bool {
        let Ok(sig) = hex::decode(&self.sig) else { return false };
        let msg = Self::message(&self.name, self.role, &self.cert, &self.key);
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, authority).verify(&msg, &sig).is_ok()
    }
}
