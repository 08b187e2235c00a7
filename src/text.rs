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
        assert_eq!(truncate("abc", 3), "abc");
    }
}
