//! The command line's help in Chinese, for a Chinese terminal: the program's and every
//! command's and step's description, each argument and option (those that take codes
//! list them with their Chinese names, made from the domain's names), the headings —
//! a step's own options apart from the 全局选项 every command takes — and clap's own
//! lines (`-h`, `-V`, `help`, environment variables, defaults, possible values). The
//! English help keeps clap's words and gets the code lists and the global heading.

use clap::{Arg, ArgAction, Command};

/// Each command's description, in Chinese.
const COMMANDS: &[(&str, &str)] = &[
    ("console", "打开全屏值守台（默认）"),
    ("ingest", "从 JSONL 或 CSV 文件导入舆情信息（格式见 docs/items.md）"),
    ("items", "列出舆情信息"),
    ("dismiss", "排除待研判的信息，须写明原因"),
    ("requeue", "把信息放回待研判：过期移出的，或 24 小时内排除的，须写明原因"),
    ("monitor", "登记某渠道某日的监测情况（发现 0 条即零报告）"),
    ("cases", "按最近时限列出办理中的舆情事项"),
    ("case", "办理某一舆情事项"),
    ("departments", "某时段的部门履职情况"),
    ("export", "按全序导出事件（JSONL）"),
    ("verify", "重放日志，核对存储的各项数据"),
    ("backup", "把数据文件夹完整备份到新文件夹（值守台或中继运行时也可）"),
    ("restore", "从备份文件夹或导出文件重建一个新的空数据文件夹"),
    ("config", "配置文件"),
    ("serve", "运行无界面的中继台：保存并转发事件"),
    ("report", "某时段的定期通报（Markdown、CSV 或 HTML）"),
    ("audit", "操作审计：谁在何时做了什么（来自事件日志）"),
    ("operator", "本台的值守人员"),
    ("drill", "演练剧本（docs/drills/format.md）"),
    ("rules", "研判规则（rules.toml）"),
    ("cluster", "集群证书：建立部署、登记控制台和工具、吊销"),
    ("completions", "输出 shell 补全脚本（bash、zsh、fish 等）"),
    ("man", "输出手册页（roff），或把全部手册页写入文件夹"),
];

/// The global options' help, in Chinese.
const OPTIONS: &[(&str, &str)] = &[
    ("data", "数据文件夹［默认：用户数据文件夹下的 yuqing/live］"),
    ("config", "配置文件夹［默认：用户配置文件夹下的 yuqing］"),
    ("actor", "以此值守人员身份操作［默认：console.toml 中的 operator］"),
    ("to", "通过此地址上运行的值守台或中继办理（ingest、dismiss、case）"),
];

const PERIOD: [(&str, &str); 3] = [
    ("from", "起始时间（RFC 3339 或本地时间 YYYY-MM-DD HH:MM）"),
    ("to", "截止时间，不含（这些命令中 --to 总是时段的终点，不是地址）"),
    ("period", "县内日历时段：一周（2026-W47）、一月（2026-11）、一季（2026-Q4）或一年（2026）"),
];
const JSON: (&str, &str) = ("json", "机器可读输出（JSON）");
const CASE: (&str, &str) = ("case", "舆情事项编号，如 A-0001");
const REASON: (&str, &str) = ("reason", "原因（必填，记入审计）");
const SEVERITY: (&str, &str) = ("severity", "级别");
const CATEGORY: (&str, &str) = ("category", "类别");
const LEAD: (&str, &str) = ("lead", "牵头单位（代码或名称）");
const CO: (&str, &str) = ("co", "协办单位（可重复）");
const MILESTONE: (&str, &str) = ("milestone", "时限节点");
const UNTIL: (&str, &str) = ("until", "延至（RFC 3339 或本地时间 YYYY-MM-DD HH:MM）");
const DRAFT: (&str, &str) = ("draft", "草稿编号，如舆情事项中所示（#1 为第一份）［默认：最新待审核的一份］");
const NOTE: (&str, &str) = ("note", "备注");
const KIND: (&str, &str) = ("kind", "回应类型");
const OPERATOR: (&str, &str) = ("id", "值守人员编号");
const ROLE: (&str, &str) = ("role", "角色");

/// Each command's own arguments and options (and, for the `case` steps, the step's
/// description), in Chinese: (the command's path, its description or "" to keep the
/// one above, [(argument id, help)]).
type Own = (&'static [&'static str], &'static str, &'static [(&'static str, &'static str)]);
const OWN: &[Own] = &[
    (
        &["console"],
        "",
        &[
            ("lang", "界面语言：zh 或 en［默认：console.toml 中的设置，其次 LANG］"),
            ("keymap", "键位：名称（default、vim）或 TOML 文件"),
            ("listen", "在此地址接受其他值守台和报送工具，如 0.0.0.0:7420"),
            ("peers", "连接此值守台或中继（可重复）；正式值守台还连接 console.toml 中的各方，演练不连"),
        ],
    ),
    (
        &["serve"],
        "",
        &[("listen", "在此地址接受其他值守台和报送工具，如 0.0.0.0:7420"), ("peers", "连接此值守台或中继（可重复）")],
    ),
    (
        &["ingest"],
        "",
        &[
            ("files", "JSONL 或 CSV 文件（格式见 docs/items.md）"),
            ("skip_invalid", "导入合格的行，报告不合格的行（默认：有任何一行不合格就什么都不写）"),
            ("json", "机器可读输出：每批落盘一行 JSON，最后一行汇总"),
            ("batch", "每批落盘的条数"),
        ],
    ),
    (&["items"], "", &[JSON, ("status", "只列此状态：new 待研判、dismissed 已排除、attached 已并入、expired 已过期")]),
    (&["dismiss"], "", &[("items", "信息编号，如 A.17（可多个）"), REASON]),
    (&["requeue"], "", &[("items", "信息编号，如 A.17（可多个）"), REASON]),
    (
        &["monitor"],
        "",
        &[
            ("channel", "监测渠道"),
            ("found", "发现的相关信息条数；0 即零报告"),
            ("day", "日期（YYYY-MM-DD，县内日期）［默认：今天］"),
            NOTE,
        ],
    ),
    (&["cases"], "", &[JSON, ("all", "也列出已结案的")]),
    (&["departments"], "", &[JSON, PERIOD[0], PERIOD[1], PERIOD[2]]),
    (&["export"], "", &[PERIOD[0], PERIOD[1], PERIOD[2]]),
    (
        &["report"],
        "",
        &[
            PERIOD[0],
            PERIOD[1],
            PERIOD[2],
            ("format", "格式：md、csv 或 html"),
            ("output", "写入此文件，而不是标准输出"),
            ("lang", "标题和表头的语言：zh 或 en［默认：zh］"),
        ],
    ),
    (
        &["audit"],
        "",
        &[
            ("case", "只列此舆情事项的事件"),
            ("operator", "只列此值守人员的事件"),
            PERIOD[0],
            PERIOD[1],
            PERIOD[2],
            JSON,
        ],
    ),
    (&["backup"], "", &[("dir", "新文件夹，写入 events.jsonl 和 backup.json")]),
    (&["restore"], "", &[("source", "yuqing backup 写的文件夹，或 yuqing export 写的文件")]),
    (
        &["case", "open"],
        "由信息登记舆情事项",
        &[
            ("items", "信息编号，如 A.17（可多个）"),
            SEVERITY,
            CATEGORY,
            LEAD,
            CO,
            ("title", "标题［默认：第一条信息的标题］"),
        ],
    ),
    (&["case", "attach"], "把信息并入办理中的舆情事项", &[CASE, ("items", "信息编号，如 A.17（可多个）")]),
    (
        &["case", "classify"],
        "重新研判级别和类别（重算时限）",
        &[
            CASE,
            SEVERITY,
            CATEGORY,
            ("since_item", "升为重大时：使之成为重大的信息；重大舆情的时限自其到达起算［默认：现在］"),
        ],
    ),
    (&["case", "assign"], "交办：设定牵头和协办单位", &[CASE, LEAD, CO]),
    (&["case", "transfer"], "转办给另一牵头单位", &[CASE, ("lead", "新的牵头单位（代码或名称）"), REASON]),
    (&["case", "ack"], "单位签收舆情事项", &[CASE, ("dept", "签收的单位（代码或名称）")]),
    (&["case", "escalate"], "督办（仅带班领导）", &[CASE, REASON]),
    (&["case", "report-county"], "记录已报告县政府", &[CASE, NOTE]),
    (
        &["case", "refer"],
        "向公安或网警移交线索",
        &[CASE, ("agency", "移交对象"), ("reference", "移交文号，如 沅网信〔2026〕12号")],
    ),
    (&["case", "draft"], "起草回应", &[CASE, KIND, ("text", "草稿内容")]),
    (
        &["case", "sign-off"],
        "协办单位会签草稿（默认最新待审核的一份）",
        &[CASE, ("dept", "会签的协办单位（代码或名称）"), DRAFT],
    ),
    (
        &["case", "wording"],
        "为同一事件的各舆情事项统一口径，各次发布须原文引用（仅带班领导）",
        &[("cases", "共用口径的舆情事项编号"), ("text", "统一的口径")],
    ),
    (&["case", "approve"], "审核通过草稿（默认最新待审核的一份；协办单位先会签）（仅带班领导）", &[CASE, DRAFT]),
    (
        &["case", "publish"],
        "发布回应（须有同类已审核草稿，带班领导除外）",
        &[CASE, KIND, ("channel", "发布渠道"), ("text", "发布内容［默认：已审核草稿的内容］"), ("url", "发布的网址")],
    ),
    (&["case", "press-conference"], "记录已召开的新闻发布会", &[CASE, NOTE]),
    (&["case", "request-extension"], "在到期前申请带班领导延期某时限节点", &[CASE, MILESTONE, UNTIL, REASON]),
    (
        &["case", "extend"],
        "在到期前延期某时限节点，至多超出原时限 max_extension_hours 小时（仅带班领导）",
        &[CASE, MILESTONE, UNTIL, REASON],
    ),
    (&["case", "note"], "添加备注", &[CASE, ("text", "备注内容")]),
    (&["case", "mark"], "问责建议（仅带班领导）", &[CASE, ("dept", "被建议问责的单位（代码或名称）"), REASON]),
    (
        &["case", "close"],
        "结案",
        &[CASE, ("outcome", "结案方式（各类别可用的见 docs/metrics.md 和 policy.toml）"), NOTE],
    ),
    (&["case", "reopen"], "重新打开已结案的舆情事项", &[CASE, REASON]),
    (&["case", "show"], "查看舆情事项：时限节点、信息、经过", &[CASE, JSON]),
    (
        &["operator", "add"],
        "新增值守人员（带班领导操作：--as）；新口令输入两次（或读取 YUQING_NEW_PIN）",
        &[OPERATOR, ("name", "姓名"), ROLE],
    ),
    (&["operator", "list"], "列出现行值守人员（部署中的名册优先于 operators.toml）", &[]),
    (&["operator", "pin"], "设置或重置值守人员口令（带班领导操作）；输入两次（或读取 YUQING_NEW_PIN）", &[OPERATOR]),
    (&["operator", "disable"], "在所有值守台停用值守人员：不能再登录或操作", &[OPERATOR]),
    (&["operator", "enable"], "重新启用已停用的值守人员", &[OPERATOR]),
    (&["operator", "role"], "改变值守人员的角色", &[OPERATOR, ROLE]),
    (
        &["operator", "token"],
        "发给值守人员新令牌，用于从别处经 --to 办理；只显示一次，只保存其散列；旧令牌作废",
        &[OPERATOR],
    ),
    (&["drill", "check"], "检查剧本文件；每个错误注明行和字段", &[("files", "剧本文件（JSONL）")]),
    (
        &["drill", "run"],
        "在演练自己的数据文件夹（绝不是正式的）里按虚拟时钟运行剧本",
        &[
            ("file", "剧本（JSONL，见 docs/drills/format.md）"),
            ("speed", "每真实秒推进的虚拟秒数（1 或更大的整数）"),
            ("headless", "不开界面：投放全部条目并打印提示后结束（带 --listen 时继续为学员服务直到 Ctrl-C）"),
            ("drill_data", "演练数据文件夹［默认：正式文件夹旁的 drills/<剧本>-<时间>］"),
            ("listen", "导演：在此地址接受学员，如 0.0.0.0:7420"),
            ("peers", "学员：连接导演的地址（与 --join 同用）"),
            ("join", "作为学员加入导演的演练：本台不投放条目，信息和时钟经 --peer 来自导演"),
        ],
    ),
    (
        &["drill", "record"],
        "把正式日志的一个时段做成剧本：信息按时间偏移，值守人员的处置作为预期",
        &[
            ("out", "写入的剧本文件"),
            PERIOD[0],
            ("to", "截止时间，不含"),
            ("anonymize", "遮盖手机号、身份证号，以及此文件所列（每行一个）的姓名"),
            ("force", "输出文件已存在时覆盖"),
        ],
    ),
    (
        &["drill", "score"],
        "按剧本的预期为演练评分（同时写入 score.md）",
        &[("drill_data", "演练数据文件夹，即 drill run 所打印的")],
    ),
    (&["rules", "stats"], "各条规则命中、登记时被提示、被采纳的次数", &[JSON]),
    (&["cluster", "init"], "在本机建立集群证书机构（配置文件夹下 authority/），并以 name 登记本台", &[]),
    (
        &["cluster", "enroll"],
        "以 NAME 登记一个值守台（或带 --submitter 登记监测工具）：写出一个仅本人可读的凭据文件，带到该机",
        &[
            ("name", "简称，部署内唯一：1–16 个字母、数字、- 或 _"),
            ("submitter", "只能报送信息的监测工具"),
            ("out", "凭据写入此处［默认：当前文件夹下 NAME.credentials.toml］"),
            ("replace", "重新登记已登记过的名称（换了新电脑）：旧证书随即吊销"),
        ],
    ),
    (&["cluster", "revoke"], "吊销 NAME 的证书（电脑丢失）：此后所有值守台都拒绝它", &[("name", "要吊销的名称")]),
    (
        &["config", "init"],
        "写出可编辑的 console.toml、departments.toml、policy.toml、operators.toml 和 rules.toml",
        &[
            ("force", "覆盖已有的文件"),
            ("name", "本台名称（1–8 个字母、数字或 _，部署内唯一）［默认：登记的名称，否则由主机名加随机部分组成］"),
        ],
    ),
    (&["completions"], "", &[("shell", "补全脚本的 shell")]),
    (&["man"], "", &[("dir", "把 yuqing.1 和各命令的手册页（yuqing-ingest.1 等）写入此文件夹，而不是打印 yuqing.1")]),
];

/// The help template in Chinese: every heading is an argument's `help_heading`, or the
/// subcommands' heading, so `{all-args}` names them all.
const TEMPLATE: &str = "{about}\n\n用法：{usage}\n\n{all-args}\n";
/// The headings of a command's own arguments and of the options every command takes.
const ARGUMENTS: &str = "参数";
const OPTIONS_OWN: &str = "选项";
const OPTIONS_GLOBAL: &str = "全局选项";
/// What the `help` subcommand does (clap's own line is English).
const HELP_STEP: &str = "显示帮助：本命令的，或所给命令的";

/// `cmd` with its help in Chinese: descriptions, arguments, headings, and clap's own
/// lines (`-h`, `-V`, `help`, environment variables, defaults, possible values).
pub fn chinese(mut cmd: Command) -> Command {
    cmd = cmd
        .about("舆情值守台：待研判信息、带回应时限的舆情事项、部门履职情况")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(own_flag("help", 'h', ArgAction::Help, "显示帮助"))
        .arg(own_flag("version", 'V', ArgAction::Version, "显示版本"));
    for (name, about) in COMMANDS {
        cmd = cmd.mut_subcommand(*name, |c| c.about(*about));
    }
    for (name, help) in OPTIONS {
        cmd = cmd.mut_arg(*name, |a| {
            let env = a.get_env().map(|e| format!("［环境变量 {}］", e.to_string_lossy())).unwrap_or_default();
            a.help(format!("{help}{env}")).hide_env(true).help_heading(OPTIONS_GLOBAL)
        });
    }
    let mut cmd = localise(cmd, &mut Vec::new());
    cmd.build();
    help_step(cmd)
}

/// A flag every command takes (`-h`, `-V`) with its help in Chinese.
fn own_flag(id: &'static str, short: char, action: ArgAction, help: &'static str) -> Arg {
    Arg::new(id).short(short).long(id).action(action).global(true).help(help).help_heading(OPTIONS_GLOBAL)
}

/// `cmd` (at `path`) and every command under it with its own arguments' help from
/// [`OWN`], in Chinese headings, with defaults and possible values said in Chinese.
fn localise(mut cmd: Command, path: &mut Vec<String>) -> Command {
    let own = OWN.iter().find(|(p, _, _)| p.iter().eq(path.iter()));
    if let Some((_, about, _)) = own.filter(|o| !o.1.is_empty()) {
        cmd = cmd.about(*about);
    }
    let ids: Vec<String> = cmd.get_arguments().filter(|a| !a.is_global_set()).map(|a| a.get_id().to_string()).collect();
    for id in ids {
        let said = own.and_then(|(_, _, args)| args.iter().find(|(n, _)| *n == id)).map(|(_, h)| *h);
        let codes = codes(&path.iter().map(String::as_str).collect::<Vec<_>>(), &id, true);
        cmd = cmd.mut_arg(&id, |a| {
            let mut help =
                said.map(str::to_string).unwrap_or_else(|| a.get_help().map(ToString::to_string).unwrap_or_default());
            if let Some(list) = codes {
                help = format!("{help}：{list}");
            }
            let values: Vec<String> = match a.get_action().takes_values() {
                true => a.get_possible_values().iter().map(|v| v.get_name().to_string()).collect(),
                false => Vec::new(),
            };
            if !values.is_empty() && !values.iter().all(|v| help.contains(v.as_str())) {
                help = format!("{help}：{}", values.join("、"));
            }
            let defaults: Vec<String> =
                a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
            let defaults = if a.get_action().takes_values() { defaults } else { Vec::new() };
            if !defaults.is_empty() && !a.is_hide_default_value_set() && !help.contains("默认") {
                help = format!("{help}［默认：{}］", defaults.join("、"));
            }
            let heading = if a.is_positional() { ARGUMENTS } else { OPTIONS_OWN };
            let a = a.help(help).help_heading(heading);
            // clap refuses to hide what an argument does not have.
            let a = if values.is_empty() { a } else { a.hide_possible_values(true) };
            if defaults.is_empty() { a } else { a.hide_default_value(true) }
        });
    }
    if cmd.has_subcommands() {
        cmd = cmd.subcommand_help_heading("命令");
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        path.push(name.clone());
        cmd = cmd.mut_subcommand(&name, |c| localise(c, path));
        path.pop();
    }
    cmd.help_template(TEMPLATE)
}

/// `cmd` (built) with the `help` subcommand clap made under each command described in
/// Chinese.
fn help_step(mut cmd: Command) -> Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        cmd = match name.as_str() {
            "help" => cmd
                .mut_subcommand("help", |h| h.about(HELP_STEP).help_template(TEMPLATE).subcommand_help_heading("命令")),
            _ => cmd.mut_subcommand(&name, help_step),
        };
    }
    cmd
}

/// The codes an argument takes: with their Chinese names (`zh`: `general 一般、major
/// 重大…`), or as they are typed (`general, major, extraordinary`); made from the
/// domain's own names so the list cannot drift from what is accepted.
fn codes(path: &[&str], id: &str, zh: bool) -> Option<String> {
    use crate::domain::case::{Category, Outcome, PublishChannel, Referral, ResponseKind, Severity};
    use crate::domain::names::Named;
    let all = |list: &[(&str, &str)]| -> String {
        match zh {
            true => list.iter().map(|(code, name)| format!("{code} {name}")).collect::<Vec<_>>().join("、"),
            false => list.iter().map(|(code, _)| *code).collect::<Vec<_>>().join(", "),
        }
    };
    fn pairs<T: Named>() -> Vec<(&'static str, &'static str)> {
        T::ALL.iter().map(|(_, code, zh)| (*code, *zh)).collect()
    }
    Some(match (path, id) {
        (["case", ..], "severity") => all(&pairs::<Severity>()),
        (["case", ..], "category") => all(&pairs::<Category>()),
        (["case", ..], "outcome") => all(&pairs::<Outcome>()),
        (["case", ..], "kind") => all(&pairs::<ResponseKind>()),
        (["case", ..], "milestone") => all(&pairs::<crate::domain::milestone::MilestoneKind>()),
        (["case", ..], "agency") => all(&pairs::<Referral>()),
        (["case", "publish"], "channel") => all(&pairs::<PublishChannel>()),
        (["monitor"], "channel") => all(&pairs::<crate::domain::item::Channel>()),
        (["operator", ..], "role") => all(&pairs::<crate::domain::role::Role>()),
        _ => return None,
    })
}

/// `cmd` with the English help of each argument that takes a code listing the codes,
/// as the Chinese help does, and the options every command takes under a heading of
/// their own (not among a step's own).
pub fn english(mut cmd: Command) -> Command {
    for (name, _) in OPTIONS {
        cmd = cmd.mut_arg(*name, |a| a.help_heading("Global options"));
    }
    for (path, _, args) in OWN {
        cmd = at(cmd, path, &|mut c: Command| {
            for (id, _) in *args {
                if let Some(list) = codes(path, id, false) {
                    c = c.mut_arg(*id, |a| {
                        let help = a.get_help().map(ToString::to_string).unwrap_or_default();
                        a.help(format!("{help}: {list}"))
                    });
                }
            }
            c
        });
    }
    cmd
}

/// `cmd` with `f` applied to its subcommand at `path`.
fn at(cmd: Command, path: &[&str], f: &dyn Fn(Command) -> Command) -> Command {
    match path.split_first() {
        None => f(cmd),
        Some((first, rest)) => cmd.mut_subcommand(*first, |c| at(c, rest, f)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_command_and_global_option_has_its_chinese_help() {
        let cmd = crate::cli::Cli::command();
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            assert!(COMMANDS.iter().any(|(n, _)| *n == sub.get_name()), "no Chinese help for `{}`", sub.get_name());
        }
        for arg in cmd.get_arguments().filter(|a| a.is_global_set()) {
            let id = arg.get_id().as_str();
            assert!(OPTIONS.iter().any(|(n, _)| *n == id), "no Chinese help for --{id}");
        }
        // Names that are not the program's would panic in clap: every one is.
        chinese(cmd).debug_assert();
    }

    /// Every command under `cmd` (at `path`), with its path.
    fn every(cmd: &Command, path: Vec<String>, out: &mut Vec<(Vec<String>, Command)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut at = path.clone();
            at.push(sub.get_name().to_string());
            every(sub, at.clone(), out);
            out.push((at, sub.clone()));
        }
    }

    #[test]
    fn every_command_step_and_argument_has_its_chinese_help() {
        let mut all = Vec::new();
        every(&crate::cli::Cli::command(), Vec::new(), &mut all);
        for (path, cmd) in &all {
            let own = OWN.iter().find(|(p, _, _)| p.iter().eq(path.iter()));
            if path.len() > 1 {
                assert!(own.is_some_and(|o| !o.1.is_empty()), "no Chinese description for `{}`", path.join(" "));
            }
            for arg in cmd.get_arguments().filter(|a| !a.is_global_set()) {
                let id = arg.get_id().as_str();
                let said = own.is_some_and(|(_, _, args)| args.iter().any(|(n, _)| *n == id));
                assert!(said, "`{}` has no Chinese help for {id}", path.join(" "));
            }
        }
    }

    #[test]
    fn under_chinese_no_help_screen_keeps_a_line_of_clap_english() {
        let mut zh = chinese(crate::cli::Cli::command());
        let mut all = vec![(vec![], zh.clone())];
        every(&zh, Vec::new(), &mut all);
        assert!(all.len() > 40, "every command and step: {}", all.len());
        for (path, mut cmd) in all {
            let help = cmd.render_help().to_string();
            for english in [
                "Print help",
                "Print version",
                "Print this message",
                "[env:",
                "[default:",
                "[possible values",
                "Usage:",
                "Options:",
                "Arguments:",
                "Commands:",
            ] {
                assert!(!help.contains(english), "`{english}` in the help of `{}`:\n{help}", path.join(" "));
            }
        }
        let help = zh.render_help().to_string();
        assert!(
            help.contains("全局选项") && help.contains("显示帮助") && help.contains("［环境变量 YUQING_DATA］"),
            "{help}"
        );
        let mut batch = zh.find_subcommand("ingest").unwrap().clone();
        assert!(batch.render_help().to_string().contains("每批落盘的条数［默认：1000］"));
        let mut step = zh.find_subcommand_mut("case").unwrap().find_subcommand("escalate").unwrap().clone();
        let step = step.render_help().to_string();
        let (own, global) = step.split_once("全局选项").unwrap();
        assert!(own.contains("--reason") && !own.contains("--data") && global.contains("--data"), "{step}");
    }

    #[test]
    fn a_step_says_its_own_arguments_and_lists_codes_in_either_language() {
        let zh = chinese(crate::cli::Cli::command());
        let mut escalate = zh.find_subcommand("case").unwrap().find_subcommand("escalate").unwrap().clone();
        let help = escalate.render_help().to_string();
        assert!(
            help.contains("督办（仅带班领导）") && help.contains("原因（必填，记入审计）") && help.contains("用法："),
            "{help}"
        );
        let mut role = zh.find_subcommand("operator").unwrap().find_subcommand("role").unwrap().clone();
        let role = role.render_help().to_string();
        assert!(role.contains("supervisor 带班领导"), "{role}");
        let mut en = english(crate::cli::Cli::command());
        en.build();
        let mut open = en.find_subcommand("case").unwrap().find_subcommand("open").unwrap().clone();
        let open = open.render_help().to_string();
        assert!(open.contains("Severity: general, major, extraordinary"), "{open}");
        let (own, global) = open.split_once("Global options:").expect(&open);
        assert!(own.contains("--severity") && !own.contains("--data") && global.contains("--data"), "{open}");
    }
}
