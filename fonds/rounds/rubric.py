"""The fund's default rubric (PRODUCT.md). New rounds start with a copy of it."""

from __future__ import annotations

from fonds.rounds.models import Round, RubricCriterion

# (name_nl, name_en, weight, (1, 3, 5) in Dutch, (1, 3, 5) in English)
DEFAULT_RUBRIC = [
    (
        "Verandering van binnenuit",
        "Change from within",
        20,
        (
            "Uitgevoerd door mensen van buiten; de gemeenschap is alleen publiek.",
            "Een partner uit de gemeenschap doet mee; een deel van de leiders komt uit de groep.",
            "Geleid door sleutelfiguren en gespreksleiders uit de gemeenschap; "
            "de groep ontwerpt mee.",
        ),
        (
            "Run by outsiders; the community is only the audience.",
            "A community partner is involved; leaders are partly from the group.",
            "Led by key figures and dialogue leaders from the community; the group co-designs.",
        ),
    ),
    (
        "Preventieve aanpak",
        "Preventive approach",
        20,
        (
            "Alleen 'bespreekbaar maken', zonder beoogde verandering.",
            "Een doel voor het resultaat, met enig verband met bekende werkzame elementen.",
            "Een concreet resultaat; duidelijke werkzame elementen (normen uit de eigen groep, "
            "persoonlijke verhalen, contact, informatie over rechten); herhaalde bijeenkomsten "
            "met dezelfde groep.",
        ),
        (
            "Only 'making it discussable', no intended change.",
            "An outcome goal, some link to known working mechanisms.",
            "A concrete outcome; explicit mechanisms (norms from one's own group, personal "
            "stories, contact, information about rights); repeated sessions with the same group.",
        ),
    ),
    (
        "Bereik van de doelgroep",
        "Reach of the closed community",
        15,
        (
            "Vaag, of een groep die al bereikt wordt.",
            "Een duidelijke groep en een realistische werving.",
            "Een moeilijk bereikbare groep, vertrouwde plekken, concrete aantallen en een "
            "wervingsroute.",
        ),
        (
            "Vague, or a group already reached.",
            "Defined group, realistic recruitment.",
            "Hard-to-reach group, trusted venues, concrete numbers and recruitment route.",
        ),
    ),
    (
        "Veiligheid en zorgvuldigheid",
        "Safety and do-no-harm",
        15,
        (
            "Geen risicoanalyse.",
            "Afspraken voor de groep en een route naar hulp.",
            "Een risicoplan (tegenreactie, eergerelateerd risico, ongewild uit de kast gehaald "
            "worden), getrainde gespreksleiding, doorverwijzing naar hulp, registratie die de "
            "privacy beschermt.",
        ),
        (
            "No risk analysis.",
            "Ground rules and a referral route.",
            "Risk plan (backlash, honour-related risk, outing), trained moderation, referral to "
            "help, privacy-safe registration.",
        ),
    ),
    (
        "Haalbaarheid",
        "Feasibility and capacity",
        10,
        (
            "Team of planning is niet duidelijk.",
            "Een geloofwaardig plan, enige ervaring.",
            "Bewezen capaciteit, realistische planning, partners hebben toegezegd.",
        ),
        (
            "Unclear team or planning.",
            "Plausible plan, some track record.",
            "Proven capacity, realistic planning, partners confirmed.",
        ),
    ),
    (
        "Begroting",
        "Budget and value for money",
        10,
        (
            "Onduidelijk of te hoog.",
            "Per post uitgewerkt, grotendeels redelijk.",
            "Kostenbewust, met medefinanciering, redelijke kosten per deelnemer.",
        ),
        (
            "Unclear or inflated.",
            "Itemised, mostly reasonable.",
            "Cost-conscious, co-funding, reasonable cost per participant.",
        ),
    ),
    (
        "Duurzaamheid",
        "Sustainability",
        10,
        (
            "Stopt als de subsidie stopt.",
            "Enkele ideeën voor daarna.",
            "Ingebed bij partners, gespreksleiders getraind, wat geleerd is wordt gedeeld.",
        ),
        (
            "Stops when the grant ends.",
            "Some follow-up ideas.",
            "Embedded with partners, dialogue leaders trained, learning shared.",
        ),
    ),
]


# The criteria the knock-out flag looks at, by position in DEFAULT_RUBRIC.
DEFAULT_KINDS = {1: "from_within", 2: "preventive", 4: "safety"}


def add_default_rubric(round_: Round) -> None:
    """Give a round its own copy of the default rubric, so later edits stay with that round."""
    for position, (name_nl, name_en, weight, nl, en) in enumerate(DEFAULT_RUBRIC, start=1):
        round_.criteria.append(
            RubricCriterion(
                position=position,
                kind=DEFAULT_KINDS.get(position),
                name_nl=name_nl,
                name_en=name_en,
                weight=weight,
                descriptor_1_nl=nl[0],
                descriptor_3_nl=nl[1],
                descriptor_5_nl=nl[2],
                descriptor_1_en=en[0],
                descriptor_3_en=en[1],
                descriptor_5_en=en[2],
            )
        )
