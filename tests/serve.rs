//! The command line with sync: a key, two hubs in a chain, items and commands sent
//! through a running hub with `--to` as an operator the hub checks, and a clean stop
//! on SIGTERM.

mod common;

use common::hub::{serve, stop};
use common::{Sandbox, stderr, stdout};
use std::process::Output;

#[test]
fn items_and_commands_go_through_a_running_hub_and_reach_its_peer() {
    let (a, b) = (Sandbox::new(), Sandbox::new());
    let (ca, cb) = (a.dir.path().join("config"), b.dir.path().join("config"));
    std::fs::create_dir_all(&ca).unwrap();
    std::fs::create_dir_all(&cb).unwrap();
    a.ok(&["cluster", "init"]);
    let again = a.run(&["cluster", "init"]);
    assert!(!again.status.success() && stderr(&again).contains("exists"));
    let out = a.ok(&["cluster", "enroll", "B", "--out", cb.join("credentials.toml").to_str().unwrap()]);
    assert!(out.contains("enrolled `B` as a console"), "{out}");
    let twice = a.run(&["cluster", "enroll", "B", "--out", a.path("B2.toml").to_str().unwrap()]);
    assert!(!twice.status.success() && stderr(&twice).contains("enrolled already"), "{}", stderr(&twice));
    let token = b.ok(&["--as", "chief", "operator", "token", "duty"]).trim().to_string();

    let (mut hub_a, addr_a) = serve(&a, &ca, "A", None);
    let (mut hub_b, addr_b) = serve(&b, &cb, "B", Some(&addr_a));
    let file = b.write("items.jsonl", &common::items_jsonl("net", 20));
    let mut ingest = b.cmd();
    ingest.env("YUQING_CONFIG", &cb).env("YUQING_TOKEN", &token).args([
        "--to",
        &addr_b,
        "ingest",
        file.to_str().unwrap(),
    ]);
    let out = ingest.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(common::stdout(&out).contains("20 new"), "{}", common::stdout(&out));
    let mut open = b.cmd();
    open.env("YUQING_CONFIG", &cb).env("YUQING_TOKEN", &token).args([
        "--to",
        &addr_b,
        "case",
        "open",
        "B.1",
        "--severity",
        "general",
        "--category",
        "other",
        "--lead",
        "jyj",
    ]);
    let out = open.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    // Hub A's data is locked while it runs: give the chain time to relay, then stop both.
    std::thread::sleep(std::time::Duration::from_secs(2));
    stop(&mut hub_b);
    stop(&mut hub_a);
    let items = a.ok(&["items", "--json"]);
    assert_eq!(items.lines().count(), 20, "hub A holds the items submitted to B");
    assert!(a.ok(&["cases"]).contains("B-0001"));
    assert!(a.ok(&["verify"]).starts_with("OK"));
    assert!(b.ok(&["verify"]).starts_with("OK"));
}

#[test]
fn credentials_readable_by_others_are_refused() {
    let sb = Sandbox::new();
    let cfg = sb.dir.path().join("config");
    sb.ok(&["cluster", "init"]);
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&cfg.join("credentials.toml")), 0o600);
    assert_eq!(mode(&cfg.join("authority/authority.key")), 0o600);
    std::fs::set_permissions(cfg.join("credentials.toml"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = sb.run(&["serve", "--listen", "127.0.0.1:0"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("readable by others"), "{}", stderr(&o));
}

#[test]
fn a_backup_is_taken_while_a_hub_runs_and_restores_to_what_it_held() {
    let sb = Sandbox::new();
    let cfg = sb.dir.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    sb.ok(&["cluster", "init"]);
    let f = sb.write("a.jsonl", &common::items_jsonl("a", 25));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    let (mut hub, _) = serve(&sb, &cfg, "A", None);
    let bk = sb.path("bk");
    let out = sb.ok(&["backup", bk.to_str().unwrap()]);
    assert!(out.contains("backed up 25 events"), "{out}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(sb.data().join("control.sock")).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "the control socket is the owner's only");
    stop(&mut hub);
    let restored = sb.path("restored");
    let r = sb.cmd().env("YUQING_DATA", &restored).args(["restore", bk.to_str().unwrap()]).output().unwrap();
    assert!(r.status.success(), "{}", stderr(&r));
    let items =
        |data: &std::path::Path| sb.cmd().env("YUQING_DATA", data).args(["items", "--json"]).output().unwrap().stdout;
    assert_eq!(items(&restored), items(&sb.data()));
}

#[test]
fn serve_ingests_files_dropped_into_its_inbox() {
    let sb = Sandbox::new();
    let cfg = sb.dir.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    sb.ok(&["cluster", "init"]);
    let (mut hub, _) = serve(&sb, &cfg, "A", None);
    let inbox = sb.data().join("inbox");
    assert!(inbox.is_dir(), "serve makes its inbox");
    // Written beside, then moved in whole, as monitoring tools are told to.
    let file = sb.write("drop.jsonl", &common::items_jsonl("inbox", 4));
    std::fs::rename(&file, inbox.join("drop.jsonl")).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !inbox.join("done/drop.jsonl").exists() {
        assert!(!inbox.join("rejected/drop.jsonl").exists(), "the file was rejected");
        assert!(std::time::Instant::now() < deadline, "serve did not take the file within 15 s");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(!inbox.join("drop.jsonl").exists());
    stop(&mut hub);
    let items = sb.ok(&["items", "--json"]);
    assert_eq!(items.lines().count(), 4, "{items}");
    assert!(items.contains("inbox-3"), "{items}");
}

/// `yuqing --to ADDR ARGS…` with these environment variables.
fn to(sb: &Sandbox, addr: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = sb.cmd();
    c.envs(env.iter().copied()).args(["--to", addr]).args(args);
    c.output().unwrap()
}

/// A new token of `id` at this sandbox's console, as printed (made by chief, whose PIN,
/// once set, is 246800).
fn new_token(sb: &Sandbox, id: &str) -> String {
    let out = sb.cmd().env("YUQING_PIN", "246800").args(["--as", "chief", "operator", "token", id]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("shown only now"), "{}", stderr(&out));
    stdout(&out).trim().to_string()
}

#[test]
fn an_operator_token_is_shown_once_and_only_its_hash_is_kept_owner_only() {
    let sb = Sandbox::new();
    let first = new_token(&sb, "chief");
    let token = new_token(&sb, "chief");
    assert!(token.starts_with("yqt_") && token.len() == 68, "{token}");
    assert!(token[4..].chars().all(|c| c.is_ascii_hexdigit()), "{token}");
    assert_ne!(token, first, "a new token replaces the old");
    // The roster is events: each holds the token's hash, never the token.
    let log = sb.ok(&["export"]);
    assert!(!log.contains(&token[4..]) && !log.contains(&first[4..]), "no token is stored: {log}");
    assert_eq!(log.matches("\"token\":\"sha256:").count(), 2, "{log}");
    assert!(sb.ok(&["operator", "list"]).contains("no PIN, token set"));
    let unknown = sb.run(&["--as", "chief", "operator", "token", "li"]);
    assert!(stderr(&unknown).contains("unknown operator `li`; known: duty"), "{}", stderr(&unknown));
}

#[test]
fn remote_actions_are_checked_at_the_hub_as_the_operator_they_name() {
    let sb = Sandbox::new();
    let cfg = sb.dir.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    sb.ok(&["cluster", "init"]);
    // At the hub: chief has a PIN and a (rotated) token; trainer a token but is
    // disabled; guest, a viewer, a token; duty neither.
    let pin =
        sb.cmd().env("YUQING_NEW_PIN", "246800").args(["--as", "chief", "operator", "pin", "chief"]).output().unwrap();
    assert!(pin.status.success(), "{}", stderr(&pin));
    let old = new_token(&sb, "chief");
    let chief = new_token(&sb, "chief");
    let trainer = new_token(&sb, "trainer");
    let off = sb.cmd().env("YUQING_PIN", "246800").args(["--as", "chief", "operator", "disable", "trainer"]).output();
    assert!(off.unwrap().status.success());
    let guest = new_token(&sb, "guest");
    let (mut hub, addr) = serve(&sb, &cfg, "A", None);
    let file = sb.write("items.jsonl", &common::items_jsonl("net", 3));
    let file = file.to_str().unwrap();
    let as_chief = [("YUQING_TOKEN", chief.as_str())];

    let none = to(&sb, &addr, &[], &["--as", "chief", "ingest", file]);
    assert!(!none.status.success());
    assert!(stderr(&none).contains("set YUQING_TOKEN or YUQING_PIN"), "{}", stderr(&none));
    let wrong = to(&sb, &addr, &[("YUQING_PIN", "0000")], &["--as", "chief", "ingest", file]);
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("wrong PIN or token for operator `chief`"), "{}", stderr(&wrong));
    let ok = to(&sb, &addr, &as_chief, &["--as", "chief", "ingest", file]);
    assert!(ok.status.success() && stdout(&ok).contains("3 new"), "{}", stderr(&ok));
    let open =
        ["--as", "chief", "case", "open", "A.1", "--severity", "general", "--category", "other", "--lead", "jyj"];
    let by_pin = to(&sb, &addr, &[("YUQING_PIN", "246800")], &open);
    assert!(by_pin.status.success(), "the PIN proves chief too: {}", stderr(&by_pin));

    let escalate = ["--as", "chief", "case", "escalate", "A-0001", "--reason", "请半小时内回应"];
    let none = to(&sb, &addr, &[], &escalate);
    assert!(!none.status.success());
    assert!(stderr(&none).contains("set YUQING_TOKEN or YUQING_PIN"), "{}", stderr(&none));
    for (var, secret) in [("YUQING_PIN", "0000"), ("YUQING_TOKEN", old.as_str())] {
        let wrong = to(&sb, &addr, &[(var, secret)], &escalate);
        assert!(!wrong.status.success());
        assert!(stderr(&wrong).contains("refused: wrong PIN or token for operator `chief`"), "{}", stderr(&wrong));
    }
    let ok = to(&sb, &addr, &as_chief, &escalate);
    assert!(ok.status.success(), "{}", stderr(&ok));

    let disabled = to(&sb, &addr, &[("YUQING_TOKEN", &trainer)], &["--as", "trainer", "case", "note", "A-0001", "x"]);
    assert!(stderr(&disabled).contains("operator `trainer` is disabled on console A"), "{}", stderr(&disabled));
    let viewer = to(&sb, &addr, &[("YUQING_TOKEN", &guest)], &["--as", "guest", "dismiss", "A.2", "--reason", "x"]);
    assert!(stderr(&viewer).contains("a viewer changes nothing"), "{}", stderr(&viewer));
    let bare = to(&sb, &addr, &[("YUQING_PIN", "1234")], &["--as", "duty", "dismiss", "A.2", "--reason", "x"]);
    assert!(
        stderr(&bare).contains(
            "operator `duty` has no PIN or token on console A and cannot act through it; run `yuqing operator token duty` there"
        ),
        "{}",
        stderr(&bare)
    );

    stop(&mut hub);
    // Besides chief's six changes to the roster (PIN, tokens, disabling trainer):
    let audit = sb.ok(&["audit"]);
    let work = |a: &str| a.lines().filter(|l| !l.contains("operator set")).count();
    assert_eq!(audit.lines().filter(|l| l.contains("operator set") && l.contains(" chief ")).count(), 6, "{audit}");
    assert_eq!(work(&audit), 5, "3 items, the case and its escalation; nothing refused was written:\n{audit}");
    let escalated: Vec<&str> = audit.lines().filter(|l| l.contains("escalated")).collect();
    assert!(escalated.len() == 1 && escalated[0].contains("chief"), "{audit}");
    assert_eq!(work(&sb.ok(&["audit", "--operator", "chief"])), 5, "{audit}");
    let log = sb.log();
    let warned = log
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("127.0.0.1:"))
        .filter(|l| l.contains("submission as operator `chief` refused: wrong PIN or token for operator `chief`"))
        .count();
    assert_eq!(warned, 3, "each wrong proof is logged with the peer: {log}");
}

#[test]
fn the_roster_changes_through_a_running_hub_and_counts_there_at_once() {
    let sb = Sandbox::new();
    let cfg = sb.dir.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    sb.ok(&["cluster", "init"]);
    let (mut hub, addr) = serve(&sb, &cfg, "A", None);
    let op = |env: &[(&str, &str)], args: &[&str]| sb.cmd().envs(env.iter().copied()).args(args).output().unwrap();
    // While the hub runs, chief gives duty a PIN and himself one: through its control
    // socket, as events, with no restart.
    for (id, pin) in [("duty", "135790"), ("chief", "246800")] {
        let set = op(&[("YUQING_NEW_PIN", pin)], &["--as", "chief", "operator", "pin", id]);
        assert!(set.status.success() && stdout(&set).contains(&format!("operator set {id}")), "{}", stderr(&set));
    }
    let file = sb.write("items.jsonl", &common::items_jsonl("net", 1));
    let file = file.to_str().unwrap();
    let wrong = to(&sb, &addr, &[("YUQING_PIN", "000000")], &["--as", "duty", "ingest", file]);
    assert!(stderr(&wrong).contains("wrong PIN or token for operator `duty`"), "{}", stderr(&wrong));
    let right = to(&sb, &addr, &[("YUQING_PIN", "135790")], &["--as", "duty", "ingest", file]);
    assert!(right.status.success(), "the PIN set while the hub ran counts: {}", stderr(&right));
    // Through the socket each is checked as the operator named: a wrong PIN, or an
    // operator's hand, changes nothing.
    let bad = op(&[("YUQING_PIN", "000000")], &["--as", "chief", "operator", "disable", "duty"]);
    assert!(stderr(&bad).contains("wrong PIN or token for operator `chief`"), "{}", stderr(&bad));
    let duty =
        op(&[("YUQING_PIN", "135790"), ("YUQING_NEW_PIN", "111111")], &["--as", "duty", "operator", "pin", "duty"]);
    assert!(stderr(&duty).contains("only a supervisor may"), "{}", stderr(&duty));
    let off = op(&[("YUQING_PIN", "246800")], &["--as", "chief", "operator", "disable", "duty"]);
    assert!(off.status.success(), "{}", stderr(&off));
    let refused = to(&sb, &addr, &[("YUQING_PIN", "135790")], &["--as", "duty", "ingest", file]);
    assert!(stderr(&refused).contains("operator `duty` is disabled"), "{}", stderr(&refused));
    assert!(stdout(&op(&[], &["operator", "list"])).lines().any(|l| l.starts_with("duty") && l.contains("disabled")));
    stop(&mut hub);
}

#[test]
fn a_hub_writes_the_finished_weeks_and_months_tongbao_once() {
    let sb = Sandbox::new();
    let cfg = sb.dir.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    sb.ok(&["cluster", "init"]);
    let (mut hub, _) = serve(&sb, &cfg, "A", None);
    let reports = sb.data().join("reports");
    let start = std::time::Instant::now();
    let written = loop {
        let names: Vec<String> = std::fs::read_dir(&reports)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        if names.iter().filter(|n| n.starts_with("tongbao-")).count() == 6 {
            break names;
        }
        assert!(start.elapsed().as_secs() < 20, "no scheduled reports in {}: {names:?}", reports.display());
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    stop(&mut hub);
    let week = written.iter().find(|n| n.contains("-W") && n.ends_with(".html")).expect("the last week's");
    let month = written.iter().find(|n| !n.contains("-W") && n.ends_with(".html")).expect("the last month's");
    let html = std::fs::read_to_string(reports.join(week)).unwrap();
    assert!(html.contains("政务舆情回应处置情况通报") && html.contains("统计区间"), "{html}");
    assert!(month.len() == "tongbao-2026-11.html".len(), "{month}");
    // Written once: a second start leaves them as they were.
    let before = std::fs::metadata(reports.join(week)).unwrap().modified().unwrap();
    let (mut hub, _) = serve(&sb, &cfg, "A", None);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    stop(&mut hub);
    assert_eq!(std::fs::metadata(reports.join(week)).unwrap().modified().unwrap(), before);
}
