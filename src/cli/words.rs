//! The words the command line prints for people (not the JSON it prints for scripts),
//! in Chinese when the terminal's language is Chinese (`LANG=zh_CN…`), else English.
//! Fixed words are a typed catalogue; sentences with figures are functions here, so
//! every user-facing sentence of these commands lives in one file.

use crate::domain::item::ItemStatus;
use crate::i18n::Lang;
use crate::store::Refusal;

crate::i18n::catalogue! {
    /// A word of the command line.
    W {
        NoItems => "没有舆情信息", "no items";
        New => "待研判", "new";
        Dismissed => "已排除", "dismissed";
        Attached => "已并入", "attached";
        Expired => "过期移出", "expired";
        Lead => "牵头", "lead";
        Co => "协办", "co";
        Milestones => "时限节点：", "Milestones:";
        Items => "舆情信息：", "Items:";
        Timeline => "处置记录：", "Timeline:";
        Due => "应完成", "due";
    }
}

/// An item's status as a reader of `lang` reads it (English: the status code).
pub fn status(s: &ItemStatus, lang: Lang) -> &'static str {
    match s {
        ItemStatus::New => W::New,
        ItemStatus::Dismissed { .. } => W::Dismissed,
        ItemStatus::Attached { .. } => W::Attached,
        ItemStatus::Expired { .. } => W::Expired,
    }
    .t(lang)
}

/// A refused command, as the officer's terminal reads it.
pub fn refused(reason: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已拒绝：{reason}"),
        Lang::En => format!("refused: {reason}"),
    }
}

/// Why a command was refused, in `lang` (the store's own faults stay as they are).
pub fn refusal(r: &Refusal, lang: Lang) -> String {
    match (r, lang) {
        (Refusal::Domain(e), Lang::Zh) => e.zh(),
        (Refusal::Duplicate(id), Lang::Zh) => format!("已收到过，编号 {id}"),
        _ => r.to_string(),
    }
}

/// The last line when some commands were refused.
pub fn some_refused(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n} 条命令被拒绝，均未写入"),
        Lang::En => format!("{n} command(s) refused; nothing was written for them"),
    }
}

/// Why an ingest with bad lines wrote nothing.
pub fn bad_lines(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n} 行有误，未写入任何信息。请改正，或加 --skip-invalid 只导入正确的行"),
        Lang::En => {
            format!("{n} bad line(s); nothing was written. Fix them, or pass --skip-invalid to ingest the good lines")
        }
    }
}

/// The line that ends an ingest.
pub fn ingested(new: usize, dups: usize, bad: usize, refused: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("新增 {new} 条，重复跳过 {dups} 条，无效行跳过 {bad} 行，被拒绝 {refused} 条"),
        Lang::En => format!("{new} new, {dups} duplicate(s) skipped, {bad} invalid line(s) skipped, {refused} refused"),
    }
}

/// The line under a case's title in `case show`: when and by whom it was registered,
/// where its deadlines count from, and its state.
pub fn opened(at: &str, by: &str, base: &str, state: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("  {at} 由 {by} 登记 · 时限自 {base} 起算 · {state}"),
        Lang::En => format!("  opened {at} by {by} · deadlines count from {base} · {state}"),
    }
}

/// A milestone's original due time, after an extension.
pub fn originally(at: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（原定 {at}）"),
        Lang::En => format!(" (originally {at})"),
    }
}
