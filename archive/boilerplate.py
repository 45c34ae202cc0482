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
from functools import lru_cache

from archive.folding import fold_text

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
    r"(inscrivez-vous|abonnez-vous|je m'abonne|s'abonner|s'inscrire)\b.*",
    r"deja abonne.*", r"(se connecter|connexion|mon compte|me connecter|identifiez-vous)",
    r"il vous reste \d+([.,]\d+)? ?% de (cet|l') article a lire.*",
    r".*(dans votre boite (mail|e-mail)|"
    r"recevez (gratuitement|chaque|notre|nos|l'essentiel|le meilleur)|"
    r"chaque (matin|semaine|jour|soir|midi|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),? "
    r"(recevez |retrouvez |decouvrez )?(le meilleur|l'essentiel|notre selection)).*",
    r"(la suite de )?cet article est reserve aux abonnes.*", r"(article )?reserve aux abonnes.*",
    r"la suite est reservee aux abonnes.*", r"pour (lire|acceder a) la suite.*",
    r"(offre|abonnement) (decouverte|speciale|numerique).*", r"profitez de (notre|l') offre.*",
    r".*\b(vous abonner|abonnez-vous) (pour|afin de) (soutenir|lire|acceder|ne rien manquer)\b.*",
    r"vous avez (lu|atteint) .*articles? gratuits?.*", r"premium", r"abonnes",
    # page furniture
    r"publicite", r"contenu (sponsorise|partenaire)", r"annonce", r"advertisement",
    r"(temps de )?lecture ?:? ?\d+ ?min(utes?)?.*", r"\d+ ?min(utes?)? de lecture",
    r"(mis a jour|modifie|publie) (le|il y a) .*", r"(publie|mis a jour) :? ?",
    r"(publiee?|postee?) par [^ ]+",  # an embedded video's uploader: "publié par Orange-actu"
    r"(retour|revenir) (en haut|a l'accueil).*", r"(menu|accueil|rechercher|recherche|fermer)",
    r"(aller|passer) (au|directement au) (contenu|menu|pied de page)( principal)?",
    r"skip to (main )?content",
    r"(suivez|retrouvez)[- ]nous sur .*", r"nous suivre.*",
    r"ce contenu (n'est pas|est) (disponible|accessible).*", r"(cliquez|appuyez) ici.*",
    r"(video|photos?|diaporama|infographie)s?", r"voir (la|les) (video|photos?|diaporama)s?",
    r"(permalien|lien permanent|permalink)\b.{0,120}",
)

# A line that starts the closing blocks of a page: it and everything after are dropped.
CLOSING_PATTERNS = (
    r"vos reactions", r"a decouvrir (aussi |egalement )?sur .*", r"a decouvrir (aussi|egalement)",
    r"sur le meme (sujet|theme)", r"dans la meme rubrique", r"les plus (lus|partages|commentes|populaires)",
    r"les articles les plus lus", r"(nos )?(dernieres|autres) (videos|actualites|infos|articles)",
    r"vous aimerez (aussi|egalement)", r"vous (pourriez|pouvez|allez) aussi aimer.*",
    r"ces articles (peuvent|pourraient) vous interesser", r"a voir (aussi|egalement)",
    r"(plus|tous les) (d')?articles.*", r"(notre|la) selection", r"contenus? sponsorises?",
    r"decouvrez (aussi|egalement).*", r"(commentaires|les commentaires)( \(\d+\)?)?",
    r"(lire|voir) (plus|d'autres articles)", r"en continu", r"(fil|flux) info",
    r"(articles?|sujets?) (similaires|associes|lies|recommandes)", r"recommande pour vous",
    r"(la redaction|l'equipe) vous (recommande|conseille|propose).*", r"a la une", r"toute l'actualite.*",
    r"(audios?|videos?|articles?|photos?)( et (audios?|videos?|photos?))? sur (le|ce) (meme )?(sujet|theme)",
    r"(pour )?aller plus loin", r"pour citer cet article", r"a propos de (l'auteur|l'autrice|des auteurs)",
    # a paywall teaser ends what a copy holds of the article
    r"il vous reste \d+([.,]\d+)? ?% de (cet|l') article a lire.*", r"la suite est reservee aux abonnes.*",
)

# Buttons of an article's toolbar, alone on their line above or below the text.
UI_LABEL_PATTERNS = (
    r"lire plus tard", r"(ajouter a|retirer de) (ma|mes) (liste|lectures?|selection|favoris).*",
    r"ecouter( cet article| l'article)?( \(?\d+ ?min.*)?",
    r"(je m'inscris|je m'abonne|s'inscrire|m'inscrire)",
    r"offrir( cet| l')? article.*", r"(copier|copie) (le )?lien", r"enregistrer( l'article)?",
    r"(voir|afficher) plus", r"j'ai compris", r"(fermer|ok|valider)", r"suivre",
    r"(agrandir|zoom|plein ecran|agrandir l'image)", r"(article )?suivant|(article )?precedent",
    r"passer la publicite", r"contribuer", r"reutiliser ce contenu", r"repondre", r"signaler( un abus)?",
    r"cet article vous a (ete|semble) utile.*", r"(\d+ )?j'aime", r"\d\d:\d\d ?/ ?\d\d:\d\d",
)

# Readers' comments: a line that opens them ends the article, everything after it is
# handles, comments and their buttons ("Tristan35", "Répondre", "Signaler").
COMMENT_ZONE_PATTERNS = (
    r"vos reactions", r"(\d+ )?commentaires?( \(\d+\)?)?", r"les commentaires",
    r"les commentaires sont (reserves|fermes|desactives|clos|moderes).*",
    r"(connectez-vous|identifiez-vous|abonnez-vous|inscrivez-vous|connectez vous) pour "
    r"(commenter|reagir|participer|ecrire).*",
    r"reagissez( a cet article)?.*", r"reagir a cet article.*",
    r"(ajouter|laisser|ecrire|poster|publier|rediger) un commentaire.*", r"votre commentaire.*",
    r"(participez|participer|rejoignez|rejoindre) (a la|au) (discussion|debat|conversation).*",
    r"donnez votre avis.*", r"(afficher|voir|lire) (les|tous les|\d+) commentaires.*",
    r"commentez( cet article)?.*", r"regles de bonne conduite.*",
    r"charte (de moderation|des commentaires).*",
    r"(\d+ )?reactions? (a cet article|des lecteurs|d'internautes).*",
)

# A newsletter box: its heading, then its pitch and e-mail field down to its button.
# Up to NEWSLETTER_LINES lines after the heading are the box when a button closes them.
NEWSLETTER_HEADING_PATTERNS = (
    r".*\bnewsletters?\b.*", r".*\binfolettres?\b.*",
    r"(recevez|abonnez-vous a|inscrivez-vous a) (notre|nos|la|a la) (lettre|newsletter|infolettre).*",
)
NEWSLETTER_BUTTON_PATTERNS = (
    r"(je m'inscris|je m'abonne|s'inscrire|s'abonner|m'inscrire|inscription|valider|ok|envoyer|"
    r"c'est parti|je valide|recevoir)"
    r"( gratuitement| (a|a la|a notre|aux) (newsletters?|lettres?|infolettres?))?",
    r"(votre|saisissez votre|entrez votre|mon|adresse) (adresse )?(e-?mail|courriel|mail|email).*",
    r"(e-?mail|courriel|adresse e-?mail)( \*)?",
)
NEWSLETTER_LINES = 5
NEWSLETTER_HEADING_WORDS = 8  # longer, a line naming a newsletter is a sentence unless it prompts
_SIGN_UP = re.compile(r"\b(recevez|inscri\w*|abonne[rz]?|abonnez-vous|s'abonner)\b")

# A cookie or consent banner (a select-all copy often starts or ends with it).
# A consent banner speaks to the reader about its cookies ("Nous et nos partenaires
# utilisons des cookies…", "En poursuivant votre navigation…"); an article about cookies
# ("… sans votre consentement via des cookies") or "Consentement sexuel des mineurs" does not.
CONSENT_PATTERNS = (
    r"\b(nous|notre site|ce site|nos partenaires)\b.{0,60}\b(utilis|stock|depos|collect|lis|emploi)\w*"
    r"\b.{0,30}\b(cookies?|traceurs?)\b",
    r"\b(accepter|acceptez|refuser|refusez|parametrer|personnaliser|gerer)\b.{0,20}\b(cookies?|traceurs?)\b",
    r"\ben (poursuivant|continuant) (votre |la |sa )?navigation\b",
    r"\b(cookies?|traceurs?)\b.{0,80}\b(votre|vos) (consentement|choix|preferences)\b",
)
CONSENT_BUTTON_PATTERNS = (
    r"(tout )?(accepter|refuser)( tout)?( et (fermer|continuer))?( les cookies)?", r"j'accepte",
    r"continuer sans accepter.*",
    r"(parametrer|gerer|personnaliser) (les cookies|mes choix|mes preferences|vos choix).*",
    r"(parametrer|personnaliser|parametres)", r"en savoir plus et (parametrer|personnaliser)",
)

# Section names of news sites: a label above the headline or a kicker fused to the
# standfirst ("METEO Météo-France prévoit…"), never the title when a headline follows.
SECTION_NAMES = frozenset((
    "actualite", "actualites", "actu", "a la une", "france", "monde", "international",
    "europe", "politique", "economie", "eco", "societe", "culture", "sport", "sports", "sciences",
    "science", "sante", "planete", "environnement", "climat", "tech", "high-tech", "medias",
    "people", "lifestyle", "faits divers", "fait divers", "faits-divers", "justice", "education",
    "idees", "opinion", "opinions", "debats", "regions", "region", "local", "meteo", "video",
    "videos", "photos", "podcast", "podcasts", "direct", "en direct", "live", "belgique",
    "regional", "insolite", "conso", "auto", "immobilier", "emploi", "famille", "religion",
    "cinema", "musique", "livres", "television", "tele", "tv", "series", "gastronomie",
    "voyage", "mode", "style", "m le mag", "le mag", "magazine", "chroniques", "chronique",
    "editorial", "edito", "tribune", "entretien", "interview", "reportage", "enquete", "analyse",
    "decryptage", "portrait", "fact-checking", "vrai ou fake", "l'essentiel", "info", "infos",
    "alerte", "breaking", "exclusif", "quiz", "football", "rugby", "cyclisme", "tennis",
    "formule 1", "jo", "jeux olympiques", "elections", "presidentielle", "municipales",
    "guerre en ukraine", "coronavirus", "covid-19",
))

# "Lire aussi" boxes: the label alone (then the next line is the linked title) or the
# label followed by the linked title on the same line.
READ_ALSO = r"(a |nos )?(lire|voir|relire|ecouter|regarder) (aussi|egalement|encore|notre \w+|nos \w+)"
READ_ALSO_PATTERNS = (READ_ALSO, r"(sur le meme sujet|pour aller plus loin|pour approfondir|en savoir plus)")

CREDIT_PATTERNS = (
    r"(copyright|\(c\)) ?.*",
    r"(credits? |source )?(photo|photos|credit|credits|illustration|image|images)s?"
    r" ?(:|-|/|©) ?.{0,60}",
    r"photo d'illustration.{0,60}",
    r"(photo|photos|credit photo|illustration) [^.!?:]{3,50}",  # not "Photos dénudées : …", a headline
)


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_LINE = _compile(LINE_PATTERNS + UI_LABEL_PATTERNS)
_CLOSING = _compile(CLOSING_PATTERNS)
_COMMENT_ZONE = _compile(COMMENT_ZONE_PATTERNS)
_NEWSLETTER_HEADING = _compile(NEWSLETTER_HEADING_PATTERNS)
_NEWSLETTER_BUTTON = _compile(NEWSLETTER_BUTTON_PATTERNS)
_CONSENT_BUTTON = _compile(CONSENT_BUTTON_PATTERNS)
_CONSENT = _compile(CONSENT_PATTERNS)
_READ_ALSO_LABEL = _compile(READ_ALSO_PATTERNS)
_READ_ALSO_LINE = re.compile(f"(?:{READ_ALSO}){_LABEL_SEP}.+")
_CREDIT = _compile(CREDIT_PATTERNS)
_AGENCY = "|".join(re.escape(a) for a in sorted(PHOTO_AGENCIES, key=len, reverse=True))
# "Photo Valéry Hache. AFP": the photographer, then the agency.
_PHOTO_BY_AGENCY = re.compile(rf"(photo|photos|illustration) [^.!?:]{{3,50}}[.,/] ?({_AGENCY})")
_AGENCY_LINE = re.compile(rf"(photo ?:? ?)?({_AGENCY})( ?(/|via|-|,|pour) ?({_AGENCY}))*")
# "… (Photo AFP)" or "… © Belga" closes a caption; "… (Belga)" alone is the sign-off of
# wire copy, which ends an article's last paragraph and is kept.
# A sentence that merely says "sa photo à l'Elysée" is not a caption: the credit needs its
# mark, "(Photo …)", "© …" or "Photo : …".
_TRAILING_CREDIT = re.compile(r".*(\(photo\b[^()]{0,40}\)|©\s?[^()]{0,40}|\bphoto ?[:/] ?[^()]{0,40})")
# The credit after the slash is a name ("SAEED KHAN/AFP", "M.Libert/20 Minutes"), never
# a unit or a link ("210 km/h", "pic.twitter.com/x").
_SLASH_CREDIT = re.compile(r".*(?:[.!?»]|\s[—–-])\s+[\w .'’-]{2,40}(?<!\d)/ ?[A-ZÀ-Ý0-9][\w .'’/-]{1,40}")
# Words that open a phrase, never a name: a part of a credit does not start with them.
_NOT_A_NAME = frozenset(("LE", "LA", "LES", "L", "UN", "UNE", "DES", "DU", "DE", "AU", "AUX", "À",
                         "A", "EN", "ET", "SUR", "POUR", "PAR", "JUSQU", "QUAND", "CE", "CES", "H"))
# "… dans la rade, jeudi. | OUEST-FRANCE", "… | ARCHIVES AFP": a credit in capitals after a bar.
_PIPE_CREDIT = re.compile(r".*\S\s\|\s[A-ZÀ-Ý][A-ZÀ-Ý0-9 .'’/&-]{1,60}")
_LINK = re.compile(r"\w\.[a-z]{2,6}/|://")  # "pic.twitter.com/x": a link, not a credit
# A credit line of its own under a caption: names in capitals split by slashes
# ("PATRICE SCHMIDT / MUSÉE D'ORSAY", "LUDOVIC MARIN / AFP").
_CAPITAL_NAME = r"[A-ZÀ-Ý0-9][A-ZÀ-Ý0-9 .,'’&()-]{1,50}"
_CAPITALS_CREDIT = re.compile(rf"{_CAPITAL_NAME}( ?/ ?{_CAPITAL_NAME})+")
_EDGE_PUNCT = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_SPACES = re.compile(r"\s+")


MAX_FURNITURE_CHARS = 300  # prompts, labels and credits are short; a longer line is prose


@lru_cache(maxsize=4096)  # each line is keyed by several rules: 4.7 → 1.8 ms per text copy
def line_key(line: str) -> str:
    """Fold a line for comparison: lowercase, no accents, single spaces, no edge punctuation.
    Only the first 1,000 characters count: no title or label is longer."""
    text = unicodedata.normalize("NFC", line[:1000]).replace("’", "'").replace("\u00a0", " ")
    text = text.replace("©", " copyright ")  # the credit mark survives the punctuation trim
    folded = fold_text(text).lower()  # unidecode's folding, in C (9 % of an HTML page's extraction)
    return _EDGE_PUNCT.sub("", _SPACES.sub(" ", folded))




def is_boilerplate_line(line: str) -> bool:
    """A prompt, share bar, subscription or furniture line that is never article text.
    A newsletter named in a sentence ("… via la newsletter et le compte Facebook.") is
    text: only a short line or a prompt to sign up is a newsletter box."""
    if len(line) > MAX_FURNITURE_CHARS:
        return False
    key = line_key(line)
    if not key or _LINE.fullmatch(key) or is_credit(line):
        return True
    return _NEWSLETTER_HEADING.fullmatch(key) is not None and (
        len(key.split()) <= NEWSLETTER_HEADING_WORDS or _SIGN_UP.search(key) is not None)


def starts_closing_zone(line: str) -> bool:
    """A heading that opens the end-of-page blocks (related, most read, comments)."""
    return len(line) <= MAX_FURNITURE_CHARS and bool(_CLOSING.fullmatch(line_key(line)))


def starts_comment_zone(line: str) -> bool:
    """A line that opens the readers' comments ("Les commentaires sont réservés aux
    abonnés", "Connectez-vous pour commenter", "12 commentaires")."""
    return len(line) <= MAX_FURNITURE_CHARS and bool(_COMMENT_ZONE.fullmatch(line_key(line)))


def is_newsletter_heading(line: str) -> bool:
    """The heading of a newsletter box ("Newsletter Rennes", "La lettre du Monde")."""
    return len(line) <= 160 and bool(_NEWSLETTER_HEADING.fullmatch(line_key(line)))


def is_newsletter_button(line: str) -> bool:
    """The end of a newsletter box: its button or its e-mail field."""
    return len(line) <= 80 and bool(_NEWSLETTER_BUTTON.fullmatch(line_key(line)))


def is_consent_text(line: str) -> bool:
    """A cookie or consent banner's text or one of its buttons, whatever its length."""
    key = line_key(line)
    if len(key) <= 60 and _CONSENT_BUTTON.fullmatch(key):
        return True
    return _CONSENT.search(key[:2000]) is not None


def is_section_name(line: str) -> bool:
    """A news site's section name alone ("Société", "FAITS DIVERS")."""
    return len(line) <= 40 and line_key(line) in SECTION_NAMES


def is_capitals_credit(line: str) -> bool:
    """A credit line under a caption: names in capitals between slashes, "PATRICE SCHMIDT /
    MUSÉE D'ORSAY"; not an intertitle in capitals ("LE DUEL FILLON / LE PEN SE CONFIRME",
    "JUSQU'À 190 KM/H")."""
    stripped = line.strip()
    if len(stripped) > 120 or not _CAPITALS_CREDIT.fullmatch(stripped):
        return False
    parts = [part.split() for part in stripped.split("/")]
    return all(1 <= len(words) <= 4 and words[0].rstrip("'’") not in _NOT_A_NAME
               and not words[0].isdigit() and not words[-1].isdigit() for words in parts)


def is_read_also_label(line: str) -> bool:
    """A "Lire aussi" label alone on its line: the next line is the linked title."""
    return len(line) <= MAX_FURNITURE_CHARS and bool(_READ_ALSO_LABEL.fullmatch(line_key(line)))


def is_read_also_line(line: str) -> bool:
    """A "Lire aussi : <other article>" line."""
    if len(line) > MAX_FURNITURE_CHARS:
        return False
    return is_read_also_label(line) or bool(_READ_ALSO_LINE.fullmatch(line_key(line)))


def is_credit(line: str) -> bool:
    """A photo credit: an agency name alone, "© …", "Photo : …"."""
    if len(line) > MAX_FURNITURE_CHARS:
        return False
    key = line_key(line)
    if len(key.split()) > 12:
        return False
    return bool(_AGENCY_LINE.fullmatch(key) or _CREDIT.fullmatch(key) or _PHOTO_BY_AGENCY.fullmatch(key))


def is_caption_with_credit(line: str) -> bool:
    """A short photo caption that ends with its credit ("… (Photo AFP)", "… © Belga",
    "… le 31 décembre. SAEED KHAN/AFP", "… d'Arras. — M.Libert/20 Minutes")."""
    if len(line) > MAX_FURNITURE_CHARS:
        return False
    words = len(line.split())
    stripped = line.strip()
    if words <= 35 and (_SLASH_CREDIT.fullmatch(stripped) or _PIPE_CREDIT.fullmatch(stripped)) and (
            not _LINK.search(line) and not stripped.endswith(".")):  # "… ed. Seuil/Reporterre." is a sentence
        return True
    return words <= 40 and bool(_TRAILING_CREDIT.fullmatch(line.strip().lower()))


# English page furniture, for pages in English (the benchmark's neutral set is English).
ENGLISH_LINE_PATTERNS = (
    r"advert|advertisement|advertising|sponsored( content)?|promoted( content)?",
    r"(this|the) .{0,30}requires javascript.{0,80}", r"(please )?enable javascript.{0,80}",
    r"(share|tweet|email|e-mail|print|save)( this)?( (article|story|page|post|on \w+))?",
    r"(\d+ )?(comments?|replies)( \(\d+\))?", r"(leave|post|add) a (comment|reply).*",
    r"(sign up|subscribe|register|log ?in|sign in)( now| today| here| for| to)?\b.{0,80}",
    r"follow us( on .*)?", r"click here.{0,80}", r"(skip|jump) to (main )?(content|navigation)",
    r"search( for)?( articles| topics| the site| this site| news)?( and topics)?( on .{1,40})?",
    # a date alone ("Nov. 20, 2019, 9:28 AM UTC"), a sign-up prompt to the reader's inbox
    r"(updated |published )?(jan|feb|march|april|may|june|july|aug|sept?|oct|nov|dec)[a-z]*\.? "
    r"\d{1,2},? \d{4}(,? (at )?\d{1,2}[:.]\d{2} ?(am|pm)?( [a-z]{2,4})?)?",
    r".*\b(to|in|meet) your inbox\b.*",
    r"(image|photo|picture|video) (caption|copyright|credit|source)s?.{0,80}",
    r"(all )?rights reserved.{0,80}", r"continue reading.{0,80}", r"loading\W*",
    r"(posted|filed|published) (by|on|in|under) .{0,80}", r"(tags|topics|categories)\W.{0,120}",
    r"(updated|published|last modified):? .{0,40}\d{4}.{0,20}", r"by [a-z .'-]{3,40}",
    r"(read|see|watch) (more|also|next)( :.{0,120})?", r"more (from|on) .{0,40}",
)
ENGLISH_CLOSING_PATTERNS = (
    r"related (articles|stories|posts|coverage|content|reading|topics|links)",
    r"(most|more) (read|popular|viewed|shared)( (articles|stories))?",
    r"recommended( for you| stories| articles)?", r"you (may|might) (also )?(like|enjoy)",
    r"(trending|popular) (now|stories)", r"about the author", r"(join|start) the (conversation|discussion)",
    r"what to read next", r"(more|other|latest) (stories|news|articles|headlines)",
)
# The same furniture in the other languages of the benchmark (German, Spanish, Italian,
# Portuguese, Dutch): share prompts, "read more", comment prompts, release labels.
OTHER_LINE_PATTERNS = (
    r"(seite|artikel|beitrag) teilen", r"teilen", r"weiterlesen.{0,20}", r"kommentare? (schreiben|verfassen)",
    r"inhaltsverzeichnis", r"originalpublikation", r"anzeige", r"werbung",
    r"(siguenos|siganos|seguinos|seguici|volg ons) (en|in|su|op) .{0,80}", r"compartir( en \w+)?",
    r"leer mas", r"leggi (anche|di piu)", r"leia (tambem|mais)", r"lees (ook|meer)",
    r"release date:?.{0,40}", r"category ?:.{0,60}", r"news date ?:.{0,80}",
)
OTHER_CLOSING_PATTERNS = (
    r"mehr (zum thema|von .{1,40}|dazu)", r"(empfohlene|ahnliche|weitere) (beitrage|artikel|themen)",
    r"weitere informationen", r"heute empfehlen wir", r"das konnte sie auch interessieren",
    r"(contenido|notas|articulos|noticias) relacionad[oa]s", r"te puede interesar",
    r"(articoli|notizie) correlat[ie]", r"potrebbe interessarti", r"(artigos|noticias) relacionad[oa]s",
    r"gerelateerde artikelen", r"kommentare( \(\d+\))?",
)
_OTHER_LINE = _compile(OTHER_LINE_PATTERNS)
_OTHER_CLOSING = _compile(OTHER_CLOSING_PATTERNS)
_ENGLISH_LINE = _compile(ENGLISH_LINE_PATTERNS)
_ENGLISH_CLOSING = _compile(ENGLISH_CLOSING_PATTERNS)

# Class and id words of containers that are never article text, French and English.
# "drop" containers go unless they wrap the article itself; "weak" ones only when they
# hold no prose (a "meta" or "tools" class is sometimes put on a text wrapper).
DROP_CONTAINER_WORDS = frozenset((
    "comment", "comments", "commentaire", "commentaires", "commenting", "commentlist",
    "reactions", "reagir", "disqus", "share", "shares", "sharing", "sharebar", "social",
    "socials", "partage", "partager", "sociaux", "related", "similar", "newsletter",
    "newsletters", "subscribe", "subscription", "abonnement", "abonnez", "paywall",
    "outbrain", "taboola", "cookie", "cookies", "consent", "gdpr", "rgpd", "didomi",
    "breadcrumb", "breadcrumbs", "ariane", "sidebar", "advert", "advertisement", "ad",
    "ads", "adslot", "adunit", "dfp", "pub", "publicite", "sponsor", "sponsored", "promo",
    "popular", "mostread", "tags", "taglist", "keywords", "navbar", "nav", "navigation",
    "menu", "footer", "modal", "popup", "overlay", "login", "signin", "pagination",
    "skip", "toolbar", "byline", "dateline", "timestamp", "caption", "legende",
    "credit", "credits", "copyright", "masthead", "recirculation", "recommended",
    "recommendations", "recommendation", "teaser-list", "follow", "print", "sronly", "cmp",
))
WEAK_CONTAINER_WORDS = frozenset((
    "meta", "metadata", "date", "author", "auteur", "signature", "tools", "outils", "teaser",
    "teasers", "hidden", "bio", "banner", "widget", "widgets", "aside", "complementary",
    "kicker", "surtitle", "surtitre", "overline", "eyebrow",
))
# Multi-word names, matched in the joined class/id string.
DROP_CONTAINER_PHRASES = (
    "read-also", "lire-aussi", "a-lire", "alire", "voir-aussi", "read-more", "readmore",
    "most-read", "plus-lus", "pluslus", "author-bio", "visually-hidden", "sr-only",
    "en-lien", "sur-le-meme-sujet", "same-topic", "see-also", "also-read", "more-stories",
    "fil-ariane", "mots-cles", "barre-partage", "social-bar",
)
CONTENT_WORDS = frozenset((
    "article", "articlebody", "body", "content", "contenu", "corps", "entry", "hentry",
    "main", "post", "text", "texte", "story", "prose", "blog", "chapo", "paragraph",
    "richtext", "rich-text", "storytext", "article-body", "article-content",
))
NEGATIVE_WORDS = frozenset((
    "hidden", "banner", "combx", "comment", "comments", "contact", "foot", "footer",
    "footnote", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll",
    "share", "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool",
    "tools", "widget", "aside", "nav", "menu", "teaser", "popular", "newsletter",
))
STANDFIRST_WORDS = frozenset((
    "chapo", "chapeau", "standfirst", "lead", "lede", "intro", "introduction", "desc",
    "description", "sous-titre", "soustitre", "subtitle", "subheadline", "deck", "dek",
    "strapline", "accroche", "excerpt", "summary", "abstract", "heading-desc", "perex",
))
_NOT_STANDFIRST = frozenset(("image", "img", "photo", "media", "figure", "video", "meta", "teaser"))
_WEAK_PREFIXES = ("author", "byline", "signature", "timestamp", "dateline", "publish")
_NAME_SPLIT = re.compile(r"[^a-z0-9]+")
_LIVE_WORDS = frozenset(("live", "liveblog", "direct", "minute", "ticker", "livecenter"))
_NOT_COMMENT = frozenset(("commentary", "commentaries"))


def _name_words(names: str) -> set[str]:
    return {w for w in _NAME_SPLIT.split(names) if w}


@lru_cache(maxsize=4096)
def container_verdict(names: str) -> str | None:
    """What a container's class/id string says: "comments" (a comment section), "drop"
    (share bars, related boxes, ads, consent banners…: unless it wraps long prose),
    "weak" (meta, tools, teaser, or a drop word beside a content word: only when it
    holds no prose) or None."""
    if not names.strip():
        return None
    words = _name_words(names)
    joined = names.replace("_", "-")
    if any(phrase in joined for phrase in DROP_CONTAINER_PHRASES) or words & DROP_CONTAINER_WORDS or any(
            w.startswith(("comment", "advert", "sponsor", "newsletter", "subscri", "outbrain",
                          "taboola", "breadcrumb", "recommend", "social", "sharing", "paywall",
                          "cookie", "consent"))
            and w not in _NOT_COMMENT for w in words):
        if any(w.startswith(("comment", "reactions", "disqus")) and w not in _NOT_COMMENT for w in words):
            # "live-match-comment", "liveblog-comment": a live blog's own commentary
            return None if words & _LIVE_WORDS else "comments"
        return "weak" if words & CONTENT_WORDS else "drop"
    if words & WEAK_CONTAINER_WORDS or any(w.startswith(_WEAK_PREFIXES) for w in words):
        return "weak"
    return None


@lru_cache(maxsize=4096)
def container_weight(names: str) -> float:
    """Readability's class weight: +25 for content words, -25 for boilerplate words."""
    if not names.strip():
        return 0.0
    words = _name_words(names)
    weight = 0.0
    if words & CONTENT_WORDS:
        weight += 25
    if words & NEGATIVE_WORDS:
        weight -= 25
    return weight


@lru_cache(maxsize=4096)
def is_standfirst_name(names: str) -> bool:
    """A class/id naming a standfirst (chapô, lead, intro, article__desc)."""
    words = _name_words(names)
    return bool(words & STANDFIRST_WORDS) and not words & _NOT_STANDFIRST


def is_english_boilerplate_line(line: str) -> bool:
    """An English (or German, Spanish, Italian, Portuguese, Dutch) share, sign-up,
    caption-credit or comment line."""
    key = line_key(line)
    return len(key) < 200 and bool(_ENGLISH_LINE.fullmatch(key) or _OTHER_LINE.fullmatch(key))


def starts_english_closing_zone(line: str) -> bool:
    """An English (or other benchmark language's) heading that opens the related /
    most-read / comments blocks."""
    key = line_key(line)
    return bool(_ENGLISH_CLOSING.fullmatch(key) or _OTHER_CLOSING.fullmatch(key))


_DATED_BYLINE = re.compile(
    r".{0,80}\b(publie|mis a jour|modifie|mis en ligne|posted|updated|published)e?s?"
    r"( le| on)? ?:? .{0,40}\d.{0,30}")


def is_dated_byline(line: str) -> bool:
    """A byline with its date ("Marie Lefèvre Publié le 09/02/21 à 07h05"): short, and
    not a sentence (an article sentence can say "publié le 5 mars" too)."""
    stripped = line.strip()
    if len(stripped) > 160 or stripped.endswith((".", "!", "?", "…", "»", '"', "”")):
        return False
    return bool(_DATED_BYLINE.fullmatch(line_key(stripped)))


SITE_KEYS = frozenset(s.lower() for s in SITE_NAMES)
