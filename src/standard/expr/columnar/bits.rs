//! Three-valued truth over many rows at once: one bit per row in two word
//! vectors, `t` (known true) and `f` (known false); a row in neither is
//! unknown. Kleene's AND, OR and NOT are then two word operations each.

use arrow_buffer::BooleanBuffer;

/// Words needed for `n` rows.
#[inline]
pub fn words(n: usize) -> usize {
    n.div_ceil(64)
}

/// The bits of rows `start..start + n` of `b`, from bit 0 of word 0; bits
/// past `n` are clear.
pub fn from_buffer(b: &BooleanBuffer, start: usize, n: usize) -> Vec<u64> {
    let mut out: Vec<u64> = b.slice(start, n).bit_chunks().iter_padded().collect();
    out.resize(words(n), 0);
    clear_tail(&mut out, n);
    out
}

/// Every row of `n` set.
pub fn all_set(n: usize) -> Vec<u64> {
    let mut out = vec![u64::MAX; words(n)];
    clear_tail(&mut out, n);
    out
}

/// Clear the bits past row `n`.
pub fn clear_tail(w: &mut [u64], n: usize) {
    if !n.is_multiple_of(64) {
        if let Some(last) = w.get_mut(n / 64) {
            *last &= (1u64 << (n % 64)) - 1;
        }
    }
}

/// Bit `i`.
#[inline]
pub fn get(w: &[u64], i: usize) -> bool {
    (w[i / 64] >> (i % 64)) & 1 == 1
}

/// Words of `n` rows, bit `i` set where `f(i)`.
pub fn collect(n: usize, mut f: impl FnMut(usize) -> bool) -> Vec<u64> {
    let mut out = vec![0u64; words(n)];
    for (w, word) in out.iter_mut().enumerate() {
        let base = w * 64;
        let mut v = 0u64;
        for j in 0..64.min(n - base) {
            v |= u64::from(f(base + j)) << j;
        }
        *word = v;
    }
    out
}

/// Whether any bit in `a..b` is set.
pub fn any_in(w: &[u64], a: usize, b: usize) -> bool {
    count_in(w, a, b) > 0
}

/// Set bits in `a..b`.
pub fn count_in(w: &[u64], a: usize, b: usize) -> usize {
    if a >= b {
        return 0;
    }
    let (wa, wb) = (a / 64, (b - 1) / 64);
    let lo = u64::MAX << (a % 64);
    let hi = u64::MAX >> (63 - (b - 1) % 64);
    if wa == wb {
        return (w[wa] & lo & hi).count_ones() as usize;
    }
    let mut n = (w[wa] & lo).count_ones() + (w[wb] & hi).count_ones();
    for x in &w[wa + 1..wb] {
        n += x.count_ones();
    }
    n as usize
}

/// `a op b`, word by word.
pub fn zip(a: &[u64], b: &[u64], op: impl Fn(u64, u64) -> u64) -> Vec<u64> {
    a.iter().zip(b).map(|(x, y)| op(*x, *y)).collect()
}

/// A column of three-valued truths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    /// Known true.
    pub t: Vec<u64>,
    /// Known false.
    pub f: Vec<u64>,
}

impl Mask {
    /// Every row the same `v`.
    pub fn splat(v: Option<bool>, n: usize) -> Mask {
        let (all, none) = (all_set(n), vec![0; words(n)]);
        match v {
            Some(true) => Mask { t: all, f: none },
            Some(false) => Mask { t: none, f: all },
            None => Mask {
                t: none.clone(),
                f: none,
            },
        }
    }

    /// Known where `valid`, true where `value` (both bit words).
    pub fn known(value: &[u64], valid: &[u64]) -> Mask {
        Mask {
            t: zip(value, valid, |v, k| v & k),
            f: zip(value, valid, |v, k| !v & k),
        }
    }

    /// Rows whose truth is known.
    pub fn valid(&self) -> Vec<u64> {
        zip(&self.t, &self.f, |t, f| t | f)
    }

    /// Rows whose truth is unknown (bits past the rows are set too).
    pub fn unknown(&self) -> Vec<u64> {
        zip(&self.t, &self.f, |t, f| !(t | f))
    }

    /// Kleene NOT.
    pub fn negate(self) -> Mask {
        Mask {
            t: self.f,
            f: self.t,
        }
    }

    /// Kleene AND: false wins.
    pub fn and(&self, o: &Mask) -> Mask {
        Mask {
            t: zip(&self.t, &o.t, |a, b| a & b),
            f: zip(&self.f, &o.f, |a, b| a | b),
        }
    }

    /// Kleene OR: true wins.
    pub fn or(&self, o: &Mask) -> Mask {
        Mask {
            t: zip(&self.t, &o.t, |a, b| a | b),
            f: zip(&self.f, &o.f, |a, b| a & b),
        }
    }

    /// The same answer under both readings, else unknown.
    pub fn agree(&self, o: &Mask) -> Mask {
        Mask {
            t: zip(&self.t, &o.t, |a, b| a & b),
            f: zip(&self.f, &o.f, |a, b| a & b),
        }
    }

    /// Row `i` as `Some(true)`, `Some(false)` or `None`.
    #[inline]
    pub fn at(&self, i: usize) -> Option<bool> {
        if get(&self.t, i) {
            Some(true)
        } else if get(&self.f, i) {
            Some(false)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_ranges_across_words() {
        let w = collect(200, |i| i % 3 == 0);
        for (a, b) in [
            (0, 0),
            (0, 1),
            (1, 3),
            (5, 64),
            (60, 130),
            (0, 200),
            (63, 64),
        ] {
            let want = (a..b).filter(|i| i % 3 == 0).count();
            assert_eq!(count_in(&w, a, b), want, "{a}..{b}");
        }
        let b = BooleanBuffer::collect_bool(300, |i| i % 7 == 1);
        let got = from_buffer(&b, 5, 150);
        assert_eq!(got, collect(150, |i| (i + 5) % 7 == 1));
    }
}
