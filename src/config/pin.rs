//! PINs: stored only as argon2 hashes (PHC strings) in `operators.toml`.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest PIN accepted.
pub const MIN_PIN: usize = 4;

/// Hashes a PIN for storage; refuses one that is too short or not digits and letters.
pub fn hash(pin: &str) -> Result<String, String> {
    if pin.chars().count() < MIN_PIN {
        return Err(format!("the PIN is too short; use at least {MIN_PIN} characters"));
    }
    if pin.chars().any(char::is_whitespace) {
        return Err("the PIN must not contain spaces".into());
    }
    let mut salt = [0u8; 16];
    rand::fill(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(pin.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
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
        let h = hash("2468").unwrap();
        assert!(h.starts_with("$argon2"));
        assert!(check(&h, "2468"));
        assert!(!check(&h, "2469"));
        assert!(!check("not a hash", "2468"));
        assert!(hash("123").unwrap_err().contains("too short"));
    }
}
