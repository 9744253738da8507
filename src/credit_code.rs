//! The unified social credit code (统一社会信用代码), GB 32100-2015: 18
//! characters from a 31-symbol set, positions 3–8 a region code (digits), and
//! a check character at position 18 computed mod 31.

/// The 31 symbols in value order (no I, O, S, V, Z).
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// W_i = 3^(i-1) mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// What is wrong with a credit code, if anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreditCodeFault {
    /// Not 18 characters.
    Length(usize),
    /// A character outside the charset, at a 1-based position.
    Character { position: usize, found: char },
    /// Positions 3–8 must be digits (the administrative region code).
    RegionNotDigits,
    /// Well-formed, but the check character is not the one computed.
    CheckCharacter { expected: char, found: char },
}

impl CreditCodeFault {
    /// What is wrong, in both languages.
    pub fn describe(&self) -> crate::problem::Text {
        use crate::problem::Text;
        match *self {
            CreditCodeFault::Length(n) => Text::new(format!("统一社会信用代码应为 18 位，现为 {n} 位"), format!("the code must have 18 characters, not {n}")),
            CreditCodeFault::Character { position, found } => Text::new(
                format!("第 {position} 位“{found}”不是有效字符（只用数字和大写字母，不含 I、O、S、V、Z）"),
                format!("character {position} ('{found}') is not allowed (digits and capitals except I, O, S, V, Z)"),
            ),
            CreditCodeFault::RegionNotDigits => Text::new("第 3–8 位行政区划码应为数字", "characters 3–8 (the region code) must be digits"),
            CreditCodeFault::CheckCharacter { expected, found } => {
                Text::new(format!("第 18 位校验码应为“{expected}”，不是“{found}”"), format!("the check character should be '{expected}', not '{found}'"))
            }
        }
    }
}

fn value_of(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, if they are all in the charset.
pub fn check_character(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in b.iter().enumerate() {
        sum += value_of(c)? * WEIGHTS[i];
    }
    let c18 = (31 - sum % 31) % 31;
    Some(CHARSET[c18 as usize] as char)
}

/// Check a code; `Ok(())` when it is a valid GB 32100 code.
pub fn check(code: &str) -> Result<(), CreditCodeFault> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeFault::Length(chars.len()));
    }
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii() || value_of(c as u8).is_none() {
            return Err(CreditCodeFault::Character { position: i + 1, found: c });
        }
    }
    if !chars[2..8].iter().all(|c| c.is_ascii_digit()) {
        return Err(CreditCodeFault::RegionNotDigits);
    }
    let expected = check_character(&code[..17]).expect("charset checked above");
    if chars[17] != expected {
        return Err(CreditCodeFault::CheckCharacter { expected, found: chars[17] });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_codes_from_the_domain_brief_are_valid() {
        for code in ["91350100M000100Y43", "91350200776049653A", "91310110666007217T"] {
            assert_eq!(check(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn worked_example_check_character() {
        // Σ = 1261, 1261 mod 31 = 21, 31 − 21 = 10 → 'A'
        assert_eq!(check_character("91350200776049653"), Some('A'));
        // Σ = 966, mod 31 = 5, 31 − 5 = 26 → 'T'
        assert_eq!(check_character("91310110666007217"), Some('T'));
    }

    #[test]
    fn faults() {
        assert_eq!(check("91350200776049653B"), Err(CreditCodeFault::CheckCharacter { expected: 'A', found: 'B' }));
        assert_eq!(check("9135020077604965"), Err(CreditCodeFault::Length(16)));
        assert_eq!(check("91350200776049653I"), Err(CreditCodeFault::Character { position: 18, found: 'I' }));
        assert_eq!(check("91A50200776049653A"), Err(CreditCodeFault::RegionNotDigits));
        assert_eq!(check("9135020077604965３A"), Err(CreditCodeFault::Character { position: 17, found: '３' }));
        // the public whitelist case: real-looking but the checksum says 9
        assert_eq!(check("91350203M0001QAY9B"), Err(CreditCodeFault::CheckCharacter { expected: '9', found: 'B' }));
    }
}

/// The credit code in a text read from a business licence's QR code (a link
/// that names the code, or the code itself): the first 18-character run of
/// the code's symbols whose region is digits, preferring one whose check
/// character holds. A run that fails its check is still returned, so the
/// form says what is wrong as it would for a typed code.
pub fn find_in(text: &str) -> Option<String> {
    let upper: Vec<char> = text.chars().map(|c| c.to_ascii_uppercase()).collect();
    let symbol = |c: char| c.is_ascii() && CHARSET.contains(&(c as u8));
    let mut candidates = Vec::new();
    let mut i = 0;
    while i < upper.len() {
        if !symbol(upper[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < upper.len() && symbol(upper[i]) {
            i += 1;
        }
        // Only a run of exactly 18 symbols: a longer one is some other id.
        if i - start == 18 {
            let code: String = upper[start..i].iter().collect();
            if code[2..8].bytes().all(|b| b.is_ascii_digit()) {
                candidates.push(code);
            }
        }
    }
    candidates.iter().find(|c| check(c).is_ok()).or(candidates.first()).cloned()
}

#[cfg(test)]
mod find_tests {
    use super::find_in;

    #[test]
    fn the_code_is_found_in_a_licence_link_or_alone() {
        assert_eq!(find_in("http://www.gsxt.gov.cn/index?uniscid=91350100M000100Y43&t=1").as_deref(), Some("91350100M000100Y43"));
        assert_eq!(find_in("91350100m000100y43").as_deref(), Some("91350100M000100Y43"));
        // A well-formed code with a wrong check character is still given, for the form to flag.
        assert_eq!(find_in("code:91350100M000100Y44").as_deref(), Some("91350100M000100Y44"));
        // An encrypted id, a longer run, letters in the region: none.
        assert_eq!(find_in("https://example.cn/?id=A1B2C3D4E5F6A7B8C9D0E1F2"), None);
        assert_eq!(find_in("XX3501ABM000100Y43"), None);
        assert_eq!(find_in(""), None);
    }
}
