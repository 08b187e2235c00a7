//! Running a scenario: its entries are delivered when the drill clock reaches their
//! offsets — items into the queue, surges as reach updates, inquiries and notes as
//! notices for the trainees — each with a line saying what happened (`收到 item: …`,
//! `转发激增 surge: …`), which a headless drill prints.

use super::scenario::{Happening, Scenario};
use crate::desk::Desk;
use crate::domain::clock::{Clock, DrillClock, SystemClock};
use crate::domain::command::Command;
use crate::domain::event::EventBody;
use crate::domain::item::{Channel, NewItem};
use crate::domain::names::Named;
use crate::domain::role::Operator;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

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
    /// Each delivered item's title and reach by external id, for the surge notices.
    shown: HashMap<String, (String, Option<u64>)>,
}

impl Runner {
    pub fn new(scenario: Scenario, desk: Desk, trainer: Operator) -> Runner {
        let mut order: Vec<usize> = (0..scenario.entries.len()).collect();
        order.sort_by_key(|&i| scenario.entries[i].offset);
        Runner { scenario, order, next: 0, desk, trainer, ids: HashMap::new(), shown: HashMap::new() }
    }

    /// The desk entries are delivered to.
    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    /// When the next entry falls due, if any is left.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.order.get(self.next).map(|&i| self.scenario.start + self.scenario.entries[i].offset)
    }

    /// Marks every entry due by `through` as delivered, as in a drill picked up again;
    /// its items are found among `items` by their external ids.
    pub fn skip_through(&mut self, through: DateTime<Utc>, items: &[crate::domain::item::Item]) {
        while self.next_due().is_some_and(|d| d <= through) {
            self.next += 1;
        }
        for i in items {
            if let Some(x) = &i.fields.external_id {
                self.ids.insert(x.clone(), i.id.clone());
                self.shown.insert(x.clone(), (i.fields.title.clone(), i.fields.reach));
            }
        }
    }

    pub fn done(&self) -> bool {
        self.next >= self.order.len()
    }

    /// Delivers every entry due at the clock's now; returns notices (time, text) to show.
    /// An inquiry arrives as an item from the media for the officers to answer; a note
    /// is recorded, so every console in the drill shows it.
    pub fn step(&mut self, clock: &dyn Clock) -> Vec<(DateTime<Utc>, String)> {
        let mut notices = Vec::new();
        while let Some(due) = self.next_due().filter(|d| *d <= clock.now()) {
            let e = self.scenario.entries[self.order[self.next]].clone();
            self.next += 1;
            let refused = |err: String| (due, format!("line {}: {err}", e.line));
            let item = match e.what {
                Happening::Item(item) => Some(item),
                Happening::Inquiry { text } => {
                    notices.push((due, format!("询问 inquiry: {text}")));
                    Some(NewItem {
                        channel: Channel::Media,
                        title: text.clone(),
                        body: text,
                        url: None,
                        author: None,
                        published_at: None,
                        reach: None,
                        external_id: Some(format!("inquiry-{}", e.line)),
                    })
                }
                Happening::Surge { external_id, reach } => {
                    match self.ids.get(&external_id).cloned() {
                        Some(id) => {
                            if let Err(err) = self.run(Command::UpdateReach { item: id.clone(), reach }) {
                                notices.push(refused(err));
                            }
                            let (title, before) = self.shown.get(&external_id).cloned().unwrap_or_default();
                            let before = before.map_or("-".to_string(), |r| r.to_string());
                            let title = crate::text::truncate(&crate::text::one_line(&title), 30);
                            notices.push((
                                due,
                                format!("转发激增 surge: {id} ({external_id}) reach {before} → {reach} {title}"),
                            ));
                            self.shown.entry(external_id).and_modify(|s| s.1 = Some(reach));
                        }
                        None => notices.push(refused(format!("no item `{external_id}` has arrived"))),
                    }
                    None
                }
                Happening::Note { text } => {
                    if let Err(err) = self.run(Command::NoteDrill { text: text.clone() }) {
                        notices.push(refused(err));
                    }
                    notices.push((due, format!("通知 note: {text}")));
                    None
                }
                Happening::Expect { .. } => None,
            };
            if let Some(item) = item {
                let x = item.external_id.clone();
                match self.run(Command::ReceiveItem { item }) {
                    Ok(evs) => {
                        if let Some(EventBody::ItemReceived { id, item }) = evs.first().map(|ev| &ev.body) {
                            let title = crate::text::truncate(&crate::text::one_line(&item.title), 40);
                            let from = x.as_deref().map_or(String::new(), |x| format!(" ({x})"));
                            notices.push((due, format!("收到 item: {id}{from} [{}] {title}", item.channel.name())));
                            if let Some(x) = x {
                                self.ids.insert(x.clone(), id.clone());
                                self.shown.insert(x, (item.title.clone(), item.reach));
                            }
                        }
                    }
                    Err(err) => notices.push(refused(err)),
                }
            }
        }
        notices
    }

    /// Ends the drill after its last entry: the clock stops for good and the end is
    /// recorded as the trainer's last pace, so every console of the drill shows it.
    pub fn end(&self, clock: &DrillClock) -> Result<(), String> {
        clock.end();
        self.run(Command::PaceDrill { pace: clock.pace(SystemClock.now()) }).map(drop)
    }

    /// Runs one command as the trainer; the refusal as text.
    fn run(&self, cmd: Command) -> Result<Vec<crate::domain::event::Event>, String> {
        match self.desk.run_blocking(&self.trainer, vec![cmd]).pop() {
            Some(answer) => answer.map_err(|e| e.to_string()),
            None => Err("the store stopped".into()),
        }
    }
}
