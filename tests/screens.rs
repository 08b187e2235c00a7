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
