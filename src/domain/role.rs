//! Who may act: operators and their roles.

use crate::domain::names::Named;
use crate::named_serde;

/// What an operator is allowed to do; checked in `decide`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Duty officer: triages, opens and handles cases, drafts and publishes approved responses.
    Operator,
    /// Also approves responses, escalates, extends deadlines and marks accountability.
    Supervisor,
    /// Runs drills; handles cases like an operator.
    Trainer,
    /// Reads only.
    Viewer,
}

impl Named for Role {
    const WHAT: &'static str = "role";
    const WHAT_ZH: &'static str = "角色";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Role::Operator, "operator", "值班员"),
        (Role::Supervisor, "supervisor", "带班领导"),
        (Role::Trainer, "trainer", "培训员"),
        (Role::Viewer, "viewer", "查看人员"),
    ];
}
named_serde!(Role);

/// One person who can act at a console.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// Argon2 hash of the operator's PIN (`yuqing operator add` or `operator pin`); none: no PIN asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
    /// SHA-256 of the operator's token (`yuqing operator token`), for acting through
    /// `--to`; none: no token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// A disabled operator can no longer sign in or act.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

/// The operators in force: `roster` (as the roster events set them) over `seed` (the
/// operators a console's `operators.toml` names): an operator no event named yet is the
/// seed's.
pub fn with_roster(seed: &[Operator], roster: Vec<Operator>) -> Vec<Operator> {
    let mut out = seed.to_vec();
    for o in roster {
        match out.iter_mut().find(|x| x.id == o.id) {
            Some(x) => *x = o,
            None => out.push(o),
        }
    }
    out
}
