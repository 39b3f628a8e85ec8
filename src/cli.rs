//! The command line: clap's types, and their resolution into the plain option structs of the
//! work modules ([`inspect::Options`], [`serve::Options`], [`send::Options`]).
//!
//! clap stops here: work code never sees a clap type. Doc comments here are the `--help` text;
//! the work modules' enums are spelt on the command line by [`value_enum!`] below.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::UsageError;
use crate::i18n::{self, Lang, tr};
use crate::inspect::{self, Format, TimeFormat};
use crate::net::addr::split_target;
use crate::net::send;
use crate::net::serve::{self, LogFormat, Reply};
use crate::render::Paint;

/// Spells an enum of a work module on the command line: each variant's value and its help, in
/// the order `--help` lists them (the help in the language of the run: [`help_text`], under the
/// key `value-TYPE-NAME`).
macro_rules! value_enum {
    ($ty:ident { $($variant:ident => $name:literal: $help:literal,)+ }) => {
        impl ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($ty::$variant),+]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(match self {
                    $($ty::$variant => PossibleValue::new($name).help(help_text(
                        &format!("value-{}-{}", stringify!($ty).to_ascii_lowercase(), $name),
                        $help,
                    )),)+
                })
            }
        }
    };
}

/// `--help`'s text for `key` in the language of the run: `english` (the doc comment, clap's
/// source of help) in English, else the help catalogue's translation (`src/i18n/help-id.ftl`).
fn help_text(key: &str, english: &str) -> String {
    i18n::help(key).unwrap_or_else(|| english.to_string())
}

/// The command line as clap parses it, its help in the language of the run (English: the doc
/// comments; Indonesian: `src/i18n/help-id.ftl`). What clap writes itself — its headings but
/// "Usage", `[default: …]`, `[possible values: …]`, its errors — stays English.
pub fn command() -> clap::Command {
    let cmd = <Cli as clap::CommandFactory>::command();
    if i18n::help("about-oneway").is_none() {
        return cmd;
    }
    localize(cmd, "oneway")
}

/// Puts the help catalogue's text on `cmd` (whose help keys begin with `path`), its arguments and
/// its subcommands.
fn localize(cmd: clap::Command, path: &str) -> clap::Command {
    let text = |key: String| i18n::help(&key);
    let mut cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            text("help-heading-usage".into()).unwrap_or_default()
        ))
        .subcommand_help_heading(text("help-heading-commands".into()).unwrap_or_default())
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help(text("help-flag-help".into()).unwrap_or_default()),
        );
    if path == "oneway" {
        cmd = cmd.arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(text("help-flag-version".into()).unwrap_or_default()),
        );
    }
    if let Some(about) = text(format!("about-{path}")) {
        let long = text(format!("long-about-{path}")).unwrap_or_else(|| about.clone());
        cmd = cmd.about(about).long_about(long);
    }
    let options = text("help-heading-options".into()).unwrap_or_default();
    let arguments = text("help-heading-arguments".into()).unwrap_or_default();
    cmd = cmd.mut_args(|a| {
        let key = format!("help-{path}-{}", a.get_id());
        let heading = if a.is_positional() {
            &arguments
        } else {
            &options
        };
        let a = a.help_heading(heading.clone());
        match text(key) {
            Some(help) => a.help(help.clone()).long_help(help),

            None => a,
        }
    });
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name.clone(), |sub| localize(sub, &name));
    }
    cmd
}

/// Parses the command line with [`command`]'s help; usage errors end the process as clap does.
pub fn parse() -> Cli {
    use clap::FromArgMatches as _;
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

value_enum!(Reply {
    Greet => "greet": "`Hello, ('ADDR', PORT). You said: MESSAGE`, byte for byte what the lab's server answered.",
    Echo => "echo": "The payload, unchanged.",
    None => "none": "Nothing: truly one-way.",
});

value_enum!(LogFormat {
    Text => "text": "One line of text per datagram.",
    Jsonl => "jsonl": "One JSON object per datagram.",
    Lab => "lab": "The lab's python server's line: `Received message from ('172.19.0.3', 57314): MESSAGE`.",
});

value_enum!(Format {
    Table => "table": "A table for people, then a summary of the exchange.",
    Jsonl => "jsonl": "One JSON object per UDP datagram.",
    Csv => "csv": "The same fields as jsonl, header row first (RFC 4180).",
    Parquet => "parquet": "Apache Parquet for DuckDB, Spark, Polars: one row per datagram with its analysis (with --summary, per conversation); needs -o FILE or a pipe.",
});

value_enum!(TimeFormat {
    Relative => "relative": "Seconds since the first frame of the capture.",
    Absolute => "absolute": "Date and time in UTC (RFC 3339).",
    Delta => "delta": "Seconds since the previous row.",
});

/// The UDP lab in one binary: a server, a client, and a capture reader that explains what crossed
/// the link.
///
/// Exit codes: 0 done (a capture with no UDP, a closed stdout pipe included); 1 could not finish
/// (unreadable or damaged capture, socket error, no reply in time); 2 usage error.
#[derive(Debug, Parser)]
#[command(name = "oneway", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Color: `auto` colors a terminal unless NO_COLOR is set or TERM is dumb
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Language of what oneway says to people: `en` or `id` (Bahasa Indonesia); by default
    /// from LC_ALL, LC_MESSAGES or LANG (`id_ID.UTF-8` is Indonesian), else English. jsonl, csv
    /// and Parquet never change
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<Lang>,
}

impl ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &Lang::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Lang::En => PossibleValue::new("en").help("English"),
            Lang::Id => PossibleValue::new("id").help("Bahasa Indonesia"),
            // The pseudo-locale of the tests: every catalogue text marked.
            Lang::Pseudo => PossibleValue::new(Lang::Pseudo.code()).hide(true),
        })
    }
}

/// The language of this run, before clap parses the command line (so that `--help` and clap's
/// own messages can already speak it): the last `--lang X` or `--lang=X` among `args`, else the
/// environment's ([`i18n::from_env`]). A value that is not a language is left for clap to refuse.
pub fn lang_of_args<I, S>(args: I) -> Lang
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut lang = None;
    let mut next_is_lang = false;
    for arg in args {
        let arg = arg.as_ref().to_string_lossy();
        if arg == "--" {
            break;
        }
        let value = if next_is_lang {
            Some(arg.as_ref())
        } else {
            arg.strip_prefix("--lang=")
        };
        next_is_lang = arg == "--lang";
        if let Some(v) = value {
            lang = Lang::ALL.into_iter().find(|l| l.code() == v).or(lang);
        }
    }
    lang.unwrap_or_else(i18n::from_env)
}

/// When to color the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorWhen {
    /// When stdout is a terminal, NO_COLOR is unset or empty, and TERM is not `dumb`.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

value_enum!(ColorWhen {
    Auto => "auto": "When stdout is a terminal, NO_COLOR is unset or empty, and TERM is not `dumb`",
    Always => "always": "Always",
    Never => "never": "Never",
});

impl ColorWhen {
    /// Decides, once, whether to color: see [`ColorWhen::Auto`].
    pub fn resolve(self, stdout_is_terminal: bool) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                stdout_is_terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// The three parts of the lab.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a UDP server that prints each datagram with its sender and answers it.
    Serve(ServeArgs),
    /// Send UDP datagrams and print the replies.
    Send(SendArgs),
    /// List the UDP datagrams of a pcap or pcapng capture and explain the exchange.
    Inspect(InspectArgs),
    /// Print a shell completion script (e.g. `oneway completions bash > /etc/bash_completion.d/oneway`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual (roff): every command's page, or one command's, e.g.
    /// `oneway manpage > oneway.1 && man -l oneway.1`, `oneway manpage serve > oneway-serve.1`.
    Manpage {
        /// Only this command's page.
        #[arg(value_parser = ["serve", "send", "inspect", "completions", "manpage"])]
        command: Option<String>,
    },
}

/// `oneway serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (IPv4 or IPv6, e.g. `::`)
    #[arg(long, default_value = "0.0.0.0", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// UDP port to listen on (0 picks a free one)
    #[arg(short, long, default_value_t = 12345)]
    pub port: u16,
    /// What to answer to each datagram
    #[arg(long, value_enum, default_value_t = Reply::Greet)]
    pub reply: Reply,
    /// Stop after N datagrams.
    #[arg(short, long, value_name = "N")]
    pub count: Option<u64>,
    /// Format of the per-datagram log on stdout (`--log lab`: the lab server's own lines)
    #[arg(long, visible_alias = "log", value_enum, default_value_t = LogFormat::Text)]
    pub format: LogFormat,
    /// Most replies per second to one source address (bursts of twice that), or `off`; beyond
    /// it, datagrams are logged but not answered
    #[arg(long, default_value = "100/s", value_parser = parse_rate, value_name = "N/s|off")]
    pub rate_limit: Rate,
}

/// `--rate-limit`: replies a second to one source address, `None` for `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate(pub Option<u32>);

/// `oneway send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// Where to send: HOST, HOST:PORT, [IPV6]:PORT; host names resolve [default: 127.0.0.1]
    #[arg(value_name = "HOST[:PORT]")]
    pub target: Option<String>,
    /// As `nc -u HOST PORT`: a number after HOST is the PORT; anything else is the MESSAGE
    #[arg(value_name = "PORT|MESSAGE")]
    pub second: Option<String>,
    /// The message after HOST PORT; `-` reads it from stdin as raw bytes [default: "Hello, UDP
    /// server2!"]
    #[arg(value_name = "MESSAGE")]
    pub third: Option<String>,
    /// The message, whatever it looks like (digits too); `-` reads stdin
    #[arg(short, long, value_name = "TEXT")]
    pub message: Option<String>,
    /// Port used when HOST has none [default: 12345]
    #[arg(short, long)]
    pub port: Option<u16>,
    /// Local port to send from (e.g. 57314, as in the lab's capture) [default: any]
    #[arg(long, value_name = "P")]
    pub source_port: Option<u16>,
    /// How long to wait for each reply, e.g. 2s, 500ms; at most 1 day
    #[arg(long, default_value = "2s", value_parser = parse_duration, value_name = "D")]
    pub timeout: Duration,
    /// Send and exit without waiting for a reply (truly one-way).
    #[arg(long)]
    pub no_wait: bool,
    /// How many datagrams to send from the same socket (at least 1)
    #[arg(short, long, default_value_t = 1, value_name = "N", value_parser = parse_count)]
    pub count: u64,
    /// Time from the start of one datagram to the next when --count > 1, e.g. 100ms, 0s; at
    /// most 1 day. The default, 100 a second, is what `serve`'s rate limit answers in full
    #[arg(long, default_value = "10ms", value_parser = parse_duration, value_name = "D")]
    pub interval: Duration,
}

/// `oneway inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The capture (pcap or pcapng, gzip-compressed or not, detected by content); `-` reads
    /// stdin. A pipe, a FIFO or a socket is shown as it comes, each line flushed
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The capture, as tcpdump and tshark users type it (the same as FILE)
    #[arg(
        short = 'r',
        long = "read",
        value_name = "FILE",
        conflicts_with = "file"
    )]
    pub read: Option<PathBuf>,
    /// Capture live on this interface instead (`any`: all of them, as Linux cooked frames);
    /// needs root or CAP_NET_RAW. Ctrl-C ends it and prints the summary.
    #[arg(short, long, value_name = "IFACE", conflicts_with_all = ["file", "read"])]
    pub interface: Option<String>,
    /// With --interface: also save what is captured to FILE, as a pcap that tcpdump reads.
    #[arg(short, long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// Stop after N UDP datagrams (those --port and --host keep), as tcpdump -c.
    #[arg(short = 'c', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE instead of stdout (replacing it)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print only the summary (conversations and what was skipped), not each datagram.
    #[arg(long)]
    pub summary: bool,
    /// Keep only datagrams with this port at either end (repeatable: any of them).
    #[arg(long, value_name = "P")]
    pub port: Vec<u16>,
    /// Keep only datagrams with this address at either end (repeatable: any of them).
    #[arg(long, value_name = "ADDR")]
    pub host: Vec<std::net::IpAddr>,
    /// Follow one conversation (its id from the conv column): every payload in order, both
    /// directions marked, like Wireshark's Follow UDP Stream.
    #[arg(long, value_name = "ID")]
    pub follow: Option<u32>,
    /// The table's time column: seconds since the first frame, UTC date and time, or seconds
    /// since the previous row
    #[arg(long, value_enum, default_value_t = TimeFormat::Relative)]
    pub time: TimeFormat,
    /// Also write a self-contained HTML page with a sequence diagram of the conversations.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Print the table whole, however wide, even on a terminal (which it fits by default: the
    /// payload and note columns are cut first, addresses never)
    #[arg(long, conflicts_with = "width")]
    pub wide: bool,
    /// Fit the table and the summary in N columns (on a terminal: its width; elsewhere: not
    /// fitted unless this is given)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,
}

impl From<ServeArgs> for serve::Options {
    fn from(a: ServeArgs) -> Self {
        serve::Options {
            bind: a.bind,
            port: a.port,
            reply: a.reply,
            count: a.count,
            format: a.format,
            rate_limit: a.rate_limit.0,
        }
    }
}

/// The message `send` sends when none is given: the lab client's.
pub const DEFAULT_MESSAGE: &str = "Hello, UDP server2!";
/// The port `send` sends to when none is given: the lab server's.
pub const DEFAULT_PORT: u16 = 12345;

impl TryFrom<SendArgs> for send::Options {
    type Error = UsageError;

    /// Reads `HOST [PORT] [MESSAGE]` as `nc -u HOST PORT` does: a number after HOST is the port.
    /// Whatever could be read two ways is refused with what to type instead, so that nothing is
    /// ever sent somewhere the user did not mean.
    fn try_from(a: SendArgs) -> Result<Self, UsageError> {
        let target = a.target.unwrap_or_else(|| "127.0.0.1".into());
        // A target that does not parse is reported by `send` itself, with its own words.
        let named = split_target(&target).map(|(_, p)| p).unwrap_or(None);
        let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let port_of = |s: &str| {
            s.parse::<u16>()
                .map_err(|_| UsageError(tr!("usage-port-number", port = s)))
        };
        let (port, message) = match (a.second, a.third) {
            (Some(p), Some(m)) if number(&p) => (Some(port_of(&p)?), Some(m)),
            (Some(p), Some(_)) => {
                return Err(UsageError(tr!("usage-not-a-port", text = format!("{p:?}"))));
            }
            (Some(p), None) if number(&p) => (Some(port_of(&p)?), None),
            (Some(m), None) => (None, Some(m)),
            (None, _) => (None, None),
        };
        if let (Some(n), Some(p)) = (named, port) {
            return Err(UsageError(tr!(
                "usage-second-port",
                target = &target,
                port = n,
                second = p
            )));
        }
        let mut ports = [("HOST:PORT", named), ("PORT", port), ("--port", a.port)]
            .into_iter()
            .filter_map(|(how, p)| p.map(|p| (how, p)));
        let first = ports.next();
        if let (Some((one, p)), Some((other, q))) = (first, ports.next())
            && p != q
        {
            return Err(UsageError(tr!(
                "usage-two-ports",
                one = one,
                p = p,
                other = other,
                q = q
            )));
        }
        let port = first.map_or(DEFAULT_PORT, |(_, p)| p);
        let message = match (message, a.message) {
            (Some(m), Some(n)) => {
                return Err(UsageError(tr!(
                    "usage-two-messages",
                    first = format!("{m:?}"),
                    second = format!("{n:?}")
                )));
            }
            (Some(m), None) | (None, Some(m)) => m,
            (None, None) => DEFAULT_MESSAGE.into(),
        };
        let message = if message == "-" {
            send::Message::Stdin
        } else {
            send::Message::Bytes(message.into_bytes())
        };
        Ok(send::Options {
            target,
            port,
            message,
            source_port: a.source_port,
            timeout: a.timeout,
            no_wait: a.no_wait,
            count: a.count,
            interval: a.interval,
        })
    }
}

impl InspectArgs {
    /// The options of `inspect`, colored as `paint` says. Parquet is refused on a terminal
    /// without `-o`: its bytes are for a program, and would garble the screen. The table fits
    /// `--width`, or else the terminal's `columns` when the output goes to the terminal and
    /// `--wide` is not given.
    pub fn resolve(
        self,
        paint: Paint,
        stdout_is_terminal: bool,
        columns: Option<usize>,
    ) -> Result<inspect::Options, UsageError> {
        if self.write.is_some() && self.interface.is_none() {
            return Err(UsageError(tr!("usage-write-needs-interface").into_owned()));
        }
        if self.format == Format::Parquet && self.output.is_none() && stdout_is_terminal {
            return Err(UsageError(tr!("usage-parquet-terminal").into_owned()));
        }
        let width = match (self.width, self.wide) {
            (Some(n), _) => Some(usize::from(n)),
            (None, true) => None,
            (None, false) if stdout_is_terminal && self.output.is_none() => columns,
            (None, false) => None,
        };
        Ok(inspect::Options {
            input: match self.interface {
                Some(name) => inspect::Input::Interface {
                    name,
                    write: self.write,
                },
                None => inspect::Input::Path(self.read.or(self.file).unwrap_or_else(|| "-".into())),
            },
            count: self.count,
            format: self.format,
            output: self.output,
            summary_only: self.summary,
            ports: self.port,
            hosts: self.host,
            conversation: self.follow,
            time: self.time,
            width,
            html: self.html,
            paint,
        })
    }
}

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut cmd = command();
    clap_complete::generate(shell, &mut cmd, "oneway", out);
}

/// Writes the manual (roff): the top-level page and every command's page (`oneway-serve(1)`, …,
/// which the top-level page refers to), one after the other; or only `command`'s page.
pub fn manpage(command: Option<&str>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut cli = self::command().disable_help_subcommand(true);
    // Built, the subcommands have their full names (`oneway-serve`, usage `oneway serve`) and the
    // global options.
    cli.build();
    let subcommands: Vec<clap::Command> = cli.get_subcommands().cloned().collect();
    let pages = match command {
        None => std::iter::once(cli).chain(subcommands).collect(),
        Some(name) => subcommands
            .into_iter()
            .filter(|c| c.get_name() == name)
            .collect::<Vec<_>>(),
    };
    for page in pages {
        clap_mangen::Man::new(page).render(out)?;
    }
    Ok(())
}

/// Parses `2s`, `500ms`, `1m`, or a bare number of seconds; at most
/// [`send::MAX_DURATION`] (one day), so that no deadline computed from it can overflow.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = match s.parse::<f64>() {
        Ok(secs) => Duration::try_from_secs_f64(secs).map_err(|e| e.to_string())?,
        Err(_) => humantime::parse_duration(s).map_err(|e| e.to_string())?,
    };
    if d > send::MAX_DURATION {
        return Err(format!(
            "at most 1 day ({} s)",
            send::MAX_DURATION.as_secs()
        ));
    }
    Ok(d)
}

/// Parses `send --count`: a whole number, at least 1.
fn parse_count(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("at least 1 (0 would send nothing)".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses `--rate-limit`: `N/s` or `N` (1 to [`serve::MAX_RATE`] replies a second), or `off`
/// (`None`).
fn parse_rate(s: &str) -> Result<Rate, String> {
    if s == "off" {
        return Ok(Rate(None));
    }
    let n = s.strip_suffix("/s").unwrap_or(s);
    match n.parse::<u32>() {
        Ok(n) if (1..=serve::MAX_RATE).contains(&n) => Ok(Rate(Some(n))),
        _ => Err(format!(
            "expected N/s with N from 1 to {}, or off",
            serve::MAX_RATE
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `send`'s command line as resolved: (target, port, message) or the usage error's words.
    fn send(argv: &[&str]) -> Result<(String, u16, send::Message), String> {
        let argv = ["oneway", "send"].iter().chain(argv);
        let cli = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
        let Command::Send(a) = cli.command else {
            panic!("not send")
        };
        send::Options::try_from(a)
            .map(|o| (o.target, o.port, o.message))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn send_reads_its_arguments_as_nc_does() {
        let bytes = |s: &str| send::Message::Bytes(s.as_bytes().to_vec());
        let lab = || bytes(DEFAULT_MESSAGE);
        let ok = |t: &str, p: u16, m: send::Message| Ok((t.to_string(), p, m));
        for (argv, want) in [
            (&[][..], ok("127.0.0.1", 12345, lab())),
            (&["10.0.0.1"], ok("10.0.0.1", 12345, lab())),
            // nc -u HOST PORT
            (&["127.0.0.1", "42363"], ok("127.0.0.1", 42363, lab())),
            (
                &["127.0.0.1", "42363", "hi"],
                ok("127.0.0.1", 42363, bytes("hi")),
            ),
            (&["::1", "7", "-"], ok("::1", 7, send::Message::Stdin)),
            (
                &["127.0.0.1", "hello"],
                ok("127.0.0.1", 12345, bytes("hello")),
            ),
            (
                &["127.0.0.1:9", "hello"],
                ok("127.0.0.1:9", 9, bytes("hello")),
            ),
            (
                &["127.0.0.1:9", "-"],
                ok("127.0.0.1:9", 9, send::Message::Stdin),
            ),
            (
                &["127.0.0.1", "-m", "42"],
                ok("127.0.0.1", 12345, bytes("42")),
            ),
            (
                &["127.0.0.1:9", "-m", "42"],
                ok("127.0.0.1:9", 9, bytes("42")),
            ),
            (&["h", "-p", "9", "x"], ok("h", 9, bytes("x"))),
            (&["h", "9", "-p", "9"], ok("h", 9, lab())),
            (&["h:9", "-p", "9"], ok("h:9", 9, lab())),
        ] {
            assert_eq!(send(argv), want, "{argv:?}");
        }
    }

    #[test]
    fn send_refuses_what_reads_two_ways() {
        for (argv, words) in [
            // "6" after HOST:PORT: a second port, or the text "6"?
            (&["127.0.0.1:5", "6"][..], "-m 6"),
            (&["h:5", "6", "x"], "second port"),
            (&["h", "70000"], "-m 70000"),
            (&["h", "hello", "world"], "is not a port"),
            (&["h", "9", "-p", "10"], "two ports"),
            (&["h:9", "-p", "10"], "two ports"),
            (&["h", "hi", "-m", "ho"], "two messages"),
        ] {
            let e = send(argv).expect_err(&format!("{argv:?} was taken"));
            assert!(e.contains(words), "{argv:?}: {e}");
        }
    }

    /// Every command and every option has its Indonesian help (`src/i18n/help-id.ftl`): a new
    /// option without one fails here.
    #[test]
    fn every_option_has_its_indonesian_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let mut keys = vec![format!("about-{path}")];
            keys.extend(
                cmd.get_arguments()
                    .filter(|a| !a.is_global_set() || path == "oneway")
                    .map(|a| format!("help-{path}-{}", a.get_id())),
            );
            for key in keys {
                if i18n::help_in(Lang::Id, &key).is_none() {
                    missing.push(key);
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, sub.get_name(), missing);
            }
        }
        let mut missing = Vec::new();
        walk(
            &<Cli as clap::CommandFactory>::command(),
            "oneway",
            &mut missing,
        );
        assert!(missing.is_empty(), "missing from help-id.ftl: {missing:?}");
        assert!(i18n::help_in(Lang::En, "about-oneway").is_none());
    }

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("soon").is_err());
        assert_eq!(parse_duration("1day"), Ok(Duration::from_secs(86_400)));
        for huge in ["1e19", "18446744073709551615s", "86401", "2days"] {
            assert!(parse_duration(huge).is_err(), "{huge}");
        }
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate("100/s"), Ok(Rate(Some(100))));
        assert_eq!(parse_rate("7"), Ok(Rate(Some(7))));
        assert_eq!(parse_rate("off"), Ok(Rate(None)));
        for bad in ["0/s", "-1/s", "1/m", "", "lots", "99999999999/s"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn send_defaults() {
        let cli = Cli::try_parse_from(["oneway", "send"]).unwrap();
        let Command::Send(a) = cli.command else {
            panic!("not send")
        };
        assert_eq!(a.timeout, Duration::from_secs(2));
        let o = send::Options::try_from(a).unwrap();
        assert_eq!(o.target, "127.0.0.1");
        assert_eq!(
            o.message,
            send::Message::Bytes(b"Hello, UDP server2!".to_vec())
        );
        assert_eq!(o.port, 12345);
    }

    #[test]
    fn serve_defaults() {
        let cli = Cli::try_parse_from(["oneway", "serve"]).unwrap();
        let Command::Serve(a) = cli.command else {
            panic!("not serve")
        };
        assert_eq!(a.bind.to_string(), "0.0.0.0");
        assert_eq!(a.port, 12345);
        assert_eq!(a.reply, Reply::Greet);
        assert_eq!(a.rate_limit, Rate(Some(100)));
    }

    #[test]
    fn bad_ports_are_usage_errors() {
        for argv in [
            &["oneway", "send", "--port", "70000"][..],
            &["oneway", "serve", "--port", "-1"],
            &["oneway", "inspect", "--format", "xml"],
            &["oneway", "send", "--count", "0"],
            &["oneway", "send", "--timeout", "1e19"],
            &["oneway", "send", "--interval", "18446744073709551615s"],
        ] {
            let e = Cli::try_parse_from(argv).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{argv:?}");
        }
    }
}
