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
# "protest", "riot", "strategic".
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
_AGREE = TriggerSense("strategic", STRATEGIC, "Agreement", "AGREE")
_ARREST = TriggerSense("strategic", STRATEGIC, "Arrests", "COERCE")
_LOOT = TriggerSense("strategic", STRATEGIC, "Looting/property destruction", "COERCE")
_TRANSFER = TriggerSense("strategic", STRATEGIC, "Non-violent transfer of territory", "RETREAT")
_BASE = TriggerSense("strategic", STRATEGIC, "Headquarters or base established", "MOBILIZE")
_DISRUPT = TriggerSense("strategic", STRATEGIC, "Disrupted weapons use", "FIGHT")
_MOBILIZE = TriggerSense("strategic", STRATEGIC, "Change to group/activity", "MOBILIZE")

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
    **dict.fromkeys(("kill", "slaughter", "massacre", "execute", "murder", "shoot", "die"), _KILL),
    # "storm" a camp or a building is an attack; storming a town is read from its object.
    **dict.fromkeys(("attack", "strike", "target", "raid", "assault", "storm"), _ATTACK),
    **dict.fromkeys(("abduct", "kidnap"), _ABDUCT),
    **dict.fromkeys(("rape",), _SEXUAL),
    **dict.fromkeys(("protest", "demonstrate", "rally", "march"), _PROTEST),
    **dict.fromkeys(("riot", "loot"), _RIOT),
    **dict.fromkeys(("sign", "agree"), _AGREE),
    **dict.fromkeys(("arrest", "detain"), _ARREST),
    **dict.fromkeys(("burn", "destroy", "demolish", "torch", "raze"), _LOOT),
    **dict.fromkeys(("withdraw", "evacuate", "surrender", "retreat"), _TRANSFER),
    **dict.fromkeys(("intercept", "defuse", "down"), _DISRUPT),
    **dict.fromkeys(("deploy", "mobilise", "mobilize", "recruit"), _MOBILIZE),
}

NOUN_TRIGGERS: dict[str, TriggerSense] = {
    **dict.fromkeys(
        ("capture", "recapture", "fall", "takeover", "expulsion", "seizure", "liberation",
         "offensive"),
        _TERRITORY,
    ),
    **dict.fromkeys(
        ("clash", "fighting", "fight", "battle", "combat", "skirmish", "firefight", "ambush",
         "siege", "gunfight"),
        _CLASH,
    ),
    **dict.fromkeys(
        ("airstrike", "air strike", "air raid", "bombing", "bombardment", "sortie", "drone strike"),
        _AIR,
    ),
    **dict.fromkeys(
        ("shelling", "artillery", "mortar", "rocket", "missile", "barrage", "missile strike"),
        _SHELL,
    ),
    **dict.fromkeys(
        ("explosion", "blast", "ied", "landmine", "mine", "car bomb", "roadside bomb", "bomb"),
        _IED,
    ),
    **dict.fromkeys(("suicide bomber", "suicide bombing", "suicide attack"), _SUICIDE),
    **dict.fromkeys(
        ("chemical attack", "gas attack", "sarin", "chlorine", "nerve agent"), _CHEMICAL
    ),
    **dict.fromkeys(("grenade",), _GRENADE),
    **dict.fromkeys(("killing", "massacre", "execution", "murder", "death toll"), _KILL),
    **dict.fromkeys(("attack", "raid", "assault", "strike"), _ATTACK),
    **dict.fromkeys(("abduction", "kidnapping", "disappearance"), _ABDUCT),
    **dict.fromkeys(("rape", "sexual violence"), _SEXUAL),
    **dict.fromkeys(("protest", "demonstration", "rally", "sit-in"), _PROTEST),
    **dict.fromkeys(("riot", "looting", "mob"), _RIOT),
    **dict.fromkeys(("ceasefire", "truce", "agreement", "deal", "accord"), _AGREE),
    **dict.fromkeys(("arrest", "detention", "crackdown"), _ARREST),
    **dict.fromkeys(("withdrawal", "evacuation", "surrender", "retreat"), _TRANSFER),
}

# Weapon and method words anywhere in a sentence that sharpen a generic attack or kill trigger.
WEAPON_SUB_TYPES: dict[str, TriggerSense] = {
    **dict.fromkeys(("chemical", "sarin", "chlorine", "nerve", "toxic", "gas"), _CHEMICAL),
    **dict.fromkeys(("suicide",), _SUICIDE),
    **dict.fromkeys(
        ("airstrike", "airstrikes", "warplane", "warplanes", "jet", "jets", "drone", "drones",
         "aircraft", "helicopter", "helicopters", "air"),
        _AIR,
    ),
    **dict.fromkeys(
        ("shelling", "artillery", "mortar", "mortars", "rocket", "rockets", "missile", "missiles",
         "shell", "shells", "barrel"),
        _SHELL,
    ),
    **dict.fromkeys(
        ("bomb", "bombs", "explosive", "explosives", "ied", "landmine", "mine", "blast"), _IED
    ),
    **dict.fromkeys(("grenade", "grenades"), _GRENADE),
}

# Precedence when several weapons are named: the most specific method wins.
WEAPON_PRECEDENCE = (
    "Chemical weapon",
    "Suicide bomb",
    "Air/drone strike",
    "Shelling/artillery/missile attack",
    "Grenade",
    "Remote explosive/landmine/IED",
)

# "win control", "take control", "gain control": a light verb plus "control" is a territory event.
CONTROL_VERBS = frozenset({"win", "take", "gain", "seize", "regain", "retake", "wrest", "assume"})
LOSS_VERBS = frozenset({"lose", "fall"})
# "take" alone is too common to be a trigger; it counts only with a place or "control" object.
TAKE_VERBS = frozenset({"take", "capture", "seize"})
