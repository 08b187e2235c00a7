//! Responsible units: the county departments, township governments and the community
//! service centre, each with a short code; looked up by code or by name.

use serde::{Deserialize, Serialize};

/// One responsible unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Short code, e.g. `jyj` for 县教育局.
    pub code: String,
    /// Full name, e.g. `县教育局`.
    pub name: String,
}

/// The departments known to this deployment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    pub departments: Vec<Department>,
}

impl Directory {
    /// Finds a department by code (case-insensitive) or exact name.
    pub fn find(&self, key: &str) -> Option<&Department> {
        let k = key.trim();
        self.departments.iter().find(|d| d.code.eq_ignore_ascii_case(k) || d.name == k)
    }

    /// The code for a code or name; the error lists the valid codes and names.
    pub fn resolve(&self, key: &str) -> Result<String, String> {
        self.find(key)
            .map(|d| d.code.clone())
            .ok_or_else(|| format!("unknown department `{key}`; valid: {}", self.choices()))
    }

    /// The display name for a code (the code itself if unknown).
    pub fn name<'a>(&'a self, code: &'a str) -> &'a str {
        self.find(code).map(|d| d.name.as_str()).unwrap_or(code)
    }

    /// "code 名称, …" for error messages.
    pub fn choices(&self) -> String {
        self.departments.iter().map(|d| format!("{} {}", d.code, d.name)).collect::<Vec<_>>().join(", ")
    }
}
