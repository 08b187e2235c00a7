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
    use crate::domain::decide::DomainError;
    match (r, lang) {
        // Named, with the valid ones: a command line has no list to pick from.
        (Refusal::Domain(e @ DomainError::UnknownDepartment(en)), Lang::Zh) => {
            crate::domain::said::unknown_department_zh(en).unwrap_or_else(|| e.zh())
        }
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

/// Which part of the merge rule decided a conflict, as the audit says it in Chinese (as
/// the console's notice of it does).
pub fn rule_zh(rule: crate::domain::conflict::Rule) -> &'static str {
    use crate::domain::conflict::Rule;
    match rule {
        Rule::CaseBeatsDismissal => "归案优先",
        Rule::FirstTriageWins => "先处置为准",
        Rule::FirstCloseWins => "先结案为准",
        Rule::TransferBeforeAck => "转办在先，由新牵头单位签收",
    }
}

/// A store error in Chinese, for a Chinese terminal; `None` for those said in English
/// only (their detail comes from sled or the disk).
pub fn store_error_zh(e: &crate::store::StoreError) -> Option<String> {
    use crate::store::StoreError as E;
    Some(match e {
        E::Locked(p) => format!(
            "数据文件夹 {0} 正被另一个 yuqing 进程使用（运行中的值守台或 yuqing serve）。\n\
             请关闭它、用 --data 另选文件夹、把信息文件放入 {0}/inbox/ 由运行中的值守台导入，\n\
             或用 --to 地址 通过它办理（它在监听时）。",
            p.display()
        ),
        E::NoDatabase(p) => format!(
            "{} 中没有 yuqing 数据库，那里未创建任何东西。\n\
             请检查 --data 和 YUQING_DATA（值守台、yuqing ingest 或 yuqing serve 会新建数据库）。",
            p.display()
        ),
        E::Damaged { path, detail } => format!(
            "数据文件夹 {0} 中的数据库已损坏，无法读取：{1}。\n\
             恢复办法：先把该文件夹整个复制到别处保存；再把它移走，在原处从备份恢复\n\
             （yuqing --data {0} restore 备份），或在原处用空文件夹启动值守台，从其他值守台重新同步（--peer 地址）。",
            path.display(),
            detail.zh
        ),
        E::NewerSchema { path, found } => format!(
            "数据文件夹 {} 由更新版本的 yuqing 写入（数据格式 {found}，本版本最多读 {}）。请升级 yuqing，或用 --data 另选文件夹。",
            path.display(),
            crate::domain::event::SCHEMA_VERSION
        ),
        E::WrongRealm { path, found, wanted } => {
            format!("数据文件夹 {} 属于“{found}”，不是“{wanted}”；请用 --data 另选文件夹。", path.display())
        }
        E::DiskFull(p) => format!(
            "{} 所在的磁盘已满：即使只读，打开数据库也需要一点空间。请清理出一些空间；已保存的内容不会丢失。",
            p.display()
        ),
        E::Denied(p) => format!(
            "yuqing 无权读写数据文件夹 {}（权限不足）。请以该文件夹所有者的身份运行，或给当前用户该文件夹及其中全部内容的读写权限。",
            p.display()
        ),
        _ => return None,
    })
}

/// A refusal said in both languages, as the terminal reads it.
pub fn told(s: crate::domain::said::Said) -> anyhow::Error {
    anyhow::anyhow!(s.of(crate::i18n::Lang::of_terminal()).to_string())
}

/// A member of a closed set by its code or its Chinese name; refused in the terminal's
/// language, naming the value and listing the valid ones (with their Chinese names in
/// Chinese).
pub fn named<T: crate::domain::names::Named + PartialEq>(s: &str) -> anyhow::Result<T> {
    T::parse_said(s).map_err(told)
}
