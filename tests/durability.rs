//! Durability: an ingesting child is killed with SIGKILL at random points; after each
//! kill `verify` passes and every item whose batch it had acknowledged is present.

mod common;

use common::{Sandbox, items_jsonl, stdout};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn killed_ingest_keeps_every_acknowledged_item_and_verifies() {
    let sb = Sandbox::new();
    let file = sb.write("big.jsonl", &items_jsonl("k", 6000));
    let file = file.to_str().unwrap();
    // A pseudo-random kill point per round, from the clock, logged so a failure can be read.
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64;
    let mut acked_through = 0usize;
    for round in 0..5u64 {
        let mut child = sb
            .cmd()
            .args(["ingest", "--json", "--batch", "50", file])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let kill_after = 1 + ((seed >> (round * 3)) % 40) as usize;
        let reader = BufReader::new(child.stdout.take().unwrap());
        let mut batches = 0;
        let started = Instant::now();
        for line in reader.lines() {
            let line = line.unwrap();
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            if let Some(through) = v["through_line"].as_u64() {
                acked_through = acked_through.max(through as usize);
                batches += 1;
            }
            if batches >= kill_after || started.elapsed() > Duration::from_secs(20) {
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        eprintln!(
            "round {round}: killed after {batches} acknowledged batches (seed {seed}); acked through line {acked_through}"
        );

        let verify = sb.run(&["verify"]);
        assert!(verify.status.success(), "round {round}: verify failed:\n{}", stdout(&verify));
        let items = sb.ok(&["items", "--json"]);
        let ids: std::collections::HashSet<String> = items
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["external_id"].as_str().unwrap().to_string())
            .collect();
        for i in 0..acked_through {
            assert!(
                ids.contains(&format!("k-{i}")),
                "round {round}: acknowledged item k-{i} (line {}) is missing",
                i + 1
            );
        }
    }
    let summary = sb.ok(&["ingest", "--json", file]);
    let last: serde_json::Value = serde_json::from_str(summary.lines().last().unwrap()).unwrap();
    assert_eq!(last["new"].as_u64().unwrap() + last["duplicates"].as_u64().unwrap(), 6000);
    assert!(sb.run(&["verify"]).status.success());
}
