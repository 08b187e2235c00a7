//! The command line: argument parsing, picking a mode, and reporting errors to a
//! person. Every lifecycle step is a subcommand; `--json` gives machine output.

#[macro_use]
mod out;
mod args;
mod backup;
mod case;
mod cluster;
mod drill;
mod forward;
mod generate;
mod help_zh;
mod ingest;
mod list;
mod open;
mod operators;
mod progress;
mod remote;
mod serve;
mod usage_zh;
mod words;

pub use args::{Cli, Cmd};
pub(crate) use backup::said_backup_error;
pub use forward::{Forwarded, served};
pub(crate) use words::refusal;

use anyhow::Result;
use args::CaseCmd;
use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// Parses the arguments, runs the command, prints any error; the binary's whole body.
pub fn main() -> ExitCode {
    let lang = crate::i18n::Lang::of_terminal();
    let cli = grammar(lang).try_get_matches().and_then(|m| Cli::from_arg_matches(&m)).unwrap_or_else(|e| match lang {
        crate::i18n::Lang::Zh => e.apply::<usage_zh::Chinese>().exit(),
        crate::i18n::Lang::En => e.exit(),
    });
    if let (Some(_), Some(name)) = (&cli.to, local_only(cli.command.as_ref())) {
        // A usage error like clap's own: exit code 2.
        let kind = clap::error::ErrorKind::ArgumentConflict;
        match lang {
            crate::i18n::Lang::Zh => {
                usage_zh::custom(kind, format!("{name} 不能经 --to 办理，请在存放数据的那台机器上运行"))
            }
            crate::i18n::Lang::En => Cli::command()
                .error(kind, format!("`{name}` does not work with --to; run it on the machine that holds the data"))
                .exit(),
        }
    }
    if one_shot(cli.command.as_ref()) {
        default_sigpipe();
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            errln!("{}", failed(&e));
            ExitCode::FAILURE
        }
    }
}

/// The command line's grammar, with its help in `lang`.
fn grammar(lang: crate::i18n::Lang) -> clap::Command {
    match lang {
        crate::i18n::Lang::Zh => help_zh::chinese(Cli::command()),
        crate::i18n::Lang::En => help_zh::english(Cli::command()),
    }
}

/// The line an error that ended a command prints, labelled in the terminal's language
/// (`错误：` or `error: `), a store's error in Chinese where it has Chinese words. The
/// same wherever the command ran: here, or for another process through the control
/// socket.
fn failed(e: &anyhow::Error) -> String {
    let lang = crate::i18n::Lang::of_terminal();
    let zh = e.downcast_ref::<crate::store::StoreError>().and_then(words::store_error_zh);
    match zh {
        Some(said) if lang == crate::i18n::Lang::Zh => format!("错误：{said}"),
        _ => format!("{}{e:#}", lang.t("错误：", "error: ")),
    }
}

/// The command's name when it cannot act through `--to ADDR` (it reads or writes this
/// machine's folders); `None` for those that can (ingest, dismiss, case steps), and for
/// those whose own `--to` is a period's end (export, departments, report, audit,
/// drill record): clap hands a subcommand's `--to` to the global one too, so the two
/// cannot be told apart there, and the period's meaning wins.
fn local_only(cmd: Option<&Cmd>) -> Option<String> {
    use args::{ConfigCmd, DrillCmd, OperatorCmd, RulesCmd};
    let name = match cmd? {
        Cmd::Ingest(_) | Cmd::Dismiss(_) | Cmd::Requeue(_) | Cmd::Monitor(_) => return None,
        Cmd::Export(_) | Cmd::Departments(_) | Cmd::Report(_) | Cmd::Audit(_) => return None,
        Cmd::Drill(DrillCmd::Record { .. }) => return None,
        Cmd::Case(CaseCmd::Show { .. }) => "case show",
        Cmd::Case(_) => return None,
        Cmd::Console(_) => "console",
        Cmd::Items(_) => "items",
        Cmd::Cases(_) => "cases",
        Cmd::Verify => "verify",
        Cmd::Backup(_) => "backup",
        Cmd::Restore(_) => "restore",
        Cmd::Config(ConfigCmd::Init { .. }) => "config init",
        Cmd::Serve(_) => "serve",
        Cmd::Operator(OperatorCmd::Add { .. }) => "operator add",
        Cmd::Operator(OperatorCmd::List) => "operator list",
        Cmd::Operator(OperatorCmd::Pin { .. }) => "operator pin",
        Cmd::Operator(OperatorCmd::Disable { .. }) => "operator disable",
        Cmd::Operator(OperatorCmd::Enable { .. }) => "operator enable",
        Cmd::Operator(OperatorCmd::Token { .. }) => "operator token",
        Cmd::Operator(OperatorCmd::Role { .. }) => "operator role",
        Cmd::Drill(DrillCmd::Check { .. }) => "drill check",
        Cmd::Drill(DrillCmd::Run { .. }) => "drill run",
        Cmd::Drill(DrillCmd::Score { .. }) => "drill score",
        Cmd::Rules(RulesCmd::Stats { .. }) => "rules stats",
        Cmd::Cluster(_) => "cluster",
        Cmd::Completions(_) => "completions",
        Cmd::Man(_) => "man",
    };
    Some(format!("yuqing {name}"))
}

/// Commands that print and end, as opposed to the console, `serve` and `drill run`.
fn one_shot(cmd: Option<&Cmd>) -> bool {
    !matches!(cmd, None | Some(Cmd::Console(_) | Cmd::Serve(_) | Cmd::Drill(args::DrillCmd::Run { .. })))
}

/// Lets a closed pipe end a one-shot command quietly (`yuqing items | head`), as it
/// ends `cat` or `grep`. Rust ignores SIGPIPE, so `println!` would panic on EPIPE.
/// Chosen over making every print return an error: it covers every print, including
/// ones added later, and cannot leave a half-handled path. Sockets are unaffected:
/// the standard library sends with MSG_NOSIGNAL, so `--to` still reports a lost
/// connection as an error. A command ended this way stops between durable batches,
/// as on Ctrl-C.
fn default_sigpipe() {
    // SAFETY: called on the main thread before any other thread starts; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run(mut cli: Cli) -> Result<ExitCode> {
    // Made from the grammar alone, before any configuration is read.
    let cmd = match cli.command.take() {
        Some(Cmd::Completions(a)) => return generate::completions(a),
        Some(Cmd::Man(a)) => return generate::man(a),
        cmd => cmd.unwrap_or(Cmd::Console(Default::default())),
    };
    let mut env = open::Env::new(&cli)?;
    if matches!(cmd, Cmd::Console(_)) {
        env.name_fresh_install()?;
    }
    // A folder held by a running console, hub or drill: the command runs there.
    if let Some(folder) = forward::folder(&cli, &cmd, &env)
        && let Some(done) = forward::run(&folder, writes(&cmd))
    {
        return done;
    }
    run_command(&env, &cli, cmd)
}

/// True for the commands that write events (and so act as an operator).
fn writes(cmd: &Cmd) -> bool {
    matches!(cmd, Cmd::Ingest(_) | Cmd::Dismiss(_) | Cmd::Requeue(_) | Cmd::Monitor(_))
        || matches!(cmd, Cmd::Case(c) if !matches!(c, CaseCmd::Show { .. }))
}

/// Runs `cmd` in this process, with store errors naming the folder and how to recover.
fn run_command(env: &open::Env, cli: &Cli, cmd: Cmd) -> Result<ExitCode> {
    // A drill's folder is not the data folder; it names its own when it cannot open it.
    let in_data_dir = !matches!(cmd, Cmd::Drill(_));
    // Sled's corruption and failed reads name the data folder and how to recover.
    dispatch(env, cli, cmd).map_err(|e| match e.downcast::<crate::store::StoreError>() {
        Ok(store) if in_data_dir => store.in_folder(&env.data_dir).into(),
        Ok(store) => store.into(),
        Err(other) => other,
    })
}

fn dispatch(env: &open::Env, cli: &Cli, cmd: Cmd) -> Result<ExitCode> {
    match cmd {
        Cmd::Console(c) => crate::console::run(env.console(cli, &c)?),
        Cmd::Ingest(a) => ingest::run(env.target(cli)?, a),
        Cmd::Items(a) => env.reading(|s| list::items(s, &env.settings, a)),
        Cmd::Dismiss(a) => case::dismiss(env.target(cli)?, a),
        Cmd::Requeue(a) => case::requeue(env.target(cli)?, a),
        Cmd::Monitor(a) => case::monitor(env.target(cli)?, a),
        Cmd::Cases(a) => env.reading(|s| list::cases(s, &env.settings, a, env.now())),
        Cmd::Case(CaseCmd::Show { case, json }) => {
            env.reading(|s| case::show(s, &env.settings, &case, json, env.now()))
        }
        Cmd::Case(c) => case::run(env.target(cli)?, c),
        Cmd::Operator(c) => operators::run(env, cli.actor.as_deref(), c),
        Cmd::Drill(c) => drill::run(env, cli, c),
        Cmd::Serve(net) => serve::run(env, cli.actor.as_deref(), net),
        Cmd::Report(a) => env.reading(|s| list::report(s, &env.settings, a, env.now())),
        Cmd::Audit(a) => env.reading(|s| list::audit(s, &env.settings, a)),
        Cmd::Rules(args::RulesCmd::Stats { json }) => env.reading(|s| list::rule_stats(s, &env.settings, json)),
        Cmd::Cluster(c) => cluster::run(env, cli.actor.as_deref(), c),
        Cmd::Departments(a) => env.reading(|s| list::departments(s, &env.settings, a, env.now())),
        Cmd::Export(a) => env.reading(|s| list::export(s, a)),
        Cmd::Verify => env.reading(|s| list::verify(s, env.credentials().ok().as_ref())),
        Cmd::Backup(a) => backup::backup(env, a),
        Cmd::Restore(a) => backup::restore(env, a),
        Cmd::Completions(_) | Cmd::Man(_) => unreachable!("answered in `run` before the configuration is read"),
        Cmd::Config(args::ConfigCmd::Init { force, name }) => {
            let name = match name {
                Some(n) if crate::config::valid_console_name(&n) => n,
                Some(n) => anyhow::bail!(
                    "{}",
                    said!(
                        "--name：`{n}` 不是值守台名称；请用 1–8 个字母、数字或 _",
                        "--name: `{n}` is not a console name; use 1–8 letters, digits or _"
                    )
                ),
                // Enrolled: the name on the credentials; otherwise one no other install has.
                None if env.settings.named => env.settings.console.name.clone(),
                None => crate::config::naming::derived(),
            };
            let written = crate::config::Settings::write_defaults(&env.config_dir, force, &name)?;
            if written.is_empty() {
                let dir = env.config_dir.display();
                outln!(
                    "{}",
                    said!(
                        "{dir}：所有配置文件都已存在（要覆盖请加 --force）",
                        "{dir}: every file already exists (use --force to overwrite)"
                    )
                );
            }
            for p in written {
                let p = p.display();
                outln!("{}", said!("已写入 {p}", "wrote {p}"));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn refused(args: &[&str]) -> Option<String> {
        local_only(Cli::try_parse_from(args).unwrap().command.as_ref())
    }

    #[test]
    fn only_remote_capable_commands_and_period_ends_take_to() {
        assert_eq!(refused(&["yuqing", "cases", "--to", "h:1"]).as_deref(), Some("yuqing cases"));
        assert_eq!(refused(&["yuqing", "--to", "h:1", "verify"]).as_deref(), Some("yuqing verify"));
        assert_eq!(refused(&["yuqing", "case", "show", "A-0001"]).as_deref(), Some("yuqing case show"));
        assert_eq!(refused(&["yuqing", "rules", "stats"]).as_deref(), Some("yuqing rules stats"));
        assert_eq!(refused(&["yuqing", "ingest", "a.jsonl"]), None);
        assert_eq!(refused(&["yuqing", "case", "note", "A-0001", "x"]), None);
        assert_eq!(refused(&["yuqing", "export", "--to", "2025-01-01"]), None, "the period's end");
    }

    #[test]
    fn the_long_running_commands_keep_rusts_sigpipe() {
        let cmd = |args: &[&str]| Cli::try_parse_from(args).unwrap().command;
        assert!(!one_shot(None));
        assert!(!one_shot(cmd(&["yuqing", "serve"]).as_ref()));
        assert!(!one_shot(cmd(&["yuqing", "drill", "run", "x.jsonl"]).as_ref()));
        assert!(one_shot(cmd(&["yuqing", "items"]).as_ref()));
        assert!(one_shot(cmd(&["yuqing", "drill", "score", "--drill-data", "d"]).as_ref()));
    }
}
