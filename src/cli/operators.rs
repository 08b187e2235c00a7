//! `yuqing operator add|list|disable`: the people who act at this console, with their
//! roles and PIN hashes, in `operators.toml`.

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
                let state = if o.disabled {
                    "disabled"
                } else if o.pin.is_some() {
                    "PIN set"
                } else {
                    "no PIN"
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
            // A built-in operator without a PIN is given one; otherwise a new one is added.
            settings.operators.retain(|o| o.id != id);
            settings.operators.push(Operator { id: id.clone(), name, role, pin: Some(pin), disabled: false });
            println!("added {id} ({role})");
        }
        OperatorCmd::Disable { id } => {
            let known: Vec<String> = settings.operators.iter().map(|o| o.id.clone()).collect();
            let op = settings
                .operators
                .iter_mut()
                .find(|o| o.id == id)
                .ok_or_else(|| anyhow!("unknown operator `{id}`; known: {}", known.join(", ")))?;
            op.disabled = true;
            println!("disabled {id}");
        }
    }
    let path = settings.write_operators(&env.config_dir)?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}
