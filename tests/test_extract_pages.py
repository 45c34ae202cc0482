"""Hand-written French news pages come out as the article alone, with their metadata.

Each fixture under tests/fixtures/pages/ is written in the markup style of one site
(Le Monde, Le Figaro, Libération, Le Parisien, 20 Minutes, Ouest-France, franceinfo,
La Croix, L'Express, Le Soir, RTBF, Le Devoir, 24 heures) and carries that site's
clutter: consent banners, menus, breadcrumbs, share bars, captions and credits,
"Lire aussi" boxes inside the body, newsletter and subscription prompts, paywall
teasers, related boxes, "Les plus lus", comments and footers.
"""

# ruff: noqa: E501 (the expected paragraphs are quoted whole)
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.extract import extract_article
from cli.main import cli
from tests.conftest import FIXTURES

PAGES = FIXTURES / "pages"


@dataclass
class Expected:
    title: str
    body: list[str]
    author: str | None
    published: str | None
    site: str | None
    url: str | None
    lang: str = "fr"


EXPECTED = {
    "20minutes_neige.html": Expected(
        title='Neige : quinze départements en vigilance orange ce mardi',
        body=[
            "Météo-France prévoit jusqu'à dix centimètres de neige en plaine dans le nord du pays, et des routes verglacées dès la fin de la nuit.",
            "La vague de froid venue de Scandinavie s'installe pour plusieurs jours : les températures ne dépasseront pas zéro degré l'après-midi dans une grande moitié nord.",
            'Les poids lourds de plus de 7,5 tonnes sont interdits de circulation sur plusieurs axes du Nord et du Pas-de-Calais depuis lundi soir.',
            "Des écoles fermées dans l'Aisne",
            "Dans l'Aisne et la Somme, les transports scolaires sont suspendus pour la journée, et plusieurs écoles rurales resteront portes closes.",
            'Les gestionnaires de réseau électrique se disent prêts à faire face à un pic de consommation mercredi matin.',
        ],
        author='Marie Lefèvre', published='2021-02-09T07:05:00+01:00', site='20 Minutes',
        url='https://www.20minutes.fr/societe/2970000-20210209-neige-quinze-departements-vigilance-orange',
    ),
    "24heures_lac.html": Expected(
        title='Le Léman sous surveillance après une pollution aux hydrocarbures',
        body=[
            'Une nappe de plusieurs centaines de mètres a été repérée au large de Lutry. Le Canton a déployé des barrages flottants.',
            'Les premiers signalements sont arrivés mardi soir : des promeneurs ont aperçu des irisations à la surface de l’eau entre Lutry et Cully.',
            'Selon la Direction générale de l’environnement, il pourrait s’agir d’un rejet accidentel d’une embarcation de plaisance, mais aucune piste n’est écartée.',
            'Pas de danger pour l’eau potable',
            'Les stations de pompage de Lausanne n’ont pas été affectées, assure le Service de l’eau, qui a renforcé ses contrôles par précaution.',
            'Cet article a été mis à jour à 15 h avec la réaction du Service de l’eau.',
        ],
        author='Julien Rochat', published='2022-08-03T11:20:00+00:00', site='24 heures',
        url='https://www.24heures.ch/le-leman-sous-surveillance-apres-une-pollution-aux-hydrocarbures-123456789',
    ),
    "franceinfo_vaccin.html": Expected(
        title='Covid-19 : la vaccination ouverte aux plus de 75 ans dès lundi',
        body=[
            'Les personnes âgées vivant à domicile pourront prendre rendez-vous dès jeudi par téléphone ou sur internet, a annoncé le Premier ministre.',
            'Jean Castex l’a confirmé jeudi soir : « À partir de lundi, toutes les personnes de plus de 75 ans pourront se faire vacciner », soit environ cinq millions de Français.',
            'Quelque 700 centres de vaccination doivent ouvrir d’ici la fin de la semaine prochaine, selon le ministère de la Santé.',
            'Un numéro national',
            'Un numéro vert national, le 0800 009 110, sera ouvert pour orienter les personnes qui n’ont pas accès à internet vers le centre le plus proche.',
        ],
        author='franceinfo avec AFP', published='2021-01-14T16:20:00+01:00', site='Franceinfo',
        url='https://www.francetvinfo.fr/sante/maladie/coronavirus/vaccin/covid-19-la-vaccination-ouverte-aux-plus-de-75-ans_4256000.html',
    ),
    "lacroix_eglise.html": Expected(
        title='Le pape François publie une lettre sur la crèche',
        body=[
            'En visite à Greccio, où saint François d’Assise inventa la crèche vivante en 1223, le pape a signé une lettre apostolique qui invite les familles à renouer avec cette tradition.',
            'Dans ce texte intitulé Admirabile signum, François rappelle que la crèche « est comme un Évangile vivant » et encourage à l’installer « dans les lieux de travail, les écoles, les hôpitaux, les prisons ».',
            'Le pape y décrit chacun des personnages, des bergers aux rois mages, en soulignant la place des pauvres et des humbles dans la scène de la Nativité.',
            'Un geste en direction des familles',
            'La lettre, courte et accessible, est destinée à être lue en famille pendant l’Avent, a précisé le Saint-Siège, qui la fait traduire en une dizaine de langues.',
        ],
        author='Loup Besmond de Senneville', published='2019-12-01T17:02:00+01:00', site='La Croix',
        url='https://www.la-croix.com/Religion/Catholicisme/Pape/pape-Francois-publie-lettre-creche-2019-12-01-1201063840',
    ),
    "ledevoir_trottinettes.html": Expected(
        title='La fin des trottinettes en libre-service à Montréal',
        body=[
            'La Ville ne renouvellera pas les permis des entreprises de trottinettes électriques, jugeant le bilan de la saison 2019 « très décevant ».',
            'Seulement 20 % des utilisateurs ont stationné leur trottinette dans les espaces prévus à cet effet, a constaté la Ville, qui avait pourtant aménagé 326 zones de stationnement.',
            '« On ne peut pas accepter que des trottinettes encombrent les trottoirs et nuisent aux personnes à mobilité réduite », a expliqué le responsable du dossier au comité exécutif.',
            'Les vélos en libre-service maintenus',
            'Le service Bixi, qui a connu une année record avec 5,8 millions de déplacements, n’est pas touché par cette décision.',
        ],
        author='Jeanne Corriveau', published='2020-02-17T14:32:00-05:00', site='Le Devoir',
        url='https://www.ledevoir.com/politique/montreal/573258/la-fin-des-trottinettes-en-libre-service-a-montreal',
    ),
    "lefigaro_incendies.html": Expected(
        title='Incendies en Australie : des milliers d’habitants évacués sur la côte est',
        body=[
            'Les autorités de Nouvelle-Galles du Sud ont ordonné l’évacuation d’une bande côtière de 250 kilomètres avant une journée de chaleur extrême.',
            'Des milliers de touristes et d’habitants ont pris la route samedi matin, formant de longs embouteillages sur la Princes Highway, seule voie de sortie vers le nord.',
            'Les températures devaient dépasser 40 degrés dans l’après-midi, avec des vents violents qui font craindre une propagation rapide des feux déjà actifs.',
            'Une saison d’une ampleur inédite',
            'Depuis septembre, les incendies ont ravagé plus de cinq millions d’hectares, détruit près de 1500 maisons et coûté la vie à au moins 23 personnes.',
            'Le premier ministre, Scott Morrison, critiqué pour sa gestion de la crise, a annoncé le déploiement de 3000 réservistes de l’armée.',
            '(Avec AFP)',
        ],
        author='Camille Lestrade', published='2020-01-04T10:15:00+01:00', site='Le Figaro',
        url='https://www.lefigaro.fr/international/incendies-en-australie-des-milliers-d-habitants-evacues-20200104',
    ),
    "lemonde_retraites.html": Expected(
        title='Retraites : le gouvernement retire l’âge pivot de son projet de loi',
        body=[
            'Le premier ministre propose de retirer provisoirement la mesure, à condition que les partenaires sociaux trouvent d’ici à avril une autre façon d’équilibrer le système.',
            'Dans une lettre adressée samedi aux partenaires sociaux, Edouard Philippe annonce qu’il retire du projet de loi la mesure d’âge pivot à 64 ans, qui cristallisait la colère des syndicats réformistes.',
            'La CFDT, qui avait fait du retrait de cette mesure une condition de son soutien, salue « une victoire » ; la CGT et Force ouvrière maintiennent leur appel à manifester mardi et jeudi.',
            'Une conférence sur le financement',
            'Le gouvernement confie aux partenaires sociaux une « conférence sur l’équilibre et le financement », qui devra rendre ses conclusions avant la fin du mois d’avril.',
            'Les partenaires sociaux devront présenter des mesures d’économies ou de nouvelles recettes ; faute d’accord, l’exécutif reprendra la main par ordonnance.',
        ],
        author='Audrey Tonnelier, Raphaëlle Besse Desmoulières', published='2020-01-11T19:41:12+01:00', site='Le Monde',
        url='https://www.lemonde.fr/politique/article/2020/01/11/retraites-le-gouvernement-retire-l-age-pivot_6025556_823448.html',
    ),
    "leparisien_greve.html": Expected(
        title='Grève à la RATP : le trafic toujours très perturbé ce dimanche',
        body=[
            'Seules les lignes automatiques 1 et 14 fonctionnent normalement. La direction prévoit une légère amélioration lundi sur le RER A.',
            'Pour le trente-deuxième jour consécutif, les usagers franciliens devront s’armer de patience : la grève contre la réforme des retraites continue de paralyser une grande partie du réseau.',
            'Sur les lignes 4, 5, 7 et 9, un métro sur trois circulera aux heures de pointe seulement, et six lignes resteront entièrement fermées toute la journée.',
            'Des bus plus nombreux',
            'La RATP annonce en revanche deux bus sur trois en moyenne, avec des renforts sur les lignes qui doublent les métros fermés.',
            'Le Parisien avec AFP',
        ],
        author='Jean Dupont', published='2020-01-05T14:32:00+01:00', site='Le Parisien',
        url=None,
    ),
    "lesoir_coalition.html": Expected(
        title='Mort de Soleimani: la coalition internationale antidjihadiste «suspend» le combat contre le groupe Etat islamique',
        body=[
            'La coalition antidjihadistes emmenée par les Etats-Unis, à laquelle participe la Belgique, a annoncé dimanche « suspendre » l’entraînement des forces irakiennes et le combat contre le groupe Etat islamique (EI).',
            'La coalition affirme que la formation des soldats irakiens a été interrompue en raison des attaques à la roquette répétées sur les bases des troupes présentes en Irak.',
            '« Notre priorité absolue est de protéger le personnel de la coalition dédiée à la lutte contre l’Etat islamique », est-il indiqué dans un communiqué.',
            '5.000 soldats visés',
            'Après l’attaque controversée contre le général iranien Qassem Soleimani, Téhéran a juré de se venger. Selon des experts, les quelque 5.000 soldats américains présents en Irak pourraient être visés.',
            'Par peur des représailles, l’Otan a suspendu ses opérations en Irak.',
        ],
        author='Belga', published='2020-01-05T20:11:00+01:00', site='Le Soir',
        url='https://www.lesoir.be/271433/article/2020-01-05/mort-de-soleimani-la-coalition-internationale-antidjihadiste-suspend-le-combat',
    ),
    "lexpress_inflation.html": Expected(
        title='Inflation : pourquoi les prix alimentaires ne baissent pas',
        body=[
            'Malgré le reflux des cours des matières premières, les étiquettes restent élevées dans les rayons. Distributeurs et industriels se renvoient la responsabilité.',
            'Sur un an, les prix de l’alimentation ont encore progressé de près de 10 % en août, selon l’Insee, alors que le blé et les huiles végétales sont revenus à leurs niveaux de 2021.',
            'Les négociations commerciales annuelles, bouclées en mars, ont figé des tarifs calculés au plus haut de la flambée des coûts de l’énergie.',
            'Des marges sous surveillance',
            'Le gouvernement a demandé aux industriels de rouvrir les négociations dès la rentrée pour répercuter la baisse de leurs coûts sur les prix en rayon.',
        ],
        author='Béatrice Mathieu', published='2023-09-18T06:00:00+02:00', site="L'Express",
        url='https://www.lexpress.fr/economie/inflation-pourquoi-les-prix-alimentaires-ne-baissent-pas-ABC123.html',
    ),
    "liberation_festival.html": Expected(
        title='Festival d’Avignon : une édition sous le signe de la jeunesse',
        body=[
            'Pour sa 76e édition, le festival fait la part belle aux jeunes compagnies et aux spectacles venus d’Afrique et d’Amérique latine.',
            'Le directeur du festival, Olivier Py, signe sa dernière édition avec une programmation resserrée, où près de la moitié des spectacles sont des créations de metteurs en scène de moins de 35 ans.',
            'Dans la cour d’honneur, c’est un texte de Kae Tempest, adapté par une troupe de Lagos, qui ouvre le bal ce jeudi soir, devant deux mille spectateurs.',
            'La billetterie affiche déjà complet pour une vingtaine de représentations, un niveau jamais atteint depuis la crise sanitaire.',
            'Un Off en pleine forme',
            'Le Off, lui aussi, retrouve son ampleur d’avant la pandémie avec plus de 1500 spectacles dans 140 lieux de la ville.',
        ],
        author='Anne Diatkine', published='2022-07-07T06:30:00+02:00', site='Libération',
        url='https://www.liberation.fr/culture/theatre/festival-davignon-une-edition-sous-le-signe-de-la-jeunesse-20220707_ABCDEF/',
    ),
    "ouestfrance_port.html": Expected(
        title='Saint-Malo. Le port investit 12 millions d’euros dans un nouveau terminal',
        body=[
            'La Région Bretagne et la chambre de commerce lancent le chantier d’une gare maritime pensée pour les ferries de nouvelle génération, à l’horizon 2023.',
            'Le bâtiment actuel, inauguré en 1984, n’est plus adapté aux navires de 187 mètres que la compagnie Brittany Ferries met en service l’an prochain.',
            '« C’est un investissement de 12 millions d’euros, dont 4,5 millions € apportés par la Région, pour un équipement qui accueillera un million de passagers par an », détaille le président de la chambre de commerce.',
            'Un cœur de ville mieux relié',
            'Le projet prévoit aussi une passerelle piétonne vers l’intra-muros, réclamée de longue date par les commerçants du quartier et par l’office de tourisme.',
            'Les travaux doivent débuter au printemps, après une dernière enquête publique.',
        ],
        author='Yann Le Gall', published='2019-11-22T18:47:00+01:00', site='Ouest-France',
        url='https://www.ouest-france.fr/bretagne/saint-malo-35400/saint-malo-le-port-investit-12-millions-d-euros-6620000',
    ),
    "rtbf_inondations.html": Expected(
        title='Inondations : Liège en alerte, la Meuse continue de monter',
        body=[
            'Le gouverneur de la province a demandé aux habitants des quartiers bas d’Angleur et de Chênée de quitter leur domicile avant la nuit.',
            'Le niveau de la Meuse devrait atteindre son pic jeudi matin, selon les prévisions du service public de Wallonie, qui n’exclut pas un débordement dans le centre-ville.',
            'Plusieurs écoles et un home de Chênée ont déjà été évacués dans l’après-midi, et des sacs de sable sont distribués au parc de la Boverie.',
            'Le trafic ferroviaire interrompu',
            'La SNCB a suspendu la circulation des trains entre Liège et Namur ainsi qu’entre Liège et Verviers jusqu’à nouvel ordre.',
            'Sophie Lambert, avec Belga',
        ],
        author='Sophie Lambert', published='2021-07-14T18:05:00+02:00', site='RTBF',
        url='https://www.rtbf.be/article/inondations-liege-en-alerte-la-meuse-continue-de-monter-10803456',
    ),
}

# Strings of each page's clutter that must not reach the title or body.
ABSENT = {
    "20minutes_neige.html": ["cookies", "Accueil", "Société", "Marie Lefèvre", "Publié le", "Facebook",
                             "Flipboard", "A26", "20 Minutes", "A lire aussi", "Vague de froid",
                             "newsletter", "Réagissez", "Règles de bonne conduite", "Signaler un abus",
                             "Les plus partagés", "Covid-19", "Mentions légales"],
    "24heures_lac.html": ["cookies", "Vaud", "Environnement", "Julien Rochat", "Publié", "Partager",
                          "KEYSTONE", "pompiers du lac", "À lire aussi", "Pollution du Rhône",
                          "Abonnez-vous", "Les plus lus", "Canicule", "Commentaires", "réagir",
                          "Tamedia"],
    "franceinfo_vaccin.html": ["vie privée", "Accueil", "Coronavirus", "franceinfo avec AFP", "Publié",
                               "Partager", "THOMAS SAMSON", "A lire aussi", "Vaccins : où",
                               "boîte mail", "Je m’inscris", "les plus lus", "Couvre-feu",
                               "Commentaires", "Un commentaire abusif", "France Télévisions"],
    "lacroix_eglise.html": ["cookies", "S’abonner", "Se connecter", "Catholicisme", "envoyé spécial",
                            "01/12/2019", "Lecture en 3 min", "Imprimer", "favoris", "VATICAN MEDIA",
                            "Lire aussi", "Crèches dans les mairies", "réservé aux abonnés",
                            "offre découverte", "À découvrir", "Réagir", "Bayard"],
    "ledevoir_trottinettes.html": ["témoins", "Je m’abonne", "\nMontréal\n", "Par Jeanne Corriveau",
                                   "17 février 2020", "Courriel", "Coallier", "Plateau-Mont-Royal",
                                   "À voir en vidéo", "casse-tête", "infolettre", "commentaires",
                                   "Les plus populaires", "resserre les règles"],
    "lefigaro_incendies.html": ["cookies", "Actualité", "Accueil", "Par Camille Lestrade",
                                "04/01/2020", "Copier le lien", "SAEED KHAN", "Nowra", "À lire aussi",
                                "bilan humain", "Publicité", "newsletter", "Tous les mardis",
                                "Réagir", "Connectez-vous", "charbon", "À voir aussi",
                                "grand absent", "Tous droits réservés"],
    "lemonde_retraites.html": ["cookies", "International", "S’abonner", "Se connecter",
                               "Réforme des retraites\n", "Par Audrey", "Publié le", "Temps de Lecture",
                               "Partager", "Offrir cet article", "LUDOVIC MARIN", "à Matignon",
                               "Lire aussi", "ce que contient vraiment", "Il vous reste",
                               "Déjà abonné", "Sur le même sujet", "Grève du 9 janvier",
                               "Réagissez", "Marcel_75", "Les plus lus", "Incendies en Australie",
                               "Recevez chaque matin", "Tous droits réservés"],
    "leparisien_greve.html": ["cookies", "Faits divers", "Je m’abonne", "Transports", "Par Jean Dupont",
                              "Publié le", "WhatsApp", "Olivier Arandel", "gare de Lyon", "LIRE AUSSI",
                              "nos conseils", "Publicité", "1 € le premier mois",
                              "Profitez de notre offre", "Vos commentaires", "Commenter",
                              "Les plus lus", "XXe arrondissement", "Tous droits réservés"],
    "lesoir_coalition.html": ["cookies", "Belgique\n", "S’abonner", "Monde\n", "PhotoNews", "Belga",
                              "Publié le", "Linkedin", "Lire aussi", "Parlement vote",
                              "À découvrir sur Le Soir +", "au bord de la crise", "Vos réactions",
                              "Règles de bonne conduite", "Un commentaire abusif? Alertez-nous",
                              "escalade", "Rossel"],
    "lexpress_inflation.html": ["cookies", "Abonnez-vous", "Consommation", "Béatrice Mathieu",
                                "Publié le", "LinkedIn", "A lire aussi", "Carburants",
                                "Il vous reste 80% de cet article à lire", "Connectez-vous",
                                "Je m'abonne", "Inflation\n", "Les plus lus", "calendrier",
                                "Contenus sponsorisés", "astuce", "Tous droits réservés"],
    "liberation_festival.html": ["traceurs", "Menu", "S’abonner", "Culture / Théâtre", "par Anne",
                                 "publié le", "palais des Papes", "Raynaud de Lage", "A lire aussi",
                                 "Je pars sans regret", "boîte mail", "S’inscrire",
                                 "Festival d’Avignon\n", "Dans la même rubrique", "espoir et inquiétude",
                                 "Mentions légales"],
    "ouestfrance_port.html": ["données personnelles", "Normandie", "Accueil", "Yann Le Gall",
                              "Publié le", "Partager", "Imprimer", "terminal du Naye", "Lire aussi",
                              "nouveau navire", "Abonnez-vous", "Sur le même sujet",
                              "gare maritime fermée", "Vos réactions", "commentaires sont fermés",
                              "Toute reproduction"],
    "rtbf_inondations.html": ["cookies", "Auvio", "Actus", "Par Sophie Lambert", "Publié le",
                              "Partager", "WhatsApp", "© Belga", "ce mercredi.", "LIRE AUSSI",
                              "Intempéries : le point", "Sur le même sujet", "Crues :",
                              "Commentaires", "réservés aux", "Charte"],
}

ENCODED = {  # fixture → a byte string that shows how it is really encoded
    "20minutes_neige.html": "é".encode("latin-1"),   # ISO-8859-1, declared by <meta charset>
    "ouestfrance_port.html": "’".encode("cp1252"),   # windows-1252, declared nowhere
    "lacroix_eglise.html": b"\xef\xbb\xbf",           # UTF-8 with a BOM
    "franceinfo_vaccin.html": b"&eacute;",            # accents as HTML entities
}


def extract(name: str):
    return extract_article((PAGES / name).read_bytes(), origin=name)


def test_there_are_at_least_twelve_hand_written_pages():
    assert len(list(PAGES.glob("*.html"))) >= 12
    assert set(EXPECTED) == {path.name for path in PAGES.glob("*.html")} == set(ABSENT)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_gives_the_exact_title_and_paragraphs(name):
    article, expected = extract(name), EXPECTED[name]
    assert article.title == expected.title
    assert article.body == expected.body


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_keeps_none_of_its_clutter(name):
    article = extract(name)
    text = "\n".join([article.title, *article.body]) + "\n"
    for phrase in ABSENT[name]:
        assert phrase not in text, phrase


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_metadata_is_read(name):
    article, expected = extract(name), EXPECTED[name]
    assert (article.author, article.published, article.site, article.url, article.lang) == (
        expected.author, expected.published, expected.site, expected.url, expected.lang)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_keeps_standfirst_first_and_an_intertitle(name):
    body = EXPECTED[name].body
    assert len(body) >= 4
    assert len(body[0].split()) >= 12  # the standfirst (chapô) opens the body
    assert any(len(p.split()) <= 8 and not p.endswith(".") for p in body[2:])  # an intertitle


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_fixture_really_is_in_its_encoding_and_reads_back_typography(name):
    raw = (PAGES / name).read_bytes()
    assert ENCODED[name] in raw
    text = "\n".join(extract(name).body)
    assert "\ufffd" not in text and "Ã" not in text
    assert any(mark in text for mark in ("é", "è", "à"))


def test_typographic_characters_stay_as_in_the_source():
    text = "\n".join(extract("ouestfrance_port.html").body)
    for mark in ("’", "«", "»", "œ", "€"):
        assert mark in text


def test_closing_info_lines_are_kept_last():
    assert extract("lefigaro_incendies.html").body[-1] == "(Avec AFP)"
    assert extract("leparisien_greve.html").body[-1] == "Le Parisien avec AFP"
    assert extract("rtbf_inondations.html").body[-1] == "Sophie Lambert, avec Belga"


def test_title_is_the_visible_h1_not_a_differing_og_title():
    article = extract("lemonde_retraites.html")
    assert article.title.startswith("Retraites : le gouvernement retire")
    assert "lâche du lest" not in article.title


def test_archive_add_on_the_fixtures_archives_every_page_exactly(tmp_path):
    home = tmp_path / "home"
    runner = CliRunner()
    result = runner.invoke(cli, ["--home", str(home), "add", str(PAGES)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(cli, ["--home", str(home), "list", "--json"]).stdout)
    by_file = {Path(item["origin"]).name: item["id"] for item in listed}
    assert len(listed) == len(list(PAGES.rglob("*.*")))  # text copies and sub-folders too
    for name, expected in EXPECTED.items():
        shown = json.loads(runner.invoke(
            cli, ["--home", str(home), "show", by_file[name], "--json"]).stdout)
        assert shown["title"] == expected.title, name
        assert shown["body"] == expected.body, name
        assert (shown["author"], shown["published"], shown["site"], shown["lang"]) == (
            expected.author, expected.published, expected.site, expected.lang), name
