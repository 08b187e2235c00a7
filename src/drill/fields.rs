//! Reading the fields of one JSON object of a scenario line, collecting every error
//! instead of stopping at the first: each names the field by its JSON path
//! (`item.reach`, `departments[2].code`) and says what would be valid, in English and
//! in Chinese.

use crate::domain::names::Named;
use crate::domain::said::Said;
use serde_json::{Map, Value};

/// The object of one line (or of a nested object), and the errors found in it so far.
pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    /// The path of this object in the line, `""` for the line itself.
    prefix: String,
    pub errors: Vec<Said>,
}

impl<'a> Fields<'a> {
    pub fn new(obj: &'a Map<String, Value>, prefix: &str) -> Fields<'a> {
        Fields { obj, prefix: prefix.to_string(), errors: Vec::new() }
    }

    /// The JSON path of `key` in the line.
    pub fn path(&self, key: &str) -> String {
        match self.prefix.is_empty() {
            true => key.to_string(),
            false => format!("{}.{key}", self.prefix),
        }
    }

    /// An error of the field `key`: what is wrong with it, in English and in Chinese.
    pub fn error(&mut self, key: &str, en: impl std::fmt::Display, zh: impl std::fmt::Display) {
        let p = self.path(key);
        self.errors.push(Said::new(format!("field `{p}`: {en}"), format!("字段 `{p}`：{zh}")));
    }

    /// An error of the field `key` said by another part ([`Said`]).
    pub fn said(&mut self, key: &str, what: Said) {
        self.error(key, what.en, what.zh);
    }

    /// Refuses every field not in `allowed`, naming the ones that are; `whose` is the
    /// object's name in English and in Chinese (`the header`, `表头`).
    pub fn only(&mut self, allowed: &[&str], whose: &Said) {
        let mut unknown: Vec<&String> = self.obj.keys().filter(|k| !allowed.contains(&k.as_str())).collect();
        unknown.sort();
        let valid = allowed.join(", ");
        for k in unknown {
            self.error(
                k,
                format!("not a field of {}; its fields: {valid}", whose.en),
                format!("不是{}的字段；可用字段：{valid}", whose.zh),
            );
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.obj.get(key).is_some_and(|v| !v.is_null())
    }

    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    /// A non-empty string, if present.
    pub fn text(&mut self, key: &str) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::String(_) => {
                self.error(key, "is empty; give a text", "为空；请填写文字");
                None
            }
            other => {
                self.error(
                    key,
                    format!("`{other}` is not a text; write it in quotes"),
                    format!("`{other}` 不是文字；请加上引号"),
                );
                None
            }
        }
    }

    /// A non-empty string that must be present; `whose` says what needs it.
    pub fn needed_text(&mut self, key: &str, whose: &Said) -> Option<String> {
        if !self.has(key) {
            self.needed(key, whose);
            return None;
        }
        self.text(key)
    }

    /// The error of a field `whose` needs that is missing.
    fn needed(&mut self, key: &str, whose: &Said) {
        self.error(key, format!("is needed for {}", whose.en), format!("{}必须填写此字段", whose.zh));
    }

    /// A whole number, 0 or more.
    pub fn count(&mut self, key: &str, whose: &Said) -> Option<u64> {
        match self.raw(key) {
            None => {
                self.needed(key, whose);
                None
            }
            Some(v) => v.as_u64().or_else(|| {
                let en = format!("`{v}` is not a whole number of views or reposts (0 or more)");
                self.error(key, en, format!("`{v}` 不是阅读或转发数（0 或正整数）"));
                None
            }),
        }
    }

    pub fn flag(&mut self, key: &str) -> bool {
        match self.raw(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.error(key, format!("`{other}` is not true or false"), format!("`{other}` 不是 true 或 false"));
                false
            }
        }
    }

    /// One of a closed set of names, if present.
    pub fn named<T: Named>(&mut self, key: &str) -> Option<T> {
        let s = self.text(key)?;
        T::parse_said(&s).map_err(|e| self.said(key, e)).ok()
    }

    /// An array of texts (each checked by `each`, which gives the error for one).
    pub fn list<T>(&mut self, key: &str, each: impl Fn(&str) -> Result<T, Said>) -> Vec<T> {
        let Some(v) = self.raw(key) else { return vec![] };
        let Value::Array(a) = v else {
            self.error(
                key,
                format!("`{v}` is not a list; write [\"…\", …]"),
                format!("`{v}` 不是列表；请写成 [\"…\", …]"),
            );
            return vec![];
        };
        let mut out = Vec::new();
        for (i, x) in a.iter().enumerate() {
            let at = format!("{key}[{i}]");
            match x.as_str().map(&each) {
                Some(Ok(t)) => out.push(t),
                Some(Err(e)) => self.said(&at, e),
                None => self.error(&at, format!("`{x}` is not a text"), format!("`{x}` 不是文字")),
            }
        }
        out
    }
}

/// Parses one line as a JSON object; the error gives the column in the line (the line
/// number is the file's, added by the caller).
pub fn object(line: &str) -> Result<Map<String, Value>, Said> {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => {
            let shown = crate::text::truncate(&other.to_string(), 40);
            Err(Said::new(format!("`{shown}` is not a JSON object {{…}}"), format!("`{shown}` 不是 JSON 对象 {{…}}")))
        }
        Err(e) => {
            let msg = e.to_string();
            let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]).to_string();
            let column = e.column();
            Err(Said::new(
                format!("not JSON at column {column}: {msg}"),
                format!("不是 JSON（第 {column} 列）：{}", crate::ingest::json_zh::json_zh(&msg)),
            ))
        }
    }
}
