//! `yuqing cluster init | enroll | revoke`: the cluster authority on the command line.

use super::args::ClusterCmd;
use super::open::Env;
use crate::domain::command::Command;
use crate::sync::trust::{Authority, Credentials, Role, fingerprint};
use anyhow::{Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// One line of `authority/enrolled.jsonl`: what the authority issued, so a name is
/// never enrolled twice by mistake and a revocation can name the certificate.
#[derive(Debug, Serialize, Deserialize)]
struct Issued {
    name: String,
    role: Role,
    cert: String,
    at: chrono::DateTime<chrono::Utc>,
    #[serde(default)]
    replaced: bool,
}

fn issued(dir: &Path) -> Result<Vec<Issued>> {
    let path = dir.join("enrolled.jsonl");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => bail!("{}: {e}", path.display()),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| anyhow!("{}:{}: {e}", path.display(), i + 1)))
        .collect()
}

fn record(dir: &Path, creds: &Credentials) -> Result<()> {
    use std::io::Write;
    let line = Issued {
        name: creds.name.clone(),
        role: creds.role,
        cert: fingerprint(creds.cert_der().map_err(|e| anyhow!(e))?.as_ref()),
        at: chrono::Utc::now(),
        replaced: false,
    };
    let path = dir.join("enrolled.jsonl");
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
    writeln!(f, "{}", serde_json::to_string(&line)?).map_err(|e| anyhow!("{}: {e}", path.display()))
}

pub fn run(env: &Env, actor: Option<&str>, cmd: ClusterCmd) -> Result<ExitCode> {
    let dir = env.config_dir.join("authority");
    match cmd {
        ClusterCmd::Init => {
            let name = env.settings.console.name.clone();
            let creds_path = env.credentials_path();
            if creds_path.exists() {
                bail!("{} exists: this console is enrolled already", creds_path.display());
            }
            let authority = Authority::init(&dir).map_err(|e| anyhow!(e))?;
            let creds = authority.enroll(&name, Role::Console).map_err(|e| anyhow!(e))?;
            creds.write(&creds_path).map_err(|e| anyhow!(e))?;
            record(&dir, &creds)?;
            outln!("made the cluster authority in {} (keep it on this machine, backed up, private)", dir.display());
            outln!("enrolled this console as `{name}`: {}", creds_path.display());
            outln!("next: `yuqing cluster enroll NAME` for every other console, and carry each file to it");
        }
        ClusterCmd::Enroll { name, submitter, out, replace } => {
            let authority = Authority::load(&dir).map_err(|e| anyhow!(e))?;
            let before = issued(&dir)?;
            if before.iter().any(|i| i.name == name) && !replace {
                bail!(
                    "`{name}` is enrolled already; to give it a new certificate (a new laptop) use --replace, which also revokes the old one"
                );
            }
            let role = if submitter { Role::Submitter } else { Role::Console };
            let creds = authority.enroll(&name, role).map_err(|e| anyhow!(e))?;
            let out = out.unwrap_or_else(|| PathBuf::from(format!("{name}.credentials.toml")));
            creds.write(&out).map_err(|e| anyhow!(e))?;
            record(&dir, &creds)?;
            outln!("enrolled `{name}` as a {}: {} (owner-only)", role.name(), out.display());
            outln!("carry it to that machine as <config>/credentials.toml; do not copy it anywhere else");
            if replace {
                for old in before.iter().filter(|i| i.name == name) {
                    outln!("revoke the old certificate with: yuqing cluster revoke {name}  ({})", &old.cert[..16]);
                }
            }
        }
        ClusterCmd::Revoke { name } => {
            let certs: Vec<String> = issued(&dir)?.into_iter().filter(|i| i.name == name).map(|i| i.cert).collect();
            if certs.is_empty() {
                bail!("`{name}` was never enrolled by the authority in {}", dir.display());
            }
            if !env.data_dir.exists() {
                bail!(
                    "{} holds no data: the revocation is an event; run this where the authority's console keeps its \
                     data (--data)",
                    env.data_dir.display()
                );
            }
            for cert in certs {
                let cmd = Command::RevokeConsole { name: name.clone(), cert };
                outln!("{}", env.act(actor, cmd)?);
            }
            outln!("every console refuses `{name}` once this has reached it; enroll a new laptop with --replace");
        }
    }
    Ok(ExitCode::SUCCESS)
}
