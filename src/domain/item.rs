//! Items: posts and messages found by monitoring, as they wait in the live queue.

use crate::domain::names::Named;
use crate::named_serde;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an item was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Portal,
    Wechat,
    Weibo,
    Workgroup,
    Hotline,
    App,
    Media,
    Other,
}

impl Named for Channel {
    const WHAT: &'static str = "channel";
    const WHAT_ZH: &'static str = "渠道";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Channel::Portal, "portal", "门户网站"),
        (Channel::Wechat, "wechat", "微信公众号"),
        (Channel::Weibo, "weibo", "微博"),
        (Channel::Workgroup, "workgroup", "工作联络群"),
        (Channel::Hotline, "hotline", "12345热线"),
        (Channel::App, "app", "政务客户端"),
        (Channel::Media, "media", "媒体"),
        (Channel::Other, "other", "其他"),
    ];
}
named_serde!(Channel);

/// An item as monitoring delivers it, before it has a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewItem {
    pub channel: Channel,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl NewItem {
    /// A 64-bit fingerprint under which the same item is recognised again: of channel +
    /// external id when there is one, otherwise channel + url, otherwise channel + content.
    pub fn fingerprint(&self) -> u64 {
        use sha2::{Digest, Sha256};
        let basis = match (&self.external_id, &self.url) {
            (Some(x), _) => format!("x\u{1f}{x}"),
            (None, Some(u)) => format!("u\u{1f}{u}"),
            (None, None) => format!(
                "c\u{1f}{}\u{1f}{}\u{1f}{}",
                self.title,
                self.body,
                self.published_at.map(|t| t.to_rfc3339()).unwrap_or_default()
            ),
        };
        let digest = Sha256::digest(format!("{}\u{1f}{basis}", self.channel.name()).as_bytes());
        u64::from_be_bytes(digest[..8].try_into().unwrap_or_default())
    }
}

/// Where an item stands in triage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ItemStatus {
    New,
    Dismissed {
        reason: String,
        by: String,
        at: DateTime<Utc>,
    },
    Attached {
        case: String,
    },
    /// Left the queue untriaged after the policy's `queue_expire_days`; restorable.
    Expired {
        at: DateTime<Utc>,
    },
}

impl ItemStatus {
    /// `new`, `dismissed`, `attached` or `expired`.
    pub fn name(&self) -> &'static str {
        match self {
            ItemStatus::New => "new",
            ItemStatus::Dismissed { .. } => "dismissed",
            ItemStatus::Attached { .. } => "attached",
            ItemStatus::Expired { .. } => "expired",
        }
    }

    /// The case the item is attached to, if it is.
    pub fn case(&self) -> Option<&str> {
        match self {
            ItemStatus::Attached { case } => Some(case),
            _ => None,
        }
    }
}

/// An item with its number and triage state (the projection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// `A.17`: the receiving console's name and its item counter.
    pub id: String,
    #[serde(flatten)]
    pub fields: NewItem,
    pub received_at: DateTime<Utc>,
    #[serde(flatten)]
    pub status: ItemStatus,
    /// Order key of the event that set `status`: the latest triage event wins, so an
    /// item folds to the same state whatever order its events arrive in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_key: Option<crate::domain::event::OrderKey>,
}

/// Orders item ids by console, then by number: `A.9` before `A.10`, as people count.
pub fn by_number(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |s: &str| match s.rsplit_once('.') {
        Some((console, n)) => (console.to_string(), n.parse::<u64>().unwrap_or(u64::MAX), s.to_string()),
        None => (s.to_string(), u64::MAX, s.to_string()),
    };
    split(a).cmp(&split(b))
}

#[cfg(test)]
mod order_tests {
    #[test]
    fn ids_sort_by_number_not_as_text() {
        let mut ids = vec!["A.9", "A.60", "B.2", "A.10", "A.6"];
        ids.sort_by(|a, b| super::by_number(a, b));
        assert_eq!(ids, ["A.6", "A.9", "A.10", "A.60", "B.2"]);
    }
}
