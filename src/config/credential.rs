//! Who is acting through `--to`: the operator a `submit` or `command` names, proved by
//! that operator's PIN or token (the `credential` field of those messages), checked
//! against the receiving console's own `operators.toml`.

use super::{pin, token};
use crate::domain::role::Operator;
use serde::{Deserialize, Serialize};

/// The proof sent with a remote action: `{"pin":"…"}` or `{"token":"yqt_…"}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Credential {
    Pin(String),
    Token(String),
}

impl Credential {
    /// A secret typed by a person: a token when it has the token prefix, else a PIN.
    pub fn typed(secret: &str) -> Credential {
        let secret = secret.trim().to_string();
        if token::looks_like_token(&secret) { Credential::Token(secret) } else { Credential::Pin(secret) }
    }
}

// Messages are logged with `{:?}`: never the secret.
impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credential::Pin(_) => "Pin(…)",
            Credential::Token(_) => "Token(…)",
        })
    }
}

/// Why a remote action was refused before it was decided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The named operator is not in this console's `operators.toml`.
    #[error("{0}")]
    Unknown(String),
    #[error(
        "operator `{id}` has no PIN or token on console {console} and cannot act through it; run `yuqing operator token {id}` there"
    )]
    NothingToCheck { id: String, console: String },
    #[error("no PIN or token sent for operator `{id}`; acting through another console needs one")]
    NoCredential { id: String },
    #[error("wrong PIN or token for operator `{id}`")]
    Wrong { id: String },
    #[error("operator `{id}` is disabled on console {console}")]
    Disabled { id: String, console: String },
}

impl AuthError {
    /// The refusal in both languages.
    pub fn said(&self) -> crate::domain::said::Said {
        let zh = match self {
            AuthError::Unknown(en) => en.clone(),
            AuthError::NothingToCheck { id, console } => format!(
                "值守人员 `{id}` 在值守台 {console} 上既无口令也无令牌，不能经它办理；请在那里运行 `yuqing operator token {id}`"
            ),
            AuthError::NoCredential { id } => {
                format!("没有给出值守人员 `{id}` 的口令或令牌；经另一台值守台办理须有其一")
            }
            AuthError::Wrong { id } => format!("值守人员 `{id}` 的口令或令牌不对"),
            AuthError::Disabled { id, console } => format!("值守人员 `{id}` 在值守台 {console} 上已停用"),
        };
        crate::domain::said::Said::new(self.to_string(), zh)
    }
}

/// Checks that `credential` proves `op` at the console named `console`, and that `op`
/// may act. A PIN is checked with argon2 (slow on purpose: call it off the async
/// threads), a token by its hash.
pub fn authenticate(op: &Operator, console: &str, credential: Option<&Credential>) -> Result<(), AuthError> {
    let id = || op.id.clone();
    if op.pin.is_none() && op.token.is_none() {
        return Err(AuthError::NothingToCheck { id: id(), console: console.into() });
    }
    let proved = match credential {
        None => return Err(AuthError::NoCredential { id: id() }),
        Some(Credential::Pin(p)) => op.pin.as_deref().is_some_and(|stored| pin::check(stored, p)),
        Some(Credential::Token(t)) => op.token.as_deref().is_some_and(|stored| token::check(stored, t)),
    };
    if !proved {
        return Err(AuthError::Wrong { id: id() });
    }
    if op.disabled {
        return Err(AuthError::Disabled { id: id(), console: console.into() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::Role;

    fn chief(pin: Option<&str>, token: Option<&str>) -> Operator {
        Operator {
            id: "chief".into(),
            name: String::new(),
            role: Role::Supervisor,
            pin: pin.map(|p| super::pin::hash(p).unwrap()),
            token: token.map(super::token::hash),
            disabled: false,
        }
    }

    #[test]
    fn a_pin_or_a_token_proves_the_operator_and_nothing_else_does() {
        let op = chief(Some("2468"), Some("yqt_abc"));
        assert_eq!(authenticate(&op, "A", Some(&Credential::Pin("2468".into()))), Ok(()));
        assert_eq!(authenticate(&op, "A", Some(&Credential::Token("yqt_abc".into()))), Ok(()));
        let wrong = Err(AuthError::Wrong { id: "chief".into() });
        assert_eq!(authenticate(&op, "A", Some(&Credential::Pin("2469".into()))), wrong);
        assert_eq!(authenticate(&op, "A", Some(&Credential::Token("yqt_abd".into()))), wrong);
        // A PIN is not a token, nor the other way round.
        assert_eq!(authenticate(&op, "A", Some(&Credential::Pin("yqt_abc".into()))), wrong);
        assert_eq!(authenticate(&op, "A", Some(&Credential::Token("2468".into()))), wrong);
        let none = authenticate(&op, "A", None).unwrap_err().to_string();
        assert_eq!(none, "no PIN or token sent for operator `chief`; acting through another console needs one");
    }

    #[test]
    fn an_operator_without_pin_or_token_is_told_how_to_get_one() {
        let e = authenticate(&chief(None, None), "A", Some(&Credential::Pin("2468".into()))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "operator `chief` has no PIN or token on console A and cannot act through it; run `yuqing operator token chief` there"
        );
    }

    #[test]
    fn a_disabled_operator_is_refused_even_with_the_right_token() {
        let mut op = chief(None, Some("yqt_abc"));
        op.disabled = true;
        let e = authenticate(&op, "A", Some(&Credential::Token("yqt_abc".into()))).unwrap_err();
        assert_eq!(e.to_string(), "operator `chief` is disabled on console A");
    }

    #[test]
    fn the_secret_never_shows_in_debug_output() {
        assert_eq!(format!("{:?}", Credential::Token("yqt_secret".into())), "Token(…)");
        assert_eq!(Credential::typed(" yqt_1 \n"), Credential::Token("yqt_1".into()));
        assert_eq!(Credential::typed("2468\n"), Credential::Pin("2468".into()));
    }
}
