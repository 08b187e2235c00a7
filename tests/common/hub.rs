//! A running `yuqing serve` on a sandbox, for tests that need a hub.

use super::Sandbox;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

/// A running hub, killed if the test fails before stopping it.
pub struct Hub(pub Child);

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `yuqing serve` on this sandbox and returns it with its address.
pub fn serve(sb: &Sandbox, config: &std::path::Path, name: &str, peer: Option<&str>) -> (Hub, String) {
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

pub fn stop(hub: &mut Hub) {
    let ok = std::process::Command::new("kill").args(["-TERM", &hub.0.id().to_string()]).status().unwrap();
    assert!(ok.success());
    let status = hub.0.wait().unwrap();
    assert!(status.success(), "serve exited with {status:?}");
}
