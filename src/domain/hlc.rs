//! Hybrid logical clock stamps: wall-clock milliseconds plus a counter, so that every
//! event a console makes is ordered after everything it has seen, even when clocks
//! disagree a little. A console's clock ([`Hlc`]) follows stamps it sees only up to a
//! bound ahead of its wall clock, so one console with a fast clock cannot drag every
//! other console's stamps ahead with it.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// One hybrid logical clock reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Stamp {
    /// Physical part: milliseconds since the Unix epoch.
    pub ms: i64,
    /// Logical part: breaks ties within one millisecond.
    pub n: u32,
}

impl Stamp {
    /// The next stamp after `self`, given the wall clock reads `wall`.
    pub fn tick(self, wall: DateTime<Utc>) -> Stamp {
        let w = wall.timestamp_millis();
        if w > self.ms { Stamp { ms: w, n: 0 } } else { Stamp { ms: self.ms, n: self.n + 1 } }
    }

    /// The stamp's physical part as a time.
    pub fn time(self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.ms).single().unwrap_or_default()
    }
}

/// A console's hybrid clock: the stamps of its own events, and the latest stamp it has
/// seen on any event. Its next stamp orders after both, except that a seen stamp counts
/// only up to `bound` ahead of the wall clock: an event stamped further ahead is kept
/// and ordered by its stamp like any other, but does not pull this console's clock
/// past the bound (a local action after it may then order before it).
#[derive(Debug, Clone, Copy, Default)]
pub struct Hlc {
    /// The latest stamp given to one of this console's own events.
    own: Stamp,
    /// The latest stamp seen on any event.
    seen: Stamp,
    /// How far ahead of the wall clock a seen stamp may pull this clock, in
    /// milliseconds; `None`: no bound (a drill's clocks follow each other).
    bound_ms: Option<i64>,
}

impl Hlc {
    /// Follows seen stamps only up to `bound_ms` ahead of the wall clock from now on.
    pub fn set_bound(&mut self, bound_ms: Option<i64>) {
        self.bound_ms = bound_ms;
    }

    pub fn bound_ms(&self) -> Option<i64> {
        self.bound_ms
    }

    /// Notes a stamp made elsewhere.
    pub fn observe(&mut self, other: Stamp) {
        self.seen = self.seen.max(other);
    }

    /// Notes a stamp of this console's own (its history coming back, or read at start):
    /// later stamps order after it whatever the bound.
    pub fn own(&mut self, stamp: Stamp) {
        self.own = self.own.max(stamp);
        self.observe(stamp);
    }

    /// The stamp of this console's next event, the wall clock reading `wall`.
    pub fn tick(&mut self, wall: DateTime<Utc>) -> Stamp {
        let seen = match self.bound_ms {
            Some(b) => self.seen.min(Stamp { ms: wall.timestamp_millis().saturating_add(b), n: 0 }),
            None => self.seen,
        };
        self.own = self.own.max(seen).tick(wall);
        self.own
    }

    /// How far `stamp` lies ahead of `wall`, in milliseconds, when that is beyond the
    /// bound (so this clock does not follow it all the way).
    pub fn beyond_bound(&self, stamp: Stamp, wall: DateTime<Utc>) -> Option<i64> {
        let ahead = stamp.ms.saturating_sub(wall.timestamp_millis());
        self.bound_ms.filter(|&b| ahead > b).map(|_| ahead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_is_monotonic_when_the_wall_clock_goes_back() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap();
        let a = Stamp::default().tick(t);
        let b = a.tick(t - chrono::Duration::seconds(5));
        let c = b.tick(t + chrono::Duration::seconds(1));
        assert!(a < b && b < c);
        assert_eq!(b, Stamp { ms: a.ms, n: 1 });
        assert_eq!(c.n, 0);
    }

    const BOUND: i64 = 120_000;

    fn bounded(bound_ms: Option<i64>) -> Hlc {
        let mut c = Hlc::default();
        c.set_bound(bound_ms);
        c
    }

    #[test]
    fn a_seen_stamp_within_the_bound_is_followed() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap();
        let mut c = bounded(Some(BOUND));
        let ahead = Stamp { ms: t.timestamp_millis() + 90_000, n: 4 };
        c.observe(ahead);
        assert_eq!(c.tick(t), Stamp { ms: ahead.ms, n: 5 }, "ordered after what it saw");
        assert_eq!(c.beyond_bound(ahead, t), None);
    }

    #[test]
    fn a_stamp_far_ahead_drags_the_clock_no_further_than_the_bound() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap();
        let mut c = bounded(Some(BOUND));
        let fast = Stamp { ms: t.timestamp_millis() + 3 * 3_600_000, n: 0 };
        c.observe(fast);
        assert_eq!(c.beyond_bound(fast, t), Some(3 * 3_600_000));
        let a = c.tick(t);
        assert_eq!(a, Stamp { ms: t.timestamp_millis() + BOUND, n: 1 });
        // It stays the bound ahead of the wall clock, not 3 h, until the wall clock
        // reaches the stamp.
        let later = t + chrono::Duration::minutes(25);
        assert_eq!(c.tick(later), Stamp { ms: later.timestamp_millis() + BOUND, n: 1 });
        // Without a bound (a drill) it follows all the way, as before.
        let mut free = bounded(None);
        free.observe(fast);
        assert_eq!(free.tick(t), Stamp { ms: fast.ms, n: 1 });
        assert_eq!(free.beyond_bound(fast, t), None);
    }

    #[test]
    fn own_stamps_are_never_ordered_before_whatever_the_bound() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap();
        let mut c = bounded(Some(BOUND));
        let mine = Stamp { ms: t.timestamp_millis() + 3 * 3_600_000, n: 2 };
        c.own(mine);
        assert_eq!(c.tick(t), Stamp { ms: mine.ms, n: 3 });
    }
}
