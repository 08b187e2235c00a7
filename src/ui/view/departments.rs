//! Department accountability: the figures of `docs/metrics.md`, sortable, with bars
//! for the on-time rate and for overdue cases. Columns are dropped from the right end
//! when the terminal is narrow.

use super::style::Theme;
use crate::domain::metrics::DeptFigures;
use crate::text::fit;
use crate::ui::app::{App, PeriodKind};
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn sort_name(key: usize, app: &App) -> &'static str {
    match key {
        0 => M::OverdueNow.t(app.lang),
        1 => M::OnTimeRate.t(app.lang),
        2 => M::CasesLed.t(app.lang),
        _ => M::DirectoryOrder.t(app.lang),
    }
}

fn bar(share: f64, cells: usize) -> String {
    let eighths = (share.clamp(0.0, 1.0) * (cells * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push([' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8]);
    }
    fit(&s, cells)
}

pub fn departments(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let d = &app.lists.departments;
    let t = |x: chrono::DateTime<chrono::Utc>| x.with_timezone(&app.settings.tz).format("%Y-%m-%d %H:%M").to_string();
    let period_text = match d.period {
        PeriodKind::Today => M::Today.t(l).to_string(),
        PeriodKind::Days7 => M::Days7.t(l).to_string(),
        PeriodKind::Days30 => M::Days30.t(l).to_string(),
        PeriodKind::All => l.t("全部", "all time").to_string(),
        PeriodKind::Custom { from, to } => format!("{} – {}", t(from), t(to)),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}: {}", M::Period.t(l), period_text), theme.title()),
        Span::styled(format!("   {}: {}", M::SortBy.t(l), sort_name(d.sort, app)), theme.dim()),
        Span::styled(if d.loading { format!("   {}", M::Loading.t(l)) } else { String::new() }, theme.dim()),
    ])];
    let visible = d.visible();
    if !d.filter.is_empty() {
        let shown = super::queue::filtered(app, &d.filter, visible.len(), d.rows.len());
        lines[0].spans.push(Span::styled(format!("   {shown}"), theme.accent()));
    }
    let w = area.width as usize;
    let max_over = d.rows.iter().map(|r| r.overdue_now).max().unwrap_or(0).max(1);
    // (header, least width, cell) per column, in order of importance after the name; a
    // column is as wide as its header too, so no header is cut.
    type Cell = Box<dyn Fn(&DeptFigures) -> String>;
    let count = |f: fn(&DeptFigures) -> u32| -> Cell { Box::new(move |r| f(r).to_string()) };
    let mut cols: Vec<(&str, usize, Cell)> = vec![
        (M::CasesLed.t(l), 4, count(|r| r.cases_led)),
        (M::OpenNow.t(l), 4, count(|r| r.open_now)),
        (M::OverdueNow.t(l), 4, count(|r| r.overdue_now)),
        (
            M::OnTimeRate.t(l),
            5,
            Box::new(|r| r.on_time_rate.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "-".into())),
        ),
        ("", 11, Box::new(|r| format!(" {}", bar(r.on_time_rate.unwrap_or(0.0), 10)))),
        ("", 9, Box::new(move |r| format!(" {}", bar(r.overdue_now as f64 / max_over as f64, 8)))),
        (M::CoHandled.t(l), 4, count(|r| r.cases_co_handled)),
        (
            M::MedianFirst.t(l),
            8,
            Box::new(|r| {
                r.median_first_response_minutes
                    .map(|m| format!("{}h{:02}", m / 60, m % 60))
                    .unwrap_or_else(|| "-".into())
            }),
        ),
        (M::Acks.t(l), 4, count(|r| r.acknowledgements)),
        (M::Escalations.t(l), 4, count(|r| r.escalations)),
        (M::Extensions.t(l), 4, count(|r| r.extensions)),
        (M::Marks.t(l), 4, count(|r| r.accountability_marks)),
        (M::Referrals.t(l), 4, count(|r| r.referrals)),
    ];
    for c in &mut cols {
        c.1 = c.1.max(crate::text::width(c.0));
    }
    // Names as wide as the longest (up to 22 cells) where the terminal is wide.
    let longest = d.rows.iter().map(|r| crate::text::width(&r.name)).max().unwrap_or(0);
    let name_w = if w >= 100 { longest.clamp(18, 22) } else { 18 };
    let mut used = name_w;
    let mut keep = 0;
    for c in &cols {
        if used + c.1 + 1 > w {
            break;
        }
        used += c.1 + 1;
        keep += 1;
    }
    cols.truncate(keep);
    let mut head = fit(M::Department.t(l), name_w);
    for (h, cw, _) in &cols {
        head.push(' ');
        head.push_str(&crate::text::rfit(h, *cw));
    }
    lines.push(Line::styled(head, theme.title()));
    let rows = (area.height as usize).saturating_sub(2);
    let first = d.selected.saturating_sub(rows.saturating_sub(1));
    for (i, r) in visible.iter().enumerate().skip(first).take(rows) {
        let mut spans = vec![Span::raw(fit(&r.name, name_w))];
        for (k, (_, _, cell)) in cols.iter().enumerate() {
            let style = match k {
                2 if r.overdue_now > 0 => theme.danger(),
                4 => theme.ok(),
                5 => theme.danger(),
                _ => theme.plain(),
            };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(crate::text::rfit(&cell(r), cols[k].1), style));
        }
        let line = Line::from(spans);
        lines.push(if i == d.selected { line.style(theme.selected()) } else { line });
    }
    f.render_widget(Paragraph::new(lines), area);
}
