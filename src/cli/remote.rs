//! Acting through a running console or hub (`--to ADDR`): the command line connects as
//! a submitter, so it works while a console holds the database. Every action names an
//! operator and carries their PIN or operator token, which the receiving console checks
//! against its own operators; the secret comes from the environment or the terminal,
//! never from the command line (it would land in shell history).

use crate::config::credential::Credential;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::item::NewItem;
use crate::sync::Client;
use crate::sync::client::Receipt;
use crate::sync::trust::Credentials;
use anyhow::{Result, anyhow, bail};
use std::io::IsTerminal;

/// A connection to a console acting as one operator, with a small runtime to drive it
/// from blocking code.
pub struct Remote {
    rt: tokio::runtime::Runtime,
    client: Client,
    operator: String,
    /// None for a monitoring tool: its enrolment is who acts.
    credential: Option<Credential>,
}

/// The operator's token from `YUQING_TOKEN`, else their PIN from `YUQING_PIN`.
pub fn from_env() -> Option<Credential> {
    let set = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(t) = set("YUQING_TOKEN") {
        return Some(Credential::Token(t.trim().to_string()));
    }
    set("YUQING_PIN").map(|p| Credential::Pin(p.trim().to_string()))
}

/// The operator's token from `YUQING_TOKEN`, else their PIN from `YUQING_PIN`, else
/// either typed on the terminal; without a terminal, an error naming the variables.
fn credential(operator: &str, addr: &str) -> Result<Credential> {
    if let Some(c) = from_env() {
        return Ok(c);
    }
    let missing = || {
        said!(
            "经 {addr} 以 `{operator}` 的身份办理须有其口令或令牌：请设置 YUQING_TOKEN 或 YUQING_PIN，或在终端上运行以便输入",
            "acting through {addr} as `{operator}` needs their PIN or operator token: set YUQING_TOKEN or YUQING_PIN, or run on a terminal to be asked"
        )
    };
    if !std::io::stdin().is_terminal() {
        bail!(missing());
    }
    let typed = rpassword::prompt_password(said!(
        "{operator} 在 {addr} 的口令或令牌：",
        "PIN or operator token of {operator} at {addr}: "
    ))
    .map_err(|e| anyhow!("{}: {e}", missing()))?;
    if typed.trim().is_empty() {
        bail!(missing());
    }
    Ok(Credential::typed(&typed))
}

impl Remote {
    /// Gets `operator`'s credential, then connects to `addr`.
    pub fn connect(addr: &str, credentials: &Credentials, realm: &str, operator: &str) -> Result<Remote> {
        let credential = match credentials.role {
            crate::sync::trust::Role::Submitter => None,
            crate::sync::trust::Role::Console => Some(credential(operator, addr)?),
        };
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let client = rt.block_on(Client::connect(addr, credentials, realm)).map_err(|e| anyhow!("{addr}: {e}"))?;
        Ok(Remote { rt, client, operator: operator.into(), credential })
    }

    /// Runs commands one by one; each answer is the events or why not.
    pub fn commands(&mut self, cmds: Vec<Command>) -> Result<Vec<Result<Vec<Event>, String>>> {
        let mut out = Vec::new();
        for c in cmds {
            let answer = self.client.command(&self.operator, self.credential.as_ref(), c);
            out.push(self.rt.block_on(answer).map_err(|e| anyhow!("{e}"))?);
        }
        Ok(out)
    }

    /// Submits items; returns once the console made them durable.
    pub fn submit(&mut self, items: Vec<NewItem>) -> Result<Receipt> {
        let receipt = self.client.submit(&self.operator, self.credential.as_ref(), items);
        self.rt.block_on(receipt).map_err(|e| anyhow!("{e}"))
    }
}
