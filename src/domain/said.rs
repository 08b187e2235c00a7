//! Refusals in Chinese: the words a Chinese console shows for a [`DomainError`], beside
//! the English its `Display` gives the command line. A refusal of the rules carries both
//! texts from where it is made ([`Said`]); the others are put here from their fields.

use super::decide::DomainError;
use super::names::Named;
use std::fmt;

/// A refusal's text in English and in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub en: String,
    pub zh: String,
}

impl Said {
    /// The text in `lang`.
    pub fn of(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Zh => &self.zh,
            crate::i18n::Lang::En => &self.en,
        }
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// The Chinese for the things `decide` names in English (`the reason` → `原因`).
pub fn zh_what(what: &str) -> &'static str {
    match what {
        "the reason" => "原因",
        "the text" => "内容",
        "the note" => "备注",
        "the reference number" => "文号",
        _ => "此项",
    }
}

/// Why a role may not: `only a supervisor may` → `仅带班领导可以执行`.
fn zh_needed(needed: &str) -> &'static str {
    match needed {
        "only a supervisor may" => "仅带班领导可以执行",
        "only a trainer or a supervisor may" => "仅培训员或带班领导可以执行",
        _ => "查看人员不能更改任何内容",
    }
}

pub(super) fn zh_status(status: &str) -> &'static str {
    match status {
        "new" => "待研判",
        "dismissed" => "已排除",
        "expired" => "已过期",
        _ => "已并入舆情事项",
    }
}

impl DomainError {
    /// The refusal in Chinese, for a Chinese console.
    pub fn zh(&self) -> String {
        match self {
            DomainError::Forbidden { who, role, needed, .. } => {
                format!("{who}（{}）无权执行此操作：{}", role.zh(), zh_needed(needed))
            }
            DomainError::UnknownCase(no) => format!("没有舆情事项“{no}”；编号形如 A-0042"),
            DomainError::UnknownItem(id) => format!("没有信息“{id}”；编号形如 A.17"),
            DomainError::UnknownDepartment(_) => "没有这个单位；请从列表中选择".to_string(),
            DomainError::Closed(no) => format!("舆情事项 {no} 已结案；请先重新打开"),
            DomainError::NotClosed(no) => format!("舆情事项 {no} 尚在办理；只有已结案的才能重新打开"),
            DomainError::ItemNotNew { id, status, .. } => {
                format!("信息 {id} {}，只能处理待研判的信息", zh_status(status))
            }
            DomainError::Invalid(said) => said.zh.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::Role;

    #[test]
    fn refusals_read_in_chinese() {
        let forbidden = DomainError::Forbidden {
            who: "duty".into(),
            role: Role::Operator,
            action: "x",
            needed: "only a supervisor may",
        };
        assert_eq!(forbidden.zh(), "duty（值班员）无权执行此操作：仅带班领导可以执行");
        let not_new = DomainError::ItemNotNew { id: "A.2".into(), status: "dismissed".into(), action: "dismissed" };
        assert_eq!(not_new.zh(), "信息 A.2 已排除，只能处理待研判的信息");
        let said = DomainError::Invalid(Said { en: "in English".into(), zh: "中文".into() });
        assert_eq!((said.to_string(), said.zh()), ("in English".to_string(), "中文".to_string()));
    }
}
