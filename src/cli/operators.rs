//! `yuqing operator add|list|disable|token`: the people who act at this console, with
//! their roles and the hashes of their PINs and tokens, in `operators.toml`.

use super::args::OperatorCmd;
use super::open::Env;
use crate::domain::names::Named;
use crate::domain::role::{Operator, Role};
use crate::text::fit;
use anyhow::{Result, anyhow, bail};
use std::process::ExitCode;

fn read_pin(id: &str) -> Result<String> {
    if let Ok(p) = std::env::var("YUQING_PIN") {
        return Ok(p.trim().to_string());
    }
    let first = rpassword::prompt_password(format!("PIN for {id}: "))
        .map_err(|e| anyhow!("cannot read the PIN: {e}; or set YUQING_PIN"))?;
    let again = rpassword::prompt_password("Again: ").map_err(|e| anyhow!("cannot read the PIN: {e}"))?;
    if first != again {
        bail!("the two PINs differ; nothing was changed");
    }
    Ok(first.trim().to_string())
}

pub fn run(env: &Env, c: OperatorCmd) -> Result<ExitCode> {
    let mut settings = env.settings.clone();
    match c {
        OperatorCmd::List => {
            for o in &settings.operators {
                let state = match (o.disabled, o.pin.is_some(), o.token.is_some()) {
                    (true, _, _) => "disabled",
                    (false, true, true) => "PIN set, token set",
                    (false, true, false) => "PIN set",
                    (false, false, true) => "no PIN, token set",
                    (false, false, false) => "no PIN",
                };
                println!("{} {} {} {state}", fit(&o.id, 12), fit(&o.name, 16), fit(o.role.name(), 11));
            }
            return Ok(ExitCode::SUCCESS);
        }
        OperatorCmd::Add { id, name, role } => {
            let role = Role::parse(&role).map_err(|e| anyhow!(e))?;
            if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
                bail!("`{id}` is not an operator id; use letters and digits without spaces");
            }
            if settings.operators.iter().any(|o| o.id == id && o.pin.is_some()) {
                bail!("operator `{id}` exists already with a PIN; nothing was changed");
            }
            let pin = crate::config::pin::hash(&read_pin(&id)?).map_err(|e| anyhow!("{e}; nothing was changed"))?;
            // A built-in operator without a PIN is given one (keeping any token);
            // otherwise a new one is added.
            let token = settings.operators.iter().find(|o| o.id == id).and_then(|o| o.token.clone());
            settings.operators.retain(|o| o.id != id);
            settings.operators.push(Operator { id: id.clone(), name, role, pin: Some(pin), token, disabled: false });
            println!("added {id} ({role})");
        }
        OperatorCmd::Disable { id } => {
            known(&mut settings, &id)?.disabled = true;
            println!("disabled {id} (a console or hub running on this machine refuses them once restarted)");
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
