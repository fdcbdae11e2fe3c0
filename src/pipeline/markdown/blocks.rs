//! Blocks written as our readers need them: GFM alerts as callouts whose kind is said in words,
//! ordered lists as numbered steps, tables with scoped headers in a keyboard-reachable region,
//! task markers as text, and self-check questions as their HTML (printed after the lesson).

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::{Ctx, Item, Piece, Rendered};
use crate::assets::theme::Labels;
use crate::core::html;
use crate::pipeline::quiz;

/// Callouts, numbered steps, tables and task markers, written as our readers need them (see
/// the module's documentation).
pub(super) fn blocks(labels: &Labels, items: &mut [Item<'_>]) {
    let mut in_table_head = false;
    for item in items.iter_mut() {
        let Piece::Event(event) = &item.piece else { continue };
        let html: CowStr<'_> = match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => callout_open(labels, *kind).into(),
            Event::End(TagEnd::BlockQuote(Some(_))) => "</div>\n".into(),
            Event::Start(Tag::List(Some(1))) => "<ol class=\"steps\">\n".into(),
            Event::Start(Tag::List(Some(start))) => {
                format!("<ol class=\"steps\" start=\"{start}\">\n").into()
            }
            Event::End(TagEnd::List(true)) => "</ol>\n".into(),
            Event::Start(Tag::Table(_)) => format!(
                "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n<table>\n",
                html::escape(&labels.table)
            )
            .into(),
            Event::End(TagEnd::Table) => "</tbody>\n</table>\n</div>\n".into(),
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                "<thead>\n<tr>".into()
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                "</tr>\n</thead>\n<tbody>\n".into()
            }
            Event::Start(Tag::TableRow) => "<tr>".into(),
            Event::End(TagEnd::TableRow) => "</tr>\n".into(),
            Event::Start(Tag::TableCell) => if in_table_head { "<th scope=\"col\">" } else { "<td>" }.into(),
            Event::End(TagEnd::TableCell) => if in_table_head { "</th>" } else { "</td>" }.into(),
            Event::TaskListMarker(done) => {
                let (symbol, words) = if *done { ("☑", &labels.done) } else { ("☐", &labels.not_done) };
                format!(
                    "<span class=\"task\" aria-hidden=\"true\">{symbol}</span><span class=\"visually-hidden\">{}</span> ",
                    html::escape(words)
                )
                .into()
            }
            _ => continue,
        };
        item.piece = Piece::Html(html);
    }
}

/// The opening of a callout: its kind said in words and by a symbol, not only by colour. The
/// symbols are ones every system font has: ✋ printed as an empty box on a Linux machine without
/// emoji fonts. The word says the kind in any case; the symbol only helps the eye.
fn callout_open(labels: &Labels, kind: BlockQuoteKind) -> String {
    let (class, label, symbol) = match kind {
        BlockQuoteKind::Note => ("note", &labels.note, "ℹ"),
        BlockQuoteKind::Tip => ("tip", &labels.tip, "✓"),
        BlockQuoteKind::Important => ("important", &labels.important, "!"),
        BlockQuoteKind::Warning => ("warning", &labels.warning, "⚠"),
        BlockQuoteKind::Caution => ("caution", &labels.caution, "‼"),
    };
    format!(
        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-label\"><span class=\"callout-icon\" aria-hidden=\"true\">{symbol}</span> {}</p>\n",
        html::escape(label)
    )
}

/// Self-check question blocks (```` ```cau-hoi ````, see [`quiz`]) become the question's HTML in
/// place; the leaflet prints them after the lesson instead, so in place they are left out of
/// print. Returns the questions the leaflet prints (not those of a section print leaves out).
pub(super) fn quizzes(ctx: &Ctx<'_>, items: &mut [Item<'_>], result: &mut Rendered) -> Vec<quiz::Quiz> {
    let mut printed = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for i in 0..items.len() {
        let Piece::Event(event) = &items[i].piece else { continue };
        match (&mut open, event) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))))
                if info.trim() == quiz::FENCE =>
            {
                open = Some((i, String::new()));
            }
            (Some((_, text)), Event::Text(t)) => text.push_str(t),
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                let Some((start, text)) = open.take() else { continue };
                let (fence_line, _) = ctx.lines.at(items[start].at);
                let html = match quiz::parse(ctx.page.path, &text, fence_line + 1) {
                    Ok(q) => {
                        let html = quiz::web_html(&q, ctx.env.labels);
                        if !items[start].left_out {
                            printed.push(q);
                        }
                        html
                    }
                    Err(problems) => {
                        result.diagnostics.extend(problems);
                        String::new()
                    }
                };
                items[start].piece = Piece::Html(html.into());
                for item in &mut items[start..=i] {
                    item.left_out = true;
                }
                for item in &mut items[start + 1..=i] {
                    item.piece = Piece::Html(CowStr::Borrowed(""));
                }
            }
            _ => {}
        }
    }
    printed
}

#[cfg(test)]
mod tests {
    use crate::pipeline::markdown::testing::render_md;

    #[test]
    fn every_alert_kind_is_labelled_in_words() {
        for (kind, class, word) in [
            ("NOTE", "note", "Lưu ý"),
            ("TIP", "tip", "Mẹo"),
            ("IMPORTANT", "important", "Quan trọng"),
            ("WARNING", "warning", "Cảnh báo lừa đảo"),
            ("CAUTION", "caution", "Cẩn thận"),
        ] {
            let html = render_md(&format!("> [!{kind}]\n> Nội dung.\n")).html;
            assert!(
                html.contains(&format!("<div class=\"callout callout-{class}\" role=\"note\">")),
                "{html}"
            );
            assert!(html.contains(&format!("</span> {word}</p>")), "{html}");
            assert!(html.contains("<p>Nội dung.</p>\n</div>"), "{html}");
        }
        // A plain quote stays a quote.
        assert!(render_md("> Trích dẫn\n").html.contains("<blockquote>"));
    }

    #[test]
    fn ordered_lists_are_steps_and_keep_their_start() {
        let html = render_md("1. Mở\n2. Bấm\n\nChữ\n\n3. Tiếp\n").html;
        assert!(html.contains("<ol class=\"steps\">\n<li>Mở</li>"), "{html}");
        assert!(html.contains("<ol class=\"steps\" start=\"3\">"), "{html}");
        assert!(render_md("- a\n- b\n").html.contains("<ul>"));
    }

    #[test]
    fn tables_get_scoped_headers_in_a_focusable_region() {
        let html = render_md("| A | B |\n|---|---|\n| 1 | 2 |\n").html;
        assert!(html.contains("role=\"region\" tabindex=\"0\" aria-label=\"Bảng\""), "{html}");
        assert!(
            html.contains("<thead>\n<tr><th scope=\"col\">A</th><th scope=\"col\">B</th></tr>\n</thead>"),
            "{html}"
        );
        assert!(html.contains("<tbody>\n<tr><td>1</td><td>2</td></tr>\n</tbody>"), "{html}");
    }

    #[test]
    fn task_markers_become_text_not_unlabelled_checkboxes() {
        let html = render_md("- [x] Xong\n- [ ] Chưa\n").html;
        assert!(!html.contains("<input"), "{html}");
        assert!(html.contains("<span class=\"visually-hidden\">Đã xong:</span> Xong"), "{html}");
        assert!(html.contains("<span class=\"visually-hidden\">Chưa làm:</span> Chưa"), "{html}");
    }
}
