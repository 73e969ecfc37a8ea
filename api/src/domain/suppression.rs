//! Small-number suppression for the strategic report (`docs/product.md`): a count from 1 to
//! 4 is withheld so that no child can be singled out, and a withheld cell of a
//! breakdown cannot be recovered by subtracting the others from the total.

/// A count as published: `None` when withheld.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    /// The count, unless withheld.
    pub value: Option<u64>,
}

impl Published {
    /// Whether the count is withheld.
    pub fn suppressed(self) -> bool {
        self.value.is_none()
    }
}

/// Whether a count must be withheld on its own.
pub fn too_small(count: u64) -> bool {
    (1..=4).contains(&count)
}

/// One count on its own.
pub fn count(value: u64) -> Published {
    Published {
        value: (!too_small(value)).then_some(value),
    }
}

/// A total and its breakdown, suppressed together: small cells are withheld; if exactly
/// one cell is withheld while the total is shown, the smallest other non-zero cell (or
/// else another cell) is withheld too; if the total is small, everything is withheld.
pub fn breakdown(cells: &[u64]) -> (Published, Vec<Published>) {
    let total: u64 = cells.iter().sum();
    if too_small(total) {
        return (
            Published { value: None },
            cells.iter().map(|_| Published { value: None }).collect(),
        );
    }
    let mut hidden: Vec<bool> = cells.iter().map(|c| too_small(*c)).collect();
    if hidden.iter().filter(|h| **h).count() == 1 {
        let complement = (0..cells.len())
            .filter(|i| !hidden[*i])
            .min_by_key(|i| (cells[*i] == 0, cells[*i]));
        if let Some(i) = complement {
            hidden[i] = true;
        }
    }
    let published = cells
        .iter()
        .zip(hidden)
        .map(|(c, h)| Published {
            value: (!h).then_some(*c),
        })
        .collect();
    (count(total), published)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn values(cells: &[Published]) -> Vec<Option<u64>> {
        cells.iter().map(|c| c.value).collect()
    }

    #[test]
    fn counts_from_one_to_four_are_withheld() {
        assert_eq!(count(0).value, Some(0));
        for n in 1..=4 {
            assert!(count(n).suppressed());
        }
        assert_eq!(count(5).value, Some(5));
    }

    #[test]
    fn a_lone_small_cell_takes_the_smallest_other_cell_with_it() {
        let (total, cells) = breakdown(&[3, 10, 7]);
        assert_eq!(total.value, Some(20));
        assert_eq!(values(&cells), vec![None, Some(10), None]);
    }

    #[test]
    fn two_small_cells_need_no_complement() {
        let (_, cells) = breakdown(&[3, 2, 20]);
        assert_eq!(values(&cells), vec![None, None, Some(20)]);
    }

    #[test]
    fn a_small_total_withholds_everything_and_zeros_stay_visible_otherwise() {
        let (total, cells) = breakdown(&[1, 2, 0]);
        assert!(total.suppressed());
        assert!(cells.iter().all(|c| c.suppressed()));
        let (total, cells) = breakdown(&[0, 12, 0]);
        assert_eq!(total.value, Some(12));
        assert_eq!(values(&cells), vec![Some(0), Some(12), Some(0)]);
    }

    #[test]
    fn zero_cells_are_the_complement_only_when_nothing_else_is_left() {
        let (_, cells) = breakdown(&[2, 0, 9]);
        assert_eq!(values(&cells), vec![None, Some(0), None]);
        let (_, cells) = breakdown(&[2, 0, 0, 9, 8]);
        assert_eq!(values(&cells), vec![None, Some(0), Some(0), Some(9), None]);
    }

    proptest! {
        #[test]
        fn no_withheld_cell_can_be_recovered_from_the_total(cells in prop::collection::vec(0u64..30, 1..8)) {
            let (total, published) = breakdown(&cells);
            let hidden = published.iter().filter(|c| c.suppressed()).count();
            if total.value.is_some() {
                // Never exactly one unknown in "total = sum of cells".
                prop_assert_ne!(hidden, 1);
            }
            for (cell, p) in cells.iter().zip(&published) {
                prop_assert!(!too_small(*cell) || p.suppressed(), "small cells are always withheld");
                if let Some(v) = p.value {
                    prop_assert_eq!(v, *cell);
                }
            }
        }
    }
}
