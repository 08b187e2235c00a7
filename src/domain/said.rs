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
    /// A text in both languages.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Said {
        Said { en: en.into(), zh: zh.into() }
    }

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

/// What a command does, in Chinese, from its English verb (`Command::verb`).
fn zh_verb(verb: &str) -> &'static str {
    match verb {
        "ingest items" => "录入信息",
        "dismiss items" => "排除信息",
        "restore dismissed items" => "撤销排除",
        "expire items" => "移出过期信息",
        "open cases" => "登记舆情事项",
        "attach items" => "并入信息",
        "classify cases" => "重新研判",
        "assign departments" => "交办",
        "transfer cases" => "转办",
        "acknowledge cases" => "签收",
        "escalate cases" => "督办",
        "report to the county" => "报告县政府",
        "refer cases" => "移交线索",
        "draft responses" => "起草回应",
        "sign off drafts" => "会签草稿",
        "agree wordings" => "统一口径",
        "approve responses" => "审核回应",
        "return drafts" => "退回草稿",
        "publish responses" => "发布回应",
        "record press conferences" => "记录新闻发布会",
        "request extensions" => "申请延期",
        "extend milestones" => "延期",
        "add notes" => "添加备注",
        "mark accountability" => "提出问责建议",
        "close cases" => "结案",
        "reopen cases" => "重新打开舆情事项",
        "hand over the shift" => "交接班",
        "sign in and out" => "登录登出",
        "record daily monitoring" => "登记监测情况",
        "change operators" => "更改值守人员",
        "update an item's reach" => "更新传播量",
        "pace a drill" => "控制演练进度",
        "send drill notes" => "发送演练通知",
        "revoke consoles" => "吊销控制台",
        _ => "执行此操作",
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

/// An unknown department as a command line says it in Chinese, where there is no list to
/// pick from: the value given and every valid one, `code（名称）`, read from the
/// refusal's English (`Directory::resolve`); `None` when it does not read as one.
pub fn unknown_department_zh(en: &str) -> Option<String> {
    let (key, list) = en.strip_prefix("unknown department `")?.split_once("`; valid: ")?;
    let valid: Vec<String> = list
        .split(", ")
        .map(|d| match d.split_once(' ') {
            Some((code, name)) => format!("{code}（{name}）"),
            None => d.to_string(),
        })
        .collect();
    Some(format!("没有单位 `{key}`；可填：{}", valid.join("、")))
}

impl DomainError {
    /// The refusal in Chinese, for a Chinese console.
    pub fn zh(&self) -> String {
        match self {
            DomainError::Forbidden { who, role, action, needed } => {
                format!("{who}（{}）无权{}：{}", role.zh(), zh_verb(action), zh_needed(needed))
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
        let approve = DomainError::Forbidden {
            who: "duty".into(),
            role: Role::Operator,
            action: "approve responses",
            needed: "only a supervisor may",
        };
        assert_eq!(approve.zh(), "duty（值班员）无权审核回应：仅带班领导可以执行", "the refusal names the action");
        let not_new = DomainError::ItemNotNew { id: "A.2".into(), status: "dismissed".into(), action: "dismissed" };
        assert_eq!(not_new.zh(), "信息 A.2 已排除，只能处理待研判的信息");
        let said = DomainError::Invalid(Said { en: "in English".into(), zh: "中文".into() });
        assert_eq!((said.to_string(), said.zh()), ("in English".to_string(), "中文".to_string()));
    }

    #[test]
    fn an_unknown_department_is_named_with_the_valid_ones() {
        use crate::domain::department::{Department, Directory};
        let dept = |code: &str, name: &str| Department { code: code.into(), name: name.into() };
        let dir = Directory { departments: vec![dept("jyj", "县教育局"), dept("scjgj", "县市场监管局")] };
        let en = dir.resolve("县劳动局").unwrap_err();
        assert_eq!(
            unknown_department_zh(&en).as_deref(),
            Some("没有单位 `县劳动局`；可填：jyj（县教育局）、scjgj（县市场监管局）"),
            "read from: {en}"
        );
        assert_eq!(unknown_department_zh("something else"), None);
    }
}
