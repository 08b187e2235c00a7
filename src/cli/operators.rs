//! `yuqing operator add|list|pin|disable|enable|token`: the people who act at this
//! console, with their roles and the hashes of their PINs and tokens, in
//! `operators.toml`. `add` only adds: changing someone who exists has its own command.

use super::args::OperatorCmd;
use super::open::Env;
use crate::config::pin;
use crate::domain::names::Named;
use crate::domain::role::{Operator, Role};
use crate::text::fit;
use anyhow::{Result, anyhow, bail};
use std::process::ExitCode;

/// A new PIN for `id`, from YUQING_PIN or asked twice on the terminal; one that would
/// be refused is refused before it is asked again.
fn read_pin(id: &str, min_len: usize) -> Result<String> {
    let acceptable = |p: &str| pin::acceptable(p, min_len).map_err(|e| anyhow!("{e}; nothing was changed"));
    if let Ok(p) = std::env::var("YUQING_PIN") {
        acceptable(p.trim())?;
        return Ok(p.trim().to_string());
    }
    let first = rpassword::prompt_password(format!("PIN for {id} (at least {min_len} digits or letters): "))
        .map_err(|e| anyhow!("cannot read the PIN: {e}; or set YUQING_PIN"))?;
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

pub fn run(env: &Env, c: OperatorCmd) -> Result<ExitCode> {
    let mut settings = env.settings.clone();
    let min_len = settings.console.min_pin_length;
    let later = "a console or hub running on this machine takes it when restarted";
    match c {
        OperatorCmd::List => {
            for o in &settings.operators {
                println!("{} {} {} {}", fit(&o.id, 12), fit(&o.name, 16), fit(o.role.name(), 11), state(o));
            }
            return Ok(ExitCode::SUCCESS);
        }
        OperatorCmd::Add { id, name, role } => {
            let role = Role::parse(&role).map_err(|e| anyhow!(e))?;
            if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
                bail!("`{id}` is not an operator id; use letters and digits without spaces");
            }
            if let Some(o) = settings.operators.iter().find(|o| o.id == id) {
                let enable = if o.disabled {
                    format!(", enable them with `yuqing operator enable {id}`")
                } else {
                    String::new()
                };
                bail!(
                    "operator `{id}` exists already ({} {}, {}); nothing was changed. Set or reset their PIN with \
                     `yuqing operator pin {id}`{enable}; their name and role are in {}",
                    o.name,
                    o.role,
                    state(o),
                    env.config_dir.join("operators.toml").display()
                );
            }
            let pin = hashed(&id, min_len)?;
            settings.operators.push(Operator {
                id: id.clone(),
                name,
                role,
                pin: Some(pin),
                token: None,
                disabled: false,
            });
            println!("added {id} ({role})");
        }
        OperatorCmd::Pin { id } => {
            let had = known(&mut settings, &id)?.pin.is_some();
            let pin = hashed(&id, min_len)?;
            let op = known(&mut settings, &id)?;
            op.pin = Some(pin);
            let disabled =
                if op.disabled { format!("; still disabled: `yuqing operator enable {id}`") } else { String::new() };
            println!("{} the PIN of {id} ({later}){disabled}", if had { "replaced" } else { "set" });
        }
        OperatorCmd::Disable { id } => {
            known(&mut settings, &id)?.disabled = true;
            println!("disabled {id} ({later})");
        }
        OperatorCmd::Enable { id } => {
            let op = known(&mut settings, &id)?;
            if !op.disabled {
                println!("{id} is not disabled; nothing was changed");
                return Ok(ExitCode::SUCCESS);
            }
            op.disabled = false;
            println!("enabled {id} ({later})");
        }
        OperatorCmd::Token { id } => {
            let (token, stored) = crate::config::token::generate();
            known(&mut settings, &id)?.token = Some(stored);
            let path = settings.write_operators(&env.config_dir)?;
            // The token alone on stdout, so that it can be piped where it is kept.
            println!("{token}");
            eprintln!(
                "new token of {id}, shown only now; {} keeps only its hash. A console or hub running on this machine\n\
                 takes it (and drops the earlier one) when restarted. Give it as YUQING_TOKEN to\n\
                 `yuqing --to ADDR --as {id} …` aimed at this console.",
                path.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
    }
    let path = settings.write_operators(&env.config_dir)?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The operator `id`; the error lists the known ones.
fn known<'a>(settings: &'a mut crate::config::Settings, id: &str) -> Result<&'a mut Operator> {
    let ids: Vec<String> = settings.operators.iter().map(|o| o.id.clone()).collect();
    settings
        .operators
        .iter_mut()
        .find(|o| o.id == id)
        .ok_or_else(|| anyhow!("unknown operator `{id}`; known: {}", ids.join(", ")))
}
