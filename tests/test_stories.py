from timeline.stories import Candidate, assign_stories, content_words


def candidate(id, article, text, entities=(1,), names=("Google",)):
    return Candidate(id, article, text, frozenset(entities), names)


def test_the_same_fact_from_two_articles_is_one_story():
    stories = assign_stories([
        candidate(1, "a", "Google reportedly plans to end its partnership with Scale AI"),
        candidate(2, "b", "Google Plans to End Partnership with Scale AI Following Meta's Major Investment"),
    ])
    assert stories == {1: 1, 2: 1}


def test_one_article_never_groups_with_itself():
    stories = assign_stories([
        candidate(1, "a", "Google plans to end its partnership"),
        candidate(2, "a", "Google plans to end its partnership"),
    ])
    assert stories == {1: 1, 2: 2}


def test_different_entities_or_wording_stay_apart():
    stories = assign_stories([
        candidate(1, "a", "Google plans to end its partnership", entities=(1,)),
        candidate(2, "b", "Meta plans to end its partnership", entities=(2,), names=("Meta",)),
        candidate(3, "c", "Google opened a new office in Paris", entities=(1,)),
    ])
    assert stories == {1: 1, 2: 2, 3: 3}


def test_content_words_skip_names_time_words_and_case():
    assert content_words("Last year, Google SPENT $150 million in June", ["Google"]) == {"spent", "150", "milli"}


def test_resemblance_does_not_chain_across_a_story():
    stories = assign_stories([
        candidate(1, "a", "Google plans to end the partnership"),
        candidate(2, "b", "Google plans to end the partnership and sell the division"),
        candidate(3, "c", "Google wants to sell the division"),
    ])
    assert stories == {1: 1, 2: 1, 3: 3}


def test_an_event_naming_no_one_is_about_its_article():
    notice = "Record April 3, pay April 20"
    stories = assign_stories([
        Candidate(1, "a", notice, frozenset(), (), frozenset({1})),
        Candidate(2, "b", notice, frozenset(), (), frozenset({2})),  # another company's notice
        Candidate(3, "c", notice, frozenset(), (), frozenset({1, 3})),  # the first company's, retold
    ])
    assert stories == {1: 1, 2: 2, 3: 1}


def test_a_sentence_naming_no_one_joins_a_story_its_article_is_about():
    stories = assign_stories([
        candidate(1, "a", "Google plans to end its partnership with the startup"),
        Candidate(2, "b", "The company plans to end its partnership with the startup", frozenset(), (),
                  frozenset({1, 5})),
    ])
    assert stories == {1: 1, 2: 1}


def test_articles_naming_no_one_tell_no_story_together():
    stories = assign_stories([candidate(1, "a", "4TH QTR NET", entities=(), names=()),
                              candidate(2, "b", "4TH QTR NET", entities=(), names=())])
    assert stories == {1: 1, 2: 2}
