//! Who may do what: one table of role × kind of command. `decide` refuses by it, and
//! the console asks it what to offer (its forms, footer and help screen), so the two
//! cannot drift. Rules about the state a command finds (an open case, a new item) stay
//! in `decide`; this table knows only roles.

use crate::domain::names::Named;
use crate::domain::role::Role;

/// A kind of command, without its fields: what the table speaks of. One per
/// [`Command`](crate::domain::command::Command) variant (`Command::kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommandKind {
    ReceiveItem,
    DismissItem,
    RestoreItem,
    ExpireItem,
    OpenCase,
    AttachItem,
    Classify,
    Assign,
    Transfer,
    Acknowledge,
    Escalate,
    ReportCounty,
    Refer,
    Draft,
    SignOff,
    AgreeWording,
    Approve,
    ReturnDraft,
    Publish,
    PressConference,
    RequestExtension,
    Extend,
    Note,
    Mark,
    Close,
    Reopen,
    HandOver,
    RecordSession,
    RecordMonitoring,
    SetOperator,
    UpdateReach,
    PaceDrill,
    NoteDrill,
    RevokeConsole,
}

impl CommandKind {
    /// Every kind, in the order of `Command`.
    pub const ALL: &'static [CommandKind] = &[
        CommandKind::ReceiveItem,
        CommandKind::DismissItem,
        CommandKind::RestoreItem,
        CommandKind::ExpireItem,
        CommandKind::OpenCase,
        CommandKind::AttachItem,
        CommandKind::Classify,
        CommandKind::Assign,
        CommandKind::Transfer,
        CommandKind::Acknowledge,
        CommandKind::Escalate,
        CommandKind::ReportCounty,
        CommandKind::Refer,
        CommandKind::Draft,
        CommandKind::SignOff,
        CommandKind::AgreeWording,
        CommandKind::Approve,
        CommandKind::ReturnDraft,
        CommandKind::Publish,
        CommandKind::PressConference,
        CommandKind::RequestExtension,
        CommandKind::Extend,
        CommandKind::Note,
        CommandKind::Mark,
        CommandKind::Close,
        CommandKind::Reopen,
        CommandKind::HandOver,
        CommandKind::RecordSession,
        CommandKind::RecordMonitoring,
        CommandKind::SetOperator,
        CommandKind::UpdateReach,
        CommandKind::PaceDrill,
        CommandKind::NoteDrill,
        CommandKind::RevokeConsole,
    ];
}

/// Which roles a kind of command is open to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Every role, a viewer too: a record of who sat at the terminal, not a change.
    Anyone,
    /// Every role but a viewer.
    Acting,
    /// Supervisors (带班领导) only.
    Supervisor,
    /// Trainers and supervisors: the drill's clock and notes.
    Trainer,
}

impl Who {
    /// True when `role` is among these.
    pub fn admits(self, role: Role) -> bool {
        match self {
            Who::Anyone => true,
            Who::Acting => role != Role::Viewer,
            Who::Supervisor => role == Role::Supervisor,
            Who::Trainer => matches!(role, Role::Trainer | Role::Supervisor),
        }
    }

    /// The roles admitted, in the order roles are listed.
    pub fn roles(self) -> Vec<Role> {
        Role::ALL.iter().map(|(r, _, _)| *r).filter(|r| self.admits(*r)).collect()
    }
}

/// The table: which roles may send each kind of command. No wildcard arm, so a new
/// command cannot be added without saying who may send it.
pub fn who(kind: CommandKind) -> Who {
    use CommandKind::*;
    match kind {
        HandOver | RecordSession => Who::Anyone,
        ReceiveItem | DismissItem | RestoreItem | ExpireItem | OpenCase | AttachItem | Classify | Assign | Transfer
        | Acknowledge | ReportCounty | Refer | Draft | SignOff | Publish | PressConference | Note | Close | Reopen
        | UpdateReach | RecordMonitoring | RequestExtension => Who::Acting,
        Approve | ReturnDraft | AgreeWording | Escalate | Extend | Mark | RevokeConsole | SetOperator => {
            Who::Supervisor
        }
        PaceDrill | NoteDrill => Who::Trainer,
    }
}

/// True when `role` may send commands of `kind`.
pub fn allows(role: Role, kind: CommandKind) -> bool {
    who(kind).admits(role)
}

/// `Ok` when `role` may send `kind`; otherwise what a refusal says would be needed.
pub fn check(role: Role, kind: CommandKind) -> Result<(), &'static str> {
    let w = who(kind);
    if w.admits(role) {
        return Ok(());
    }
    Err(match w {
        Who::Supervisor if role != Role::Viewer => "only a supervisor may",
        Who::Trainer if role != Role::Viewer => "only a trainer or a supervisor may",
        _ => "a viewer changes nothing",
    })
}

/// True when `role` may publish a response no supervisor approved as a draft (a
/// supervisor's own publication is its approval).
pub fn publishes_unapproved(role: Role) -> bool {
    role == Role::Supervisor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_supervisors_approve_escalate_extend_mark_and_revoke() {
        for kind in [CommandKind::Approve, CommandKind::Escalate, CommandKind::Extend, CommandKind::Mark] {
            assert_eq!(who(kind).roles(), vec![Role::Supervisor], "{kind:?}");
        }
        assert_eq!(who(CommandKind::PaceDrill).roles(), vec![Role::Supervisor, Role::Trainer]);
        assert_eq!(check(Role::Operator, CommandKind::PaceDrill), Err("only a trainer or a supervisor may"));
        assert_eq!(check(Role::Viewer, CommandKind::Note), Err("a viewer changes nothing"));
        assert!(allows(Role::Viewer, CommandKind::HandOver), "anyone records who sat at the terminal");
    }
}
