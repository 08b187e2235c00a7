//! The local control socket. A running console or hub holds its data folder (sled
//! allows one process per database), so a command aimed at that folder asks the running
//! process instead, over a Unix domain socket inside the folder (`control.sock`,
//! owner-only; nothing on the network). One JSON request per line, one JSON answer.
//!
//! It serves `backup`, so a consistent backup needs no stop; domain commands such as
//! `cluster revoke`, run as the operator named and checked under the console's role
//! rules (the socket is the folder owner's only, who could open the folder anyway); and
//! whole command lines (`items`, `report`, `case open`, `drill score`…), run here for the
//! asking process with their output streamed back in [frames](Frame), so they print
//! and exit as on a free folder.

use crate::desk::Desk;
use crate::domain::said::Said;
use crate::i18n::Lang;
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
    /// Write a backup into `dir` (an absolute path); the answer is said in `lang` (`zh`
    /// or `en`; absent: English).
    Backup {
        dir: PathBuf,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
    },
    /// The operators in force, as JSON (with the hashes of PINs and tokens: the socket is
    /// the folder owner's, who holds the event log anyway).
    Operators,
    /// Run a command as the operator named, under the same role rules as the console;
    /// an operator with a PIN or token proves it with `credential` (the socket is the
    /// folder owner's, but not every person at the machine is every operator). What it
    /// did, or why not, is said in `lang` (`zh` or `en`; absent: English), but for the
    /// answer that a credential is needed, which the asking side reads (and says itself).
    Command {
        operator: String,
        command: crate::domain::Command,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential: Option<crate::config::credential::Credential>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
    },
    /// Run one of yuqing's own command lines here, as the asking process would on a
    /// free folder; relative paths in it are taken from `cwd`. Answered with [`Frame`]s.
    /// Writes act as the operator it names (`--as`), proved by `credential`.
    Cli {
        args: Vec<String>,
        cwd: PathBuf,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential: Option<crate::config::credential::Credential>,
        /// The asking terminal's language (`zh` or `en`); absent: the serving process's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
    },
}

/// One piece of the answer to [`Request::Cli`]: a kind byte, the payload's length
/// (u32, big-endian) and the payload. The answer ends with `Exit` or `NeedsCredential`.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// Kind 1: bytes of the command's standard output.
    Out(Vec<u8>),
    /// Kind 2: bytes of its standard error.
    Err(Vec<u8>),
    /// Kind 3: its exit code (one byte); nothing follows.
    Exit(u8),
    /// Kind 4: the operator named (UTF-8) has a PIN or token and none was sent; nothing
    /// was done. The asking side may ask for it and send the request again.
    NeedsCredential(String),
}

impl Frame {
    /// The frame's bytes on the socket.
    pub fn encode(&self) -> Vec<u8> {
        let (kind, payload): (u8, &[u8]) = match self {
            Frame::Out(b) => (1, b),
            Frame::Err(b) => (2, b),
            Frame::Exit(code) => (3, std::slice::from_ref(code)),
            Frame::NeedsCredential(op) => (4, op.as_bytes()),
        };
        let mut out = Vec::with_capacity(5 + payload.len());
        out.push(kind);
        out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    /// Reads one frame; `None` at the end of the stream.
    pub fn read(r: &mut impl std::io::Read) -> std::io::Result<Option<Frame>> {
        let mut head = [0u8; 5];
        match r.read_exact(&mut head) {
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            other => other?,
        }
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        let mut payload = vec![0u8; len];
        r.read_exact(&mut payload)?;
        let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
        Ok(Some(match head[0] {
            1 => Frame::Out(payload),
            2 => Frame::Err(payload),
            3 => Frame::Exit(*payload.first().ok_or_else(|| bad("an exit frame without its code"))?),
            4 => Frame::NeedsCredential(String::from_utf8(payload).map_err(|_| bad("an operator name not in UTF-8"))?),
            k => return Err(bad(&format!("a frame of unknown kind {k}"))),
        }))
    }
}

/// The answer: what to print, or why it failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Answer {
    Done { text: String },
    Failed { error: String },
}

/// Listens on the data folder's socket until the returned task is dropped or aborted;
/// command lines run with the settings in `config_dir`, as the process holding the
/// folder was started with.
pub fn serve(desk: Desk, config_dir: PathBuf) -> std::io::Result<tokio::task::JoinHandle<()>> {
    use std::os::unix::fs::PermissionsExt;
    let path = socket(desk.store().path());
    // We hold the folder's lock, so a socket file left there is from a process that died.
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let (desk, config_dir) = (desk.clone(), config_dir.clone());
            tokio::spawn(async move {
                if let Err(e) = answer_one(stream, desk, config_dir).await {
                    tracing::warn!("control socket: {e}");
                }
            });
        }
    }))
}

async fn answer_one(stream: tokio::net::UnixStream, desk: Desk, config_dir: PathBuf) -> std::io::Result<()> {
    let (rd, mut wr) = stream.into_split();
    let mut line = String::new();
    BufReader::new(rd).read_line(&mut line).await?;
    let answer = match serde_json::from_str::<Request>(&line) {
        Err(e) => Answer::Failed { error: format!("not a request this yuqing knows: {e}") },
        Ok(Request::Cli { args, cwd, credential, lang }) => {
            let lang = lang.and_then(|l| crate::i18n::Lang::pick(&l).ok());
            return run_cli(&mut wr, desk, config_dir, crate::cli::Forwarded { args, cwd, credential, lang }).await;
        }
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

/// Runs a command line on a blocking thread, streaming what it prints as it prints it;
/// a reader that goes away stops the command's output (its next write fails).
async fn run_cli(
    wr: &mut tokio::net::unix::OwnedWriteHalf,
    desk: Desk,
    config_dir: PathBuf,
    forwarded: crate::cli::Forwarded,
) -> std::io::Result<()> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Frame>(16);
    let job = tokio::task::spawn_blocking(move || crate::cli::served(&desk, &config_dir, forwarded, tx));
    while let Some(frame) = rx.recv().await {
        wr.write_all(&frame.encode()).await?;
    }
    let last = job.await.unwrap_or_else(|e| {
        tracing::error!("control socket: a command line failed: {e}");
        Frame::Exit(1)
    });
    wr.write_all(&last.encode()).await
}

/// The language a request asks its answer in: English when it names none (as an
/// older yuqing, which asks in English, expects).
fn asked(lang: Option<&str>) -> Lang {
    lang.and_then(|l| Lang::pick(l).ok()).unwrap_or(Lang::En)
}

fn act(desk: &Desk, req: Request) -> Answer {
    match req {
        Request::Cli { .. } => Answer::Failed { error: "answered with frames".into() },
        Request::Backup { dir, lang } => {
            let (console, lang) = (&desk.settings().console.name, asked(lang.as_deref()));
            match crate::store::backup::backup(desk.store(), console, &dir, desk.clock().now()) {
                Ok(m) => Answer::Done { text: describe_backup(&m, &dir, lang) },
                Err(e) => Answer::Failed { error: crate::cli::said_backup_error(e, lang) },
            }
        }
        Request::Operators => match serde_json::to_string(&desk.operators()) {
            Ok(text) => Answer::Done { text },
            Err(e) => Answer::Failed { error: e.to_string() },
        },
        Request::Command { operator, command, credential, lang } => {
            let lang = asked(lang.as_deref());
            let op = crate::config::roster_operator(&desk.operators(), &operator)
                .and_then(|op| proved(desk, &op, credential.as_ref()).map(|()| op));
            match op {
                Ok(op) => match run_as(desk, &op, command, lang) {
                    Ok(text) => Answer::Done { text },
                    Err(error) => Answer::Failed { error },
                },
                // The asking side reads this one, and says it in its own words.
                Err(said) if said.en.contains(NEEDS_CREDENTIAL) => Answer::Failed { error: said.en },
                Err(said) => Answer::Failed { error: said.of(lang).to_string() },
            }
        }
    }
}

/// The first words of the answer when the operator named has a PIN or token and none
/// was sent: the asking side then asks for it and tries again.
pub const NEEDS_CREDENTIAL: &str = "needs their PIN or operator token";

/// Why `id` cannot act without a credential (the words the asking side looks for).
pub fn needs_credential(id: &str) -> String {
    needs_credential_said(id).en
}

/// Why `id` cannot act without a credential, in both languages.
pub fn needs_credential_said(id: &str) -> Said {
    Said::new(
        format!("acting as `{id}` {NEEDS_CREDENTIAL}: set YUQING_PIN or YUQING_TOKEN"),
        format!("以 `{id}` 的身份办理须有其口令或令牌：请设置 YUQING_PIN 或 YUQING_TOKEN"),
    )
}

/// Checks that the person asking is `op`: by their PIN or token when they have one; one
/// with neither acts as at the console's own command line. A disabled operator never
/// acts. Why not, in both languages.
pub fn proved(
    desk: &Desk,
    op: &crate::domain::role::Operator,
    credential: Option<&crate::config::credential::Credential>,
) -> Result<(), Said> {
    if op.disabled {
        return Err(crate::config::disabled(&op.id));
    }
    if op.pin.is_none() && op.token.is_none() {
        return Ok(());
    }
    match credential {
        None => Err(needs_credential_said(&op.id)),
        Some(c) => crate::config::credential::authenticate(op, &desk.settings().console.name, Some(c)).map_err(|e| {
            tracing::warn!("control socket: {e}");
            e.said()
        }),
    }
}

/// Runs one command as `op` (blocking), under the role rules; what it did, a line per
/// event, or why not, in `lang` (departments by name in Chinese).
pub fn run_as(
    desk: &Desk,
    op: &crate::domain::role::Operator,
    command: crate::domain::Command,
    lang: Lang,
) -> Result<String, String> {
    let directory = (lang == Lang::Zh).then(|| &desk.settings().directory);
    match desk.run_blocking(op, vec![command]).pop() {
        Some(Ok(events)) => Ok(events
            .iter()
            .map(|e| crate::describe::line(e, lang, directory, None).trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")),
        Some(Err(e)) => Err(crate::cli::refusal(&e, lang)),
        None => Err(lang.t("存储没有应答", "no answer from the store").into()),
    }
}

/// Asks the process holding `data` (blocking): its answer, or why there is none (in
/// the terminal's language).
pub fn ask_running(data: &Path, req: &Request) -> Result<String, String> {
    let (shown, lang) = (data.display(), Lang::of_terminal());
    match ask(data, req) {
        Some(Ok(Answer::Done { text })) => Ok(text),
        Some(Ok(Answer::Failed { error })) => Err(error),
        Some(Err(e)) => Err(match lang {
            Lang::Zh => format!("占用 {shown} 的进程没有应答：{e}"),
            Lang::En => format!("the process holding {shown} did not answer: {e}"),
        }),
        None => Err(match lang {
            Lang::Zh => format!(
                "{shown} 正被使用，而占用它的进程不在 {} 上应答；是较旧版本的 yuqing 吗？",
                socket(data).display()
            ),
            Lang::En => format!(
                "{shown} is in use, and the process holding it does not answer on {}; is it an older yuqing?",
                socket(data).display()
            ),
        }),
    }
}

/// The line `yuqing backup` prints, in `lang`.
pub fn describe_backup(m: &crate::store::backup::Manifest, dir: &Path, lang: Lang) -> String {
    let (events, realm, dir, sha) = (m.events, &m.realm, dir.display(), &m.sha256);
    match lang {
        Lang::Zh => format!("已备份数据域“{realm}”的 {events} 个事件到 {dir}（sha256 {sha}）"),
        Lang::En => format!("backed up {events} events of realm `{realm}` into {dir} (sha256 {sha})"),
    }
}

/// A connection to the process holding `data`; `None` when nobody listens there.
pub fn connect(data: &Path) -> Option<std::os::unix::net::UnixStream> {
    std::os::unix::net::UnixStream::connect(socket(data)).ok()
}

/// Asks the process holding `data` (blocking); `None` when nobody listens there.
fn ask(data: &Path, req: &Request) -> Option<Result<Answer, String>> {
    use std::io::{BufRead, Write};
    let path = socket(data);
    let mut stream = connect(data)?;
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
