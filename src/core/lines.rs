//! Byte offsets to the 1-based line and column an editor shows.

/// Maps byte offsets of a text (which may start at `first_line` of its file) to lines and
/// columns, the column counted in characters as editors do. Built once per text, so each look-up
/// is a binary search rather than a scan from the start.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts, first_line }
    }

    /// 1-based (line, column) in the file; an offset past the end counts as the end.
    pub fn at(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_text = self.text.get(self.starts[idx]..offset).unwrap_or("");
        (self.first_line + idx, line_text.chars().count() + 1)
    }
}

/// (line, column) of one offset in a whole file, for a single look-up.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text, 1).at(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let text = "ả\nbước một\nxin chào";
        let pos = text.find("một").unwrap_or(0);
        assert_eq!(line_col(text, pos), (2, 6));
        assert_eq!(line_col(text, text.len() + 10), (3, 9));
        assert_eq!(line_col("ab", 0), (1, 1));
        assert_eq!(line_col("ab\n", 99), (2, 1));
        assert_eq!(LineIndex::new("x\ny", 5).at(2), (6, 1));
    }
}
