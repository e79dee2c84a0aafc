//! Which figures changed since the results last shown: after a live update each figure that
//! differs from the one it replaces carries the class `changed` (a short highlight, see
//! `style/main.css`), so a reader sees what an edit moved. A server-rendered page has no
//! previous results and marks nothing; neither does a page without the planner's context.

use std::collections::HashMap;

use leptos::prelude::*;

/// The figures of the last results rendered and of the ones being rendered, by figure id
/// (an option's key and column, a card's title and label).
#[derive(Clone, Copy)]
pub struct Changes(StoredValue<Shown>);

#[derive(Default)]
struct Shown {
    previous: HashMap<String, String>,
    current: HashMap<String, String>,
}

impl Changes {
    /// Puts a tracker in the context of the page that shows live results.
    pub fn provide() {
        provide_context(Changes(StoredValue::new(Shown::default())));
    }

    /// Starts a new rendering of the results: what was shown becomes what it is compared with.
    pub fn begin() {
        if let Some(Changes(shown)) = use_context::<Changes>() {
            shown.update_value(|s| {
                s.previous = std::mem::take(&mut s.current);
            });
        }
    }

    /// Records `text` as figure `id` of this rendering; `" changed"` when the last rendering
    /// showed that figure with a different text, `""` otherwise (a figure new to the page, or
    /// the first rendering, is not a change).
    pub fn mark(id: String, text: &str) -> &'static str {
        let Some(Changes(shown)) = use_context::<Changes>() else {
            return "";
        };
        let mut changed = false;
        shown.update_value(|s| {
            changed = s.previous.get(&id).is_some_and(|before| before != text);
            s.current.insert(id, text.to_string());
        });
        if changed {
            " changed"
        } else {
            ""
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_changed_only_against_the_rendering_just_before() {
        Owner::new().with(|| {
            // No tracker (a saved page, a report): nothing is ever marked.
            Changes::begin();
            assert_eq!(Changes::mark("a".into(), "1"), "");
            Changes::provide();
            Changes::begin();
            assert_eq!(Changes::mark("a".into(), "1"), "", "the first rendering");
            Changes::begin();
            assert_eq!(Changes::mark("a".into(), "2"), " changed");
            assert_eq!(Changes::mark("b".into(), "9"), "", "new to the page");
            Changes::begin();
            assert_eq!(Changes::mark("a".into(), "2"), "", "the same again");
            Changes::begin();
            Changes::begin();
            assert_eq!(
                Changes::mark("b".into(), "8"),
                "",
                "absent from the rendering before"
            );
        });
    }
}
