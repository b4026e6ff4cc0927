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
            "Mensen van buiten doen het project. De gemeenschap kijkt alleen toe.",
            "Een partner uit de gemeenschap doet mee. Een deel van de leiding komt uit de groep.",
            "Bekende mensen en gespreksleiders uit de gemeenschap leiden het project. De groep "
            "bedenkt het project mee.",
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
            "Alleen ‘bespreekbaar maken’. Het plan zegt niet wat er moet veranderen.",
            "Het plan zegt wat er moet veranderen. Het gebruikt een deel van de manieren waarvan "
            "we weten dat ze werken.",
            "Het plan zegt precies wat er moet veranderen. Het gebruikt manieren waarvan we weten "
            "dat ze werken: normen uit de eigen groep, eigen verhalen, contact en informatie over "
            "rechten. Dezelfde groep komt vaker bij elkaar.",
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
            "Niet duidelijk welke groep, of een groep die al bereikt wordt.",
            "Een duidelijke groep. Het plan om mensen te vinden kan werken.",
            "Een groep die moeilijk te bereiken is. Vertrouwde plekken, duidelijke aantallen en "
            "een plan om mensen te vinden.",
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
            "Het plan zegt niet welke risico's er zijn.",
            "Afspraken voor de groep, en mensen weten waar ze hulp kunnen krijgen.",
            "Een plan voor de risico's (boze reacties, geweld rond eer, iemand die tegen de eigen "
            "wil geout wordt). Getrainde gespreksleiders, hulp als dat nodig is, en een lijst van "
            "deelnemers die hun privacy beschermt.",
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
            "Het team of de planning is niet duidelijk.",
            "Een plan dat kan werken, en wat ervaring.",
            "Het team heeft laten zien dat het dit kan. De planning klopt. Partners hebben ja "
            "gezegd.",
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
            "Niet duidelijk, of te hoog.",
            "Alle kosten staan apart. De meeste kosten zijn redelijk.",
            "Zuinig, met ook geld van anderen, en redelijke kosten per deelnemer.",
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
            "Het project stopt als de subsidie stopt.",
            "Een paar ideeën voor daarna.",
            "Partners gaan ermee door, gespreksleiders zijn getraind, en anderen leren van wat "
            "het project heeft geleerd.",
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
