//! Given / when / then tests of every command: the events it becomes, the refusals by
//! role and by state, and the exact deadlines for each severity.

use super::case::{Category::*, Outcome, PublishChannel, Referral, ResponseKind, Severity::*};
use super::command::Command as C;
use super::decide::{Context, DomainError, decide};
use super::department::Directory;
use super::event::{Event, EventBody, EventId};
use super::hlc::Stamp;
use super::item::{Channel, ItemStatus, NewItem};
use super::milestone::MilestoneKind as K;
use super::policy::Policy;
use super::role::{Operator, Role};
use super::world::World;
use chrono::{DateTime, Duration, TimeZone, Utc};

struct Scene {
    world: World,
    now: DateTime<Utc>,
    seq: u64,
    stamp: Stamp,
    cases: u64,
    items: u64,
    policy: Policy,
    dir: Directory,
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 1, 0, 0).unwrap()
}

fn op(role: Role) -> Operator {
    Operator { id: role.to_string(), name: String::new(), role, pin: None, token: None, disabled: false }
}

fn item(title: &str) -> NewItem {
    NewItem {
        channel: Channel::Weibo,
        title: title.into(),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: None,
    }
}

impl Scene {
    fn new() -> Scene {
        Scene {
            world: World::default(),
            now: t0(),
            seq: 0,
            stamp: Stamp::default(),
            cases: 0,
            items: 0,
            policy: Policy::default(),
            dir: Directory { departments: crate::config::default_departments() },
        }
    }

    /// when: decide as `role`; on success the events are applied.
    fn when(&mut self, role: Role, cmd: C) -> Result<Vec<EventBody>, DomainError> {
        let operator = op(role);
        let ctx = Context {
            operator: &operator,
            now: self.now,
            policy: &self.policy,
            directory: &self.dir,
            next_case_no: format!("A-{:04}", self.cases + 1),
            next_item_id: format!("A.{}", self.items + 1),
        };
        let bodies = decide(&self.world, &ctx, &cmd)?;
        for b in &bodies {
            match b {
                EventBody::CaseOpened { .. } => self.cases += 1,
                EventBody::ItemReceived { .. } => self.items += 1,
                _ => {}
            }
            self.seq += 1;
            self.stamp = self.stamp.tick(self.now);
            let ev = Event {
                id: EventId { console: "A".into(), seq: self.seq },
                stamp: self.stamp,
                operator: operator.id.clone(),
                realm: "live".into(),
                v: 1,
                prev: None,
                body: b.clone(),
            };
            self.world.apply(&ev);
        }
        Ok(bodies)
    }

    /// given: a command that must succeed.
    fn given(&mut self, role: Role, cmd: C) -> &mut Scene {
        self.when(role, cmd).expect("given step refused");
        self
    }

    fn later(&mut self, d: Duration) -> &mut Scene {
        self.now += d;
        self
    }

    fn case(&self) -> super::case::Case {
        self.world.cases["A-0001"].clone()
    }

    /// given: items A.1 and A.2 and case A-0001 (severity as given) from A.1.
    fn with_case(sev: super::case::Severity) -> Scene {
        let mut s = Scene::new();
        s.given(Role::Operator, C::ReceiveItem { item: item("学校食堂饭菜变质") })
            .given(Role::Operator, C::ReceiveItem { item: item("食堂问题转发") })
            .given(Role::Operator, open(vec!["A.1"], sev));
        s
    }
}

fn open(items: Vec<&str>, severity: super::case::Severity) -> C {
    C::OpenCase {
        hints: vec![],
        items: items.into_iter().map(String::from).collect(),
        title: String::new(),
        severity,
        category: Rumor,
        lead: "县教育局".into(),
        co: vec!["scjgj".into(), "jyj".into()],
    }
}

fn case() -> String {
    "A-0001".into()
}

#[test]
fn receiving_an_item_numbers_it_and_queues_it() {
    let mut s = Scene::new();
    let ev = s.when(Role::Operator, C::ReceiveItem { item: item("  网传停水  ") }).unwrap();
    assert!(matches!(&ev[0], EventBody::ItemReceived { id, item } if id == "A.1" && item.title == "网传停水"));
    assert_eq!(s.world.items["A.1"].status, ItemStatus::New);
    let empty = s.when(Role::Operator, C::ReceiveItem { item: item(" ") });
    assert!(matches!(empty, Err(DomainError::Invalid(_))));
}

#[test]
fn opening_a_case_attaches_its_items_resolves_departments_and_plans_the_deadline() {
    let s = Scene::with_case(General);
    let c = s.case();
    assert_eq!(c.title, "学校食堂饭菜变质", "the title defaults to the first item's");
    assert_eq!(c.lead, "jyj");
    assert_eq!(c.co, vec!["scjgj".to_string()], "the lead is not its own co-department");
    assert_eq!(c.milestones.len(), 1);
    assert_eq!(c.milestones[0].kind, K::FirstResponse);
    assert_eq!(c.milestones[0].due, t0() + Duration::hours(48));
    assert_eq!(s.world.items["A.1"].status, ItemStatus::Attached { case: case() });
}

#[test]
fn major_and_extraordinary_cases_get_the_major_event_deadlines() {
    for sev in [Major, Extraordinary] {
        let c = Scene::with_case(sev).case();
        let due: Vec<(K, DateTime<Utc>)> = c.milestones.iter().map(|m| (m.kind, m.due)).collect();
        assert_eq!(
            due,
            vec![
                (K::ReportCounty, t0() + Duration::hours(1)),
                (K::AuthoritativeInfo, t0() + Duration::hours(5)),
                (K::PressConference, t0() + Duration::hours(24)),
                (K::Update, t0() + Duration::hours(24)),
            ]
        );
    }
}

#[test]
fn opening_is_refused_for_used_or_unknown_items_and_unknown_departments() {
    let mut s = Scene::with_case(General);
    assert!(matches!(s.when(Role::Operator, open(vec!["A.1"], General)), Err(DomainError::ItemNotNew { .. })));
    assert!(matches!(s.when(Role::Operator, open(vec!["A.9"], General)), Err(DomainError::UnknownItem(_))));
    assert!(matches!(s.when(Role::Operator, open(vec![], General)), Err(DomainError::Invalid(_))));
    let mut bad = open(vec!["A.2"], General);
    if let C::OpenCase { lead, .. } = &mut bad {
        *lead = "县财政局".into();
    }
    let e = s.when(Role::Operator, bad).unwrap_err().to_string();
    assert!(e.contains("县财政局") && e.contains("jyj 县教育局"), "{e}");
}

#[test]
fn attaching_and_dismissing_items() {
    let mut s = Scene::with_case(General);
    s.given(Role::Operator, C::AttachItem { case: case(), item: "A.2".into() });
    assert_eq!(s.case().items, vec!["A.1", "A.2"]);
    let again = s.when(Role::Operator, C::DismissItem { item: "A.2".into(), reason: "重复".into() });
    assert!(matches!(again, Err(DomainError::ItemNotNew { .. })));
    s.given(Role::Operator, C::ReceiveItem { item: item("广告") });
    s.given(Role::Operator, C::DismissItem { item: "A.3".into(), reason: "无关广告".into() });
    assert_eq!(s.world.items["A.3"].status.name(), "dismissed");
    assert!(s.when(Role::Operator, C::DismissItem { item: "A.3".into(), reason: "x".into() }).is_err());
}

#[test]
fn reclassifying_keeps_met_milestones_and_counts_major_deadlines_from_the_upgrade() {
    let mut s = Scene::with_case(General);
    s.later(Duration::hours(2));
    s.given(
        Role::Supervisor,
        C::Publish {
            case: case(),
            kind: ResponseKind::FirstResponse,
            channel: PublishChannel::Weibo,
            text: "已介入".into(),
            url: None,
        },
    );
    s.later(Duration::hours(1));
    s.given(
        Role::Operator,
        C::Classify { case: case(), severity: Major, category: Misunderstanding, since_item: None },
    );
    let c = s.case();
    assert_eq!(c.severity, Major);
    let fr = c.milestones.iter().find(|m| m.kind == K::FirstResponse).unwrap();
    assert_eq!(fr.met_at, Some(t0() + Duration::hours(2)), "a met milestone stays met");
    let ai = c.milestones.iter().find(|m| m.kind == K::AuthoritativeInfo).unwrap();
    assert_eq!(ai.due, t0() + Duration::hours(8), "R11: 5 h from the upgrade at +3 h, when the facts arrived");
    assert!(!c.overdue_at(s.now), "an officer who upgrades as the facts arrive is not late");
    let same = s.when(
        Role::Operator,
        C::Classify { case: case(), severity: Major, category: Misunderstanding, since_item: None },
    );
    assert!(matches!(same, Err(DomainError::Invalid(_))));
    s.given(
        Role::Operator,
        C::Classify { case: case(), severity: General, category: Misunderstanding, since_item: None },
    );
    let kinds: Vec<K> = s.case().milestones.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, vec![K::FirstResponse], "back to general: pending major milestones not yet due go");
}

#[test]
fn r11_a_downgrade_keeps_a_missed_major_deadline_late() {
    let mut s = Scene::with_case(Major);
    s.later(Duration::hours(2));
    s.given(Role::Operator, C::Classify { case: case(), severity: General, category: Rumor, since_item: None });
    let c = s.case();
    let report = c.milestones.iter().find(|m| m.kind == K::ReportCounty).expect("the missed report stays on record");
    assert!(report.lapsed && report.met_at.is_none() && !report.pending());
    assert_eq!(report.due, t0() + Duration::hours(1));
    assert!(!c.milestones.iter().any(|m| m.kind == K::AuthoritativeInfo), "not yet due: dropped");
    let fr = c.milestones.iter().find(|m| m.kind == K::FirstResponse).unwrap();
    assert_eq!(fr.due, t0() + Duration::hours(48), "R9 counts from the case's base");
    let dir = &s.dir;
    let period = super::metrics::Period { from: t0(), to: t0() + Duration::days(1) };
    let f = super::metrics::department_figures(dir, &[c], period, s.now);
    let jyj = f.iter().find(|d| d.code == "jyj").unwrap();
    assert_eq!((jyj.milestones_due, jyj.met_on_time), (1, 0), "the missed report counts against the lead");
}

#[test]
fn r9_the_48_hours_count_from_when_the_duty_room_received_the_opinion() {
    // Received 07-05 09:00, opened 07-07 09:00: due 07-07 09:00, not 07-09.
    let mut s = Scene::new();
    s.now = Utc.with_ymd_and_hms(2026, 7, 5, 1, 0, 0).unwrap();
    s.given(Role::Operator, C::ReceiveItem { item: item("小区停水三天") });
    s.later(Duration::hours(48));
    s.given(Role::Operator, open(vec!["A.1"], General));
    let c = s.case();
    assert_eq!(c.milestones[0].due, Utc.with_ymd_and_hms(2026, 7, 7, 1, 0, 0).unwrap());
    assert_eq!(c.counts_from, Some(Utc.with_ymd_and_hms(2026, 7, 5, 1, 0, 0).unwrap()));
    assert!(c.overdue_at(s.now + Duration::minutes(1)));
    // The earliest of several items is when the county learned of it.
    let mut s = Scene::new();
    s.given(Role::Operator, C::ReceiveItem { item: item("首发") });
    s.later(Duration::hours(10));
    s.given(Role::Operator, C::ReceiveItem { item: item("转发") });
    s.given(Role::Operator, open(vec!["A.2", "A.1"], General));
    assert_eq!(s.case().milestones[0].due, t0() + Duration::hours(48));
}

#[test]
fn r9_the_clock_base_is_a_policy_setting() {
    use super::policy::ClockBase;
    let published = t0() - Duration::hours(30);
    for (base, due) in [
        (ClockBase::Opened, t0() + Duration::hours(50)),
        (ClockBase::Received, t0() + Duration::hours(48)),
        (ClockBase::Published, published + Duration::hours(48)),
    ] {
        let mut s = Scene::new();
        s.policy.clock_base = base;
        let mut it = item("网传");
        it.published_at = Some(published);
        s.given(Role::Operator, C::ReceiveItem { item: it });
        s.later(Duration::hours(2));
        s.given(Role::Operator, open(vec!["A.1"], General));
        assert_eq!(s.case().milestones[0].due, due, "{base:?}");
    }
}

#[test]
fn r11_a_press_conference_releases_authoritative_information() {
    let mut s = Scene::with_case(Major);
    s.later(Duration::minutes(30));
    s.given(Role::Operator, C::ReportCounty { case: case(), note: String::new() });
    s.later(Duration::minutes(15));
    s.given(Role::Operator, C::PressConference { case: case(), note: "县政府新闻办".into() });
    let c = s.case();
    let ai = c.milestones.iter().find(|m| m.kind == K::AuthoritativeInfo).unwrap();
    assert_eq!(ai.met_at, Some(t0() + Duration::minutes(45)), "met 45 min after opening, on time");
    assert!(!ai.met_late());
}

#[test]
fn r11_a_major_case_is_reported_to_the_county_before_anything_is_published() {
    let mut s = Scene::with_case(Major);
    let publish = C::Publish {
        case: case(),
        kind: ResponseKind::AuthoritativeInfo,
        channel: PublishChannel::Weibo,
        text: "经核查".into(),
        url: None,
    };
    let refused = s.when(Role::Supervisor, publish.clone()).unwrap_err();
    let (e, zh) = (refused.to_string(), refused.zh());
    assert!(e.contains("reported to the county government before publishing") && !e.contains("R11"), "{e}");
    assert!(zh.contains("须先报告县政府，再发布回应") && !zh.contains('R'), "the rule in words, not its number: {zh}");
    let press = C::PressConference { case: case(), note: String::new() };
    assert!(s.when(Role::Operator, press).unwrap_err().zh().contains("再召开新闻发布会"));
    s.policy.report_before_publish = false;
    assert!(s.when(Role::Supervisor, publish).is_ok(), "the county may turn the order off");
}

#[test]
fn r10_each_category_closes_with_its_kind_of_response() {
    let publish =
        |kind| C::Publish { case: case(), kind, channel: PublishChannel::Portal, text: "回应".into(), url: None };
    // A rumour closed as adopted.
    let mut s = Scene::with_case(General);
    let e = s.when(Role::Operator, C::Close { case: case(), outcome: Outcome::Adopted, note: String::new() });
    let e = e.unwrap_err().to_string();
    assert!(e.contains("cannot close as adopted") && e.contains("corrected, clarified, referred"), "{e}");
    // A rumour closed as corrected with nothing published.
    let close = C::Close { case: case(), outcome: Outcome::Corrected, note: String::new() };
    assert!(s.when(Role::Operator, close.clone()).unwrap_err().to_string().contains("has published no"));
    s.given(Role::Supervisor, publish(ResponseKind::FirstResponse));
    s.given(Role::Operator, close);
    // A misunderstanding needs authoritative information, not just any reply.
    let mut s = Scene::with_case(General);
    s.given(
        Role::Operator,
        C::Classify { case: case(), severity: General, category: Misunderstanding, since_item: None },
    );
    s.given(Role::Supervisor, publish(ResponseKind::FirstResponse));
    let close = C::Close { case: case(), outcome: Outcome::Clarified, note: String::new() };
    let e = s.when(Role::Operator, close.clone()).unwrap_err().to_string();
    assert!(e.contains("no authoritative_info response"), "{e}");
    s.given(Role::Supervisor, publish(ResponseKind::AuthoritativeInfo));
    s.given(Role::Operator, close);
    // A difficulty closed with no response.
    let mut s = Scene::with_case(General);
    s.given(Role::Operator, C::Classify { case: case(), severity: General, category: Difficulty, since_item: None });
    let e = s.when(Role::Operator, C::Close { case: case(), outcome: Outcome::Solved, note: String::new() });
    assert!(e.unwrap_err().to_string().contains("has published no"));
}

#[test]
fn r6_lateness_stays_late_an_expired_deadline_is_not_extended_and_extensions_are_capped() {
    let mut s = Scene::with_case(General);
    let ext = |h: i64| C::Extend {
        case: case(),
        milestone: K::FirstResponse,
        until: t0() + Duration::hours(h),
        reason: "等待调查".into(),
    };
    let e = s.when(Role::Supervisor, ext(i64::from(u16::MAX))).unwrap_err().to_string();
    assert!(e.contains("at most 48 h past the original due time"), "no 2099-style extensions: {e}");
    s.given(Role::Supervisor, ext(72));
    let m = s.case().milestones[0].clone();
    assert_eq!((m.due, m.original_due), (t0() + Duration::hours(72), Some(t0() + Duration::hours(48))));
    let e = s.when(Role::Supervisor, ext(100)).unwrap_err().to_string();
    assert!(e.contains("no later than"), "the cap counts from the original due: {e}");
    s.later(Duration::hours(73));
    let e = s.when(Role::Supervisor, ext(90)).unwrap_err().to_string();
    assert!(e.contains("cannot be extended") && e.contains("lateness stays on record") && !e.contains("R6"), "{e}");
    s.given(
        Role::Supervisor,
        C::Publish {
            case: case(),
            kind: ResponseKind::FirstResponse,
            channel: PublishChannel::Portal,
            text: "答复".into(),
            url: None,
        },
    );
    s.given(Role::Operator, C::Close { case: case(), outcome: Outcome::Corrected, note: String::new() });
    assert!(s.case().milestones[0].met_late(), "answered 73 h after opening: late, whatever came after");
}

#[test]
fn r5_lateness_counts_against_the_lead_of_the_time() {
    let mut s = Scene::with_case(General);
    s.later(Duration::hours(50));
    s.given(Role::Operator, C::Transfer { case: case(), to: "scjgj".into(), reason: "归口".into() });
    s.later(Duration::hours(2));
    s.given(
        Role::Supervisor,
        C::Publish {
            case: case(),
            kind: ResponseKind::FirstResponse,
            channel: PublishChannel::Portal,
            text: "答复".into(),
            url: None,
        },
    );
    let period = super::metrics::Period { from: t0(), to: t0() + Duration::days(7) };
    let f = super::metrics::department_figures(&s.dir, &[s.case()], period, s.now);
    let by = |code: &str| f.iter().find(|d| d.code == code).unwrap().clone();
    assert_eq!((by("jyj").milestones_due, by("jyj").met_late), (1, 1), "jyj led when it fell due");
    assert_eq!(by("scjgj").milestones_due, 0, "the new lead is not charged with it");
}

#[test]
fn extension_is_for_supervisors_and_survives_reclassification() {
    let mut s = Scene::with_case(Major);
    let until = t0() + Duration::hours(8);
    let ext = C::Extend { case: case(), milestone: K::AuthoritativeInfo, until, reason: "等待检测结果".into() };
    assert!(matches!(s.when(Role::Operator, ext.clone()), Err(DomainError::Forbidden { .. })));
    s.given(Role::Supervisor, ext);
    let early = C::Extend { case: case(), milestone: K::AuthoritativeInfo, until: t0(), reason: "x".into() };
    assert!(matches!(s.when(Role::Supervisor, early), Err(DomainError::Invalid(_))));
    s.given(Role::Operator, C::Classify { case: case(), severity: Extraordinary, category: Rumor, since_item: None });
    let c = s.case();
    let ai = c.milestones.iter().find(|m| m.kind == K::AuthoritativeInfo).unwrap();
    assert_eq!((ai.due, ai.extended), (until, true));
    assert_eq!(c.extensions.len(), 1);
    let none = C::Extend { case: case(), milestone: K::FirstResponse, until, reason: "x".into() };
    let e = s.when(Role::Supervisor, none).unwrap_err().to_string();
    assert!(e.contains("pending: report county"), "{e}");
}

#[test]
fn a_dismissal_is_undone_within_the_window_and_the_item_is_new_again() {
    let mut s = Scene::with_case(General);
    s.given(Role::Operator, C::ReceiveItem { item: item("广告") })
        .given(Role::Operator, C::DismissItem { item: "A.3".into(), reason: "无关广告".into() });
    let restore = |item: &str| C::RestoreItem { item: item.into(), reason: "误排除".into() };
    assert!(matches!(s.when(Role::Viewer, restore("A.3")), Err(DomainError::Forbidden { .. })));
    let in_case = s.when(Role::Operator, restore("A.1")).unwrap_err();
    assert!(in_case.to_string().contains("only a dismissed item (within 24 hours) or an expired one"), "{in_case}");
    assert!(in_case.zh().contains("已并入") && in_case.zh().contains("才能放回待研判"), "{}", in_case.zh());
    assert_eq!(
        s.when(Role::Operator, restore("A.3")).unwrap(),
        vec![EventBody::ItemRestored { item: "A.3".into(), reason: "误排除".into() }]
    );
    assert_eq!(s.world.items["A.3"].status, crate::domain::item::ItemStatus::New);
    s.given(Role::Operator, open(vec!["A.3"], General));
    assert_eq!(s.world.items["A.3"].status.name(), "attached", "a restored item is triaged afresh");
    s.given(Role::Operator, C::ReceiveItem { item: item("旧广告") })
        .given(Role::Operator, C::DismissItem { item: "A.4".into(), reason: "无关".into() })
        .later(super::decide::RESTORE_WINDOW + Duration::minutes(1));
    assert!(matches!(s.when(Role::Operator, restore("A.4")), Err(DomainError::Invalid(_))), "too late");
}

#[test]
fn a_supervisor_returns_a_draft_with_a_reason_and_it_no_longer_waits() {
    let mut s = Scene::with_case(General);
    s.given(Role::Operator, C::Draft { case: case(), kind: ResponseKind::FirstResponse, text: "正在核实".into() });
    let ret = |reason: &str| C::ReturnDraft { case: case(), draft: None, reason: reason.into() };
    assert!(matches!(s.when(Role::Operator, ret("改")), Err(DomainError::Forbidden { .. })));
    assert!(s.when(Role::Supervisor, ret(" ")).is_err(), "a return says what to change");
    assert_eq!(
        s.when(Role::Supervisor, ret("请写明核实单位")).unwrap(),
        vec![EventBody::DraftReturned { case: case(), draft: 0, reason: "请写明核实单位".into() }]
    );
    let d = &s.case().drafts[0];
    assert!(!d.waiting() && d.approved_by.is_none());
    assert_eq!(d.returned.as_ref().map(|a| a.text.as_str()), Some("请写明核实单位"));
    let approve = C::Approve { case: case(), draft: None };
    assert!(matches!(s.when(Role::Supervisor, approve), Err(DomainError::Invalid(_))), "nothing waits");
}

#[test]
fn responses_need_a_supervisors_approval_unless_a_supervisor_publishes() {
    let mut s = Scene::with_case(Major);
    s.given(Role::Operator, C::ReportCounty { case: case(), note: String::new() });
    let publish =
        |kind| C::Publish { case: case(), kind, channel: PublishChannel::Portal, text: String::new(), url: None };
    assert!(matches!(s.when(Role::Operator, publish(ResponseKind::AuthoritativeInfo)), Err(DomainError::Invalid(_))));
    s.given(Role::Operator, C::Draft { case: case(), kind: ResponseKind::AuthoritativeInfo, text: "检测合格".into() });
    let approve = C::Approve { case: case(), draft: None };
    assert!(matches!(s.when(Role::Operator, approve.clone()), Err(DomainError::Forbidden { .. })));
    s.given(Role::Operator, C::SignOff { case: case(), draft: None, dept: "scjgj".into() });
    s.given(Role::Supervisor, approve.clone());
    assert!(matches!(s.when(Role::Supervisor, approve), Err(DomainError::Invalid(_))), "nothing left to approve");
    s.later(Duration::hours(3));
    s.given(Role::Operator, publish(ResponseKind::AuthoritativeInfo));
    let c = s.case();
    assert_eq!(c.responses[0].text, "检测合格", "the approved draft's text is published");
    assert!(c.drafts[0].published);
    let ai = c.milestones.iter().find(|m| m.kind == K::AuthoritativeInfo).unwrap();
    assert_eq!(ai.met_at, Some(t0() + Duration::hours(3)));
    assert!(matches!(s.when(Role::Operator, publish(ResponseKind::AuthoritativeInfo)), Err(DomainError::Invalid(_))));
}

#[test]
fn a_published_update_meets_the_update_milestone_and_schedules_the_next() {
    let mut s = Scene::with_case(Major);
    s.given(Role::Operator, C::ReportCounty { case: case(), note: String::new() });
    s.later(Duration::hours(20));
    s.given(
        Role::Supervisor,
        C::Publish {
            case: case(),
            kind: ResponseKind::Update,
            channel: PublishChannel::Wechat,
            text: "救援进展".into(),
            url: None,
        },
    );
    let c = s.case();
    let updates: Vec<_> = c.milestones.iter().filter(|m| m.kind == K::Update).collect();
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0].met_at, Some(t0() + Duration::hours(20)));
    assert_eq!(updates[1].due, t0() + Duration::hours(44));
    assert!(updates[1].pending());
}

#[test]
fn report_press_conference_refer_ack_transfer_and_assign() {
    let mut s = Scene::with_case(Major);
    s.later(Duration::minutes(30));
    s.given(Role::Operator, C::ReportCounty { case: case(), note: "电话报告县政府办".into() });
    s.given(Role::Operator, C::PressConference { case: case(), note: "县政府新闻办".into() });
    s.given(Role::Operator, C::Refer { case: case(), to: Referral::CyberPolice, reference: "网警2026-17".into() });
    assert!(s.when(Role::Operator, C::Refer { case: case(), to: Referral::Police, reference: " ".into() }).is_err());
    s.given(Role::Operator, C::Acknowledge { case: case(), dept: "scjgj".into() });
    assert!(s.when(Role::Operator, C::Acknowledge { case: case(), dept: "scjgj".into() }).is_err(), "twice");
    let e = s.when(Role::Operator, C::Acknowledge { case: case(), dept: "gaj".into() }).unwrap_err().to_string();
    assert!(e.contains("departments on it: jyj, scjgj"), "{e}");
    s.given(Role::Operator, C::Transfer { case: case(), to: "scjgj".into(), reason: "食品安全归口".into() });
    let c = s.case();
    assert_eq!((c.lead.as_str(), c.co.len()), ("scjgj", 0));
    assert!(s.when(Role::Operator, C::Transfer { case: case(), to: "scjgj".into(), reason: "x".into() }).is_err());
    s.given(Role::Operator, C::Assign { case: case(), lead: "jyj".into(), co: vec!["wjj".into(), "jyj".into()] });
    let c = s.case();
    assert_eq!((c.lead.as_str(), c.co.clone()), ("jyj", vec!["wjj".to_string()]));
    let met: Vec<K> = c.milestones.iter().filter(|m| m.met_at.is_some()).map(|m| m.kind).collect();
    assert_eq!(met, vec![K::ReportCounty, K::AuthoritativeInfo, K::PressConference], "R11: the conference informs");
    assert!(c.pending(K::CountyUpdate).is_some(), "a follow-up report is owed");
    assert_eq!((c.referrals.len(), c.acks.len(), c.transfers.len()), (1, 1, 1));
}

#[test]
fn escalation_and_accountability_are_for_supervisors() {
    let mut s = Scene::with_case(General);
    let esc = C::Escalate { case: case(), reason: "逾期未回应".into() };
    let mark = C::Mark { case: case(), dept: "jyj".into(), reason: "回应迟缓".into() };
    for role in [Role::Operator, Role::Trainer, Role::Viewer] {
        assert!(matches!(s.when(role, esc.clone()), Err(DomainError::Forbidden { .. })), "{role}");
        assert!(matches!(s.when(role, mark.clone()), Err(DomainError::Forbidden { .. })), "{role}");
    }
    s.given(Role::Supervisor, esc).given(Role::Supervisor, mark);
    let c = s.case();
    assert_eq!((c.escalations.len(), c.marks.len()), (1, 1));
}

#[test]
fn a_viewer_changes_nothing() {
    let mut s = Scene::with_case(General);
    let cmds = [
        C::ReceiveItem { item: item("x") },
        C::Note { case: case(), text: "看看".into() },
        C::Close { case: case(), outcome: Outcome::Clarified, note: String::new() },
    ];
    for cmd in cmds {
        let e = s.when(Role::Viewer, cmd).unwrap_err();
        assert!(e.to_string().contains("a viewer changes nothing"), "{e}");
    }
}

#[test]
fn closing_a_major_case_needs_what_r11_requires_then_waives_updates_until_reopened() {
    let mut s = Scene::with_case(Major);
    let close = C::Close { case: case(), outcome: Outcome::Clarified, note: "已辟谣".into() };
    let e = s.when(Role::Operator, close.clone()).unwrap_err().to_string();
    assert!(e.contains("report first"), "a major case is reported to the county before it closes: {e}");
    s.later(Duration::hours(2));
    s.given(Role::Operator, C::ReportCounty { case: case(), note: String::new() });
    s.given(
        Role::Supervisor,
        C::Publish {
            case: case(),
            kind: ResponseKind::AuthoritativeInfo,
            channel: PublishChannel::Weibo,
            text: "经检测，食材合格".into(),
            url: None,
        },
    );
    let refused = s.when(Role::Operator, close.clone()).unwrap_err();
    let e = refused.to_string();
    assert!(e.contains("still owes press conference") && !e.contains("R11"), "{e}");
    assert!(refused.zh().contains("重大舆情须完成后方可结案") && !refused.zh().contains('R'), "{}", refused.zh());
    s.given(Role::Operator, C::PressConference { case: case(), note: String::new() });
    s.given(Role::Operator, close.clone());
    let c = s.case();
    assert!(!c.is_open());
    let recurring = |m: &&super::milestone::Milestone| matches!(m.kind, K::Update | K::CountyUpdate);
    assert!(c.milestones.iter().filter(recurring).all(|m| m.waived), "no more updates or follow-ups are owed");
    assert!(c.milestones.iter().filter(|m| !recurring(m)).all(|m| m.met_at.is_some()));
    assert!(!c.overdue_at(s.now + Duration::days(3)), "a closed case is never overdue");
    assert!(matches!(s.when(Role::Operator, close), Err(DomainError::Closed(_))));
    assert!(
        s.when(Role::Operator, C::Note { case: case(), text: "事后补记".into() }).is_ok(),
        "notes may be added to closed cases"
    );
    s.given(Role::Operator, C::Reopen { case: case(), reason: "舆情反弹".into() });
    assert!(s.case().is_open());
    assert!(s.case().milestones.iter().all(|m| !m.waived));
    assert!(matches!(
        s.when(Role::Operator, C::Reopen { case: case(), reason: "x".into() }),
        Err(DomainError::NotClosed(_))
    ));
}

#[test]
fn unknown_cases_are_named_with_how_to_find_valid_ones() {
    let mut s = Scene::new();
    let e = s.when(Role::Operator, C::Note { case: "B-0009".into(), text: "x".into() }).unwrap_err().to_string();
    assert!(e.contains("B-0009") && e.contains("yuqing cases --all"), "{e}");
}

#[test]
fn only_a_trainer_or_supervisor_paces_a_drill_or_sends_notes() {
    let mut s = Scene::new();
    let pace = crate::domain::clock::DrillPace { at: t0(), wall: t0(), speed: 30, paused: true, ended: false };
    let cmd = C::PaceDrill { pace };
    for role in [Role::Operator, Role::Viewer] {
        assert!(matches!(s.when(role, cmd.clone()), Err(DomainError::Forbidden { .. })), "{role}");
    }
    for role in [Role::Trainer, Role::Supervisor] {
        assert_eq!(s.when(role, cmd.clone()).unwrap(), vec![EventBody::DrillPaced { pace }], "{role}");
    }
    let note = C::NoteDrill { text: " 请注意核实伤亡数字 ".into() };
    assert!(matches!(s.when(Role::Operator, note.clone()), Err(DomainError::Forbidden { .. })));
    assert_eq!(s.when(Role::Trainer, note).unwrap(), vec![EventBody::DrillNoted { text: "请注意核实伤亡数字".into() }]);
    assert!(s.when(Role::Trainer, C::NoteDrill { text: " ".into() }).is_err(), "an empty note is refused");
}

/// A command of each kind, valid or not for the state: the role is checked first.
fn of_kind(kind: super::permission::CommandKind) -> C {
    use super::permission::CommandKind as K2;
    let text = || "核实".to_string();
    match kind {
        K2::ReceiveItem => C::ReceiveItem { item: item("x") },
        K2::DismissItem => C::DismissItem { item: "A.2".into(), reason: text() },
        K2::RestoreItem => C::RestoreItem { item: "A.2".into(), reason: text() },
        K2::ExpireItem => C::ExpireItem { item: "A.2".into(), days: 7 },
        K2::OpenCase => open(vec!["A.2"], General),
        K2::AttachItem => C::AttachItem { case: case(), item: "A.2".into() },
        K2::Classify => C::Classify { case: case(), severity: Major, category: Rumor, since_item: None },
        K2::Assign => C::Assign { case: case(), lead: "jyj".into(), co: vec![] },
        K2::Transfer => C::Transfer { case: case(), to: "scjgj".into(), reason: text() },
        K2::Acknowledge => C::Acknowledge { case: case(), dept: "jyj".into() },
        K2::Escalate => C::Escalate { case: case(), reason: text() },
        K2::ReportCounty => C::ReportCounty { case: case(), note: text() },
        K2::Refer => C::Refer { case: case(), to: Referral::Police, reference: text() },
        K2::Draft => C::Draft { case: case(), kind: ResponseKind::FirstResponse, text: text() },
        K2::Approve => C::Approve { case: case(), draft: None },
        K2::SignOff => C::SignOff { case: case(), draft: None, dept: "scjgj".into() },
        K2::AgreeWording => C::AgreeWording { cases: vec![case()], text: text() },
        K2::ReturnDraft => C::ReturnDraft { case: case(), draft: None, reason: text() },
        K2::Publish => C::Publish {
            case: case(),
            kind: ResponseKind::FirstResponse,
            channel: PublishChannel::Weibo,
            text: text(),
            url: None,
        },
        K2::PressConference => C::PressConference { case: case(), note: text() },
        K2::RequestExtension => C::RequestExtension {
            case: case(),
            milestone: K::FirstResponse,
            until: t0() + Duration::days(3),
            reason: text(),
        },
        K2::Extend => {
            C::Extend { case: case(), milestone: K::FirstResponse, until: t0() + Duration::days(9), reason: text() }
        }
        K2::Note => C::Note { case: case(), text: text() },
        K2::Mark => C::Mark { case: case(), dept: "jyj".into(), reason: text() },
        K2::Close => C::Close { case: case(), outcome: Outcome::Clarified, note: text() },
        K2::Reopen => C::Reopen { case: case(), reason: text() },
        K2::HandOver => C::HandOver { to: "chief".into(), summary: text() },
        K2::RecordMonitoring => C::RecordMonitoring {
            day: t0().date_naive(),
            channel: super::item::Channel::Portal,
            found: 0,
            note: text(),
        },
        K2::RecordSession => C::RecordSession {
            act: crate::domain::session::SessionAct::SignedIn,
            who: "duty".into(),
            detail: String::new(),
        },
        K2::SetOperator => C::SetOperator {
            operator: crate::domain::role::Operator {
                id: "wang".into(),
                name: "王芳".into(),
                role: Role::Operator,
                pin: None,
                token: None,
                disabled: false,
            },
        },
        K2::UpdateReach => C::UpdateReach { item: "A.2".into(), reach: 10 },
        K2::PaceDrill => C::PaceDrill {
            pace: crate::domain::clock::DrillPace { at: t0(), wall: t0(), speed: 5, paused: false, ended: false },
        },
        K2::NoteDrill => C::NoteDrill { text: text() },
        K2::RevokeConsole => C::RevokeConsole { name: "B".into(), cert: "ab".repeat(32) },
    }
}

#[test]
fn decide_refuses_a_role_exactly_where_the_permission_table_does() {
    use super::names::Named;
    use super::permission::{CommandKind, allows};
    for &kind in CommandKind::ALL {
        assert_eq!(of_kind(kind).kind(), kind);
        for &(role, _, _) in Role::ALL {
            let refused =
                matches!(Scene::with_case(General).when(role, of_kind(kind)), Err(DomainError::Forbidden { .. }));
            assert_eq!(refused, !allows(role, kind), "{role} / {kind:?}");
        }
    }
}

#[test]
fn r8_a_milestone_met_early_counts_when_it_was_met_not_as_nothing() {
    // Answered 2 h after opening; due at +48 h, after the period ends at +24 h.
    let mut s = Scene::with_case(General);
    s.later(Duration::hours(2));
    s.given(
        Role::Supervisor,
        C::Publish {
            case: case(),
            kind: ResponseKind::FirstResponse,
            channel: PublishChannel::Portal,
            text: "答复".into(),
            url: None,
        },
    );
    let day = super::metrics::Period { from: t0(), to: t0() + Duration::days(1) };
    let next = super::metrics::Period { from: t0() + Duration::days(1), to: t0() + Duration::days(3) };
    let figures = |p| super::metrics::department_figures(&s.dir, &[s.case()], p, t0() + Duration::days(5));
    let jyj = |f: Vec<super::metrics::DeptFigures>| f.into_iter().find(|d| d.code == "jyj").unwrap();
    let first = jyj(figures(day));
    assert_eq!((first.milestones_due, first.met_on_time, first.on_time_rate), (1, 1, Some(1.0)));
    assert_eq!(jyj(figures(next)).milestones_due, 0, "counted once, in the period it was met");
}

#[test]
fn r11_a_major_case_owes_the_county_follow_up_reports_until_it_closes() {
    let mut s = Scene::with_case(Major);
    s.later(Duration::minutes(30));
    s.given(Role::Operator, C::ReportCounty { case: case(), note: "首报".into() });
    let due = |s: &Scene| s.case().pending(K::CountyUpdate).map(|m| m.due);
    assert_eq!(due(&s), Some(t0() + Duration::minutes(30) + Duration::hours(24)), "续报 24 h after the first");
    s.later(Duration::hours(25));
    assert!(s.case().overdue_at(s.now), "a follow-up not made is overdue");
    s.given(Role::Operator, C::ReportCounty { case: case(), note: "续报：已疏散".into() });
    let c = s.case();
    let first = c.milestones.iter().find(|m| m.kind == K::CountyUpdate && m.met_at.is_some()).unwrap();
    assert!(first.met_late(), "made an hour late, and it stays late");
    assert_eq!(due(&s), Some(s.now + Duration::hours(24)), "the next one is scheduled");
    // A general case is reported once; a second report is refused.
    let mut g = Scene::with_case(General);
    g.given(Role::Operator, C::ReportCounty { case: case(), note: String::new() });
    assert!(g.case().pending(K::CountyUpdate).is_none());
    assert!(g.when(Role::Operator, C::ReportCounty { case: case(), note: String::new() }).is_err());
    // Off in the policy: no follow-ups.
    let mut off = Scene::with_case(Major);
    off.policy.county_update_every_hours = 0;
    off.given(Role::Operator, C::ReportCounty { case: case(), note: String::new() });
    assert!(off.case().pending(K::CountyUpdate).is_none());
}

#[test]
fn r12_co_departments_sign_a_draft_off_before_it_is_approved() {
    // Case A-0001 is led by jyj with scjgj as co-department.
    let mut s = Scene::with_case(General);
    s.given(Role::Operator, C::Draft { case: case(), kind: ResponseKind::FirstResponse, text: "经核查".into() });
    let approve = C::Approve { case: case(), draft: None };
    let refused = s.when(Role::Supervisor, approve.clone()).unwrap_err();
    let e = refused.to_string();
    assert!(e.contains("draft #1 of case A-0001 awaits sign-off (会签) from scjgj 县市场监管局"), "{e}");
    assert!(refused.zh().contains("草稿 #1 尚待县市场监管局会签") && !refused.zh().contains('R'), "{}", refused.zh());
    let by = |dept: &str| C::SignOff { case: case(), draft: None, dept: dept.into() };
    let e = s.when(Role::Operator, by("jyj")).unwrap_err().to_string();
    assert!(e.contains("not a co-department") && e.contains("scjgj"), "the lead drafts, co-departments sign: {e}");
    s.given(Role::Operator, by("县市场监管局"));
    assert_eq!(s.case().drafts[0].signed_off, vec!["scjgj".to_string()]);
    assert!(s.when(Role::Operator, by("scjgj")).is_err(), "once");
    s.given(Role::Supervisor, approve);
    assert!(s.case().drafts[0].approved_by.is_some());
    // The county may turn it off.
    let mut off = Scene::with_case(General);
    off.policy.cosign_before_approval = false;
    off.given(Role::Operator, C::Draft { case: case(), kind: ResponseKind::FirstResponse, text: "x".into() });
    off.given(Role::Supervisor, C::Approve { case: case(), draft: None });
}

#[test]
fn r12_related_cases_share_one_wording_that_every_publication_quotes() {
    let mut s = Scene::with_case(General);
    s.given(Role::Operator, open(vec!["A.2"], General));
    let wording = "经检测，该校食堂食材合格，无学生住院。";
    let agree = C::AgreeWording { cases: vec![case(), "A-0002".into()], text: wording.into() };
    assert!(matches!(s.when(Role::Operator, agree.clone()), Err(DomainError::Forbidden { .. })), "a supervisor's");
    s.given(Role::Supervisor, agree);
    for no in ["A-0001", "A-0002"] {
        assert_eq!(s.world.cases[no].wording.as_ref().map(|w| w.text.as_str()), Some(wording));
    }
    let publish = |text: &str, no: &str| C::Publish {
        case: no.into(),
        kind: ResponseKind::FirstResponse,
        channel: PublishChannel::Weibo,
        text: text.into(),
        url: None,
    };
    let refused = s.when(Role::Supervisor, publish("学校食堂没有问题", "A-0002")).unwrap_err();
    let (e, zh) = (refused.to_string(), refused.zh());
    assert!(e.contains("口径") && e.contains(wording), "{e}");
    // It names the case refused once, and the others it shares the wording with.
    assert!(e.contains("A-0002 shares an agreed wording (口径) with case A-0001;"), "{e}");
    assert!(zh.starts_with("舆情事项 A-0002 与 A-0001 已统一口径，") && zh.matches("A-0002").count() == 1, "{zh}");
    // A draft that does not quote it cannot be approved either (it could not be published).
    let draft = |text: &str| C::Draft { case: "A-0002".into(), kind: ResponseKind::FirstResponse, text: text.into() };
    s.given(Role::Operator, draft("学校食堂没有问题"));
    let approve = C::Approve { case: "A-0002".into(), draft: None };
    let refused = s.when(Role::Supervisor, approve.clone()).unwrap_err();
    assert!(
        refused.zh().contains("草稿 #1 须原文引用") && refused.to_string().contains("draft #1 quotes"),
        "{refused}"
    );
    s.given(Role::Operator, draft(&format!("县市场监管局通报：{wording}")));
    s.given(Role::Operator, C::SignOff { case: "A-0002".into(), draft: Some(1), dept: "scjgj".into() });
    s.given(Role::Supervisor, C::Approve { case: "A-0002".into(), draft: Some(1) });
    s.given(Role::Supervisor, publish(&format!("县市场监管局通报：{wording}详情见附件。"), "A-0002"));
    // The 通报 of the period shows it once, with both cases.
    let cases: Vec<_> = s.world.cases.values().cloned().collect();
    let period = super::metrics::Period { from: t0(), to: t0() + Duration::days(1) };
    let tz = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let r = crate::report::Report::build(&[], &cases, &s.dir, period, s.now, tz);
    let md = crate::report::markdown(&r, &s.dir, crate::i18n::Lang::Zh);
    let section = md.split("## 八、统一口径").nth(1).unwrap_or_else(|| panic!("{md}"));
    assert!(section.contains("A-0001、A-0002") && section.matches(wording).count() == 1, "{section}");
    let twice = C::AgreeWording { cases: vec![case(), case()], text: "x".into() };
    assert!(s.when(Role::Supervisor, twice).unwrap_err().to_string().contains("listed twice"));
}

#[test]
fn r11_an_upgrade_may_count_from_the_item_that_brought_the_facts() {
    // The town's report (A.2) arrived at +1 h; the case was upgraded at +3 h.
    let mut s = Scene::new();
    s.given(Role::Operator, C::ReceiveItem { item: item("网传停电") });
    s.given(Role::Operator, open(vec!["A.1"], General));
    s.later(Duration::hours(1));
    s.given(Role::Operator, C::ReceiveItem { item: item("镇政府报告：变电站起火") });
    s.given(Role::Operator, C::AttachItem { case: case(), item: "A.2".into() });
    s.later(Duration::hours(2));
    let up = |item: &str| C::Classify { case: case(), severity: Major, category: Rumor, since_item: Some(item.into()) };
    let e = s.when(Role::Operator, up("A.9")).unwrap_err().to_string();
    assert!(e.contains("not in case A-0001") && e.contains("A.1, A.2"), "{e}");
    s.given(Role::Operator, up("A.2"));
    let report = s.case().pending(K::ReportCounty).unwrap().due;
    assert_eq!(report, t0() + Duration::hours(2), "60 min after the report arrived, not after the upgrade");
}

#[test]
fn r6_an_officer_requests_an_extension_before_the_deadline_and_a_supervisor_grants_it() {
    let mut s = Scene::with_case(General);
    let until = t0() + Duration::hours(60);
    let ask = C::RequestExtension { case: case(), milestone: K::FirstResponse, until, reason: "等待检测".into() };
    s.given(Role::Operator, ask.clone());
    assert_eq!(s.case().extension_requests.len(), 1);
    assert!(!s.case().extension_requests[0].granted);
    s.given(Role::Supervisor, C::Extend { case: case(), milestone: K::FirstResponse, until, reason: "同意".into() });
    assert!(s.case().extension_requests[0].granted, "granted by the supervisor's extension");
    s.later(Duration::hours(61));
    let late = s.when(Role::Operator, ask).unwrap_err().to_string();
    assert!(late.contains("cannot be extended"), "asked for after the deadline: {late}");
}

#[test]
fn an_item_untriaged_past_the_age_expires_leaves_the_queue_and_can_be_restored() {
    let mut s = Scene::new();
    s.given(Role::Operator, C::ReceiveItem { item: item("旧帖") }).later(Duration::days(7) - Duration::minutes(1));
    let expire = |item: &str| C::ExpireItem { item: item.into(), days: 7 };
    assert!(matches!(s.when(Role::Operator, expire("A.1")), Err(DomainError::Invalid(_))), "not old enough yet");
    assert!(matches!(s.when(Role::Viewer, expire("A.1")), Err(DomainError::Forbidden { .. })));
    s.later(Duration::minutes(2));
    assert_eq!(
        s.when(Role::Operator, expire("A.1")).unwrap(),
        vec![EventBody::ItemExpired { item: "A.1".into(), days: 7 }]
    );
    assert_eq!(s.world.items["A.1"].status, ItemStatus::Expired { at: s.now });
    assert_eq!(s.world.items["A.1"].status.name(), "expired");
    assert!(matches!(s.when(Role::Operator, expire("A.1")), Err(DomainError::ItemNotNew { .. })), "expired once");
    let dismiss = C::DismissItem { item: "A.1".into(), reason: "无关".into() };
    assert!(matches!(s.when(Role::Operator, dismiss), Err(DomainError::ItemNotNew { .. })), "restore it first");
    // Restorable however long ago it expired (no 24-hour window as for a dismissal).
    s.later(Duration::days(30));
    let restore = C::RestoreItem { item: "A.1".into(), reason: "仍需研判".into() };
    assert_eq!(
        s.when(Role::Operator, restore).unwrap(),
        vec![EventBody::ItemRestored { item: "A.1".into(), reason: "仍需研判".into() }]
    );
    assert_eq!(s.world.items["A.1"].status, ItemStatus::New);
    assert!(s.when(Role::Operator, C::ExpireItem { item: "A.1".into(), days: 0 }).is_err(), "0 days expires nothing");
}

#[test]
fn a_triage_beats_an_expiry_whatever_the_order_they_arrive_in() {
    use crate::domain::apply::apply_item;
    let mut s = Scene::new();
    s.given(Role::Operator, C::ReceiveItem { item: item("旧帖") });
    let received = s.world.items["A.1"].clone();
    let at = |ms: i64, seq: u64, body: EventBody| Event {
        id: EventId { console: "B".into(), seq },
        stamp: Stamp { ms: t0().timestamp_millis() + ms, n: 0 },
        operator: "duty".into(),
        realm: "live".into(),
        v: crate::domain::event::SCHEMA_VERSION,
        body,
        prev: None,
    };
    let expired = at(2, 1, EventBody::ItemExpired { item: "A.1".into(), days: 7 });
    let dismissed = at(1, 2, EventBody::ItemDismissed { item: "A.1".into(), reason: "无关".into() });
    let late = at(3, 3, EventBody::ItemDismissed { item: "A.1".into(), reason: "无关".into() });
    for (first, second) in [(&expired, &dismissed), (&dismissed, &expired), (&expired, &late), (&late, &expired)] {
        let it = apply_item(apply_item(Some(received.clone()), first), second).unwrap();
        assert_eq!(it.status.name(), "dismissed", "{:?} then {:?}", first.body.kind(), second.body.kind());
    }
}
