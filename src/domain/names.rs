//! One table of wire names and Chinese labels for every closed set of choices
//! (channels, severities, categories, …), so parsing, printing and "valid choices"
//! messages all read from the same place.

/// A closed set of choices with a stable wire name and a Chinese label.
pub trait Named: Sized + Copy + 'static {
    /// What the set is called in error messages, e.g. "severity".
    const WHAT: &'static str;
    /// The same in Chinese, e.g. "级别".
    const WHAT_ZH: &'static str;
    /// Every member with its wire name and Chinese label.
    const ALL: &'static [(Self, &'static str, &'static str)];

    /// The wire name (`major`).
    fn name(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL.iter().find(|(v, _, _)| *v == self).map(|e| e.1).unwrap_or("?")
    }

    /// The Chinese label (`重大`).
    fn zh(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL.iter().find(|(v, _, _)| *v == self).map(|e| e.2).unwrap_or("?")
    }

    /// The wire name as English words, for people (`press_conference` → `press conference`).
    fn words(self) -> String
    where
        Self: PartialEq,
    {
        self.name().replace('_', " ")
    }

    /// As a reader of `lang` names it: the Chinese label (`发布权威信息`) or the English
    /// words (`authoritative info`), never the code.
    fn label(self, lang: crate::i18n::Lang) -> String
    where
        Self: PartialEq,
    {
        match lang {
            crate::i18n::Lang::Zh => self.zh().to_string(),
            crate::i18n::Lang::En => self.words(),
        }
    }

    /// Parses a wire name or a Chinese label; the error lists what is valid.
    fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        Self::ALL
            .iter()
            .find(|(_, n, zh)| n.eq_ignore_ascii_case(t) || *zh == t)
            .map(|e| e.0)
            .ok_or_else(|| format!("unknown {} `{}`; valid: {}", Self::WHAT, s, Self::choices()))
    }

    /// [`Named::parse`], refusing in both languages.
    fn parse_said(s: &str) -> Result<Self, crate::domain::said::Said> {
        Self::parse(s).map_err(|en| {
            let valid: Vec<String> = Self::ALL.iter().map(|(_, code, zh)| format!("{code}（{zh}）")).collect();
            crate::domain::said::Said::new(en, format!("没有{} `{s}`；可填：{}", Self::WHAT_ZH, valid.join("、")))
        })
    }

    /// "a, b, c" — the valid wire names.
    fn choices() -> String {
        Self::ALL.iter().map(|e| e.1).collect::<Vec<_>>().join(", ")
    }
}

/// Implements serde for a [`Named`] type through its wire name.
#[macro_export]
macro_rules! named_serde {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::domain::names::Named::name(*self))
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t as $crate::domain::names::Named>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::domain::names::Named::name(*self))
            }
        }
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                <$t as $crate::domain::names::Named>::parse(s)
            }
        }
    };
}
