//! Key-sequence tests: keys go through the real keymap and `update`, commands through
//! the real desk and store.

mod common;

use common::console::Console;
use ratatui::crossterm::event::KeyCode;
use yuqing::domain::command::Command;
use yuqing::domain::milestone::MilestoneKind;
use yuqing::i18n::Lang;
use yuqing::ui::app::{Mode, Screen};

#[test]
fn triage_an_item_into_a_case_escalate_publish_and_close_it() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    // Find the canteen rumour in the queue and open a case from it.
    c.press(KeyCode::Char('/'));
    c.type_text("食堂");
    c.press(KeyCode::Enter);
    assert_eq!(c.app.lists.queue.len(c.app.model.queue_order.len()), 1);
    c.press(KeyCode::Char('o'));
    match &c.app.mode {
        Mode::Form(f) => {
            // The rules prefill the form: 食品安全 suggests 县市场监管局 to lead, 网传 suggests a rumour.
            let shown: Vec<String> = f.fields.iter().map(|x| x.value()).collect();
            assert_eq!(&shown[1..4], &["general".to_string(), "rumor".into(), "scjgj".into()], "{shown:?}");
        }
        other => panic!("expected the open-case form, got {other:?}"),
    }
    c.press(KeyCode::Tab);
    c.type_text("major");
    c.press(KeyCode::Tab);
    c.type_text("rumor");
    c.press(KeyCode::Tab);
    c.type_text("教育");
    c.press(KeyCode::Tab);
    c.type_text("scjgj");
    c.press(KeyCode::Char(' '));
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.mode, Mode::Normal), "the form closes once the case is saved");
    let case = c.desk.store().case("A-0004").unwrap().expect("case A-0004 opened");
    assert_eq!((case.severity.to_string(), case.category.to_string()), ("major".into(), "rumor".into()));
    assert_eq!(case.lead, "jyj", "the officer decides the lead");
    assert!(case.co.contains(&"scjgj".to_string()) && case.co.contains(&"wjj".to_string()), "{:?}", case.co);
    assert_eq!(
        case.hints,
        vec!["谣言".to_string(), "教育".to_string()],
        "rules whose hint was kept: rumor, and the education lead"
    );
    assert!(!c.app.model.items.contains_key("A.4"), "the item left the queue");

    // Open it from the cases list: it is the nearest deadline (report within the hour).
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('2'));
    assert_eq!(c.app.model.case_order.first().map(String::as_str), Some("A-0001"), "the overdue case comes first");
    c.press(KeyCode::Char('/'));
    c.type_text("a-0004");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Enter);
    assert_eq!(c.app.screen, Screen::Case("A-0004".into()));

    // An operator may not escalate; a supervisor may.
    c.press(KeyCode::Char('e'));
    assert!(matches!(c.app.mode, Mode::Normal));
    assert!(c.app.status.as_ref().is_some_and(|(_, err)| *err));
    c.app.operator = c.desk.settings().operator("chief").unwrap().clone();
    c.press(KeyCode::Char('e'));
    c.type_text("请教育局半小时内回应");
    c.press(KeyCode::Enter);
    assert_eq!(c.desk.store().case("A-0004").unwrap().unwrap().escalations.len(), 1);

    // Nothing is published on a major case before the report to the county (R11); the
    // refusal shows in the form.
    let publish = |c: &mut Console| {
        c.press(KeyCode::Char('p'));
        c.type_text("authoritative");
        c.press(KeyCode::Tab);
        c.type_text("weibo");
        c.press(KeyCode::Tab);
        c.type_text("经检测，食堂食材合格，学生身体无恙");
        c.press(KeyCode::Enter);
    };
    publish(&mut c);
    match &c.app.mode {
        Mode::Form(f) => {
            assert!(f.error.as_deref().unwrap_or("").contains("须先报告县政府，再发布回应"), "{:?}", f.error)
        }
        other => panic!("expected the form with the refusal, got {other:?}"),
    }
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('r'));
    c.press(KeyCode::Enter);
    // Publish authoritative information (a supervisor publishes without a separate approval).
    publish(&mut c);
    let case = c.desk.store().case("A-0004").unwrap().unwrap();
    assert_eq!(case.responses.len(), 1);
    assert!(case.milestones.iter().any(|m| m.kind == MilestoneKind::AuthoritativeInfo && m.met_at.is_some()));
    assert_eq!(c.app.lists.case_view.as_ref().unwrap().case.responses.len(), 1, "the detail refreshed live");

    // Closing is refused while the press conference is owed; the refusal shows in the form.
    c.press(KeyCode::Char('z'));
    c.type_text("clarified");
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.mode, Mode::Confirm { .. }), "closing asks first");
    assert!(c.screen(100, 30).contains("确定结案？（A-0004）"), "naming the case: {}", c.screen(100, 30));
    c.press(KeyCode::Char('y'));
    match &c.app.mode {
        Mode::Form(f) => assert!(f.error.as_deref().unwrap_or("").contains("新闻发布会"), "{:?}", f.error),
        other => panic!("expected the form with the refusal, got {other:?}"),
    }
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('c'));
    c.type_text("07-01 08:30");
    c.press(KeyCode::Tab);
    c.type_text("县政府新闻办发布厅");
    c.press(KeyCode::Tab);
    c.type_text("县教育局局长");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('z'));
    c.type_text("clarified");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('y'));
    assert!(matches!(c.app.mode, Mode::Normal), "{:?}", c.app.mode);
    assert!(!c.desk.store().case("A-0004").unwrap().unwrap().is_open());
    assert!(!c.app.model.cases.contains_key("A-0004"), "a closed case leaves the open list");
}

#[test]
fn space_marks_items_for_a_bulk_dismiss() {
    let mut c = Console::new(Lang::En, "duty", true);
    let before = c.app.model.items.len();
    c.press(KeyCode::Char(' '));
    c.press(KeyCode::Char(' '));
    assert_eq!(c.app.lists.marked.len(), 2);
    c.press(KeyCode::Char('d'));
    c.press(KeyCode::Enter);
    assert!(matches!(&c.app.mode, Mode::Form(f) if f.error.is_some()), "a reason is required");
    c.type_text("noise");
    c.press(KeyCode::Enter);
    assert_eq!(c.app.model.items.len(), before - 2);
    assert!(c.app.lists.marked.is_empty());
}

#[test]
fn an_item_put_back_by_undo_has_its_hints_again() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let rules = |c: &Console| c.app.triage.hints.get("A.4").map(|a| a.rules.len()).unwrap_or(0);
    assert!(rules(&c) > 0, "the canteen rumour matches rules");
    c.press(KeyCode::Char('/'));
    c.type_text("食堂");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('d'));
    match &c.app.mode {
        Mode::Form(f) => assert!(f.note.as_deref().is_some_and(|n| n.starts_with("A.4 网传")), "{:?}", f.note),
        other => panic!("expected the dismiss form, got {other:?}"),
    }
    c.type_text("误判");
    c.press(KeyCode::Enter);
    assert!(!c.app.model.items.contains_key("A.4"));
    c.press(KeyCode::Char('u'));
    assert!(c.app.model.items.contains_key("A.4"), "back in the queue");
    // What the event loop does between frames.
    c.app.triage.work(&c.app.model, 10_000);
    assert!(rules(&c) > 0, "its hints are back without another action or a restart");
    assert!(yuqing::ui::view::queue_hint(&c.app, "A.4", 40).contains("食品安全"));
}

#[test]
fn a_filter_shows_its_list_from_the_top() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    for _ in 0..3 {
        c.press(KeyCode::Down);
    }
    c.app.lists.queue.offset = 2;
    c.press(KeyCode::Char('/'));
    c.type_text("食堂");
    c.press(KeyCode::Enter);
    assert_eq!((c.app.lists.queue.selected, c.app.lists.queue.offset), (0, 0));
    assert_eq!(c.app.selected_item().map(|i| i.id.as_str()), Some("A.4"), "the match is highlighted");
}

#[test]
fn a_case_opened_from_the_item_detail_returns_to_the_queue_saying_so() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('/'));
    c.type_text("食堂");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Enter);
    assert_eq!(c.app.screen, Screen::Item("A.4".into()));
    c.press(KeyCode::Char('o'));
    c.press(KeyCode::Enter);
    assert_eq!(c.app.screen, Screen::Queue, "not a blank item screen");
    assert!(c.app.status.as_ref().is_some_and(|(t, _)| t.contains("A-0004")), "{:?}", c.app.status);
}

#[test]
fn end_in_a_case_shows_its_last_page_not_a_blank_one() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    for k in [KeyCode::Char('2'), KeyCode::End, KeyCode::Enter, KeyCode::End] {
        c.press(k);
    }
    let screen = c.screen(80, 16);
    assert!(screen.contains("请应急局一小时内发布权威信息"), "the timeline's last line is shown:\n{screen}");
    // An item's text wrapped on a narrow screen keeps its indent.
    let narrow = c.screen(34, 40);
    let row = narrow.lines().find(|l| l.contains("暂无")).unwrap_or_default().to_string();
    assert!(row.starts_with("    "), "{narrow}");
    // The timeline names who acted from the roster.
    c.app.sign_in.operators = c.desk.operators();
    let named = c.screen(100, 16);
    assert!(named.contains("带班领导") && !named.contains(" chief "), "{named}");
}

#[test]
fn quitting_with_unsaved_input_asks_first() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('d'));
    c.type_text("重复");
    c.ctrl('c');
    assert!(matches!(c.app.mode, Mode::Confirm { .. }));
    c.press(KeyCode::Char('n'));
    assert!(
        matches!(&c.app.mode, Mode::Form(f) if f.fields[0].input.value() == "重复"),
        "no keeps the form and its input"
    );
    c.ctrl('c');
    c.press(KeyCode::Char('y'));
    assert!(c.quit);
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('q'));
    assert!(c.quit, "without unsaved input, q quits at once");
}

#[test]
fn f1_in_a_form_shows_the_help_and_esc_returns_to_the_form_as_it_was() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('d'));
    c.type_text("重复");
    let footer = c.screen(100, 30);
    assert!(footer.lines().last().unwrap_or("").contains("F1 帮助"), "the form's footer offers the help: {footer}");
    c.press(KeyCode::F(1));
    assert!(matches!(c.app.mode, Mode::Help { .. }), "F1 opens the help over the form");
    let help = c.screen(100, 30);
    assert!(help.contains("表单中") && help.contains("F1"), "the help opens at the form's keys: {help}");
    c.press(KeyCode::Esc);
    assert!(
        matches!(&c.app.mode, Mode::Form(f) if f.fields[0].input.value() == "重复"),
        "back in the form with what was typed"
    );
}

#[test]
fn a_viewer_is_offered_no_changes() {
    let mut c = Console::new(Lang::En, "guest", true);
    c.press(KeyCode::Char('o'));
    assert!(matches!(c.app.mode, Mode::Normal));
    assert!(c.app.status.as_ref().is_some_and(|(t, err)| *err && t.contains("role")));
}

#[test]
fn new_items_and_newly_overdue_milestones_ring_the_bell_once() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let overdue = c.app.model.overdue(c.app.now);
    assert_eq!(overdue, 1, "A-0001 opened 50 h ago is overdue at start");
    c.tick(chrono::Duration::seconds(1));
    assert_eq!(c.bells, 0, "already overdue at start: no bell");
    c.tick(chrono::Duration::hours(1));
    assert_eq!(c.bells, 1, "A-0002 and A-0003 fall overdue within the hour");
    c.tick(chrono::Duration::seconds(1));
    assert_eq!(c.bells, 1);
    let duty = c.desk.settings().operator("duty").unwrap().clone();
    let item = yuqing::domain::item::NewItem {
        channel: yuqing::domain::item::Channel::Weibo,
        title: "新的舆情".into(),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some("late-1".into()),
    };
    for a in c.desk.run_blocking(&duty, vec![yuqing::domain::command::Command::ReceiveItem { item }]) {
        a.unwrap();
    }
    c.deliver();
    assert_eq!(c.bells, 2, "a new item rings");
    assert!(c.app.lists.fresh.contains("A.8") && c.app.model.items.contains_key("A.8"), "and shows highlighted");
}

#[test]
fn a_surge_on_an_item_a_case_holds_rings_marks_the_case_and_shows_in_its_detail() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let duty = c.desk.settings().operator("duty").unwrap().clone();
    for a in c.desk.run_blocking(&duty, vec![Command::UpdateReach { item: "A.3".into(), reach: 88000 }]) {
        a.unwrap();
    }
    c.deliver();
    assert_eq!(c.bells, 1, "the surge rings");
    let (status, _) = c.app.status.clone().expect("the surge is said");
    assert!(status.contains("传播量激增") && status.contains("A-0003") && status.contains("88000"), "{status}");
    let footer = c.screen(80, 24).lines().last().unwrap().to_string();
    assert!(footer.contains("传播量激增") && footer.contains("? 帮助"), "said, and help still offered: {footer}");
    c.press(KeyCode::Char('2'));
    let screen = c.screen(100, 24);
    assert!(screen.contains("A-0003↑"), "the case is marked in the list:\n{screen}");
    c.press(KeyCode::Char('/'));
    c.type_text("a-0003");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Enter);
    assert_eq!(c.app.screen, Screen::Case("A-0003".into()));
    let detail = c.screen(100, 40);
    assert!(detail.contains("传播量 88000"), "the detail shows the new reach:\n{detail}");
    assert!(!c.app.lists.surged.contains("A-0003"), "opening the case clears its mark");
}

#[test]
fn similar_items_are_marked_together_and_attached_with_one_form() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let duty = c.desk.settings().operator("duty").unwrap().clone();
    let repost = |x: &str, text: &str| yuqing::domain::command::Command::ReceiveItem {
        item: yuqing::domain::item::NewItem {
            channel: yuqing::domain::item::Channel::Wechat,
            title: text.into(),
            body: "有家长发帖称孩子在学校食堂吃饭后腹泻，多名学生请假。".into(),
            url: None,
            author: None,
            published_at: None,
            reach: None,
            external_id: Some(x.into()),
        },
    };
    let cmds = vec![
        repost("r1", "转发：网传某小学食堂饭菜变质致学生腹泻！"),
        repost("r2", "网传某小学食堂饭菜变质致学生腹泻，家长很着急"),
    ];
    for a in c.desk.run_blocking(&duty, cmds) {
        a.unwrap();
    }
    c.deliver();
    assert!(
        yuqing::ui::view::queue_hint(&c.app, "A.8", 40).contains('≈'),
        "{}",
        yuqing::ui::view::queue_hint(&c.app, "A.8", 40)
    );
    c.press(KeyCode::Char('/'));
    c.type_text("家长很着急");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('m'));
    let marked: Vec<&str> = c.app.lists.marked.iter().map(String::as_str).collect();
    assert_eq!(marked, vec!["A.4", "A.8", "A.9"], "the original post and both reposts");
    c.app.lists.marked.clear();
    // One key marks the group and asks which case to attach it to.
    c.press(KeyCode::Char('A'));
    assert!(
        matches!(&c.app.mode, Mode::Form(f) if f.purpose == yuqing::ui::form::Purpose::Attach { items: vec!["A.4".into(), "A.8".into(), "A.9".into()] })
    );
    c.type_text("A-0002");
    c.press(KeyCode::Enter);
    let case = c.desk.store().case("A-0002").unwrap().unwrap();
    assert_eq!(case.items, vec!["A.2", "A.4", "A.8", "A.9"]);
    let (status, _) = c.app.status.clone().unwrap();
    assert_eq!(status, "已保存：3 条并入 A-0002", "how many, not the first only");
}

#[test]
fn a_near_duplicate_hint_follows_its_match_into_a_case_and_keeps_the_match_when_narrow() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let duty = c.desk.settings().operator("duty").unwrap().clone();
    let repost = Command::ReceiveItem {
        item: yuqing::domain::item::NewItem {
            channel: yuqing::domain::item::Channel::Wechat,
            title: "转发：网传某小学食堂饭菜变质致学生腹泻！".into(),
            body: "有家长发帖称孩子在学校食堂吃饭后腹泻，多名学生请假。".into(),
            url: None,
            author: None,
            published_at: None,
            reach: None,
            external_id: Some("r1".into()),
        },
    };
    c.desk.run_blocking(&duty, vec![repost]).remove(0).unwrap();
    c.deliver();
    let hint = |c: &Console, room| yuqing::ui::view::queue_hint(&c.app, "A.8", room);
    assert!(hint(&c, 40).contains("≈A.4 "), "{}", hint(&c, 40));
    // At 80 columns the hint has about a dozen cells: the match stays, whole.
    let narrow = hint(&c, 12);
    assert!(narrow.contains("≈A.4") && unicode_width::UnicodeWidthStr::width(narrow.as_str()) <= 12, "{narrow}");
    // The original post becomes a case: the repost's hint names the case, not an item
    // that left the queue.
    let open = Command::OpenCase {
        hints: vec![],
        items: vec!["A.4".into()],
        title: String::new(),
        severity: yuqing::domain::case::Severity::General,
        category: yuqing::domain::case::Category::Rumor,
        lead: "jyj".into(),
        co: vec![],
    };
    c.desk.run_blocking(&duty, vec![open]).remove(0).unwrap();
    c.deliver();
    assert!(hint(&c, 40).contains("≈A-0004"), "{}", hint(&c, 40));
    // A repost that comes after the case was opened is matched to the case too (by the
    // text of the item it holds, not only its title).
    let later = Command::ReceiveItem {
        item: yuqing::domain::item::NewItem {
            channel: yuqing::domain::item::Channel::Weibo,
            title: "网传某小学食堂饭菜变质致学生腹泻".into(),
            body: "有家长在微博发帖称孩子在学校食堂吃饭后腹泻，多名学生请假。".into(),
            url: None,
            author: None,
            published_at: None,
            reach: None,
            external_id: Some("r2".into()),
        },
    };
    c.desk.run_blocking(&duty, vec![later]).remove(0).unwrap();
    c.deliver();
    let h = yuqing::ui::view::queue_hint(&c.app, "A.9", 40);
    assert!(h.contains("≈A-0004 1.00"), "a word-for-word copy of the case's item: {h}");
}

#[test]
fn sign_off_a_wording_an_extension_request_and_a_days_monitoring_have_their_forms() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Char('/'));
    c.type_text("a-0002");
    let footer = c.screen(80, 24).lines().last().unwrap().to_string();
    assert!(footer.contains("/a-0002") && footer.contains("Enter 提交  Esc 取消"), "the filter's keys: {footer}");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Enter);
    assert_eq!(c.app.screen, Screen::Case("A-0002".into()));
    c.press(KeyCode::Char('S'));
    assert!(c.app.status.as_ref().is_some_and(|(t, e)| *e && t.contains("没有待审核的草稿")), "{:?}", c.app.status);
    c.press(KeyCode::Char('w'));
    c.press(KeyCode::Tab);
    c.type_text("经核实，县城不会全面限电。");
    // A paragraph break in the long text (A-Enter from the keymap's [form]).
    c.send(yuqing::ui::update::Msg::Key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Enter,
        ratatui::crossterm::event::KeyModifiers::ALT,
    )));
    c.type_text("请勿轻信谣言。");
    c.press(KeyCode::Enter);
    // 会签: the waiting draft and the co-department yet to sign are offered first.
    c.press(KeyCode::Char('S'));
    let shown = c.screen(100, 30);
    assert!(shown.contains("会签草稿") && shown.contains("#1 ") && shown.contains("县委网信办"), "{shown}");
    c.press(KeyCode::Enter);
    let case = c.desk.store().case("A-0002").unwrap().unwrap();
    assert_eq!(case.drafts[0].signed_off, vec!["wxb".to_string()]);
    assert_eq!(case.drafts[0].text, "经核实，县城不会全面限电。\n请勿轻信谣言。", "two paragraphs");
    // 统一口径 for this case and the landslide: a supervisor's.
    c.press(KeyCode::Char('W'));
    assert!(
        c.app.status.as_ref().is_some_and(|(t, e)| *e && t.ends_with("不能执行此操作：仅带班领导可以")),
        "an officer may not agree a wording, and is told who may: {:?}",
        c.app.status
    );
    c.app.operator = c.desk.settings().operator("chief").unwrap().clone();
    c.press(KeyCode::Char('W'));
    c.type_text("a-0003");
    c.press(KeyCode::Char(' '));
    c.press(KeyCode::Tab);
    c.type_text("以县政府发布的权威信息为准。");
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.mode, Mode::Normal), "{:?}", c.app.mode);
    let wording = c.desk.store().case("A-0003").unwrap().unwrap().wording.expect("the wording reaches both cases");
    assert_eq!(wording.text, "以县政府发布的权威信息为准。");
    let view = c.app.lists.case_view.as_ref().expect("the case is on screen");
    assert!(
        view.timeline.iter().any(|e| matches!(e.body, yuqing::domain::EventBody::WordingAgreed { .. })),
        "the case on screen shows the wording at once (the event names two cases)"
    );
    // An officer asks for an extension; a supervisor grants it.
    c.app.operator = c.desk.settings().operator("duty").unwrap().clone();
    c.press(KeyCode::Char('X'));
    c.press(KeyCode::Tab);
    c.type_text("abc");
    c.press(KeyCode::Tab);
    c.type_text("等待电力公司检测结果");
    c.press(KeyCode::Enter);
    match &c.app.mode {
        Mode::Form(f) => assert_eq!(f.error.as_deref(), Some("延至 (YYYY-MM-DD HH:MM): 须为时间，如 2026-07-02 18:00")),
        other => panic!("expected the form with its error, got {other:?}"),
    }
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('X'));
    c.press(KeyCode::Tab);
    c.type_text("2026-07-02 18:00");
    c.press(KeyCode::Tab);
    c.type_text("等待电力公司检测结果");
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.mode, Mode::Normal), "{:?}", c.app.mode);
    let requested =
        c.desk.store().events().unwrap().map(|e| e.unwrap()).any(
            |e| matches!(e.body, yuqing::domain::EventBody::ExtensionRequested { ref case, .. } if case == "A-0002"),
        );
    assert!(requested);
    // The supervisor sees the request and grants it from a form filled in with it.
    c.app.operator = c.desk.settings().operator("chief").unwrap().clone();
    c.press(KeyCode::Char('5'));
    let sup = c.screen(100, 40);
    assert!(sup.contains("申请延期") && sup.contains("等待电力公司检测结果"), "{sup}");
    c.press(KeyCode::Char('4'));
    c.press(KeyCode::Char('x'));
    match &c.app.mode {
        Mode::Form(f) => {
            let shown: Vec<String> = f.fields.iter().map(|x| x.value()).collect();
            assert_eq!(shown, vec!["first_response", "2026-07-02 18:00", "等待电力公司检测结果"], "{shown:?}");
        }
        other => panic!("expected the extend form, got {other:?}"),
    }
    c.press(KeyCode::Enter);
    let case = c.desk.store().case("A-0002").unwrap().unwrap();
    assert!(case.extension_requests.iter().all(|r| r.granted), "granted");
    c.press(KeyCode::Char('5'));
    assert!(!c.screen(100, 40).contains("等待电力公司检测结果"), "no longer waiting");
    c.app.operator = c.desk.settings().operator("duty").unwrap().clone();
    // The day's monitoring, on the departments screen: a count that is not one is refused
    // in the form, by its field.
    c.press(KeyCode::Char('3'));
    c.press(KeyCode::Char('r'));
    c.press(KeyCode::Tab);
    c.type_text("weibo");
    c.press(KeyCode::Tab);
    c.type_text("很多");
    c.press(KeyCode::Enter);
    match &c.app.mode {
        Mode::Form(f) => assert_eq!(f.error.as_deref(), Some("发现条数: 须为 0 或正整数")),
        other => panic!("expected the form with its error, got {other:?}"),
    }
    for _ in 0..2 {
        c.press(KeyCode::Backspace);
    }
    c.type_text("12");
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.mode, Mode::Normal), "{:?}", c.app.mode);
    let recorded = c.desk.store().events().unwrap().map(|e| e.unwrap()).any(|e| {
        matches!(e.body, yuqing::domain::EventBody::MonitoringRecorded { found: 12, day, .. } if day.to_string() == "2026-07-01")
    });
    assert!(recorded);
}

#[test]
fn the_departments_screen_takes_a_custom_period() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.press(KeyCode::Char('3'));
    assert_eq!(c.app.lists.departments.rows.len(), 31);
    c.press(KeyCode::Char('c'));
    c.type_text("2026-07-02 00:00");
    c.press(KeyCode::Tab);
    c.type_text("2026-07-01 00:00");
    c.press(KeyCode::Enter);
    assert!(matches!(&c.app.mode, Mode::Form(f) if f.error.is_some()), "the start must be before the end");
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('c'));
    c.type_text("2026-06-29T00:00:00Z");
    c.press(KeyCode::Tab);
    c.type_text("2026-06-29T12:00:00Z");
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.lists.departments.period, yuqing::ui::app::PeriodKind::Custom { .. }));
    let led: u32 = c.app.lists.departments.rows.iter().map(|r| r.cases_led).sum();
    assert_eq!(led, 1, "only A-0002 (opened 29 June 02:00 UTC) lies in that half day");
    assert_eq!(c.app.lists.departments.rows.iter().find(|r| r.code == "xcb").map(|r| r.cases_led), Some(1));
}

#[test]
fn departments_that_sort_equal_keep_the_directorys_order_not_their_codes() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.press(KeyCode::Char('3'));
    let directory: Vec<String> = c.app.settings.directory.departments.iter().map(|d| d.code.clone()).collect();
    let place = |code: &str| directory.iter().position(|d| d == code).unwrap();
    for _ in 0..yuqing::ui::app::DEPARTMENT_SORTS {
        let rows = &c.app.lists.departments.rows;
        // Rows equal on the sort's measure (no overdue case here, none open) stand in
        // the directory's order.
        let idle: Vec<usize> = rows
            .iter()
            .filter(|r| r.cases_led == 0 && r.overdue_now == 0 && r.open_now == 0)
            .map(|r| place(&r.code))
            .collect();
        if c.app.lists.departments.sort != 1 {
            assert!(idle.windows(2).all(|w| w[0] < w[1]), "sort {}: {idle:?}", c.app.lists.departments.sort);
        }
        c.press(KeyCode::Char('s'));
    }
    assert_eq!(c.app.lists.departments.sort, 0);
}

#[test]
fn the_departments_screen_filters_by_name_and_opens_the_filtered_ones_cases() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.press(KeyCode::Char('3'));
    c.press(KeyCode::Char('/'));
    c.type_text("宣传");
    c.press(KeyCode::Enter);
    let shown: Vec<&str> = c.app.lists.departments.visible().iter().map(|r| r.code.as_str()).collect();
    assert_eq!(shown, vec!["xcb"], "only the propaganda department");
    assert!(c.screen(80, 24).contains("/宣传 1/31"), "{}", c.screen(80, 24));
    c.press(KeyCode::Enter);
    assert_eq!(c.app.lists.cases_dept.as_deref(), Some("xcb"), "Enter lists the filtered department's cases");
    c.press(KeyCode::Char('3'));
    c.press(KeyCode::Esc);
    assert_eq!(c.app.lists.departments.visible().len(), 31, "Esc clears the filter");
}

#[test]
fn sign_in_with_a_pin_a_growing_delay_the_idle_lock_and_a_handover() {
    let mut settings = yuqing::config::Settings::default();
    for o in settings.operators.iter_mut().filter(|o| o.id == "duty" || o.id == "chief") {
        o.pin = Some(yuqing::config::pin::hash(if o.id == "duty" { "1357" } else { "2468" }).unwrap());
    }
    let mut c = Console::with_settings(Lang::En, "guest", true, settings.clone());
    c.app.require_sign_in(settings.operators.clone(), Some(chrono::Duration::minutes(15)));
    assert!(c.app.sign_in.locked && matches!(c.app.mode, Mode::Form(_)), "opens locked on the sign-in form");
    assert!(
        c.screen(80, 24).contains("Locked: sign in") && !c.screen(80, 24).contains("A-0001"),
        "nothing but the header shows"
    );
    c.press(KeyCode::Esc);
    assert!(c.app.sign_in.locked, "the sign-in cannot be dismissed");
    let attempt = |c: &mut Console, id: &str, pin: &str| {
        if let Mode::Form(f) = &mut c.app.mode {
            f.fields[0].input = id.into();
            f.fields[1].input = pin.into();
        }
        c.press(KeyCode::Enter);
    };
    attempt(&mut c, "duty", "0000");
    assert!(c.app.sign_in.locked);
    assert!(
        matches!(&c.app.mode, Mode::Form(f) if f.error.as_deref() == Some("wrong operator or PIN · try again in 1 s"))
    );
    attempt(&mut c, "duty", "1357");
    assert!(c.app.sign_in.locked, "one second's wait after one failure: the attempt is not even made");
    c.tick(chrono::Duration::seconds(2));
    attempt(&mut c, "duty", "0000");
    c.tick(chrono::Duration::seconds(1));
    attempt(&mut c, "duty", "1357");
    assert!(c.app.sign_in.locked, "two failures: two seconds' wait");
    c.tick(chrono::Duration::seconds(2));
    attempt(&mut c, "guest", "");
    assert!(
        matches!(&c.app.mode, Mode::Form(f) if f.error.as_deref().unwrap_or("").contains("no PIN")),
        "with PINs in use, everyone needs one"
    );
    c.tick(chrono::Duration::seconds(10));
    attempt(&mut c, "duty", "1357");
    assert!(!c.app.sign_in.locked && c.app.operator.id == "duty");
    // Idle for 15 minutes: locked again.
    c.tick(chrono::Duration::minutes(14));
    assert!(!c.app.sign_in.locked);
    c.tick(chrono::Duration::minutes(2));
    assert!(c.app.sign_in.locked);
    attempt(&mut c, "duty", "1357");
    // Hand the terminal over without a restart: the summary first, recorded and exported
    // once the incoming officer has signed in.
    c.press(KeyCode::Char('d'));
    c.type_text("广告");
    c.press(KeyCode::Enter);
    c.ctrl('o');
    let summary = match &c.app.mode {
        Mode::Handover { summary, .. } => summary.clone(),
        other => panic!("expected the handover summary, got {other:?}"),
    };
    assert!(
        summary.contains("Shift handover") && summary.contains("A-0001") && summary.contains("dismissed A.7"),
        "{summary}"
    );
    assert!(summary.contains("Items waiting, oldest first (3)"), "{summary}");
    c.press(KeyCode::Enter);
    assert!(c.app.sign_in.locked, "locked for the incoming officer");
    assert!(c.screen(80, 24).contains("Incoming officer: sign in"), "{}", c.screen(80, 24));
    let handovers = c.desk.store().path().join("handovers");
    assert!(!handovers.exists(), "nothing is recorded before the incoming officer signs in");
    attempt(&mut c, "chief", "2468");
    assert_eq!(c.app.operator.id, "chief");
    assert_eq!(std::fs::read_dir(&handovers).unwrap().count(), 1, "exported as Markdown");
    let recorded = c.desk.store().events().unwrap().filter_map(Result::ok).any(|e| {
        matches!(&e.body, yuqing::domain::EventBody::ShiftHandedOver { to, .. } if to == "chief")
            && e.operator == "duty"
    });
    assert!(recorded, "recorded as an event of duty's, naming chief");
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('e'));
    assert!(matches!(c.app.mode, Mode::Form(_)), "a supervisor is offered escalation");
    // The escalation is chief's, not the operator the console started with: the effect
    // that runs it names who was signed in when it was asked for.
    c.type_text("请半小时内回应");
    c.press(KeyCode::Enter);
    let escalated = c
        .desk
        .store()
        .events()
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| matches!(e.body, yuqing::domain::EventBody::CaseEscalated { .. }));
    assert_eq!(escalated.map(|e| e.operator).as_deref(), Some("chief"));
}

#[test]
fn a_trainer_pauses_speeds_jumps_and_injects_in_a_drill() {
    use std::sync::Arc;
    use yuqing::domain::clock::{Clock, DrillClock};
    let mut c = Console::new(Lang::Zh, "trainer", true);
    let start = c.app.now;
    let scenario = yuqing::drill::check_file(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/flood-landslide.jsonl")),
        &c.desk.settings().directory,
    )
    .unwrap();
    let ctl = Arc::new(yuqing::drill::Control::new(Arc::new(DrillClock::new(start, 1))).with_scenario(scenario));
    c.app.drill.control = Some(ctl.clone());
    c.press(KeyCode::F(5));
    assert!(ctl.clock.paused());
    c.press(KeyCode::F(6));
    assert_eq!(ctl.clock.speed(), 5);
    c.press(KeyCode::F(6));
    c.press(KeyCode::F(6));
    assert_eq!(ctl.clock.speed(), 60);
    ctl.set_next(Some(start + chrono::Duration::hours(2)));
    c.press(KeyCode::F(7));
    assert_eq!(ctl.clock.now(), start + chrono::Duration::hours(2), "jumped to the next entry");
    let before = c.app.model.items.len();
    c.press(KeyCode::F(8));
    c.press(KeyCode::Tab);
    c.type_text("记者来电询问救援进展");
    c.press(KeyCode::Enter);
    assert_eq!(c.app.model.items.len(), before + 1, "the injected item is in the queue");
    c.press(KeyCode::F(9));
    match &c.app.mode {
        // No entry was delivered here: nothing is scored yet, and the score says why.
        Mode::Text(r) => assert!(
            r.body.contains("Drill score") && r.body.contains("Total: 0 / 0") && r.body.contains("信息尚未到达"),
            "{}",
            r.body
        ),
        other => panic!("expected the score screen, got {other:?}"),
    }
    c.press(KeyCode::Esc);
    assert!(matches!(c.app.mode, Mode::Normal));
    let mut duty = Console::new(Lang::Zh, "duty", true);
    duty.app.drill.control = Some(ctl.clone());
    duty.press(KeyCode::F(5));
    assert!(ctl.clock.paused(), "only a trainer controls the drill");
}

#[test]
fn a_trainees_clock_follows_the_paces_the_trainer_records_and_its_drill_keys_are_off() {
    use std::sync::Arc;
    use yuqing::domain::clock::{Clock, DrillClock};
    use yuqing::domain::event::EventBody;
    let mut trainer = Console::new(Lang::Zh, "trainer", false);
    let start = trainer.app.now;
    let ctl = Arc::new(yuqing::drill::Control::new(Arc::new(DrillClock::new(start, 1))));
    trainer.app.drill.control = Some(ctl.clone());
    trainer.press(KeyCode::F(6));
    trainer.press(KeyCode::F(5));
    let paces: Vec<_> = trainer
        .desk
        .store()
        .events()
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| matches!(e.body, EventBody::DrillPaced { .. }))
        .collect();
    assert_eq!(paces.len(), 2, "each change is recorded: {paces:?}");
    assert!(matches!(paces[1].body, EventBody::DrillPaced { pace } if pace.paused && pace.speed == 5));

    // The trainee's console is three hours behind and running at 1×, and is signed in
    // as a trainer: the keys must still be off, the clock is the trainer's.
    let mut trainee = Console::new(Lang::Zh, "trainer", false);
    let own = Arc::new(yuqing::drill::Control::new(Arc::new(DrillClock::new(start - chrono::Duration::hours(3), 1))));
    trainee.app.drill.control = Some(own.clone());
    trainee.app.drill.follow = true;
    // The trainer is connected, its wall clock as ours (a trainee stands still without it).
    let trainer_peer = yuqing::sync::node::PeerStatus {
        name: "trainer".into(),
        console: None,
        connected: true,
        since: start,
        error: None,
        skew_ms: 0,
        measured: 1,
        behind: 0,
    };
    own.follow(std::slice::from_ref(&trainer_peer));
    trainee.app.sync.peers = vec![trainer_peer];
    for ev in paces {
        trainee.send(yuqing::ui::update::Msg::Applied(Arc::new(ev)));
    }
    assert!(own.clock.paused(), "paused with the trainer");
    assert_eq!(own.clock.now(), ctl.clock.now(), "at the trainer's drill time");
    assert_eq!(own.clock.speed(), 5);
    assert!(trainee.app.status.as_ref().is_some_and(|(t, _)| t.contains("暂停")), "{:?}", trainee.app.status);
    trainee.press(KeyCode::F(5));
    trainee.press(KeyCode::F(6));
    assert!(own.clock.paused() && own.clock.speed() == 5, "a trainee's drill keys change nothing");
    assert!(trainee.app.status.as_ref().is_some_and(|(t, e)| *e && t.contains("培训员")), "{:?}", trainee.app.status);

    // A trainer's note reaches the trainee's screen, with the bell.
    let note = yuqing::domain::command::Command::NoteDrill { text: "请在 30 分钟内报告县政府".into() };
    let mut evs = trainer.desk.run_blocking(&trainer.app.operator, vec![note]).pop().unwrap().unwrap();
    let bells = trainee.bells;
    trainee.send(yuqing::ui::update::Msg::Applied(Arc::new(evs.remove(0))));
    assert!(trainee.screen(80, 24).contains("演练通知: 请在 30 分钟内报告县政府"), "{}", trainee.screen(80, 24));
    assert_eq!(trainee.bells, bells + 1);
}

/// A command of the kind `a` sends, on the seeded data; `None`: `a` sends none.
fn command_of(a: yuqing::ui::action::Action, now: chrono::DateTime<chrono::Utc>) -> Option<Command> {
    use yuqing::domain::case::{Category, Outcome, PublishChannel, Referral, ResponseKind, Severity};
    use yuqing::ui::action::Action as A;
    let case = || "A-0003".to_string();
    let why = || "核实".to_string();
    Some(match a {
        A::OpenCase => Command::OpenCase {
            items: vec!["A.4".into()],
            title: String::new(),
            severity: Severity::General,
            category: Category::Rumor,
            lead: "xcb".into(),
            co: vec![],
            hints: vec![],
        },
        A::AttachItem | A::AttachGroup => Command::AttachItem { case: case(), item: "A.4".into() },
        A::DismissItem => Command::DismissItem { item: "A.4".into(), reason: why() },
        A::UndoDismiss => Command::RestoreItem { item: "A.4".into(), reason: why() },
        A::Classify => {
            Command::Classify { case: case(), severity: Severity::General, category: Category::Rumor, since_item: None }
        }
        A::Assign => Command::Assign { case: case(), lead: "xcb".into(), co: vec![] },
        A::Transfer => Command::Transfer { case: case(), to: "xcb".into(), reason: why() },
        A::Acknowledge => Command::Acknowledge { case: case(), dept: "yjj".into() },
        A::Escalate => Command::Escalate { case: case(), reason: why() },
        A::ReportCounty => Command::ReportCounty { case: case(), note: why() },
        A::Refer => Command::Refer { case: case(), to: Referral::Police, reference: why() },
        A::Draft => Command::Draft { case: case(), kind: ResponseKind::AuthoritativeInfo, text: why() },
        A::Approve => Command::Approve { case: case(), draft: None },
        A::Publish => Command::Publish {
            case: case(),
            kind: ResponseKind::AuthoritativeInfo,
            channel: PublishChannel::Weibo,
            text: why(),
            url: None,
        },
        A::PressConference => Command::PressConference { case: case(), note: why() },
        A::Extend => Command::Extend {
            case: case(),
            milestone: MilestoneKind::PressConference,
            until: now + chrono::Duration::days(3),
            reason: why(),
        },
        A::RequestExtension => Command::RequestExtension {
            case: case(),
            milestone: MilestoneKind::PressConference,
            until: now + chrono::Duration::days(3),
            reason: why(),
        },
        A::SignOff => Command::SignOff { case: case(), draft: None, dept: "wqxz".into() },
        A::AgreeWording => Command::AgreeWording { cases: vec![case()], text: why() },
        A::RecordMonitoring => Command::RecordMonitoring {
            day: now.date_naive(),
            channel: yuqing::domain::item::Channel::Weibo,
            found: 3,
            note: String::new(),
        },
        A::AddNote => Command::Note { case: case(), text: why() },
        A::MarkAccountability => Command::Mark { case: case(), dept: "yjj".into(), reason: why() },
        A::CloseCase => Command::Close { case: case(), outcome: Outcome::Clarified, note: why() },
        A::Reopen => Command::Reopen { case: case(), reason: why() },
        A::DrillPause | A::DrillSpeed | A::DrillNext => Command::PaceDrill {
            pace: yuqing::domain::clock::DrillPace { at: now, wall: now, speed: 1, paused: true, ended: false },
        },
        A::DrillInject => Command::ReceiveItem {
            item: yuqing::domain::item::NewItem {
                channel: yuqing::domain::item::Channel::Weibo,
                title: "演练插入".into(),
                body: String::new(),
                url: None,
                author: None,
                published_at: None,
                reach: None,
                external_id: None,
            },
        },
        A::SwitchOperator => Command::HandOver { to: String::new(), summary: String::new() },
        _ => return None,
    })
}

#[test]
fn the_console_offers_exactly_what_the_domain_allows() {
    use yuqing::store::Refusal;
    use yuqing::ui::action::Action;
    for id in ["duty", "chief", "trainer", "guest"] {
        let mut c = Console::new(Lang::Zh, id, true);
        let start = c.app.now;
        let clock = std::sync::Arc::new(yuqing::domain::clock::DrillClock::new(start, 1));
        c.app.drill.control = Some(std::sync::Arc::new(yuqing::drill::Control::new(clock)));
        let op = c.app.operator.clone();
        let mut differ = Vec::new();
        for &a in Action::ALL {
            // What the console does: refuse with "your role may not", or go ahead.
            c.app.mode = Mode::Normal;
            c.app.status = None;
            c.app.screen = match a {
                Action::OpenCase | Action::AttachItem | Action::AttachGroup | Action::DismissItem => Screen::Queue,
                _ => Screen::Cases,
            };
            let _ = yuqing::ui::update::action(&mut c.app, a);
            let console_refuses = c.app.status.as_ref().is_some_and(|(t, e)| *e && t.contains("不能执行此操作"));
            // What the domain does with the command that action sends.
            let domain_refuses = command_of(a, start).is_some_and(|cmd| {
                let answer = c.desk.run_blocking(&op, vec![cmd]).pop().unwrap();
                matches!(answer, Err(Refusal::Domain(yuqing::domain::DomainError::Forbidden { .. })))
            });
            if console_refuses != domain_refuses {
                differ.push(format!("{}: console refuses {console_refuses}, domain {domain_refuses}", a.name()));
            }
        }
        assert!(differ.is_empty(), "{id} ({}): {differ:#?}", op.role);
    }
}

/// A console where duty (PIN 135790) and chief (PIN 246800) must sign in; it starts locked.
fn signed_out() -> Console {
    let mut settings = yuqing::config::Settings::default();
    for o in settings.operators.iter_mut().filter(|o| o.id == "duty" || o.id == "chief") {
        o.pin = Some(yuqing::config::pin::hash(if o.id == "duty" { "135790" } else { "246800" }).unwrap());
    }
    let mut c = Console::with_settings(Lang::En, "duty", true, settings.clone());
    c.app.require_sign_in(settings.operators.clone(), Some(chrono::Duration::minutes(15)));
    c
}

/// Types an operator id and PIN into the empty sign-in form and presses Enter.
fn sign_in(c: &mut Console, id: &str, pin: &str) {
    c.type_text(id);
    c.press(KeyCode::Tab);
    c.type_text(pin);
    c.press(KeyCode::Enter);
}

/// The sign-in form's error line and PIN field, when it is open.
fn sign_in_form(c: &Console) -> (String, String) {
    match &c.app.mode {
        Mode::Form(f) => (f.error.clone().unwrap_or_default(), f.fields[1].input.value().to_string()),
        other => panic!("expected the sign-in form, got {other:?}"),
    }
}

#[test]
fn a_wrong_pin_makes_a_wait_that_counts_down_and_ignores_what_is_typed_meanwhile() {
    let mut c = signed_out();
    sign_in(&mut c, "duty", "000000");
    c.tick(chrono::Duration::seconds(1));
    c.type_text("000000");
    c.press(KeyCode::Enter);
    let (error, _) = sign_in_form(&c);
    assert!(error.contains("wrong operator or PIN") && error.contains("2 s"), "two failures, two seconds: {error}");
    c.type_text("135790");
    c.press(KeyCode::Enter);
    assert_eq!(sign_in_form(&c).1, "", "a PIN typed during the wait is not kept");
    c.tick(chrono::Duration::seconds(1));
    let (error, _) = sign_in_form(&c);
    assert!(error.contains("1 s") && !error.contains("2 s"), "the wait counts down each second: {error}");
    c.type_text("13");
    c.tick(chrono::Duration::seconds(1));
    let (error, pin) = sign_in_form(&c);
    assert_eq!((error.as_str(), pin.as_str()), ("wrong operator or PIN", ""), "the wait is over, the PIN field empty");
    c.type_text("135790");
    c.press(KeyCode::Enter);
    assert!(!c.app.sign_in.locked && c.app.operator.id == "duty", "the next attempt is the PIN typed after the wait");
}

#[test]
fn the_idle_lock_keeps_an_unsaved_form_for_its_author_only() {
    let mut c = signed_out();
    sign_in(&mut c, "duty", "135790");
    c.press(KeyCode::Char('d'));
    c.type_text("重复信息");
    c.tick(chrono::Duration::minutes(16));
    assert!(c.app.sign_in.locked, "idle: locked");
    sign_in(&mut c, "chief", "246800");
    assert!(matches!(c.app.mode, Mode::Normal), "another officer does not see it: {:?}", c.app.mode);
    assert!(
        c.app.status.as_ref().is_some_and(|(t, _)| t.contains("duty") && t.contains("kept")),
        "and is told it is kept: {:?}",
        c.app.status
    );
    c.tick(chrono::Duration::minutes(16));
    sign_in(&mut c, "duty", "135790");
    let item = match &c.app.mode {
        Mode::Form(f) => {
            assert_eq!(f.fields[0].input.value(), "重复信息", "the author finds the form as it was");
            match &f.purpose {
                yuqing::ui::form::Purpose::Dismiss { items } => items[0].clone(),
                other => panic!("expected the dismiss form, got {other:?}"),
            }
        }
        other => panic!("expected duty's dismiss form back, got {other:?}"),
    };
    c.press(KeyCode::Enter);
    let dismissed = c.desk.store().item(&item).unwrap().unwrap();
    assert!(matches!(&dismissed.status, yuqing::domain::ItemStatus::Dismissed { by, .. } if by == "duty"));
}

#[test]
fn the_handover_summary_scrolls_puts_the_officers_own_actions_first_and_names_both_officers() {
    let mut c = signed_out();
    sign_in(&mut c, "duty", "135790");
    // An item from the inbox, received under duty's name while duty is signed in.
    let duty = c.app.operator.clone();
    let item = yuqing::domain::item::NewItem {
        channel: yuqing::domain::item::Channel::Weibo,
        title: "收件箱新条目".into(),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some("inbox-1".into()),
    };
    for a in c.desk.run_blocking(&duty, vec![Command::ReceiveItem { item }]) {
        a.unwrap();
    }
    c.deliver();
    c.press(KeyCode::End);
    c.press(KeyCode::Char('d'));
    c.type_text("广告");
    c.press(KeyCode::Enter);
    c.ctrl('o');
    let shown = format!("{:?}", c.app.mode);
    let at = |what: &str| shown.find(what).unwrap_or_else(|| panic!("`{what}` missing: {shown}"));
    assert!(at("Done this shift") < at("Open cases") && at("Open cases") < at("Overdue"), "{shown}");
    assert!(at("Overdue") < at("Items waiting"), "{shown}");
    let own = &shown[at("Done this shift")..at("Open cases")];
    assert!(own.contains("dismissed") && !own.contains("received"), "only the officer's own actions: {own}");
    let waiting = &shown[at("Items waiting")..];
    assert!(!waiting.contains("A.4"), "dismissed: {waiting}");
    assert!(waiting.find("A.5").unwrap() < waiting.find("A.8").unwrap(), "oldest first: {waiting}");
    // The summary scrolls.
    let top = c.screen(80, 24);
    assert!(top.contains("Shift handover"), "{top}");
    c.press(KeyCode::Down);
    c.press(KeyCode::PageDown);
    let scrolled = c.screen(80, 24);
    assert!(!scrolled.contains("Shift handover") && scrolled.contains("Items waiting"), "{scrolled}");
    c.press(KeyCode::PageUp);
    c.press(KeyCode::Up);
    assert!(c.screen(80, 24).contains("Shift handover"));
    // Enter: the incoming officer signs in; the record names both.
    c.press(KeyCode::Enter);
    assert!(c.app.sign_in.locked || matches!(c.app.mode, Mode::Form(_)));
    sign_in(&mut c, "chief", "246800");
    assert_eq!(c.app.operator.id, "chief");
    let dir = c.desk.store().path().join("handovers");
    let file = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
    let md = std::fs::read_to_string(file).unwrap();
    assert!(md.contains("Handed over by: 值班员 duty"), "{md}");
    assert!(md.contains("Taken over by: 带班领导 chief"), "{md}");
    let ev = c
        .desk
        .store()
        .events()
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| matches!(e.body, yuqing::domain::EventBody::ShiftHandedOver { .. }))
        .expect("the handover is recorded");
    assert_eq!(ev.operator, "duty");
    assert!(matches!(&ev.body, yuqing::domain::EventBody::ShiftHandedOver { to, .. } if to == "chief"), "{ev:?}");
}

#[test]
fn who_sits_at_the_console_is_in_the_event_log() {
    let mut c = signed_out();
    sign_in(&mut c, "duty", "000000");
    c.tick(chrono::Duration::seconds(2));
    // The form keeps the id and waits on the PIN.
    c.type_text("135790");
    c.press(KeyCode::Enter);
    c.tick(chrono::Duration::minutes(16));
    assert!(c.app.sign_in.locked, "idle: locked");
    sign_in(&mut c, "duty", "135790");
    c.tick(chrono::Duration::minutes(16));
    sign_in(&mut c, "nobody", "1");
    let log: Vec<String> = c
        .desk
        .store()
        .recorded_events()
        .unwrap()
        .map(|r| r.unwrap().into_event())
        .filter_map(|ev| match ev.body {
            yuqing::domain::event::EventBody::SessionRecorded { act, who, detail } => {
                Some(format!("{} {} {who} {detail}", ev.operator, yuqing::domain::names::Named::name(act)))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        log,
        vec![
            "duty refused duty wrong PIN",
            "duty signed_in duty ",
            "duty locked duty idle",
            "duty unlocked duty ",
            "duty locked duty idle",
            "nobody refused nobody unknown or disabled operator",
        ],
    );
}

#[test]
fn a_roster_change_from_elsewhere_counts_at_a_running_console_at_once() {
    let mut c = signed_out();
    sign_in(&mut c, "duty", "135790");
    assert!(!c.app.sign_in.locked);
    // Elsewhere (the CLI through the control socket, or another console), chief resets
    // duty's PIN, then disables them.
    let chief = c.desk.operator("chief").unwrap();
    let mut duty = c.desk.operator("duty").unwrap();
    duty.pin = Some(yuqing::config::pin::hash("864200").unwrap());
    c.desk.run_blocking(&chief, vec![Command::SetOperator { operator: duty.clone() }]).pop().unwrap().unwrap();
    c.deliver();
    c.tick(chrono::Duration::minutes(16));
    assert!(c.app.sign_in.locked);
    sign_in(&mut c, "duty", "135790");
    assert!(c.app.sign_in.locked, "the PIN set while the console ran is the one checked");
    c.tick(chrono::Duration::seconds(2));
    c.type_text("864200");
    c.press(KeyCode::Enter);
    assert!(!c.app.sign_in.locked && c.app.operator.id == "duty", "the new PIN signs in");
    duty.disabled = true;
    c.desk.run_blocking(&chief, vec![Command::SetOperator { operator: duty }]).pop().unwrap().unwrap();
    c.deliver();
    assert!(c.app.sign_in.locked, "disabled while signed in: locked out at once");
    sign_in(&mut c, "duty", "864200");
    assert!(c.app.sign_in.locked, "and cannot sign in again");
}

#[test]
fn items_waiting_past_the_policys_alert_are_flagged_and_counted() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let screen = c.screen(100, 12);
    assert!(!screen.contains("待研判超时"), "20 minutes is not too long: {screen}");
    assert!(screen.contains("20m"), "each item shows how long it has waited: {screen}");
    c.tick(chrono::Duration::hours(3));
    let screen = c.screen(100, 12);
    assert!(screen.contains("待研判超时 4"), "every queued item has waited over 2 h: {screen}");
    assert!(screen.contains("! 3h20"), "{screen}");
    c.app.settings.queue_alert = None;
    assert!(!c.screen(100, 12).contains("待研判超时"), "queue_alert_hours = 0 turns it off");
}

#[test]
fn a_pin_is_checked_as_an_effect_and_the_form_waits_for_its_answer() {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    use yuqing::ui::update::{Effect, Msg, update};
    let mut settings = yuqing::config::Settings::default();
    for o in settings.operators.iter_mut().filter(|o| o.id == "duty") {
        o.pin = Some(yuqing::config::pin::hash("1357").unwrap());
    }
    let mut c = Console::with_settings(Lang::En, "guest", true, settings.clone());
    c.app.require_sign_in(settings.operators.clone(), None);
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    for ch in "duty".chars() {
        update(&mut c.app, key(KeyCode::Char(ch)));
    }
    update(&mut c.app, key(KeyCode::Tab));
    for ch in "1357".chars() {
        update(&mut c.app, key(KeyCode::Char(ch)));
    }
    let asked = update(&mut c.app, key(KeyCode::Enter));
    assert!(
        matches!(asked.as_slice(), [Effect::CheckPin { id, .. }] if id == "duty"),
        "update asks the console process to check the PIN: {asked:?}"
    );
    assert!(format!("{asked:?}").contains("Pin(…)") && !format!("{asked:?}").contains("1357"), "{asked:?}");
    assert!(c.app.sign_in.locked, "still locked while the PIN is checked");
    assert!(update(&mut c.app, key(KeyCode::Enter)).is_empty(), "no second check while one runs");
    update(&mut c.app, Msg::PinChecked { id: "duty".into(), ok: true });
    assert!(!c.app.sign_in.locked && c.app.operator.id == "duty", "signed in on the answer");
}

#[test]
fn a_pickers_moves_and_toggle_come_from_the_keymaps_form_section() {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    use yuqing::ui::form::{Choice, Field, Form, Purpose};
    use yuqing::ui::keymap::{Key, Keymap, Scope};
    use yuqing::ui::strings::M;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keymap.toml"), "[form]\nC-n = \"down\"\nC-p = \"up\"\n").unwrap();
    let keymap = Keymap::load("default", dir.path()).unwrap();
    let pick = Field::pick(M::Channel, Choice::named::<yuqing::domain::item::Channel>(Lang::Zh), Some("weibo"));
    let mut form = Form::new(M::FormInject, Purpose::Inject, vec![pick]);
    let before = form.fields[0].value();
    let press = |form: &mut Form, k: KeyEvent| {
        let own = Key::from_event(&k).and_then(|key| keymap.own(Scope::Form, &key));
        form.key(&k, own, 40);
    };
    press(&mut form, KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL));
    let moved = form.fields[0].value();
    assert_ne!(moved, before, "C-n, bound to down in [form], moves the picker");
    press(&mut form, KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    assert_eq!(form.fields[0].value(), before, "C-p, bound to up, moves it back");
}

#[test]
fn an_item_whose_case_came_first_is_not_shown_waiting() {
    // A trainee joining late may get another console's case before the item it holds.
    let source = Console::new(Lang::Zh, "duty", false);
    let duty = source.desk.settings().operator("duty").unwrap().clone();
    let item = yuqing::domain::item::NewItem {
        channel: yuqing::domain::item::Channel::Workgroup,
        title: "家长群：校车是不是出事了".into(),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some("wg-1".into()),
    };
    let received = source.desk.run_blocking(&duty, vec![Command::ReceiveItem { item }]).remove(0).unwrap();
    let open = Command::OpenCase {
        hints: vec![],
        items: vec!["A.1".into()],
        title: String::new(),
        severity: yuqing::domain::case::Severity::General,
        category: yuqing::domain::case::Category::Rumor,
        lead: "jyj".into(),
        co: vec![],
    };
    let opened = source.desk.run_blocking(&duty, vec![open]).remove(0).unwrap();
    let mut late = Console::new(Lang::Zh, "duty", false);
    for ev in opened.into_iter().chain(received) {
        late.send(yuqing::ui::update::Msg::Applied(std::sync::Arc::new(ev)));
    }
    assert!(late.app.model.cases.contains_key("A-0001"));
    assert!(!late.app.model.items.contains_key("A.1"), "the item is in its case, not in the queue");
}

#[test]
fn a_surge_from_before_the_case_met_late_does_not_mark_it() {
    let source = Console::new(Lang::Zh, "duty", false);
    let duty = source.desk.settings().operator("duty").unwrap().clone();
    let item = yuqing::domain::item::NewItem {
        channel: yuqing::domain::item::Channel::Other,
        title: "抖音：官庄镇校车侧翻？".into(),
        body: String::new(),
        url: None,
        author: None,
        published_at: None,
        reach: Some(800),
        external_id: Some("dy-1".into()),
    };
    let run = |cmd| source.desk.run_blocking(&duty, vec![cmd]).remove(0).unwrap();
    let received = run(Command::ReceiveItem { item });
    source.clock.advance(chrono::Duration::minutes(1));
    let surged = run(Command::UpdateReach { item: "A.1".into(), reach: 45000 });
    source.clock.advance(chrono::Duration::minutes(1));
    let opened = run(Command::OpenCase {
        hints: vec![],
        items: vec!["A.1".into()],
        title: String::new(),
        severity: yuqing::domain::case::Severity::General,
        category: yuqing::domain::case::Category::Rumor,
        lead: "jyj".into(),
        co: vec![],
    });
    let mut late = Console::new(Lang::Zh, "duty", false);
    for ev in received.into_iter().chain(opened).chain(surged) {
        late.send(yuqing::ui::update::Msg::Applied(std::sync::Arc::new(ev)));
    }
    assert!(late.app.lists.surged.is_empty(), "the case was opened after the surge");
    assert_eq!(late.bells, 1, "only the new item rang");
}

/// The open form, or a panic naming what is shown instead.
fn open_form(c: &Console) -> &yuqing::ui::form::Form {
    match &c.app.mode {
        Mode::Form(f) => f,
        other => panic!("expected a form, got {other:?}"),
    }
}

#[test]
fn assign_starts_from_the_cases_lead_and_co_departments() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.open_case("A-0003");
    c.press(KeyCode::Char('a'));
    let mut co = open_form(&c).fields[1].values();
    co.sort();
    assert_eq!(co, vec!["jtj".to_string(), "wqxz".into()], "every co-department ticked");
    assert!(c.screen(100, 30).contains(c.app.dept("wqxz")), "and shown: {}", c.screen(100, 30));
    // Enter without changes changes no department.
    c.press(KeyCode::Enter);
    let case = c.desk.store().case("A-0003").unwrap().unwrap();
    let mut co = case.co.clone();
    co.sort();
    assert_eq!((case.lead.as_str(), co), ("yjj", vec!["jtj".to_string(), "wqxz".into()]));
    // Ticking one more adds it to those there are.
    c.press(KeyCode::Char('a'));
    c.press(KeyCode::Tab);
    c.type_text("scjgj");
    c.press(KeyCode::Char(' '));
    c.press(KeyCode::Enter);
    let co = c.desk.store().case("A-0003").unwrap().unwrap().co;
    assert_eq!(co.len(), 3, "{co:?}");
}

#[test]
fn the_highlight_stays_on_its_item_or_case_when_the_list_changes() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Down);
    c.press(KeyCode::Down);
    let chosen = c.app.selected_item().unwrap().id.clone();
    // Items arrive from the inbox or `yuqing ingest` while the console runs: newest first,
    // above the highlighted one.
    let news = (0..3)
        .map(|i| Command::ReceiveItem {
            item: yuqing::domain::item::NewItem {
                channel: yuqing::domain::item::Channel::Weibo,
                title: format!("新到信息 {i}"),
                body: "群众反映某路段路灯不亮。".into(),
                url: None,
                author: None,
                published_at: None,
                reach: None,
                external_id: Some(format!("new-{i}")),
            },
        })
        .collect();
    c.clock.advance(chrono::Duration::minutes(1));
    c.elsewhere("duty", news);
    assert_eq!(c.app.selected_item().map(|i| i.id.clone()), Some(chosen.clone()), "the same item");
    c.press(KeyCode::Char('d'));
    assert_eq!(open_form(&c).purpose, yuqing::ui::form::Purpose::Dismiss { items: vec![chosen] });
    c.press(KeyCode::Esc);
    // The cases list: a case opened elsewhere sorts above the highlighted one.
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Down);
    c.press(KeyCode::Down);
    assert_eq!(c.app.selected_case().map(|x| x.no.clone()).as_deref(), Some("A-0003"));
    let open = Command::OpenCase {
        hints: vec![],
        items: vec!["A.7".into()],
        title: "某路段路灯不亮".into(),
        severity: yuqing::domain::case::Severity::Major,
        category: yuqing::domain::case::Category::Other,
        lead: "zjj".into(),
        co: vec![],
    };
    c.elsewhere("duty", vec![open]);
    let row = |no: &str| c.app.model.case_order.iter().position(|n| n == no);
    assert!(row("A-0004") < row("A-0003"), "above it: {:?}", c.app.model.case_order);
    assert_eq!(c.app.selected_case().map(|x| x.no.clone()).as_deref(), Some("A-0003"), "the same case");
}

/// A repost of the queued canteen post A.4 arrives (A.8), then A.4 becomes case A-0004
/// (the last of the open cases by deadline): A.8's hint names A-0004.
fn repost_of_a_case() -> Console {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let repost = Command::ReceiveItem {
        item: yuqing::domain::item::NewItem {
            channel: yuqing::domain::item::Channel::Wechat,
            title: "转发：网传某小学食堂饭菜变质致学生腹泻！".into(),
            body: "有家长发帖称孩子在学校食堂吃饭后腹泻，多名学生请假。".into(),
            url: None,
            author: None,
            published_at: None,
            reach: None,
            external_id: Some("r1".into()),
        },
    };
    c.elsewhere("duty", vec![repost]);
    let open = Command::OpenCase {
        hints: vec![],
        items: vec!["A.4".into()],
        title: String::new(),
        severity: yuqing::domain::case::Severity::General,
        category: yuqing::domain::case::Category::Rumor,
        lead: "jyj".into(),
        co: vec![],
    };
    c.elsewhere("duty", vec![open]);
    assert_eq!(c.app.model.case_order.last().map(String::as_str), Some("A-0004"));
    assert!(yuqing::ui::view::queue_hint(&c.app, "A.8", 40).contains("≈A-0004"));
    c.press(KeyCode::Char('/'));
    c.type_text("转发");
    c.press(KeyCode::Enter);
    assert_eq!(c.app.selected_item().map(|i| i.id.as_str()), Some("A.8"));
    c
}

#[test]
fn attaching_starts_on_the_case_the_near_duplicate_hint_names_and_says_which_item() {
    let mut c = repost_of_a_case();
    c.press(KeyCode::Char('a'));
    let f = open_form(&c);
    assert_eq!(f.fields[0].value(), "A-0004", "the hinted case, not the first listed");
    assert!(f.note.as_deref().unwrap_or("").contains("A.8"), "which item it attaches: {:?}", f.note);
    c.press(KeyCode::Esc);
    // `A` (this item and those similar to it) the same.
    c.press(KeyCode::Char('A'));
    assert_eq!(open_form(&c).fields[0].value(), "A-0004");
    c.press(KeyCode::Enter);
    assert!(c.desk.store().case("A-0004").unwrap().unwrap().items.contains(&"A.8".to_string()));
}

#[test]
fn the_open_case_form_names_keys_that_attach_to_the_similar_case() {
    let mut c = repost_of_a_case();
    c.press(KeyCode::Char('o'));
    let note = open_form(&c).note.clone().unwrap_or_default();
    assert!(note.contains("A-0004") && note.contains("按 Esc 退出本表单，再按 a"), "{note}");
    // Typed in the form, `a` is text; the keys the form names do attach.
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('a'));
    let f = open_form(&c);
    assert!(matches!(f.purpose, yuqing::ui::form::Purpose::Attach { .. }), "{:?}", f.purpose);
    assert_eq!(f.fields[0].value(), "A-0004");
}

#[test]
fn the_supervision_screen_opens_and_acts_on_the_highlighted_rows_case() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    let until = common::console::t0() + chrono::Duration::hours(10);
    c.elsewhere(
        "duty",
        vec![
            Command::Draft {
                case: "A-0002".into(),
                kind: yuqing::domain::case::ResponseKind::FirstResponse,
                text: "经核实，县城下周不会全面限电。".into(),
            },
            Command::SignOff { case: "A-0002".into(), draft: Some(0), dept: "wxb".into() },
            Command::RequestExtension {
                case: "A-0002".into(),
                milestone: MilestoneKind::FirstResponse,
                until,
                reason: "供电公司仍在核实".into(),
            },
        ],
    );
    // Rows: overdue A-0001, escalated A-0003, A-0002's draft, A-0002's request.
    c.press(KeyCode::Char('5'));
    c.press(KeyCode::Enter);
    assert_eq!(c.app.screen, Screen::Case("A-0001".into()), "Enter opens the highlighted row's case");
    c.press(KeyCode::Char('5'));
    for _ in 0..3 {
        c.press(KeyCode::Down);
    }
    c.press(KeyCode::Char('x'));
    let f = open_form(&c);
    assert_eq!(
        f.purpose,
        yuqing::ui::form::Purpose::Case { case: "A-0002".into(), action: yuqing::ui::action::Action::Extend }
    );
    assert_eq!(f.fields[1].value(), "2026-07-01 19:00", "filled in with the request");
    c.press(KeyCode::Enter);
    let case = c.desk.store().case("A-0002").unwrap().unwrap();
    assert!(case.extension_requests.iter().all(|r| r.granted), "granted");
    c.press(KeyCode::Home);
    c.press(KeyCode::Down);
    c.press(KeyCode::Down);
    c.press(KeyCode::Char('v'));
    c.press(KeyCode::Enter);
    let case = c.desk.store().case("A-0002").unwrap().unwrap();
    assert_eq!(case.drafts[0].approved_by.as_deref(), Some("chief"), "the highlighted draft approved");
}

#[test]
fn a_reopened_case_is_listed_once_while_the_list_is_filtered() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    let publish = Command::Publish {
        case: "A-0002".into(),
        kind: yuqing::domain::case::ResponseKind::FirstResponse,
        channel: yuqing::domain::case::PublishChannel::Weibo,
        text: "经核实，县城下周不会全面限电。".into(),
        url: None,
    };
    let close = Command::Close {
        case: "A-0002".into(),
        outcome: yuqing::domain::case::Outcome::Corrected,
        note: String::new(),
    };
    c.elsewhere("chief", vec![publish, close]);
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Char('/'));
    c.type_text("限电");
    c.press(KeyCode::Enter);
    assert_eq!(c.app.lists.cases.len(c.app.case_total()), 1, "the closed case is found");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('R'));
    c.type_text("群众再次反映");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Esc);
    assert_eq!(c.app.screen, Screen::Cases);
    let rows: Vec<String> = c.screen(120, 30).lines().filter(|l| l.starts_with("A-0002")).map(str::to_string).collect();
    assert_eq!(rows.len(), 1, "one row per case: {rows:?}");
    assert!(!rows[0].contains("已结案"), "as it is now, open: {rows:?}");
    // Closed again, it is listed once, closed.
    let close = Command::Close {
        case: "A-0002".into(),
        outcome: yuqing::domain::case::Outcome::Corrected,
        note: String::new(),
    };
    c.elsewhere("chief", vec![close]);
    let rows: Vec<String> = c.screen(120, 30).lines().filter(|l| l.starts_with("A-0002")).map(str::to_string).collect();
    assert!(rows.len() == 1 && rows[0].contains("已结案"), "{rows:?}");
}

#[test]
fn the_newest_timeline_entry_is_reached_by_end_page_down_and_down() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    // Long notes, each ending in its number: they wrap over several rows.
    let long = "现场核查情况：道路两侧仍有落石风险，交通运输局已调派机械清理，应急管理局组织人员值守，".repeat(6);
    let notes = (1..=12)
        .map(|i| Command::Note { case: "A-0003".into(), text: format!("第{i}次备注 {long} end-{i}") })
        .collect();
    c.elsewhere("duty", notes);
    c.open_case("A-0003");
    for (w, h) in [(80u16, 24u16), (120, 32)] {
        c.send(yuqing::ui::update::Msg::Resized { cols: w, rows: h as usize - 5 });
        let newest = |c: &Console| c.screen(w, h).contains("end-12");
        c.press(KeyCode::End);
        assert!(newest(&c), "End shows the newest entry at {w}x{h}:\n{}", c.screen(w, h));
        c.press(KeyCode::Up);
        assert!(!newest(&c), "Up after End moves at once:\n{}", c.screen(w, h));
        c.press(KeyCode::Home);
        for _ in 0..40 {
            c.press(KeyCode::PageDown);
        }
        assert!(newest(&c), "PageDown reaches it at {w}x{h}:\n{}", c.screen(w, h));
        c.press(KeyCode::Home);
        for _ in 0..400 {
            c.press(KeyCode::Char('j'));
        }
        assert!(newest(&c), "j reaches it at {w}x{h}:\n{}", c.screen(w, h));
    }
}

#[test]
fn the_locked_screen_names_no_operator_and_no_case() {
    let mut c = signed_out();
    sign_in(&mut c, "duty", "135790");
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.screen, Screen::Case(_)));
    let top = |c: &Console, w| c.screen(w, 24).lines().take(2).collect::<Vec<_>>().join("\n");
    // The English header's name is `Opinion duty console`: the operator is `值班员 duty`.
    assert!(top(&c, 80).contains("值班员 duty") && top(&c, 80).contains(" 4 A-"), "signed in: {}", top(&c, 80));
    c.tick(chrono::Duration::minutes(16));
    assert!(c.app.sign_in.locked, "idle: locked");
    for w in [80, 120] {
        let shown = top(&c, w);
        assert!(!shown.contains("值班员") && !shown.contains("operator") && !shown.contains("A-0"), "{w}: {shown}");
        assert!(shown.contains("09:16"), "the clock shows: {shown}");
    }
}

/// The sessions recorded so far, as `operator act who detail`, with handovers as
/// `operator handed_over → to`.
fn sessions_recorded(c: &Console) -> Vec<String> {
    c.desk
        .store()
        .recorded_events()
        .unwrap()
        .map(|r| r.unwrap().into_event())
        .filter_map(|ev| match ev.body {
            yuqing::domain::event::EventBody::SessionRecorded { act, who, detail } => {
                Some(format!("{} {} {who} {detail}", ev.operator, yuqing::domain::names::Named::name(act)))
            }
            yuqing::domain::event::EventBody::ShiftHandedOver { to, .. } => {
                Some(format!("{} handed_over → {to}", ev.operator))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn another_officer_signing_in_after_a_lock_or_a_handover_signs_the_last_one_out_first() {
    let mut c = signed_out();
    sign_in(&mut c, "duty", "135790");
    c.tick(chrono::Duration::minutes(16));
    assert!(c.app.sign_in.locked, "idle: locked");
    // Another officer at the locked console: duty is signed out before chief signs in.
    sign_in(&mut c, "chief", "246800");
    assert_eq!(c.app.operator.id, "chief");
    // Chief hands over to duty: chief is signed out before duty signs in.
    c.ctrl('o');
    c.press(KeyCode::Enter);
    sign_in(&mut c, "duty", "135790");
    assert_eq!(c.app.operator.id, "duty");
    // The same officer back at a locked console only unlocks it.
    c.tick(chrono::Duration::minutes(16));
    sign_in(&mut c, "duty", "135790");
    assert_eq!(
        sessions_recorded(&c),
        vec![
            "duty signed_in duty ",
            "duty locked duty idle",
            "duty signed_out duty another officer signed in",
            "chief signed_in chief ",
            "chief signed_out chief handed over",
            "duty signed_in duty ",
            "chief handed_over → duty",
            "duty locked duty idle",
            "duty unlocked duty ",
        ],
    );
}

/// The rows of the screen that name keys: the form's own key line and the footer.
fn key_rows(c: &Console) -> String {
    let shown = c.screen(100, 24);
    shown.lines().filter(|l| l.contains("Enter")).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_locked_sign_in_form_offers_only_keys_that_work_there() {
    let mut c = signed_out();
    c.app.lang = Lang::Zh;
    let keys = key_rows(&c);
    assert!(keys.contains("Enter") && keys.contains("Tab"), "submit and next field are offered: {keys}");
    assert!(!keys.contains("Esc") && !keys.contains("F1"), "Esc and F1 do nothing here: {keys}");
    // They indeed do nothing: the form stays, showing nothing behind the lock.
    c.press(KeyCode::F(1));
    c.press(KeyCode::Esc);
    assert!(c.app.sign_in.locked && matches!(&c.app.mode, Mode::Form(_)), "{:?}", c.app.mode);
    // Without PINs a handover's sign-in can be cancelled, and says so; F1 is still not offered.
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.ctrl('o');
    c.press(KeyCode::Enter);
    assert!(matches!(&c.app.mode, Mode::Form(_)), "{:?}", c.app.mode);
    let keys = key_rows(&c);
    assert!(keys.contains("Esc 取消") && !keys.contains("F1"), "{keys}");
    c.press(KeyCode::Esc);
    assert!(matches!(c.app.mode, Mode::Normal), "Esc cancels it: {:?}", c.app.mode);
    assert!(c.app.sign_in.handing.is_none(), "and the handover");
}

#[test]
fn a_refusal_names_the_roles_that_may_not_the_officers_as_if_it_were_one() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Char('e'));
    let said = c.app.status.clone().expect("refused");
    assert!(said.1, "an error: {said:?}");
    assert!(!said.0.contains("（带班领导）"), "no bracketed role to read as the officer's: {}", said.0);
    assert!(said.0.ends_with("不能执行此操作：仅带班领导可以"), "says who may: {}", said.0);
}

#[test]
fn a_refusal_to_a_role_names_that_role_and_those_that_may() {
    use yuqing::domain::role::Role;
    use yuqing::ui::action::Action;
    for a in [Action::Approve, Action::Escalate, Action::Extend, Action::AgreeWording, Action::MarkAccountability] {
        assert_eq!(a.refusal_to(Role::Operator, Lang::Zh), "值班员不能执行此操作：仅带班领导可以", "{}", a.name());
        assert_eq!(a.refusal_to(Role::Operator, Lang::En), "not for the operator role: only supervisor may");
    }
    assert_eq!(
        Action::DismissItem.refusal_to(Role::Viewer, Lang::Zh),
        "查看人员不能执行此操作：仅值班员、带班领导、培训员可以"
    );
    assert_eq!(Action::DrillPause.refusal_to(Role::Operator, Lang::Zh), "值班员不能执行此操作：仅带班领导、培训员可以");
}

#[test]
fn the_supervision_screen_names_people_not_their_ids() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.app.sign_in.operators = c.desk.settings().operators.clone();
    let chief = c.desk.settings().operator("chief").unwrap().clone();
    let escalate = Command::Escalate { case: "A-0001".into(), reason: "家长群情绪激动".into() };
    c.elsewhere("chief", vec![escalate]);
    c.press(KeyCode::Char('5'));
    let screen = c.screen(120, 32);
    let name = &chief.name;
    assert!(screen.contains(&format!("{name}（chief）：家长群情绪激动")), "{screen}");
}

/// A console in Chinese where duty (PIN 135790) and chief (PIN 246800) must sign in.
fn signed_out_zh() -> Console {
    let mut settings = yuqing::config::Settings::default();
    for o in settings.operators.iter_mut().filter(|o| o.id == "duty" || o.id == "chief") {
        o.pin = Some(yuqing::config::pin::hash(if o.id == "duty" { "135790" } else { "246800" }).unwrap());
    }
    let mut c = Console::with_settings(Lang::Zh, "duty", true, settings.clone());
    c.app.require_sign_in(settings.operators.clone(), Some(chrono::Duration::minutes(15)));
    c
}

#[test]
fn tester_3_1_a_form_given_back_after_the_lock_comes_back_over_its_case_and_names_it() {
    let mut c = signed_out_zh();
    sign_in(&mut c, "duty", "135790");
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Enter);
    assert_eq!(c.app.screen, Screen::Case("A-0001".into()));
    c.press(KeyCode::Char('n'));
    c.type_text("已联系水厂");
    assert!(c.screen(100, 30).contains("添加备注 · A-0001"), "the form names its case: {}", c.screen(100, 30));
    c.tick(chrono::Duration::minutes(16));
    assert!(c.app.sign_in.locked);
    // Another officer opens another case and hands the terminal back.
    sign_in(&mut c, "chief", "246800");
    c.open_case("A-0003");
    assert_eq!(c.app.screen, Screen::Case("A-0003".into()));
    c.ctrl('o');
    c.press(KeyCode::Enter);
    assert!(c.app.sign_in.locked, "locked for the incoming officer");
    sign_in(&mut c, "duty", "135790");
    assert!(matches!(&c.app.mode, Mode::Form(_)), "the form is given back: {:?}", c.app.mode);
    assert_eq!(c.app.screen, Screen::Case("A-0001".into()), "over the case it acts on");
    let shown = c.screen(100, 30);
    assert!(shown.contains("添加备注 · A-0001"), "{shown}");
    c.press(KeyCode::Enter);
    let noted = |no: &str| {
        c.desk.store().events().unwrap().filter_map(Result::ok).any(|e| {
            matches!(&e.body, yuqing::domain::EventBody::NoteAdded { case, text, .. } if case == no && text == "已联系水厂")
        })
    };
    assert!(noted("A-0001") && !noted("A-0003"), "saved into the case it names");
    let status = c.app.status.as_ref().map(|(t, _)| t.clone()).unwrap_or_default();
    assert!(status.starts_with("已保存") && status.contains("A-0001"), "the status names the case: {status}");
}

#[test]
fn tester_3_1_forms_from_the_supervision_screen_name_their_case_and_the_status_too() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.press(KeyCode::Char('5'));
    let no = match yuqing::ui::supervise::selected(&c.app) {
        Some(r) => r.case.no.clone(),
        None => panic!("a row on the supervision screen"),
    };
    for key in ['e', 'x'] {
        c.press(KeyCode::Char(key));
        let shown = c.screen(120, 40);
        assert!(matches!(&c.app.mode, Mode::Form(_)), "{key}: {:?}", c.app.mode);
        assert!(shown.contains(&format!(" · {no}")), "{key}: the form names {no}: {shown}");
        c.press(KeyCode::Esc);
    }
    // An item form names its item.
    c.press(KeyCode::Char('1'));
    let id = c.app.selected_item().unwrap().id.clone();
    c.press(KeyCode::Char('d'));
    assert!(c.screen(120, 40).contains(&format!("· {id}")), "{}", c.screen(120, 40));
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('5'));
    c.press(KeyCode::Char('e'));
    c.type_text("请一小时内回应");
    c.press(KeyCode::Enter);
    let status = c.app.status.as_ref().map(|(t, _)| t.clone()).unwrap_or_default();
    assert!(status.contains(&no) && status.contains("督办"), "what was saved, on which case: {status}");
}

#[test]
fn tester_3_3_a_reopened_case_is_hinted_again_at_once() {
    use yuqing::domain::case::Outcome;
    use yuqing::domain::item::{Channel, NewItem};
    let mut c = Console::new(Lang::Zh, "chief", true);
    // As the console does after its first frame: the open cases' item texts.
    let store = c.desk.store().clone();
    let texts = yuqing::console::loads::case_texts(&store, &store.open_cases().unwrap()).unwrap();
    c.send(yuqing::ui::update::Msg::CaseTexts(texts));
    let chief = c.desk.settings().operator("chief").unwrap().clone();
    let run = |c: &mut Console, cmd: Command| {
        for a in c.desk.run_blocking(&chief, vec![cmd]) {
            a.expect("command");
        }
        c.deliver();
    };
    let repost = NewItem {
        channel: Channel::Weibo,
        title: "小区停水三天无人回应".into(),
        body: "太常街道某小区停水三天，物业和水厂互相推诿。".into(),
        url: None,
        author: None,
        published_at: None,
        reach: Some(10),
        external_id: Some("w-repost".into()),
    };
    run(&mut c, Command::ReceiveItem { item: repost });
    let id = c.app.model.queue_order[0].clone();
    let hint = |c: &Console| c.app.triage.similar_case(&id).map(|(no, _)| no);
    assert_eq!(hint(&c).as_deref(), Some("A-0001"), "the repost is hinted to its case");
    run(
        &mut c,
        Command::Publish {
            case: "A-0001".into(),
            kind: yuqing::domain::case::ResponseKind::FirstResponse,
            channel: yuqing::domain::case::PublishChannel::Portal,
            text: "已协调水厂恢复供水".into(),
            url: None,
        },
    );
    run(&mut c, Command::Close { case: "A-0001".into(), outcome: Outcome::Solved, note: String::new() });
    assert_ne!(hint(&c).as_deref(), Some("A-0001"), "a closed case is no longer offered");
    run(&mut c, Command::Reopen { case: "A-0001".into(), reason: "群众再次反映".into() });
    assert_eq!(hint(&c).as_deref(), Some("A-0001"), "reopened: hinted again at once");
    c.press(KeyCode::Char('1'));
    c.press(KeyCode::Home);
    assert_eq!(c.app.selected_item().map(|i| i.id.clone()), Some(id.clone()));
    c.press(KeyCode::Char('a'));
    match &c.app.mode {
        Mode::Form(f) => assert_eq!(f.fields[0].value(), "A-0001", "attach starts on it"),
        other => panic!("expected the attach form, got {other:?}"),
    }
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('o'));
    match &c.app.mode {
        Mode::Form(f) => assert!(f.note.as_deref().unwrap_or("").contains("A-0001"), "{:?}", f.note),
        other => panic!("expected the open-case form, got {other:?}"),
    }
}

#[test]
fn tester_3_4_clearing_a_filter_keeps_the_highlight_where_it_was() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.press(KeyCode::Char('/'));
    c.type_text("公交");
    c.press(KeyCode::Enter);
    let id = c.app.selected_item().unwrap().id.clone();
    assert!(c.app.model.items[&id].fields.title.contains("公交"));
    assert_ne!(c.app.model.queue_order[0], id, "not the first row once the filter is gone");
    c.press(KeyCode::Esc);
    assert!(c.app.current_filter().is_empty());
    assert_eq!(c.app.selected_item().map(|i| i.id.clone()), Some(id.clone()), "Esc: still on it");
    // `/` then Esc, in the cases list.
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Char('/'));
    c.type_text("A-0003");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('/'));
    c.press(KeyCode::Esc);
    assert!(c.app.current_filter().is_empty());
    assert_eq!(c.app.selected_case().map(|c| c.no.clone()).as_deref(), Some("A-0003"), "still on A-0003");
    c.press(KeyCode::Char('1'));
    c.press(KeyCode::Char('/'));
    c.type_text("公交");
    c.press(KeyCode::Esc);
    assert_eq!(c.app.selected_item().map(|i| i.id.clone()), Some(id), "typing then Esc: on the match");
}

#[test]
fn tester_3_5_cancelling_mark_similar_and_attach_puts_the_marks_back() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.press(KeyCode::Char('A'));
    assert!(matches!(&c.app.mode, Mode::Form(_)), "{:?}", c.app.mode);
    assert!(!c.app.lists.marked.is_empty(), "marked while the form is open");
    c.press(KeyCode::Esc);
    assert!(c.app.lists.marked.is_empty(), "Esc: nothing marked, as before: {:?}", c.app.lists.marked);
    assert!(!c.screen(100, 30).contains("已选"), "{}", c.screen(100, 30));
    // Marks made before stay as they were.
    c.press(KeyCode::Char(' '));
    let before = c.app.lists.marked.clone();
    assert_eq!(before.len(), 1);
    c.press(KeyCode::Char('A'));
    c.press(KeyCode::Esc);
    assert_eq!(c.app.lists.marked, before);
}

#[test]
fn tester_3_6_a_press_conference_in_the_future_is_refused_before_anything_is_written() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.open_case("A-0003");
    let events = c.desk.store().events().unwrap().count();
    c.press(KeyCode::Char('c'));
    c.type_text("2026-07-02 09:00");
    c.press(KeyCode::Tab);
    c.type_text("县政府新闻办发布厅");
    c.press(KeyCode::Tab);
    c.type_text("县应急管理局局长");
    c.press(KeyCode::Enter);
    let error = match &c.app.mode {
        Mode::Form(f) => f.error.clone().unwrap_or_default(),
        other => panic!("the form stays, saying why: {other:?}"),
    };
    assert!(error.starts_with("时间") && error.contains("不得晚于当前时间"), "{error}");
    assert_eq!(c.desk.store().events().unwrap().count(), events, "nothing written");
    assert!(c.desk.store().case("A-0003").unwrap().unwrap().press_conference_at.is_none());
    // The cursor is on the field named, so what is typed next mends it, not another.
    let focus = match &c.app.mode {
        Mode::Form(f) => f.fields[f.focus].value(),
        other => panic!("{other:?}"),
    };
    assert_eq!(focus, "2026-07-02 09:00", "the cursor went to the time");
}

#[test]
fn a_period_that_does_not_read_is_named_and_the_cursor_goes_to_it() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.press(KeyCode::Char('3'));
    c.press(KeyCode::Char('c'));
    c.type_text("2026-06-29T00:00:00Z");
    c.press(KeyCode::Tab);
    c.type_text("明天");
    c.press(KeyCode::BackTab);
    c.press(KeyCode::Enter);
    let Mode::Form(f) = &c.app.mode else { panic!("the form stays") };
    let error = f.error.clone().unwrap_or_default();
    let second = f.fields[1].label.t(Lang::Zh);
    assert!(error.starts_with(second), "names the field: {error}");
    assert_eq!(f.focus, 1, "the cursor went to it");
}

#[test]
fn the_supervision_screen_offers_the_grant_key_only_to_those_who_may_grant() {
    for (id, offered) in [("chief", true), ("duty", false)] {
        let mut c = Console::new(Lang::Zh, id, true);
        c.press(KeyCode::Char('5'));
        let screen = c.screen(120, 32);
        let heading = screen.lines().find(|l| l.contains("申请延期")).unwrap_or_else(|| panic!("{screen}"));
        assert_eq!(heading.contains("x 延期"), offered, "{id}: {heading}");
    }
}
