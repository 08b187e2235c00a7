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
    speed: u32,
    paused: bool,
    ended: bool,
    /// The clock waits here until moved on (the next entry's time, while the drill's
    /// runner delivers it), so no speed carries it past an entry.
    stop_at: Option<DateTime<Utc>>,
}

/// A drill clock's whole state at one wall-clock moment: enough for another console to
/// run its clock in step (recorded as a `drill_paced` event when the trainer changes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DrillPace {
    /// Virtual time at `wall`.
    pub at: DateTime<Utc>,
    /// The wall-clock moment.
    pub wall: DateTime<Utc>,
    /// Virtual seconds per real second.
    pub speed: u32,
    pub paused: bool,
    /// The drill is over: every entry was delivered and the clock stopped for good.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ended: bool,
}

impl DrillPace {
    /// The virtual time this pace gives at wall-clock `wall` (`at` itself should the
    /// sum leave the calendar: a pace comes from another console).
    pub fn at_wall(&self, wall: DateTime<Utc>) -> DateTime<Utc> {
        if self.paused || self.ended {
            return self.at;
        }
        (wall - self.wall)
            .checked_mul(i32::try_from(self.speed).unwrap_or(i32::MAX))
            .and_then(|d| self.at.checked_add_signed(d))
            .unwrap_or(self.at)
    }
}

impl DrillClock {
    pub fn new(start: DateTime<Utc>, speed: u32) -> DrillClock {
        DrillClock(Mutex::new(DrillState {
            at: start,
            base: std::time::Instant::now(),
            speed,
            paused: false,
            ended: false,
            stop_at: None,
        }))
    }

    /// A clock that waits at `stop` from the first instant (a trainer's, held at the
    /// first entry: at a high speed even the time it takes to place a hold would carry
    /// a clock made running past it).
    pub fn held(start: DateTime<Utc>, speed: u32, stop: DateTime<Utc>) -> DrillClock {
        let c = DrillClock::new(start, speed);
        c.0.lock().unwrap_or_else(|e| e.into_inner()).stop_at = Some(stop);
        c
    }

    /// This clock's pace at wall-clock `wall`.
    pub fn pace(&self, wall: DateTime<Utc>) -> DrillPace {
        self.with(|s| DrillPace { at: s.at, wall, speed: s.speed, paused: s.paused, ended: s.ended })
    }

    /// Runs in step with `p` (another console's pace) from wall-clock `wall` on. Unlike
    /// the trainer's controls this may move the clock back, a little: the trainer's
    /// clock is the drill's time.
    pub fn follow(&self, p: &DrillPace, wall: DateTime<Utc>) {
        self.with(|s| {
            s.at = p.at_wall(wall);
            s.speed = p.speed;
            s.paused = p.paused || p.ended;
            s.ended = p.ended;
        });
    }

    /// Moves the clock by `by`, either way (a trainee correcting towards the trainer);
    /// a shift off the calendar is ignored.
    pub fn shift(&self, by: chrono::Duration) {
        self.with(|s| s.at = s.at.checked_add_signed(by).unwrap_or(s.at));
    }

    fn with<T>(&self, f: impl FnOnce(&mut DrillState) -> T) -> T {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Re-base on every change so the new setting applies from now on.
        let now = virtual_now(&s);
        s.at = now;
        s.base = std::time::Instant::now();
        f(&mut s)
    }

    pub fn set_speed(&self, speed: u32) {
        self.with(|s| s.speed = speed);
    }

    pub fn speed(&self) -> u32 {
        self.with(|s| s.speed)
    }

    pub fn pause(&self, paused: bool) {
        self.with(|s| s.paused = paused);
    }

    pub fn paused(&self) -> bool {
        self.with(|s| s.paused)
    }

    /// Stops the clock for good: the drill is over.
    pub fn end(&self) {
        self.with(|s| {
            s.paused = true;
            s.ended = true;
        });
    }

    pub fn ended(&self) -> bool {
        self.with(|s| s.ended)
    }

    /// Holds the clock at `t` once it gets there, until held elsewhere: the runner
    /// holds it at the next entry, so an entry is delivered at its own time whatever
    /// the speed, and the drill ends at its last entry.
    pub fn hold_at(&self, t: DateTime<Utc>) {
        self.with(|s| s.stop_at = Some(t));
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
    let real = s.base.elapsed().as_secs_f64() * f64::from(s.speed);
    let t = s.at + chrono::Duration::microseconds((real * 1e6) as i64);
    // Held where the runner said; a clock already past that (moved there) stays put.
    s.stop_at.filter(|stop| *stop < t).map_or(t, |stop| stop.max(s.at))
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
        let c = DrillClock::new(t0, 3600);
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

    #[test]
    fn a_follower_runs_in_step_with_a_pace_and_stops_when_it_is_paused() {
        let t0 = Utc.with_ymd_and_hms(2026, 6, 20, 5, 0, 0).unwrap();
        let wall = Utc.with_ymd_and_hms(2026, 11, 28, 16, 0, 0).unwrap();
        let running = DrillPace { at: t0, wall, speed: 60, paused: false, ended: false };
        assert_eq!(running.at_wall(wall + chrono::Duration::seconds(10)), t0 + chrono::Duration::minutes(10));
        let c = DrillClock::new(t0 + chrono::Duration::hours(3), 1);
        c.follow(&DrillPace { paused: true, ..running }, wall + chrono::Duration::seconds(10));
        assert_eq!(c.now(), t0, "a paused pace sets the time exactly, even back");
        assert!(c.paused());
        c.follow(&running, wall + chrono::Duration::seconds(10));
        assert!(!c.paused());
        assert_eq!(c.speed(), 60);
        assert!(c.now() >= t0 + chrono::Duration::minutes(10));
        assert_eq!(c.pace(wall).speed, 60);
        let wild = DrillPace { speed: u32::MAX, wall: DateTime::<Utc>::MIN_UTC, ..running };
        assert_eq!(wild.at_wall(wall), t0, "a pace that would leave the calendar keeps its time");
        c.shift(chrono::Duration::MAX);
        assert!(c.now() >= t0, "and so does a wild shift");
    }
}
