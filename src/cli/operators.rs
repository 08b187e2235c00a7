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

/// `p` as a new PIN, or why not, in the terminal's language.
fn acceptable(p: &str, min_len: usize) -> Result<()> {
    pin::acceptable(p, min_len).map_err(|e| {
        let (zh, en) = (&e.zh, &e.en);
        anyhow!(said!("{zh}；未作任何更改", "{en}; nothing was changed"))
    })
}

/// A new PIN for `id`, from YUQING_NEW_PIN or asked twice on the terminal; one that
/// would be refused is refused before it is asked again.
fn read_pin(id: &str, min_len: usize) -> Result<String> {
    if let Ok(p) = std::env::var("YUQING_NEW_PIN") {
        acceptable(p.trim(), min_len)?;
        return Ok(p.trim().to_string());
    }
    let first = rpassword::prompt_password(said!(
        "{id} 的新口令（至少 {min_len} 位数字或字母）：",
        "New PIN for {id} (at least {min_len} digits or letters): "
    ))
    .map_err(|e| {
        anyhow!(said!("无法读取口令：{e}；也可设置 YUQING_NEW_PIN", "cannot read the PIN: {e}; or set YUQING_NEW_PIN"))
    })?;
    acceptable(first.trim(), min_len)?;
    let again = rpassword::prompt_password(said!("再输入一次：", "Again: "))
        .map_err(|e| anyhow!(said!("无法读取口令：{e}", "cannot read the PIN: {e}")))?;
    if first.trim() != again.trim() {
        bail!("{}", said!("两次输入的口令不一致；未作任何更改", "the two PINs differ; nothing was changed"));
    }
    Ok(first.trim().to_string())
}

fn hashed(id: &str, min_len: usize) -> Result<String> {
    pin::hash(&read_pin(id, min_len)?)
        .map_err(|e| anyhow!(said!("无法计算口令的哈希值：{e}；未作任何更改", "{e}; nothing was changed")))
}

/// How `operator list` describes an operator's PIN, token and state.
fn state(o: &Operator) -> String {
    match (o.disabled, o.pin.is_some(), o.token.is_some()) {
        (true, _, _) => said!("已停用", "disabled"),
        (false, true, true) => said!("已设口令，已设令牌", "PIN set, token set"),
        (false, true, false) => said!("已设口令", "PIN set"),
        (false, false, true) => said!("未设口令，已设令牌", "no PIN, token set"),
        (false, false, false) => said!("未设口令", "no PIN"),
    }
}

/// A role as people read it: its Chinese name, or its English one.
fn role_words(role: Role) -> &'static str {
    crate::i18n::Lang::of_terminal().t(role.zh(), role.name())
}

pub fn run(env: &Env, actor: Option<&str>, c: OperatorCmd) -> Result<ExitCode> {
    let min_len = env.settings.console.min_pin_length;
    let roster = env.operators()?;
    let known =
        |id: &str| -> Result<Operator> { crate::config::roster_operator(&roster, id).map_err(super::words::told) };
    let set = |op: Operator| env.act(actor, Command::SetOperator { operator: op });
    match c {
        OperatorCmd::List => {
            for o in &roster {
                outln!("{} {} {} {}", fit(&o.id, 12), fit(&o.name, 16), fit(role_words(o.role), 11), state(o));
            }
        }
        OperatorCmd::Add { id, name, role } => {
            let role = super::words::named::<Role>(&role)?;
            if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
                bail!(
                    "{}",
                    said!(
                        "`{id}` 不是值守人员编号；请用字母和数字，不要有空格",
                        "`{id}` is not an operator id; use letters and digits without spaces"
                    )
                );
            }
            if let Some(o) = roster.iter().find(|o| o.id == id) {
                let enable = match (o.disabled, crate::i18n::Lang::of_terminal()) {
                    (false, _) => String::new(),
                    (true, crate::i18n::Lang::Zh) => format!("；启用请用 `yuqing operator enable {id}`"),
                    (true, crate::i18n::Lang::En) => format!(", enable them with `yuqing operator enable {id}`"),
                };
                let (name, role, role_zh, state) = (&o.name, o.role, o.role.zh(), state(o));
                bail!(
                    "{}",
                    said!(
                        "值守人员 `{id}` 已存在（{name}，{role_zh}，{state}），未作任何更改。设置或重设其口令请用 \
                         `yuqing operator pin {id}`，更改其角色请用 `yuqing operator role {id} ROLE`{enable}",
                        "operator `{id}` exists already ({name} {role}, {state}); nothing was changed. Set or reset \
                         their PIN with `yuqing operator pin {id}`, their role with `yuqing operator role {id} \
                         ROLE`{enable}"
                    )
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
                outln!(
                    "{}",
                    said!("仍为停用：`yuqing operator enable {id}`", "still disabled: `yuqing operator enable {id}`")
                );
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
                outln!("{}", said!("{id} 未被停用；未作任何更改", "{id} is not disabled; nothing was changed"));
                return Ok(ExitCode::SUCCESS);
            }
            op.disabled = false;
            outln!("{}", set(op)?);
        }
        OperatorCmd::Role { id, role } => {
            let mut op = known(&id)?;
            op.role = super::words::named::<Role>(&role)?;
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
                "{}",
                said!(
                    "{done}\n{id} 的新令牌，只在此刻显示一次；只保存其哈希值，它在每台值守台上取代之前的令牌。\
                     使用时以 YUQING_TOKEN 提供给 `yuqing --to ADDR --as {id} …`。",
                    "{done}\nnew token of {id}, shown only now; only its hash is kept, and it replaces the earlier one \
                     on every console. Give it as YUQING_TOKEN to `yuqing --to ADDR --as {id} …`."
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
