//! Actions: everything a key can ask the console to do, each with a stable name (what
//! keymap files say) and a line of help in both languages, listed in one table; and
//! the kind of command each sends, so the domain's permission table says who may.

use crate::domain::names::Named;
use crate::domain::permission::{self, CommandKind};
use crate::domain::role::Role;
use crate::i18n::Lang;

macro_rules! actions {
    ($($variant:ident => $name:literal, $zh:literal, $en:literal;)*) => {
        /// One thing a key can ask for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action { $($variant),* }

        impl Action {
            /// Every action, in help order.
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            /// The name keymap files use.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),* }
            }

            /// One line of help.
            pub fn help(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Action::$variant, Lang::Zh) => $zh, (Action::$variant, Lang::En) => $en,)*
                }
            }
        }
    };
}

actions! {
    Quit => "quit", "退出", "quit";
    Help => "help", "帮助", "help";
    DrillPause => "drill_pause", "演练：暂停/继续", "drill: pause or resume";
    DrillSpeed => "drill_speed", "演练：切换速度 1×/5×/30×/60×", "drill: speed 1×/5×/30×/60×";
    DrillNext => "drill_next", "演练：跳到下一条", "drill: jump to the next entry";
    DrillScore => "drill_score", "演练：当前评分", "drill: the score so far";
    DrillInject => "drill_inject", "演练：插入一条信息", "drill: inject an item";
    SwitchOperator => "switch_operator", "交接班（交给另一位值班人员）", "hand the terminal to another operator";
    NextScreen => "next_screen", "下一屏", "next screen";
    PrevScreen => "prev_screen", "上一屏", "previous screen";
    ScreenQueue => "screen_queue", "待研判信息", "queue";
    ScreenCases => "screen_cases", "舆情事项", "cases";
    ScreenDepartments => "screen_departments", "部门履职情况", "departments";
    ScreenLastCase => "screen_last_case", "最近查看的舆情事项", "last case viewed";
    ScreenSupervision => "screen_supervision", "督办视图：超时、督办、待审核", "supervision: overdue, escalated, awaiting approval";
    Up => "up", "上移", "move up";
    Down => "down", "下移", "move down";
    PageUp => "page_up", "上一页", "page up";
    PageDown => "page_down", "下一页", "page down";
    Top => "top", "到顶部", "to the top";
    Bottom => "bottom", "到底部", "to the bottom";
    Open => "open", "打开", "open";
    Back => "back", "返回", "back";
    Filter => "filter", "筛选", "filter";
    ToggleMark => "toggle_mark", "批量选中/取消，并下移", "(un)mark, move down";
    ToggleClosed => "show_closed", "显示/隐藏已结案的舆情事项", "show or hide the closed cases";
    SortQueue => "sort_queue", "按时间/传播量排序", "sort by time or reach";
    MarkSimilar => "mark_similar", "选中与本条相似的全部信息", "mark every item similar to this one";
    AttachGroup => "attach_group", "本条及相似信息一并并入舆情事项", "attach this item and all similar ones to a case";
    OpenCase => "open_case", "登记舆情事项", "open a case";
    AttachItem => "attach", "并入已登记事项", "attach to a case";
    DismissItem => "dismiss", "排除", "dismiss";
    UndoDismiss => "undo_dismiss", "撤销刚才的排除（放回待研判）", "undo the last dismissal (back to the queue)";
    Classify => "classify", "重新研判", "classify";
    Assign => "assign", "交办", "assign departments";
    Transfer => "transfer", "转办", "transfer";
    Acknowledge => "acknowledge", "签收", "acknowledge";
    Escalate => "escalate", "督办", "escalate";
    ReportCounty => "report_county", "报告县政府", "report to the county";
    Refer => "refer", "移交公安/网警", "refer to police";
    Draft => "draft", "起草回应", "draft a response";
    SignOff => "sign_off", "会签草稿（协办单位）", "sign off a draft for a co-department";
    Approve => "approve", "审核回应", "approve a response";
    Publish => "publish", "发布回应", "publish a response";
    PressConference => "press_conference", "记录新闻发布会", "record a press conference";
    Extend => "extend", "延期", "extend a milestone";
    RequestExtension => "request_extension", "申请延期（由领导批准）", "request an extension (a supervisor grants it)";
    AgreeWording => "agree_wording", "统一口径（相关舆情事项）", "agree one wording for related cases";
    AddNote => "note", "添加备注", "add a note";
    MarkAccountability => "mark_accountability", "提出问责建议", "propose accountability";
    CloseCase => "close_case", "结案", "close the case";
    Reopen => "reopen", "重新打开", "reopen";
    SortDepartments => "sort_departments", "切换排序列", "change the sort column";
    Period => "period", "切换统计区间", "change the period";
    CustomPeriod => "custom_period", "自定义统计区间", "choose a custom period";
    RecordMonitoring => "record_monitoring", "登记当日监测情况", "record a day's monitoring";
    ExportReport => "export_report", "导出本区间通报（HTML、Markdown、CSV）", "export this period's report (HTML, Markdown, CSV)";
    Submit => "submit", "提交", "submit";
    NextField => "next_field", "下一项", "next";
    NewLine => "new_line", "换行（长文本中）", "new line (in a long text)";
    PrevField => "prev_field", "上一项", "back";
    Confirm => "confirm", "确认", "confirm";
    Cancel => "cancel", "取消", "cancel";
}

impl Action {
    /// The help line as it applies in `scope`: in a form, `toggle_mark` ticks a choice
    /// and stays where it is; in a list it marks and moves down a row.
    pub fn help_in(self, scope: crate::ui::keymap::Scope, lang: Lang) -> &'static str {
        match (self, scope) {
            (Action::ToggleMark, crate::ui::keymap::Scope::Form) => super::strings::M::TickChoice.t(lang),
            _ => self.help(lang),
        }
    }

    /// The kind of command this action ends in, if it sends one (a form's, or at once);
    /// `None` for what only moves, shows or exports.
    pub fn command(self) -> Option<CommandKind> {
        use Action as A;
        use CommandKind as K;
        Some(match self {
            A::SwitchOperator => K::HandOver,
            A::DrillPause | A::DrillSpeed | A::DrillNext => K::PaceDrill,
            A::DrillInject => K::ReceiveItem,
            A::OpenCase => K::OpenCase,
            A::AttachItem | A::AttachGroup => K::AttachItem,
            A::DismissItem => K::DismissItem,
            A::UndoDismiss => K::RestoreItem,
            A::Classify => K::Classify,
            A::Assign => K::Assign,
            A::Transfer => K::Transfer,
            A::Acknowledge => K::Acknowledge,
            A::Escalate => K::Escalate,
            A::ReportCounty => K::ReportCounty,
            A::Refer => K::Refer,
            A::Draft => K::Draft,
            A::SignOff => K::SignOff,
            A::AgreeWording => K::AgreeWording,
            A::RequestExtension => K::RequestExtension,
            A::RecordMonitoring => K::RecordMonitoring,
            A::Approve => K::Approve,
            A::Publish => K::Publish,
            A::PressConference => K::PressConference,
            A::Extend => K::Extend,
            A::AddNote => K::Note,
            A::MarkAccountability => K::Mark,
            A::CloseCase => K::Close,
            A::Reopen => K::Reopen,
            A::Quit
            | A::Help
            | A::DrillScore
            | A::NextScreen
            | A::PrevScreen
            | A::ScreenQueue
            | A::ScreenCases
            | A::ScreenDepartments
            | A::ScreenLastCase
            | A::ScreenSupervision
            | A::Up
            | A::Down
            | A::PageUp
            | A::PageDown
            | A::Top
            | A::Bottom
            | A::Open
            | A::Back
            | A::Filter
            | A::ToggleMark
            | A::SortQueue
            | A::ToggleClosed
            | A::MarkSimilar
            | A::SortDepartments
            | A::Period
            | A::CustomPeriod
            | A::ExportReport
            | A::Submit
            | A::NextField
            | A::NewLine
            | A::PrevField
            | A::Confirm
            | A::Cancel => return None,
        })
    }

    /// True when `role` may take this action: the permission table allows the command
    /// it sends, or it sends none. The forms, the footer and the help screen all ask this.
    pub fn allowed(self, role: Role) -> bool {
        self.command().is_none_or(|k| permission::allows(role, k))
    }

    /// Who may, when only some roles may: `（带班领导、培训员）`; `None` when every role
    /// but a viewer may (or anyone).
    pub fn who_may(self, l: Lang) -> Option<String> {
        let who = permission::who(self.command()?);
        if !matches!(who, permission::Who::Supervisor | permission::Who::Trainer) {
            return None;
        }
        let names: Vec<&str> = who.roles().into_iter().map(|r| if l == Lang::Zh { r.zh() } else { r.name() }).collect();
        Some(match l {
            Lang::Zh => format!("（{}）", names.join("、")),
            Lang::En => format!(" ({})", names.join(", ")),
        })
    }

    /// The roles that may take this action; empty when it sends no command.
    fn roles_that_may(self) -> Vec<Role> {
        self.command().map(|k| permission::who(k).roles()).unwrap_or_default()
    }

    /// What the status line says when `role` may not: `值班员不能执行此操作：仅带班领导可以`.
    pub fn refusal_to(self, role: Role, l: Lang) -> String {
        super::strings::not_allowed(role, &self.roles_that_may(), l)
    }
}

impl std::str::FromStr for Action {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Action::ALL.iter().copied().find(|a| a.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
            format!("unknown action `{s}`; valid: {}", names.join(", "))
        })
    }
}
