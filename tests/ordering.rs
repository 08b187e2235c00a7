//! Property: whatever order the same events arrive in, and however they are grouped
//! into commits, the store's projections and conflict records equal the fold of the
//! events in total order.

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;
use yuqing::config::Settings;
use yuqing::domain::case::{Category, Outcome, PublishChannel, ResponseKind, Severity};
use yuqing::domain::command::Command as C;
use yuqing::domain::event::Event;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::domain::world::World;
use yuqing::store::{Store, Writer};

fn item(n: u32) -> NewItem {
    NewItem {
        channel: Channel::Wechat,
        title: format!("群众反映问题{n}"),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: Some(n as u64),
        external_id: Some(format!("x{n}")),
    }
}

/// Two consoles working concurrently on the same case, with conflicting actions: A.3
/// dismissed on B and attached on A, A.4 put into a case on each, A-0001 closed on each.
fn history() -> Vec<Event> {
    let s = Settings::default();
    let chief = s.operator("chief").unwrap().clone();
    let duty = s.operator("duty").unwrap().clone();
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut a = Writer::new(Store::open(da.path(), "live").unwrap(), "A").unwrap();
    let mut b = Writer::new(Store::open(db.path(), "live").unwrap(), "B").unwrap();
    let t = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let run = |w: &mut Writer, op, mins: i64, cmd: C| -> Vec<Event> {
        w.execute(op, t + Duration::minutes(mins), &s.policy, &s.directory, &cmd).expect("scripted command")
    };
    let mut ea = Vec::new();
    for n in 1..=4 {
        ea.extend(run(&mut a, &duty, 0, C::ReceiveItem { item: item(n) }));
    }
    ea.extend(run(
        &mut a,
        &duty,
        1,
        C::OpenCase {
            hints: vec![],
            items: vec!["A.1".into()],
            title: "停水".into(),
            severity: Severity::General,
            // `other`: it closes with any outcome (the closes below cross, by design).
            category: Category::Other,
            lead: "zjj".into(),
            co: vec![],
        },
    ));
    for e in &ea {
        b.receive(e).unwrap();
    }
    let mut eb = Vec::new();
    eb.extend(run(&mut b, &duty, 2, C::AttachItem { case: "A-0001".into(), item: "A.2".into() }));
    eb.extend(run(&mut b, &duty, 3, C::DismissItem { item: "A.3".into(), reason: "无关".into() }));
    eb.extend(run(
        &mut b,
        &chief,
        4,
        C::Classify { case: "A-0001".into(), severity: Severity::Major, category: Category::Other, since_item: None },
    ));
    eb.extend(run(&mut b, &duty, 5, C::ReceiveItem { item: item(9) }));
    eb.extend(run(
        &mut b,
        &duty,
        6,
        C::OpenCase {
            hints: vec![],
            items: vec!["B.1".into(), "A.4".into()],
            title: "道路塌陷".into(),
            severity: Severity::General,
            category: Category::Other,
            lead: "jtj".into(),
            co: vec!["zjj".into()],
        },
    ));
    eb.extend(run(&mut b, &duty, 7, C::ReportCounty { case: "A-0001".into(), note: String::new() }));
    // A major case closes once the county has its report and the press conference (which
    // releases the authoritative information) was held.
    eb.extend(run(&mut b, &duty, 8, C::PressConference { case: "A-0001".into(), note: String::new() }));
    eb.extend(run(
        &mut b,
        &chief,
        9,
        C::Close { case: "A-0001".into(), outcome: Outcome::NoAction, note: String::new() },
    ));
    ea.extend(run(&mut a, &duty, 3, C::AttachItem { case: "A-0001".into(), item: "A.3".into() }));
    ea.extend(run(
        &mut a,
        &chief,
        4,
        C::Publish {
            case: "A-0001".into(),
            kind: ResponseKind::FirstResponse,
            channel: PublishChannel::Portal,
            text: "正在抢修".into(),
            url: None,
        },
    ));
    ea.extend(run(&mut a, &duty, 6, C::AttachItem { case: "A-0001".into(), item: "A.4".into() }));
    ea.extend(run(&mut a, &duty, 7, C::ReportCounty { case: "A-0001".into(), note: String::new() }));
    ea.extend(run(&mut a, &duty, 8, C::Close { case: "A-0001".into(), outcome: Outcome::Solved, note: String::new() }));
    ea.extend(eb);
    ea
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_delivery_order_folds_to_the_same_state(
        order in Just((0..18usize).collect::<Vec<_>>()).prop_shuffle(),
        cuts in proptest::collection::vec(any::<bool>(), 18),
    ) {
        let events = history();
        prop_assert_eq!(events.len(), 18);
        let want = World::fold(&events);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), "live").unwrap();
        let mut w = Writer::new(store.clone(), "C").unwrap();
        for (i, &k) in order.iter().enumerate() {
            prop_assert!(w.receive(&events[k]).unwrap());
            prop_assert!(!w.receive(&events[k]).unwrap(), "a duplicate is ignored by id");
            if cuts[i] {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        for c in want.cases.values() {
            for i in &c.items {
                prop_assert_eq!(want.items[i].status.case(), Some(c.no.as_str()), "a case lists only items it won");
            }
        }
        let items: Vec<_> = want.items.values().cloned().collect();
        let cases: Vec<_> = want.cases.values().cloned().collect();
        let mut stored = store.items().unwrap();
        stored.sort_by(|a, b| a.id.cmp(&b.id));
        prop_assert_eq!(stored, items);
        prop_assert_eq!(store.cases().unwrap(), cases);
        let mut conflicts: Vec<_> = want.conflicts.values().flatten().cloned().collect();
        conflicts.sort_by(|a, b| a.lost.key.cmp(&b.lost.key));
        prop_assert_eq!(conflicts.len(), 3, "A.3, A.4 and the two closes of A-0001");
        prop_assert_eq!(store.conflicts().unwrap(), conflicts);
        let found = yuqing::store::verify(&store, |_: usize| ()).unwrap();
        prop_assert!(found.differences.is_empty(), "verify: {:?}", found.differences);
        prop_assert_eq!(found.events, 18);
        let vv = store.version_vector().unwrap();
        prop_assert_eq!(vv.get("A").copied(), Some(10));
        prop_assert_eq!(vv.get("B").copied(), Some(8));
    }
}
