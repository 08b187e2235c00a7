//! Folding events into item and case projections. Holds no rules: an event always
//! applies, whatever order it arrives in; the caller folds each aggregate's events in
//! the total order, so the result does not depend on arrival order. Concurrent
//! actions follow the merge rule of [`crate::domain::conflict`].

use crate::domain::case::{Act, Case, CaseStatus, Draft, ExtensionRequest, Published, ResponseKind, Severity, Wording};
use crate::domain::conflict::triage_wins;
use crate::domain::event::{Event, EventBody};
use crate::domain::item::{Item, ItemStatus};
use crate::domain::milestone::{Milestone, MilestoneKind};
use chrono::{DateTime, Duration, Utc};

/// Applies one event to an item projection. The status is a register that keeps the
/// winning triage ([`triage_wins`]: a case beats a dismissal, otherwise the first in
/// the total order), so a triage event that arrives late changes nothing it should not.
pub fn apply_item(item: Option<Item>, ev: &Event) -> Option<Item> {
    use EventBody::*;
    let status = match (&ev.body, item) {
        (ItemReceived { id, item: fields }, None) => {
            return Some(Item {
                id: id.clone(),
                fields: fields.clone(),
                received_at: ev.at(),
                status: ItemStatus::New,
                status_key: None,
            });
        }
        (_, None) => return None,
        (ItemReachUpdated { reach, .. }, Some(mut it)) => {
            it.fields.reach = Some(it.fields.reach.unwrap_or(0).max(*reach));
            return Some(it);
        }
        (ItemRestored { .. }, Some(mut it)) => {
            if matches!(it.status, ItemStatus::Dismissed { .. } | ItemStatus::Expired { .. }) {
                it.status = ItemStatus::New;
                it.status_key = None;
            }
            return Some(it);
        }
        // An expiry takes only an untriaged item and holds no triage key, so any triage,
        // earlier or later in the total order, beats it whatever order they arrive in.
        (ItemExpired { .. }, Some(mut it)) => {
            if it.status == ItemStatus::New {
                it.status = ItemStatus::Expired { at: ev.at() };
            }
            return Some(it);
        }
        (ItemDismissed { reason, .. }, Some(it)) => {
            (ItemStatus::Dismissed { reason: reason.clone(), by: ev.operator.clone(), at: ev.at() }, it)
        }
        (CaseOpened { case, .. } | ItemAttached { case, .. }, Some(it)) => {
            (ItemStatus::Attached { case: case.clone() }, it)
        }
        (_, it) => return it,
    };
    let (status, mut it) = status;
    let key = ev.order_key();
    if it.status_key.as_ref().is_none_or(|k| triage_wins(&status, &key, &it.status, k)) {
        it.status = status;
        it.status_key = Some(key);
    }
    Some(it)
}

/// Drops from a case the items that another case won: `attached_to(id)` is the case an
/// item is attached to, if any (unknown items stay listed).
pub fn keep_won_items(case: &mut Case, attached_to: impl Fn(&str) -> Option<String>) {
    let no = case.no.clone();
    case.items.retain(|id| attached_to(id).is_none_or(|c| c == no));
}

/// The version of the folding rules below. Bump it when a change would fold the same
/// events into different cases: a database written under another version has its
/// cases refolded when it is opened (`Writer::refold_if_rules_changed`).
pub const FOLD_RULES: u16 = 2;

fn milestone(kind: MilestoneKind, due: DateTime<Utc>, since: DateTime<Utc>) -> Milestone {
    Milestone::new(kind, due, since)
}

fn act(ev: &Event, dept: Option<&str>, text: &str) -> Act {
    Act { at: ev.at(), by: ev.operator.clone(), dept: dept.map(str::to_string), text: text.to_string() }
}

/// Marks the earliest pending milestone of `kind` met by `ev`; true if one was.
fn meet(case: &mut Case, kind: MilestoneKind, ev: &Event) -> bool {
    let pending = case.milestones.iter_mut().filter(|m| m.kind == kind && m.pending()).min_by_key(|m| m.due);
    match pending {
        Some(m) => {
            m.met_at = Some(ev.at());
            m.met_by = Some(ev.id.to_string());
            true
        }
        None => false,
    }
}

/// Recomputes milestones after reclassification at `at`: met ones stay met, extended
/// ones keep their due, a pending update keeps its own schedule, the rest follow the
/// new plan, counted from `since`. A milestone the new plan drops after it fell due
/// unmet is kept as lapsed: the lateness stays on record.
fn replan(case: &mut Case, plan: &[(MilestoneKind, DateTime<Utc>)], since: DateTime<Utc>, at: DateTime<Utc>) {
    let mut next: Vec<Milestone> = case.milestones.iter().filter(|m| !m.pending()).cloned().collect();
    for m in case.milestones.iter().filter(|m| m.pending() && m.due < at && m.kind != MilestoneKind::CountyUpdate) {
        if !plan.iter().any(|(k, _)| *k == m.kind) {
            next.push(Milestone { lapsed: true, ..m.clone() });
        }
    }
    // A follow-up report owed to the county stays owed while the case stays major.
    let major = plan.iter().any(|(k, _)| *k == MilestoneKind::ReportCounty);
    for m in case.milestones.iter().filter(|m| m.pending() && m.kind == MilestoneKind::CountyUpdate) {
        if major {
            next.push(m.clone());
        } else if m.due < at {
            next.push(Milestone { lapsed: true, ..m.clone() });
        }
    }
    for &(kind, due) in plan {
        let old = case.milestones.iter().find(|m| m.kind == kind && m.pending());
        let met_before = next.iter().any(|m| m.kind == kind && m.met_at.is_some());
        match old {
            Some(m) if m.extended || kind == MilestoneKind::Update => next.push(m.clone()),
            Some(_) => next.push(milestone(kind, due, since)),
            None if met_before => {}
            None => next.push(milestone(kind, due, since)),
        }
    }
    case.milestones = next;
}

/// Applies one event to a case projection.
pub fn apply_case(case: Option<Case>, ev: &Event) -> Option<Case> {
    use EventBody::*;
    if let CaseOpened {
        case: no,
        items,
        title,
        severity,
        category,
        lead,
        co,
        plan,
        update_every_hours,
        hints,
        counts_from,
    } = &ev.body
    {
        if case.is_some() {
            return case;
        }
        let at = ev.at();
        let base = counts_from.unwrap_or(at);
        return Some(Case {
            no: no.clone(),
            title: title.clone(),
            severity: *severity,
            category: *category,
            lead: lead.clone(),
            co: co.clone(),
            opened_at: at,
            opened_by: ev.operator.clone(),
            items: items.clone(),
            milestones: plan.iter().map(|&(k, due)| milestone(k, due, base)).collect(),
            update_every_hours: *update_every_hours,
            status: CaseStatus::Open,
            acks: vec![],
            escalations: vec![],
            extensions: vec![],
            marks: vec![],
            referrals: vec![],
            transfers: vec![],
            drafts: vec![],
            responses: vec![],
            reported_county_at: None,
            press_conference_at: None,
            hints: hints.clone(),
            counts_from: *counts_from,
            major_since: (*severity != Severity::General).then_some(base),
            extension_requests: vec![],
            wording: None,
        });
    }
    let mut c = case?;
    match &ev.body {
        ItemAttached { item, .. } => {
            if !c.items.contains(item) {
                c.items.push(item.clone());
            }
        }
        CaseClassified { severity, category, plan, counts_from, .. } => {
            let since = counts_from.unwrap_or(c.opened_at);
            c.major_since = (*severity != Severity::General).then(|| c.major_since.unwrap_or(since));
            c.severity = *severity;
            c.category = *category;
            replan(&mut c, plan, since, ev.at());
        }
        DepartmentsAssigned { lead, co, .. } => {
            c.lead = lead.clone();
            c.co = co.clone();
        }
        CaseTransferred { to, reason, .. } => {
            let from = std::mem::replace(&mut c.lead, to.clone());
            c.co.retain(|d| d != to);
            c.transfers.push(act(ev, Some(&from), reason));
        }
        CaseAcknowledged { dept, .. } => c.acks.push(act(ev, Some(dept), "")),
        CaseEscalated { reason, .. } => c.escalations.push(act(ev, None, reason)),
        DraftSignedOff { draft, dept, .. } => {
            if let Some(d) = c.drafts.get_mut(*draft)
                && !d.signed_off.contains(dept)
            {
                d.signed_off.push(dept.clone());
            }
        }
        WordingAgreed { cases, text } => {
            c.wording =
                Some(Wording { text: text.clone(), cases: cases.clone(), at: ev.at(), by: ev.operator.clone() });
        }
        ReportedToCounty { next_due, .. } => {
            c.reported_county_at.get_or_insert(ev.at());
            if !meet(&mut c, MilestoneKind::ReportCounty, ev) {
                meet(&mut c, MilestoneKind::CountyUpdate, ev);
            }
            if let Some(due) = next_due
                && c.is_open()
                && c.pending(MilestoneKind::CountyUpdate).is_none()
            {
                c.milestones.push(milestone(MilestoneKind::CountyUpdate, *due, ev.at()));
            }
        }
        CaseReferred { to, reference, .. } => {
            c.referrals.push(act(ev, None, &format!("{to} {reference}")));
        }
        ResponseDrafted { kind, text, .. } => c.drafts.push(Draft {
            kind: *kind,
            text: text.clone(),
            by: ev.operator.clone(),
            at: ev.at(),
            approved_by: None,
            published: false,
            signed_off: vec![],
            returned: None,
        }),
        ResponseApproved { draft, .. } => {
            if let Some(d) = c.drafts.get_mut(*draft) {
                d.approved_by.get_or_insert(ev.operator.clone());
            }
        }
        DraftReturned { draft, reason, .. } => {
            if let Some(d) = c.drafts.get_mut(*draft).filter(|d| d.approved_by.is_none()) {
                d.returned.get_or_insert(act(ev, None, reason));
            }
        }
        ResponsePublished { kind, channel, text, url, draft, .. } => {
            if let Some(d) = draft.and_then(|i| c.drafts.get_mut(i)) {
                d.published = true;
            }
            c.responses.push(Published {
                kind: *kind,
                channel: *channel,
                text: text.clone(),
                url: url.clone(),
                at: ev.at(),
                by: ev.operator.clone(),
            });
            meet(&mut c, MilestoneKind::FirstResponse, ev);
            match kind {
                ResponseKind::AuthoritativeInfo => {
                    meet(&mut c, MilestoneKind::AuthoritativeInfo, ev);
                }
                ResponseKind::Update => {
                    if meet(&mut c, MilestoneKind::Update, ev) && c.update_every_hours > 0 && c.is_open() {
                        let due = ev.at() + Duration::hours(c.update_every_hours as i64);
                        c.milestones.push(milestone(MilestoneKind::Update, due, ev.at()));
                    }
                }
                ResponseKind::FirstResponse => {}
            }
        }
        PressConferenceHeld { .. } => {
            c.press_conference_at.get_or_insert(ev.at());
            meet(&mut c, MilestoneKind::PressConference, ev);
            // A press conference releases authoritative information (R11).
            meet(&mut c, MilestoneKind::AuthoritativeInfo, ev);
        }
        ExtensionRequested { milestone, until, reason, .. } => c.extension_requests.push(ExtensionRequest {
            milestone: *milestone,
            until: *until,
            reason: reason.clone(),
            by: ev.operator.clone(),
            at: ev.at(),
            granted: false,
        }),
        MilestoneExtended { milestone: kind, until, reason, .. } => {
            for r in c.extension_requests.iter_mut().filter(|r| r.milestone == *kind) {
                r.granted = true;
            }
            if let Some(m) = c.milestones.iter_mut().filter(|m| m.kind == *kind && m.pending()).min_by_key(|m| m.due) {
                m.original_due.get_or_insert(m.due);
                m.due = *until;
                m.extended = true;
            }
            c.extensions.push(act(ev, None, &format!("{kind}: {reason}")));
        }
        AccountabilityMarked { dept, reason, .. } => c.marks.push(act(ev, Some(dept), reason)),
        // The first close stands: a second one crossed it and lost (see `conflict`).
        CaseClosed { .. } if !c.is_open() => {}
        CaseClosed { outcome, .. } => {
            let at = ev.at();
            for m in c.milestones.iter_mut().filter(|m| m.pending() && m.due > at) {
                m.waived = true;
            }
            c.status = CaseStatus::Closed { outcome: *outcome, at };
        }
        CaseReopened { .. } => {
            for m in c.milestones.iter_mut().filter(|m| m.waived) {
                m.waived = false;
            }
            c.status = CaseStatus::Open;
        }
        NoteAdded { .. }
        | ItemReceived { .. }
        | ItemDismissed { .. }
        | ItemRestored { .. }
        | ItemExpired { .. }
        | CaseOpened { .. }
        | ShiftHandedOver { .. }
        | ItemReachUpdated { .. }
        | DrillPaced { .. }
        | DrillNoted { .. }
        | ConsoleRevoked { .. }
        | SessionRecorded { .. }
        | MonitoringRecorded { .. }
        | OperatorSet { .. } => {}
    }
    Some(c)
}
