//! Near misses: the known words closest to one that is not known, for "did you mean"
//! hints (an unknown node id on the command line, a misspelt case name in a figure).

/// The edit distance between two words (insertions, deletions and substitutions of
/// characters), counting no further than `limit + 1`.
pub fn distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(usize::MAX) + usize::from(ca != cb);
            let delete = previous
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = current
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            current.push(substitute.min(delete).min(insert));
        }
        if current.iter().min().is_some_and(|&m| m > limit) {
            return limit + 1;
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0).min(limit + 1)
}

/// Of `known`, up to `count` words close to `word` (any case): those within two edits
/// (a third of the word, for long words), or containing it, nearest first.
pub fn near_misses<'a>(
    word: &str,
    known: impl IntoIterator<Item = &'a str>,
    count: usize,
) -> Vec<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    let mut close: Vec<(usize, &str)> = known
        .into_iter()
        .filter_map(|candidate| {
            let lower = candidate.to_lowercase();
            let d = distance(&word, &lower, limit);
            if d <= limit {
                Some((d, candidate))
            } else if word.len() >= 3 && lower.contains(&word) {
                Some((limit + 1, candidate))
            } else {
                None
            }
        })
        .collect();
    close.sort();
    close.dedup();
    close.into_iter().take(count).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("upside", "upside", 2), 0);
        assert_eq!(distance("upsdie", "upside", 2), 2);
        assert_eq!(distance("opnai", "openai", 2), 1);
        assert_eq!(distance("base", "downside", 2), 3);
    }

    #[test]
    fn near_misses_come_nearest_first() {
        let known = ["openai", "openai-api", "anthropic", "open-source"];
        assert_eq!(near_misses("opnai", known, 5), ["openai"]);
        assert_eq!(near_misses("OpenAI", known, 5), ["openai", "openai-api"]);
        assert!(near_misses("nvidia", known, 5).is_empty());
    }
}
