//! Issue #18, 2 and 3: the score counts as the console counts (a major milestone from
//! when the case became major), expects noise to be dismissed and one case per incident.

use chrono::Duration;
use std::sync::Arc;
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::case::{Category, Severity};
use yuqing::domain::clock::DrillClock;
use yuqing::domain::command::Command;
use yuqing::drill::Runner;
use yuqing::store::Store;

/// The school-bus example run to its end, with `act` called after each entry (with the
/// desk, the clock, the entry's offset from the start); the score's Markdown.
fn played(act: impl Fn(&Desk, &DrillClock, Duration)) -> String {
    let s = Settings::default();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/school-bus.jsonl");
    let scenario = yuqing::drill::check_file(std::path::Path::new(path), &s.directory).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(DrillClock::new(scenario.start, 1));
    clock.pause(true);
    let settings = yuqing::drill::settings(&s, &scenario);
    let desk =
        Desk::start(Store::open(dir.path(), "drill:school-bus").unwrap(), Arc::new(settings), clock.clone()).unwrap();
    let mut runner = Runner::new(scenario.clone(), desk.clone(), s.operator("trainer").unwrap().clone());
    while let Some(due) = runner.next_due() {
        clock.jump_to(due);
        runner.step(clock.as_ref());
        act(&desk, &clock, due - scenario.start);
    }
    let store = desk.store();
    let events: Vec<_> = store.events().unwrap().map(|e| e.unwrap()).collect();
    yuqing::drill::score(&scenario, &store.items().unwrap(), &store.cases().unwrap(), &events).markdown
}

fn run(desk: &Desk, who: &str, cmd: Command) {
    let op = desk.settings().operator(who).unwrap().clone();
    desk.run_blocking(&op, vec![cmd]).remove(0).unwrap();
}

fn open(item: &str, severity: Severity) -> Command {
    Command::OpenCase {
        hints: vec![],
        items: vec![item.into()],
        title: String::new(),
        severity,
        category: Category::Misunderstanding,
        lead: "jyj".into(),
        co: vec![],
    }
}

#[test]
fn a_case_upgraded_when_the_report_came_is_not_late_for_the_county() {
    let md = played(|desk, _, at| {
        if at == Duration::minutes(5) {
            run(desk, "duty", open("A.1", Severity::General));
        }
        if at == Duration::minutes(95) {
            // The town's report (A.5) arrives: upgrade at once and report to the county.
            run(desk, "duty", Command::AttachItem { case: "A-0001".into(), item: "A.5".into() });
            let classify = Command::Classify {
                case: "A-0001".into(),
                severity: Severity::Major,
                category: Category::Misunderstanding,
                since_item: None,
            };
            run(desk, "chief", classify);
            run(desk, "duty", Command::ReportCounty { case: "A-0001".into(), note: String::new() });
        }
    });
    assert!(md.contains("[x] 报告县政府 report_county (R11): 提前 60 分钟"), "counted from the upgrade: {md}");
}

#[test]
fn noise_should_be_dismissed_and_one_incident_is_one_case() {
    let md = played(|desk, _, at| {
        if at == Duration::minutes(95) {
            run(desk, "duty", open("A.5", Severity::Major));
            run(desk, "duty", open("A.1", Severity::Major));
            run(desk, "duty", Command::AttachItem { case: "A-0001".into(), item: "A.2".into() });
        }
    });
    assert!(md.contains("[ ] 作为噪声忽略 dismissed as noise (R3 分类处置): 实际 actual: 待研判 new"), "{md}");
    assert!(md.contains("[ ] 同一事件一案 one case for this incident") && md.contains("A-0001, A-0002"), "split: {md}");
}

#[test]
fn a_split_counts_against_everyone_who_opened_a_case_of_it() {
    let md = played(|desk, _, at| {
        if at == Duration::minutes(95) {
            run(desk, "duty", open("A.5", Severity::Major));
            run(desk, "chief", open("A.1", Severity::Major));
        }
    });
    let row = |op: &str| md.lines().find(|l| l.starts_with(&format!("| {op} |"))).unwrap_or_default().to_string();
    // chief's case holds A.1 of the incident only: the split line is charged to chief too.
    let chief = row("chief");
    let points: Vec<u32> = chief.split('|').nth(2).unwrap().split('/').map(|x| x.trim().parse().unwrap()).collect();
    assert!(points[0] < points[1], "chief loses the split's point: {chief}\n{md}");
}

#[test]
fn the_score_so_far_leaves_out_what_has_not_arrived() {
    // Scored after the first entries only: the town's report (+01:35), the inquiry and
    // the hotline call have not come, so nothing about them counts yet.
    let s = yuqing::config::Settings::default();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/school-bus.jsonl");
    let scenario = yuqing::drill::check_file(std::path::Path::new(path), &s.directory).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(DrillClock::new(scenario.start, 1));
    clock.pause(true);
    let desk = Desk::start(
        Store::open(dir.path(), "drill:school-bus").unwrap(),
        Arc::new(yuqing::drill::settings(&s, &scenario)),
        clock.clone(),
    )
    .unwrap();
    let mut runner = Runner::new(scenario.clone(), desk.clone(), s.operator("trainer").unwrap().clone());
    clock.jump_to(scenario.start + Duration::minutes(70));
    runner.step(clock.as_ref());
    let store = desk.store();
    let events: Vec<_> = store.events().unwrap().map(|e| e.unwrap()).collect();
    let sc = yuqing::drill::score(&scenario, &store.items().unwrap(), &store.cases().unwrap(), &events);
    for id in ["gzz-bus-5", "inquiry-9", "hl-bus-6"] {
        let part = sc.markdown.split(&format!("### {id}\n")).nth(1).unwrap().lines().next().unwrap().to_string();
        assert!(part.starts_with("- [·] 尚未到时 not yet"), "{id}: {part}\n{}", sc.markdown);
    }
    assert_eq!(sc.possible, 1, "only the advert's dismissal is due: {}", sc.markdown);
}

#[test]
fn an_upgrade_later_than_the_expectations_at_is_late_for_the_county() {
    // The town's report comes at +01:35 (the expectation's `at`); the officers upgrade
    // only at +03:00 and report at once: the console counts from the upgrade, the rule
    // from when the facts were at hand.
    let md = played(|desk, _, at| {
        if at == Duration::minutes(95) {
            run(desk, "duty", open("A.5", Severity::General));
        }
        if at == Duration::hours(3) {
            let classify = Command::Classify {
                case: "A-0001".into(),
                severity: Severity::Major,
                category: Category::Misunderstanding,
                since_item: None,
            };
            run(desk, "chief", classify);
            run(desk, "duty", Command::ReportCounty { case: "A-0001".into(), note: String::new() });
        }
    });
    assert!(md.contains("[ ] 报告县政府 report_county (R11): 超时 25 分钟 met 25 min late"), "{md}");
}
