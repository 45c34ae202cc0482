"""The HTML extractor alone: each metadata source, each pruning rule, and no crash on any bytes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.extract import extract_article, extract_text
from tests.conftest import FIXTURES

PARAGRAPHS = (
    "<p>Les cheminots ont cessé le travail ce lundi matin dans tout le pays, à l’appel des syndicats.</p>"
    "<p>La direction parle d’un mouvement injustifié et promet de maintenir un service minimum.</p>"
)


def page(head: str = "", body: str = "", lang: str = "fr") -> bytes:
    return (f"<html lang='{lang}'><head><meta charset='utf-8'>{head}</head><body>"
            f"<article><h1>Grève à la SNCB</h1>{body}{PARAGRAPHS}</article></body></html>").encode()


# -- metadata: every source of every field -----------------------------------------------

def test_author_and_date_come_from_json_ld_first():
    article = extract_article(page(
        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"author\": "
        "{\"@type\": \"Person\", \"name\": \"Marie Curie\"}, "
        "\"datePublished\": \"2020-01-05T14:32:00+01:00\","
        " \"publisher\": {\"name\": \"Le Soir\"}}</script><meta name='author' content='Jean Dupont'>"))
    assert (article.author, article.published, article.site) == (
        "Marie Curie", "2020-01-05T14:32:00+01:00", "Le Soir")


def test_json_ld_inside_a_graph_is_read():
    article = extract_article(page(
        "<script type='application/ld+json'>{\"@graph\": [{\"@type\": \"WebPage\"}, {\"@type\": "
        "[\"ReportageNewsArticle\"], \"author\": [{\"name\": \"A\"}, {\"name\": \"B\"}]}]}</script>"))
    assert article.author == "A, B"


def test_author_date_site_and_url_come_from_meta_tags():
    article = extract_article(page(
        "<meta name='author' content='Jean Dupont'>"
        "<meta property='article:published_time' content='2020-01-05T13:32:00Z'>"
        "<meta property='og:site_name' content='Le Soir'>"
        "<meta property='og:url' content='https://www.lesoir.be/1/article'>"))
    assert (article.author, article.published, article.site, article.url) == (
        "Jean Dupont", "2020-01-05T13:32:00+00:00", "Le Soir", "https://www.lesoir.be/1/article")


def test_canonical_link_wins_over_og_url():
    article = extract_article(page(
        "<meta property='og:url' content='https://m.example.fr/a?utm=1'>"
        "<link rel='canonical' href='https://www.example.fr/a'>"))
    assert article.url == "https://www.example.fr/a"


def test_visible_byline_gives_the_author():
    article = extract_article(page(body="<p class='byline'>Par Jean Dupont</p>"))
    assert article.author == "Jean Dupont"
    assert "Par Jean Dupont" not in article.body


def test_plain_par_line_near_the_title_gives_the_author():
    article = extract_article(page(body="<div><span>Par Jean Dupont et Marie Curie</span></div>"))
    assert article.author == "Jean Dupont et Marie Curie"


def test_a_sentence_starting_with_par_is_not_a_byline():
    article = extract_article(page(
        body="<p>Par ailleurs, les syndicats ont annoncé une nouvelle journée.</p>"))
    assert article.author is None


@pytest.mark.parametrize(("line", "published"), [
    ("Publié le 5 janvier 2020 à 14h32", "2020-01-05T14:32:00+01:00"),
    ("Publié le 5 juillet 2020 à 14h32", "2020-07-05T14:32:00+02:00"),
    ("Mis en ligne le 05/01/2020 14:32", "2020-01-05T14:32:00+01:00"),
    ("Le 1er février 2021 à 9h05", "2021-02-01T09:05:00+01:00"),
])
def test_french_date_byline_gives_the_date_with_its_offset(line, published):
    article = extract_article(page(body=f"<div class='meta'><span>{line}</span></div>"))
    assert article.published == published
    assert line not in "\n".join(article.body)


def test_canadian_french_byline_date_has_eastern_offset():
    article = extract_article(page(body="<p>17 février 2020 14 h 32</p>", lang="fr-CA"))
    assert article.published == "2020-02-17T14:32:00-05:00"


def test_time_element_gives_the_date():
    article = extract_article(page(body="<time datetime='2020-01-05T14:32:00+01:00'>5 janvier</time>"))
    assert article.published == "2020-01-05T14:32:00+01:00"


def test_lang_comes_from_html_then_from_the_text():
    assert extract_article(page(lang="fr-BE")).lang == "fr"
    no_lang = page().replace(b" lang='fr'", b"")
    assert extract_article(no_lang).lang == "fr"


def test_site_comes_from_json_ld_publisher():
    article = extract_article(page(
        "<script type='application/ld+json'>{\"@type\": \"Article\", \"publisher\": "
        "{\"@type\": \"Organization\", \"name\": \"Le Devoir\"}}</script>"))
    assert article.site == "Le Devoir"


# -- title ---------------------------------------------------------------------------------

def test_title_is_the_h1_even_when_og_title_differs():
    article = extract_article(page("<meta property='og:title' content='Les cheminots en colère'>"))
    assert article.title == "Grève à la SNCB"


def test_title_falls_back_to_title_tag_without_site_suffix():
    html = (f"<html><head><title>Grève générale à la SNCB ce lundi - Le Soir</title></head>"
            f"<body><div>{PARAGRAPHS}</div></body></html>")
    assert extract_article(html).title == "Grève générale à la SNCB ce lundi"


# -- pruning rules, one general pattern each ------------------------------------------------

@pytest.mark.parametrize("clutter", [
    "<div class='share-bar'><a>Facebook</a> <a>Twitter</a></div>",
    "<div id='comments'><p>Un commentaire assez long pour ressembler à un paragraphe de texte.</p></div>",
    "<section class='related'><p>Autre article avec une phrase assez longue pour compter ici.</p></section>",
    "<div class='newsletter'><p>Recevez chaque matin notre sélection d’articles.</p></div>",
    "<div class='cookie-consent'><p>Nous utilisons des cookies pour mesurer l’audience du site.</p></div>",
    "<p style='display:none'>Un texte caché qui ne s’affiche jamais à l’écran du lecteur.</p>",
    "<figure><img src='a.jpg'><figcaption>Les grévistes devant la gare du Midi. Belga</figcaption></figure>",
    "<p><strong>Lire aussi :</strong> <a href='/x'>La SNCB promet un service minimum</a></p>",
    "<ul><li><a href='/1'>Premier titre lié</a></li><li><a href='/2'>Second titre lié</a></li></ul>",
    "<p>Il vous reste 80% de cet article à lire.</p>",
    "<aside><p>Les plus lus : une phrase assez longue pour être prise pour un paragraphe.</p></aside>",
])
def test_clutter_inside_the_article_is_dropped(clutter):
    body = extract_article(page(body=clutter)).body
    assert body == [
        "Les cheminots ont cessé le travail ce lundi matin dans tout le pays, à l’appel des syndicats.",
        "La direction parle d’un mouvement injustifié et promet de maintenir un service minimum.",
    ]


def test_a_data_table_comes_out_one_line_per_row():
    table = ("<table><tr><th>Rang</th><th>Coureur</th><th>Temps</th></tr>"
             "<tr><td>1</td><td>Julian Alaphilippe</td><td>4 h 12 min</td></tr>"
             "<tr><td>2</td><td>Thibaut Pinot</td><td>+ 12 s</td></tr>"
             "<tr><td>3</td><td><a href='/bardet'>Romain Bardet</a></td><td>+ 1 min</td></tr></table>")
    body = extract_article(page(body=table)).body
    assert body[:4] == ["Rang Coureur Temps", "1 Julian Alaphilippe 4 h 12 min", "2 Thibaut Pinot + 12 s",
                        "3 Romain Bardet + 1 min"]


def test_a_short_line_repeated_in_the_text_stays_but_a_paragraph_printed_twice_goes_once():
    day = ("<h3>Petit déjeuner</h3><p>Un bol de flocons d’avoine, une pomme et un café noir sans sucre.</p>"
           "<h3>Déjeuner</h3><p>{}</p>")
    plan = (day.format("Une salade de lentilles, du pain complet et un yaourt nature.")
            + day.format("Un filet de poisson blanc, du riz et des haricots verts vapeur."))
    body = extract_article(page(body=plan)).body
    assert body.count("Petit déjeuner") == 2 and body.count("Déjeuner") == 2
    assert body.count("Un bol de flocons d’avoine, une pomme et un café noir sans sucre.") == 1


def test_a_list_item_of_the_text_half_a_link_is_kept_a_link_alone_is_not():
    items = ("<ul><li>Le préfet a publié <a href='/arrete'>l’arrêté de fermeture des écoles</a> lundi.</li>"
             "<li><a href='/autre'>Un autre article sur la grève</a></li></ul>")
    body = extract_article(page(body=items)).body
    assert "Le préfet a publié l’arrêté de fermeture des écoles lundi." in body
    assert "Un autre article sur la grève" not in body


def test_a_link_named_like_a_popup_is_still_part_of_its_paragraph():
    text = ("<p>Je suis un homme <a class='popup' href='#'>plutôt âgé</a>, et la nature de mes occupations "
            "m’a mis en contact avec un groupe d’hommes singulier.</p>")
    assert extract_article(page(body=text)).body[0] == (
        "Je suis un homme plutôt âgé, et la nature de mes occupations m’a mis en contact avec un groupe "
        "d’hommes singulier.")


@pytest.mark.parametrize("line", ["Nov. 20, 2019, 9:28 AM UTC", "Published March 3, 2021",
                                  "Let our news meet your inbox. The stories that matter, every morning."])
def test_an_english_date_line_or_inbox_prompt_is_dropped(line):
    body = extract_article(page(body=f"<p>{line}</p>", lang="en")).body
    assert line not in body and len(body) == 2


def test_a_page_wrapped_in_a_form_keeps_its_text():
    html = (f"<html><body><form id='aspnetForm'><div class='content'>{PARAGRAPHS * 4}</div>"
            "</form></body></html>")
    assert len(extract_article(html).body) == 2


def test_paragraphs_split_by_br_in_a_div_come_out_one_by_one():
    html = ("<html><body><div class='post'>Premier paragraphe du texte, assez long pour compter vraiment."
            "<br><br>Second paragraphe du texte, lui aussi assez long pour compter.</div></body></html>")
    assert extract_article(html).body == [
        "Premier paragraphe du texte, assez long pour compter vraiment.",
        "Second paragraphe du texte, lui aussi assez long pour compter.",
    ]


def test_soft_hyphens_are_removed():
    html = ("<html><body><article><p>Une can\u00addi\u00adda\u00adture collective, déposée hier soir, "
            "fait débat.</p></article></body></html>")
    assert extract_text(html) == "Une candidature collective, déposée hier soir, fait débat."


# -- never raises ----------------------------------------------------------------------------

def test_very_deep_nesting_does_not_raise():
    depth = 5000
    html = "<html><body>" + "<div>" * depth + PARAGRAPHS + "</div>" * depth + "</body></html>"
    assert len(extract_article(html.encode()).body) == 2
    assert extract_article(("<b><i>" * depth + "x").encode()).title == ""


def test_empty_and_binary_input_give_an_empty_article():
    assert extract_article(b"").body == []
    assert extract_article(bytes(range(256)) * 4).title == ""


SAMPLE = (FIXTURES / "pages" / "lesoir_coalition.html").read_bytes()
TAGS = st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<article>", "<h1>", "</h1>", "<br>",
                        "<a href=x>", "</a>", "<script>", "</script>", "<!--", "-->",
                        "<table><tr><td>", "<li>", "<![CDATA[",
                        "<meta charset='utf-16'>", "&", "&#x0;", "\x00", "<svg>", "<math>", "<?xml ?>"])


@st.composite
def mutated_pages(draw) -> bytes:
    """A real fixture page with slices cut, markup inserted and bytes flipped."""
    data = bytearray(SAMPLE)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "flip"]))
        if action == "cut":
            del data[at:at + draw(st.integers(1, 400))]
        elif action == "insert":
            data[at:at] = (draw(TAGS) * draw(st.integers(1, 50))).encode()
        elif at < len(data):
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data):
    article = extract_article(data)
    assert isinstance(article.body, list) and all(isinstance(p, str) and p for p in article.body)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TAGS, st.text(max_size=40)), max_size=80).map("".join))
def test_random_markup_never_raises(html):
    assert isinstance(extract_text(html), str)
    assert isinstance(extract_article(html.encode("utf-8", "surrogatepass")).title, str)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_pages())
def test_mutated_real_pages_never_raise(data):
    article = extract_article(data)
    assert all(p == p.strip() and p for p in article.body)


def test_live_blog_commentary_is_kept_though_named_comment():
    html = ("<html><body><h1>Lorient - Lyon en direct</h1><div class='live-match-comments'>"
            "<div class='live-match-comment'><p>90e minute : c'est terminé au Moustoir, Lorient a tenu "
            "jusqu'au bout face à des Lyonnais maladroits.</p></div>"
            "<div class='live-match-comment'><p>85e minute : le coup de pied de coin ne donne rien, "
            "la défense bretonne se dégage sans trembler.</p></div></div>"
            "<div id='comments'><p>Un lecteur : quel match décevant des Lyonnais ce soir.</p></div>"
            "</body></html>")
    body = extract_article(html).body
    assert len(body) == 2 and body[0].startswith("90e minute")
