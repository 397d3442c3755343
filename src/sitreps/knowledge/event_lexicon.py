"""Trigger words and the ACLED / PLOVER types they signal.

Written by the project from ACLED's codebook categories and PLOVER's event types. A trigger gives a
provisional type; the events stage refines it with the sentence's weapons, victims and actors.
"""

from __future__ import annotations

from dataclasses import dataclass

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"
# Events PLOVER codes but ACLED does not (demands, threats, rejections, aid, talks): they carry a
# PLOVER type and this marker as ACLED type and sub-type, so ACLED exports and scores can drop them.
NON_ACLED = "Non-ACLED"

ACLED_SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    BATTLES: (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    REMOTE: (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    VAC: ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    PROTESTS: (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    RIOTS: ("Violent demonstration", "Mob violence"),
    STRATEGIC: (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}


@dataclass(frozen=True, slots=True)
class TriggerSense:
    """What a trigger lemma signals before the sentence refines it."""

    kind: str
    event_type: str
    sub_event_type: str
    plover_type: str


# kind: "territory" (who holds a place changes hands), "fight", "remote", "kill" (a death verb,
# folded into a more specific event of the same sentence when there is one), "civilian",
# "protest", "riot", "strategic", "plover" (a PLOVER-only act of words or diplomacy, never an
# ACLED event; chosen only when the sentence has no ACLED trigger that it does not govern).
_TERRITORY = TriggerSense("territory", BATTLES, "Government regains territory", "FIGHT")
_CLASH = TriggerSense("fight", BATTLES, "Armed clash", "FIGHT")
_AIR = TriggerSense("remote", REMOTE, "Air/drone strike", "FIGHT")
_SHELL = TriggerSense("remote", REMOTE, "Shelling/artillery/missile attack", "FIGHT")
_IED = TriggerSense("remote", REMOTE, "Remote explosive/landmine/IED", "ASSAULT")
_SUICIDE = TriggerSense("remote", REMOTE, "Suicide bomb", "ASSAULT")
_CHEMICAL = TriggerSense("remote", REMOTE, "Chemical weapon", "ASSAULT")
_GRENADE = TriggerSense("remote", REMOTE, "Grenade", "ASSAULT")
_KILL = TriggerSense("kill", VAC, "Attack", "ASSAULT")
_ATTACK = TriggerSense("attack", VAC, "Attack", "ASSAULT")
_ABDUCT = TriggerSense("civilian", VAC, "Abduction/forced disappearance", "ASSAULT")
_SEXUAL = TriggerSense("civilian", VAC, "Sexual violence", "ASSAULT")
_PROTEST = TriggerSense("protest", PROTESTS, "Peaceful protest", "PROTEST")
_RIOT = TriggerSense("riot", RIOTS, "Violent demonstration", "PROTEST")
_MOB = TriggerSense("riot", RIOTS, "Mob violence", "ASSAULT")
_AGREE = TriggerSense("strategic", STRATEGIC, "Agreement", "AGREE")
_ARREST = TriggerSense("strategic", STRATEGIC, "Arrests", "COERCE")
_LOOT = TriggerSense("strategic", STRATEGIC, "Looting/property destruction", "COERCE")
_TRANSFER = TriggerSense("strategic", STRATEGIC, "Non-violent transfer of territory", "RETREAT")
_BASE = TriggerSense("strategic", STRATEGIC, "Headquarters or base established", "MOBILIZE")
_DISRUPT = TriggerSense("strategic", STRATEGIC, "Disrupted weapons use", "FIGHT")
_MOBILIZE = TriggerSense("strategic", STRATEGIC, "Change to group/activity", "MOBILIZE")
# Fighters laying down arms to the other side: CASE 2021's ACLED-coded snippets file surrenders
# under Agreement, not as a transfer of territory.
_SURRENDER = TriggerSense("strategic", STRATEGIC, "Agreement", "RETREAT")



def _plover(plover_type: str) -> TriggerSense:
    """A PLOVER-only sense: ACLED does not code this act, PLOVER does."""
    return TriggerSense("plover", NON_ACLED, NON_ACLED, plover_type)


# PLOVER-only verbs, from the PLOVER codebook's definitions of each type (not from the gold set):
# AGREE "agree to, promise, offer"; CONSULT "meet, visit, negotiate, mediate"; SUPPORT "praise,
# endorse, establish ties, apologise"; CONCEDE "ease restrictions, accede to demands";
# COOPERATE "share, extradite, work with"; AID "give, provide, grant (asylum)"; RETREAT
# "resign, demobilise"; REJECT "reject, refuse, defy"; THREATEN "threaten, warn, vow";
# DEMAND "demand, urge, call for, request"; DISAPPROVE "accuse, condemn, criticise, complain";
# SANCTION "impose sanctions, suspend, cut off, break relations"; INVESTIGATE "investigate, probe";
# COERCE "ban, deport, expel people"; MOBILIZE "show of force, heightened military presence".
PLOVER_VERB_TRIGGERS: dict[str, TriggerSense] = {
    **dict.fromkeys(
        ("offer", "promise", "pledge", "accept", "approve", "ratify"), _plover("AGREE")
    ),
    **dict.fromkeys(
        ("meet", "host", "visit", "negotiate", "mediate", "consult", "discuss", "confer"),
        _plover("CONSULT"),
    ),
    **dict.fromkeys(
        ("praise", "endorse", "welcome", "apologize", "apologise", "commend", "recognize",
         "recognise", "hail", "upgrade", "support", "back"),
        _plover("SUPPORT"),
    ),
    **dict.fromkeys(("concede", "ease", "lift", "relax", "yield", "accede"), _plover("CONCEDE")),
    **dict.fromkeys(("cooperate", "collaborate", "extradite", "share"), _plover("COOPERATE")),
    **dict.fromkeys(("provide", "donate", "grant", "supply"), _plover("AID")),
    **dict.fromkeys(("resign", "demobilize", "demobilise", "disarm"), _plover("RETREAT")),
    **dict.fromkeys(
        ("reject", "refuse", "rebuff", "renege", "veto", "defy", "spurn", "violate", "oppose"),
        _plover("REJECT"),
    ),
    **dict.fromkeys(("threaten", "warn", "vow", "swear"), _plover("THREATEN")),
    **dict.fromkeys(
        ("demand", "urge", "request", "appeal", "insist", "pressure", "exhort"),
        _plover("DEMAND"),
    ),
    **dict.fromkeys(
        ("accuse", "condemn", "denounce", "criticize", "criticise", "complain", "blame",
         "deplore", "slam", "censure", "rebuke", "decry", "lambaste"),
        _plover("DISAPPROVE"),
    ),
    **dict.fromkeys(
        ("sanction", "suspend", "embargo", "boycott", "freeze", "sever", "cut", "halt"),
        _plover("SANCTION"),
    ),
    **dict.fromkeys(("investigate", "probe", "prosecute", "indict"), _plover("INVESTIGATE")),
    **dict.fromkeys(("ban", "deport", "outlaw", "impose"), _plover("COERCE")),
    # MOBILIZE "a show of military or police force": troops patrolling a town or a border.
    # ACLED codes no event for a routine patrol, so it stays PLOVER-only.
    **dict.fromkeys(("patrol",), _plover("MOBILIZE")),
}

PLOVER_NOUN_TRIGGERS: dict[str, TriggerSense] = {
    **dict.fromkeys(("offer", "promise", "pledge"), _plover("AGREE")),
    **dict.fromkeys(
        ("talks", "meeting", "negotiation", "negotiations", "mediation", "summit", "visit"),
        _plover("CONSULT"),
    ),
    **dict.fromkeys(("praise", "endorsement", "apology"), _plover("SUPPORT")),
    **dict.fromkeys(("aid", "assistance", "asylum", "donation"), _plover("AID")),
    **dict.fromkeys(("resignation",), _plover("RETREAT")),
    **dict.fromkeys(("rejection", "refusal", "veto"), _plover("REJECT")),
    **dict.fromkeys(("threat", "ultimatum", "warning"), _plover("THREATEN")),
    **dict.fromkeys(("demand", "appeal", "request"), _plover("DEMAND")),
    **dict.fromkeys(
        ("accusation", "condemnation", "criticism", "complaint", "allegation"),
        _plover("DISAPPROVE"),
    ),
    **dict.fromkeys(
        ("sanction", "sanctions", "embargo", "boycott", "blockade"), _plover("SANCTION")
    ),
    **dict.fromkeys(("investigation", "inquiry", "probe", "indictment"), _plover("INVESTIGATE")),
    **dict.fromkeys(("curfew", "ban", "deportation"), _plover("COERCE")),
}

# PLOVER codes a promise or offer of a cooperative act as AGREE and one of a coercive act as
# THREATEN ("will withdraw", "would boycott"); these are the coercive types.
COERCIVE_PLOVER_TYPES = frozenset(
    {"THREATEN", "SANCTION", "COERCE", "ASSAULT", "FIGHT", "MOBILIZE", "REJECT", "DEMAND"}
)

# "call for a ceasefire", "call on Israel to withdraw", "press for talks": these verbs are a
# demand only with one of these prepositions ("IS fighters pressed on" has a particle, not a prep).
DEMAND_VERBS = frozenset({"call", "press", "push"})
DEMAND_PARTICLES = frozenset({"for", "on", "upon"})

VERB_TRIGGERS: dict[str, TriggerSense] = {
    **dict.fromkeys(
        ("capture", "recapture", "retake", "regain", "seize", "overrun", "reclaim", "liberate",
         "expel", "oust", "conquer", "occupy"),
        _TERRITORY,
    ),
    **dict.fromkeys(("clash", "fight", "battle", "skirmish", "ambush", "besiege"), _CLASH),
    **dict.fromkeys(("bomb", "airstrike"), _AIR),
    **dict.fromkeys(("shell", "pound", "bombard", "fire"), _SHELL),
    **dict.fromkeys(("explode", "detonate", "blow"), _IED),
    **dict.fromkeys(("gas",), _CHEMICAL),
    **dict.fromkeys(
        ("kill", "slaughter", "massacre", "execute", "murder", "shoot", "die", "assassinate",
         "behead"),
        _KILL,
    ),
    **dict.fromkeys(("torture", "stab"), _ATTACK),
    # "storm" a camp or a building is an attack; storming a town is read from its object.
    **dict.fromkeys(("attack", "strike", "target", "raid", "assault", "storm"), _ATTACK),
    **dict.fromkeys(("abduct", "kidnap"), _ABDUCT),
    **dict.fromkeys(("rape",), _SEXUAL),
    **dict.fromkeys(("protest", "demonstrate", "rally", "march"), _PROTEST),
    **dict.fromkeys(("riot",), _RIOT),
    **dict.fromkeys(("lynch",), _MOB),
    # ACLED codes looting as a strategic development unless it is part of a riot (events.py
    # re-types it when demonstrators are named).
    **dict.fromkeys(("loot", "plunder", "ransack", "vandalize", "vandalise"), _LOOT),
    **dict.fromkeys(("sign", "agree"), _AGREE),
    **dict.fromkeys(("arrest", "detain"), _ARREST),
    **dict.fromkeys(("burn", "destroy", "demolish", "torch", "raze"), _LOOT),
    **dict.fromkeys(("withdraw", "evacuate", "retreat"), _TRANSFER),
    **dict.fromkeys(("surrender",), _SURRENDER),
    **dict.fromkeys(("intercept", "defuse", "down"), _DISRUPT),
    **dict.fromkeys(
        ("deploy", "mobilise", "mobilize", "recruit", "defect", "dispatch", "redeploy"),
        _MOBILIZE,
    ),
}

NOUN_TRIGGERS: dict[str, TriggerSense] = {
    **dict.fromkeys(
        ("capture", "recapture", "fall", "takeover", "expulsion", "seizure", "liberation"),
        _TERRITORY,
    ),
    **dict.fromkeys(
        ("clash", "fighting", "fight", "battle", "combat", "skirmish", "firefight", "ambush",
         "shoot-out", "shootout", "gunbattle",
         "siege", "gunfight", "offensive", "counteroffensive", "counter-offensive"),
        _CLASH,
    ),
    **dict.fromkeys(
        ("airstrike", "air strike", "air raid", "bombing", "bombardment", "sortie", "drone strike",
         "barrel bomb", "barrel bombing"),
        _AIR,
    ),
    **dict.fromkeys(
        ("shelling", "artillery", "mortar", "rocket", "missile", "barrage", "missile strike"),
        _SHELL,
    ),
    **dict.fromkeys(
        ("explosion", "blast", "ied", "landmine", "mine", "car bomb", "roadside bomb", "bomb",
         "car bombing", "roadside bombing", "bomb attack", "bomb blast", "bomb explosion"),
        _IED,
    ),
    **dict.fromkeys(("suicide bomber", "suicide bombing", "suicide attack"), _SUICIDE),
    **dict.fromkeys(
        ("chemical attack", "gas attack", "sarin", "chlorine", "nerve agent"), _CHEMICAL
    ),
    **dict.fromkeys(("grenade",), _GRENADE),
    **dict.fromkeys(
        ("killing", "massacre", "execution", "murder", "death toll", "assassination"), _KILL
    ),
    **dict.fromkeys(("torture",), _ATTACK),
    **dict.fromkeys(("attack", "raid", "assault"), _ATTACK),
    # In conflict reporting a "strike" by an armed actor is an air strike ("US-led strikes").
    **dict.fromkeys(("strike",), _AIR),
    **dict.fromkeys(("abduction", "kidnapping", "disappearance"), _ABDUCT),
    **dict.fromkeys(("rape", "sexual violence"), _SEXUAL),
    # ACLED codes labour and hunger strikes as protests; "strike" alone is an attack.
    **dict.fromkeys(
        ("protest", "demonstration", "rally", "sit-in", "hunger strike", "general strike"),
        _PROTEST,
    ),
    **dict.fromkeys(("riot",), _RIOT),
    **dict.fromkeys(("mob", "lynching", "vigilante"), _MOB),
    **dict.fromkeys(("looting", "vandalism", "arson"), _LOOT),
    **dict.fromkeys(("ceasefire", "truce", "agreement", "deal", "accord"), _AGREE),
    **dict.fromkeys(("arrest", "detention", "crackdown"), _ARREST),
    **dict.fromkeys(("withdrawal", "evacuation", "retreat"), _TRANSFER),
    **dict.fromkeys(("surrender",), _SURRENDER),
}

# Weapon and method words anywhere in a sentence that sharpen a generic attack or kill trigger.
WEAPON_SUB_TYPES: dict[str, TriggerSense] = {
    **dict.fromkeys(
        ("chemical", "sarin", "chlorine", "nerve", "toxic", "gas", "poisonous", "asphyxia",
         "asphyxiation", "suffocation", "suffocating", "foaming", "respiratory"),
        _CHEMICAL,
    ),
    **dict.fromkeys(("suicide",), _SUICIDE),
    **dict.fromkeys(
        ("airstrike", "airstrikes", "warplane", "warplanes", "jet", "jets", "drone", "drones",
         "aircraft", "helicopter", "helicopters", "air", "barrel", "plane", "planes",
         "aerial"),
        _AIR,
    ),
    **dict.fromkeys(
        ("shelling", "artillery", "mortar", "mortars", "rocket", "rockets", "missile", "missiles",
         "shell", "shells", "rocketry", "artillery-fire"),
        _SHELL,
    ),
    **dict.fromkeys(
        ("bomb", "bombs", "explosive", "explosives", "ied", "landmine", "mine", "blast"), _IED
    ),
    **dict.fromkeys(("grenade", "grenades"), _GRENADE),
}

# Weapons that make a remote-violence trigger more specific wherever they are named in its
# sentence: shells "containing poisonous gas" are a chemical attack, a "grenade explosion" a
# grenade, an explosion set off by a suicide bomber a suicide bomb.
REFINING_SUB_TYPES = frozenset({"Chemical weapon", "Suicide bomb", "Grenade"})
# Targets that make an attack a battle: ACLED codes an armed group attacking a military base,
# a checkpoint or soldiers as an armed clash.
MILITARY_TARGETS = frozenset(
    {"base", "bases", "checkpoint", "post", "outpost", "barracks", "soldier", "troop", "army",
     "patrol", "convoy", "garrison", "position"}
)
# Signs that a place changed hands without a fight (ACLED "Non-violent transfer of territory").
UNCONTESTED_CUES = frozenset(
    {"withdraw", "withdrawal", "retreat", "evacuate", "abandon", "deserted", "resistance"}
)

# Precedence when several weapons are named: the most specific method wins.
WEAPON_PRECEDENCE = (
    "Chemical weapon",
    "Suicide bomb",
    "Air/drone strike",
    "Shelling/artillery/missile attack",
    "Grenade",
    "Remote explosive/landmine/IED",
)

# ACLED "Disrupted weapons use": weapons seized, found, defused or destroyed before use. A verb
# of this list whose object is a weapon word is that event, and the weapon nouns under it are
# not attacks of their own ("police seized grenades", "a cache of mines was found").
DISRUPT_VERBS = frozenset(
    {"seize", "capture", "find", "discover", "uncover", "destroy", "clear", "defuse", "dismantle",
     "remove", "recover", "confiscate", "intercept", "neutralize", "neutralise",
     "impound", "identify", "unearth", "shoot"}
)
WEAPON_OBJECTS = frozenset(
    {"weapon", "firearm", "gun", "pistol", "rifle", "ammunition", "ammo", "arm", "round",
     "bullet", "cartridge", "explosive", "bomb", "mine", "landmine", "ied", "vbied", "grenade",
     "missile", "rocket", "mortar", "projectile", "device", "cache", "stash", "arsenal",
     "munition", "munitions", "shell", "drone", "rpg", "detonator", "barrel"}
)
# Fighting words used of an abstract foe: "attack the virus", "fight corruption", "the battle
# against cancer", "the war on drugs" are policies or metaphors, not armed events.
FIGURATIVE_FIGHT_LEMMAS = frozenset(
    {"attack", "battle", "fight", "combat", "war", "wage", "tackle", "assault", "campaign"}
)
ABSTRACT_FOES = frozenset(
    """virus coronavirus covid covid-19 pandemic epidemic disease illness infection outbreak cancer
    malaria cholera ebola polio corruption poverty hunger famine inflation unemployment crime
    problem issue fire wildfire blaze flood drought climate change misinformation
    disinformation addiction drug narcotic terrorism extremism radicalism radicalisation
    radicalization impunity racism discrimination injustice inequality illiteracy obesity
    pollution smuggling trafficking""".split()
)
# Words that make a noun phrase a store of weapons rather than an attack ("an arms cache").
WEAPON_STORES = frozenset({"cache", "stash", "haul", "arsenal", "stockpile", "depot"})
# Verbs of gathering that are a protest when demonstrators (or a crowd) do them, or when they
# go "to/into the streets": "protesters poured into the streets", "crowds gathered".
GATHER_VERBS = frozenset(
    {"gather", "assemble", "pour", "flood", "take", "walk", "converge", "chant", "swarm", "throng"}
)
CROWD_WORDS = frozenset({"crowd", "striker", "supporter", "student", "worker"})

# ACLED "Headquarters or base established": a verb of founding with one of these objects.
BASE_VERBS = frozenset({"establish", "set", "build", "open", "construct", "erect"})
BASE_NOUNS = frozenset(
    {"base", "post", "outpost", "point", "barracks", "headquarters", "checkpoint", "camp",
     "position"}
)
# ACLED "Change to group/activity": a group formed, troops moved or sent. A verb of founding with
# a group as object, or a verb of moving with troops as object, is that event.
GROUP_VERBS = frozenset({"form", "set", "create", "establish", "launch", "found"})
GROUP_NOUNS = frozenset(
    {"group", "unit", "entity", "organisation", "organization", "brigade", "battalion", "militia",
     "council", "coalition", "alliance", "front", "force", "division", "faction"}
)
MOVE_VERBS = frozenset({"move", "send", "amass", "mass", "reinforce", "transfer", "pull"})
TROOP_NOUNS = frozenset(
    {"troop", "troops", "force", "forces", "soldier", "reinforcement", "unit", "fighter",
     "convoy", "tank", "brigade", "battalion"}
)

# Protest context: words naming demonstrators, and cues that decide between ACLED's protest and
# riot sub-types (codebook: violence by demonstrators makes a riot; force used on peaceful
# demonstrators is an intervention, or excessive force when they are killed or maimed).
DEMONSTRATOR_WORDS = frozenset(
    {"protester", "protestor", "demonstrator", "rioter", "protest", "demonstration", "rally",
     "march", "marcher"}
)
RIOT_CUES = frozenset(
    {"riot", "rioter", "violent", "violently", "violence", "clash", "stone", "rock", "molotov",
     "smash", "vandalize", "vandalise", "ablaze", "torch", "firecracker", "firework", "petrol",
     "loot", "looting", "throw", "hurl", "burn", "unrest", "fight", "attack"}
)
INTERVENTION_CUES = frozenset(
    {"tear", "teargas", "cannon", "rubber", "disperse", "baton", "pepper", "arrest", "detain",
     "crackdown", "break"}
)

# "win control", "take control", "gain control": a light verb plus "control" is a territory event.
CONTROL_VERBS = frozenset(
    {"win", "take", "gain", "seize", "regain", "retake", "wrest", "assume", "establish",
     "restore", "impose", "extend"}
)
LOSS_VERBS = frozenset({"lose", "fall"})
# "take" alone is too common to be a trigger; it counts only with a place or "control" object.
TAKE_VERBS = frozenset({"take", "capture", "seize"})
