//! Commands beside a running console, hub or drill. Sled lets one process hold a data
//! folder, so a command aimed at a folder in use sends its whole command line to the
//! process holding it, over the folder's control socket ([`crate::control`]). That
//! process runs it with the same code, against the store it holds, and streams back
//! what it prints and its exit code: output, `--json` and exit codes are those of the
//! same command on a free folder. Writes act as the operator the command names (`--as`),
//! proved by their PIN or token, never as whoever is signed in at the console.

use super::args::{CaseCmd, Cli, Cmd, DrillCmd, RulesCmd};
use super::open::Env;
use crate::config::credential::Credential;
use crate::control::{Frame, Request};
use crate::desk::Desk;
use crate::i18n::Lang;
use anyhow::{Context, Result, anyhow, bail};
use clap::FromArgMatches;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A command line sent by another process, as the process holding the folder gets it.
pub struct Forwarded {
    pub args: Vec<String>,
    pub cwd: PathBuf,
    pub credential: Option<Credential>,
    /// The asking terminal's language.
    pub lang: Option<Lang>,
}

/// The folder `cmd` works on when it can run in the process holding that folder: the
/// data folder for reads and writes of the log, the drill's folder for `drill score`.
/// `None` for commands that act elsewhere (`--to ADDR`), or that have their own way
/// (backup, operators, cluster) or none (console, serve, restore, config, drill run).
pub fn folder(cli: &Cli, cmd: &Cmd, env: &Env) -> Option<PathBuf> {
    let remote = cli.to.is_some();
    match cmd {
        // Their `--to` is the end of a period, not an address.
        Cmd::Items(_) | Cmd::Cases(_) | Cmd::Case(CaseCmd::Show { .. }) => Some(env.data_dir.clone()),
        Cmd::Report(_) | Cmd::Audit(_) | Cmd::Departments(_) | Cmd::Export(_) => Some(env.data_dir.clone()),
        Cmd::Verify | Cmd::Rules(RulesCmd::Stats { .. }) | Cmd::Drill(DrillCmd::Record { .. }) => {
            Some(env.data_dir.clone())
        }
        Cmd::Ingest(_) | Cmd::Dismiss(_) | Cmd::Requeue(_) | Cmd::Monitor(_) | Cmd::Case(_) if !remote => {
            Some(env.data_dir.clone())
        }
        Cmd::Drill(DrillCmd::Score { drill_data }) => Some(drill_data.clone()),
        _ => None,
    }
}

/// Sends this process's command line to the process holding `folder`; `None` when
/// nobody answers there (the folder is free, or held by an older yuqing), and the
/// command runs here as usual.
pub fn run(folder: &Path, writes: bool) -> Option<Result<ExitCode>> {
    let first = crate::control::connect(folder)?;
    Some(send_all(first, folder, writes))
}

fn send_all(first: std::os::unix::net::UnixStream, folder: &Path, writes: bool) -> Result<ExitCode> {
    let args = std::env::args_os()
        .map(|a| {
            a.into_string().map_err(|a| {
                let a = a.to_string_lossy();
                anyhow!(said!("参数不是有效的 UTF-8 文字：{a}", "an argument is not UTF-8: {a}"))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let cwd = std::env::current_dir().context(said!("无法确定当前文件夹", "cannot tell the current folder"))?;
    let credential = if writes { super::remote::from_env() } else { None };
    let lang = Some(Lang::of_terminal().code().to_string());
    let mut req = Request::Cli { args, cwd, credential, lang };
    let mut stream = first;
    loop {
        match exchange(&mut stream, &req, folder)? {
            Ok(code) => return Ok(ExitCode::from(code)),
            Err(operator) => {
                let Request::Cli { credential, .. } = &mut req else { unreachable!("built above") };
                if credential.is_some() || !std::io::stdin().is_terminal() {
                    return Err(super::words::told(crate::control::needs_credential_said(&operator)));
                }
                let typed = rpassword::prompt_password(said!(
                    "{operator} 的口令或令牌：",
                    "PIN or operator token of {operator}: "
                ))?;
                *credential = Some(Credential::typed(&typed));
                let shown = folder.display();
                stream = crate::control::connect(folder).ok_or_else(|| {
                    anyhow!(said!(
                        "{shown} 已不在其控制套接字上应答",
                        "{shown} is no longer served on its control socket"
                    ))
                })?;
            }
        }
    }
}

/// One request and its streamed answer: the exit code, or the operator whose PIN or
/// token is needed.
fn exchange(stream: &mut std::os::unix::net::UnixStream, req: &Request, folder: &Path) -> Result<Result<u8, String>> {
    let shown = folder.display();
    let lost = |e: std::io::Error| {
        anyhow!(said!("占用 {shown} 的进程不再应答：{e}", "the process holding {shown} stopped answering: {e}"))
    };
    let mut line = serde_json::to_vec(req)?;
    line.push(b'\n');
    stream.write_all(&line).map_err(lost)?;
    let mut reader = std::io::BufReader::new(stream);
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr());
    loop {
        match Frame::read(&mut reader).map_err(lost)? {
            Some(Frame::Out(b)) => out.write_all(&b)?,
            Some(Frame::Err(b)) => err.write_all(&b)?,
            Some(Frame::Exit(code)) => {
                out.flush()?;
                return Ok(Ok(code));
            }
            Some(Frame::NeedsCredential(op)) => return Ok(Err(op)),
            None => bail!(said!("占用 {shown} 的进程没有答完", "the process holding {shown} ended its answer early")),
        }
    }
}

/// Runs a forwarded command line for another process, against `desk`, with what it
/// prints sent into `tx`; the frame that ends the answer.
pub fn served(desk: &Desk, config_dir: &Path, f: Forwarded, tx: tokio::sync::mpsc::Sender<Frame>) -> Frame {
    let sink = Box::new(Frames(tx));
    let lang = f.lang.unwrap_or_else(Lang::of_terminal);
    super::out::captured(sink, || {
        Lang::speaking(lang, || {
            // Parsed as the asking terminal parses it: usage errors in its language.
            let parsed = super::grammar(lang).try_get_matches_from(&f.args).and_then(|m| Cli::from_arg_matches(&m));
            let mut cli = match parsed {
                Ok(cli) => cli,
                Err(e) => {
                    match lang {
                        Lang::Zh => errln!("{}", e.apply::<super::usage_zh::Chinese>().render()),
                        Lang::En => errln!("{}", e.render()),
                    }
                    return Frame::Exit(2);
                }
            };
            let Some(mut cmd) = cli.command.take() else {
                errln!(
                    "{}",
                    said!("错误：值守台只能在它自己的终端里运行", "error: the console runs only in its own terminal")
                );
                return Frame::Exit(1);
            };
            rebase(&mut cmd, &f.cwd);
            let env = Env::served(desk, config_dir, f.credential);
            if folder(&cli, &cmd, &env).is_none() {
                errln!(
                    "{}",
                    said!(
                        "错误：此命令不经控制套接字办理；请先停止占用该文件夹的进程",
                        "error: this command does not run through the control socket; stop the process holding the folder"
                    )
                );
                return Frame::Exit(1);
            }
            match super::run_command(&env, &cli, cmd) {
                Ok(code) => Frame::Exit(if code == ExitCode::SUCCESS { 0 } else { 1 }),
                Err(e) => match e.downcast_ref::<NeedsCredential>() {
                    Some(NeedsCredential(op)) => Frame::NeedsCredential(op.clone()),
                    None => {
                        errln!("{}", super::failed(&e));
                        Frame::Exit(1)
                    }
                },
            }
        })
    })
}

/// The operator named has a PIN or token, and the forwarded command line sent none.
#[derive(Debug)]
pub struct NeedsCredential(pub String);

impl std::fmt::Display for NeedsCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::control::needs_credential(&self.0))
    }
}

impl std::error::Error for NeedsCredential {}

/// A captured command's output, as frames for the socket.
struct Frames(tokio::sync::mpsc::Sender<Frame>);

impl super::out::Sink for Frames {
    fn out(&mut self, bytes: &[u8]) -> bool {
        self.0.blocking_send(Frame::Out(bytes.to_vec())).is_ok()
    }
    fn err(&mut self, bytes: &[u8]) -> bool {
        self.0.blocking_send(Frame::Err(bytes.to_vec())).is_ok()
    }
}

/// Makes the paths of a command line received from another process absolute, taken
/// from that process's current folder.
fn rebase(cmd: &mut Cmd, cwd: &Path) {
    let fix = |p: &mut PathBuf| {
        if p.is_relative() {
            *p = cwd.join(&*p);
        }
    };
    match cmd {
        Cmd::Ingest(a) => a.files.iter_mut().for_each(fix),
        Cmd::Report(a) => a.output.iter_mut().for_each(fix),
        Cmd::Drill(DrillCmd::Record { anonymize, out, .. }) => {
            anonymize.iter_mut().for_each(fix);
            fix(out);
        }
        Cmd::Drill(DrillCmd::Score { drill_data }) => fix(drill_data),
        _ => {}
    }
}
