/// The lists an entry belongs to. Nearly every entry is in one list, so that
/// case takes no allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ListIds {
    One(u32),
    Many(Vec<u32>),
}

impl ListIds {
    pub(crate) fn add(&mut self, id: u32) {
        match self {
            Self::One(first) if *first != id => *self = Self::Many(vec![*first, id]),
            Self::Many(ids) if !ids.contains(&id) => ids.push(id),
            _ => {}
        }
    }

    pub(crate) fn as_slice(&self) -> &[u32] {
        match self {
            Self::One(id) => std::slice::from_ref(id),
            Self::Many(ids) => ids,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_without_duplicates() {
        let mut ids = ListIds::One(3);
        ids.add(3);
        assert_eq!(ids.as_slice(), [3]);
        ids.add(5);
        ids.add(3);
        ids.add(7);
        assert_eq!(ids.as_slice(), [3, 5, 7]);
    }
}
