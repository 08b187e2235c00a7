//! Issue #18, 6: `drill check` refuses every scenario that cannot run or be scored, and
//! says where and why: the file's line, the field's JSON path, the valid values, every
//! error of a line.

use super::common::{self, Sandbox};
use std::path::Path;
use yuqing::config::Settings;

const HEAD: &str = "{\"scenario\":\"t\",\"start\":\"2026-07-01 08:00\"}";
const ITEM: &str = "{\"at\":\"+00:05\",\"kind\":\"item\",\"item\":{\"channel\":\"weibo\",\"title\":\"网传校车\",\"external_id\":\"w1\"}}";

/// The errors of a scenario made of the header and `lines`, in English.
fn errors(lines: &[&str]) -> Vec<String> {
    let text = std::iter::once(HEAD).chain(lines.iter().copied()).collect::<Vec<_>>().join("\n");
    match yuqing::drill::scenario::parse(Path::new("s.jsonl"), &text, &Settings::default().directory) {
        Ok(_) => vec![],
        Err(e) => e.into_iter().map(|e| e.en).collect(),
    }
}

fn one(lines: &[&str]) -> String {
    let e = errors(lines);
    assert_eq!(e.len(), 1, "{e:#?}");
    e[0].clone()
}

#[test]
fn an_expectation_on_an_unknown_id_is_refused() {
    let e = one(&[ITEM, "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w9\",\"severity\":\"general\"}"]);
    assert!(e.starts_with("s.jsonl:3: field `external_id`: no item has the id `w9`") && e.contains("w1"), "{e}");
}

#[test]
fn a_line_with_an_error_of_its_own_is_still_told_of_an_id_no_item_has() {
    let bad = "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"e2\",\"severity\":\"huge\",\"same_case\":[\"w1\",\"e3\"]}";
    let e = errors(&[ITEM, bad]);
    assert_eq!(e.len(), 3, "{e:#?}");
    assert!(e[0].starts_with("s.jsonl:3: field `severity`: unknown severity `huge`"), "{e:#?}");
    assert!(e.iter().any(|e| e.starts_with("s.jsonl:3: field `external_id`: no item has the id `e2`")), "{e:#?}");
    assert!(e.iter().any(|e| e.starts_with("s.jsonl:3: field `same_case[1]`: no item has the id `e3`")), "{e:#?}");
    let surge = "{\"at\":\"+00:10\",\"kind\":\"surge\",\"external_id\":\"w2\",\"reach\":\"many\"}";
    let e = errors(&[ITEM, surge]);
    assert!(e.iter().any(|e| e.starts_with("s.jsonl:3: field `external_id`: no item has the id `w2`")), "{e:#?}");
}

#[test]
fn a_surge_on_an_unknown_id_or_before_its_item_is_refused() {
    let e = one(&[ITEM, "{\"at\":\"+00:10\",\"kind\":\"surge\",\"external_id\":\"w2\",\"reach\":5}"]);
    assert!(e.starts_with("s.jsonl:3: field `external_id`: no item has the id `w2`"), "{e}");
    let e = one(&[ITEM, "{\"at\":\"+00:01\",\"kind\":\"surge\",\"external_id\":\"w1\",\"reach\":5}"]);
    assert!(e.starts_with("s.jsonl:3: field `at`: the surge comes before its item `w1` arrives (line 2)"), "{e}");
}

#[test]
fn two_items_with_one_id_are_refused() {
    let e = one(&[ITEM, ITEM]);
    assert!(e.starts_with("s.jsonl:3: field `item.external_id`: `w1` is already the id of the item on line 2"), "{e}");
}

#[test]
fn conflicting_expectations_are_refused() {
    let e = one(&[
        ITEM,
        "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"major\"}",
        "{\"at\":\"+01:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"general\"}",
    ]);
    assert!(e.starts_with("s.jsonl:4: field `external_id`: line 3 expects severity `major` for `w1`"), "{e}");
    let e = one(&[
        ITEM,
        "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"dismissed\":true}",
        "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"lead\":\"jyj\"}",
    ]);
    assert!(e.contains(":4:") && e.contains("expects a dismissal"), "{e}");
    // Every field they disagree on is said.
    let e = errors(&[
        ITEM,
        "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"major\",\"lead\":\"jyj\"}",
        "{\"at\":\"+01:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"general\",\"lead\":\"gaj\"}",
    ]);
    assert!(e.len() == 2 && e[0].contains("severity `major`") && e[1].contains("lead `jyj`"), "{e:#?}");
}

#[test]
fn a_milestone_the_severity_does_not_have_is_refused_with_the_valid_ones() {
    let e = one(&[
        ITEM,
        "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"general\",\"milestones\":[\"first_response\",\"press_conference\"]}",
    ]);
    assert!(e.starts_with("s.jsonl:3: field `milestones[1]`: a general case has no `press_conference` milestone; valid for general: first_response"), "{e}");
}

#[test]
fn the_departments_of_the_header_are_the_ones_the_drill_offers() {
    let text = format!(
        "{}\n{ITEM}\n{}",
        "{\"scenario\":\"t\",\"start\":\"2026-07-01 08:00\",\"departments\":[{\"code\":\"jtj\",\"name\":\"县交通运输局\"}]}",
        "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"lead\":\"jyj\"}"
    );
    let deployment = Settings::default();
    let e = yuqing::drill::scenario::parse(Path::new("s.jsonl"), &text, &deployment.directory).unwrap_err();
    assert!(e[0].en.contains("field `lead`: unknown department `jyj`; valid codes: jtj 县交通运输局"), "{e:?}");
    let ok = text.replace("\"lead\":\"jyj\"", "\"lead\":\"jtj\"");
    let s = yuqing::drill::scenario::parse(Path::new("s.jsonl"), &ok, &deployment.directory).unwrap();
    let settings = yuqing::drill::settings(&deployment, &s);
    assert_eq!(
        settings.directory.resolve("jtj"),
        Ok("jtj".into()),
        "the drill's pickers offer the header's departments"
    );
}

#[test]
fn an_offset_too_large_is_refused_and_the_run_does_not_panic() {
    let e = one(&[ITEM, "{\"at\":\"+99999999999:00\",\"kind\":\"note\",\"text\":\"x\"}"]);
    assert!(
        e.starts_with("s.jsonl:3: field `at`: `+99999999999:00` is not an offset") && e.contains("hours 0 to"),
        "{e}"
    );
    let sb = Sandbox::new();
    let f = sb.write(
        "s.jsonl",
        &format!("{HEAD}\n{ITEM}\n{{\"at\":\"+99999999999:00\",\"kind\":\"note\",\"text\":\"x\"}}\n"),
    );
    let o =
        sb.run(&["drill", "run", f.to_str().unwrap(), "--headless", "--drill-data", sb.path("d").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "refused, not panicked: {}", common::stderr(&o));
    assert!(!common::stderr(&o).contains("panicked"), "{}", common::stderr(&o));
}

#[test]
fn an_unknown_field_inside_item_is_named_by_its_path_and_the_files_line() {
    let e = one(&[
        "{\"at\":\"+00:05\",\"kind\":\"item\",\"item\":{\"channel\":\"weibo\",\"title\":\"网传\",\"colour\":\"red\"}}",
    ]);
    assert!(e.starts_with("s.jsonl:2: field `item.colour`: not a field of an item; its fields: channel, title"), "{e}");
    assert!(!e.contains("line 1 column"), "{e}");
}

#[test]
fn a_negative_reach_names_its_field() {
    let e = one(&[ITEM, "{\"at\":\"+00:10\",\"kind\":\"surge\",\"external_id\":\"w1\",\"reach\":-5}"]);
    assert!(e.starts_with("s.jsonl:3: field `reach`: `-5` is not a whole number"), "{e}");
    let e = one(&[
        "{\"at\":\"+00:05\",\"kind\":\"item\",\"item\":{\"channel\":\"weibo\",\"title\":\"网传\",\"reach\":-5}}",
    ]);
    assert!(e.starts_with("s.jsonl:2: field `item.reach`: `-5` is not a whole number"), "{e}");
}

#[test]
fn an_unknown_department_lists_the_codes() {
    let e = one(&[ITEM, "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"lead\":\"xyz\"}"]);
    assert!(e.contains("field `lead`: unknown department `xyz`; valid codes: ") && e.contains("jyj 县教育局"), "{e}");
}

#[test]
fn every_error_of_a_line_is_reported() {
    let e = errors(&[
        ITEM,
        "{\"at\":\"soon\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"huge\",\"category\":\"odd\",\"lead\":\"xyz\"}",
    ]);
    assert_eq!(e.len(), 4, "{e:#?}");
    for field in ["`at`", "`severity`", "`category`", "`lead`"] {
        assert!(e.iter().any(|m| m.starts_with("s.jsonl:3: field ") && m.contains(field)), "{field}: {e:#?}");
    }
    assert!(e.iter().any(|m| m.contains("valid: general, major, extraordinary")), "{e:#?}");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = format!("\u{feff}{HEAD}\n{ITEM}\n");
    let s = yuqing::drill::scenario::parse(Path::new("s.jsonl"), &text, &Settings::default().directory).unwrap();
    assert_eq!(s.entries.len(), 1);
}

#[test]
fn a_field_of_another_kind_is_refused() {
    let e =
        one(&[ITEM, "{\"at\":\"+00:10\",\"kind\":\"surge\",\"external_id\":\"w1\",\"reach\":5,\"text\":\"转发激增\"}"]);
    assert!(
        e.starts_with(
            "s.jsonl:3: field `text`: not a field of a `surge` entry; its fields: at, kind, external_id, reach"
        ),
        "{e}"
    );
}

#[test]
fn drill_check_exits_non_zero_and_prints_every_error() {
    let sb = Sandbox::new();
    let f = sb.write(
        "s.jsonl",
        &format!(
            "{HEAD}\n{ITEM}\n{ITEM}\n{{\"at\":\"+00:10\",\"kind\":\"surge\",\"external_id\":\"w7\",\"reach\":-1}}\n"
        ),
    );
    let o = sb.run(&["drill", "check", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(err.contains(":3: field `item.external_id`") && err.contains(":4: field `reach`"), "{err}");
}

#[test]
fn the_fifth_example_uses_every_kind_of_entry_expectation_and_milestone() {
    use yuqing::domain::case::Severity;
    use yuqing::drill::Happening;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/school-bus.jsonl");
    let s = yuqing::drill::check_file(Path::new(path), &Settings::default().directory).unwrap();
    let mut used = std::collections::BTreeSet::new();
    let (mut milestones, mut severities) = (Vec::new(), Vec::new());
    for e in &s.entries {
        used.insert(match &e.what {
            Happening::Item(_) => "item",
            Happening::Surge { .. } => "surge",
            Happening::Inquiry { .. } => "inquiry",
            Happening::Note { .. } => "note",
            Happening::Expect { dismissed: true, .. } => "expect dismissed",
            Happening::Expect { severity, milestones: m, same_case, .. } => {
                severities.extend(*severity);
                milestones.extend(m.iter().copied());
                if same_case.is_empty() { "expect a case" } else { "expect one case for the incident" }
            }
        });
    }
    let all =
        ["item", "surge", "inquiry", "note", "expect dismissed", "expect a case", "expect one case for the incident"];
    assert_eq!(used, all.into_iter().collect(), "every kind of entry and of expectation");
    let planned = [Severity::General, Severity::Major].map(yuqing::drill::entry::planned).concat();
    let missing: Vec<_> = planned.iter().filter(|k| !milestones.contains(k)).collect();
    assert!(missing.is_empty(), "milestones no expectation asks for: {missing:?}");
    assert!(severities.contains(&Severity::General) && severities.contains(&Severity::Major), "{severities:?}");
}

#[test]
fn every_error_inside_an_item_is_reported() {
    let e = errors(&[
        "{\"at\":\"+00:20\",\"kind\":\"item\",\"item\":{\"channel\":\"tiktok\",\"title\":\"t3\",\"external_id\":\"x3\",\"reach\":-1,\"published_at\":\"bad\"}}",
    ]);
    for field in ["item.channel", "item.reach", "item.published_at"] {
        assert!(e.iter().any(|m| m.starts_with("s.jsonl:2:") && m.contains(field)), "{field}: {e:#?}");
    }
    assert_eq!(e.len(), 3, "{e:#?}");
}

#[test]
fn a_bad_item_is_not_also_missing_and_errors_come_in_the_files_order() {
    let bad_item = "{\"at\":\"+00:20\",\"kind\":\"item\",\"item\":{\"channel\":\"weibo\",\"title\":\"t\",\"external_id\":\"x3\",\"colour\":1}}";
    let e = errors(&[
        bad_item,
        "{\"at\":\"+00:30\",\"kind\":\"surge\",\"external_id\":\"x3\",\"reach\":5}",
        "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"x3\",\"severity\":\"general\"}",
        "{\"at\":\"+00:10\",\"kind\":\"surge\",\"external_id\":\"x3\",\"reach\":5}",
    ]);
    assert_eq!(e.len(), 2, "only the unknown field and the early surge: {e:#?}");
    assert!(e[0].starts_with("s.jsonl:2: field `item.colour`"), "{e:#?}");
    assert!(e[1].starts_with("s.jsonl:5: field `at`: the surge comes before its item `x3`"), "{e:#?}");
}

#[test]
fn milestones_need_a_severity_and_are_listed_once() {
    let e = errors(&[
        ITEM,
        "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"milestones\":[\"press_conference\"]}",
    ]);
    assert!(e.len() == 1 && e[0].contains("field `milestones`: give `severity` too"), "{e:#?}");
    let e = one(&[
        ITEM,
        "{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"general\",\"milestones\":[\"first_response\",\"first_response\"]}",
    ]);
    assert!(e.contains("field `milestones[1]`: `first_response` is listed twice"), "{e}");
}

#[test]
fn a_device_or_a_huge_file_is_refused_without_reading_it() {
    let d = Settings::default().directory;
    let e = yuqing::drill::check_file(Path::new("/dev/zero"), &d).unwrap_err();
    assert!(e[0].en.contains("/dev/zero: not a regular file"), "{e:?}");
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.jsonl");
    std::fs::File::create(&big).unwrap().set_len(yuqing::drill::scenario::MAX_BYTES + 1).unwrap();
    let e = yuqing::drill::check_file(&big, &d).unwrap_err();
    assert!(e[0].en.contains("a scenario is at most"), "{e:?}");
}

#[test]
fn a_second_expectation_of_one_item_is_refused_even_when_it_agrees() {
    let exp = |m: &str| {
        format!(
            "{{\"at\":\"+00:00\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"general\",\"milestones\":[{m}]}}"
        )
    };
    for second in [exp("\"first_response\""), exp("")] {
        let e = one(&[ITEM, &exp("\"first_response\""), &second]);
        assert!(e.starts_with("s.jsonl:4: field `external_id`: line 3 already expects `w1`"), "{e}");
    }
}

#[test]
fn a_chinese_terminal_reads_scenario_errors_in_chinese() {
    let sb = Sandbox::new();
    let f = sb.write(
        "s.jsonl",
        concat!(
            "{\"start\":\"2026-07-01 08:00\"}\n",
            "{\"at\":\"+00:05\",\"kind\":\"item\",\"item\":{\"channel\":\"weibo\",\"title\":\"网传\",\"external_id\":\"w1\",\"colour\":\"red\"}}\n",
            "{\"at\":\"+01:75\",\"kind\":\"note\",\"text\":\"x\"}\n",
            "{\"at\":\"+00:05\",\"kind\":\"expect\",\"external_id\":\"w1\",\"severity\":\"huge\"}\n",
        ),
    );
    let o = sb.cmd().env("LANG", "zh_CN.UTF-8").env_remove("LC_ALL").args(["drill", "check"]).arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    let shown = f.display();
    // Each line: the file and line, the field, and in Chinese what is wrong and what is valid.
    for (line, field, says) in [
        (1, "scenario", "表头（剧本名称）必须填写此字段"),
        (2, "item.colour", "不是信息的字段；可用字段：channel, title"),
        (3, "at", "`+01:75` 不是偏移；请用距开始的 +HH:MM 或 +HH:MM:SS"),
        (4, "severity", "没有级别 `huge`；可填：general（一般）、major（重大）、extraordinary（特别重大）"),
    ] {
        let start = format!("{shown}:{line}: 字段 `{field}`：");
        assert!(err.lines().any(|l| l.starts_with(&start) && l.contains(says)), "{start}…{says}:\n{err}");
    }
    for english in
        ["field `", "is needed", "not a field", "its fields", "is not an offset", "unknown severity", "valid:"]
    {
        assert!(!err.contains(english), "`{english}` is English:\n{err}");
    }
    assert!(err.contains("1 个剧本文件有错误"), "{err}");
}
