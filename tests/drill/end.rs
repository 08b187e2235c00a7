//! Issue #18, 4, 5 and 9: the end of a drill shows on every console (clock stopped, the
//! final score on trainees' screens too), the trainer's keys say what they did, the
//! score pop-up scrolls and fits 80x24, headless output prints every happening.

use super::common::Sandbox;
use super::common::console::Console;
use ratatui::crossterm::event::KeyCode;
use std::sync::Arc;
use yuqing::domain::clock::{Clock, DrillClock};
use yuqing::domain::event::EventBody;
use yuqing::i18n::Lang;
use yuqing::ui::app::Mode;

fn flood(c: &Console) -> yuqing::drill::Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/flood-landslide.jsonl");
    yuqing::drill::check_file(std::path::Path::new(path), &c.desk.settings().directory).unwrap()
}

/// A console of `operator` in the flood drill, its clock paused at the start.
fn in_drill(operator: &str, follow: bool) -> (Console, Arc<yuqing::drill::Control>) {
    let mut c = Console::new(Lang::Zh, operator, false);
    let scenario = flood(&c);
    let clock = Arc::new(DrillClock::new(c.app.now, 1));
    clock.pause(true);
    let ctl = Arc::new(yuqing::drill::Control::new(clock).with_scenario(scenario));
    c.app.drill.control = Some(ctl.clone());
    c.app.drill.follow = follow;
    c.app.settings.realm = "drill:flood-landslide".into();
    (c, ctl)
}

fn status(c: &Console) -> String {
    c.app.status.as_ref().map(|(t, _)| t.clone()).unwrap_or_default()
}

#[test]
fn the_end_reaches_a_trainee_with_the_clock_stopped_and_the_final_score() {
    let (trainer, ctl) = in_drill("trainer", false);
    let mut runner = yuqing::drill::Runner::new(flood(&trainer), trainer.desk.clone(), trainer.app.operator.clone());
    while let Some(due) = runner.next_due() {
        ctl.clock.jump_to(due);
        runner.step(ctl.clock.as_ref());
    }
    runner.end(ctl.clock.as_ref()).unwrap();
    let end = trainer.desk.store().events().unwrap().map(Result::unwrap).last().unwrap();
    assert!(matches!(end.body, EventBody::DrillPaced { pace } if pace.ended && pace.paused), "{end:?}");

    let (mut trainee, own) = in_drill("duty", true);
    own.clock.pause(false);
    let bells = trainee.bells;
    trainee.send(yuqing::ui::update::Msg::Applied(Arc::new(end)));
    assert!(own.clock.ended() && own.clock.paused(), "the trainee's clock stopped for good");
    assert_eq!(own.clock.now(), ctl.clock.now(), "at the trainer's last drill time");
    assert!(matches!(&trainee.app.mode, Mode::Text(r) if r.body.contains("Drill score")), "the final score is shown");
    assert_eq!(trainee.bells, bells + 1);
    trainee.press(KeyCode::Esc);
    let screen = trainee.screen(80, 24);
    assert!(screen.contains("已结束") && screen.contains("演练结束"), "{screen}");
    trainee.press(KeyCode::F(9));
    assert!(matches!(&trainee.app.mode, Mode::Text(_)), "F9 works on a trainee's console: {}", status(&trainee));
}

#[test]
fn the_trainers_keys_say_what_they_did_and_nothing_moves_after_the_end() {
    let (mut c, ctl) = in_drill("trainer", false);
    c.press(KeyCode::F(5));
    assert!(status(&c).contains("演练继续") && !ctl.clock.paused(), "{}", status(&c));
    c.press(KeyCode::F(5));
    assert!(status(&c).contains("演练已暂停于"), "{}", status(&c));
    c.press(KeyCode::F(6));
    assert_eq!(status(&c), "演练速度 5×");
    c.press(KeyCode::F(7));
    assert_eq!(status(&c), "没有剩余信息", "no entry is due any more");
    ctl.set_next(Some(ctl.clock.now() + chrono::Duration::hours(1)));
    c.press(KeyCode::F(7));
    assert!(status(&c).starts_with("已跳到剧本下一条，演练时间"), "{}", status(&c));
    ctl.clock.end();
    let at = ctl.clock.now();
    for k in [5, 6, 7] {
        c.press(KeyCode::F(k));
        assert!(status(&c).starts_with("演练已结束"), "F{k}: {}", status(&c));
    }
    assert_eq!(ctl.clock.now(), at);
    assert_eq!(ctl.clock.speed(), 5);
}

#[test]
fn the_score_scrolls_with_down_and_fits_80x24() {
    let (mut c, _) = in_drill("trainer", false);
    c.press(KeyCode::F(9));
    let first = c.screen(80, 24);
    assert!(first.contains("Esc 关闭") && first.contains("演练评分"), "{first}");
    // A score longer than the pop-up, as a drill with many expectations gives.
    let long =
        (1..=60).map(|i| format!("- [x] 预期 expectation {i}\n")).collect::<String>() + "## 总分 Total: 60 / 60\n";
    c.app.viewport.page_rows = 19;
    c.send(yuqing::ui::update::Msg::Show(format!("# 演练评分 Drill score\n{long}")));
    c.press(KeyCode::Down);
    assert!(matches!(&c.app.mode, Mode::Text(r) if r.scroll == 1), "Down scrolls, it does not close");
    assert!(!c.screen(80, 24).contains("演练评分"), "the first line scrolled away");
    c.press(KeyCode::End);
    let last = c.screen(80, 24);
    assert!(last.contains("总分 Total") && last.contains("expectation 42 ") && last.contains("43-62/62"), "{last}");
    c.press(KeyCode::Esc);
    assert!(matches!(c.app.mode, Mode::Normal));
}

#[test]
fn the_header_shows_the_scenarios_name() {
    let (c, _) = in_drill("trainer", false);
    // Whole where there is room; at 80 columns shortened, so every counter keeps its figure.
    assert!(c.screen(120, 24).contains("DRILL 五强溪镇暴雨引发洪水和山体滑坡 "), "{}", c.screen(120, 24));
    let narrow = c.screen(80, 24);
    assert!(
        narrow.contains("DRILL 五强溪镇暴雨引…") && narrow.lines().next().unwrap().ends_with("2小时内到期 0"),
        "{narrow}"
    );
}

#[test]
fn headless_output_prints_arrivals_surges_the_name_and_the_end() {
    let sb = Sandbox::new();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/flood-landslide.jsonl");
    // As fast as the clock goes: every entry still arrives at its own time, and the
    // drill ends at its last entry (not where the clock ran on to).
    let out = sb.ok(&["drill", "run", path, "--headless", "--speed", "1000000000"]);
    let stamps: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix('[')?.split(']').next()).collect();
    assert_eq!(stamps.first(), Some(&"2026-06-20 05:03"), "{out}");
    assert_eq!(stamps.last(), Some(&"2026-06-21 05:00"), "the end, at the last entry (+24:00): {out}");
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{out}");
    assert!(out.contains("演练 drill: 五强溪镇暴雨引发洪水和山体滑坡"), "{out}");
    assert!(out.contains("] 收到 item: A.1 (12345-flood-1) [hotline] 五强溪镇多处被淹"), "{out}");
    assert!(out.contains("] 转发激增 surge: A.2 (wb-flood-2) reach ") && out.contains(" → 60000 五强溪镇"), "{out}");
    assert!(out.contains("演练结束"), "{out}");
}

#[test]
fn a_trainee_without_its_trainer_sees_why_the_drill_waits() {
    let (mut c, _) = in_drill("duty", true);
    let reason = "refused by the peer: realm mismatch: this console is `drill:flood`, the peer is `drill:bus`";
    c.app.sync.peers = vec![yuqing::sync::PeerStatus {
        name: "127.0.0.1:7421".into(),
        console: None,
        connected: false,
        since: chrono::Utc::now(),
        error: Some(reason.into()),
        skew_ms: 0,
        measured: 0,
        behind: 0,
    }];
    // Older news in the status line does not hide it.
    c.app.set_status("已登记舆情事项 A-0001", false);
    let footer = c.screen(80, 24).lines().last().unwrap().to_string();
    assert!(
        footer.contains("培训员未连接，演练暂停") && footer.contains("剧本不同：本机 bus，培训员 flood"),
        "{footer}"
    );
    c.app.sync.peers[0].connected = true;
    assert!(!c.screen(80, 24).contains("培训员未连接"), "the trainer is back");
}

#[test]
fn at_the_highest_speed_every_item_is_received_at_its_own_time() {
    let sb = Sandbox::new();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/flood-landslide.jsonl");
    let dir = sb.path("d");
    sb.ok(&["drill", "run", path, "--headless", "--speed", "4294967295", "--drill-data", dir.to_str().unwrap()]);
    let scenario =
        yuqing::drill::check_file(std::path::Path::new(path), &yuqing::config::Settings::default().directory).unwrap();
    let store = yuqing::store::Store::open(&dir, "drill:flood-landslide").unwrap();
    let items = store.items().unwrap();
    for e in &scenario.entries {
        if let yuqing::drill::Happening::Item(it) = &e.what {
            let got = items.iter().find(|i| i.fields.external_id == it.external_id).expect("delivered");
            assert_eq!(got.received_at, scenario.start + e.offset, "{:?}", it.external_id);
        }
    }
}

#[test]
fn when_the_trainer_goes_away_the_footer_says_so_over_an_older_refusal() {
    let (mut c, _) = in_drill("duty", true);
    let peer = |connected: bool| yuqing::sync::PeerStatus {
        name: "127.0.0.1:7421".into(),
        console: Some("T1".into()),
        connected,
        since: chrono::Utc::now(),
        error: (!connected).then(|| "cannot connect to 127.0.0.1:7421: Connection refused (os error 111)".into()),
        skew_ms: 0,
        measured: 1,
        behind: 0,
    };
    c.send(yuqing::ui::update::Msg::Network { peers: vec![peer(true)], forks: 0 });
    c.press(KeyCode::F(6));
    assert!(c.screen(80, 24).contains("演练时钟由培训员控制"));
    c.send(yuqing::ui::update::Msg::Network { peers: vec![peer(false)], forks: 0 });
    let footer = c.screen(80, 24).lines().last().unwrap().to_string();
    assert!(footer.contains("培训员未连接，演练暂停：连不上培训员：对方控制台未运行"), "{footer}");
}
