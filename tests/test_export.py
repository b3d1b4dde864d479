import io
import shutil

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from timeline.export import describe_filter, escape, export, safe_url, write_markdown
from timeline.model import Event, Source
from timeline.store import Filter, Store

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


# --- the fast paths give what the plain ones give ----------------------------------------

def test_plain_sentences_come_back_unchanged():
    for text in ("Acme bought Widget Co for $200 million.", "", "Prices rose 3% in June, the bank said."):
        assert escape(text) == text


def test_every_kind_of_whitespace_makes_one_space():
    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    assert len(spaces) > 20
    for space in spaces:
        assert escape(f"{space}a{space}{space}b{space}") == "a b", repr(space)


def test_invisible_characters_are_dropped_wherever_they_are():
    for invisible in "\x00\x08\x0e\x1b\x7f\x9b\u200b\u200e\u202e\u2066\ufeff":
        assert escape(f"a{invisible}b") == "ab", repr(invisible)
        assert escape(f"www{invisible}.example.com") == r"www\.example.com", repr(invisible)
        assert escape(f"1{invisible}. x") == r"1\. x", repr(invisible)


def test_bare_addresses_and_list_markers_are_broken_in_any_case():
    assert escape("see http://x.example and HTTPS://y.example") == r"see http\://x.example and HTTPS\://y.example"
    assert escape("WwW.example.com or www.example.com") == r"WwW\.example.com or www\.example.com"
    assert escape("new. now.") == "new. now."
    assert escape("١٢. Arabic-Indic digits") == "١٢\\. Arabic-Indic digits"
    for marker in "-+=.)":
        assert escape(f"{marker} x") == f"\\{marker} x"
        assert escape(f"12{marker} x") == f"12\\{marker} x"


def test_each_source_is_cited_with_its_own_address():
    rows = [(event(f"Sentence {n}."), Source("a", "Same title", "2025-06-14", name, url))
            for n, (name, url) in enumerate([("Wire", "https://a.example/1"), ("Wire", "https://a.example/2"),
                                              ("Other", "https://a.example/2"), ("Other", None)])]
    lines = [line for line in render(rows).splitlines() if line.startswith("- ")]
    assert [line.split(" (", 1)[1] for line in lines] == [
        "[Same title](<https://a.example/1>), Wire)", "[Same title](<https://a.example/2>), Wire)",
        "[Same title](<https://a.example/2>), Other)", "*Same title*, Other)",
    ]


class Writes(io.StringIO):
    def __init__(self):
        super().__init__()
        self.sizes = []

    def write(self, text):
        self.sizes.append(len(text))
        return super().write(text)


def test_a_long_export_is_written_in_bounded_chunks():
    rows = [(event(f"Event number {n} happened."), Source("a", f"Title {n % 7}", "2025-06-14"))
            for n in range(5000)]
    out = Writes()
    assert write_markdown(rows, out) == 5000
    assert len(out.sizes) > 4 and max(out.sizes) < 200_000
    assert out.getvalue().count("\n- **2024**: Event number") == 5000


def export_the_slow_way(store, flt):
    """What export wrote before Store.export_rows: every row as an Event, every story looked up."""
    out = io.StringIO()
    write_markdown(store.iter_events(flt), out, description=describe_filter(store, flt) + ".", story_of=store.story)
    return out.getvalue()


def test_export_rows_write_what_events_and_stories_write(seed_db, tmp_path):
    path = tmp_path / "seed.db"
    shutil.copy(seed_db, path)
    with Store(path, create=False) as store:
        google, other = store.find_entity("Google"), store.entities(limit=3)[-1]
        store.set_mark(next(event for event, _ in store.iter_events(Filter())), True)
        filters = [
            Filter(), Filter(grouped=False), Filter(date_from="2025-01-01"), Filter(date_to="2024-12-31"),
            Filter(date_from="2025-06-01", date_to="2025-06-30", grouped=False), Filter(entity_ids=(google.id,)),
            Filter(entity_ids=(google.id, other.id), match_all=False), Filter(excluded_ids=(google.id,)),
            Filter(entity_ids=(google.id,), in_article=True), Filter(search="million"), Filter(marked_only=True),
            Filter(entity_ids=(google.id,), date_from="2025-01-01"), Filter(search="nothing matches this"),
        ]
        for flt in filters:
            out = io.StringIO()
            count = export(store, flt, out)
            assert out.getvalue() == export_the_slow_way(store, flt), flt
            assert count == store.count(flt), flt
        assert "  - also: " in export_the_slow_way(store, Filter())


def test_a_story_sent_twice_by_the_wire_is_listed_once():
    from timeline.export import write_rows

    def row(id, article, text, title):
        return (id, article, "1987", "1987-01-01", "year", "1987", text, title, "Reuters", None)

    opener = row(1, 1, "Japan adopted a stop-gap budget for fiscal 1987.", "JAPAN ADOPTS STOP-GAP BUDGET")
    copy = row(2, 2, "The budget covers the first 50 days of fiscal 1987.", "JAPAN SETS ASIDE FUNDS")
    again = row(3, 3, copy[6], copy[7])  # the same story under another id
    other = row(4, 4, copy[6], "TOKYO BUDGET REVIEW")  # the same words from another story: kept
    out = io.StringIO()
    write_rows([(opener, [copy, again, other])], out)
    also = [line for line in out.getvalue().splitlines() if line.startswith("  - also:")]
    assert len(also) == 2
    assert "JAPAN SETS ASIDE FUNDS" in also[0] and "TOKYO BUDGET REVIEW" in also[1]


def test_the_description_names_every_part_of_the_filter(seed_store):
    google, meta = seed_store.find_entity("Google"), seed_store.find_entity("Meta")
    assert describe_filter(seed_store, Filter(marked_only=True)) == "Marked events"
    described = describe_filter(seed_store, Filter(entity_ids=(google.id,), excluded_ids=(meta.id,), marked_only=True))
    assert described == "Marked events naming Google, not naming Meta"
