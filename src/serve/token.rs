//! The session's token: random, made when the server starts, written into
//! every page's forms and required on every request that changes anything,
//! so another web site open in the same browser cannot post to this one.

/// 32 random bytes from the operating system, as hex.
pub fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no random numbers from the operating system: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Does `given` equal the session's token? In time independent of where
/// they differ.
pub fn matches(token: &str, given: Option<&str>) -> bool {
    let Some(given) = given else {
        return false;
    };
    let (a, b) = (token.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let t = new_token().unwrap();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_token().unwrap());
        assert!(matches(&t, Some(&t)));
        assert!(!matches(&t, Some(&t[..63])));
        assert!(!matches(&t, Some("")));
        assert!(!matches(&t, None));
    }
}
