//! The command line with sync: a key, two hubs in a chain, items and commands sent
//! through a running hub with `--to`, and a clean stop on SIGTERM.

mod common;

use common::{Sandbox, stderr};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

/// A running hub, killed if the test fails before stopping it.
struct Hub(Child);

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `yuqing serve` on this sandbox and returns it with its address.
fn serve(sb: &Sandbox, config: &std::path::Path, name: &str, peer: Option<&str>) -> (Hub, String) {
    std::fs::write(config.join("console.toml"), format!("name = \"{name}\"\n")).unwrap();
    let mut cmd = sb.cmd();
    cmd.env("YUQING_CONFIG", config).args(["serve", "--listen", "127.0.0.1:0"]);
    if let Some(p) = peer {
        cmd.args(["--peer", p]);
    }
    let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .split("listening on ")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    std::thread::spawn(move || lines.for_each(drop));
    (Hub(child), addr)
}

fn stop(hub: &mut Hub) {
    let ok = std::process::Command::new("kill").args(["-TERM", &hub.0.id().to_string()]).status().unwrap();
    assert!(ok.success());
    let status = hub.0.wait().unwrap();
    assert!(status.success(), "serve exited with {status:?}");
}

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

    let (mut hub_a, addr_a) = serve(&a, &ca, "A", None);
    let (mut hub_b, addr_b) = serve(&b, &cb, "B", Some(&addr_a));
    let file = b.write("items.jsonl", &common::items_jsonl("net", 20));
    let mut ingest = b.cmd();
    ingest.env("YUQING_CONFIG", &cb).args(["--to", &addr_b, "ingest", file.to_str().unwrap()]);
    let out = ingest.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(common::stdout(&out).contains("20 new"), "{}", common::stdout(&out));
    let mut open = b.cmd();
    open.env("YUQING_CONFIG", &cb).args([
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
    let mut refused = b.cmd();
    refused.env("YUQING_CONFIG", &cb).args(["--to", &addr_b, "--as", "guest", "dismiss", "B.2", "--reason", "x"]);
    assert!(stderr(&refused.output().unwrap()).contains("a viewer changes nothing"));

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
