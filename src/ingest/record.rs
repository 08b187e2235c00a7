//! One item record as written in a file, and its validation into a [`NewItem`].

use super::MAX_LINE;
use crate::domain::item::{Channel, NewItem};
use crate::domain::names::Named;
use crate::domain::said::Said;
use serde::Deserialize;

/// The fields an item file may carry; see `docs/items.md`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub channel: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<String>,
    pub reach: Option<serde_json::Value>,
    pub external_id: Option<String>,
}

/// The fields of an item, as `docs/items.md` lists them.
pub const COLUMNS: &str = "channel, title, body, url, author, published_at, reach, external_id";

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl RawItem {
    /// Checks every field; the error names the field and what would be valid, in
    /// English and Chinese (several problems, joined).
    pub fn validate(self) -> Result<NewItem, Said> {
        self.validate_all().map_err(|all| Said {
            en: all.iter().map(|s| s.en.as_str()).collect::<Vec<_>>().join("; "),
            zh: all.iter().map(|s| s.zh.as_str()).collect::<Vec<_>>().join("；"),
        })
    }

    /// Checks every field and says every problem, each naming its field.
    pub fn validate_all(self) -> Result<NewItem, Vec<Said>> {
        let mut errors = Vec::new();
        let channel = match text(self.channel) {
            None => {
                errors.push(Said::new(
                    format!("field `channel` is missing; valid: {}", Channel::choices()),
                    format!("缺少字段 `channel`（渠道）；可填：{}", Channel::choices()),
                ));
                None
            }
            Some(c) => Channel::parse_said(&c)
                .map_err(|e| {
                    errors.push(Said::new(format!("field `channel`: {}", e.en), format!("字段 `channel`：{}", e.zh)))
                })
                .ok(),
        };
        let body = text(self.body).unwrap_or_default();
        let title = match text(self.title) {
            Some(t) => Some(t),
            None if !body.is_empty() => Some(crate::text::truncate(&crate::text::one_line(&body), 40)),
            None => {
                errors.push(Said::new(
                    "fields `title` and `body` are both empty; an item needs one",
                    "字段 `title`（标题）和 `body`（正文）都为空；至少要有一项",
                ));
                None
            }
        };
        let published_at = text(self.published_at).and_then(|t| {
            crate::timefmt::parse(&t)
                .map_err(|e| {
                    errors.push(Said::new(
                        format!("field `published_at`: {e}"),
                        format!("字段 `published_at`（发布时间）：`{t}` 不是时间；格式如 2026-05-01 08:30 或 2026-05-01T08:30:00+08:00"),
                    ))
                })
                .ok()
        });
        let not_reach = |v: &dyn std::fmt::Display| {
            Said::new(
                format!("field `reach`: `{v}` is not a whole number of views or reposts (0 or more)"),
                format!("字段 `reach`（传播量）：`{v}` 不是阅读或转发数（0 或正整数）"),
            )
        };
        let reach = match self.reach {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| not_reach(&n)),
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(serde_json::Value::String(s)) => s.trim().parse::<u64>().map(Some).map_err(|_| not_reach(&s)),
            Some(other) => Err(not_reach(&other)),
        }
        .map_err(|e| errors.push(e))
        .unwrap_or(None);
        match (channel, title) {
            (Some(channel), Some(title)) if errors.is_empty() => Ok(NewItem {
                channel,
                title,
                body,
                url: text(self.url),
                author: text(self.author),
                published_at,
                reach,
                external_id: text(self.external_id),
            }),
            _ => Err(errors),
        }
    }
}

fn too_long(len: usize) -> Said {
    Said::new(
        format!("the line is {len} bytes long; the limit is {MAX_LINE} bytes per item"),
        format!("该行 {len} 字节，超过每条 {MAX_LINE} 字节的上限"),
    )
}

/// One JSONL line (not blank) as an item.
pub(super) fn jsonl_line(line: &str) -> Result<NewItem, Said> {
    if line.len() > MAX_LINE {
        return Err(too_long(line.len()));
    }
    serde_json::from_str::<RawItem>(line)
        .map_err(|e| {
            // One JSONL line is one JSON document: serde's "line 1" would mislead.
            let column = e.column();
            let m = e.to_string();
            let m = m.rsplit_once(" at line ").map_or(m.as_str(), |(m, _)| m);
            match m.strip_prefix("unknown field `").and_then(|r| r.split_once('`')) {
                Some((field, _)) => Said::new(
                    format!("unknown field `{field}` (column {column}); valid fields: {COLUMNS}"),
                    format!("未知字段 `{field}`（第 {column} 列）；可用字段：{COLUMNS}"),
                ),
                None => Said::new(
                    format!("not a JSON item: {m} (column {column})"),
                    format!("不是 JSON 格式的信息：{}（第 {column} 列）", super::json_zh::json_zh(m)),
                ),
            }
        })
        .and_then(RawItem::validate)
}

/// Checks a CSV header: every column must be one of the fields.
pub(super) fn csv_header(headers: &csv::StringRecord) -> Result<(), Said> {
    let valid: Vec<&str> = COLUMNS.split(", ").collect();
    match headers.iter().find(|h| !valid.contains(&h.trim())) {
        Some(h) => Err(Said::new(
            format!("unknown column `{h}`; valid columns: {COLUMNS}"),
            format!("未知列 `{h}`；可用列：{COLUMNS}"),
        )),
        None => Ok(()),
    }
}

/// One CSV row as an item, by the header's columns.
pub(super) fn csv_row(headers: &csv::StringRecord, r: &csv::StringRecord) -> Result<NewItem, Said> {
    if r.as_slice().len() > MAX_LINE {
        return Err(too_long(r.as_slice().len()));
    }
    let get = |name: &str| headers.iter().position(|h| h.trim() == name).and_then(|i| r.get(i)).map(str::to_string);
    RawItem {
        channel: get("channel"),
        title: get("title"),
        body: get("body"),
        url: get("url"),
        author: get("author"),
        published_at: get("published_at"),
        reach: get("reach").map(serde_json::Value::String),
        external_id: get("external_id"),
    }
    .validate()
}

#[cfg(test)]
mod tests {
    use super::super::parse_bytes;
    use std::path::Path;

    #[test]
    fn every_bad_jsonl_line_is_reported_with_its_field() {
        let text = concat!(
            "{\"channel\":\"weibo\",\"title\":\"食堂饭菜有异味\",\"reach\":120}\n",
            "{\"channel\":\"tiktok\",\"title\":\"x\"}\n",
            "\n",
            "{\"channel\":\"portal\",\"title\":\"x\",\"published_at\":\"yesterday\"}\n",
            "{\"channel\":\"portal\",\"titel\":\"x\"}\n",
            "not json\n",
        );
        let p = parse_bytes(Path::new("a.jsonl"), text.as_bytes()).unwrap();
        assert_eq!(p.items.len(), 1);
        let lines: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 4, 5, 6]);
        assert!(p.errors[0].to_string().starts_with("a.jsonl:2: field `channel`"));
        assert!(p.errors[0].message.en.contains("weibo"));
        assert!(p.errors[1].message.en.contains("published_at"));
        assert!(p.errors[2].message.en.contains("titel"));
    }

    #[test]
    fn csv_with_chinese_and_a_bom_parses() {
        let text = "\u{feff}channel,title,reach,external_id\nhotline,\"工资拖欠,讨薪\",7,h-1\n微博,山体滑坡,,w-9\nweibo,x,-3,\n";
        let p = parse_bytes(Path::new("b.csv"), text.as_bytes()).unwrap();
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[0].1.title, "工资拖欠,讨薪");
        assert_eq!(p.items[1].0, 3);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].line, 4);
        assert!(p.errors[0].message.en.contains("reach"));
    }

    #[test]
    fn empty_and_binary_files_are_refused_whole() {
        assert!(parse_bytes(Path::new("e.jsonl"), b"  \n").unwrap_err().to_string().contains("empty"));
        assert!(parse_bytes(Path::new("b.jsonl"), b"\x00\x01\x02").unwrap_err().to_string().contains("binary"));
        let long = format!("{{\"channel\":\"weibo\",\"title\":\"{}\"}}", "长".repeat(100_000));
        let p = parse_bytes(Path::new("l.jsonl"), long.as_bytes()).unwrap();
        assert!(p.errors[0].message.en.contains("limit"));
    }
}
