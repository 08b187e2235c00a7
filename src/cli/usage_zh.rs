//! Usage errors said in Chinese on a Chinese terminal: clap finds what is wrong with
//! the command line, [`Chinese`] says it — what was given, what would be valid, the
//! usage line and where to read more. The exit code and stream stay clap's.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};

/// Formats clap's usage errors in Chinese (`clap::Error::apply::<Chinese>()`).
pub struct Chinese;

impl ErrorFormatter for Chinese {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let mut out = format!("错误：{}", said(error));
        let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg, ContextKind::SuggestedValue]
            .into_iter()
            .find_map(|kind| error.get(kind).map(list));
        if let Some(like) = suggested {
            out.push_str(&format!("\n\n  是不是要用 {like}？"));
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            out.push_str(&format!("\n\n{}", usage.to_string().replacen("Usage: ", "用法：", 1)));
        }
        out.push_str("\n\n详见 --help\n");
        StyledStr::from(out)
    }
}

/// Prints a usage error of this program's own (`said`, in Chinese) as clap prints its
/// own, and exits with clap's code for it.
pub fn custom(kind: ErrorKind, said: String) -> ! {
    use clap::CommandFactory;
    let mut error = clap::error::Error::<Chinese>::new(kind).with_cmd(&super::Cli::command());
    error.insert(ContextKind::Custom, ContextValue::String(said));
    error.exit()
}

/// What is wrong, in a sentence.
fn said(error: &clap::error::Error<Chinese>) -> String {
    let get = |kind| error.get(kind).map(list).unwrap_or_default();
    if let Some(said) = error.get(ContextKind::Custom) {
        return list(said);
    }
    let (arg, value) = (get(ContextKind::InvalidArg), get(ContextKind::InvalidValue));
    match error.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 需要一个值"),
        ErrorKind::InvalidValue => {
            format!("{arg} 的值「{value}」无效；可用的值：{}", get(ContextKind::ValidValue))
        }
        ErrorKind::ValueValidation => format!("{arg} 的值「{value}」无效：{}", why(error)),
        ErrorKind::UnknownArgument => format!("没有参数 {arg}"),
        ErrorKind::InvalidSubcommand => format!("没有命令「{}」", get(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingRequiredArgument => format!("缺少必填的参数：{arg}"),
        ErrorKind::MissingSubcommand => {
            format!("{} 须接一个命令：{}", get(ContextKind::InvalidSubcommand), get(ContextKind::ValidSubcommand))
        }
        ErrorKind::ArgumentConflict => match get(ContextKind::PriorArg) {
            prior if prior.is_empty() || prior == arg => format!("{arg} 只能给一次"),
            prior => format!("{arg} 不能与 {prior} 同用"),
        },
        ErrorKind::NoEquals => format!("{arg} 的值须用等号给出，如 {arg}=…"),
        ErrorKind::TooManyValues => format!("{arg} 多给了值「{value}」"),
        ErrorKind::TooFewValues => {
            format!("{arg} 至少要 {} 个值，只给了 {}", get(ContextKind::MinValues), get(ContextKind::ActualNumValues))
        }
        ErrorKind::WrongNumberOfValues => {
            format!("{arg} 要 {} 个值，给了 {}", get(ContextKind::ExpectedNumValues), get(ContextKind::ActualNumValues))
        }
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文字".to_string(),
        _ => error.kind().to_string(),
    }
}

/// Why a value was refused by its parser: a number that is not one, or out of range,
/// in Chinese; a parser of this program says why in both languages, and the Chinese
/// half is kept.
fn why(error: &clap::error::Error<Chinese>) -> String {
    use std::num::IntErrorKind;
    let Some(source) = std::error::Error::source(error) else { return "格式不对".to_string() };
    if let Some(e) = source.downcast_ref::<std::num::ParseIntError>() {
        return match e.kind() {
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "数太大".to_string(),
            _ => "须为整数".to_string(),
        };
    }
    let text = source.to_string();
    match (text.rsplit_once(" / "), text.split_once(" is not in ")) {
        (Some((_, zh)), _) => zh.to_string(),
        (None, Some((_, range))) => format!("超出允许的范围 {range}"),
        (None, None) => text,
    }
}

/// A context value as text: a list joined with 、.
fn list(value: &ContextValue) -> String {
    match value {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v.iter().map(ToString::to_string).collect::<Vec<_>>().join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// The Chinese error clap would print for `args`.
    fn error_of(args: &[&str]) -> String {
        let cmd = super::super::help_zh::chinese(super::super::Cli::command());
        let e = cmd.try_get_matches_from(args).expect_err("a usage error");
        e.apply::<Chinese>().render().to_string()
    }

    #[test]
    fn usage_errors_are_said_in_chinese_with_what_would_be_valid() {
        let missing = error_of(&["yuqing", "case", "escalate", "A-0001"]);
        assert!(missing.starts_with("错误：缺少必填的参数：--reason <REASON>"), "{missing}");
        assert!(missing.contains("用法：yuqing case escalate") && missing.contains("详见 --help"), "{missing}");
        let unknown = error_of(&["yuqing", "case", "escalte", "A-0001"]);
        assert!(unknown.contains("没有命令「escalte」") && unknown.contains("是不是要用 escalate？"), "{unknown}");
        let value = error_of(&["yuqing", "items", "--status", "old"]);
        assert!(value.contains("--status <STATUS> 的值「old」无效；可用的值：new、dismissed"), "{value}");
        let number = error_of(&["yuqing", "monitor", "--channel", "weibo", "--found", "很多"]);
        assert!(number.contains("的值「很多」无效：须为整数"), "{number}");
        let range = error_of(&["yuqing", "ingest", "--batch", "0", "a.jsonl"]);
        assert!(range.contains("的值「0」无效：超出允许的范围 1..=100000"), "{range}");
        let draft = error_of(&["yuqing", "case", "approve", "A-0001", "--draft", "0"]);
        assert!(draft.contains("草稿编号从 1 起"), "{draft}");
        for said in [missing, unknown, value, number, range, draft] {
            for english in ["error:", "Usage:", "For more information", "tip:"] {
                assert!(!said.contains(english), "`{english}` in {said}");
            }
        }
    }
}
