"""Plain-text page copies come out as the article alone: title once, paragraphs, metadata."""

from __future__ import annotations

import json

import pytest

from archive.decode import decode_bytes
from archive.textdump import parse_text_copy
from tests.conftest import FIXTURES, SEED

SEED_TITLE = (
    "Mort de Soleimani: la coalition internationale antidjihadiste «suspend» le combat "
    "contre le groupe Etat islamique"
)
BOILERPLATE = ("À découvrir sur Le Soir +", "Vos réactions", "Règles de bonne conduite",
               "Un commentaire abusif? Alertez-nous", "PhotoNews")


def parse(path):
    return parse_text_copy(decode_bytes(path.read_bytes())[0], origin=str(path))


def test_seed_title_is_exact_and_appears_once():
    article = parse(SEED)
    assert article.title == SEED_TITLE
    assert all(SEED_TITLE not in paragraph for paragraph in article.body)


def test_seed_body_is_the_eight_paragraphs_in_order():
    body = parse(SEED).body
    assert len(body) == 8
    assert body[0].startswith("La coalition antidjihadistes emmenée par les Etats-Unis, à laquelle")
    assert body[1].startswith("La coalition affirme que la formation des soldats irakiens")
    assert body[2].startswith("«\u00a0Notre priorité absolue est de protéger le personnel")  # NBSP kept
    assert body[3] == "5.000 soldats visés"
    assert body[4].startswith("Après l’attaque controversée contre le général iranien Qassem Soleimani")
    assert body[5].startswith("Le communiqué de la coalition souligne encore")
    assert body[6].startswith("Depuis l’assassinat dans un raid américain vendredi de Soleimani")
    assert body[7].startswith("Par peur des représailles, l’Otan a suspendu ses opérations en Irak.")
    assert body[7].endswith("qui accueillent (ses) troupes\u00a0».")


def test_seed_keeps_no_boilerplate_and_no_blank_lines():
    article = parse(SEED)
    text = "\n".join([article.title, *article.body])
    for phrase in BOILERPLATE:
        assert phrase not in text
    assert all(p.strip(" \u00a0\t") for p in article.body)
    assert all(p == p.strip() for p in article.body)


def test_seed_site_comes_from_its_closing_block():
    assert parse(SEED).site == "Le Soir"
    assert parse(SEED).lang == "fr"


def test_le_monde_copy_drops_menus_paywall_and_keeps_standfirst_and_intertitle():
    article = parse(FIXTURES / "textcopies" / "lemonde_retraites.txt")
    assert article.title == "Réforme des retraites : le gouvernement recule sur l’âge pivot"
    assert article.author == "Audrey Tonnelier et Raphaëlle Besse Desmoulières"
    assert article.published == "2020-01-11T19:41:00"
    assert [p[:40] for p in article.body] == [
        "Le premier ministre propose de retirer p",
        "Dans une lettre adressée samedi aux part",
        "La CFDT, qui avait fait du retrait de ce",
        "Une conférence sur le financement",
        "Les partenaires sociaux devront présente",
    ]
    text = "\n".join(article.body)
    for phrase in ("S’abonner", "Se connecter", "Lire aussi", "Il vous reste", "LUDOVIC MARIN",
                   "Temps de Lecture", "Offrir cet article", "Les plus lus", "Vos réactions",
                   "Réutiliser ce contenu", "Politique ›"):
        assert phrase not in text


def test_rtbf_copy_in_cp1252_with_crlf_reads_accents_and_drops_its_boxes():
    raw = (FIXTURES / "textcopies" / "rtbf_inondations.txt").read_bytes()
    assert b"\r\n" in raw and "è".encode() not in raw  # the fixture really is CRLF cp1252
    article = parse(FIXTURES / "textcopies" / "rtbf_inondations.txt")
    assert article.title == "Inondations : Liège en alerte, la Meuse continue de monter"
    assert article.published == "2021-07-14T18:05:00"
    assert article.body[3] == "Le trafic ferroviaire interrompu"
    assert article.body[4].startswith("La SNCB a suspendu la circulation des trains entre Liège")
    assert "jusqu’à nouvel ordre" in article.body[4]
    assert len(article.body) == 5
    text = "\n".join(article.body)
    for phrase in ("Accueil", "Belga", "LIRE AUSSI", "Intempéries : le point", "Partager",
                   "Facebook", "Sur le même sujet", "Crues :", "Commentaires", "réservés aux"):
        assert phrase not in text


def test_liberation_copy_strips_site_suffix_credit_and_newsletter():
    article = parse(FIXTURES / "textcopies" / "liberation_festival.txt")
    assert article.title == "Festival d'Avignon : une édition sous le signe de la jeunesse"
    assert article.site == "Libération"
    assert article.author == "Anne Diatkine"
    assert article.published == "2022-07-07T06:30:00"
    assert len(article.body) == 4
    assert article.body[0].startswith("Pour sa 76e édition")
    assert article.body[3].startswith("Le Off, lui aussi")
    text = "\n".join(article.body)
    for phrase in ("Menu", "Culture / Théâtre", "Photo Christophe", "A lire aussi", "Olivier Py : «",
                   "Newsletter", "boîte mail", "S'inscrire", "Abonnez-vous", "Dans la même rubrique"):
        assert phrase not in text


@pytest.mark.parametrize("text", ["", "\n\n", "\u00a0\n \n", "Vos réactions\n"])
def test_copies_without_article_text_give_an_empty_body(text):
    assert parse_text_copy(text).body == []


# --- titles: the first line is the title unless it is page furniture -------------------

TITLES = FIXTURES / "pages" / "titles"  # not under textcopies/: other tests add that folder whole
EXPECTED_TITLES = {
    "one_word_brexit.txt": "Brexit",
    "one_word_sport.txt": "Sport",
    "two_words_person.txt": "Jakob Böhme",
    "two_words_hyphen_war.txt": "Guerre anglo-zouloue",
    "hyphenated_with_byline.txt": "Macron contre-attaque",
    "site_name_as_title_above_prose.txt": "France Info",
    "headline_starting_with_photo.txt": "Photos volées : la chanteuse porte plainte",
    "quote_repeated_in_body.txt": "Le maire veut fermer six rues du centre aux voitures",
    "furniture_menu_first.txt": "Grève des contrôleurs : le trafic aérien perturbé jusqu'à dimanche",
    "furniture_date_first.txt": "Sécheresse : des restrictions d'eau dans douze départements",
    "furniture_site_first.txt": "Hausse des loyers : la Région bruxelloise plafonne l'indexation",
    "furniture_consent_first.txt": "Vélo : la ville ouvre trois nouvelles pistes cyclables",
    "section_label_above_headline.txt": "Le club de Rennes s'impose à Lyon et remonte sur le podium",
}
FURNITURE_ABOVE_TITLE = ("Aller au contenu", "Rubriques", "Régions", "Société", "Publié le", "Le Soir\n",
                         "cookies", "Tout accepter", "Continuer sans accepter", "Sport\n")


def test_every_title_fixture_is_listed():
    assert sorted(path.name for path in TITLES.glob("*.txt")) == sorted(EXPECTED_TITLES)


@pytest.mark.parametrize("name", sorted(EXPECTED_TITLES))
def test_the_first_line_that_is_not_furniture_is_the_title(name):
    article = parse(TITLES / name)
    assert article.title == EXPECTED_TITLES[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_TITLES))
def test_no_prose_line_of_a_copy_is_lost_with_its_title(name):
    article = parse(TITLES / name)
    lines = [line for line in (TITLES / name).read_text(encoding="utf-8").splitlines()
             if len(line.split()) >= 12 and line.endswith(".") and line != article.title
             and "cookies" not in line]
    assert lines and all(line in article.body for line in lines)
    assert article.title not in article.body


@pytest.mark.parametrize("name", [name for name in sorted(EXPECTED_TITLES)
                                  if name.startswith(("furniture", "section"))])
def test_furniture_above_the_title_is_neither_title_nor_text(name):
    article = parse(TITLES / name)
    text = "\n".join([article.title, *article.body]) + "\n"
    for phrase in FURNITURE_ABOVE_TITLE:
        assert phrase not in text, phrase


def test_hyphenated_two_word_title_keeps_its_byline_and_date_as_metadata():
    article = parse(TITLES / "hyphenated_with_byline.txt")
    assert (article.author, article.published) == ("Hélène Marchand", "2021-03-03T10:12:00")
    assert "Partager" not in article.body


def test_archive_add_keeps_every_title_shape(run):
    result = run("add", str(TITLES))
    assert result.exit_code == 0, result.output
    listed = json.loads(run("list", "--json").stdout)
    assert sorted(item["title"] for item in listed) == sorted(EXPECTED_TITLES.values())
    found = json.loads(run("search", "Böhme", "--json").stdout)
    assert [hit["title"] for hit in found["hits"]] == ["Jakob Böhme"]
