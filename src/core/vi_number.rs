//! Numbers, dates and letters said in Vietnamese words, for the recordings made at build time.
//!
//! A speech engine reads "2026" or "45.000" digit by digit or in English habits; a resident
//! expects what a neighbour would say: "hai nghìn không trăm hai mươi sáu", "bốn mươi lăm nghìn".
//! The rules are the northern ones the campaign's materials use: "linh" for a missing ten
//! (105 = "một trăm linh năm"), "mốt", "tư", "lăm" after a ten, "không trăm" for a missing
//! hundred inside a larger number, "nghìn", "triệu", "tỷ".

/// The digit names, `0` to `9`.
const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// `n` in words: `21` → "hai mươi mốt", `2026` → "hai nghìn không trăm hai mươi sáu".
pub fn number(n: u64) -> String {
    let mut words = Vec::new();
    push_number(&mut words, n, false);
    words.join(" ")
}

/// Pushes the words of `n`; `full` reads a leading group in full (with "không trăm"), as it is
/// when a larger group stands before it.
fn push_number(words: &mut Vec<&'static str>, n: u64, full: bool) {
    const BILLION: u64 = 1_000_000_000;
    if n >= BILLION {
        push_number(words, n / BILLION, full);
        words.push("tỷ");
        if !n.is_multiple_of(BILLION) {
            push_number(words, n % BILLION, true);
        }
        return;
    }
    let groups = [(n / 1_000_000, Some("triệu")), ((n / 1_000) % 1_000, Some("nghìn")), (n % 1_000, None)];
    let mut before = full;
    let mut said = false;
    for (group, unit) in groups {
        if group == 0 {
            continue;
        }
        push_hundreds(words, group as usize, before);
        words.extend(unit);
        before = true;
        said = true;
    }
    if !said && !full {
        words.push(DIGITS[0]);
    }
}

/// One group of three digits (`1..=999`); `full` says "không trăm" and "linh" for a group
/// following a larger one (`2005` → "hai nghìn không trăm linh năm").
fn push_hundreds(words: &mut Vec<&'static str>, n: usize, full: bool) {
    let (hundreds, tens, units) = (n / 100, (n / 10) % 10, n % 10);
    if hundreds > 0 || full {
        words.extend([DIGITS[hundreds], "trăm"]);
    }
    match tens {
        0 if units > 0 && (hundreds > 0 || full) => words.extend(["linh", DIGITS[units]]),
        0 => words.extend((units > 0).then(|| DIGITS[units])),
        1 => {
            words.push("mười");
            words.extend(match units {
                0 => None,
                5 => Some("lăm"),
                u => Some(DIGITS[u]),
            });
        }
        t => {
            words.extend([DIGITS[t], "mươi"]);
            words.extend(match units {
                0 => None,
                1 => Some("mốt"),
                4 => Some("tư"),
                5 => Some("lăm"),
                u => Some(DIGITS[u]),
            });
        }
    }
}

/// A written whole number (digits only, any length) in words; one too large for a `u64` is
/// read digit by digit.
pub fn number_str(digits: &str) -> String {
    let trimmed = digits.trim_start_matches('0');
    match trimmed.parse::<u64>() {
        Ok(n) => number(n),
        Err(_) if trimmed.is_empty() => number(0),
        Err(_) => each_digit(digits),
    }
}

/// Every digit on its own: `"0912"` → "không chín một hai" (codes, account and phone numbers).
pub fn each_digit(digits: &str) -> String {
    digits.chars().filter_map(|c| c.to_digit(10)).map(|d| DIGITS[d as usize]).collect::<Vec<_>>().join(" ")
}

/// A decimal written with a comma: `("1", "5")` → "một phẩy năm"; `("0", "05")` → "không phẩy
/// không năm" (zeros after the comma are said, then the rest as a number).
pub fn decimal(whole: &str, fraction: &str) -> String {
    let zeros = fraction.len() - fraction.trim_start_matches('0').len();
    let mut out = format!("{} phẩy", number_str(whole));
    for _ in 0..zeros {
        out.push_str(" không");
    }
    let rest = &fraction[zeros..];
    if !rest.is_empty() {
        out.push(' ');
        out.push_str(&number_str(rest));
    }
    out
}

/// A date: "ngày hai mươi tư tháng mười một năm hai nghìn không trăm hai mươi sáu". April is
/// "tháng tư", as everyone says it; every other month is its number.
pub fn date(day: u32, month: u32, year: Option<u32>) -> String {
    let month = if month == 4 { "tư".to_owned() } else { number(month.into()) };
    let mut out = format!("ngày {} tháng {month}", number(day.into()));
    if let Some(year) = year {
        out.push_str(" năm ");
        out.push_str(&number(year.into()));
    }
    out
}

/// How a letter is said when a short word in capitals is spelled out (`ATM` → "a tê em").
fn letter(c: char) -> Option<&'static str> {
    Some(match c.to_lowercase().next()? {
        'a' => "a",
        'b' => "bê",
        'c' => "xê",
        'd' => "đê",
        'đ' => "đê",
        'e' => "e",
        'f' => "ép",
        'g' => "giê",
        'h' => "hát",
        'i' => "i",
        'j' => "giây",
        'k' => "ca",
        'l' => "e lờ",
        'm' => "em",
        'n' => "en",
        'o' => "ô",
        'p' => "pê",
        'q' => "kiu",
        'r' => "e rờ",
        's' => "ét",
        't' => "tê",
        'u' => "u",
        'v' => "vê",
        'w' => "vê kép",
        'x' => "ích",
        'y' => "i dài",
        'z' => "dét",
        _ => return None,
    })
}

/// A word spelled letter by letter, or `None` when it holds something that is not a letter of
/// the Latin alphabet.
pub fn spell(word: &str) -> Option<String> {
    let letters: Option<Vec<&str>> = word.chars().map(letter).collect();
    letters.map(|l| l.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_ten() {
        assert_eq!(number(0), "không");
        assert_eq!(number(5), "năm");
        assert_eq!(number(10), "mười");
    }

    #[test]
    fn muoi_after_one_muoi_after_two_and_more() {
        assert_eq!(number(11), "mười một");
        assert_eq!(number(20), "hai mươi");
        assert_eq!(number(90), "chín mươi");
    }

    #[test]
    fn mot_after_muoi_but_mot_after_muoi_one() {
        assert_eq!(number(21), "hai mươi mốt");
        assert_eq!(number(81), "tám mươi mốt");
        assert_eq!(number(11), "mười một");
        assert_eq!(number(101), "một trăm linh một");
    }

    #[test]
    fn tu_after_muoi_bon_after_muoi_and_linh() {
        assert_eq!(number(24), "hai mươi tư");
        assert_eq!(number(14), "mười bốn");
        assert_eq!(number(104), "một trăm linh bốn");
        assert_eq!(number(4), "bốn");
    }

    #[test]
    fn lam_after_a_ten_nam_elsewhere() {
        assert_eq!(number(15), "mười lăm");
        assert_eq!(number(45), "bốn mươi lăm");
        assert_eq!(number(105), "một trăm linh năm");
        assert_eq!(number(500), "năm trăm");
    }

    #[test]
    fn linh_for_a_missing_ten() {
        assert_eq!(number(305), "ba trăm linh năm");
        assert_eq!(number(310), "ba trăm mười");
        assert_eq!(number(300), "ba trăm");
    }

    #[test]
    fn khong_tram_inside_a_larger_number() {
        assert_eq!(number(2026), "hai nghìn không trăm hai mươi sáu");
        assert_eq!(number(1005), "một nghìn không trăm linh năm");
        assert_eq!(number(1000), "một nghìn");
        assert_eq!(number(1_000_010), "một triệu không trăm mười");
    }

    #[test]
    fn nghin_trieu_ty() {
        assert_eq!(number(45_000), "bốn mươi lăm nghìn");
        assert_eq!(number(2_000_000), "hai triệu");
        assert_eq!(number(1_500_000), "một triệu năm trăm nghìn");
        assert_eq!(number(3_000_000_000), "ba tỷ");
        assert_eq!(number(1_200_000_000), "một tỷ hai trăm triệu");
        assert_eq!(number(2_000_000_005), "hai tỷ không trăm linh năm");
        assert_eq!(number(1_000_000_000_000), "một nghìn tỷ");
    }

    #[test]
    fn decimals_with_a_comma() {
        assert_eq!(decimal("1", "5"), "một phẩy năm");
        assert_eq!(decimal("0", "05"), "không phẩy không năm");
        assert_eq!(decimal("2", "25"), "hai phẩy hai mươi lăm");
    }

    #[test]
    fn long_numbers_and_digits() {
        assert_eq!(each_digit("0240"), "không hai bốn không");
        assert_eq!(number_str("007"), "bảy");
        assert_eq!(number_str("000"), "không");
        assert_eq!(number_str("99999999999999999999999"), each_digit("99999999999999999999999"));
    }

    #[test]
    fn dates() {
        assert_eq!(
            date(24, 11, Some(2026)),
            "ngày hai mươi tư tháng mười một năm hai nghìn không trăm hai mươi sáu"
        );
        assert_eq!(date(1, 5, None), "ngày một tháng năm");
        assert_eq!(date(4, 4, None), "ngày bốn tháng tư");
    }

    #[test]
    fn spelling() {
        assert_eq!(spell("ATM").as_deref(), Some("a tê em"));
        assert_eq!(spell("CCCD").as_deref(), Some("xê xê xê đê"));
        assert_eq!(spell("ẤT"), None);
    }
}
