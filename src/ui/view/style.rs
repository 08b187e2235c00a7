//! Colours and emphasis. With colour off (`NO_COLOR`, a monochrome terminal) every state
//! still reads as text or as bold/reverse, never by colour alone. Only the 16 basic
//! colours are used, so it looks the same on any terminal.

use ratatui::style::{Color, Modifier, Style};

/// The palette in force.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub colour: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.colour { Style::new().fg(c) } else { Style::new() }
    }

    pub fn plain(self) -> Style {
        Style::new()
    }

    pub fn dim(self) -> Style {
        if self.colour { Style::new().fg(Color::DarkGray) } else { Style::new() }
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn danger(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Overdue: red and reversed; reversed alone without colour.
    pub fn overdue(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Freshly arrived rows.
    pub fn fresh(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Words a triage rule matched: underlined (and yellow with colour).
    pub fn matched(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::UNDERLINED)
    }

    pub fn live(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn accent(self) -> Style {
        self.fg(Color::Cyan)
    }
}
