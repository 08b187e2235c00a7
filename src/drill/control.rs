//! A drill console's clock controls. The trainer pauses, changes speed and jumps; each
//! change is recorded as a `drill_paced` event, so it reaches the trainees at once (and
//! through hubs) and stays in the drill's record.
//!
//! A trainee's clock follows the trainer's latest pace, read at the trainer's wall
//! clock: its own wall clock plus the difference the handshake and heartbeats measure
//! (a drill's consoles exchange wall clocks, not drill clocks). So a trainee that joins
//! or rejoins is where the trainer is as soon as it holds the pace and one measure,
//! whatever the speed. While no trainer is connected its clock stands still: a trainee
//! never runs on alone, and the console says why (`view/chrome.rs`).

use super::scenario::Scenario;
use crate::domain::clock::{Clock, DrillClock, DrillPace, SystemClock};
use crate::sync::PeerStatus;
use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex};

/// A following clock is moved when it is further than this from the trainer's.
const FOLLOW_SLACK_MS: i64 = 1_000;

/// What the console's drill controls act on: the drill clock, and when the next entry
/// falls due (kept current by the runner).
pub struct Control {
    pub clock: Arc<DrillClock>,
    next: Mutex<Option<DateTime<Utc>>>,
    /// A trainee's view of its trainer.
    trainer: Mutex<Trainer>,
    /// The scenario, for the score screen.
    pub scenario: Option<Scenario>,
}

/// What a trainee knows of the trainer's clock.
#[derive(Debug, Default)]
struct Trainer {
    /// The trainer's latest recorded pace.
    pace: Option<DrillPace>,
    /// The trainer's wall clock minus ours, while connected; `None` while not.
    skew_ms: Option<i64>,
    /// The peer clock measure last acted on.
    measured: u64,
}

impl Control {
    pub fn new(clock: Arc<DrillClock>) -> Control {
        Control { clock, next: Mutex::new(None), trainer: Mutex::default(), scenario: None }
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

    /// A trainee's clock takes the trainer's recorded pace: at once while the trainer
    /// is connected, else when it is (the clock stands still meanwhile). The end is
    /// taken at once: it stops the clock for good either way.
    pub fn follow_pace(&self, p: &DrillPace) {
        let mut t = self.trainer.lock().unwrap_or_else(|e| e.into_inner());
        t.pace = Some(*p);
        match t.skew_ms {
            Some(skew) => self.clock.follow(p, trainer_wall(skew)),
            None if p.ended => self.clock.follow(p, SystemClock.now()),
            None => {}
        }
    }

    /// A trainee picked up again from its own folder: its clock stands at `through`
    /// (where its log ends), paused, until the trainer is connected; then it takes the
    /// trainer's pace (`pace`, the last it holds, until newer ones arrive).
    pub fn hold(&self, through: DateTime<Utc>, pace: Option<DrillPace>) {
        self.clock.jump_to(through);
        self.clock.pause(true);
        if let Some(p) = pace {
            self.follow_pace(&p);
        }
    }

    /// A trainee's clock follows the connected trainer, as the peer table measures its
    /// wall clock (each measure acted on once); with no trainer connected it stands
    /// still. Called on every tick of a trainee's console.
    pub fn follow(&self, peers: &[PeerStatus]) {
        let mut t = self.trainer.lock().unwrap_or_else(|e| e.into_inner());
        let Some(p) = peers.iter().find(|p| p.connected) else {
            t.skew_ms = None;
            if !self.clock.paused() {
                self.clock.pause(true);
            }
            return;
        };
        let back = t.skew_ms.is_none();
        if !back && t.measured == p.measured {
            return;
        }
        t.measured = p.measured;
        t.skew_ms = Some(p.skew_ms);
        let Some(pace) = t.pace else { return };
        let wall = trainer_wall(p.skew_ms);
        let off = (pace.at_wall(wall) - self.clock.now()).num_milliseconds().saturating_abs();
        if back || off > FOLLOW_SLACK_MS || self.clock.paused() != (pace.paused || pace.ended) {
            self.clock.follow(&pace, wall);
        }
    }
}

/// The trainer's wall clock now, from ours and the measured difference.
fn trainer_wall(skew_ms: i64) -> DateTime<Utc> {
    let now = SystemClock.now();
    chrono::Duration::try_milliseconds(skew_ms).and_then(|d| now.checked_add_signed(d)).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn peer(connected: bool, skew_ms: i64, measured: u64) -> PeerStatus {
        PeerStatus {
            name: "trainer:7421".into(),
            console: Some("T".into()),
            connected,
            since: Utc::now(),
            error: (!connected).then(|| "connection closed by the peer".into()),
            skew_ms,
            measured,
            behind: 0,
        }
    }

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, 12, 7, 0, 0).unwrap()
    }

    /// Drill milliseconds between `c` and where `pace` is at the trainer's wall clock.
    fn off(c: &Control, pace: &DrillPace, skew_ms: i64) -> i64 {
        (pace.at_wall(trainer_wall(skew_ms)) - c.clock.now()).num_milliseconds().abs()
    }

    #[test]
    fn a_trainee_reads_the_pace_at_the_trainers_wall_clock_at_any_speed() {
        // The trainer's wall clock is 200 ms ahead; at 60× that is 12 drill seconds.
        let pace = DrillPace { at: start(), wall: SystemClock.now(), speed: 60, paused: false, ended: false };
        let c = Control::new(Arc::new(DrillClock::new(start(), 1)));
        c.follow(&[peer(true, 200, 1)]);
        c.follow_pace(&pace);
        assert!(off(&c, &pace, 200) < 500, "off by {} ms", off(&c, &pace, 200));
        assert!(!c.clock.paused() && c.clock.speed() == 60);
        // Rejoined with a stale pace: it is where the trainer is at the first measure.
        let rejoined = Control::new(Arc::new(DrillClock::new(start(), 1)));
        rejoined.hold(start() - Duration::minutes(30), Some(pace));
        assert!(rejoined.clock.paused(), "not connected yet: it stands still");
        rejoined.follow(&[peer(true, 200, 1)]);
        assert!(off(&rejoined, &pace, 200) < 500, "off by {} ms", off(&rejoined, &pace, 200));
    }

    #[test]
    fn with_the_trainer_gone_the_clock_stands_still_and_goes_on_when_it_is_back() {
        let pace = DrillPace { at: start(), wall: SystemClock.now(), speed: 60, paused: false, ended: false };
        let c = Control::new(Arc::new(DrillClock::new(start(), 1)));
        c.follow(&[peer(true, 0, 1)]);
        c.follow_pace(&pace);
        assert!(!c.clock.paused());
        c.follow(&[peer(false, 0, 1)]);
        assert!(c.clock.paused(), "the trainer is gone: the trainee waits");
        let held = c.clock.now();
        c.follow_pace(&pace);
        assert_eq!(c.clock.now(), held, "a pace while gone waits for the trainer");
        c.follow(&[peer(true, 0, 2)]);
        assert!(!c.clock.paused() && off(&c, &pace, 0) < 500, "back: where the trainer is");
    }
}
