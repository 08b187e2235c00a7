//! Cases: what operators open from items, with severity, category, responsible
//! departments, milestones and the record of handling.

use crate::domain::milestone::{Milestone, MilestoneKind};
use crate::domain::names::Named;
use crate::named_serde;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How grave an event is (突发事件分级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    General,
    Major,
    Extraordinary,
}

impl Named for Severity {
    const WHAT: &'static str = "severity";
    const WHAT_ZH: &'static str = "级别";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Severity::General, "general", "一般"),
        (Severity::Major, "major", "重大"),
        (Severity::Extraordinary, "extraordinary", "特别重大"),
    ];
}
named_serde!(Severity);

/// What the public raised, which decides how to respond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Constructive suggestion → adopt openly.
    Suggestion,
    /// Real difficulty → issue a solution.
    Difficulty,
    /// Misunderstanding of the facts → release authoritative information.
    Misunderstanding,
    /// Rumour or mistaken view → release information, guide and correct.
    Rumor,
    Other,
}

impl Named for Category {
    const WHAT: &'static str = "category";
    const WHAT_ZH: &'static str = "类别";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Category::Suggestion, "suggestion", "建设性意见"),
        (Category::Difficulty, "difficulty", "实际困难"),
        (Category::Misunderstanding, "misunderstanding", "不明真相"),
        (Category::Rumor, "rumor", "谣言或错误认识"),
        (Category::Other, "other", "其他"),
    ];
}
named_serde!(Category);

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Adopted,
    Solved,
    Clarified,
    Corrected,
    Referred,
    NoAction,
}

impl Named for Outcome {
    const WHAT: &'static str = "outcome";
    const WHAT_ZH: &'static str = "结案方式";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Outcome::Adopted, "adopted", "采纳"),
        (Outcome::Solved, "solved", "解决"),
        (Outcome::Clarified, "clarified", "澄清"),
        (Outcome::Corrected, "corrected", "纠正"),
        (Outcome::Referred, "referred", "移交"),
        (Outcome::NoAction, "no_action", "无需处置"),
    ];
}
named_serde!(Outcome);

/// What a published response is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseKind {
    FirstResponse,
    AuthoritativeInfo,
    Update,
}

impl Named for ResponseKind {
    const WHAT: &'static str = "response kind";
    const WHAT_ZH: &'static str = "回应类型";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (ResponseKind::FirstResponse, "first_response", "首次回应"),
        (ResponseKind::AuthoritativeInfo, "authoritative_info", "权威信息"),
        (ResponseKind::Update, "update", "持续发布"),
    ];
}
named_serde!(ResponseKind);

/// Where a response is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublishChannel {
    Portal,
    Weibo,
    Wechat,
    App,
    Media,
    Press,
}

impl Named for PublishChannel {
    const WHAT: &'static str = "publish channel";
    const WHAT_ZH: &'static str = "发布渠道";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (PublishChannel::Portal, "portal", "门户网站"),
        (PublishChannel::Weibo, "weibo", "政务微博"),
        (PublishChannel::Wechat, "wechat", "政务微信"),
        (PublishChannel::App, "app", "政务客户端"),
        (PublishChannel::Media, "media", "媒体"),
        (PublishChannel::Press, "press", "新闻发布"),
    ];
}
named_serde!(PublishChannel);

/// Who a rumour's clues are handed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Referral {
    Police,
    CyberPolice,
}

impl Named for Referral {
    const WHAT: &'static str = "referral target";
    const WHAT_ZH: &'static str = "移交对象";
    const ALL: &'static [(Self, &'static str, &'static str)] =
        &[(Referral::Police, "police", "公安机关"), (Referral::CyberPolice, "cyber_police", "网警部门")];
}
named_serde!(Referral);

/// Open or closed, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Closed { outcome: Outcome, at: DateTime<Utc> },
}

/// A dated act by someone on a case, kept for the accountability figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Act {
    pub at: DateTime<Utc>,
    pub by: String,
    /// The department it concerns (acknowledgements, accountability marks), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dept: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// A drafted response and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: ResponseKind,
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    #[serde(default)]
    pub published: bool,
    /// Co-departments that signed it off (会签).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signed_off: Vec<String>,
    /// Sent back unapproved: by whom, when and what to change (schema 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned: Option<Act>,
}

impl Draft {
    /// How people number the draft at `idx` in a case's list: from 1 (`#1` is the
    /// first). Events and commands carry the index from 0.
    pub fn number(idx: usize) -> usize {
        idx + 1
    }

    /// True while it waits for a supervisor: neither approved nor returned.
    pub fn waiting(&self) -> bool {
        self.approved_by.is_none() && self.returned.is_none()
    }
}

/// An officer's request for an extension of a milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    pub milestone: MilestoneKind,
    pub until: DateTime<Utc>,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
    /// Set when a supervisor extended that milestone after the request.
    #[serde(default)]
    pub granted: bool,
}

/// A wording (口径) agreed for the cases of one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wording {
    pub text: String,
    /// Every case that shares it.
    pub cases: Vec<String>,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// A published response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub kind: ResponseKind,
    pub channel: PublishChannel,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// A case as the projection holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// `A-0042`: the opening console's name and its case counter.
    pub no: String,
    pub title: String,
    pub severity: Severity,
    pub category: Category,
    /// Lead department code (第一责任主体).
    pub lead: String,
    /// Co-handling department codes (协办).
    pub co: Vec<String>,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub items: Vec<String>,
    pub milestones: Vec<Milestone>,
    /// Hours between required updates for major events, as the policy said at opening.
    pub update_every_hours: u32,
    pub status: CaseStatus,
    pub acks: Vec<Act>,
    pub escalations: Vec<Act>,
    pub extensions: Vec<Act>,
    pub marks: Vec<Act>,
    pub referrals: Vec<Act>,
    pub transfers: Vec<Act>,
    pub drafts: Vec<Draft>,
    pub responses: Vec<Published>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_county_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub press_conference_at: Option<DateTime<Utc>>,
    /// Triage rules whose hints the officer kept when opening.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// When its deadlines count from (policy `clock_base`: by default when the duty
    /// room received its earliest item); `None` for cases opened before this was kept,
    /// which counted from opening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts_from: Option<DateTime<Utc>>,
    /// While major or extraordinary: when the facts that made it so arrived (its
    /// opening base, or the upgrade), from which the major milestones count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major_since: Option<DateTime<Utc>>,
    /// Extensions officers asked for, and whether a supervisor granted them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension_requests: Vec<ExtensionRequest>,
    /// The wording (口径) agreed for this case's incident, which publications quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<Wording>,
}

impl Case {
    pub fn is_open(&self) -> bool {
        matches!(self.status, CaseStatus::Open)
    }

    /// The unmet milestone that falls due first.
    pub fn next_milestone(&self) -> Option<&Milestone> {
        self.milestones.iter().filter(|m| m.pending()).min_by_key(|m| m.due)
    }

    /// True when an unmet milestone is past due at `now` (closed cases are never overdue).
    pub fn overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.is_open() && self.milestones.iter().any(|m| m.overdue_at(now))
    }

    /// The pending milestone of a kind, if any.
    pub fn pending(&self, kind: MilestoneKind) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.kind == kind && m.pending())
    }

    /// When its deadlines count from.
    pub fn base(&self) -> DateTime<Utc> {
        self.counts_from.unwrap_or(self.opened_at)
    }

    /// The department that led it at `t`: transfers (转办) record the lead they moved
    /// the case from, so lateness is counted against the lead of the time.
    pub fn lead_at(&self, t: DateTime<Utc>) -> &str {
        self.transfers.iter().find(|a| a.at > t).and_then(|a| a.dept.as_deref()).unwrap_or(&self.lead)
    }

    /// True if `dept` leads or co-handles this case.
    pub fn involves(&self, dept: &str) -> bool {
        self.lead == dept || self.co.iter().any(|c| c == dept)
    }
}
