//! The command line: argument parsing, picking a mode, and reporting errors to a
//! person. Every lifecycle step is a subcommand; `--json` gives machine output.

mod args;
mod backup;
mod case;
mod drill;
mod ingest;
mod list;
mod open;
mod operators;
mod remote;
mod serve;

pub use args::{Cli, Cmd};

use anyhow::Result;
use clap::Parser;
use std::process::ExitCode;

/// Parses the arguments, runs the command, prints any error; the binary's whole body.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// True when the reader of our output went away (`yuqing items | head`): not an error.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn run(mut cli: Cli) -> Result<ExitCode> {
    let env = open::Env::new(&cli)?;
    match cli.command.take().unwrap_or(Cmd::Console(Default::default())) {
        Cmd::Console(c) => crate::ui::run(env.console(&cli, &c)?),
        Cmd::Ingest(a) => ingest::run(env.target(&cli)?, &env.signed_in(cli.actor.as_deref())?, a),
        Cmd::Items(a) => list::items(&env.store()?, a),
        Cmd::Dismiss(a) => case::dismiss(env.target(&cli)?, &env.signed_in(cli.actor.as_deref())?, a),
        Cmd::Cases(a) => list::cases(&env.store()?, &env.settings, a),
        Cmd::Case(c) => case::run(env.target(&cli)?, &env.signed_in(cli.actor.as_deref())?, c),
        Cmd::Operator(c) => operators::run(&env, c),
        Cmd::Drill(c) => drill::run(&env, &cli, c),
        Cmd::Serve(net) => serve::run(&env, net),
        Cmd::Report(a) => list::report(&env.store()?, &env.settings, a),
        Cmd::Audit(a) => list::audit(&env.store()?, a),
        Cmd::Rules(args::RulesCmd::Stats { json }) => list::rule_stats(&env.store()?, &env.settings, json),
        Cmd::Keygen => {
            let path = env.key_path();
            crate::sync::ClusterKey::generate().write(&path).map_err(|e| anyhow::anyhow!(e))?;
            println!("wrote {} (owner-only); copy it to the config folder of every console and hub", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Departments(a) => list::departments(&env.store()?, &env.settings, a),
        Cmd::Export(a) => list::export(&env.store()?, a),
        Cmd::Verify => list::verify(&env.store()?),
        Cmd::Backup(a) => backup::backup(&env, a),
        Cmd::Restore(a) => backup::restore(&env, a),
        Cmd::Config(args::ConfigCmd::Init { force }) => {
            let written = crate::config::Settings::write_defaults(&env.config_dir, force)?;
            if written.is_empty() {
                println!("{}: every file already exists (use --force to overwrite)", env.config_dir.display());
            }
            for p in written {
                println!("wrote {}", p.display());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
