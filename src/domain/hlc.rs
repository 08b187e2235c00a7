//! Hybrid logical clock stamps: wall-clock milliseconds plus a counter, so that every
//! event a console makes is ordered after everything it has seen, even when clocks
//! disagree a little.

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

    /// Merges a stamp seen from elsewhere, so later local stamps order after it.
    pub fn observe(self, other: Stamp) -> Stamp {
        self.max(other)
    }

    /// The stamp's physical part as a time.
    pub fn time(self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.ms).single().unwrap_or_default()
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
}
