//! `yuqing operator add|list|pin|disable|enable|role|token`: the deployment's roster of
//! operators. Every change is an `operator_set` event, made by a supervisor (`--as`,
//! proved by their PIN or token), audited, and replicated to every console like any
//! other event; `operators.toml` only seeds the roster. `add` only adds: changing
//! someone who exists has its own command. On a folder a console or hub holds, the
//! change goes through its control socket and counts there at once.

use super::args::OperatorCmd;
use super::open::Env;
use crate::config::pin;
use crate::domain::command::Command;
use crate::domain::names::Named;
use crate::domain::role::{Operator, Role};
use crate::text::fit;
use anyhow::{Result, anyhow, bail};
use std::process::ExitCode;

/// A new PIN for `id`, from YUQING_NEW_PIN or asked twice on the terminal; one that
/// would be refused is refused before it is asked again.
fn read_pin(id: &str, min_len: usize) -> Result<String> {
    let acceptable = |p: &str| pin::acceptable(p, min_len).map_err(|e| anyhow!("{e}; nothing was changed"));
    if let Ok(p) = std::env::var("YUQING_NEW_PIN") {
        acceptable(p.trim())?;
        return Ok(p.trim().to_string());
    }
    let first = rpassword::prompt_password(format!("New PIN for {id} (at least {min_len} digits or letters): "))
        .map_err(|e| anyhow!("cannot read the PIN: {e}; or set YUQING_NEW_PIN"))?;
    acceptable(first.trim())?;
    let again = rpassword::prompt_password("Again: ").map_err(|e| anyhow!("cannot read the PIN: {e}"))?;
    if first.trim() != again.trim() {
        bail!("the two PINs differ; nothing was changed");
    }
    Ok(first.trim().to_string())
}

fn hashed(id: &str, min_len: usize) -> Result<String> {
    pin::hash(&read_pin(id, min_len)?).map_err(|e| anyhow!("{e}; nothing was changed"))
}

/// How `operator list` describes an operator's PIN, token and state.
fn state(o: &Operator) -> &'static str {
    match (o.disabled, o.pin.is_some(), o.token.is_some()) {
        (true, _, _) => "disabled",
        (false, true, true) => "PIN set, token set",
        (false, true, false) => "PIN set",
        (false, false, true) => "no PIN, token set",
        (false, false, false) => "no PIN",
    }
}

pub fn run(env: &Env, actor: Option<&str>, c: OperatorCmd) -> Result<ExitCode> {
    let min_len = env.settings.console.min_pin_length;
    let roster = env.operators()?;
    let known = |id: &str| -> Result<Operator> {
        roster.iter().find(|o| o.id == id).cloned().ok_or_else(|| {
            let ids: Vec<&str> = roster.iter().map(|o| o.id.as_str()).collect();
            anyhow!("unknown operator `{id}`; known: {}", ids.join(", "))
        })
    };
    let set = |op: Operator| env.act(actor, Command::SetOperator { operator: op });
    match c {
        OperatorCmd::List => {
            for o in &roster {
                outln!("{} {} {} {}", fit(&o.id, 12), fit(&o.name, 16), fit(o.role.name(), 11), state(o));
            }
        }
        OperatorCmd::Add { id, name, role } => {
            let role = Role::parse(&role).map_err(|e| anyhow!(e))?;
            if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
                bail!("`{id}` is not an operator id; use letters and digits without spaces");
            }
            if let Some(o) = roster.iter().find(|o| o.id == id) {
                let enable = if o.disabled {
                    format!(", enable them with `yuqing operator enable {id}`")
                } else {
                    String::new()
                };
                bail!(
                    "operator `{id}` exists already ({} {}, {}); nothing was changed. Set or reset their PIN with \
                     `yuqing operator pin {id}`, their role with `yuqing operator role {id} ROLE`{enable}",
                    o.name,
                    o.role,
                    state(o),
                );
            }
            let pin = Some(hashed(&id, min_len)?);
            outln!("{}", set(Operator { id, name, role, pin, token: None, disabled: false })?);
        }
        OperatorCmd::Pin { id } => {
            let mut op = known(&id)?;
            op.pin = Some(hashed(&id, min_len)?);
            let disabled = op.disabled;
            outln!("{}", set(op)?);
            if disabled {
                outln!("still disabled: `yuqing operator enable {id}`");
            }
        }
        OperatorCmd::Disable { id } => {
            let mut op = known(&id)?;
            op.disabled = true;
            outln!("{}", set(op)?);
        }
        OperatorCmd::Enable { id } => {
            let mut op = known(&id)?;
            if !op.disabled {
                outln!("{id} is not disabled; nothing was changed");
                return Ok(ExitCode::SUCCESS);
            }
            op.disabled = false;
            outln!("{}", set(op)?);
        }
        OperatorCmd::Role { id, role } => {
            let mut op = known(&id)?;
            op.role = Role::parse(&role).map_err(|e| anyhow!(e))?;
            outln!("{}", set(op)?);
        }
        OperatorCmd::Token { id } => {
            let mut op = known(&id)?;
            let (token, stored) = crate::config::token::generate();
            op.token = Some(stored);
            let done = set(op)?;
            // The token alone on stdout, so that it can be piped where it is kept.
            outln!("{token}");
            errln!(
                "{done}\nnew token of {id}, shown only now; only its hash is kept, and it replaces the earlier one on \
                 every console. Give it as YUQING_TOKEN to `yuqing --to ADDR --as {id} …`."
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
