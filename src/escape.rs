//! Making untrusted bytes safe to show: payloads and any text that came off the wire.
//!
//! Printable text (ASCII and UTF-8) stays as it is; everything that could act on a terminal
//! (C0/C1 controls, ESC sequences, DEL, bidi overrides and other invisible format characters) and
//! every byte that is not valid UTF-8 becomes a visible escape. The result is one line, never
//! contains a raw control character, and maps back to the bytes without ambiguity (`\` is `\\`).

/// Whether a character must not reach a terminal as it is.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}'                  // Arabic letter mark
            | '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}'   // line and paragraph separators
            | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
            | '\u{2060}'..='\u{2069}'   // word joiner, invisible operators, bidi isolates
            | '\u{FEFF}'                // zero-width no-break space (BOM)
            | '\u{FFF9}'..='\u{FFFB}') // interlinear annotations
}

/// How many characters of an escaped payload a one-line view shows before `...`: the table's
/// payload column (when not fitted to a terminal) and `serve`'s text log.
pub const PREVIEW_CHARS: usize = 72;

/// Appends `text` with only the characters that must not reach a terminal escaped (as
/// [`escape`] writes them); `\` and every printable character, U+FFFD included, stay as they
/// are. This is Python's `print` of a decoded string made safe: `serve --log lab`.
pub fn escape_unsafe_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c != '\\' && (c.is_control() || is_unsafe(c)) {
            let mut piece = [0u8; 12];
            let (len, _) = escape_char(c, &mut piece);
            out.push_str(std::str::from_utf8(&piece[..len]).unwrap_or_default());
        } else {
            out.push(c);
        }
    }
}

/// A message for stderr with whatever it quotes made safe: a file name, a path or an error from
/// the system can carry control characters (`a\x1b]0;…\x07.pcap` in a directory read whole),
/// which reach the terminal escaped, as [`escape_unsafe_into`] writes them; the rest of the
/// message is unchanged.
pub fn message(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_unsafe_into(text, &mut out);
    out
}

/// Escapes `bytes` for display: see the module documentation.
///
/// `\n`, `\r`, `\t`, `\0` and `\\` use their short forms; other unsafe characters are `\u{XXXX}`,
/// bytes that are not UTF-8 are `\xNN`.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    escape_into(bytes, usize::MAX, &mut out);
    out
}

/// Like [`escape`], but stops after `max_chars` characters of output and then appends `...`.
pub fn preview(bytes: &[u8], max_chars: usize) -> String {
    let mut out = String::with_capacity(bytes.len().min(max_chars + 8));
    escape_into(bytes, max_chars, &mut out);
    out
}

/// Appends the escaped form of `bytes` to `out`, at most `max_chars` characters (then `...`).
pub fn escape_into(bytes: &[u8], max_chars: usize, out: &mut String) {
    let mut v = std::mem::take(out).into_bytes();
    escape_bytes_into(bytes, max_chars, &mut v);
    // Always UTF-8: what was there, printable characters, and ASCII escapes.
    *out =
        String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// Like [`escape_into`], into bytes (always valid UTF-8): the table's previews are made this
/// way, straight into the batch the writer reads.
///
/// Every table row goes through here, so it reads only as far as the preview reaches: runs of
/// printable ASCII are copied whole, and anything else is decoded one character at a time from
/// a window of at most 4 bytes (a UTF-8 character, or the invalid bytes before the next one, is
/// never longer), which decodes exactly as the whole remaining input would.
pub fn escape_bytes_into(bytes: &[u8], max_chars: usize, out: &mut Vec<u8>) {
    let mut written = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        // A run of printable ASCII other than `\` goes through as it is, in one piece.
        let rest = &bytes[i..];
        let run = rest
            .iter()
            .position(|&b| !(0x20..0x7f).contains(&b) || b == b'\\')
            .unwrap_or(rest.len());
        if run > 0 {
            let room = max_chars.saturating_sub(written);
            out.extend_from_slice(&rest[..run.min(room)]);
            if run > room {
                out.extend_from_slice(b"...");
                return;
            }
            written += run;
            i += run;
            continue;
        }
        let mut piece = [0u8; 12];
        let (len, chars, used) = match rest[0] {
            // ASCII (a control, DEL or `\`), and bytes that never begin a UTF-8 character.
            b @ 0..0x80 => {
                let (len, chars) = escape_char(char::from(b), &mut piece);
                (len, chars, 1)
            }
            b @ (0x80..0xc2 | 0xf5..) => {
                piece[..2].copy_from_slice(b"\\x");
                piece[2..4].copy_from_slice(&HEX_PAIRS[usize::from(b)]);
                (4, 4, 1)
            }
            b => {
                let window = &rest[..rest.len().min(4)];
                match window
                    .utf8_chunks()
                    .next()
                    .and_then(|c| c.valid().chars().next())
                {
                    Some(c) => {
                        let (len, chars) = escape_char(c, &mut piece);
                        (len, chars, c.len_utf8())
                    }
                    None => {
                        // The first invalid byte; the others (at most 2) come round again.
                        piece[..2].copy_from_slice(b"\\x");
                        piece[2..4].copy_from_slice(&HEX_PAIRS[usize::from(b)]);
                        (4, 4, 1)
                    }
                }
            }
        };
        if written + chars > max_chars {
            out.extend_from_slice(b"...");
            return;
        }
        written += chars;
        out.extend_from_slice(&piece[..len]);
        i += used;
    }
}

/// Writes one character that is not printable ASCII (or is `\`) as it is shown into `piece`;
/// returns its length in bytes and in characters.
fn escape_char(c: char, piece: &mut [u8; 12]) -> (usize, usize) {
    let short = match c {
        '\\' => Some(b'\\'),
        '\n' => Some(b'n'),
        '\r' => Some(b'r'),
        '\t' => Some(b't'),
        '\0' => Some(b'0'),
        _ => None,
    };
    if let Some(s) = short {
        piece[..2].copy_from_slice(&[b'\\', s]);
        return (2, 2);
    }
    let code = c as u32;
    if c.is_ascii_control() {
        piece[..2].copy_from_slice(b"\\x");
        piece[2..4].copy_from_slice(&HEX_PAIRS[code as usize]);
        return (4, 4);
    }
    if is_unsafe(c) {
        // `\u{XXXX}`: at least 4 hex digits, lowercase (C1 controls, format characters).
        let digits = (32 - code.leading_zeros()).div_ceil(4).max(4) as usize;
        piece[..3].copy_from_slice(b"\\u{");
        for k in 0..digits {
            let nibble = (code >> (4 * (digits - 1 - k))) & 0xf;
            piece[3 + k] = b"0123456789abcdef"[nibble as usize];
        }
        piece[3 + digits] = b'}';
        let len = 4 + digits;
        return (len, len);
    }
    (c.encode_utf8(piece).len(), 1)
}

/// Lowercase hexadecimal of `bytes`, appended to `out`.
pub fn hex_into(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        let [hi, lo] = HEX_PAIRS[usize::from(b)];
        out.push(hi as char);
        out.push(lo as char);
    }
}

/// The two hex digits of every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 0x0f]];
        i += 1;
    }
    t
};

/// Lowercase hexadecimal of `bytes`, appended to a byte buffer (the records' hot path).
pub fn hex_into_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + 2 * bytes.len(), 0);
    for (pair, &b) in out[start..].chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
}

/// Lowercase hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::new();
    hex_into(bytes, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::fmt::Write as _;

    /// The straightforward version (whole-input UTF-8 chunks), which [`escape_into`] must match: appends the escaped form of `bytes` to `out`, at most `max_chars` characters (then `...`).
    fn reference(bytes: &[u8], max_chars: usize, out: &mut String) {
        let mut written = 0usize;
        // Appends one piece of `n` characters, or the `...` that ends a cut preview.
        let push = |piece: &str, n: usize, written: &mut usize, out: &mut String| -> bool {
            if *written + n > max_chars {
                out.push_str("...");
                return false;
            }
            *written += n;
            out.push_str(piece);
            true
        };
        let mut buf = String::new();
        for chunk in bytes.utf8_chunks() {
            let mut text = chunk.valid();
            while !text.is_empty() {
                // A run of printable ASCII other than `\` goes through as it is, in one piece.
                let run = text
                    .bytes()
                    .position(|b| !(0x20..0x7f).contains(&b) || b == b'\\')
                    .unwrap_or(text.len());
                if run > 0 {
                    let (plain, rest) = text.split_at(run);
                    let room = max_chars.saturating_sub(written);
                    if run > room {
                        // ASCII: a byte is a character.
                        out.push_str(&plain[..room]);
                        out.push_str("...");
                        return;
                    }
                    push(plain, run, &mut written, out);
                    text = rest;
                    continue;
                }
                let Some(c) = text.chars().next() else { break };
                text = &text[c.len_utf8()..];
                buf.clear();
                match c {
                    '\\' => buf.push_str("\\\\"),
                    '\n' => buf.push_str("\\n"),
                    '\r' => buf.push_str("\\r"),
                    '\t' => buf.push_str("\\t"),
                    '\0' => buf.push_str("\\0"),
                    c if c.is_ascii_control() => {
                        let _ = write!(buf, "\\x{:02x}", c as u32);
                    }
                    c if is_unsafe(c) => {
                        let _ = write!(buf, "\\u{{{:04x}}}", c as u32);
                    }
                    c => buf.push(c),
                }
                if !push(&buf, buf.chars().count(), &mut written, out) {
                    return;
                }
            }
            for b in chunk.invalid() {
                buf.clear();
                let _ = write!(buf, "\\x{b:02x}");
                if !push(&buf, 4, &mut written, out) {
                    return;
                }
            }
        }
    }

    /// The fast version agrees with the straightforward one on random mixes of ASCII, UTF-8,
    /// controls, format characters and invalid bytes, at every preview length.
    #[test]
    fn agrees_with_the_reference() {
        let pieces: [&[u8]; 14] = [
            b"abc",
            b"\\",
            b"\n",
            b"\x1b[",
            b"\x7f",
            b"\xff",
            b"\xe2\x80",
            b"\xf0\x9f\x98\x80",
            "\u{202e}".as_bytes(),
            "\u{85}".as_bytes(),
            "h\u{e9}".as_bytes(),
            "\u{4e16}".as_bytes(),
            b"\xc3",
            b"\xed\xa0\x80",
        ];
        let mut rng = fastrand::Rng::with_seed(0x1234_5678_9abc_def0);
        let mut next = || rng.u64(..);
        for _ in 0..20_000 {
            let mut input = Vec::new();
            for _ in 0..next() % 12 {
                let r = next();
                if r % 5 == 0 {
                    input.push((r >> 8) as u8);
                } else {
                    input.extend_from_slice(pieces[(r >> 8) as usize % pieces.len()]);
                }
            }
            for max in [0, 1, 3, 4, 7, 12, 72, usize::MAX] {
                let (mut fast, mut slow) = (String::new(), String::new());
                escape_into(&input, max, &mut fast);
                reference(&input, max, &mut slow);
                assert_eq!(fast, slow, "{input:?} max {max}");
            }
        }
    }

    #[test]
    fn text_stays_text() {
        assert_eq!(escape(b"Hello, UDP server2!"), "Hello, UDP server2!");
        assert_eq!(
            escape("h\u{e9}llo \u{4e16}".as_bytes()),
            "h\u{e9}llo \u{4e16}"
        );
    }

    #[test]
    fn controls_are_escaped() {
        assert_eq!(
            escape(b"\x1b[31mRED\x1b[0m\r\n\x07\x00\x7f\x08"),
            "\\x1b[31mRED\\x1b[0m\\r\\n\\x07\\0\\x7f\\x08"
        );
        assert_eq!(escape(b"a\\b\tc"), "a\\\\b\\tc");
    }

    #[test]
    fn invalid_utf8_and_bidi() {
        assert_eq!(escape(b"\xff\xfe ok"), "\\xff\\xfe ok");
        assert_eq!(
            escape("x\u{202e}y\u{85}".as_bytes()),
            "x\\u{202e}y\\u{0085}"
        );
        // OSC 8 hyperlink
        assert_eq!(
            escape(b"\x1b]8;;http://x\x1b\\link"),
            "\\x1b]8;;http://x\\x1b\\\\link"
        );
    }

    #[test]
    fn never_a_control_char() {
        let all: Vec<u8> = (0..=255u8).collect();
        let s = escape(&all);
        assert!(!s.chars().any(is_unsafe), "{s}");
    }

    #[test]
    fn preview_truncates() {
        assert_eq!(preview(b"abcdef", 4), "abcd...");
        assert_eq!(preview(b"abcd", 4), "abcd");
        assert_eq!(preview(b"\x01\x02", 5), "\\x01...");
    }

    #[test]
    fn hex_lowercase() {
        assert_eq!(hex(b"Hi\x00\xff"), "486900ff");
        let mut v = b"x".to_vec();
        hex_into_bytes(b"\x0a\xbc", &mut v);
        assert_eq!(v, b"x0abc");
    }
}
