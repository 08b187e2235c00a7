//! Concurrent actions on two consoles: whatever order their events arrive in, every
//! store shows the same winner and records the same conflict naming the loser; the
//! losing officer's console says so; `yuqing audit` lists it.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::console::Console;
use yuqing::config::Settings;
use yuqing::domain::case::{CaseStatus, Category, Outcome, Severity};
use yuqing::domain::command::Command as C;
use yuqing::domain::conflict::{Conflict, Rule};
use yuqing::domain::event::Event;
use yuqing::domain::item::{Channel, ItemStatus, NewItem};
use yuqing::i18n::Lang;
use yuqing::store::{Store, Writer};
use yuqing::ui::update::Msg;

fn item(n: u32) -> NewItem {
    NewItem {
        channel: Channel::Weibo,
        title: format!("网友反映问题{n}"),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some(format!("c{n}")),
    }
}

fn open(items: &[&str], lead: &str) -> C {
    C::OpenCase {
        hints: vec![],
        items: items.iter().map(|i| i.to_string()).collect(),
        title: "停水".into(),
        severity: Severity::General,
        // `other`: it may close with any outcome and no response (these tests are about
        // crossing actions, not the rules of closing).
        category: Category::Other,
        lead: lead.into(),
        co: vec![],
    }
}

/// Consoles A and B after A received items A.1 and A.2, opened A-0001 from A.2 (lead
/// zjj), and B received all that.
struct Pair {
    s: Settings,
    a: Writer,
    b: Writer,
    _dirs: [tempfile::TempDir; 2],
}

impl Pair {
    fn new() -> Pair {
        let s = Settings::default();
        let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let a = Writer::new(Store::open(dirs[0].path(), "live").unwrap(), "A").unwrap();
        let b = Writer::new(Store::open(dirs[1].path(), "live").unwrap(), "B").unwrap();
        let mut p = Pair { s, a, b, _dirs: dirs };
        let mut first = p.on_a("duty", 0, C::ReceiveItem { item: item(1) });
        first.extend(p.on_a("duty", 0, C::ReceiveItem { item: item(2) }));
        first.extend(p.on_a("duty", 1, open(&["A.2"], "zjj")));
        for e in &first {
            p.b.receive(e).unwrap();
        }
        p
    }

    fn run(s: &Settings, w: &mut Writer, op: &str, mins: i64, cmd: C) -> Vec<Event> {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap() + Duration::minutes(mins);
        let op = s.operator(op).unwrap();
        w.execute(op, t, &s.policy, &s.directory, &cmd).expect("scripted command")
    }

    fn on_a(&mut self, op: &str, mins: i64, cmd: C) -> Vec<Event> {
        Pair::run(&self.s, &mut self.a, op, mins, cmd)
    }

    fn on_b(&mut self, op: &str, mins: i64, cmd: C) -> Vec<Event> {
        Pair::run(&self.s, &mut self.b, op, mins, cmd)
    }
}

/// Each console receives the other's events; returns both stores and their conflicts,
/// after checking `verify` finds nothing on either.
fn exchange(mut p: Pair, from_a: &[Event], from_b: &[Event]) -> [(Store, Vec<Conflict>); 2] {
    for e in from_b {
        p.a.receive(e).unwrap();
    }
    for e in from_a {
        p.b.receive(e).unwrap();
    }
    p.a.commit().unwrap();
    p.b.commit().unwrap();
    let store = |dir: &tempfile::TempDir| {
        let st = Store::open(dir.path(), "live").unwrap();
        let found = yuqing::store::verify(&st, |_: usize| ()).unwrap();
        assert!(found.differences.is_empty(), "verify: {:?}", found.differences);
        let c = st.conflicts().unwrap();
        (st, c)
    };
    let Pair { a, b, _dirs, .. } = p;
    drop((a, b));
    [store(&_dirs[0]), store(&_dirs[1])]
}

#[test]
fn given_an_attach_and_a_dismissal_crossing_then_the_attach_wins_in_either_order_and_the_dismissal_is_recorded() {
    for (attach_at, dismiss_at) in [(2, 3), (3, 2)] {
        for attach in [C::AttachItem { case: "A-0001".into(), item: "A.1".into() }, open(&["A.1"], "jtj")] {
            let mut p = Pair::new();
            let from_a = p.on_a("chief", attach_at, attach.clone());
            let from_b = p.on_b("duty", dismiss_at, C::DismissItem { item: "A.1".into(), reason: "无关".into() });
            let case = if matches!(attach, C::OpenCase { .. }) { "A-0002" } else { "A-0001" };
            let [(sa, ca), (sb, cb)] = exchange(p, &from_a, &from_b);
            assert_eq!(ca, cb, "the same conflict on both consoles");
            assert_eq!(ca.len(), 1);
            let c = &ca[0];
            assert_eq!((c.subject.as_str(), c.rule), ("A.1", Rule::CaseBeatsDismissal));
            assert_eq!((c.lost.console(), c.lost.operator.as_str()), ("B", "duty"));
            assert_eq!((c.won.console(), c.won.operator.as_str()), ("A", "chief"));
            for st in [&sa, &sb] {
                assert_eq!(st.item("A.1").unwrap().unwrap().status, ItemStatus::Attached { case: case.into() });
                assert!(st.case(case).unwrap().unwrap().items.contains(&"A.1".to_string()));
            }
        }
    }
}

#[test]
fn given_two_cases_claiming_one_item_then_the_first_keeps_it_and_the_other_does_not_list_it() {
    let mut p = Pair::new();
    let from_a = p.on_a("duty", 2, C::AttachItem { case: "A-0001".into(), item: "A.1".into() });
    let from_b = p.on_b("duty", 3, open(&["A.1"], "jtj"));
    let [(sa, ca), (sb, cb)] = exchange(p, &from_a, &from_b);
    assert_eq!(ca, cb);
    assert_eq!(ca.len(), 1);
    assert_eq!((ca[0].lost.console(), ca[0].rule), ("B", Rule::FirstTriageWins));
    for st in [&sa, &sb] {
        assert_eq!(st.item("A.1").unwrap().unwrap().status.case(), Some("A-0001"));
        assert_eq!(st.case("B-0001").unwrap().unwrap().items, Vec::<String>::new());
    }
}

#[test]
fn given_two_closes_crossing_then_the_first_stands_in_either_order_and_the_second_is_recorded() {
    for (a_at, b_at) in [(2, 3), (3, 2)] {
        let mut p = Pair::new();
        let from_a =
            p.on_a("duty", a_at, C::Close { case: "A-0001".into(), outcome: Outcome::Solved, note: "".into() });
        let from_b =
            p.on_b("chief", b_at, C::Close { case: "A-0001".into(), outcome: Outcome::NoAction, note: "".into() });
        let (first, loser) = if a_at < b_at { (Outcome::Solved, "B") } else { (Outcome::NoAction, "A") };
        let [(sa, ca), (sb, cb)] = exchange(p, &from_a, &from_b);
        assert_eq!(ca, cb);
        assert_eq!(ca.len(), 1);
        assert_eq!((ca[0].subject.as_str(), ca[0].lost.console(), ca[0].rule), ("A-0001", loser, Rule::FirstCloseWins));
        for st in [&sa, &sb] {
            let status = st.case("A-0001").unwrap().unwrap().status;
            assert!(matches!(status, CaseStatus::Closed { outcome, .. } if outcome == first), "{status:?}");
        }
    }
}

#[test]
fn given_a_transfer_crossing_an_acknowledgement_by_the_old_lead_then_the_transfer_stands_and_the_ack_is_recorded() {
    let mut p = Pair::new();
    let from_a = p.on_a("duty", 2, C::Transfer { case: "A-0001".into(), to: "jtj".into(), reason: "职责".into() });
    let from_b = p.on_b("duty", 3, C::Acknowledge { case: "A-0001".into(), dept: "zjj".into() });
    let [(sa, ca), (sb, cb)] = exchange(p, &from_a, &from_b);
    assert_eq!(ca, cb);
    assert_eq!(ca.len(), 1);
    assert_eq!((ca[0].lost.console(), ca[0].won.console(), ca[0].rule), ("B", "A", Rule::TransferBeforeAck));
    for st in [&sa, &sb] {
        assert_eq!(st.case("A-0001").unwrap().unwrap().lead, "jtj");
    }
}

/// Runs `cmd` on a console as its runtime would: the command, its applied events, then
/// the answer. Returns the events.
fn act(c: &mut Console, cmd: C) -> Vec<Event> {
    let answers = c.desk.run_blocking(&c.app.operator, vec![cmd]);
    let events: Vec<Event> = answers.iter().flatten().flatten().cloned().collect();
    c.deliver();
    c.send(Msg::Answered(answers));
    events
}

fn receive(c: &mut Console, events: &[Event]) {
    let recorded = events.iter().map(|e| yuqing::domain::codec::Recorded::new(e.clone()).unwrap()).collect();
    c.desk.queue_received(recorded).blocking_recv().unwrap().unwrap();
    c.deliver();
}

#[test]
fn given_two_desks_acting_at_once_then_both_show_the_same_winner_and_the_loser_is_told() {
    let settings = |name: &str| {
        let mut s = Settings::default();
        s.console.name = name.into();
        s
    };
    let mut a = Console::with_settings(Lang::En, "chief", false, settings("A"));
    let mut b = Console::with_settings(Lang::Zh, "duty", false, settings("B"));
    // A console with sign-in knows its operators' names; without, the notice shows ids.
    b.app.sign_in.operators = Settings::default().operators;
    let mut first = act(&mut a, C::ReceiveItem { item: item(1) });
    first.extend(act(&mut a, C::ReceiveItem { item: item(2) }));
    first.extend(act(&mut a, open(&["A.2"], "zjj")));
    receive(&mut b, &first);

    let from_b = act(&mut b, C::DismissItem { item: "A.1".into(), reason: "无关".into() });
    let from_a = act(&mut a, C::AttachItem { case: "A-0001".into(), item: "A.1".into() });
    assert_eq!(b.app.status.as_ref().map(|s| s.0.as_str()), Some("已排除 1 条；按 u 撤销"));
    receive(&mut a, &from_b);
    receive(&mut b, &from_a);

    for c in [&a, &b] {
        let st = c.desk.store();
        assert_eq!(st.item("A.1").unwrap().unwrap().status.case(), Some("A-0001"));
        let found = st.conflicts().unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].lost.console(), found[0].won.console()), ("B", "A"));
    }
    assert_eq!(a.desk.store().conflicts().unwrap(), b.desk.store().conflicts().unwrap());
    let (text, error) = b.app.status.clone().expect("a notice on B");
    assert!(error);
    assert_eq!(text, "您对 A.1 的排除未生效：同时已被 A 的 带班领导 归入 A-0001（规则：归案优先）");
    let shown_on_a = a.app.status.as_ref().map(|s| s.0.clone()).unwrap_or_default();
    assert!(!shown_on_a.contains("did not take effect"), "A's action won: {shown_on_a}");
}

#[test]
fn audit_prints_a_line_per_conflict_naming_both_authors() {
    let sb = common::Sandbox::new();
    let mut p = Pair::new();
    let from_a = p.on_a("chief", 2, C::AttachItem { case: "A-0001".into(), item: "A.1".into() });
    let from_b = p.on_b("duty", 3, C::DismissItem { item: "A.1".into(), reason: "无关".into() });
    let events: Vec<Event> = {
        let [(sa, _), _] = exchange(p, &from_a, &from_b);
        sa.events().unwrap().map(Result::unwrap).collect()
    };
    {
        let mut w = Writer::new(Store::open(&sb.data(), "live").unwrap(), "A").unwrap();
        for e in &events {
            w.receive(e).unwrap();
        }
        w.commit().unwrap();
    }
    let out = sb.ok(&["audit"]);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains("CONFLICT")).collect();
    assert_eq!(lines.len(), 1, "{out}");
    let line = lines[0];
    for part in
        ["A.1", "dismissal", "by duty on B", "lost to putting it into A-0001 by chief on A", "case_beats_dismissal"]
    {
        assert!(line.contains(part), "{part:?} missing from {line}");
    }
    assert!(sb.ok(&["audit", "--operator", "duty"]).contains("CONFLICT A.1"));
    assert!(!sb.ok(&["audit", "--case", "A-0009"]).contains("CONFLICT"));
}

#[test]
fn an_item_put_back_in_the_queue_starts_its_triage_afresh_and_earlier_conflicts_stay_on_record() {
    let dismiss = |why: &str| C::DismissItem { item: "A.1".into(), reason: why.into() };
    let restore = C::RestoreItem { item: "A.1".into(), reason: "误排除".into() };
    // One console, in turn: dismissed, put back, dismissed again — no conflict.
    let mut p = Pair::new();
    let mut from_a = p.on_a("duty", 2, dismiss("无关"));
    from_a.extend(p.on_a("duty", 3, restore.clone()));
    from_a.extend(p.on_a("duty", 4, dismiss("仍无关")));
    let [(_, ca), (_, cb)] = exchange(p, &from_a, &[]);
    assert_eq!((ca.len(), cb.len()), (0, 0), "a triage after a requeue is not a conflict: {ca:?}");

    // Two consoles: both dismiss at once (B's loses); A puts it back; then A dismisses and
    // B attaches at once (A's loses). Both conflicts are on record, in either order.
    for b_first in [false, true] {
        let mut p = Pair::new();
        let from_a = p.on_a("duty", 2, dismiss("无关"));
        let first_b = p.on_b("duty", 3, dismiss("重复"));
        for e in &first_b {
            p.a.receive(e).unwrap();
        }
        for e in &from_a {
            p.b.receive(e).unwrap();
        }
        let mut again = p.on_a("duty", 10, restore.clone());
        for e in &again {
            p.b.receive(e).unwrap();
        }
        again.extend(p.on_a("duty", 11, dismiss("还是无关")));
        let attach = p.on_b("chief", 12, C::AttachItem { case: "A-0001".into(), item: "A.1".into() });
        let [(sa, ca), (_, cb)] = match b_first {
            false => exchange(p, &again[1..], &attach),
            true => {
                let mut p = p;
                for e in &attach {
                    p.a.receive(e).unwrap();
                }
                exchange(p, &again[1..], &[])
            }
        };
        assert_eq!(ca, cb, "the same conflicts on both consoles");
        let rounds: Vec<(Rule, &str, &str)> = ca.iter().map(|c| (c.rule, c.lost.console(), c.won.console())).collect();
        assert_eq!(rounds, vec![(Rule::FirstTriageWins, "B", "A"), (Rule::CaseBeatsDismissal, "A", "B")], "{ca:?}");
        assert_eq!(sa.item("A.1").unwrap().unwrap().status, ItemStatus::Attached { case: "A-0001".into() });
    }
}
