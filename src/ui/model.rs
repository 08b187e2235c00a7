//! What the console keeps in memory: the live queue and the open cases, kept current by
//! folding the desk's applied events with the domain's own `apply`, and their display
//! orders, rebuilt once per batch of changes rather than per frame. It also follows the
//! claims on items and cases it sees, so a conflict shows the moment its second side
//! arrives.

use crate::domain::apply::{apply_case, apply_item};
use crate::domain::case::Case;
use crate::domain::conflict::{Claim, Conflict, Deed, Start, conflicts};
use crate::domain::event::{Aggregate, Event, EventBody};
use crate::domain::item::{Item, ItemStatus, by_number};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The queue and the open cases.
#[derive(Debug, Default)]
pub struct Model {
    pub items: HashMap<String, Item>,
    pub cases: HashMap<String, Case>,
    /// Queue item ids in display order (newest first, or by reach).
    pub queue_order: Vec<String>,
    /// When each queued item was received, earliest first (for the ageing count).
    pub arrivals: Vec<DateTime<Utc>>,
    /// Open case numbers by nearest due milestone.
    pub case_order: Vec<String>,
    /// Due time of each entry of `case_order` (the far future when nothing is pending).
    pub dues: Vec<DateTime<Utc>>,
    pub sort_by_reach: bool,
    dirty: bool,
    /// Items and cases that came or went since the last `take_changes`.
    changed_items: Vec<String>,
    changed_cases: Vec<String>,
    /// Claims seen on each item and case since start, and the conflicts they made.
    ledgers: HashMap<String, Ledger>,
}

/// The claims on one item or case this console has seen.
#[derive(Debug, Default)]
struct Ledger {
    /// The case's departments when its first claim arrived (its opening may be older).
    start: Option<Start>,
    claims: Vec<Claim>,
    found: Vec<Conflict>,
}

/// What applying an event means to the screen.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Change {
    pub new_items: Vec<String>,
    /// A case that is not in memory (closed, then reopened): load it from the store.
    pub reload: Option<String>,
    /// The cases whose detail may be on screen (a wording agreed names several).
    pub cases: Vec<String>,
    /// Conflicts this event made (or changed the winner of).
    pub conflicts: Vec<Conflict>,
    /// Cases this event closed, as they are now (they leave the open cases).
    pub closed: Vec<Case>,
}

impl Model {
    pub fn new(queue: Vec<Item>, open: Vec<Case>) -> Model {
        let mut m = Model {
            items: queue.into_iter().map(|i| (i.id.clone(), i)).collect(),
            cases: open.into_iter().map(|c| (c.no.clone(), c)).collect(),
            ..Default::default()
        };
        m.touch_all();
        m.dirty = true;
        m.refresh();
        m
    }

    /// Counts every queued item and open case as changed (for a follower of the changes
    /// that starts afresh).
    pub fn touch_all(&mut self) {
        self.changed_items = self.items.keys().cloned().collect();
        self.changed_cases = self.cases.keys().cloned().collect();
    }

    /// Ids of the items and case numbers that came or went since the last call.
    pub fn take_changes(&mut self) -> (Vec<String>, Vec<String>) {
        (std::mem::take(&mut self.changed_items), std::mem::take(&mut self.changed_cases))
    }

    /// Folds one applied event into the queue and open cases.
    pub fn apply(&mut self, ev: &Event) -> Change {
        let mut change = Change::default();
        for agg in ev.body.aggregates() {
            change.conflicts.extend(self.follow(&agg, ev));
            match agg {
                Aggregate::Item(id) => {
                    self.changed_items.push(id.clone());
                    let before = self.items.remove(&id);
                    let fresh = before.is_none() && matches!(ev.body, EventBody::ItemReceived { .. });
                    // From another console an item's case can come before the item
                    // itself (a trainee joining late): an item an open case holds is
                    // not waiting, whatever order the two came in.
                    if fresh && self.cases.values().any(|c| c.items.contains(&id)) {
                        continue;
                    }
                    if let Some(it) = apply_item(before, ev).filter(|i| i.status == ItemStatus::New) {
                        if fresh {
                            change.new_items.push(id.clone());
                        }
                        self.items.insert(id, it);
                    }
                }
                Aggregate::Case(no) => {
                    self.changed_cases.push(no.clone());
                    change.cases.push(no.clone());
                    let before = self.cases.remove(&no);
                    if before.is_none() && !matches!(ev.body, EventBody::CaseOpened { .. }) {
                        change.reload = Some(no);
                        continue;
                    }
                    match apply_case(before, ev) {
                        Some(c) if c.is_open() => {
                            self.cases.insert(no, c);
                        }
                        Some(c) => change.closed.push(c),
                        None => {}
                    }
                }
            }
        }
        self.dirty = true;
        change
    }

    /// Records the claim `ev` makes on `agg`; returns the conflicts that are new. A case
    /// that lost an item to another case stops listing it.
    fn follow(&mut self, agg: &Aggregate, ev: &Event) -> Vec<Conflict> {
        let Some(claim) = Claim::of(ev, agg) else { return vec![] };
        let start = match agg {
            Aggregate::Case(no) => self.cases.get(no).map(|c| Start { lead: c.lead.clone(), co: c.co.clone() }),
            Aggregate::Item(_) => None,
        };
        let ledger = self.ledgers.entry(agg.key()).or_insert_with(|| Ledger { start, ..Default::default() });
        ledger.claims.push(claim);
        let found = conflicts(agg, ledger.start.as_ref(), &ledger.claims);
        let fresh: Vec<Conflict> = found.iter().filter(|c| !ledger.found.contains(c)).cloned().collect();
        ledger.found = found;
        for c in &fresh {
            if let (Deed::Attached { case }, Deed::Attached { case: won }) = (&c.lost.deed, &c.won.deed)
                && case != won
                && let Some(lost) = self.cases.get_mut(case)
            {
                lost.items.retain(|i| *i != c.subject);
            }
        }
        fresh
    }

    /// Adds the whole queue, loaded in the background, to the newest items loaded at
    /// start. An item held already stays as it is (events since have folded into it);
    /// one the model lacks is folded again with the `meanwhile` events (those applied
    /// since the load began) that concern it — folding an item event twice changes
    /// nothing — so an item dismissed meanwhile stays out of the queue.
    pub fn merge_queue(&mut self, loaded: Vec<Item>, meanwhile: &[std::sync::Arc<Event>]) {
        let mut touched: HashMap<String, Vec<&Event>> = HashMap::new();
        for ev in meanwhile {
            for agg in ev.body.aggregates() {
                if let Aggregate::Item(id) = agg {
                    touched.entry(id).or_default().push(ev);
                }
            }
        }
        for it in loaded {
            if self.items.contains_key(&it.id) {
                continue;
            }
            let id = it.id.clone();
            let folded = touched.get(&id).into_iter().flatten().try_fold(it, |it, ev| apply_item(Some(it), ev));
            if let Some(it) = folded.filter(|i| i.status == ItemStatus::New) {
                self.changed_items.push(id.clone());
                self.items.insert(id, it);
            }
        }
        self.dirty = true;
    }

    /// Puts a case loaded from the store back (after a reopen), or drops it if closed.
    pub fn put_case(&mut self, case: Case) {
        self.changed_cases.push(case.no.clone());
        if case.is_open() {
            self.cases.insert(case.no.clone(), case);
        } else {
            self.cases.remove(&case.no);
        }
        self.dirty = true;
    }

    pub fn set_sort_by_reach(&mut self, on: bool) {
        self.sort_by_reach = on;
        self.dirty = true;
    }

    /// Rebuilds the display orders if anything changed; true if it did.
    pub fn refresh(&mut self) -> bool {
        if !self.dirty {
            return false;
        }
        self.dirty = false;
        let mut q: Vec<&Item> = self.items.values().collect();
        if self.sort_by_reach {
            q.sort_unstable_by(|a, b| {
                b.fields
                    .reach
                    .cmp(&a.fields.reach)
                    .then_with(|| b.received_at.cmp(&a.received_at))
                    .then_with(|| by_number(&b.id, &a.id))
            });
        } else {
            // Items of the same instant keep their numbers' order, restart after restart.
            q.sort_unstable_by(|a, b| b.received_at.cmp(&a.received_at).then_with(|| by_number(&b.id, &a.id)));
        }
        let mut arrivals: Vec<DateTime<Utc>> = q.iter().map(|i| i.received_at).collect();
        arrivals.sort_unstable();
        self.arrivals = arrivals;
        self.queue_order = q.into_iter().map(|i| i.id.clone()).collect();
        let mut c: Vec<(DateTime<Utc>, &str)> = self
            .cases
            .values()
            .map(|c| (c.next_milestone().map(|m| m.due).unwrap_or(DateTime::<Utc>::MAX_UTC), c.no.as_str()))
            .collect();
        c.sort_unstable();
        self.dues = c.iter().map(|(d, _)| *d).collect();
        self.case_order = c.into_iter().map(|(_, n)| n.to_string()).collect();
        true
    }

    /// Open cases with a milestone past due at `now` (a binary search, not a scan).
    /// Items in the queue received before `cutoff` (waiting longer than the policy's
    /// `queue_alert_hours` when `cutoff` is now minus that).
    pub fn waiting_since_before(&self, cutoff: DateTime<Utc>) -> usize {
        self.arrivals.partition_point(|t| *t < cutoff)
    }

    pub fn overdue(&self, now: DateTime<Utc>) -> usize {
        self.dues.partition_point(|d| *d < now)
    }

    /// Open cases not overdue whose next milestone falls due within two hours.
    pub fn due_soon(&self, now: DateTime<Utc>) -> usize {
        self.dues.partition_point(|d| *d < now + chrono::Duration::hours(2)) - self.overdue(now)
    }
}
