//! The clock bound between consoles (`max_clock_skew_seconds` in console.toml, live
//! realm only): a console whose clock differs from ours by more is refused after the
//! handshake, and a session whose heartbeats measure more ends, each side saying why.
//! Deadlines and event stamps depend on every console's clock.

use super::conn::{Conn, ConnError};
use super::handshake::Them;
use super::message::Message;
use crate::desk::Desk;
use crate::timefmt::{bound, offset};

/// The peer's clock differs from ours by more than the bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "clock of the peer differs by {} from this console's, more than the {} bound; fix the clock",
    offset(*skew_ms),
    bound(*bound_ms)
)]
pub struct TooFar {
    /// Their clock minus ours.
    pub skew_ms: i64,
    pub bound_ms: i64,
}

impl TooFar {
    /// The same, as the peer is told it.
    fn to_peer(&self) -> String {
        format!(
            "clock of this console differs by {} from the peer's, more than the peer's {} bound; fix the clock",
            offset(self.skew_ms),
            bound(self.bound_ms)
        )
    }
}

/// Checks a measured difference (their clock minus ours) against the bound of `desk`.
pub fn check(desk: &Desk, skew_ms: i64) -> Result<(), TooFar> {
    match desk.settings().console.clock_bound_ms(desk.store().realm()) {
        Some(bound_ms) if skew_ms.saturating_abs() > bound_ms => Err(TooFar { skew_ms, bound_ms }),
        _ => Ok(()),
    }
}

/// Right after a console's handshake: refuses it, telling it why, when its clock (as
/// its hello said) is too far from ours.
pub async fn at_handshake(conn: &mut Conn, them: &Them, desk: &Desk) -> Result<(), ConnError> {
    if let Err(far) = check(desk, them.skew_ms) {
        let _ = conn.send(&Message::Refuse { reason: far.to_peer() }).await;
        return Err(far.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_read_the_difference_from_where_they_stand() {
        let far = TooFar { skew_ms: 3 * 3_600_000 + 2 * 60_000, bound_ms: 120_000 };
        assert_eq!(
            far.to_string(),
            "clock of the peer differs by +3h02m from this console's, more than the 2-minute bound; fix the clock"
        );
        assert!(far.to_peer().starts_with("clock of this console differs by +3h02m from the peer's"));
    }
}
