//! Display-width aware text: CJK characters take two cells, so truncation and padding
//! count cells, never bytes or chars, and never tear a wide character.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cells `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` cells, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `s` truncated and padded with spaces to exactly `w` cells.
pub fn fit(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let pad = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(pad))
}

/// Markdown as a terminal shows it: each table's `|` rules and `---` row dropped and its
/// cells padded to their column's display width; the other lines as they are.
pub fn aligned_tables(md: &str) -> String {
    fn flush(table: &mut Vec<Vec<String>>, out: &mut Vec<String>) {
        let cols = table.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> =
            (0..cols).map(|i| table.iter().filter_map(|r| r.get(i)).map(|c| width(c)).max().unwrap_or(0)).collect();
        for row in table.drain(..) {
            let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| fit(c, *w)).collect();
            out.push(cells.join("  ").trim_end().to_string());
        }
    }
    let (mut out, mut table) = (Vec::new(), Vec::new());
    for line in md.lines() {
        let t = line.trim();
        match t.strip_prefix('|').and_then(|r| r.strip_suffix('|')) {
            Some(inner) => {
                let cells: Vec<String> = inner.split('|').map(|c| c.trim().to_string()).collect();
                let rule = cells.iter().all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')));
                if !rule {
                    table.push(cells);
                }
            }
            None => {
                flush(&mut table, &mut out);
                out.push(line.to_string());
            }
        }
    }
    flush(&mut table, &mut out);
    out.join("\n")
}

/// `s` truncated and padded on the left to exactly `w` cells (right-aligned).
pub fn rfit(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(width(&t))))
}

/// `s` fitted to `w` cells like [`fit`], cut into runs that lie inside one of the byte
/// ranges `marks` (true) or outside them (false), for highlighting matched words.
pub fn fit_marked(s: &str, w: usize, marks: &[(usize, usize)]) -> Vec<(String, bool)> {
    let cut = width(s) > w;
    let budget = if cut { w.saturating_sub(1) } else { w };
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut used = 0;
    for (at, c) in s.char_indices() {
        let cw = c.width().unwrap_or(0);
        if used + cw > budget {
            break;
        }
        used += cw;
        let marked = marks.iter().any(|&(a, b)| a <= at && at < b);
        match runs.last_mut() {
            Some((text, m)) if *m == marked => text.push(c),
            _ => runs.push((c.to_string(), marked)),
        }
    }
    if cut && w > 0 {
        runs.push(("…".into(), false));
        used += 1;
    }
    runs.push((" ".repeat(w.saturating_sub(used)), false));
    runs
}

/// One line of text with control characters and newlines replaced by spaces.
pub fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_tables_are_aligned_by_display_width() {
        let md = "## 学员\n\n| 操作员 | 得分 |\n|---|---:|\n| duty | 6 / 7 |\n| 带班领导 | 1 / 2 |\n\n## 总分";
        assert_eq!(super::aligned_tables(md), "## 学员\n\n操作员    得分\nduty      6 / 7\n带班领导  1 / 2\n\n## 总分");
    }

    use super::*;

    #[test]
    fn wide_characters_are_never_torn() {
        assert_eq!(truncate("学校食堂食物中毒", 7), "学校食…");
        assert_eq!(width(&truncate("学校食堂食物中毒", 7)), 7);
        assert_eq!(fit("食堂abc", 6), "食堂a…");
        assert_eq!(fit("食堂", 6), "食堂  ");
        assert_eq!(rfit("超时", 5), " 超时");
        let runs = fit_marked("网传山体滑坡致道路中断", 11, &[(6, 18)]);
        let shown: Vec<(&str, bool)> = runs.iter().map(|(t, m)| (t.as_str(), *m)).collect();
        assert_eq!(
            shown,
            vec![("网传", false), ("山体滑", true), ("…", false), ("", false)],
            "11 cells: 5 wide characters and …"
        );
        assert_eq!(truncate("abc", 3), "abc");
    }
}
