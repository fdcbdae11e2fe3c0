//! The shared context with one page's own context laid over it, for one render.
//!
//! Copying the shared context (site, every UI string, menus, asset addresses) for each page
//! was a tenth of the time spent in templates; instead a few copies are reused: a page's keys
//! are added, and after rendering removed again (and any shared value they hid put back), so
//! the next page sees the shared context exactly as it was.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use tera::Context;

/// A copy of the shared context lent to one page.
pub(super) struct Scratch<'s> {
    base: &'s Context,
    pool: &'s Mutex<Vec<Context>>,
    /// Shared keys written into the templates: a page must not hide them.
    folded: &'s HashSet<String>,
    context: Context,
    /// The keys the page added.
    laid: Vec<String>,
}

impl<'s> Scratch<'s> {
    /// A free copy of `base` from `pool`, or a new one.
    pub(super) fn take(
        base: &'s Context,
        pool: &'s Mutex<Vec<Context>>,
        folded: &'s HashSet<String>,
    ) -> Scratch<'s> {
        let free = pool.lock().unwrap_or_else(PoisonError::into_inner).pop();
        Scratch { base, pool, folded, context: free.unwrap_or_else(|| base.clone()), laid: Vec::new() }
    }

    /// Adds the page's own context (a JSON object) over the shared one.
    pub(super) fn lay(&mut self, own: serde_json::Value) -> tera::Result<()> {
        if let serde_json::Value::Object(map) = &own {
            if let Some(key) = map.keys().find(|k| self.folded.contains(*k)) {
                // The templates already print the shared value: this page's would not show.
                return Err(tera::Error::msg(format!("a page's own `{key}` hides the shared one")));
            }
            self.laid = map.keys().cloned().collect();
        }
        self.context.extend(Context::from_value(own)?);
        Ok(())
    }

    /// The shared context with the page's own over it.
    pub(super) fn context(&self) -> &Context {
        &self.context
    }

    /// Takes the page's keys out again and returns the copy for the next page.
    pub(super) fn give_back(mut self) {
        for key in std::mem::take(&mut self.laid) {
            self.context.remove(&key);
            if let Some(hidden) = self.base.get(&key) {
                self.context.insert(key, hidden);
            }
        }
        self.pool.lock().unwrap_or_else(PoisonError::into_inner).push(self.context);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_context_is_the_shared_one_again_after_each_page() {
        let mut base = Context::new();
        base.insert("t", &serde_json::json!({"hello": "Xin chào"}));
        base.insert("current_url", "");
        let pool = Mutex::new(Vec::new());
        let folded = HashSet::from(["t".to_owned()]);
        let mut first = Scratch::take(&base, &pool, &folded);
        let own = serde_json::json!({"current_url": "/a/", "leaflet": {"paper": "a4"}});
        assert!(first.lay(own).is_ok());
        assert_eq!(first.context.get("current_url"), Some(&serde_json::json!("/a/")));
        assert!(first.context.get("leaflet").is_some());
        first.give_back();
        // The next page gets the same copy back, with the first page's keys gone or restored.
        let second = Scratch::take(&base, &pool, &folded);
        assert!(pool.lock().map(|p| p.is_empty()).unwrap_or(false), "the copy was reused");
        assert_eq!(second.context.clone().into_json(), base.clone().into_json());
        let mut second = second;
        assert!(second.lay(serde_json::json!({"t": {}})).is_err(), "a page may not hide a folded key");
        second.give_back();
    }
}
