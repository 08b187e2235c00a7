//! The two live lists: the queue of incoming items and the open cases by nearest
//! deadline. Only the rows on screen are built.

use super::countdown;
use super::style::Theme;
use crate::domain::names::Named;
use crate::i18n::Lang;
use crate::text::{fit, one_line, width};
use crate::ui::app::{App, ListView};
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The first row to show so that the selection is visible.
fn first_row(list: &ListView, rows: usize) -> usize {
    list.offset.min(list.selected).max((list.selected + 1).saturating_sub(rows))
}

/// Renders a column header and the visible rows `row(i)` of a list over `total`
/// entries; when nothing is shown, says why (`empty`, or that the filter matched nothing).
#[allow(clippy::too_many_arguments)]
fn render_list(
    app: &App,
    f: &mut Frame,
    area: Rect,
    theme: Theme,
    head: Line<'static>,
    list: &ListView,
    total: usize,
    empty: M,
    row: impl Fn(usize) -> (Line<'static>, Style),
) {
    let n = list.len(total);
    if n == 0 {
        let msg = if total == 0 { empty } else { M::NoMatch };
        f.render_widget(Paragraph::new(vec![head, Line::styled(format!("  {}", msg.t(app.lang)), theme.dim())]), area);
        return;
    }
    let rows = super::list_rows(area.height);
    let first = first_row(list, rows);
    let mut lines = vec![head];
    for i in first..n.min(first + rows) {
        let (line, style) = row(i);
        let style = if i == list.selected { style.patch(theme.selected()) } else { style };
        lines.push(line.style(style));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// "shown/total" and the filter, for the right end of a column header.
fn counts(app: &App, list: &ListView, total: usize) -> String {
    let shown = list.len(total);
    if list.filter.is_empty() && shown == total {
        format!("{total}")
    } else {
        filtered(app, &list.filter, shown, total)
    }
}

/// `/filter shown/total shown`: what a filter let through.
pub(super) fn filtered(app: &App, filter: &str, shown: usize, total: usize) -> String {
    format!("/{filter} {shown}/{total} {}", M::Shown.t(app.lang))
}

fn channel(app: &App, c: crate::domain::item::Channel) -> &'static str {
    if app.lang == Lang::Zh { c.zh() } else { c.name() }
}

/// The live queue: item number, when it was published (and how long ago), how long it
/// has waited here, channel, reach and title.
pub fn queue(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let w = area.width as usize;
    let total = app.model.queue_order.len();
    let id_w = app.model.queue_order.iter().map(|i| i.len()).max().unwrap_or(0).clamp(4, 10);
    // The wait (`! 2d04`) in six cells, or as many as its heading takes.
    let wait_w = width(M::Waiting.t(l)).max(6);
    let title_w = w.saturating_sub(2 + id_w + 1 + 11 + 1 + 4 + 1 + wait_w + 1 + 10 + 1 + 7 + 1 + 1);
    let tail = counts(app, &app.lists.queue, total);
    let head = Line::from(vec![Span::styled(
        format!(
            "  {} {} {} {} {} {} {}{}",
            fit(M::No.t(l), id_w),
            fit(M::Published.t(l), 11),
            fit(M::Age.t(l), 4),
            fit(M::Waiting.t(l), wait_w),
            fit(M::Channel.t(l), 10),
            crate::text::rfit(M::Reach.t(l), 7),
            fit(M::Title.t(l), title_w.saturating_sub(crate::text::width(&tail) + 1)),
            tail
        ),
        theme.title(),
    )]);
    render_list(app, f, area, theme, head, &app.lists.queue, total, M::QueueEmpty, |i| {
        let id = &app.model.queue_order[app.lists.queue.index(i)];
        let it = &app.model.items[id];
        let mark = if app.lists.marked.contains(id) { "✓ " } else { "  " };
        let reach = it.fields.reach.map(|r| r.to_string()).unwrap_or_default();
        let hint = hint(app, id, title_w / 2);
        let hint_w = crate::text::width(&hint);
        let title = one_line(&it.fields.title);
        let marks: Vec<(usize, usize)> = app
            .triage
            .hints
            .get(id)
            .map(|a| a.spans.iter().copied().filter(|&(s, _)| s < title.len()).collect())
            .unwrap_or_default();
        let waited = app.now - it.received_at;
        let late = app.settings.queue_alert.is_some_and(|a| waited > a);
        // Without colour the flag is the `!`, set apart from the figure by a space.
        let flag = if late { "! " } else { "" };
        let published = it.fields.published_at.unwrap_or(it.received_at);
        let mut spans = vec![
            Span::raw(format!(
                "{mark}{} {} {} ",
                fit(id, id_w),
                published.with_timezone(&app.settings.tz).format("%m-%d %H:%M"),
                fit(&coarse_age(app.now - published), 4)
            )),
            Span::styled(
                format!("{} ", fit(&format!("{flag}{}", age(waited)), wait_w)),
                if late { theme.warn() } else { theme.plain() },
            ),
            Span::raw(format!("{} {} ", fit(channel(app, it.fields.channel), 10), crate::text::rfit(&reach, 7),)),
        ];
        for (text, marked) in crate::text::fit_marked(&title, title_w - hint_w, &marks) {
            spans.push(if marked { Span::styled(text, theme.matched()) } else { Span::raw(text) });
        }
        spans.push(Span::styled(crate::text::rfit(&hint, hint_w), theme.accent()));
        let line = Line::from(spans);
        let style = if app.lists.fresh.contains(id) { theme.fresh() } else { theme.plain() };
        (line, style)
    });
}

/// How long an item has waited, in the coarsest unit that still tells: `45m`, `3h12`,
/// `2d04` (days and hours).
fn age(d: chrono::Duration) -> String {
    let m = d.num_minutes().max(0);
    match (m / 1440, (m % 1440) / 60, m % 60) {
        (0, 0, min) => format!("{min}m"),
        (0, h, min) => format!("{h}h{min:02}"),
        (days, h, _) => format!("{days}d{h:02}"),
    }
}

/// How long ago, in one unit: `45m`, `3h`, `8d`.
fn coarse_age(d: chrono::Duration) -> String {
    let m = d.num_minutes().max(0);
    match (m / 1440, m / 60) {
        (0, 0) => format!("{m}m"),
        (0, h) => format!("{h}h"),
        (days, _) => format!("{days}d"),
    }
}

/// The triage hint of a queued item in at most `room` cells: the rules' tags and what it
/// nearly repeats (`≈A.31 0.91`). What it repeats matters most: when the whole does not
/// fit, the tags go first, then the score.
pub fn hint(app: &App, id: &str, room: usize) -> String {
    let rules: Vec<&str> = app
        .triage
        .hints
        .get(id)
        .map(|a| a.rules.iter().take(2).map(|&i| app.triage.matcher.rules[i].name.as_str()).collect())
        .unwrap_or_default();
    let similar = app.triage.similar.get(id);
    let with = |keep: usize, last: Option<String>| -> Vec<String> {
        rules[..keep].iter().map(|r| r.to_string()).chain(last).collect()
    };
    let near = similar.map(|(other, score)| format!("≈{other} {score:.2}"));
    let mut tries: Vec<Vec<String>> = (0..=rules.len()).rev().map(|keep| with(keep, near.clone())).collect();
    tries.extend(similar.map(|(other, _)| vec![format!("≈{other}")]));
    let said = |parts: &Vec<String>| if parts.is_empty() { String::new() } else { format!(" {}", parts.join(" ")) };
    tries.iter().map(said).find(|h| crate::text::width(h) <= room).unwrap_or_default()
}

/// Open cases by nearest due milestone, with countdowns; then, when listed, the closed
/// ones, most recently closed first.
pub fn cases(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let w = area.width as usize;
    let total = app.case_total();
    let (lead_w, next_w) = if w >= 120 { (16, 14) } else { (10, 10) };
    // Case numbers are the console's name (1–8 characters) and four digits or more.
    // Room for the number and its marks (督 two cells, ↑ one).
    let marks =
        |no: &String| 2 * usize::from(app.lists.escalated.contains(no)) + usize::from(app.lists.surged.contains(no));
    let no_w = app.model.case_order.iter().map(|no| no.len() + marks(no)).max().unwrap_or(0).clamp(8, 16);
    let fixed = no_w + 1 + 8 + 1 + 1 + lead_w + 1 + next_w + 1 + countdown::WIDTH;
    let title_w = w.saturating_sub(fixed);
    // What limits the list (a department, a filter) and the counts end the title's
    // column, as in the queue, so every heading stays over its column; what limits the
    // list is cut to make room, never the counts.
    let title_head = M::Title.t(l);
    let room = title_w.saturating_sub(width(title_head) + 2);
    let list = &app.lists.cases;
    let shown = list.len(total);
    let counted = if list.filter.is_empty() && shown == total {
        total.to_string()
    } else {
        format!("{shown}/{total} {}", M::Shown.t(l))
    };
    // The filter typed, then the department; the department is cut first.
    let filter = Some(format!("/{}", list.filter)).filter(|_| !list.filter.is_empty());
    let limits: Vec<String> =
        filter.into_iter().chain(app.lists.cases_dept.iter().map(|d| app.dept(d).to_string())).collect();
    let tail = if limits.is_empty() {
        counted
    } else {
        let limits = crate::text::truncate(&limits.join(" · "), room.saturating_sub(width(&counted) + 1));
        format!("{limits} {counted}")
    };
    let head = Line::styled(
        format!(
            "{} {} {} {} {} {}",
            fit(M::No.t(l), no_w),
            fit(M::Severity.t(l), 8),
            fit(&format!("{}{tail} ", fit(title_head, title_w.saturating_sub(width(&tail) + 1))), title_w),
            fit(M::Lead.t(l), lead_w),
            fit(M::NextMilestone.t(l), next_w),
            fit(M::Countdown.t(l), countdown::WIDTH)
        ),
        theme.title(),
    );
    render_list(app, f, area, theme, head, &app.lists.cases, total, M::NoCases, |i| {
        let Some(c) = app.case_at(app.lists.cases.index(i)) else { return (Line::raw(""), theme.plain()) };
        let no = &c.no;
        let sev = c.severity.label(l);
        let sev_style = match c.severity {
            crate::domain::case::Severity::General => theme.plain(),
            _ => theme.danger(),
        };
        let (escalated, surged) = (app.lists.escalated.contains(no), app.lists.surged.contains(no));
        let flagged = format!(
            "{no}{}{}",
            if escalated { M::EscalatedMark.t(l) } else { "" },
            if surged { M::SurgedMark.t(l) } else { "" }
        );
        let mut spans = vec![
            Span::styled(
                format!("{} ", fit(&flagged, no_w)),
                if escalated || surged { theme.warn() } else { theme.plain() },
            ),
            Span::styled(fit(&sev, 8), sev_style),
            Span::raw(format!(" {} {} ", fit(&one_line(&c.title), title_w), fit(app.dept(&c.lead), lead_w))),
        ];
        match c.next_milestone() {
            _ if !c.is_open() => spans.push(Span::styled(fit(M::ClosedCase.t(l), next_w), theme.dim())),
            Some(m) => {
                spans.push(Span::raw(format!("{} ", fit(&m.kind.label(l), next_w))));
                spans.push(countdown::span(m, app.now, l, theme));
            }
            None => spans.push(Span::raw(fit("-", next_w))),
        }
        (Line::from(spans), theme.plain())
    });
}
