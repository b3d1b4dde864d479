"""find_mentions and canonical_key: seed articles, small cases, and invariants on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import entities as E
from timeline.entities import canonical_key, find_mentions
from timeline.model import Mention

# Two news articles (first line = headline), copied here so the tests need no shared data.
SCALE_AI_RECONSIDERING = """Google reportedly plans to end its partnership with Scale AI
Google is reconsidering its $200M partnership with Scale AI after Meta's $14.3B investment.

Recent reports indicate Google is reconsidering its business relationship with Scale AI, potentially pulling back after planning $200 million in financial commitments this year. Google's considerations involve starting discussions with Scale AI's competitors, mirroring strategic movements by Microsoft and OpenAI, as reported by Reuters. Meta's recent $14.3 billion investment in Scale AI for nearly half of the company's ownership marks a significant turnover in the strategic direction, with Google seeking alternative pathways. Notably, OpenAI's CFO has stated continued engagement with Scale AI among a roster of vendors, suggesting diversified partnerships.
Scale AI offers specialized services predominantly to generative AI firms, including self-driving vehicle companies and governmental sectors such as the U.S. government, emphasizing complex data annotation. Such services are essential in training AI models, underlining Scale AI's centrality among technology firms. Despite the changes in business relations discussed in the sector, a Scale representative confirmed to TechCrunch their sustainable business operations continue, affirming their role as a steadfast, independent entity safeguarding client data.
Additionally, earlier announcements had mentioned that Scale AI CEO Alexandr Wang was transitioning to lead new complexity efforts at Meta, following their investment. With Meta's approach towards AI enhancements, there are persistent expectations from Wang's leadership to propel Meta towards pivotal innovations labeled "superintelligence."
Google's silence on these developments remains notable, with neither affirming nor denying the shifts reported. Such strategic recalibrations among these tech giants underscore the dynamic nature of the AI and tech industry, gesturing towards emerging alliances and data management strategies.
This revelation has sparked conversations regarding the implications of major financial maneuvers by some of the world's largest companies like Google, Microsoft, and Meta. With their collective influence shaping the tech landscape, independent companies like Scale AI continue to demonstrate robust and adaptive business plans in an evolving market.
Sources: Reuters, TechCrunch"""

SCALE_AI_CUT_TIES = """Google Plans to End Partnership with Scale AI Following Meta’s Major Investment, Sources Reveal

In a surprising turn of events, Google, the biggest customer of the artificial intelligence (AI) data company Scale AI, is preparing to cut ties with the startup. This decision comes after Meta, the parent company of Facebook, announced it was buying a 49% stake in Scale AI, according to sources familiar with the matter. The deal has raised concerns among other tech giants, including Microsoft and Elon Musk’s xAI, who are also reconsidering their partnerships with Scale AI.

Scale AI is a company that provides labeled data, which is essential for training AI models. These models power advanced technologies like chatbots, image generators, and self-driving cars. Google had planned to spend around $200 million this year on Scale AI’s services to improve its own AI systems, such as Gemini, its competitor to OpenAI’s ChatGPT. However, with Meta now owning nearly half of Scale AI, Google and other companies worry that their confidential AI research and strategies could be exposed to a major competitor.

Meta’s investment has increased Scale AI’s value to $29 billion, double its previous worth of $14 billion. Despite this financial boost, the company could face serious challenges if it loses key clients like Google. Scale AI’s CEO, Alexandr Wang, and some employees are expected to move to Meta, but the company insists its business remains strong. A spokesperson for Scale AI stated that they work with many large corporations and governments and are committed to protecting customer data. However, they did not comment specifically on Google’s plans to leave.

image

Last year, Google spent about $150 million on Scale AI’s services, contributing to the startup’s total revenue of $870 million in 2024. Other major tech firms, including Microsoft and xAI, are also stepping back from Scale AI. OpenAI, the creator of ChatGPT, had already reduced its reliance on Scale AI months ago, though it still uses the company as one of its many data providers. The chief financial officer of OpenAI mentioned that they would continue working with Scale AI but did not provide further details.

The main issue for these companies is the fear that Meta, as a major shareholder, could gain access to their AI development secrets. When businesses hire Scale AI to label data, they often share sensitive information about their projects. With Meta now heavily involved in Scale AI, competitors worry that their research plans and technical details might no longer be safe.

Scale AI earns most of its money by providing highly skilled human workers who label complex data for AI training. These workers include experts like historians, scientists, and even people with PhDs. Their job is to review and categorize information so that AI models can learn from accurate examples. As AI technology advances, the demand for such specialized data has grown, with some annotations costing as much as $100 each.

Apart from working with AI companies, Scale AI also handles data labeling for self-driving car firms and the U.S. government. These clients are likely to stay, but the biggest profits come from partnerships with generative AI developers. Google had already been looking to spread its data-labeling work across multiple providers over the past year. However, Meta’s recent investment has sped up Google’s decision to move all its important contracts away from Scale AI.

The shift could happen quickly because of how data-labeling agreements are structured. If Google and other tech giants follow through, Scale AI may need to find new customers to replace the lost business. Meanwhile, rival data-labeling companies see this as an opportunity to attract big clients looking for neutral providers.

The situation highlights the growing competition in the AI industry, where companies are racing to develop the most advanced models while keeping their strategies confidential. With Meta’s deep involvement in Scale AI, other tech firms are now reconsidering their reliance on external data providers. Some may choose to hire their own in-house teams to label data, ensuring that their AI research remains private.

As the AI industry continues to expand, partnerships and rivalries between major players will shape the future of technology. Google’s potential exit from Scale AI marks a significant moment in this ongoing battle, showing how quickly alliances can change in the fast-moving world of artificial intelligence.

image

Meta’s $14.8 Billion AI Partnership Faces US Regulatory Scrutiny

image

Taiwan Restricts US-Listed Chinese Tech Giants Huawei and SMIC Over Export Concerns"""

JUNK = {"Recent", "Notably", "Such", "image", "Despite", "Additionally", "Last", "Sources", "AI", "CEO", "CFO",
        "The", "However", "With", "This", "Other", "Apart", "Meanwhile", "Some", "These", "When", "If", "As"}


def names(text: str) -> set[str]:
    return {m.name for m in find_mentions(text)}


def by_text(text: str) -> dict[str, Mention]:
    return {m.text: m for m in find_mentions(text)}


@pytest.mark.parametrize("article", [SCALE_AI_RECONSIDERING, SCALE_AI_CUT_TIES], ids=["reconsidering", "cut-ties"])
def test_seed_articles_have_no_junk(article):
    found = {m.text for m in find_mentions(article)} | names(article)
    assert not found & JUNK


def test_seed_reconsidering_names():
    found = names(SCALE_AI_RECONSIDERING)
    expected = {"Google", "Meta", "Scale AI", "Alexandr Wang", "OpenAI", "Microsoft", "Reuters", "TechCrunch",
                "United States"}
    assert expected <= found
    assert not found - expected - {"Scale"}, found - expected


def test_seed_cut_ties_names():
    found = names(SCALE_AI_CUT_TIES)
    expected = {"Google", "Meta", "Scale AI", "Alexandr Wang", "OpenAI", "Microsoft", "xAI", "Elon Musk",
                "Facebook", "ChatGPT", "Gemini", "United States", "Huawei", "SMIC", "Taiwan"}
    assert expected <= found
    assert found - expected <= {"Chinese", "US-Listed Chinese"}, found - expected  # CoNLL tags "US-listed" MISC


@pytest.mark.parametrize("article", [SCALE_AI_RECONSIDERING, SCALE_AI_CUT_TIES], ids=["reconsidering", "cut-ties"])
def test_seed_short_forms_resolve_to_full_names(article):
    for mention in find_mentions(article):
        if mention.text in ("Wang", "Alexandr Wang"):
            assert mention.name == "Alexandr Wang" and mention.type == "PER"
        if mention.text.startswith("Scale"):
            assert mention.name == "Scale AI"
        if mention.text in ("U.S.", "US"):
            assert mention.name == "United States"


def test_seed_one_type_per_name():
    kinds: dict[str, set[str]] = {}
    for mention in find_mentions(SCALE_AI_CUT_TIES):
        kinds.setdefault(mention.name, set()).add(mention.type)
    assert all(len(k) == 1 for k in kinds.values()), kinds
    assert kinds["Elon Musk"] == {"PER"}
    assert kinds["Alexandr Wang"] == {"PER"}
    assert kinds["Google"] == kinds["Meta"] == kinds["Microsoft"] == {"ORG"}  # never introduced as people


def test_possessives_are_not_part_of_the_name():
    for text in ("Meta's investment grew.", "Meta’s investment grew.", "It is Scale AI’s turn, and Scale AI's too."):
        for mention in find_mentions(text):
            assert not mention.text.endswith(("'s", "’s")), mention
    assert "Meta" in names("Shares rose after Meta's investment.")
    assert "Scale AI" in names("Meta bought a stake in Scale AI. Google left Scale AI’s roster of clients.")


def test_surname_resolves_to_full_name():
    text = "Scale AI chief executive Alexandr Wang will join Meta. Analysts said Wang would lead a new team."
    found = by_text(text)
    assert found["Wang"].name == "Alexandr Wang"
    assert found["Wang"].type == "PER"


def test_person_and_organisation_in_plain_sentences():
    found = by_text("German Chancellor Helmut Kohl met officials of the European Commission in Brussels on Monday.")
    assert found["Helmut Kohl"].type == "PER"
    assert found["European Commission"].type == "ORG"
    assert found["Brussels"].type == "LOC"


def test_sentence_initial_common_words_are_not_names():
    text = "However, the talks failed. The minister said nothing. Despite this, Microsoft rose."
    assert names(text) == {"Microsoft"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Bank of England raised rates, Mr. Carney said.", {"Bank of England": "ORG", "Carney": "PER"}),
        ("Police said Martin O'Neill was arrested in New York.", {"Martin O'Neill": "PER", "New York": "LOC"}),
        ("He met Loyola de Palacio in Brussels.", {"Loyola de Palacio": "PER", "Brussels": "LOC"}),
        ("The U.N. Security Council met in New York.", {"U.N. Security Council": "ORG", "New York": "LOC"}),
        ("AT&T and Verizon bid for spectrum.", {"AT&T": "ORG", "Verizon": None}),
        ("They flew from Paris.\nLondon was next.", {"Paris": "LOC", "London": "LOC"}),
        ("Shares of Apple Inc. fell sharply.", {"Apple Inc.": "ORG"}),
        ("Microsoft Chief Executive Satya Nadella spoke.", {"Microsoft": "ORG", "Satya Nadella": "PER"}),
        ("It filed with the Securities and Exchange Commission.", {"Securities and Exchange Commission": "ORG"}),
        ("Analysts at Goldman Sachs and Morgan Stanley agreed.", {"Goldman Sachs": "ORG", "Morgan Stanley": "ORG"}),
    ],
)
def test_small_cases(text, expected):
    found = {m.text: m.type for m in find_mentions(text)}
    assert set(found) == set(expected)
    for surface, kind in expected.items():
        assert kind is None or found[surface] == kind, surface


def test_us_government_is_the_united_states():
    found = by_text("The company sells data services to the U.S. government and to carmakers.")
    assert found["U.S."].name == "United States"


def test_acronym_resolves_to_the_name_it_abbreviates():
    text = ("The Semiconductor Manufacturing International Corporation said sales rose. "
            "Analysts expect SMIC to expand.")
    found = by_text(text)
    assert found["SMIC"].name == "Semiconductor Manufacturing International Corporation"


def test_page_furniture_is_not_a_name():
    assert find_mentions("image") == []
    assert names("Shares of Google fell.\n\nimage\n\nThey were bought by Microsoft.") == {"Google", "Microsoft"}


@pytest.mark.parametrize("text", ["", " ", "\n\n", ".", "'s", "U.S.", "A", "of the", "&", "\x00", "É" * 50])
def test_odd_inputs_do_not_raise(text):
    for mention in find_mentions(text):
        assert text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize(
    "variants",
    [
        ("U.S.", "US", "United States", "united states", "the United States", "U.S.A.", "USA"),
        ("Meta", "META", "meta", "Meta's", "Meta’s"),
        ("Scale AI", "scale ai", "SCALE AI"),
        ("Procter & Gamble", "Procter and Gamble"),
        ("Apple Inc.", "Apple"),
        ("Merrill Lynch and Co Inc", "Merrill Lynch & Co.", "Merrill Lynch"),
        ("Société Générale", "Societe Generale"),
    ],
)
def test_canonical_key_joins_variants(variants):
    assert len({canonical_key(v) for v in variants}) == 1


def test_canonical_key_keeps_different_entities_apart():
    keys = {canonical_key(n) for n in ("Google", "Meta", "Scale AI", "Scale", "United Kingdom", "United States")}
    assert len(keys) == 6


_NEWSY = st.text(
    alphabet=st.sampled_from(list("aAbBcCdeEfGhIjkLMnoOpqRsStTuUvwxyzZ .,;:'’\"-&()\n\t0123456789Éé")),
    max_size=300,
)
_WORDS = st.lists(
    st.sampled_from(["Google", "U.S.", "of", "the", "Meta's", "Scale", "AI", "’s", "&", "de", ".", ",", "New",
                     "York", "\n", "Mr.", "said", "in", "Inc.", "xAI", "O'Neill", "-", "IBM", "image", "St."]),
    max_size=40,
).map(" ".join)


def _check_invariants(text: str) -> None:
    mentions = find_mentions(text)
    previous_end = 0
    for mention in mentions:
        assert isinstance(mention, Mention)
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.start >= previous_end
        assert mention.type in ("PER", "ORG", "LOC", "MISC")
        assert mention.name
        previous_end = mention.end


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), _NEWSY, _WORDS))
def test_any_text_gives_valid_sorted_non_overlapping_mentions(text):
    _check_invariants(text)
    assert find_mentions(text) == find_mentions(text)  # pure: same text, same answer


def _reference_tag_spans(text: str) -> list[tuple[int, int, str]]:
    """tag_spans the plain way: every run a Run from find_runs, tagged by tag_general, feature by
    feature. tag_spans memoises parts of these sums and keeps most runs as tuples; it must agree."""
    from timeline import entities as E

    model = E.load_model()
    runs = E.find_runs(text, model.abbreviations, model.common)
    doc = E.DocContext(text, runs)
    spans, caps_runs = [], []
    for run in runs:
        if run.caps:
            caps_runs.append(run)
        else:
            spans.extend(E.spans_from_tags(run, model.tag_general(run, doc)))
    if caps_runs:
        doc.known = E.doc_known_words(text, spans)
        title_lines = {text.rfind("\n", 0, run.starts[0]) + 1 for run in caps_runs if run.caps == "t"}
        for line_start in sorted(title_lines):
            for run in E._title_line_runs(text, line_start, model, doc):
                spans.extend(E.spans_from_tags(run, model.tag_general(run, doc)))
        for run in caps_runs:
            if run.caps == "c":
                spans.extend(E.spans_from_tags(run, model.tag_general(run, doc)))
        spans.sort()
    if " and " in text:
        spans = E._join_known_and_names(text, spans, model.phrases)
    return [span for span in spans if E._plausible(text[span[0] : span[1]])]


_RUNNY = st.lists(
    st.sampled_from(["Google", "U.S.", "of", "Of", "the", "The", "Meta's", "Scale", "AI", "&", "de", "De", ".",
                     ",", "New", "York", "\n", "Mr.", "said", "in", "In", "Inc.", "Corp.", "xAI", "iPhone",
                     "O'Neill", "-", "IBM", "image", "St.", "Chief", "Executive", "However", "He", "and", "And",
                     "Reuters.", "Washington.", "A.", "ACME", "NEW", "YORK", "Plans", "To", "  ", "\t", "(", "'s",
                     "Bank", "England", "Securities", "Exchange", "Commission", "Wang", "Alexandr", "it", "was"]),
    max_size=40,
).map(" ".join)


@pytest.mark.parametrize("article", [SCALE_AI_RECONSIDERING, SCALE_AI_CUT_TIES], ids=["reconsidering", "cut-ties"])
def test_fast_tagging_equals_the_plain_way_on_seed_articles(article):
    from timeline.entities import straight, tag_spans

    plain = straight(article)
    assert tag_spans(plain) == _reference_tag_spans(plain)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), _NEWSY, _WORDS, _RUNNY))
def test_fast_tagging_equals_the_plain_way(text):
    from timeline.entities import straight, tag_spans

    plain = straight(text)
    assert tag_spans(plain) == _reference_tag_spans(plain)


def test_title_case_headline_keeps_only_names():
    headline_end = SCALE_AI_CUT_TIES.index("\n")
    in_headline = {m.text for m in find_mentions(SCALE_AI_CUT_TIES) if m.start < headline_end}
    assert in_headline == {"Google", "Scale AI", "Meta"}


def test_all_caps_headline_uses_the_body():
    text = (
        "SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .\n"
        "Japan began the defence of their Asian Cup title with a win over Syria while China lost."
    )
    headline = {m.text: m.name for m in find_mentions(text) if m.start < text.index("\n")}
    assert {"JAPAN", "CHINA"} <= set(headline)
    assert headline["JAPAN"] == "Japan"
    assert not {"SOCCER", "LUCKY", "SURPRISE", "DEFEAT", "WIN"} & set(headline)


def test_spacy_backend_with_an_entity_ruler():
    spacy = pytest.importorskip("spacy")
    from timeline.entities import mentions_from_spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "ORG", "pattern": "Scale AI"},
            {"label": "PERSON", "pattern": "Alexandr Wang"},
            {"label": "PERSON", "pattern": "Wang"},
            {"label": "GPE", "pattern": "U.S."},
            {"label": "DATE", "pattern": "Monday"},
        ]
    )
    text = "Scale AI's chief Alexandr Wang met U.S. officials on Monday. Wang left."
    found = [(m.text, m.type, m.name) for m in mentions_from_spacy(text, nlp(text))]
    assert found == [
        ("Scale AI", "ORG", "Scale AI"),
        ("Alexandr Wang", "PER", "Alexandr Wang"),
        ("U.S.", "LOC", "United States"),
        ("Wang", "PER", "Alexandr Wang"),
    ]


def test_spacy_entities_are_mapped_trimmed_and_named():
    """The conversion alone, with stand-ins for a spaCy Doc (runs without spaCy)."""
    from types import SimpleNamespace

    from timeline.entities import mentions_from_spacy

    text = "The Scale AI’s chief Alexandr Wang met U.S. officials on Monday. Wang left."

    def entity(surface, label, occurrence=0):
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(surface, start + 1)
        return SimpleNamespace(start_char=start, end_char=start + len(surface), label_=label)

    doc = SimpleNamespace(
        ents=[
            entity("The Scale AI’s", "ORG"),
            entity("Alexandr Wang", "PERSON"),
            entity("U.S.", "GPE"),
            entity("Monday", "DATE"),
            entity("Wang", "PERSON", occurrence=1),
        ]
    )
    found = [(m.text, m.type, m.name) for m in mentions_from_spacy(text, doc)]
    assert found == [
        ("Scale AI", "ORG", "Scale AI"),
        ("Alexandr Wang", "PER", "Alexandr Wang"),
        ("U.S.", "LOC", "United States"),
        ("Wang", "PER", "Alexandr Wang"),
    ]


def test_a_ticker_suffix_is_not_a_name():
    found = [m.text for m in find_mentions("Genentech Inc <GENE.O> is issuing a bond, said Norsk Hydro <NHY.OL>.")]
    assert "O" not in found and "OL" not in found


def test_a_name_written_with_a_lowercase_start_is_an_organisation():
    found = {m.text: m.type for m in find_mentions("Other firms, including Microsoft and xAI, are stepping back.")}
    assert found["xAI"] == "ORG"


def test_a_lone_letter_or_legal_form_is_not_a_name():
    text = "COLUMBIA GAS SYSTEM INC <CG> DEBT UPGRADED BY S/P\n\nColumbia Gas System Inc said S/P upgraded it."
    found = {m.text for m in find_mentions(text)}
    assert not found & {"INC", "S", "P"}
    assert "Columbia Gas System Inc" in found


def test_memoised_sums_are_bounded(monkeypatch):
    model = E.load_model()
    monkeypatch.setattr(E, "MEMO_LIMIT", 10)
    for n in range(30):
        find_mentions(f"Shares of Acme{n} Corp rose, said Jane Roe{n} in Paris{n}.")
    memos = (model._single, model._static, model._tokens, model._befores, model._afters)
    assert sum(map(len, memos)) <= 10 + 20  # cleared before each article once over the limit
    assert [m.text for m in find_mentions("Shares of Acme Corp rose, said Jane Roe.")] == ["Acme Corp", "Jane Roe"]


def test_a_name_the_article_uses_is_found_everywhere_it_stands_alone():
    text = "Google said so. Reports say that Google is leaving. Google Cloud grew. Googled it. Google's plan."
    tagged = (text.index("Google is"), text.index("Google is") + 6, "ORG")
    found = E.names_told_again(text, [tagged])
    assert [text[start:end] for start, end, _ in found] == ["Google", "Google", "Google"]
    assert all(kind == "ORG" for _, _, kind in found)
    assert [start for start, _, _ in found] == [0, tagged[0], text.index("Google's")]


def test_a_name_found_only_outside_sentences_does_not_spread():
    """Wire tables start lines with abbreviations ("Oper shr 17 cts"): one taken for a name stays one."""
    text = "Oper shr 17 cts vs 25 cts\nOper net 1,000 vs 2,000\nOper shr 2 cts"
    assert E.names_told_again(text, [(0, 4, "ORG")]) == [(0, 4, "ORG")]


def test_names_told_again_keeps_the_spans_it_was_given():
    text = "Scale AI grew, and Scale hired."
    spans = [(0, 8, "ORG"), (19, 24, "ORG")]
    assert E.names_told_again(text, spans) == spans
    assert E.names_told_again(text, []) == []


def test_every_mention_of_a_name_in_the_seed_is_found():
    """Recent reports indicate Google is reconsidering...: Google, as in every other sentence."""
    found = [m for m in find_mentions(SCALE_AI_RECONSIDERING) if m.name == "Google"]
    assert len(found) == SCALE_AI_RECONSIDERING.count("Google")


@pytest.fixture
def fresh_spacy_choice(monkeypatch):
    """find_mentions looks up the configured spaCy pipeline once per process; forget that choice."""
    from timeline import entities

    monkeypatch.setattr(entities, "_spacy_nlp", [])
    return monkeypatch


def test_the_environment_variable_switches_find_mentions_to_a_spacy_pipeline(fresh_spacy_choice, tmp_path):
    spacy = pytest.importorskip("spacy")
    from timeline.entities import SPACY_MODEL_VARIABLE

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Acme"}])
    nlp.to_disk(tmp_path / "pipeline")
    fresh_spacy_choice.setenv(SPACY_MODEL_VARIABLE, str(tmp_path / "pipeline"))

    text = "Acme Widgets hired Jane Doe. Acme grew."
    assert [(m.text, m.type) for m in find_mentions(text)] == [("Acme", "ORG"), ("Acme", "ORG")]


def test_a_pipeline_that_cannot_be_loaded_is_reported_and_the_built_in_recogniser_used(fresh_spacy_choice, capsys):
    from timeline.entities import SPACY_MODEL_VARIABLE

    fresh_spacy_choice.setenv(SPACY_MODEL_VARIABLE, "no_such_pipeline_xyz")
    names = {m.name for m in find_mentions("On Monday, Google said that Alexandr Wang would stay at Scale AI.")}
    assert {"Google", "Alexandr Wang", "Scale AI"} <= names
    warning = capsys.readouterr().err
    assert "no_such_pipeline_xyz could not be loaded" in warning and len(warning.splitlines()) == 1


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=12), st.sampled_from(["Google", "GOOGLE", "McDonald", "O'Neill", "U.S.", "Coca-Cola"])),
       st.sampled_from(["", "c", "t"]))
def test_own_score_is_the_sum_of_word_features(word, caps):
    model = E.load_model()
    features, known = E.word_features(word, caps, model.lexicon, model.suffixes)
    assert model.own_score(word, caps) == (sum(model.weights.get(f, 0) for f in features), known)


def test_own_score_on_the_lexicon():
    model = E.load_model()
    for low in list(model.lexicon)[::7]:
        for word, caps in ((low.capitalize(), ""), (low.upper(), "c"), (low.capitalize(), "t")):
            features, known = E.word_features(word, caps, model.lexicon, model.suffixes)
            assert model.own_score(word, caps) == (sum(model.weights.get(f, 0) for f in features), known)


def _plain_canonical_key(name: str) -> str:
    """canonical_key without its shortcuts for plain ASCII names."""
    import unicodedata

    key = unicodedata.normalize("NFKD", name)
    key = "".join(c for c in key if not unicodedata.combining(c)).lower().strip()
    key = E._POSSESSIVE.sub("", key).replace("&", " and ").replace(".", "")
    key = E._NON_ALNUM.sub(" ", key).strip()
    if key.startswith("the "):
        key = key[4:]
    key = E._LEGAL_SUFFIX.sub("", key)
    return E._ALIASES.get(key, key)


_NAMEY = st.lists(
    st.sampled_from(["The", "the ", "Inc", " co", "Corp.", "U.S.", "&", "'s", "’S", "'", " ", "  ", "\t", "-", "_",
                     "Café", "Ångström", "e\u0301", "ﬁ", "²", "Scale", "AI", "plc", ".", ","]),
    max_size=8,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=20), _NAMEY))
def test_canonical_key_shortcuts_change_nothing(name):
    assert canonical_key.__wrapped__(name) == _plain_canonical_key(name)


@pytest.mark.parametrize(
    "text, company",
    [
        ("The engines come from General Electric Co <GE> and others.", "General Electric Co"),
        ("The offer was made by Hughes Tool Co on Monday.", "Hughes Tool Co"),
        ("The bank retained Merck and Co Inc to advise it.", "Merck and Co Inc"),
        ("Mitsui and Co Ltd said it plans to issue bonds.", "Mitsui and Co Ltd"),
        ("The lead manager was Samuel Montagu and Co Ltd, it said.", "Samuel Montagu and Co Ltd"),
    ],
)
def test_a_name_ending_in_a_legal_form_is_one_whole_organisation(text, company):
    found = by_text(text)
    assert company in found, found
    assert found[company].type == "ORG"


def test_a_company_takes_the_name_words_before_it_but_not_a_weekday_or_an_unknown_sentence_opener():
    lexicon = E.load_model().lexicon
    text = "Faulding said on Tuesday Purdue Frederick Co filed a suit. General Tool Corp fell. Zorbly Mills Inc rose."
    spans = []
    for name in ("Frederick Co", "Tool Corp", "Mills Inc"):
        start = text.index(name)
        spans.append((start, start + len(name), "PER"))
    found = [(text[s:e], kind) for s, e, kind in E.company_names(text, spans, lexicon)]
    assert found == [("Purdue Frederick Co", "ORG"), ("General Tool Corp", "ORG"), ("Mills Inc", "ORG")]


def test_a_company_the_tagger_typed_right_keeps_its_boundary():
    lexicon = E.load_model().lexicon
    text = "Lead Underwriter Morgan Stanley and Co Inc"
    start = text.index("Morgan")
    assert E.company_names(text, [(start, len(text), "ORG")], lexicon) == [(start, len(text), "ORG")]


def test_an_office_before_a_persons_name_is_not_part_of_it():
    found = names("U.K. Chancellor of the Exchequer Nigel Lawson met Treasurer Paul Keating in London.")
    assert {"Nigel Lawson", "Paul Keating"} <= found
    assert not {"Exchequer Nigel Lawson", "Treasurer Paul Keating"} & found


def test_a_first_name_after_of_the_is_kept():
    lexicon = E.load_model().lexicon
    text = "the toll of the George Washington Bridge"
    start = text.index("George")
    assert E.person_names(text, [(start, len(text), "PER")], lexicon) == [(start, len(text), "PER")]


def test_a_lone_word_never_seen_in_a_persons_name_is_no_person():
    found = {m.text: m.type for m in find_mentions("The issue is rated AAA by Moody's and Standard and Poor's.")}
    assert "Poor" not in found
    found = {m.text: m.type for m in find_mentions("The Exchange said the study is needed.")}
    assert found.get("Exchange") in (None, "ORG")


def test_a_name_whose_last_word_ends_no_persons_name_is_not_a_person():
    found = {m.name: m.type for m in find_mentions(
        "Hughes Tool Co said its talks went on. Hughes said the Reagan Administration agreed, and Hughes fell.")}
    assert found["Hughes Tool Co"] == "ORG"
    assert found.get("Reagan Administration", "ORG") == "ORG"


def test_an_all_caps_headline_surname_is_the_person_the_body_names():
    text = "BAKER SAYS U.S. WANTS STABLE DOLLAR\n\nThe United States wants a stable dollar, Treasury Secretary James Baker said."
    found = by_text(text)
    assert found["BAKER"].name == "James Baker"
    assert found["BAKER"].type == "PER"


def test_an_all_caps_dateline_is_not_taken_for_a_longer_name():
    text = "POLISH SHARES FALL\n\nWARSAW, March 3 - Prices on the Warsaw Stock Exchange fell."
    found = by_text(text)
    assert found["Warsaw Stock Exchange"].name == "Warsaw Stock Exchange"
    assert "WARSAW" not in found or found["WARSAW"].name != "Warsaw Stock Exchange"


def test_results_table_labels_and_holidays_are_not_names():
    text = "ACME CORP 1ST QTR NET\n\nOper shr 2.16 dlrs vs 2.07 dlrs\nOper net 8,037,000 vs 7,710,000\n\nThe Fed will ease by Easter."
    found = {m.text for m in find_mentions(text)}
    assert not found & {"Oper", "Easter", "QTR"}


_WIRE = st.lists(
    st.sampled_from(["General", "Electric", "Co", "Co.", "Inc", "Corp", "Ltd", "Plc", "and", "&", "Merck", "Samuel",
                     "Montagu", "Chancellor", "of", "the", "Exchequer", "Nigel", "Lawson", "Treasurer", "BAKER",
                     "SAYS", "James", "Baker", "said", "Tuesday", ".", ",", "\n", "The", "Poor's", "Standard"]),
    max_size=40,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_WIRE, _WORDS))
def test_the_wire_copy_rules_keep_spans_sorted_apart_and_inside_the_text(text):
    # called directly: find_mentions would turn an exception into no mentions at all
    plain = E.straight(text)
    lexicon = E.load_model().lexicon
    spans = E.person_names(plain, E.company_names(plain, E.tag_spans(plain), lexicon), lexicon)
    previous_end = 0
    for start, end, kind in spans:
        assert previous_end <= start < end <= len(plain)
        assert plain[start:end] == plain[start:end].strip()
        previous_end = end
    E._resolve_names(text, plain, E.names_told_again(plain, spans), lexicon)
    _check_invariants(text)
