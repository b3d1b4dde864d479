from timeline.sentences import paragraph_around, spans


def split(text):
    return [text[start:end] for start, end in spans(text)]


def test_splits_at_full_stops_and_line_breaks():
    assert split("One thing. Another thing!\nA third") == ["One thing.", "Another thing!", "A third"]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Mr. Smith met U.S. officials at 3 p.m. Friday. J. R. Smith left."
    assert split(text) == ["Mr. Smith met U.S. officials at 3 p.m. Friday.", "J. R. Smith left."]


def test_closing_quotes_stay_with_their_sentence():
    assert split('He said "Yes." Then he left.') == ['He said "Yes."', "Then he left."]


def test_numbers_and_lower_case_after_a_stop_do_not_split():
    assert split("It rose 3.5 percent to $14.3 billion. and so on") == [
        "It rose 3.5 percent to $14.3 billion. and so on"
    ]


def test_offsets_point_into_the_text():
    text = "  First one.   Second one.  \n\n Third."
    for start, end in spans(text):
        assert text[start:end] == text[start:end].strip()
    assert split(text) == ["First one.", "Second one.", "Third."]


def test_paragraph_is_the_line():
    text = "Title\nFirst. Second.\nLast."
    start = text.index("Second")
    first, last = paragraph_around(text, start, start + 7)
    assert text[first:last] == "First. Second."
