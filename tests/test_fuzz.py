"""Property tests: no file makes the readers raise; no text makes the export more than a timeline."""

from __future__ import annotations

import datetime as dt
import io
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from timeline.articles import Problem, first_line, read
from timeline.export import safe_url, write_markdown
from timeline.model import Article, Event, Source

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SUFFIXES = [".md", ".txt", ".jsonl"]
FIELDS = ["id", "title", "text", "published", "date", "source", "url"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
dates = st.dates().map(str) | st.sampled_from(["2025-13-45", "0000-01-01", "10000-01-01", "June 14, 2025", "12", ""])
json_line = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), json_values | dates, max_size=7).map(json.dumps),
    st.fixed_dictionaries({"text": st.text(max_size=200)}, optional={k: json_values | dates for k in FIELDS if k != "text"}).map(
        lambda record: json.dumps(record, ensure_ascii=False)),
    st.text(max_size=40),
)
front_matter = st.lists(
    st.tuples(st.sampled_from(["title", "published", "date", "source", "url", "x"]),
              st.text(alphabet=string.printable, max_size=30) | dates),
    max_size=5,
).map(lambda pairs: "---\n" + "".join(f"{key}: {value}\n" for key, value in pairs) + "---\n")
document = st.tuples(front_matter | st.just(""), st.text(max_size=300)).map("".join)
encoded = st.tuples(document, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])).map(
    lambda pair: pair[0].encode(pair[1], errors="replace"))
file_bytes = st.one_of(
    st.binary(max_size=400),
    encoded,
    st.lists(json_line, max_size=6).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")),
)


@FAST
@given(data=file_bytes, suffix=st.sampled_from(SUFFIXES))
def test_any_file_yields_only_complete_articles_and_one_line_problems(tmp_path, data, suffix):
    path = tmp_path / f"article{suffix}"
    path.write_bytes(data)
    for item in read([path]):
        assert isinstance(item, (Article, Problem))
        if isinstance(item, Problem):
            assert str(item).startswith(str(path)) and "\n" not in str(item)
            continue
        assert item.text.strip() and item.title.strip()
        assert item.text.startswith(item.title) or headline_words(first_line(item.text)) == headline_words(item.title)
        assert isinstance(item.published, dt.date)
        item.text.encode("utf-8")  # storable: no lone surrogates
        assert "\x00" not in item.text


def headline_words(line: str) -> list[str]:
    """A headline compared as words, without Markdown's heading marks."""
    return line.strip("# ").casefold().split()


# --- export -------------------------------------------------------------------------

GFM = MarkdownIt("gfm-like")
COMMONMARK = MarkdownIt("commonmark")
OURS = {"text", "softbreak", "strong_open", "strong_close", "em_open", "em_close", "link_open", "link_close"}

urls = st.one_of(st.none(), st.text(max_size=40),
                 st.builds(lambda scheme, rest: f"{scheme}://{rest}",
                           st.sampled_from(["http", "https", "javascript", "file", "HTTP"]), st.text(max_size=30)))
periods = st.sampled_from([("2024", "2024-01-01", "year"), ("2025-06", "2025-06-01", "month"),
                           ("2025-06-14", "2025-06-14", "day"), ("2025-Q2", "2025-04-01", "quarter")])


@st.composite
def rows(draw):
    text = draw(st.text(min_size=1, max_size=120))
    value, start, granularity = draw(periods)
    event = Event("a", start, start, granularity, value, text, 0, len(text), "x")
    source = Source("a", draw(st.text(max_size=60)), "2025-06-14", draw(st.none() | st.text(max_size=30)), draw(urls))
    return event, source


@settings(max_examples=150, deadline=None)
@given(st.lists(rows(), min_size=1, max_size=4).map(lambda found: sorted(found, key=lambda r: r[0].start)))
def test_any_event_text_exports_as_one_bullet_each(found):
    out = io.StringIO()
    written = write_markdown(found, out)
    markdown = out.getvalue()
    assert written == len(found)
    for parser in (GFM, COMMONMARK):
        tokens = parser.parse(markdown)
        blocks = [t.type for t in tokens if t.nesting == 1]
        assert set(blocks) <= {"heading_open", "bullet_list_open", "list_item_open", "paragraph_open"}
        assert blocks.count("list_item_open") == len(found)
        assert blocks.count("bullet_list_open") <= len({bucket(event) for event, _ in found})
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert headings[0] == "Timeline" and all(h[-4:].isdigit() for h in headings[1:]), headings
        inline = [child for t in tokens if t.type == "inline" for child in t.children or []]
        assert {child.type for child in inline} <= OURS
        # only the http(s) URLs the articles gave (as markdown-it normalises any link: a lone % becomes %25);
        # a renderer's autolink of a bare address in the text shows its own target, so it hides nothing
        hrefs = [child.attrs["href"] for child in inline if child.type == "link_open" and child.markup != "linkify"]
        assert hrefs == [parser.normalizeLink(safe_url(source.url)) for _, source in found if safe_url(source.url)]


def bucket(event: Event) -> str:
    return event.start[:7] if event.granularity in ("month", "day") else event.start[:4]


@pytest.mark.parametrize("text", ["*", "**", "_a_", "[x]: http://e", "<!-- c -->", "\\", "|a|\n|-|", "&#x26;", "1)"])
def test_known_troublemakers_stay_text(text):
    out = io.StringIO()
    write_markdown([(Event("a", "2024-01-01", "2024-01-01", "year", "2024", text, 0, 1, None),
                     Source("a", text, "2025-06-14", text, None))], out)
    inline = [c.type for t in GFM.parse(out.getvalue()) if t.type == "inline" for c in t.children or []]
    assert set(inline) <= OURS - {"link_open", "link_close"}
