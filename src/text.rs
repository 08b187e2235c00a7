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
