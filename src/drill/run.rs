//! Running a scenario: its entries are delivered when the drill clock reaches their
//! offsets — items into the queue, surges as reach updates, inquiries and notes as
//! notices for the trainees.

use super::scenario::{Happening, Scenario};
use crate::desk::Desk;
use crate::domain::clock::Clock;
use crate::domain::command::Command;
use crate::domain::event::EventBody;
use crate::domain::role::Operator;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What the console's trainer controls act on: the drill clock, and when the next entry
/// falls due (kept current by the runner).
pub struct Control {
    pub clock: std::sync::Arc<crate::domain::clock::DrillClock>,
    next: std::sync::Mutex<Option<DateTime<Utc>>>,
    /// The scenario, for the score screen.
    pub scenario: Option<Scenario>,
}

impl Control {
    pub fn new(clock: std::sync::Arc<crate::domain::clock::DrillClock>) -> Control {
        Control { clock, next: std::sync::Mutex::new(None), scenario: None }
    }

    pub fn with_scenario(mut self, s: Scenario) -> Control {
        self.scenario = Some(s);
        self
    }

    pub fn set_next(&self, due: Option<DateTime<Utc>>) {
        *self.next.lock().unwrap_or_else(|e| e.into_inner()) = due;
    }

    /// A trainee's clock follows the trainer's: it moves forward to the furthest clock a
    /// connected peer reported (their clocks are drill clocks in a drill realm).
    pub fn follow(&self, peers: &[crate::sync::PeerStatus]) {
        use crate::domain::clock::Clock;
        if let Some(ahead) = peers.iter().filter(|p| p.connected).map(|p| p.skew_ms).max().filter(|ms| *ms > 500) {
            self.clock.jump_to(self.clock.now() + chrono::Duration::milliseconds(ahead));
        }
    }

    /// Moves the clock to the next entry, if any.
    pub fn jump_to_next(&self) {
        if let Some(due) = *self.next.lock().unwrap_or_else(|e| e.into_inner()) {
            self.clock.jump_to(due);
        }
    }
}

/// Delivers a scenario's entries in time order.
pub struct Runner {
    scenario: Scenario,
    /// Entry indexes sorted by offset.
    order: Vec<usize>,
    next: usize,
    desk: Desk,
    trainer: Operator,
    /// Item numbers by the scenario's external ids.
    ids: HashMap<String, String>,
}

impl Runner {
    pub fn new(scenario: Scenario, desk: Desk, trainer: Operator) -> Runner {
        let mut order: Vec<usize> = (0..scenario.entries.len()).collect();
        order.sort_by_key(|&i| scenario.entries[i].offset);
        Runner { scenario, order, next: 0, desk, trainer, ids: HashMap::new() }
    }

    /// When the next entry falls due, if any is left.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.order.get(self.next).map(|&i| self.scenario.start + self.scenario.entries[i].offset)
    }

    pub fn done(&self) -> bool {
        self.next >= self.order.len()
    }

    /// Delivers every entry due at the clock's now; returns notices (time, text) to show.
    pub fn step(&mut self, clock: &dyn Clock) -> Vec<(DateTime<Utc>, String)> {
        let mut notices = Vec::new();
        while let Some(due) = self.next_due().filter(|d| *d <= clock.now()) {
            let e = self.scenario.entries[self.order[self.next]].clone();
            self.next += 1;
            match e.what {
                Happening::Item(item) => {
                    let x = item.external_id.clone();
                    for a in self.desk.run_blocking(&self.trainer, vec![Command::ReceiveItem { item }]) {
                        match a {
                            Ok(evs) => {
                                if let (Some(x), Some(EventBody::ItemReceived { id, .. })) =
                                    (x.clone(), evs.first().map(|e| &e.body))
                                {
                                    self.ids.insert(x, id.clone());
                                }
                            }
                            Err(err) => notices.push((due, format!("line {}: {err}", e.line))),
                        }
                    }
                }
                Happening::Surge { external_id, reach } => match self.ids.get(&external_id) {
                    Some(id) => {
                        let cmd = Command::UpdateReach { item: id.clone(), reach };
                        for a in self.desk.run_blocking(&self.trainer, vec![cmd]) {
                            if let Err(err) = a {
                                notices.push((due, format!("line {}: {err}", e.line)));
                            }
                        }
                        notices.push((due, format!("↑ {id} {reach}")));
                    }
                    None => notices.push((due, format!("line {}: no item `{external_id}` has arrived", e.line))),
                },
                Happening::Inquiry { text } | Happening::Note { text } => notices.push((due, text)),
                Happening::Expect { .. } => {}
            }
        }
        notices
    }
}
