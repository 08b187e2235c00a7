//! Admission of relayed events: held back until their author's head covers them.

use super::*;
use crate::domain::event::{Event, EventBody, EventId, SCHEMA_VERSION};
use crate::domain::hlc::Stamp;

/// `n` chained events of `console`, each a note with `text`.
fn history(console: &str, n: u64, text: &str) -> Vec<Recorded> {
    let mut out: Vec<Recorded> = Vec::new();
    for seq in 1..=n {
        let ev = Event {
            id: EventId { console: console.into(), seq },
            stamp: Stamp { ms: 1_700_000_000_000 + seq as i64, n: 0 },
            operator: "duty".into(),
            realm: "live".into(),
            v: SCHEMA_VERSION,
            prev: out.last().map(|r| r.hash()),
            body: EventBody::NoteAdded { case: "A-0001".into(), text: format!("{text} {seq}") },
        };
        out.push(Recorded::new(ev).unwrap());
    }
    out
}

/// A head at `rec` (the signature is the caller's to check, so none here).
fn head(rec: &Recorded) -> Head {
    let id = &rec.event().id;
    Head {
        console: id.console.clone(),
        seq: id.seq,
        hash: rec.hash(),
        sig: String::new(),
        endorsement: Default::default(),
    }
}

fn seqs(events: &[Recorded]) -> Vec<u64> {
    events.iter().map(|e| e.event().id.seq).collect()
}

const NOTHING: &dyn Fn(&str) -> Held = &|_| Held::default();

#[test]
fn the_peers_own_events_pass_and_relayed_ones_wait_for_a_head() {
    let (p, x) = (history("P", 2, "p"), history("X", 4, "x"));
    let mut a = Admission::new("P");
    let got = a.admit(vec![p[0].clone(), x[0].clone(), x[1].clone(), p[1].clone()], &[], NOTHING).unwrap();
    assert_eq!(got, vec![p[0].clone(), p[1].clone()]);
    assert_eq!(a.waiting(), 2);
    // The rest of X's history with its head at 3: 1..=3 go in, 4 keeps waiting.
    let got = a.admit(vec![x[2].clone(), x[3].clone()], &[head(&x[2])], NOTHING).unwrap();
    assert_eq!(seqs(&got), vec![1, 2, 3]);
    assert_eq!(a.waiting(), 1);
}

#[test]
fn a_head_already_held_covers_events_that_come_later() {
    let x = history("X", 3, "x");
    let held = head(&x[2]);
    let mut a = Admission::new("P");
    let got = a.admit(x.clone(), &[], &|_| Held { head: Some(held.clone()), upto: 0 }).unwrap();
    assert_eq!(seqs(&got), vec![1, 2, 3]);
}

#[test]
fn events_that_contradict_the_head_are_refused_and_none_is_stored() {
    let (real, forged) = (history("X", 3, "真"), history("X", 3, "伪造：县长已被免职"));
    let mut a = Admission::new("P");
    // A relay's own history under X's name, chained anew, with X's real head.
    let err = a.admit(forged.clone(), &[head(&real[2])], NOTHING).unwrap_err();
    assert!(err.reason.contains("X:3") && err.reason.contains("`P`"), "{err:?}");
    let fork = err.fork.expect("kept as a fork");
    assert_eq!((fork.event.as_str(), fork.held, fork.got), ("X:3", Some(real[2].hash()), forged[2].hash()));
    assert_eq!(a.waiting(), 0);
    // The real last event behind altered earlier ones: the walk back finds the first.
    let mut a = Admission::new("P");
    let mixed = vec![real[0].clone(), forged[1].clone(), real[2].clone()];
    let err = a.admit(mixed, &[head(&real[2])], NOTHING).unwrap_err();
    assert_eq!(err.fork.unwrap().event, "X:2");
}

#[test]
fn held_events_pass_through_to_the_store_which_compares_them() {
    let x = history("X", 3, "x");
    let mut a = Admission::new("P");
    let got = a.admit(x[..2].to_vec(), &[], &|_| Held { head: None, upto: 2 }).unwrap();
    assert_eq!(seqs(&got), vec![1, 2]);
    assert_eq!(a.waiting(), 0);
}

#[test]
fn events_cut_off_by_a_gap_are_dropped_once_a_head_is_beyond_them() {
    let x = history("X", 5, "x");
    let mut a = Admission::new("P");
    let got = a.admit(vec![x[0].clone(), x[2].clone(), x[3].clone()], &[head(&x[3])], NOTHING).unwrap();
    // 3..=4 are proved by the head; 1 cannot be linked to them and is dropped (it comes again).
    assert_eq!(seqs(&got), vec![3, 4]);
    assert_eq!(a.waiting(), 0);
}

#[test]
fn a_relay_that_never_sends_heads_is_cut_off() {
    let big = "长".repeat(200_000);
    let x = history("X", 120, &big);
    let mut a = Admission::new("P");
    let err = a.admit(x, &[], NOTHING).unwrap_err();
    assert!(err.reason.contains("no signed head") && err.fork.is_none(), "{err:?}");
}
