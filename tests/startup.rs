//! The console's start-up with a queue larger than its first frame loads: the newest
//! items first, the whole queue in the background, and hints that come out the same
//! as those of a console that watched every item arrive.

use std::collections::HashMap;
use std::sync::Arc;
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::clock::SystemClock;
use yuqing::domain::command::Command;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::store::{Store, StoreError};
use yuqing::ui::model::Model;
use yuqing::ui::triage::Triage;
use yuqing::ui::update::{Msg, update};

const POST: &str = "网传县人民医院一名产妇死亡，家属在医院门口拉横幅讨说法，现场有大量群众围观";

/// Item `i`: every third a repost of one post, the others about a place of their own.
fn item(i: usize) -> NewItem {
    let (title, body) = if i.is_multiple_of(3) {
        (format!("转发{i}"), format!("转发：{POST}"))
    } else {
        (
            format!("第{i}号反映"),
            format!("网友反映第{i}号小区{}问题，请相关部门核实处理", ["停水", "噪音", "欠薪"][i % 3]),
        )
    };
    NewItem {
        channel: Channel::Weibo,
        title,
        body,
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some(format!("x{i}")),
    }
}

fn desk(dir: &std::path::Path) -> Desk {
    Desk::start(Store::open(dir, "live").unwrap(), Arc::new(Settings::default()), Arc::new(SystemClock)).unwrap()
}

/// Waits until the dropped desk's writer thread has let go of the store.
fn released(dir: &std::path::Path) {
    for _ in 0..500 {
        match Store::open(dir, "live") {
            Err(StoreError::Locked(_)) => std::thread::sleep(std::time::Duration::from_millis(10)),
            other => return drop(other.unwrap()),
        }
    }
    panic!("the store was not released");
}

fn launch(dir: &std::path::Path, desk: Desk) -> yuqing::console::Launch {
    yuqing::console::Launch {
        drill: None,
        follow: false,
        sync: None,
        operator: desk.settings().operator("duty").unwrap().clone(),
        desk,
        lang: "zh".into(),
        keymap: "default".into(),
        config_dir: dir.join("config"),
        data_dir: dir.to_path_buf(),
        log: yuqing::logging::LogPlace::File(dir.join("yuqing.log")),
    }
}

type Hints = (HashMap<String, Vec<usize>>, HashMap<String, (String, f64)>);

fn hints(t: &Triage) -> Hints {
    (t.hints.iter().map(|(id, a)| (id.clone(), a.rules.clone())).collect(), t.similar.clone())
}

#[test]
fn hints_after_a_restart_are_those_the_console_showed_as_items_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let d = desk(dir.path());
    let op = d.settings().operator("duty").unwrap().clone();
    // A console watching the items arrive, in batches, as the event loop folds them.
    let mut model = Model::new(vec![], vec![]);
    let mut live = Triage::new(d.settings().rules.clone());
    for batch in (0..1_500).collect::<Vec<_>>().chunks(300) {
        let cmds = batch.iter().map(|&i| Command::ReceiveItem { item: item(i) }).collect();
        for ev in d.run_blocking(&op, cmds).into_iter().flatten().flatten() {
            model.apply(&ev);
        }
        model.refresh();
        live.sync(&mut model);
    }
    assert!(live.similar.len() >= 400, "the reposts were found: {}", live.similar.len());
    drop(d);
    released(dir.path());

    // The restart: the newest items first, then the whole queue, then the backlog.
    let l = launch(dir.path(), desk(dir.path()));
    let mut app = yuqing::console::prepare(&l).unwrap();
    let first = app.model.items.len();
    assert!((1_000..1_500).contains(&first), "the first frame loads only the newest items: {first}");
    let queue = l.desk.store().queue().unwrap();
    update(&mut app, Msg::QueueLoaded(queue));
    assert_eq!(app.model.items.len(), 1_500);
    while app.triage.work(&app.model, 100) {}
    assert_eq!(hints(&app.triage), hints(&live));
}

#[test]
fn an_item_dismissed_while_the_queue_loads_stays_out_and_one_received_stays_in() {
    let dir = tempfile::tempdir().unwrap();
    let d = desk(dir.path());
    let op = d.settings().operator("duty").unwrap().clone();
    let cmds = (0..1_200).map(|i| Command::ReceiveItem { item: item(i) }).collect();
    assert!(d.run_blocking(&op, cmds).iter().all(|a| a.is_ok()));
    drop(d);
    released(dir.path());

    let l = launch(dir.path(), desk(dir.path()));
    let mut app = yuqing::console::prepare(&l).unwrap();
    assert!(!app.model.items.contains_key("A.1"), "the oldest item is not among the newest");
    // The background load read the store before these were applied.
    let stale = l.desk.store().queue().unwrap();
    let mut events = l.desk.subscribe();
    let dismiss = Command::DismissItem { item: "A.1".into(), reason: "与本县无关".into() };
    let receive = Command::ReceiveItem { item: item(5_000) };
    assert!(l.desk.run_blocking(&op, vec![dismiss, receive]).iter().all(|a| a.is_ok()));
    while let Ok(ev) = events.try_recv() {
        update(&mut app, Msg::Applied(ev));
    }
    update(&mut app, Msg::QueueLoaded(stale));
    assert!(!app.model.items.contains_key("A.1"), "dismissed meanwhile");
    assert!(app.model.items.contains_key("A.1201"), "received meanwhile");
    assert_eq!(app.model.items.len(), 1_200);
    assert!(app.busy.loading.is_none(), "the load is over");
}
