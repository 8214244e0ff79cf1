//! Helper of `benches/xlsx_vs_calamine.sh`.
//!
//! `xlsx_bench write CSV_DIR BOOK.xlsx`: the `households.csv` and
//! `members.csv` of CSV_DIR (from `dachieu synth --format csv`) as one
//! workbook with a `households` and a `members` sheet, as a person would
//! have it in Excel: numbers as numbers, ids and codes with a leading zero
//! as text, empty cells left out.
//!
//! `xlsx_bench read BOOK.xlsx [range]`: the floor: calamine alone opens the
//! workbook and reads every cell of both sheets, one after the other (with
//! its streaming cell reader, or with `range`, its `worksheet_range`),
//! touching each value; prints the cells read.

use calamine::{Data, DataRef, Reader};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["write", csv, book] => write(Path::new(csv), Path::new(book)),
        ["read", book] => read(Path::new(book), false),
        ["read", book, "range"] => read(Path::new(book), true),
        _ => {
            eprintln!("usage: xlsx_bench write CSV_DIR BOOK.xlsx | read BOOK.xlsx [range]");
            std::process::exit(2);
        }
    }
}

/// Whether a CSV value goes into the workbook as text even though it reads
/// as a number: ids, and codes whose leading zero matters (`01`).
fn as_text(column: &str, v: &str) -> bool {
    column == "household_id"
        || column == "member_id"
        || (v.len() > 1 && v.starts_with('0') && !v.starts_with("0."))
}

fn write(csv_dir: &Path, book: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for name in ["households", "members"] {
        let ws = wb.add_worksheet().set_name(name).expect("sheet name");
        let mut rdr = csv::Reader::from_path(csv_dir.join(format!("{name}.csv"))).expect("CSV");
        let header = rdr.headers().expect("header").clone();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, h).expect("header cell");
        }
        let mut rec = csv::StringRecord::new();
        let mut r = 1u32;
        while rdr.read_record(&mut rec).expect("CSV record") {
            for (c, v) in rec.iter().enumerate() {
                let col = c as u16;
                match v.parse::<f64>() {
                    _ if v.is_empty() => continue,
                    Ok(x) if !as_text(&header[c], v) => ws.write_number(r, col, x).map(|_| ()),
                    _ => ws.write_string(r, col, v).map(|_| ()),
                }
                .expect("cell");
            }
            r += 1;
        }
    }
    wb.save(book).expect("save the workbook");
}

fn read(book: &Path, range: bool) {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(book).expect("open the workbook");
    let (mut cells, mut bytes, mut sum) = (0u64, 0usize, 0f64);
    for name in ["households", "members"] {
        if range {
            let r = wb.worksheet_range(name).expect("sheet");
            for (_, _, v) in r.used_cells() {
                cells += 1;
                match v {
                    Data::String(s) => bytes += s.len(),
                    Data::Float(f) => sum += f,
                    Data::Int(n) => sum += *n as f64,
                    _ => {}
                }
            }
            continue;
        }
        let mut rd = wb.worksheet_cells_reader(name).expect("sheet");
        while let Some(cell) = rd.next_cell().expect("cell") {
            cells += 1;
            match cell.get_value() {
                DataRef::SharedString(s) => bytes += s.len(),
                DataRef::String(s) => bytes += s.len(),
                DataRef::Float(f) => sum += f,
                DataRef::Int(n) => sum += *n as f64,
                _ => {}
            }
        }
    }
    println!("{cells} cells, {bytes} bytes of text, numbers summing to {sum}");
}
