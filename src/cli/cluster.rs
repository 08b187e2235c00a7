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

/// What an enrolled name is, as people read it.
fn role_words(role: Role) -> String {
    match role {
        Role::Console => said!("值守台", "console"),
        Role::Submitter => said!("监测工具（只能报送信息）", "submitter"),
    }
}

/// New credentials for `name` in `role`, or why not in the terminal's language.
fn enroll(authority: &Authority, name: &str, role: Role) -> Result<Credentials> {
    crate::sync::trust::check_name(name, role).map_err(super::words::told)?;
    authority.enroll(name, role).map_err(|en| anyhow!(said!("无法为 `{name}` 签发凭据：{en}", "{en}")))
}

/// The authority kept in `dir`, or why not, in the terminal's language.
fn load(dir: &Path) -> Result<Authority> {
    Authority::load(dir).map_err(super::words::told)
}

/// Writes `creds` to `path` (never over a file), or says why not in the terminal's
/// language.
fn write(creds: &Credentials, path: &Path) -> Result<()> {
    let existed = path.exists();
    creds.write(path).map_err(|en| {
        let shown = path.display();
        match existed {
            true => anyhow!(said!("{shown} 已存在；请先把它移走", "{en}")),
            false => anyhow!(said!("无法写入凭据文件 {shown}：{en}", "{en}")),
        }
    })
}

pub fn run(env: &Env, actor: Option<&str>, cmd: ClusterCmd) -> Result<ExitCode> {
    let dir = env.config_dir.join("authority");
    match cmd {
        ClusterCmd::Init => {
            let name = env.settings.console.name.clone();
            let creds_path = env.credentials_path();
            let (shown, at) = (creds_path.display(), dir.display());
            if creds_path.exists() {
                bail!(
                    "{}",
                    said!("{shown} 已存在：本值守台已经登记过", "{shown} exists: this console is enrolled already")
                );
            }
            let authority = Authority::init(&dir).map_err(|en| {
                let there = ["authority.key", "authority.pem"].map(|f| dir.join(f)).into_iter().find(|p| p.exists());
                anyhow!(match there {
                    Some(p) => {
                        let p = p.display();
                        said!("{p} 已存在：这里已有集群证书机构；请先把它移走", "{en}")
                    }
                    None => said!("无法在 {at} 建立集群证书机构：{en}", "{en}"),
                })
            })?;
            let creds = enroll(&authority, &name, Role::Console)?;
            write(&creds, &creds_path)?;
            record(&dir, &creds)?;
            outln!(
                "{}",
                said!(
                    "已在 {at} 建立集群证书机构（请只留在本机，做好备份，不要外传）",
                    "made the cluster authority in {at} (keep it on this machine, backed up, private)"
                )
            );
            outln!("{}", said!("已将本值守台登记为 `{name}`：{shown}", "enrolled this console as `{name}`: {shown}"));
            outln!(
                "{}",
                said!(
                    "下一步：为其他每台值守台运行 `yuqing cluster enroll NAME`，并把各自的凭据文件带过去",
                    "next: `yuqing cluster enroll NAME` for every other console, and carry each file to it"
                )
            );
        }
        ClusterCmd::Enroll { name, submitter, out, replace } => {
            let authority = load(&dir)?;
            let before = issued(&dir)?;
            if before.iter().any(|i| i.name == name) && !replace {
                bail!(
                    "{}",
                    said!(
                        "`{name}` 已经登记过；要给它换新证书（如换了新笔记本电脑）请加 --replace，旧证书随之吊销",
                        "`{name}` is enrolled already; to give it a new certificate (a new laptop) use --replace, which also revokes the old one"
                    )
                );
            }
            let role = if submitter { Role::Submitter } else { Role::Console };
            let creds = enroll(&authority, &name, role)?;
            let out = out.unwrap_or_else(|| PathBuf::from(format!("{name}.credentials.toml")));
            write(&creds, &out)?;
            record(&dir, &creds)?;
            let (what, role_en, shown) = (role_words(role), role.name(), out.display());
            outln!(
                "{}",
                said!(
                    "已将 `{name}` 登记为{what}：{shown}（仅所有者可读）",
                    "enrolled `{name}` as a {role_en}: {shown} (owner-only)"
                )
            );
            outln!(
                "{}",
                said!(
                    "请把它带到那台机器上，放为 <config>/credentials.toml；不要复制到其他任何地方",
                    "carry it to that machine as <config>/credentials.toml; do not copy it anywhere else"
                )
            );
            if replace {
                for old in before.iter().filter(|i| i.name == name) {
                    let cert = &old.cert[..16];
                    outln!(
                        "{}",
                        said!(
                            "吊销旧证书请运行：yuqing cluster revoke {name}  （证书 {cert}）",
                            "revoke the old certificate with: yuqing cluster revoke {name}  ({cert})"
                        )
                    );
                }
            }
        }
        ClusterCmd::Revoke { name } => {
            let certs: Vec<String> = issued(&dir)?.into_iter().filter(|i| i.name == name).map(|i| i.cert).collect();
            if certs.is_empty() {
                let at = dir.display();
                bail!(
                    "{}",
                    said!(
                        "{at} 中的集群证书机构从未登记过 `{name}`",
                        "`{name}` was never enrolled by the authority in {at}"
                    )
                );
            }
            if !env.data_dir.exists() {
                let data = env.data_dir.display();
                bail!(
                    "{}",
                    said!(
                        "{data} 中没有数据：吊销是一条事件，请在集群证书机构所在值守台存放数据的地方运行（--data）",
                        "{data} holds no data: the revocation is an event; run this where the authority's console \
                         keeps its data (--data)"
                    )
                );
            }
            for cert in certs {
                let cmd = Command::RevokeConsole { name: name.clone(), cert };
                outln!("{}", env.act(actor, cmd)?);
            }
            outln!(
                "{}",
                said!(
                    "吊销传到各值守台后，它们都将拒绝 `{name}`；新笔记本电脑请用 --replace 重新登记",
                    "every console refuses `{name}` once this has reached it; enroll a new laptop with --replace"
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
