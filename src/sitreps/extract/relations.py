"""Stage ``sitreps.relations.v1``: who backs, allies with, fights, belongs to or leads whom.

Reads ``analysis.doc`` and the ``ACTOR`` mentions of ``sitreps.actors.v1``; writes
``relations`` (subject and object are actor ids; one ``Relation`` per triple, with every
sentence that states it as a source) and, for leaders the KB lacks ("Sudanese commander X"),
new person actors in ``actors``.

Finders, each over one sentence:

* ``find_sponsored``: "Iranian-backed forces like Hezbollah" (Iran backs Hezbollah; the examples
  after "like", "such as", "including" or an apposition are the backed actors) and
  "Y, backed by X".
* ``find_possessive_backers``: "Assad's Iranian and Russian backers/allies" and "his ... allies"
  (the pronoun resolves to the nearest preceding person in the sentence).
* ``find_support``: "X supports/arms/funds Y", "X provided support to Y", "X's backing for Y";
  with no object, a foreign state's support goes to the focus country's government (a
  heuristic: in a conflict report the unnamed beneficiary is nearly always the government).
* ``find_leaders``: "Syrian President Bashar al-Assad", "Hezbollah leader Hassan Nasrallah"
  (not "President-elect" or "former President").
* ``find_fights``: "X clashed with / attacked Y", "the expulsion of Y by X", "fighting between X
  and Y", where both sides are armed (civilians are victims, not parties to a fight).
* ``find_part_of``: "X, part of / a faction of Y".

Persons stand for what they lead in backs/allied_with/fights; state branches stand for their
state in backs/allied_with ("the Russian air force provided support" -> Russia backs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sitreps.extract import sentence_source
from sitreps.extract.actors import actor_at
from sitreps.knowledge.actors import ActorKB, actor_kb_for, guess_kind, slugify
from sitreps.knowledge.package import Knowledge, default_knowledge, derived
from sitreps.records import ACTOR_KINDS, Actor, Analysis, Relation, Source

STAGE = "sitreps.relations.v1"
DEFAULT_CONFIG: dict = {}
PREDICATES = ("backs", "allied_with", "fights", "part_of", "leads")

PRONOUNS = frozenset({"his", "her", "its", "their"})


@dataclass(frozen=True, slots=True)
class RelationWords:
    """The word lists relations are read with, from one knowledge package (``lexicon.toml`` and a
    user's files), built once per package."""

    backing_participles: frozenset[str]
    ally_participles: frozenset[str]
    # Passives whose agent backs ("a militia backed by Iran") or allies with the subject.
    backed_by_verbs: frozenset[str]
    allied_by_verbs: frozenset[str]
    # Either of them after a hyphen: "Iranian-backed", "Russian-allied".
    hyphened: frozenset[str]
    backer_nouns: frozenset[str]
    # A backer's or an ally's noun: "the militia's backer", "the regime's ally".
    relation_nouns: frozenset[str]
    support_verbs: frozenset[str]
    provide_verbs: frozenset[str]
    support_nouns: frozenset[str]
    # Whose possessor backs: "Iran's backing for the militia".
    owned_support_nouns: frozenset[str]
    hostility_verbs: frozenset[str]
    hostility_nouns: frozenset[str]
    leader_titles: frozenset[str]
    # A title and the words it may follow: "Prime Minister", "Deputy Leader".
    title_words: frozenset[str]
    # "X, a faction of Y": X is part of Y.
    part_nouns: frozenset[str]

    @classmethod
    def of(cls, knowledge: Knowledge) -> RelationWords:
        """The relation words of ``knowledge``."""
        words = knowledge.words
        return cls(
            backing_participles=words["backing_participles"],
            ally_participles=words["ally_participles"],
            backed_by_verbs=words["backed_by_verbs"],
            allied_by_verbs=words["allied_by_verbs"],
            hyphened=words["backing_participles"] | words["ally_participles"],
            backer_nouns=words["backer_nouns"],
            relation_nouns=words["backer_nouns"] | words["ally_nouns"],
            support_verbs=words["support_verbs"],
            provide_verbs=words["provide_verbs"],
            support_nouns=words["support_nouns"],
            owned_support_nouns=words["owned_support_nouns"],
            hostility_verbs=words["hostility_verbs"],
            hostility_nouns=words["hostility_nouns"],
            leader_titles=words["leader_titles"],
            title_words=words["leader_titles"] | words["title_modifiers"],
            part_nouns=words["part_nouns"],
        )


def extract_relations(analysis: Analysis, config: dict | None = None) -> Analysis:
    """Add actor-actor relations (backs, allied_with, fights, part_of, leads) with sources.

    Args:
        analysis: output of ``extract_actors`` (needs ``doc`` and ``ACTOR`` mentions).
        config: unused for now; ``DEFAULT_CONFIG`` documents the keys.

    Returns:
        A copy with ``relations`` (and any new leader actors in ``actors``) added.

    >>> from sitreps.records import Article
    >>> extract_relations(Analysis(Article(id="a", text="")), {}).relations
    ()
    """
    doc = analysis.doc
    if doc is None:
        return analysis
    knowledge = (config or {}).get("knowledge")
    ctx = _Context(analysis, actor_kb_for(knowledge), knowledge or default_knowledge())
    found: dict[tuple[str, str, str], list[Source]] = {}
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    for sent in sents:
        source = sentence_source(analysis.article.id, sent)
        for finder in (find_sponsored, find_possessive_backers, find_support, find_leaders,
                       find_fights, find_part_of):
            for subj, pred, obj in finder(sent, ctx):
                triple = ctx.normalise(subj, pred, obj)
                if triple is None:
                    continue
                sources = found.setdefault(triple, [])
                if source not in sources:
                    sources.append(source)
    relations = tuple(
        Relation(subject=s, predicate=p, object=o, date=analysis.article.published,
                 sources=tuple(srcs), stage=STAGE)
        for (s, p, o), srcs in found.items()
    )
    known = {a.id for a in analysis.actors}
    new = tuple(a for a in ctx.new_actors.values() if a.id not in known)
    return replace(analysis, relations=analysis.relations + relations,
                   actors=analysis.actors + new)


class _Context:
    """What finders share: the analysis, the KB, actor lookups by token, the focus country."""

    def __init__(self, analysis: Analysis, kb: ActorKB, knowledge: Knowledge):
        self.analysis = analysis
        self.kb = kb
        # Kinds that fight no one (civilians, protesters), a user's own kinds included.
        self.unarmed = knowledge.kinds(armed=False)
        # Inter codes of a state's forces: a user's finer kind of them (a "national guard" of
        # inter code 1) stands for its state as the packaged kind does.
        self.state_codes = knowledge.inter_codes(state=True)
        self.words = derived(RelationWords.of, knowledge)
        self.focus = analysis.notes.get("focus_country")
        self.actors = {a.id: a for a in analysis.actors}
        self.new_actors: dict[str, Actor] = {}

    def actor(self, actor_id: str) -> Actor | None:
        """An actor by id from the analysis, the new leaders or the KB."""
        if actor_id in self.actors:
            return self.actors[actor_id]
        if actor_id in self.new_actors:
            return self.new_actors[actor_id]
        return self.kb.get(actor_id) if actor_id in self.kb else None

    def at(self, tok) -> str | None:
        """Actor id of the mention covering a token."""
        mention = actor_at(self.analysis, tok)
        return mention.entity_id if mention and mention.entity_id else None

    def phrase(self, tok, *, earlier: bool = True) -> list[str]:
        """Actor ids of a noun phrase and its conjuncts ("Iranian and Russian backers").

        ``earlier=False`` leaves out conjuncts before ``tok``: in "Russian jets and
        Iranian-backed militias" the modifier of "militias" says nothing about the jets.
        """
        ids = []
        for t in (tok, *(c for c in tok.conjuncts if earlier or c.i > tok.i)):
            actor_id = self.at(t)
            if actor_id is None:
                actor_id = next((self.at(c) for c in t.children
                                 if c.dep_ in ("compound", "amod", "poss") and self.at(c)), None)
            if actor_id and actor_id not in ids:
                ids.append(actor_id)
        return ids

    def state(self, iso: str | None) -> str | None:
        """The state forces id of a country, or ``None``."""
        try:
            return self.kb.for_country(iso).id if iso else None
        except KeyError:
            return None

    def normalise(self, subj: str, pred: str, obj: str) -> tuple[str, str, str] | None:
        """Map persons to what they lead and state branches to their state; drop self-loops."""
        if pred in ("backs", "allied_with", "fights"):
            subj, obj = self._principal(subj), self._principal(obj)
        if pred == "fights":
            kinds = {getattr(self.actor(x), "kind", None) for x in (subj, obj)}
            if kinds & self.unarmed:
                return None
        if subj == obj or subj is None or obj is None:
            return None
        return subj, pred, obj

    def _principal(self, actor_id: str) -> str:
        """Who an actor stands for: a person's group, a state branch's state."""
        actor = self.actor(actor_id)
        if actor is None:
            return actor_id
        if actor.leader_of:
            return actor.leader_of
        if actor.inter_code in self.state_codes and actor_id in self.kb:
            return self.kb.root(actor_id)
        return actor_id


def _examples(noun) -> list:
    """Tokens given as examples of a noun: "forces like X and Y", "such as", "including", appos."""
    out = []
    for child in noun.children:
        if child.dep_ == "appos":
            out.append(child)
        if child.dep_ == "prep" and child.lower_ in ("like", "including", "as"):
            out.extend(c for c in child.children if c.dep_ == "pobj")
        if child.lower_ == "such":
            out.extend(c for g in child.children for c in g.children if c.dep_ == "pobj")
        if child.dep_ in ("prep", "acl") and child.lower_ == "including":
            out.extend(c for c in child.children if c.dep_ in ("pobj", "dobj"))
    # "such as" often hangs off the noun as amod "such" + prep "as"
    return out


def find_sponsored(sent, ctx: _Context):
    """"X-backed Y" compounds and "Y (which is) backed by X"."""
    for tok in sent:
        low = tok.lower_
        if low in ctx.words.hyphened and tok.i >= 2 and tok.nbor(-1).text == "-":
            backer = ctx.at(tok.nbor(-2))
            if not backer:
                continue
            pred = "allied_with" if low in ctx.words.ally_participles else "backs"
            noun = tok.head if tok.head.pos_ in ("NOUN", "PROPN") else _next_noun(tok)
            if noun is None:
                continue
            targets = ctx.phrase(noun, earlier=False) if ctx.at(noun) else []
            for ex in _examples(noun):
                targets.extend(ctx.phrase(ex))
            for target in dict.fromkeys(targets):
                yield backer, pred, target
        elif tok.lemma_ in ctx.words.backed_by_verbs | ctx.words.allied_by_verbs and \
                tok.tag_ == "VBN":
            agents = [p for c in tok.children if c.dep_ == "agent" for p in c.children
                      if p.dep_ == "pobj"]
            if not agents:
                continue
            subjects = [c for c in tok.children if c.dep_ == "nsubjpass"]
            if tok.dep_ in ("acl", "amod") or not subjects:
                subjects = [tok.head]
            pred = "allied_with" if tok.lemma_ in ctx.words.allied_by_verbs else "backs"
            for agent in agents:
                for backer in ctx.phrase(agent):
                    for subj in subjects:
                        for target in ctx.phrase(subj):
                            yield backer, pred, target


def _next_noun(tok):
    """The first noun after a token in its sentence."""
    for t in tok.doc[tok.i + 1:tok.sent.end]:
        if t.pos_ in ("NOUN", "PROPN"):
            return t
    return None


def _antecedent(pron, ctx: _Context) -> str | None:
    """The actor a possessive pronoun refers to: nearest preceding person (his/her) or actor."""
    want_person = pron.lower_ in ("his", "her")
    for t in reversed(list(pron.doc[pron.sent.start:pron.i])):
        actor_id = ctx.at(t)
        actor = ctx.actor(actor_id) if actor_id else None
        if actor and (actor.leader_of or not want_person):
            return actor_id
    return None


def _possessor(noun, ctx: _Context) -> str | None:
    """The actor owning a noun: "Assad's", "his", "allies of Assad"."""
    for child in noun.children:
        if child.dep_ == "poss":
            if child.lower_ in PRONOUNS:
                return _antecedent(child, ctx)
            return ctx.at(child)
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = [c for c in child.children if c.dep_ == "pobj"]
            if pobj and ctx.at(pobj[0]):
                return ctx.at(pobj[0])
    return None


def find_possessive_backers(sent, ctx: _Context):
    """"Assad's Iranian and Russian backers" -> Iran backs ..., Russia backs ..."""
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma not in ctx.words.relation_nouns or tok.pos_ != "NOUN":
            continue
        owner = _possessor(tok, ctx)
        if owner is None:
            continue
        pred = "backs" if lemma in ctx.words.backer_nouns else "allied_with"
        members = []
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.i < tok.i:
                members.extend(ctx.phrase(child))
        for ex in _examples(tok):
            members.extend(ctx.phrase(ex))
        for member in dict.fromkeys(members):
            yield member, pred, owner


def _subjects(verb, ctx: _Context) -> list[str]:
    """Actor ids of a verb's subject (following "and"-coordinated verbs up to their subject)."""
    v = verb
    while True:
        subj = [c for c in v.children if c.dep_ in ("nsubj",)]
        if subj:
            return ctx.phrase(subj[0])
        if v.dep_ in ("conj", "xcomp") and v.head.i != v.i:
            v = v.head
            continue
        return []


def _objects(verb, ctx: _Context, preps=("to", "for", "with", "against", "on")) -> list[str]:
    """Actor ids of a verb's direct object or of its object after one of ``preps``."""
    out = []
    for c in verb.children:
        if c.dep_ == "dobj":
            out.extend(ctx.phrase(c))
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in preps:
                    out.extend(x for q in p.children if q.dep_ == "pobj" for x in ctx.phrase(q))
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            out.extend(x for q in c.children if q.dep_ == "pobj" for x in ctx.phrase(q))
    return list(dict.fromkeys(out))


def _negated(tok) -> bool:
    """True when a verb is negated ("did not back")."""
    return any(c.dep_ == "neg" for c in tok.children)


def find_support(sent, ctx: _Context):
    """Verbs and nouns of support: "X arms Y", "X provided support", "X's backing for Y"."""
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and not _negated(tok) and tok.tag_ != "VBN" or (
                tok.pos_ == "VERB" and tok.tag_ == "VBN" and
                any(c.dep_ == "aux" for c in tok.children)):
            if lemma in ctx.words.support_verbs:
                objs = [o for c in tok.children if c.dep_ == "dobj" for o in ctx.phrase(c)]
                for subj in _subjects(tok, ctx):
                    for obj in objs:
                        yield subj, "backs", obj
            elif lemma in ctx.words.provide_verbs and any(c.dep_ == "dobj" and
                                                c.lemma_.lower() in ctx.words.support_nouns
                                                for c in tok.children):
                objs = _objects(tok, ctx, preps=("to", "for"))
                subjects = _subjects(tok, ctx)
                if not objs:
                    objs = [o for s in subjects for o in _default_beneficiary(s, ctx)]
                for subj in subjects:
                    for obj in objs:
                        yield subj, "backs", obj
        elif tok.pos_ == "NOUN" and lemma in ctx.words.owned_support_nouns:
            owner = _possessor(tok, ctx)
            if owner is None:
                continue
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("for", "to", "of"):
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        for obj in ctx.phrase(pobj):
                            yield owner, "backs", obj


def _default_beneficiary(subj: str, ctx: _Context) -> list[str]:
    """Focus government, when a foreign state provides unnamed support (see module doc)."""
    actor = ctx.actor(subj)
    home = ctx.state(ctx.focus)
    if actor is None or home is None or actor.inter_code not in ctx.state_codes:
        return []
    if actor.country == ctx.focus:
        return []
    return [home]


def _person_id(tok, ctx: _Context, title: str, org: str | None) -> str | None:
    """Actor id of the person named at a token: a KB person or a new leader actor."""
    actor_id = ctx.at(tok)
    if actor_id:
        return actor_id
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end and e.label_ == "PERSON"),
               None)
    if ent is None or org is None:
        return None
    name = re.sub(r"['’]s$", "", ent.text)
    led = ctx.actor(org)
    kind = led.kind if led else guess_kind(title)
    actor = Actor(id=f"new:{slugify(name)}", name=name, aliases=(name,), kind=kind,
                  country=led.country if led else ctx.focus,
                  inter_code=led.inter_code if led else ACTOR_KINDS[kind],
                  leader_of=org, is_new=True)
    ctx.new_actors.setdefault(actor.id, actor)
    return actor.id


def find_leaders(sent, ctx: _Context):
    """Titles: "Syrian President Bashar al-Assad" -> Assad leads Syrian government forces."""
    toks = list(sent)
    for k, tok in enumerate(toks):
        if tok.lower_ not in ctx.words.leader_titles or k + 1 >= len(toks):
            continue
        nxt = toks[k + 1]
        if nxt.text == "-" or any(t.lower_ in ("former", "ex", "late", "then") for t in
                                  toks[max(0, k - 3):k]):
            continue  # "President-elect", "former President": not the current leader
        org = None
        j = k - 1
        while j >= 0 and toks[j].lower_ in ctx.words.title_words:
            j -= 1
        if j >= 0:
            prev = toks[j]
            iso = ctx.kb.country_code(re.sub(r"['’]s$", "", prev.text))
            if iso and prev.ent_type_ in ("NORP", "GPE", ""):
                org = ctx.state(iso)
            elif ctx.at(prev):
                org = ctx.at(prev)
        if org is None:
            continue
        if ctx.actor(org) and ctx.actor(org).leader_of:
            continue
        person = _person_id(nxt, ctx, tok.lower_, org)
        if person and person != org:
            yield person, "leads", org


def find_fights(sent, ctx: _Context):
    """Battle verbs and nouns between two armed actors."""
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in ctx.words.hostility_verbs and not _negated(tok):
            if tok.tag_ == "VBN" and any(c.dep_ == "agent" for c in tok.children):
                attackers = [x for c in tok.children if c.dep_ == "agent" for p in c.children
                             for x in ctx.phrase(p)]
                targets = [x for c in tok.children if c.dep_ == "nsubjpass"
                           for x in ctx.phrase(c)]
            else:
                attackers = _subjects(tok, ctx)
                targets = _objects(tok, ctx, preps=("with", "against", "on"))
            for a in attackers:
                for t in targets:
                    yield a, "fights", t
        elif tok.pos_ == "NOUN" and lemma in ctx.words.hostility_nouns:
            by, of, between = [], [], []
            owner = _possessor(tok, ctx) if lemma != "expulsion" else None
            for child in tok.children:
                if child.dep_ != "prep":
                    continue
                pobjs = [c for c in child.children if c.dep_ == "pobj"]
                ids = [x for p in pobjs for x in ctx.phrase(p)]
                if child.lower_ == "by":
                    by.extend(ids)
                elif child.lower_ in ("of", "on", "against"):
                    of.extend(ids)
                elif child.lower_ == "between":
                    between.extend(ids)
                # "the ousting of government troops from Palmyra by Daesh": "by" hangs off "from"
                for p in pobjs:
                    for g in p.children:
                        if g.dep_ == "prep" and g.lower_ == "by":
                            by.extend(x for q in g.children if q.dep_ == "pobj"
                                      for x in ctx.phrase(q))
            if owner:
                by.append(owner)
            for a in by:
                for t in of:
                    yield a, "fights", t
            for i, a in enumerate(between):
                for t in between[i + 1:]:
                    yield a, "fights", t


def find_part_of(sent, ctx: _Context):
    """"X, part of Y" / "X, a faction of Y"."""
    for tok in sent:
        if tok.lemma_.lower() not in ctx.words.part_nouns:
            continue
        if tok.dep_ not in ("appos", "attr"):
            continue
        of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
        whole = [x for p in of for q in p.children if q.dep_ == "pobj" for x in ctx.phrase(q)]
        if tok.dep_ == "appos":
            parts = ctx.phrase(tok.head)
        else:
            parts = [x for c in tok.head.children if c.dep_ == "nsubj" for x in ctx.phrase(c)]
        for part in parts:
            for w in whole:
                yield part, "part_of", w
