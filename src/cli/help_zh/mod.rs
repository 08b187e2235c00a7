//! The command line's help in Chinese, for a Chinese terminal: the program's and every
//! command's and step's description, each argument and option (those that take codes
//! list them with their Chinese names, made from the domain's names), the headings —
//! a step's own options apart from the 全局选项 every command takes — and clap's own
//! lines (`-h`, `-V`, `help`, environment variables, defaults, possible values). The
//! English help keeps clap's words and gets the code lists and the global heading.

use clap::{Arg, ArgAction, Command};

mod table;

use table::{COMMANDS, OPTIONS, OWN};

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
