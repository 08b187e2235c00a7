//! A console on a temporary store with Chinese data at a fixed time, driven by keys
//! through `update`, with effects carried out synchronously (the console process's own
//! `perform` for those that block).

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::case::{Category, Severity};
use yuqing::domain::clock::{Clock, ManualClock};
use yuqing::domain::command::Command;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::domain::role::Operator;
use yuqing::i18n::Lang;
use yuqing::store::Store;
use yuqing::ui::app::App;
use yuqing::ui::keymap::Keymap;
use yuqing::ui::model::Model;
use yuqing::ui::update::{Effect, Msg, refresh_lists, update};

/// 2026-07-01 09:00 in Beijing time.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 1, 0, 0).unwrap()
}

pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

pub struct Console {
    pub dir: tempfile::TempDir,
    pub desk: Desk,
    pub clock: Arc<ManualClock>,
    pub app: App,
    pub quit: bool,
    pub bells: usize,
    events: tokio::sync::broadcast::Receiver<Arc<yuqing::domain::Event>>,
}

fn item(channel: Channel, title: &str, body: &str, reach: u64, x: &str) -> NewItem {
    NewItem {
        channel,
        title: title.into(),
        body: body.into(),
        url: Some(format!("https://example.gov.cn/{x}")),
        author: Some("网友".into()),
        published_at: Some(t0() - Duration::hours(3)),
        reach: Some(reach),
        external_id: Some(x.into()),
    }
}

fn seed(desk: &Desk, clock: &ManualClock) {
    let s = desk.settings();
    let duty = s.operator("duty").unwrap().clone();
    let chief = s.operator("chief").unwrap().clone();
    let run = |op: &Operator, cmd: Command| {
        for a in desk.run_blocking(op, vec![cmd]) {
            a.expect("seed command");
        }
    };
    clock.set(t0() - Duration::hours(50));
    run(
        &duty,
        Command::ReceiveItem {
            item: item(
                Channel::Portal,
                "小区停水三天无人回应",
                "太常街道某小区停水三天，物业和水厂互相推诿。",
                320,
                "p-1",
            ),
        },
    );
    run(
        &duty,
        Command::OpenCase {
            hints: vec![],
            items: vec!["A.1".into()],
            title: String::new(),
            severity: Severity::General,
            category: Category::Difficulty,
            lead: "tcjd".into(),
            co: vec!["zjj".into()],
        },
    );
    clock.set(t0() - Duration::hours(47));
    run(
        &duty,
        Command::ReceiveItem {
            item: item(
                Channel::Weibo,
                "网传县城将全面限电系谣言",
                "有网友发帖称县城下周起全面限电，经核实为谣言。",
                8800,
                "w-2",
            ),
        },
    );
    run(
        &duty,
        Command::OpenCase {
            hints: vec![],
            items: vec!["A.2".into()],
            title: String::new(),
            severity: Severity::General,
            category: Category::Rumor,
            lead: "xcb".into(),
            co: vec!["wxb".into()],
        },
    );
    clock.set(t0() - Duration::hours(2));
    run(
        &duty,
        Command::ReceiveItem {
            item: item(
                Channel::Media,
                "五强溪镇山体滑坡致道路中断",
                "五强溪镇一处山体滑坡，道路中断，暂无人员伤亡报告。",
                15000,
                "m-3",
            ),
        },
    );
    run(
        &duty,
        Command::OpenCase {
            hints: vec![],
            items: vec!["A.3".into()],
            title: "五强溪镇山体滑坡".into(),
            severity: Severity::Major,
            category: Category::Misunderstanding,
            lead: "yjj".into(),
            co: vec!["wqxz".into(), "jtj".into()],
        },
    );
    clock.set(t0() - Duration::minutes(90));
    run(&duty, Command::ReportCounty { case: "A-0003".into(), note: "已电话报告县政府值班室".into() });
    run(&chief, Command::Escalate { case: "A-0003".into(), reason: "请应急局一小时内发布权威信息".into() });
    clock.set(t0() - Duration::minutes(20));
    run(
        &duty,
        Command::ReceiveItem {
            item: item(
                Channel::Weibo,
                "网传某小学食堂饭菜变质致学生腹泻",
                "有家长在微博发帖称孩子在学校食堂吃饭后腹泻，多名学生请假。",
                5200,
                "w-4",
            ),
        },
    );
    run(
        &duty,
        Command::ReceiveItem {
            item: item(
                Channel::Hotline,
                "安置房项目拖欠农民工工资三个月",
                "来电人反映某安置房项目拖欠工资，讨薪无果。",
                0,
                "h-5",
            ),
        },
    );
    run(
        &duty,
        Command::ReceiveItem {
            item: item(
                Channel::Workgroup,
                "建议增开至官庄镇的公交班次",
                "群众建议增开县城至官庄镇的早班公交。",
                45,
                "g-6",
            ),
        },
    );
    run(
        &duty,
        Command::ReceiveItem {
            item: item(Channel::Other, "广告：低价出售二手家电", "与本县政务无关的广告信息。", 3, "o-7"),
        },
    );
    clock.set(t0());
}

impl Console {
    /// A console for `operator` in `lang`; `seeded` adds the Chinese sample data.
    pub fn new(lang: Lang, operator: &str, seeded: bool) -> Console {
        Console::with_settings(lang, operator, seeded, Settings::default())
    }

    /// Like `new`, with these settings (operators, rules, …).
    pub fn with_settings(lang: Lang, operator: &str, seeded: bool, settings: Settings) -> Console {
        let dir = tempfile::tempdir().unwrap();
        let settings = Arc::new(settings);
        let clock = Arc::new(ManualClock::new(t0()));
        let store = Store::open(&dir.path().join("data"), "live").unwrap();
        let desk = Desk::start(store, settings.clone(), clock.clone()).unwrap();
        if seeded {
            seed(&desk, &clock);
        }
        let events = desk.subscribe();
        let keymap = Keymap::load("default", dir.path()).unwrap();
        let model = Model::new(desk.store().queue().unwrap(), desk.store().open_cases().unwrap());
        let op = settings.operator(operator).unwrap().clone();
        let inbox = std::path::PathBuf::from("/srv/yuqing/live/inbox");
        let local = yuqing::ui::app::Settings {
            tz: beijing(),
            queue_alert: Some(chrono::Duration::hours(2)),
            responses: Default::default(),
            realm: "live".into(),
            keymap,
            directory: settings.directory.clone(),
            colour: true,
            inbox,
        };
        let mut app = App::new(lang, local, clock.now(), op, model);
        app.triage = yuqing::ui::triage::Triage::new(settings.rules.clone());
        app.triage.sync(&mut app.model);
        refresh_lists(&mut app);
        Console { dir, desk, clock, app, quit: false, bells: 0, events }
    }

    /// Feeds a message and carries out what it asks for, until nothing is left.
    pub fn send(&mut self, msg: Msg) {
        let mut queue = update(&mut self.app, msg);
        refresh_lists(&mut self.app);
        while !queue.is_empty() {
            let mut next = Vec::new();
            for e in queue {
                let msgs = self.effect(e);
                for m in msgs {
                    next.extend(update(&mut self.app, m));
                    refresh_lists(&mut self.app);
                }
            }
            queue = next;
        }
    }

    fn effect(&mut self, e: Effect) -> Vec<Msg> {
        match e {
            Effect::Run(op, cmds) => {
                let answers = self.desk.run_blocking(&op, cmds);
                let mut msgs: Vec<Msg> = std::iter::from_fn(|| self.events.try_recv().ok()).map(Msg::Applied).collect();
                msgs.push(Msg::Answered(answers));
                msgs
            }
            Effect::Log(_) => vec![],
            Effect::Bell => {
                self.bells += 1;
                vec![]
            }
            Effect::Quit => {
                self.quit = true;
                vec![]
            }
            other => {
                let ctx = yuqing::console::effect::Context {
                    desk: self.desk.clone(),
                    lang: self.app.lang,
                    tz: beijing(),
                    drill: self.app.drill.control.clone(),
                    inbox: self.app.settings.inbox.clone(),
                    inbox_operator: self.app.operator.clone(),
                };
                yuqing::console::effect::perform(&ctx, other)
            }
        }
    }

    /// Delivers events applied by others (another process, the inbox) to the console.
    pub fn deliver(&mut self) {
        let evs: Vec<_> = std::iter::from_fn(|| self.events.try_recv().ok()).collect();
        for ev in evs {
            self.send(Msg::Applied(ev));
        }
    }

    /// Runs `cmds` as `operator` elsewhere (another terminal, the command line), and
    /// lets the console see what they did.
    pub fn elsewhere(&mut self, operator: &str, cmds: Vec<Command>) {
        let op = self.desk.settings().operator(operator).unwrap().clone();
        for a in self.desk.run_blocking(&op, cmds) {
            a.expect("command from elsewhere");
        }
        self.deliver();
    }

    /// Opens case `no` from the cases list, filtered to it.
    pub fn open_case(&mut self, no: &str) {
        self.press(KeyCode::Char('2'));
        self.press(KeyCode::Char('/'));
        self.type_text(no);
        self.press(KeyCode::Enter);
        self.press(KeyCode::Enter);
        assert_eq!(self.app.screen, yuqing::ui::app::Screen::Case(no.into()), "case {no} opened");
    }

    pub fn press(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn ctrl(&mut self, c: char) {
        self.send(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
    }

    /// Presses each character of `text` in turn.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Advances the clock and delivers the tick.
    pub fn tick(&mut self, by: Duration) {
        self.clock.advance(by);
        self.send(Msg::Tick(self.clock.now()));
    }

    /// The screen as text at `w` × `h`, as a person sees it (a wide character once).
    pub fn screen(&self, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| yuqing::ui::view::view(&self.app, f)).unwrap();
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..h {
            let mut x = 0;
            while x < w {
                let sym = buf[(x, y)].symbol();
                out.push_str(sym);
                x += (unicode_width::UnicodeWidthStr::width(sym) as u16).max(1);
            }
            out.push('\n');
        }
        out
    }
}
