//! The local control socket. A running console or hub holds its data folder (sled
//! allows one process per database), so a command aimed at that folder asks the running
//! process instead, over a Unix domain socket inside the folder (`control.sock`,
//! owner-only; nothing on the network). One JSON request per line, one JSON answer.
//!
//! It serves `backup`, so a consistent backup needs no stop, and commands such as
//! `cluster revoke`, run as the operator named and checked under the console's role
//! rules (the socket is the folder owner's only, who could open the folder anyway).

use crate::desk::Desk;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// The socket of a data folder.
pub fn socket(data: &Path) -> PathBuf {
    data.join("control.sock")
}

/// What a command asks the running process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Request {
    /// Write a backup into `dir` (an absolute path).
    Backup { dir: PathBuf },
    /// The operators in force, as JSON (with the hashes of PINs and tokens: the socket is
    /// the folder owner's, who holds the event log anyway).
    Operators,
    /// Run a command as the operator named, under the same role rules as the console;
    /// an operator with a PIN or token proves it with `credential` (the socket is the
    /// folder owner's, but not every person at the machine is every operator).
    Command {
        operator: String,
        command: crate::domain::Command,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential: Option<crate::config::credential::Credential>,
    },
}

/// The answer: what to print, or why it failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Answer {
    Done { text: String },
    Failed { error: String },
}

/// Listens on the data folder's socket until the returned task is dropped or aborted.
pub fn serve(desk: Desk) -> std::io::Result<tokio::task::JoinHandle<()>> {
    use std::os::unix::fs::PermissionsExt;
    let path = socket(desk.store().path());
    // We hold the folder's lock, so a socket file left there is from a process that died.
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let desk = desk.clone();
            tokio::spawn(async move {
                if let Err(e) = answer_one(stream, desk).await {
                    tracing::warn!("control socket: {e}");
                }
            });
        }
    }))
}

async fn answer_one(stream: tokio::net::UnixStream, desk: Desk) -> std::io::Result<()> {
    let (rd, mut wr) = stream.into_split();
    let mut line = String::new();
    BufReader::new(rd).read_line(&mut line).await?;
    let answer = match serde_json::from_str::<Request>(&line) {
        Err(e) => Answer::Failed { error: format!("not a request this yuqing knows: {e}") },
        Ok(req) => {
            let d = desk.clone();
            tokio::task::spawn_blocking(move || act(&d, req))
                .await
                .unwrap_or_else(|e| Answer::Failed { error: e.to_string() })
        }
    };
    let mut out = serde_json::to_vec(&answer).map_err(std::io::Error::other)?;
    out.push(b'\n');
    wr.write_all(&out).await
}

fn act(desk: &Desk, req: Request) -> Answer {
    match req {
        Request::Backup { dir } => {
            let console = &desk.settings().console.name;
            match crate::store::backup::backup(desk.store(), console, &dir, desk.clock().now()) {
                Ok(m) => Answer::Done { text: describe_backup(&m, &dir) },
                Err(e) => Answer::Failed { error: e.to_string() },
            }
        }
        Request::Operators => match serde_json::to_string(&desk.operators()) {
            Ok(text) => Answer::Done { text },
            Err(e) => Answer::Failed { error: e.to_string() },
        },
        Request::Command { operator, command, credential } => {
            match desk.operator(&operator).and_then(|op| proved(desk, &op, credential.as_ref()).map(|()| op)) {
                Ok(op) => match run_as(desk, &op, command) {
                    Ok(text) => Answer::Done { text },
                    Err(error) => Answer::Failed { error },
                },
                Err(error) => Answer::Failed { error },
            }
        }
    }
}

/// The first words of the answer when the operator named has a PIN or token and none
/// was sent: the asking side then asks for it and tries again.
pub const NEEDS_CREDENTIAL: &str = "needs their PIN or operator token";

/// Checks that the person asking is `op`: by their PIN or token when they have one; one
/// with neither acts as at the console's own command line. A disabled operator never acts.
fn proved(
    desk: &Desk,
    op: &crate::domain::role::Operator,
    credential: Option<&crate::config::credential::Credential>,
) -> Result<(), String> {
    if op.disabled {
        return Err(format!("operator `{}` is disabled", op.id));
    }
    if op.pin.is_none() && op.token.is_none() {
        return Ok(());
    }
    match credential {
        None => Err(format!("acting as `{}` {NEEDS_CREDENTIAL}: set YUQING_PIN or YUQING_TOKEN", op.id)),
        Some(c) => crate::config::credential::authenticate(op, &desk.settings().console.name, Some(c)).map_err(|e| {
            tracing::warn!("control socket: {e}");
            e.to_string()
        }),
    }
}

/// Runs one command as `op` (blocking), under the role rules; what it did, a line per
/// event, or why not.
pub fn run_as(
    desk: &Desk,
    op: &crate::domain::role::Operator,
    command: crate::domain::Command,
) -> Result<String, String> {
    match desk.run_blocking(op, vec![command]).pop() {
        Some(Ok(events)) => {
            Ok(events.iter().map(|e| crate::describe::event(e, crate::i18n::Lang::En)).collect::<Vec<_>>().join("\n"))
        }
        Some(Err(e)) => Err(e.to_string()),
        None => Err("no answer from the store".into()),
    }
}

/// Asks the process holding `data` (blocking): its answer, or why there is none.
pub fn ask_running(data: &Path, req: &Request) -> Result<String, String> {
    match ask(data, req) {
        Some(Ok(Answer::Done { text })) => Ok(text),
        Some(Ok(Answer::Failed { error })) => Err(error),
        Some(Err(e)) => Err(format!("the process holding {} did not answer: {e}", data.display())),
        None => Err(format!(
            "{} is in use, and the process holding it does not answer on {}; is it an older yuqing?",
            data.display(),
            socket(data).display()
        )),
    }
}

/// The line `yuqing backup` prints.
pub fn describe_backup(m: &crate::store::backup::Manifest, dir: &Path) -> String {
    format!("backed up {} events of realm `{}` into {} (sha256 {})", m.events, m.realm, dir.display(), m.sha256)
}

/// Asks the process holding `data` (blocking); `None` when nobody listens there.
fn ask(data: &Path, req: &Request) -> Option<Result<Answer, String>> {
    use std::io::{BufRead, Write};
    let path = socket(data);
    let mut stream = std::os::unix::net::UnixStream::connect(&path).ok()?;
    let result = (|| {
        let mut out = serde_json::to_vec(req).map_err(|e| e.to_string())?;
        out.push(b'\n');
        stream.write_all(&out).map_err(|e| e.to_string())?;
        let mut line = String::new();
        std::io::BufReader::new(&stream).read_line(&mut line).map_err(|e| e.to_string())?;
        serde_json::from_str(&line).map_err(|e| format!("unreadable answer from {}: {e}", path.display()))
    })();
    Some(result)
}
