//! Near-duplicates on a small labelled set kept in `tests/data/`: reposts with small
//! edits group together; different events that share topic words do not.

use yuqing::triage::similar::{Index, THRESHOLD, signature, similarity};

#[derive(serde::Deserialize)]
struct Set {
    group: Vec<Group>,
}

#[derive(serde::Deserialize)]
struct Group {
    texts: Vec<String>,
}

fn set() -> Vec<Vec<String>> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/near_duplicates.toml")).unwrap();
    toml::from_str::<Set>(&text).unwrap().group.into_iter().map(|g| g.texts).collect()
}

#[test]
fn reposts_group_and_different_events_do_not() {
    let groups = set();
    let all: Vec<(usize, &String)> =
        groups.iter().enumerate().flat_map(|(g, ts)| ts.iter().map(move |t| (g, t))).collect();
    for (i, (gi, a)) in all.iter().enumerate() {
        for (gj, b) in &all[i + 1..] {
            let s = similarity(&signature(a).unwrap(), &signature(b).unwrap());
            if gi == gj {
                assert!(s >= THRESHOLD, "same event, similarity {s:.2}: {a} / {b}");
            } else {
                assert!(s < THRESHOLD, "different events, similarity {s:.2}: {a} / {b}");
            }
        }
    }
}

#[test]
fn the_index_finds_the_repost_among_many() {
    let groups = set();
    let mut index = Index::default();
    for (g, texts) in groups.iter().enumerate() {
        index.insert(&format!("g{g}"), signature(&texts[0]).unwrap());
    }
    for i in 0..2000 {
        index.insert(&format!("noise{i}"), signature(&format!("第{i}号群众来信反映第{}号小区问题", i * 7)).unwrap());
    }
    for (g, texts) in groups.iter().enumerate() {
        for t in &texts[1..] {
            let (id, s) = index.best(&signature(t).unwrap(), "").unwrap_or_else(|| panic!("nothing found for {t}"));
            assert_eq!(id, format!("g{g}"), "{t} ({s:.2})");
        }
    }
    assert!(signature("短").is_none(), "too short to compare");
}
