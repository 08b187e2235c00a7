//! Small forms for every lifecycle action: text fields and pickers that filter as you
//! type (over department names and codes, case numbers and titles, fixed choices).
//! A form turns into domain commands; the desk still decides.

use super::action::Action;
use super::strings::M;
use crate::domain::case::{Category, Outcome, PublishChannel, Referral, ResponseKind, Severity};
use crate::domain::command::Command;
use crate::domain::milestone::MilestoneKind;
use crate::domain::names::Named;
use crate::i18n::Lang;
use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

/// One option of a picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice { value: value.into(), label: label.into() }
    }

    /// Choices for a closed set, labelled in the interface language: `权威信息`,
    /// `authoritative info`. Typing the code (`authoritative_info`) still finds one.
    pub fn named<T: Named>(lang: Lang) -> Vec<Choice> {
        T::ALL
            .iter()
            .map(|(_, name, zh)| {
                Choice::new(*name, if lang == Lang::Zh { zh.to_string() } else { name.replace('_', " ") })
            })
            .collect()
    }
}

/// What a field holds.
#[derive(Debug, Clone)]
pub enum Kind {
    Text,
    /// Text shown as dots (a PIN).
    Secret,
    /// Pick one (`multi: false`) or several.
    Pick {
        options: Vec<Choice>,
        multi: bool,
        picked: Vec<usize>,
        cursor: usize,
    },
}

/// One field of a form.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: M,
    pub kind: Kind,
    /// The text, or a picker's filter.
    pub input: Input,
    pub required: bool,
    /// Rows a text field shows, its text wrapped to them (1: one scrolling line).
    pub rows: u16,
}

impl Field {
    pub fn text(label: M, required: bool) -> Field {
        Field { label, kind: Kind::Text, input: Input::default(), required, rows: 1 }
    }

    /// A text field for a long text (a response): wrapped over several rows.
    pub fn long_text(label: M, required: bool, value: &str) -> Field {
        Field { input: Input::new(value.to_string()), rows: 6, ..Field::text(label, required) }
    }

    pub fn secret(label: M) -> Field {
        Field { label, kind: Kind::Secret, input: Input::default(), required: true, rows: 1 }
    }

    /// A single-choice picker, starting on `preset` when it is one of the options, else
    /// on the first: what is highlighted is always what is picked.
    pub fn pick(label: M, options: Vec<Choice>, preset: Option<&str>) -> Field {
        let at = preset.and_then(|p| options.iter().position(|o| o.value == p));
        let at = at.or((!options.is_empty()).then_some(0));
        let kind = Kind::Pick { options, multi: false, picked: at.into_iter().collect(), cursor: at.unwrap_or(0) };
        Field { label, kind, input: Input::default(), required: true, rows: 1 }
    }

    /// A multi-picker with the `preset` values ticked.
    pub fn pick_many_preset(label: M, options: Vec<Choice>, preset: &[String]) -> Field {
        let picked = options.iter().enumerate().filter(|(_, o)| preset.contains(&o.value)).map(|(i, _)| i).collect();
        Field {
            label,
            kind: Kind::Pick { options, multi: true, picked, cursor: 0 },
            input: Input::default(),
            required: false,
            rows: 1,
        }
    }

    /// Indexes of the options that match the filter text (value or label, any case).
    pub fn filtered(&self) -> Vec<usize> {
        let Kind::Pick { options, .. } = &self.kind else { return vec![] };
        let f = self.input.value().trim().to_lowercase();
        (0..options.len())
            .filter(|&i| {
                f.is_empty()
                    || options[i].value.to_lowercase().contains(&f)
                    || options[i].label.to_lowercase().contains(&f)
            })
            .collect()
    }

    /// The chosen values: the text, or the picked options.
    pub fn values(&self) -> Vec<String> {
        match &self.kind {
            Kind::Text | Kind::Secret => {
                let t = self.input.value().trim();
                if t.is_empty() { vec![] } else { vec![t.to_string()] }
            }
            Kind::Pick { options, picked, .. } => picked.iter().map(|&i| options[i].value.clone()).collect(),
        }
    }

    pub fn value(&self) -> String {
        self.values().into_iter().next().unwrap_or_default()
    }

    /// Labels of what is chosen, for display.
    pub fn shown(&self) -> String {
        match &self.kind {
            Kind::Text => self.input.value().to_string(),
            Kind::Secret => "•".repeat(self.input.value().chars().count()),
            Kind::Pick { options, picked, .. } => {
                picked.iter().map(|&i| options[i].label.as_str()).collect::<Vec<_>>().join("、")
            }
        }
    }

    /// A key in this field; `own` is what the keymap's `[form]` section makes of it
    /// (a picker moves with `up`/`down` and a multiple choice toggles with
    /// `toggle_mark`; in a text field those keys type).
    fn key(&mut self, key: &KeyEvent, own: Option<Action>, wrap: usize) {
        if let Kind::Pick { multi, cursor, .. } = &mut self.kind {
            match own {
                Some(Action::Up) => *cursor = cursor.saturating_sub(1),
                Some(Action::Down) => *cursor += 1,
                Some(Action::ToggleMark) if *multi => return self.toggle(),
                _ => {
                    self.type_key(key);
                    return;
                }
            }
            return self.follow();
        }
        if own == Some(Action::NewLine) && self.rows > 1 {
            // A long text (a response, a note) takes paragraphs.
            self.input.handle(tui_input::InputRequest::InsertChar('\n'));
            return;
        }
        if let (Some(a @ (Action::Up | Action::Down)), true) = (own, self.rows > 1) {
            // In a long text: to the row above or below as wrapped on screen.
            if let Some(to) = super::wrap::row_move(self.input.value(), self.input.cursor(), wrap, a == Action::Up) {
                self.input = std::mem::take(&mut self.input).with_cursor(to);
            }
            return;
        }
        self.type_key(key);
    }

    fn type_key(&mut self, key: &KeyEvent) {
        if let Some(req) = to_input_request(&TermEvent::Key(*key)) {
            self.input.handle(req);
            if let Kind::Pick { cursor, .. } = &mut self.kind {
                *cursor = 0;
            }
            self.follow();
        }
    }

    /// Keeps the highlight within the filtered options, and a single picker's choice on it.
    fn follow(&mut self) {
        let filtered = self.filtered();
        if let Kind::Pick { multi, picked, cursor, .. } = &mut self.kind {
            *cursor = (*cursor).min(filtered.len().saturating_sub(1));
            if !*multi {
                *picked = filtered.get(*cursor).copied().into_iter().collect();
            }
        }
    }

    fn toggle(&mut self) {
        let filtered = self.filtered();
        if let Kind::Pick { picked, cursor, .. } = &mut self.kind
            && let Some(&i) = filtered.get((*cursor).min(filtered.len().saturating_sub(1)))
        {
            match picked.iter().position(|&p| p == i) {
                Some(at) => {
                    picked.remove(at);
                }
                None => picked.push(i),
            }
        }
    }
}

/// The decision picker's values in the approval form.
pub const APPROVE: &str = "approve";
pub const RETURN: &str = "return";

/// A triage rule's hints as offered in the open-case form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub rule: String,
    pub severity: Option<String>,
    pub category: Option<String>,
    pub lead: Option<String>,
}

/// What a form is for, with what it acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    OpenCase {
        items: Vec<String>,
        offered: Vec<Offer>,
    },
    Attach {
        items: Vec<String>,
    },
    Dismiss {
        items: Vec<String>,
    },
    Case {
        case: String,
        action: super::action::Action,
    },
    /// The supervisor's decision on draft `draft` of `case`: approve it or return it.
    Approve {
        case: String,
        draft: usize,
    },
    /// A custom period for the departments screen (no command).
    Period,
    /// Signing in, or handing the terminal to another operator (no command).
    SignIn,
    /// A trainer's extra item in a drill.
    Inject,
    /// A day's monitoring record (监测记录).
    Monitoring,
}

impl Purpose {
    /// The case a form acts on, if it acts on one.
    pub fn case(&self) -> Option<&str> {
        match self {
            Purpose::Case { case, .. } | Purpose::Approve { case, .. } => Some(case),
            _ => None,
        }
    }

    /// The items a form acts on (empty when it acts on none).
    pub fn items(&self) -> &[String] {
        match self {
            Purpose::OpenCase { items, .. } | Purpose::Attach { items } | Purpose::Dismiss { items } => items,
            _ => &[],
        }
    }
}

/// A form's title: what it does and, for a form acting on a case or items, which
/// (`添加备注 · A-0001`, `忽略 · A.4 等 3 条`), so a form is never taken for one on
/// the screen behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub name: M,
    /// The case, or the first item.
    pub subject: Option<String>,
    /// How many items besides the first.
    pub more: usize,
}

impl Title {
    /// The title of a form for `purpose`.
    pub fn of(name: M, purpose: &Purpose) -> Title {
        let items = purpose.items();
        match purpose.case() {
            Some(case) => Title { name, subject: Some(case.to_string()), more: 0 },
            None => Title { name, subject: items.first().cloned(), more: items.len().saturating_sub(1) },
        }
    }

    /// The title as shown, in `lang`.
    pub fn t(&self, lang: Lang) -> String {
        let name = self.name.t(lang);
        match (&self.subject, self.more) {
            (None, _) => name.to_string(),
            (Some(s), 0) => format!("{name} · {s}"),
            (Some(s), more) => match lang {
                Lang::Zh => format!("{name} · {s} 等 {} 条", more + 1),
                Lang::En => format!("{name} · {s} and {more} more"),
            },
        }
    }
}

impl PartialEq<M> for Title {
    fn eq(&self, other: &M) -> bool {
        self.name == *other
    }
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: Title,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// A line shown above the fields (e.g. a similar open case).
    pub note: Option<String>,
    /// The marks as they were before the action that opened the form marked more
    /// (mark similar and attach): cancelling the form puts them back.
    pub marks_before: Option<std::collections::BTreeSet<String>>,
}

/// What a key did to a form.
#[derive(Debug, PartialEq, Eq)]
pub enum FormKey {
    Stay,
    Cancel,
    Submit,
}

/// A form's width on screen at most, border included.
pub const FORM_WIDTH: u16 = 76;

impl Form {
    pub fn new(title: M, purpose: Purpose, fields: Vec<Field>) -> Form {
        let title = Title::of(title, &purpose);
        Form { title, purpose, fields, focus: 0, error: None, note: None, marks_before: None }
    }

    /// The cells the labels take, their colon and a gap included.
    pub fn label_width(&self, lang: Lang) -> usize {
        self.fields.iter().map(|x| crate::text::width(x.label.t(lang))).max().unwrap_or(4) + 2
    }

    /// The cells a field's value has on a terminal `cols` wide: what a long text wraps
    /// to, on screen and for Up/Down.
    pub fn value_width(&self, cols: u16, lang: Lang) -> usize {
        (cols.min(FORM_WIDTH).saturating_sub(2) as usize).saturating_sub(self.label_width(lang))
    }

    /// True when something was typed or picked beyond the presets.
    pub fn dirty(&self) -> bool {
        self.fields.iter().any(|f| {
            !f.input.value().is_empty()
                || matches!(&f.kind, Kind::Pick { multi: true, picked, .. } if !picked.is_empty())
        })
    }

    /// A key, with what the keymap's `[form]` section makes of it (`own`): submit,
    /// cancel and moving between fields; any other key goes to the focused field.
    /// A key in the form; `wrap` is the cells a long text wraps to (Up/Down move by
    /// its rows).
    pub fn key(&mut self, key: &KeyEvent, own: Option<Action>, wrap: usize) -> FormKey {
        let n = self.fields.len().max(1);
        match own {
            Some(Action::Cancel) => return FormKey::Cancel,
            Some(Action::Submit) => return FormKey::Submit,
            Some(Action::NextField) => self.focus = (self.focus + 1) % n,
            Some(Action::PrevField) => self.focus = (self.focus + n - 1) % n,
            _ => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.key(key, own, wrap);
                }
            }
        }
        FormKey::Stay
    }

    fn field(&self, label: M) -> &Field {
        self.fields.iter().find(|f| f.label == label).unwrap_or(&self.fields[0])
    }

    fn v(&self, label: M) -> String {
        self.field(label).value()
    }

    /// A time typed in field `label`, or what the field needs, in the form's language.
    fn time(&self, label: M, lang: Lang) -> Result<chrono::DateTime<chrono::Utc>, String> {
        crate::timefmt::parse(&self.v(label)).map_err(|_| format!("{}: {}", label.t(lang), M::NotATime.t(lang)))
    }

    /// The commands this form asks for, or what is missing.
    pub fn commands(&self, lang: Lang) -> Result<Vec<Command>, String> {
        for f in &self.fields {
            if f.required && f.values().is_empty() {
                return Err(format!("{}: {}", f.label.t(lang), M::Required.t(lang)));
            }
        }
        let named = |label: M| self.v(label);
        use super::action::Action as A;
        Ok(match &self.purpose {
            Purpose::OpenCase { items, offered } => {
                let (severity, category, lead) = (named(M::Severity), named(M::Category), self.v(M::Lead));
                // A rule's hints were taken when any of them was kept.
                let hints = offered
                    .iter()
                    .filter(|o| {
                        o.severity.as_ref() == Some(&severity)
                            || o.category.as_ref() == Some(&category)
                            || o.lead.as_ref() == Some(&lead)
                    })
                    .map(|o| o.rule.clone())
                    .collect();
                vec![Command::OpenCase {
                    hints,
                    items: items.clone(),
                    title: self.v(M::Title),
                    severity: Severity::parse(&severity)?,
                    category: Category::parse(&category)?,
                    lead,
                    co: self.field(M::CoDepartments).values(),
                }]
            }
            Purpose::Attach { items } => {
                let case = self.v(M::Case);
                items.iter().map(|i| Command::AttachItem { case: case.clone(), item: i.clone() }).collect()
            }
            Purpose::Dismiss { items } => {
                items.iter().map(|i| Command::DismissItem { item: i.clone(), reason: self.v(M::Reason) }).collect()
            }
            Purpose::Period | Purpose::SignIn => vec![],
            Purpose::Approve { case, draft } => match self.v(M::Decision).as_str() {
                RETURN => {
                    let reason = self.v(M::Reason);
                    if reason.is_empty() {
                        return Err(format!("{}: {}", M::Reason.t(lang), M::ReasonToReturn.t(lang)));
                    }
                    vec![Command::ReturnDraft { case: case.clone(), draft: Some(*draft), reason }]
                }
                _ => vec![Command::Approve { case: case.clone(), draft: Some(*draft) }],
            },
            Purpose::Monitoring => {
                let bad = |m: M, why: M| format!("{}: {}", m.t(lang), why.t(lang));
                let day = chrono::NaiveDate::parse_from_str(self.v(M::Day).trim(), "%Y-%m-%d")
                    .map_err(|_| bad(M::Day, M::NotADay))?;
                let found = self.v(M::Found).trim().parse::<u32>().map_err(|_| bad(M::Found, M::NotACount))?;
                vec![Command::RecordMonitoring {
                    day,
                    channel: crate::domain::item::Channel::parse(&named(M::Channel))?,
                    found,
                    note: self.v(M::Note),
                }]
            }
            Purpose::Inject => vec![Command::ReceiveItem {
                item: crate::domain::item::NewItem {
                    channel: crate::domain::item::Channel::parse(&named(M::Channel))?,
                    title: self.v(M::Title),
                    body: self.v(M::Text),
                    url: None,
                    author: None,
                    published_at: None,
                    reach: None,
                    external_id: None,
                },
            }],
            Purpose::Case { case, action } => {
                let case = case.clone();
                vec![match action {
                    A::Classify => Command::Classify {
                        case,
                        severity: Severity::parse(&named(M::Severity))?,
                        category: Category::parse(&named(M::Category))?,
                        since_item: None,
                    },
                    A::Assign => {
                        Command::Assign { case, lead: self.v(M::Lead), co: self.field(M::CoDepartments).values() }
                    }
                    A::Transfer => Command::Transfer { case, to: self.v(M::To), reason: self.v(M::Reason) },
                    A::Acknowledge => Command::Acknowledge { case, dept: self.v(M::Dept) },
                    A::Escalate => Command::Escalate { case, reason: self.v(M::Reason) },
                    A::ReportCounty => Command::ReportCounty { case, note: self.v(M::Note) },
                    A::Refer => {
                        Command::Refer { case, to: Referral::parse(&named(M::To))?, reference: self.v(M::Reference) }
                    }
                    A::Draft => {
                        Command::Draft { case, kind: ResponseKind::parse(&named(M::Kind))?, text: self.v(M::Text) }
                    }
                    A::Publish => Command::Publish {
                        case,
                        kind: ResponseKind::parse(&named(M::Kind))?,
                        channel: PublishChannel::parse(&named(M::PublishChannel))?,
                        text: self.v(M::Text),
                        url: Some(self.v(M::Url)).filter(|u| !u.is_empty()),
                    },
                    A::PressConference => {
                        // Time (as stated), venue and speakers go on record with the note.
                        let parts = [
                            (M::PressAt, M::PressWhen),
                            (M::PressVenue, M::PressVenue),
                            (M::PressSpeakers, M::PressSpeakers),
                            (M::Note, M::Note),
                        ]
                        .into_iter()
                        .filter(|(f, _)| !self.v(*f).is_empty())
                        .map(|(f, word)| format!("{}{}{}", word.t(lang), lang.t("：", ": "), self.v(f)));
                        Command::PressConference { case, note: parts.collect::<Vec<_>>().join(lang.t("；", "; ")) }
                    }
                    A::Extend => Command::Extend {
                        case,
                        milestone: MilestoneKind::parse(&named(M::Milestone))?,
                        until: self.time(M::Until, lang)?,
                        reason: self.v(M::Reason),
                    },
                    A::RequestExtension => Command::RequestExtension {
                        case,
                        milestone: MilestoneKind::parse(&named(M::Milestone))?,
                        until: self.time(M::Until, lang)?,
                        reason: self.v(M::Reason),
                    },
                    A::SignOff => Command::SignOff {
                        case,
                        draft: Some(self.v(M::DraftNo).parse().map_err(|_| M::NoDraftWaiting.t(lang).to_string())?),
                        dept: self.v(M::Dept),
                    },
                    A::AgreeWording => {
                        Command::AgreeWording { cases: self.field(M::RelatedCases).values(), text: self.v(M::Wording) }
                    }
                    A::AddNote => Command::Note { case, text: self.v(M::Text) },
                    A::MarkAccountability => Command::Mark { case, dept: self.v(M::Dept), reason: self.v(M::Reason) },
                    A::CloseCase => {
                        Command::Close { case, outcome: Outcome::parse(&named(M::Outcome))?, note: self.v(M::Note) }
                    }
                    A::Reopen => Command::Reopen { case, reason: self.v(M::Reason) },
                    other => return Err(format!("no form for {}", other.name())),
                }]
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_move_between_the_rows_of_a_long_text() {
        let mut f = Field::long_text(M::Text, true, "ab\ncdefgh");
        let key = KeyEvent::from(ratatui::crossterm::event::KeyCode::Up);
        // Wrapped to 4 cells: ab | cdef | gh (the cursor at the end, after h).
        f.key(&key, Some(Action::Up), 4);
        assert_eq!(f.input.cursor(), 5, "from after gh (column 2) to e in cdef");
        f.key(&key, Some(Action::Up), 4);
        assert_eq!(f.input.cursor(), 2, "on to the end of ab");
        f.key(&key, Some(Action::Up), 4);
        assert_eq!(f.input.cursor(), 2, "no row above: stays");
        f.key(&key, Some(Action::Down), 4);
        assert_eq!(f.input.cursor(), 5, "back down, at the same column");
        let mut line = Field::text(M::Reason, true);
        line.input = line.input.with_value("x".into());
        line.key(&key, Some(Action::Up), 4);
        assert_eq!(line.input.cursor(), 1, "a one-line field is not moved");
    }
}
