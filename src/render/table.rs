//! A comfy-table table written in blocks, so that memory stays flat however many rows come.
//!
//! Rows are collected into blocks of [`BLOCK_ROWS`]; each block is laid out by comfy-table with
//! every column at least as wide as it has been so far, so the blocks line up as one table. When a
//! later block needs a wider column, the table is closed and reopened with the new widths and the
//! header repeated. The layout never depends on the terminal: ASCII style, no dynamic width.

use std::io::{self, Write};

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

/// Rows per block.
pub const BLOCK_ROWS: usize = 1024;

/// A table being written.
pub struct BlockTable {
    header: Vec<&'static str>,
    right: Vec<bool>,
    min_widths: Vec<u16>,
    rows: Vec<Vec<String>>,
    /// The bottom border of what has been written, held back until the table ends or widens.
    bottom: Option<String>,
}

impl BlockTable {
    /// A table with these column titles, right-aligned where `right` says so, and columns at
    /// least `min_widths` characters wide (content, without padding).
    pub fn new(header: &[&'static str], right: &[bool], min_widths: &[u16]) -> Self {
        BlockTable {
            header: header.to_vec(),
            right: right.to_vec(),
            min_widths: min_widths.to_vec(),
            rows: Vec::with_capacity(BLOCK_ROWS),
            bottom: None,
        }
    }

    /// Adds a row (its cells must already be safe to print).
    pub fn row(&mut self, out: &mut dyn Write, cells: Vec<String>) -> io::Result<()> {
        self.rows.push(cells);
        if self.rows.len() >= BLOCK_ROWS {
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

    fn flush_block(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut table = Table::new();
        table
            .load_style(presets::ASCII_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_truncation_indicator("...")
            .set_header(self.header.iter().map(|h| Cell::new(*h)));
        for row in self.rows.drain(..) {
            table.add_row(row);
        }
        let widths = table.column_max_content_widths();
        let grew =
            self.bottom.is_some() && widths.iter().zip(&self.min_widths).any(|(w, min)| w > min);
        for (i, column) in table.column_iter_mut().enumerate() {
            let min = self.min_widths.get(i).copied().unwrap_or(0);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(min + 2)));
            if self.right.get(i).copied().unwrap_or(false) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        for (min, w) in self.min_widths.iter_mut().zip(&widths) {
            *min = (*min).max(*w);
        }
        let lines: Vec<String> = table.lines().collect();
        let Some((bottom, body)) = lines.split_last() else {
            return Ok(());
        };
        // body = top border, header, header separator, rows.
        let skip = match (&self.bottom, grew) {
            (None, _) => 0,
            (Some(_), false) => 3,
            (Some(old), true) => {
                writeln!(out, "{old}")?;
                0
            }
        };
        for line in &body[skip..] {
            writeln!(out, "{line}")?;
        }
        self.bottom = Some(bottom.clone());
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
    fn blocks_line_up() {
        let s = render(BLOCK_ROWS * 2 + 3, |_| "x".into());
        let widths: std::collections::BTreeSet<usize> = s.lines().map(str::len).collect();
        assert_eq!(widths.len(), 1, "{widths:?}");
        assert_eq!(s.lines().filter(|l| l.contains("text")).count(), 1);
        assert_eq!(s.lines().count(), BLOCK_ROWS * 2 + 3 + 4);
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
