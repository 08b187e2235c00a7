//! Triage cost (`cargo run --release --example perf_triage`): with 1 000 rules and
//! 100 000 items of history in the queue and the near-duplicate index, the console's
//! intake of 20 000 new items (the desk's ingest, folding into the queue, triage)
//! against the same intake with triage off, side by side. Each round adds 20 000 more.

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

/// Items per second of the console's intake: ingest, then fold into the queue; with
/// `triage`, also triage each batch.
fn intake(model: &mut Model, mut triage: Option<&mut Triage>, n: usize) -> f64 {
    let tmp = tempfile::tempdir().unwrap();
    let settings = Arc::new(Settings::default());
    let desk = Desk::start(Store::open(tmp.path(), "live").unwrap(), settings.clone(), Arc::new(SystemClock)).unwrap();
    let op = settings.operator("duty").unwrap().clone();
    let items: Vec<NewItem> = (0..n).map(new_item).collect();
    let t = Instant::now();
    for chunk in items.chunks(1000) {
        let answers = desk.run_blocking(&op, chunk.iter().map(|i| Command::ReceiveItem { item: i.clone() }).collect());
        for ev in answers.iter().flatten().flatten() {
            model.apply(ev);
        }
        model.refresh();
        match triage.as_deref_mut() {
            Some(tri) => tri.sync(model),
            None => drop(model.take_changes()),
        }
    }
    n as f64 / t.elapsed().as_secs_f64()
}

fn main() {
    let n = 20_000;
    println!("## intake of {n} items, 1 000 rules, 100 000 items of history");
    let t = Instant::now();
    let mut with = Model::new(history(100_000), vec![]);
    let mut without = Model::new(history(100_000), vec![]);
    let _ = without.take_changes();
    let mut triage = Triage::new(rules());
    triage.sync(&mut with);
    println!("(history indexed in {:.1} s)", t.elapsed().as_secs_f64());
    for round in 1..=4 {
        // Alternate which goes first: the machine is noisy.
        let (off, on) = if round % 2 == 1 {
            let off = intake(&mut without, None, n);
            (off, intake(&mut with, Some(&mut triage), n))
        } else {
            let on = intake(&mut with, Some(&mut triage), n);
            (intake(&mut without, None, n), on)
        };
        println!("round {round}: triage off {off:.0} items/s, triage on {on:.0} items/s, ratio {:.2}", on / off);
    }
}
