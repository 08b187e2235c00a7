//! The files under `deploy/`: the systemd units pass `systemd-analyze verify` (where
//! that command exists) and are hardened; the Debian package's assets are what
//! `deploy/assets.sh` makes, and cover the binary, the units, the manual pages and the
//! completions.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap()
}

/// The units, with `ExecStart` of the hub pointing at the binary under test (systemd
/// checks that it exists).
fn units_into(dir: &Path) -> Vec<PathBuf> {
    let hub = read("deploy/yuqing.service")
        .replace("ExecStart=/usr/bin/yuqing serve", &format!("ExecStart={} serve", env!("CARGO_BIN_EXE_yuqing")));
    assert!(hub.contains(env!("CARGO_BIN_EXE_yuqing")), "ExecStart is /usr/bin/yuqing serve");
    let mut written = vec![dir.join("yuqing.service")];
    std::fs::write(&written[0], hub).unwrap();
    for name in ["yuqing-backup.service", "yuqing-backup.timer"] {
        written.push(dir.join(name));
        std::fs::copy(repo(&format!("deploy/backup/{name}")), written.last().unwrap()).unwrap();
    }
    written
}

#[test]
fn the_units_pass_systemd_analyze_verify() {
    let which = Command::new("which").arg("systemd-analyze").output();
    if !which.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: no systemd-analyze on this machine");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let units = units_into(dir.path());
    // --man=no: the manual pages are installed by the package, not on this machine.
    let out = Command::new("systemd-analyze").args(["verify", "--man=no"]).args(&units).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    // Unknown keys and bad values are only warned about: any word on these units fails.
    let about_ours: Vec<&str> = said.lines().filter(|l| l.contains("yuqing")).collect();
    assert!(out.status.success() && about_ours.is_empty(), "{said}");
}

#[test]
fn the_hub_runs_hardened_under_its_own_user_and_logs_to_the_journal() {
    let unit = read("deploy/yuqing.service");
    for line in [
        "User=yuqing",
        "ExecStart=/usr/bin/yuqing serve",
        "Environment=YUQING_DATA=/var/lib/yuqing/live",
        "Environment=YUQING_CONFIG=/etc/yuqing",
        "StateDirectory=yuqing",
        "ConfigurationDirectory=yuqing",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=",
    ] {
        assert!(unit.lines().any(|l| l == line), "deploy/yuqing.service lacks `{line}`");
    }
    assert!(!unit.contains("StandardError="), "standard error stays the journal's stream");
    assert!(read("deploy/yuqing.sysusers").contains("u yuqing "), "the user the package makes");
    let backup = read("deploy/backup/yuqing-backup.service");
    assert!(backup.contains("User=yuqing") && backup.contains("yuqing backup \"/var/lib/yuqing/backups/"));
}

/// `[package.metadata.deb]` of Cargo.toml.
fn deb() -> toml::Table {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    manifest["package"]["metadata"]["deb"].as_table().unwrap().clone()
}

#[test]
fn the_package_installs_what_assets_sh_makes() {
    // assets.sh on the binary under test, as if it were the release build.
    let target = tempfile::tempdir().unwrap();
    let release = target.path().join("release");
    std::fs::create_dir_all(&release).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_yuqing"), release.join("yuqing")).unwrap();
    let out = Command::new(repo("deploy/assets.sh")).env("CARGO_TARGET_DIR", target.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let deb = deb();
    let mut installed = Vec::new();
    for asset in deb["assets"].as_array().unwrap() {
        let (from, to) = (asset[0].as_str().unwrap(), asset[1].as_str().unwrap());
        let from = match from.strip_prefix("target/") {
            Some(built) => target.path().join(built),
            None => repo(from),
        };
        let found = match from.to_str().unwrap().split_once("*") {
            Some((dir_and_prefix, suffix)) => {
                let (dir, prefix) = dir_and_prefix.rsplit_once('/').unwrap();
                let names: Vec<String> = std::fs::read_dir(dir)
                    .unwrap()
                    .map(|e| e.unwrap().file_name().into_string().unwrap())
                    .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
                    .collect();
                assert!(names.contains(&"yuqing.1.gz".to_string()), "{names:?}");
                names.len()
            }
            None => usize::from(from.is_file()),
        };
        assert!(found > 0, "{} is not there to install as {to}", from.display());
        installed.push(to.to_string());
    }
    for place in [
        "usr/bin/",
        "usr/share/man/man1/",
        "usr/share/bash-completion/completions/yuqing",
        "usr/share/zsh/vendor-completions/_yuqing",
        "usr/share/fish/vendor_completions.d/yuqing.fish",
    ] {
        assert!(installed.iter().any(|i| i == place), "nothing installed as {place}");
    }
    // cargo-deb installs `<unit-name>.service|timer` and `yuqing.sysusers` from each
    // folder and writes the maintainer scripts that handle them.
    assert_eq!(deb["maintainer-scripts"].as_str(), Some("deploy/"));
    let units: Vec<(&str, &str)> = deb["systemd-units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit-name"].as_str().unwrap(), u["unit-scripts"].as_str().unwrap()))
        .collect();
    assert_eq!(units, [("yuqing", "deploy/"), ("yuqing-backup", "deploy/backup/")]);
    for file in ["deploy/yuqing.service", "deploy/yuqing.sysusers", "deploy/backup/yuqing-backup.service"] {
        assert!(repo(file).is_file(), "{file}");
    }
    assert!(repo("deploy/backup/yuqing-backup.timer").is_file());
}
