//! `yuqing completions SHELL` and `yuqing man`: shell completion scripts (clap_complete)
//! and manual pages (clap_mangen), made from the command-line grammar alone, so they
//! need no configuration, data folder or home folder (a package build runs them).

use super::args::Cli;
use anyhow::{Context, Result};
use clap::{Args, CommandFactory};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `yuqing.1` and a page per subcommand (`yuqing-ingest.1`, …) into this folder
    /// instead of printing `yuqing.1`
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Prints the completion script for `a.shell` on standard output.
pub fn completions(a: CompletionsArgs) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "yuqing", &mut std::io::stdout().lock());
    Ok(ExitCode::SUCCESS)
}

/// Prints `yuqing.1`, or writes every page into `--dir`.
pub fn man(a: ManArgs) -> Result<ExitCode> {
    let cmd = Cli::command();
    match a.dir {
        None => clap_mangen::Man::new(cmd).render(&mut std::io::stdout().lock())?,
        Some(dir) => {
            let shown = dir.display();
            std::fs::create_dir_all(&dir).with_context(|| said!("无法创建 {shown}", "cannot create {shown}"))?;
            clap_mangen::generate_to(cmd, &dir)
                .with_context(|| said!("无法把手册页写入 {shown}", "cannot write pages into {shown}"))?;
            outln!("{}", said!("已把手册页写入 {shown}", "wrote the manual pages into {shown}"));
        }
    }
    Ok(ExitCode::SUCCESS)
}
