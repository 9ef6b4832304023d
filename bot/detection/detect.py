"""Spotting self-reported mistakes and blame in chat messages (pure; no Slack imports).

The design is a set of cue lexicons with a little grammar around them, so every decision can
be explained by the phrase that triggered it:

1. Normalise Slack text: drop code and quoted lines (someone else's words), resolve markup.
2. Split into clauses; a clause reports an own mistake when a *slip* (forgot, per ongeluk,
   sent the wrong…) has the writer as its subject — "ik"/"we"/"I" before it with no other
   person in between, or no subject at all at the start of the clause ("forgot the
   attachment") — or when an *ownership* idiom is present ("my bad", "mijn fout"), or when an
   own *experiment* is said to have failed.
3. Clauses that ask, suppose, advise or deny ("als je…", "what if…", "don't forget",
   "geen fouten") do not count.

The kind follows the three kinds: an experiment is intelligent, several things coming
together is complex, anything else is a preventable slip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat

from bot.detection.kind_model import kind_features
from bot.detection.lexicon import Lexicon, any_of, split_top, word_tree
from bot.detection.model import MistakeModel, shipped_model
from bot.detection.structure import message_shape

KINDS = ("preventable", "complex", "intelligent")
THRESHOLD = 0.5
# The cue category of a message with the words of a slip that the rules found not to be the
# writer's: no report by the rules, but evidence the model weighs (and the gate lets through).
NOT_OWN = "not-own"


@dataclass(frozen=True)
class Detection:
    is_mistake: bool
    kind: str | None
    lang: str
    score: float
    cue: str | None
    cue_category: str | None  # ownership | slip | experiment (what kind of phrase it was)


# --- normalising -------------------------------------------------------------------------

_CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_QUOTE_LINE = re.compile(r"^\s*(?:>|&gt;).*$", re.M)
# Slack sends a typed "<" as "&lt;", so a bare "<" opens markup: no part of one may run over
# the next "<". (Allowed to, a message of unclosed "<https://…|" pieces made each one scan to
# the end of the text: 1.6 s for 39,000 characters, before the ack.)
_USER = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^<>]*)?>")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+(?:\|([^<>]*))?>")
_SPECIAL = re.compile(r"<![^<>]*>")
_LINK = re.compile(r"<(?:https?|mailto):[^|<>]*(?:\|([^<>]*))?>")
_BARE_URL = re.compile(r"https?://\S+")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]+:")
_REGRET_EMOJI_CODE = re.compile(
    r":(?:see_no_evil|facepalm|(?:wo)?man-facepalming|face_palm|grimacing|scream|sweat_smile|"
    r"sweat|flushed|upside_down_face|sob|disappointed):"
)
_SPACES = re.compile(r"[ \t]+")
# A line broken in the middle of a sentence (mail, forum and README text wrap their lines;
# Slack does not): a lowercase word or comma before the break and a lowercase word after it.
_SOFT_WRAP = re.compile(r"(?<=[a-z,])[ \t]*\n[ \t]*(?=[a-z])")


def normalise(text: str) -> str:
    """Slack text as plain lowercase prose, without code, quotes, markup or links."""
    text = text or ""
    # every message passes here before the ack: a step whose mark is absent is skipped
    if "`" in text:
        text = _CODE_SPAN.sub(" code ", _CODE_BLOCK.sub(" ", text))
    if ">" in text or "&gt;" in text:
        text = _QUOTE_LINE.sub(" ", text)
    if "<" in text:
        text = _USER.sub(" @collega ", text)
        text = _CHANNEL.sub(lambda m: " #" + (m.group(1) or "kanaal") + " ", text)
        text = _SPECIAL.sub(" ", text)
        text = _LINK.sub(lambda m: " " + (m.group(1) or "link") + " ", text)
    if "://" in text:
        text = _BARE_URL.sub(" link ", text)
    if "&" in text:
        text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = text.replace("’", "'").replace("‘", "'")
    if ":" in text:
        text = _EMOJI_CODE.sub(" ", _REGRET_EMOJI_CODE.sub(" 🙈 ", text))
    if "\n" in text:
        text = _SOFT_WRAP.sub(" ", text)
    return _SPACES.sub(" ", text).lower().strip()


# --- language -----------------------------------------------------------------------------

_NL_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "ik",
        "je",
        "jij",
        "we",
        "wij",
        "niet",
        "van",
        "en",
        "is",
        "dat",
        "met",
        "op",
        "voor",
        "naar",
        "heb",
        "hebt",
        "heeft",
        "ben",
        "was",
        "had",
        "maar",
        "ook",
        "nog",
        "er",
        "om",
        "te",
        "bij",
        "zijn",
        "mijn",
        "ons",
        "onze",
        "die",
        "dit",
        "wat",
        "als",
        "geen",
        "wel",
        "even",
        "al",
        "dan",
        "vandaag",
        "morgen",
        "gisteren",
        "sorry",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "i",
        "you",
        "we",
        "not",
        "of",
        "and",
        "is",
        "that",
        "with",
        "on",
        "for",
        "to",
        "have",
        "has",
        "am",
        "was",
        "had",
        "but",
        "also",
        "still",
        "there",
        "at",
        "be",
        "my",
        "our",
        "this",
        "what",
        "if",
        "no",
        "yes",
        "just",
        "today",
        "tomorrow",
        "yesterday",
        "it",
        "they",
        "did",
        "didn't",
        "i'm",
        "i've",
    ]
)
_WORD = re.compile(r"[a-zà-ÿ']+")


# +1 for a Dutch word, -1 for an English one (0 for a word in both): one look-up per word
_LEANING = {word: (word in _NL_WORDS) - (word in _EN_WORDS) for word in _NL_WORDS | _EN_WORDS}


def detect_language(text: str, hint: str | None = None) -> str:
    leaning = sum(map(_LEANING.get, _WORD.findall(text.lower()), repeat(0)))
    if leaning == 0:
        return hint if hint in ("nl", "en") else "nl"
    return "nl" if leaning > 0 else "en"


# --- lexicons -----------------------------------------------------------------------------


def _words(*alternatives: str) -> tuple[str, ...]:
    return alternatives


# Idioms in which the writer takes ownership; enough on their own.
_OWNERSHIP = Lexicon(
    _words(
        r"mijn fout",
        r"mijn schuld",
        r"foutje (?:van mij|bedankt)",
        r"fout van mij",
        r"mea culpa",
        r"dat was ik",
        r"dat ligt bij (?:ons|mij)",
        r"(?:is|ligt) (?:op|bij) (?:ons|mij)",
        r"(?:dat )?heb ik fout gedaan",
        r"my bad",
        r"my fault",
        r"my mistake",
        r"my oversight",
        r"that was me(?! \w+ing)",
        r"(?:that's|that is|that one's|was) on (?:me|us)",
        r"i'll own (?:that|it)",
        r"not my finest moment",
        r"(?:i|we) (?:made|have made|'ve made) (?:a|an|the|this|that|such a) (?:(?:stupid|silly|"
        r"dumb|big|huge|small|little|rookie|classic|careless) )?(?:mistake|blunder|mess|error)",
        r"ik heb (?:een|n) (?:fout|blunder|foutje|misser) (?:gemaakt|begaan)",
        r"leerpunt voor mij",
        r"(?:komt|gaat|zet ik|schrijf ik) (?:\w+ )?op mijn (?:conto|rekening)",
        r"lesson learned",
        r"(?:dat|dit) was (?:niet slim|dom|stom)",
        r"that was (?:not smart|dumb|stupid)",
        r"(?:stom|dom|slordig|onhandig) van (?:me|mij)",
        r"(?:stupid|silly|careless|sloppy|dumb) (?:of me|me)",
        r"ik heb me vergist",
        # resolving not to repeat it owns it: "I won't make that mistake again"
        r"(?:i|we) (?:won't|wont|will not|will never|'ll never) (?:make|repeat) (?:that|this|the "
        r"same) (?:\w+ )?(?:mistake|error|blunder)",
        r"(?:die|deze|dezelfde) (?:fout|vergissing) (?:maak|maken) (?:ik|we|wij) (?:niet|nooit) "
        r"(?:meer|nog eens|weer)",
        r"(?:ik|we|wij) (?:maak|maken) (?:die|deze|dezelfde) (?:fout|vergissing) (?:niet|nooit) "
        r"(?:meer|nog eens|weer)",
        r"mijn vergissing",
        r"(?:ik|we|wij) (?:zat|zaten) (?:er ?(?:\w+ )?naast|(?:\w+ )?fout)\b(?! (?:te|toen)\b)",
        # it slipped my mind, through my fingers: "dat is me helemaal ontschoten", "het is me
        # door de vingers geglipt", "that slipped through the cracks on my end"
        r"(?:is|was) (?:me|mij) (?:(?!niet\b)\w+ )?ontschoten",
        r"(?:me|mij) (?:(?!niet\b)\w+ )?door de vingers (?:ge)?glipt",
        r"(?:slipped|fell) through the cracks (?:on my (?:end|side)|with me)",
        r"(?:i|we) let (?!nothing|none|no\b)(?:\w+ ){1,4}?(?:slip|fall) through the cracks",
        # a judgement of the writer's own that proved wrong: "my estimate was way off",
        # "mijn inschatting was te optimistisch"
        r"(?:my|our|mijn|onze) (?:estimate|estimation|guess|assumption|calculation|forecast|"
        r"prediction|inschatting|schatting|berekening|aanname) (?:was|were|bleek|turned out) "
        r"(?:\w+ ){0,2}?(?:off|wrong|incorrect|onjuist|fout|verkeerd|(?:te|too|veel te|way too) "
        r"(?:optimistisch|optimistic|rooskleurig))\b",
        r"(?:ik neem|i take) (?:de |full )?(?:volle )?(?:verantwoordelijkheid|responsibility)",
        r"(?:entirely|totally|completely|all) (?:my fault|on me)",
        r"that was my (?:error|mistake|doing)",
        r"owning (?:this|that)(?: one)?",
        r"i own (?:this|that)(?: one)?",
        r"(?:i was|ik was) (?:the one|degene) (?:who|die)",
        r"(?:komt|kwam|komen|kwamen) door mij\b",
        r"my (?:own )?(?:error|screw-?up|doing)\b",
        r"(?:was|were) (?:all )?me\b(?! \w+ing)",
        r"(?:caused by|because of|due to) (?:me|my (?:change|commit|pr|deploy|mistake|update|"
        r"config))",
        r"(?:from|by) my (?:pr|commit|change|merge|deploy|config|update|script)",
        r"kwam(?:en)? door (?:mij|mijn (?:wijziging|actie|commit|update|fout))",
        r"(?:door|vanwege) mijn (?:wijziging|actie|commit|update|fout|aanpassing)",
        r"my apologies,? i",
        r"i owe (?:you|everyone|the team) an apology",
        # judging one's own slip, without an error word of the usual kind
        r"(?:domme|stomme|suffe|slordige) (?:fout(?:je)?|vergissing)"
        r"(?! (?:van|door) (?!mij\b|me\b|ons\b)\w)",
        r"(?:dumb|silly|stupid|embarrassing|rookie|careless|sloppy)(?:ass)? "
        r"(?:mistake|oversight|typo|error|misspelling|slip)s? (?:of mine|on my part|by me)",
        r"(?:mistake|oversight|error|typo|slip)s? (?:of mine|(?:on|from) my (?:part|side|end))",
        r"(?:fout|vergissing|misser)(?:je)? (?:van|aan) (?:mijn|onze) kant",
        # an apology for a mistake, or for what the writer broke or lost
        r"(?:sorry|apologies|my apologies) (?:for|about) (?:the|this|that|my|such)(?: a)? "
        r"(?:(?:stupid|silly|dumb|careless|sloppy|big|little|small) )?(?:mistake|blunder|"
        r"oversight|typo|screw-?up|mess-?up)",
        r"(?:sorry|apologies|my apologies) (?:for|about) (?:breaking|deleting|forgetting|"
        r"overwriting|missing|messing up|screwing up|losing|wiping|nuking|reverting)\b(?! news)",
        r"(?:sorry|excuses) voor (?:de|het|die|dat|deze|mijn) (?:(?:domme|stomme|suffe|"
        r"slordige) )?(?:fout(?:je)?|vergissing|blunder|misser|tikfout)",
        r"bugs? (?:that )?(?:i|we) (?:just |accidentally |mistakenly )?introduced",
        r"ik ben (?:echt |gewoon |zo |soms )*(?:dom|stom|een sukkel|een idioot|een ezel)\b",
        r"(?:i'm|i am) (?:such |so |just |an |a )*(?:idiot|dummy|dumb|stupid|potato)\b",
    )
)

# Terse corrections that stand for a whole report: "wrong channel, sorry", "verkeerde repo",
# "I meant the 5th, not the 6th".
_TERSE_OWN = re.compile(
    r"^(?:\W*(?:oops|oeps|whoops|sorry|argh|ah)\W+)?(?:wrong|verkeerde?) (?:channel|kanaal|repo|"
    r"repository|thread|draad|chat|branch|tab|window|venster|link|file|bestand|map|folder|account|"
    r"persoon|person|groep|group|issue|ticket)\b\W*(?:(?:sorry|oops|oeps|excuses|my bad|whoops)"
    r"\W*)?$|^(?:\W*(?:oops|oeps|sorry)\W+)?(?:i meant|ik bedoelde?)\b.{0,60}"
    r"\b(?:not|niet|instead of|in plaats van|ipv)\b"
    # a slip owned and put right in one breath, answering a remark: "oeps, is nu aangepast",
    # "whoops, fixed!", "sorry about that, should be good now" (a regret, not the politeness
    # of "sorry for the late reply")
    r"|^\W*(?:oops|oeps|whoops|oei|argh|ugh|d'oh|doh|sorry about that|sorry daarvoor)\W+"
    r"(?:(?:yes|yep|ja|indeed|inderdaad|klopt|good catch|goed gezien|thanks|thx|dank je|"
    r"bedankt)\W+)*(?:(?:it |this |that |dit |het )?(?:is |should be |has been |'s )?(?:now |nu "
    r")?(?:fixed|gefixt|aangepast|opgelost|verbeterd|gecorrigeerd|corrected|resolved|"
    r"hersteld)(?! (?:by|door)\b)|should be (?:good|ok|okay|fine|fixed) now)\b"
)

# A negation right before an idiom of ownership turns it round: "not my fault", "niet mijn
# schuld", "neither my fault nor…" ("nee, mijn fout" is still the writer's: a comma between).
_DISOWNING = re.compile(
    r"\b(?:not|niet|neither|nor|noch|geen|never|nooit|isn't|wasn't|hardly|nauwelijks)"
    r"(?: (?:really|echt|helemaal|entirely|totally|all|per se))?\s*$"
)

# Slips that read as the writer's own when nobody else is their subject; these may also
# stand at the start of a clause with the subject left out, as chat does ("forgot the file").
# work left undone, in the past perfect: "had de tests niet gedraaid"
_OMITTED_NL = (
    r"(?:gedraaid|getest|gecontroleerd|gecheckt|nagekeken|gereviewd|opgeslagen|gepusht|aangezet|"
    r"ingepland|doorgestuurd|verstuurd|meegestuurd|bijgewerkt|aangepast|gemeld|doorgegeven|"
    r"afgezegd|ingevuld|ingediend|toegevoegd|geback-?upt|aangevraagd|verlengd|vastgelegd|"
    r"ingesteld)\b"
)
_SLIP_VERBS = _words(
    # Dutch
    # not an afterthought ("vergeten te vermelden") nor a feeling ("vergeten hoe fijn dat is")
    r"vergeten(?! te (?:vermelden|zeggen|noemen)\b)(?! hoe\b)",
    r"vergat(?! te (?:vermelden|zeggen|noemen)\b)(?! hoe\b)",
    r"vergaten(?! te (?:vermelden|zeggen|noemen)\b)(?! hoe\b)",
    r"gemist",
    r"miste",
    r"misten",
    r"niet (?:goed )?gezien",
    r"(?:didn't|did not|never) (?:see|notice)",
    r"none of us noticed",
    r"over het hoofd gezien",
    r"per ?ongeluk",
    r"per abuis",
    r"verprutst",
    r"verpest",
    r"verknald",
    r"gesloopt",
    r"kapot ?gemaakt",
    r"(?:de )?build gebroken",
    r"verkeerd (?:ingevoerd|gestuurd|verstuurd|geprint|gelezen|begrepen|ingeschat|ingetoetst|"
    r"doorgegeven|overgenomen|gezet|gedaan|geïnterpreteerd|gekoppeld|ingesteld)",
    r"fout (?:ingevoerd|gestuurd|gedaan|getypt|overgenomen)",
    r"tikfout gemaakt",
    # done badly, told as a deed: "heb de lijst niet goed overgenomen", "hadden het
    # onvoldoende getest" (not a night's sleep or a meal, nor a state: "was niet goed
    # geconfigureerd" says what, not who)
    r"(?:heb|had|hebben|hadden)\b(?: \w+){0,8}? (?:niet (?:goed|zorgvuldig|nauwkeurig|grondig|"
    r"duidelijk)(?: genoeg)?|onvoldoende) "
    r"(?!geslapen|gegeten|gedronken|gevoeld|gerust|gegaan|gelukt|gewerkt|gehoord|verstaan)"
    r"(?:\w*ge\w+|be\w+|ver\w+|ont\w+|her\w+)(?:d|t|en)\b",
    r"(?:een )?steek(?:je)? laten vallen",
    r"niet (?:goed )?(?:gecheckt|gecontroleerd|nagelezen|getest|gekalibreerd|gelezen|"
    r"ingetrokken|aangemeld|rondgestuurd|beantwoord|teruggedraaid|afgestemd|opgeslagen|"
    r"bijgewerkt|doorgegeven|gemeld|ingelicht|verwerkt|overgedragen|dichtgedaan|gehaald)",
    r"(?:te laat|te vroeg) (?:met|uitgezet|gestart|verstuurd|ingediend)",
    r"onderschat",
    r"door elkaar gehaald",
    r"verwisseld",
    r"omgedraaid",
    r"dubbel (?:ingevoerd|geboekt|gefactureerd|betaald)",
    r"twee keer gefactureerd",
    r"overschreven",
    r"weggeklikt",
    r"weggegooid",
    r"verkeerd begrepen",
    r"laten liggen",
    r"open laten staan",
    r"op een kier laten staan",
    r"niemand ingelicht",
    r"(?:left|leaving) (?:the|my|our) [\w .-]{1,30} (?:open|unlocked|on|in the public \w+)",
    r"overgeslagen",
    r"(?:goedgekeurd|gemerged|uitgerold|verstuurd|gedaan|gestart|gedeployed) zonder",
    r"zonder (?:te )?(?:checken|kijken|testen|controleren|melden|review|change request)",
    r"had(?:den)? (?:ik |we |wij )?(?:niet|eerder|eerst|beter|nooit) (?:\w+ )?moeten",
    # looking back on one's own choice, with what was done in between: "had ik achteraf beter
    # kunnen noteren", "hadden we het ontwerp ook eerder moeten laten zien"
    r"had(?:den)? (?:ik |we |wij )?(?:\w+ ){0,8}?(?:beter|eerder|eerst) (?:\w+ ){0,3}?"
    r"(?:moeten|kunnen)",
    r"beter (?:was )?geweest (?:als|wanneer|indien) (?:ik|we|wij)",
    r"(?:would|'d) have been better if (?:i|we)",
    # the same with the verbs at the end, as a subordinate clause puts them: "wat we beter
    # hadden kunnen doen", "dat ik eerder de handleiding had moeten lezen"
    r"(?:beter|eerder|eerst) (?:\w+ ){0,5}?had(?:den)? (?:moeten|kunnen)",
    # time misjudged: "te veel tijd besteed aan de lift", "we wasted too much time on…"
    r"te (?:veel|lang) tijd (?:\w+ ){0,2}?(?:besteed|gestoken|verloren|verspild|gespendeerd)",
    r"(?:wasted|lost) (?:way )?too (?:much|long)",
    r"spent (?:way )?too (?:much time|long) (?:on|trying|debugging|chasing|fixing|building)",
    # English
    # not an afterthought: "I forgot to mention…", "forgot to add: the room changed"
    # nor a feeling: "I forgot how nice the office is"
    r"forgot(?! to (?:mention|say|ask)\b)(?! to add(?:\s*[:,.!-]|\s+that\b|\s*$))(?! how\b)",
    r"(?:completely|totally) forgot",
    r"missed",
    r"overlooked",
    r"by accident",
    r"accidentally",
    r"by mistake",
    r"mistakenly",
    r"messed (?:\w+ )?up",
    r"screwed (?:\w+ )?up",
    r"mucked (?:\w+ )?up",
    r"botched",
    r"goofed",
    r"blew it",
    r"borked",
    r"mistyped",
    r"misspelled",
    r"miscalculated",
    r"miscounted",
    r"misremembered",
    r"mislaid",
    r"misplaced",
    r"swapped",
    r"mixed up",
    r"transposed",
    r"failed to(?! (?:see|understand|get|grasp))",
    r"caused(?! (?:me|us|mij|ons)\b)",
    r"veroorzaakt",
    r"ignored the",
    r"genegeerd",
    r"negeerde",
    r"gebroken",
    r"(?:stuk|kapot)gemaakt",
    r"kwijt",
    r"lost (?:the|my|our) (?:\w+ )?(?:contract|files?|data|keys?|documents?|laptop|badge|backup|"
    r"notes|password|receipt|order|booking)",
    r"blanked on",
    r"spaced on",
    r"slipped my mind",
    r"schoot (?:er )?(?:bij )?in",
    r"(?:let|liet) (?:the |de |het |our |ons |onze )?[\w-]+ (?:expire|lapse|run out|verlopen)",
    r"laten verlopen",
    r"locked (?:myself|us) out",
    r"buitengesloten",
    r"over(?:committed|promised|booked)",
    r"te veel (?:beloofd|toegezegd)",
    r"(?:didn't|did not|haven't|hadn't) (?:reply|respond|follow up|send|order|book|pay|file|"
    r"submit|renew|invite|inform|notify|escalate|document|confirm|cancel|schedule|call)(?:ed)?"
    r"(?! yet)",
    r"niet (?:op tijd |tijdig )?(?:teruggebeld|gereageerd|besteld|betaald|ingediend|verlengd|"
    r"uitgenodigd|"
    r"geïnformeerd|gedocumenteerd|bevestigd|afgezegd|ingepland|doorgestuurd|opgevolgd)",
    r"supposed to .{0,60}(?:and|but) (?:i |we )?(?:didn't|did not|forgot|never)",
    r"neglected to",
    r"overslept",
    r"lost track",
    r"(?:didn't|did not|never) (?:realise|realize|notice|think to)",
    r"wasn't (?:paying attention|careful)",
    r"(?:was|were) (?:too late|late with)",
    r"have broken",
    r"'ve broken",
    r"verknoeid",
    r"verkloot",
    r"vergist",
    r"versproken",
    r"verrekend",
    r"verslapen",
    r"kwijtgeraakt",
    r"niet opgelet",
    r"lette niet op",
    r"had (?:het )?niet door",
    r"(?:was|waren) te laat",
    r"dropped the ball",
    r"broke",
    r"typo'd",
    r"fat-fingered",
    r"misread",
    r"misunderstood",
    r"misconfigured",
    r"mislabell?ed",
    r"misjudged",
    r"mixed up",
    r"double-(?:booked|charged)",
    r"overwrote",
    r"underestimated",
    r"skipped the",
    r"(?:didn't|did not|hadn't|haven't|never) (?:double )?(?:check|checked|test|tested|proofread|"
    r"read|update|updated|back up|calibrate|answer|revoke|revoked|tell|lock|save|do)",
    r"without (?:checking|testing|reading|telling|running (?!into)|looking|asking|a review|"
    r"a buffer|"
    r"a plan|a backup|any (?:tests|buffer|review)|qa|proofreading|double-checking)",
    r"rushed",
    r"without (?:talking to|consulting|informing|notifying|warning|syncing|aligning|"
    r"coordinating|involving)",
    r"before (?:reading|checking|testing|asking|reviewing)",
    r"voordat ik .{0,30}(?:gelezen|gecheckt|getest|gevraagd)",
    r"dropped (?:the |a |their |our |\w+'s )?(?:client's |customer's )?(?:request|ticket|email|"
    r"task|"
    r"message|call|thread)",
    r"afgeraffeld",
    r"(?:i|we) assumed .{0,80}(?:was not|wasn't|were not|weren't|not the case|turned out)",
    r"(?:ik|we) ging(?:en)? ervan uit .{0,80}(?:niet|klopte niet|bleek)",
    # an omission told as what went wrong, in the past perfect: "ik had de tests niet
    # gedraaid", "we hadn't backed it up" (not the status "heb nog niet getest")
    r"(?:ik|we) (?:had|hadden) (?:\w+ ){0,4}niet (?:\w+ )?" + _OMITTED_NL,
    # the same with the subject after the verb, as after "dat" or "maar": "maar dat had ik
    # nooit aangezet", "die hadden we niet getest"
    r"(?:had|hadden) (?:ik|we|wij) (?:\w+ ){0,3}(?:niet|nooit) (?:\w+ )?" + _OMITTED_NL,
    r"(?:i|we) hadn't (?:\w+ ){0,2}(?:run|tested|checked|reviewed|saved|pushed|enabled|"
    r"scheduled|sent|attached|updated|backed up|renewed|submitted|filed|added|configured|"
    r"booked|cancelled|canceled)\b",
    r"(?:i|we) (?:wrote|built|made|sent|set up|configured|created) (?:had|has|was|contained|"
    r"caused)",
    r"(?:i|we) (?:picked|chose|decided|went with|selected) .{0,80}(?:turned out|backfired|"
    r"terrible|wrong|a mistake)",
    r"(?:ik|we) (?:koos|kozen|besloot|besloten) .{0,80}(?:bleek|pakte slecht|verkeerd|fout)",
    r"shouldn't have",
    r"should(?:'ve| have) (?:(?:double|triple)-)?(?:\w+ed|done|told|seen|known|made|sent|taken|"
    r"been|gone|thought)",
    # done badly: "I didn't explain it properly", "we didn't think it through"
    r"(?:didn't|did not|hadn't) (?!work|function|run|load|render|display|behave|show|go|upload|"
    r"sleep|eat|rest|know|think|expect|realise|realize)"
    r"(?:\w+ ){1,5}?(?:properly|correctly|carefully|thoroughly)\b",
    r"(?:didn't|did not|hadn't) think (?:it|this|that) through",
    r"(?:too early|too late)",
)

# "wrong"/"verkeerde" only count with the writer as subject (not "wrong channel").
_WRONG = _words(
    r"(?:de |het |een )?verkeerde?\b",
    r"(?:the |a )?wrong\b",
    r"incorrect\b",
    r"(?:een|a) (?:nul|zero) te (?:veel|weinig)",
    r"instead of\b",
    r"in plaats van\b",
    r"ipv\b",
    r"te (?:groot|klein|krap|optimistisch|ruim|weinig)\b",
    r"too (?:big|small|tight|optimistic|little|much)\b",
    r"te laat\b",
    r"too (?:hard|fast|early|soon|ambitious)\b",
    r"te (?:hard|snel|vroeg|ambitieus)\b",
    r"(?:de |het )?oude (?:versie|cijfers|prijzen|lijst|template|gegevens)\b",
    r"(?:the |an )?old (?:version|figures|numbers|prices|list|template|data)\b",
)

_SLIP = Lexicon(_SLIP_VERBS)
_WRONG_RE = Lexicon(_WRONG)

# The writer as subject, and other people as subject.
_FIRST_PERSON = re.compile(
    r"\b(?:ik|we|wij|i|i've|i'd|i'm|i'll|ive|im|we've|we're|me|ons team|our team)\b"
)
# Dutch chat drops "ik" before an auxiliary: "heb de verkeerde map gedeeld", "was de bijlage
# vergeten", "oeps, had de oude lijst". Only an interjection may come first: "Lizzy had de
# verkeerde datum" is Lizzy's.
_DUTCH_NO_SUBJECT = re.compile(
    r"^(?:\W*(?:oeps|oops|whoops|oei|shit|damn|sorry|argh|ugh|ah|nou|ja|nee|hmm|ok|oké|crap|"
    r"balen|jeetje|verdorie|dus)\W+)?(?:heb|had|was|ben)\b"
)
# "I think / I heard ..." makes the writer the subject of the reporting verb, not of the slip.
_REPORTING = re.compile(
    r"^\s*(?:think|thought|heard|saw|noticed|guess|believe|feel|hope|denk|dacht|hoorde|zag|"
    r"merkte|geloof|vermoed|hoop)\b"
)
# the writer found the flaw, not made it: "ik heb de fout gevonden: de config stond verkeerd"
_FOUND = re.compile(r"\b(?:gevonden|ontdekt|opgespoord|found|discovered|spotted|tracked down)\b")


def _told_or_found(between: str) -> bool:
    """Whether the words between the writer and a slip tell of someone else's (they heard,
    thought, saw) or of a flaw the writer found."""
    return bool(_REPORTING.search(between) or _FOUND.search(between))


# "niet te vergeten" means "not least", not a slip; "heb nog niet getest" is a status ("not
# yet"), where "had nog niet getest" tells what went wrong
_NOT_JUST_BEFORE = re.compile(
    r"\b(?:niet|not|never|nooit|don't|niet te|(?:heb|hebben|heeft) nog)\s*$"
)
# a feature or a page named after forgetting: "wachtwoord vergeten", "forgot password"
_FEATURE_NAME_BEFORE = re.compile(r"\b(?:wachtwoord|password|pincode|gebruikersnaam)\s*$")
_FEATURE_NAME_AFTER = re.compile(r"^[\s-]*(?:password|wachtwoord|username|pin)\b")
# A finite past with a word before it has that word as its subject ("jan vergat", "the
# creator forgot", "commit 1a2b broke"): Dutch and English chat drop "ik"/"I" only when the
# verb comes first ("vergat de bijlage") or as a participle ("bijlage vergeten").
_FINITE_PAST = re.compile(r"^(?:vergat|vergaten|forgot|broke|miste|misten|failed to|had|hadden)\b")
# Advice, prevention and habit are talk about mistakes, not a report of one: "voorkomt dat
# data per ongeluk wordt overschreven", "to avoid sending the wrong file", "we vergeten vaak".
_PREVENTIVE_BEFORE = re.compile(
    r"\b(?:voorkom\w*|te voorkomen|prevent\w*|avoid\w*|zodat|so that|to make sure|om te testen|"
    r"to check (?:if|whether)|checkt? of|controleren of|alsof|as if|as though|"
    # not sure it was a mistake at all: "unsure if my change broke it", "weet niet of"
    r"unsure|not (?:sure|certain)|uncertain|(?:don't|do not) think|doubt|wonder(?:ing)? "
    r"(?:if|whether)|whether|(?:weet|wist) (?:ik )?(?:niet|nog niet)(?: zeker)? of|"
    r"niet zeker of|twijfel\w*|vraag (?:me|mij) af)\b"
)
# In English only a verb may open a clause without its subject ("forgot the file"); a clause
# that opens with a determiner opens with its subject ("the script accidentally deleted",
# "this PR should have been…"), which is then not the writer.
_ENGLISH_SUBJECT_START = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "it", "its", "their", "his", "her", "one"]
)
_HABIT = re.compile(
    r"\b(?:vaak|altijd|soms|weleens|often|always|sometimes|usually|meestal|"
    # a choice, not a slip: "dit heb ik voor nu overgeslagen", "skipped it on purpose"
    r"voor nu|voorlopig|for now|bewust|expres|opzettelijk|on purpose|deliberately|intentionally)\b"
)
# Dutch chat reports a wrong choice as a bare participle: "verkeerde functie gebruikt".
_PARTICIPLE_AFTER = re.compile(r"^[\w -]{0,30}?\b(?:ge\w+[dt]|\w+(?:ed|d)) *(?:[.!)]|$)")
_BY_SOMEONE = re.compile(r"\s*(?:door|by) (?:de|het|een|hun|the|a|their)\b")
# Arriving late at the team's own get-togethers: politeness, as "sorry for the late reply"
# ("sorry dat ik te laat ben voor de standup"), not a slip in the work ("te laat met de
# aanvraag", "te laat ingediend").
_MEETINGS = (
    r"(?:standup|stand-up|daily|meeting|vergadering|overleg|call|lunch|retro|borrel|sessie|"
    r"session|sync|teamdag|weekstart)\b"
)
_LATE_FOR_A_MEETING = re.compile(
    r"^\s*(?:ben|kom|was|kwam|zijn|waren|kwamen)?\s*(?:voor|bij|op|in)\s+(?:de|het|onze|"
    r"jullie|je)?\s*" + _MEETINGS
)
_FINITE_OR_OTHER = re.compile(
    r"\b(?:is|heeft|hebben|zijn|was|waren|had|hadden|has|have|did|does|do|je|jij|jullie|u|"
    r"hij|zij|ze|you|he|she|they|iemand|someone|niemand|nobody|wie|who|wat|what)\b|@[\w.-]+"
)
_OTHER_PERSON = re.compile(
    r"\b(?:je|jij|jullie|u|hij|zij|ze|hun|you|you've|he|she|they|they've|iemand|someone|"
    r"somebody|niemand|nobody)\b"
)
_FILLERS = frozenset(
    [
        "oeps",
        "oops",
        "whoops",
        "oei",
        "ugh",
        "shit",
        "damn",
        "help",
        "argh",
        "lol",
        "haha",
        "nou",
        "so",
        "well",
        "ok",
        "okay",
        "ff",
        "even",
        "eerlijk",
        "honest",
        "tbh",
        "update",
        "just",
        "gisteren",
        "vanochtend",
        "vandaag",
        "vannacht",
        "yesterday",
        "today",
        "this",
        "morning",
        "totally",
        "completely",
        "helemaal",
        "net",
        "zojuist",
        "and",
        "en",
        "dus",
        "also",
        "ook",
        "sorry",
        "excuses",
        "apologies",
        "again",
        "weer",
        "alweer",
        "had",
        "heb",
        "ben",
        "was",
        "i",
        "ik",
        "we",
    ]
)

# Experiments, pilots and ideas of our own that did not work out.
_EXPERIMENT = Lexicon(
    _words(
        r"experiment\w*",
        r"pilot\w*",
        r"proef\w*",
        r"trial",
        r"prototype",
        r"hypothe\w+",
        r"(?:our|my|onze|mijn) (?:assumption|aanname|uitgangspunt|bet)",
        r"(?:our|my|the) new (?:format|approach|process|way of \w+)",
        r"(?:onze|mijn|de) nieuwe (?:vorm|aanpak|werkwijze|opzet)",
        r"prototyped",
        r"a/b[- ]?test\w*",
        r"(?:as a|als) test",
        r"spiked on",
        r"(?:ons|mijn|our|my) (?:idee|idea|voorstel|proposal)",
        r"(?:uit)?geprobeerd",
        r"probeerden",
        r"tried",
        r"tested",
        r"testten",
        r"getest",
        r"gok(?:je)? gewaagd",
        r"took a bet",
        r"nieuwe aanpak",
        r"new approach",
    )
)
_FAILED = Lexicon(
    _words(
        r"niet gewerkt",
        r"werkte niet",
        r"didn't work",
        r"did not work",
        r"mislukt",
        r"failed",
        r"backfired",
        r"geen succes",
        r"not a (?:success|hit)",
        r"no success",
        r"(?:was|were) (?:a )?flop",
        r"flopped",
        r"viel(?:en)? tegen",
        r"pakte (?:slecht|verkeerd) uit",
        r"went badly",
        r"klopte niet",
        r"was off",
        r"turned out (?:to be )?(?:wrong|false)",
        r"bleek (?:niet te kloppen|onjuist|niet waar)",
        r"nobody used it",
        r"niemand gebruikte",
        r"rolling (?:it )?back",
        r"revert(?:ed|ing)",
        r"(?:did not|didn't) stick",
        r"stopped showing up",
        r"more than it helped",
        r"meer kwaad dan goed",
        r"useless",
        r"nutteloos",
        r"awkward",
        r"parking (?:the idea|it)",
        r"geparkeerd",
        r"in de ijskast",
        r"set up wrong",
        r"verkeerd opgezet",
        r"teruggedraaid",
        r"tanked",
        r"plummeted",
        r"kelderde(?:n)?",
        r"was wrong",
        r"verworpen",
        r"rejected",
        r"gestopt",
        r"stopped",
        r"afgebroken",
        r"gesneuveld",
        r"dead",
        r"slechter",
        r"worse",
        r"daalde[n]?",
        r"dropped(?: off)?",
        r"went down",
        r"liep vast",
        r"got stuck",
        r"didn't land",
        r"(?:didn't|did not) (?:pan out|pay off|catch on|take off)",
        r"was a bust",
        r"underwhelming",
        r"no effect",
        r"geen effect",
        r"(?:sloeg|slaat) niet aan",
        r"niet aangeslagen",
        r"tegenvallend",
        r"not continuing",
        r"niet doorgezet",
        r"terug naar",
        r"back to",
        r"fell apart",
        r"ging mis",
        r"went wrong",
        r"felt lost",
        r"verloren",
        r"confusing",
        r"onoverzichtelijk",
        r"too generic",
        r"te generiek",
        r"piled up",
        r"bleven .{0,20}liggen",
        r"chaos",
        r"hardly any",
        r"nauwelijks",
        r"(?:was|were) poor",
        r"took longer",
        r"meer tijd dan",
        r"(?:veel )?minder op",
        r"much less",
        r"dropping it",
        r"niemand (?:begreep|keek)",
        r"nobody (?:understood|looked|showed up|filled)",
        r"niemand kwam",
        r"bijna niemand",
        r"almost nobody",
        r"we got more",
        r"werden er meer",
        r"onbruikbaar",
        r"not reproducible",
        r"niet reproduceerbaar",
        r"weren't reproducible",
    )
)
_OWN_WORDS = re.compile(r"\b(?:ik|we|wij|ons|onze|mijn|i|we|our|my|us)\b")

# Clauses that ask, suppose, advise or deny do not report anything.
_HYPOTHETICAL = re.compile(
    # (not "het was beter geweest als ik…", "it would have been better if we…": looking back)
    r"\b(?:(?<!geweest )als (?:je|jij|ik|we|u|iemand)|stel dat|mocht|wat als|what if|"
    r"(?<!been better )if (?:you|i|we|someone)|"
    r"say you|suppose|in case|ik hoop (?:niet )?dat|hope (?:i|we)|kan het dat|is het erg als)\b"
)
_MODAL = re.compile(r"\b(?:zou(?:den)?|would|could|might|kunnen)\b")
_NEGATED = re.compile(
    r"\b(?:niets|niks|geen|nobody|niemand|nothing|no one|never|nooit|don't|do not|niet "
    r"vergeten|vergeet niet|didn't forget|not to)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+|(?<=[;])\s*")
# a parenthesis opens a clause of its own: "typo gefixt (had het argument vergeten)"
_CLAUSE = re.compile(r",\s*|\s+(?:maar|but|want|because|omdat|terwijl|while)\s+|\s[-–—]\s|\s*\(\s*")


@dataclass(frozen=True)
class _Hit:
    score: float
    cue: str
    category: str


def _late_for_a_meeting(match: re.Match[str], clause: str) -> bool:
    return match.group(0).endswith("te laat") and bool(
        _LATE_FOR_A_MEETING.match(clause[match.end() :])
    )


def _clause_hit(clause: str) -> _Hit | None:
    for match in _SLIP.finditer(clause):
        before = clause[: match.start()]
        if _late_for_a_meeting(match, clause):
            continue
        if _MODAL.search(before):  # "I could have forgotten", "zou ik vergeten"
            continue
        if _NEGATED.search(before[-25:]) or _NOT_JUST_BEFORE.search(before):
            continue
        if _FEATURE_NAME_BEFORE.search(before) or _FEATURE_NAME_AFTER.match(clause[match.end() :]):
            continue
        if _PREVENTIVE_BEFORE.search(before) or _HABIT.search(clause):
            continue
        if _FIRST_PERSON.search(match.group(0)):  # "had ik eerst moeten", "we should have"
            return _Hit(0.85, match.group(0), "slip")
        firsts = list(_FIRST_PERSON.finditer(before)) or list(_DUTCH_NO_SUBJECT.finditer(before))
        if firsts:
            between = before[firsts[-1].end() :]
            if not _OTHER_PERSON.search(between) and not _told_or_found(between):
                return _Hit(0.85, clause[firsts[-1].start() : match.end()], "slip")
        leading = _WORD.findall(before)
        if _FINITE_PAST.match(match.group(0)) and any(w not in _FILLERS for w in leading):
            continue  # someone else's: the word before a finite past is its subject
        if leading and leading[0] in _ENGLISH_SUBJECT_START:
            continue
        if (
            len(leading) <= 3
            and all(word in _FILLERS for word in leading)
            and not _OTHER_PERSON.search(clause[match.end() : match.end() + 12])
        ):
            return _Hit(0.75, match.group(0), "slip")
        if (
            len(leading) <= 4
            and not _FINITE_OR_OTHER.search(before)
            and not _OTHER_PERSON.search(clause[match.end() : match.end() + 12])
            and not _BY_SOMEONE.match(clause[match.end() :])
        ):
            # Dutch chat drops the subject and the auxiliary: "bijlage vergeten, sorry"
            return _Hit(0.7, clause[: match.end()].strip(), "slip")
    for match in _WRONG_RE.finditer(clause):
        before = clause[: match.start()]
        if _MODAL.search(before) or _NEGATED.search(before[-25:]):  # "geen verkeerde build"
            continue
        if _late_for_a_meeting(match, clause):
            continue
        if _PREVENTIVE_BEFORE.search(before) or _HABIT.search(clause):
            continue
        firsts = list(_FIRST_PERSON.finditer(before)) or list(_DUTCH_NO_SUBJECT.finditer(before))
        between = before[firsts[-1].end() :] if firsts else ""
        if firsts and not _OTHER_PERSON.search(between) and not _told_or_found(between):
            return _Hit(0.8, clause[firsts[-1].start() : match.end()], "slip")
        participle = _PARTICIPLE_AFTER.match(clause[match.end() :])
        if (
            participle
            and not firsts
            and len(_WORD.findall(before)) <= 2
            and not _FINITE_OR_OTHER.search(clause)
            and not _BY_SOMEONE.search(clause[match.end() :])
        ):
            return _Hit(0.7, clause[: match.end() + participle.end()].strip(" .!)"), "slip")
    return None


def _experiment_hit(statements: str, whole: str) -> _Hit | None:
    """An own experiment, pilot or idea, and somewhere in the message that it did not work."""
    experiment = _EXPERIMENT.search(statements)
    if not experiment or not _OWN_WORDS.search(whole):
        return None
    failed = _FAILED.search(statements)
    if not failed:
        return None
    return _Hit(0.8, f"{experiment.group(0)} … {failed.group(0)}", "experiment")


def _own_regret(text: str) -> bool:
    """Whether an apology or an 'oops' in the message is the writer's own, not one they tell
    of ("ze bood haar excuses aan", "he said sorry"), nor one made only if ("if this is of no
    use to you, I am sorry")."""
    for sentence in _SENTENCE.split(text):
        for regret in _REGRET.finditer(sentence):
            head = sentence[: regret.start()]
            before = _CLAUSE.split(head)[-1]  # the regret's own clause, up to it
            if _OTHERS_APOLOGY.search(before + regret.group(0)) or _CONDITIONAL.search(head):
                continue
            if _OTHER_PERSON.search(before) and not _FIRST_PERSON.search(before):
                continue
            return True
    return False


def _regret_hit(statements: list[str]) -> _Hit | None:
    """An apology or an 'oops' of the writer's own (`_own_regret`) next to something the
    writer did: weaker, but a report."""
    for sentence in statements:
        for clause in _CLAUSE.split(sentence):
            done = _FIRST_PERSON_PAST.search(clause)
            if done and not _MODAL.search(clause) and not _NEGATED.search(clause):
                return _Hit(0.6, done.group(0), "slip")
    return None


# A flaw in the writer's own work, said without a verb of doing: "er zat nog een fout in mijn
# script", "fixes a typo in my last commit". Not an error message one gets ("ik krijg een fout
# in mijn console", "I see a bug in my browser"), nor a denial ("no bug in my code").
_OWN_FLAW = Lexicon(
    _words(
        r"(?:fout(?:je|jes|en)?|bug(?:s|je|jes)?|typo'?s?|tikfout(?:je|jes|en)?|mistakes?|"
        r"vergissing(?:en)?|slordigheid(?:je)?)(?: \w+)? in (?:mijn|m'n|onze|my|our)(?: \w+)?",
        r"(?:verkeerde?|onjuiste?|wrong|incorrect) \w+ in (?:mijn|m'n|onze|my|our)(?: \w+)?",
    )
)
# A team's own piece of work that failed: "onze release van gisteren is mislukt", "our
# migration went wrong". Named outputs only: "our tests failed" after someone else's change
# is not ours to own.
_OWN_FAILURE = Lexicon(
    _words(
        r"(?:onze|our) (?:release|deploy|deployment|migratie|migration|lancering|launch|update|"
        r"rollout|uitrol|campagne|campaign|mailing|nieuwsbrief|newsletter|planning|demo|"
        r"presentatie|presentation|workshop|levering|delivery|pilot|actie)(?: \w+){0,3} "
        r"(?:(?:is|was|zijn|waren|has|have|had)(?: (?!niet\b|not\b|never\b|nooit\b)\w+)? "
        r"(?:mislukt|misgegaan|mis gegaan|fout gegaan|failed|gone wrong|broken|gefaald)|"
        r"(?:failed|went wrong|broke|mislukte|ging mis|liep mis|faalde))"
    )
)
# A flaw or failure put down to someone else's software: "our deploy failed after upgrading
# to 2.4", "there's a bug in my app since the latest version",
# "onze release is mislukt sinds de nieuwe versie van jullie plugin", "failed with error 500"
# (a support question, not a report of one's own mistake).
_EXTERNAL_CAUSE = re.compile(
    r"^\s*(?:with (?:an? |the )?(?:error|exit|status|code|exception|message)\b|met (?:een |de )?"
    r"(?:fout(?:melding|code)?|error|melding)\b)|\b(?:after|since|with|using|because of|due to|"
    r"when|na|sinds|met|door|vanwege|bij)\b.{0,40}\b(?:upgrad\w*|updat\w*|install\w*|"
    r"versie|version|v?\d+(?:\.\d+)+|your|jullie|the new|de nieuwe|latest|laatste)\b"
)
# A flaw named beside the writer's own apology: "tikfout in de mail, mijn excuses". Not a
# bare "fout" or a mistake placed somewhere ("sorry, de fout zit bij de leverancier", "the
# mistake is in their config"): an apology for someone else's.
_FLAW_WORD = re.compile(
    r"\b(?:tikfout(?:je|jes|en)?|typo'?s?|foutje|vergissing|misser|slip-up|"
    r"mistake(?! (?:is|was|lies|lay|sits) ))\b"
)
# someone else's: "jouw", "their", "Sanne's"
_OTHERS_POSSESSIVE = r"(?:jouw|je|uw|zijn|haar|hun|your|his|her|their|\w+'s)"
_FLAW_OF_OTHERS_AFTER = re.compile(
    rf"^\s*(?:\w+ )?(?:in|van|of|from|by|door) {_OTHERS_POSSESSIVE}\b"
)
_FLAW_SEEN = re.compile(
    r"\b(?:krijg\w*|kreeg|kregen|zie|zag|zien|geeft|gaf|toont|get|gets|got|getting|see|seeing|"
    r"saw|shows?|showed|throws?|threw|gives?|gave|found|vond|vonden|is there|zit er|is er|"
    r"any|enige)\b"
)
_FLAW_DENIED = re.compile(r"\b(?:geen|no|not|niet|nooit|never|without|zonder)\b(?: \w+)?\s*$")
_FLAW_OF_OTHERS = re.compile(rf"\b{_OTHERS_POSSESSIVE}\s*$")


def _whose_flaw(clause: str, start: int, end: int) -> bool:
    """Whether the flaw at clause[start:end] is the writer's: not an error message they get or
    see, not denied, not someone else's."""
    before = clause[:start]
    if _FLAW_SEEN.search(before) or _FLAW_DENIED.search(before):
        return False
    if _FLAW_OF_OTHERS.search(before) or _FLAW_OF_OTHERS_AFTER.match(clause[end:]):
        return False  # "jouw fout in mijn rapport", "een typo in jouw tekst"
    return not (_OTHER_PERSON.search(before) and not _FIRST_PERSON.search(before))


def _flaw_hit(statements: list[str], regret: bool) -> _Hit | None:
    """A flaw in the writer's own work or a team's failed piece of work (ownership); with the
    writer's own apology in the message, any flaw named that is not someone else's (a slip)."""
    for sentence in statements:
        for clause in _CLAUSE.split(sentence):
            for lexicon in (_OWN_FLAW, _OWN_FAILURE):
                for flaw in lexicon.finditer(clause):
                    rest = sentence[sentence.find(clause) + flaw.end() :]  # its clauses too
                    if _EXTERNAL_CAUSE.search(rest):  # "a bug in my app since the update"
                        continue
                    if _whose_flaw(clause, flaw.start(), flaw.end()):
                        return _Hit(0.8, clause[: flaw.end()].strip(), "ownership")
    if not regret:
        return None
    for sentence in statements:
        for clause in _CLAUSE.split(sentence):
            for flaw in _FLAW_WORD.finditer(clause):
                if _whose_flaw(clause, flaw.start(), flaw.end()):
                    return _Hit(0.7, clause.strip()[:120], "slip")
    return None


def _complex_hit(statements: str) -> _Hit | None:
    """Several things that came together, our part in it, and a bad outcome."""
    factors = _COMPLEX.search(statements)
    if not factors or not _OWN_WORDS.search(statements):
        return None
    outcome = _BAD_OUTCOME.search(statements)
    if not outcome:
        return None
    return _Hit(0.7, f"{factors.group(0)} … {outcome.group(0)}", "complex")


def _best_hit(text: str) -> _Hit | None:
    # Most messages have no cue at all: one pass over the text (_ANY_CUE) says so, and nothing
    # below could find anything. (An emoji is never in an ASCII text, and every branch of
    # _TERSE_OWN starts at the text's start: `match` tries only there.)
    emoji = not text.isascii() and _REGRET_EMOJI.search(text)
    if not (_ANY_CUE.search(text) or emoji or _TERSE_OWN.match(text)):
        return None
    disowned = False  # "not my fault", "geen fout van mij": the writer says the opposite
    for ownership in _OWNERSHIP.finditer(text):
        if _DISOWNING.search(text, max(0, ownership.start() - 24), ownership.start()):
            disowned = True
            continue
        return _Hit(0.95, ownership.group(0), "ownership")  # the strongest evidence there is
    terse = _TERSE_OWN.match(text)
    if terse:
        return _Hit(0.8, terse.group(0).strip(" .!"), "slip")
    # which kinds of cue the message has, each then read in its clauses
    slips = disowned or bool(_SLIP.search(text) or _WRONG_RE.search(text))
    experiment = bool(_EXPERIMENT.search(text))
    factors = bool(_COMPLEX.search(text))
    regret = bool(_REGRET.search(text)) and _own_regret(text)
    flaw = bool(_OWN_FLAW.search(text) or _OWN_FAILURE.search(text))
    flaw = flaw or (regret and bool(_FLAW_WORD.search(text)))
    if not (slips or experiment or factors or regret or flaw):
        return None
    statements = [
        sentence
        for sentence in filter(None, (s.strip() for s in _SENTENCE.split(text)))
        if not sentence.endswith("?") and not _HYPOTHETICAL.search(sentence)
    ]
    joined = " . ".join(statements)
    hits: list[_Hit | None] = []
    if slips:
        hits += [_clause_hit(c) for sentence in statements for c in _CLAUSE.split(sentence) if c]
    if experiment:
        hits.append(_experiment_hit(joined, text))
    if factors:
        hits.append(_complex_hit(joined))
    if regret:
        hits.append(_regret_hit(statements))
    if flaw:
        hits.append(_flaw_hit(statements, regret))
    best: _Hit | None = None
    for hit in hits:
        if hit and (best is None or hit.score > best.score):
            best = hit
    if best is None and slips:
        # the words of a slip, but not the writer's (someone else's, negated, advice, habit,
        # a feature's name): evidence against a report, which the model learns to weigh
        return _Hit(0.0, "", NOT_OWN)
    return best


_REGRET_WORDS = Lexicon(
    split_top(
        r"oeps|oops|whoops|oei|ugh|balen|shit|damn|sorry|excuses|excuus|apologies|"
        r"my apologies|not doing that again|never again|nooit meer|doen we niet meer"
    )
)
_REGRET_EMOJI = re.compile(r"[🙈🤦😬😱😅🙃]")
_REGRET = re.compile(rf"{_REGRET_WORDS.pattern.pattern}|{_REGRET_EMOJI.pattern}")
_CONDITIONAL = re.compile(r"\b(?:if|als|mocht|in case|unless|tenzij)\b")
# someone else's apology, told: "zijn excuses aangeboden", "her apologies"
_OTHERS_APOLOGY = re.compile(r"\b(?:haar|zijn|hun|his|her|their) (?:excuses|excuus|apologies)\b")
_FIRST_PERSON_PAST = re.compile(
    r"\b(?:(?:ik|we|wij) (?:heb|hebben|had|hadden|ben|zijn|was|waren)\b(?! (?:vandaag |morgen "
    r"|nu |helaas |even |wat |al |gisteren |deze week )?(?:nog|niet|even|op vakantie|ziek|weg|"
    r"bezig|thuis|vrij|afwezig|onderweg))|(?:ik|we|wij) (?:gaf|gaven|stuurde|stuurden|zette|"
    r"deed|nam|maakte|wiste|gooide|drukte|klikte|plaatste|deelde|typte|vergat)\b|(?:i|we) "
    r"(?:\w+ed|sent|put|ran|gave|made|did|took|left|set|"
    r"shut|wrote|hit|told|got|went|used|lost|let)\b)"
)
_BAD_OUTCOME = re.compile(
    r"\b(?:mis ?(?:gegaan|ging|liep)|ging (?:het )?mis|liep (?:het )?(?:vast|mis)|went wrong|"
    r"went sideways|fell apart|stalled|stil ?(?:viel|gevallen)|viel stil|storing\w*|outages?|"
    r"errors|kwijt|zoekgeraakt|got lost|lost|over budget|tekort|short|dubbel gegaan|"
    r"went out twice|out of sync|uit sync|vol (?:laten )?lopen|ran out|afgehaakt|walked away|"
    r"niet gehaald|missed|misten|gemist|onderschat|underestimated|verkeerd\w*|wrong|te laat|late|"
    r"niet doorgekomen|never came through|stopped|klapte|uitval|fout\w*|problems?|failed|"
    r"mislukt\w*|"
    r"stuck|vast|tussendoor geglipt|fell between the cracks|slipped through)\b"
)

# --- kinds --------------------------------------------------------------------------------

_COMPLEX = Lexicon(
    split_top(
        r"samenloop|combinatie|combination|mix of|meerdere|several|tegelijk\w*|at the same"
        r" (?:time|moment)|op dezelfde dag|on the same day|kettingreactie|chain reaction|o"
        r"nverwacht\w*|unexpected\w*|onvoorzien\w*|unforeseen|nobody foresaw|niemand had|n"
        r"obody could|none of us|geen van (?:allen|ons)|afhankelijk\w*|dependenc\w+|depend"
        r"ed|interplay|race condition|deels|partly|both sides|beide kanten|speelden? .{0,3"
        r"0}mee|played a role|in hindsight|achteraf|plus|én|samen fout|we both|allebei|dri"
        r"e teams|three teams|twee afdelingen|two departments|at once|onvolledig|incomplet"
        r"e|tijdsdruk|time pressure|net toen|just as|just when|precies toen|perfect storm|"
        r"collided|botste|clashed|both thought|dachten allebei"
    )
)

# Every word cue of `_best_hit` in one expression: most messages have none, and one pass over
# the text says so (see lexicon.any_of).
_ANY_CUE = any_of(
    _OWNERSHIP, _SLIP, _WRONG_RE, _EXPERIMENT, _COMPLEX, _OWN_FLAW, _OWN_FAILURE, _REGRET_WORDS
)

_KIND_CUES: dict[str, re.Pattern[str]] = {
    "intelligent": re.compile(
        r"\b(?:experiment\w*|pilot(?!\s?group|groep)\w*|hypothe\w+|proef\w*|prototype\w*|"
        r"a/b[- ]?test\w*|"
        r"uitgeprobeerd|geprobeerd|probeerden|we tried|i tried|tried (?:out|a|to|the|moving|"
        r"automating|bundling|running)|trial|spiked?|gok(?:je)? gewaagd|took a bet|"
        r"nieuwe aanpak|new approach|(?:ons|mijn|our|my) (?:idee|idea|voorstel|proposal)|"
        r"as a test|als test|testten|we tested)\b",
        re.I,
    ),
    "complex": _COMPLEX.pattern,
}


def guess_kind(text: str) -> str:
    """The most likely kind of a failure; preventable when nothing points elsewhere."""
    norm = normalise(text)
    scores = {kind: len(pattern.findall(norm)) for kind, pattern in _KIND_CUES.items()}
    if scores["intelligent"] and scores["intelligent"] >= scores["complex"]:
        return "intelligent"
    if scores["complex"] >= 1:
        return "complex"
    return "preventable"


# --- the public functions -----------------------------------------------------------------


def rule_detect(text: str, lang_hint: str | None = None) -> Detection:
    """The hand-written cue lexicon and its grammar alone: explainable, but fitted to the
    phrasing we imagined. The learned model uses its findings as features."""
    return _rule_detect(normalise(text), lang_hint)


# What the rules find in most messages, one per language (detect_language gives nl or en):
# shared, since a Detection cannot change, where building one cost ~1 µs per message
_NOTHING = {lang: Detection(False, None, lang, 0.0, None, None) for lang in ("nl", "en")}


def _rule_detect(norm: str, lang_hint: str | None) -> Detection:
    lang = detect_language(norm, lang_hint)
    hit = _best_hit(norm) if norm else None
    if hit is None:
        return _NOTHING[lang]
    if hit.category == NOT_OWN:
        return Detection(False, None, lang, 0.0, None, NOT_OWN)
    is_mistake = hit.score >= THRESHOLD
    kind = None
    if is_mistake:
        kind = "intelligent" if hit.category == "experiment" else guess_kind(norm)
    return Detection(is_mistake, kind, lang, round(hit.score, 2), hit.cue.strip(), hit.category)


CUE_CATEGORIES = ("ownership", "slip", "experiment", NOT_OWN)


def lexicon_features(text: str, lang_hint: str | None = None) -> tuple[float, ...]:
    """What the lexicon found and how the message is put, as numbers for the model."""
    norm = normalise(text)
    return _as_features(_rule_detect(norm, lang_hint), norm)


def _as_features(found: Detection, norm: str) -> tuple[float, ...]:
    """The lexicon's decision, score and kind of cue, then the (normalised) message's shape."""
    return (
        float(found.is_mistake),
        found.score,
        *(float(found.cue_category == category) for category in CUE_CATEGORIES),
        *message_shape(norm),
    )


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
# A cheap gate before the model: a message goes on to the model when the lexicon found a cue,
# when it has a word of error, apology, failure or negation, or when it has a first person with
# a past or perfect verb form. Measured on the real corpus with grouped cross-validation it
# drops no report the model would have caught, and most everyday chat never reaches the model.
# (read in lower case, as a tree of letters: see lexicon.word_tree)
_WORD_EDGE = r"(?<![\w'])"
_GATE_WORDS = re.compile(
    word_tree(
        split_top(
            r"oeps\w*|oops\w*|sorry|excuses|my bad|whoops|argh|fout\w*|vergeten|vergat|"
            r"forgot\w*|mistake\w*|verkeerd\w*|wrong\w*|per ?ongeluk|accidentally|fix\w*|"
            r"gefixt\w*|aangepast|mislukt|failed|kapot|broke\w*|bug\w*|error\w*|helaas|"
            r"unfortunately|issue\w*|problem\w*|probleem\w*|lukt\w*|gelukt|errat\w*|unintend\w*|"
            r"onbedoeld\w*|revert\w*|teruggedraaid|unsuccessful|niet|not|\w+n't|no|geen"
        ),
        _WORD_EDGE,
    )
    + r"(?![\w'])"
)
# (a set of whole words: one look-up per word, where an alternation is tried at every letter)
_GATE_PERSON = frozenset(
    [
        "ik",
        "we",
        "wij",
        "me",
        "mij",
        "mijn",
        "m'n",
        "ons",
        "onze",
        "i",
        "i'm",
        "i've",
        "i'd",
        "my",
        "mine",
        "we're",
        "we've",
        "our",
        "us",
    ]
)
_GATE_TOKEN = re.compile(r"[\w']+")
_GATE_PAST = re.compile(
    word_tree(
        split_top(
            r"heb|had|hadden|hebben|was|waren|ben|zijn|werd|did|didn't|have|has|'ve|got|went|"
            r"made|ge\w+[dt]|\w+(?:ed|de|te|den|ten)"
        ),
        _WORD_EDGE,
    )
    + r"(?![\w'])"
)


def passes_gate(text: str, found: Detection) -> bool:
    # a cue, or a slip's words that the rules found not to be the writer's: the model weighs it
    if found.score > 0 or found.cue_category == NOT_OWN:
        return True
    lower = text.lower()
    if _GATE_WORDS.search(lower):
        return True
    return not _GATE_PERSON.isdisjoint(_GATE_TOKEN.findall(lower)) and bool(
        _GATE_PAST.search(lower)
    )


# Politeness that uses a mistake's words: being late for a meeting or with a reply, a long
# message, a disturbance ("sorry dat ik te laat ben voor de standup", "sorry for the late
# reply", "sorry to bother you"). The labelling guide counts it as no report, but the model
# weighs "sorry" and "te laat" by the reports it learned from (such messages scored 0.6-0.8),
# so `detect` reads a message without it. A heads-up that one will be late is the same, also
# after "my bad" ("my bad, I'll be 5 minutes late": the idiom alone reads as owning a slip).
# Not "late with": "sorry, we're late with the release" owns a delay.
_POLITENESS = re.compile(
    r"\b(?:sorry|excuses|apologies|my apologies|mijn excuses)\b,?(?: (?:voor|for|about))?"
    r"(?: (?:de|het|mijn|m'n|the|my|this))? (?:late|trage|verlate|slow|delayed|lange|long) "
    r"(?:reactie|antwoord|reply|response|answer|bericht|message|post|mail|notice)\b"
    r"|\b(?:sorry|excuses|my bad)\b,? (?:dat )?(?:ik|we|i'm|i am|we're|we are|i was|we were|"
    r"i'll|we'll|i will|we will|ben|running)"
    r"(?: (?:was|ben|kom|kwam|waren|zijn|kwamen|be))?"
    r"(?: (?:iets|wat|een paar minuten|a bit|a few minutes|\d+ ?min\w*))? (?:te )?(?:laat|later|"
    r"late)(?! (?:with|met)\b)(?: (?:ben|kom|was|kwam|zijn|waren))?(?! (?:with|met)\b)"
    r"(?: (?:voor|bij|op|in|to|for) (?:de |het |onze |the |our )?" + _MEETINGS + r")?"
    r"|\bsorry (?:dat ik (?:je |jullie )?stoor|to bother you|to interrupt|for the noise)\b",
    re.IGNORECASE,
)


def without_politeness(text: str, norm: str) -> tuple[str, str]:
    """The message and its normalised text without their politeness (see _POLITENESS). Most
    messages have none: four substring looks at the lowercase text tell, where one
    case-blind expression over every message cost 5 % of the detector's instructions."""
    if not ("sorry" in norm or "excuses" in norm or "apolog" in norm or "my bad" in norm):
        return text, norm
    polite = _POLITENESS.sub(" ", text)
    return (text, norm) if polite == text else (polite, normalise(polite))


def reported(probability: float, threshold: float, rules_found: bool) -> bool:
    """The decision: the model's calibrated probability at the language's threshold, or a
    report the cue rules recognise. The rules' findings are among the model's features and on
    the real corpus it never overruled one (their precision there: nl 0.99, en 0.93), but a
    phrasing it has not seen can still score low ("er zat nog een fout in mijn script": 0.41);
    what the rules can explain stands, and the model adds what they miss."""
    return rules_found or probability >= threshold


def detect(text: str, lang_hint: str | None = None, model: MistakeModel | None = None) -> Detection:
    """Is this message someone reporting their own mistake? The learned model decides (see
    model.py), with the lexicon's findings among its features, and what the lexicon recognises
    stands (`reported`); the cue the tip quotes is the lexicon's phrase, or else the sentence
    the model scores highest."""
    model = model or shipped_model()
    text, norm = without_politeness(text, normalise(text))
    found = _rule_detect(norm, lang_hint)
    if model is None or not found.lang:
        return found
    if not passes_gate(text, found):  # then the rules found nothing: `found` says just that
        return found
    features = _as_features(found, norm)
    probability = model.probability(norm, features)
    if not reported(probability, model.threshold(found.lang), found.is_mistake):
        return Detection(False, None, found.lang, round(probability, 2), None, None)
    cue, category = found.cue, found.cue_category
    if not cue:
        cue, category = _best_sentence(model, text, found.lang), "learned"
    kind = _kind(model, text, norm, found, features)
    return Detection(True, kind, found.lang, round(probability, 2), cue, category)


def kind_of(text: str, lang_hint: str | None = None) -> str:
    """The kind of a text known to be about a failure (a /fout entry, a message a leader marked
    as a report): the learned kind model when one ships, else the cue rules."""
    norm = normalise(text)
    found = _rule_detect(norm, lang_hint)
    return _kind(shipped_model(), text, norm, found, _as_features(found, norm))


def _kind(
    model: MistakeModel | None,
    text: str,
    norm: str,
    found: Detection,
    features: tuple[float, ...],
) -> str:
    kind = found.kind or guess_kind(norm)
    if model is None or model.kinds is None:
        return kind
    return model.kinds.kind(norm, kind_features(kind, features))  # the rules' kind is an input


def _best_sentence(model: MistakeModel, text: str, lang: str) -> str:
    """The sentence of the message that the model finds most like a report (the tip's cue)."""
    sentences = [s.strip() for s in _SENTENCE_SPLIT.split(normalise(text)) if s.strip()]
    if len(sentences) <= 1:
        return (sentences or [normalise(text)])[0][:200]
    return max(sentences, key=lambda s: model.probability(s, lexicon_features(s, lang)))[:200]
