//! Writes the values every page shares straight into the templates before rendering.
//!
//! A lesson page prints about a hundred values that are the same on every page of a build: UI
//! strings (`{{ t.next_lesson }}`), the site's name and phone number (`{{ site.title }}`),
//! addresses of assets and site pages (`{{ assets["css/hocso.css"] }}`, `{{ urls.search }}`).
//! Tera looks each one up again on every page, and a lookup is dear (it copies the path's parts
//! into new strings twice); those lookups were a twelfth of a cold build. So before rendering,
//! each such `{{ … }}` becomes the text it prints, once per build.
//!
//! Only where that cannot change what a page shows:
//! - the expression is a bare variable, no filter, no test, whose first part (`t`, `site`,
//!   `assets`…) is a key of the shared context and whose brackets hold only quoted names;
//! - no template binds that first part to anything else: no `{% set %}` or `{% for %}` of that
//!   name, and a macro with a parameter of that name is only ever called with the variable
//!   itself (`t=t`), so inside it the name still means the shared value;
//! - the value is a string that HTML escaping leaves as it is, so the text is the same whether
//!   the page is escaped or not;
//! - no page's own context has a key of that name: [`super::scratch::Scratch`] refuses one.
//!
//! Each value is found the way Tera's own lookup finds it (see `value_text`); tests render
//! templates with and without folding and compare, and the 10,000-lesson benchmark site came
//! out byte for byte the same.
//!
//! This works on Tera's parsed templates (`Tera::templates`, public but hidden from its docs;
//! Tera 1 is pinned in Cargo.lock and in maintenance). A Tera that changed them would most
//! likely fail to compile here; one that changed how it looks names up would fail the tests
//! below, which compare with its own rendering.

use std::collections::{HashMap, HashSet};

use tera::ast::{Expr, ExprVal, Node};
use tera::{Context, Tera};

/// `tera` with every shared value that can be written in, written in; and the names of the
/// shared keys that were (a page's own context must not hide them).
pub(super) fn fold_shared(tera: &Tera, shared: &Context) -> (Tera, HashSet<String>) {
    let mut tera = tera.clone();
    let mut bound = HashSet::new();
    for template in tera.templates.values() {
        let mut nodes: Vec<&[Node]> = vec![&template.ast];
        nodes.extend(template.macros.values().map(|m| m.body.as_slice()));
        for macro_def in template.macros.values() {
            for (name, default) in &macro_def.args {
                if default.as_ref().is_some_and(|d| !is_variable(d, name)) {
                    bound.insert(name.clone());
                }
            }
        }
        for body in nodes {
            bindings(body, &mut bound);
        }
    }
    let foldable = |root: &str| !bound.contains(root) && shared.contains_key(root);
    let mut values: HashMap<String, Option<String>> = HashMap::new();
    let mut folded = HashSet::new();
    for_each_body(&mut tera, |nodes| {
        fold_nodes(nodes, &foldable, &mut |ident| {
            let text = values.entry(ident.to_owned()).or_insert_with(|| value_text(ident, shared)).clone()?;
            folded.insert(root(ident).to_owned());
            Some(text)
        });
    });
    (tera, folded)
}

/// Calls `f` on every list of nodes a template renders from: its own, its macros' and its
/// blocks' (Tera keeps copies of those apart from the template's tree).
fn for_each_body(tera: &mut Tera, mut f: impl FnMut(&mut [Node])) {
    for template in tera.templates.values_mut() {
        f(&mut template.ast);
        for m in template.macros.values_mut() {
            f(&mut m.body);
        }
        for block in template.blocks.values_mut() {
            f(&mut block.body);
        }
        for definitions in template.blocks_definitions.values_mut() {
            for (_, block) in definitions {
                f(&mut block.body);
            }
        }
    }
}

/// Whether `expr` is just the variable `name`, as in a macro call's `t=t`.
fn is_variable(expr: &Expr, name: &str) -> bool {
    !expr.negated && expr.filters.is_empty() && matches!(&expr.val, ExprVal::Ident(i) if i == name)
}

/// Names that `nodes` give another meaning: `{% set %}`, `{% for %}` variables, and macro
/// parameters passed anything but the same-named variable.
fn bindings(nodes: &[Node], bound: &mut HashSet<String>) {
    for node in nodes {
        match node {
            Node::Set(_, set) => {
                bound.insert(set.key.clone());
                expr_bindings(&set.value, bound);
            }
            Node::Forloop(_, forloop, _) => {
                bound.insert(forloop.value.clone());
                bound.extend(forloop.key.clone());
                expr_bindings(&forloop.container, bound);
                bindings(&forloop.body, bound);
                if let Some(empty) = &forloop.empty_body {
                    bindings(empty, bound);
                }
            }
            Node::VariableBlock(_, expr) => expr_bindings(expr, bound),
            Node::MacroDefinition(_, def, _) => bindings(&def.body, bound),
            Node::FilterSection(_, section, _) => {
                section.filter.args.values().for_each(|e| expr_bindings(e, bound));
                bindings(&section.body, bound);
            }
            Node::Block(_, block, _) => bindings(&block.body, bound),
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    expr_bindings(condition, bound);
                    bindings(body, bound);
                }
                if let Some((_, body)) = &branches.otherwise {
                    bindings(body, bound);
                }
            }
            Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::Include(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

/// Macro calls inside `expr` whose arguments rebind a parameter's name.
fn expr_bindings(expr: &Expr, bound: &mut HashSet<String>) {
    for filter in &expr.filters {
        filter.args.values().for_each(|e| expr_bindings(e, bound));
    }
    match &expr.val {
        ExprVal::MacroCall(call) => {
            for (name, arg) in &call.args {
                if !is_variable(arg, name) {
                    bound.insert(name.clone());
                }
                expr_bindings(arg, bound);
            }
        }
        ExprVal::FunctionCall(call) => call.args.values().for_each(|e| expr_bindings(e, bound)),
        ExprVal::Math(m) => {
            expr_bindings(&m.lhs, bound);
            expr_bindings(&m.rhs, bound);
        }
        ExprVal::Logic(l) => {
            expr_bindings(&l.lhs, bound);
            expr_bindings(&l.rhs, bound);
        }
        ExprVal::In(i) => {
            expr_bindings(&i.lhs, bound);
            expr_bindings(&i.rhs, bound);
        }
        ExprVal::Test(t) => t.args.iter().for_each(|e| expr_bindings(e, bound)),
        ExprVal::Array(items) => items.iter().for_each(|e| expr_bindings(e, bound)),
        ExprVal::StringConcat(_)
        | ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
    }
}

/// Replaces, in `nodes` and everything inside them, each `{{ variable }}` that may be folded
/// by the text `text_of` gives for it (None: left as it is).
fn fold_nodes(
    nodes: &mut [Node],
    foldable: &impl Fn(&str) -> bool,
    text_of: &mut impl FnMut(&str) -> Option<String>,
) {
    for node in nodes.iter_mut() {
        match node {
            Node::VariableBlock(_, expr) => {
                let ExprVal::Ident(ident) = &expr.val else { continue };
                if expr.negated || !expr.filters.is_empty() {
                    continue;
                }
                if !foldable(root(ident)) || !plain_path(ident) {
                    continue;
                }
                if let Some(text) = text_of(ident) {
                    *node = Node::Text(text);
                }
            }
            Node::MacroDefinition(_, def, _) => fold_nodes(&mut def.body, foldable, text_of),
            Node::FilterSection(_, section, _) => fold_nodes(&mut section.body, foldable, text_of),
            Node::Block(_, block, _) => fold_nodes(&mut block.body, foldable, text_of),
            Node::Forloop(_, forloop, _) => {
                fold_nodes(&mut forloop.body, foldable, text_of);
                if let Some(empty) = &mut forloop.empty_body {
                    fold_nodes(empty, foldable, text_of);
                }
            }
            Node::If(branches, _) => {
                for (_, _, body) in &mut branches.conditions {
                    fold_nodes(body, foldable, text_of);
                }
                if let Some((_, body)) = &mut branches.otherwise {
                    fold_nodes(body, foldable, text_of);
                }
            }
            _ => {}
        }
    }
}

/// The variable a path starts from: `site` in `site.contact.phone`, `assets` in `assets["…"]`.
fn root(ident: &str) -> &str {
    &ident[..ident.find(['.', '[']).unwrap_or(ident.len())]
}

/// A path of names (`site.contact.phone`), where brackets hold only a quoted name
/// (`assets["css/hocso.css"]`), never a variable whose meaning could change inside a loop.
fn plain_path(ident: &str) -> bool {
    let mut rest = ident;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else { return false };
        let inside = &after[..close];
        let quoted = inside.len() >= 2
            && ((inside.starts_with('"') && inside.ends_with('"'))
                || (inside.starts_with('\'') && inside.ends_with('\'')));
        if !quoted || inside[1..inside.len() - 1].contains(['"', '\'', '[', ']']) {
            return false;
        }
        rest = &after[close + 1..];
    }
    true
}

/// What Tera prints for `{{ ident }}` over the shared context, where that is a string escaping
/// leaves unchanged; None for anything else (a number or a list prints as Tera formats it; an
/// undefined variable is for the page to report).
///
/// Found the way Tera finds it: the root in the context, then a dotted path through
/// [`tera::dotted_pointer`], Tera's own; a bracketed name (`assets["css/hocso.css"]`) is the
/// key it names, as Tera's lookup makes of it (which is why a name with `~`, which Tera reads
/// as an escape, is left alone).
fn value_text(ident: &str, shared: &Context) -> Option<String> {
    let name = root(ident);
    let mut value = shared.get(name)?;
    let mut rest = &ident[name.len()..];
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']')?;
            let name = &after[1..close.checked_sub(1)?];
            if name.contains('~') {
                return None;
            }
            value = value.as_object()?.get(name)?;
            rest = &after[close + 1..];
        } else {
            let path = rest.strip_prefix('.')?;
            let end = path.find('[').unwrap_or(path.len());
            value = tera::dotted_pointer(value, &path[..end])?;
            rest = &path[end..];
        }
    }
    let text = value.as_str()?;
    (crate::core::html::escape(text) == text).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> Context {
        let mut c = Context::new();
        c.insert("t", &serde_json::json!({"next": "Bài sau", "quote": "a \"b\"", "n": 3}));
        c.insert("site", &serde_json::json!({"title": "Học số", "contact": {"phone": "0912 345 678"}}));
        c.insert("assets", &serde_json::json!({"css/hocso.css": "/css/hocso.1a2b.css"}));
        c.insert("name", "Chung");
        c.insert("list", &["a", "b"]);
        c
    }

    /// Renders `name` from `templates` with and without folding, over the shared context plus
    /// `own`; both must give the same text. Returns it and the roots folded.
    fn both(templates: &[(&str, &str)], name: &str, own: serde_json::Value) -> (String, HashSet<String>) {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(crate::core::html::escape);
        assert!(tera.add_raw_templates(templates.to_vec()).is_ok());
        let base = shared();
        let (folded_tera, folded) = fold_shared(&tera, &base);
        let mut ctx = base.clone();
        ctx.extend(Context::from_value(own).unwrap_or_default());
        let plain = tera.render(name, &ctx).map_err(|e| e.to_string());
        let fast = folded_tera.render(name, &ctx).map_err(|e| e.to_string());
        assert_eq!(plain, fast, "folding changed the page");
        (plain.unwrap_or_default(), folded)
    }

    #[test]
    fn shared_strings_are_written_in_and_print_the_same() {
        let (page, folded) = both(
            &[(
                "p.html",
                r#"{{ t.next }} {{ site.contact.phone }} {{ assets["css/hocso.css"] }} {{ t.quote }} {{ t.n }} {{ own }} {{ list.1 }} {{ site["contact"].phone }} {{ assets['css/hocso.css'] }}"#,
            )],
            "p.html",
            serde_json::json!({"own": "x<y"}),
        );
        assert_eq!(
            page,
            "Bài sau 0912 345 678 /css/hocso.1a2b.css a &quot;b&quot; 3 x&lt;y b 0912 345 678 /css/hocso.1a2b.css"
        );
        let expected: HashSet<String> = ["t", "site", "assets", "list"].map(String::from).into();
        assert_eq!(folded, expected);
    }

    #[test]
    fn a_name_given_another_meaning_is_left_to_tera() {
        let cases: &[&[(&str, &str)]] = &[
            &[("p.html", "{% set t = own %}{{ t.next }}")],
            &[("p.html", "{% for t in [own] %}{{ t.next }}{% endfor %}{{ t.next }}")],
            &[("p.html", "{% for k, site in sites %}{{ site.title }}{% endfor %}{{ site.title }}")],
            &[
                ("m.html", "{% macro say(t) %}{{ t.next }}{% endmacro say %}"),
                ("p.html", r#"{% import "m.html" as m %}{{ m::say(t=own) }}{{ t.next }}"#),
            ],
            &[
                ("m.html", r#"{% macro say(name="riêng") %}{{ name }}{% endmacro say %}"#),
                ("p.html", r#"{% import "m.html" as m %}{{ m::say() }}"#),
            ],
        ];
        for templates in cases {
            let own = serde_json::json!({"own": {"next": "riêng"}, "sites": {"a": {"title": "riêng"}}});
            let (page, folded) = both(templates, "p.html", own);
            assert!(page.contains("riêng"), "{page}");
            assert!(folded.is_empty(), "{templates:?}: {folded:?}");
        }
    }

    #[test]
    fn macros_passed_the_shared_value_and_blocks_are_folded() {
        let (page, folded) = both(
            &[
                ("m.html", "{% macro say(t) %}[{{ t.next }}]{% endmacro say %}"),
                ("base.html", "<b>{% block main %}{% endblock main %}</b>{{ site.title }}"),
                (
                    "p.html",
                    r#"{% extends "base.html" %}{% import "m.html" as m %}{% block main %}{{ m::say(t=t) }}{% for x in [1] %}{{ t.next }}{% endfor %}{% endblock main %}"#,
                ),
            ],
            "p.html",
            serde_json::json!({}),
        );
        assert_eq!(page, "<b>[Bài sau]Bài sau</b>Học số");
        assert!(folded.contains("t") && folded.contains("site"), "{folded:?}");
    }
}
