//! The periodic report against a fixed history whose figures were worked out by hand,
//! including cases that cross the period's boundaries; and the HTML is well-formed with
//! a row for every department.

mod common;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use std::collections::BTreeMap;
use yuqing::config::Settings;
use yuqing::domain::case::{Category, Outcome, PublishChannel, Referral, ResponseKind, Severity};
use yuqing::domain::command::Command as C;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::domain::metrics::Period;
use yuqing::domain::milestone::MilestoneKind;
use yuqing::domain::role::Operator;
use yuqing::i18n::Lang;
use yuqing::report::Report;
use yuqing::store::{Store, Writer};

/// 2026-07-01 00:00 in Beijing.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 30, 16, 0, 0).unwrap()
}

fn h(hours: f64) -> DateTime<Utc> {
    t0() + Duration::minutes((hours * 60.0) as i64)
}

fn item(x: &str) -> C {
    C::ReceiveItem {
        item: NewItem {
            channel: if x == "X3" { Channel::Hotline } else { Channel::Weibo },
            title: format!("条目 {x}"),
            body: String::new(),
            url: None,
            author: None,
            published_at: None,
            reach: None,
            external_id: Some(x.into()),
        },
    }
}

fn open(item: &str, severity: Severity, lead: &str) -> C {
    C::OpenCase {
        hints: vec![],
        items: vec![item.into()],
        title: String::new(),
        severity,
        category: Category::Difficulty,
        lead: lead.into(),
        co: vec![],
    }
}

fn history(dir: &std::path::Path) -> (Store, Settings) {
    let s = Settings::default();
    let store = Store::open(dir, "live").unwrap();
    let mut w = Writer::new(store.clone(), "A").unwrap();
    let duty: Operator = s.operator("duty").unwrap().clone();
    let chief: Operator = s.operator("chief").unwrap().clone();
    let mut run = |at: f64, op: &Operator, cmd: C| {
        w.execute(op, h(at), &s.policy, &s.directory, &cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        w.commit().unwrap();
    };
    let publish = |case: &str, kind| C::Publish {
        case: case.into(),
        kind,
        channel: PublishChannel::Weibo,
        text: "回应".into(),
        url: None,
    };
    run(-10.0, &duty, item("X0")); // A.1, before the period
    run(-10.0, &duty, open("A.1", Severity::General, "jyj")); // A-0001: first response due +38 h
    run(1.0, &duty, item("X1")); // A.2
    run(1.0, &duty, open("A.2", Severity::Major, "yjj")); // A-0002: report +2 h, info +6 h, press +25 h, update +25 h
    run(1.5, &duty, C::ReportCounty { case: "A-0002".into(), note: String::new() });
    run(2.0, &duty, item("X2")); // A.3, stays new
    run(2.0, &duty, item("X3")); // A.4
    run(3.0, &duty, C::DismissItem { item: "A.4".into(), reason: "无关".into() });
    run(3.0, &duty, C::Refer { case: "A-0002".into(), to: Referral::CyberPolice, reference: "网警-1".into() });
    run(5.0, &chief, publish("A-0002", ResponseKind::AuthoritativeInfo));
    run(20.0, &duty, item("X4")); // A.5
    run(20.0, &duty, open("A.5", Severity::General, "jyj")); // A-0003: due +68 h, beyond the period
    run(
        21.0,
        &chief,
        C::Extend {
            case: "A-0003".into(),
            milestone: MilestoneKind::FirstResponse,
            until: h(80.0),
            reason: "待调查".into(),
        },
    );
    run(21.5, &duty, item("X6")); // A.6, left untriaged: expires below
    run(26.0, &chief, C::Escalate { case: "A-0002".into(), reason: "发布会未开".into() });
    run(30.0, &chief, C::Mark { case: "A-0002".into(), dept: "yjj".into(), reason: "回应迟缓".into() });
    run(40.0, &chief, publish("A-0001", ResponseKind::FirstResponse)); // 2 h late
    run(50.0, &duty, item("X5")); // A.7, after the period
    run(55.0, &chief, C::Close { case: "A-0001".into(), outcome: Outcome::Solved, note: String::new() }); // after the period: open at its end
    run(21.5 + 7.0 * 24.0, &duty, C::ExpireItem { item: "A.6".into(), days: 7 });
    (store, s)
}

fn build() -> (Report, Settings, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (store, s) = history(dir.path());
    let period = Period { from: t0(), to: h(48.0) };
    let r = Report::build(
        &store.items().unwrap(),
        &store.cases().unwrap(),
        &s.directory,
        period,
        h(60.0),
        FixedOffset::east_opt(8 * 3600).unwrap(),
    );
    (r, s, dir)
}

#[test]
fn csv_figures_match_the_hand_worked_history() {
    let (r, s, _dir) = build();
    let csv = yuqing::report::csv(&r).unwrap();
    assert!(csv.starts_with('\u{feff}'), "UTF-8 with a byte-order mark");
    let mut rdr = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let mut v: BTreeMap<(String, String, String), String> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        v.insert((rec[0].to_string(), rec[1].to_string(), rec[2].to_string()), rec[3].to_string());
    }
    let get = |a: &str, b: &str, c: &str| {
        v.get(&(a.into(), b.into(), c.into())).cloned().unwrap_or_else(|| panic!("no {a},{b},{c}"))
    };
    let expect = [
        ("items", "all", "received", "5"),
        ("items", "weibo", "received", "4"),
        ("items", "hotline", "received", "1"),
        ("items", "all", "dismissed", "1"),
        ("items", "all", "attached", "2"),
        ("items", "all", "still_new", "1"),
        ("items", "all", "expired", "1"),
        ("cases", "all", "opened", "2"),
        ("cases", "general", "opened", "1"),
        ("cases", "major", "opened", "1"),
        ("timeliness", "first_response", "due", "1"),
        ("timeliness", "first_response", "late", "1"),
        ("timeliness", "report_county", "on_time", "1"),
        ("timeliness", "authoritative_info", "on_time", "1"),
        ("timeliness", "press_conference", "overdue", "1"),
        ("timeliness", "update", "overdue", "1"),
        ("timeliness", "county_update", "overdue", "1"),
        ("department", "yjj", "rank", "1"),
        ("department", "yjj", "cases_led", "1"),
        ("department", "yjj", "open_now", "1"),
        ("department", "yjj", "overdue_now", "1"),
        // With the follow-up report to the county (续报) due at +25.5 h and not made.
        ("department", "yjj", "milestones_due", "5"),
        ("department", "yjj", "met_on_time", "2"),
        ("department", "yjj", "on_time_rate", "0.4000"),
        ("department", "yjj", "median_first_response_minutes", "240"),
        ("department", "yjj", "escalations", "1"),
        ("department", "yjj", "accountability_marks", "1"),
        ("department", "yjj", "referrals", "1"),
        ("department", "jyj", "cases_led", "1"),
        ("department", "jyj", "open_now", "2"),
        ("department", "jyj", "overdue_now", "0"),
        ("department", "jyj", "milestones_due", "1"),
        ("department", "jyj", "met_late", "1"),
        ("department", "jyj", "on_time_rate", "0.0000"),
        ("department", "jyj", "median_first_response_minutes", ""),
        ("department", "jyj", "extensions", "1"),
        ("overdue", "A-0002", "press_conference", "1380"),
        ("overdue", "A-0002", "update", "1380"),
        ("overdue", "A-0002", "county_update", "1350"),
        ("daily", "2026-07-01", "items", "5"),
        ("daily", "2026-07-01", "cases", "2"),
    ];
    for (a, b, c, want) in expect {
        assert_eq!(get(a, b, c), want, "{a},{b},{c}");
    }
    assert!(!v.keys().any(|k| k.0 == "daily" && k.1 == "2026-07-02"), "no activity on 2 July");
    // Only departments with something to judge are ranked, best first (yjj met half on
    // time, jyj none); the others are named as not ranked.
    assert_eq!(v.keys().filter(|k| k.0 == "department" && k.2 == "rank").count(), 2, "only the active ranked");
    assert_eq!(get("department", "jyj", "rank"), "2");
    assert_eq!(v.keys().filter(|k| k.0 == "inactive").count(), s.directory.departments.len() - 2);
}

#[test]
fn html_is_well_formed_and_names_every_department() {
    let (r, s, _dir) = build();
    for lang in [Lang::Zh, Lang::En] {
        let html = yuqing::report::html(&r, &s.directory, lang);
        assert!(!html.contains("src=") && !html.contains("<link"), "nothing is loaded from elsewhere");
        let doc = roxmltree::Document::parse(html.trim_start_matches("<!DOCTYPE html>\n")).expect("well-formed");
        let rows: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("tr"))
            .filter_map(|tr| {
                tr.children().filter(|c| c.has_tag_name("td")).nth(1).and_then(|td| td.text()).map(str::to_string)
            })
            .collect();
        for d in &s.directory.departments {
            let ranked = rows.contains(&d.name);
            assert!(ranked || html.contains(&d.name), "{:?}: {} is neither ranked nor named", lang, d.name);
            assert_eq!(ranked, ["yjj", "jyj"].contains(&d.code.as_str()), "{:?}: {}", lang, d.name);
        }
        assert!(doc.descendants().any(|n| n.has_tag_name("svg")), "charts are inline SVG");
    }
    let md = yuqing::report::markdown(&r, &s.directory, Lang::Zh);
    assert!(md.contains("# 政务舆情回应处置情况通报") && md.contains("| 1 | 县应急管理局 |"), "{md}");
}

#[test]
fn the_report_command_writes_each_format() {
    let sb = common::Sandbox::new();
    let f = sb.write("a.jsonl", &common::items_jsonl("r", 3));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "other", "--lead", "jyj"]);
    for fmt in ["md", "csv", "html"] {
        let out = sb.path(&format!("r.{fmt}"));
        sb.ok(&["report", "--format", fmt, "-o", out.to_str().unwrap()]);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains("jyj") || text.contains("县教育局"), "{fmt}");
    }
    let bad = sb.run(&["report", "--format", "pdf"]);
    assert!(common::stderr(&bad).contains("md") && common::stderr(&bad).contains("html"));
}

#[test]
fn an_empty_period_says_none_in_every_section_and_ranks_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let (store, s) = history(dir.path());
    // A week before anything happened.
    let period = Period { from: t0() - Duration::days(8), to: t0() - Duration::days(1) };
    let r = Report::build(
        &store.items().unwrap(),
        &store.cases().unwrap(),
        &s.directory,
        period,
        h(60.0),
        FixedOffset::east_opt(8 * 3600).unwrap(),
    );
    assert!(r.departments.is_empty() && r.inactive.len() == s.directory.departments.len());
    let md = yuqing::report::markdown(&r, &s.directory, Lang::Zh);
    for section in ["## 一、舆情收集情况", "## 三、回应时效", "## 四、各单位情况（排名）", "## 七、每日趋势"]
    {
        let after = md.split(section).nth(1).unwrap_or_else(|| panic!("{section} in {md}"));
        assert!(after.trim_start().starts_with('无'), "{section} says 无 when empty: {md}");
    }
    let html = yuqing::report::html(&r, &s.directory, Lang::Zh);
    assert!(html.contains("<h2>三、回应时效</h2><p>无</p>"), "{html}");
}

#[test]
fn a_report_over_all_time_lists_monitoring_days_from_the_first_event_only() {
    // The console's "all" period starts at the beginning of the calendar; the daily
    // monitoring table once listed every day since then (and never finished).
    let dir = tempfile::tempdir().unwrap();
    let (store, s) = history(dir.path());
    let period = Period { from: DateTime::<Utc>::MIN_UTC, to: h(60.0) };
    let tz = FixedOffset::east_opt(8 * 3600).unwrap();
    let r = Report::build(&store.items().unwrap(), &store.cases().unwrap(), &s.directory, period, h(60.0), tz)
        .with_monitoring(&store)
        .unwrap();
    let days = r.days();
    assert_eq!(days.first(), Some(&h(-10.0).with_timezone(&tz).date_naive()), "from the first event's day");
    assert_eq!(days.last(), Some(&(h(60.0) - Duration::seconds(1)).with_timezone(&tz).date_naive()));
    // A period that runs on past the report's moment lists no day still to come.
    let month = Period { from: h(-10.0), to: h(24.0 * 30.0) };
    let r = Report::build(&store.items().unwrap(), &store.cases().unwrap(), &s.directory, month, h(60.0), tz)
        .with_monitoring(&store)
        .unwrap();
    assert_eq!(r.days().last(), Some(&h(60.0).with_timezone(&tz).date_naive()), "up to the report's day");
    // Nothing recorded yet: no monitoring days at all, and the section says so.
    let empty = tempfile::tempdir().unwrap();
    let none = Store::open(empty.path(), "live").unwrap();
    let r = Report::build(&[], &[], &s.directory, period, h(60.0), tz).with_monitoring(&none).unwrap();
    assert!(r.days().is_empty());
    let md = yuqing::report::markdown(&r, &s.directory, Lang::Zh);
    assert!(md.trim_end().ends_with('无'), "{md}");
}

#[test]
fn departments_that_rank_equal_share_a_place_in_the_directorys_order() {
    let dir = tempfile::tempdir().unwrap();
    let s = Settings::default();
    let store = Store::open(dir.path(), "live").unwrap();
    let mut w = Writer::new(store.clone(), "A").unwrap();
    let duty: Operator = s.operator("duty").unwrap().clone();
    // 县住建局 (zjj) sorts before 县卫健局 (wjj) by character code; the directory lists
    // wjj first. Neither owes anything yet in the period: equal on every count.
    for (x, no, lead) in [("X1", "A.1", "zjj"), ("X2", "A.2", "wjj")] {
        w.execute(&duty, h(1.0), &s.policy, &s.directory, &item(x)).unwrap();
        w.execute(&duty, h(1.0), &s.policy, &s.directory, &open(no, Severity::General, lead)).unwrap();
        w.commit().unwrap();
    }
    let period = Period { from: t0(), to: h(10.0) };
    let tz = FixedOffset::east_opt(8 * 3600).unwrap();
    let r = Report::build(&store.items().unwrap(), &store.cases().unwrap(), &s.directory, period, h(10.0), tz);
    let order: Vec<&str> = r.departments.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(order, ["wjj", "zjj"]);
    assert_eq!(r.ranks(), [1, 1], "equal on every count: one place, shared");
}
