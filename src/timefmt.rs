//! Reading and writing times as people type and read them: RFC 3339, or local
//! `YYYY-MM-DD HH:MM`; countdowns as `HH:MM:SS` or `Nd HH:MM`; clock differences as
//! `+3h02m`. "Local" is the county's time zone (`timezone` in console.toml, by default
//! Asia/Shanghai), not the machine's `TZ`: a console on a server set to UTC still shows
//! the duty room's times.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::sync::OnceLock;

/// The zone set for this process, once, from console.toml.
static ZONE: OnceLock<FixedOffset> = OnceLock::new();

/// The time zones `timezone` accepts by name: China keeps one offset all year, so
/// each is a fixed offset (no daylight saving to follow).
const NAMED: &[(&str, i32)] = &[
    ("Asia/Shanghai", 8 * 3600),
    ("Asia/Chongqing", 8 * 3600),
    ("Asia/Harbin", 8 * 3600),
    ("Asia/Urumqi", 6 * 3600),
    ("Asia/Hong_Kong", 8 * 3600),
    ("Asia/Macau", 8 * 3600),
    ("Asia/Taipei", 8 * 3600),
    ("UTC", 0),
];

/// The default `timezone`.
pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

/// Reads a `timezone` value: a name of [`NAMED`] or a fixed offset such as `+08:00`.
pub fn parse_zone(s: &str) -> Result<FixedOffset, String> {
    let t = s.trim();
    if let Some(&(_, secs)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(t)) {
        return FixedOffset::east_opt(secs).ok_or_else(|| format!("`{t}`: no such offset"));
    }
    let fixed = |sign: i32, rest: &str| {
        let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
        let (h, m) = (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?);
        ((0..=14).contains(&h) && (0..60).contains(&m)).then(|| FixedOffset::east_opt(sign * (h * 3600 + m * 60)))?
    };
    let offset = match t.as_bytes().first() {
        Some(b'+') => fixed(1, &t[1..]),
        Some(b'-') => fixed(-1, &t[1..]),
        _ => None,
    };
    offset.ok_or_else(|| {
        let names: Vec<&str> = NAMED.iter().map(|(n, _)| *n).collect();
        format!("`{t}` is not a time zone here; use one of {} or a fixed offset such as +08:00", names.join(", "))
    })
}

/// Sets this process's zone; the first call wins (it is set once, at start).
pub fn set_zone(zone: FixedOffset) {
    let _ = ZONE.set(zone);
}

/// The county's time zone: as set, else Asia/Shanghai.
pub fn zone() -> FixedOffset {
    *ZONE.get_or_init(|| FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset"))
}

/// [`parse`], refusing in both languages.
pub fn parse_said(s: &str) -> Result<DateTime<Utc>, crate::domain::said::Said> {
    parse(s).map_err(|en| {
        let t = s.trim();
        let zh = format!("`{t}` 不是时间；请用 RFC 3339（2026-05-01T08:30:00+08:00）或本地时间 `YYYY-MM-DD HH:MM`");
        crate::domain::said::Said::new(en, zh)
    })
}

/// Parses RFC 3339, or local `YYYY-MM-DD HH:MM[:SS]`, or a local date (midnight).
pub fn parse(s: &str) -> Result<DateTime<Utc>, String> {
    let t = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.with_timezone(&Utc));
    }
    let local = |n: NaiveDateTime| {
        zone()
            .from_local_datetime(&n)
            .earliest()
            .map(|d| d.with_timezone(&Utc))
            .ok_or_else(|| format!("`{t}` does not exist in local time"))
    };
    for f in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return local(n);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return local(d.and_hms_opt(0, 0, 0).unwrap_or_default());
    }
    Err(format!("`{t}` is not a time; use RFC 3339 (2026-05-01T08:30:00+08:00) or local `YYYY-MM-DD HH:MM`"))
}

/// A calendar period in the county's time, as a half-open `[from, to)`: an ISO week
/// `2026-W47`, a month `2026-11`, a quarter `2026-Q4` or a year `2026`.
pub fn calendar(s: &str) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let t = s.trim();
    let bad = || {
        format!("`{t}` is not a period; use a week (2026-W47), a month (2026-11), a quarter (2026-Q4) or a year (2026)")
    };
    let ymd = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
    let (start, end) = match t.split_once('-') {
        None => {
            let y: i32 = t.parse().map_err(|_| bad())?;
            (ymd(y, 1), ymd(y + 1, 1))
        }
        Some((y, rest)) => {
            let y: i32 = y.parse().map_err(|_| bad())?;
            if let Some(w) = rest.strip_prefix('W').or_else(|| rest.strip_prefix('w')) {
                let w: u32 = w.parse().map_err(|_| bad())?;
                let monday = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon);
                (monday, monday.and_then(|d| d.checked_add_days(chrono::Days::new(7))))
            } else if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
                let q: u32 = q.parse().map_err(|_| bad())?;
                if !(1..=4).contains(&q) {
                    return Err(bad());
                }
                (ymd(y, 3 * q - 2), if q == 4 { ymd(y + 1, 1) } else { ymd(y, 3 * q + 1) })
            } else {
                let m: u32 = rest.parse().map_err(|_| bad())?;
                (ymd(y, m), if m == 12 { ymd(y + 1, 1) } else { ymd(y, m + 1) })
            }
        }
    };
    let at = |d: NaiveDate| zone().from_local_datetime(&d.and_time(chrono::NaiveTime::MIN)).earliest();
    match (start.and_then(at), end.and_then(at)) {
        (Some(a), Some(b)) => Ok((a.with_timezone(&Utc), b.with_timezone(&Utc))),
        _ => Err(bad()),
    }
}

/// The last whole calendar month before `now`, in the county's time: a 通报's default.
pub fn last_month(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    use chrono::Datelike;
    let today = now.with_timezone(&zone()).date_naive();
    let (y, m) = if today.month() == 1 { (today.year() - 1, 12) } else { (today.year(), today.month() - 1) };
    calendar(&format!("{y}-{m:02}")).expect("a month just before a real date is a valid period")
}

/// `2026-05-01 08:30` in the county's time.
pub fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&zone()).format("%Y-%m-%d %H:%M").to_string()
}

/// `05-01 08:30` in the county's time, for narrow columns.
pub fn short(t: DateTime<Utc>) -> String {
    t.with_timezone(&zone()).format("%m-%d %H:%M").to_string()
}

/// A duration as a countdown: `HH:MM:SS` under a day, `Nd HH:MM` beyond; negative
/// durations are shown by their magnitude (the caller says "overdue").
pub fn countdown(d: chrono::Duration) -> String {
    let s = d.num_seconds().unsigned_abs();
    let (days, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    if days > 0 { format!("{days}d {h:02}:{m:02}") } else { format!("{h:02}:{m:02}:{sec:02}") }
}

/// Whole overdue time as `HH:MM` (hours may exceed 24).
pub fn overdue(d: chrono::Duration) -> String {
    let m = d.num_minutes().unsigned_abs();
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A clock difference with its sign, to the precision a person fixes a clock by:
/// `+45s`, `-2m05s`, `+3h02m`.
pub fn offset(ms: i64) -> String {
    let sign = if ms < 0 { '-' } else { '+' };
    // Rounded to the unit shown: a difference measured a few milliseconds apart on
    // each side must not read one unit less.
    let s = (ms.unsigned_abs() + 500) / 1000;
    if s >= 3600 {
        let m = (s + 30) / 60;
        return format!("{sign}{}h{:02}m", m / 60, m % 60);
    }
    match (s / 60, s % 60) {
        (0, sec) => format!("{sign}{sec}s"),
        (m, sec) => format!("{sign}{m}m{sec:02}s"),
    }
}

/// A bound as an adjective: `2-minute`, `90-second`.
pub fn bound(ms: i64) -> String {
    let s = ms / 1000;
    if s % 60 == 0 { format!("{}-minute", s / 60) } else { format!("{s}-second") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn countdowns_switch_format_at_a_day() {
        assert_eq!(countdown(Duration::seconds(3 * 3600 + 4 * 60 + 5)), "03:04:05");
        assert_eq!(countdown(Duration::hours(47) + Duration::minutes(59)), "1d 23:59");
        assert_eq!(overdue(Duration::minutes(-(26 * 60 + 3))), "26:03");
    }

    #[test]
    fn clock_offsets_and_bounds_read_as_people_say_them() {
        assert_eq!(offset(3 * 3_600_000 + 2 * 60_000 + 7_000), "+3h02m");
        assert_eq!(offset(-125_000), "-2m05s");
        assert_eq!(offset(45_400), "+45s");
        assert_eq!(offset(3 * 3_600_000 - 1), "+3h00m", "a measure a millisecond short reads as the same");
        assert_eq!(offset(59_999), "+1m00s");
        assert_eq!(bound(120_000), "2-minute");
        assert_eq!(bound(90_000), "90-second");
    }

    #[test]
    fn time_zones_by_name_or_offset_and_a_clear_refusal() {
        assert_eq!(parse_zone("Asia/Shanghai").unwrap().local_minus_utc(), 8 * 3600);
        assert_eq!(parse_zone("utc").unwrap().local_minus_utc(), 0);
        assert_eq!(parse_zone("+05:30").unwrap().local_minus_utc(), 5 * 3600 + 1800);
        assert_eq!(parse_zone("-03").unwrap().local_minus_utc(), -3 * 3600);
        let e = parse_zone("Europe/Berlin").unwrap_err();
        assert!(e.contains("Asia/Shanghai") && e.contains("+08:00"), "{e}");
        assert!(parse_zone("+25:00").is_err());
        // Unset in tests: the county's default, whatever TZ the machine has.
        assert_eq!(local(parse("2026-05-01T00:30:00Z").unwrap()), "2026-05-01 08:30");
    }

    #[test]
    fn calendar_periods_are_the_countys_weeks_months_quarters_and_years() {
        let p = |s: &str| calendar(s).map(|(a, b)| (a.to_rfc3339(), b.to_rfc3339()));
        // Beijing midnight is 16:00 UTC the day before.
        assert_eq!(
            p("2026-W47").unwrap(),
            ("2026-11-15T16:00:00+00:00".into(), "2026-11-22T16:00:00+00:00".into()),
            "ISO week 47 of 2026: Monday 16 to Monday 23 November"
        );
        assert_eq!(p("2026-11").unwrap(), ("2026-10-31T16:00:00+00:00".into(), "2026-11-30T16:00:00+00:00".into()));
        assert_eq!(p("2026-Q4").unwrap(), ("2026-09-30T16:00:00+00:00".into(), "2026-12-31T16:00:00+00:00".into()));
        assert_eq!(p("2026-12").unwrap().1, "2026-12-31T16:00:00+00:00");
        assert_eq!(p("2026").unwrap().0, "2025-12-31T16:00:00+00:00");
        for bad in ["2026-13", "2026-Q5", "2026-W60", "last week", "2026-11-05"] {
            assert!(p(bad).unwrap_err().contains("2026-W47"), "{bad}");
        }
        let (from, to) = last_month(parse("2026-01-10T00:00:00Z").unwrap());
        assert_eq!((from, to), calendar("2025-12").unwrap());
    }

    #[test]
    fn rfc3339_and_local_forms_parse() {
        assert_eq!(parse("2026-05-01T08:30:00+08:00").unwrap().to_rfc3339(), "2026-05-01T00:30:00+00:00");
        assert!(parse("2026-05-01 08:30").is_ok());
        assert!(parse("tomorrow").unwrap_err().contains("YYYY-MM-DD HH:MM"));
    }
}
