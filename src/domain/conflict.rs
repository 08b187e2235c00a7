//! Concurrent actions: the merge rule every console applies to actions whose authors
//! could not see each other, and the conflict records that say who lost to whom.
//!
//! The rule depends only on the events, never on the order they arrive in:
//! - An item takes one triage. Putting it into a case (opening a case from it or
//!   attaching it) beats dismissing it, whatever the order; otherwise the first triage
//!   in the total order wins. Every other triage of the item lost.
//! - A case's actions fold in the total order. A close of a case that is already
//!   closed lost to the close that closed it; an acknowledgement by a department no
//!   longer on the case lost to the transfer (or assignment) that took it off.
//!
//! Knows nothing of storage or screens: [`conflicts`] is a pure function of the
//! claims on one item or case.

use crate::domain::case::{Case, Outcome};
use crate::domain::event::{Aggregate, Event, EventBody, OrderKey};
use crate::domain::item::ItemStatus;
use serde::{Deserialize, Serialize};

/// What an action on an item or a case tried to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "deed", rename_all = "snake_case")]
pub enum Deed {
    /// The item was dismissed.
    Dismissed {
        reason: String,
    },
    /// The item was put into a case (opened from it or attached to it).
    Attached {
        case: String,
    },
    /// The case was opened with these departments.
    Opened {
        lead: String,
        co: Vec<String>,
    },
    Assigned {
        lead: String,
        co: Vec<String>,
    },
    Transferred {
        to: String,
    },
    Acknowledged {
        dept: String,
    },
    Closed {
        outcome: Outcome,
    },
    Reopened,
}

/// One action on an item or a case, as conflict detection sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The event's place in the total order (its console and sequence number too).
    pub key: OrderKey,
    pub operator: String,
    #[serde(flatten)]
    pub deed: Deed,
}

impl Claim {
    /// The claim `ev` makes on `on`, if it is an action the merge rule looks at.
    pub fn of(ev: &Event, on: &Aggregate) -> Option<Claim> {
        use EventBody::*;
        let deed = match (on, &ev.body) {
            (Aggregate::Item(_), ItemDismissed { reason, .. }) => Deed::Dismissed { reason: reason.clone() },
            (Aggregate::Item(_), CaseOpened { case, .. } | ItemAttached { case, .. }) => {
                Deed::Attached { case: case.clone() }
            }
            (Aggregate::Case(_), CaseOpened { lead, co, .. }) => Deed::Opened { lead: lead.clone(), co: co.clone() },
            (Aggregate::Case(_), DepartmentsAssigned { lead, co, .. }) => {
                Deed::Assigned { lead: lead.clone(), co: co.clone() }
            }
            (Aggregate::Case(_), CaseTransferred { to, .. }) => Deed::Transferred { to: to.clone() },
            (Aggregate::Case(_), CaseAcknowledged { dept, .. }) => Deed::Acknowledged { dept: dept.clone() },
            (Aggregate::Case(_), CaseClosed { outcome, .. }) => Deed::Closed { outcome: *outcome },
            (Aggregate::Case(_), CaseReopened { .. }) => Deed::Reopened,
            _ => return None,
        };
        Some(Claim { key: ev.order_key(), operator: ev.operator.clone(), deed })
    }

    /// The console the action was taken on.
    pub fn console(&self) -> &str {
        &self.key.1
    }

    /// `console:seq`, as events are named elsewhere.
    pub fn event(&self) -> String {
        format!("{}:{}", self.key.1, self.key.2)
    }
}

/// Which part of the merge rule decided a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Putting an item into a case beats dismissing it, whatever the order.
    CaseBeatsDismissal,
    /// Of two triages of one item otherwise, the first in the total order wins.
    FirstTriageWins,
    /// A case closed once stays closed as the first close left it.
    FirstCloseWins,
    /// The department had been taken off the case before it acknowledged.
    TransferBeforeAck,
}

impl Rule {
    /// The rule's name, as the audit prints it.
    pub fn name(self) -> &'static str {
        match self {
            Rule::CaseBeatsDismissal => "case_beats_dismissal",
            Rule::FirstTriageWins => "first_triage_wins",
            Rule::FirstCloseWins => "first_close_wins",
            Rule::TransferBeforeAck => "transfer_before_ack",
        }
    }
}

/// One action that lost to a concurrent one its author could not have seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The item (`A.12`) or case (`A-0003`) both acted on.
    pub subject: String,
    pub lost: Claim,
    pub won: Claim,
    pub rule: Rule,
}

/// Triage weight: a case beats a dismissal.
fn rank(deed: &Deed) -> u8 {
    matches!(deed, Deed::Attached { .. }) as u8
}

/// True if a triage with `status` at `key` wins over the current one (`old`, set at
/// `old_key`): the merge rule for items, as the item fold uses it.
pub fn triage_wins(status: &ItemStatus, key: &OrderKey, old: &ItemStatus, old_key: &OrderKey) -> bool {
    let weight = |s: &ItemStatus| matches!(s, ItemStatus::Attached { .. }) as u8;
    (weight(status), std::cmp::Reverse(key)) > (weight(old), std::cmp::Reverse(old_key))
}

/// True if `ev`, folded after every other event of `case`, lost to one of them: a
/// close of a closed case, or an acknowledgement by a department no longer on it.
/// Only then can a case's newest event add a conflict.
pub fn loses_when_last(case: &Case, ev: &EventBody) -> bool {
    match ev {
        EventBody::CaseClosed { .. } => !case.is_open(),
        EventBody::CaseAcknowledged { dept, .. } => !case.involves(dept),
        _ => false,
    }
}

/// The departments of a case before the first claim given, when the claims do not
/// include its opening (a console that started after the case was opened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub lead: String,
    pub co: Vec<String>,
}

/// The conflicts among the claims on one item or case, in any order; sorted by the
/// losing action's place in the total order.
pub fn conflicts(on: &Aggregate, start: Option<&Start>, claims: &[Claim]) -> Vec<Conflict> {
    let mut sorted: Vec<&Claim> = claims.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    sorted.dedup_by(|a, b| a.key == b.key);
    match on {
        Aggregate::Item(id) => item_conflicts(id, &sorted),
        Aggregate::Case(no) => case_conflicts(no, start, &sorted),
    }
}

fn item_conflicts(id: &str, claims: &[&Claim]) -> Vec<Conflict> {
    let Some(won) = claims.iter().copied().max_by_key(|c| (rank(&c.deed), std::cmp::Reverse(&c.key))) else {
        return vec![];
    };
    claims
        .iter()
        .filter(|c| c.key != won.key)
        .map(|lost| Conflict {
            subject: id.to_string(),
            lost: (*lost).clone(),
            won: won.clone(),
            rule: if rank(&won.deed) > rank(&lost.deed) { Rule::CaseBeatsDismissal } else { Rule::FirstTriageWins },
        })
        .collect()
}

fn case_conflicts(no: &str, start: Option<&Start>, claims: &[&Claim]) -> Vec<Conflict> {
    let mut depts = start.map(|s| (s.lead.clone(), s.co.clone()));
    let (mut closed_by, mut moved_by): (Option<&Claim>, Option<&Claim>) = (None, None);
    let mut out = Vec::new();
    let mut lose = |lost: &Claim, won: &Claim, rule| {
        out.push(Conflict { subject: no.to_string(), lost: lost.clone(), won: won.clone(), rule });
    };
    for &c in claims {
        match &c.deed {
            Deed::Opened { lead, co } => depts = Some((lead.clone(), co.clone())),
            Deed::Assigned { lead, co } => {
                depts = Some((lead.clone(), co.clone()));
                moved_by = Some(c);
            }
            Deed::Transferred { to } => {
                if let Some((lead, co)) = &mut depts {
                    *lead = to.clone();
                    co.retain(|d| d != to);
                }
                moved_by = Some(c);
            }
            Deed::Acknowledged { dept } => {
                let off = depts.as_ref().is_some_and(|(lead, co)| lead != dept && !co.contains(dept));
                if let (true, Some(won)) = (off, moved_by) {
                    lose(c, won, Rule::TransferBeforeAck);
                }
            }
            Deed::Closed { .. } => match closed_by {
                Some(won) => lose(c, won, Rule::FirstCloseWins),
                None => closed_by = Some(c),
            },
            Deed::Reopened => closed_by = None,
            Deed::Dismissed { .. } | Deed::Attached { .. } => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hlc::Stamp;

    fn claim(ms: i64, console: &str, operator: &str, deed: Deed) -> Claim {
        Claim { key: OrderKey(Stamp { ms, n: 0 }, console.into(), 1), operator: operator.into(), deed }
    }

    fn dismissed(ms: i64, console: &str) -> Claim {
        claim(ms, console, "duty", Deed::Dismissed { reason: "无关".into() })
    }

    fn attached(ms: i64, console: &str, case: &str) -> Claim {
        claim(ms, console, "chief", Deed::Attached { case: case.into() })
    }

    fn item() -> Aggregate {
        Aggregate::Item("A.12".into())
    }

    #[test]
    fn given_a_dismissal_and_an_earlier_or_later_attach_then_the_attach_wins_either_way() {
        for (d, a) in [(1, 2), (2, 1)] {
            let claims = vec![dismissed(d, "B"), attached(a, "A", "A-0003")];
            let found = conflicts(&item(), None, &claims);
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].lost.deed, claims[0].deed);
            assert_eq!(found[0].won.deed, claims[1].deed);
            assert_eq!(found[0].rule, Rule::CaseBeatsDismissal);
        }
    }

    #[test]
    fn given_two_attaches_then_the_first_in_the_total_order_wins_whatever_the_order_given() {
        let (first, second) = (attached(1, "B", "B-0001"), attached(2, "A", "A-0003"));
        let one = conflicts(&item(), None, &[first.clone(), second.clone()]);
        let other = conflicts(&item(), None, &[second.clone(), first.clone()]);
        assert_eq!(one, other);
        assert_eq!((one[0].won.clone(), one[0].lost.clone(), one[0].rule), (first, second, Rule::FirstTriageWins));
    }

    #[test]
    fn given_a_single_triage_then_nothing_conflicts() {
        assert!(conflicts(&item(), None, &[dismissed(1, "A")]).is_empty());
    }

    #[test]
    fn given_two_closes_then_the_second_lost_but_a_close_after_a_reopen_did_not() {
        let case = Aggregate::Case("A-0001".into());
        let close = |ms, console| claim(ms, console, "duty", Deed::Closed { outcome: Outcome::Solved });
        let opened = claim(0, "A", "duty", Deed::Opened { lead: "zjj".into(), co: vec![] });
        let found = conflicts(&case, None, &[close(2, "B"), opened.clone(), close(1, "A")]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].lost.console(), found[0].won.console(), found[0].rule), ("B", "A", Rule::FirstCloseWins));
        let reopened = claim(3, "A", "chief", Deed::Reopened);
        assert_eq!(conflicts(&case, None, &[opened, close(1, "A"), reopened, close(4, "B")]), vec![]);
    }

    #[test]
    fn given_a_transfer_before_an_acknowledgement_by_the_old_lead_then_the_acknowledgement_lost() {
        let case = Aggregate::Case("A-0001".into());
        let start = Start { lead: "zjj".into(), co: vec!["jtj".into()] };
        let moved = claim(1, "A", "chief", Deed::Transferred { to: "jtj".into() });
        let ack = |dept: &str| claim(2, "B", "duty", Deed::Acknowledged { dept: dept.into() });
        let found = conflicts(&case, Some(&start), &[ack("zjj"), moved.clone()]);
        assert_eq!((found[0].won.clone(), found[0].rule), (moved.clone(), Rule::TransferBeforeAck));
        assert!(conflicts(&case, Some(&start), &[ack("jtj"), moved.clone()]).is_empty(), "the new lead may ack");
        let early = claim(0, "B", "duty", Deed::Acknowledged { dept: "zjj".into() });
        assert!(conflicts(&case, Some(&start), &[moved, early]).is_empty(), "acknowledged before the transfer");
    }
}
