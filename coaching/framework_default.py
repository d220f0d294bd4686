"""The default competence framework an organiser starts from: generic soft skills, each on five levels, in our
own words (no text of a proprietary instrument). It is data, in Dutch; the beheerder changes it in a new version."""

DEFAULT_COMPETENCES = [
    {
        "key": "afspraken-nakomen",
        "name": "Afspraken nakomen",
        "description": "Doet wat afgesproken is en laat tijdig weten als iets niet lukt.",
        "levels": [
            "Komt afspraken zelden na en verwittigt niet.",
            "Komt afspraken soms na; verwittigt pas na herinnering.",
            "Komt de meeste afspraken na; verwittigt meestal zelf.",
            "Komt afspraken na en verwittigt op tijd als iets niet lukt.",
            "Komt afspraken altijd na en denkt mee over een oplossing als iets verandert.",
        ],
    },
    {
        "key": "stiptheid",
        "name": "Stiptheid",
        "description": "Is op tijd op het werk en bij afspraken.",
        "levels": [
            "Komt vaak te laat of niet, zonder te verwittigen.",
            "Komt geregeld te laat; verwittigt soms.",
            "Is meestal op tijd; verwittigt bij vertraging.",
            "Is op tijd en plant de verplaatsing zelf.",
            "Is altijd op tijd, ook bij een nieuwe plaats of een ander uur.",
        ],
    },
    {
        "key": "samenwerken",
        "name": "Samenwerken",
        "description": "Werkt vlot samen met de gebruiker, collega's en begeleiders.",
        "levels": [
            "Werkt liever alleen; samenwerken loopt vaak moeilijk.",
            "Werkt samen als iemand het werk verdeelt en opvolgt.",
            "Werkt samen en helpt anderen als het gevraagd wordt.",
            "Stemt het werk zelf af met anderen en helpt uit zichzelf.",
            "Brengt mensen samen en lost kleine conflicten zelf op.",
        ],
    },
    {
        "key": "communiceren-nederlands",
        "name": "Communiceren in het Nederlands",
        "description": "Begrijpt opdrachten en maakt zich verstaanbaar in het Nederlands.",
        "levels": [
            "Begrijpt eenvoudige opdrachten alleen met gebaren of een vertaling.",
            "Begrijpt korte opdrachten; antwoordt met enkele woorden.",
            "Begrijpt de meeste opdrachten en stelt zelf eenvoudige vragen.",
            "Voert een gesprek over het werk en legt een probleem uit.",
            "Communiceert vlot, ook aan de telefoon en met onbekenden.",
        ],
    },
    {
        "key": "zelfstandig-werken",
        "name": "Zelfstandig werken",
        "description": "Voert het werk uit zonder voortdurende begeleiding.",
        "levels": [
            "Heeft bij elke stap begeleiding nodig.",
            "Voert gekende taken uit met regelmatige controle.",
            "Voert gekende taken zelfstandig uit; vraagt hulp bij iets nieuws.",
            "Plant het eigen werk en werkt het af zonder controle.",
            "Werkt zelfstandig, ook bij nieuwe taken, en bewaakt de kwaliteit.",
        ],
    },
    {
        "key": "omgaan-met-feedback",
        "name": "Omgaan met feedback",
        "description": "Luistert naar opmerkingen en doet er iets mee.",
        "levels": [
            "Reageert afwijzend of boos op opmerkingen.",
            "Aanvaardt opmerkingen, maar past het werk zelden aan.",
            "Aanvaardt opmerkingen en past het werk meestal aan.",
            "Vraagt zelf hoe het beter kan en past het werk aan.",
            "Vraagt en geeft feedback op een respectvolle manier.",
        ],
    },
    {
        "key": "initiatief-nemen",
        "name": "Initiatief nemen",
        "description": "Ziet wat er moet gebeuren en onderneemt zelf iets.",
        "levels": [
            "Wacht tot iemand zegt wat er moet gebeuren.",
            "Neemt initiatief als het voorgesteld wordt.",
            "Neemt soms zelf initiatief bij gekende taken.",
            "Ziet zelf wat er moet gebeuren en doet het of meldt het.",
            "Stelt verbeteringen voor en zet ze in overleg om.",
        ],
    },
    {
        "key": "veilig-werken",
        "name": "Veilig werken",
        "description": "Werkt veilig voor zichzelf en anderen en gebruikt het materiaal correct.",
        "levels": [
            "Let niet op veiligheid; gebruikt materiaal verkeerd.",
            "Volgt veiligheidsregels als iemand erop wijst.",
            "Volgt de gekende veiligheidsregels en draagt beschermkledij.",
            "Werkt veilig uit zichzelf en meldt gevaarlijke situaties.",
            "Werkt veilig en wijst ook anderen op risico's.",
        ],
    },
]
