//! The command line's help in Chinese, for a Chinese terminal: the program's and each
//! command's one-line description, the global options and the headings, and the
//! arguments and options of the commands an officer uses on a shift (listed in
//! [`OWN`]: ingest, the lists, reports, backup, the console and every `case` step). The
//! options of the set-up commands (`operator`, `cluster`, `config`, `drill`, `rules`)
//! and clap's own `-h`/`-V`/`help` lines stay English (their text lives in `args.rs`
//! and in clap).

use clap::Command;

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
];

/// The help template of a command with arguments (and one without), Chinese headings.
const TEMPLATE: &str = "{about}\n\n用法：{usage}\n\n参数：\n{positionals}\n\n选项：\n{options}\n";
const TEMPLATE_NO_ARGS: &str = "{about}\n\n用法：{usage}\n\n选项：\n{options}\n";
/// The help template of a command of several steps (`case`, `operator`, …).
const TEMPLATE_STEPS: &str = "{about}\n\n用法：{usage}\n\n命令：\n{subcommands}\n\n选项：\n{options}\n";

/// `cmd` with its help in Chinese.
pub fn chinese(mut cmd: Command) -> Command {
    cmd = cmd
        .about("舆情值守台：待研判信息、带回应时限的舆情事项、部门履职情况")
        .help_template("{about}\n\n用法：{usage}\n\n命令：\n{subcommands}\n\n选项：\n{options}\n");
    for (name, about) in COMMANDS {
        cmd = cmd.mut_subcommand(*name, |c| {
            let c = c.about(*about);
            if c.has_subcommands() { c.help_template(TEMPLATE_STEPS) } else { c }
        });
    }
    for (name, help) in OPTIONS {
        cmd = cmd.mut_arg(*name, |a| a.help(*help));
    }
    for (path, about, args) in OWN {
        cmd = at(cmd, path, &|mut c: Command| {
            if !about.is_empty() {
                c = c.about(*about);
            }
            for (id, help) in *args {
                let text = match codes(path, id, true) {
                    Some(list) => format!("{help}：{list}"),
                    None => help.to_string(),
                };
                c = c.mut_arg(*id, |a| a.help(text));
            }
            let template = if c.get_positionals().next().is_some() { TEMPLATE } else { TEMPLATE_NO_ARGS };
            c.help_template(template)
        });
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
        _ => return None,
    })
}

/// `cmd` with the English help of each argument that takes a code listing the codes,
/// as the Chinese help does.
pub fn english(mut cmd: Command) -> Command {
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

    #[test]
    fn every_case_step_and_every_own_argument_listed_has_its_chinese_help() {
        let cmd = crate::cli::Cli::command();
        let case = cmd.find_subcommand("case").unwrap();
        for step in case.get_subcommands().filter(|s| s.get_name() != "help") {
            let listed = OWN.iter().find(|(p, _, _)| *p == ["case", step.get_name()]);
            let Some((_, about, args)) = listed else { panic!("no Chinese help for `case {}`", step.get_name()) };
            assert!(!about.is_empty(), "`case {}` has no Chinese description", step.get_name());
            for arg in step.get_arguments().filter(|a| !a.is_global_set() && a.get_id() != "help") {
                let id = arg.get_id().as_str();
                assert!(args.iter().any(|(n, _)| *n == id), "`case {}` has no Chinese help for {id}", step.get_name());
            }
        }
        for (path, _, _) in OWN.iter().filter(|(p, _, _)| p.len() == 1) {
            let sub = cmd.find_subcommand(path[0]).unwrap();
            let listed = OWN.iter().find(|(p, _, _)| p == path).map(|o| o.2).unwrap_or_default();
            for arg in sub.get_arguments().filter(|a| !a.is_global_set() && a.get_id() != "help") {
                let id = arg.get_id().as_str();
                assert!(listed.iter().any(|(n, _)| *n == id), "`{}` has no Chinese help for {id}", path[0]);
            }
        }
        let zh = chinese(crate::cli::Cli::command());
        let mut escalate = zh.find_subcommand("case").unwrap().find_subcommand("escalate").unwrap().clone();
        let help = escalate.render_help().to_string();
        let en = english(crate::cli::Cli::command());
        let mut open = en.find_subcommand("case").unwrap().find_subcommand("open").unwrap().clone();
        let open = open.render_help().to_string();
        assert!(open.contains("Severity: general, major, extraordinary"), "{open}");
        assert!(
            help.contains("督办（仅带班领导）") && help.contains("原因（必填，记入审计）") && help.contains("用法："),
            "{help}"
        );
    }
}
