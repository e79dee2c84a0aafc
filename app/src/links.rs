//! Every URL the app builds, in one place: the planner for a query, a saved scenario's share
//! and owner links, its actions and reports, the unsaved scenario's reports, the details page
//! and compare. Queries are passed already encoded (`crate::qs`).

/// The planner page for a scenario's query.
pub fn planner(query: &str) -> String {
    if query.is_empty() {
        "/".to_string()
    } else {
        format!("/?{query}")
    }
}

/// The share link of a saved scenario: anyone holding it may look, not change.
pub fn saved(id: &str) -> String {
    format!("/s/{id}")
}

/// The scenario id in what a user pasted: a share link (absolute or not, with or without its
/// query) or the id itself.
pub fn saved_id_of(pasted: &str) -> &str {
    let s = pasted.trim();
    let s = s.split(['?', '#']).next().unwrap_or(s);
    let s = s.trim_end_matches('/');
    match s.rfind("/s/") {
        Some(i) => &s[i + 3..],
        None => s,
    }
}

/// The owner link: the share link plus the private token that renames and deletes.
pub fn saved_owner(id: &str, token: &str) -> String {
    format!("/s/{id}?owner={token}")
}

/// Where a save lands: the share page marked as just saved. The owner token is in this
/// browser's cookie, never in the address bar; the page shows the owner link once, to copy.
pub fn saved_new(id: &str) -> String {
    format!("/s/{id}?new=1")
}

/// A form action on a saved scenario (`rename`, `delete`).
pub fn saved_action(id: &str, action: &str) -> String {
    format!("/s/{id}/{action}")
}

/// A report or chart of a saved scenario (`report.csv`, `report.json`, `report.md`, `report`,
/// `cost.svg`, `memory.svg`).
pub fn saved_file(id: &str, file: &str) -> String {
    format!("/s/{id}/{file}")
}

/// A report of the unsaved scenario of a query (`report.csv`, `report.json`, `report.md`,
/// `report.html`).
pub fn report(file: &str, query: &str) -> String {
    format!("/{file}?{query}")
}

/// The catalog page with a query (sorting, filters), at one table.
pub fn catalog(query: &str, table: &str) -> String {
    format!("/catalog?{query}#{table}")
}

/// The details page of one option of the query's scenario (the query carries `key=`).
pub fn details(query: &str) -> String {
    format!("/details?{query}")
}

/// The details page of an option of a saved scenario (`key=` is added by the caller's query).
pub fn saved_details(id: &str) -> String {
    format!("/details?s={id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_the_routes_the_server_serves() {
        assert_eq!(planner(""), "/");
        assert_eq!(planner("models=a"), "/?models=a");
        assert_eq!(saved("X1"), "/s/X1");
        assert_eq!(saved_owner("X1", "t"), "/s/X1?owner=t");
        assert_eq!(saved_new("X1"), "/s/X1?new=1");
        assert_eq!(saved_action("X1", "delete"), "/s/X1/delete");
        assert_eq!(saved_file("X1", "report.md"), "/s/X1/report.md");
        assert_eq!(report("report.csv", "a=1"), "/report.csv?a=1");
        assert_eq!(details("key=k&a=1"), "/details?key=k&a=1");
        assert_eq!(saved_details("X1"), "/details?s=X1");
        assert_eq!(
            catalog("sort=gpus%3A3", "gpus"),
            "/catalog?sort=gpus%3A3#gpus"
        );
    }

    #[test]
    fn a_pasted_share_link_gives_its_id() {
        for pasted in [
            "AbC123",
            " AbC123 ",
            "/s/AbC123",
            "https://planner.example/s/AbC123",
            "https://planner.example/s/AbC123/",
            "http://127.0.0.1:3000/s/AbC123?owner=t&new=1",
            "https://planner.example/s/AbC123#results",
        ] {
            assert_eq!(saved_id_of(pasted), "AbC123", "{pasted}");
        }
        // Anything else is passed on as an id, to be found or not.
        assert_eq!(
            saved_id_of("https://planner.example/"),
            "https://planner.example"
        );
    }
}
