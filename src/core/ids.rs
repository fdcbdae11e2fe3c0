//! Typed ids for the pages of a site, and lists that can only be indexed by their own kind of
//! id. A topic, lesson or standalone page is named by its place in the site; the rendered
//! contents, the spoken texts and the recordings are kept in lists of the same order, so a
//! [`LessonId`] names the same lesson in all of them, and cannot be used on the list of topics.

use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

use rayon::iter::{FromParallelIterator, IndexedParallelIterator, IntoParallelIterator, ParallelIterator};

/// An id that is a place in a [`Table`].
pub trait Id: Copy {
    /// The id of the item at `index`.
    fn at(index: usize) -> Self;
    /// Its place in its table.
    fn index(self) -> usize;
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(usize);

        impl Id for $name {
            fn at(index: usize) -> Self {
                $name(index)
            }
            fn index(self) -> usize {
                self.0
            }
        }
    )*};
}

ids! {
    /// A topic: its place in `Site::topics`.
    TopicId;
    /// A lesson: its place in `Site::lessons`, in reading order.
    LessonId;
    /// A standalone page: its place in `Site::pages`, in footer order.
    PageId;
}

/// A list indexed by one kind of id only.
#[derive(Debug, Clone)]
pub struct Table<I, T> {
    items: Vec<T>,
    id: PhantomData<fn() -> I>,
}

impl<I: Id, T> Table<I, T> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }

    pub fn get_mut(&mut self, id: I) -> Option<&mut T> {
        self.items.get_mut(id.index())
    }

    /// Adds `item` at the end; its id.
    pub fn push(&mut self, item: T) -> I {
        self.items.push(item);
        I::at(self.items.len() - 1)
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + use<I, T> {
        (0..self.items.len()).map(I::at)
    }

    /// Every id, for work over all of them in parallel.
    pub fn par_ids(&self) -> impl IndexedParallelIterator<Item = I> + use<I, T>
    where
        I: Send,
    {
        (0..self.items.len()).into_par_iter().map(I::at)
    }

    /// Every item with its id, in order.
    pub fn enumerate(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator {
        self.items.iter().enumerate().map(|(i, item)| (I::at(i), item))
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }

    /// The items as a slice, in order: for work over all of them (in parallel, sorted).
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }
}

impl<I, T> Default for Table<I, T> {
    fn default() -> Self {
        Table { items: Vec::new(), id: PhantomData }
    }
}

impl<I, T> From<Vec<T>> for Table<I, T> {
    fn from(items: Vec<T>) -> Self {
        Table { items, id: PhantomData }
    }
}

impl<I, T> FromIterator<T> for Table<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(items: It) -> Self {
        Table::from(items.into_iter().collect::<Vec<T>>())
    }
}

impl<I, T: Send> FromParallelIterator<T> for Table<I, T> {
    fn from_par_iter<P: IntoParallelIterator<Item = T>>(items: P) -> Self {
        Table::from(items.into_par_iter().collect::<Vec<T>>())
    }
}

impl<I, T> IntoIterator for Table<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, I, T> IntoIterator for &'a Table<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<I: Id, T> Index<I> for Table<I, T> {
    type Output = T;
    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I: Id, T> IndexMut<I> for Table<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_indexed_by_its_own_ids_in_order() {
        let mut lessons: Table<LessonId, &str> = Table::default();
        let a = lessons.push("a");
        let b = lessons.push("b");
        assert_eq!((lessons[a], lessons[b]), ("a", "b"));
        assert_eq!(lessons.ids().collect::<Vec<_>>(), vec![a, b]);
        assert_eq!(lessons.enumerate().map(|(id, s)| (id, *s)).collect::<Vec<_>>(), vec![(a, "a"), (b, "b")]);
        assert_eq!(lessons.get(LessonId::at(2)), None);
    }
}
