"""The phrases and patterns that are never article text, kept as data.

Every rule names a general pattern of news pages (comment prompts, share bars,
"Lire aussi" boxes, subscription prompts, photo credits, closing blocks), never one
page. Lines are compared by their `line_key`: lowercase, without accents, with
whitespace collapsed and edge punctuation trimmed, so "Vos réactions" and
"VOS REACTIONS :" are the same key.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

# Agencies and photo services whose name alone on a line is a photo credit.
PHOTO_AGENCIES = (
    "photonews", "belga", "belga image", "belgaimage", "afp", "reuters", "ap", "epa",
    "getty", "getty images", "isopix", "maxppp", "sipa", "abaca", "hans lucas",
    "shutterstock", "istock", "istockphoto", "dr", "d.r.", "leemage", "bestimage",
    "divergence", "hl", "keystone", "ansa", "dpa", "imago", "sda", "photopqr",
    "le parisien", "ouest-france", "ouest france", "zuma", "nurphoto", "anadolu",
    "xinhua", "efe", "afp photo", "unsplash", "pixabay",
)

# News sites, to recognise " - Le Soir" title suffixes and "sur Le Monde" mentions.
SITE_NAMES = (
    "Le Soir", "Le Monde", "Le Figaro", "Libération", "Le Parisien", "20 Minutes",
    "Ouest-France", "franceinfo", "France Info", "La Croix", "L'Express", "La Libre",
    "La Libre Belgique", "RTBF", "RTBF Info", "RTBF Actus", "Le Devoir", "24 heures",
    "Le Temps", "L'Obs", "Le Point", "Mediapart", "Les Echos", "Les Échos", "BFMTV",
    "Sud Ouest", "La Dernière Heure", "DH", "L'Avenir", "Le Vif", "Courrier international",
    "Huffington Post", "HuffPost", "Marianne", "Challenges", "Europe 1", "RFI", "TV5Monde",
    "France 24", "LCI", "TF1 Info", "Le Journal de Montréal", "La Presse", "Metro",
    "Actu Orange", "Orange Actualités", "Tribune de Genève", "Le Matin",
)

_LABEL_SEP = r"\s*(?::|-|–|—|>|»)?\s*"

# A whole line that is boilerplate wherever it stands.
LINE_PATTERNS = (
    # comment prompts and comment sections
    r"vos reactions", r"votre reaction", r"reagir( a cet article)?", r"reagissez",
    r"(\d+ )?commentaires?( \(\d+\))?", r"commenter( cet article)?",
    r"regles de bonne conduite.*", r".*un commentaire abusif.*", r"alertez-nous",
    r"signaler (un abus|ce commentaire|un contenu).*", r"(ajouter|laisser|ecrire|poster) un commentaire.*",
    r"(connectez-vous|identifiez-vous|abonnez-vous) pour (commenter|reagir).*",
    r"(afficher|voir|lire) (les|tous les) commentaires.*", r"charte (de moderation|des commentaires).*",
    r"les commentaires sont (fermes|desactives|reserves).*",
    # share bars
    r"partager( cet article| l'article| sur \w+| par e-?mail| via \w+)?", r"partage",
    r"tweeter", r"(facebook|twitter|x|linkedin|whatsapp|messenger|pinterest|e-?mail|mail|"
    r"imprimer|print|flipboard|telegram|bluesky|copier le lien|lien copie|envoyer)"
    r"( (facebook|twitter|x|linkedin|whatsapp|messenger|pinterest|e-?mail|mail|imprimer|"
    r"print|flipboard|telegram|bluesky|copier le lien|envoyer))*",
    r"envoyer (par e-?mail|a un ami).*", r"imprimer( cet article| l'article)?",
    r"(ajouter a|sauvegarder dans) (mes )?(favoris|articles|selection).*", r"sauvegarder( l'article)?",
    r"ecouter (cet |l')?article.*", r"(s'abonner a|suivre) ce (theme|sujet|dossier).*",
    r"(taille|agrandir|reduire) (du|le) texte", r"offrir (cet |l')?article.*",
    # newsletters, subscriptions, paywalls
    r".*\bnewsletters?\b.*", r"(inscrivez-vous|abonnez-vous|je m'abonne|s'abonner|s'inscrire)\b.*",
    r"deja abonne.*", r"(se connecter|connexion|mon compte|me connecter|identifiez-vous)",
    r"il vous reste \d+([.,]\d+)? ?% de (cet|l') article a lire.*",
    r".*(dans votre boite (mail|e-mail|aux lettres)|recevez (gratuitement|chaque)|"
    r"chaque (matin|semaine|jour|soir),? (le meilleur|l'essentiel|notre selection)).*",
    r"(la suite de )?cet article est reserve aux abonnes.*", r"(article )?reserve aux abonnes.*",
    r"la suite est reservee aux abonnes.*", r"pour (lire|acceder a) la suite.*",
    r"(offre|abonnement) (decouverte|speciale|numerique).*", r"profitez de (notre|l') offre.*",
    r"vous avez (lu|atteint) .*articles? gratuits?.*", r"premium", r"abonnes",
    # page furniture
    r"publicite", r"contenu (sponsorise|partenaire)", r"annonce", r"advertisement",
    r"(temps de )?lecture ?:? ?\d+ ?min(utes?)?.*", r"\d+ ?min(utes?)? de lecture",
    r"(mis a jour|modifie|publie) (le|il y a) .*", r"(publie|mis a jour) :? ?",
    r"(retour|revenir) (en haut|a l'accueil).*", r"(menu|accueil|rechercher|recherche|fermer)",
    r"(suivez|retrouvez)[- ]nous sur .*", r"nous suivre.*",
    r"ce contenu (n'est pas|est) (disponible|accessible).*", r"(cliquez|appuyez) ici.*",
    r"(video|photos?|diaporama|infographie)s?", r"voir (la|les) (video|photos?|diaporama)s?",
)

# A line that starts the closing blocks of a page: it and everything after are dropped.
CLOSING_PATTERNS = (
    r"vos reactions", r"a decouvrir (aussi |egalement )?sur .*", r"a decouvrir (aussi|egalement)",
    r"sur le meme (sujet|theme)", r"dans la meme rubrique", r"les plus (lus|partages|commentes|populaires)",
    r"les articles les plus lus", r"(nos )?(dernieres|autres) (videos|actualites|infos|articles)",
    r"vous aimerez (aussi|egalement)", r"vous (pourriez|pouvez|allez) aussi aimer.*",
    r"ces articles (peuvent|pourraient) vous interesser", r"a voir (aussi|egalement)",
    r"(plus|tous les) (d')?articles.*", r"(notre|la) selection", r"contenus? sponsorises?",
    r"decouvrez (aussi|egalement).*", r"(commentaires|les commentaires)( \(\d+\))?",
    r"(lire|voir) (plus|d'autres articles)", r"en continu", r"(fil|flux) info",
    r"(articles?|sujets?) (similaires|associes|lies|recommandes)", r"recommande pour vous",
    r"(la redaction|l'equipe) vous recommande.*", r"a la une", r"toute l'actualite.*",
    # a paywall teaser ends what a copy holds of the article
    r"il vous reste \d+([.,]\d+)? ?% de (cet|l') article a lire.*", r"la suite est reservee aux abonnes.*",
)

# "Lire aussi" boxes: the label alone (then the next line is the linked title) or the
# label followed by the linked title on the same line.
READ_ALSO = r"(a |nos )?(lire|voir|relire|ecouter|regarder) (aussi|egalement|encore|notre \w+|nos \w+)"
READ_ALSO_PATTERNS = (READ_ALSO, r"(sur le meme sujet|pour aller plus loin|en savoir plus)")

CREDIT_PATTERNS = (
    r"(copyright|\(c\)) ?.*",
    r"(photo|photos|credit|credits|credit photo|illustration|image|images|source photo)s?"
    r" ?(:|-|/|©) ?.{0,60}",
    r"photo d'illustration.{0,60}",
    r"(photo|photos|credit photo|illustration) [^.!?]{3,50}",
)


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_LINE = _compile(LINE_PATTERNS)
_CLOSING = _compile(CLOSING_PATTERNS)
_READ_ALSO_LABEL = _compile(READ_ALSO_PATTERNS)
_READ_ALSO_LINE = re.compile(f"(?:{READ_ALSO}){_LABEL_SEP}.+")
_CREDIT = _compile(CREDIT_PATTERNS)
_AGENCY = "|".join(re.escape(a) for a in sorted(PHOTO_AGENCIES, key=len, reverse=True))
_AGENCY_LINE = re.compile(rf"(photo ?:? ?)?({_AGENCY})( ?(/|via|-|,|pour) ?({_AGENCY}))*")
_TRAILING_CREDIT = re.compile(rf".*(\(|\s)(©|photo ?:?)\s?[^()]{{0,40}}\)?|.*\((({_AGENCY})(/| via )?)+\)")
_EDGE_PUNCT = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_SPACES = re.compile(r"\s+")


def line_key(line: str) -> str:
    """Fold a line for comparison: lowercase, no accents, single spaces, no edge punctuation."""
    text = unicodedata.normalize("NFC", line).replace("’", "'").replace("\u00a0", " ")
    text = text.replace("©", " copyright ")  # the credit mark survives the punctuation trim
    folded = unidecode(text).lower() if not text.isascii() else text.lower()
    return _EDGE_PUNCT.sub("", _SPACES.sub(" ", folded))


def is_boilerplate_line(line: str) -> bool:
    """A prompt, share bar, subscription or furniture line that is never article text."""
    key = line_key(line)
    return not key or bool(_LINE.fullmatch(key)) or is_credit(line)


def starts_closing_zone(line: str) -> bool:
    """A heading that opens the end-of-page blocks (related, most read, comments)."""
    return bool(_CLOSING.fullmatch(line_key(line)))


def is_read_also_label(line: str) -> bool:
    """A "Lire aussi" label alone on its line: the next line is the linked title."""
    return bool(_READ_ALSO_LABEL.fullmatch(line_key(line)))


def is_read_also_line(line: str) -> bool:
    """A "Lire aussi : <other article>" line."""
    return is_read_also_label(line) or bool(_READ_ALSO_LINE.fullmatch(line_key(line)))


def is_credit(line: str) -> bool:
    """A photo credit: an agency name alone, "© …", "Photo : …"."""
    key = line_key(line)
    if len(key.split()) > 12:
        return False
    return bool(_AGENCY_LINE.fullmatch(key) or _CREDIT.fullmatch(key))


def is_caption_with_credit(line: str) -> bool:
    """A short photo caption that ends with its credit ("… (Photo AFP)", "… © Belga")."""
    key = line_key(line)
    return len(key.split()) <= 40 and bool(_TRAILING_CREDIT.fullmatch(line.strip().lower()))
