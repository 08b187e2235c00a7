//! A long text read in a pop-up (the drill score): its lines wrapped to the pop-up's
//! width by display cells, and a scroll position kept within them. The keymap's moves
//! scroll; cancel, back, quit, open or the key that opened it close it.

use crate::ui::action::Action;

/// The pop-up's width at most; it fits an 80-column terminal.
pub const MAX_WIDTH: u16 = 76;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub body: String,
    /// The first wrapped line shown.
    pub scroll: usize,
}

impl Reader {
    pub fn new(body: String) -> Reader {
        Reader { body, scroll: 0 }
    }

    /// The text's lines without blank ones, each wrapped to `w` cells.
    pub fn lines(&self, w: usize) -> Vec<String> {
        self.body.lines().filter(|l| !l.trim().is_empty()).flat_map(|l| wrap(l, w.max(2))).collect()
    }

    /// Handles what a key means (the keymap's moves, or a close: cancel, back, quit,
    /// open, the score key) with `rows` lines shown `w` cells wide; false when it closes.
    pub fn key(&mut self, action: Option<Action>, rows: usize, w: usize) -> bool {
        let last = self.lines(w).len().saturating_sub(rows.max(1));
        self.scroll = match action {
            Some(Action::Down) => self.scroll + 1,
            Some(Action::Up) => self.scroll.saturating_sub(1),
            Some(Action::PageDown) => self.scroll + rows.max(1),
            Some(Action::PageUp) => self.scroll.saturating_sub(rows.max(1)),
            Some(Action::Top) => 0,
            Some(Action::Bottom) => last,
            Some(Action::Cancel | Action::Back | Action::Quit | Action::Open | Action::DrillScore) => return false,
            _ => self.scroll,
        }
        .min(last);
        true
    }
}

/// `s` (one line) in lines of at most `w` cells, broken as every wrapped text on the
/// screen is: at a space near the end, by cells, never against punctuation's rules.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    super::wrap::lines(s, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_wrap_by_cells_and_words_at_spaces() {
        assert_eq!(wrap("报告县政府提前", 6), vec!["报告县", "政府提", "前"]);
        assert_eq!(wrap("met 35 min early", 10), vec!["met 35 min", "early"]);
    }

    #[test]
    fn down_scrolls_and_stops_at_the_last_page() {
        let mut r = Reader::new((1..=30).map(|i| format!("line {i}\n")).collect());
        assert!(r.key(Some(Action::Down), 20, 70));
        assert_eq!(r.scroll, 1);
        assert!(r.key(Some(Action::Bottom), 20, 70));
        assert_eq!(r.scroll, 10);
        r.key(Some(Action::PageDown), 20, 70);
        assert_eq!(r.scroll, 10);
        assert!(!r.key(Some(Action::Cancel), 20, 70));
    }
}
