//! Operator tokens: 32 random bytes, shown once as `yqt_` and 64 hex digits, for acting
//! through another console (`--to`) without a PIN. `operators.toml` keeps only their
//! SHA-256 (`sha256:` and hex): a token is random, so a fast hash is enough, and no
//! salt is needed.

use subtle::ConstantTimeEq;

/// What every token starts with, so that a token is told from a PIN when typed.
pub const PREFIX: &str = "yqt_";

const STORED: &str = "sha256:";

/// A new token and what to store for it.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let token = format!("{PREFIX}{}", hex::encode(bytes));
    let stored = hash(&token);
    (token, stored)
}

/// What `operators.toml` keeps for `token`.
pub fn hash(token: &str) -> String {
    format!("{STORED}{}", crate::domain::codec::hash_bytes(token.as_bytes()))
}

/// True when `token` is the one `stored` was made from; the comparison takes the same
/// time wherever the two differ.
pub fn check(stored: &str, token: &str) -> bool {
    bool::from(hash(token).as_bytes().ct_eq(stored.as_bytes()))
}

/// True when a typed secret is a token rather than a PIN.
pub fn looks_like_token(secret: &str) -> bool {
    secret.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_checks_only_against_its_own_hash() {
        let (token, stored) = generate();
        assert!(token.starts_with(PREFIX) && token.len() == PREFIX.len() + 64, "{token}");
        assert!(stored.starts_with("sha256:") && !stored.contains(&token[PREFIX.len()..]));
        assert!(check(&stored, &token));
        let (other, _) = generate();
        assert_ne!(token, other);
        assert!(!check(&stored, &other));
        assert!(!check(&stored, ""));
        assert!(!check("", &token));
        assert!(looks_like_token(&token) && !looks_like_token("2468"));
    }
}
