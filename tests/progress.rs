//! Progress of long commands (ingest, verify, export, backup, restore, drill record): a bar with the count, the rate and the time left on a
//! terminal's standard error; nothing at all when standard error is a pipe or a file,
//! or with `--json`.

mod common;

use common::{Sandbox, stderr};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::Read;

/// Runs `sh -c SCRIPT` on `sb` in a pseudo-terminal (`yuqing` is `$Y`) to its end;
/// everything the terminal received.
fn on_terminal(sb: &Sandbox, script: &str) -> String {
    let pair = native_pty_system().openpty(PtySize { rows: 24, cols: 100, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", script]);
    cmd.env("Y", env!("CARGO_BIN_EXE_yuqing"));
    cmd.env("YUQING_DATA", sb.data());
    cmd.env("YUQING_CONFIG", sb.path("config"));
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(sb.dir.path());
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let read = std::thread::spawn(move || {
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        raw
    });
    assert!(child.wait().unwrap().success(), "{script}");
    drop(pair.master);
    String::from_utf8_lossy(&read.join().unwrap()).into_owned()
}

#[test]
fn long_commands_draw_a_bar_with_rate_and_time_left_on_a_terminal() {
    let sb = Sandbox::new();
    sb.write("items.jsonl", &common::items_jsonl("p", 3000));
    let ingest = on_terminal(&sb, "$Y ingest --batch 100 items.jsonl");
    assert!(ingest.contains("3000 new"), "{ingest}");
    assert!(ingest.contains("ingesting") && ingest.contains("/3,000 items, "), "{ingest}");
    assert!(ingest.contains("/s, ") && ingest.contains(" left"), "a rate and the time left: {ingest}");

    let verify = on_terminal(&sb, "$Y verify");
    assert!(verify.contains("verifying") && verify.contains(" events, "), "{verify}");
    let export = on_terminal(&sb, "$Y export > events.jsonl");
    assert!(export.contains("exporting"), "standard output goes to a file: {export}");
    assert_eq!(std::fs::read_to_string(sb.path("events.jsonl")).unwrap().lines().count(), 3000);
    let backup = on_terminal(&sb, "$Y backup b1");
    assert!(backup.contains("backing up") && backup.contains("3000 events"), "{backup}");
    let restore = on_terminal(&sb, "$Y --data again restore b1");
    assert!(restore.contains("restoring") && restore.contains("/3,000 events"), "{restore}");
    // A drill replays at most a year; the items arrived just now.
    let at = |h: i64| (chrono::Utc::now() + chrono::Duration::hours(h)).to_rfc3339();
    let record = on_terminal(&sb, &format!("$Y drill record --from '{}' --to '{}' s.jsonl", at(-24), at(1)));
    assert!(record.contains("recording") && record.contains("wrote s.jsonl"), "{record}");
}

#[test]
fn no_bar_on_a_terminal_showing_the_output_or_with_json() {
    let sb = Sandbox::new();
    sb.write("items.jsonl", &common::items_jsonl("q", 1500));
    let json = on_terminal(&sb, "$Y ingest --json --batch 100 items.jsonl");
    assert!(json.contains("\"done\":true") && !json.contains("ingesting"), "{json}");
    let export = on_terminal(&sb, "$Y export");
    assert!(!export.contains("exporting"), "events on the terminal would tear a bar: {export}");
}

#[test]
fn nothing_but_the_results_when_standard_error_is_a_pipe() {
    let sb = Sandbox::new();
    let file = sb.write("items.jsonl", &common::items_jsonl("r", 1500));
    for args in [&["ingest", "--batch", "100", file.to_str().unwrap()][..], &["verify"], &["export"]] {
        let o = sb.run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        let bar = ["ingesting", "verifying", "exporting", "/s, "].iter().any(|w| err.contains(w));
        assert!(!err.contains('\r') && !err.contains('\x1b') && !bar, "{args:?}: {err:?}");
    }
}
