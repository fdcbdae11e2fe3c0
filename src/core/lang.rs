//! The language hocso speaks to the person at the keyboard.
//!
//! Commune staff read Vietnamese first, so every message exists in Vietnamese and English and
//! Vietnamese is the default. The language of the *site* (its UI strings) lives in the theme's
//! `i18n/*.toml`; this is only the language of the command line and its error messages.

use std::fmt;

/// Language of CLI messages and diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Tiếng Việt (default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The message language for a language code: Vietnamese for `vi`, English for any other
    /// (a translator into Hmong reads English better than Vietnamese messages, or as well).
    pub fn of(code: &str) -> Lang {
        if code == "vi" || code.starts_with("vi-") { Lang::Vi } else { Lang::En }
    }

    /// Picks the Vietnamese or the English text.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Formats a duration in seconds with the decimal separator readers expect ("0,41" / "0.41").
    pub fn seconds(self, secs: f64) -> String {
        let s = format!("{secs:.2}");
        match self {
            Lang::Vi => s.replace('.', ","),
            Lang::En => s,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.pick("vi", "en"))
    }
}
