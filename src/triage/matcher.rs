//! Rule matching: every keyword of every rule found at once (Aho-Corasick, overlapping
//! matches, so 山体滑坡 also counts as 滑坡), and the hints of the rules that matched.

use super::rules::Rule;
use crate::domain::case::{Category, Severity};
use aho_corasick::{AhoCorasick, MatchKind};

/// What the rules say about a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assessment {
    /// Indexes of the rules that matched, in rule order.
    pub rules: Vec<usize>,
    /// The gravest severity any matched rule suggests.
    pub severity: Option<Severity>,
    /// The first matched rule's category.
    pub category: Option<Category>,
    /// The first department of the first matched rule that names any.
    pub lead: Option<String>,
    pub co: Vec<String>,
    pub tags: Vec<String>,
    /// Byte ranges of matched keywords, merged, for highlighting.
    pub spans: Vec<(usize, usize)>,
}

impl Assessment {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// The compiled rule set.
pub struct Matcher {
    ac: Option<AhoCorasick>,
    /// Rule index of each pattern, and whether it is one of the rule's exclusions.
    rule_of: Vec<(usize, bool)>,
    pub rules: Vec<Rule>,
}

impl Matcher {
    pub fn new(rules: Vec<Rule>) -> Matcher {
        let mut patterns = Vec::new();
        let mut rule_of = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            let words = r.keywords.iter().map(|k| (k, false)).chain(r.exclude.iter().map(|x| (x, true)));
            for (k, excluding) in words.filter(|(k, _)| !k.trim().is_empty()) {
                patterns.push(k.trim().to_lowercase());
                rule_of.push((i, excluding));
            }
        }
        let ac = (!patterns.is_empty())
            .then(|| AhoCorasick::builder().match_kind(MatchKind::Standard).build(&patterns).ok())
            .flatten();
        Matcher { ac, rule_of, rules }
    }

    /// Matches `text` (title and body together) against every rule.
    pub fn assess(&self, text: &str) -> Assessment {
        let mut a = Assessment::default();
        let Some(ac) = &self.ac else { return a };
        let lower = text.to_lowercase();
        // Lower-casing may move bytes for non-ASCII letters; spans are only kept when it did not.
        let same_bytes = lower.len() == text.len();
        let mut hit = vec![false; self.rules.len()];
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let (mut found, mut excluded) = (Vec::new(), Vec::new());
        for m in ac.find_overlapping_iter(&lower) {
            match self.rule_of[m.pattern().as_usize()] {
                (rule, false) => found.push((rule, m.start(), m.end())),
                (rule, true) => excluded.push((rule, m.start(), m.end())),
            }
        }
        // A keyword inside one of its rule's exclusion phrases does not count.
        for (rule, s, e) in found {
            if excluded.iter().any(|&(r, xs, xe)| r == rule && xs <= s && e <= xe) {
                continue;
            }
            hit[rule] = true;
            if same_bytes {
                spans.push((s, e));
            }
        }
        spans.sort();
        for (s, e) in spans {
            match a.spans.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => a.spans.push((s, e)),
            }
        }
        for (i, r) in self.rules.iter().enumerate().filter(|(i, _)| hit[*i]) {
            a.rules.push(i);
            a.severity = a.severity.max(r.severity);
            a.category = a.category.or(r.category);
            for d in &r.departments {
                if a.lead.is_none() {
                    a.lead = Some(d.clone());
                } else if a.lead.as_ref() != Some(d) && !a.co.contains(d) {
                    a.co.push(d.clone());
                }
            }
            for t in &r.tags {
                if !a.tags.contains(t) {
                    a.tags.push(t.clone());
                }
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::rules::defaults;

    #[test]
    fn overlapping_chinese_keywords_all_count() {
        let m = Matcher::new(defaults());
        let a = m.assess("网传五强溪镇山体滑坡致道路中断，有学生被困");
        let names: Vec<&str> = a.rules.iter().map(|&i| m.rules[i].name.as_str()).collect();
        assert_eq!(names, vec!["地质灾害", "谣言", "教育", "交通"]);
        assert_eq!(a.severity, Some(Severity::Major));
        assert_eq!(a.category, Some(Category::Rumor));
        assert_eq!(a.lead.as_deref(), Some("yjj"));
        assert!(a.co.contains(&"zrzyj".to_string()) && a.co.contains(&"jyj".to_string()));
        let text = "网传五强溪镇山体滑坡致道路中断，有学生被困";
        let marked: Vec<&str> = a.spans.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(marked, vec!["网传", "山体滑坡", "道路", "学生"], "山体滑坡 and 滑坡 merge into one highlight");
    }

    #[test]
    fn a_keyword_inside_an_exclusion_phrase_does_not_count() {
        let m = Matcher::new(defaults());
        let text = "沅陵大道路面坑洼";
        let a = m.assess(text);
        assert!(a.rules.iter().all(|&i| m.rules[i].name != "交通"), "道路 read across 大道 and 路面");
        assert!(a.spans.iter().all(|&(s, e)| &text[s..e] != "道路"), "{:?}", a.spans);
        let street = m.assess("深溪口街道路灯不亮");
        assert!(street.rules.iter().all(|&i| m.rules[i].name != "交通"), "道路 read across 街道 and 路灯");
        // The same keyword on its own still counts.
        let b = m.assess("道路中断");
        assert!(b.rules.iter().any(|&i| m.rules[i].name == "交通"));
    }

    #[test]
    fn no_rules_and_no_match_give_no_hints() {
        assert!(Matcher::new(vec![]).assess("山体滑坡").is_empty());
        assert!(Matcher::new(defaults()).assess("今天天气不错").is_empty());
    }
}
