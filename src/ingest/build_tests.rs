//! The builders' columns finished into Arrow arrays.

use super::*;
use arrow_array::Array;

#[test]
fn text_keeps_nulls_empties_and_order() {
    let mut t = Texts::default();
    for v in [Some("01"), None, Some(""), Some("Hà Nội"), None] {
        t.push(v);
    }
    let got: Vec<_> = (0..5).map(|i| t.get(i)).collect();
    assert_eq!(got, [Some("01"), None, Some(""), Some("Hà Nội"), None]);
    let col = Col::Str(t).finish(&[3, 1, 0, 2]);
    let s = col.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(s.value(0), "Hà Nội");
    assert!(s.is_null(1));
    assert_eq!((s.value(2), s.is_valid(3), s.value(3)), ("01", true, ""));
}

#[test]
fn numbers_and_yes_no_are_gathered_in_order_with_their_gaps() {
    let ints = vec![Some(3), None, Some(-1), Some(0)];
    let floats = vec![None, Some(2.5), Some(0.0), None];
    let bools = vec![Some(true), Some(false), None, Some(true)];
    for order in [
        vec![0, 1, 2, 3],
        vec![3, 1, 0],
        vec![2, 2],
        vec![0, 3],
        vec![],
    ] {
        let want: Int64Array = order.iter().map(|&i| ints[i]).collect();
        let got = Col::Int(ints.clone()).finish(&order);
        assert_eq!(got.to_data(), want.to_data());
        let want: Float64Array = order.iter().map(|&i| floats[i]).collect();
        let got = Col::Float(floats.clone()).finish(&order);
        assert_eq!(got.to_data(), want.to_data());
        let want: BooleanArray = order.iter().map(|&i| bools[i]).collect();
        let got = Col::Bool(bools.clone()).finish(&order);
        assert_eq!(got.to_data(), want.to_data(), "{order:?}");
    }
    let codes = vec![Some("rural"), None, Some("urban"), Some("")];
    for order in [
        vec![0, 1, 2, 3],
        vec![3, 1, 0],
        vec![2, 2],
        vec![0, 2],
        vec![],
    ] {
        let want = strings(order.iter().map(|&i| codes[i]));
        let got = Col::Code(&[], codes.clone()).finish(&order);
        assert_eq!(got.to_data(), want.to_data(), "{order:?}");
    }
    // No gap in the rows taken: no validity buffer at all.
    assert!(Col::Int(ints).finish(&[0, 2]).nulls().is_none());
}

#[test]
fn text_in_its_own_order_is_the_text_gathered() {
    let mut t = Texts::default();
    for v in [Some("01"), None, Some(""), Some("Hà Nội"), None, Some("x")] {
        t.push(v);
    }
    let all: Vec<usize> = (0..6).collect();
    let own = t.finish(&all);
    assert_eq!(own, strings(all.iter().map(|&i| t.get(i))));
    assert_eq!(own.null_count(), 2);
    let mut plain = Texts::default();
    plain.push(Some("a"));
    plain.push(Some(""));
    let own = plain.finish(&[0, 1]);
    assert_eq!((own.value(0), own.value(1), own.nulls()), ("a", "", None));
    assert_eq!(t.finish(&[]).len(), 0);
}
