//! A small, fast, deterministic hasher for the integer and short-string
//! keys summed per row (PSU ids, group codes). SipHash's protection against
//! crafted keys buys nothing here and costs a third of the estimation time.

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        for &b in chunks.remainder() {
            self.add(b as u64);
        }
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;

/// Keys numbered in order of first sight.
pub struct Interner<K> {
    pub keys: Vec<K>,
    of: FxHashMap<K, u32>,
}

impl<K> Default for Interner<K> {
    fn default() -> Self {
        Interner {
            keys: Vec::new(),
            of: FxHashMap::default(),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone> Interner<K> {
    /// The key's number, and whether it was new.
    pub fn id(&mut self, key: K) -> (u32, bool) {
        if let Some(&id) = self.of.get(&key) {
            return (id, false);
        }
        let id = self.keys.len() as u32;
        self.of.insert(key.clone(), id);
        self.keys.push(key);
        (id, true)
    }

    /// The number of a borrowed key (made owned only when new).
    pub fn id_of<Q>(&mut self, key: &Q) -> u32
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        match self.of.get(key) {
            Some(&id) => id,
            None => self.id(key.to_owned()).0,
        }
    }
}
