//! Keymaps as data: `keymaps/default.toml` and `keymaps/vim.toml` are built in; a named
//! map or a file is merged over the default, then the user's `keymap.toml` from the
//! config folder over that. A bad entry stops the console before it starts, with the
//! file, the line and the valid choices.

use super::action::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const DEFAULT: &str = include_str!("../../keymaps/default.toml");
pub const VIM: &str = include_str!("../../keymaps/vim.toml");

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Global,
    Queue,
    Item,
    Cases,
    Case,
    Departments,
    /// The supervision screen: its keys act on the highlighted row's case.
    Supervision,
    /// An open form: its keys alone, never the global ones (other keys type).
    Form,
    /// A yes/no question, the help and texts to read: their own keys, then the global
    /// moves to scroll.
    Dialog,
}

impl Scope {
    pub const ALL: [Scope; 9] = [
        Scope::Global,
        Scope::Queue,
        Scope::Item,
        Scope::Cases,
        Scope::Case,
        Scope::Departments,
        Scope::Supervision,
        Scope::Form,
        Scope::Dialog,
    ];

    /// True for the pop-ups' scopes, whose keys may be global keys too: a pop-up takes
    /// the key before any screen does.
    pub fn modal(self) -> bool {
        matches!(self, Scope::Form | Scope::Dialog)
    }

    pub fn name(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Queue => "queue",
            Scope::Item => "item",
            Scope::Cases => "cases",
            Scope::Case => "case",
            Scope::Departments => "departments",
            Scope::Supervision => "supervision",
            Scope::Form => "form",
            Scope::Dialog => "dialog",
        }
    }
}

/// A key with its modifiers, as bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
}

/// `KeyCode` reduced to what bindings use, with an order for stable listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(&'static str),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
];

impl Key {
    /// Parses `q`, `?`, `Enter`, `C-c`, `A-x`, `F5`, `Space`, `Shift-Tab` (or `BackTab`).
    pub fn parse(s: &str) -> Result<Key, String> {
        let (mut ctrl, mut alt, mut rest) = (false, false, s);
        loop {
            if let Some(r) = rest.strip_prefix("C-").filter(|r| !r.is_empty()) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("A-").filter(|r| !r.is_empty()) {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = if rest == "Space" {
            KeyCodeOrd::Char(' ')
        } else if rest == "Shift-Tab" {
            KeyCodeOrd::Named("BackTab")
        } else if let Some((name, _)) = NAMED.iter().find(|(n, _)| *n == rest) {
            KeyCodeOrd::Named(name)
        } else if let Some(n) =
            rest.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()).filter(|n| (1..=12).contains(n))
        {
            KeyCodeOrd::F(n)
        } else {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => KeyCodeOrd::Char(c),
                _ => {
                    let names: Vec<&str> = NAMED.iter().map(|(n, _)| *n).collect();
                    return Err(format!(
                        "unknown key `{s}`; valid: one character, Space, Shift-Tab, F1-F12, {} (optionally with C- or A-)",
                        names.join(", ")
                    ));
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }

    /// The binding a terminal key event matches.
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let code = match ev.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => KeyCodeOrd::Named(NAMED.iter().find(|(_, k)| *k == other)?.0),
        };
        Some(Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        })
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("A-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("Space"),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "F{n}"),
            // What the key is labelled with, not crossterm's name for it.
            KeyCodeOrd::Named("BackTab") => f.write_str("Shift-Tab"),
            KeyCodeOrd::Named(n) => f.write_str(n),
        }
    }
}

/// A keymap file or setting that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The active bindings, per scope.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    pub bindings: BTreeMap<Scope, BTreeMap<Key, Action>>,
}

type Raw = BTreeMap<String, BTreeMap<String, toml::Spanned<String>>>;

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Keymap {
    /// The line of the help on which `scope`'s section starts: the help (`view/help.rs`)
    /// opens with three lines, then gives each scope a title, a line per action and a
    /// blank line. F1 in a form opens the help there.
    pub fn help_line_of(&self, scope: Scope) -> u16 {
        let before: usize = Scope::ALL
            .into_iter()
            .take_while(|s| *s != scope)
            .filter_map(|s| self.bindings.get(&s))
            .map(|m| m.values().collect::<std::collections::BTreeSet<_>>().len() + 2)
            .sum();
        (3 + before) as u16
    }

    /// Merges one file's bindings over these; `file` names it in errors.
    pub fn merge(&mut self, file: &str, text: &str) -> Result<(), KeymapError> {
        let err = |line, message| KeymapError { file: file.to_string(), line, message };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            err(line, e.message().to_string())
        })?;
        for (section, entries) in raw {
            let Some(scope) = Scope::ALL.into_iter().find(|s| s.name() == section) else {
                let line = text.find(&format!("[{section}]")).map(|o| line_of(text, o)).unwrap_or(1);
                let names: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
                return Err(err(line, format!("unknown section `[{section}]`; valid: {}", names.join(", "))));
            };
            for (key, action) in entries {
                let line = line_of(text, action.span().start);
                let k = Key::parse(&key).map_err(|m| err(line, m))?;
                let a: Action = action.get_ref().parse().map_err(|m| err(line, m))?;
                self.bindings.entry(scope).or_default().insert(k, a);
            }
        }
        Ok(())
    }

    /// The default map, the chosen one (`default`, `vim` or a file) over it, and the
    /// user's `keymap.toml` from `config_dir` over that.
    pub fn load(choice: &str, config_dir: &Path) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        map.merge("keymaps/default.toml", DEFAULT)?;
        match choice {
            "" | "default" => {}
            "vim" => map.merge("keymaps/vim.toml", VIM)?,
            path => map.merge_file(&PathBuf::from(path), true)?,
        }
        map.merge_file(&config_dir.join("keymap.toml"), false)?;
        Ok(map)
    }

    fn merge_file(&mut self, path: &Path, required: bool) -> Result<(), KeymapError> {
        match std::fs::read_to_string(path) {
            Ok(text) => self.merge(&path.display().to_string(), &text),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(KeymapError {
                file: path.display().to_string(),
                line: 0,
                message: format!("{e}; a keymap is `default`, `vim` or the path of a TOML file"),
            }),
        }
    }

    /// The action for a key on a screen: the screen's bindings first, then global.
    pub fn action(&self, scope: Scope, key: &Key) -> Option<Action> {
        self.bindings
            .get(&scope)
            .and_then(|m| m.get(key))
            .or_else(|| self.bindings.get(&Scope::Global).and_then(|m| m.get(key)))
            .copied()
    }

    /// The action a key has in `scope` itself, without the global fallback (a form's
    /// keys: anything else types).
    pub fn own(&self, scope: Scope, key: &Key) -> Option<Action> {
        self.bindings.get(&scope).and_then(|m| m.get(key)).copied()
    }

    /// The keys bound to an action in a scope (or globally), for hints: `o`, `Enter`.
    pub fn keys_for(&self, scope: Scope, action: Action) -> Vec<Key> {
        let mut out: Vec<Key> = Vec::new();
        for s in [scope, Scope::Global] {
            if let Some(m) = self.bindings.get(&s) {
                out.extend(m.iter().filter(|(_, a)| **a == action).map(|(k, _)| *k));
            }
        }
        // Hints show the plainest key: no modifier, a named key (`Esc`, `Up`) before a
        // letter, and `y` before `Y`.
        out.sort_by_key(|k| {
            let upper = matches!(k.code, KeyCodeOrd::Char(c) if c.is_uppercase());
            (k.ctrl || k.alt, upper, matches!(k.code, KeyCodeOrd::Char(_)))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_keymap_parses() {
        let dir = tempfile::tempdir().unwrap();
        for choice in ["default", "vim"] {
            Keymap::load(choice, dir.path()).unwrap();
        }
    }

    #[test]
    fn no_screen_key_shadows_a_global_key() {
        let dir = tempfile::tempdir().unwrap();
        for choice in ["default", "vim"] {
            let map = Keymap::load(choice, dir.path()).unwrap();
            let global = &map.bindings[&Scope::Global];
            for (scope, keys) in &map.bindings {
                if *scope == Scope::Global || scope.modal() {
                    continue;
                }
                for k in keys.keys() {
                    assert!(!global.contains_key(k), "{choice}: `{k}` in [{}] also bound globally", scope.name());
                }
            }
        }
    }

    #[test]
    fn every_action_has_a_key_in_the_default_map() {
        let dir = tempfile::tempdir().unwrap();
        let map = Keymap::load("default", dir.path()).unwrap();
        for a in Action::ALL {
            assert!(map.bindings.values().any(|m| m.values().any(|b| b == a)), "no key for `{}`", a.name());
        }
    }

    #[test]
    fn every_pop_up_key_is_in_the_keymap() {
        let dir = tempfile::tempdir().unwrap();
        let map = Keymap::load("default", dir.path()).unwrap();
        for (scope, actions) in [
            (Scope::Form, &[Action::Submit, Action::NextField, Action::PrevField, Action::Cancel][..]),
            (Scope::Dialog, &[Action::Confirm, Action::Cancel][..]),
        ] {
            for a in actions {
                assert!(!map.keys_for(scope, *a).is_empty(), "[{}] has no key for `{}`", scope.name(), a.name());
            }
        }
        let esc = Key::parse("Esc").unwrap();
        assert_eq!(map.own(Scope::Form, &esc), Some(Action::Cancel));
        assert_eq!(map.own(Scope::Form, &Key::parse("q").unwrap()), None, "q types in a form");
    }

    #[test]
    fn a_bad_entry_names_file_line_and_valid_choices() {
        let mut map = Keymap::default();
        let e = map.merge("mine.toml", "[queue]\no = \"open_case\"\nx = \"explode\"\n").unwrap_err().to_string();
        assert!(e.starts_with("mine.toml:3: unknown action `explode`; valid: quit, help"), "{e}");
        let e = map.merge("mine.toml", "[queue]\n\"Ctrl+x\" = \"quit\"\n").unwrap_err().to_string();
        assert!(e.starts_with("mine.toml:2: unknown key `Ctrl+x`"), "{e}");
        let e = map.merge("mine.toml", "\n[qeue]\nx = \"quit\"\n").unwrap_err().to_string();
        assert!(e.starts_with("mine.toml:2: unknown section `[qeue]`; valid: global, queue"), "{e}");
    }

    #[test]
    fn a_user_file_overrides_and_adds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keymap.toml"), "[queue]\nX = \"dismiss\"\n").unwrap();
        let map = Keymap::load("default", dir.path()).unwrap();
        assert_eq!(map.action(Scope::Queue, &Key::parse("X").unwrap()), Some(Action::DismissItem));
        assert_eq!(map.action(Scope::Queue, &Key::parse("d").unwrap()), Some(Action::DismissItem));
        assert_eq!(map.action(Scope::Queue, &Key::parse("q").unwrap()), Some(Action::Quit));
    }
}
