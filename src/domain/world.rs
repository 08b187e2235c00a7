//! An in-memory fold of events into every item and case: what `verify` rebuilds from
//! the log, and what tests and simulations compare replicas against.

use crate::domain::apply::{apply_case, apply_item};
use crate::domain::case::Case;
use crate::domain::decide::View;
use crate::domain::event::{Aggregate, Event};
use crate::domain::item::Item;
use std::collections::BTreeMap;

/// Items and cases folded from events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct World {
    pub items: BTreeMap<String, Item>,
    pub cases: BTreeMap<String, Case>,
}

impl World {
    /// Applies one event; call in the total order.
    pub fn apply(&mut self, ev: &Event) {
        for agg in ev.body.aggregates() {
            match agg {
                Aggregate::Item(id) => {
                    if let Some(next) = apply_item(self.items.remove(&id), ev) {
                        self.items.insert(id, next);
                    }
                }
                Aggregate::Case(no) => {
                    if let Some(next) = apply_case(self.cases.remove(&no), ev) {
                        self.cases.insert(no, next);
                    }
                }
            }
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
