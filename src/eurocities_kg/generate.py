"""A synthetic project for scale tests: `eurocities-kg generate --cities N --output DIR`.

It writes a project directory that `eurocities-kg --project DIR build` accepts in place of the real
one: `ontology/` and `queries/` copied from a real project, and a `data/` directory generated from a
seed, shaped like the real data (shared/MODEL.md, data/README.md) and conforming to the shapes:

- networks (`network/eurocities` and further synthetic networks) with forums, working groups with
  observed periods, an executive committee, a general meeting and an office (`org:Site`);
- cities in the 38 member countries (and some in regions), each a member of Eurocities (some also of
  another network), with a period whose start is stated at a precision chosen per city: a date, a
  month, a year with a label ("autumn 2013"), a label only ("mid-1990s"), or none; some ended, some
  inferred or of low confidence; a second source states the end of some memberships in its own graph;
- mayors (persons and `ec:mayor` offices with periods, current and former) and the network's
  presidents, vice-presidents and forum chairs;
- reported figures (member cities, countries, inhabitants, member cities per country group), each
  dated and sourced, from a series of annual reports;
- sources with provenance (`prov:Entity`, `foaf:Document`, publisher, language, page, date read),
  one named graph per file, each graph described;
- Wikidata-shaped `owl:sameAs` links. The QIDs are synthetic (Q900000000 and up): they have the
  shape of Wikidata IRIs, and no meaning there.

No blank nodes (RDFC-1.0 canonicalisation is exponential in the worst case); periods are hash IRIs
of their statement node, as in the real data. The output depends on `cities` and `seed` only.

Sizes (distinct triples of the build, ontology included; measured, see `SIZES`): about 10k fixed
(ontology, networks, figures, elections) and 52 per city: `--cities 20` ≈ 10.8k, `1750` ≈ 101k,
`3400` ≈ 187.6k, `19200` ≈ 1.0M, `21200` ≈ 1.1M.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .iris import slugify
from .namespaces import PREFIXES as VOCABULARY_PREFIXES

BASE = "https://w3id.org/eurocities-kg/"
DATE_READ = "2026-11-24"

# cities → distinct triples of the build (measured; the README's performance section uses them)
SIZES = {20: 10_815, 1750: 100_985, 3400: 187_562, 19200: 999_619, 21000: 1_091_214}

PREFIXES = {
    "graph": BASE + "graph/",
    "source": BASE + "id/source/",
    "network": BASE + "id/network/",
    "city": BASE + "id/city/",
    "country": BASE + "id/country/",
    "countrygroup": BASE + "id/country-group/",
    "region": BASE + "id/region/",
    "forum": BASE + "id/forum/",
    "wg": BASE + "id/working-group/",
    "body": BASE + "id/body/",
    "site": BASE + "id/site/",
    "person": BASE + "id/person/",
    "membership": BASE + "id/membership/",
    "office": BASE + "id/office/",
    "figure": BASE + "id/figure/",
    "org_": BASE + "id/organization/",
    **VOCABULARY_PREFIXES,  # the vocabularies, as the project names them everywhere
}

# The 38 countries (ISO 3166-1 alpha-2) with German and English names.
COUNTRIES = (
    ("al", "Albanien", "Albania"),
    ("am", "Armenien", "Armenia"),
    ("at", "Österreich", "Austria"),
    ("ba", "Bosnien und Herzegowina", "Bosnia and Herzegovina"),
    ("be", "Belgien", "Belgium"),
    ("bg", "Bulgarien", "Bulgaria"),
    ("ch", "Schweiz", "Switzerland"),
    ("cy", "Zypern", "Cyprus"),
    ("cz", "Tschechien", "Czechia"),
    ("de", "Deutschland", "Germany"),
    ("dk", "Dänemark", "Denmark"),
    ("ee", "Estland", "Estonia"),
    ("es", "Spanien", "Spain"),
    ("fi", "Finnland", "Finland"),
    ("fr", "Frankreich", "France"),
    ("gb", "Vereinigtes Königreich", "United Kingdom"),
    ("ge", "Georgien", "Georgia"),
    ("gr", "Griechenland", "Greece"),
    ("hr", "Kroatien", "Croatia"),
    ("hu", "Ungarn", "Hungary"),
    ("ie", "Irland", "Ireland"),
    ("is", "Island", "Iceland"),
    ("it", "Italien", "Italy"),
    ("lt", "Litauen", "Lithuania"),
    ("lu", "Luxemburg", "Luxembourg"),
    ("lv", "Lettland", "Latvia"),
    ("md", "Moldau", "Moldova"),
    ("me", "Montenegro", "Montenegro"),
    ("mk", "Nordmazedonien", "North Macedonia"),
    ("nl", "Niederlande", "Netherlands"),
    ("no", "Norwegen", "Norway"),
    ("pl", "Polen", "Poland"),
    ("pt", "Portugal", "Portugal"),
    ("ro", "Rumänien", "Romania"),
    ("rs", "Serbien", "Serbia"),
    ("se", "Schweden", "Sweden"),
    ("si", "Slowenien", "Slovenia"),
    ("ua", "Ukraine", "Ukraine"),
)

FORUMS = (
    ("economic-development", "Forum Wirtschaftsentwicklung", "Economic Development Forum"),
    ("mobility", "Forum Mobilität", "Mobility Forum"),
    ("culture", "Forum Kultur", "Culture Forum"),
    ("social-affairs", "Forum Soziale Fragen", "Social Affairs Forum"),
    ("knowledge-society", "Forum Wissensgesellschaft", "Knowledge Society Forum"),
    ("environment", "Forum Umwelt", "Environment Forum"),
)

WG_TOPICS = (
    ("air-quality", "Luftqualität", "Air quality"),
    ("urban-mobility", "Städtische Mobilität", "Urban mobility"),
    ("open-data", "Offene Daten", "Open data"),
    ("housing", "Wohnen", "Housing"),
    ("energy", "Energie", "Energy"),
    ("migration", "Migration", "Migration"),
    ("smart-cities", "Intelligente Städte", "Smart cities"),
    ("green-areas", "Grünflächen", "Green areas"),
    ("public-spaces", "Öffentliche Räume", "Public spaces"),
    ("skills", "Kompetenzen", "Skills"),
    ("youth", "Jugend", "Youth"),
    ("waste", "Abfall", "Waste"),
    ("water", "Wasser", "Water"),
    ("tourism", "Tourismus", "Tourism"),
    ("procurement", "Beschaffung", "Procurement"),
    ("digital-services", "Digitale Dienste", "Digital services"),
)

SYLLABLES_START = (
    "Al",
    "Ber",
    "Cor",
    "Dal",
    "El",
    "Fal",
    "Gor",
    "Hal",
    "Ist",
    "Jar",
    "Kal",
    "Lor",
    "Mar",
    "Nor",
    "Os",
    "Pal",
    "Qu",
    "Ros",
    "Sal",
    "Tor",
    "Ul",
    "Val",
    "Wer",
    "Yor",
    "Zal",
    "Bra",
    "Gra",
    "Tre",
)
SYLLABLES_MIDDLE = ("a", "e", "i", "o", "u", "ar", "en", "il", "or", "ün", "ö", "ä", "es", "an")
SYLLABLES_END = (
    "burg",
    "stadt",
    "dorf",
    "heim",
    "haven",
    "mont",
    "ville",
    "grad",
    "polis",
    "ova",
    "ino",
    "ona",
    "berg",
    "furt",
    "lund",
    "holm",
    "vik",
    "sk",
    "ac",
    "ia",
)
FIRST_NAMES = (
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elena",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Karin",
    "Luca",
    "Maria",
    "Nils",
    "Olga",
    "Paul",
    "Rosa",
    "Sven",
    "Tina",
    "Uwe",
    "Vera",
    "Walter",
    "Zoe",
    "Marek",
    "Lena",
    "Pieter",
    "Sofia",
    "Tomas",
    "Eva",
    "Janne",
)
LAST_NAMES = (
    "Berger",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Horvat",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Novak",
    "Olsen",
    "Petrov",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Urban",
    "Vogel",
    "Weber",
    "Young",
    "Zimmer",
    "Nagy",
    "Silva",
    "Popescu",
    "Virtanen",
)

MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SEASONS = (("Frühjahr", "spring"), ("Sommer", "summer"), ("Herbst", "autumn"), ("Winter", "winter"))

QID_BASE = 900_000_000


@dataclass(frozen=True)
class Summary:
    cities: int
    files: int
    seed: int
    output: Path


def _literal(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


def _labels(de: str, en: str) -> str:
    return f"rdfs:label {_literal(de, 'de')} , {_literal(en, 'en')}"


def _hash(iri_prefix: str, slug: str, part: str) -> str:
    return f"<{BASE}id/{iri_prefix}/{slug}#{part}>"


@dataclass
class TurtleFile:
    """One data file: one source, one named graph, described at its top."""

    stem: str
    title: str
    label_de: str
    label_en: str
    publisher: str  # a prefixed name
    language: str = "en"
    page: str | None = None
    date: str | None = None
    lines: list[str] = field(default_factory=list)

    def add(self, subject: str, *predicate_objects: str) -> None:
        body = " ;\n    ".join(predicate_objects)
        self.lines.append(f"{subject} {body} .\n")

    def render(self) -> str:
        head = [
            f"# Synthetic source (eurocities-kg generate): {self.title}\n",
            f"# Named graph: {BASE}graph/{self.stem.replace('/', '-')}\n\n",
            *(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items()),
            "\n",
        ]
        graph = f"graph:{self.stem.replace('/', '-')}"
        source = f"source:{self.stem.replace('/', '-')}"
        described = [
            f"{graph} a prov:Entity ;\n    prov:wasDerivedFrom {source} ;\n"
            f"    dcterms:modified {_typed(DATE_READ, 'date')} ;\n"
            f"    {_labels('Aussagen: ' + self.label_de, 'Statements: ' + self.label_en)} .\n\n",
            f"{source} a prov:Entity, foaf:Document ;\n"
            f"    dcterms:title {_literal(self.title, self.language)} ;\n"
            f"    dcterms:publisher {self.publisher} ;\n"
            f"    dcterms:language <http://id.loc.gov/vocabulary/iso639-1/{self.language}> ;\n"
            + (f"    foaf:page <{self.page}> ;\n" if self.page else "")
            + (f"    dcterms:date {_typed(self.date, 'date')} ;\n" if self.date else "")
            + f"    ec:dateRead {_typed(DATE_READ, 'date')} ;\n"
            f"    {_labels(self.label_de, self.label_en)} .\n\n",
        ]
        return "".join(head + described + [line + "\n" for line in self.lines])


@dataclass(frozen=True)
class City:
    slug: str
    de: str
    en: str
    country: str
    region: str | None
    population: int


@dataclass(frozen=True)
class Person:
    slug: str
    name: str


class Generator:
    def __init__(self, cities: int, seed: int) -> None:
        self.count = cities
        self.random = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        self.cities: list[City] = []
        self.persons: dict[str, int] = {}
        self.files: dict[str, TurtleFile] = {}
        self.qid = QID_BASE
        self.networks = ["eurocities"] + [f"city-network-{i}" for i in range(1, cities // 800 + 2)]
        self.working_groups: dict[str, list[str]] = {}
        self.current_mayors: list[tuple[Person, City]] = []

    # --- names ---------------------------------------------------------------------------------

    def _city_names(self) -> Iterator[tuple[str, str, str]]:
        seen: set[str] = set()
        while True:
            r = self.random
            de = r.choice(SYLLABLES_START) + r.choice(SYLLABLES_MIDDLE) + r.choice(SYLLABLES_END)
            if r.random() < 0.15:
                de = f"{de} an der {r.choice(SYLLABLES_START)}{r.choice(SYLLABLES_END)}"
            en = de.replace("ü", "u").replace("ö", "o").replace("ä", "a")
            slug = slugify(en)
            if slug in seen:
                n = 2
                while f"{slug}-{n}" in seen:
                    n += 1
                slug, de, en = f"{slug}-{n}", f"{de} {n}", f"{en} {n}"
            seen.add(slug)
            yield slug, de, en

    def person(self) -> Person:
        name = f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_NAMES)}"
        slug = slugify(name)
        n = self.persons.get(slug, 0) + 1
        self.persons[slug] = n
        if n > 1:
            slug, name = f"{slug}-{n}", f"{name} ({n})"
        return Person(slug, name)

    def next_qid(self) -> str:
        self.qid += 1
        return f"wd:Q{self.qid}"

    def file(self, stem: str, **kwargs: str) -> TurtleFile:
        if stem not in self.files:
            self.files[stem] = TurtleFile(stem, **kwargs)  # type: ignore[arg-type]
        return self.files[stem]

    # --- the parts -----------------------------------------------------------------------------

    def run(self) -> dict[str, str]:
        self.publishers()
        names = self._city_names()
        regions = self.regions()
        for i in range(self.count):
            slug, de, en = next(names)
            code = COUNTRIES[i % len(COUNTRIES)][0] if i < 2 * len(COUNTRIES) else None
            code = code or self.random.choice(COUNTRIES)[0]
            region = self.random.choice(regions[code]) if self.random.random() < 0.3 else None
            population = int(self.random.lognormvariate(12.5, 0.8))
            self.cities.append(City(slug, de, en, code, region, population))
        self.network_file()
        self.working_group_file()
        for city in self.cities:
            self.city(city)
        self.governance()
        self.figures()
        self.links()
        return {
            stem.replace("-", "/", 1) if stem.startswith("links-") else stem: f.render()
            for stem, f in self.files.items()
        }

    def publishers(self) -> None:
        self.publisher_lines = [
            (
                "org_:synthetic-registry",
                "Betreiber des synthetischen Städteregisters",
                "Operator of the synthetic city register",
            ),
            (
                "org_:synthetic-press",
                "Betreiber des synthetischen Pressedienstes",
                "Operator of the synthetic press service",
            ),
            ("org_:wikidata", "Wikidata", "Wikidata"),
        ]

    def regions(self) -> dict[str, list[str]]:
        places = self.file(
            "places",
            title="Synthetic gazetteer: countries and regions",
            label_de="Synthetisches Ortsverzeichnis",
            label_en="Synthetic gazetteer",
            publisher="org_:synthetic-registry",
            page="https://example.org/synthetic/gazetteer",
        )
        for subject, de, en in self.publisher_lines:
            places.add(subject, "a foaf:Organization", _labels(de, en))
        regions: dict[str, list[str]] = {}
        for code, de, en in COUNTRIES:
            places.add(
                f"country:{code}",
                "a schema:Country",
                _labels(de, en),
                f"schema:identifier {_literal(code.upper())}",
            )
            regions[code] = []
            for n in range(1, 4):
                slug = f"{code}-region-{n}"
                regions[code].append(slug)
                places.add(
                    f"region:{slug}",
                    "a schema:Place",
                    _labels(f"Region {n} ({de})", f"Region {n} ({en})"),
                    f"schema:containedInPlace country:{code}",
                )
        return regions

    def network_file(self) -> None:
        f = self.file(
            "networks",
            title="Synthetic network register",
            label_de="Synthetisches Netzwerkregister",
            label_en="Synthetic network register",
            publisher="org_:synthetic-registry",
            page="https://example.org/synthetic/networks",
        )
        first = self.cities[0]
        for n, network in enumerate(self.networks):
            de = "Eurocities" if network == "eurocities" else f"Städtenetzwerk {n}"
            en = "Eurocities" if network == "eurocities" else f"City network {n}"
            units = [f"forum:{network}-{slug}" if n else f"forum:{slug}" for slug, *_ in FORUMS]
            bodies = [f"body:{network}-executive-committee", f"body:{network}-general-meeting"]
            if network == "eurocities":
                bodies = ["body:executive-committee", "body:general-meeting"]
            site = "site:brussels-office" if network == "eurocities" else f"site:{network}-office"
            founders = [f"city:{c.slug}" for c in self.cities[n * 6 : n * 6 + 6]]
            f.add(
                f"network:{network}",
                "a org:FormalOrganization, schema:Organization",
                _labels(de, en),
                f"schema:description {_literal(f'Ein Netzwerk europäischer Städte ({de}).', 'de')}"
                f" , {_literal(f'A network of European cities ({en}).', 'en')}",
                f"schema:foundingDate {_typed(str(1986 + n), 'gYear')}",
                "schema:founder " + " , ".join(founders or [f"city:{first.slug}"]),
                "org:hasUnit " + " , ".join(units + bodies),
                f"org:hasSite {site}",
            )
            for (_slug, forum_de, forum_en), unit in zip(FORUMS, units, strict=True):
                f.add(
                    unit,
                    "a ec:Forum, org:OrganizationalUnit",
                    _labels(
                        f"{forum_de} ({de})" if n else forum_de,
                        f"{forum_en} ({en})" if n else forum_en,
                    ),
                    f"org:unitOf network:{network}",
                )
                self.working_groups[unit] = []
            f.add(
                bodies[0],
                "a org:OrganizationalUnit",
                _labels(f"Exekutivkomitee ({de})", f"Executive committee ({en})"),
                f"org:unitOf network:{network}",
                f"ec:termLength {_typed('P3Y', 'duration')}",
            )
            f.add(
                bodies[1],
                "a org:OrganizationalUnit",
                _labels(f"Hauptversammlung ({de})", f"General meeting ({en})"),
                f"org:unitOf network:{network}",
            )
            seat = self.cities[(n * 7) % len(self.cities)]
            f.add(
                site,
                "a org:Site",
                _labels(f"Büro von {de}", f"Office of {en}"),
                f"org:siteOf network:{network}",
                f"schema:containedInPlace city:{seat.slug}",
                f"ec:occupiedSince {_typed(f'{2000 + n % 20}-04-02', 'date')}",
            )
            f.add(
                f"countrygroup:{network}-de" if n else "countrygroup:de",
                "a ec:CountryGroup",
                _labels(f"Deutsche Mitgliedsstädte von {de}", f"German member cities of {en}"),
                "ec:country country:de",
                f"ec:groupOf network:{network}",
            )
        for code, de, en in COUNTRIES:
            if code != "de":
                f.add(
                    f"countrygroup:{code}",
                    "a ec:CountryGroup",
                    _labels(f"Mitgliedsstädte in {de}", f"Member cities in {en}"),
                    f"ec:country country:{code}",
                    "ec:groupOf network:eurocities",
                )

    def working_group_file(self) -> None:
        f = self.file(
            "working-groups",
            title="Synthetic working-group pages",
            label_de="Synthetische Seiten der Arbeitsgruppen",
            label_en="Synthetic working-group pages",
            publisher="org_:synthetic-registry",
            page="https://example.org/synthetic/working-groups",
        )
        forums = list(self.working_groups)
        total = max(len(forums), self.count // 8)
        for i in range(total):
            forum = forums[i % len(forums)]
            topic, de, en = WG_TOPICS[(i // len(forums)) % len(WG_TOPICS)]
            round_ = i // (len(forums) * len(WG_TOPICS))
            slug = f"{forum.split(':', 1)[1]}-{topic}" + (f"-{round_ + 1}" if round_ else "")
            self.working_groups[forum].append(f"wg:{slug}")
            parts = [
                "a ec:WorkingGroup, org:OrganizationalUnit",
                _labels(
                    de + (f" {round_ + 1}" if round_ else ""),
                    en + (f" {round_ + 1}" if round_ else ""),
                ),
                f"org:unitOf {forum}",
                f"ec:confidence ec:{self.random.choice(('high', 'medium'))}",
            ]
            if self.random.random() < 0.8:
                start = self.random.randint(2005, 2020)
                end = start + self.random.randint(0, 4)
                parts.append(f"dcterms:temporal {_hash('working-group', slug, 'period')}")
                f.add(
                    _hash("working-group", slug, "period"),
                    "a time:Interval",
                    f"time:hasBeginning {_hash('working-group', slug, 'start')}",
                    f"time:hasEnd {_hash('working-group', slug, 'end')}",
                )
                about = self.random.random() < 0.5
                for part, year in (("start", start), ("end", end)):
                    instant = ["a time:Instant", f"time:inXSDgYear {_typed(str(year), 'gYear')}"]
                    if about:
                        instant.append(_labels(f"etwa {year}", f"about {year}"))
                    f.add(_hash("working-group", slug, part), *instant)
            f.add(f"wg:{slug}", *parts)
        for forum, groups in self.working_groups.items():
            if groups:
                f.add(
                    forum, "a ec:Forum, org:OrganizationalUnit", "org:hasUnit " + " , ".join(groups)
                )

    def _period(
        self, f: TurtleFile, kind: str, slug: str, start: str | None, end: str | None
    ) -> None:
        links = []
        if start:
            links.append(f"time:hasBeginning {_hash(kind, slug, 'start')}")
        if end:
            links.append(f"time:hasEnd {_hash(kind, slug, 'end')}")
        f.add(_hash(kind, slug, "period"), "a time:Interval", *links)
        for part, value in (("start", start), ("end", end)):
            if value:
                f.add(_hash(kind, slug, part), "a time:Instant", *self._instant(value))

    def _instant(self, value: str) -> list[str]:
        """A date at the precision its text has: YYYY-MM-DD, YYYY-MM, YYYY, or `~YYYY` (label only)."""
        if value.startswith("~"):
            decade = int(value[1:]) // 10 * 10
            return [_labels(f"Mitte der {decade}er Jahre", f"mid-{decade}s")]
        if len(value) == 10:
            return [f"time:inXSDDate {_typed(value, 'date')}"]
        if len(value) == 7:
            return [f"time:inXSDgYearMonth {_typed(value, 'gYearMonth')}"]
        season_de, season_en = self.random.choice(SEASONS)
        return [
            f"time:inXSDgYear {_typed(value, 'gYear')}",
            _labels(f"{season_de} {value}", f"{season_en} {value}"),
        ]

    def _date(self, year: int) -> str:
        """A start at a precision chosen at random: date, month, year (with a label), label only."""
        month, day = self.random.randint(1, 12), self.random.randint(1, 28)
        return self.random.choice(
            (f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}", str(year), f"~{year}")
        )

    def city(self, city: City) -> None:
        f = self.file(
            f"cities-{city.country}",
            title=f"Synthetic city register: {city.country.upper()}",
            label_de=f"Synthetisches Städteregister {city.country.upper()}",
            label_en=f"Synthetic city register {city.country.upper()}",
            publisher="org_:synthetic-registry",
            page=f"https://example.org/synthetic/cities/{city.country}",
        )
        source = f"source:cities-{city.country}"
        places = [f"country:{city.country}"] + ([f"region:{city.region}"] if city.region else [])
        f.add(
            f"city:{city.slug}",
            "a schema:City, org:FormalOrganization",
            _labels(city.de, city.en),
            "schema:containedInPlace " + " , ".join(places),
        )
        networks = ["eurocities"]
        if self.random.random() < 0.3:
            networks.append(self.random.choice(self.networks[1:]))
        for network in networks:
            slug = city.slug if network == "eurocities" else f"{city.slug}-in-{network}"
            network_de = "Eurocities" if network == "eurocities" else "einem Städtenetzwerk"
            network_en = "Eurocities" if network == "eurocities" else "a city network"
            parts = [
                "a org:Membership",
                _labels(
                    f"Mitgliedschaft von {city.de} bei {network_de}",
                    f"Membership of {city.en} in {network_en}",
                ),
                f"org:member city:{city.slug}",
                f"org:organization network:{network}",
                f"prov:wasDerivedFrom {source}",
            ]
            roll = self.random.random()
            if roll < 0.1:
                parts.append("ec:confidence ec:low")
            elif roll < 0.4:
                parts.append(f"ec:confidence ec:{self.random.choice(('high', 'medium'))}")
            if self.random.random() < 0.05:
                parts += [
                    "ec:derivation ec:inferred",
                    "skos:note "
                    + _literal(
                        "Abgeleitet: die Bürgermeisterin oder der Bürgermeister leitet "
                        "ein Gremium des Netzwerks.",
                        "de",
                    )
                    + " , "
                    + _literal("Inferred: the city's mayor leads a body of the network.", "en"),
                ]
            if self.random.random() < 0.85:
                start = self._date(self.random.randint(1986, 2024))
                parts.append(f"org:memberDuring {_hash('membership', slug, 'period')}")
                self._period(f, "membership", slug, start, None)
                if self.random.random() < 0.2:
                    self.ended(city, slug)
            f.add(f"membership:{slug}", *parts)
        self.mayors(f, city, source)

    def ended(self, city: City, slug: str) -> None:
        """A second source states the end of a membership, in its own graph."""
        year = 2010 + self.random.randint(0, 14)
        f = self.file(
            f"press-{year}",
            title=f"Synthetic press review {year}",
            label_de=f"Synthetische Presseschau {year}",
            label_en=f"Synthetic press review {year}",
            publisher="org_:synthetic-press",
            page=f"https://example.org/synthetic/press/{year}",
            date=f"{year}-12-31",
        )
        f.add(
            f"membership:{slug}",
            "a org:Membership",
            f"org:memberDuring {_hash('membership', slug, 'period')}",
            f"prov:wasDerivedFrom source:press-{year}",
        )
        f.add(
            _hash("membership", slug, "period"),
            "a time:Interval",
            f"time:hasEnd {_hash('membership', slug, 'end')}",
        )
        f.add(
            _hash("membership", slug, "end"),
            "a time:Instant",
            f"time:inXSDgYear {_typed(str(year), 'gYear')}",
        )

    def mayors(self, f: TurtleFile, city: City, source: str) -> None:
        terms = [self.random.randint(2000, 2018)]
        if self.random.random() < 0.5:
            terms.insert(0, terms[0] - self.random.randint(4, 8))
        for n, start in enumerate(terms):
            person = self.person()
            f.add(
                f"person:{person.slug}",
                "a foaf:Person, schema:Person",
                f"foaf:name {_literal(person.name)}",
                _labels(person.name, person.name),
            )
            slug = f"{person.slug}-mayor-of-{city.slug}"
            last = n == len(terms) - 1
            end = None if last else f"{terms[n + 1]}-{self.random.randint(1, 12):02d}"
            f.add(
                f"office:{slug}",
                "a org:Membership",
                _labels(
                    f"{person.name} – Bürgermeister/-in von {city.de}",
                    f"{person.name} – Mayor of {city.en}",
                ),
                f"org:member person:{person.slug}",
                f"org:organization city:{city.slug}",
                "org:role ec:mayor",
                f"org:memberDuring {_hash('office', slug, 'period')}",
                f"prov:wasDerivedFrom {source}",
            )
            self._period(f, "office", slug, f"{start}-{self.random.randint(1, 12):02d}-01", end)
            if last:
                self.current_mayors.append((person, city))

    def governance(self) -> None:
        f = self.file(
            "governance",
            title="Synthetic annual general meetings: elections",
            label_de="Synthetische Wahlen der Hauptversammlungen",
            label_en="Synthetic elections of the general meetings",
            publisher="org_:synthetic-press",
            page="https://example.org/synthetic/elections",
        )
        mayors = self.current_mayors
        for n, network in enumerate(self.networks):
            forums = (
                [u for u in self.working_groups if u.startswith(f"forum:{network}-")]
                if n
                else [f"forum:{slug}" for slug, *_ in FORUMS]
            )
            for year in range(1986 + n, 2025, 2):
                for role, role_slug, de, en in (
                    ("ec:president", "president", "Präsident/-in", "President"),
                    ("ec:vicePresident", "vice-president", "Vizepräsident/-in", "Vice-president"),
                ):
                    person, _city = mayors[self.random.randrange(len(mayors))]
                    self._office(f, person, role, f"{role_slug}-{year}", network, de, en, year)
                if year >= 2000:
                    forum = forums[(year // 2) % len(forums)]
                    person, _city = mayors[self.random.randrange(len(mayors))]
                    forum_slug = forum.split(":", 1)[1]
                    self._office(
                        f,
                        person,
                        "ec:chair",
                        f"chair-{forum_slug}-{year}",
                        forum,
                        "Vorsitz",
                        "Chair",
                        year,
                    )

    def _office(
        self,
        f: TurtleFile,
        person: Person,
        role: str,
        suffix: str,
        organization: str,
        de: str,
        en: str,
        year: int,
    ) -> None:
        slug = f"{person.slug}-{suffix}"
        target = organization if ":" in organization else f"network:{organization}"
        f.add(
            f"office:{slug}",
            "a org:Membership",
            _labels(f"{person.name} – {de}", f"{person.name} – {en}"),
            f"org:member person:{person.slug}",
            f"org:organization {target}",
            f"org:role {role}",
            f"org:memberDuring {_hash('office', slug, 'period')}",
            "prov:wasDerivedFrom source:governance",
            "ec:confidence ec:high",
        )
        end = f"{year + 2}-{self.random.randint(1, 12):02d}-{self.random.randint(1, 28):02d}"
        self._period(f, "office", slug, f"{year}-11-05", end if year + 2 < 2025 else None)

    def figures(self) -> None:
        counted: dict[str, int] = {}
        for city in self.cities:
            counted[city.country] = counted.get(city.country, 0) + 1
        for year in range(2010, 2024):
            f = self.file(
                f"annual-report-{year}",
                title=f"Synthetic annual report {year}",
                label_de=f"Synthetischer Jahresbericht {year}",
                label_en=f"Synthetic annual report {year}",
                publisher="network:eurocities",
                page=f"https://example.org/synthetic/annual-report-{year}",
                date=f"{year}-12-31",
            )
            share = (year - 2009) / 14
            figures = [
                (
                    "member-cities",
                    "network:eurocities",
                    "ec:memberCities",
                    int(len(self.cities) * share),
                    "ec:moreThan",
                    "Mitgliedsstädte",
                    "member cities",
                ),
                (
                    "countries",
                    "network:eurocities",
                    "ec:countries",
                    len(COUNTRIES) - 2 + year % 3,
                    "ec:exactly",
                    "Länder",
                    "countries",
                ),
                (
                    "inhabitants-represented",
                    "network:eurocities",
                    "ec:inhabitantsRepresented",
                    sum(c.population for c in self.cities),
                    "ec:atLeast",
                    "Einwohner",
                    "inhabitants",
                ),
            ]
            for code, _de, _en in COUNTRIES:
                group = "countrygroup:de" if code == "de" else f"countrygroup:{code}"
                figures.append(
                    (
                        f"member-cities-in-{code}",
                        group,
                        "ec:memberCitiesInCountry",
                        int(counted.get(code, 0) * share),
                        "ec:exactly",
                        f"Mitgliedsstädte ({code.upper()})",
                        f"member cities ({code.upper()})",
                    )
                )
            for slug, about, measure, value, comparator, de, en in figures:
                f.add(
                    f"figure:annual-report-{year}-{slug}",
                    "a ec:ReportedFigure",
                    _labels(
                        f"{de}: {value} (Jahresbericht {year})",
                        f"{en}: {value} (annual report {year})",
                    ),
                    f"ec:about {about}",
                    f"ec:measure {measure}",
                    f"schema:value {value}",
                    f"ec:comparator {comparator}",
                    f"dcterms:date {_typed(f'{year}-12-31', 'date')}",
                    f"ec:confidence ec:{('high', 'medium', 'low')[year % 3]}",
                    f"prov:wasDerivedFrom source:annual-report-{year}",
                )

    def links(self) -> None:
        f = self.file(
            "links-wikidata",
            title="Wikidata (synthetic links)",
            label_de="Wikidata (synthetische Verknüpfungen)",
            label_en="Wikidata (synthetic links)",
            publisher="org_:wikidata",
            page="https://www.wikidata.org/",
        )
        for code, _de, _en in COUNTRIES:
            f.add(f"country:{code}", f"owl:sameAs {self.next_qid()}")
        for city in self.cities:
            if self.random.random() < 0.8:
                f.add(f"city:{city.slug}", f"owl:sameAs {self.next_qid()}")


def generate(cities: int, output: Path, template: Path, seed: int = 0) -> Summary:
    """Write a project with `cities` synthetic cities to `output` (replacing its data/), with the
    ontology and example queries of the project at `template`."""
    if cities < 1:
        raise ValueError("--cities must be at least 1")
    files = Generator(cities, seed).run()
    output.mkdir(parents=True, exist_ok=True)
    for part in ("ontology", "queries"):
        if (output / part).exists():
            shutil.rmtree(output / part)
        shutil.copytree(template / part, output / part)
    data = output / "data"
    if data.exists():
        shutil.rmtree(data)
    for stem, text in files.items():
        path = data / f"{stem}.ttl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Summary(cities, len(files), seed, output)
