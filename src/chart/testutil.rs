//! What the chart tests look for in an SVG or PNG: elements by colour,
//! texts, the SVG's structure, and the PNG decoded as far as its pixel rows
//! (a small inflate of our own: the crate has no PNG reader to lean on).

/// Number of SVG elements `<tag …>` whose `fill` is `color` (e.g. "#0072B2").
/// plotters writes one element per line.
pub fn count(svg: &str, tag: &str, color: &str) -> usize {
    let open = format!("<{tag} ");
    let fill = format!("fill=\"{color}\"");
    svg.lines()
        .filter(|l| l.trim_start().starts_with(&open) && l.contains(&fill))
        .count()
}

/// Whether some `<text>` element reads exactly `s` (plotters writes the
/// text on its own line).
pub fn has(svg: &str, s: &str) -> bool {
    svg.lines().any(|l| l == s)
}

/// Number of `<tag …>` elements.
pub fn tags(svg: &str, tag: &str) -> usize {
    let open = format!("<{tag} ");
    svg.lines()
        .filter(|l| l.trim_start().starts_with(&open))
        .count()
}

pub fn is_png(b: &[u8]) -> bool {
    b.starts_with(&super::PNG_SIGNATURE) && b.len() > 5_000
}

/// Write the PNG under /tmp/charts when CHART_OUT is set (for looking at).
pub fn keep(name: &str, b: &[u8]) {
    if std::env::var_os("CHART_OUT").is_some() {
        let dir = std::path::Path::new("/tmp/charts");
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::write(dir.join(name), b);
    }
}

/// The width and height of an SVG's drawing (its root element's viewBox,
/// which starts at 0 0).
pub fn svg_size(svg: &str) -> Option<(u32, u32)> {
    let root = format!(" {}", svg.strip_prefix("<svg ")?.split('>').next()?);
    let (_, rest) = root.split_once(" viewBox=\"")?;
    let v: Vec<u32> = (rest.split('"').next()?.split(' '))
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    match v.as_slice() {
        [0, 0, w, h] => Some((*w, *h)),
        _ => None,
    }
}

/// Checks that `svg` is well-formed XML as far as a chart needs: one root
/// `<svg>` element, every element closed in order, attribute values quoted,
/// no stray `<` and every `&` an entity; returns the number of elements.
pub fn well_formed(svg: &str) -> Result<usize, String> {
    let mut open: Vec<&str> = Vec::new();
    let (mut elements, mut roots) = (0usize, 0usize);
    let mut rest = svg;
    while let Some(lt) = rest.find('<') {
        text_ok(&rest[..lt])?;
        if open.is_empty() && !rest[..lt].trim().is_empty() {
            return Err(format!("text outside the root: {:?}", &rest[..lt]));
        }
        let tag = &rest[lt + 1..];
        let end = tag_end(tag).ok_or_else(|| format!("unclosed tag at {:?}", cut(tag)))?;
        let (body, after) = (&tag[..end], &tag[end + 1..]);
        if let Some(name) = body.strip_prefix('/') {
            match open.pop() {
                Some(o) if o == name.trim() => {}
                o => return Err(format!("</{name}> closes {o:?}")),
            }
        } else {
            let name = body.split([' ', '/', '\n']).next().unwrap_or("");
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(format!("bad element name in <{}>", cut(body)));
            }
            if open.is_empty() {
                roots += 1;
            }
            elements += 1;
            if !body.ends_with('/') {
                open.push(name);
            }
        }
        rest = after;
    }
    text_ok(rest)?;
    match (roots, open.is_empty(), rest.trim().is_empty()) {
        (1, true, true) if svg.starts_with("<svg") => Ok(elements),
        _ => Err(format!(
            "{roots} roots, {} left open, or text after the root",
            open.len()
        )),
    }
}

/// Where a tag opened just before `s` ends: the first `>` outside quotes.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (Some(_), '<') => return None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Text between tags: every `&` starts an entity.
fn text_ok(t: &str) -> Result<(), String> {
    for (i, _) in t.match_indices('&') {
        let ent = t[i + 1..].split(';').next().unwrap_or("");
        let named = !ent.is_empty() && ent.chars().all(|c| c.is_ascii_alphanumeric() || c == '#');
        if !named || ent.len() > 8 || !t[i + 1..].contains(';') {
            return Err(format!("a bare & in {:?}", cut(t)));
        }
    }
    Ok(())
}

fn cut(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Decodes a PNG as far as its pixel rows: the signature, every chunk's
/// length and CRC-32, the header first, the image data inflated (with its
/// Adler-32) to exactly one filter byte and one row of pixels per row, the
/// end chunk last. Returns the width and height.
pub fn png_size(b: &[u8]) -> Result<(u32, u32), String> {
    let mut rest = b
        .strip_prefix(&super::PNG_SIGNATURE)
        .ok_or("no PNG signature")?;
    let (mut header, mut data, mut ended) = (None, Vec::new(), false);
    while !rest.is_empty() {
        if ended {
            return Err("bytes after IEND".into());
        }
        let be = |s: &[u8]| u32::from_be_bytes([s[0], s[1], s[2], s[3]]);
        let len = be(rest.get(..4).ok_or("truncated chunk")?) as usize;
        let chunk = rest.get(4..8 + len + 4).ok_or("truncated chunk")?;
        let (kind, body) = (&chunk[..4], &chunk[4..4 + len]);
        if crc32(&chunk[..4 + len]) != be(&chunk[4 + len..]) {
            return Err(format!("bad CRC in {}", String::from_utf8_lossy(kind)));
        }
        match (kind, &header) {
            (b"IHDR", None) if len == 13 => header = Some(body.to_vec()),
            (_, None) => return Err("the first chunk is not IHDR".into()),
            (b"IDAT", _) => data.extend_from_slice(body),
            (b"IEND", _) => ended = true,
            _ => {}
        }
        rest = &rest[8 + len + 4..];
    }
    let h = header.ok_or("no IHDR")?;
    let (w, ht) = (
        u32::from_be_bytes([h[0], h[1], h[2], h[3]]),
        u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
    );
    let channels = match (h[8], h[9], h[12]) {
        (8, 0, 0) => 1,
        (8, 2, 0) => 3,
        (8, 6, 0) => 4,
        other => return Err(format!("unexpected depth/colour/interlace {other:?}")),
    };
    if !ended {
        return Err("no IEND".into());
    }
    let pixels = zlib(&data)?;
    let row = 1 + w as usize * channels;
    if pixels.len() != row * ht as usize {
        return Err(format!("{} bytes of pixels for {w}×{ht}", pixels.len()));
    }
    if pixels.chunks(row).any(|r| r[0] > 4) {
        return Err("a row with an unknown filter".into());
    }
    Ok((w, ht))
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A zlib stream inflated, its Adler-32 checked.
fn zlib(d: &[u8]) -> Result<Vec<u8>, String> {
    if d.len() < 6 || d[0] & 0x0F != 8 || (u16::from(d[0]) << 8 | u16::from(d[1])) % 31 != 0 {
        return Err("not a zlib stream".into());
    }
    let mut bits = Bits {
        d: &d[2..],
        pos: 0,
        buf: 0,
        n: 0,
    };
    let out = inflate(&mut bits)?;
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &out {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    let at = 2 + bits.pos;
    let stored = d.get(at..at + 4).ok_or("no Adler-32")?;
    if u32::from_be_bytes([stored[0], stored[1], stored[2], stored[3]]) != (b << 16 | a) {
        return Err("bad Adler-32".into());
    }
    Ok(out)
}

/// Bits of a deflate stream, least significant first.
struct Bits<'a> {
    d: &'a [u8],
    pos: usize,
    buf: u32,
    n: u32,
}

impl Bits<'_> {
    fn get(&mut self, n: u32) -> Result<u32, String> {
        while self.n < n {
            let b = *self.d.get(self.pos).ok_or("deflate data ends early")?;
            self.pos += 1;
            self.buf |= u32::from(b) << self.n;
            self.n += 8;
        }
        let v = self.buf & ((1u32 << n) - 1);
        self.buf >>= n;
        self.n -= n;
        Ok(v)
    }
}

/// A canonical Huffman code: how many codes of each length, and the
/// symbols in code order.
struct Huffman {
    count: [u16; 16],
    symbol: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Huffman {
        let mut count = [0u16; 16];
        for &l in lengths {
            count[l as usize] += 1;
        }
        count[0] = 0;
        let mut offs = [0usize; 16];
        for l in 1..15 {
            offs[l + 1] = offs[l] + count[l] as usize;
        }
        let mut symbol = vec![0u16; lengths.len()];
        for (s, &l) in lengths.iter().enumerate().filter(|(_, l)| **l != 0) {
            symbol[offs[l as usize]] = s as u16;
            offs[l as usize] += 1;
        }
        Huffman { count, symbol }
    }

    fn decode(&self, b: &mut Bits) -> Result<u16, String> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= b.get(1)? as i32;
            let count = i32::from(self.count[len]);
            if code - count < first {
                return Ok(self.symbol[(index + code - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err("an invalid Huffman code".into())
    }
}

const LBASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEXT: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DBASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DEXT: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// RFC 1951: stored, fixed and dynamic blocks until the last one.
fn inflate(b: &mut Bits) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let last = b.get(1)? == 1;
        match b.get(2)? {
            0 => {
                (b.buf, b.n) = (0, 0);
                let h = b.d.get(b.pos..b.pos + 4).ok_or("stored block ends early")?;
                let len = usize::from(u16::from_le_bytes([h[0], h[1]]));
                if u16::from_le_bytes([h[0], h[1]]) != !u16::from_le_bytes([h[2], h[3]]) {
                    return Err("stored block length".into());
                }
                let body =
                    b.d.get(b.pos + 4..b.pos + 4 + len)
                        .ok_or("stored block ends early")?;
                out.extend_from_slice(body);
                b.pos += 4 + len;
            }
            1 => {
                let mut l = [8u8; 288];
                l[144..256].fill(9);
                l[256..280].fill(7);
                codes(b, &mut out, &Huffman::new(&l), &Huffman::new(&[5; 30]))?;
            }
            2 => {
                let (lit, dist) = dynamic(b)?;
                codes(b, &mut out, &lit, &dist)?;
            }
            _ => return Err("block type 3".into()),
        }
        if last {
            return Ok(out);
        }
    }
}

/// The code lengths of a dynamic block, as its two codes.
fn dynamic(b: &mut Bits) -> Result<(Huffman, Huffman), String> {
    const ORDER: [usize; 19] = [
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
    ];
    let nlen = b.get(5)? as usize + 257;
    let ndist = b.get(5)? as usize + 1;
    let ncode = b.get(4)? as usize + 4;
    let mut cl = [0u8; 19];
    for &i in &ORDER[..ncode] {
        cl[i] = b.get(3)? as u8;
    }
    let cl = Huffman::new(&cl);
    let mut lengths: Vec<u8> = Vec::with_capacity(nlen + ndist);
    while lengths.len() < nlen + ndist {
        let (value, times) = match cl.decode(b)? {
            s @ 0..=15 => (s as u8, 1),
            16 => (
                *lengths.last().ok_or("repeat with nothing before")?,
                3 + b.get(2)?,
            ),
            17 => (0, 3 + b.get(3)?),
            _ => (0, 11 + b.get(7)?),
        };
        lengths.extend(std::iter::repeat_n(value, times as usize));
    }
    if lengths.len() != nlen + ndist {
        return Err("too many code lengths".into());
    }
    Ok((
        Huffman::new(&lengths[..nlen]),
        Huffman::new(&lengths[nlen..]),
    ))
}

/// Literals and back-references until the end-of-block code.
fn codes(b: &mut Bits, out: &mut Vec<u8>, lit: &Huffman, dist: &Huffman) -> Result<(), String> {
    loop {
        let s = lit.decode(b)? as usize;
        if s < 256 {
            out.push(s as u8);
            continue;
        }
        if s == 256 {
            return Ok(());
        }
        let k = s - 257;
        let len = usize::from(*LBASE.get(k).ok_or("bad length code")?)
            + b.get(u32::from(LEXT[k]))? as usize;
        let d = dist.decode(b)? as usize;
        let back = usize::from(*DBASE.get(d).ok_or("bad distance code")?)
            + b.get(u32::from(DEXT[d]))? as usize;
        if back > out.len() {
            return Err("distance before the start".into());
        }
        for _ in 0..len {
            out.push(out[out.len() - back]);
        }
    }
}
