//! A drill console's clock controls. The trainer pauses, changes speed and jumps; each
//! change is recorded as a `drill_paced` event, so it reaches the trainees at once (and
//! through hubs) and stays in the drill's record. A trainee's clock follows those events,
//! and heartbeats correct what differing wall clocks leave over.

use super::scenario::Scenario;
use crate::domain::clock::{Clock, DrillClock, DrillPace, SystemClock};
use crate::sync::PeerStatus;
use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex};

/// What the console's drill controls act on: the drill clock, and when the next entry
/// falls due (kept current by the runner).
pub struct Control {
    pub clock: Arc<DrillClock>,
    next: Mutex<Option<DateTime<Utc>>>,
    /// The peer clock measure last acted on.
    measured: Mutex<u64>,
    /// The scenario, for the score screen.
    pub scenario: Option<Scenario>,
}

impl Control {
    pub fn new(clock: Arc<DrillClock>) -> Control {
        Control { clock, next: Mutex::new(None), measured: Mutex::new(0), scenario: None }
    }

    pub fn with_scenario(mut self, s: Scenario) -> Control {
        self.scenario = Some(s);
        self
    }

    pub fn set_next(&self, due: Option<DateTime<Utc>>) {
        *self.next.lock().unwrap_or_else(|e| e.into_inner()) = due;
    }

    /// Moves the clock to the next entry; where it went, or `None` when no entry is left.
    pub fn jump_to_next(&self) -> Option<DateTime<Utc>> {
        let due = (*self.next.lock().unwrap_or_else(|e| e.into_inner()))?;
        self.clock.jump_to(due);
        Some(due)
    }

    /// The scenario's name, for headers.
    pub fn name(&self) -> Option<&str> {
        self.scenario.as_ref().map(|s| s.name.as_str())
    }

    /// The clock's pace now, to record after a change.
    pub fn pace(&self) -> DrillPace {
        self.clock.pace(SystemClock.now())
    }

    /// A trainee's clock takes the trainer's recorded pace.
    pub fn follow_pace(&self, p: &DrillPace) {
        self.clock.follow(p, SystemClock.now());
    }

    /// A trainee's clock corrects towards the trainer's, as its heartbeats measure it
    /// (each measure acted on once). Differences within what network delay explains at
    /// this speed are left alone.
    pub fn follow(&self, peers: &[PeerStatus]) {
        let Some(p) = peers.iter().find(|p| p.connected && p.measured > 0) else { return };
        let mut seen = self.measured.lock().unwrap_or_else(|e| e.into_inner());
        if *seen == p.measured {
            return;
        }
        *seen = p.measured;
        let tolerance = 500 + 100 * i64::from(self.clock.speed());
        if p.skew_ms.saturating_abs() > tolerance
            && let Some(by) = chrono::Duration::try_milliseconds(p.skew_ms)
        {
            self.clock.shift(by);
        }
    }
}
