//! The crate's shape: four layers (`core` < `assets` < `pipeline` < `app`), each module importing
//! only modules of its own layer or of layers below, and no import cycle between modules.
//!
//! `cargo test --test architecture -- --nocapture` prints the import graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LAYERS: [&str; 4] = ["core", "assets", "pipeline", "app"];

/// Module (`pipeline::render`) → the modules it names through `crate::…` paths.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    for layer in LAYERS {
        let dir = src.join(layer);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            if stem == "mod" {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let me = format!("{layer}::{stem}");
            let mut deps: BTreeSet<String> = references(&text);
            // A module's children (`pipeline/campaign/ics.rs` of `pipeline/campaign.rs`) are
            // part of it: their imports are the module's.
            for child in walk_rs(&dir.join(&stem)) {
                deps.extend(references(&std::fs::read_to_string(child).unwrap_or_default()));
            }
            deps.retain(|d| *d != me);
            graph.insert(me, deps);
        }
    }
    graph
}

/// Every `.rs` file under `dir`, at any depth; none when it does not exist.
fn walk_rs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk_rs(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Every `crate::<layer>::<module>` a file names, including grouped imports
/// (`use crate::pipeline::{config, load}`).
fn references(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let code: String =
        text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let layer: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !LAYERS.contains(&layer.as_str()) {
            continue;
        }
        let after = &rest[layer.len()..];
        let Some(after) = after.strip_prefix("::") else { continue };
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String =
                    item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.insert(format!("{layer}::{name}"));
                }
            }
        } else {
            let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.insert(format!("{layer}::{name}"));
            }
        }
    }
    out
}

fn layer_rank(module: &str) -> usize {
    let layer = module.split("::").next().unwrap_or_default();
    LAYERS.iter().position(|l| *l == layer).unwrap_or(usize::MAX)
}

/// A cycle in the graph, as a path that comes back to its start, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = stack[from..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Open);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, marks, stack) {
                return Some(c);
            }
        }
        stack.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if let Some(c) = visit(node, graph, &mut marks, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

#[test]
fn modules_import_only_downward_and_without_cycles() {
    let graph = import_graph();
    assert!(graph.len() > 15, "too few modules found: {graph:?}");
    for (module, deps) in &graph {
        println!("{module} → {}", deps.iter().cloned().collect::<Vec<_>>().join(", "));
    }
    let unknown: Vec<String> =
        graph.values().flatten().filter(|d| !graph.contains_key(*d)).cloned().collect();
    assert!(unknown.is_empty(), "imports of modules that do not exist: {unknown:?}");
    let upward: Vec<String> = graph
        .iter()
        .flat_map(|(m, deps)| {
            deps.iter().filter(|d| layer_rank(d) > layer_rank(m)).map(move |d| format!("{m} → {d}"))
        })
        .collect();
    assert!(upward.is_empty(), "imports from a layer above: {upward:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", cycle.join(" → "));
    }
    println!("{} modules, no upward import, no cycle", graph.len());
}

#[test]
fn the_checker_finds_cycles_and_grouped_imports() {
    let refs = references(
        "use crate::pipeline::{config, load};\nuse crate::core::paths::{self, X};\n// crate::app::cli",
    );
    assert_eq!(refs.into_iter().collect::<Vec<_>>(), ["core::paths", "pipeline::config", "pipeline::load"]);
    let mut g = BTreeMap::new();
    g.insert("app::a".to_owned(), BTreeSet::from(["app::b".to_owned()]));
    g.insert("app::b".to_owned(), BTreeSet::from(["app::a".to_owned()]));
    assert_eq!(find_cycle(&g), Some(vec!["app::a".into(), "app::b".into(), "app::a".into()]));
}
