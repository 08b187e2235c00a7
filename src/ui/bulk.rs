//! What an action on marked items acts on, said before it is done: how many, how many
//! the current filter hides, whether the highlighted item is among them, and the list.

use super::action::Action;
use super::app::{App, Screen};
use super::strings;
use crate::text::{one_line, truncate};
use std::collections::BTreeSet;

/// Items listed by id and title; the rest are counted.
const LISTED: usize = 12;

/// The lines above an item form: for the one highlighted item, which it is (a dismissal
/// names what it throws away, an attachment what it attaches); for more, or others, how
/// many, what the filter hides and the list. `None` for opening a case from exactly the
/// highlighted item (its title is in the form).
pub fn note(app: &App, action: Action, items: &[String]) -> Option<String> {
    let l = app.lang;
    let highlighted = app.selected_item().map(|i| i.id.clone());
    if items.len() == 1 && highlighted.as_ref() == items.first() {
        let named = matches!(action, Action::DismissItem | Action::AttachItem);
        let it = app.model.items.get(items[0].as_str()).filter(|_| named)?;
        return Some(format!("{} {}", it.id, truncate(&one_line(&it.fields.title), 56)));
    }
    let visible: BTreeSet<&str> = match app.screen {
        Screen::Queue => {
            let n = app.lists.queue.len(app.model.queue_order.len());
            (0..n).map(|i| app.model.queue_order[app.lists.queue.index(i)].as_str()).collect()
        }
        _ => items.iter().map(String::as_str).collect(),
    };
    let hidden = items.iter().filter(|i| !visible.contains(i.as_str())).count();
    let mut lines = vec![strings::bulk_summary(action.help(l), items.len(), hidden, l)];
    if let Some(h) = highlighted.as_ref().filter(|h| !items.contains(h)) {
        lines.push(strings::not_highlighted(h, l));
    }
    let mut sorted: Vec<&String> = items.iter().collect();
    sorted.sort_by(|a, b| crate::domain::item::by_number(a, b));
    for id in sorted.iter().take(LISTED) {
        let title = app.model.items.get(id.as_str()).map(|i| one_line(&i.fields.title)).unwrap_or_default();
        let away = if visible.contains(id.as_str()) { " " } else { "*" };
        lines.push(format!("{away} {id} {}", truncate(&title, 56)));
    }
    if items.len() > LISTED {
        lines.push(strings::more_not_listed(items.len() - LISTED, l));
    }
    Some(lines.join("\n"))
}
