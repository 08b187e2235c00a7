//! Helpers for tests that drive the real `yuqing` binary on temporary folders.

#![allow(dead_code)]

pub mod console;
pub mod hub;
pub mod trust;

use std::path::PathBuf;
use std::process::{Command, Output};

/// A temporary data folder and config folder for one test.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().unwrap() }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A `yuqing` command on this sandbox's folders, in English.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_yuqing"));
        c.env("YUQING_DATA", self.data())
            .env("YUQING_CONFIG", self.dir.path().join("config"))
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("YUQING_PIN")
            .env_remove("YUQING_TOKEN");
        c
    }

    /// Runs `yuqing ARGS…` to the end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs `yuqing ARGS…` to the end on a Chinese terminal (`LANG=zh_CN.UTF-8`).
    pub fn zh(&self, args: &[&str]) -> Output {
        self.cmd().env("LANG", "zh_CN.UTF-8").env_remove("LC_ALL").args(args).output().unwrap()
    }

    /// Runs and requires success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(o.status.success(), "yuqing {args:?} failed:\n{}{}", stdout(&o), stderr(&o));
        stdout(&o)
    }

    /// The data folder's log of today (`logs/yuqing.log` links to the day's file).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data().join("logs/yuqing.log")).unwrap()
    }

    /// Writes a file in the sandbox and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

/// The sled database of the data folder `data`, opened directly (to change it behind
/// the store's back), with the segment size it was made with (sled refuses any other).
pub fn raw_sled(data: &std::path::Path) -> sled::Db {
    let conf = std::fs::read(data.join("db/conf")).unwrap();
    let size = String::from_utf8_lossy(&conf)
        .lines()
        .find_map(|l| l.strip_prefix("segment_size: ")?.trim().parse().ok())
        .expect("sled's conf names its segment size");
    sled::Config::new().path(data.join("db")).segment_size(size).open().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `n` JSONL items with external ids `prefix-0 … prefix-(n-1)`.
pub fn items_jsonl(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"channel\":\"weibo\",\"title\":\"网友反映第{i}号问题\",\"body\":\"沅陵县某地群众反映情况，请相关部门核实。\",\"external_id\":\"{prefix}-{i}\",\"reach\":{i}}}\n"
            )
        })
        .collect()
}
