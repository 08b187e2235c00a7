//! The interface language. Chinese first; English for everyone else.

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
    /// else English, which scripts reading the output expect.
    pub fn of_terminal() -> Lang {
        let env = std::env::var("LC_ALL").ok().filter(|s| !s.is_empty()).or_else(|| std::env::var("LANG").ok());
        if env.unwrap_or_default().starts_with("zh") { Lang::Zh } else { Lang::En }
    }

    /// Picks the Chinese or the English text.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
