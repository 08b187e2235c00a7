//! The command line's help in Chinese, for a Chinese terminal: the program's and each
//! command's one-line description, the global options and the headings. The help of
//! each command's own options, and clap's own `-h`/`-V`/`help` lines, stay English
//! (their text lives in `args.rs` and in clap).

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

/// `cmd` with its help in Chinese.
pub fn chinese(mut cmd: Command) -> Command {
    cmd = cmd
        .about("舆情值守台：待研判信息、带回应时限的舆情事项、部门履职情况")
        .help_template("{about}\n\n用法：{usage}\n\n命令：\n{subcommands}\n\n选项：\n{options}\n");
    for (name, about) in COMMANDS {
        cmd = cmd.mut_subcommand(*name, |c| c.about(*about));
    }
    for (name, help) in OPTIONS {
        cmd = cmd.mut_arg(*name, |a| a.help(*help));
    }
    cmd
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
}
