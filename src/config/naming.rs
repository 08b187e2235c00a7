//! Where a console's name comes from when `console.toml` does not give one: the
//! credentials it was enrolled with, or — on a fresh install that is not enrolled — a
//! name derived from the host and a random part, written to `console.toml` at the first
//! start. A name shared by two installs would number two histories alike (`A:1` on
//! both), so no install takes a fixed default.

use rand::RngExt;
use std::path::Path;

/// The name in `credentials.toml` in `dir`, if that file is there and names one.
pub fn enrolled_name(dir: &Path) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Named {
        name: String,
    }
    let text = std::fs::read_to_string(dir.join("credentials.toml")).ok()?;
    toml::from_str::<Named>(&text).ok().map(|n| n.name)
}

/// True when `console.toml` in `dir` sets `name`.
pub fn names_itself(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("name"))
}

/// A console name for a fresh install: up to two letters or digits of the host's name,
/// upper-cased, and four random hex digits (`DU3F9C`; `C3F9C` without a host name) —
/// a valid name, short enough for case numbers, distinct from other installs' but by
/// rare chance (and enrolment refuses a name already enrolled, so two consoles that
/// sync never share one).
pub fn derived() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let mut name: String = host.chars().filter(char::is_ascii_alphanumeric).take(2).collect::<String>().to_uppercase();
    if name.is_empty() {
        name.push('C');
    }
    let random: u16 = rand::rng().random();
    name.push_str(&format!("{random:04X}"));
    name
}

/// Writes `name` into `console.toml` in `dir`, before whatever the file already says.
pub fn write_name(dir: &Path, name: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("console.toml");
    let rest = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let text = format!(
        "# This console's name, unique in the deployment; it prefixes case numbers and item ids.\n\
         # Chosen at the first start; to sync, enrol the console under this name (or change it\n\
         # before any case is opened here).\nname = \"{name}\"\n{rest}"
    );
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_are_valid_and_differ() {
        let names: std::collections::HashSet<String> = (0..20).map(|_| derived()).collect();
        assert!(names.iter().all(|n| crate::config::valid_console_name(n)), "{names:?}");
        assert!(names.len() > 15, "{names:?}");
    }

    #[test]
    fn a_written_name_is_read_back_before_the_rest_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("console.toml"), "lock_minutes = 3.0\n").unwrap();
        assert!(!names_itself(&std::fs::read_to_string(dir.path().join("console.toml")).unwrap()));
        write_name(dir.path(), "QX12").unwrap();
        let s = crate::config::Settings::load(dir.path()).unwrap();
        assert_eq!((s.console.name.as_str(), s.console.lock_minutes), ("QX12", 3.0));
    }
}
