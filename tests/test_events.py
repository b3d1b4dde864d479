import datetime as dt

from timeline.entities import find_mentions
from timeline.events import extract_events, is_furniture
from timeline.model import Article

DCT = dt.date(2025, 6, 14)


def article(text, published=DCT):
    return Article(id="a", title=text.split("\n")[0], text=text, published=published)


def events_of(text):
    return [(e.value, e.text) for e in extract_events(article(text))]


def test_headline_sits_on_the_publication_date():
    [(value, text)] = events_of("Google plans to end Scale AI deal\n\nNothing dated here.")
    assert (value, text) == ("2025-06-14", "Google plans to end Scale AI deal")


def test_relative_years_are_whole_years():
    found = extract_events(article("Headline\n\nLast year, Google spent about $150 million."))
    dated = [e for e in found if e.timex]
    assert [(e.value, e.start, e.end, e.granularity, e.timex) for e in dated] == [
        ("2024", "2024-01-01", "2024-12-31", "year", "Last year")
    ]


def test_a_sentence_with_two_periods_appears_at_both():
    found = events_of("Headline\n\nSales fell in 2023 and will recover in 2026.")
    assert [v for v, _ in found[1:]] == ["2023", "2026"]


def test_the_same_period_twice_is_one_event():
    found = events_of("Headline\n\nLast year, revenue was $870 million in 2024.")
    assert [v for v, _ in found[1:]] == ["2024"]


def test_money_percentages_and_may_are_not_dates():
    found = events_of("Headline\n\nIt paid $200M for a 49% stake and may pay $29 billion more. It may fall.")
    assert len(found) == 1  # the headline only


def test_offsets_point_at_the_sentence():
    text = "Headline\n\nFirst sentence. In 2020 things changed."
    [_, event] = extract_events(article(text))
    assert text[event.char_start:event.char_end] == event.text == "In 2020 things changed."


def test_page_furniture_is_not_an_event():
    text = ("Headline\n\nA real sentence from 2020.\n\nimage\n\n"
            "Other Story From 2019 Gets Reported\n\nimage\n\nAnother Related Headline In 2018")
    assert [v for v, _ in events_of(text)] == ["2025-06-14", "2020"]


def test_furniture_lines():
    assert is_furniture("image")
    assert is_furniture("Taiwan Restricts US-Listed Chinese Tech Giants Huawei and SMIC Over Export Concerns")
    assert not is_furniture("Google spent $150 million last year.")
    assert not is_furniture("Headline Style Line", after="\nA real sentence follows.\n")


def test_entities_are_attached_to_their_sentence():
    text = "Headline from Reuters\n\nIn 2024 Google met Microsoft in Paris. In 2023 Meta met nobody."
    everything = find_mentions(text)
    for event in extract_events(article(text))[1:]:
        inside = [m for m in everything if event.char_start <= m.start and m.end <= event.char_end]
        assert list(event.entities) == inside


def test_an_article_without_a_date_has_no_events():
    assert extract_events(article("Headline\n\nIn 2020 things changed.", published=None)) == []
