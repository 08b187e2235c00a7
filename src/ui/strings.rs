//! Every text the console shows, in Chinese and English, in one table. Screens ask
//! for a message by name; nothing else in the UI spells out user-facing words.

use crate::domain::conflict::{Conflict, Deed, Rule};
use crate::domain::department::Directory;
use crate::i18n::Lang;

crate::i18n::catalogue! {
    /// A message of the console's catalogue.
    M {
    AppName => "舆情值守台", "Opinion duty console";
    Live => "正式", "LIVE";
    Queue => "待研判", "Queue";
    Cases => "舆情事项", "Cases";
    Departments => "部门", "Departments";
    NewItems => "新", "new";
    OpenCases => "办理中", "open";
    Overdue => "超时", "overdue";
    DueSoon => "2小时内到期", "due <2h";
    WaitingLong => "待研判超时", "waiting too long";
    Waiting => "已等待", "Waiting";
    Age => "距今", "Age";
    Time => "时间", "Time";
    Channel => "渠道", "Channel";
    Title => "标题", "Title";
    Reach => "传播量", "Reach";
    No => "编号", "No.";
    Severity => "级别", "Severity";
    Category => "类别", "Category";
    Lead => "牵头单位", "Lead";
    CoDepartments => "协办单位", "Co-departments";
    NextMilestone => "下一节点", "Next";
    Countdown => "倒计时", "Left";
    Left => "剩余", "left";
    Met => "已完成", "met";
    OnTime => "按时", "on time";
    Late => "超时完成", "late";
    Waived => "结案时未到期，不再计时", "waived at closing";
    Due => "时限", "Due";
    Milestones => "时限节点", "Milestones";
    Items => "关联信息", "Items";
    Timeline => "处置记录", "Timeline";
    Author => "发布者", "Author";
    Url => "链接", "URL";
    Published => "发布时间", "Published";
    Received => "接收时间", "Received";
    Status => "状态", "Status";
    Filter => "筛选", "Filter";
    Shown => "显示", "shown";
    Marked => "已选", "marked";
    Help => "帮助", "Help";
    YourRole => "当前角色：", "Your role: ";
    HelpMarks => "✗ 本角色不能执行；括号内为可执行的角色", "✗ not for your role; brackets name the roles that may";
    Global => "全局", "Everywhere";
    CaseScreen => "事项详情", "Case detail";
    ItemScreen => "信息详情", "Item detail";
    Welcome => "欢迎使用舆情值守台", "Welcome to the opinion duty console";
    WelcomeBody1 => "没有待研判的信息。监测信息可以这样进入：", "The queue is empty. Items arrive like this:";
    WelcomeInbox => "把 JSONL 或 CSV 文件放入收件箱文件夹：", "drop JSONL or CSV files into the inbox folder:";
    WelcomeIngest => "或在另一终端运行：yuqing ingest 文件（本台运行时也可以）", "or, in another terminal, run: yuqing ingest FILE (also while this console runs)";
    WelcomeFormat => "文件格式见 docs/items.md；操作说明见 docs/operators.md。", "The file format is in docs/items.md; the manual in docs/operators.md.";
    WelcomeDrill => "练习用演练：yuqing drill run docs/drills/canteen-rumour.jsonl（数据与正式数据分开）", "To practise: yuqing drill run docs/drills/canteen-rumour.jsonl (kept apart from live data)";
    DrillWelcome => "演练", "Drill";
    DrillEnded => "演练结束：时钟已停止；F9 查看最终评分", "the drill has ended: the clock stopped; F9 shows the final score";
    DrillOver => "演练已结束，时钟不再变化；F9 查看最终评分", "the drill has ended; the clock no longer changes; F9 shows the final score";
    DrillPaused => "演练已暂停于", "drill paused at";
    DrillResumed => "演练继续，速度", "drill resumed at";
    DrillSpeedNow => "演练速度", "drill speed";
    DrillJumped => "已跳到剧本下一条，演练时间", "jumped to the next entry at";
    DrillTraineeClock => "演练时钟由培训员控制", "the trainer's console runs the drill clock";
    DrillTraineeInject => "演练信息由培训员插入", "the trainer's console injects the drill's items";
    DrillNoneLeft => "没有剩余信息", "no entries left";
    DrillEndedTag => "已结束", "ENDED";
    DrillTrainerGone => "培训员未连接，演练暂停", "the trainer is not connected: the drill is paused";
    DrillTrainer => "信息按剧本在演练时间到达。培训员按键：", "Items arrive as the drill clock reaches them. The trainer's keys:";
    DrillTrainee => "等待培训员的演练信息；本台时钟随培训员暂停、加速。", "Waiting for the trainer's items; this clock pauses and speeds up with the trainer's.";
    DrillJoin => "学员在自己的终端加入：yuqing drill run 剧本文件 --join --peer 本台地址", "Trainees join from their terminals: yuqing drill run FILE --join --peer THIS-ADDRESS";
    NoCases => "没有办理中的舆情事项", "No open cases";
    NoMatch => "没有符合筛选的信息", "Nothing matches the filter";
    QueueEmpty => "没有待研判的信息", "The queue is empty";
    Period => "统计区间", "Period";
    Today => "今日", "today";
    Days7 => "近7天", "7 days";
    Days30 => "近30天", "30 days";
    Custom => "自定义", "custom";
    From => "开始 (YYYY-MM-DD HH:MM)", "From (YYYY-MM-DD HH:MM)";
    ToTime => "结束 (YYYY-MM-DD HH:MM)", "To (YYYY-MM-DD HH:MM)";
    Department => "单位", "Department";
    DirectoryOrder => "名录顺序", "Directory order";
    CasesLed => "牵头", "Led";
    CoHandled => "协办", "Co";
    OpenNow => "在办", "Open";
    OverdueNow => "超时", "Over";
    OnTimeRate => "按时率", "On-time";
    MedianFirst => "首次回应中位", "Median 1st";
    Acks => "签收", "Ack";
    Escalations => "督办", "Esc";
    Extensions => "延期", "Ext";
    Marks => "问责建议", "Mark";
    Referrals => "移交", "Ref";
    SortBy => "排序", "sort";
    Loading => "加载中…", "loading…";
    ConfirmQuit => "表单尚未提交，确定退出？", "A form holds unsaved input. Quit anyway?";
    ConfirmClose => "确定结案？", "Close this case?";
    ConfirmDismiss => "确定排除所选信息？", "Dismiss the selected items?";
    Done => "已保存", "saved";
    Refused => "未执行", "refused";
    NothingSelected => "没有选中的信息", "nothing selected";
    Reason => "原因", "Reason";
    Note => "备注", "Note";
    Text => "内容", "Text";
    Kind => "类型", "Kind";
    To => "移交/转办至", "To";
    NoneHere => "无", "none";
    Reference => "文号", "Reference";
    PublishChannel => "发布渠道", "Channel";
    Milestone => "节点", "Milestone";
    Until => "延至 (YYYY-MM-DD HH:MM)", "Until (YYYY-MM-DD HH:MM)";
    Outcome => "结果", "Outcome";
    Case => "舆情事项", "Case";
    Dept => "单位", "Department";
    FormOpenCase => "登记舆情事项", "Open a case";
    FormAttach => "并入已登记的舆情事项", "Attach to a case";
    FormDismiss => "排除信息", "Dismiss items";
    FormClassify => "重新研判", "Classify";
    FormAssign => "交办", "Assign departments";
    FormTransfer => "转办", "Transfer";
    FormAck => "签收", "Acknowledge";
    FormEscalate => "督办", "Escalate";
    FormReport => "报告县政府", "Report to the county government";
    FormRefer => "移交公安/网警", "Refer to police";
    FormDraft => "起草回应", "Draft a response";
    FormApprove => "审核回应", "Approve a response";
    FormPublish => "发布回应", "Publish a response";
    FormPress => "记录新闻发布会", "Record a press conference";
    FormExtend => "延期", "Extend a milestone";
    FormRequestExtension => "申请延期", "Request an extension";
    FormSignOff => "会签草稿", "Sign off a draft";
    FormWording => "统一口径", "Agree a wording";
    FormMonitoring => "登记当日监测情况", "Record a day's monitoring";
    DraftNo => "草稿", "Draft";
    RelatedCases => "相关舆情事项", "Cases";
    Wording => "口径", "Wording";
    Day => "日期 (YYYY-MM-DD)", "Day (YYYY-MM-DD)";
    Found => "发现条数", "Items found";
    NotACount => "须为 0 或正整数", "must be a whole number, 0 or more";
    NotADay => "须为日期，如 2026-07-01", "must be a date such as 2026-07-01";
    ExtensionsAsked => "申请延期（待领导批准）", "Extensions asked for";
    NotATime => "须为时间，如 2026-07-02 18:00", "must be a time such as 2026-07-02 18:00";
    NoCoDepartments => "本舆情事项没有协办单位，无需会签", "this case has no co-departments to sign off";
    FormNote => "添加备注", "Add a note";
    FormMark => "问责建议", "Propose accountability";
    FormClose => "结案", "Close the case";
    FormReopen => "重新打开", "Reopen the case";
    FormInject => "演练：插入信息", "Drill: inject an item";
    Required => "必填", "required";
    Similar => "相似于", "similar to";
    Hints => "规则提示", "Rule hints";
    NewItemsArrived => "新信息", "new items";
    InboxIngested => "收件箱已导入", "inbox ingested";
    InboxDuplicates => "条重复", "duplicate(s)";
    InboxRejected => "收件箱文件被拒绝", "inbox file rejected";
    Bell => "提醒", "alert";
    Sync => "同步", "sync";
    Supervision => "督办", "Supervise";
    SupervisionScreen => "督办视图（对光标所在行的舆情事项）", "Supervision screen (on the highlighted row's case)";
    OverdueAll => "各单位超时舆情事项（超时最久在前）", "Overdue cases of every department (longest first)";
    Escalated => "督办中的舆情事项", "Escalated cases";
    AwaitingApproval => "待审核的回应草稿", "Drafts waiting for approval";
    SignIn => "登录", "Sign in";
    OperatorId => "工号", "Operator";
    Pin => "PIN", "PIN";
    WrongPin => "工号或 PIN 不对", "wrong operator or PIN";
    Locked => "已锁定：请登录", "Locked: sign in";
    NoPin => "此工号未设 PIN，请用 yuqing operator pin 工号 设置", "this operator has no PIN; set one with yuqing operator pin ID";
    SignedIn => "已登录", "signed in";
    SignInIncoming => "接班人登录", "Incoming officer: sign in";
    FormRestored => "已恢复锁定前未提交的表单", "your unsaved form from before the lock is back";
    HandoverTitle => "交接班", "Shift handover";
    HandedOverBy => "交班人", "Handed over by";
    TakenOverBy => "接班人", "Taken over by";
    HandoverNobodyYet => "（接班人登录后记录）", "(recorded once the incoming officer signs in)";
    HandoverOwn => "本班处置", "Done this shift";
    HandoverOpen => "办理中舆情事项，按最近时限", "Open cases by nearest deadline";
    HandoverOverdue => "超时舆情事项", "Overdue cases";
    HandoverWaiting => "待研判信息，最早的在前", "Items waiting, oldest first";
    More => "条未列出", "more not listed";
    HandoverConfirm => "确认交接", "hand over";
    Cancel => "取消", "cancel";
    CloseText => "关闭", "close";
    Scroll => "滚动", "scroll";
    HandoverSameOfficer => "同一人重新登录，未记录交接", "the same officer signed in again; no handover recorded";
    HandoverCancelled => "交接已取消", "handover cancelled";
    HandoverSaved => "交接摘要已保存", "handover summary saved";
    ReportExported => "报表已导出", "report exported";
    NoScenario => "本演练没有剧本", "this drill has no scenario";
    Retrying => "重连自", "retrying since";
    Behind => "待收", "behind";
    Skew => "时钟偏差", "clock skew";
    Forks => "分叉（见 yuqing verify）", "forks (see yuqing verify)";
    RuleCaseBeatsDismissal => "归案优先", "a case beats a dismissal";
    RuleFirstTriageWins => "先处置为准", "the first triage wins";
    RuleFirstCloseWins => "先结案为准", "the first close stands";
    RuleTransferBeforeAck => "转办在先，由新牵头单位签收", "transferred first: the new lead acknowledges";
    FormScope => "表单中", "In a form";
    DialogScope => "确认框、帮助、阅读窗口中", "In a question, the help or a text";
    ClosedCase => "已结案", "closed";
    PressWhen => "时间", "Time";
    PressVenue => "地点", "Venue";
    PressSpeakers => "发布人", "Speakers";
    NothingToUndo => "没有可撤销的排除", "no dismissal to undo";
    UndoReason => "撤销误排除", "dismissed by mistake";
    Restored => "已放回待研判", "back in the queue:";
    NoDraftWaiting => "没有待审核的草稿", "no draft waits for approval";
    EscalatedNow => "督办", "escalated";
    EscalatedMark => "督", "!";
    SurgedNow => "传播量激增", "reach surge";
    SurgedMark => "↑", "↑";
    Decision => "审核意见", "Decision";
    ApproveIt => "通过", "approve";
    ReturnIt => "退回修改", "return for changes";
    ReasonToReturn => "退回须写明修改意见", "say what to change when returning";
    Draft => "草稿", "Draft";
    DraftedBy => "起草人", "by";
    ApprovedBy => "审核人", "approved by";
    PublishesDraft => "将发布已审核的", "Publishes the approved";
    PublishNoDraft => "没有已审核的草稿：内容由您填写", "no approved draft: write the text here";
    PublishWording => "没有已审核的草稿：已填入本事项的统一口径，可补充", "no approved draft: the agreed wording is filled in; add to it";
    CaseRegistered => "已登记舆情事项", "opened case";
    FormKeysPicker => "输入筛选，↑↓ 移动，空格勾选", "type to filter, ↑↓ move, Space tick";
    FormKeysPick => "输入筛选，↑↓ 选择", "type to filter, ↑↓ choose";
    TickChoice => "勾选/取消（多选项）", "tick or untick (a multiple choice)";
    PressAt => "时间 (YYYY-MM-DD HH:MM 或 HH:MM)", "Time (YYYY-MM-DD HH:MM or HH:MM)";
    NotAPressTime => "须为 YYYY-MM-DD HH:MM，当天可只写 HH:MM（如 2026-07-01 15:00 或 15:00）", "must be YYYY-MM-DD HH:MM, or HH:MM for today (such as 2026-07-01 15:00 or 15:00)";
    }
}

/// How long until the next sign-in attempt: `3 秒后再试` / `try again in 3 s`.
pub fn try_again_in(seconds: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{seconds} 秒后再试"),
        Lang::En => format!("try again in {seconds} s"),
    }
}

/// Whose unsaved forms the idle lock keeps for them (shown to whoever signs in instead).
pub fn forms_kept_for(officers: &[String], lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} 的未提交表单已保留，待本人登录后恢复", officers.join("、")),
        Lang::En => format!("unsaved form of {} kept until they sign in again", officers.join(", ")),
    }
}

/// Appended to the publish form's note when no approved draft waits: those approved
/// already went out (`drafts`: `#2` or `#1、#2`).
pub fn drafts_published(drafts: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（已审核的草稿 {drafts} 已发布）"),
        Lang::En => format!(" (approved draft {drafts} already published)"),
    }
}

/// The notice to the officer whose action lost to a concurrent one, e.g.
/// 您对 A.12 的排除未生效：同时已被 B 的 李四 归入 A-0003（规则：归案优先）.
pub fn conflict_notice(c: &Conflict, won_by: &str, directory: &Directory, lang: Lang) -> String {
    let lost = match &c.lost.deed {
        Deed::Dismissed { .. } => lang.t("排除", "dismissal").to_string(),
        Deed::Attached { case } => format!("{} {case}", lang.t("归入", "attachment to")),
        Deed::Acknowledged { .. } => lang.t("签收", "acknowledgement").to_string(),
        Deed::Closed { .. } => lang.t("结案", "close").to_string(),
        _ => lang.t("操作", "action").to_string(),
    };
    let won = match &c.won.deed {
        Deed::Dismissed { .. } => lang.t("排除", "dismissed it").to_string(),
        Deed::Attached { case } => format!("{} {case}", lang.t("归入", "put it into")),
        Deed::Closed { .. } => lang.t("结案", "closed it").to_string(),
        Deed::Transferred { to } => format!("{} {}", lang.t("转办至", "transferred it to"), directory.name(to)),
        Deed::Assigned { .. } => lang.t("改派单位", "reassigned it").to_string(),
        _ => lang.t("处理", "acted on it").to_string(),
    };
    let rule = match c.rule {
        Rule::CaseBeatsDismissal => M::RuleCaseBeatsDismissal,
        Rule::FirstTriageWins => M::RuleFirstTriageWins,
        Rule::FirstCloseWins => M::RuleFirstCloseWins,
        Rule::TransferBeforeAck => M::RuleTransferBeforeAck,
    }
    .t(lang);
    let (subject, console) = (&c.subject, c.won.console());
    match lang {
        Lang::Zh => format!("您对 {subject} 的{lost}未生效：同时已被 {console} 的 {won_by} {won}（规则：{rule}）"),
        Lang::En => format!(
            "Your {lost} of {subject} did not take effect: at the same time {won_by} on {console} {won} (rule: {rule})"
        ),
    }
}

/// What a bulk action acts on: `排除 9 条，其中 9 条不在当前筛选中` (`*` marks those).
pub fn bulk_summary(verb: &str, n: usize, hidden: usize, lang: Lang) -> String {
    match (lang, hidden) {
        (Lang::Zh, 0) => format!("{verb} {n} 条："),
        (Lang::Zh, h) => format!("{verb} {n} 条，其中 {h} 条不在当前筛选中（标 *）："),
        (Lang::En, 0) => format!("{verb}: {n} items:"),
        (Lang::En, h) => format!("{verb}: {n} items, {h} of them outside the current filter (marked *):"),
    }
}

/// The highlighted item is not what a bulk action acts on.
pub fn not_highlighted(id: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("光标所在的 {id} 不在其中"),
        Lang::En => format!("the highlighted {id} is not among them"),
    }
}

/// `…另 3 条未列出`.
pub fn more_not_listed(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("  …另 {n} 条未列出"),
        Lang::En => format!("  … {n} more not listed"),
    }
}

/// `已排除 9 条；按 u 撤销`.
pub fn dismissed(n: usize, undo: Option<String>, lang: Lang) -> String {
    match (lang, undo) {
        (Lang::Zh, Some(k)) => format!("已排除 {n} 条；按 {k} 撤销"),
        (Lang::Zh, None) => format!("已排除 {n} 条"),
        (Lang::En, Some(k)) => format!("dismissed {n}; {k} undoes it"),
        (Lang::En, None) => format!("dismissed {n}"),
    }
}

/// A pop-up's keys from the keymap: `Enter 提交  Tab 下一项  Esc 取消`.
pub fn key_hints(pairs: &[(String, &str)]) -> String {
    pairs.iter().filter(|(k, _)| !k.is_empty()).map(|(k, w)| format!("{k} {w}")).collect::<Vec<_>>().join("  ")
}

/// An action refused to the officer's role, and which roles may take it:
/// `值班员不能执行此操作：仅带班领导可以`. `may` empty: nothing said of who may.
pub fn not_allowed(role: crate::domain::role::Role, may: &[crate::domain::role::Role], lang: Lang) -> String {
    use crate::domain::names::Named;
    let names: Vec<String> = may.iter().map(|r| r.label(lang)).collect();
    let refused = match lang {
        Lang::Zh => format!("{}不能执行此操作", role.label(lang)),
        Lang::En => format!("not for the {} role", role.label(lang)),
    };
    match lang {
        _ if names.is_empty() => refused,
        Lang::Zh => format!("{refused}：仅{}可以", names.join("、")),
        Lang::En => format!("{refused}: only {} may", names.join(", ")),
    }
}

/// A refusal as the console shows it: the rules' own words in Chinese on a Chinese
/// console, in English on an English one.
pub fn refusal(r: &crate::store::Refusal, lang: Lang) -> String {
    use crate::store::Refusal as R;
    match (r, lang) {
        (R::Domain(e), Lang::Zh) => e.zh(),
        (R::Duplicate(id), Lang::Zh) => format!("已收到过，编号 {id}"),
        (R::Store(s), Lang::Zh) => format!("存储出错：{s}"),
        (r, Lang::En) => r.to_string(),
    }
}

/// The open-case form's word on a similar open case, with the keys that attach to it
/// instead (`keys`: the form's cancel, then the list's attach):
/// `相似舆情事项：A-0004 标题 (0.88)；如应并入，按 Esc 退出本表单，再按 a`.
pub fn similar_case(case: &str, title: &str, score: f64, keys: Option<(String, String)>, lang: Lang) -> String {
    let title = crate::text::one_line(title);
    match (lang, keys) {
        (Lang::Zh, Some((cancel, attach))) => {
            format!("相似舆情事项：{case} {title} ({score:.2})；如应并入，按 {cancel} 退出本表单，再按 {attach}")
        }
        (Lang::Zh, None) => format!("相似舆情事项：{case} {title} ({score:.2})"),
        (Lang::En, Some((cancel, attach))) => format!(
            "Similar open case: {case} {title} ({score:.2}); to attach instead, press {cancel} to leave this form, then {attach}"
        ),
        (Lang::En, None) => format!("Similar open case: {case} {title} ({score:.2})"),
    }
}
