

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
