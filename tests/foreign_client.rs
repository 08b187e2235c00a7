//! A client written from `docs/protocol.md` alone, in another language (Python's `ssl`
//! and standard library: `tests/clients/submit.py`), submits items to a running hub as
//! an enrolled monitoring tool and gets its ack. Skipped with a message where python3
//! (3.11 or later, for `tomllib`) is missing.

mod common;

use common::{Sandbox, stderr, stdout};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

fn python() -> Option<&'static str> {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import sys, tomllib, ssl; sys.exit(0 if ssl.HAS_TLSv1_3 else 1)"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    ok.then_some("python3")
}

#[test]
fn a_python_client_from_the_protocol_document_submits_and_gets_its_ack() {
    let Some(py) = python() else {
        eprintln!("skipped: python3 3.11+ with TLS 1.3 is not installed");
        return;
    };
    let sb = Sandbox::new();
    sb.ok(&["cluster", "init"]);
    let tool = sb.path("monitor.toml");
    sb.ok(&["cluster", "enroll", "monitor-1", "--submitter", "--out", tool.to_str().unwrap()]);
    let mut hub = sb.cmd().args(["serve", "--listen", "127.0.0.1:0"]).stderr(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(hub.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first.split("listening on ").nth(1).and_then(|r| r.split(';').next()).unwrap().to_string();
    std::thread::spawn(move || lines.for_each(drop));
    let items = sb.write(
        "items.json",
        r#"[{"channel":"weibo","title":"网传县城将全面限电","body":"县供电公司称系谣言","external_id":"py-1"},
            {"channel":"hotline","title":"小区停水三天","body":"","external_id":"py-2"}]"#,
    );
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/submit.py");
    let out = std::process::Command::new(py)
        .args([script, tool.to_str().unwrap(), &addr, items.to_str().unwrap()])
        .output()
        .unwrap();
    let _ = std::process::Command::new("kill").args(["-TERM", &hub.id().to_string()]).status();
    let _ = hub.wait();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let ack: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!((ack["t"].as_str(), ack["new"].as_u64()), (Some("ack"), Some(2)), "{ack}");
    let audit = sb.ok(&["audit", "--json"]);
    assert!(audit.lines().all(|l| l.contains(r#""operator":"monitor-1""#)), "the audit names the tool: {audit}");
    assert_eq!(sb.ok(&["items", "--json"]).lines().count(), 2);
}
