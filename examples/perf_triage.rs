//! Triage cost (`cargo run --release --example perf_triage`): with 1 000 rules and
//! 100 000 items of history in the queue and the near-duplicate index, the console's
//! intake of 20 000 new items (the desk's ingest, folding into the queue, triage)
//! against the same intake with triage off, side by side. Each round adds 20 000 more,
//! with new ids, so each round's items are triaged afresh.

use chrono::Utc;
use std::sync::Arc;
use std::time::Instant;
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::clock::SystemClock;
use yuqing::domain::command::Command;
use yuqing::domain::item::{Channel, Item, ItemStatus, NewItem};
use yuqing::store::Store;
use yuqing::triage::Rule;
use yuqing::ui::model::Model;
use yuqing::ui::triage::Triage;

fn cjk(seed: u64, len: usize) -> String {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            char::from_u32(0x4E00 + ((x >> 33) % 3000) as u32).unwrap()
        })
        .collect()
}

fn rules() -> Vec<Rule> {
    (0..1000)
        .map(|i| Rule {
            name: format!("rule{i}"),
            keywords: (0..5).map(|k| cjk(i * 10 + k, 2 + (k as usize % 2))).collect(),
            severity: None,
            category: None,
            departments: vec!["jyj".into()],
            tags: vec![],
        })
        .collect()
}

fn new_item(i: usize) -> NewItem {
    NewItem {
        channel: Channel::Weibo,
        title: format!("网友反映{}问题第{i}号", cjk(i as u64, 6)),
        body: format!("{}，请相关部门尽快核实处理。{}", cjk(i as u64 + 7, 30), cjk(i as u64 + 9, 20)),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some(format!("x{i}")),
    }
}

fn history(n: usize) -> Vec<Item> {
    (0..n)
        .map(|i| Item {
            id: format!("H.{i}"),
            fields: new_item(1_000_000 + i),
            received_at: Utc::now(),
            status: ItemStatus::New,
            status_key: None,
        })
        .collect()
}

/// One arm of the comparison: a console's desk and queue model, and its triage if on.
struct Arm {
    desk: Desk,
    model: Model,
    triage: Option<Triage>,
    _dir: tempfile::TempDir,
}

impl Arm {
    fn new(triage: bool) -> Arm {
        let dir = tempfile::tempdir().unwrap();
        let desk =
            Desk::start(Store::open(dir.path(), "live").unwrap(), Arc::new(Settings::default()), Arc::new(SystemClock))
                .unwrap();
        let mut model = Model::new(history(100_000), vec![]);
        let triage = triage.then(|| {
            let mut t = Triage::new(rules());
            t.sync(&mut model);
            t
        });
        let _ = model.take_changes();
        Arm { desk, model, triage, _dir: dir }
    }

    /// Items per second of the console's intake of items `from..from + n`: ingest, fold
    /// into the queue, and triage each batch when on. Every round's items and ids are new.
    fn intake(&mut self, from: usize, n: usize) -> f64 {
        let op = self.desk.settings().operator("duty").unwrap().clone();
        let items: Vec<NewItem> = (from..from + n).map(new_item).collect();
        let t = Instant::now();
        for chunk in items.chunks(1000) {
            let cmds = chunk.iter().map(|i| Command::ReceiveItem { item: i.clone() }).collect();
            for ev in self.desk.run_blocking(&op, cmds).iter().flatten().flatten() {
                self.model.apply(ev);
            }
            self.model.refresh();
            match self.triage.as_mut() {
                Some(tri) => tri.sync(&mut self.model),
                None => drop(self.model.take_changes()),
            }
        }
        n as f64 / t.elapsed().as_secs_f64()
    }
}

fn main() {
    let n = 20_000;
    println!("## intake of {n} items, 1 000 rules, 100 000 items of history");
    let t = Instant::now();
    let mut off = Arm::new(false);
    let mut on = Arm::new(true);
    println!("(history indexed in {:.1} s)", t.elapsed().as_secs_f64());
    for round in 1..=4 {
        let from = (round - 1) * n;
        // Alternate which goes first: the machine is noisy.
        let (a, b) = if round % 2 == 1 {
            let a = off.intake(from, n);
            (a, on.intake(from, n))
        } else {
            let b = on.intake(from, n);
            (off.intake(from, n), b)
        };
        println!("round {round}: triage off {a:.0} items/s, triage on {b:.0} items/s, ratio {:.2}", b / a);
    }
}
