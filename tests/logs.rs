//! Where a hub's log goes: a file a day under `<data>/logs/`, only the newest
//! `log_retention_days` of them kept; or the systemd journal, when standard error is
//! the journal's stream.

mod common;

use common::Sandbox;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `yuqing serve` on a free port until it says it listens, then stops it with
/// SIGTERM; `stderr` is where its standard error goes.
fn serve_briefly(sb: &Sandbox, mut cmd: Command, stderr: &std::path::Path) {
    let err = std::fs::File::create(stderr).unwrap();
    let mut child: Child = cmd.args(["serve", "--listen", "127.0.0.1:0"]).stderr(Stdio::from(err)).spawn().unwrap();
    let started = Instant::now();
    while !std::fs::read_to_string(stderr).unwrap().contains("listening on") {
        assert!(started.elapsed() < Duration::from_secs(20), "serve did not start: {}", sb.dir.path().display());
        std::thread::sleep(Duration::from_millis(50));
    }
    let ok = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(ok.success());
    assert!(child.wait().unwrap().success(), "{}", std::fs::read_to_string(stderr).unwrap());
}

fn enrolled() -> Sandbox {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.path("config")).unwrap();
    std::fs::write(sb.path("config/console.toml"), "name = \"A\"\n").unwrap();
    sb.ok(&["cluster", "init"]);
    sb
}

#[test]
fn a_hub_logs_to_a_dated_file_and_deletes_the_days_beyond_retention() {
    let sb = enrolled();
    std::fs::write(sb.path("config/console.toml"), "name = \"A\"\nlog_retention_days = 3\n").unwrap();
    let logs = sb.data().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let day = |back: u64| {
        let d = chrono::Utc::now().date_naive() - chrono::Days::new(back);
        format!("yuqing.{}.log", d.format("%Y-%m-%d"))
    };
    for back in [1, 2, 3, 4, 400] {
        std::fs::write(logs.join(day(back)), "an earlier day\n").unwrap();
    }
    serve_briefly(&sb, sb.cmd(), &sb.path("stderr.txt"));

    let today = day(0);
    let mut names: Vec<String> =
        std::fs::read_dir(&logs).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, [day(2), day(1), today.clone(), "yuqing.log".into()], "three days are kept, today's among them");
    let log = sb.log();
    assert!(log.contains("INFO") && log.contains("serving as A"), "{log}");
    assert_eq!(std::fs::read_to_string(logs.join(&today)).unwrap(), log, "yuqing.log is today's file");
    let said = std::fs::read_to_string(sb.path("stderr.txt")).unwrap();
    assert!(said.contains(&format!("log: {}", logs.join("yuqing.log").display())), "{said}");
    assert!(!said.contains("INFO"), "log lines stay out of standard error: {said}");
}

#[test]
fn a_service_whose_standard_error_is_the_journal_logs_there() {
    use std::os::unix::fs::MetadataExt;
    let sb = enrolled();
    let stderr = sb.path("journal.txt");
    std::fs::write(&stderr, "").unwrap();
    let meta = std::fs::metadata(&stderr).unwrap();
    let mut cmd = sb.cmd();
    cmd.env("JOURNAL_STREAM", format!("{}:{}", meta.dev(), meta.ino()));
    serve_briefly(&sb, cmd, &stderr);

    let journal = std::fs::read_to_string(&stderr).unwrap();
    assert!(journal.contains("log: the systemd journal"), "{journal}");
    let line = journal.lines().find(|l| l.contains("serving as A")).unwrap_or_else(|| panic!("{journal}"));
    assert!(line.starts_with(" INFO") || line.starts_with("INFO"), "no time stamp: the journal adds its own: {line}");
    assert!(!sb.data().join("logs").exists(), "no log files beside the journal");
}

#[test]
fn a_journal_stream_that_is_not_standard_error_is_ignored() {
    let sb = enrolled();
    let mut cmd = sb.cmd();
    // Inherited from a service by a command whose standard error went elsewhere.
    cmd.env("JOURNAL_STREAM", "8:12345");
    serve_briefly(&sb, cmd, &sb.path("stderr.txt"));
    assert!(sb.log().contains("serving as A"));
}
