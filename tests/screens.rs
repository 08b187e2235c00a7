//! Every screen as text, at 80x24 and 160x48, in Chinese and English, with Chinese
//! data: insta snapshots under `tests/snapshots/`.

mod common;

use common::console::Console;
use ratatui::crossterm::event::KeyCode;
use yuqing::i18n::Lang;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn lang_name(l: Lang) -> &'static str {
    if l == Lang::Zh { "zh" } else { "en" }
}

/// Sets up a screen by keys, then snapshots it at both sizes.
fn snap(name: &str, seeded: bool, keys: &[KeyCode]) {
    for lang in [Lang::Zh, Lang::En] {
        let mut c = Console::new(lang, "chief", seeded);
        for k in keys {
            c.press(*k);
        }
        for (w, h) in SIZES {
            insta::assert_snapshot!(format!("{name}_{}_{w}x{h}", lang_name(lang)), c.screen(w, h));
        }
    }
}

#[test]
fn welcome() {
    snap("welcome", false, &[]);
}

#[test]
fn queue() {
    snap("queue", true, &[KeyCode::Down, KeyCode::Char(' ')]);
}

#[test]
fn item_detail() {
    snap("item", true, &[KeyCode::Enter]);
}

#[test]
fn cases() {
    snap("cases", true, &[KeyCode::Char('2')]);
}

#[test]
fn case_detail() {
    snap("case", true, &[KeyCode::Char('2'), KeyCode::End, KeyCode::Enter]);
}

#[test]
fn departments() {
    snap("departments", true, &[KeyCode::Char('3')]);
}

#[test]
fn help() {
    snap("help", true, &[KeyCode::Char('?')]);
}

#[test]
fn handover_summary() {
    for lang in [Lang::Zh, Lang::En] {
        let mut c = Console::new(lang, "chief", true);
        c.ctrl('o');
        for (w, h) in SIZES {
            insta::assert_snapshot!(format!("handover_{}_{w}x{h}", lang_name(lang)), c.screen(w, h));
        }
    }
}

#[test]
fn open_case_form() {
    snap("open_case_form", true, &[KeyCode::Char('o'), KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
}

#[test]
fn no_wide_character_is_torn_at_any_width() {
    for w in 60..=100 {
        let c = Console::new(Lang::Zh, "chief", true);
        let text = c.screen(w, 24);
        for line in text.lines() {
            assert!(!line.contains('\u{fffd}'), "width {w}: {line}");
        }
    }
}

#[test]
fn supervision() {
    snap("supervision", true, &[KeyCode::Char('5')]);
}

#[test]
fn the_footer_offers_only_what_the_role_may_do() {
    let mut duty = Console::new(Lang::En, "duty", true);
    duty.press(KeyCode::Char('2'));
    let mut chief = Console::new(Lang::En, "chief", true);
    chief.press(KeyCode::Char('2'));
    let last = |s: String| s.lines().last().unwrap_or("").to_string();
    assert!(last(chief.screen(160, 48)).contains("escalate"), "{}", last(chief.screen(160, 48)));
    assert!(!last(duty.screen(160, 48)).contains("escalate"), "{}", last(duty.screen(160, 48)));
}

#[test]
fn a_drills_welcome_shows_the_trainers_keys_and_a_trainees_says_whose_clock_it_is() {
    use std::sync::Arc;
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/flood-landslide.jsonl"));
    for (name, operator, follow) in
        [("drill_welcome_trainer", "trainer", false), ("drill_welcome_trainee", "duty", true)]
    {
        let mut c = Console::new(Lang::Zh, operator, false);
        let scenario = yuqing::drill::check_file(path, &c.desk.settings().directory).unwrap();
        c.app.now = scenario.start;
        let clock = Arc::new(yuqing::domain::clock::DrillClock::new(scenario.start, 60));
        clock.pause(true);
        c.app.drill.control = Some(Arc::new(yuqing::drill::Control::new(clock).with_scenario(scenario)));
        c.app.settings.realm = "drill:flood-landslide".into();
        c.app.drill.follow = follow;
        insta::assert_snapshot!(format!("{name}_zh_80x24"), c.screen(80, 24));
    }
}

#[test]
fn a_dialog_over_wide_characters_at_an_odd_offset() {
    // At 79 columns the question's left edge falls on column 14, under the second half
    // of a title's character that starts on column 13: the border stays whole.
    let mut c = Console::new(Lang::Zh, "chief", true);
    for k in [KeyCode::Char('2'), KeyCode::End, KeyCode::Enter, KeyCode::Char('z'), KeyCode::Enter] {
        c.press(k);
    }
    // Scrolled so the item's text (五强溪镇一处…) runs under the dialog; 16 rows, so the
    // case is taller than the screen and may scroll that far.
    let under = (0..20).find_map(|s| {
        c.app.lists.case_view.as_mut().unwrap().scroll = s;
        let screen = c.screen(79, 16);
        screen.lines().any(|l| l.contains("五强溪镇一") && l.contains('│')).then_some(screen)
    });
    insta::assert_snapshot!(
        "confirm_over_wide_characters_zh_79x16",
        under.expect("a scroll that puts the text under it")
    );
}

/// A console whose case A-0004 has a long Chinese title, a lead it was transferred to,
/// co-departments, long notes (so its timeline's lines wrap at 80 columns), an approved draft, an agreed
/// wording the draft does not quote, and an extension asked for with a long reason.
fn long_timeline() -> Console {
    use yuqing::domain::case::{Category, ResponseKind, Severity};
    use yuqing::domain::command::Command;
    let c = Console::new(Lang::Zh, "chief", true);
    let case = || "A-0004".to_string();
    let duty = vec![
        Command::OpenCase {
            hints: vec![],
            items: vec!["A.4".into()],
            title: "明溪口镇集镇餐馆液化气罐爆炸致多人受伤网传死亡人数".into(),
            severity: Severity::Major,
            category: Category::Misunderstanding,
            lead: "tcjd".into(),
            co: vec!["jtj".into(), "xcb".into()],
        },
        // Led by 五强溪镇人民政府 (原牵头：太常街道办事处 …): at 80 columns the label
        // 协办单位 would end the row.
        Command::Transfer { case: case(), to: "wqxz".into(), reason: "事发地在明溪口镇".into() },
        Command::Note {
            case: case(),
            text: "现场已封控，伤员送县人民医院救治；死亡人数仍在核实，请宣传部统一口径，暂不对外发布未经核实的数字。"
                .into(),
        },
        Command::ReportCounty { case: case(), note: "已电话报告县政府值班室".into() },
        Command::Draft {
            case: case(),
            kind: ResponseKind::AuthoritativeInfo,
            text: "县应急管理局：明溪口镇一餐馆发生液化气罐爆炸，伤员已送医救治。".into(),
        },
        Command::SignOff { case: case(), draft: None, dept: "jtj".into() },
        Command::SignOff { case: case(), draft: None, dept: "xcb".into() },
        Command::RequestExtension {
            case: case(),
            milestone: yuqing::domain::milestone::MilestoneKind::PressConference,
            until: common::console::t0() + chrono::Duration::hours(30),
            reason: "死亡人数仍在核实，新闻发布会需待县政府统一部署后召开，申请延至明日下午".into(),
        },
    ];
    let chief = vec![
        Command::Escalate {
            case: case(),
            reason: "请县应急管理局牵头，会同明溪口镇人民政府一小时内发布权威信息（含伤亡人数）。".into(),
        },
        Command::Approve { case: case(), draft: None },
        Command::AgreeWording {
            cases: vec![case()],
            text: "明溪口镇集镇餐馆液化气罐爆炸事故造成多人受伤，伤员均已送医救治，事故原因正在调查。".into(),
        },
    ];
    let duty_op = c.desk.settings().operator("duty").unwrap().clone();
    for (op, cmds) in [(&duty_op, duty), (&c.app.operator, chief)] {
        for a in c.desk.run_blocking(op, cmds) {
            a.expect("command");
        }
    }
    let mut c = c;
    c.deliver();
    c
}

/// Draws `c` after each of `keys` (and once before) through crossterm into a terminal
/// emulator (vt100), as a real terminal receives the frames, and returns what it shows
/// each time beside what the view drew.
fn emulated(c: &mut Console, w: u16, h: u16, keys: &[KeyCode]) -> Vec<(String, String)> {
    use ratatui::backend::CrosstermBackend;
    use ratatui::{Terminal, TerminalOptions, Viewport};
    #[derive(Clone, Default)]
    struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let viewport = Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h));
    let mut t = Terminal::with_options(CrosstermBackend::new(sink.clone()), TerminalOptions { viewport }).unwrap();
    let mut parser = vt100::Parser::new(h, w, 0);
    let trimmed = |s: &str| s.lines().map(|l| format!("{}\n", l.trim_end())).collect::<String>();
    let mut out = Vec::new();
    for k in std::iter::once(None).chain(keys.iter().map(Some)) {
        if let Some(k) = k {
            c.press(*k);
        }
        t.draw(|f| yuqing::ui::view::view(&c.app, f)).unwrap();
        parser.process(&std::mem::take(&mut *sink.0.borrow_mut()));
        let shown: String = parser.screen().rows(0, w).map(|r| format!("{r}\n")).collect();
        out.push((trimmed(&shown), trimmed(&c.screen(w, h))));
    }
    out
}

#[test]
fn a_long_chinese_timeline_wraps_within_the_screen_at_even_and_odd_widths() {
    for w in [80u16, 79] {
        let mut c = long_timeline();
        c.open_case("A-0004");
        c.press(KeyCode::End);
        insta::assert_snapshot!(format!("case_long_timeline_zh_{w}x24"), c.screen(w, 24));
        c.press(KeyCode::Home);
        insta::assert_snapshot!(format!("case_long_top_zh_{w}x24"), c.screen(w, 24));
        c.press(KeyCode::End);
        // No row of the detail is wider than the screen, at any width.
        let v = c.app.lists.case_view.as_ref().unwrap();
        for width in 40..=160 {
            for row in yuqing::ui::detail::rows(&c.app, v, width) {
                let text: String = row.iter().map(|(s, _)| s.as_str()).collect();
                assert!(unicode_width::UnicodeWidthStr::width(text.as_str()) <= width, "{width}: {text}");
            }
        }
        // A terminal shown the frames one after another, scrolling, shows what was drawn:
        // nothing spills onto the next row or over the footer.
        let keys = [KeyCode::Home, KeyCode::Down, KeyCode::Down, KeyCode::End, KeyCode::Up, KeyCode::End];
        for (shown, drawn) in emulated(&mut c, w, 24, &keys) {
            assert_eq!(shown, drawn, "{w} columns");
        }
    }
}

/// The display column where `needle` starts on `line`.
fn column(line: &str, needle: &str) -> Option<usize> {
    line.find(needle).map(|at| unicode_width::UnicodeWidthStr::width(&line[..at]))
}

#[test]
fn the_cases_headings_stand_over_their_columns_filtered_limited_or_with_closed_cases() {
    for lang in [Lang::Zh, Lang::En] {
        let zh = lang == Lang::Zh;
        let headings = if zh {
            ["级别", "牵头单位", "下一节点", "倒计时"]
        } else {
            ["Severity", "Lead", "Next", "Left"]
        };
        // A-0001's row: its severity, lead, next milestone and (overdue) countdown.
        let cells = if zh {
            ["一般", "太常街道", "首次回应", "超时"]
        } else {
            ["general", "太常街道", "first res", "late"]
        };
        for state in ["plain", "filtered", "department", "closed"] {
            let mut c = Console::new(lang, "chief", true);
            match state {
                "filtered" => {
                    c.press(KeyCode::Char('2'));
                    c.press(KeyCode::Char('/'));
                    c.type_text("A-000");
                    c.press(KeyCode::Enter);
                }
                // The departments screen's first row is 太常街道办事处: Enter lists its cases.
                "department" => {
                    c.press(KeyCode::Char('3'));
                    c.press(KeyCode::Enter);
                }
                "closed" => {
                    c.press(KeyCode::Char('2'));
                    c.press(KeyCode::Char('C'));
                }
                _ => c.press(KeyCode::Char('2')),
            }
            for w in [80, 160] {
                let screen = c.screen(w, 24);
                let lines: Vec<&str> = screen.lines().collect();
                let (head, row) = (lines[2], lines.iter().find(|l| l.starts_with("A-0001")).unwrap());
                for (h, cell) in headings.iter().zip(cells) {
                    assert_eq!(column(head, h), column(row, cell), "{state} {w} {lang:?}: {h}\n{head}\n{row}");
                }
            }
        }
    }
}

/// The last row of a screen: the footer.
fn footer(screen: &str) -> String {
    screen.lines().last().unwrap_or("").trim_end().to_string()
}

#[test]
fn an_extension_asked_for_keeps_its_time_and_its_form_shows_the_reason_from_the_start() {
    let mut c = long_timeline();
    c.press(KeyCode::Char('5'));
    let screen = c.screen(80, 24);
    insta::assert_snapshot!("supervision_extension_zh_80x24", screen);
    let asked = screen.lines().find(|l| l.contains("A-0004") && l.contains('→')).expect("the extension's row");
    assert!(asked.trim_end().ends_with("新闻发布会 → 07-02 15:00"), "{asked}");
    // The extension's row highlighted, x grants it: the form offers the officer's reason,
    // shown from its beginning while the milestone has the cursor.
    while yuqing::ui::supervise::selected(&c.app).is_some_and(|r| r.section != yuqing::ui::supervise::Section::Asked) {
        c.press(KeyCode::Down);
    }
    c.press(KeyCode::Char('x'));
    let screen = c.screen(80, 24);
    insta::assert_snapshot!("extend_form_zh_80x24", screen);
    let reason = screen.lines().find(|l| l.contains("原因:")).unwrap();
    assert!(reason.contains("原因:                    死亡人数仍在核实，"), "{reason}");
}

#[test]
fn a_forms_keys_drop_whole_items_and_keep_help() {
    for lang in [Lang::Zh, Lang::En] {
        let mut c = Console::new(lang, "chief", true);
        c.press(KeyCode::Char('2'));
        c.press(KeyCode::End);
        c.press(KeyCode::Enter);
        c.press(KeyCode::Char('n'));
        for w in [60, 80, 160] {
            let screen = c.screen(w, 24);
            let keys = footer(&screen);
            assert!(keys.ends_with(if lang == Lang::Zh { "F1 帮助" } else { "F1 help" }), "{w}: {keys}");
            assert!(!keys.contains('…'), "{w}: {keys}");
            // In the pop-up too: its last row inside the border.
            let inside = screen.lines().rev().find(|l| l.contains("F1")).unwrap();
            assert!(inside.contains(if lang == Lang::Zh { "F1 帮助" } else { "F1 help" }), "{w}: {inside}");
        }
        insta::assert_snapshot!(format!("note_form_{}_80x24", lang_name(lang)), c.screen(80, 24));
    }
}

#[test]
fn a_refusal_quoting_the_agreed_wording_is_shown_whole() {
    let mut c = long_timeline();
    c.open_case("A-0004");
    // The approved draft does not quote the wording agreed since: publishing it is refused.
    c.press(KeyCode::Char('p'));
    c.press(KeyCode::Enter);
    let screen = c.screen(80, 24);
    insta::assert_snapshot!("publish_refused_zh_80x24", screen);
    let shown: String = screen.lines().map(|l| l.trim_matches(|c| c == ' ' || c == '│')).collect();
    assert!(
        shown.contains("明溪口镇集镇餐馆液化气罐爆炸事故造成多人受伤，伤员均已送医救治，事故原因正在调查。"),
        "{screen}"
    );
    // And the pop-up is tall enough for it: its keys still show inside its border.
    assert!(screen.lines().any(|l| l.contains("│Enter 提交") && l.contains("F1 帮助")), "{screen}");
}

#[test]
fn a_status_too_long_for_one_row_wraps_over_more() {
    for lang in [Lang::Zh, Lang::En] {
        let mut c = Console::new(lang, "chief", true);
        let folder = "/tmp/.tmpQ3xZ9a/yuqing/live/data/handovers";
        let said = yuqing::ui::strings::M::HandoverSaved.t(lang);
        c.app.status = Some((format!("{said} handover-20261207-092558.md → {folder}"), false));
        let screen = c.screen(80, 24);
        insta::assert_snapshot!(format!("status_wrapped_{}_80x24", lang_name(lang)), screen);
        let rows: Vec<&str> = screen.lines().collect();
        let shown: String = rows[rows.len() - 2..].iter().map(|l| l.trim_end()).collect::<Vec<_>>().join(" ");
        assert!(shown.contains("handover-20261207-092558.md") && shown.contains(folder), "{screen}");
        assert!(rows[rows.len() - 2].contains("? "), "help stays on the footer's first row: {screen}");
    }
}

#[test]
fn without_colour_both_urgency_marks_are_set_apart_and_the_figures_line_up() {
    let mut c = Console::new(Lang::Zh, "chief", true);
    c.app.settings.colour = false;
    // Half an hour on: A-0002's first response has 30 minutes of 48 hours left (red),
    // A-0003's authoritative information 2.5 of 5 hours (yellow).
    c.tick(chrono::Duration::minutes(30));
    c.press(KeyCode::Char('2'));
    let screen = c.screen(80, 24);
    insta::assert_snapshot!("cases_no_colour_zh_80x24", screen);
    let red = screen.lines().find(|l| l.starts_with("A-0002")).unwrap();
    let yellow = screen.lines().find(|l| l.starts_with("A-0003")).unwrap();
    assert!(red.contains("!! 00:30:00") && yellow.contains("!  02:30:00"), "{red}\n{yellow}");
    assert_eq!(column(red, "00:30:00"), column(yellow, "02:30:00"), "{red}\n{yellow}");
    assert_eq!(column(red, "!!"), column(screen.lines().nth(2).unwrap(), "倒计时"));
}
