//! Space on disk per item (P12), run with `cargo run --release --example perf_disk`:
//! 200 000 items of the realistic feed received through the desk (as `yuqing ingest`
//! sends them, batches of 1 000) into a fresh folder; then the bytes of every file
//! under the folder divided by the items, against the mean size of an item's JSON line
//! in an item file (`docs/items.md`). Measured after the desk has let go of the store
//! (so sled has flushed) and again after the store is opened once more (sled may tidy
//! its segments at start). Three rounds, every round printed; `PERF_ITEMS=N` changes
//! the count. Figures go to docs/performance.md.

#[path = "common/mod.rs"]
mod common;

use yuqing::domain::item::NewItem;

/// The item as one line of an item file.
fn json_line(it: &NewItem) -> usize {
    serde_json::to_string(it).map(|s| s.len() + 1).unwrap_or(0)
}

fn main() {
    let n: usize = std::env::var("PERF_ITEMS").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000);
    let json = (0..n).map(|i| json_line(&common::feed(i))).sum::<usize>() as f64 / n as f64;
    println!("## bytes on disk per item after {n} items (mean item JSON {json:.0} bytes)");
    let mut ratios = Vec::new();
    for round in 1..=3 {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        common::fill(&dir, (0..n).map(common::feed));
        let closed = common::disk_bytes(&dir) as f64 / n as f64;
        drop(yuqing::store::Store::open(&dir, "live").unwrap());
        common::released(&dir);
        let reopened = common::disk_bytes(&dir) as f64 / n as f64;
        let ratio = closed.max(reopened) / json;
        ratios.push(ratio);
        println!(
            "round {round}: {closed:.0} bytes/item after ingest, {reopened:.0} after a reopen, ratio {ratio:.2} (target ≤ 2)"
        );
    }
    println!(
        "median ratio {:.2}, worst round {:.2}",
        common::median(ratios.clone()),
        ratios.iter().copied().fold(0.0, f64::max)
    );
}
