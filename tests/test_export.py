import io

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from timeline.export import escape, export, safe_url, write_markdown
from timeline.model import Event, Source
from timeline.store import Filter

GFM = MarkdownIt("gfm-like")
COMMONMARK = MarkdownIt("commonmark")


def render(rows):
    out = io.StringIO()
    write_markdown(rows, out)
    return out.getvalue()


def event(text, value="2024", start="2024-01-01", granularity="year"):
    return Event("a", start, start, granularity, value, text, 0, len(text), "x")


def structure(markdown, parser=GFM):
    """Every block and inline token type the document makes."""
    kinds = set()
    for token in parser.parse(markdown):
        kinds.add(token.type)
        for child in token.children or []:
            kinds.add(child.type)
    return kinds


def plain_text(markdown, parser=COMMONMARK):
    return "".join(
        child.content for token in parser.parse(markdown) if token.type == "inline"
        for child in token.children or [] if child.type == "text"
    )


HOSTILE = [
    "# Not a heading",
    "[click](javascript:alert(1)) and ![img](http://evil/x.png)",
    "<script>alert(1)</script> <b>bold</b> &amp; &copy;",
    "```\ncode fence\n```",
    "    indented code",
    "*emph* __strong__ `code` ~~strike~~ | table | cell |",
    "1. list item\n- bullet\n> quote\n---",
    "<http://autolink.example> https://bare.example www.bare.example",
    "Back\\slash \\[escaped\\]",
    "[bold]Rich markup[/bold] [@click=app.quit]x[/]",
]


def test_headings_per_year_and_month_and_a_bullet_per_event():
    rows = [
        (event("Old news."), Source("a", "Title A", "2025-06-14", "Reuters", "https://example.com/a")),
        (event("June news.", "2025-06-14", "2025-06-14", "day"), Source("a", "Title B", "2025-06-14")),
    ]
    tokens = GFM.parse(render(rows))
    headings = [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [("h1", "Timeline"), ("h2", "2024"), ("h2", "2025"), ("h3", "June 2025")]
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == 2
    links = [c.attrs["href"] for t in tokens if t.type == "inline" for c in t.children if c.type == "link_open"]
    assert links == ["https://example.com/a"]


def test_hostile_text_cannot_make_structure():
    rows = [(event(text), Source("a", text, "2025-06-14", text, None)) for text in HOSTILE]
    markdown = render(rows)
    for parser in (GFM, COMMONMARK):
        tokens = parser.parse(markdown)
        blocks = [t.type for t in tokens if t.type.endswith("_open")]
        assert blocks == ["heading_open", "heading_open", "bullet_list_open"] + [
            "list_item_open", "paragraph_open"] * len(HOSTILE)
        bullets = [t for t in tokens if t.type == "inline"][2:]
        for bullet in bullets:  # our own bold date and italic title, nothing from the article
            markup = [c.type for c in bullet.children if c.type not in ("text", "softbreak")]
            assert markup == ["strong_open", "strong_close", "em_open", "em_close"]


def test_escaped_text_reads_back_literally():
    for text in HOSTILE:
        one_line = " ".join(text.split())
        assert plain_text(escape(one_line)) == one_line


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_stays_one_literal_paragraph(text):
    markdown = escape(text)
    tokens = COMMONMARK.parse(markdown)
    assert [t.type for t in tokens] in ([], ["paragraph_open", "inline", "paragraph_close"])
    assert not structure(markdown, GFM) & {"image", "html_inline", "code_inline", "em_open", "strong_open"}
    assert no_hidden_links(markdown)


def no_hidden_links(markdown):
    """Renderers that linkify (GFM, markdown-it with linkify-it) may turn a bare address in
    article text into a link; its text is then the address itself, so nothing is hidden.
    Any other link would be text that hijacks the reader."""
    for token in GFM.parse(markdown):
        for child in token.children or []:
            if child.type == "link_open" and child.markup != "linkify":
                return False
    return True


def test_only_web_links_are_links():
    assert safe_url("https://example.com/a b") == "https://example.com/a%20b"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("file:///etc/passwd") is None
    assert safe_url("https://x.example/)<>") == "https://x.example/%29%3C%3E"


def test_export_of_the_seed_by_entity(seed_store):
    google = seed_store.find_entity("Google")
    out = io.StringIO()
    count = export(seed_store, Filter(entity_ids=(google.id,)), out)
    bullets = [t for t in GFM.parse(out.getvalue()) if t.type == "inline" and t.content.startswith("**")]
    assert count == len(bullets) > 0
    assert all("Google" in b.content for b in bullets)


def test_a_story_lists_every_source_under_its_bullet(seed_store):
    out = io.StringIO()
    export(seed_store, Filter(), out)
    tokens = GFM.parse(out.getvalue())
    nested = [t for t in tokens if t.type == "bullet_list_open" and t.level > 0]
    assert len(nested) == 2  # the $200 million plan and the headlines, each told twice
    also = [t.content for t in tokens if t.type == "inline" and t.content.startswith("also:")]
    assert any("$200 million" in line for line in also)
