//! Pop-ups over a screen: forms and yes/no questions.

use super::style::Theme;
use crate::text::{fit, width};
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::form::{Form, Kind};
use crate::ui::keymap::Scope;
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// A centred rectangle of at most `w` × `h` cells.
pub fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Options a focused picker shows at once.
const PICKER_ROWS: usize = 6;

/// Clears `area` for a pop-up, and the half of a wide character that would cross its
/// edge: a terminal draws a two-cell character from its first cell, so one left of the
/// edge would overdraw the border and push the row's text out of place.
pub fn clear(f: &mut Frame, area: Rect) {
    let buf = f.buffer_mut();
    let whole = buf.area;
    for y in area.top()..area.bottom() {
        if area.x > whole.x {
            let cell = &mut buf[(area.x - 1, y)];
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    f.render_widget(Clear, area);
}

/// A pop-up's keys from its keymap section, `Enter 提交  Tab 下一项  Esc 取消`.
fn keys(app: &App, scope: Scope, actions: &[Action]) -> String {
    let pairs: Vec<(String, &str)> = actions
        .iter()
        .map(|a| {
            let k = app.settings.keymap.keys_for(scope, *a).first().map(ToString::to_string).unwrap_or_default();
            (k, a.help(app.lang))
        })
        .collect();
    crate::ui::strings::key_hints(&pairs)
}

/// The form's keys, from the keymap's `[form]` section, that fit in `cols` cells: whole
/// items only; previous, next and (in a long text) new line left out in that order
/// when they do not fit, so submit, cancel and help stay (where the form takes them:
/// the locked sign-in form takes neither).
pub fn form_keys(app: &App, cols: usize) -> String {
    // In a long text, also how to start a new paragraph.
    let long = matches!(&app.mode, crate::ui::app::Mode::Form(f) if f.fields.get(f.focus).is_some_and(|x| x.rows > 1));
    let mut actions = vec![Action::Submit, Action::NextField, Action::PrevField, Action::Cancel, Action::Help];
    if long {
        actions.insert(1, Action::NewLine);
    }
    actions.retain(|a| crate::ui::signin::form_offers(app, *a));
    for spare in [Action::PrevField, Action::NextField, Action::NewLine] {
        let said = keys(app, Scope::Form, &actions);
        if width(&said) <= cols {
            return said;
        }
        actions.retain(|a| *a != spare);
    }
    keys(app, Scope::Form, &actions)
}

/// A filter's keys: the form's submit (keep) and cancel (clear).
pub fn filter_keys(app: &App) -> String {
    keys(app, Scope::Form, &[Action::Submit, Action::Cancel])
}

/// A yes/no question's keys, from the keymap's `[dialog]` section.
pub fn confirm_keys(app: &App) -> String {
    keys(app, Scope::Dialog, &[Action::Confirm, Action::Cancel])
}

pub fn form(app: &App, theme: Theme, f: &mut Frame, form: &Form) {
    let l = app.lang;
    let screen = f.area();
    let w = screen.width.min(crate::ui::form::FORM_WIDTH);
    let inner_w = w.saturating_sub(2) as usize;
    let label_w = form.label_width(l);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(note) = &form.note {
        for l in note.lines().flat_map(|l| crate::ui::wrap::lines(l, inner_w)) {
            lines.push(Line::styled(l, theme.accent()));
        }
    }
    let mut cursor: Option<(u16, u16)> = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = Span::styled(
            fit(&format!("{}:", field.label.t(l)), label_w),
            if focused { theme.accent() } else { theme.dim() },
        );
        let value_w = form.value_width(screen.width, l);
        match &field.kind {
            Kind::Secret => {
                let dots = field.shown();
                if focused {
                    cursor = Some(((label_w + width(&dots)) as u16, lines.len() as u16));
                }
                lines.push(Line::from(vec![label, Span::raw(dots)]));
            }
            Kind::Text if field.rows > 1 => {
                let (rows, (row, col)) = crate::ui::wrap::at_cursor(field.input.value(), field.input.cursor(), value_w);
                let first = row.saturating_sub(field.rows as usize - 1);
                if focused {
                    cursor = Some(((label_w + col) as u16, (lines.len() + row - first) as u16));
                }
                let pad = " ".repeat(label_w);
                for (i, text) in rows.into_iter().skip(first).take(field.rows as usize).enumerate() {
                    let head = if i == 0 { label.clone() } else { Span::raw(pad.clone()) };
                    lines.push(Line::from(vec![head, Span::raw(text)]));
                }
            }
            // Away from the cursor, a one-line text shows its beginning.
            Kind::Text if !focused => {
                lines.push(Line::from(vec![label, Span::raw(crate::text::truncate(field.input.value(), value_w))]));
            }
            Kind::Text => {
                let scroll = field.input.visual_scroll(value_w.saturating_sub(1));
                let shown: String = {
                    let mut s = String::new();
                    let mut col = 0;
                    for c in field.input.value().chars() {
                        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                        if col >= scroll && width(&s) + cw < value_w {
                            s.push(c);
                        }
                        col += cw;
                    }
                    s
                };
                cursor = Some(((label_w + field.input.visual_cursor() - scroll) as u16, lines.len() as u16));
                lines.push(Line::from(vec![label, Span::raw(shown)]));
            }
            Kind::Pick { options, picked, cursor: at, multi } => {
                let chosen = field.shown();
                let filter = field.input.value();
                let text = if focused && !filter.is_empty() { format!("{chosen}  /{filter}") } else { chosen };
                lines.push(Line::from(vec![label, Span::raw(fit(&text, value_w))]));
                if focused {
                    cursor = Some(((label_w + width(&text).min(value_w)) as u16, lines.len() as u16 - 1));
                    let shown = field.filtered();
                    let start = at.saturating_sub(PICKER_ROWS - 1);
                    for (row, &o) in shown.iter().enumerate().skip(start).take(PICKER_ROWS) {
                        let tick = if picked.contains(&o) {
                            if *multi { "[x] " } else { "» " }
                        } else if *multi {
                            "[ ] "
                        } else {
                            "  "
                        };
                        // The highlight reads as a mark too, not by reverse video alone.
                        let (pointer, style) =
                            if row == *at { ("›", theme.selected()) } else { (" ", theme.plain()) };
                        lines.push(Line::styled(
                            format!(
                                "{}{pointer}{tick}{}",
                                " ".repeat(label_w.saturating_sub(1)),
                                fit(&options[o].label, value_w.saturating_sub(4))
                            ),
                            style,
                        ));
                    }
                    if shown.is_empty() {
                        lines.push(Line::styled(format!("{}{}", " ".repeat(label_w), M::NoMatch.t(l)), theme.dim()));
                    }
                }
            }
        }
    }
    lines.push(Line::raw(""));
    if let Some(e) = &form.error {
        // Wrapped here, so the pop-up is as tall as the whole message.
        for part in e.lines().flat_map(|p| crate::ui::wrap::lines(p, inner_w)) {
            lines.push(Line::styled(part, theme.error()));
        }
    }
    match form.fields.get(form.focus).map(|x| &x.kind) {
        Some(Kind::Pick { multi: true, .. }) => lines.push(Line::styled(M::FormKeysPicker.t(l), theme.dim())),
        Some(Kind::Pick { multi: false, .. }) => lines.push(Line::styled(M::FormKeysPick.t(l), theme.dim())),
        _ => {}
    }
    lines.push(Line::styled(form_keys(app, inner_w), theme.dim()));
    let h = (lines.len() as u16 + 2).min(screen.height);
    let area = popup(screen, w, h);
    clear(f, area);
    let block =
        Block::default().borders(Borders::ALL).title(Span::styled(format!(" {} ", form.title.t(l)), theme.title()));
    let inner = block.inner(area);
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    if let Some((x, y)) = cursor
        && y < inner.height
        && x < inner.width
    {
        f.set_cursor_position(Position { x: inner.x + x, y: inner.y + y });
    }
}

pub fn confirm(app: &App, theme: Theme, f: &mut Frame, question: M) {
    let l = app.lang;
    let area = popup(f.area(), 50, 5);
    clear(f, area);
    let block = Block::default().borders(Borders::ALL);
    // The case the question is about, when it is about one (closing it).
    let about = match app.pending_form.as_deref().map(|f| &f.purpose) {
        Some(crate::ui::form::Purpose::Case { case, .. }) => format!("{}{case}{}", l.t("（", " ("), l.t("）", ")")),
        _ => String::new(),
    };
    let lines = vec![
        Line::styled(format!("{}{about}", question.t(l)), theme.title()),
        Line::styled(confirm_keys(app), theme.dim()),
    ];
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// The handover summary before the terminal changes hands, from line `scroll` on; its
/// keys stay at the bottom edge.
pub fn handover(app: &App, theme: Theme, f: &mut Frame, summary: &str, scroll: u16) {
    let area = popup(f.area(), crate::ui::handover::WIDTH, f.area().height.saturating_sub(2));
    clear(f, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title_bottom(Span::styled(format!(" {} ", crate::ui::handover::hint(app)), theme.dim()));
    let rows = crate::ui::handover::rows(summary, f.area().width);
    let lines: Vec<Line> = rows.into_iter().skip(scroll as usize).map(Line::raw).collect();
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// A text to read, wrapped to the pop-up and scrolled; the bottom edge says where in
/// it the reader is and which keys scroll and close.
pub fn text(app: &App, theme: Theme, f: &mut Frame, reader: &crate::ui::reader::Reader) {
    let area = popup(f.area(), crate::ui::reader::MAX_WIDTH, f.area().height.saturating_sub(2));
    clear(f, area);
    let (w, rows) = (area.width.saturating_sub(2) as usize, area.height.saturating_sub(2) as usize);
    let all = reader.lines(w);
    let from = reader.scroll.min(all.len().saturating_sub(rows));
    let shown: Vec<Line> = all.iter().skip(from).take(rows).map(|l| Line::raw(l.clone())).collect();
    let hint =
        format!(" {} {}-{}/{} ", reader_keys(app), (from + 1).min(all.len()), (from + rows).min(all.len()), all.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim())
        .title_bottom(Span::styled(crate::text::truncate(&hint, w), theme.dim()));
    f.render_widget(Paragraph::new(shown).block(block), area);
}

/// The keys of a text to read (the help, the score, a draft), from the keymap:
/// `Up/Down/PageUp/PageDown 滚动  Esc 关闭`; in its border and in the footer.
pub fn reader_keys(app: &App) -> String {
    let first = |a| app.settings.keymap.keys_for(Scope::Global, a).first().map(ToString::to_string).unwrap_or_default();
    let moves: Vec<String> =
        [Action::Up, Action::Down, Action::PageUp, Action::PageDown].into_iter().map(first).collect();
    let close = app
        .settings
        .keymap
        .keys_for(Scope::Dialog, Action::Cancel)
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    format!("{} {}  {close} {}", moves.join("/"), M::Scroll.t(app.lang), M::CloseText.t(app.lang))
}
