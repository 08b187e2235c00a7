//! Issue 17, "a whole shift at the console without surprises": each numbered finding
//! as a key-sequence test through the real keymap, update, desk and store.

mod common;

use chrono::Duration;
use common::console::Console;
use ratatui::crossterm::event::KeyCode;
use yuqing::domain::command::Command;
use yuqing::domain::item::{Channel, ItemStatus, NewItem};
use yuqing::i18n::Lang;
use yuqing::ui::app::{Mode, Screen};

fn form_note(c: &Console) -> String {
    match &c.app.mode {
        Mode::Form(f) => f.note.clone().unwrap_or_default(),
        other => panic!("expected a form, got {other:?}"),
    }
}

fn status(c: &Console) -> String {
    c.app.status.as_ref().map(|(s, _)| s.clone()).unwrap_or_default()
}

/// The character drawn from display column `col` of `line`, if one starts there.
fn char_at(line: &str, col: usize) -> Option<char> {
    let mut at = 0;
    for ch in line.chars() {
        if at == col {
            return Some(ch);
        }
        at += unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if at > col {
            return None;
        }
    }
    None
}

#[test]
fn seen_1_a_bulk_dismissal_says_what_it_acts_on_and_can_be_undone() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('/'));
    c.type_text("广告");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char(' '));
    assert!(c.app.lists.marked.contains("A.7"));
    // The filter goes; the mark stays, counted in the header, ticked on its row.
    c.press(KeyCode::Esc);
    let screen = c.screen(80, 24);
    assert!(screen.lines().next().unwrap().contains("已选 1"), "{screen}");
    assert!(screen.lines().any(|l| l.starts_with("✓ A.7")), "{screen}");
    c.press(KeyCode::Char('/'));
    c.type_text("工资");
    c.press(KeyCode::Enter);
    assert_eq!(c.app.selected_item().map(|i| i.id.as_str()), Some("A.5"));
    c.press(KeyCode::Char('d'));
    let note = form_note(&c);
    assert!(note.contains("排除 1 条，其中 1 条不在当前筛选中"), "{note}");
    assert!(note.contains("光标所在的 A.5 不在其中"), "{note}");
    assert!(note.contains("* A.7 广告：低价出售二手家电"), "{note}");
    assert!(c.screen(80, 24).contains("光标所在的 A.5 不在其中"));
    c.type_text("广告");
    c.press(KeyCode::Enter);
    let item = |c: &Console, id: &str| c.desk.store().item(id).unwrap().unwrap().status;
    assert!(matches!(item(&c, "A.7"), ItemStatus::Dismissed { .. }));
    assert_eq!(item(&c, "A.5"), ItemStatus::New, "the highlighted item is untouched");
    assert!(status(&c).contains("已排除 1 条；按 u 撤销"), "{}", status(&c));
    // Undo: the item is back in the queue, as new.
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('u'));
    assert_eq!(item(&c, "A.7"), ItemStatus::New);
    assert!(c.app.model.items.contains_key("A.7"), "back in the console's queue");
    assert!(status(&c).contains("已放回待研判 1 条"), "{}", status(&c));
    c.press(KeyCode::Char('u'));
    assert!(status(&c).contains("没有可撤销的排除"), "{}", status(&c));
}

#[test]
fn seen_2_approval_shows_the_whole_draft_and_can_return_it() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.open_case("A-0003");
    let text = "经县应急局现场核实，五强溪镇山体滑坡造成县道中断约两百米，无人员伤亡，抢修队伍已进场，预计今晚二十二时恢复单向通行，请过往车辆绕行沅陵大道。";
    c.press(KeyCode::Char('w'));
    c.press(KeyCode::Tab);
    c.type_text(text);
    // The editor wraps the draft: its end is on screen while it is typed.
    assert!(c.screen(80, 24).contains("请过往车辆绕行"), "{}", c.screen(80, 24));
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.mode, Mode::Normal), "{:?}", c.app.mode);
    c.app.operator = c.desk.settings().operator("chief").unwrap().clone();
    c.press(KeyCode::Char('v'));
    let note = form_note(&c);
    assert!(note.contains(text), "the whole draft: {note}");
    assert!(note.contains("权威信息") && note.contains("起草人 duty"), "{note}");
    let screen = c.screen(80, 24);
    assert!(screen.contains("沅陵大道") && screen.contains("通过"), "{screen}");
    // Return it, with what to change.
    c.press(KeyCode::Down);
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.mode, Mode::Form(_)), "a return needs a reason");
    c.press(KeyCode::Tab);
    c.type_text("请补充绕行路线");
    c.press(KeyCode::Enter);
    let case = c.desk.store().case("A-0003").unwrap().unwrap();
    assert_eq!(case.drafts[0].returned.as_ref().map(|a| a.text.as_str()), Some("请补充绕行路线"));
    assert!(case.drafts[0].approved_by.is_none());
    // A second draft, approved, is what the publish form shows and sends.
    c.app.operator = c.desk.settings().operator("duty").unwrap().clone();
    c.press(KeyCode::Char('w'));
    c.press(KeyCode::Tab);
    c.type_text("绕行路线：经沅陵大道、县道二号线。");
    c.press(KeyCode::Enter);
    // The co-departments sign it off first (会签, R12; from the command line).
    let duty = c.desk.settings().operator("duty").unwrap().clone();
    for dept in ["wqxz", "jtj"] {
        let sign = yuqing::domain::Command::SignOff { case: "A-0003".into(), draft: Some(1), dept: dept.into() };
        c.desk.run_blocking(&duty, vec![sign]).remove(0).unwrap();
    }
    c.deliver();
    c.app.operator = c.desk.settings().operator("chief").unwrap().clone();
    c.press(KeyCode::Char('v'));
    assert!(form_note(&c).contains("绕行路线：经沅陵大道"), "the newest waiting draft");
    c.press(KeyCode::Enter);
    assert!(c.desk.store().case("A-0003").unwrap().unwrap().drafts[1].approved_by.is_some());
    c.app.operator = c.desk.settings().operator("duty").unwrap().clone();
    c.press(KeyCode::Char('p'));
    match &c.app.mode {
        Mode::Form(f) => {
            assert_eq!(f.fields[2].value(), "绕行路线：经沅陵大道、县道二号线。");
            assert!(f.note.as_deref().unwrap_or("").contains("将发布已审核的 草稿 #2"), "{:?}", f.note);
        }
        other => panic!("expected the publish form, got {other:?}"),
    }
}

#[test]
fn seen_3_pickers_start_on_a_pick_that_is_shown() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('a'));
    let first = c.app.model.case_order[0].clone();
    match &c.app.mode {
        Mode::Form(f) => assert_eq!(f.fields[0].value(), first, "the highlighted case is the pick"),
        other => panic!("{other:?}"),
    }
    let screen = c.screen(80, 24);
    assert!(screen.lines().any(|l| l.contains(&format!("›» {first}"))), "{screen}");
    c.press(KeyCode::Esc);
    c.app.operator = c.desk.settings().operator("chief").unwrap().clone();
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('x'));
    match &c.app.mode {
        Mode::Form(f) => assert!(!f.fields[0].value().is_empty(), "extend's milestone is picked and shown"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn seen_4_a_dialog_border_is_whole_over_wide_characters_at_any_offset() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('z'));
    c.press(KeyCode::Enter);
    assert!(matches!(c.app.mode, Mode::Confirm { .. }));
    for w in 60..=100u16 {
        for scroll in 0..12 {
            c.app.lists.case_view.as_mut().unwrap().scroll = scroll;
            let screen = c.screen(w, 24);
            let x = ((w - 50) / 2) as usize;
            for (y, line) in screen.lines().enumerate().skip(9).take(5) {
                let edge = char_at(line, x);
                assert!(matches!(edge, Some('│' | '┌' | '└')), "width {w}, scroll {scroll}, row {y}: {line}");
            }
        }
    }
}

#[test]
fn seen_8_tab_reaches_every_screen_and_the_footer_fits() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let mut seen = vec![];
    for _ in 0..4 {
        c.press(KeyCode::Tab);
        seen.push(c.app.screen.clone());
    }
    assert_eq!(seen, vec![Screen::Cases, Screen::Departments, Screen::Supervision, Screen::Queue]);
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Enter);
    c.press(KeyCode::Tab);
    assert_eq!(c.app.screen, Screen::Supervision, "after the last case, tab 4");
    c.press(KeyCode::Char('1'));
    for w in [80, 120] {
        let screen = c.screen(w, 24);
        let footer = screen.lines().last().unwrap();
        assert!(footer.contains("? 帮助") && footer.contains("q 退出"), "{w}: {footer}");
    }
    // The signed-in officer stays in the header with sync peers shown.
    c.app.sync.peers = (1..=3)
        .map(|i| yuqing::sync::PeerStatus {
            name: format!("10.0.0.{i}:7878"),
            console: Some(format!("County{i}")),
            connected: i != 2,
            since: c.app.now,
            error: None,
            skew_ms: 0,
            measured: 0,
            behind: 12,
        })
        .collect();
    let screen = c.screen(80, 24);
    assert!(screen.lines().nth(1).unwrap().contains("duty"), "{screen}");
    // A form's keys come from the keymap, and the footer shows them.
    std::fs::write(c.dir.path().join("keymap.toml"), "[form]\nF2 = \"submit\"\n").unwrap();
    c.app.settings.keymap = yuqing::ui::keymap::Keymap::load("default", c.dir.path()).unwrap();
    c.press(KeyCode::Char('d'));
    let footer = c.screen(80, 24).lines().last().unwrap().to_string();
    assert!(footer.contains("F2 提交") && footer.contains("Esc 取消"), "{footer}");
    c.type_text("广告");
    c.press(KeyCode::F(2));
    assert!(matches!(c.app.mode, Mode::Normal), "F2 submits: {:?}", c.app.mode);
}

#[test]
fn seen_9_an_escalation_rings_marks_its_case_and_its_reason_shows_whole() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let chief = c.desk.settings().operator("chief").unwrap().clone();
    let reason = "请县卫健局于今日十八时前核实学生腹泻人数并向县政府书面报告，同时通报教育局";
    for a in c.desk.run_blocking(&chief, vec![Command::Escalate { case: "A-0001".into(), reason: reason.into() }]) {
        a.unwrap();
    }
    let bells = c.bells;
    c.deliver();
    assert_eq!(c.bells, bells + 1, "an escalation rings");
    assert!(status(&c).contains("督办 A-0001"), "{}", status(&c));
    c.press(KeyCode::Char('2'));
    let screen = c.screen(80, 24);
    assert!(screen.contains("A-0001督"), "{screen}");
    c.press(KeyCode::Char('5'));
    let screen = c.screen(80, 24);
    assert!(screen.contains("同时通报教育局"), "the reason in full: {screen}");
}

#[test]
fn seen_10_the_queue_shows_number_publication_and_keeps_its_order() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let duty = c.desk.settings().operator("duty").unwrap().clone();
    for x in ["8", "9", "10"] {
        let item = NewItem {
            channel: Channel::Weibo,
            title: format!("同一秒收到的第{x}条"),
            body: String::new(),
            url: None,
            author: None,
            published_at: Some(c.app.now - Duration::days(8)),
            reach: None,
            external_id: Some(format!("same-{x}")),
        };
        for a in c.desk.run_blocking(&duty, vec![Command::ReceiveItem { item }]) {
            a.unwrap();
        }
    }
    c.deliver();
    let order: Vec<&str> = c.app.model.queue_order.iter().map(String::as_str).collect();
    assert_eq!(&order[..3], ["A.10", "A.9", "A.8"], "newest number first among equals");
    let screen = c.screen(80, 24);
    assert!(screen.lines().nth(2).unwrap().contains("编号"), "{screen}");
    let row = screen.lines().find(|l| l.contains("A.10")).unwrap();
    assert!(row.contains("06-23 09:00 8d"), "published 8 days ago shows so: {row}");
}

#[test]
fn seen_12_without_colour_the_wait_flag_stands_apart() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.app.settings.colour = false;
    c.tick(Duration::hours(3));
    let screen = c.screen(80, 24);
    let row = screen.lines().find(|l| l.contains("A.7")).unwrap();
    assert!(row.contains("! 3h20"), "{row}");
}

#[test]
fn seen_7_the_words_of_a_government_office() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.press(KeyCode::Char('?'));
    let mut help = String::new();
    for _ in 0..12 {
        help.push_str(&c.screen(100, 48));
        for _ in 0..40 {
            c.press(KeyCode::Down);
        }
    }
    for word in ["立案", "换人值守", "重新定级", "指定部门"] {
        assert!(!help.contains(word), "`{word}` in the help");
    }
    for word in ["登记舆情事项", "交接班", "重新研判", "交办", "问责建议"] {
        assert!(help.contains(word), "`{word}` not in the help");
    }
    c.press(KeyCode::Esc);
    assert!(c.screen(80, 24).contains("待研判"));
}

/// Words of a Chinese screen that are internal identifiers: snake_case codes, or a
/// department's code where its name belongs.
fn identifiers(text: &str, codes: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines().filter(|l| !l.contains("http")) {
        for word in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            let snake = word.contains('_') && word.chars().any(|c| c.is_ascii_lowercase());
            if snake || codes.iter().any(|c| c == word) {
                found.push(format!("`{word}` in: {line}"));
            }
        }
    }
    found
}

#[test]
fn seen_6_chinese_screens_refusals_and_reports_hold_no_internal_identifiers() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    let codes: Vec<String> = c.app.settings.directory.departments.iter().map(|d| d.code.clone()).collect();
    let chief = c.desk.settings().operator("chief").unwrap().clone();
    let run = |c: &Console, cmd: Command| {
        for a in c.desk.run_blocking(&chief, vec![cmd]) {
            a.unwrap();
        }
    };
    run(&c, Command::Transfer { case: "A-0002".into(), to: "sxkjd".into(), reason: "属地处置".into() });
    run(
        &c,
        Command::Refer {
            case: "A-0003".into(),
            to: yuqing::domain::case::Referral::CyberPolice,
            reference: "沅网信〔2026〕12号".into(),
        },
    );
    run(
        &c,
        Command::Extend {
            case: "A-0003".into(),
            milestone: yuqing::domain::milestone::MilestoneKind::PressConference,
            until: c.app.now + Duration::hours(30),
            reason: "等待检测结果".into(),
        },
    );
    c.deliver();
    let mut seen = String::new();
    for keys in [&["1"][..], &["1", "Enter"], &["2"], &["5"], &["3"]] {
        c.press(KeyCode::Esc);
        for k in keys {
            c.press(if *k == "Enter" { KeyCode::Enter } else { KeyCode::Char(k.chars().next().unwrap()) });
        }
        seen.push_str(&c.screen(160, 48));
    }
    for no in ["A-0001", "A-0002", "A-0003"] {
        c.press(KeyCode::Char('2'));
        c.press(KeyCode::Char('/'));
        c.type_text(no);
        c.press(KeyCode::Enter);
        c.press(KeyCode::Enter);
        seen.push_str(&c.screen(160, 48));
        c.press(KeyCode::Esc);
        c.press(KeyCode::Esc);
    }
    // A refusal of the rules, in the form that asked.
    c.app.operator = c.desk.settings().operator("duty").unwrap().clone();
    c.open_case("A-0003");
    c.press(KeyCode::Char('p'));
    c.press(KeyCode::Tab);
    c.press(KeyCode::Tab);
    c.type_text("已恢复通行");
    c.press(KeyCode::Enter);
    let error = match &c.app.mode {
        Mode::Form(f) => f.error.clone().unwrap_or_default(),
        other => panic!("{other:?}"),
    };
    assert!(error.contains("没有已审核的权威信息草稿"), "{error}");
    seen.push_str(&error);
    seen.push('\n');
    let files = yuqing::console::loads::export_report(
        &c.desk,
        yuqing::ui::app::PeriodKind::All,
        common::console::beijing(),
        Lang::Zh,
    )
    .unwrap();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "md")) {
        let report = std::fs::read_to_string(f).unwrap();
        assert!(report.contains("网警部门 沅网信〔2026〕12号"), "{report}");
        seen.push_str(&report);
    }
    let found = identifiers(&seen, &codes);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn seen_9_closed_cases_are_found_and_browsed() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let chief = c.desk.settings().operator("chief").unwrap().clone();
    use yuqing::domain::case::{Outcome, PublishChannel, ResponseKind};
    let cmds = vec![
        Command::Publish {
            case: "A-0002".into(),
            kind: ResponseKind::AuthoritativeInfo,
            channel: PublishChannel::Weibo,
            text: "经核实，县城没有限电计划".into(),
            url: None,
        },
        Command::Close { case: "A-0002".into(), outcome: Outcome::Clarified, note: String::new() },
    ];
    for a in c.desk.run_blocking(&chief, cmds) {
        a.unwrap();
    }
    c.deliver();
    c.press(KeyCode::Char('2'));
    assert!(!c.screen(80, 24).contains("A-0002"), "the list holds the open cases");
    c.press(KeyCode::Char('/'));
    c.type_text("A-0002");
    c.press(KeyCode::Enter);
    assert!(c.screen(80, 24).lines().any(|l| l.starts_with("A-0002") && l.contains("已结案")), "{}", c.screen(80, 24));
    c.press(KeyCode::Enter);
    assert_eq!(c.app.screen, Screen::Case("A-0002".into()));
    assert!(c.app.lists.case_view.as_ref().is_some_and(|v| !v.case.is_open()));
    c.press(KeyCode::Esc);
    c.press(KeyCode::Esc);
    c.press(KeyCode::Char('C'));
    assert!(c.screen(80, 24).contains("A-0002"), "C lists the closed cases after the open ones");
}

#[test]
fn seen_11_a_case_is_titled_after_the_highlighted_mark_and_a_press_conference_keeps_its_facts() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    // Mark A.7 and A.5, then go back to A.7's row: A.5 comes first as text, A.7 is meant.
    c.press(KeyCode::Char(' '));
    c.press(KeyCode::Down);
    c.press(KeyCode::Char(' '));
    for _ in 0..3 {
        c.press(KeyCode::Up);
    }
    assert_eq!(c.app.selected_item().map(|i| i.id.as_str()), Some("A.7"));
    c.press(KeyCode::Char('o'));
    match &c.app.mode {
        Mode::Form(f) => assert_eq!(f.fields[0].value(), "广告：低价出售二手家电", "the highlighted item's title"),
        other => panic!("{other:?}"),
    }
    c.press(KeyCode::Esc);
    c.open_case("A-0003");
    c.press(KeyCode::Char('c'));
    c.type_text("07-01 08:30");
    c.press(KeyCode::Tab);
    c.type_text("县政府新闻办发布厅");
    c.press(KeyCode::Tab);
    c.type_text("县应急管理局局长");
    c.press(KeyCode::Enter);
    assert!(status(&c).contains("已保存"), "{}", status(&c));
    let timeline = c.screen(160, 48);
    assert!(timeline.contains("时间：07-01 08:30；地点：县政府新闻办发布厅；发布人：县应急管理局局长"), "{timeline}");
}

#[test]
fn seen_11_a_transferred_case_still_shows_who_led_it_before_and_when_it_changed() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.tick(Duration::minutes(5));
    let transfer =
        Command::Transfer { case: "A-0001".into(), to: "zjj".into(), reason: "属供水管网问题".into() };
    c.elsewhere("chief", vec![transfer]);
    c.open_case("A-0001");
    let screen = c.screen(100, 30);
    let old = c.app.dept("tcjd").to_string();
    let line = screen.lines().find(|l| l.contains("牵头")).unwrap_or_default().to_string();
    assert!(line.contains(c.app.dept("zjj")), "the new lead: {screen}");
    assert!(line.contains(&old) && line.contains("07-01 09:05"), "who led before, and when it changed: {screen}");
}

#[test]
fn seen_13_publishing_on_a_major_case_starts_on_what_it_owes_and_the_agreed_wording() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    // A major case whose authoritative information was met by a press conference: it
    // owes updates (持续发布), not a first response.
    let cmds = vec![
        Command::OpenCase {
            hints: vec![],
            items: vec!["A.6".into()],
            title: "官庄镇公交停运".into(),
            severity: yuqing::domain::case::Severity::Major,
            category: yuqing::domain::case::Category::Other,
            lead: "jtj".into(),
            co: vec![],
        },
        Command::ReportCounty { case: "A-0004".into(), note: "已电话报告".into() },
        Command::PressConference { case: "A-0004".into(), note: "县交通运输局通报".into() },
        Command::AgreeWording {
            cases: vec!["A-0004".into()], text: "官庄镇公交已于今日恢复运行。".into()
        },
    ];
    c.elsewhere("chief", cmds);
    c.open_case("A-0004");
    c.press(KeyCode::Char('p'));
    let (kind, text) = match &c.app.mode {
        Mode::Form(f) => (f.fields[0].value(), f.fields[2].value()),
        other => panic!("{other:?}"),
    };
    assert_eq!(kind, "update", "the kind its first outstanding milestone needs");
    assert_eq!(text, "官庄镇公交已于今日恢复运行。", "the agreed wording, filled in");
    assert!(form_note(&c).contains("统一口径"), "{}", form_note(&c));
}

#[test]
fn seen_13_the_handover_lists_waiting_items_by_number() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let duty = c.desk.settings().operator("duty").unwrap().clone();
    // Seven items received at one moment: A.8 … A.14.
    let cmds = (0..7)
        .map(|i| Command::ReceiveItem {
            item: NewItem {
                channel: Channel::Weibo,
                title: format!("同一批到达的信息 {i}"),
                body: String::new(),
                url: None,
                author: None,
                published_at: None,
                reach: None,
                external_id: Some(format!("batch-{i}")),
            },
        })
        .collect();
    for a in c.desk.run_blocking(&duty, cmds) {
        a.unwrap();
    }
    c.deliver();
    c.ctrl('o');
    let summary = match &c.app.mode {
        Mode::Handover { summary, .. } => summary.clone(),
        other => panic!("{other:?}"),
    };
    let at = |id: &str| summary.find(&format!("- {id} ")).unwrap_or_else(|| panic!("{id} in {summary}"));
    assert!(at("A.8") < at("A.9") && at("A.9") < at("A.10") && at("A.10") < at("A.14"), "{summary}");
}

#[test]
fn seen_13_space_marks_and_moves_down_and_the_help_says_so() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    let first = c.app.selected_item().unwrap().id.clone();
    c.press(KeyCode::Char(' '));
    assert!(c.app.lists.marked.contains(&first));
    assert_ne!(c.app.selected_item().map(|i| i.id.clone()), Some(first), "the cursor moved down");
    c.press(KeyCode::Char('?'));
    let help = c.screen(120, 60);
    let line = help.lines().find(|l| l.contains("Space") && l.contains("批量")).unwrap_or_default();
    assert!(line.contains("下移"), "{help}");
    let manual = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/operators.md")).unwrap();
    assert!(manual.contains("`Space` marks the highlighted item and moves down"), "the manual says so too");
}

#[test]
fn seen_13_a_press_conference_time_says_its_format_and_is_refused_when_unreadable() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.open_case("A-0003");
    c.press(KeyCode::Char('c'));
    assert!(c.screen(100, 30).contains("时间 (YYYY-MM-DD HH:MM 或 HH:MM)"), "{}", c.screen(100, 30));
    c.type_text("今天上午9点");
    c.press(KeyCode::Tab);
    c.type_text("县政府新闻办发布厅");
    c.press(KeyCode::Tab);
    c.type_text("县应急管理局局长");
    c.press(KeyCode::Enter);
    let error = match &c.app.mode {
        Mode::Form(f) => f.error.clone().unwrap_or_default(),
        other => panic!("the form stays, saying why: {other:?}"),
    };
    assert!(error.starts_with("时间:") && error.contains("YYYY-MM-DD HH:MM") && error.contains("HH:MM"), "{error}");
    assert!(c.desk.store().case("A-0003").unwrap().unwrap().press_conference_at.is_none(), "nothing written");
    // The cursor is on the time already. Today's 08:30 (before now, 09:00) is read; the
    // time goes on record as stated.
    for _ in 0.."今天上午9点".chars().count() {
        c.press(KeyCode::Backspace);
    }
    c.type_text("08:30");
    c.press(KeyCode::Enter);
    assert!(status(&c).contains("已保存"), "{}", status(&c));
    assert!(c.desk.store().case("A-0003").unwrap().unwrap().press_conference_at.is_some());
    assert!(c.screen(160, 48).contains("时间：08:30；地点：县政府新闻办发布厅"), "{}", c.screen(160, 48));
}

#[test]
fn seen_tester_2_publish_says_which_approved_drafts_went_out_already() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    let text = "县交通运输局：官庄镇公交已于今日恢复运行。";
    let cmds = vec![
        Command::OpenCase {
            hints: vec![],
            items: vec!["A.6".into()],
            title: "官庄镇公交停运".into(),
            severity: yuqing::domain::case::Severity::General,
            category: yuqing::domain::case::Category::Other,
            lead: "jtj".into(),
            co: vec![],
        },
        Command::Draft {
            case: "A-0004".into(),
            kind: yuqing::domain::case::ResponseKind::FirstResponse,
            text: text.into(),
        },
        Command::Approve { case: "A-0004".into(), draft: None },
        Command::Publish {
            case: "A-0004".into(),
            kind: yuqing::domain::case::ResponseKind::FirstResponse,
            channel: yuqing::domain::case::PublishChannel::Portal,
            text: text.into(),
            url: None,
        },
    ];
    c.elsewhere("chief", cmds);
    c.open_case("A-0004");
    c.press(KeyCode::Char('p'));
    let note = form_note(&c);
    assert!(note.contains("没有已审核的草稿") && note.contains("已审核的草稿 #1 已发布"), "{note}");
}

fn handover_summary(c: &Console) -> String {
    match &c.app.mode {
        Mode::Handover { summary, .. } => summary.clone(),
        other => panic!("expected the handover summary, got {other:?}"),
    }
}

#[test]
fn seen_tester_4_the_handover_leaves_no_empty_trailing_field() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    // A case with every milestone met has no next deadline to show.
    c.app.model.cases.get_mut("A-0003").expect("seeded").milestones.clear();
    c.ctrl('o');
    let summary = handover_summary(&c);
    assert!(summary.contains("- A-0003 "), "{summary}");
    for line in summary.lines() {
        let line = line.trim_end();
        assert!(!line.ends_with('—') && !line.contains("— —"), "an empty field: `{line}` in\n{summary}");
    }
}

#[test]
fn seen_tester_4_each_action_in_the_handover_names_its_case_or_item() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    // A dismissal in the queue, a note on a case.
    c.press(KeyCode::Char('d'));
    c.type_text("广告");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Enter);
    let case = match &c.app.screen {
        Screen::Case(no) => no.clone(),
        other => panic!("{other:?}"),
    };
    c.press(KeyCode::Char('n'));
    c.type_text("已电话联系");
    c.press(KeyCode::Enter);
    c.ctrl('o');
    let summary = handover_summary(&c);
    let own: Vec<&str> = summary
        .split("\n## ")
        .nth(1)
        .expect("the officer's own actions")
        .lines()
        .filter(|l| l.starts_with("- "))
        .collect();
    assert_eq!(own.len(), 2, "{summary}");
    for line in &own {
        let number = line.split(' ').nth(2).unwrap_or_default();
        assert!(number.starts_with("A-0") || number.starts_with("A."), "`{line}` names no case or item");
    }
    assert!(own[1].contains(&format!(" {case} 备注")), "{own:?}");
}

#[test]
fn seen_tester_4_a_shift_line_names_the_case_or_item_acted_on() {
    let mut c = Console::new(Lang::Zh, "duty", true);
    c.press(KeyCode::Char('d'));
    c.type_text("广告");
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('2'));
    c.press(KeyCode::Enter);
    c.press(KeyCode::Char('n'));
    c.type_text("已电话联系");
    c.press(KeyCode::Enter);
    let case = match &c.app.screen {
        Screen::Case(no) => no.clone(),
        other => panic!("{other:?}"),
    };
    let mine: Vec<_> = c
        .desk
        .store()
        .events()
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.operator == "duty" && e.at() >= common::console::t0())
        .collect();
    let lines: Vec<String> = mine.iter().map(|e| yuqing::ui::handover::shift_line(&c.app, e)).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("09:00 A.") && lines[0].contains(" 排除 A."), "{lines:?}");
    assert_eq!(lines[1], format!("09:00 {case} 备注: 已电话联系"));
}

#[test]
fn seen_tester_3_the_handover_wraps_its_long_lines_and_keeps_their_ends() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    let open = Command::OpenCase {
        hints: vec![],
        items: vec!["A.6".into()],
        title: "官庄镇集镇至界亭驿村公路山体滑坡致道路中断，两辆车被困，村民出行受阻".into(),
        severity: yuqing::domain::case::Severity::Major,
        category: yuqing::domain::case::Category::Other,
        lead: "zrzyj".into(),
        co: vec![],
    };
    c.elsewhere("chief", vec![open]);
    c.ctrl('o');
    let Mode::Handover { summary, .. } = &c.app.mode else { panic!("{:?}", c.app.mode) };
    let line = summary.lines().find(|l| l.contains("A-0004")).expect("the new case in the summary").to_string();
    let tail: String = line.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
    let screen = c.screen(80, 24);
    assert!(screen.contains(tail.trim()), "the end of `{line}` is shown:\n{screen}");
}
