//! An in-memory fold of events into every item and case, and the conflicts among
//! concurrent actions: what `verify` rebuilds from the log, and what tests and
//! simulations compare replicas against.

use crate::domain::apply::{apply_case, apply_item, keep_won_items};
use crate::domain::case::Case;
use crate::domain::conflict::{Claim, Conflict, conflicts};
use crate::domain::decide::View;
use crate::domain::event::{Aggregate, Event, EventBody};
use crate::domain::item::Item;
use std::collections::BTreeMap;

/// Items, cases and conflicts folded from events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct World {
    pub items: BTreeMap<String, Item>,
    pub cases: BTreeMap<String, Case>,
    /// Conflicts by the aggregate's key (`i:A.12`, `c:A-0003`), each list sorted by the
    /// losing action's place in the total order.
    pub conflicts: BTreeMap<String, Vec<Conflict>>,
    /// The claims on each item and case so far, which the conflicts follow from; an
    /// item put back in the queue starts afresh, as the store does.
    claims: BTreeMap<String, Vec<Claim>>,
    /// The conflicts of an item's triage before it was put back in the queue: on record
    /// still, beside those of its triage since.
    settled: BTreeMap<String, Vec<Conflict>>,
}

impl World {
    /// Applies one event; call in the total order.
    pub fn apply(&mut self, ev: &Event) {
        let aggregates = ev.body.aggregates();
        for agg in &aggregates {
            match agg {
                Aggregate::Item(id) => {
                    let before = self.items.remove(id);
                    let triaged = before.as_ref().is_some_and(|i| i.status_key.is_some());
                    if let Some(next) = apply_item(before, ev) {
                        if triaged && next.status_key.is_none() {
                            // Put back in the queue: its next triage is a new one.
                            self.claims.remove(&agg.key());
                            let earlier = self.conflicts.get(&agg.key()).cloned().unwrap_or_default();
                            self.settled.insert(agg.key(), earlier);
                        }
                        self.items.insert(id.clone(), next);
                    }
                }
                Aggregate::Case(no) => {
                    if let Some(next) = apply_case(self.cases.remove(no), ev) {
                        self.cases.insert(no.clone(), next);
                    }
                }
            }
            if let Some(claim) = Claim::of(ev, agg) {
                let claims = self.claims.entry(agg.key()).or_default();
                claims.push(claim);
                let mut found = self.settled.get(&agg.key()).cloned().unwrap_or_default();
                found.extend(conflicts(agg, None, claims));
                if found.is_empty() {
                    self.conflicts.remove(&agg.key());
                } else {
                    self.conflicts.insert(agg.key(), found);
                }
            }
        }
        if let EventBody::CaseOpened { case, .. } | EventBody::ItemAttached { case, .. } = &ev.body
            && let Some(c) = self.cases.get_mut(case)
        {
            let items = &self.items;
            keep_won_items(c, |id| items.get(id).and_then(|i| i.status.case().map(str::to_string)));
        }
    }

    /// Folds events given in any order: they are sorted into the total order first.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> World {
        let mut evs: Vec<&Event> = events.into_iter().collect();
        evs.sort_by_key(|e| e.order_key());
        let mut w = World::default();
        for e in evs {
            w.apply(e);
        }
        w
    }
}

impl View for World {
    fn item(&self, id: &str) -> Option<Item> {
        self.items.get(id).cloned()
    }
    fn case(&self, no: &str) -> Option<Case> {
        self.cases.get(no).cloned()
    }
}
