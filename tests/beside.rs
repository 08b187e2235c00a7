//! Every command beside a running hub or drill: the folder is held by the running
//! process, and commands from other processes go through its control socket with the
//! same output, `--json` and exit codes as on the free folder; writes act as the
//! operator they name, proved by their PIN or token.

mod common;

use common::hub::{serve, stop};
use common::{Sandbox, stderr, stdout};
use std::process::Output;

/// What a command printed and how it ended, minus the moment a report was made.
fn seen(o: &Output) -> (Option<i32>, String, String) {
    let timeless = |s: String| {
        s.lines()
            .filter(|l| !l.starts_with("统计截至") && !l.starts_with("period,") && !l.starts_with("\u{feff}period,"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    (o.status.code(), timeless(stdout(o)), stderr(o))
}

/// The reads of issue 15, each as a person or script would type it.
fn reads(case: &str) -> Vec<Vec<String>> {
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let period = ["--from", "2020-01-01", "--to", "2099-01-01"];
    let mut all: Vec<Vec<&str>> = vec![
        vec!["items", "--json"],
        vec!["items"],
        vec!["cases", "--all", "--json"],
        vec!["cases"],
        vec!["case", "show", case, "--json"],
        vec!["case", "show", "A-9999"],
        vec!["audit", "--json"],
        vec!["audit", "--case", case],
        vec!["export"],
        vec!["verify"],
        vec!["rules", "stats", "--json"],
    ];
    for r in [&["departments", "--json"][..], &["report"], &["report", "--format", "csv"]] {
        all.push(r.iter().chain(period.iter()).copied().collect());
    }
    let mut all: Vec<Vec<String>> = all.into_iter().map(|a| a.into_iter().map(String::from).collect()).collect();
    all.push(vec!["export".into(), "--from".into(), day]);
    all
}

/// A sandbox whose console `A` is enrolled (`cluster init`) and whose chief has the PIN
/// 246800; and its config folder.
fn enrolled_with_chiefs_pin() -> (Sandbox, std::path::PathBuf) {
    let sb = Sandbox::new();
    let cfg = sb.dir.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("console.toml"), "name = \"A\"\n").unwrap();
    sb.ok(&["cluster", "init"]);
    let pin = sb.cmd().env("YUQING_NEW_PIN", "246800").args(["--as", "chief", "operator", "pin", "chief"]).output();
    assert!(pin.unwrap().status.success());
    (sb, cfg)
}

#[test]
fn every_command_works_beside_a_running_hub_as_on_a_free_folder() {
    let (sb, cfg) = enrolled_with_chiefs_pin();
    let file = sb.write("a.jsonl", &common::items_jsonl("a", 6));
    sb.ok(&["ingest", file.to_str().unwrap()]);
    let (mut hub, _) = serve(&sb, &cfg, "A", None);

    // Writes, from another process, while the hub holds the folder. A relative path is
    // taken from the sender's folder, not the hub's.
    std::fs::write(sb.path("b.jsonl"), common::items_jsonl("b", 2)).unwrap();
    let ingest = sb.cmd().current_dir(sb.dir.path()).args(["ingest", "b.jsonl", "--json"]).output().unwrap();
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    assert!(
        stdout(&ingest).contains(r#""done":true"#) && stdout(&ingest).contains(r#""new":2"#),
        "{}",
        stdout(&ingest)
    );
    let open = sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "other", "--lead", "jyj"]);
    assert!(open.contains("opened A-0001"), "{open}");
    sb.ok(&["dismiss", "A.2", "--reason", "广告"]);
    // Chief has a PIN: without it nothing is written, and the sender is told how to give it.
    let note = ["--as", "chief", "case", "note", "A-0001", "县长已批示"];
    let refused = sb.run(&note);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("set YUQING_PIN or YUQING_TOKEN"), "{}", stderr(&refused));
    let wrong = sb.cmd().env("YUQING_PIN", "111111").args(note).output().unwrap();
    assert!(!wrong.status.success() && stderr(&wrong).contains("wrong PIN"), "{}", stderr(&wrong));
    let noted = sb.cmd().env("YUQING_PIN", "246800").args(note).output().unwrap();
    assert!(noted.status.success(), "{}", stderr(&noted));
    // A refused command exits as it would on a free folder.
    let bad = sb.run(&["case", "note", "A-9999", "x"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("no case `A-9999`"), "{}", stderr(&bad));

    let running: Vec<_> = reads("A-0001").iter().map(|a| seen(&sb.cmd().args(a).output().unwrap())).collect();
    // The hub speaks English (its LANG); a Chinese terminal beside it is answered in Chinese.
    let zh = |args: &[&str]| seen(&sb.cmd().env("LANG", "zh_CN.UTF-8").args(args).output().unwrap());
    let zh_running = [zh(&["items"]), zh(&["case", "show", "A-0001"])];
    let html = sb.path("通报.html");
    let report = sb.cmd().current_dir(sb.dir.path()).args(["report", "--format", "html", "-o", "通报.html"]).output();
    assert!(report.unwrap().status.success() && std::fs::read_to_string(&html).unwrap().contains("通报"));
    stop(&mut hub);
    let free: Vec<_> = reads("A-0001").iter().map(|a| seen(&sb.cmd().args(a).output().unwrap())).collect();
    assert_eq!(
        zh_running,
        [zh(&["items"]), zh(&["case", "show", "A-0001"])],
        "Chinese beside the hub and on the free folder"
    );
    assert!(zh_running[0].1.contains("待研判") && zh_running[1].1.contains("处置记录："), "{zh_running:?}");
    for ((args, r), f) in reads("A-0001").iter().zip(&running).zip(&free) {
        assert_eq!(r, f, "`yuqing {}` beside the hub and on the free folder", args.join(" "));
    }
    assert_eq!(running[5].0, Some(1), "case show of an unknown case fails: {:?}", running[5]);
    let audit = &running[6].1;
    let by = |what: &str| audit.lines().find(|l| l.contains(what)).unwrap_or_else(|| panic!("{what}: {audit}"));
    assert!(by("县长已批示").contains(r#""operator":"chief""#), "the note is chief's, who proved it");
    assert!(by("opened A-0001").contains(r#""operator":"duty""#));
    assert_eq!(audit.matches("A-9999").count() + audit.matches("111111").count(), 0, "nothing refused was written");
    assert!(running[9].1.starts_with("OK: "), "{:?}", running[9]);
}

#[test]
fn beside_a_running_hub_a_chinese_terminal_is_answered_in_chinese() {
    let (sb, cfg) = enrolled_with_chiefs_pin();
    let file = sb.write("a.jsonl", &common::items_jsonl("a", 2));
    sb.ok(&["ingest", file.to_str().unwrap()]);
    sb.ok(&["case", "open", "A.1", "--severity", "general", "--category", "other", "--lead", "jyj"]);
    // The hub speaks English (its LANG); every answer to a Chinese terminal is Chinese.
    let (mut hub, _) = serve(&sb, &cfg, "A", None);
    let zh = |pin: Option<&str>, args: &[&str]| {
        let mut c = sb.cmd();
        c.env("LANG", "zh_CN.UTF-8").args(args);
        if let Some(p) = pin {
            c.env("YUQING_PIN", p).env("YUQING_NEW_PIN", p);
        }
        let o = c.output().unwrap();
        (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
    };
    let mut seen = String::new();
    let mut said = |(code, text): (Option<i32>, String)| {
        seen.push_str(&text);
        (code, text)
    };
    // Errors that end a command, labelled 错误：, as on a free folder.
    let (code, refused) = said(zh(None, &["case", "note", "A-0099", "x"]));
    assert_eq!(code, Some(1));
    assert!(refused.contains("已拒绝：没有舆情事项") && refused.contains("错误：1 条命令被拒绝"), "{refused}");
    let (_, unknown) = said(zh(None, &["case", "show", "A-0099"]));
    assert!(unknown.starts_with("错误：没有舆情事项“A-0099”"), "{unknown}");
    let bad = sb.write("bad.jsonl", "{\"channel\":\"weibo\"}\n");
    let (_, lines) = said(zh(None, &["ingest", bad.to_str().unwrap()]));
    assert!(lines.contains("错误：1 行有误"), "{lines}");
    let (_, severity) =
        said(zh(None, &["case", "open", "A.2", "--severity", "很大", "--category", "rumor", "--lead", "jyj"]));
    assert!(severity.starts_with("错误：") && severity.contains("major（重大）"), "{severity}");
    // An operator's PIN: missing, wrong, right; for a case and for the roster.
    let (code, missing) = said(zh(None, &["--as", "chief", "case", "note", "A-0001", "x"]));
    assert!(code == Some(1) && missing.starts_with("错误：") && missing.contains("YUQING_PIN"), "{missing}");
    let (_, wrong) = said(zh(Some("111111"), &["--as", "chief", "case", "note", "A-0001", "x"]));
    assert!(wrong.starts_with("错误：") && wrong.contains("口令或令牌不对"), "{wrong}");
    let (_, roster_missing) = said(zh(None, &["--as", "chief", "operator", "disable", "guest"]));
    assert!(roster_missing.starts_with("错误：") && roster_missing.contains("YUQING_PIN"), "{roster_missing}");
    let (code, disabled) = said(zh(Some("246800"), &["--as", "chief", "operator", "disable", "guest"]));
    assert_eq!(code, Some(0), "{disabled}");
    assert!(disabled.contains("设置值守人员 guest") && disabled.contains("已停用"), "{disabled}");
    // Reads, checks and copies.
    let (_, verify) = said(zh(None, &["verify"]));
    assert!(verify.contains("核对无误"), "{verify}");
    let (code, backup) = said(zh(None, &["backup", sb.path("bk").to_str().unwrap()]));
    assert_eq!(code, Some(0), "{backup}");
    assert!(backup.contains("已备份"), "{backup}");
    stop(&mut hub);
    for english in
        ["error:", "refused", "unknown", "valid:", "needs their", "wrong PIN", "operator set", "OK:", "backed up"]
    {
        assert!(!seen.contains(english), "`{english}` in:\n{seen}");
    }
}

#[test]
fn a_running_drill_is_played_and_scored_from_the_command_line() {
    use std::io::BufRead;
    let sb = Sandbox::new();
    let cfg = sb.dir.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("console.toml"), "name = \"A\"\n").unwrap();
    sb.ok(&["cluster", "init"]);
    let drill = sb.path("drill");
    let scenario = format!("{}/docs/drills/canteen-rumour.jsonl", env!("CARGO_MANIFEST_DIR"));
    let mut child = sb
        .cmd()
        .args(["drill", "run", &scenario, "--headless", "--speed", "200000", "--listen", "127.0.0.1:0"])
        .args(["--drill-data", drill.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut trainer = common::hub::Hub(child);
    let mut out = String::new();
    while !out.contains("all entries delivered") {
        let line = lines.next().unwrap_or_else(|| panic!("the drill ended early:\n{out}")).unwrap();
        out.push_str(&line);
        out.push('\n');
    }
    let data = drill.to_str().unwrap();
    let as_trainee = |args: &[&str]| {
        let o = sb.cmd().args(["--data", data, "--as", "duty"]).args(args).output().unwrap();
        assert!(o.status.success(), "yuqing {args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let items = as_trainee(&["items", "--json"]);
    let id_of = |external: &str| {
        items
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|v| v["external_id"] == external)
            .unwrap_or_else(|| panic!("{external} in {items}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (first, noise) = (id_of("wb-canteen-1"), id_of("portal-noise-1"));
    let opened =
        as_trainee(&["case", "open", &first, "--severity", "general", "--category", "rumor", "--lead", "scjgj"]);
    assert!(opened.contains("opened A-0001"), "{opened}");
    // Deadlines count in drill time: the first response is owed 48 drill-hours on, not
    // months overdue by the wall clock.
    let cases = as_trainee(&["cases"]);
    assert!(cases.contains("first response") && cases.contains("left 1d 2") && !cases.contains("overdue"), "{cases}");
    as_trainee(&["dismiss", &noise, "--reason", "与本事件无关"]);

    let score = |sb: &Sandbox| sb.run(&["drill", "score", "--drill-data", data]);
    let while_running = score(&sb);
    assert!(while_running.status.success(), "{}", stderr(&while_running));
    stop(&mut trainer);
    let after = score(&sb);
    assert_eq!(stdout(&while_running), stdout(&after), "the score read from the running drill");
    // The trainee who opened the case is credited with its lines.
    let duty = stdout(&after).lines().find(|l| l.starts_with("| duty | ")).map(str::to_string).unwrap_or_default();
    assert!(duty.starts_with("| duty | 4 / 4 |") || duty.starts_with("| duty | 5 / 5 |"), "{}", stdout(&after));
    let by_screen = played_at_the_screen(&scenario);
    assert_eq!(expectations(&stdout(&after)), expectations(&by_screen), "the same actions through the screen");
    assert!(
        expectations(&by_screen).contains("[x] 牵头部门 lead (R5 第一责任主体): 县市场监管局 scjgj"),
        "{by_screen}"
    );
}

/// The part of a score that depends on what was done, not on when.
fn expectations(score: &str) -> String {
    let from = score.find("## 预期").unwrap_or_else(|| panic!("{score}"));
    let to = score.find("## 学员").unwrap_or(score.len());
    score[from..to].to_string()
}

/// The same drill delivered into a console driven by keys (the real keymap, `update`
/// and desk), where the officer opens the first post as a case with the form's
/// suggestions and dismisses the bus-route suggestion as noise; its score.
fn played_at_the_screen(scenario: &str) -> String {
    use common::console::Console;
    use ratatui::crossterm::event::KeyCode;
    let settings = yuqing::config::Settings::default();
    let scenario = yuqing::drill::check_file(std::path::Path::new(scenario), &settings.directory).unwrap();
    let mut c = Console::new(yuqing::i18n::Lang::Zh, "duty", false);
    let trainer = settings.operator("trainer").unwrap().clone();
    let mut runner = yuqing::drill::Runner::new(scenario.clone(), c.desk.clone(), trainer);
    while let Some(due) = runner.next_due() {
        c.clock.set(due);
        runner.step(c.clock.as_ref());
    }
    c.deliver();
    let pick = |c: &mut Console, text: &str| {
        c.press(KeyCode::Char('/'));
        c.type_text(text);
        c.press(KeyCode::Enter);
    };
    pick(&mut c, "饭菜变质致学生腹泻");
    c.press(KeyCode::Char('o'));
    c.press(KeyCode::Enter);
    pick(&mut c, "公交班次");
    c.press(KeyCode::Char('d'));
    c.type_text("与本事件无关");
    c.press(KeyCode::Enter);
    let store = c.desk.store();
    let events: Vec<_> = store.events().unwrap().map(|e| e.unwrap()).collect();
    yuqing::drill::score(&scenario, &store.items().unwrap(), &store.cases().unwrap(), &events).markdown
}
