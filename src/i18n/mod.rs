//! The language oneway speaks to people: English or Indonesian, and the message catalogue.
//!
//! Every human-facing string is a message of `en.ftl` and `id.ftl` beside this file (Project
//! Fluent's syntax: a message is a whole sentence with its arguments, plurals chosen by the
//! language's CLDR rules; no sentence is built by joining translated pieces). Machine formats
//! (jsonl, csv, Parquet, serve's jsonl log) never go through here.
//!
//! The language is chosen once per process, like a C locale: [`set`] from `--lang`, else
//! [`from_env`] (`LC_ALL` > `LC_MESSAGES` > `LANG`), else English. [`text`] and [`tr!`] then look
//! messages up in it. The catalogues are compiled in (`include_str!`) and parsed on first use.
//!
//! A third, hidden language, [`Lang::Pseudo`] (`--lang qps`), is English with every piece of text
//! the catalogue gave wrapped in `⟦…⟧`: a test renders every view in it and finds no English
//! outside the brackets, i.e. no human-facing string that bypasses the catalogue.

use std::borrow::Cow;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The English catalogue (also the pseudo-locale's source).
pub const EN_FTL: &str = include_str!("en.ftl");
/// The Indonesian catalogue.
pub const ID_FTL: &str = include_str!("id.ftl");

/// A language oneway speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (`en`), the default.
    #[default]
    En,
    /// Bahasa Indonesia (`id`).
    Id,
    /// English with every catalogue text marked `⟦…⟧` (`qps`, hidden): finds what bypasses the
    /// catalogue.
    Pseudo,
}

impl Lang {
    /// Every language, in the order they are listed.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Id, Lang::Pseudo];

    /// Its code on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
            Lang::Pseudo => "qps",
        }
    }

    /// The language of a locale name as POSIX spells it (`id_ID.UTF-8`, `in_ID`, `id`,
    /// `en_US.UTF-8@euro`); `None` when oneway does not speak it (`C`, `POSIX`, `fr_FR` …).
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let name = locale.split(['.', '@']).next().unwrap_or_default();
        let language = name.split(['_', '-']).next().unwrap_or_default();
        match language.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            // `in` is Indonesian's code before ISO 639 changed it (still used by some systems).
            "id" | "in" | "ind" => Some(Lang::Id),
            _ => None,
        }
    }

    /// Its BCP 47 tag (an HTML page's `lang`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En | Lang::Pseudo => "en",
        }
    }

    /// The mark between a number's whole part and its decimals in prose (`0.283 ms`, in
    /// Indonesian `0,283 ms`).
    pub fn decimal_mark(self) -> char {
        match self {
            Lang::Id => ',',
            Lang::En | Lang::Pseudo => '.',
        }
    }

    fn bundle(self) -> &'static Bundle {
        static BUNDLES: [OnceLock<Bundle>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        BUNDLES[self as usize].get_or_init(|| build(self))
    }
}

/// The language of the environment, as `setlocale(LC_MESSAGES, "")` would choose it: the first
/// of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not empty decides; English when that one
/// is `C`, `POSIX` or a language oneway does not speak, or when none is set.
pub fn from_env() -> Lang {
    from_vars(|name| std::env::var(name).ok())
}

/// [`from_env`] over any source of variables (tested without touching the process's own).
pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))
        .and_then(|v| Lang::from_locale(&v))
        .unwrap_or_default()
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Chooses the language of this process (once, at start; tests may change it).
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language of this process.
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Id,
        2 => Lang::Pseudo,
        _ => Lang::En,
    }
}

type Bundle = FluentBundle<FluentResource>;

fn build(lang: Lang) -> Bundle {
    let (source, tag) = match lang {
        Lang::En | Lang::Pseudo => (EN_FTL, "en"),
        Lang::Id => (ID_FTL, "id"),
    };
    let tag = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Isolation marks (U+2068, U+2069) around arguments would reach terminals and golden files.
    bundle.set_use_isolating(false);
    if lang == Lang::Pseudo {
        bundle.set_transform(Some(pseudo));
    }
    // The catalogues are compiled in and checked by the tests: a syntax error cannot ship, but
    // if one did, the entries that parse are still used (`try_new` keeps them).
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
    let _ = bundle.add_resource(resource);
    bundle
}

/// The pseudo-locale's mark on every text piece of a message (arguments stay as they are).
fn pseudo(s: &str) -> Cow<'_, str> {
    if s.trim().is_empty() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("\u{27e6}{s}\u{27e7}"))
    }
}

/// An argument of a message: numbers (chosen among plural forms) or text.
pub type Args<'a> = FluentArgs<'a>;

/// A number or a text as a message argument.
pub fn value<'a>(v: impl Into<Arg<'a>>) -> FluentValue<'a> {
    v.into().0
}

/// What [`tr!`] accepts as an argument: integers and text (anything else: `.to_string()` it).
pub struct Arg<'a>(FluentValue<'a>);

macro_rules! number_args {
    ($($t:ty)+) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg(FluentValue::from(n))
            }
        }
    )+};
}
number_args!(u8 u16 u32 u64 usize i32 i64);

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg(FluentValue::from(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg(FluentValue::from(s.as_str()))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg(FluentValue::from(s))
    }
}

impl<'a> From<Cow<'a, str>> for Arg<'a> {
    fn from(s: Cow<'a, str>) -> Self {
        Arg(FluentValue::from(s))
    }
}

/// A message without arguments in the current language (borrowed from the catalogue, no
/// allocation, except in the pseudo-locale). An unknown key gives itself (the tests make sure
/// every key used exists in both catalogues).
pub fn text(key: &str) -> Cow<'static, str> {
    text_in(current(), key)
}

/// [`text`] in a given language.
pub fn text_in(lang: Lang, key: &str) -> Cow<'static, str> {
    let bundle = lang.bundle();
    match bundle.get_message(key).and_then(|m| m.value()) {
        Some(pattern) => bundle.format_pattern(pattern, None, &mut Vec::new()),
        None => Cow::Owned(key.to_string()),
    }
}

/// The Indonesian `--help` (`help-id.ftl`): clap's source of English help is the doc comments.
pub const HELP_ID_FTL: &str = include_str!("help-id.ftl");

/// `--help`'s text for `key` in the current language; `None` in English (the doc comments are
/// the help) or when the help catalogue has no such key.
pub fn help(key: &str) -> Option<String> {
    help_in(current(), key)
}

/// [`help`] in a given language.
pub fn help_in(lang: Lang, key: &str) -> Option<String> {
    static HELP_ID: OnceLock<Bundle> = OnceLock::new();
    let bundle = match lang {
        Lang::Id => HELP_ID.get_or_init(|| {
            let mut bundle =
                FluentBundle::new_concurrent(vec![Lang::Id.tag().parse().unwrap_or_default()]);
            bundle.set_use_isolating(false);
            let resource =
                FluentResource::try_new(HELP_ID_FTL.to_string()).unwrap_or_else(|(r, _)| r);
            let _ = bundle.add_resource(resource);
            bundle
        }),
        Lang::En | Lang::Pseudo => return None,
    };
    let pattern = bundle.get_message(key)?.value()?;
    Some(
        bundle
            .format_pattern(pattern, None, &mut Vec::new())
            .into_owned(),
    )
}

/// A message with arguments in the current language.
pub fn format(key: &str, args: &Args<'_>) -> String {
    let mut s = String::new();
    write(&mut s, current(), key, args);
    s
}

/// [`format`] in a given language.
pub fn format_in(lang: Lang, key: &str, args: &Args<'_>) -> String {
    let mut s = String::new();
    write(&mut s, lang, key, args);
    s
}

/// Appends a message with arguments to `out` (no intermediate string).
pub fn write(out: &mut String, lang: Lang, key: &str, args: &Args<'_>) {
    let bundle = lang.bundle();
    match bundle.get_message(key).and_then(|m| m.value()) {
        Some(pattern) => {
            let _ = bundle.write_pattern(out, pattern, Some(args), &mut Vec::new());
        }
        None => out.push_str(key),
    }
}

/// A message in the current language: `tr!("key")` (a `Cow<'static, str>`), or with arguments
/// `tr!("key", frame = 3, from = addr.to_string())` (a `String`). Argument names are the
/// message's `$variables`.
macro_rules! tr {
    ($key:expr) => {
        $crate::i18n::text($key)
    };
    ($key:expr, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::Args::new();
        $( args.set(stringify!($name), $crate::i18n::value($value)); )+
        $crate::i18n::format($key, &args)
    }};
}
pub(crate) use tr;

/// A message's pattern split once at its arguments, for rows written by the million: the text
/// pieces are looked up once, then each row only pushes pieces and its own numbers.
#[derive(Debug, Clone)]
pub struct Template {
    /// Text and argument indexes, in order.
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Arg(usize),
}

/// What marks argument `i` while a template is cut (never in a catalogue's text).
fn marker(i: usize) -> String {
    format!("\u{1}{i}\u{1}")
}

impl Template {
    /// `key`'s pattern in `lang`, its arguments `names` in the order [`Template::push`] takes
    /// their values. Only for messages without plural choices on these arguments.
    pub fn new(lang: Lang, key: &str, names: &[&str]) -> Template {
        Template::with_numbers(lang, key, names, &[])
    }

    /// [`Template::new`] with some arguments fixed to numbers: those that choose plural forms
    /// (a template per value, e.g. one per packet count met).
    pub fn with_numbers(
        lang: Lang,
        key: &str,
        names: &[&str],
        numbers: &[(&str, u64)],
    ) -> Template {
        let mut args = Args::new();
        for (name, n) in numbers {
            args.set(*name, FluentValue::from(*n));
        }
        for (i, name) in names.iter().enumerate() {
            args.set(*name, FluentValue::from(marker(i)));
        }
        let whole = format_in(lang, key, &args);
        let mut parts = Vec::new();
        let mut rest = whole.as_str();
        while let Some(start) = rest.find('\u{1}') {
            let after = &rest[start + 1..];
            let Some(len) = after.find('\u{1}') else {
                break;
            };
            if start > 0 {
                parts.push(Part::Text(rest[..start].to_string()));
            }
            if let Ok(i) = after[..len].parse() {
                parts.push(Part::Arg(i));
            }
            rest = &after[len + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Template { parts }
    }

    /// Appends the message with `values` in place of its arguments.
    pub fn push(&self, out: &mut String, values: &[&str]) {
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Arg(i) => out.push_str(values.get(*i).copied().unwrap_or_default()),
            }
        }
    }

    /// Appends the message, `arg(i, out)` writing argument `i` in place (no string per value).
    pub fn push_with(&self, out: &mut String, mut arg: impl FnMut(usize, &mut String)) {
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Arg(i) => arg(*i, out),
            }
        }
    }

    /// Whether every piece of its text is ASCII (a table's cell width is then its length).
    pub fn is_ascii(&self) -> bool {
        self.parts.iter().all(|p| match p {
            Part::Text(t) => t.is_ascii(),
            Part::Arg(_) => true,
        })
    }
}

#[cfg(test)]
mod tests;
