//! Where text breaks into rows of a width in cells. Chinese breaks between any two
//! characters, but never so that a row begins with closing punctuation (`，。、）」`…)
//! or ends with opening punctuation (`（「《`…): the character before goes down with it
//! (禁则). Words of narrow characters (`A-0002`) go whole to the next row when they start
//! in the second half of theirs. [`fill`] does the breaking for every wrapped text on
//! screen: [`lines`] (a message, a note), the case detail's rows (`ui/detail.rs`) and a
//! form's long text, where each character's place also tells where the cursor stands
//! and where Up and Down move it.

use unicode_width::UnicodeWidthChar;

/// Punctuation that closes or pauses and never begins a row.
pub fn no_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '》'
            | '】'
            | '〉'
            | '〕'
            | '〗'
            | '］'
            | '｝'
            | '”'
            | '’'
            | '…'
            | '～'
            | '％'
            | '．'
            | '·'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
    )
}

/// Punctuation that opens and never ends a row.
pub fn no_end(c: char) -> bool {
    matches!(c, '（' | '「' | '『' | '《' | '【' | '〈' | '〔' | '〖' | '［' | '｛' | '“' | '‘' | '(' | '[' | '{')
}

/// Cells `c` takes.
fn cells(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// True when a row must not break between `a` and `b` for punctuation's sake.
pub fn kinsoku(a: char, b: char) -> bool {
    (no_start(b) && a != ' ') || (no_end(a) && b != ' ')
}

/// True when a row should not break between `a` and `b`: for punctuation's sake, or
/// inside a word of narrow characters.
pub fn joined(a: char, b: char) -> bool {
    let wordy = |c: char| c != ' ' && cells(c) == 1;
    kinsoku(a, b) || (wordy(a) && wordy(b))
}

/// `text` (characters, each with what it carries) in rows of at most `width` cells; the
/// rows after the first start with `indent` copies of `pad` (a one-cell character; none
/// when that would take more than half the width). A run of neighbours that `together`
/// keeps together goes down whole when what stays on the row is more than half of it,
/// else it breaks where the row ends, but never against punctuation's rules
/// ([`kinsoku`]) unless the whole row is one such run; a character that does not fit and
/// that `dropped` says goes (a space) is dropped there.
pub fn fill<T: Copy>(
    text: impl IntoIterator<Item = (char, T)>,
    width: usize,
    indent: usize,
    pad: (char, T),
    together: impl Fn((char, T), (char, T)) -> bool,
    dropped: impl Fn((char, T)) -> bool,
) -> Vec<Vec<(char, T)>> {
    let width = width.max(2);
    let indent = if indent * 2 > width { 0 } else { indent };
    let used = |line: &[(char, T)]| line.iter().map(|p| cells(p.0)).sum::<usize>();
    let mut out = Vec::new();
    let mut line: Vec<(char, T)> = Vec::new();
    for p in text {
        if used(&line) + cells(p.0) > width {
            let first = if out.is_empty() { 0 } else { indent };
            // Where the run of neighbours kept together that ends with this character
            // starts on the row.
            let run = |keep: &dyn Fn((char, T), (char, T)) -> bool| {
                if line.len() > first && keep(line[line.len() - 1], p) {
                    (first + 1..line.len()).rev().find(|&i| !keep(line[i - 1], line[i])).unwrap_or(first)
                } else {
                    line.len()
                }
            };
            let fits = |start: usize| indent + used(&line[start..]) + cells(p.0) <= width;
            // A word goes down whole from the second half of its row; punctuation's
            // neighbour goes down with it in any case.
            let word = run(&together);
            let start = if word < line.len() && used(&line[..word]) > width / 2 && fits(word) {
                word
            } else {
                Some(run(&|a, b| kinsoku(a.0, b.0))).filter(|&k| k > first && fits(k)).unwrap_or(line.len())
            };
            let carried = line.split_off(start);
            out.push(std::mem::replace(&mut line, vec![pad; indent]));
            line.extend(carried);
            if dropped(p) && line.len() == indent {
                continue;
            }
        }
        line.push(p);
    }
    out.push(line);
    out
}

/// `s` (one line) in rows of at most `w` cells, broken as [`fill`] breaks them; a space
/// where a row breaks is dropped.
pub fn lines(s: &str, w: usize) -> Vec<String> {
    let rows = fill(s.chars().map(|c| (c, ())), w, 0, (' ', ()), |a, b| joined(a.0, b.0), |p| p.0 == ' ');
    rows.into_iter().map(|r| r.into_iter().map(|p| p.0).collect()).collect()
}

/// The (row, column) of each character of `text` wrapped to `w` cells (by characters,
/// at its line breaks, and never against punctuation's rules), and last of the place
/// after the text (where a cursor at the end stands): one more than its characters.
fn places(text: &str, w: usize) -> Vec<(usize, usize)> {
    let w = w.max(2);
    let mut out = Vec::with_capacity(text.len() + 1);
    let mut end = (0, 0);
    for (n, paragraph) in text.split('\n').enumerate() {
        if n > 0 {
            // The line break stands where its paragraph ends.
            out.push(end);
            end = (end.0 + 1, 0);
        }
        let rows = fill(paragraph.chars().map(|c| (c, ())), w, 0, (' ', ()), |a, b| kinsoku(a.0, b.0), |_| false);
        let top = end.0;
        for (i, row) in rows.iter().enumerate() {
            let mut col = 0;
            for p in row {
                out.push((top + i, col));
                col += cells(p.0);
            }
            end = (top + i, col);
        }
    }
    if end.1 >= w {
        end = (end.0 + 1, 0);
    }
    out.push(end);
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

    #[test]
    fn no_row_begins_with_closing_punctuation_the_character_before_goes_down_with_it() {
        // Ten cells a row: 现场已封控 fills the first, and ， may not begin the next.
        assert_eq!(lines("现场已封控，伤员送医", 10), vec!["现场已封", "控，伤员送", "医"]);
        assert_eq!(lines("核实。」请宣传部统一", 6), vec!["核", "实。」", "请宣传", "部统一"], "a run of closers");
        assert_eq!(lines("含伤（人数）", 6), vec!["含伤", "（人", "数）"], "nor ends with an opening one");
        // A form's text: the same rows, and the cursor where its character went.
        let (rows, at) = at_cursor("现场已封控，伤员送医", 5, 10);
        assert_eq!(rows, vec!["现场已封", "控，伤员送", "医"]);
        assert_eq!(at, (1, 2), "the cursor on ， after 控");
        assert_eq!(row_move("现场已封控，伤员送医", 4, 10, false), Some(9), "控 is on the second row");
    }

    #[test]
    fn no_row_is_wider_than_the_width_and_nothing_is_lost() {
        let text = "请县应急管理局牵头，会同明溪口镇人民政府（含A-0004）一小时内发布权威信息。Lead: yjj, co: wqxz.";
        for w in 6..60 {
            let rows = lines(text, w);
            assert!(rows.iter().all(|r| crate::text::width(r) <= w), "{w}: {rows:?}");
            assert_eq!(rows.concat().replace(' ', ""), text.replace(' ', ""), "{w}");
            assert!(rows.iter().skip(1).all(|r| !r.starts_with(no_start)), "{w}: {rows:?}");
        }
    }
}
