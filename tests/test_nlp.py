

def test_misread_norms_make_is_the_group(nlp):
    """'IS' before a noun is the group, not the verb 'is', once its norm is the group's name."""
    doc = nlp("Warplanes struck IS positions in Homs province on Wednesday.")
    group = next(t for t in doc if t.text == "IS")
    assert group.norm_ == "isis"
    assert group.pos_ in ("PROPN", "NOUN") and group.dep_ != "ccomp"


def test_misread_norms_leave_capitals_alone(nlp):
    """In a run of capitals 'IS' may be the verb: its norm is left as the model makes it."""
    doc = nlp("WHY IS SYRIA BURNING")
    assert next(t for t in doc if t.text == "IS").norm_ == "is"


def test_a_possessive_that_lost_its_apostrophe_is_split(nlp):
    """'Assads forces': the name and an 's' read as "'s", so the parser sees Assad owning the
    forces; the text and its offsets are unchanged."""
    doc = nlp("Assads forces shelled the town while Syrias opposition looked on.")
    assert [t.text for t in doc[:2]] == ["Assad", "s"]
    assert doc[1].norm_ == "'s" and doc[0].dep_ == "poss"
    assert doc.text == "Assads forces shelled the town while Syrias opposition looked on."
    assert "Syria" in [t.text for t in doc]


def test_a_name_whose_plural_is_a_name_is_not_split(nlp):
    """'Houthis' is the movement itself, not the possessive of 'Houthi'."""
    doc = nlp("The Houthis fired a missile.")
    assert "Houthis" in [t.text for t in doc]


def test_a_strand_opener_run_on_after_a_subheading_starts_a_sentence(nlp):
    """'... after the army pulled back Elsewhere Kurdish fighters took Tal Abyad': the lost full
    stop is restored as a sentence start; mid-sentence capitals after a name are left alone."""
    doc = nlp("Rebels gain ground after the army pulled back Elsewhere Kurdish fighters took Tal "
              "Abyad on Monday.")
    assert [s.text.split()[0] for s in doc.sents] == ["Rebels", "Elsewhere"]
    doc = nlp("Officials in Aleppo Meanwhile Hotel said nothing.")
    assert len(list(doc.sents)) == 1
