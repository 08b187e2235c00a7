//! The deployment's roster of operators, as events made it: `operator_set` events are
//! folded under `p/<id>`, the latest in the total order of events winning, so every
//! console that holds the same events holds the same roster whatever order they came
//! in. `operators.toml` only seeds it: an operator the events never named is taken
//! from the file (see `Desk::operators`).

use super::{Store, StoreError, keys};
use crate::domain::event::OrderKey;
use crate::domain::role::Operator;
use serde::{Deserialize, Serialize};

/// One operator as the roster holds them, with the event that set them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    pub set_by: OrderKey,
    pub operator: Operator,
}

impl Store {
    /// Every operator the roster events set, by id.
    pub fn roster(&self) -> Result<Vec<Operator>, StoreError> {
        self.db
            .scan_prefix(keys::ROSTER)
            .map(|kv| kv.map_err(StoreError::from).and_then(|(k, v)| super::read::decode::<Entry>(&k, &v)))
            .map(|e| e.map(|e| e.operator))
            .collect()
    }
}

impl super::Writer {
    /// Folds an `operator_set` event into the roster: kept unless a later event (in the
    /// total order) already set that operator.
    pub(super) fn set_operator(&mut self, set_by: OrderKey, operator: &Operator) -> Result<(), StoreError> {
        let k = keys::key(keys::ROSTER, operator.id.as_bytes());
        let held: Option<Entry> = self.load(&k)?;
        if held.is_none_or(|h| h.set_by < set_by) {
            let entry = Entry { set_by, operator: operator.clone() };
            self.overlay.insert(k, Some(super::write::json(&entry)?));
        }
        Ok(())
    }
}
