"""Names, addresses and Belgian identifiers for generated people and organisations.

Every identifier is made valid from its definition (the mod-97 check digits; the IBAN's by python-stdnum):
python-stdnum has no generator for national or enterprise numbers. Checking a million of them again would cost
more than making them; the tests check every generated identifier with python-stdnum, the library the
application validates with.
"""

import datetime
import random
import string

from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs

MALE_NAMES = (
    "Jan", "Luc", "Marc", "Peter", "Tom", "Bart", "Koen", "Geert", "Dirk", "Wim", "Kris", "Stijn", "Pieter",
    "Jonas", "Thomas", "Ruben", "Jens", "Wout", "Arne", "Senne", "Mohamed", "Youssef", "Ahmed", "Omar", "Bilal",
    "Mehmet", "Emre", "Yonas", "Dawit", "Andrii", "Oleksandr", "Piotr", "Marius", "Ionut", "Ali", "Hassan",
    "Patrick", "Eddy", "Rudi", "Freddy", "Willy", "Gilbert", "Roger", "Frans", "Jozef", "André",
)
FEMALE_NAMES = (
    "An", "Els", "Katrien", "Sofie", "Sarah", "Lien", "Eline", "Hanne", "Nathalie", "Veerle", "Inge", "Ilse",
    "Griet", "Ann", "Karin", "Marleen", "Martine", "Linda", "Rita", "Fatima", "Samira", "Nadia", "Amina", "Leila",
    "Zeynep", "Elif", "Hiwet", "Selam", "Olena", "Iryna", "Agnieszka", "Elena", "Maria", "Ana", "Yasmina",
    "Godelieve", "Maria-Jozefa", "Simonne", "Jeanne", "Paula", "Rosa", "Denise", "Lutgarde", "Monique",
)
LAST_NAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
    "Dubois", "Hermans", "Aerts", "Pauwels", "Vermeulen", "Van Damme", "De Clercq", "Verhoeven", "Van de Velde",
    "Desmet", "Lambrechts", "Martens", "Michiels", "Smets", "Dhondt", "Declercq", "Vandenberghe", "Coppens",
    "Verstraete", "Van Den Broeck", "De Backer", "Segers", "Cools", "Van Acker", "Wuyts", "De Wilde",
    "Vanhoutte", "Vercammen", "Baert", "Bogaert", "Stevens", "Thys", "Geerts", "Van Hecke", "Nijs", "Moens",
    "El Amrani", "Benali", "Bouzid", "El Idrissi", "Yilmaz", "Demir", "Kaya", "Tesfay", "Gebremedhin",
    "Kovalenko", "Shevchenko", "Nowak", "Kowalski", "Popescu", "Ionescu", "Haidari", "Rahimi", "Mohamud",
)
STREETS = (
    "Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat", "Schoolstraat", "Kapelstraat",
    "Beekstraat", "Veldstraat", "Bosstraat", "Hoogstraat", "Kasteelstraat", "Lindelaan", "Lindenlaan",
    "Processiestraat", "Brugstraat", "Meersstraat", "Heirweg", "Steenweg", "Koning Albertlaan", "Leopoldlaan",
    "Groenstraat", "Vijverstraat", "Weverstraat", "Pastorijstraat", "Gemeenteplein", "Marktplein", "Sint-Jansstraat",
    "Populierenlaan", "Berkenlaan", "Eikenlaan", "Kastanjelaan", "Zandstraat", "Heidestraat", "Hofstraat",
    "Tuinwijk", "Ringlaan", "Vaartstraat", "Smissestraat", "Oude Baan",
)
SCHOOLS = ("Basisschool De Regenboog", "Vrije Basisschool Sint-Jozef", "GO! Basisschool De Tuimelaar",
           "Gemeentelijke Basisschool De Klimop", "Sint-Victorinstituut", "Atheneum", "Vrije Basisschool De Bolster",
           "Kleuterschool 't Klavertje", "Buitengewoon Onderwijs De Kade")
VZWS = ("Vzw De Vlinder", "Jeugdhuis De Kelder", "Vzw Buurtwerk", "Sportclub", "Dienstencentrum De Zonnewijzer",
        "Vzw Sociaal Restaurant", "Kringloopcentrum", "Vzw Speelpleinwerking", "Koor Sint-Cecilia",
        "Vzw Dierenasiel", "Wijkcomité", "Vzw Voedselbank")
FARMS = ("Hoeve De Linde", "Tuinbouwbedrijf Van Acker", "Fruitbedrijf De Boomgaard", "Melkveebedrijf Ter Beke",
         "Serrebedrijf Groeninge", "Aardbeienkwekerij De Kroon", "Boomkwekerij Het Hof")
OWN_SERVICES = ("Lokaal bestuur", "OCMW", "Woonzorgcentrum", "Gemeentelijke groendienst")
BANKS = (("068", "GKCCBEBB"), ("001", "GEBABEBB"), ("363", "BBRUBEBB"), ("734", "KREDBEBB"), ("979", "ARSPBE22"),
         ("750", "AXABBE22"), ("103", "NICABEBB"), ("063", "GKCCBEBB"))


def person(rng: random.Random, *, female: bool | None = None) -> tuple[str, str, bool]:
    """(first name, last name, female)."""
    if female is None:
        female = rng.random() < 0.5
    return rng.choice(FEMALE_NAMES if female else MALE_NAMES), rng.choice(LAST_NAMES), female


def street(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 180)}"


def phone(rng: random.Random) -> str:
    return f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def national_number(birth: datetime.date, serial: int) -> str:
    """The rijksregisternummer of someone born on `birth` with day serial `serial` (odd for men)."""
    base = f"{birth:%y%m%d}{serial:03d}"
    checked = ("2" + base) if birth.year >= 2000 else base
    return base + f"{97 - int(checked) % 97:02d}"


class NationalNumbers:
    """Unique national numbers within one organiser."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self, *, born_from: int, born_until: int, female: bool) -> str:
        while True:
            year = self.rng.randint(born_from, born_until)
            birth = datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))
            serial = self.rng.randrange(1, 997, 2) + (1 if female else 0)
            number = national_number(birth, serial)
            if number not in self.used:
                self.used.add(number)
                return number


def kbo_number(n: int) -> str:
    """The `n`th generated enterprise number, formatted 0123.456.789 as the application stores it."""
    base = f"0{(n % 10_000_000):07d}"
    number = base + f"{97 - int(base) % 97:02d}"
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def iban(rng: random.Random) -> tuple[str, str]:
    """(a Belgian IBAN in its compact form, the bank's BIC)."""
    code, bic = rng.choice(BANKS)
    bban = f"{code}{rng.randrange(10**7):07d}"
    bban += f"{int(bban) % 97 or 97:02d}"
    return "BE" + stdnum_iban.calc_check_digits("BE00" + bban) + bban, bic


def iban_display(number: str) -> str:
    return stdnum_iban.format(number)


def order_communication(rng: random.Random, used: set[str], prefix: str) -> str:
    """A fresh structured communication for an order: "9", the organiser's three-digit `prefix`, six random
    digits and the mod-97 check digits. The form of `cheques.services.orders.new_order_communication` (which
    draws nine random digits); the prefix keeps organisers built in parallel from drawing the same one."""
    while True:
        base = "9" + prefix + f"{rng.randrange(10**6):06d}"
        value = base + ogm_vcs.calc_check_digits(base)
        if value not in used:
            used.add(value)
            return value


def mollie_id(rng: random.Random, used: set[str]) -> str:
    while True:
        value = "tr_" + "".join(rng.choice(string.ascii_letters + string.digits) for _n in range(10))
        if value not in used:
            used.add(value)
            return value
