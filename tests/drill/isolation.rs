//! Issue #18, 1: a drill never writes into the live folder, however the folder is named
//! (as it is, through `..`, through a symlink, inside it, around it). Every file of the
//! live folder is hashed before and after each refused run.

use super::common::{self, Sandbox};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

const SCENARIO: &str = concat!(
    "{\"scenario\":\"s\",\"start\":\"2026-07-01 08:00\"}\n",
    "{\"at\":\"+00:01\",\"kind\":\"item\",\"item\":{\"channel\":\"weibo\",\"title\":\"网传\",\"external_id\":\"w1\"}}\n",
);

/// Every file under `dir` (symlinks not followed) with the SHA-256 of its bytes; other
/// entries (sockets, links) by their kind.
fn hashes(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let kind = std::fs::symlink_metadata(&p).unwrap().file_type();
            if kind.is_dir() {
                stack.push(p);
            } else if kind.is_file() {
                out.insert(p.display().to_string(), hex::encode(Sha256::digest(std::fs::read(&p).unwrap())));
            } else {
                // A socket or a link: its presence is what counts.
                out.insert(p.display().to_string(), format!("{kind:?}"));
            }
        }
    }
    out
}

/// A sandbox whose live folder `live` holds a database, and the scenario beside it.
fn with_live() -> Sandbox {
    let sb = Sandbox::new();
    let f = sb.write("a.jsonl", &common::items_jsonl("live", 3));
    let o = sb.cmd().env("YUQING_DATA", sb.path("live")).args(["ingest", f.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", common::stderr(&o));
    sb.write("s.jsonl", SCENARIO);
    sb
}

/// Runs the drill headless with `--drill-data drill`, from the sandbox's folder, with
/// `live` (by its absolute path) as the live folder; requires an unchanged live folder
/// and a refusal.
fn refused(sb: &Sandbox, live: &str, drill: &str, why: &str) {
    let before = hashes(&sb.path(live));
    let o = sb
        .cmd()
        .current_dir(sb.dir.path())
        .env("YUQING_DATA", sb.path(live))
        .args(["drill", "run", "s.jsonl", "--headless", "--speed", "100000", "--drill-data", drill])
        .output()
        .unwrap();
    let err = common::stderr(&o);
    assert_eq!(hashes(&sb.path(live)), before, "--drill-data {drill} changed the live folder: {err}");
    assert!(!o.status.success(), "--drill-data {drill} was accepted:\n{}", common::stdout(&o));
    assert!(err.contains("never runs in the live data folder") && err.contains(why), "{drill}: {err}");
}

#[test]
fn the_live_folder_itself_is_refused_before_anything_is_written() {
    refused(&with_live(), "live", "live", "is that folder");
}

#[test]
fn the_live_folder_through_dot_dot_is_refused() {
    refused(&with_live(), "live", "./live/../live", "is that folder");
}

#[test]
fn the_live_folder_through_a_symlink_is_refused() {
    let sb = with_live();
    std::os::unix::fs::symlink(sb.path("live"), sb.path("link")).unwrap();
    refused(&sb, "live", "link", "is that folder");
}

#[test]
fn a_copy_of_live_used_as_live_is_refused() {
    let sb = with_live();
    std::fs::create_dir(sb.path("copy")).unwrap();
    for (name, _) in hashes(&sb.path("live")) {
        let rel = Path::new(&name).strip_prefix(sb.path("live")).unwrap();
        let to = sb.path("copy").join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&name, to).unwrap();
    }
    refused(&sb, "copy", "copy", "is that folder");
}

#[test]
fn a_folder_inside_the_live_folder_is_refused() {
    let sb = with_live();
    refused(&sb, "live", "live/sub", "lies inside it");
    assert!(!sb.path("live/sub").exists());
}

#[test]
fn a_folder_containing_the_live_folder_is_refused() {
    refused(&with_live(), "live", ".", "contains it");
}

#[test]
fn a_folder_that_holds_files_but_no_drill_is_refused() {
    let sb = with_live();
    std::fs::create_dir(sb.path("other")).unwrap();
    sb.write("other/notes.txt", "mine");
    let o = sb
        .cmd()
        .current_dir(sb.dir.path())
        .env("YUQING_DATA", "live")
        .args(["drill", "run", "s.jsonl", "--headless", "--drill-data", "other"])
        .output()
        .unwrap();
    assert!(common::stderr(&o).contains("holds files but no drill"), "{}", common::stderr(&o));
    assert_eq!(std::fs::read_dir(sb.path("other")).unwrap().count(), 1);
}

#[test]
fn a_drill_score_never_writes_into_the_live_folder() {
    let sb = with_live();
    let before = hashes(&sb.path("live"));
    std::fs::copy(sb.path("s.jsonl"), sb.path("live/scenario.jsonl")).unwrap();
    std::fs::write(sb.path("live/realm"), "drill:s").unwrap();
    let before_with = hashes(&sb.path("live"));
    let o = sb
        .cmd()
        .current_dir(sb.dir.path())
        .env("YUQING_DATA", "live")
        .args(["drill", "score", "--drill-data", "live"])
        .output()
        .unwrap();
    assert!(!o.status.success(), "{}", common::stdout(&o));
    assert_eq!(hashes(&sb.path("live")), before_with);
    assert_eq!(before.len() + 2, before_with.len());
}

#[test]
fn a_drill_folder_is_picked_up_again_only_with_the_same_scenario() {
    let sb = with_live();
    let run = |sb: &Sandbox| {
        sb.cmd()
            .current_dir(sb.dir.path())
            .env("YUQING_DATA", sb.path("live"))
            .args(["drill", "run", "s.jsonl", "--headless", "--speed", "3600", "--drill-data", "d"])
            .output()
            .unwrap()
    };
    assert!(run(&sb).status.success());
    let again = run(&sb);
    assert!(common::stdout(&again).contains("picked up again"), "{}", common::stdout(&again));
    let before = hashes(&sb.path("d"));
    // Another scenario under the same file name: refused, the drill's folder untouched.
    sb.write("s.jsonl", &SCENARIO.replace("网传", "另一条信息"));
    let o = run(&sb);
    let err = common::stderr(&o);
    assert!(!o.status.success() && err.contains("holds a drill of another `s.jsonl`"), "{err}");
    assert_eq!(hashes(&sb.path("d")), before, "the earlier drill is kept as it was");
}

#[test]
fn a_chinese_terminal_is_told_why_in_chinese() {
    let sb = with_live();
    let o = sb
        .cmd()
        .current_dir(sb.dir.path())
        .env("YUQING_DATA", sb.path("live"))
        .env("LANG", "zh_CN.UTF-8")
        .args(["drill", "run", "s.jsonl", "--headless", "--drill-data", "live/sub"])
        .output()
        .unwrap();
    let err = common::stderr(&o);
    assert!(
        !o.status.success() && err.starts_with("错误：演练不能在正式数据文件夹") && err.contains("在其中"),
        "{err}"
    );
}
