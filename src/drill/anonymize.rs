//! Masking what identifies a person in recorded text: Chinese mobile numbers in every
//! common spelling (`13812345678`, `138 1234 5678`, `139-8765-4321`, `+86 138 1234 5678`,
//! `8613812345678`), landlines with their area code (`0745-4221234`, `(0745)4221234`),
//! ID-card numbers of 18 and 15 digits (also spaced `430521 19900101 1234`), and the
//! names the trainer lists; in full-width digits (`１３８…`) and with dots
//! (`138.1234.5678`) too. Digits become `*`; separators stay, so the text still reads as
//! a number was there.

use regex::Regex;
use std::sync::LazyLock;

/// The forms, longest first so an ID number is not read as a phone number.
static NUMBERS: LazyLock<Regex> = LazyLock::new(|| {
    // `D`: a digit, ASCII or full-width; `S`: a separator inside a number.
    let pattern = concat!(
        // ID card: 17 digits and a check digit or X (maybe spaced 6 8 4); the older 15-digit form.
        r"D{17}[0-9０-９XxＸ]|D{6}[\s-]D{8}[\s-]D{3}[0-9０-９XxＸ]|D{15}",
        // Mobile: optional +86 / 0086 / 86, then 1[3-9]x xxxx xxxx with optional separators.
        r"|(?:(?:[+＋]|00)?86S?)?[1１][3-9３-９]DS?D{4}S?D{4}",
        // Landline: area code 0xx or 0xxx (maybe in brackets), 7 or 8 digits, an extension.
        r"|(?:\([0０]D{2,3}\)|（[0０]D{2,3}）|[0０]D{2,3})S?D{7,8}(?:-D{1,5})?",
    );
    Regex::new(&pattern.replace('D', "[0-9０-９]").replace('S', r"[\s\-.．－]")).expect("the number patterns are valid")
});

/// `text` with the numbers above masked and each name in `names` replaced by 某某.
pub fn mask(text: &str, names: &[String]) -> String {
    let mut s = text.to_string();
    for n in names.iter().filter(|n| !n.is_empty()) {
        s = s.replace(n.as_str(), "某某");
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for m in NUMBERS.find_iter(&s) {
        // A match inside a longer run of digits is some other number: leave it.
        let before = s[..m.start()].chars().next_back();
        let after = s[m.end()..].chars().next();
        if before.is_some_and(|c| digit(c) || c == '+') || after.is_some_and(digit) {
            continue;
        }
        out.push_str(&s[last..m.start()]);
        out.extend(m.as_str().chars().map(|c| if digit(c) || matches!(c, 'X' | 'x' | 'Ｘ') { '*' } else { c }));
        last = m.end();
    }
    out.push_str(&s[last..]);
    out
}

/// A digit, ASCII or full-width.
fn digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::mask;

    fn masked(s: &str) -> String {
        mask(s, &[])
    }

    #[test]
    fn listed_names_become_mou_mou() {
        assert_eq!(mask("张三和李四来电", &["张三".into(), "李四".into()]), "某某和某某来电");
    }

    #[test]
    fn a_mobile_number_in_one_run() {
        assert_eq!(masked("电话13812345678。"), "电话***********。");
    }

    #[test]
    fn a_mobile_number_with_dashes() {
        assert_eq!(masked("联系139-8765-4321"), "联系***-****-****");
    }

    #[test]
    fn a_mobile_number_with_spaces() {
        assert_eq!(masked("联系 138 1234 5678 谢谢"), "联系 *** **** **** 谢谢");
    }

    #[test]
    fn a_mobile_number_with_plus_86() {
        assert_eq!(masked("+86 138 1234 5678"), "+** *** **** ****");
        assert_eq!(masked("拨+8613812345678"), "拨+*************");
    }

    #[test]
    fn a_mobile_number_with_86_and_no_plus() {
        assert_eq!(masked("号码8613812345678"), "号码*************");
        assert_eq!(masked("号码008613812345678"), "号码***************");
    }

    #[test]
    fn a_landline_with_its_area_code() {
        assert_eq!(masked("县政府0745-4221234"), "县政府****-*******");
        assert_eq!(masked("北京010-12345678转123"), "北京***-********转123");
        assert_eq!(masked("(0745)4221234"), "(****)*******");
        assert_eq!(masked("0745 4221234"), "**** *******");
        assert_eq!(masked("07454221234"), "***********");
    }

    #[test]
    fn an_eighteen_digit_id_number() {
        assert_eq!(masked("身份证43122519900101123X，"), "身份证******************，");
        assert_eq!(masked("431225199001011234"), "******************");
    }

    #[test]
    fn a_fifteen_digit_id_number() {
        assert_eq!(masked("老证件431225900101123号"), "老证件***************号");
    }

    #[test]
    fn full_width_digits_dots_and_a_spaced_id_number() {
        assert_eq!(masked("电话１３８１２３４５６７８"), "电话***********");
        assert_eq!(masked("拨138.1234.5678"), "拨***.****.****");
        assert_eq!(masked("身份证430521 19900101 1234"), "身份证****** ******** ****");
    }

    #[test]
    fn other_numbers_stay() {
        for s in ["工号12345", "2026年7月1日08:00", "阅读量45000", "订单号12345678901234567890", "邮编419600"]
        {
            assert_eq!(masked(s), s);
        }
    }
}
