//! Issue #18, 8: `drill record` masks every common phone and ID form (the forms are
//! tested one by one in `drill::anonymize`), refuses an empty period and an existing
//! file, and records what the rules require rather than what the officers did.

use super::common::{self, Sandbox};

const ITEMS: &str = concat!(
    "{\"channel\":\"hotline\",\"title\":\"王五来电\",\"body\":\"王五，电话139-8765-4321，或 +86 138 1234 5678，座机0745-4221234，身份证431225900101123\",\"external_id\":\"h1\"}\n",
    "{\"channel\":\"weibo\",\"title\":\"停水\",\"body\":\"8613812345678 138 1234 5678\",\"external_id\":\"w1\"}\n",
);

/// A live folder holding the items above and a case opened from h1 that nobody answered.
fn live() -> Sandbox {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "difficulty", "--lead", "jyj"]);
    sb.ok(&["case", "attach", "A-0001", "A.2"]);
    sb
}

fn record(sb: &Sandbox, extra: &[&str]) -> std::process::Output {
    let names = sb.write("names.txt", "王五\n");
    let day = |d: i64| (chrono::Local::now() + chrono::Duration::days(d)).format("%Y-%m-%d %H:%M").to_string();
    let (from, to) = (day(-1), day(1));
    let mut args = vec!["drill", "record", "--from", &from, "--to", &to, "--anonymize"];
    args.push(names.to_str().unwrap());
    args.extend(extra);
    sb.run(&args)
}

#[test]
fn every_phone_and_id_form_of_the_issue_is_masked_in_a_recording() {
    let sb = live();
    let out = sb.path("rec.jsonl");
    let o = record(&sb, &[out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    for leak in ["139-8765-4321", "138 1234 5678", "8613812345678", "0745-4221234", "431225900101123", "王五"] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
    let ok = sb.run(&["drill", "check", out.to_str().unwrap()]);
    assert!(ok.status.success(), "the recording passes drill check: {}", common::stderr(&ok));
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused_and_nothing_is_written() {
    let sb = live();
    let out = sb.path("rec.jsonl");
    let o =
        sb.run(&["drill", "record", "--from", "2026-07-01 20:00", "--to", "2026-07-01 08:00", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(common::stderr(&o).contains("the period is empty"), "{}", common::stderr(&o));
    assert!(!out.exists());
    let o =
        sb.run(&["drill", "record", "--from", "1999-01-01 00:00", "--to", "1999-02-01 00:00", out.to_str().unwrap()]);
    assert!(common::stderr(&o).contains("no item was received"), "{}", common::stderr(&o));
    assert!(!out.exists());
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let sb = live();
    let out = sb.write("rec.jsonl", "mine\n");
    let o = record(&sb, &[out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(common::stderr(&o).contains("exists; give --force"), "{}", common::stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine\n");
    let o = record(&sb, &["--force", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(std::fs::read_to_string(&out).unwrap().contains("\"kind\":\"expect\""));
}

#[test]
fn a_case_never_answered_is_recorded_with_the_milestones_the_rules_require() {
    let sb = live();
    let out = sb.path("rec.jsonl");
    assert!(record(&sb, &[out.to_str().unwrap()]).status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    let expect = text.lines().find(|l| l.contains("\"kind\":\"expect\"")).unwrap();
    assert!(expect.contains("\"milestones\":[\"first_response\"]"), "{expect}");
    assert!(expect.contains("\"same_case\":[\"w1\"]"), "the case's other item: {expect}");
}
