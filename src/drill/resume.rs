//! Picking a drill up again in a data folder that already holds some of it: after the
//! trainer's console stopped, or when a trainee joins again.

use crate::domain::clock::DrillPace;
use crate::domain::event::EventBody;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};

/// How far a drill had got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resume {
    /// The drill time of the latest event: every entry due by then was delivered.
    pub through: DateTime<Utc>,
    /// The trainer's latest recorded pace, if any.
    pub pace: Option<DrillPace>,
}

impl Resume {
    /// Reads the drill's log; `None` for a new drill.
    pub fn read(store: &Store) -> Result<Option<Resume>, StoreError> {
        let mut out: Option<Resume> = None;
        for ev in store.events()? {
            let ev = ev?;
            let r = out.get_or_insert(Resume { through: ev.at(), pace: None });
            r.through = r.through.max(ev.at());
            if let EventBody::DrillPaced { pace } = ev.body {
                r.pace = Some(pace);
            }
        }
        Ok(out)
    }
}
