//! The command line as a person uses it: whole lifecycles, and bad input that must be
//! reported clearly with nothing half-written.

mod common;

use common::{Sandbox, items_jsonl, stderr, stdout};
use yuqing::store::pack::{pack, unpack};

const ITEMS: &str = concat!(
    "{\"channel\":\"weibo\",\"title\":\"网传学校食堂饭菜变质\",\"external_id\":\"w1\",\"reach\":5200}\n",
    "{\"channel\":\"hotline\",\"title\":\"工地拖欠工资\",\"external_id\":\"h1\"}\n",
    "{\"channel\":\"portal\",\"title\":\"建议增开公交\",\"external_id\":\"p1\"}\n",
);

#[test]
fn a_whole_case_lifecycle_through_the_command_line() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    assert!(sb.ok(&["ingest", f.to_str().unwrap()]).contains("3 new"));
    assert!(sb.ok(&["ingest", f.to_str().unwrap()]).contains("3 duplicate"));
    sb.ok(&[
        "case",
        "open",
        "A.1",
        "--severity",
        "major",
        "--category",
        "rumor",
        "--lead",
        "县教育局",
        "--co",
        "scjgj",
    ]);
    sb.ok(&["case", "attach", "A-0001", "A.2"]);
    sb.ok(&["dismiss", "A.3", "--reason", "与本县无关"]);
    let cases = sb.ok(&["cases"]);
    assert!(cases.contains("A-0001") && cases.contains("report county") && !cases.contains("report_county"), "{cases}");
    // An extension has a cap (48 h past the original due time, policy.toml): the
    // update falls due 24 h after opening, so 2099 is refused and two days from now is not.
    let within_the_cap = (chrono::Local::now() + chrono::Duration::hours(48)).format("%Y-%m-%d %H:%M").to_string();
    let far = ["--as", "chief", "case", "extend", "A-0001", "--milestone", "update", "--until", "2099-12-31 00:00"];
    let refused = sb.run(&[&far[..], &["--reason", "等待结论"]].concat());
    assert!(!refused.status.success() && stderr(&refused).contains("at most 48 h"), "{}", stderr(&refused));
    let steps: &[&[&str]] = &[
        &["case", "ack", "A-0001", "--dept", "scjgj"],
        &["case", "report-county", "A-0001", "--note", "已电话报告"],
        &["--as", "chief", "case", "escalate", "A-0001", "--reason", "尽快核实"],
        &["case", "refer", "A-0001", "--agency", "cyber_police", "--ref", "网警-17"],
        &["case", "draft", "A-0001", "--kind", "authoritative_info", "--text", "经检测，食材合格"],
        &["case", "sign-off", "A-0001", "--dept", "scjgj"],
        &["--as", "chief", "case", "approve", "A-0001"],
        &["case", "publish", "A-0001", "--kind", "authoritative_info", "--channel", "weibo"],
        &["case", "press-conference", "A-0001"],
        &[
            "--as",
            "chief",
            "case",
            "extend",
            "A-0001",
            "--milestone",
            "update",
            "--until",
            &within_the_cap,
            "--reason",
            "等待结论",
        ],
        &["case", "note", "A-0001", "家长情绪平稳"],
        &["--as", "chief", "case", "mark", "A-0001", "--dept", "jyj", "--reason", "首报迟缓"],
        &["case", "close", "A-0001", "--outcome", "clarified"],
        &["case", "reopen", "A-0001", "--reason", "再次发酵"],
        &["case", "transfer", "A-0001", "--lead", "scjgj", "--reason", "食品安全归口"],
        &["case", "classify", "A-0001", "--severity", "general", "--category", "misunderstanding"],
    ];
    for s in steps {
        let said = sb.ok(s);
        // Each step says what it did to which case, not an event's number.
        assert!(said.starts_with("A-0001") && !said.contains("A:") && !said.ends_with(' '), "{s:?}: {said}");
        if s[1] == "draft" {
            assert!(said.contains("drafted #1 authoritative info"), "the new draft's number: {said}");
        }
    }
    let timeline = sb.ok(&["case", "show", "A-0001"]);
    assert!(timeline.contains("drafted #1") && timeline.contains("approved draft #1"), "{timeline}");
    let shown: serde_json::Value = serde_json::from_str(&sb.ok(&["case", "show", "A-0001", "--json"])).unwrap();
    assert_eq!(shown["case"]["lead"], "scjgj");
    assert_eq!(shown["case"]["items"].as_array().unwrap().len(), 2);
    assert_eq!(shown["case"]["drafts"][0]["number"], 1, "a draft's number as people and --draft use it");
    assert_eq!(shown["timeline"].as_array().unwrap().len(), 18);
    let exported = sb.ok(&["export"]);
    assert_eq!(exported.lines().count(), 3 + 3 + 16);
    assert!(sb.ok(&["verify"]).starts_with("OK"));
    let depts = sb.ok(&["departments", "--json"]);
    let jyj: serde_json::Value = depts
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .find(|v: &serde_json::Value| v["code"] == "jyj")
        .unwrap();
    assert_eq!(jyj["accountability_marks"], 1);
}

#[test]
fn roles_are_refused_through_the_command_line() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "rumor", "--lead", "jyj"]);
    let o = sb.run(&["case", "escalate", "A-0001", "--reason", "x"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("only a supervisor"), "{}", stderr(&o));
    let o = sb.run(&["--as", "guest", "case", "note", "A-0001", "x"]);
    assert!(stderr(&o).contains("a viewer changes nothing"), "{}", stderr(&o));
    let o = sb.run(&["--as", "nobody", "case", "note", "A-0001", "x"]);
    assert!(stderr(&o).contains("unknown operator `nobody`; known: duty, chief"), "{}", stderr(&o));
}

#[test]
fn a_file_with_bad_lines_writes_nothing_unless_told_to_skip_them() {
    let sb = Sandbox::new();
    let text = format!("{ITEMS}{{\"channel\":\"douyin\",\"title\":\"x\"}}\n{{\"channel\":\"weibo\"}}\n");
    let f = sb.write("bad.jsonl", &text);
    let o = sb.run(&["ingest", f.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("bad.jsonl:4: field `channel`: unknown channel `douyin`; valid: portal, wechat"), "{err}");
    assert!(err.contains("bad.jsonl:5: fields `title` and `body` are both empty"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(sb.ok(&["items"]).contains("no items"));
    let out = sb.ok(&["ingest", "--skip-invalid", f.to_str().unwrap()]);
    assert!(out.contains("3 new") && out.contains("2 invalid"), "{out}");
}

#[test]
fn a_bad_line_in_the_last_file_writes_nothing_of_the_batches_before_it() {
    let sb = Sandbox::new();
    let good: String = (0..2_500)
        .map(|i| format!("{{\"channel\":\"weibo\",\"title\":\"第{i}号小区停水\",\"external_id\":\"w{i}\"}}\n"))
        .collect();
    let a = sb.write("a.jsonl", &good);
    let b = sb.write("b.jsonl", &format!("{good}{{\"channel\":\"weibo\"}}\n"));
    let o = sb.run(&["ingest", "--batch", "1000", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("b.jsonl:2501: fields `title` and `body` are both empty"), "{}", stderr(&o));
    assert!(sb.ok(&["items"]).contains("no items"), "the files are streamed, yet checked whole first");
    let out = sb.ok(&["ingest", "--batch", "1000", "--skip-invalid", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(out.contains("2500 new, 2500 duplicate(s) skipped, 1 invalid"), "{out}");
}

#[test]
fn empty_binary_and_missing_files_are_clear_errors() {
    let sb = Sandbox::new();
    let empty = sb.write("empty.jsonl", "");
    let o = sb.run(&["ingest", empty.to_str().unwrap()]);
    assert!(stderr(&o).contains("empty.jsonl: the file is empty"), "{}", stderr(&o));
    let bin = sb.path("x.bin");
    std::fs::write(&bin, [0u8, 159, 146, 150]).unwrap();
    let o = sb.run(&["ingest", bin.to_str().unwrap()]);
    assert!(stderr(&o).contains("binary file"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn unknown_names_list_what_is_valid() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["case", "open", "A.1", "--severity", "huge", "--category", "rumor", "--lead", "jyj"],
            "valid: general, major, extraordinary",
        ),
        (
            &["case", "open", "A.1", "--severity", "major", "--category", "rumor", "--lead", "财政局"],
            "valid: xzfb 县政府办公室, zwgk 县政务公开办",
        ),
        (&["case", "close", "B-0404", "--outcome", "solved"], "no case `B-0404`"),
        (
            &["case", "close", "B-0404", "--outcome", "done"],
            "valid: adopted, solved, clarified, corrected, referred, no_action",
        ),
        (&["case", "refer", "B-0404", "--agency", "army", "--ref", "1"], "valid: police, cyber_police"),
    ];
    for (args, want) in cases {
        let o = sb.run(args);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_second_process_on_the_same_folder_is_told_what_to_do() {
    let sb = Sandbox::new();
    let held = yuqing::store::Store::open(&sb.data(), "live").unwrap();
    let o = sb.run(&["items"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("is in use by another yuqing process") && err.contains(sb.data().to_str().unwrap()), "{err}");
    assert!(err.contains("inbox"), "{err}");
    assert!(!err.contains("panicked"));
    assert!(sb.data().join("yuqing.lock").exists(), "our own lock, not sled's, tells");
    drop(held);
    sb.ok(&["items"]);
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    {
        let db = common::raw_sled(&sb.data());
        db.insert(b"m/schema", &99u16.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let o = sb.run(&["items"]);
    assert!(stderr(&o).contains("written by a newer yuqing (schema 99"), "{}", stderr(&o));
}

#[test]
fn verify_reports_a_projection_changed_behind_the_stores_back() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &items_jsonl("v", 3));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "other", "--lead", "jyj"]);
    {
        let db = common::raw_sled(&sb.data());
        let v = db.get(b"c/A-0001").unwrap().unwrap();
        let json = String::from_utf8(unpack(&v).unwrap().into_owned()).unwrap();
        let changed = json.replace("\"jyj\"", "\"gaj\"");
        db.insert(b"c/A-0001", pack(changed.as_bytes())).unwrap();
        db.remove(b"o/A-0001").unwrap();
        db.flush().unwrap();
    }
    let o = sb.run(&["verify"]);
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(out.contains("DIFF case A-0001"), "{out}");
    assert!(out.contains("DIFF open cases A-0001: missing from the index"), "{out}");
}

#[test]
fn fresh_installs_take_distinct_names_and_an_enrolled_one_its_enrolled_name() {
    let name = |sb: &Sandbox| {
        let conf = std::fs::read_to_string(sb.dir.path().join("config/console.toml")).unwrap();
        toml::from_str::<toml::Table>(&conf).unwrap()["name"].as_str().unwrap().to_string()
    };
    let (a, b) = (Sandbox::new(), Sandbox::new());
    a.ok(&["config", "init"]);
    b.ok(&["config", "init"]);
    assert_ne!(name(&a), name(&b));
    assert!(name(&a) != "A" && name(&b) != "A");
    // Asked for a name: that one, checked.
    let c = Sandbox::new();
    c.ok(&["config", "init", "--name", "XQ1"]);
    assert_eq!(name(&c), "XQ1");
    let bad = Sandbox::new().run(&["config", "init", "--name", "县城"]);
    assert!(!bad.status.success() && stderr(&bad).contains("1–8 letters"), "{}", stderr(&bad));
    // Credentials carried to a console without console.toml: it is the enrolled name.
    let hub = Sandbox::new();
    hub.ok(&["cluster", "init"]);
    let creds = hub.path("xq2.toml");
    hub.ok(&["cluster", "enroll", "XQ2", "--out", creds.to_str().unwrap()]);
    let d = Sandbox::new();
    std::fs::create_dir_all(d.path("config")).unwrap();
    std::fs::copy(&creds, d.path("config/credentials.toml")).unwrap();
    d.ok(&["config", "init"]);
    assert_eq!(name(&d), "XQ2");
    // A console's name is enrolled only if console.toml can hold it.
    let long = hub.run(&["cluster", "enroll", "county-hub", "--out", hub.path("h.toml").to_str().unwrap()]);
    assert!(!long.status.success() && stderr(&long).contains("1–8 letters"), "{}", stderr(&long));
}

#[test]
fn config_init_writes_editable_files_and_a_bad_edit_is_named() {
    let sb = Sandbox::new();
    let out = sb.ok(&["config", "init"]);
    assert_eq!(out.lines().filter(|l| l.starts_with("wrote")).count(), 5, "{out}");
    let cfg = sb.dir.path().join("config");
    let policy = std::fs::read_to_string(cfg.join("policy.toml")).unwrap();
    assert!(policy.contains("first_response_hours = 48"));
    std::fs::write(
        cfg.join("policy.toml"),
        policy.replace("first_response_hours = 48", "first_response_hours = \"two days\""),
    )
    .unwrap();
    let o = sb.run(&["items"]);
    let err = stderr(&o);
    assert!(err.contains("policy.toml") && err.contains("line") && err.contains("first_response_hours"), "{err}");
}

#[test]
fn rules_stats_count_matches_offers_and_kept_hints() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.2", "--severity", "general", "--category", "difficulty", "--lead", "rsj"]);
    let out = sb.ok(&["rules", "stats", "--json"]);
    let rows: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let wages = rows.iter().find(|r| r["rule"] == "欠薪").unwrap();
    assert_eq!((wages["matched"].as_u64(), wages["offered"].as_u64()), (Some(1), Some(1)));
    assert_eq!(wages["kept"].as_u64(), Some(0), "the command line does not record hints as kept");
    let food = rows.iter().find(|r| r["rule"] == "食品安全").unwrap();
    assert_eq!((food["matched"].as_u64(), food["offered"].as_u64()), (Some(1), Some(0)));
}

#[test]
fn a_bad_rules_file_is_named_with_line_and_field() {
    let sb = Sandbox::new();
    let cfg = sb.dir.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("rules.toml"), "[[rule]]\nname = \"x\"\nkeywords = [\"山洪\"]\ndepartments = [\"nope\"]\n")
        .unwrap();
    let o = sb.run(&["items"]);
    assert!(
        stderr(&o).contains("rules.toml: line 4: field `departments`: unknown department `nope`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_event_rewritten_behind_the_stores_back_breaks_its_chain_and_verify_says_where() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "rumor", "--lead", "jyj"]);
    sb.ok(&["--as", "chief", "case", "escalate", "A-0001", "--reason", "尽快"]);
    let audit = sb.ok(&["audit", "--operator", "chief"]);
    assert_eq!(audit.lines().count(), 1, "{audit}");
    assert!(audit.contains("A:5") && audit.contains("escalated"), "{audit}");
    assert!(audit.contains("A-0001"), "the line names the case it is about: {audit}");
    assert_eq!(sb.ok(&["audit", "--case", "A-0001"]).lines().count(), 2);
    assert!(sb.ok(&["verify"]).starts_with("OK"));
    {
        let db = common::raw_sled(&sb.data());
        for kv in db.scan_prefix(b"l/A") {
            let (k, v) = kv.unwrap();
            let text = String::from_utf8(unpack(&v).unwrap().into_owned()).unwrap();
            if let Some(at) = text.find("\"seq\":2}") {
                // Event A:2 (an item received) now claims another operator; nothing else changes.
                let (head, tail) = text.split_at(at);
                let changed = format!("{head}{}", tail.replacen("\"operator\":\"duty\"", "\"operator\":\"chief\"", 1));
                db.insert(k, pack(changed.as_bytes())).unwrap();
            }
        }
        db.flush().unwrap();
    }
    let o = sb.run(&["verify"]);
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("DIFF event A:3: the hash chain of console A breaks here: this event or A:2 was changed"),
        "{out}"
    );
}

#[test]
fn operators_with_pins_are_checked_on_the_command_line() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    let add = |pin: &str, actor: &str| {
        sb.cmd()
            .env("YUQING_NEW_PIN", pin)
            .args(["--as", actor, "operator", "add", "wang", "--name", "王芳", "--role", "supervisor"])
            .output()
            .unwrap()
    };
    // Changing the roster is a supervisor's action.
    let duty = add("482600", "duty");
    assert!(!duty.status.success() && stderr(&duty).contains("only a supervisor may"), "{}", stderr(&duty));
    let short = add("12", "chief");
    assert!(!short.status.success() && stderr(&short).contains("too short"), "{}", stderr(&short));
    let added = add("482600", "chief");
    assert!(added.status.success(), "{}", stderr(&added));
    // The roster is events: only the hash is kept, and the audit names who changed it
    // (without the hash).
    let export = sb.ok(&["export"]);
    assert!(export.contains("$argon2") && !export.contains("482600"), "only the hash is stored");
    let audit = sb.ok(&["audit", "--operator", "chief"]);
    assert!(audit.contains("operator set wang 王芳") && !audit.contains("$argon2"), "{audit}");
    assert!(sb.ok(&["operator", "list"]).contains("PIN set"));
    let wrong =
        sb.cmd().env("YUQING_PIN", "0000").args(["--as", "wang", "ingest", f.to_str().unwrap()]).output().unwrap();
    assert!(!wrong.status.success() && stderr(&wrong).contains("wrong PIN for operator `wang`"), "{}", stderr(&wrong));
    assert!(sb.ok(&["items"]).contains("no items"), "nothing was written");
    let right =
        sb.cmd().env("YUQING_PIN", "482600").args(["--as", "wang", "ingest", f.to_str().unwrap()]).output().unwrap();
    assert!(right.status.success(), "{}", stderr(&right));
    sb.ok(&["--as", "chief", "operator", "disable", "wang"]);
    let disabled = sb
        .cmd()
        .env("YUQING_PIN", "482600")
        .args(["--as", "wang", "dismiss", "A.1", "--reason", "x"])
        .output()
        .unwrap();
    assert!(stderr(&disabled).contains("disabled"), "{}", stderr(&disabled));
    let unknown = sb.run(&["--as", "chief", "operator", "disable", "li"]);
    assert!(stderr(&unknown).contains("unknown operator `li`; known: duty"), "{}", stderr(&unknown));
}

#[test]
fn the_example_drill_scenarios_pass_the_check_and_a_bad_one_names_lines() {
    let sb = Sandbox::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let mut args = vec!["drill", "check"];
    args.extend(files.iter().map(String::as_str));
    assert_eq!(sb.ok(&args).matches(": ok").count(), 5);
    let bad = sb.write("bad.jsonl", "{\"scenario\":\"x\",\"start\":\"soon\"}\n{\"at\":\"+00:01\",\"kind\":\"expect\",\"external_id\":\"a\",\"lead\":\"nope\"}\n");
    let o = sb.run(&["drill", "check", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("bad.jsonl:1: field `start`")
            && err.contains("bad.jsonl:2: field `lead`: unknown department `nope`"),
        "{err}"
    );
}

/// A data folder of 3002 items (a log over several segments, a blob, and a snapshot
/// written by the second open), to be copied and damaged.
fn damaged_fixture() -> Sandbox {
    let sb = Sandbox::new();
    let lines: String = (0..3000)
        .map(|i| {
            format!(
                "{{\"channel\":\"weibo\",\"title\":\"t{i}\",\"body\":\"{}\",\"external_id\":\"d{i}\"}}\n",
                "x".repeat(300)
            )
        })
        .collect();
    // Two long items that do not compress (about 200 KB each, one after the other), so
    // sled keeps the tree node holding their pages in a file of `blobs/` of its own, as
    // it does any node over a quarter of a segment.
    let long = |seed: u64| -> String {
        let mut state = seed;
        let half: String = (0..100_000)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                char::from(b'a' + (state >> 59) as u8 % 26)
            })
            .collect();
        format!("{half}{half}")
    };
    let lines = format!(
        "{lines}{{\"channel\":\"weibo\",\"title\":\"long\",\"body\":\"{}\"}}\n{{\"channel\":\"weibo\",\"title\":\"longer\",\"body\":\"{}\"}}\n",
        long(7),
        long(11)
    );
    let f = sb.write("many.jsonl", &lines);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["items"]);
    sb
}

/// A copy of the fixture's data folder, damaged by `harm`, run through `args`.
fn run_damaged(fixture: &Sandbox, harm: impl FnOnce(&std::path::Path), args: &[&str]) -> std::process::Output {
    let copy = Sandbox::new();
    let ok = std::process::Command::new("cp").arg("-r").arg(fixture.data()).arg(copy.data()).status().unwrap();
    assert!(ok.success());
    harm(&copy.data().join("db"));
    let o = copy.run(args);
    let err = stderr(&o);
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
    if !o.status.success() {
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("is damaged") && err.contains(copy.data().to_str().unwrap()), "{err}");
        assert!(
            err.contains("restore BACKUP") && err.contains("move the folder away") && err.contains("--peer"),
            "{err}"
        );
    }
    o
}

fn snapshots(db: &std::path::Path) -> Vec<std::path::PathBuf> {
    let all = std::fs::read_dir(db).unwrap().map(|e| e.unwrap().path());
    all.filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("snap.")).collect()
}

fn truncate(file: &std::path::Path, len: u64) {
    std::fs::OpenOptions::new().write(true).open(file).unwrap().set_len(len).unwrap();
}

#[test]
fn a_damaged_database_is_named_with_how_to_recover_and_never_panics() {
    let fixture = damaged_fixture();
    let emptied = run_damaged(&fixture, |db| truncate(&db.join("db"), 0), &["items"]);
    assert!(!emptied.status.success(), "an emptied log is damage, not an empty database");
    let no_snapshot = run_damaged(
        &fixture,
        |db| {
            snapshots(db).iter().for_each(|s| std::fs::remove_file(s).unwrap());
            truncate(&db.join("db"), 0)
        },
        &["items"],
    );
    assert!(stderr(&no_snapshot).contains("its records are gone"), "{}", stderr(&no_snapshot));
    // Without its snapshot, a log cut short makes sled 0.34 panic while it recovers (an
    // index out of bounds), or recover silently up to the cut, depending on where the
    // cut falls in the log's layout, which varies from run to run.
    let cut_at = |tenths: u64| {
        move |db: &std::path::Path| {
            snapshots(db).iter().for_each(|s| std::fs::remove_file(s).unwrap());
            let len = std::fs::metadata(db.join("db")).unwrap().len();
            truncate(&db.join("db"), len * tenths / 10)
        }
    };
    let failed = (6..=9).filter(|&t| !run_damaged(&fixture, cut_at(t), &["items"]).status.success()).count();
    assert!(failed > 0, "no cut log was noticed");
    let no_blobs = run_damaged(
        &fixture,
        |db| {
            std::fs::read_dir(db.join("blobs")).unwrap().for_each(|b| std::fs::remove_file(b.unwrap().path()).unwrap())
        },
        &["items"],
    );
    // sled either says a file is missing or fails while it recovers (which, depends on
    // the layout): either way the message points at `blobs/`. Or the blob held only a
    // version of a node written again since (sled deletes such files later): then
    // nothing is lost, every item is listed.
    let err = stderr(&no_blobs);
    assert!(
        (err.contains("missing") && err.contains("blobs"))
            || (no_blobs.status.success() && stdout(&no_blobs).lines().count() == 3002),
        "neither named nor whole: {err}"
    );
    // sled writes a missing `conf` again from its defaults: no damage, nothing lost.
    let no_conf = run_damaged(&fixture, |db| std::fs::remove_file(db.join("conf")).unwrap(), &["items"]);
    assert_eq!(stdout(&no_conf).lines().count(), 3002, "{}", stderr(&no_conf));
}

#[test]
fn a_database_that_lost_saved_events_is_refused_not_opened_silently() {
    // What sled does with some logs cut short: it opens them up to the cut. An older copy
    // of the database put back in the folder is the same to the store: fewer events than
    // the folder saved.
    let sb = Sandbox::new();
    let first = sb.write("a.jsonl", &items_jsonl("a", 5));
    sb.ok(&["ingest", first.to_str().unwrap()]);
    let older = sb.dir.path().join("older-db");
    assert!(
        std::process::Command::new("cp").arg("-r").arg(sb.data().join("db")).arg(&older).status().unwrap().success()
    );
    let more = sb.write("b.jsonl", &items_jsonl("b", 5));
    sb.ok(&["ingest", more.to_str().unwrap()]);
    std::fs::remove_dir_all(sb.data().join("db")).unwrap();
    std::fs::rename(&older, sb.data().join("db")).unwrap();
    let o = sb.run(&["items"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("is damaged") && err.contains("its log was cut short"), "{err}");
    assert!(err.contains("console A's events up to 5 of the 10 saved") && err.contains("durable.json"), "{err}");
    assert!(stdout(&o).is_empty(), "nothing is listed from a database missing events");
    // A Chinese terminal is told the same, the detail included, in Chinese.
    let o = sb.zh(&["items"]);
    let err = stderr(&o);
    assert!(err.contains("已损坏") && err.contains("值守台 A 已保存的 10 个事件中的前 5 个"), "{err}");
    assert!(!err.contains("cut short") && !err.contains("console A"), "English left in: {err}");
}

#[test]
fn a_flipped_byte_in_the_log_is_found_and_named() {
    let fixture = damaged_fixture();
    // A flip in the part of the log that sled no longer reads (versions superseded
    // since) goes unnoticed and harms nothing; the middle of this log is such a part. So
    // flip one byte at the middle, and if nothing notices, one further on, until a read
    // of the live part meets it.
    let flip = |step: usize| {
        move |db: &std::path::Path| {
            let path = db.join("db");
            let mut bytes = std::fs::read(&path).unwrap();
            let at = bytes.len() / 2 + step * bytes.len() / 40 + 1234;
            bytes[at] ^= 0xff;
            std::fs::write(&path, bytes).unwrap();
        }
    };
    let found = (0..19).find(|&step| !run_damaged(&fixture, flip(step), &["verify"]).status.success());
    assert!(found.is_some(), "no flipped byte in the second half of the log was noticed");
}

#[test]
fn read_only_commands_refuse_a_folder_without_a_database_and_create_nothing() {
    let sb = Sandbox::new();
    let reads: &[&[&str]] = &[
        &["items"],
        &["cases"],
        &["case", "show", "A-0001"],
        &["departments"],
        &["report"],
        &["audit"],
        &["export"],
        &["verify"],
        &["rules", "stats"],
        &["drill", "record", "--from", "2025-01-01 00:00", "--to", "2025-01-02 00:00", "out.jsonl"],
    ];
    let missing = sb.path("mistyped/path");
    for args in reads {
        let o = sb.cmd().env("YUQING_DATA", &missing).args(*args).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(missing.to_str().unwrap()) && err.contains("holds no yuqing database"), "{args:?}: {err}");
        assert!(err.contains("YUQING_DATA"), "{err}");
        assert!(!sb.path("mistyped").exists(), "{args:?} created something");
    }
    let o = sb.run(&["drill", "score", "--drill-data", missing.to_str().unwrap()]);
    assert!(!o.status.success() && !sb.path("mistyped").exists(), "{}", stderr(&o));
    // A command that writes creates the folder.
    let f = sb.write("a.jsonl", ITEMS);
    sb.cmd().env("YUQING_DATA", &missing).args(["ingest", f.to_str().unwrap()]).output().unwrap();
    let o = sb.cmd().env("YUQING_DATA", &missing).args(["verify"]).output().unwrap();
    assert!(stdout(&o).starts_with("OK: 3 events"), "{}", stderr(&o));
}

#[test]
fn commands_that_read_here_refuse_to_before_any_connection() {
    let sb = Sandbox::new();
    let refused: &[(&[&str], &str)] = &[
        (&["cases", "--to", "127.0.0.1:9"], "cases"),
        (&["--to", "127.0.0.1:9", "verify"], "verify"),
        (&["case", "show", "A-0001", "--to", "127.0.0.1:9"], "case show"),
    ];
    for (args, name) in refused {
        let o = sb.run(args);
        assert_eq!(o.status.code(), Some(2), "a usage error, as clap's: {args:?}");
        let err = stderr(&o);
        assert!(err.contains(&format!("`yuqing {name}` does not work with --to; run it on the machine")), "{err}");
        assert!(!sb.data().exists(), "nothing was opened");
    }
}

/// Runs `args` with stdout piped, reads one line, closes the pipe, and waits.
fn close_after_one_line(sb: &Sandbox, args: &[&str]) {
    use std::io::BufRead;
    let mut child =
        sb.cmd().args(args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(!first.is_empty(), "{args:?}");
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_ne!(o.status.code(), Some(101), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &items_jsonl("p", 1500));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "other", "--lead", "jyj"]);
    let ids: Vec<String> = (2..=1500).map(|i| format!("A.{i}")).collect();
    let mut attach = vec!["case", "attach", "A-0001"];
    attach.extend(ids.iter().map(String::as_str));
    sb.ok(&attach);
    for args in [&["case", "show", "A-0001"][..], &["items"], &["export"]] {
        close_after_one_line(&sb, args);
    }
}

/// `yuqing --as chief operator ARGS…` with `pin` as the new PIN.
fn operator(sb: &Sandbox, pin: &str, args: &[&str]) -> std::process::Output {
    sb.cmd().env("YUQING_NEW_PIN", pin).args(["--as", "chief", "operator"]).args(args).output().unwrap()
}

#[test]
fn operator_add_never_replaces_anyone_and_pin_enable_change_what_it_refuses_to() {
    let sb = Sandbox::new();
    // duty exists (built in, without a PIN): add refuses, naming them and what to run.
    let o = operator(&sb, "135790", &["add", "duty", "--name", "李明", "--role", "supervisor"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("operator `duty` exists already") && e.contains("yuqing operator pin duty"), "{e}");
    assert!(!sb.data().exists(), "nothing was written");
    assert!(sb.ok(&["operator", "list"]).lines().any(|l| l.starts_with("duty") && l.contains(" operator ")));

    // A PIN of at least 6 characters, set and reset with `operator pin`.
    let short = operator(&sb, "12345", &["pin", "duty"]);
    assert!(!short.status.success() && stderr(&short).contains("at least 6"), "{}", stderr(&short));
    let set = operator(&sb, "135790", &["pin", "duty"]);
    assert!(set.status.success(), "{}", stderr(&set));
    assert!(sb.ok(&["operator", "list"]).lines().any(|l| l.starts_with("duty") && l.contains("PIN set")));
    let again = operator(&sb, "135790", &["add", "duty", "--name", "李明", "--role", "operator"]);
    assert!(stderr(&again).contains("yuqing operator pin duty"), "{}", stderr(&again));
    let reset = operator(&sb, "246801", &["pin", "duty"]);
    assert!(reset.status.success(), "{}", stderr(&reset));
    let items = sb.write("a.jsonl", ITEMS);
    let ingest = |pin: &str| {
        sb.cmd().env("YUQING_PIN", pin).args(["--as", "duty", "ingest", items.to_str().unwrap()]).output().unwrap()
    };
    assert!(stderr(&ingest("135790")).contains("wrong PIN"), "the old PIN is gone");
    assert!(ingest("246801").status.success(), "the new one works");

    // Disabled, then enabled again; a role changed.
    sb.ok(&["--as", "chief", "operator", "disable", "duty"]);
    assert!(stderr(&ingest("246801")).contains("disabled"));
    let enable = sb.ok(&["--as", "chief", "operator", "enable", "duty"]);
    assert!(enable.contains("operator set duty"), "{enable}");
    assert!(ingest("246801").status.success());
    let unknown = sb.run(&["--as", "chief", "operator", "enable", "li"]);
    assert!(stderr(&unknown).contains("unknown operator `li`"), "{}", stderr(&unknown));
    sb.ok(&["--as", "chief", "operator", "role", "duty", "viewer"]);
    assert!(sb.ok(&["operator", "list"]).lines().any(|l| l.starts_with("duty") && l.contains(" viewer ")));
    // A supervisor cannot lock themselves out.
    let own = sb.run(&["--as", "chief", "operator", "disable", "chief"]);
    assert!(stderr(&own).contains("cannot disable or demote themselves"), "{}", stderr(&own));

    // A longer minimum where console.toml asks for one.
    std::fs::create_dir_all(sb.dir.path().join("config")).unwrap();
    std::fs::write(sb.dir.path().join("config/console.toml"), "min_pin_length = 8\n").unwrap();
    let seven = operator(&sb, "1234567", &["add", "wang", "--name", "王芳", "--role", "supervisor"]);
    assert!(stderr(&seven).contains("at least 8"), "{}", stderr(&seven));
    let eight = operator(&sb, "12345678", &["add", "wang", "--name", "王芳", "--role", "supervisor"]);
    assert!(eight.status.success(), "{}", stderr(&eight));
}

#[test]
fn config_init_writes_operators_toml_for_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    sb.ok(&["config", "init"]);
    let file = sb.dir.path().join("config/operators.toml");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(std::fs::metadata(sb.dir.path().join("config/console.toml")).is_ok());
}

#[test]
fn a_report_covers_a_calendar_period_by_default_the_last_whole_month() {
    use chrono::Datelike;
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive();
    let this_month = today.with_day(1).unwrap();
    let last_month = (this_month - chrono::Duration::days(1)).with_day(1).unwrap();
    let md = sb.ok(&["report"]);
    let want = format!("统计区间：{last_month} 00:00 — {this_month} 00:00");
    assert!(md.contains(&want), "the last whole month, in Beijing time: {want}\n{md}");
    let week = sb.ok(&["report", "--period", "2026-W47"]);
    assert!(week.contains("统计区间：2026-11-16 00:00 — 2026-11-23 00:00"), "{week}");
    let bad = sb.run(&["report", "--period", "2026-13"]);
    assert!(!bad.status.success() && stderr(&bad).contains("--period") && stderr(&bad).contains("2026-W47"));
    let both = sb.run(&["report", "--period", "2026-11", "--from", "2026-11-01"]);
    assert_eq!(both.status.code(), Some(2), "one way of giving a period: {}", stderr(&both));
}

#[test]
fn daily_monitoring_records_and_nil_returns_show_in_the_tongbao() {
    let sb = Sandbox::new();
    let bj = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let today = chrono::Utc::now().with_timezone(&bj).date_naive();
    let yesterday = today.pred_opt().unwrap();
    sb.ok(&["monitor", "--channel", "weibo", "--found", "0"]);
    sb.ok(&["monitor", "--channel", "portal", "--found", "2", "--day", &yesterday.to_string()]);
    let future = sb.run(&["monitor", "--channel", "portal", "--found", "1", "--day", "2999-01-01"]);
    assert!(!future.status.success() && stderr(&future).contains("has not come yet"), "{}", stderr(&future));
    let bad = sb.run(&["monitor", "--channel", "tv", "--found", "1"]);
    assert!(!bad.status.success() && stderr(&bad).contains("portal"), "the valid channels: {}", stderr(&bad));
    let from = format!("{yesterday} 00:00");
    let to = format!("{} 00:00", today.succ_opt().unwrap());
    let md = sb.ok(&["report", "--from", &from, "--to", &to]);
    let section = md.split("## 九、每日监测记录").nth(1).unwrap_or_else(|| panic!("{md}"));
    let row = |d: chrono::NaiveDate| section.lines().find(|l| l.starts_with(&format!("| {d} "))).unwrap().to_string();
    let (y, t) = (row(yesterday), row(today));
    assert!(y.contains("| 2 |") && y.contains("未报"), "portal 2, weibo not reported yesterday: {y}");
    assert!(t.contains("零报告") && t.contains("未报"), "weibo nil return today: {t}");
    assert!(sb.ok(&["audit"]).contains("nil return"), "the audit names it");
}

#[test]
fn items_list_by_number_and_json_carries_the_triage_hints() {
    let sb = Sandbox::new();
    let mut lines = items_jsonl("n", 11);
    lines.push_str("{\"channel\":\"weibo\",\"title\":\"网传某小学食堂饭菜变质\",\"external_id\":\"food\"}\n");
    let f = sb.write("a.jsonl", &lines);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    let ids: Vec<String> =
        sb.ok(&["items"]).lines().map(|l| l.split_whitespace().next().unwrap_or("").to_string()).collect();
    let number = |id: &String| id.rsplit('.').next().and_then(|n| n.parse::<u32>().ok()).unwrap_or(0);
    let mut by_number = ids.clone();
    // Received together: newest number first, as people count (A.12, A.11, A.10, A.9…).
    by_number.sort_by_key(|id| std::cmp::Reverse(number(id)));
    assert_eq!(ids, by_number, "{ids:?}");
    let food = sb.ok(&["items", "--json"]).lines().find(|l| l.contains("食堂")).unwrap().to_string();
    let v: serde_json::Value = serde_json::from_str(&food).unwrap();
    assert_eq!(v["hints"]["lead"], "scjgj", "{v}");
    assert_eq!(v["hints"]["category"], "rumor", "{v}");
    assert!(v["hints"]["rules"].as_array().is_some_and(|r| !r.is_empty()), "{v}");
}

#[test]
fn under_a_chinese_locale_the_listings_speak_chinese() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &items_jsonl("z", 2));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "other", "--lead", "jyj"]);
    let zh = |args: &[&str]| stdout(&sb.zh(args));
    let cases = zh(&["cases"]);
    assert!(cases.contains("首次回应") && !cases.contains("first_response") && !cases.contains("left"), "{cases}");
    let depts = zh(&["departments"]);
    assert!(depts.lines().nth(1).is_some_and(|l| l.starts_with("单位") && l.contains("按时率")), "{depts}");
    let audit = zh(&["audit"]);
    assert!(audit.contains("登记 A-0001") && audit.contains("县教育局"), "{audit}");
    let en = stdout(&sb.cmd().env("LANG", "C.UTF-8").env_remove("LC_ALL").args(["departments"]).output().unwrap());
    assert!(en.lines().nth(1).is_some_and(|l| l.starts_with("department")), "{en}");
}

/// Runs `args` in `sb` as a terminal set to Chinese does.
fn zh(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    sb.cmd().env("LANG", "zh_CN.UTF-8").args(args).output().unwrap()
}

#[test]
fn under_a_chinese_terminal_the_command_line_speaks_chinese_without_codes() {
    let sb = Sandbox::new();
    let file = sb.write("a.jsonl", &items_jsonl("X", 2));
    let mut seen = String::new();
    // A bad line, and an unknown field, said in Chinese with file, line and field.
    let bad = sb.write(
        "bad.jsonl",
        "{\"channel\":\"weibo\",\"title\":\"路面塌陷\",\"reach\":\"很多\"}\n{\"channel\":\"weibo\",\"text\":\"x\"}\n",
    );
    let refused = zh(&sb, &["ingest", bad.to_str().unwrap()]);
    let err = stderr(&refused);
    assert!(err.contains("bad.jsonl:1: 字段 `reach`（传播量）：`很多` 不是阅读或转发数"), "{err}");
    assert!(err.contains("bad.jsonl:2: 未知字段 `text`") && !err.contains("line 1 column"), "{err}");
    // A whole file that cannot be read, and a case that does not exist, in Chinese too.
    let missing = stderr(&zh(&sb, &["ingest", sb.path("none.jsonl").to_str().unwrap()]));
    assert!(missing.starts_with("错误：") && missing.contains("none.jsonl: 文件不存在"), "{missing}");
    let binary = sb.write("bin.jsonl", "a\u{0}b");
    let binary = stderr(&zh(&sb, &["ingest", binary.to_str().unwrap()]));
    assert!(binary.contains("这是二进制文件") && !binary.contains("binary"), "{binary}");
    // A store's refusal to open, in Chinese: a folder with no database, one in use.
    let nothing = stderr(&zh(&sb, &["--data", sb.path("nowhere").to_str().unwrap(), "items"]));
    assert!(nothing.contains("中没有 yuqing 数据库") && !nothing.contains("holds no"), "{nothing}");
    let no_case = stderr(&zh(&sb, &["case", "show", "A-9999"]));
    assert!(no_case.contains("没有舆情事项") && !no_case.contains("no case"), "{no_case}");
    assert!(err.contains("2 行有误，未写入任何信息"), "{err}");
    let ingest = zh(&sb, &["ingest", file.to_str().unwrap()]);
    assert!(stdout(&ingest).contains("新增 2 条"), "{}", stdout(&ingest));
    sb.ok(&["case", "open", "A.1", "--severity", "major", "--category", "rumor", "--lead", "jyj"]);
    sb.ok(&["case", "transfer", "A-0001", "--lead", "scjgj", "--reason", "食品安全归口"]);
    sb.ok(&["case", "refer", "A-0001", "--agency", "cyber_police", "--ref", "网警-17"]);
    for args in [&["items"][..], &["case", "show", "A-0001"], &["cases"], &["audit"]] {
        let o = zh(&sb, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        seen.push_str(&stdout(&o));
    }
    assert!(seen.contains("待研判") && seen.contains("已并入"), "{seen}");
    assert!(seen.contains("时限节点：") && seen.contains("处置记录："), "{seen}");
    let shown = stdout(&zh(&sb, &["case", "show", "A-0001"]));
    let timeline = shown.split("处置记录：").nth(1).unwrap_or_default().to_string();
    assert!(timeline.contains("值班员") && !timeline.contains(" duty "), "who acted, by name: {timeline}");
    // A refusal of the rules, in Chinese, and the summary line.
    let refused = zh(&sb, &["case", "close", "A-0001", "--outcome", "solved", "--note", "已处置"]);
    assert!(!refused.status.success());
    let err = stderr(&refused);
    assert!(err.contains("已拒绝：") && err.contains("条命令被拒绝"), "{err}");
    seen.push_str(&err);
    let codes: Vec<String> =
        yuqing::config::Settings::default().directory.departments.iter().map(|d| d.code.clone()).collect();
    let mut found = Vec::new();
    for line in seen.lines() {
        for word in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if (word.contains('_') && word.chars().any(|c| c.is_ascii_lowercase())) || codes.iter().any(|c| c == word) {
                found.push(format!("`{word}` in: {line}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}\n{seen}");
}

#[test]
fn requeue_puts_a_dismissed_item_back_and_items_lists_expired_ones() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", ITEMS);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["dismiss", "A.3", "--reason", "与本县无关"]);
    assert!(!sb.ok(&["items", "--status", "new"]).contains("A.3"));
    sb.ok(&["requeue", "A.3", "--reason", "仍需研判"]);
    assert!(sb.ok(&["items", "--status", "new"]).contains("A.3"));
    let again = sb.run(&["requeue", "A.3", "--reason", "x"]);
    assert!(!again.status.success(), "only a dismissed or expired item goes back");
    assert!(stderr(&again).contains("A.3"), "{}", stderr(&again));
    assert!(sb.ok(&["items", "--status", "expired", "--json"]).trim().is_empty(), "none expired yet");
}

#[test]
fn items_json_says_what_a_queued_item_nearly_repeats_also_a_case_opened_before_it() {
    let sb = Sandbox::new();
    let post = "{\"channel\":\"weibo\",\"title\":\"网传某小学食堂饭菜变质致学生腹泻\",\"body\":\"有家长发帖称孩子在学校食堂吃饭后腹泻，多名学生请假。\",\"external_id\":\"p1\"}\n";
    let f = sb.write("a.jsonl", post);
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "rumor", "--lead", "jyj"]);
    // The repost comes after the case, in another run of the program.
    let g = sb.write("b.jsonl", &post.replace("p1", "p2").replace("\"weibo\"", "\"wechat\""));
    sb.ok(&["ingest", g.to_str().unwrap()]);
    let out = sb.ok(&["items", "--status", "new", "--json"]);
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["id"], "A.2");
    assert_eq!(v["hints"]["similar"]["to"], "A-0001", "{out}");
    assert!(v["hints"]["similar"]["score"].as_f64().unwrap() > 0.9, "{out}");
}

#[test]
fn a_post_delivered_again_with_a_higher_reach_raises_its_reach() {
    let sb = Sandbox::new();
    let line = |reach: u64| {
        format!("{{\"channel\":\"weibo\",\"title\":\"网传校车侧翻\",\"external_id\":\"w1\",\"reach\":{reach}}}\n")
    };
    let f = sb.write("a.jsonl", &line(800));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    let g = sb.write("b.jsonl", &line(45000));
    let out = sb.ok(&["ingest", "--json", g.to_str().unwrap()]);
    assert!(out.contains("\"new\":0") && out.contains("\"duplicates\":1"), "a known item, not a new one: {out}");
    let items = sb.ok(&["items", "--json"]);
    assert!(items.contains("\"reach\":45000") && items.lines().count() == 1, "{items}");
    // A lower figure delivered late changes nothing.
    let h = sb.write("c.jsonl", &line(900));
    sb.ok(&["ingest", h.to_str().unwrap()]);
    assert!(sb.ok(&["items", "--json"]).contains("\"reach\":45000"));
    assert!(sb.ok(&["audit"]).contains("45000"), "the rise is an event of the log");
}

#[test]
fn under_a_chinese_terminal_the_set_up_commands_speak_chinese() {
    let sb = Sandbox::new();
    let zh = |args: &[&str]| sb.zh(args);
    let mut seen = String::new();
    let mut said = |o: &std::process::Output| {
        let both = format!("{}{}", stdout(o), stderr(o));
        seen.push_str(&both);
        both
    };
    // The configuration files, then again: every one exists.
    let init = zh(&["config", "init"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let out = said(&init);
    assert_eq!(out.lines().filter(|l| l.starts_with("已写入")).count(), 5, "{out}");
    let again = said(&zh(&["config", "init"]));
    assert!(again.contains("所有配置文件都已存在") && again.contains("--force"), "{again}");
    let bad_name = said(&zh(&["config", "init", "--name", "县城"]));
    assert!(bad_name.contains("不是值守台名称"), "{bad_name}");
    // The roster, with the roles by their Chinese names.
    let list = said(&zh(&["operator", "list"]));
    assert!(list.contains("未设口令") && list.contains("值班员") && list.contains("带班领导"), "{list}");
    // The cluster authority, this console and another enrolled.
    let cluster = zh(&["cluster", "init"]);
    assert!(cluster.status.success(), "{}", stderr(&cluster));
    let cluster = said(&cluster);
    assert!(cluster.contains("集群证书机构") && cluster.contains("登记") && cluster.contains("下一步"), "{cluster}");
    let creds = sb.path("b2.toml");
    let enroll = zh(&["cluster", "enroll", "B2", "--out", creds.to_str().unwrap()]);
    assert!(enroll.status.success(), "{}", stderr(&enroll));
    let enroll = said(&enroll);
    assert!(enroll.contains("已将 `B2` 登记为值守台") && enroll.contains("credentials.toml"), "{enroll}");
    let twice = said(&zh(&["cluster", "enroll", "B2", "--out", sb.path("b3.toml").to_str().unwrap()]));
    assert!(twice.contains("已经登记过") && twice.contains("--replace"), "{twice}");
    // Refusals: someone not on the roster, a role that does not exist.
    let nobody = said(&zh(&["operator", "role", "nobody", "viewer"]));
    assert!(nobody.contains("没有值守人员 `nobody`") && nobody.contains("duty"), "{nobody}");
    let role = said(&zh(&["operator", "role", "duty", "boss"]));
    assert!(role.contains("没有角色 `boss`") && role.contains("viewer（查看人员）"), "{role}");
    // A scenario checked.
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/canteen-rumour.jsonl");
    let check = zh(&["drill", "check", scenario]);
    assert!(check.status.success(), "{}", stderr(&check));
    let check = said(&check);
    assert!(check.contains("个条目") && check.contains("小时") && check.contains("小学食堂食品安全谣言"), "{check}");
    for english in [
        "wrote",
        "every file",
        "not a console name",
        "no PIN",
        "PIN set",
        "made the cluster",
        "enrolled",
        "next:",
        "carry it",
        "unknown operator",
        "unknown role",
        "known:",
        "entries over",
        ": ok",
        "valid:",
        "supervisor ",
    ] {
        assert!(!seen.contains(english), "`{english}` in:\n{seen}");
    }
}

#[test]
fn under_a_chinese_terminal_refusals_and_reports_name_things_in_chinese() {
    let sb = Sandbox::new();
    let file = sb.write("a.jsonl", &items_jsonl("X", 3));
    sb.ok(&["ingest", file.to_str().unwrap()]);
    let mut seen = String::new();
    let mut said = |o: &std::process::Output| {
        let both = format!("{}{}", stdout(o), stderr(o));
        seen.push_str(&both);
        both
    };
    let with_pin = |pin: &str, args: &[&str]| {
        sb.cmd().env("LANG", "zh_CN.UTF-8").env("YUQING_PIN", pin).args(args).output().unwrap()
    };
    // The roster: a change said in Chinese, and the people it names by name.
    let add = sb
        .cmd()
        .env("LANG", "zh_CN.UTF-8")
        .env("YUQING_NEW_PIN", "482600")
        .args(["--as", "chief", "operator", "add", "wang", "--name", "王芳", "--role", "supervisor"])
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", stderr(&add));
    let add = said(&add);
    assert!(add.contains("王芳") && add.contains("带班领导") && add.contains("口令"), "{add}");
    let pin = sb
        .cmd()
        .env("LANG", "zh_CN.UTF-8")
        .env("YUQING_NEW_PIN", "135790")
        .args(["--as", "chief", "operator", "pin", "chief"])
        .output()
        .unwrap();
    assert!(pin.status.success(), "{}", stderr(&pin));
    said(&pin);
    // Values of a closed set: refused naming the value and listing code（名称）; the
    // Chinese names the help shows are taken.
    let severity =
        said(&zh(&sb, &["case", "open", "A.1", "--severity", "很大", "--category", "rumor", "--lead", "jyj"]));
    assert!(
        severity.starts_with("错误：") && severity.contains("`很大`") && severity.contains("major（重大）"),
        "{severity}"
    );
    // An unknown department: named, with the valid ones (name and code), not a list to pick from.
    let dept =
        said(&zh(&sb, &["case", "open", "A.1", "--severity", "major", "--category", "rumor", "--lead", "县劳动局"]));
    assert!(dept.contains("县劳动局") && dept.contains("县教育局") && dept.contains("jyj"), "{dept}");
    assert!(!dept.contains("列表"), "{dept}");
    let opened =
        zh(&sb, &["case", "open", "A.1", "--severity", "general", "--category", "rumor", "--lead", "县教育局"]);
    assert!(opened.status.success(), "{}", stderr(&opened));
    said(&opened);
    let channel = said(&zh(&sb, &["case", "publish", "A-0001", "--kind", "first_response", "--channel", "微博"]));
    assert!(channel.contains("`微博`") && channel.contains("weibo（政务微博）"), "{channel}");
    let agency = said(&zh(&sb, &["case", "refer", "A-0001", "--agency", "网警", "--ref", "1"]));
    assert!(agency.contains("`网警`") && agency.contains("cyber_police（网警部门）"), "{agency}");
    let referred = zh(&sb, &["case", "refer", "A-0001", "--agency", "网警部门", "--ref", "网警-17"]);
    assert!(referred.status.success(), "{}", stderr(&referred));
    said(&referred);
    let drafted =
        with_pin("482600", &["--as", "wang", "case", "draft", "A-0001", "--kind", "首次回应", "--text", "正在核实"]);
    assert!(drafted.status.success(), "{}", stderr(&drafted));
    said(&drafted);
    // A PIN missing or wrong, in Chinese.
    let no_pin = said(&zh(&sb, &["--as", "chief", "case", "approve", "A-0001"]));
    assert!(no_pin.starts_with("错误：") && no_pin.contains("YUQING_PIN"), "{no_pin}");
    let wrong = said(&with_pin("000000", &["--as", "chief", "case", "approve", "A-0001"]));
    assert!(wrong.starts_with("错误：") && wrong.contains("口令"), "{wrong}");
    let approved = with_pin("482600", &["--as", "wang", "case", "approve", "A-0001"]);
    assert!(approved.status.success(), "{}", stderr(&approved));
    said(&approved);
    let published = zh(&sb, &["case", "publish", "A-0001", "--kind", "首次回应", "--channel", "政务微博"]);
    assert!(published.status.success(), "the Chinese name as the help shows it: {}", stderr(&published));
    assert!(said(&published).contains("政务微博"));
    // People by name where the console names them: in the case and the audit.
    let shown = said(&zh(&sb, &["case", "show", "A-0001"]));
    let timeline = shown.split("处置记录：").nth(1).unwrap_or_default().to_string();
    assert!(timeline.contains("王芳") && !timeline.contains(" wang "), "{shown}");
    let audit = said(&zh(&sb, &["audit"]));
    assert!(audit.lines().any(|l| l.contains("王芳") && l.contains("起草")), "{audit}");
    let json = stdout(&zh(&sb, &["audit", "--json"]));
    assert!(json.contains(r#""operator":"wang""#), "JSON keeps ids: {json}");
    // Checks, copies and files written.
    let verify = said(&zh(&sb, &["verify"]));
    assert!(verify.contains("个事件") && verify.contains("一致"), "{verify}");
    let backup = said(&zh(&sb, &["backup", sb.path("bk").to_str().unwrap()]));
    assert!(backup.contains("已备份") && backup.contains("sha256"), "{backup}");
    let restored = sb
        .cmd()
        .env("LANG", "zh_CN.UTF-8")
        .env("YUQING_DATA", sb.path("again"))
        .args(["restore", sb.path("bk").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", stderr(&restored));
    let restored = said(&restored);
    assert!(restored.contains("恢复到"), "{restored}");
    let report = said(&zh(&sb, &["report", "-o", sb.path("r.md").to_str().unwrap()]));
    assert!(report.contains("已写入"), "{report}");
    for english in [
        "error:",
        "unknown",
        "valid:",
        "operator set",
        "PIN set",
        "wrong PIN",
        "needs their",
        "OK:",
        "projections",
        "backed up",
        "restored",
        "wrote",
        "by duty",
        "请从列表",
    ] {
        assert!(!seen.contains(english), "`{english}` in:\n{seen}");
    }
}

#[test]
fn under_a_chinese_terminal_a_time_or_period_that_does_not_read_is_refused_in_chinese() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &items_jsonl("a", 1));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    let zh = |args: &[&str]| {
        let o = sb.zh(args);
        assert!(!o.status.success(), "{args:?}");
        stderr(&o)
    };
    let said = zh(&["report", "--period", "2026-13"]);
    assert!(said.contains("--period：`2026-13` 不是时段；请用一周（2026-W47）"), "{said}");
    let said = zh(&["audit", "--from", "明天"]);
    assert!(said.contains("--from：`明天` 不是时间") && !said.contains("is not a time"), "{said}");
    let said = zh(&["case", "extend", "A-0001", "--milestone", "first_response", "--until", "下周", "--reason", "x"]);
    assert!(said.contains("--until：`下周` 不是时间"), "{said}");
}

#[test]
fn a_note_takes_its_text_as_an_argument_or_as_text_like_a_draft() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &items_jsonl("a", 1));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "other", "--lead", "jtj"]);
    assert!(sb.ok(&["case", "note", "A-0001", "--text", "以选项给出"]).contains("以选项给出"));
    assert!(sb.ok(&["case", "note", "A-0001", "作为参数"]).contains("作为参数"));
    let both = sb.run(&["case", "note", "A-0001", "甲", "--text", "乙"]);
    assert_eq!(both.status.code(), Some(2), "one or the other: {}", stderr(&both));
    let none = sb.run(&["case", "note", "A-0001"]);
    assert_eq!(none.status.code(), Some(2), "a note needs its text: {}", stderr(&none));
    let shown = sb.ok(&["case", "show", "A-0001"]);
    assert!(shown.contains("以选项给出") && shown.contains("作为参数"), "{shown}");
}
