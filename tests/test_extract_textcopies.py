# ruff: noqa: E501 (the expected paragraphs are quoted whole)
"""Text copies (select all, copy) of French news pages, in the shapes of four more sites.

Le Figaro, La Libre, Le Devoir (windows-1252 bytes) and 20 Minutes (UTF-8), all with
CRLF endings: menus above the headline, bare author names beside the date line,
photographers' credits and captions, "Lire aussi" labels, newsletter and subscription
boxes, paywall prompts, "Les plus lus" and comment prompts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from archive.pages import read_page
from tests.conftest import FIXTURES

PAGES = FIXTURES / "pages"


@dataclass
class Expected:
    title: str
    body: list[str]
    author: str | None
    published: str | None
    site: str | None


EXPECTED = {
    "20minutes_neige.txt": Expected(
        title='Neige : quinze départements en vigilance orange ce mardi',
        body=[
            "Météo-France prévoit jusqu'à dix centimètres de neige en plaine dans le nord du pays, et des routes verglacées dès la fin de la nuit",
            "La vague de froid venue de Scandinavie s'installe pour plusieurs jours : les températures ne dépasseront pas zéro degré l'après-midi dans une grande moitié nord.",
            'Les poids lourds de plus de 7,5 tonnes sont interdits de circulation sur plusieurs axes du Nord et du Pas-de-Calais depuis lundi soir.',
            "Des écoles fermées dans l'Aisne",
            "Dans l'Aisne et la Somme, les transports scolaires sont suspendus pour la journée, et plusieurs écoles rurales resteront portes closes.",
        ],
        author='Marie Lefèvre', published='2021-02-09T07:05:00', site=None,
    ),
    "lalibre_budget.txt": Expected(
        title='Budget fédéral : le gouvernement De Croo trouve un accord après une nuit de négociations',
        body=[
            'L’effort porte sur 1,7 milliard d’euros en 2023, dont un tiers de nouvelles recettes. Les partenaires de la Vivaldi se disent « soulagés ».',
            'Les sept partis de la majorité se sont quittés peu avant six heures du matin, après plus de vingt heures de discussions au 16, rue de la Loi.',
            'Le Premier ministre a parlé d’un « budget de crise », qui protège les ménages face à la flambée des prix de l’énergie tout en limitant le déficit.',
            'Une taxe sur les surprofits',
            'Les producteurs d’électricité devront reverser une partie de leurs bénéfices exceptionnels, une mesure réclamée de longue date par les socialistes.',
        ],
        author='Sophie Devillers', published='2022-10-12T07:45:00', site='La Libre',
    ),
    "ledevoir_trottinettes.txt": Expected(
        title='La fin des trottinettes en libre-service à Montréal',
        body=[
            'La Ville ne renouvellera pas les permis des entreprises de trottinettes électriques, jugeant le bilan de la saison 2019 « très décevant ».',
            'Seulement 20 % des utilisateurs ont stationné leur trottinette dans les espaces prévus à cet effet, a constaté la Ville, qui avait pourtant aménagé 326 zones de stationnement.',
            '« On ne peut pas accepter que des trottinettes encombrent les trottoirs et nuisent aux personnes à mobilité réduite », a expliqué le responsable du dossier au comité exécutif.',
            'Les vélos en libre-service maintenus',
            'Le service Bixi, qui a connu une année record avec 5,8 millions de déplacements, n’est pas touché par cette décision.',
        ],
        author='Jeanne Corriveau', published='2020-02-17', site='Le Devoir',
    ),
    "lefigaro_incendies.txt": Expected(
        title='Incendies en Australie : des milliers d’habitants évacués sur la côte est',
        body=[
            'Les autorités de Nouvelle-Galles du Sud ont ordonné l’évacuation d’une bande côtière de 250 kilomètres avant une journée de chaleur extrême.',
            'Des milliers de touristes et d’habitants ont pris la route samedi matin, formant de longs embouteillages sur la Princes Highway, seule voie de sortie vers le nord.',
            'Les températures devaient dépasser 40 degrés dans l’après-midi, avec des vents violents qui font craindre une propagation rapide des feux.',
            'Une saison d’une ampleur inédite',
            'Depuis septembre, les incendies ont ravagé plus de cinq millions d’hectares, détruit près de 1500 maisons et coûté la vie à au moins 23 personnes.',
            'Le premier ministre, Scott Morrison, critiqué pour sa gestion de la crise, a annoncé le déploiement de 3000 réservistes de l’armée.',
            '(Avec AFP)',
        ],
        author='Camille Lestrade', published='2020-01-04T10:15:00', site='Le Figaro',
    ),
}

ABSENT = {
    "20minutes_neige.txt": ["Accueil", "Société\n", "METEO", "Marie Lefèvre", "Publié le", "Facebook",
                            "Flipboard", "E-mail", "chasse-neige", "M.Libert", "A lire aussi",
                            "Vague de froid", "newsletter", "commentaire", "Réagissez", "Les plus partagés"],
    "lalibre_budget.txt": ["Menu", "S'abonner", "Se connecter", "Politique belge", "Photo News",
                           "Sophie Devillers", "Publié le", "Partager", "Facebook", "Lire aussi",
                           "bouclier tarifaire", "réservé aux abonnés", "Connectez-vous", "Les plus lus",
                           "Météo", "Vos réactions", "Règles de bonne conduite", "Alertez-nous"],
    "ledevoir_trottinettes.txt": ["Aller au contenu", "Je m’abonne", "Politique", "\nMontréal\n", "Coallier",
                                  "Plateau-Mont-Royal", "Jeanne Corriveau", "17 février 2020",
                                  "infolettre", "commentaires", "Les plus populaires"],
    "lefigaro_incendies.txt": ["Passer au contenu", "Actualité", "Abonnez-vous", "Accueil International",
                               "Par Camille", "Publié le", "Facebook", "Copier le lien", "SAEED KHAN",
                               "Nowra", "À lire aussi", "bilan humain", "Publicité", "newsletter",
                               "Tous les mardis", "S’inscrire", "Réagir", "Connectez-vous", "À voir aussi",
                               "grand absent"],
}


def read(name: str):
    return read_page((PAGES / name).read_bytes(), name, name_hint=name)


def test_copies_are_crlf_and_mostly_cp1252():
    raws = {name: (PAGES / name).read_bytes() for name in EXPECTED}
    assert all(b"\r\n" in raw for raw in raws.values())
    cp1252 = [name for name, raw in raws.items() if "’".encode("cp1252") in raw or b"\xe9" in raw]
    assert len(cp1252) >= 3


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_copy_gives_exact_title_and_paragraphs(name):
    article, expected = read(name), EXPECTED[name]
    assert article.title == expected.title
    assert article.body == expected.body


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_copy_keeps_none_of_its_clutter(name):
    article = read(name)
    text = "\n".join([article.title, *article.body]) + "\n"
    for phrase in ABSENT[name]:
        assert phrase not in text, phrase


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_copy_metadata_is_read_off_its_lines(name):
    article, expected = read(name), EXPECTED[name]
    assert (article.author, article.published, article.site, article.lang) == (
        expected.author, expected.published, expected.site, "fr")


def test_numeric_french_date_of_a_copy_is_read():
    assert read("lefigaro_incendies.txt").published == "2020-01-04T10:15:00"
    assert read("20minutes_neige.txt").published == "2021-02-09T07:05:00"
