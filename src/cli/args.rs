//! The command-line grammar (clap derive).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// 舆情 duty-room console: live queue, cases with response deadlines, department accountability.
#[derive(Debug, Parser)]
#[command(name = "yuqing", version, about, propagate_version = true)]
pub struct Cli {
    /// Data folder [default: the user's data folder, yuqing/live]
    #[arg(long, global = true, env = "YUQING_DATA")]
    pub data: Option<PathBuf>,
    /// Configuration folder [default: the user's config folder, yuqing]
    #[arg(long, global = true, env = "YUQING_CONFIG")]
    pub config: Option<PathBuf>,
    /// Act as this operator id [default: `operator` in console.toml]
    #[arg(long = "as", global = true, value_name = "ID")]
    pub actor: Option<String>,
    /// Act through the running console or hub at this address (ingest, dismiss, case)
    #[arg(long, global = true, value_name = "ADDR")]
    pub to: Option<String>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Open the full-screen console (the default)
    Console(ConsoleArgs),
    /// Add items from JSONL or CSV files (schema in docs/items.md)
    Ingest(IngestArgs),
    /// List items
    Items(ItemsArgs),
    /// Dismiss items from the queue, with a reason
    Dismiss(DismissArgs),
    /// Put items back in the queue: expired ones (policy `queue_expire_days`), or ones
    /// dismissed within the last 24 hours, with a reason
    Requeue(DismissArgs),
    /// Record a day's monitoring of a channel (0 found: a nil return, 零报告)
    Monitor(MonitorArgs),
    /// List open cases by nearest deadline
    Cases(CasesArgs),
    /// Act on one case
    #[command(subcommand)]
    Case(CaseCmd),
    /// Department accountability figures over a period
    Departments(DepartmentsArgs),
    /// Print events as JSONL in the total order
    Export(PeriodArgs),
    /// Refold the log and compare it with the stored projections
    Verify,
    /// Write a consistent backup of the data folder into a new folder (also while a
    /// console or hub runs on it)
    Backup(BackupArgs),
    /// Rebuild a new, empty data folder from a backup folder or an `export` file
    Restore(RestoreArgs),
    /// Configuration files
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Run a headless console (a hub) that stores and relays events
    Serve(NetArgs),
    /// Periodic report (定期通报) of a period, as Markdown, CSV or HTML
    Report(ReportArgs),
    /// Who did what and when, from the event log
    Audit(AuditArgs),
    /// The people who act at this console
    #[command(subcommand)]
    Operator(OperatorCmd),
    /// Drill scenarios (docs/drills/format.md)
    #[command(subcommand)]
    Drill(DrillCmd),
    /// Triage rules (rules.toml)
    #[command(subcommand)]
    Rules(RulesCmd),
    /// The cluster authority: start a deployment, enroll consoles and tools, revoke them
    #[command(subcommand)]
    Cluster(ClusterCmd),
    /// Print a shell completion script (bash, zsh, fish, …)
    Completions(super::generate::CompletionsArgs),
    /// Print the manual page (roff), or write every page into a folder
    Man(super::generate::ManArgs),
}

#[derive(Debug, Args, Default)]
pub struct ConsoleArgs {
    /// Interface language: zh or en [default: from console.toml, then LANG]
    #[arg(long)]
    pub lang: Option<String>,
    /// Keymap: a name (default, vim) or a TOML file
    #[arg(long)]
    pub keymap: Option<String>,
    #[command(flatten)]
    pub net: NetArgs,
}

/// Where a console or hub meets the others.
#[derive(Debug, Args, Default)]
pub struct NetArgs {
    /// Accept consoles and submitters on this address, e.g. 0.0.0.0:7420
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Connect to this console or hub (repeatable); a live console adds the peers in console.toml, a drill does not
    #[arg(long = "peer", value_name = "ADDR")]
    pub peers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// JSONL or CSV files (docs/items.md)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Ingest the good lines and report the bad ones (default: write nothing if any line is bad)
    #[arg(long)]
    pub skip_invalid: bool,
    /// Machine output: one JSON line per durable batch, then a summary
    #[arg(long)]
    pub json: bool,
    /// Items per durable batch
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub batch: u64,
}

#[derive(Debug, Args)]
pub struct ItemsArgs {
    /// Machine output (JSON lines)
    #[arg(long)]
    pub json: bool,
    /// new, dismissed, attached or expired
    #[arg(long, value_parser = ["new", "dismissed", "attached", "expired"])]
    pub status: Option<String>,
}

#[derive(Debug, Args)]
pub struct DismissArgs {
    /// Item numbers, e.g. A.17 (one or more)
    #[arg(required = true)]
    pub items: Vec<String>,
    /// Why (required; kept in the audit)
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// The channel watched
    #[arg(long)]
    pub channel: String,
    /// Items of concern found; 0 records a nil return (零报告)
    #[arg(long)]
    pub found: u32,
    /// The day (YYYY-MM-DD, the county's date) [default: today]
    #[arg(long)]
    pub day: Option<String>,
    /// A note
    #[arg(long, default_value = "", hide_default_value = true)]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct CasesArgs {
    /// Machine output (JSON lines)
    #[arg(long)]
    pub json: bool,
    /// Closed cases too
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// A new folder to write `events.jsonl` and `backup.json` into
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A folder written by `yuqing backup`, or a file written by `yuqing export`
    pub source: PathBuf,
}

#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// Start (RFC 3339 or local YYYY-MM-DD HH:MM)
    #[arg(long)]
    pub from: Option<String>,
    /// End, exclusive (for these commands --to is always the period's end, never an address)
    #[arg(long)]
    pub to: Option<String>,
    /// A calendar period in the county's time: a week (2026-W47), a month (2026-11), a
    /// quarter (2026-Q4) or a year (2026)
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
}

#[derive(Debug, Args)]
pub struct DepartmentsArgs {
    /// Machine output (JSON)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub period: PeriodArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// md, csv or html
    #[arg(long, default_value = "md", value_parser = ["md", "csv", "html"])]
    pub format: String,
    /// Write to this file instead of standard output
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Language of titles and headings: zh or en [default: zh]
    #[arg(long, default_value = "zh")]
    pub lang: String,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only events of this case
    #[arg(long)]
    pub case: Option<String>,
    /// Only events by this operator
    #[arg(long)]
    pub operator: Option<String>,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Machine output (JSON lines)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum OperatorCmd {
    /// Add an operator who is not there yet (a supervisor's action: --as); asks for the
    /// new PIN twice (or reads YUQING_NEW_PIN)
    Add {
        id: String,
        #[arg(long)]
        name: String,
        /// operator, supervisor, trainer or viewer
        #[arg(long)]
        role: String,
    },
    /// List the operators in force (the deployment's roster over operators.toml)
    List,
    /// Set or reset an operator's PIN (a supervisor's action); asks for it twice (or
    /// reads YUQING_NEW_PIN)
    Pin { id: String },
    /// Disable an operator on every console: they can no longer sign in or act
    Disable { id: String },
    /// Enable a disabled operator again
    Enable { id: String },
    /// Change an operator's role
    Role {
        id: String,
        /// operator, supervisor, trainer or viewer
        role: String,
    },
    /// Give an operator a new token for acting through --to from elsewhere; printed
    /// once, only its hash is kept; replaces any earlier token
    Token { id: String },
}

#[derive(Debug, Subcommand)]
pub enum DrillCmd {
    /// Check scenario files; every error with its line and field
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run a scenario in its own drill data folder (never the live one), on a virtual clock
    Run {
        /// The scenario (JSONL, docs/drills/format.md)
        file: PathBuf,
        /// Virtual seconds per real second (a whole number, 1 or more)
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        speed: u32,
        /// No screen: deliver every entry and print notices, then stop (with --listen, go
        /// on serving trainees until Ctrl-C)
        #[arg(long)]
        headless: bool,
        /// The drill's data folder [default: drills/<scenario>-<time> beside the live folder]
        #[arg(long = "drill-data", value_name = "DIR")]
        drill_data: Option<PathBuf>,
        /// Trainer: `--listen ADDR` for trainees. Trainee: `--peer ADDR` with `--join`.
        #[command(flatten)]
        net: NetArgs,
        /// Join a trainer's drill as a trainee: no entries are delivered here; items and
        /// the clock come from the trainer over --peer
        #[arg(long)]
        join: bool,
    },
    /// Turn a period of the live log into a scenario: items at their offsets, and what the
    /// officers did as the expectations
    Record {
        /// The scenario file to write
        out: PathBuf,
        /// Start (RFC 3339 or local YYYY-MM-DD HH:MM)
        #[arg(long)]
        from: String,
        /// End, exclusive
        #[arg(long)]
        to: String,
        /// Mask phone numbers, ID-card numbers and the names listed (one a line) in this file
        #[arg(long)]
        anonymize: Option<PathBuf>,
        /// Overwrite the output file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Score a drill against its scenario's expectations (also written to score.md)
    Score {
        /// The drill's data folder, as `drill run` printed it
        #[arg(long = "drill-data", value_name = "DIR")]
        drill_data: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCmd {
    /// How often each rule matched, was offered when a case was opened, and was kept
    Stats {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClusterCmd {
    /// Make the cluster authority on this machine (config folder, authority/) and enroll
    /// this console under its `name`
    Init,
    /// Enroll a console (or, with --submitter, a monitoring tool) under NAME: writes one
    /// owner-only credentials file to carry to it
    Enroll {
        /// Short name, unique in the deployment: 1-16 letters, digits, `-`, `_`
        name: String,
        /// A monitoring tool that may only submit items
        #[arg(long)]
        submitter: bool,
        /// Where to write the credentials [default: NAME.credentials.toml here]
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Enroll a name enrolled before (a new laptop): the old certificate is revoked
        #[arg(long)]
        replace: bool,
    },
    /// Revoke NAME's certificate (a lost laptop): every console refuses it from then on
    Revoke { name: String },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Write editable console.toml, departments.toml, policy.toml, operators.toml and
    /// rules.toml
    Init {
        /// Overwrite files that exist
        #[arg(long)]
        force: bool,
        /// This console's name (1–8 letters, digits or _; unique in the deployment).
        /// Default: the enrolled name, else one made from the host name and a random part
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// Open a case from items
    Open {
        /// Item numbers, e.g. A.17 (one or more)
        #[arg(required = true)]
        items: Vec<String>,
        /// Severity
        #[arg(long)]
        severity: String,
        /// Category
        #[arg(long)]
        category: String,
        /// Lead department (code or name)
        #[arg(long)]
        lead: String,
        /// Co-handling department (repeatable)
        #[arg(long)]
        co: Vec<String>,
        /// Title [default: the first item's]
        #[arg(long, default_value = "", hide_default_value = true)]
        title: String,
    },
    /// Attach items to an open case
    Attach {
        /// The case number, e.g. A-0001
        case: String,
        /// Item numbers, e.g. A.17 (one or more)
        #[arg(required = true)]
        items: Vec<String>,
    },
    /// Change severity and category (recomputes deadlines)
    Classify {
        /// The case number, e.g. A-0001
        case: String,
        /// Severity
        #[arg(long)]
        severity: String,
        /// Category
        #[arg(long)]
        category: String,
        /// On an upgrade to major: the item whose facts made it major; the major
        /// deadlines count from its arrival [default: now]
        #[arg(long)]
        since_item: Option<String>,
    },
    /// Set lead and co-handling departments
    Assign {
        /// The case number, e.g. A-0001
        case: String,
        /// Lead department (code or name)
        #[arg(long)]
        lead: String,
        /// Co-handling department (repeatable)
        #[arg(long)]
        co: Vec<String>,
    },
    /// Transfer (转办) to another lead department
    Transfer {
        /// The case number, e.g. A-0001
        case: String,
        /// The new lead department (code or name)
        #[arg(long)]
        lead: String,
        /// Why (required; kept in the audit)
        #[arg(long)]
        reason: String,
    },
    /// A department acknowledges (签收) the case
    Ack {
        /// The case number, e.g. A-0001
        case: String,
        /// The department (code or name)
        #[arg(long)]
        dept: String,
    },
    /// Escalate (督办) — supervisors only
    Escalate {
        /// The case number, e.g. A-0001
        case: String,
        /// Why (required; kept in the audit)
        #[arg(long)]
        reason: String,
    },
    /// Record the report to the county government
    ReportCounty {
        /// The case number, e.g. A-0001
        case: String,
        /// A note
        #[arg(long, default_value = "", hide_default_value = true)]
        note: String,
    },
    /// Refer (移交) clues to police or cyber_police
    Refer {
        /// The case number, e.g. A-0001
        case: String,
        /// Whom the clues go to
        #[arg(long)]
        agency: String,
        /// The referral's document number
        #[arg(long = "ref")]
        reference: String,
    },
    /// Draft a response
    Draft {
        /// The case number, e.g. A-0001
        case: String,
        /// Response kind
        #[arg(long)]
        kind: String,
        /// The text
        #[arg(long)]
        text: String,
    },
    /// Sign off a draft for a co-department (会签; the latest unapproved draft by default)
    SignOff {
        /// The case number, e.g. A-0001
        case: String,
        /// The co-department signing off (code or name)
        #[arg(long)]
        dept: String,
        /// The draft's number as the case shows it (#1 is the first)
        #[arg(long, value_parser = draft_number)]
        draft: Option<u64>,
    },
    /// Agree one wording (口径) for the cases of one incident, which each publication
    /// quotes — supervisors only
    Wording {
        /// The cases that share it
        #[arg(required = true)]
        cases: Vec<String>,
        /// The text
        #[arg(long)]
        text: String,
    },
    /// Approve a draft (the latest unapproved one by default; co-departments sign off
    /// first) — supervisors only
    Approve {
        /// The case number, e.g. A-0001
        case: String,
        /// The draft's number as the case shows it (#1 is the first)
        #[arg(long, value_parser = draft_number)]
        draft: Option<u64>,
    },
    /// Publish a response (needs an approved draft of that kind, unless a supervisor publishes)
    Publish {
        /// The case number, e.g. A-0001
        case: String,
        /// Response kind
        #[arg(long)]
        kind: String,
        /// Where it is published
        #[arg(long)]
        channel: String,
        /// Text [default: the approved draft's]
        #[arg(long, default_value = "", hide_default_value = true)]
        text: String,
        /// The address it was published at
        #[arg(long)]
        url: Option<String>,
    },
    /// Record a press conference held
    PressConference {
        /// The case number, e.g. A-0001
        case: String,
        /// A note
        #[arg(long, default_value = "", hide_default_value = true)]
        note: String,
    },
    /// Ask a supervisor to extend (延期) a milestone, before it falls due
    RequestExtension {
        /// The case number, e.g. A-0001
        case: String,
        /// The milestone
        #[arg(long)]
        milestone: String,
        /// New due time (RFC 3339 or local YYYY-MM-DD HH:MM)
        #[arg(long)]
        until: String,
        /// Why (required; kept in the audit)
        #[arg(long)]
        reason: String,
    },
    /// Extend (延期) a milestone before it falls due, at most max_extension_hours past
    /// its original due time — supervisors only
    Extend {
        /// The case number, e.g. A-0001
        case: String,
        /// The milestone
        #[arg(long)]
        milestone: String,
        /// New due time (RFC 3339 or local YYYY-MM-DD HH:MM)
        #[arg(long)]
        until: String,
        /// Why (required; kept in the audit)
        #[arg(long)]
        reason: String,
    },
    /// Add a note
    Note {
        /// The case number, e.g. A-0001
        case: String,
        /// The note's text
        #[arg(required_unless_present = "text_option", conflicts_with = "text_option")]
        text: Option<String>,
        /// The note's text, given as an option (as `case draft --text` takes it)
        #[arg(long = "text", id = "text_option", value_name = "TEXT")]
        text_option: Option<String>,
    },
    /// Mark accountability (问责) — supervisors only
    Mark {
        /// The case number, e.g. A-0001
        case: String,
        /// The department (code or name)
        #[arg(long)]
        dept: String,
        /// Why (required; kept in the audit)
        #[arg(long)]
        reason: String,
    },
    /// Close with an outcome
    Close {
        /// The case number, e.g. A-0001
        case: String,
        /// How it ended (the outcomes a category allows are in docs/metrics.md and policy.toml)
        #[arg(long)]
        outcome: String,
        /// A note
        #[arg(long, default_value = "", hide_default_value = true)]
        note: String,
    },
    /// Reopen a closed case
    Reopen {
        /// The case number, e.g. A-0001
        case: String,
        /// Why (required; kept in the audit)
        #[arg(long)]
        reason: String,
    },
    /// Show a case: milestones, items, timeline
    Show {
        /// The case number, e.g. A-0001
        case: String,
        /// Machine output (JSON)
        #[arg(long)]
        json: bool,
    },
}

/// A draft's number as given on the command line: from 1, as the case shows it.
fn draft_number(s: &str) -> Result<u64, String> {
    match s.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "`{s}` is not a draft number: drafts are numbered from 1 (#1 is the first) / 草稿编号从 1 起（#1 为第一份）"
        )),
    }
}
