//! Writers for what users see: the datagram table, jsonl and csv records, the summary, and the
//! escaping of untrusted bytes.

pub mod escape;
pub mod follow;
pub mod html;
pub mod records;
pub mod summary;
pub mod table;

/// Colors for people, decided once (`--color`, `NO_COLOR`, `TERM=dumb`, not a terminal).
///
/// Only text oneway wrote itself is colored, never bytes from a capture, and never inside a
/// table (its column widths count characters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paint {
    /// Whether to color at all.
    pub on: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// Bold.
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }

    /// Green: replies, what went well.
    pub fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }

    /// Yellow: one-way, unanswered.
    pub fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }

    /// Red: errors.
    pub fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }

    /// Blue: the first side of a conversation.
    pub fn blue(self, s: &str) -> String {
        self.wrap("34", s)
    }
}

#[cfg(test)]
mod tests {
    use super::Paint;

    #[test]
    fn paint_only_when_on() {
        assert_eq!(Paint { on: false }.red("x"), "x");
        assert_eq!(Paint { on: true }.red("x"), "\x1b[31mx\x1b[0m");
    }
}
