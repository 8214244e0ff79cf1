//! Lexing: rule source text to tokens with byte spans, so every later error
//! can point at the exact text it is about.

use super::{err, ExprError};

// Two-character symbols first so `<=` is not read as `<` then `=`.
const SYMBOLS: &[&str] = &[
    "==", "!=", "<>", "<=", ">=", "(", ")", "[", "]", ",", "+", "-", "*", "/", "=", "<", ">",
];

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Num(f64),
    Str(String),
    Word(String),
    Sym(&'static str),
    End,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

fn prefix_while(s: &str, keep: impl Fn(char) -> bool) -> &str {
    let end = s
        .char_indices()
        .find(|&(_, c)| !keep(c))
        .map_or(s.len(), |(i, _)| i);
    s.get(..end).unwrap_or(s)
}

pub(super) fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let mut toks = Vec::new();
    let mut pos = 0;
    while let Some(rest) = src.get(pos..) {
        let Some(c) = rest.chars().next() else { break };
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        let (tok, len) = if c.is_ascii_alphabetic() || c == '_' {
            let word = prefix_while(rest, |ch| ch.is_ascii_alphanumeric() || ch == '_');
            (Tok::Word(word.to_owned()), word.len())
        } else if c.is_ascii_digit() {
            lex_number(rest, pos)?
        } else if c == '"' || c == '\'' {
            lex_string(rest, pos, c)?
        } else if let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            (Tok::Sym(sym), sym.len())
        } else {
            return Err(err(
                pos,
                pos + c.len_utf8(),
                format!("unexpected character {c:?}"),
            ));
        };
        toks.push(Token {
            tok,
            start: pos,
            end: pos + len,
        });
        pos += len;
    }
    Ok(toks)
}

fn lex_number(rest: &str, pos: usize) -> Result<(Tok, usize), ExprError> {
    let is_digit = |c: char| c.is_ascii_digit() || c == '_';
    let mut len = prefix_while(rest, is_digit).len();
    let after = rest.get(len..).unwrap_or("");
    if after.starts_with('.')
        && after
            .get(1..)
            .is_some_and(|f| f.starts_with(|c: char| c.is_ascii_digit()))
    {
        len += 1 + prefix_while(after.get(1..).unwrap_or(""), is_digit).len();
    }
    let text = rest.get(..len).unwrap_or("");
    let junk = prefix_while(rest, |c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    let misplaced_underscore = text.contains("__") || text.ends_with('_') || text.contains("_.");
    if misplaced_underscore || junk.len() > len {
        return Err(err(
            pos,
            pos + junk.len(),
            format!("malformed number `{junk}`"),
        ));
    }
    match text.replace('_', "").parse::<f64>() {
        Ok(v) if v.is_finite() => Ok((Tok::Num(v), len)),
        _ => Err(err(pos, pos + len, format!("number `{text}` is too large"))),
    }
}

fn lex_string(rest: &str, pos: usize, quote: char) -> Result<(Tok, usize), ExprError> {
    let mut text = String::new();
    let mut chars = rest.char_indices().skip(1);
    let unterminated = || err(pos, pos + rest.len(), "this text has no closing quote");
    loop {
        match chars.next() {
            None => return Err(unterminated()),
            Some((i, c)) if c == quote => return Ok((Tok::Str(text), i + 1)),
            Some((i, '\\')) => match chars.next() {
                Some((_, e @ ('"' | '\'' | '\\'))) => text.push(e),
                Some((j, e)) => {
                    let msg =
                        format!("unknown escape `\\{e}`; only \\\", \\' and \\\\ are allowed");
                    return Err(err(pos + i, pos + j + e.len_utf8(), msg));
                }
                None => return Err(unterminated()),
            },
            Some((_, c)) => text.push(c),
        }
    }
}
