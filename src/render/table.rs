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
//! with the new widths and the header repeated. The layout never depends on the terminal.
//!
//! A live table ([`BlockTable::live`]) writes each row as soon as it ends: its widths are chosen
//! up front, and the cells of the columns marked to be cut are cut to fit, with `...`.

use std::io::{self, Write};

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};
use unicode_width::UnicodeWidthStr;

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

/// Cuts the text from `start` on to `max` display columns, the last three `...`; its new width.
fn cut_to(text: &mut String, start: usize, max: usize) -> usize {
    let keep = max.saturating_sub(3);
    let (mut end, mut w) = (start, 0);
    for (i, c) in text[start..].char_indices() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > keep {
            break;
        }
        w += cw;
        end = start + i + c.len_utf8();
    }
    text.truncate(end);
    let dots = max.min(3);
    text.push_str(&"..."[..dots]);
    w + dots
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
        }
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

    /// Writes what is left and the bottom border. Writes nothing for a table without rows.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.flush_block(out)?;
        if let Some(bottom) = self.bottom.take() {
            writeln!(out, "{bottom}")?;
        }
        Ok(())
    }

    /// The header block (top border, titles, separator) and the bottom border, from comfy-table,
    /// at the current widths.
    fn frame(&self) -> Vec<String> {
        let mut table = Table::new();
        table
            .load_style(presets::ASCII_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(self.header.iter().map(Cell::new));
        for (i, column) in table.column_iter_mut().enumerate() {
            let w = u16::try_from(self.widths[i] + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
            if self.right[i] {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        table.lines().collect()
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
        for r in 0..self.cells.len() / n {
            self.format_row(r);
            self.line.push('\n');
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
