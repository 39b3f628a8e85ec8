//! A comfy-table table written in blocks, so that memory stays flat however many rows come.
//!
//! Rows are collected into blocks of [`BLOCK_ROWS`]. comfy-table lays out the table — column
//! widths, header, borders, ASCII style — and every row is then written to exactly that layout
//! (`| cell | cell |`, padded to the column's display width). comfy-table renders a row in
//! microseconds, allocating per cell, which is fine for the summary but makes a 10-million-row
//! listing take minutes; padding a row by hand to widths comfy-table chose takes nanoseconds, and
//! a test checks that the rows are the ones comfy-table would have drawn.
//!
//! Columns only widen: when a later block needs a wider column, the table is closed and reopened
//! with the new widths and the header repeated.
//!
//! A live table ([`BlockTable::live`]) writes each row as soon as it ends: its widths are chosen
//! up front, and the cells of the columns marked to be cut are cut to fit, with `...`.
//!
//! A table told to [fit](BlockTable::fit) a width (a terminal's) lays out each block within it
//! ([`layout`]): the columns that may shrink (payload, note) are cut first, each to no less than
//! its title, sharing what the others leave; when even that does not fit, whole columns are left
//! out in the order given; the others (addresses, ports) are never cut. Without a width, nothing
//! of this runs, and the output is the same as before the terminal was thought of.
//!
//! Cells are cut by [`cut_into`]: at a character, counting display columns (wide characters take
//! two), and never inside an escape (`\x1b`, `\u{202e}`, `\\`): an escape is kept whole or not
//! at all.

use std::io::{self, Write};

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};
use unicode_width::UnicodeWidthStr;

use crate::i18n::tr;

/// Display width of a cell: its length for ASCII (nearly every cell), else Unicode widths.
pub fn width(s: &str) -> usize {
    match s.bytes().position(|b| !b.is_ascii()) {
        None => s.len(),
        // From the last ASCII character on: it may begin a sequence (a keycap `1\u{fe0f}\u{20e3}`).
        Some(ascii) => {
            let k = ascii.saturating_sub(1);
            k + s[k..].width()
        }
    }
}

fn push_spaces(line: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        line.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// The end (in bytes) of the piece of escaped text that begins at `i`: an escape whole
/// (`\\`, `\n`, `\xNN`, `\u{...}`), else one character.
fn piece_end(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    if b[i] != b'\\' {
        return i + text[i..].chars().next().map_or(1, char::len_utf8);
    }
    match b.get(i + 1) {
        Some(b'x') => (i + 4).min(b.len()),
        Some(b'u') => b[i..]
            .iter()
            .position(|&c| c == b'}')
            .map_or(b.len(), |k| i + k + 1),
        Some(_) => i + 2,
        None => i + 1,
    }
}

/// Appends `text` cut to `max` display columns, the last three `...` (fewer when `max` is
/// smaller), never inside an escape; returns the width written. `text` must be wider than `max`.
pub fn cut_into(out: &mut String, text: &str, max: usize) -> usize {
    let keep = max.saturating_sub(3);
    let (mut i, mut w) = (0, 0);
    while i < text.len() {
        let end = piece_end(text, i);
        let pw = width(&text[i..end]);
        if w + pw > keep {
            break;
        }
        out.push_str(&text[i..end]);
        w += pw;
        i = end;
    }
    let dots = max.min(3);
    out.push_str(&"..."[..dots]);
    w + dots
}

/// Cuts the text from `start` on to `max` display columns ([`cut_into`]); its new width.
fn cut_to(text: &mut String, start: usize, max: usize) -> usize {
    let cell = text.split_off(start);
    cut_into(text, &cell, max)
}

/// What a table is to fit in: a total width, which columns may be cut, which may be left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    /// The whole line's width, borders included (a terminal's columns).
    pub width: usize,
    /// The columns that may be cut (each to no less than its title).
    pub shrink: Vec<bool>,
    /// The columns that may be left out when cutting is not enough, first to go first.
    pub drop: Vec<usize>,
}

/// How a table of columns `natural` wide (content, without padding), titled `titles` wide,
/// fits `fit`: each column's width, and which are left out. Columns that need no cut keep their
/// width; when the line is too wide, the shrinking columns are cut, sharing what the others leave
/// (each gets an equal share, a column that needs less gives the rest back), each to no less
/// than its title; when that is not enough, columns are left out in [`Fit::drop`]'s order. When
/// nothing is left to leave out, the line is as narrow as it can be, and wider than asked.
pub fn layout(natural: &[usize], titles: &[usize], fit: &Fit) -> (Vec<usize>, Vec<bool>) {
    let n = natural.len();
    let mut hidden = vec![false; n];
    let shrinks = |i: usize| fit.shrink.get(i).copied().unwrap_or(false);
    let mut drops = fit.drop.iter().copied().filter(|&i| i < n);
    loop {
        let visible: Vec<usize> = (0..n).filter(|&i| !hidden[i]).collect();
        let border = 1 + 3 * visible.len();
        let fixed: usize = visible
            .iter()
            .filter(|&&i| !shrinks(i))
            .map(|&i| natural[i])
            .sum();
        let budget = fit.width.saturating_sub(border + fixed);
        let cut: Vec<usize> = visible.iter().copied().filter(|&i| shrinks(i)).collect();
        let mut widths = natural.to_vec();
        let need: usize = cut.iter().map(|&i| natural[i]).sum();
        let floor = |i: usize| titles[i].max(3).min(natural[i]);
        let least: usize = cut.iter().map(|&i| floor(i)).sum();
        if need <= budget && border + fixed <= fit.width {
            return (widths, hidden);
        }
        if least <= budget && border + fixed <= fit.width {
            // Equal shares of what is left above each column's floor, the smallest needs first.
            let mut order = cut.clone();
            order.sort_by_key(|&i| natural[i] - floor(i));
            let mut left = budget - least;
            for (k, &i) in order.iter().enumerate() {
                let share = left / (order.len() - k);
                let extra = (natural[i] - floor(i)).min(share);
                widths[i] = floor(i) + extra;
                left -= extra;
            }
            return (widths, hidden);
        }
        match drops.next() {
            Some(i) => hidden[i] = true,
            None => {
                for &i in &cut {
                    widths[i] = floor(i);
                }
                return (widths, hidden);
            }
        }
    }
}

/// Rows per block.
pub const BLOCK_ROWS: usize = 1024;

/// A table being written.
pub struct BlockTable {
    header: Vec<String>,
    right: Vec<bool>,
    /// Content width of each column (display columns, without padding).
    widths: Vec<usize>,
    /// The block's cells, one after the other, in one arena (no allocation per cell).
    text: String,
    /// Where each cell of the block ends in `text`, and its display width.
    cells: Vec<(usize, usize)>,
    /// Cells written so far in the current row.
    row_cells: usize,
    /// The bottom border of what has been written, held back until the table ends or widens.
    bottom: Option<String>,
    line: String,
    /// Rows per block: [`BLOCK_ROWS`], or 1 for a live table.
    block_rows: usize,
    /// For each column of a live table, the width its cells are cut to, if they are.
    cut: Vec<Option<usize>>,
    /// The width to fit, if any.
    fit: Option<Fit>,
    /// With a width to fit: each column's width as laid out, and which are left out.
    shown: Vec<usize>,
    hidden: Vec<bool>,
}

impl BlockTable {
    /// A table with these column titles, right-aligned where `right` says so, and columns at
    /// least `min_widths` characters wide (content, without padding).
    pub fn new(header: &[impl AsRef<str>], right: &[bool], min_widths: &[u16]) -> Self {
        let widths = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let min = min_widths.get(i).copied().map_or(0, usize::from);
                min.max(width(h.as_ref()))
            })
            .collect();
        BlockTable {
            header: header.iter().map(|h| h.as_ref().to_string()).collect(),
            right: right.to_vec(),
            widths,
            text: String::with_capacity(BLOCK_ROWS * 128),
            cells: Vec::with_capacity(BLOCK_ROWS * header.len()),
            row_cells: 0,
            bottom: None,
            line: String::new(),
            block_rows: BLOCK_ROWS,
            cut: Vec::new(),
            fit: None,
            shown: Vec::new(),
            hidden: Vec::new(),
        }
    }

    /// Lays the table out within `fit` ([`layout`]) when given; a live table's fixed cuts then
    /// give way to it.
    pub fn fit(mut self, fit: Option<Fit>) -> Self {
        if fit.is_some() {
            self.cut.clear();
        }
        self.fit = fit;
        self
    }

    /// A table that writes each row as soon as it ends, its columns `widths` wide to begin with
    /// (content, without padding); the cells of the columns where `cut` says so are cut to that
    /// width, with `...`. The other columns still widen when a cell needs it.
    pub fn live(header: &[impl AsRef<str>], right: &[bool], widths: &[u16], cut: &[bool]) -> Self {
        let mut t = BlockTable::new(header, right, widths);
        t.block_rows = 1;
        t.cut = (0..header.len())
            .map(|i| cut.get(i).copied().unwrap_or(false).then(|| t.widths[i]))
            .collect();
        t
    }

    /// Ends a cell begun at `start` in the arena, `w` columns wide: cut when its column is.
    fn close_cell(&mut self, start: usize, w: usize) {
        let w = match self.cut.get(self.row_cells) {
            Some(Some(max)) if w > *max => cut_to(&mut self.text, start, *max),
            _ => w,
        };
        self.cells.push((self.text.len(), w));
        self.row_cells += 1;
    }

    /// Adds a row (its cells must already be safe to print, on one line).
    pub fn row(&mut self, out: &mut dyn Write, cells: Vec<String>) -> io::Result<()> {
        for c in &cells {
            self.cell(c);
        }
        self.end_row(out)
    }

    /// Adds the next cell of the current row, written in place by `f` (safe text, one line).
    pub fn cell_with(&mut self, f: impl FnOnce(&mut String)) {
        let start = self.text.len();
        f(&mut self.text);
        let w = width(&self.text[start..]);
        self.close_cell(start, w);
    }

    /// Adds the next cell of the current row, ASCII written in place by `f`: its width is its
    /// length (checked in debug builds).
    pub fn ascii_cell_with(&mut self, f: impl FnOnce(&mut String)) {
        let start = self.text.len();
        f(&mut self.text);
        debug_assert!(self.text[start..].is_ascii());
        self.close_cell(start, self.text.len() - start);
    }

    /// Adds the next cell of the current row, whose display width is known ([`width`]).
    pub fn cell_of_width(&mut self, s: &str, w: usize) {
        debug_assert_eq!(w, width(s));
        let start = self.text.len();
        self.text.push_str(s);
        self.close_cell(start, w);
    }

    /// Adds the next cell of the current row.
    pub fn cell(&mut self, s: &str) {
        self.cell_with(|t| t.push_str(s));
    }

    /// Ends the current row: missing cells are empty, extra ones dropped.
    pub fn end_row(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let n = self.header.len();
        let row_start = self.cells.len() - self.row_cells;
        if self.row_cells > n {
            let keep = row_start + n;
            self.cells.truncate(keep);
            let end = self.cells.last().map_or(0, |c| c.0);
            self.text.truncate(end);
        }
        while self.cells.len() - row_start < n {
            self.cell("");
        }
        self.row_cells = 0;
        if self.cells.len() >= self.block_rows * n {
            self.flush_block(out)?;
        }
        Ok(())
    }

    /// Writes what is left and the bottom border, and under a table fitted to a width, which
    /// columns it left out. Writes nothing for a table without rows.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.flush_block(out)?;
        if let Some(bottom) = self.bottom.take() {
            writeln!(out, "{bottom}")?;
            let left_out: Vec<&str> = (0..self.hidden.len())
                .filter(|&i| self.hidden[i])
                .map(|i| self.header[i].as_str())
                .collect();
            if let (Some(fit), false) = (&self.fit, left_out.is_empty()) {
                let line = tr!(
                    "table-left-out",
                    width = fit.width,
                    columns = left_out.join(", ")
                );
                writeln!(out, "{line}")?;
            }
        }
        Ok(())
    }

    /// The header block (top border, titles, separator) and the bottom border, from comfy-table,
    /// at the current widths.
    fn frame(&self) -> Vec<String> {
        let (widths, visible): (Vec<usize>, Vec<usize>) = match self.fit {
            None => (self.widths.clone(), (0..self.widths.len()).collect()),
            Some(_) => (
                self.shown.clone(),
                (0..self.widths.len())
                    .filter(|&i| !self.hidden[i])
                    .collect(),
            ),
        };
        let mut table = Table::new();
        table
            .load_style(presets::ASCII_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(visible.iter().map(|&i| Cell::new(&self.header[i])));
        for (k, column) in table.column_iter_mut().enumerate() {
            let i = visible[k];
            let w = u16::try_from(widths[i] + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
            if self.right[i] {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        table.lines().collect()
    }

    /// Appends row `r` of the block laid out to fit: columns left out skipped, cells wider than
    /// their column cut.
    fn format_fitted_row(&mut self, r: usize) {
        let n = self.widths.len();
        self.line.push('|');
        for i in 0..n {
            if self.hidden[i] {
                continue;
            }
            let k = r * n + i;
            let start = if k == 0 { 0 } else { self.cells[k - 1].0 };
            let (end, cw) = self.cells[k];
            let cell = &self.text[start..end];
            let max = self.shown[i];
            self.line.push(' ');
            let at = self.line.len();
            let cw = if cw > max {
                cut_into(&mut self.line, cell, max)
            } else {
                self.line.push_str(cell);
                cw
            };
            let pad = max.saturating_sub(cw);
            if self.right[i] {
                let written = self.line.split_off(at);
                push_spaces(&mut self.line, pad);
                self.line.push_str(&written);
            } else {
                push_spaces(&mut self.line, pad);
            }
            self.line.push_str(" |");
        }
    }

    /// Appends row `r` of the block to `line`, as comfy-table draws it with ASCII_FULL_CONDENSED:
    /// `| a | b |`.
    fn format_row(&mut self, r: usize) {
        let n = self.widths.len();
        self.line.push('|');
        for i in 0..n {
            let k = r * n + i;
            let start = if k == 0 { 0 } else { self.cells[k - 1].0 };
            let (end, cw) = self.cells[k];
            let cell = &self.text[start..end];
            let pad = self.widths[i].saturating_sub(cw);
            self.line.push(' ');
            if self.right[i] {
                push_spaces(&mut self.line, pad);
                self.line.push_str(cell);
            } else {
                self.line.push_str(cell);
                push_spaces(&mut self.line, pad);
            }
            self.line.push_str(" |");
        }
    }

    fn flush_block(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let n = self.widths.len();
        if self.cells.is_empty() || n == 0 {
            return Ok(());
        }
        let mut grew = false;
        for (k, &(_, cw)) in self.cells.iter().enumerate() {
            let w = &mut self.widths[k % n];
            if cw > *w {
                *w = cw;
                grew = true;
            }
        }
        if let Some(fit) = &self.fit {
            let titles: Vec<usize> = self.header.iter().map(|h| width(h)).collect();
            let (shown, hidden) = layout(&self.widths, &titles, fit);
            grew = shown != self.shown || hidden != self.hidden;
            self.shown = shown;
            self.hidden = hidden;
        }
        if self.bottom.is_none() || grew {
            if let Some(old) = self.bottom.take() {
                writeln!(out, "{old}")?;
            }
            let frame = self.frame();
            if let Some((bottom, head)) = frame.split_last() {
                for line in head {
                    writeln!(out, "{line}")?;
                }
                self.bottom = Some(bottom.clone());
            }
        }
        // The block's rows in one buffer, one write.
        self.line.clear();
        // (Two loops, not a test per row: the usual one stays as tight as before fitting came.)
        if self.fit.is_some() {
            for r in 0..self.cells.len() / n {
                self.format_fitted_row(r);
                self.line.push('\n');
            }
        } else {
            for r in 0..self.cells.len() / n {
                self.format_row(r);
                self.line.push('\n');
            }
        }
        out.write_all(self.line.as_bytes())?;
        self.text.clear();
        self.cells.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(rows: usize, cell: impl Fn(usize) -> String) -> String {
        let mut t = BlockTable::new(&["#", "text"], &[true, false], &[1, 4]);
        let mut out = Vec::new();
        for i in 0..rows {
            t.row(&mut out, vec![i.to_string(), cell(i)]).unwrap();
        }
        t.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn small_table() {
        assert_eq!(
            render(2, |i| format!("r{i}")),
            "+---+------+\n\
             | # | text |\n\
             +==========+\n\
             | 0 | r0   |\n\
             | 1 | r1   |\n\
             +---+------+\n"
        );
        assert_eq!(render(0, |_| String::new()), "");
    }

    #[test]
    fn rows_are_the_ones_comfy_table_draws() {
        let header = ["#", "time", "payload", "note"];
        let right = [true, true, false, false];
        let rows: Vec<Vec<String>> = vec![
            vec!["1".into(), "0.000000".into(), "Hello".into(), String::new()],
            vec![
                "22".into(),
                "-1.5".into(),
                "\u{4e16}\u{754c} wide".into(),
                "x".into(),
            ],
            vec![
                "333".into(),
                "".into(),
                "h\u{e9}llo \\x1b[31m".into(),
                "reply to 1".into(),
            ],
        ];
        let mut ours = Vec::new();
        let mut t = BlockTable::new(&header, &right, &[0; 4]);
        for r in &rows {
            t.row(&mut ours, r.clone()).unwrap();
        }
        t.finish(&mut ours).unwrap();

        let mut table = Table::new();
        table
            .load_style(presets::ASCII_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header);
        for r in &rows {
            table.add_row(r.clone());
        }
        for (i, c) in table.column_iter_mut().enumerate() {
            if right[i] {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        let theirs: String = table.lines().map(|l| l + "\n").collect();
        assert_eq!(String::from_utf8(ours).unwrap(), theirs);
    }

    #[test]
    fn short_and_long_rows() {
        let mut t = BlockTable::new(&["a", "b"], &[false, false], &[1, 1]);
        let mut out = Vec::new();
        t.cell("1");
        t.end_row(&mut out).unwrap();
        for c in ["2", "3", "extra"] {
            t.cell(c);
        }
        t.end_row(&mut out).unwrap();
        t.finish(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "+---+---+\n| a | b |\n+=======+\n| 1 |   |\n| 2 | 3 |\n+---+---+\n"
        );
    }

    #[test]
    fn blocks_line_up() {
        let s = render(BLOCK_ROWS * 2 + 3, |_| "x".into());
        let widths: std::collections::BTreeSet<usize> = s.lines().map(str::len).collect();
        assert_eq!(widths.len(), 1, "{widths:?}");
        assert_eq!(s.lines().filter(|l| l.contains("text")).count(), 1);
        assert_eq!(s.lines().count(), BLOCK_ROWS * 2 + 3 + 4);
    }

    #[test]
    fn live_rows_are_written_as_they_end_and_cut_to_fit() {
        let mut t = BlockTable::live(&["#", "text"], &[true, false], &[2, 6], &[false, true]);
        let mut out = Vec::new();
        t.row(&mut out, vec!["1".into(), "short".into()]).unwrap();
        let first = String::from_utf8(out.clone()).unwrap();
        assert_eq!(
            first,
            "+----+--------+\n|  # | text   |\n+=============+\n|  1 | short  |\n"
        );
        t.row(
            &mut out,
            vec!["2".into(), "\u{4e16}\u{754c}\u{4e16}\u{754c}!".into()],
        )
        .unwrap();
        t.row(&mut out, vec!["345".into(), "much too long".into()])
            .unwrap();
        t.finish(&mut out).unwrap();
        let all = String::from_utf8(out).unwrap();
        assert!(all.starts_with(&first), "{all}");
        let rest = &all[first.len()..];
        // The wide characters are cut at a character, the `#` column widens (header again).
        assert_eq!(
            rest,
            "|  2 | \u{4e16}...  |\n+----+--------+\n+-----+--------+\n|   # | text   |\n\
             +==============+\n| 345 | muc... |\n+-----+--------+\n"
        );
    }

    #[test]
    fn cuts_never_split_an_escape_and_count_wide_characters() {
        let cut = |s: &str, max: usize| {
            let mut out = String::new();
            let w = cut_into(&mut out, s, max);
            assert_eq!(w, width(&out), "{out}");
            assert!(w <= max, "{out}");
            out
        };
        assert_eq!(cut("\\x1b[31mRED", 8), "\\x1b[...");
        assert_eq!(cut("\\x1b[31mRED", 6), "...");
        assert_eq!(cut("ab\\u{202e}cdef", 13), "ab\\u{202e}...");
        assert_eq!(cut("ab\\u{202e}cdef", 12), "ab...");
        assert_eq!(cut("a\\\\bcdef", 6), "a\\\\...");
        assert_eq!(cut("a\\\\bcdef", 5), "a...");
        assert_eq!(cut("\u{4e16}\u{754c}\u{4e16}\u{754c}!", 6), "\u{4e16}...");
        assert_eq!(
            cut("\u{4e16}\u{754c}\u{4e16}\u{754c}!", 7),
            "\u{4e16}\u{754c}..."
        );
        assert_eq!(cut("abcdef", 2), "..");
    }

    #[test]
    fn layout_cuts_payload_and_note_first_then_leaves_columns_out() {
        let titles = [1, 4, 4, 6, 11, 3, 7, 4];
        let fit = |width| Fit {
            width,
            shrink: vec![false, false, false, false, false, false, true, true],
            drop: vec![7, 6, 2, 1],
        };
        // fixtures/udp.pcap: 157 columns wide.
        let natural = [1, 8, 4, 16, 16, 3, 59, 25];
        let line = |w: &[usize], hidden: &[bool]| {
            1 + (0..8)
                .filter(|&i| !hidden[i])
                .map(|i| w[i] + 3)
                .sum::<usize>()
        };
        let (w, hidden) = layout(&natural, &titles, &fit(200));
        assert_eq!((w.as_slice(), line(&w, &hidden)), (natural.as_slice(), 157));
        let (w, hidden) = layout(&natural, &titles, &fit(120));
        assert_eq!(line(&w, &hidden), 120);
        assert_eq!(&w[..6], &natural[..6]);
        assert_eq!((w[6], w[7]), (25, 22));
        assert!(hidden.iter().all(|h| !h));
        let (w, hidden) = layout(&natural, &titles, &fit(80));
        assert_eq!(line(&w, &hidden), 80);
        assert_eq!(
            hidden,
            [false, false, false, false, false, false, false, true]
        );
        assert_eq!(w[6], 10);
        // Too narrow for anything but addresses, ports, numbers and lengths: as narrow as can be.
        let (w, hidden) = layout(&natural, &titles, &fit(30));
        assert_eq!(hidden, [false, true, true, false, false, false, true, true]);
        assert_eq!(line(&w, &hidden), 1 + 4 + 19 + 19 + 6);
    }

    #[test]
    fn widening_repeats_the_header() {
        let s = render(BLOCK_ROWS + 1, |i| {
            if i == BLOCK_ROWS {
                "wider!".into()
            } else {
                "x".into()
            }
        });
        assert_eq!(s.lines().filter(|l| l.contains("text")).count(), 2);
        assert!(s.ends_with("+\n"));
    }
}
