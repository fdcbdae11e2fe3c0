//! "Did you mean": the known word nearest to a misspelt one.

/// The word of `candidates` nearest to `word` (at most a third of its letters away), for "did you
/// mean": `sumary` → `summary`, `titel` → `title`.
pub fn closest_word<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    let limit = word.chars().count().div_ceil(3).max(1);
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

/// Levenshtein distance in characters (transposing two letters counts two).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_picks_the_nearest_known_key() {
        let known: Vec<String> = ["title", "summary", "updated", "level"].map(String::from).to_vec();
        assert_eq!(closest_word("sumary", &known), Some("summary"));
        assert_eq!(closest_word("titel", &known), Some("title"));
        assert_eq!(closest_word("colour", &known), None, "nothing close: no guess");
    }
}
