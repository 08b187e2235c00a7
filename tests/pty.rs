//! End to end: the real binary in a pseudo-terminal. Keys go in as bytes, the screen
//! is read back through a terminal emulator (vt100).

mod common;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The last bytes the program wrote, once it has finished writing (how it left the
    /// terminal).
    fn tail(&self) -> String {
        std::thread::sleep(Duration::from_millis(200));
        let raw = self.raw.lock().unwrap();
        String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).into_owned()
    }

    /// Waits until the screen shows `what`; fails with the screen after `secs`.
    fn wait_for(&self, what: &str, secs: u64) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(secs) {
            if self.text().contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("`{what}` did not appear within {secs} s; the screen:\n{}", self.text());
    }
}

type Child = Box<dyn portable_pty::Child + Send + Sync>;

/// How `child` ended, waiting at most 10 s (failing with `why`).
fn exited(child: &mut Child, why: &str) -> portable_pty::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{why}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
type Keys = Box<dyn Write + Send>;

/// Starts the console of `sb` in a 100x30 pseudo-terminal, in Chinese.
fn start(sb: &common::Sandbox) -> (Child, Keys, Screen) {
    start_with(sb, &[])
}

/// Starts `yuqing ARGS…` on `sb` in a 100x30 pseudo-terminal, in Chinese.
fn start_with(sb: &common::Sandbox, args: &[&str]) -> (Child, Keys, Screen) {
    let pair = native_pty_system().openpty(PtySize { rows: 30, cols: 100, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_yuqing"));
    cmd.args(args);
    cmd.env("YUQING_DATA", sb.data());
    cmd.env("YUQING_CONFIG", sb.dir.path().join("config"));
    cmd.env("LANG", "zh_CN.UTF-8");
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(sb.dir.path());
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let keys = pair.master.take_writer().unwrap();
    let screen =
        Screen { parser: Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0))), raw: Arc::new(Mutex::new(Vec::new())) };
    let (parser, raw) = (screen.parser.clone(), screen.raw.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            parser.lock().unwrap().process(&buf[..n]);
            raw.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    (child, keys, screen)
}

/// Sends keys as bytes, with a pause for the console to draw.
fn typer(keys: &mut Keys) -> impl FnMut(&str) + '_ {
    move |bytes: &str| {
        keys.write_all(bytes.as_bytes()).unwrap();
        keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
}

#[test]
fn a_console_in_a_terminal_takes_items_from_the_inbox_and_opens_a_case() {
    let sb = common::Sandbox::new();
    let (mut child, mut keys, screen) = start(&sb);
    let mut press = typer(&mut keys);

    screen.wait_for("欢迎使用舆情值守台", 10);
    // The welcome names the inbox (its lines may come a frame after the title).
    screen.wait_for(&sb.data().join("inbox").display().to_string(), 5);
    // A fresh install names itself, not `A` as every other install would.
    let conf = std::fs::read_to_string(sb.dir.path().join("config/console.toml")).expect("console.toml written");
    let name = conf.lines().find_map(|l| l.strip_prefix("name = \"")).and_then(|l| l.strip_suffix('"')).unwrap();
    assert!(name != "A" && name.len() >= 4, "{conf}");

    // While the console holds the data, the command line goes through it.
    let file = sb.write(
        "items.jsonl",
        "{\"channel\":\"weibo\",\"title\":\"网传学校食堂饭菜变质\",\"external_id\":\"w1\",\"reach\":5200}\n",
    );
    let other =
        sb.write("other.jsonl", "{\"channel\":\"portal\",\"title\":\"建议增设公交班次\",\"external_id\":\"p1\"}\n");
    let o = sb.run(&["ingest", other.to_str().unwrap()]);
    assert!(o.status.success() && common::stdout(&o).contains("1 new"), "{}", common::stderr(&o));
    screen.wait_for("建议增设公交班次", 5);

    let part = sb.data().join("inbox").join("items.jsonl.part");
    std::fs::copy(&file, &part).unwrap();
    std::fs::rename(&part, sb.data().join("inbox").join("items.jsonl")).unwrap();
    screen.wait_for("网传学校食堂饭菜变质", 10);
    assert!(sb.data().join("inbox/done/items.jsonl").exists());

    // The highlight stayed on the item it was on as the new one arrived above it:
    // up to the new one first.
    press("k");
    press("o");
    screen.wait_for("登记", 5);
    press("\t");
    press("\t");
    press("\t");
    press("jyj");
    press("\r");
    screen.wait_for("办理中 1", 5);
    press("2");
    screen.wait_for(&format!("{name}-0001"), 5);
    assert!(screen.text().contains("县教育局"));
    // A case opened from another process is on the screen at once (the issue asks for a
    // second; three allow for a loaded test machine).
    let opened =
        sb.ok(&["case", "open", &format!("{name}.1"), "--severity", "general", "--category", "other", "--lead", "jtj"]);
    assert!(opened.contains(&format!("{name}-0002")), "{opened}");
    screen.wait_for(&format!("{name}-0002"), 3);
    let items_beside = sb.ok(&["items", "--json"]);
    press("q");

    let status = exited(&mut child, "the console did not quit");
    assert!(status.success(), "exit status {status:?}");
    let tail = screen.tail();
    assert!(tail.contains("\x1b[?1049l"), "the terminal left the alternate screen: {tail:?}");
    assert!(sb.ok(&["verify"]).starts_with("OK"));
    assert_eq!(sb.ok(&["items", "--json"]), items_beside, "the same --json beside the console as after it");
}

#[test]
fn signing_in_with_a_pin_in_a_terminal() {
    let sb = common::Sandbox::new();
    let add = sb
        .cmd()
        .env("YUQING_NEW_PIN", "135790")
        .args(["--as", "chief", "operator", "add", "liming", "--name", "李明", "--role", "operator"])
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", common::stderr(&add));
    std::fs::create_dir_all(sb.dir.path().join("config")).unwrap();
    std::fs::write(sb.dir.path().join("config/console.toml"), "lock_minutes = 0.05\n").unwrap();
    let (mut child, mut keys, screen) = start(&sb);
    let mut press = typer(&mut keys);
    screen.wait_for("已锁定：请登录", 10);
    press("liming\t000000\r");
    screen.wait_for("工号或 PIN 不对", 5);
    assert!(!screen.text().contains("欢迎使用"), "nothing behind the lock shows");
    std::thread::sleep(Duration::from_millis(2500)); // the delay after one wrong PIN (1 s, on the console's 1 s clock)
    press("135790\r"); // the id stays, the PIN field was cleared and keeps the focus
    screen.wait_for("欢迎使用舆情值守台", 5);
    screen.wait_for("李明 liming", 5);
    press("\x0f"); // Ctrl-O: hand over
    screen.wait_for("交接班", 5);
    press("\r");
    screen.wait_for("接班人登录", 5);
    press("\x1b");
    assert!(screen.text().contains("接班人登录"), "the incoming officer's sign-in cannot be dismissed");
    press("liming\t135790\r"); // the same officer signs back in: no handover is recorded
    screen.wait_for("同一人重新登录，未记录交接", 5);
    // Idle: `lock_minutes = 0.05` locks after 3 s.
    screen.wait_for("已锁定：请登录", 10);
    let log = sb.log();
    assert!(log.contains("sign-in refused for `liming`") && log.contains("signed in: liming"), "{log}");
    assert!(log.contains("locked after idling"), "{log}");
    // Back in, then `q`: the session's end is on record as the officer's signing out.
    press("liming\t135790\r");
    screen.wait_for("欢迎使用舆情值守台", 5);
    press("q");
    let status = exited(&mut child, "q did not stop the console");
    assert!(status.success(), "{status:?}");
    let audit = sb.ok(&["audit", "--json"]);
    let last = audit.lines().last().unwrap_or_default();
    assert!(last.contains("signed out liming (quit)"), "the last act is the signing out: {audit}\n{}", sb.log());
}

#[test]
fn a_trainee_joins_a_drill_from_another_terminal_and_pauses_with_the_trainer() {
    let (a, b) = (common::Sandbox::new(), common::Sandbox::new());
    let (ca, cb) = (a.dir.path().join("config"), b.dir.path().join("config"));
    std::fs::create_dir_all(&ca).unwrap();
    std::fs::create_dir_all(&cb).unwrap();
    a.ok(&["cluster", "init"]);
    a.ok(&["cluster", "enroll", "B", "--out", cb.join("credentials.toml").to_str().unwrap()]);
    std::fs::write(cb.join("console.toml"), "name = \"B\"\n").unwrap();
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drills/canteen-rumour.jsonl");
    let (mut trainer, mut keys_a, screen_a) =
        start_with(&a, &["drill", "run", scenario, "--drill-data", "drill", "--listen", "127.0.0.1:0"]);
    screen_a.wait_for("--join --peer 127.0.0.1:", 10);
    let addr =
        screen_a.text().rsplit("--join --peer ").next().and_then(|r| r.split_whitespace().next()).unwrap().to_string();
    let (mut trainee, mut keys_b, screen_b) =
        start_with(&b, &["drill", "run", scenario, "--drill-data", "drill", "--join", "--peer", &addr]);
    screen_b.wait_for("等待培训员的演练信息", 10);
    screen_b.wait_for("A✓", 10);
    let mut press_a = typer(&mut keys_a);
    press_a("\x1b[18~"); // F7: the next entry now
    screen_a.wait_for("网传某小学食堂饭菜变质致学生腹泻", 5);
    screen_b.wait_for("网传某小学食堂饭菜变质致学生腹泻", 5);
    press_a("\x1b[15~"); // F5: pause
    screen_a.wait_for("⏸", 5);
    screen_b.wait_for("培训员暂停了演练", 5);
    // The drill time in the header: `2026-09-08 07:42:00`.
    let clock = |s: &Screen| {
        let head = s.text().lines().next().unwrap_or("").to_string();
        head.split_whitespace().find(|w| w.matches(':').count() == 2).map(str::to_string).unwrap_or(head)
    };
    screen_b.wait_for("⏸", 5);
    assert_eq!(
        clock(&screen_b),
        clock(&screen_a),
        "the same drill time on both:\n{}\n{}",
        screen_a.text(),
        screen_b.text()
    );
    let mut press_b = typer(&mut keys_b);
    press_b("\x1b[15~"); // the trainee's F5 does nothing: the clock is the trainer's
    screen_b.wait_for("演练时钟由培训员控制", 5);
    assert!(screen_b.text().contains("⏸"));
    press_b("q");
    press_a("q");
    assert!(trainee.wait().unwrap().success());
    assert!(trainer.wait().unwrap().success());
}

#[test]
fn each_officer_signed_in_after_a_handover_acts_under_their_own_name() {
    let sb = common::Sandbox::new();
    let (duty, chief) = (("duty", "135790"), ("chief", "246800"));
    for (id, pin) in [duty, chief] {
        let set = sb.cmd().env("YUQING_NEW_PIN", pin).args(["--as", "chief", "operator", "pin", id]).output().unwrap();
        assert!(set.status.success(), "{}", common::stderr(&set));
    }
    let zhang = ["--as", "chief", "operator", "add", "zhang", "--name", "张伟", "--role", "operator"];
    let add = sb.cmd().env("YUQING_PIN", chief.1).env("YUQING_NEW_PIN", "357913").args(zhang).output().unwrap();
    assert!(add.status.success(), "{}", common::stderr(&add));
    let as_duty = |args: &[&str]| {
        let o = sb.cmd().env("YUQING_PIN", duty.1).args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", common::stderr(&o));
    };
    let items = sb.write("items.jsonl", &common::items_jsonl("h", 2));
    as_duty(&["ingest", items.to_str().unwrap()]);
    as_duty(&["case", "open", "A.1", "--severity", "general", "--category", "rumor", "--lead", "jyj"]);
    as_duty(&["case", "draft", "A-0001", "--kind", "first_response", "--text", "正在核实，将及时发布"]);

    // Started as duty (console.toml's operator); duty signs in, then hands over to chief.
    let (mut child, mut keys, screen) = start(&sb);
    let mut press = typer(&mut keys);
    screen.wait_for("已锁定：请登录", 10);
    press("duty\t135790\r");
    screen.wait_for("已登录 值班员 duty", 5); // the PIN is checked off the UI task
    press("\x0f"); // Ctrl-O
    screen.wait_for("交接班", 5);
    press("\r");
    screen.wait_for("接班人登录", 5);
    press("chief\t246800\r");
    screen.wait_for("带班领导 chief", 5);
    press("2");
    press("\r");
    screen.wait_for("正在核实", 5);
    press("v"); // approve: a supervisor's
    screen.wait_for("审核回应", 5);
    press("\r");
    screen.wait_for("已保存", 5);
    // chief hands over to zhang, who adds a note.
    press("\x0f");
    screen.wait_for("交接班", 5);
    press("\r");
    screen.wait_for("接班人登录", 5);
    press("zhang\t357913\r");
    screen.wait_for("张伟 zhang", 5);
    press("n");
    screen.wait_for("添加备注", 5);
    press("已电话核实\r");
    screen.wait_for("已保存", 5);
    let _ = child.kill();
    let _ = child.wait();

    let audit = sb.ok(&["audit", "--json"]);
    let line = |what: &str| audit.lines().filter(|l| l.contains(what)).collect::<Vec<_>>();
    let approved = line("approved draft");
    assert!(approved.len() == 1 && approved[0].contains(r#""operator":"chief""#), "chief approved: {audit}");
    let note = line("note: 已电话核实");
    assert!(note.len() == 1 && note[0].contains(r#""operator":"zhang""#), "zhang's note: {audit}");
    let handovers = line("shift handed over");
    assert_eq!(handovers.len(), 2, "{audit}");
    assert!(handovers[0].contains(r#""operator":"duty""#) && handovers[0].contains("→ chief"), "{audit}");
    assert!(handovers[1].contains(r#""operator":"chief""#) && handovers[1].contains("→ zhang"), "{audit}");
    // Each sign-in is in the log, under the person who signed in.
    for who in ["chief", "zhang"] {
        let signed = line(&format!("signed in {who}"));
        assert!(signed.len() == 1 && signed[0].contains(&format!(r#""operator":"{who}""#)), "{who} signed in: {audit}");
    }
    let saved: Vec<String> = std::fs::read_dir(sb.data().join("handovers"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        saved.iter().any(|m| m.contains("交班人: 值班员 duty") && m.contains("接班人: 带班领导 chief")),
        "{saved:?}"
    );
    assert!(
        saved.iter().any(|m| m.contains("交班人: 带班领导 chief") && m.contains("接班人: 张伟 zhang")),
        "{saved:?}"
    );
}

#[test]
fn a_pin_too_short_is_refused_before_it_is_asked_again() {
    let sb = common::Sandbox::new();
    let (mut child, mut keys, screen) =
        start_with(&sb, &["--as", "chief", "operator", "add", "wang", "--name", "王芳", "--role", "supervisor"]);
    let mut press = typer(&mut keys);
    // A Chinese terminal (as every test here): asked and refused in Chinese.
    screen.wait_for("wang 的新口令", 10);
    press("1234\r");
    screen.wait_for("至少用 6 位", 5);
    assert!(!screen.text().contains("再输入一次"), "not asked twice: {}", screen.text());
    assert!(!child.wait().unwrap().success());
    assert!(!sb.dir.path().join("config/operators.toml").exists(), "nothing was written");
}

#[test]
fn a_console_stopped_by_sigterm_or_sighup_restores_the_terminal() {
    for sig in ["TERM", "HUP"] {
        let sb = common::Sandbox::new();
        let (mut child, _keys, screen) = start(&sb);
        screen.wait_for("欢迎使用舆情值守台", 10);
        let pid = child.process_id().expect("the console's pid").to_string();
        assert!(std::process::Command::new("kill").args([&format!("-{sig}"), &pid]).status().unwrap().success());
        let status = exited(&mut child, &format!("SIG{sig}: the console did not stop"));
        assert!(status.success(), "SIG{sig}: exit status {status:?}");
        let tail = screen.tail();
        // Out of the alternate screen, the cursor shown, mouse reporting off.
        for restore in ["\x1b[?1049l", "\x1b[?25h", "\x1b[?1000l"] {
            assert!(tail.contains(restore), "SIG{sig}: {restore:?} missing from {tail:?}");
        }
    }
}
