//! The one source of "now". Countdowns, deadlines, stamps and tests all read a
//! [`Clock`]; nothing else in the program calls `Utc::now()`.

use chrono::{DateTime, Utc};
use std::sync::Mutex;

/// Something that says what time it is.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to: for tests and replays.
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A drill's virtual clock: the scenario's start plus elapsed real time times the
/// speed; it can be paused, sped up and moved forward.
#[derive(Debug)]
pub struct DrillClock(Mutex<DrillState>);

#[derive(Debug, Clone, Copy)]
struct DrillState {
    /// Virtual time at `base`.
    at: DateTime<Utc>,
    base: std::time::Instant,
    speed: f64,
    paused: bool,
}

impl DrillClock {
    pub fn new(start: DateTime<Utc>, speed: f64) -> DrillClock {
        DrillClock(Mutex::new(DrillState { at: start, base: std::time::Instant::now(), speed, paused: false }))
    }

    fn with<T>(&self, f: impl FnOnce(&mut DrillState) -> T) -> T {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Re-base on every change so the new setting applies from now on.
        let now = virtual_now(&s);
        s.at = now;
        s.base = std::time::Instant::now();
        f(&mut s)
    }

    pub fn set_speed(&self, speed: f64) {
        self.with(|s| s.speed = speed.max(0.0));
    }

    pub fn speed(&self) -> f64 {
        self.with(|s| s.speed)
    }

    pub fn pause(&self, paused: bool) {
        self.with(|s| s.paused = paused);
    }

    pub fn paused(&self) -> bool {
        self.with(|s| s.paused)
    }

    /// Moves the clock forward to `t` (never back).
    pub fn jump_to(&self, t: DateTime<Utc>) {
        self.with(|s| s.at = s.at.max(t));
    }
}

fn virtual_now(s: &DrillState) -> DateTime<Utc> {
    if s.paused {
        return s.at;
    }
    let real = s.base.elapsed().as_secs_f64() * s.speed;
    s.at + chrono::Duration::microseconds((real * 1e6) as i64)
}

impl Clock for DrillClock {
    fn now(&self) -> DateTime<Utc> {
        virtual_now(&self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_drill_clock_runs_at_its_speed_pauses_and_jumps() {
        let t0 = Utc.with_ymd_and_hms(2026, 6, 20, 5, 0, 0).unwrap();
        let c = DrillClock::new(t0, 3600.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let a = c.now();
        assert!(a >= t0 + chrono::Duration::seconds(60), "20 ms at 3600x is over a minute: {a}");
        c.pause(true);
        let p = c.now();
        std::thread::sleep(std::time::Duration::from_millis(10));
        assert_eq!(c.now(), p, "paused");
        c.jump_to(t0 + chrono::Duration::hours(5));
        assert_eq!(c.now(), t0 + chrono::Duration::hours(5));
        c.jump_to(t0);
        assert_eq!(c.now(), t0 + chrono::Duration::hours(5), "never back");
    }
}
