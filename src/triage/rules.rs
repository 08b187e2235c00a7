//! `rules.toml`: keyword groups and the hints they give — severity, category, lead and
//! co-departments, tags. A bad file names the file, the line and the field.

use crate::domain::case::{Category, Severity};
use serde::{Deserialize, Serialize};

/// One rule: any of its keywords in an item's title or body gives its hints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Unique name, used in statistics.
    pub name: String,
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Department codes, the first being the suggested lead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Exclusion phrases (排除词): a keyword found inside one of them does not count
    /// (道路 inside 沅陵大道路面, which is 大道 and 路面).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rule: Vec<Rule>,
}

/// Parses a rules file; `known` checks department codes. Errors name the line and
/// field (the caller adds the file).
pub fn parse(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Vec<Rule>, String> {
    let f: RulesFile = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
    let line_of = |needle: &str| text.find(needle).map(|o| text[..o].matches('\n').count() + 1).unwrap_or(1);
    let mut names = std::collections::HashSet::new();
    for r in &f.rule {
        let at = line_of(&format!("\"{}\"", r.name));
        if !names.insert(r.name.clone()) {
            return Err(format!("line {at}: field `name`: rule `{}` is defined twice", r.name));
        }
        if r.keywords.iter().all(|k| k.trim().is_empty()) {
            return Err(format!("line {at}: field `keywords`: rule `{}` needs at least one keyword", r.name));
        }
        if let Some(d) = r.departments.iter().find(|d| !known(d)) {
            return Err(format!(
                "line {}: field `departments`: unknown department `{d}` in rule `{}`; use codes from departments.toml",
                line_of(&format!("\"{d}\"")),
                r.name
            ));
        }
    }
    Ok(f.rule)
}

/// The rules a fresh installation starts with.
pub fn defaults() -> Vec<Rule> {
    let r =
        |name: &str, kw: &[&str], sev: Option<Severity>, cat: Option<Category>, depts: &[&str], tags: &[&str]| Rule {
            name: name.into(),
            keywords: kw.iter().map(|s| s.to_string()).collect(),
            severity: sev,
            category: cat,
            departments: depts.iter().map(|s| s.to_string()).collect(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
            exclude: vec![],
        };
    use Category::*;
    use Severity::*;
    vec![
        r(
            "食品安全",
            &["食堂", "食物中毒", "饭菜变质", "腹泻", "过期食品"],
            None,
            None,
            &["scjgj", "jyj", "wjj"],
            &["民生", "食品安全"],
        ),
        r(
            "欠薪",
            &["拖欠工资", "讨薪", "欠薪", "农民工工资"],
            None,
            Some(Difficulty),
            &["rsj", "zjj"],
            &["民生", "欠薪"],
        ),
        r(
            "地质灾害",
            &["山体滑坡", "泥石流", "塌方", "滑坡"],
            Some(Major),
            None,
            &["yjj", "zrzyj", "jtj"],
            &["突发事件"],
        ),
        r("汛情", &["洪水", "内涝", "溃堤", "被淹", "汛情"], Some(Major), None, &["yjj", "zrzyj"], &["突发事件"]),
        r("谣言", &["谣言", "造谣", "网传", "不实"], None, Some(Rumor), &["wxb", "xcb", "gaj"], &["谣言"]),
        r("伤亡", &["死亡", "遇难", "伤亡", "失踪"], Some(Major), None, &["yjj", "wjj"], &["突发事件"]),
        r("教育", &["学校", "学生", "教师", "幼儿园"], None, None, &["jyj"], &["教育"]),
        r("医疗", &["医院", "看病", "医保", "疫情"], None, None, &["wjj"], &["医疗"]),
        r("住房", &["安置房", "物业", "房屋", "拆迁"], None, Some(Difficulty), &["zjj"], &["住房"]),
        // 道路 read across 大道 or 街道 and 路口/路面/路段/路灯 is no road matter by itself.
        Rule {
            exclude: vec!["大道路".into(), "街道路".into()],
            ..r("交通", &["公交", "道路", "交通", "班车"], None, None, &["jtj"], &["交通"])
        },
        r("停水停电", &["停水", "停电", "限电", "水质"], None, Some(Difficulty), &["zjj"], &["民生"]),
        r("建议", &["建议", "希望增设", "能否增加"], None, Some(Suggestion), &[], &["建议"]),
        r("信访", &["上访", "信访", "投诉无门"], None, None, &["xfj"], &["信访"]),
    ]
}

/// The default rules as an editable file.
pub fn defaults_toml() -> Result<String, toml::ser::Error> {
    let head = "# Triage rules: any keyword in an item's title or body gives the rule's hints.\n\
                # severity: general|major|extraordinary; category: suggestion|difficulty|misunderstanding|rumor|other;\n\
                # departments: codes from departments.toml, the first is the suggested lead. Hints only prefill: officers decide.\n\
                # exclude (排除词): phrases a keyword inside of does not count (道路 in 沅陵大道路面).\n";
    Ok(format!("{head}\n{}", toml::to_string(&RulesFile { rule: defaults() })?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_parses_back_and_bad_files_name_line_and_field() {
        let known = |d: &str| crate::config::default_departments().iter().any(|x| x.code == d);
        assert_eq!(parse(&defaults_toml().unwrap(), &known).unwrap(), defaults());
        assert!(parse("", &known).unwrap().is_empty(), "an empty rule set works");
        let e = parse("[[rule]]\nname = \"a\"\nkeywords = [\"x\"]\nseverity = \"huge\"\n", &known).unwrap_err();
        assert!(e.contains("line 4") && e.contains("severity") && e.contains("general"), "{e}");
        let e = parse("[[rule]]\nname = \"a\"\nkeywords = [\"x\"]\ndepartments = [\"nope\"]\n", &known).unwrap_err();
        assert!(e.starts_with("line 4: field `departments`: unknown department `nope`"), "{e}");
    }
}
