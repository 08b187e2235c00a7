//! Configuration: the console's own settings, departments, response policy and
//! operators, each in an editable TOML file of the config folder; built-in defaults
//! for whatever file is absent. Loading takes file contents, so it is testable.

pub mod credential;
mod defaults;
pub mod naming;
pub mod pin;
pub mod token;

pub use defaults::default_departments;

use crate::domain::department::{Department, Directory};
use crate::domain::policy::Policy;
use crate::domain::role::{Operator, Role};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

/// `console.toml`: this console's own settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConf {
    /// Short name, unique in a deployment; prefixes case and item numbers (`A-0042`).
    pub name: String,
    /// Operator id the command line and console act as when not told otherwise.
    pub operator: String,
    /// `zh` or `en`; empty means: from `LANG`.
    pub lang: String,
    /// Ring the terminal bell on new items and newly overdue milestones.
    pub bell: bool,
    /// Keymap name (`default`, `vim`) or a file path.
    pub keymap: String,
    /// Address to accept other consoles and submitters on (`0.0.0.0:7420`); empty: none.
    pub listen: String,
    /// Consoles or hubs to connect to (`host:port`).
    pub peers: Vec<String>,
    /// Lock the console after this many idle minutes when operators have PINs (fractions
    /// allowed); 0: never.
    pub lock_minutes: f64,
    /// The shortest PIN `yuqing operator add` and `operator pin` accept (at least
    /// [`pin::MIN_PIN_FLOOR`]).
    pub min_pin_length: usize,
    /// Refuse new writes while the data folder's volume has less than this many MiB
    /// free; absent: the smaller of 256 MiB and 2 % of the volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_reserve_mb: Option<u64>,
    /// A peer whose clock differs from this console's by more than this many seconds is
    /// refused, and an event stamped further ahead does not move this console's clock
    /// beyond it (live realm only: a drill's clocks follow the trainer's).
    pub max_clock_skew_seconds: u64,
    /// The county's time zone for every time shown, typed and reported: a name such as
    /// `Asia/Shanghai` (the default) or a fixed offset such as `+08:00`.
    pub timezone: String,
    /// How many daily log files `<data>/logs/` keeps (the newest days with a log; older
    /// files are deleted at start and at each day's change). Checked while parsing, so a
    /// bad value is reported with its line.
    #[serde(deserialize_with = "log_retention")]
    pub log_retention_days: u32,
}

/// The default log retention: the Cybersecurity Law of the PRC (art. 21) asks that
/// network logs be kept at least six months.
pub const LOG_RETENTION_DAYS: u32 = 180;

/// Reads `log_retention_days`: at least one day, since the current day's file is one.
fn log_retention<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let days = u32::deserialize(d)?;
    if days == 0 {
        return Err(serde::de::Error::custom(
            "field `log_retention_days`: 0 would keep no log, not even today's; use 1 or more (default 180)",
        ));
    }
    Ok(days)
}

/// The smallest clock bound taken: a heartbeat's measure of the difference includes
/// the network delay.
pub const MIN_CLOCK_SKEW_SECONDS: u64 = 10;

impl ConsoleConf {
    /// The clock bound in realm `realm`, in milliseconds; `None` in a drill realm, whose
    /// consoles run virtual clocks that follow the trainer's.
    pub fn clock_bound_ms(&self, realm: &str) -> Option<i64> {
        (!realm.starts_with("drill:")).then(|| i64::try_from(self.max_clock_skew_seconds * 1000).unwrap_or(i64::MAX))
    }
}

impl Default for ConsoleConf {
    fn default() -> Self {
        ConsoleConf {
            name: "A".into(),
            operator: "duty".into(),
            lang: String::new(),
            bell: true,
            keymap: "default".into(),
            listen: String::new(),
            peers: Vec::new(),
            lock_minutes: 15.0,
            min_pin_length: pin::MIN_PIN,
            disk_reserve_mb: None,
            max_clock_skew_seconds: 120,
            timezone: crate::timefmt::DEFAULT_ZONE.into(),
            log_retention_days: LOG_RETENTION_DAYS,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentsFile {
    department: Vec<Department>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OperatorsFile {
    operator: Vec<Operator>,
}

/// Everything configured, with defaults filled in.
#[derive(Debug, Clone)]
pub struct Settings {
    pub console: ConsoleConf,
    pub directory: Directory,
    pub policy: Policy,
    pub operators: Vec<Operator>,
    /// Triage rules (`rules.toml`).
    pub rules: Vec<crate::triage::Rule>,
    /// True when the console's name was given (in `console.toml`, or by its
    /// credentials) rather than defaulted.
    pub named: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            console: ConsoleConf::default(),
            directory: Directory { departments: default_departments() },
            policy: Policy::default(),
            operators: default_operators(),
            rules: crate::triage::rules::defaults(),
            named: false,
        }
    }
}

/// The operators a fresh installation knows.
pub fn default_operators() -> Vec<Operator> {
    let op = |id: &str, name: &str, role| Operator {
        id: id.into(),
        name: name.into(),
        role,
        pin: None,
        token: None,
        disabled: false,
    };
    vec![
        op("duty", "值班员", Role::Operator),
        op("chief", "带班领导", Role::Supervisor),
        op("trainer", "培训员", Role::Trainer),
        op("guest", "访客", Role::Viewer),
    ]
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, ConfigError> {
    toml::from_str(text)
        .map_err(|e| ConfigError { path: path.to_path_buf(), message: e.to_string().trim_end().to_string() })
}

fn read(dir: &Path, file: &str) -> Result<Option<(PathBuf, String)>, ConfigError> {
    let path = dir.join(file);
    match std::fs::read_to_string(&path) {
        Ok(t) => Ok(Some((path, t))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError { path, message: e.to_string() }),
    }
}

/// A message about `field`, with the line it is set on in `text` when it is there.
fn at_field(text: &str, field: &str, why: &str) -> String {
    let line = text.lines().position(|l| l.split('=').next().is_some_and(|k| k.trim() == field));
    match line {
        Some(n) => format!("line {}, field `{field}`: {why}", n + 1),
        None => format!("field `{field}` (its default): {why}"),
    }
}

fn bad(path: &Path, message: String) -> ConfigError {
    ConfigError { path: path.to_path_buf(), message }
}

/// Replaces `path` with `text` through a file of mode 0600 beside it, so the file is
/// never readable by others, not even for a moment, and never half written: the new
/// file is synced, renamed over the old one, and the rename synced with the folder.
fn write_owner_only(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = path.with_file_name(name);
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
    // `mode` applies only to a file it creates: a stale one keeps its own.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::File::open(dir)?.sync_all(),
        _ => Ok(()),
    }
}

/// Checks a console name: 1–8 letters, digits or `_`.
pub fn valid_console_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 8 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Settings {
    /// Loads the config folder; absent files take the defaults.
    pub fn load(dir: &Path) -> Result<Settings, ConfigError> {
        let mut s = Settings::default();
        let console = read(dir, "console.toml")?;
        s.named = console.as_ref().is_some_and(|(_, t)| naming::names_itself(t));
        if !s.named
            && let Some(name) = naming::enrolled_name(dir)
        {
            // Not named in console.toml: the name it was enrolled under.
            s.console.name = name;
            s.named = true;
        }
        if let Some((p, t)) = console {
            let enrolled = s.console.name.clone();
            s.console = parse(&p, &t)?;
            if !naming::names_itself(&t) {
                s.console.name = enrolled;
            }
            if !valid_console_name(&s.console.name) {
                return Err(bad(
                    &p,
                    format!("field `name`: `{}` is not a console name; use 1–8 letters, digits or _", s.console.name),
                ));
            }
            if s.console.min_pin_length < pin::MIN_PIN_FLOOR {
                return Err(bad(
                    &p,
                    format!(
                        "field `min_pin_length`: {} is too short for a PIN; use at least {}",
                        s.console.min_pin_length,
                        pin::MIN_PIN_FLOOR
                    ),
                ));
            }
            if let Err(why) = crate::timefmt::parse_zone(&s.console.timezone) {
                return Err(bad(&p, at_field(&t, "timezone", &why)));
            }
            if s.console.max_clock_skew_seconds < MIN_CLOCK_SKEW_SECONDS {
                return Err(bad(
                    &p,
                    format!(
                        "field `max_clock_skew_seconds`: {} is too small to tell from network delay; use at least \
                         {MIN_CLOCK_SKEW_SECONDS}",
                        s.console.max_clock_skew_seconds
                    ),
                ));
            }
        }
        if let Some((p, t)) = read(dir, "departments.toml")? {
            let f: DepartmentsFile = parse(&p, &t)?;
            let mut seen = std::collections::HashSet::new();
            for d in &f.department {
                if d.code.trim().is_empty() || d.name.trim().is_empty() {
                    return Err(bad(
                        &p,
                        format!("department `{}`/`{}`: both `code` and `name` are needed", d.code, d.name),
                    ));
                }
                if !seen.insert(d.code.to_ascii_lowercase()) {
                    return Err(bad(&p, format!("field `code`: `{}` is used twice; codes must be unique", d.code)));
                }
            }
            s.directory = Directory { departments: f.department };
        }
        if let Some((p, t)) = read(dir, "policy.toml")? {
            s.policy = parse(&p, &t)?;
            s.policy.check().map_err(|(field, why)| bad(&p, at_field(&t, field, &why)))?;
        }
        if let Some((p, t)) = read(dir, "rules.toml")? {
            let known = |code: &str| s.directory.find(code).is_some();
            s.rules =
                crate::triage::rules::parse(&t, &known).map_err(|message| ConfigError { path: p.clone(), message })?;
        }
        if let Some((p, t)) = read(dir, "operators.toml")? {
            let f: OperatorsFile = parse(&p, &t)?;
            let mut seen = std::collections::HashSet::new();
            for o in &f.operator {
                if !seen.insert(o.id.clone()) {
                    return Err(bad(&p, format!("field `id`: operator `{}` is listed twice", o.id)));
                }
            }
            s.operators = f.operator;
        }
        Ok(s)
    }

    /// Writes the editable files into `dir`, `console.toml` naming the console `name`;
    /// existing files are kept unless `force`. Returns the files written.
    pub fn write_defaults(dir: &Path, force: bool, name: &str) -> Result<Vec<PathBuf>, ConfigError> {
        let mut s = Settings::default();
        s.console.name = name.to_string();
        std::fs::create_dir_all(dir).map_err(|e| bad(dir, e.to_string()))?;
        let text = |name: &str, r: Result<String, toml::ser::Error>| r.map_err(|e| bad(&dir.join(name), e.to_string()));
        let files: [(&str, &str, String); 4] = [
            ("console.toml", CONSOLE_HEAD, text("console.toml", toml::to_string(&s.console))?),
            (
                "departments.toml",
                DEPARTMENTS_HEAD,
                text("departments.toml", toml::to_string(&DepartmentsFile { department: s.directory.departments }))?,
            ),
            ("policy.toml", POLICY_HEAD, text("policy.toml", toml::to_string(&s.policy))?),
            (
                "operators.toml",
                OPERATORS_HEAD,
                text("operators.toml", toml::to_string(&OperatorsFile { operator: s.operators }))?,
            ),
        ];
        let mut written = Vec::new();
        let rules = ("rules.toml", "", text("rules.toml", crate::triage::rules::defaults_toml())?);
        for (name, head, body) in files.into_iter().chain([rules]) {
            let path = dir.join(name);
            if path.exists() && !force {
                continue;
            }
            let text = if head.is_empty() { body } else { format!("{head}\n{body}") };
            let wrote = if name == "operators.toml" {
                // It will hold PIN and token hashes: its owner's only, from the start.
                write_owner_only(&path, &text)
            } else {
                std::fs::write(&path, text)
            };
            wrote.map_err(|e| bad(&path, e.to_string()))?;
            written.push(path);
        }
        Ok(written)
    }

    /// The operator with this id; the error lists the known ids.
    pub fn operator(&self, id: &str) -> Result<&Operator, String> {
        self.operators.iter().find(|o| o.id == id).ok_or_else(|| unknown_operator(id, &self.operators).en)
    }
}

/// The operator `id` of `roster`; refused in both languages, listing the known ids.
pub fn roster_operator(roster: &[Operator], id: &str) -> Result<Operator, crate::domain::said::Said> {
    roster.iter().find(|o| o.id == id).cloned().ok_or_else(|| unknown_operator(id, roster))
}

/// No operator `id` in `roster`, in both languages, with the ids there are.
pub fn unknown_operator(id: &str, roster: &[Operator]) -> crate::domain::said::Said {
    let ids: Vec<&str> = roster.iter().map(|o| o.id.as_str()).collect();
    crate::domain::said::Said::new(
        format!("unknown operator `{id}`; known: {}", ids.join(", ")),
        format!("没有值守人员 `{id}`；现有：{}", ids.join("、")),
    )
}

/// The operator `id` is disabled, in both languages.
pub fn disabled(id: &str) -> crate::domain::said::Said {
    crate::domain::said::Said::new(format!("operator `{id}` is disabled"), format!("值守人员 `{id}` 已停用"))
}

/// An operator's name as the roster gives it; the id for one it does not hold, or who
/// has no name.
pub fn name_of<'a>(roster: &'a [Operator], id: &'a str) -> &'a str {
    match roster.iter().find(|o| o.id == id) {
        Some(o) if !o.name.trim().is_empty() => &o.name,
        _ => id,
    }
}

/// An operator as people read it: the name the roster gives, with the id in brackets
/// (`王芳（wang）`); the id alone for one the roster does not hold, or who has no name.
pub fn person(roster: &[Operator], id: &str) -> String {
    match roster.iter().find(|o| o.id == id) {
        Some(o) if !o.name.trim().is_empty() && o.name != id => format!("{}（{id}）", o.name),
        _ => id.to_string(),
    }
}

const CONSOLE_HEAD: &str = "# This console's settings.\n# name: 1-8 letters, digits or _, unique in the deployment (as enrolled); prefixes case numbers (A-0042).\n# operator: who the command line acts as by default.  lang: zh, en, or empty for $LANG.\n# listen: address for other consoles (\"0.0.0.0:7420\"), empty for none; peers: [\"host:7420\", ...].\n# Sync needs this console's credentials.toml from the cluster authority (yuqing cluster init / enroll NAME).\n# max_clock_skew_seconds: a peer whose clock differs by more is refused (at least 10).\n# lock_minutes: lock after this many idle minutes when operators have PINs (0 = never).\n# min_pin_length: the shortest PIN `yuqing operator add` and `operator pin` accept (at least 4).\n# log_retention_days: daily log files kept in <data>/logs/ (at least 1; 180 = six months, as the\n# Cybersecurity Law asks for network logs). A systemd service logs to the journal instead.\n# timezone: the county's time zone for every time shown and typed (Asia/Shanghai, or an offset such as +08:00).";
const DEPARTMENTS_HEAD: &str = "# Responsible units (第一责任主体 and 协办). Commands accept the code or the name.";
const POLICY_HEAD: &str = "# Response deadlines (docs/metrics.md). first_response: ordinary opinion (国办发〔2016〕61号: 48 h, 1-720).\n# Major and extraordinary events: report to the county government (minutes, 1-1440), authoritative\n# information (5 h), press conference (24 h; not before authoritative information), then an\n# update every N hours (0 = off).  clock_base: received (default), published or opened: from\n# when deadlines count.  max_extension_hours: how far past its original due an extension\n# may go.  report_before_publish: major cases are reported to the county before anything\n# is published.  queue_alert_hours: flag items waiting longer (0 = off).\n# queue_expire_days: items untriaged this many days leave the queue as expired (0-3650, 0 = never;\n# a running hub does it; `yuqing requeue ID` puts one back).\n# [responses.<category>]: requires = a response of ONE of these kinds must be published before\n# a case of that category closes (empty: none); outcomes = how it may close (docs/metrics.md).";
const OPERATORS_HEAD: &str = "# People who act at this console. role: operator, supervisor, trainer or viewer.\n# Add people with `yuqing operator add` (it asks for a PIN and stores only its argon2 hash);\n# `yuqing operator pin ID` sets or resets a PIN, `operator disable ID` / `operator enable ID`\n# stop and restore one; `yuqing operator token ID` gives one a token for acting through --to\n# (only its SHA-256 is kept). This file is written readable by its owner only.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_defaults_load_back_equal() {
        let dir = tempfile::tempdir().unwrap();
        let written = Settings::write_defaults(dir.path(), false, "ZX7").unwrap();
        assert_eq!(written.len(), 5);
        let s = Settings::load(dir.path()).unwrap();
        let mut d = Settings::default();
        d.console.name = "ZX7".into();
        assert_eq!(s.directory, d.directory);
        assert_eq!(s.policy, d.policy);
        assert_eq!(s.operators, d.operators);
        assert_eq!(s.console, d.console);
        assert_eq!(s.rules, d.rules);
    }

    #[test]
    fn a_bad_field_names_file_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("policy.toml"), "first_response_hours = 48\nfirst_respons_hours = 3\n").unwrap();
        let e = Settings::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("policy.toml"), "{e}");
        assert!(e.contains("line 2"), "{e}");
        assert!(e.contains("first_respons_hours"), "{e}");
    }

    #[test]
    fn a_policy_that_would_overflow_or_contradict_the_rules_is_refused_at_load() {
        let dir = tempfile::tempdir().unwrap();
        let load = |text: &str| {
            std::fs::write(dir.path().join("policy.toml"), text).unwrap();
            Settings::load(dir.path()).map(|_| ()).map_err(|e| e.to_string())
        };
        let e = load("report_county_minutes = 60\nfirst_response_hours = 4294967295\n").unwrap_err();
        assert!(e.contains("policy.toml") && e.contains("line 2, field `first_response_hours`"), "{e}");
        assert!(e.contains("use 1 to 720"), "{e}");
        let e = load("first_response_hours = 0\n").unwrap_err();
        assert!(e.contains("first_response_hours") && e.contains("out of range"), "{e}");
        let e = load("authoritative_info_hours = 30\npress_conference_hours = 24\n").unwrap_err();
        assert!(
            e.contains("line 1, field `authoritative_info_hours`") && e.contains("the rules for major events"),
            "{e}"
        );
        let e = load("clock_base = \"discovered\"\n").unwrap_err();
        assert!(e.contains("received") && e.contains("opened"), "the valid values: {e}");
        assert_eq!(load("clock_base = \"opened\"\nqueue_alert_hours = 0\n"), Ok(()));
        let e = load("queue_alert_hours = 2\nqueue_expire_days = 4000\n").unwrap_err();
        assert!(e.contains("policy.toml") && e.contains("line 2, field `queue_expire_days`"), "{e}");
        assert!(e.contains("use 0 to 3650"), "{e}");
        assert_eq!(load("queue_expire_days = 0\n"), Ok(()));
    }

    #[test]
    fn the_clock_bound_is_read_checked_and_left_off_in_drills() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap().console.clock_bound_ms("live"), Some(120_000));
        std::fs::write(dir.path().join("console.toml"), "max_clock_skew_seconds = 300\n").unwrap();
        let c = Settings::load(dir.path()).unwrap().console;
        assert_eq!((c.clock_bound_ms("live"), c.clock_bound_ms("drill:flood")), (Some(300_000), None));
        std::fs::write(dir.path().join("console.toml"), "max_clock_skew_seconds = 0\n").unwrap();
        let e = Settings::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("max_clock_skew_seconds") && e.contains("at least 10"), "{e}");
    }

    #[test]
    fn log_retention_is_read_and_zero_is_refused_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap().console.log_retention_days, 180);
        std::fs::write(dir.path().join("console.toml"), "log_retention_days = 30\n").unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap().console.log_retention_days, 30);
        std::fs::write(dir.path().join("console.toml"), "bell = false\nlog_retention_days = 0\n").unwrap();
        let e = Settings::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("console.toml") && e.contains("line 2") && e.contains("`log_retention_days`"), "{e}");
        std::fs::write(dir.path().join("console.toml"), "log_retention_days = -3\n").unwrap();
        let e = Settings::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("console.toml") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn a_bad_role_lists_the_valid_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("operators.toml"), "[[operator]]\nid = \"x\"\nname = \"X\"\nrole = \"boss\"\n")
            .unwrap();
        let e = Settings::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("operators.toml") && e.contains("line 4") && e.contains("supervisor"), "{e}");
    }
}
