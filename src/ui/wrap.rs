//! Where each character of a long text falls when it is wrapped to a width in cells
//! (by characters, and at its line breaks): what a form draws for a response or a note,
//! and what Up and Down move the cursor by.

use unicode_width::UnicodeWidthChar;

/// The (row, column) of each character of `text` wrapped to `w` cells, and last of the
/// place after the text (where a cursor at the end stands): one more than its characters.
fn places(text: &str, w: usize) -> Vec<(usize, usize)> {
    let w = w.max(2);
    let (mut row, mut col) = (0, 0);
    let mut out = Vec::with_capacity(text.len() + 1);
    for c in text.chars() {
        if c == '\n' {
            out.push((row, col));
            (row, col) = (row + 1, 0);
            continue;
        }
        let cw = c.width().unwrap_or(0);
        if col + cw > w {
            (row, col) = (row + 1, 0);
        }
        out.push((row, col));
        col += cw;
    }
    if col >= w {
        (row, col) = (row + 1, 0);
    }
    out.push((row, col));
    out
}

/// `text` wrapped to `w` cells, with where the cursor (a character index) falls:
/// (row, column).
pub fn at_cursor(text: &str, cursor: usize, w: usize) -> (Vec<String>, (usize, usize)) {
    let places = places(text, w);
    let mut rows = vec![String::new(); places.last().map_or(0, |p| p.0) + 1];
    for (c, (row, _)) in text.chars().zip(&places) {
        if c != '\n' {
            rows[*row].push(c);
        }
    }
    (rows, places[cursor.min(places.len() - 1)])
}

/// Where the cursor at `cursor` goes with Up (`up`) or Down in `text` wrapped to `w`
/// cells: the row above or below, as near its column as that row allows; `None` on the
/// first row going up or the last going down.
pub fn row_move(text: &str, cursor: usize, w: usize, up: bool) -> Option<usize> {
    let places = places(text, w);
    let (row, col) = places[cursor.min(places.len() - 1)];
    let target = if up { row.checked_sub(1)? } else { row + 1 };
    let on_row = places.iter().enumerate().filter(|(_, p)| p.0 == target);
    // The last place on the row that starts at or before the column; else the row's first.
    let mut best = None;
    for (i, p) in on_row {
        if best.is_none() || p.1 <= col {
            best = Some(i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_wraps_by_cells_and_the_cursor_follows() {
        let (rows, at) = at_cursor("经检测食堂食材合格", 5, 8);
        assert_eq!(rows, vec!["经检测食", "堂食材合", "格"]);
        assert_eq!(at, (1, 2));
        assert_eq!(at_cursor("abcd", 4, 4).1, (1, 0), "at the end of a full row: the next row");
    }

    #[test]
    fn a_line_break_starts_a_new_row() {
        let (rows, at) = at_cursor("一、情况\n二、措施", 6, 20);
        assert_eq!(rows, vec!["一、情况", "二、措施"]);
        assert_eq!(at, (1, 2), "the cursor after 二 (two cells)");
    }

    #[test]
    fn up_and_down_move_between_wrapped_rows_keeping_the_column() {
        // Rows of 4 cells: 经检测食 | 堂食材合 | 格.
        let text = "经检测食堂食材合格";
        assert_eq!(row_move(text, 5, 8, true), Some(1), "from 食 (row 1, col 2) up to 检");
        assert_eq!(row_move(text, 1, 8, false), Some(5), "and back down");
        assert_eq!(row_move(text, 7, 8, false), Some(9), "from 合 (col 6) to the end of the short last row");
        assert_eq!(row_move(text, 8, 8, false), None, "the last row goes no further down");
        assert_eq!(row_move(text, 2, 8, true), None, "the first row goes no further up");
        // Half-width and wide characters mixed: the column is in cells.
        assert_eq!(row_move("ab经检测食材", 3, 6, false), Some(6), "from 检 (col 4) down to 材 (col 4)");
    }

    #[test]
    fn up_and_down_cross_paragraph_breaks_too() {
        let text = "一、情况\n二、措施";
        assert_eq!(row_move(text, 7, 20, true), Some(2), "from 措 (col 4) up to 情");
        assert_eq!(row_move(text, 1, 20, false), Some(6), "from 、 (col 2) down to 、");
    }
}
