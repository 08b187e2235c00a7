//! Backups and restores through the binary, and the committed fixture log that every
//! later version must still load and verify.

mod common;

use common::{Sandbox, stderr, stdout};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/log-v1.jsonl");

#[test]
fn the_schema_1_fixture_log_loads_verifies_and_keeps_its_bytes() {
    let sb = Sandbox::new();
    let out = sb.ok(&["restore", FIXTURE]);
    assert!(out.contains("restored 18 events"), "{out}");
    assert!(sb.ok(&["verify"]).starts_with("OK: 18 events"));
    // The recorded bytes come back unchanged, so the hash chain still holds.
    assert_eq!(sb.ok(&["export"]), std::fs::read_to_string(FIXTURE).unwrap());
    let cases = sb.ok(&["cases", "--json"]);
    assert!(cases.contains("A-0001") && cases.contains("A-0002"), "{cases}");
    // The console's counters are taken back: the next case is A-0003, the next item A.8.
    let f = sb.write("new.jsonl", &common::items_jsonl("new", 1));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    let opened = sb.ok(&["case", "open", "A.8", "--severity", "general", "--category", "other", "--lead", "jyj"]);
    assert!(opened.contains("A-0003"), "{opened}");
    assert!(sb.ok(&["verify"]).starts_with("OK"));
}

#[test]
fn a_backup_restores_to_the_same_log_and_state() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &common::items_jsonl("a", 40));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "major", "--category", "rumor", "--lead", "jyj"]);
    sb.ok(&["dismiss", "A.2", "--reason", "广告"]);
    let bk = sb.path("bk");
    assert!(sb.ok(&["backup", bk.to_str().unwrap()]).contains("backed up 42 events"));
    let again = sb.run(&["backup", bk.to_str().unwrap()]);
    assert!(!again.status.success() && stderr(&again).contains("holds a backup already"), "{}", stderr(&again));
    let restored = sb.path("restored");
    let r = sb.cmd().env("YUQING_DATA", &restored).args(["restore", bk.to_str().unwrap()]).output().unwrap();
    assert!(r.status.success(), "{}", stderr(&r));
    let export = |data: &std::path::Path| stdout(&sb.cmd().env("YUQING_DATA", data).args(["export"]).output().unwrap());
    assert_eq!(export(&restored), export(&sb.data()));
    let items =
        |data: &std::path::Path| stdout(&sb.cmd().env("YUQING_DATA", data).args(["items", "--json"]).output().unwrap());
    assert_eq!(items(&restored), items(&sb.data()));
    // A restore never lands on a folder that holds events.
    let onto = sb.run(&["restore", bk.to_str().unwrap()]);
    assert!(!onto.status.success() && stderr(&onto).contains("holds events already"), "{}", stderr(&onto));
}

#[test]
fn a_changed_backup_or_a_bad_line_is_refused_and_nothing_is_restored() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &common::items_jsonl("a", 5));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    let bk = sb.path("bk");
    sb.ok(&["backup", bk.to_str().unwrap()]);
    let events = bk.join("events.jsonl");
    let text = std::fs::read_to_string(&events).unwrap();
    std::fs::write(&events, text.replacen("第1号", "第9号", 1)).unwrap();
    let target = sb.path("t1");
    let r = sb.cmd().env("YUQING_DATA", &target).args(["restore", bk.to_str().unwrap()]).output().unwrap();
    assert!(!r.status.success() && stderr(&r).contains("SHA-256"), "{}", stderr(&r));
    assert!(!target.exists(), "nothing was created, not even the folder");
    // The same, and a source that is not there, to a Chinese terminal.
    let zh = |target: &std::path::Path, source: &std::path::Path| {
        let mut cmd = sb.cmd();
        cmd.env("YUQING_DATA", target).env("LANG", "zh_CN.UTF-8").env_remove("LC_ALL");
        stderr(&cmd.args(["restore", source.to_str().unwrap()]).output().unwrap())
    };
    let said = zh(&target, &bk);
    assert!(said.contains("备份被改动或已损坏；未恢复任何内容") && !said.contains("changed or damaged"), "{said}");
    let said = zh(&target, &sb.path("nowhere"));
    assert!(said.contains("不存在；未恢复任何内容"), "{said}");
    assert!(!target.exists(), "nothing was created for a source that is not there");
    let bad = sb.write("bad.jsonl", &format!("{}\n{{\"id\":1}}\n", text.lines().next().unwrap()));
    let target = sb.path("t2");
    let r = sb.cmd().env("YUQING_DATA", &target).args(["restore", bad.to_str().unwrap()]).output().unwrap();
    assert!(!r.status.success(), "{}", stdout(&r));
    assert!(stderr(&r).contains(&format!("{}:2:", bad.display())), "names file and line: {}", stderr(&r));
    assert!(!target.exists(), "nothing was created");
}

#[test]
fn an_event_changed_in_an_export_is_refused_by_its_chain() {
    let sb = Sandbox::new();
    let log = std::fs::read_to_string(FIXTURE).unwrap();
    // Change a note's words in place, keeping the JSON valid.
    let changed = log.replacen("已转县人社局核实", "县长已被免职", 1);
    assert_ne!(changed, log);
    let f = sb.write("changed.jsonl", &changed);
    let r = sb.run(&["restore", f.to_str().unwrap()]);
    assert!(!r.status.success());
    let line = log.lines().position(|l| l.contains("已转县人社局核实")).unwrap() + 2;
    assert!(
        stderr(&r).contains(&format!("{}:{line}: event A:17 does not continue A:16", f.display())),
        "{}",
        stderr(&r)
    );
    assert!(!sb.data().join("db").exists(), "nothing was restored");
    let mut zh = sb.cmd();
    zh.env("LANG", "zh_CN.UTF-8").env_remove("LC_ALL").args(["restore", f.to_str().unwrap()]);
    let said = stderr(&zh.output().unwrap());
    assert!(said.contains(&format!("{}:{line}：事件 A:17 接不上 A:16", f.display())), "{said}");
    assert!(said.contains("文件被改动过；未恢复任何内容") && !said.contains("does not continue"), "{said}");
}
