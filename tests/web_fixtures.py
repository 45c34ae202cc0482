"""The archive the web tests serve, and the real `archive serve` process over it.

Built once per test session with the real `archive add`: the seeds, 240 generated
articles over six sites and two years (2019-2020) with near-duplicate groups and an
article kept in two versions, and hostile pages (script and onerror text in titles and
bodies, live scripts, javascript: links, a tracker pixel, template syntax, bidi
characters, a 100 KB article).
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import SEEDS

ARCHIVE = [sys.executable, "-m", "cli.main"]
ROOT = Path(__file__).resolve().parents[1]
SITES = ("Le Soir", "Le Monde", "Libération", "Ouest-France", "La Libre", "RTBF")
MONTHS = [f"{year}-{month:02d}" for year in (2019, 2020) for month in range(1, 13)]
# Every generated article draws its sentences from these words, so that no two are
# near-duplicates by chance; the query words below are placed on purpose.
FILLER = ("""conseil commune habitants projet rapport semaine ministre budget réunion quartier
    région école parents travaux route pont tribunal enquête police témoin experts chiffres
    saison récolte marché prix entreprise salariés usine syndicat accord négociation hiver
    printemps automne été pluie vent neige rivière forêt plage port navire gare train
    métro tramway vélo piéton voiture parking hôpital médecin patient infirmière urgence
    musée concert festival théâtre cinéma livre auteur éditeur lecteur journal radio
    chaîne émission public scène artiste musique danse sport équipe match stade but
    entraîneur joueur victoire défaite championnat coupe finale club supporter tribune
    maire députée sénateur élus majorité opposition vote loi décret amendement séance
    débat discours promesse campagne sondage électeurs bureau scrutin résultat""").split()
PLACE = ("Namur", "Liège", "Rennes", "Nantes", "Lyon", "Bruxelles", "Charleroi", "Brest")
COALITION_MONTHS = MONTHS  # "coalition" appears in some article of every month
STORIES = 4  # near-duplicate groups, each kept from three sites
# A text copy read from stdin whose address is a script: it must never become a link.
JS_LINK_PAGE = ("Un lien piégé vers nulle part\n\nCe texte parle d'une adresse piégée qui ne "
                "doit jamais devenir un lien dans la page de lecture, quoi qu'il arrive.\n")


@dataclass
class WebArchive:
    """The archive home served to the tests, and what the tests look up in it."""

    home: Path
    ids: dict[str, str] = field(default_factory=dict)  # role → article id

    def cli_json(self, *args: str) -> object:
        """The real CLI's --json answer on this archive."""
        done = subprocess.run([*ARCHIVE, "--home", str(self.home), *args, "--json"],
                              capture_output=True, text=True, timeout=120, cwd=ROOT)
        found_nothing = args[0] == "search" and done.returncode == 1  # its JSON all the same
        assert done.returncode == 0 or found_nothing, done.stderr
        return json.loads(done.stdout)


def page(title: str, paragraphs: list[str], site: str, published: str | None, url: str,
         author: str | None = None, head: str = "", extra: str = "") -> str:
    """A news page as sites serve them: metadata in the head, the text in <article>."""
    meta = [f'<meta property="og:site_name" content="{html.escape(site)}">',
            f'<link rel="canonical" href="{html.escape(url)}">']
    if author:
        meta.append(f'<meta name="author" content="{html.escape(author)}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}T09:00:00+01:00">')
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>'
            f"{html.escape(title)}</title>{''.join(meta)}{head}</head><body><nav>Accueil "
            f"International Sports</nav><article><h1>{html.escape(title)}</h1>{body}{extra}"
            "</article><footer>Mentions légales</footer></body></html>")


def sentences(chance: random.Random, count: int, words: list[str] = ()) -> list[str]:
    """`count` paragraphs of filler (more if needed), with `words` placed one per paragraph
    from the first."""
    out = []
    for number in range(max(count, len(words))):
        picked = chance.sample(FILLER, 14)
        if number < len(words):
            picked.insert(chance.randrange(3, 12), words[number])
        out.append(f"À {chance.choice(PLACE)}, " + " ".join(picked) + ".")
    return out


def generated_pages(folder: Path) -> dict[str, str]:
    """Write the generated and hostile pages; returns role → file name for the tests."""
    chance = random.Random(17)
    roles: dict[str, str] = {}
    folder.mkdir(parents=True)
    number = 0

    def write(name: str, text: str) -> str:
        (folder / name).write_text(text, encoding="utf-8")
        return name

    for month in MONTHS:
        for _ in range(10):
            number += 1
            site = SITES[number % len(SITES)]
            published = f"{month}-{1 + number % 27:02d}"
            words = []
            if number % 4 == 0:
                words.append(chance.choice(["coalition", "coalitions"]))
            if number % 9 == 0:
                words += ["soldat", "soldats", "l'État"]
            if number % 11 == 0:
                words += ["d'inondations", "inondation", "Inondations"]
            title = (f"{chance.choice(FILLER).capitalize()} à {chance.choice(PLACE)} : "
                     + " ".join(chance.sample(FILLER, 4)))
            url = f"https://{site.lower().replace(' ', '')}.example/{month}/article-{number}"
            write(f"gen_{number:03d}.html", page(title, sentences(chance, 4, words), site,
                                                  published, url, author=f"Auteur {number % 7}"))
    for story in range(STORIES):
        text = sentences(chance, 4, ["coalition", "négociateurs"])
        for copy, site in enumerate(SITES[story:story + 3]):
            day = f"2020-{3 + story:02d}-{10 + copy:02d}"
            roles.setdefault(f"story{story}", write(
                f"story{story}_{copy}.html",
                page(f"Accord de coalition, épisode {story} ({site})", text, site, day,
                     f"https://{site.lower().replace(' ', '')}.example/histoire-{story}")))
    write("versioned_1.html", page("Bilan des tempêtes, version du matin",
                                   sentences(chance, 3, ["tempête"]), "Le Soir", "2020-11-02",
                                   "https://lesoir.example/tempetes"))
    roles["versioned"] = "versioned_2.html"  # the origin of its newest version
    roles.update(hostile_pages(folder, chance))
    return roles


def hostile_pages(folder: Path, chance: random.Random) -> dict[str, str]:
    """Pages an attacker could have made: markup as text, live scripts, bad links."""
    def write(name: str, text: str) -> str:
        (folder / name).write_text(text, encoding="utf-8")
        return name

    roles = {}
    roles["script"] = write("hostile_script.html", page(
        "<script>alert('titre')</script> Alerte aux marées <img src=x onerror=alert(1)>",
        [*sentences(chance, 2, ["marées"]),
         "Le texte dit <script>alert('corps')</script> et <img src=x onerror=alert(2)> sans danger."],
        "Le Monde", "2020-06-15", "javascript:alert(document.domain)",
        author="<b onmouseover=alert(3)>Pirate</b>",
        head="<script>document.title='exécuté'; alert('tête')</script>"
             '<script src="https://tracker.example/spy.js"></script>'
             '<link rel="stylesheet" href="https://tracker.example/spy.css">',
        extra='<p>Suivez <a href="javascript:alert(4)">ce lien</a>.</p>'
              '<img src="https://tracker.example/pixel.gif?id=42" width="1" height="1" alt="">'
              '<img src="x" onerror="alert(5)">'))
    roles["template"] = write("hostile_template.html", page(
        "{{ 7*7 }} et {% include 'base.html' %} : les gabarits de la préfecture",
        [*sentences(chance, 2, ["gabarits"]), "Ni ${7*7} ni <%= 7*7 %> ni {{ config }} ne sont évalués."],
        "RTBF", "2020-07-01", "https://rtbf.example/gabarits"))
    roles["bidi"] = write("hostile_bidi.html", page(
        "Élection \u202etxet esrever\u202c à Anvers \u2067שלום\u2069 scrutin",
        [*sentences(chance, 2, ["scrutin"]), "Le bureau \u202eefas ton\u202c a fermé ; \u200fsuite."],
        "La Libre", "2020-08-03", "https://lalibre.example/anvers"))
    long_body = [f"Le marathon de Bruxelles, paragraphe {n} : " + " ".join(chance.sample(FILLER, 60))
                 for n in range(180)]
    roles["long"] = write("hostile_long.html", page(
        "Le marathon le plus long du monde", long_body, "Ouest-France", "2020-09-20",
        "https://ouest-france.example/marathon"))
    return roles


def build(folder: Path) -> WebArchive:
    """`archive add` the seeds and the generated pages, then a second version of one."""
    pages = folder / "pages"
    roles = generated_pages(pages)
    home = folder / "home"
    env = {**os.environ, "ARCHIVE_ENGINE": "tantivy"}
    for source in (SEEDS, pages):
        done = subprocess.run([*ARCHIVE, "--home", str(home), "add", str(source), "--json"],
                              capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
        assert done.returncode == 0, done.stderr
    later = folder / "later"
    later.mkdir()
    (later / "versioned_2.html").write_text(page(
        "Bilan des tempêtes, version du soir", sentences(random.Random(5), 3, ["tempête", "tempêtes"]),
        "Le Soir", "2020-11-02", "https://lesoir.example/tempetes"), encoding="utf-8")
    done = subprocess.run([*ARCHIVE, "--home", str(home), "add", str(later), "--json"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["updated"] == 1
    done = subprocess.run([*ARCHIVE, "--home", str(home), "add", "-", "--url",
                           "javascript:alert(document.cookie)", "--json"], input=JS_LINK_PAGE,
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    archive = WebArchive(home)
    archive.ids["jslink"] = json.loads(done.stdout)["inputs"][0]["id"]
    by_origin = {Path(entry["origin"]).name: entry["id"]
                 for entry in archive.cli_json("list")}
    archive.ids.update({role: by_origin[name] for role, name in roles.items()})
    archive.ids["seed"] = by_origin[next(name for name in by_origin if name.startswith("000_"))]
    return archive


class Server:
    """The real `archive serve --port 0` as a subprocess; its address read from its line."""

    def __init__(self, home: Path, *args: str, engine: str = "tantivy"):
        self.process = subprocess.Popen(
            [*ARCHIVE, "--home", str(home), "--engine", engine, "serve", "--port", "0", *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.line = self.process.stdout.readline().strip()  # blocks until it serves (or dies)
        found = re.search(r"on (http://[^ ]+/) \(Ctrl-C to stop\)$", self.line)
        if not found:
            self.process.kill()
            raise AssertionError(f"no address line from archive serve: {self.line!r} "
                                 f"{self.process.communicate(timeout=30)[1]}")
        self.url = found.group(1).rstrip("/")
        self.port = int(self.url.rsplit(":", 1)[1])

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str]:
        """Stop as Ctrl-C does; the exit code and what it printed on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            _, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate(timeout=30)
        return self.process.returncode, err


_SESSION: dict[str, object] = {}


@pytest.fixture(scope="session")
def web_archive(tmp_path_factory) -> WebArchive:
    """The test archive, built once per session (both web test files share it)."""
    if "archive" not in _SESSION:
        _SESSION["archive"] = build(tmp_path_factory.mktemp("web-archive"))
    return _SESSION["archive"]  # type: ignore[return-value]


@pytest.fixture(scope="session")
def server(web_archive: WebArchive, request) -> Server:
    """One `archive serve` over the test archive for the whole session."""
    if "server" not in _SESSION:
        started = Server(web_archive.home)
        _SESSION["server"] = started
        request.session.addfinalizer(started.stop)
    return _SESSION["server"]  # type: ignore[return-value]


def copy_home(archive: WebArchive, folder: Path) -> Path:
    """A copy of the test archive's home that a test may write to."""
    target = folder / "home"
    shutil.copytree(archive.home, target)
    return target
