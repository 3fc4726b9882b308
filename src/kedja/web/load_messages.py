"""The loader's problem reasons and fixes in Swedish, for the pages.

The checks (``kedja.loading``) write their reasons and fixes in English, as the command line
and the JSON report show them; a page in Swedish shows them through these patterns. A message
no pattern knows (a rare rule of the core types) is shown as it is.

Examples:
    >>> swedish("is not a known municipality")
    'är ingen känd kommun'
    >>> swedish("did you mean 2580 Luleå, 2581 Piteå? (or translate it in the mapping file)")
    'menade du 2580 Luleå, 2581 Piteå? (eller översätt värdet i mappningsfilen)'
"""

from __future__ import annotations

import re

__all__ = ["swedish"]

_WHAT = {"municipality": "kommun", "SSYK 2012 occupation group": "yrkesgrupp i SSYK 2012",
         "skill": "kompetens", "code": "kod"}

_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in (
    (r"^is not a known (.+)$", "är ingen känd {what}"),
    (r"^holds '(.+)', which is not a known (.+)$", "innehåller '\\1', som inte är någon känd {what2}"),
    (r"^did you mean (.+)\? \(or translate it in the mapping file\)$",
     "menade du \\1? (eller översätt värdet i mappningsfilen)"),
    (r"^use a (.+) from the template's lists \(or translate it in the mapping file\)$",
     "välj ur mallens listor (eller översätt värdet i mappningsfilen)"),
    (r"^is not one of the allowed codes$", "är inte en av de tillåtna koderna"),
    (r"^use one of (.+) \(or translate it in the mapping file\)$",
     "använd en av \\1 (eller översätt värdet i mappningsfilen)"),
    (r"^is empty but required$", "är tom men krävs"),
    (r"^fill in (\w+): (.+)$", "fyll i \\1: \\2"),
    (r"^is not a locality of the municipality$", "är ingen tätort i kommunen"),
    (r"^did you mean (.+)\?$", "menade du \\1?"),
    (r"^leave it empty or name a locality in the municipality$",
     "lämna tomt eller ange en tätort i kommunen"),
    (r"^is used again \(first on line (\d+)\)$", "används igen (första gången på rad \\1)"),
    (r"^give every row its own id, or merge the rows$", "ge varje rad ett eget id, eller slå ihop raderna"),
    (r"^is missing: your organisation may hold the record only with the person's consent$",
     "saknas: er organisation får hålla uppgifterna endast med personens samtycke"),
    (r"^write the date the person consented$", "skriv datumet då personen samtyckte"),
    (r"^is not an organisation Kedja knows$", "är ingen organisation som Kedja känner till"),
    (r"^add a column (\w+) with its name, or load it with kedja load organisations first$",
     "lägg till en kolumn \\1 med namnet, eller läs först in organisationen"),
    (r"^has no organisation to belong to$", "hör inte till någon organisation"),
    (r"^is not a number$", "är inget tal"),
    (r"^write a number such as 3,5 or 40$", "skriv ett tal, till exempel 3,5 eller 40"),
    (r"^is not a whole number$", "är inget heltal"),
    (r"^write a whole number such as 40$", "skriv ett heltal, till exempel 40"),
    (r"^is not a date$", "är inget datum"),
    (r"^write the date as YYYY-MM-DD, for instance 2026-03-01$",
     "skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-01"),
    (r"^'(.+)' is not a language with a level$", "'\\1' är inget språk med nivå"),
    (r"^write code:level, e\.g\. sv:B1;ar:native \(levels A1–C2 or native\)$",
     "skriv kod:nivå, t.ex. `sv:B1;ar:native` (nivåer A1–C2 eller `native`)"),
    (r"^is not a personal identity number \(10 or 12 digits\)$",
     "är inget personnummer (10 eller 12 siffror)"),
    (r"^holds no valid birth date$", "innehåller inget giltigt födelsedatum"),
    (r"^has a wrong check digit \(the last digit\)$", "har fel kontrollsiffra (sista siffran)"),
    (r"^write the 12 digits .+$",
     "skriv de 12 siffrorna ÅÅÅÅMMDD-NNNN (eller 10 siffror ÅÅMMDD-NNNN) från personens "
     "id-handling; ett samordningsnummer har 60 lagt till dagen"),
    (r"^is not a name$", "är inget namn"),
    (r"^give the name the person uses, 1 to 200 characters$",
     "ange namnet personen använder, 1 till 200 tecken"),
    (r"^is a required column that the file lacks$", "är en obligatorisk kolumn som saknas i filen"),
    (r"^add a column named (\w+) \((.+)\) or map yours to it in the mapping file$",
     "lägg till en kolumn som heter \\1 (\\2) eller koppla er kolumn till den i mappningsfilen"),
    (r"^is a second column for (\w+)$", "är en andra kolumn för \\1"),
    (r"^keep one column per field$", "behåll en kolumn per uppgift"),
    (r"^an employed person needs an occupation$", "en anställd person behöver ett yrke"),
    (r"^give the SSYK 2012 code of the current job$", "ange SSYK 2012-koden för nuvarande jobb"),
    # notes
    (r"^column '(.+)' is not read \(did you mean (.+)\?\)$", "kolumnen '\\1' läses inte (menade du \\2?)"),
    (r"^column '(.+)' is not read$", "kolumnen '\\1' läses inte"),
    (r"^added the (\w+) (.+) \((.+)\)$", "lade till organisationen \\2 (\\3)"),
    # the data-quality view
    (r"^fill the column in the file and load it again$", "fyll i kolumnen i filen och läs in den igen"),
    (r"^fill the column in the file and load it again \((.+)\)$",
     "fyll i kolumnen i filen och läs in den igen"),
    (r"^without consent no organisation sees the record: .+$",
     "utan samtycke ser ingen organisation uppgifterna: registrera det på personens sida eller i filen"),
    (r"^vacancies past their closing date$", "lediga jobb vars sista ansökningsdag har passerat"),
    (r"^courses that have ended$", "utbildningar som har slutat"),
    (r"^places that have ended$", "platser som har upphört"),
    (r"^remove them from the file or give a new end date, then load it again$",
     "ta bort dem ur filen eller ange ett nytt slutdatum och läs in den igen"),
    (r"^status unchanged for more than (\d+) days$", "läget oförändrat i mer än \\1 dagar"),
    (r"^check the status with the person and load the file again$",
     "stäm av läget med personen och läs in filen igen"),
    (r"^preferred occupations outside the taxonomy$", "önskade yrken utanför taxonomin"),
    (r"^use SSYK 2012 codes from the template's list.+$", "använd SSYK 2012-koder ur mallens lista"),
    (r"^courses leading to no known occupation$", "utbildningar som inte leder till något känt yrke"),
    (r"^give leads_to as SSYK 2012 codes from the template's list$",
     "ange `leads_to` som SSYK 2012-koder ur mallens lista"),
    (r"^organisations without a user account$", "organisationer utan användarkonto"),
    (r"^create accounts with kedja users add for those that will sign in$",
     "skapa konton (`kedja users add`) för dem som ska logga in"),
)]


def swedish(text: str) -> str:
    """``text`` in Swedish when a pattern knows it, else unchanged."""
    for pattern, template in _PATTERNS:
        match = pattern.match(text)
        if match:
            groups = match.groups()
            what = _WHAT.get(groups[-1], groups[-1]) if groups else ""
            return match.expand(template.replace("{what}", what).replace("{what2}", what))
    return text
