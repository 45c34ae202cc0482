"""The furniture around a copied article goes, in the styles of eight news sites: lone
toolbar labels, newsletter boxes with their pitch and button, readers' comments (all of
them, from the line that opens them), photo captions with their credit line."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.pages import read_page
from tests.conftest import FIXTURES

TAILS = FIXTURES / "pages" / "tails"

# The opening words of each paragraph of article text, in order.
EXPECTED = {
    "lemonde_musee.txt": ["Près de quatre-vingts toiles", "L'établissement fermera", "Plutôt que de laisser",
                          "Des assurances record", "Le transport des toiles"],
    "ouestfrance_port.txt": ["Le voilier de soixante-dix", "L'armateur, installé", "« Nous voulons montrer"],
    "lefigaro_bourse.txt": ["Le CAC 40 a gagné", "L'indice parisien", "Les investisseurs restent",
                            "Les analystes jugent"],
    "20minutes_velo.txt": ["Durant six mois", "La métropole veut", "Si l'essai est concluant"],
    "lesoir_budget.txt": ["Le gouvernement wallon", "Le ministre du Budget", "L'opposition dénonce"],
    "rtbf_orages.txt": ["Les pompiers sont intervenus", "Il est tombé quarante", "Les communes touchées"],
    "liberation_cinema.txt": ["Le jury a récompensé", "La réalisatrice, trente", "Le film sortira"],
    "leparisien_gare.txt": ["Aucun train ne desservira", "Des bus de remplacement"],
}
# What each page shows around the article: none of it may reach the archive.
ABSENT = {
    "lemonde_musee.txt": ["Lire plus tard", "Offrir l'article", "Écouter", "Partager", "réservé aux abonnés",
                          "Partie de bateau", "PATRICE SCHMIDT", "Contribuer", "Réutiliser",
                          "commentaires", "Tristan35", "bonne nouvelle", "Répondre", "Signaler",
                          "Marie-Claude", "plein tarif"],
    "ouestfrance_port.txt": ["Lire plus tard", "Partager", "Écouter", "OUEST-FRANCE", "Newsletter",
                             "recevez l'essentiel", "adresse e-mail", "Je m'inscris", "utile", "abonner",
                             "Je m'abonne", "Réagissez", "Gwen29", "Bravo", "Signaler"],
    "lefigaro_bourse.txt": ["Écouter", "00:00", "Copier le lien", "Christophe Morin", "À lire aussi",
                            "Épargne :", "Passer la publicité", "Publicité", "vous conseille",
                            "Commentaires", "Les plus récents", "JeanMarc_75", "trompe-l'œil",
                            "Répondre", "Signaler"],
    "20minutes_velo.txt": ["Accueil", "Partager", "Commenter", "Facebook", "Flipboard", "E-mail",
                           "Elise Garnier", "boulevard des Belges", "Écouter", "Newsletter",
                           "chaque soir", "S'inscrire", "commentaire", "Réagissez", "Vélocipède69",
                           "mesure intelligente", "Les plus partagés"],
    "lesoir_budget.txt": ["Menu", "Abonnez-vous", "Belga", "PhotoNews", "Lire aussi", "agences de notation",
                          "Partager", "Le Soir +", "Vos réactions", "Alertez-nous", "Pierre D.",
                          "mêmes promesses"],
    "rtbf_orages.txt": ["Accueil", "Regions", "Partager", "Écouter", "Belga", "LIRE AUSSI",
                        "semaine orageuse", "newsletter", "Inscrivez-vous", "Sur le même sujet", "Crues",
                        "Commentaires", "membres connectés"],
    "liberation_cinema.txt": ["Menu", "Culture / Cinéma", "Valéry Hache", "A lire aussi",
                              "palmarès très politique", "newsletter", "Chaque vendredi",
                              "adresse e-mail", "S'inscrire", "Abonnez-vous", "Dans la même rubrique"],
    "leparisien_gare.txt": ["Je m'abonne", "Lire plus tard", "Écouter", "Partager", "LP/Marc Olivier",
                            "ce lundi", "Newsletter", "tour de l'actualité", "S'inscrire",
                            "commentaires", "Déjà abonné", "Paulo93", "chaque printemps"],
}


def read(name: str):
    return read_page((TAILS / name).read_bytes(), name, name_hint=name)


def test_every_tail_fixture_is_covered():
    assert sorted(path.name for path in TAILS.glob("*.txt")) == sorted(EXPECTED) == sorted(ABSENT)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_copy_keeps_its_paragraphs_whole_and_in_order(name):
    lines = (TAILS / name).read_text(encoding="utf-8").splitlines()
    expected = [next(line for line in lines if line.startswith(opening)) for opening in EXPECTED[name]]
    assert read(name).body == expected


@pytest.mark.parametrize("name", sorted(ABSENT))
def test_copy_keeps_none_of_the_furniture_around_it(name):
    article = read(name)
    text = "\n".join([article.title, *article.body])
    for phrase in ABSENT[name]:
        assert phrase not in text, phrase


def test_a_caption_goes_with_its_credit_line_and_the_text_around_stays():
    body = read("lemonde_musee.txt").body
    assert body[1].startswith("L'établissement fermera") and body[2].startswith("Plutôt que de laisser")
    assert not any("Caillebotte" in paragraph for paragraph in body)


def test_a_newsletter_box_goes_whole_and_the_paragraph_after_it_stays():
    body = read("ouestfrance_port.txt").body
    assert body[-1].startswith("« Nous voulons montrer") and body[-1].endswith("en dix-neuf jours.")


def test_everything_from_the_comment_zone_on_is_dropped_but_not_the_text_above_it():
    article = read("lefigaro_bourse.txt")
    assert article.body[-1].startswith("Les analystes jugent")
    assert read("leparisien_gare.txt").body[-1].startswith("Des bus de remplacement")


def test_archive_add_of_the_copies_archives_the_articles_without_their_tails(run):
    result = run("add", str(TAILS))
    assert result.exit_code == 0, result.output
    listed = json.loads(run("list", "--json").stdout)
    assert len(listed) == len(EXPECTED)
    for item in listed:
        shown = json.loads(run("show", item["id"], "--json").stdout)
        name = shown["origin"].rsplit("/", 1)[-1]
        assert len(shown["body"]) == len(EXPECTED[name])
        assert all(paragraph.startswith(opening)
                   for paragraph, opening in zip(shown["body"], EXPECTED[name], strict=True))


# --- the last paragraph survives any furniture after it --------------------------------

WORDS = ("le", "conseil", "municipal", "a", "voté", "mardi", "une", "hausse", "des", "tarifs", "de",
         "la", "cantine", "pour", "familles", "les", "plus", "aisées", "selon", "maire", "qui",
         "défend", "mesure", "juste", "et", "attendue", "depuis", "deux", "ans", "par", "parents",
         "élèves", "école", "quartier", "nord", "sans", "budget", "nouveau", "ville", "enfants")
# The furniture that follows an article in a copy, block by block, as the sites above show it.
FURNITURE = (
    ["Lire plus tard"], ["Offrir l'article"], ["Écouter"], ["Partager"], ["Abonnez-vous"],
    ["Je m'inscris"], ["S'inscrire"], ["Facebook", "Twitter", "E-mail"], ["Copier le lien"],
    ["Newsletter Rennes", "Chaque matin, recevez l'essentiel de l'actualité rennaise.",
     "Votre adresse e-mail", "Je m'inscris"],
    ["La newsletter culture", "Chaque vendredi, nos critiques choisissent les films de la semaine.",
     "S'inscrire"],
    ["Les commentaires sont réservés aux abonnés", "Tristan35",
     "Très bon article, merci pour ces précisions.", "Répondre", "Signaler"],
    ["Connectez-vous pour commenter", "Gwen29", "Bravo, c'est l'avenir."],
    ["Réagissez à cet article"], ["Commentaires (12)", "Les plus récents", "Paulo93", "Encore des travaux."],
    ["Vos réactions", "Règles de bonne conduite / Un commentaire abusif? Alertez-nous"],
    ["« Partie de bateau » (vers 1877-1878), de Gustave Caillebotte.", "PATRICE SCHMIDT / MUSÉE D'ORSAY"],
    ["Le port de Brest, mardi. | OUEST-FRANCE"], ["La gare, ce lundi. LP/Marc Olivier"],
    ["Les plus lus", "Retraites : la grève continue", "Météo : le froid s'installe"],
    ["À découvrir sur Le Soir +"], ["Sur le même sujet", "Crues : la Meuse sous surveillance"],
    ["Lire aussi", "Épargne : les placements qui rapportent le plus"], ["Publicité"],
    ["Passer la publicité"], ["Cet article vous a été utile ?"],
    ["Je m'abonne", "Déjà abonné ? Se connecter"],
    ["Tout accepter", "Continuer sans accepter"], ["Dans la même rubrique"],
)


@st.composite
def paragraphs(draw, min_words: int = 3) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=min_words, max_size=60))
    return " ".join(words).capitalize() + "."


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(paragraphs(), min_size=1, max_size=5), last=paragraphs(),
       tail=st.lists(st.sampled_from(FURNITURE), min_size=1, max_size=6))
def test_the_last_paragraph_is_kept_when_only_furniture_follows_it(body, last, tail):
    lines = ["Cantine : les tarifs augmentent à la rentrée", *body, last,
             *[line for block in tail for line in block]]
    article = read_page("\n".join(lines).encode(), "copy.txt", name_hint="copy.txt")
    assert article.body and article.body[-1] == last
