//! The interface language. Chinese first; English for everyone else.

thread_local! {
    /// The language a forwarded command line asked for (see [`Lang::speaking`]).
    static ASKED: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Which language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// From an explicit choice (`zh`, `en`), else from `LANG`/`LC_ALL`; Chinese when unsure.
    pub fn pick(choice: &str) -> Result<Lang, String> {
        match choice.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            "" => {
                let env = std::env::var("LC_ALL")
                    .ok()
                    .filter(|s| !s.is_empty())
                    .or_else(|| std::env::var("LANG").ok())
                    .unwrap_or_default();
                Ok(if env.starts_with("en") { Lang::En } else { Lang::Zh })
            }
            other => Err(format!("unknown language `{other}`; valid: zh, en")),
        }
    }

    /// The command line's language: Chinese when `LC_ALL` or `LANG` asks for it (`zh_CN…`),
    /// else English, which scripts reading the output expect. A command line run for
    /// another process (through the control socket) speaks that process's language.
    pub fn of_terminal() -> Lang {
        if let Some(lang) = ASKED.with(std::cell::Cell::get) {
            return lang;
        }
        let env = std::env::var("LC_ALL").ok().filter(|s| !s.is_empty()).or_else(|| std::env::var("LANG").ok());
        if env.unwrap_or_default().starts_with("zh") { Lang::Zh } else { Lang::En }
    }

    /// Runs `f` with [`Lang::of_terminal`] answering `lang` on this thread: the language
    /// of the terminal a forwarded command line came from.
    pub fn speaking<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
        let before = ASKED.with(|a| a.replace(Some(lang)));
        let out = f();
        ASKED.with(|a| a.set(before));
        out
    }

    /// `zh` or `en`, as [`Lang::pick`] reads it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Picks the Chinese or the English text.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Declares a typed catalogue of user-facing words: an enum of message names and their
/// Chinese and English texts. Each part of the product (console, reports, command line)
/// has its catalogue; no text is looked up by a string key, so none can be missing.
macro_rules! catalogue {
    ($(#[$doc:meta])* $name:ident { $($key:ident => $zh:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),* }

        impl $name {
            /// The text in `lang`.
            pub fn t(self, lang: $crate::i18n::Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$key, $crate::i18n::Lang::Zh) => $zh, ($name::$key, $crate::i18n::Lang::En) => $en,)*
                }
            }
        }
    };
}
pub(crate) use catalogue;
