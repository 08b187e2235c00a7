//! A full disk is met prepared: below the free-space reserve every write is refused
//! whole, with a message naming the folder; reads go on; writing resumes by itself when
//! space returns; and what was acknowledged is all there, on a store that still opens.

mod common;

use common::{Sandbox, items_jsonl, stderr, stdout};

fn reserve(sb: &Sandbox, mb: u64) {
    std::fs::create_dir_all(sb.path("config")).unwrap();
    std::fs::write(sb.path("config/console.toml"), format!("disk_reserve_mb = {mb}\n")).unwrap();
}

/// Items acknowledged by `ingest --json` (its `durable` lines).
fn acknowledged(out: &str) -> usize {
    out.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["durable"] == true)
        .map(|v| v["new"].as_u64().unwrap() as usize)
        .sum()
}

fn held(sb: &Sandbox) -> usize {
    sb.ok(&["items", "--json"]).lines().count()
}

#[test]
fn below_the_reserve_nothing_is_written_and_saving_resumes_when_space_returns() {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &items_jsonl("a", 50));
    sb.ok(&["ingest", f.to_str().unwrap()]);
    reserve(&sb, u64::MAX >> 21); // more than any disk
    let g = sb.write("b.jsonl", &items_jsonl("b", 30));
    let o = sb.run(&["ingest", "--json", g.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("nearly full") && stderr(&o).contains(&sb.data().display().to_string()),
        "{}",
        stderr(&o)
    );
    assert_eq!(acknowledged(&stdout(&o)), 0, "nothing claimed durable: {}", stdout(&o));
    assert!(stdout(&o).contains(r#""durable":false"#), "{}", stdout(&o));
    assert_eq!(held(&sb), 50, "reads go on; nothing of the refused batch is stored");
    assert!(sb.ok(&["verify"]).contains("OK"));
    reserve(&sb, 0);
    let o = sb.run(&["ingest", "--json", g.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(acknowledged(&stdout(&o)), 30);
    assert_eq!(held(&sb), 80);
}

/// A real small volume filled up (needs root for the tmpfs; skipped otherwise).
#[test]
fn a_real_full_volume_leaves_every_acknowledged_item_readable() {
    let sb = Sandbox::new();
    let mnt = sb.path("vol");
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt.to_str().unwrap()])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !mounted {
        eprintln!("skipped: mounting a tmpfs needs root (run the tests as root to check a real full disk)");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    reserve(&sb, 4);
    let data = mnt.join("data");
    let run = |args: &[&str]| sb.cmd().env("YUQING_DATA", &data).args(args).output().unwrap();
    // Bodies that differ from item to item, as real posts do: the store packs its pages,
    // and one text repeated would hardly take any room.
    let pool: Vec<char> = "沅陵县某地群众反映情况请相关部门核实道路施工噪音扰民夜间学校食堂供水停电".chars().collect();
    let mut state = 1u64;
    let mut body = move || -> String {
        (0..800)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                pool[(state >> 33) as usize % pool.len()]
            })
            .collect()
    };
    let (mut acked, mut refused) = (0, false);
    for round in 0..60 {
        let text: String = (0..500)
            .map(|i| {
                let body = body();
                format!("{{\"channel\":\"weibo\",\"title\":\"第{round}批第{i}条\",\"body\":\"{body}\",\"external_id\":\"r{round}-{i}\"}}\n")
            })
            .collect();
        let f = sb.write("batch.jsonl", &text);
        let o = run(&["ingest", "--json", "--batch", "100", f.to_str().unwrap()]);
        acked += acknowledged(&stdout(&o));
        if !o.status.success() {
            assert!(
                stderr(&o).contains("nearly full"),
                "refused for the reserve, not by a failed write: {}",
                stderr(&o)
            );
            refused = true;
            break;
        }
    }
    assert!(refused, "the volume never filled up");
    assert!(acked > 0);
    // Reads while the disk is full, then again after a restart: all acknowledged items.
    for _ in 0..2 {
        let o = run(&["items", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o).lines().count(), acked);
        let v = run(&["verify"]);
        assert!(v.status.success() && stdout(&v).contains("OK"), "{}{}", stdout(&v), stderr(&v));
    }
}
