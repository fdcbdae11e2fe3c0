//! A CSV file as a spreadsheet writes it, read strictly: Excel on a Vietnamese Windows saves a
//! byte-order mark, `;` between cells (the comma is the decimal mark there) and CRLF; LibreOffice
//! and Google Sheets save `,` and LF. Headers are matched without diacritics, case or spaces, so
//! "Số người lớn", "so nguoi lon" and `so_nguoi_lon` are one column.

use std::path::{Path, PathBuf};

use crate::core::diagnostic::{CellKind, Diagnostic, Problem};
use crate::core::files::read_source_file;
use crate::core::lines::LineIndex;
use crate::core::text::{nfc, slugify};

/// A CSV file read into rows of cells, with where each row starts.
pub struct Table {
    /// Relative to the site root, for messages.
    pub file: PathBuf,
    /// The file's bytes as they are, to publish unchanged.
    pub bytes: Vec<u8>,
    /// The text after the byte-order mark, in NFC.
    text: String,
    delimiter: u8,
    /// The headers as written, and as matched (`so_nguoi_lon`).
    written: Vec<String>,
    keys: Vec<String>,
    /// Each data row: its 1-based line and its cells.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// The key a header is matched by: `Số người lớn` → `so_nguoi_lon`.
pub fn header_key(header: &str) -> String {
    slugify(header).replace('-', "_")
}

impl Table {
    /// Reads `root/file`.
    pub fn read(root: &Path, file: &Path) -> Result<Table, Vec<Diagnostic>> {
        let err = |line, column, p| vec![Diagnostic::error(file, line, column, p)];
        let bytes = read_source_file(&root.join(file)).map_err(|p| err(0, 0, p))?;
        let text = std::str::from_utf8(&bytes).map_err(|_| err(0, 0, Problem::InvalidUtf8))?;
        let text = nfc(text.strip_prefix('\u{feff}').unwrap_or(text)).into_owned();
        // The separator is whichever of `;` and `,` the header row uses more; a header row has no
        // decimal commas, so this does not guess wrong on Excel's files.
        let first = text.lines().next().unwrap_or_default();
        let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| err(1, 1, csv_problem(&e)))?.clone();
        let written: Vec<String> = headers.iter().map(|h| h.trim().to_owned()).collect();
        let keys = written.iter().map(|h| header_key(h)).collect();
        let index = LineIndex::new(&text, 1);
        // The line a record starts on. The csv crate counts a CRLF's `\n` as the start of the
        // next record, which would put every row of an Excel file one line early.
        let line_of = |pos: Option<&csv::Position>| {
            let Some(pos) = pos else { return 0 };
            let mut at = usize::try_from(pos.byte()).unwrap_or(0);
            while text.as_bytes().get(at).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                at += 1;
            }
            index.at(at).0
        };
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = line_of(r.position());
                    // A row of empty cells (Excel writes `;;;;` for a cleared row) is no village.
                    if r.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    rows.push((line, r.iter().map(|c| c.trim().to_owned()).collect()));
                }
                Err(e) => {
                    let line = line_of(e.position());
                    problems.push(Diagnostic::error(file, line, 1, csv_problem(&e)));
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Table { file: file.to_path_buf(), bytes, text, delimiter, written, keys, rows })
    }

    /// The index of column `key`, or the error naming the columns there are.
    pub fn column(&self, key: &str) -> Result<usize, Diagnostic> {
        self.keys.iter().position(|k| k == key).ok_or_else(|| {
            Diagnostic::error(
                &self.file,
                1,
                1,
                Problem::CampaignMissingColumn { column: key.into(), found: self.written.clone() },
            )
        })
    }

    /// The index of column `key` if the file has it.
    pub fn optional_column(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }

    /// The header of column `index` as the file spells it.
    pub fn header(&self, index: usize) -> &str {
        self.written.get(index).map_or("", String::as_str)
    }

    /// The 1-based column (in characters, as an editor counts) where cell `index` of the row on
    /// `line` starts. The csv crate tells the row's line, not a cell's place in it.
    pub fn cell_column(&self, line: usize, index: usize) -> usize {
        let Some(text) = self.text.lines().nth(line.saturating_sub(1)) else { return 1 };
        let mut cells = 0;
        let mut quoted = false;
        for (i, c) in text.chars().enumerate() {
            if cells == index {
                return i + 1;
            }
            match c {
                '"' => quoted = !quoted,
                c if !quoted && c == char::from(self.delimiter) => cells += 1,
                _ => {}
            }
        }
        text.chars().count() + 1
    }

    /// An error about cell `index` of the row on `line`.
    pub fn error_at(&self, line: usize, index: usize, problem: Problem) -> Diagnostic {
        Diagnostic::error(&self.file, line, self.cell_column(line, index), problem)
    }

    /// Cell `index` of `cells` as a count of people: `1234`, `1.234` or `1 234`.
    pub fn count(&self, line: usize, cells: &[String], index: usize) -> Result<u64, Diagnostic> {
        let written = cells.get(index).map_or("", String::as_str);
        parse_count(written).ok_or_else(|| {
            self.error_at(
                line,
                index,
                Problem::CampaignBadCell {
                    column: self.header(index).to_owned(),
                    value: written.to_owned(),
                    kind: CellKind::Count,
                },
            )
        })
    }
}

/// A whole number as staff type it: plain digits, or groups of three after a `.`, a space or a
/// no-break space (`1.234`, `1 234`). A decimal, a sign or a letter is refused, not guessed.
pub fn parse_count(written: &str) -> Option<u64> {
    let written = written.trim();
    let groups: Vec<&str> = written.split(['.', ' ', '\u{a0}']).collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let valid = match groups.as_slice() {
        [one] => digits(one),
        [first, rest @ ..] => {
            digits(first) && first.len() <= 3 && rest.iter().all(|g| g.len() == 3 && digits(g))
        }
        [] => false,
    };
    if !valid {
        return None;
    }
    groups.concat().parse().ok()
}

/// What the csv crate found wrong, as a problem.
fn csv_problem(e: &csv::Error) -> Problem {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => Problem::CampaignRowLength {
            cells: usize::try_from(*len).unwrap_or(usize::MAX),
            expected: usize::try_from(*expected_len).unwrap_or(usize::MAX),
        },
        _ => Problem::CampaignBadFile(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_accept_vietnamese_grouping_and_refuse_the_rest() {
        assert_eq!(parse_count("1234"), Some(1234));
        assert_eq!(parse_count("1.234"), Some(1234));
        assert_eq!(parse_count("1 234 567"), Some(1_234_567));
        assert_eq!(parse_count(" 0 "), Some(0));
        for bad in ["", "12a", "-3", "1,5", "1.23", "12.3456", ".123", "1..234"] {
            assert_eq!(parse_count(bad), None, "{bad:?} was accepted");
        }
    }

    #[test]
    fn headers_match_with_or_without_diacritics() {
        assert_eq!(header_key("Số người lớn"), "so_nguoi_lon");
        assert_eq!(header_key(" so_nguoi_lon "), "so_nguoi_lon");
        assert_eq!(header_key("Thôn"), "thon");
    }

    #[test]
    fn an_excel_file_reads_and_cells_are_placed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let csv = "\u{feff}Thôn;Số người lớn\r\n\"Thôn Đông\";1.234\r\n;\r\nThôn Tây;12a\r\n";
        std::fs::write(dir.path().join("a.csv"), csv).unwrap_or_else(|e| panic!("{e}"));
        let table = Table::read(dir.path(), Path::new("a.csv")).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(table.rows.len(), 2, "the empty row is skipped");
        assert_eq!(table.column("so_nguoi_lon").ok(), Some(1));
        let (line, cells) = &table.rows[0];
        assert_eq!((*line, cells[0].as_str()), (2, "Thôn Đông"));
        assert_eq!(table.count(*line, cells, 1).ok(), Some(1234));
        let (line, cells) = &table.rows[1];
        let d = table.count(*line, cells, 1).err().unwrap_or_else(|| panic!("12a accepted"));
        assert_eq!((d.line, d.column), (4, 10));
        let missing = table.column("chu_ky_so").err().unwrap_or_else(|| panic!("found"));
        assert!(matches!(missing.problem, Problem::CampaignMissingColumn { .. }));
    }

    #[test]
    fn a_row_with_too_few_cells_is_an_error_on_its_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("a.csv"), "a,b,c\n1,2,3\n1,2\n").unwrap_or_else(|e| panic!("{e}"));
        let d = Table::read(dir.path(), Path::new("a.csv")).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!(d[0].line, 3);
        assert_eq!(d[0].problem, Problem::CampaignRowLength { cells: 2, expected: 3 });
    }
}
