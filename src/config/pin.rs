//! PINs: stored only as argon2id hashes (PHC strings) in `operators.toml`, made with
//! the parameters below (`docs/operators.md` lists them), and checked with whatever
//! parameters the stored hash names, so stronger ones can come later.

use crate::domain::said::Said;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

/// Shortest PIN accepted unless `min_pin_length` in console.toml asks for more.
pub const MIN_PIN: usize = 6;

/// The least `min_pin_length` console.toml may set.
pub const MIN_PIN_FLOOR: usize = 4;

/// Memory per hash in KiB (19 MiB), passes and lanes: the first argon2id setting of
/// OWASP's password storage guide, and the argon2 crate's default, written out so that
/// the manual can name them and a test can hold them.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// Refuses a PIN to be set: shorter than `min_len`, with spaces, or starting like an
/// operator token (a secret typed for `--to` that starts with `yqt_` is taken as one).
pub fn acceptable(pin: &str, min_len: usize) -> Result<(), Said> {
    let said = |en: String, zh: String| Err(Said { en, zh });
    if pin.chars().count() < min_len {
        return said(
            format!("the PIN is too short; use at least {min_len} digits or letters"),
            format!("口令太短，请至少用 {min_len} 位数字或字母"),
        );
    }
    if pin.chars().any(char::is_whitespace) {
        return said("the PIN must not contain spaces".into(), "口令不能含空格".into());
    }
    if super::token::looks_like_token(pin) {
        let prefix = super::token::PREFIX;
        return said(
            format!("a PIN must not start with `{prefix}`, as operator tokens do"),
            format!("口令不能以 `{prefix}` 开头，那是值守人员令牌的开头"),
        );
    }
    Ok(())
}

/// The argon2id hash of `pin` with a fresh random salt (the crate draws it from the
/// operating system), for storage.
pub fn hash(pin: &str) -> Result<String, String> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| e.to_string())?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(pin.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// True when `pin` matches the stored hash.
pub fn check(stored: &str, pin: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(pin.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_checks_only_against_its_own_hash() {
        let h = hash("246813").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "the documented parameters: {h}");
        assert!(check(&h, "246813"));
        assert!(!check(&h, "246814"));
        assert!(!check("not a hash", "246813"));
        assert_ne!(hash("246813").unwrap(), h, "each hash has its own salt");
    }

    /// Made by argon2 0.5 (the crate before the upgrade) with the parameters above: PINs
    /// set before an upgrade still sign in after it.
    #[test]
    fn a_hash_stored_by_the_earlier_release_still_checks() {
        let old = "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$1eCLlwLJegTPL0mZlvwCCCKV3jc/yZ7BZvELPe9i95Q";
        assert!(check(old, "246813"));
        assert!(!check(old, "246814"));
    }

    #[test]
    fn a_pin_is_long_enough_without_spaces_and_not_like_a_token() {
        let short = acceptable("12345", MIN_PIN).unwrap_err();
        assert!(short.en.contains("at least 6") && short.zh.contains("至少用 6 位"), "{short:?}");
        assert!(acceptable("123456", MIN_PIN).is_ok());
        assert!(acceptable("1234567", 8).unwrap_err().en.contains("at least 8"));
        let spaced = acceptable("123 456", MIN_PIN).unwrap_err();
        assert!(spaced.en.contains("spaces") && spaced.zh.contains("空格"), "{spaced:?}");
        let token = acceptable("yqt_123456", MIN_PIN).unwrap_err();
        assert!(token.en.contains("yqt_") && token.zh.contains("yqt_"), "{token:?}");
    }
}
