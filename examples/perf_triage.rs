//! Triage cost (`cargo run --release --example perf_triage`): with 1 000 rules and
//! 100 000 items of history in the queue and the near-duplicate index, the console's
//! intake of 20 000 new items (the desk's ingest, folding into the queue, triage)
//! against the same intake with triage off, side by side. Each round adds 20 000 more,
//! with new ids, so each round's items are triaged afresh.
//!
//! `perf_triage storm` (issue 19, P10): a viral storm — 50 000 reposts of one post
//! interleaved with 50 000 distinct items — into fresh consoles, triage on against off,
//! side by side, three rounds, each with a post of its own.

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
            exclude: vec![],
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

    /// A console with an empty queue (the storm's).
    fn fresh(triage: bool) -> Arm {
        let dir = tempfile::tempdir().unwrap();
        let desk =
            Desk::start(Store::open(dir.path(), "live").unwrap(), Arc::new(Settings::default()), Arc::new(SystemClock))
                .unwrap();
        let model = Model::new(vec![], vec![]);
        Arm { desk, model, triage: triage.then(|| Triage::new(rules())), _dir: dir }
    }

    /// Items per second of the console's intake of items `from..from + n`: ingest, fold
    /// into the queue, and triage each batch when on. Every round's items and ids are new.
    fn intake(&mut self, from: usize, n: usize) -> f64 {
        self.take_in((from..from + n).map(new_item).collect())
    }

    /// Items per second of the console's intake of `items`, in batches of 1 000.
    fn take_in(&mut self, items: Vec<NewItem>) -> f64 {
        let n = items.len();
        let op = self.desk.settings().operator("duty").unwrap().clone();
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

/// Round `round`'s storm: 50 000 reposts of one post (a repost adds a line of its own,
/// as reposts do), every other item, and 50 000 distinct items between them.
fn storm(round: usize) -> Vec<NewItem> {
    let post = format!("网传{}，{}", cjk(round as u64 * 31, 12), cjk(round as u64 * 37, 60));
    (0..100_000)
        .map(|i| match i % 2 {
            0 => NewItem {
                channel: Channel::Weibo,
                title: format!("转发：{post}"),
                body: format!("{post} //@网友{i}：{}", cjk((round * 1_000_000 + i) as u64, 4)),
                url: None,
                author: None,
                published_at: None,
                reach: None,
                external_id: Some(format!("s{round}-{i}")),
            },
            _ => new_item(round * 1_000_000 + i),
        })
        .collect()
}

/// P10: the storm into fresh consoles, triage off and on side by side.
fn bench_storm() {
    println!("## P10: 50 000 reposts of one post and 50 000 distinct items, 1 000 rules, fresh consoles");
    let mut worst = f64::MAX;
    for round in 1..=3 {
        let (mut off, mut on) = (Arm::fresh(false), Arm::fresh(true));
        // Alternate which goes first: the machine is noisy.
        let (a, b) = if round % 2 == 1 {
            let a = off.take_in(storm(round));
            (a, on.take_in(storm(round)))
        } else {
            let b = on.take_in(storm(round));
            (off.take_in(storm(round)), b)
        };
        worst = worst.min(b / a);
        println!("round {round}: triage off {a:.0} items/s, triage on {b:.0} items/s, ratio {:.2}", b / a);
    }
    println!("worst ratio {worst:.2} (target ≥ 0.7)");
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("storm") {
        return bench_storm();
    }
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
