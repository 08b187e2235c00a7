//! Drills: a scenario runs on a virtual clock in its own realm and data folder; the same
//! scripted handling scores the same; the live folder is left untouched.

#[path = "drill/check.rs"]
mod check;
mod common;
#[path = "drill/end.rs"]
mod end;
#[path = "drill/isolation.rs"]
mod isolation;
#[path = "drill/record.rs"]
mod record;
#[path = "drill/scoring.rs"]
mod scoring;

use chrono::Duration;
use common::Sandbox;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::case::{Category, Severity};
use yuqing::domain::clock::{Clock, DrillClock};
use yuqing::domain::command::Command;
use yuqing::drill::{Runner, check_file, score};
use yuqing::store::Store;

fn scenario_path(name: &str) -> String {
    format!("{}/docs/drills/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The id the scenario item `external_id` got when it arrived.
fn arrived(desk: &Desk, external_id: &str) -> String {
    let items = desk.store().items().unwrap();
    items.into_iter().find(|i| i.fields.external_id.as_deref() == Some(external_id)).unwrap().id
}

/// Runs the flood scenario with a paused clock moved entry by entry, and the same
/// scripted officer actions each time; returns the score.
fn scripted_run() -> (yuqing::drill::Score, Duration) {
    let s = Settings::default();
    let scenario = check_file(Path::new(&scenario_path("flood-landslide.jsonl")), &s.directory).unwrap();
    let start = scenario.start;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(DrillClock::new(start, 1));
    clock.pause(true);
    let desk =
        Desk::start(Store::open(dir.path(), "drill:flood").unwrap(), Arc::new(s.clone()), clock.clone()).unwrap();
    let trainer = s.operator("trainer").unwrap().clone();
    let duty = s.operator("duty").unwrap().clone();
    let chief = s.operator("chief").unwrap().clone();
    let mut runner = Runner::new(scenario.clone(), desk.clone(), trainer);
    let mut acted = false;
    while let Some(due) = runner.next_due() {
        clock.jump_to(due);
        runner.step(clock.as_ref());
        if !acted && clock.now() >= start + Duration::minutes(25) {
            acted = true;
            // The officers open a major case from the media report and report to the county.
            let open = Command::OpenCase {
                hints: vec![],
                items: vec![arrived(&desk, "media-flood-3")],
                title: String::new(),
                severity: Severity::Major,
                category: Category::Misunderstanding,
                lead: "yjj".into(),
                co: vec![],
            };
            desk.run_blocking(&duty, vec![open]).remove(0).unwrap();
            clock.jump_to(start + Duration::minutes(50));
            desk.run_blocking(&duty, vec![Command::ReportCounty { case: "A-0001".into(), note: String::new() }])
                .remove(0)
                .unwrap();
            clock.jump_to(start + Duration::hours(4));
            let publish = Command::Publish {
                case: "A-0001".into(),
                kind: yuqing::domain::ResponseKind::AuthoritativeInfo,
                channel: yuqing::domain::case::PublishChannel::Weibo,
                text: "应急局通报：无人员死亡".into(),
                url: None,
            };
            desk.run_blocking(&chief, vec![publish]).remove(0).unwrap();
        }
    }
    // Afterwards the WeChat rumour is made a case, with the wrong category.
    let open = Command::OpenCase {
        hints: vec![],
        items: vec![arrived(&desk, "wx-flood-4")],
        title: String::new(),
        severity: Severity::General,
        category: Category::Misunderstanding,
        lead: "yjj".into(),
        co: vec![],
    };
    desk.run_blocking(&duty, vec![open]).remove(0).unwrap();
    let store = desk.store();
    let case = store.case("A-0001").unwrap().unwrap();
    let report_due = case.milestones[0].due - start;
    let events: Vec<_> = store.events().unwrap().map(|e| e.unwrap()).collect();
    (score(&scenario, &store.items().unwrap(), &store.cases().unwrap(), &events), report_due)
}

#[test]
fn the_same_scripted_handling_scores_the_same_and_deadlines_run_on_drill_time() {
    let (a, report_due) = scripted_run();
    let (b, _) = scripted_run();
    assert_eq!(a, b, "the same scenario and actions give the same score");
    assert_eq!(report_due, Duration::minutes(25 + 60), "report_county falls due an hour after opening, in drill time");
    assert!(
        a.markdown.contains("[x] 登记 made into a case (R7): A-0001")
            && a.markdown.contains("[x] 报告县政府 report_county (R11): 提前 35 分钟"),
        "{}",
        a.markdown
    );
    // Still due when the drill stopped: shown, neither met nor missed (issue 18).
    assert!(a.markdown.contains("[·] 新闻发布会 press_conference (R11): 尚未到期 not yet due"), "{}", a.markdown);
    assert!(
        a.markdown
            .contains("[ ] 类别 category (R3, R10): 谣言或错误认识 rumor (实际 actual: 不明真相 misunderstanding)"),
        "what the officers chose is shown beside what was expected: {}",
        a.markdown
    );
    assert_eq!((a.points, a.possible), (7, 8), "the two milestones not yet due are not scored: {}", a.markdown);
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn a_day_long_drill_runs_headless_in_seconds_and_leaves_the_live_folder_alone() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &common::items_jsonl("live", 5));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    let before = snapshot(&sb.data());
    let started = std::time::Instant::now();
    let out = sb.ok(&["drill", "run", &scenario_path("flood-landslide.jsonl"), "--headless", "--speed", "200000"]);
    // Not a benchmark: at 1× this would take a day; the bound only shows the clock is virtual.
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "a 24-hour scenario took {:?}", started.elapsed());
    assert!(
        out.contains("省级媒体记者询问伤亡情况") && out.contains("事发已满24小时"),
        "the whole day was delivered: {out}"
    );
    assert_eq!(snapshot(&sb.data()), before, "the live data folder is unchanged byte for byte");
    let drill_dir = out.lines().next().unwrap().trim_start_matches("drill data folder: ").to_string();
    assert!(!Path::new(&drill_dir).starts_with(sb.data()));
    let scored = sb.ok(&["drill", "score", "--drill-data", &drill_dir]);
    // The press conference and the update, due 24 h after the item, are not yet due at +24:00.
    assert!(scored.contains("Total: 0 / 8"), "nobody handled anything: {scored}");
    let bad = sb.run(&[
        "drill",
        "run",
        &scenario_path("flood-landslide.jsonl"),
        "--headless",
        "--drill-data",
        sb.data().to_str().unwrap(),
    ]);
    assert!(common::stderr(&bad).contains("never runs in the live data folder"), "{}", common::stderr(&bad));
}

#[test]
fn a_recorded_period_replays_with_the_same_items_at_the_same_offsets() {
    use chrono::TimeZone;
    let s = Settings::default();
    let live_dir = tempfile::tempdir().unwrap();
    let live = Store::open(live_dir.path(), "live").unwrap();
    let mut w = yuqing::store::Writer::new(live.clone(), "A").unwrap();
    let duty = s.operator("duty").unwrap().clone();
    let t0 = chrono::Utc.with_ymd_and_hms(2026, 5, 1, 1, 0, 0).unwrap();
    let item = |x: &str, body: &str| Command::ReceiveItem {
        item: yuqing::domain::item::NewItem {
            channel: yuqing::domain::item::Channel::Hotline,
            title: format!("来电 {x}"),
            body: body.into(),
            url: None,
            author: None,
            published_at: None,
            reach: None,
            external_id: Some(x.into()),
        },
    };
    let open = Command::OpenCase {
        hints: vec![],
        items: vec!["A.3".into()],
        title: String::new(),
        severity: Severity::General,
        category: Category::Difficulty,
        lead: "zjj".into(),
        co: vec![],
    };
    let script = [
        (-30, item("before", "")),
        (5, item("h1", "张三来电，电话13812345678")),
        (47, item("h2", "反映停水")),
        (60, open),
        (200, item("after", "")),
    ];
    for (mins, cmd) in script {
        w.execute(&duty, t0 + Duration::minutes(mins), &s.policy, &s.directory, &cmd).unwrap();
        w.commit().unwrap();
    }
    let names = vec!["张三".to_string()];
    let text = yuqing::drill::record::record(&live, t0, t0 + Duration::minutes(120), Some(&names), |_| ()).unwrap();
    assert!(!text.contains("13812345678") && !text.contains("张三"), "anonymised: {text}");
    let path = Path::new("recorded.jsonl");
    let scenario = yuqing::drill::scenario::parse(path, &text, &s.directory).unwrap();
    assert_eq!(scenario.entries.len(), 3, "two items in the period and one expectation: {text}");

    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(DrillClock::new(scenario.start, 1));
    clock.pause(true);
    let desk =
        Desk::start(Store::open(dir.path(), "drill:recorded").unwrap(), Arc::new(s.clone()), clock.clone()).unwrap();
    let mut runner = Runner::new(scenario.clone(), desk.clone(), s.operator("trainer").unwrap().clone());
    while let Some(due) = runner.next_due() {
        clock.jump_to(due);
        runner.step(clock.as_ref());
    }
    let offsets = |items: Vec<yuqing::domain::item::Item>, start: chrono::DateTime<chrono::Utc>| {
        let mut v: Vec<(String, i64)> =
            items.into_iter().map(|i| (i.fields.title, (i.received_at - start).num_seconds())).collect();
        v.sort();
        v
    };
    let replayed = offsets(desk.store().items().unwrap(), scenario.start);
    let original: Vec<(String, i64)> =
        offsets(live.items().unwrap(), t0).into_iter().filter(|(_, o)| (0..7200).contains(o)).collect();
    assert_eq!(replayed, original);
    assert!(
        matches!(&scenario.entries[2].what, yuqing::drill::Happening::Expect { external_id, lead: Some(l), .. } if external_id == "h2" && l == "zjj")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trainee_joins_in_the_drill_realm_and_follows_the_trainers_clock() {
    let s = Settings::default();
    let start = chrono::DateTime::parse_from_rfc3339("2026-06-20T05:00:00+08:00").unwrap().with_timezone(&chrono::Utc);
    let authority = yuqing::sync::trust::Authority::generate().unwrap();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let trainer_clock = Arc::new(DrillClock::new(start + Duration::hours(2), 1));
    let trainee_clock = Arc::new(DrillClock::new(start, 1));
    let mut s1 = s.clone();
    s1.console.name = "T".into();
    let mut s2 = s.clone();
    s2.console.name = "S".into();
    let trainer =
        Desk::start(Store::open(d1.path(), "drill:flood").unwrap(), Arc::new(s1), trainer_clock.clone()).unwrap();
    let trainee =
        Desk::start(Store::open(d2.path(), "drill:flood").unwrap(), Arc::new(s2), trainee_clock.clone()).unwrap();
    let cfg = |name: &str, listen: bool, peers: Vec<String>| yuqing::sync::NodeConfig {
        console: name.into(),
        realm: "drill:flood".into(),
        credentials: authority.enroll(name, yuqing::sync::trust::Role::Console).unwrap(),
        listen: listen.then(|| "127.0.0.1:0".to_string()),
        peers,
    };
    let n1 = yuqing::sync::Node::start(trainer.clone(), cfg("T", true, vec![])).await.unwrap();
    let n2 = yuqing::sync::Node::start(trainee.clone(), cfg("S", false, vec![n1.local_addr.unwrap().to_string()]))
        .await
        .unwrap();
    let control = yuqing::drill::Control::new(trainee_clock.clone());
    let op = s.operator("trainer").unwrap().clone();
    let item = yuqing::domain::item::NewItem {
        channel: yuqing::domain::item::Channel::Media,
        title: "五强溪镇山体滑坡".into(),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some("m1".into()),
    };
    trainer.submit(&op, vec![Command::ReceiveItem { item }]).await.unwrap();
    // The trainer records its pace, as `drill run` does at the start.
    let pace = trainer_clock.pace(chrono::Utc::now());
    trainer.submit(&op, vec![Command::PaceDrill { pace }]).await.unwrap();
    let t = std::time::Instant::now();
    loop {
        // What a trainee's console does: take the paces that arrive, follow on every tick.
        if let Some(p) = yuqing::drill::Resume::read(trainee.store()).unwrap().and_then(|r| r.pace) {
            control.follow_pace(&p);
        }
        control.follow(&n2.peers());
        let caught_up = trainee.store().item("T.1").unwrap().is_some();
        if caught_up && trainee_clock.now() >= start + Duration::hours(2) {
            break;
        }
        assert!(
            t.elapsed() < std::time::Duration::from_secs(15),
            "trainee at {} with {:?}",
            trainee_clock.now(),
            n2.peers()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Drill clocks two hours apart are no clock skew (issue 18, 7: false warnings).
    for p in n1.peers().iter().chain(n2.peers().iter()) {
        assert!(p.skew_ms.abs() < yuqing::sync::node::SKEW_WARN_MS, "{p:?}");
    }
    // The trainer goes: the trainee stands still and says why; back, it follows again.
    let addr = n1.local_addr.unwrap();
    drop(n1);
    let t = std::time::Instant::now();
    while n2.peers().iter().any(|p| p.connected) {
        assert!(t.elapsed() < std::time::Duration::from_secs(30), "{:?}", n2.peers());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    control.follow(&n2.peers());
    assert!(trainee_clock.paused(), "with the trainer gone the trainee waits");
    let n1 = yuqing::sync::Node::start(
        trainer.clone(),
        yuqing::sync::NodeConfig { listen: Some(addr.to_string()), ..cfg("T", true, vec![]) },
    )
    .await
    .unwrap();
    let t = std::time::Instant::now();
    loop {
        control.follow(&n2.peers());
        let off = (trainer_clock.now() - trainee_clock.now()).num_milliseconds().abs();
        if !trainee_clock.paused() && off < 2_000 {
            break;
        }
        assert!(t.elapsed() < std::time::Duration::from_secs(60), "off by {off} ms: {:?}", n2.peers());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    drop((n1, n2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trainee_with_another_scenario_is_told_the_realm_mismatch() {
    let s = Settings::default();
    let authority = yuqing::sync::trust::Authority::generate().unwrap();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let clock = || Arc::new(DrillClock::new(chrono::Utc::now(), 1));
    let named = |n: &str| {
        let mut x = s.clone();
        x.console.name = n.into();
        Arc::new(x)
    };
    let trainer = Desk::start(Store::open(d1.path(), "drill:flood").unwrap(), named("T"), clock()).unwrap();
    let trainee = Desk::start(Store::open(d2.path(), "drill:bus").unwrap(), named("S"), clock()).unwrap();
    let cfg = |name: &str, realm: &str, listen: bool, peers: Vec<String>| yuqing::sync::NodeConfig {
        console: name.into(),
        realm: realm.into(),
        credentials: authority.enroll(name, yuqing::sync::trust::Role::Console).unwrap(),
        listen: listen.then(|| "127.0.0.1:0".to_string()),
        peers,
    };
    let n1 = yuqing::sync::Node::start(trainer, cfg("T", "drill:flood", true, vec![])).await.unwrap();
    let n2 = yuqing::sync::Node::start(trainee, cfg("S", "drill:bus", false, vec![n1.local_addr.unwrap().to_string()]))
        .await
        .unwrap();
    let t = std::time::Instant::now();
    loop {
        if n2.peers().iter().any(|p| p.error.as_deref().is_some_and(|e| e.contains("realm mismatch"))) {
            break;
        }
        assert!(t.elapsed() < std::time::Duration::from_secs(20), "{:?}", n2.peers());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A headless trainer with `--listen`, killed if the test fails before stopping it.
struct Trainer(std::process::Child);

impl Drop for Trainer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_headless_trainer_hosts_trainees_with_listen_and_stops_on_sigterm() {
    use std::io::BufRead;
    let sb = Sandbox::new();
    let config = sb.dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    // The live console's sync settings must not be taken: this address cannot be bound.
    std::fs::write(config.join("console.toml"), "name = \"T\"\nlisten = \"256.0.0.1:1\"\n").unwrap();
    sb.ok(&["cluster", "init"]);
    let mut child = sb
        .cmd()
        .args(["drill", "run", &scenario_path("flood-landslide.jsonl"), "--headless", "--speed", "200000"])
        .args(["--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let trainer = Trainer(child);
    let mut seen = String::new();
    let addr = loop {
        let Some(Ok(line)) = lines.next() else { panic!("no join address in:\n{seen}") };
        seen.push_str(&line);
        seen.push('\n');
        if let Some(a) = line.split("--join --peer ").nth(1) {
            break a.trim().to_string();
        }
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in lines.map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });

    let s = Settings::default();
    let scenario = check_file(Path::new(&scenario_path("flood-landslide.jsonl")), &s.directory).unwrap();
    let items = scenario.entries.iter().filter(|e| matches!(e.what, yuqing::drill::Happening::Item(_))).count();
    let mut s2 = s.clone();
    s2.console.name = "S".into();
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(DrillClock::new(scenario.start, 1));
    let trainee = Desk::start(Store::open(dir.path(), "drill:flood-landslide").unwrap(), Arc::new(s2), clock).unwrap();
    let node = yuqing::sync::Node::start(
        trainee.clone(),
        yuqing::sync::NodeConfig {
            console: "S".into(),
            realm: "drill:flood-landslide".into(),
            credentials: yuqing::sync::trust::Authority::load(&config.join("authority"))
                .unwrap()
                .enroll("S", yuqing::sync::trust::Role::Console)
                .unwrap(),
            listen: None,
            peers: vec![addr],
        },
    )
    .await
    .unwrap();
    let t = std::time::Instant::now();
    while trainee.store().items().unwrap().len() < items {
        assert!(t.elapsed() < std::time::Duration::from_secs(20), "trainee has {:?}", node.peers());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let paced = trainee
        .store()
        .events()
        .unwrap()
        .map(Result::unwrap)
        .any(|e| matches!(e.body, yuqing::domain::event::EventBody::DrillPaced { pace } if pace.speed == 200000));
    assert!(paced, "the trainer's pace reached the trainee");
    drop(node);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let line = rx.recv_timeout(deadline - std::time::Instant::now()).expect("the trainer goes on serving");
        if line.contains("until Ctrl-C") {
            break;
        }
    }
    let mut trainer = trainer;
    let ok = std::process::Command::new("kill").args(["-TERM", &trainer.0.id().to_string()]).status().unwrap();
    assert!(ok.success());
    let status = trainer.0.wait().unwrap();
    assert!(status.success(), "stopped with {status:?}");
}

#[test]
fn a_drill_picked_up_again_goes_on_without_delivering_twice() {
    let sb = Sandbox::new();
    let dir = sb.path("drill");
    let run = || {
        sb.ok(&[
            "drill",
            "run",
            &scenario_path("canteen-rumour.jsonl"),
            "--headless",
            "--speed",
            "200000",
            "--drill-data",
            dir.to_str().unwrap(),
        ])
    };
    let first = run();
    let events = |d: &Path| {
        let store = Store::open(d, "drill:canteen-rumour").unwrap();
        let n = store.events().unwrap().count();
        (n, store.items().unwrap().len())
    };
    let (n1, items1) = events(&dir);
    let second = run();
    let (n2, items2) = events(&dir);
    assert!(second.contains("picked up again"), "{second}");
    assert_eq!(items2, items1, "no item twice");
    assert_eq!(n2, n1 + 1, "only the new pace is recorded:\n{first}\n{second}");
    assert!(!second.contains("line "), "nothing refused or re-announced: {second}");
}
