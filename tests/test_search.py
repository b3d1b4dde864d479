"""Search on a large timeline: the first page at once, the exact count from a worker.

A search matching more than ``_WALK_ABOVE`` events walks the timeline in order for its
windows and is counted in the background; here that threshold is lowered so a small
database takes the same paths, and every window and count is checked against the plain
FTS query the store has always answered (``iter_events``).
"""

import datetime as dt
import time

import pytest

from timeline import store as store_module
from timeline import timeline_view
from timeline.app import TimelineApp
from timeline.model import Article, Event, Mention
from timeline.periods import period_of
from timeline.rows import leading_groups
from timeline.store import Cancelled, Filter, Group, Store, bucket_of

from .test_app import bar, screen_text

VALUES = ["2019", "2020-03", "2020-03-14", "2020-Q2", "2021", "2021-07-04", "2021-07", "2022-W10", "2023-11-02"]
WORDS = ["harbour", "strike", "tariff", "vaccine", "budget", "drought", "merger", "rally"]


def generated_articles(count: int = 12) -> list[tuple[Article, str, list[Event]]]:
    """Articles whose events spread over years and months, each article also telling the
    same merger story, which later articles tell with an extra word ("alpha")."""
    batch = []
    for number in range(count):
        article_id = f"g{number}"
        sentences = []
        for index, value in enumerate(VALUES):
            words = [WORDS[(number + index + k) % len(WORDS)] for k in range(3)]
            sentences.append((value, f"{words[0].title()} {words[1]} {words[2]} reported.", ()))
        told = "Acme merger talks collapsed" + (", alpha sources say." if number else ".")
        sentences.append(("2020-03", told, ("Acme",)))
        text, events = "Headline", []
        for value, sentence, names in sentences:
            start = len(text) + 2
            text += "\n\n" + sentence
            period = period_of(value)
            mentions = tuple(Mention(start, start + len(name), name, "ORG", name) for name in names)
            events.append(Event(article_id, period.start.isoformat(), period.end.isoformat(), period.granularity,
                                value, sentence, start, start + len(sentence), value, mentions))
        article = Article(id=article_id, title="Headline", text=text, published=dt.date(2023, 12, 1),
                          path=f"/g/{article_id}.md")
        batch.append((article, f"h{number}", events))
    return batch


@pytest.fixture
def big(tmp_path):
    path = tmp_path / "search.db"
    with Store(path) as store:
        store.write(generated_articles())
        store.refresh()
    return path


@pytest.fixture
def walking(monkeypatch):
    """Every search counts as common."""
    monkeypatch.setattr(store_module, "_WALK_ABOVE", 0)


def expected_groups(store: Store, flt: Filter) -> list[Group]:
    rows = list(store.iter_events(flt))
    return leading_groups([bucket_of(event.start, event.granularity) for event, _ in rows])


def ids(rows) -> list[int]:
    return [event.id for event, _ in rows]


SEARCHES = ["merger", "alpha", "tariff", "harb", "strike tariff", "nothing-like-it"]


@pytest.mark.parametrize("walk, near_top", [(False, 4096), (True, 4096), (True, 30), (True, 1)])
@pytest.mark.parametrize("grouped", [True, False])
def test_search_windows_and_counts_are_those_of_the_plain_query(big, monkeypatch, walk, near_top, grouped):
    monkeypatch.setattr(store_module, "_NEAR_TOP", near_top)  # the first page found near the top, or not
    if walk:
        monkeypatch.setattr(store_module, "_WALK_ABOVE", 0)
    with Store(big, create=False) as store:
        for text in SEARCHES:
            flt = Filter(search=text, grouped=grouped)
            top, top_groups = store.top(flt, 4)
            top = store.events(flt, 0, 4) if top is None else top
            groups = store.groups(flt)
            assert top_groups in (None, groups)  # None: count them in the background
            if text == "nothing-like-it":
                assert top_groups == [] and top == []
            assert groups == expected_groups(store, flt), text
            total = sum(group.count for group in groups)
            everything = ids(store.iter_events(flt))
            first = store.events(flt, 0, 4)
            assert ids(first) == ids(top) == everything[:4]
            for known in ([], groups, leading_groups([bucket_of(e.start, e.granularity) for e, _ in first])):
                for offset in range(0, total + 2, 3):
                    window = store.events(flt, offset, 4, known=known)
                    assert ids(window) == everything[offset : offset + 4], (text, offset, known)


def test_alpha_finds_the_story_through_its_later_tellings(big, walking):
    with Store(big, create=False) as store:
        rows = store.events(Filter(search="alpha"), 0, 10)
        assert [event.text for event, _ in rows] == ["Acme merger talks collapsed."]  # the story's first telling
        assert rows[0][0].sources == 12


def test_search_combined_with_other_filters_walks_too(big, walking):
    with Store(big, create=False) as store:
        acme = store.find_entity("Acme")
        for flt in (Filter(search="merger", entity_ids=(acme.id,)), Filter(search="tariff", date_from="2021-01-01"),
                    Filter(search="tariff", date_to="2020-12-31", grouped=False)):
            assert store.groups(flt) == expected_groups(store, flt)
            assert ids(store.events(flt, 2, 5, known=store.groups(flt))) == ids(store.iter_events(flt, offset=2, limit=5))


def test_a_count_no_longer_wanted_is_given_up(big, walking):
    with Store(big, create=False, read_only=True) as store:
        with pytest.raises(Cancelled):
            store.groups(Filter(search="tariff"), cancelled=lambda: True)
        assert store.groups(Filter(search="tariff"), cancelled=lambda: False) == expected_groups(store, Filter(search="tariff"))


def test_a_search_changes_with_the_database(big):
    with Store(big) as store:
        assert store.count(Filter(search="zeppelin")) == 0
        article, _, events = generated_articles(1)[0]
        event = events[0]
        late = Event(event.article_id, event.start, event.end, event.granularity, event.value, "A zeppelin landed.",
                     event.char_start, event.char_end, event.timex, ())
        store.write([(article, "changed", [late])])
        store.refresh()
        assert store.count(Filter(search="zeppelin")) == 1


async def counted(app, pilot) -> None:
    """Wait for the count still wanted (cancelled ones never complete)."""
    wanted = [worker for worker in app.workers if not worker.is_cancelled]
    if wanted:
        await app.workers.wait_for_complete(wanted)
    await pilot.pause()


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(timeline_view, "PAGE", 4)


async def test_a_common_search_shows_its_first_page_at_once_then_its_exact_count(big, walking, small_pages):
    with Store(big, create=False) as store:
        app = TimelineApp(store, remember=False)
        async with app.run_test(size=(100, 30)) as pilot:
            app.apply_filter(Filter(search="tariff"))
            assert app.timeline.counting  # the first page is on screen, the rest is being counted
            assert "counting" in bar(app)
            first_page = screen_text(app)
            assert "Tariff" in first_page or "tariff" in first_page
            await counted(app, pilot)
            assert not app.timeline.counting
            total = store.count(Filter(search="tariff"))
            assert f"{total} events" in bar(app) and "counting" not in bar(app)
            assert app.timeline.event_count == total
            assert screen_text(app).startswith(first_page.splitlines()[0])
            await pilot.press("end")  # every row can be reached, and is the right one
            assert app.timeline.selected[0].id == ids(store.iter_events(Filter(search="tariff")))[-1]


async def test_a_newer_search_cancels_the_count_of_the_older(big, walking, small_pages, monkeypatch):
    counting = Store.groups

    def endless_for_tariff(self, flt, *, cancelled=None):
        """A count of "tariff" in the background goes on until it is cancelled."""
        if cancelled is not None and flt.search == "tariff":
            while not cancelled():
                time.sleep(0.005)
            raise Cancelled("given up")
        return counting(self, flt, cancelled=cancelled)

    monkeypatch.setattr(Store, "groups", endless_for_tariff)
    with Store(big, create=False) as store:
        app = TimelineApp(store, remember=False)
        async with app.run_test(size=(100, 30)) as pilot:
            app.apply_filter(Filter(search="tariff"))
            await pilot.pause()
            older = [worker for worker in app.workers if worker.group == "count"]
            assert older and not any(worker.is_cancelled for worker in older)
            app.apply_filter(Filter(search="strike"))
            assert all(worker.is_cancelled for worker in older)
            await counted(app, pilot)
            assert app.filter.search == "strike" and not app.timeline.counting
            assert app.timeline.event_count == store.count(Filter(search="strike"))
            assert not app.timeline.counted(app.timeline.loads - 1, store.groups(Filter(search="tariff")))
            app.apply_filter(Filter(search="strike"), keep_position=True)  # the database changed, say
            stale = app.timeline.loads - 1
            assert app.timeline.counting and not app.timeline.counted(stale, [])
            app.apply_filter(Filter(search="budget"))
            app.apply_filter(Filter())  # clearing the search cancels its count too
            await counted(app, pilot)
            assert app.timeline.event_count == store.count()


async def test_typing_a_search_through_the_prompt(big, walking, small_pages):
    with Store(big, create=False) as store:
        app = TimelineApp(store, remember=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("slash", *"vaccine", "enter")
            await counted(app, pilot)
            assert app.timeline.event_count == store.count(Filter(search="vaccine"))
            shown = [app.timeline.row_event(position)[0] for position in range(app.timeline.event_count)]
            stories = [store.db.execute("SELECT story FROM events WHERE id = ?", [event.id]).fetchone()[0]
                       for event in shown]  # a story may show the telling the search found
            assert stories == ids(store.iter_events(Filter(search="vaccine")))
            assert all("vaccine" in event.text.lower() for event in shown)


def test_a_story_found_by_another_telling_shows_that_telling(big):
    with Store(big) as store:
        flt = Filter(search="alpha")
        [(opener, _)] = store.events(flt)
        assert "alpha" not in opener.text and opener.sources == 12  # the story's first telling
        [(shown, source)] = store.tellings_found(store.events(flt), flt.search)
        assert "alpha" in shown.text and shown.sources == 12 and shown.article_id == source.article_id == "g1"
        plain = store.events(Filter(search="merger collapsed"))
        assert store.tellings_found(plain, "merger collapsed") == plain  # its own sentence is found: kept


async def test_the_timeline_shows_the_telling_a_search_found(big):
    with Store(big, create=False) as store:
        app = TimelineApp(store, remember=False)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.press("slash", *"alpha", "enter")
            await counted(app, pilot)
            assert "Acme merger talks collapsed, alpha sources say.  12 sources" in screen_text(app)


@pytest.mark.parametrize("search, text, found", [
    ("alpha", "Alphabet fell", True),  # the last word may be a prefix, as in FTS
    ("alpha ", "Alphabet fell", False),  # unless the search ends in a space
    ("merger talks", "Talks of a merger", True),  # every word, in any order and case
    ("merger talks", "Mergers talks", False),  # words before the last are whole words
    ("", "anything", True),
])
def test_what_a_search_finds_in_a_sentence_matches_the_search_index(search, text, found):
    assert store_module._finds(search)(text) is found
