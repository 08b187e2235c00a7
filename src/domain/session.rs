//! What happens at a terminal between commands: who signs in and out, when the console
//! locks and unlocks, and sign-ins refused. Each is an event, so the audit names every
//! person who sat at a console, and every attempt to sit there as someone else.

use crate::domain::names::Named;
use crate::named_serde;

/// One change of who is at a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionAct {
    /// An operator signed in (with their PIN, where PINs are set), or was handed the shift.
    SignedIn,
    /// The signed-in operator signed out (handing over, or switching operator).
    SignedOut,
    /// The console locked (idle, or by hand): nothing shows until someone signs in.
    Locked,
    /// The operator who locked it signed in again.
    Unlocked,
    /// A sign-in was refused: wrong PIN, unknown or disabled operator.
    Refused,
}

impl Named for SessionAct {
    const WHAT: &'static str = "session act";
    const WHAT_ZH: &'static str = "值守动作";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (SessionAct::SignedIn, "signed_in", "签入"),
        (SessionAct::SignedOut, "signed_out", "签出"),
        (SessionAct::Locked, "locked", "锁屏"),
        (SessionAct::Unlocked, "unlocked", "解锁"),
        (SessionAct::Refused, "refused", "签入被拒"),
    ];
}
named_serde!(SessionAct);
