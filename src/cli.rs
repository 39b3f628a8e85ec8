//! The command line: clap's types, and their resolution into the plain option structs of the
//! work modules ([`inspect::Options`], [`serve::Options`], [`send::Options`]).
//!
//! clap stops here: work code never sees a clap type. Doc comments here are the `--help` text;
//! the work modules' enums are spelt on the command line by [`value_enum!`] below.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::inspect::{self, Format, TimeFormat};
use crate::net::send;
use crate::net::serve::{self, LogFormat, Reply};
use crate::render::Paint;

/// Spells an enum of a work module on the command line: each variant's value and its help, in
/// the order `--help` lists them.
macro_rules! value_enum {
    ($ty:ident { $($variant:ident => $name:literal: $help:literal,)+ }) => {
        impl ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($ty::$variant),+]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(match self {
                    $($ty::$variant => PossibleValue::new($name).help($help),)+
                })
            }
        }
    };
}

value_enum!(Reply {
    Greet => "greet": "`Hello, ('ADDR', PORT). You said: MESSAGE`, byte for byte what the lab's server answered.",
    Echo => "echo": "The payload, unchanged.",
    None => "none": "Nothing: truly one-way.",
});

value_enum!(LogFormat {
    Text => "text": "One line of text per datagram.",
    Jsonl => "jsonl": "One JSON object per datagram.",
});

value_enum!(Format {
    Table => "table": "A table for people, then a summary of the exchange.",
    Jsonl => "jsonl": "One JSON object per UDP datagram.",
    Csv => "csv": "The same fields as jsonl, header row first (RFC 4180).",
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
    /// Color: `auto` colors a terminal unless NO_COLOR is set or TERM is dumb [default: auto]
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// When to color the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorWhen {
    /// When stdout is a terminal, NO_COLOR is unset or empty, and TERM is not `dumb`.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

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
    /// Print the man page (roff), e.g. `oneway manpage > oneway.1 && man ./oneway.1`.
    Manpage,
}

/// `oneway serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (IPv4 or IPv6, e.g. `::`) [default: 0.0.0.0]
    #[arg(long, default_value = "0.0.0.0", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// UDP port to listen on (0 picks a free one) [default: 12345]
    #[arg(short, long, default_value_t = 12345)]
    pub port: u16,
    /// What to answer to each datagram [default: greet]
    #[arg(long, value_enum, default_value_t = Reply::Greet)]
    pub reply: Reply,
    /// Stop after N datagrams.
    #[arg(short, long, value_name = "N")]
    pub count: Option<u64>,
    /// Format of the per-datagram log on stdout [default: text]
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub format: LogFormat,
}

/// `oneway send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// Where to send: HOST, HOST:PORT, [IPV6]:PORT; host names resolve [default: 127.0.0.1]
    #[arg(value_name = "HOST[:PORT]", default_value = "127.0.0.1")]
    pub target: String,
    /// The message; `-` reads it from stdin as raw bytes [default: "Hello, UDP server2!"]
    #[arg(value_name = "MESSAGE", default_value = "Hello, UDP server2!")]
    pub message: String,
    /// Port used when HOST has none [default: 12345]
    #[arg(short, long, default_value_t = 12345)]
    pub port: u16,
    /// Local port to send from (e.g. 57314, as in the lab's capture) [default: any]
    #[arg(long, value_name = "P")]
    pub source_port: Option<u16>,
    /// How long to wait for each reply, e.g. 2s, 500ms [default: 2s]
    #[arg(long, default_value = "2s", value_parser = parse_duration, value_name = "D")]
    pub timeout: Duration,
    /// Send and exit without waiting for a reply (truly one-way).
    #[arg(long)]
    pub no_wait: bool,
    /// How many datagrams to send from the same socket [default: 1]
    #[arg(short, long, default_value_t = 1, value_name = "N")]
    pub count: u64,
    /// Pause between two datagrams when --count > 1, e.g. 100ms [default: 0s]
    #[arg(long, default_value = "0s", value_parser = parse_duration, value_name = "D")]
    pub interval: Duration,
}

/// `oneway inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The capture (pcap or pcapng, detected by content); `-` reads stdin. A pipe, a FIFO or a
    /// socket is shown as it comes, each line flushed [default: -]
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,
    /// Capture live on this interface instead (`any`: all of them, as Linux cooked frames);
    /// needs root or CAP_NET_RAW. Ctrl-C ends it and prints the summary.
    #[arg(short, long, value_name = "IFACE", conflicts_with = "file")]
    pub interface: Option<String>,
    /// With --interface: also save what is captured to FILE, as a pcap that tcpdump reads.
    #[arg(short, long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// Stop after N UDP datagrams (those --port and --host keep), as tcpdump -c.
    #[arg(short = 'c', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Output format [default: table]
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
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
    /// since the previous row [default: relative]
    #[arg(long, value_enum, default_value_t = TimeFormat::Relative)]
    pub time: TimeFormat,
    /// Also write a self-contained HTML page with a sequence diagram of the conversations.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

impl From<ServeArgs> for serve::Options {
    fn from(a: ServeArgs) -> Self {
        serve::Options {
            bind: a.bind,
            port: a.port,
            reply: a.reply,
            count: a.count,
            format: a.format,
        }
    }
}

impl From<SendArgs> for send::Options {
    fn from(a: SendArgs) -> Self {
        let message = if a.message == "-" {
            send::Message::Stdin
        } else {
            send::Message::Bytes(a.message.into_bytes())
        };
        send::Options {
            target: a.target,
            port: a.port,
            message,
            source_port: a.source_port,
            timeout: a.timeout,
            no_wait: a.no_wait,
            count: a.count,
            interval: a.interval,
        }
    }
}

impl InspectArgs {
    /// The options of `inspect`, colored as `paint` says.
    pub fn resolve(self, paint: Paint) -> Result<inspect::Options, crate::UsageError> {
        if self.write.is_some() && self.interface.is_none() {
            return Err(crate::UsageError(
                "--write saves a live capture: it needs --interface".into(),
            ));
        }
        Ok(inspect::Options {
            input: match self.interface {
                Some(name) => inspect::Input::Interface {
                    name,
                    write: self.write,
                },
                None => inspect::Input::Path(self.file),
            },
            count: self.count,
            format: self.format,
            summary_only: self.summary,
            ports: self.port,
            hosts: self.host,
            conversation: self.follow,
            time: self.time,
            html: self.html,
            paint,
        })
    }
}

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut cmd, "oneway", out);
}

/// Writes the man page (roff).
pub fn manpage(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(out)
}

/// Parses `2s`, `500ms`, `1m`, or a bare number of seconds.
fn parse_duration(s: &str) -> Result<Duration, String> {
    if let Ok(secs) = s.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).map_err(|e| e.to_string());
    }
    humantime::parse_duration(s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn dash_reads_stdin() {
        let args = |m: &str| SendArgs {
            target: "x".into(),
            message: m.into(),
            port: 1,
            source_port: None,
            timeout: Duration::from_secs(1),
            no_wait: false,
            count: 1,
            interval: Duration::ZERO,
        };
        assert_eq!(send::Options::from(args("-")).message, send::Message::Stdin);
        assert_eq!(
            send::Options::from(args("hi")).message,
            send::Message::Bytes(b"hi".to_vec())
        );
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
    }

    #[test]
    fn send_defaults() {
        let cli = Cli::try_parse_from(["oneway", "send"]).unwrap();
        let Command::Send(a) = cli.command else {
            panic!("not send")
        };
        assert_eq!(a.target, "127.0.0.1");
        assert_eq!(a.message, "Hello, UDP server2!");
        assert_eq!(a.port, 12345);
        assert_eq!(a.timeout, Duration::from_secs(2));
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
    }

    #[test]
    fn bad_ports_are_usage_errors() {
        for argv in [
            &["oneway", "send", "--port", "70000"][..],
            &["oneway", "serve", "--port", "-1"],
            &["oneway", "inspect", "--format", "xml"],
        ] {
            let e = Cli::try_parse_from(argv).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{argv:?}");
        }
    }
}
