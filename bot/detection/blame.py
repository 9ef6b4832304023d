"""Blame: does a leader's reply to a report read as a reproach, and which reframe fits?

Two readers. The rules below catch the plain forms ("who broke this?", "did you even test
it?", "je had het moeten controleren") and name the reframe. What they miss — sarcasm, a
judgement of the person, "please test before you submit" in a hundred shapes — a small learned
model reads: a logistic regression over the reply's sentence embedding (see encoder.py), the
rules' hits and the reply's shape, trained on real replies (`leerzone train --blame`). Its
threshold is chosen for precision first: a leader told off by a bot for a kind reply stops
listening. The cue is the reply's sentence the model finds most reproachful.

A code review's curious "why did you choose X here?" is not blame; the rules leave it alone
and the training data teaches the model the same.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot.detection import encoder
from bot.detection.detect import detect_language, normalise
from bot.detection.structure import message_shape
from bot.detection.tfidf import dot, sigmoid

REFRAMES = ("why", "who", "should_not", "how_could")


@dataclass(frozen=True)
class Blame:
    is_blame: bool
    reframe: str | None  # why | who | should_not | how_could
    cue: str | None
    lang: str
    score: float = 0.0


# Telling someone to stop is a reproach, unless what they should stop is worrying about it:
# "can you stop apologising?", "hou op met piekeren, dit kan iedereen gebeuren" is the
# reassurance the bot hopes for.
# One list of each, so that the stop rules leave out what the reassurance veto names.
_SELF_REPROACH_EN = (
    r"(?:apologi[sz]ing|worrying|stressing|panicking|overthinking|beating (?:yourself|"
    r"yourselves)|blaming (?:yourself|yourselves)|feeling (?:bad|guilty|sorry)|being (?:so )?"
    r"hard on|saying sorry)"
)
_SELF_REPROACH_NL = (
    r"(?:piekeren|malen|stressen|jezelf|jullie zelf|je zorgen|zorgen|sorry|excuses|je "
    r"excuses|je schuldig|schuldig|je (?:zo )?druk (?:te )?maken)"
)
# Where the answer was written down: "read the contributing guidelines first", "dit staat
# gewoon in de documentatie"
_DOCS_EN = (
    r"(?:docs|documentation|guide|guidelines|readme|rules|instructions|faq|manual|changelog|"
    r"release notes|wiki|template|existing issues|issues|forum)"
)
_DOCS_NL = (
    r"(?:handleiding|documentatie|readme|richtlijnen|instructies|faq|wiki|release notes|"
    r"werkinstructie|protocol)"
)
# Judging someone's care: a reproach of someone else's work, no reproach of one's own (see
# _SELF_JUDGEMENT)
_CARELESS = r"(?:slordig|onzorgvuldig|careless|sloppy|lazy)"
_KIND_STOP_EN = rf"(?!{_SELF_REPROACH_EN}\b)"
_KIND_STOP_NL = rf"(?!{_SELF_REPROACH_NL}\b)"

_BLAME: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "who",
        re.compile(
            # (not the praise of "wie heeft dit zo mooi opgemaakt?")
            r"\b(?:wie heeft (?:dit|dat|het)(?! (?:zo |echt |nou )?(?:mooi|goed|netjes|strak|knap|"
            r"snel|leuk)\b)|wie was (?:dit|dat)|wie is (?:hier )?"
            r"verantwoordelijk|wiens (?:fout|schuld)|who (?:did|broke|caused|made|deleted|"
            r"pushed|merged|approved|deployed) (?:this|that|it|the)\b"
            r"|who (?:approved|reviewed) (?:this|that)|wie heeft (?:dit|dat) goedgekeurd"
            r"|who is responsible|whose (?:fault|mistake)"
            # who let it through: "who signed this off?", "wie heeft dit laten gaan?"
            r"|who (?:signed|okayed|ok'd|let) (?:this|that|it) (?:off|through|out|go)"
            r"|wie heeft (?:dit|dat|het) (?:zo )?(?:laten gaan|doorgelaten|getekend|ondertekend))\b"
        ),
    ),
    (
        "should_not",
        re.compile(
            r"\b(?:(?:dit|dat) had (?:nooit |echt )?niet (?:mogen|moeten) gebeuren|had nooit mogen"
            r"|(?:this|that) should(?:n't| not| never) have happened|onacceptabel|unacceptable|"
            r"dit mag niet (?:meer )?gebeuren|(?<!\bso )(?<!\bso that )this can't happen again"
            r"|je had (?:het |dit |dat )?(?:toch |gewoon |eerst |wel )*(?:moeten|kunnen)"
            r"|you shouldn't have|je had (?:het |dit |dat )?(?:toch )?niet (?:moeten|mogen)"
            # the same with the verb first: "dit had je moeten zien", "dat had je toch kunnen
            # weten" (not "dat had je niet kunnen weten")
            r"|(?:dit|dat|het|dan) had (?:je|jij|jullie) (?:echt |toch |gewoon |wel |eerst )*"
            r"(?:(?!niet\b|nooit\b|geen\b)\w+ ){0,3}(?:moeten|kunnen) (?:zien|weten|checken|"
            r"testen|controleren|lezen|merken|opmerken|vragen|melden)"
            # telling someone to take more care: "je moet beter opletten", "you need to be
            # more careful" (not "je moet eerst inloggen": an instruction)
            r"|(?:je|jij|jullie|u) (?:moet|moeten|moest|moesten) (?:echt |toch |gewoon |wel |nou |"
            r"eens |voortaan |wat |veel |een stuk )*(?:beter (?:op(?:letten|passen)|nadenken|"
            r"kijken|lezen|testen|controleren|checken|je best doen)|zorgvuldiger|nauwkeuriger|"
            r"preciezer|meer opletten)"
            r"|you (?:really |seriously |just )?(?:need|have|ought|must|should) (?:to )?"
            r"(?:be |start being )?(?:more|a lot more|much more|way more) (?:careful|thorough|"
            r"attentive|diligent)|you (?:really )?(?:need|have|ought) to pay (?:more |closer )?"
            r"attention|you (?:really )?(?:need|have|ought|must|should) (?:to )?take (?:more|a lot "
            r"more|much more|better|greater) care"
            # a verdict on the slip's cost: "dit soort fouten kunnen we ons niet permitteren",
            # "we can't afford mistakes like this", "this should never have gone out"
            r"|(?:kunnen|kan) (?:we|wij|ik|jullie) (?:ons|mij|me|jullie) (?:echt |gewoon |hier |"
            r"gewoonweg )*niet (?:permitteren|veroorloven)|(?:we|i) (?:can't|cannot|can not) "
            r"afford (?:\w+ ){0,2}(?:mistakes|errors|slip-?ups|blunders)"
            r"|(?:this|that|it) should(?:n't| not| never) have (?:gone out|been sent|been released|"
            r"been published|shipped|left the building)"
            # the same of someone else, named by the leader: "hij had het rapport moeten
            # delen", "they should have checked" (not "je had het niet kunnen weten")
            r"|(?:jij|jullie|hij|zij|ze|iemand) (?:had|hadden) "
            r"(?:(?!niet\b|nooit\b|geen\b|gelijk\b)\w+ ){0,4}(?:moeten|kunnen) "
            # (not what someone should have been given: "jullie hadden meer hulp moeten
            # krijgen", "iemand had je moeten waarschuwen": the leader owning it)
            r"(?!(?:\w+ )?(?:worden|zijn|krijgen|ontvangen|helpen|ondersteunen|begeleiden|"
            r"inwerken|waarschuwen|uitleggen)\b)"
            r"|(?:you|he|she|they|someone|somebody) (?:should|could) have (?:at least |just |"
            r"first )?(?:tested|checked|read|asked|looked|known|caught|noticed|seen)"
            r"|(?:test|check|read) (?:it|this|your \w+|the \w+) before "
            r"(?:you )?(?:submit|push|merg|open|post)\w*|(?:read|check|consult|search) (?:the |our "
            r")?(?:\w+ ){0,2}?" + _DOCS_EN + r" (?:first|before)"
            # "did you search before opening this?", "please search first next time"
            r"|(?:did you|have you|please|pls) (?:even |actually |at least )?(?:search|google|"
            r"look)(?:ed)? (?:\w+ ){0,3}?(?:first|before)"
            # "if you had read the changelog you would have known"
            r"|if you(?:'d| had) (?:\w+ )?(?:read|checked|looked at|tested|searched) (?:\w+ ){0,4}"
            r"you would(?:'ve| have) (?:known|seen|noticed|found)"
            r"|lees (?:eerst|nou|toch|gewoon) (?:even )?(?:de |het |onze )?(?:\w+ )?"
            + _DOCS_NL
            + r"|(?:this|het|dit) is (?:not|geen) (?:a )?(?:support forum|helpdesk|help desk))\b"
            # telling someone off for a habit: "stop closing PRs without…", "bad practice to…"
            # (but not the kind "stop apologising", "hou op met piekeren": see _KIND_STOP)
            r"|(?:^|[.!?] )(?:(?:please|just),? )*stop " + _KIND_STOP_EN + r"\w+ing\b"
            r"|\b(?:really |very )?bad practice\b"
            r"|\b(?:can|could|will|would) (?:you|u) (?:guys |all |please |pls |just )*stop "
            + _KIND_STOP_EN
            + r"\w+ing\b|\b(?:kun|kan|kunt|wil|wilt) (?:je|jij|jullie|u) (?:alsjeblieft |nou |"
            r"eens |nu |even |toch )*(?:ophouden|stoppen) met " + _KIND_STOP_NL + r"\w"
            r"|\bhou(?:d|den)? (?:jullie |je |nou |eens |toch |alsjeblieft )*op met "
            + _KIND_STOP_NL
            + r"\w"
            # forbidding work judged worthless: "please don't make spam PRs"
            r"|\b(?:don't|do not) (?:make|create|open|submit|send|push|post) (?:more |any more |"
            r"these |such )?(?:spam|duplicate|useless|broken|empty|pointless|low[- ]effort)\b"
            # correcting how someone works, the shape of "read the guide before…": "next time,
            # please make…", "please talk to us before you merge", "please avoid…", "volgende
            # keer graag eerst testen", "dat had duidelijk genoeg moeten zijn"
            # (not the warm "next time, just ask!", "don't hesitate", "volgende keer kijken we
            # samen", "voortaan gerust even vragen")
            r"|\b(?:next time|in (?:the )?future|from now on|going forward),? (?:please |pls |"
            r"just |kindly )*(?:make|check|test|read|talk|run|wait|use|think|look|follow|"
            r"don't (?!hesitate|worry|be afraid)\w+)\b"
            r"|\b(?:please|pls),? (?:in (?:the )?future|from now on|going forward)\b"
            r"|\b(?:volgende keer|voortaan|in het vervolg|vanaf nu),? (?:graag |even |wel |"
            r"gewoon |alsjeblieft |eerst )*"
            r"(?:(?!we\b|wij\b|samen\b|ik\b|gerust\b|laten\b)\w+ ){0,3}(?:checken|testen|lezen|"
            r"overleggen|controleren|nadenken|melden)\b"
            r"|\b(?:please|pls) (?:\w+ ){0,6}before (?:you|u) (?:make|merg|push|open|submit|send|"
            r"post|creat|commit|deploy|chang|touch|fil)\w*"
            r"|\bgraag (?:\w+ ){0,6}voordat (?:je|jij|u) (?:\w+ ){0,3}(?:merget|mergt|pusht|"
            r"deployt|commit|indient|instuurt|aanmaakt|verstuurt|publiceert|live zet|"
            r"in productie zet|aanpast|wijzigt)\b"
            r"|\b(?:please|pls) (?:avoid|refrain from)\b"
            r"|\bshould(?: have|'ve) (?:also )?been (?:enough|obvious|clear)\b"
            r"|\bhad (?:toch )?(?:duidelijk|genoeg|voldoende) (?:genoeg )?moeten zijn\b"
        ),
    ),
    (
        "why",
        re.compile(
            r"\b(?:waarom (?:heb|had|ben|was|deed) (?:je|jij|u)(?! hier)"
            # (not the review question about a choice: "waarom heb je voor deze aanpak
            # gekozen?", as "why did you choose X" in English)
            r"(?![^.?!]{0,80}\b(?:gekozen|besloten|gebruikt|toegevoegd|geopteerd|verkozen|"
            r"opgezet|aangepakt|genoemd|opgebouwd)\b)|waarom (?:heeft|is) "
            r"(?:hij|zij|ze|dit|dat)|waarom niet eerst|why (?:did|didn't|would|have|haven't|"
            r"were|wasn't) you(?! (?:choose|chose|pick|use|decide|opt|go with|prefer|name|"
            r"add|make|want))|why (?:is|was|wasn't) (?:this|that|it) (?:not|never|broken)|"
            r"why (?:wasn't|was not|hasn't|has not) (?:this|that|it) (?:been )?(?:tested|checked|"
            r"reviewed)|you (?:clearly|obviously) (?:didn't|did not|haven't|have not)|je hebt "
            r"(?:het |dit |dat |de \w+ |het \w+ )?(?:duidelijk|blijkbaar|kennelijk|echt) niet "
            r"(?:gelezen|getest|gecontroleerd|gekeken|gecheckt)|"
            r"why do you (?:keep|always)|waarom doe je (?:dat|dit) (?:nou|toch|steeds)|"
            r"you (?:didn't|did not) (?:even )?(?:follow|read|use|fill in|fill out) the (?:\w+ )?"
            r"(?:template|guidelines|instructions|checklist|process|protocol|guide|docs)\b|"
            r"have you (?:even )?tried reading\b|"
            # "had je het protocol niet gelezen dan?", "didn't you read the handover?"
            r"had (?:je|jij|u|jullie) (?:\w+ ){0,3}(?:dan |eigenlijk |wel )?niet (?:gelezen|getest|"
            r"gecontroleerd|gecheckt|bekeken|nagekeken|gezien)|(?:didn't|hadn't|haven't) you "
            r"(?:even |actually |at least )?(?:read|test|tested|check|checked|see|seen|look)\b|"
            r"what were you thinking|wat dacht je|did you (?:even|actually|ever) "
            r"(?:test|try|read|check|run|look)(?!\w* (?:my|mine)\b)|have you (?:even|actually) "
            r"(?:tested|tried|read|checked)|heb je (?:het |dit |dat )?(?:wel|eigenlijk|überhaupt|"
            r"ooit) (?:getest|gecontroleerd|gelezen|geprobeerd)|"
            r"(?:without (?:even|actually)|(?:don't|doesn't|didn't|not) even) "
            r"(?:check|test|compil|run|read|look|comment|try|bother|build|work)\w*)"
        ),
    ),
    (
        "how_could",
        re.compile(
            r"\b(?:hoe moeilijk (?:kan|is) (?:het|dat|dit)|how hard (?:can|could|is) (?:it|that)"
            r"|hoe kan (?:dit|dat|het) (?:nou|nu)?(?: weer)?|hoe kan het dat|hoe is het "
            r"mogelijk|alweer\?|weer eens|hoe vaak moet ik|how could (?:this|that|you)|how is this "
            r"possible|how many times|(?<!happen )(?<!happens )(?<!occur )again\?!?|seriously\?|"
            + _CARELESS
            # disappointment and "we've been here so often": "I expected better from you",
            # "dit hebben we al zo vaak besproken", "this keeps happening with your PRs" (not
            # "we've talked about this before": as often the leader owning a known gap; not a
            # bare "not again": as often the leader's sigh at the situation, "not again, that
            # vendor API!")
            + r"|i (?:had )?expected (?:better|more) (?:from|of) you|ik had (?:echt |toch |wel )?"
            r"(?:meer|beter) van (?:je|jou|jullie) verwacht|(?:we've|we have) (?:talked|spoken|"
            r"been over|gone over|discussed)(?: about)? this (?:so many|how many|countless) times|"
            r"(?:dit|dat) hebben we (?:al )?(?:zo vaak|zo vaak al|hoe vaak al) (?:besproken|"
            r"gehad|gezegd)|keeps? happening (?:with|in) (?:your|you)|"
            r"(?:gebeurt|gaat) (?:steeds|telkens|elke keer) (?:weer )?(?:mis )?(?:bij|met|in) "
            r"(?:jouw|jullie|je)\b"
            # the answer was there all along: "this has been answered many times", "rtfm", "it
            # says so right there", "this is clearly documented in the readme"
            r"|(?:asked|answered|discussed|covered|explained|reported) (?:so |a dozen |many |"
            r"several |multiple |countless |numerous )+times|\brtfm\b|\blmgtfy\b|says so (?:right "
            r"there|literally|in the)|(?:clearly|explicitly|literally|already) (?:documented|"
            r"stated|explained|written) in the "
            + _DOCS_EN
            + r"|staat (?:gewoon|duidelijk|letterlijk|toch) in (?:de |het )?"
            + _DOCS_NL
            # exasperation: "for once", "the third time this sprint", "are you serious"
            + r"|for once\b|^seriously\b|(?:the|for the) (?:second|third|fourth|fifth|umpteenth|"
            r"nth) time\b|voor de (?:tweede|derde|vierde|zoveelste) keer\b|(?:the|de) (?:tweede|"
            r"derde|vierde|zoveelste) keer (?:al )?(?:deze|this)\b|are you (?:serious|kidding)|"
            r"you (?:dumbo|idiot|moron|clown|noob)|(?:live|living|been) under a rock"
            # judging the work or the person: "broddelwerk", "amateurish", "thanks for ignoring"
            r"|broddelwerk|prutswerk|knoeiwerk|amateuristisch|onprofessioneel|"
            # judging the conduct, or being fed up with it: "inexcusable", "complete disregard
            # for", "I'm sick of your…", "ik ben het zat" (not "sick of waiting for the vendor")
            r"(?:is|was|that's|so|how|really|very|pretty|plain|simply) (?:inexcusable|"
            r"unforgivable|irresponsible|reckless|negligent)\b|(?:is|was|erg|echt|heel|zo|nogal|"
            r"gewoon) (?:onvergeeflijk|onverantwoord|roekeloos|nalatig)\b|"
            r"(?:complete|total|utter) disregard|infuriating|"
            r"(?:sick|tired)(?: and tired)? of (?:your|you|these|people|this kind)|fed up with "
            r"(?:your|you|these|people|this kind)|(?:ik ben|we zijn|ben) (?:het|dit) (?:echt )?"
            r"(?:zat|beu)|(?:ik ben|ben) (?:er|het) (?:echt |helemaal |nu )?klaar mee|"
            # sarcastic praise of the harm, a judgement of the person: "good job breaking
            # prod", "must be nice to not test", "je bent ook altijd zo chaotisch"
            r"(?:good|great|nice) (?:job|work|one)(?: on)? (?:breaking|deleting|wiping|losing|"
            r"ignoring|forgetting|missing|skipping)\b|must be nice to (?:not|never)\b|"
            r"(?:je bent|jij bent|you're|you are) (?:ook |echt |gewoon |nou |toch )?(?:altijd |"
            r"always |zo |so |such an? |really )*(?:chaotisch|onhandig|hopeloos|chaotic|clumsy|"
            r"hopeless|a mess|een ramp)\b|"
            # not the praise of Dutch slang: "belachelijk goed", "schandalig lekker"
            r"(?:schandalig|belachelijk)(?!e? (?:goed|mooi|snel|knap|sterk|leuk|lekker|veel|blij|"
            r"grappig|handig))|onbegrijpelijk|onvoorstelbaar(?! (?:goed|mooi|snel|knap|sterk|leuk|"
            r"fijn|blij|veel))|klopt van geen kant|slaat (?:echt |werkelijk )?(?:nergens|kant noch "
            r"wal) op|(?:heel|erg|best) (?:raar|vreemd) dat|amateurish|"
            r"unprofessional|ridiculous(?!ly (?:good|fast|quick|well|nice|cool))|shameful|"
            r"disgraceful|incompetent|ungrateful|schijnvertoning|"
            r"(?:like|is) a joke\b|(?:isn't|is not|wasn't|was not) (?:helpful|acceptable)|"
            r"thanks for (?:completely |totally )?(?:ignoring|breaking|nothing)"
            # "how did you manage to…", "I expected you to check this", "mag ik het weer
            # oplossen", "another mess for me to clean up" (not the praise of "how did you manage
            # to finish so fast", "I expected you to be at the offsite"; "ik snap niet hoe je dit
            # hebt kunnen missen" is left to the model, which learned it from our own replies)
            r"|how did you (?:even )?manage to (?:miss|forget|break|lose|delete|mess|screw|"
            r"overlook|skip|wipe|(?:\w+ ){1,6}?(?:wrong|the wrong))\b|"
            r"i (?:had )?expected you to (?:at least )?(?:double-)?(?:check|test|read|know|"
            r"follow|ask|tell|inform|catch|notice|see|verify|review)\b|"
            r"ik had (?:echt |toch |wel )?verwacht dat (?:je|jij|jullie) (?:\w+ ){0,4}"
            r"(?:zou|zouden) (?:\w+ )?(?:checken|controleren|testen|lezen|weten|melden|vragen|"
            r"opletten|nakijken)\b|"
            r"(?:i'm|i am) (?:really |very |so |quite |pretty )?disappointed (?:in|with) you|"
            r"(?:ik ben|ben) (?:echt |erg |zo |best )?teleurgesteld in (?:je|jou|jullie)|"
            r"mag ik (?:het |dit |dat )?(?:\w+ )?weer (?:oplossen|opruimen|rechtzetten|fixen|"
            r"herstellen|uitzoeken)|another mess (?:for me )?to (?:clean|sort|fix)|"
            r"(?:left|leaves|leaving) me to (?:clean|sort|fix|pick)"
            # how could someone miss a simple step; "dat kan toch veel beter"
            r"|hoe (?:kon|konden|kun|kan) (?!dit|dat|het)\w+ .{0,120}(?:missen|vergeten|over het "
            r"hoofd zien|laten gebeuren)|(?:dat|dit) (?:kan|had|moet) toch (?:veel |wel |echt )?"
            r"(?:sneller|beter|anders|niet|makkelijker|simpeler))"
        ),
    ),
)


# Reassurance is what the bot hopes a leader writes: "no worries, happens to everyone",
# "maak je geen zorgen". The model read some of it as reproach ("please don't …" is also how
# people tell off), so a reply that reassures is not blame unless a rule names the reproach.
# (Sarcasm that opens with "don't worry" gets past this; a wrong coaching tip costs more.)
_REASSURANCE = re.compile(
    r"\b(?:(?:don't|do not) (?:worry|stress|panic|beat yourself up|blame yourself|feel bad|"
    r"apologi[sz]e)|"
    r"no worries|no problem\b|no harm done|no need to (?:apologi[sz]e|be sorry|worry)|"
    r"happens to (?:the best of us|everyone|all of us|anyone)|(?:could|can) happen (?:to|with) "
    r"(?:anyone|anybody|everyone|everybody|all of us)|"
    r"(?:it|that|these things|stuff) happens\b(?! (?:every|all the|again|each|always))|"
    r"geen zorgen|maak je (?:er )?(?:alsjeblieft |maar |nou )?geen zorgen|zit er niet mee|"
    r"geen (?:stress|punt)\b|kan (?:iedereen )?gebeuren|overkomt (?:iedereen|de beste)|"
    r"(?:iedereen|ons allemaal) (?:kan|had kunnen|zou kunnen) (?:\w+ )?(?:overkomen|gebeuren)|"
    r"kan iedereen (?:\w+ )?overkomen|"
    # praise for telling: "knap dat je dit zo eerlijk deelt", "fijn dat je het meteen meldt"
    r"(?:knap|goed|fijn|mooi|sterk|dapper|moedig|top) dat (?:je|jij|jullie) (?:\w+ ){0,4}?"
    r"(?:deelt|delen|meldt|melden|zegt|zeggen|laat weten|laten weten|vertelt|vertellen|"
    r"aankaart|aankaarten)\b|"
    r"voel je niet schuldig|(?:je hoeft|hoef je) (?:echt )?geen (?:sorry|excuses)|"
    rf"(?:stop|quit) {_SELF_REPROACH_EN}\b|(?:hou|houd) (?:toch |nou |maar |alsjeblieft )*op "
    rf"met {_SELF_REPROACH_NL}\b|"
    # the leader owning a share of it: "sorry daarvoor", "that's on me", "dat ligt bij ons"
    r"sorry daarvoor|sorry (?:about|for) that|(?:that's|that is|this is) on (?:me|us)|"
    r"(?:dat|dit) (?:is|was) (?:mijn|onze) (?:fout|schuld)|(?:dat|dit) ligt (?:ook )?bij "
    r"(?:mij|ons)|my bad|mea culpa|"
    # "you couldn't have known": "je had het niet kunnen weten", "dat had je ook niet kunnen
    # weten", "you had no way of knowing"
    r"(?:(?:je|jij|jullie) (?:had|hadden) (?:het|dit|dat)|(?:dat|dit|het) (?:had|hadden) "
    r"(?:je|jij|jullie)) (?:ook |toch |echt )?(?:niet|nooit) kunnen (?:weten|zien)|you "
    r"(?:couldn't|could not|could never|had no way (?:to|of)) (?:have )?know(?:n|ing)?)"
)


# The writer judging themselves: "slordig van me", "I was a bit careless", "my own
# sloppiness". A leader who says that in a report's thread owns a share of it, which is what
# the bot hopes for: the rules read the reply without it (a judgement word there is no
# reproach), and the model does not read a reply that has it (as with "my bad" above).
_INTENSIFIERS = (
    r"(?: (?:so|really|a|bit|little|too|very|quite|pretty|rather|just|zo|echt|erg|nogal|wat|"
    r"een|beetje|te|best|heel|gewoon|ook|wel|toch|maar|zelf|also|myself|ourselves)){0,3}"
)
_SELF_JUDGEMENT = re.compile(
    r"\b(?:(?:ik|we|wij) (?:was|waren|ben|zijn)|(?:was|ben) ik|(?:waren|zijn) we|(?:i|we) "
    r"(?:was|were|am|are|have been|'ve been)|i'm|we're|i've been|we've been)"
    + _INTENSIFIERS
    + " "
    + _CARELESS
    + r"\w*"
    r"|\b(?:slordig|onzorgvuldig|onhandig|dom|stom|careless|sloppy|lazy|silly|stupid|dumb)"
    r"(?: \w+)? (?:van|of) (?:me|mij|ons|us)\b"
    r"|\b(?:mijn|onze|my|our) (?:eigen |own )?(?:slordigheid|onzorgvuldigheid|sloppiness|"
    r"carelessness|laziness)\b"
)


def reassures(norm: str) -> bool:
    return _REASSURANCE.search(norm) is not None or _SELF_JUDGEMENT.search(norm) is not None


def _as_rules_read(norm: str) -> str:
    """The reply without the writer's judgements of themselves (see _SELF_JUDGEMENT)."""
    return _SELF_JUDGEMENT.sub(" ", norm)


_THANKS = re.compile(r"\b(?:thanks|thank you|thx|bedankt|dank je|dankjewel|dank u|appreciate)\b")
_PLEASE = re.compile(r"\b(?:please|pls|graag|alsjeblieft|alstublieft)\b")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def rule_hits(norm: str) -> tuple[float, ...]:
    """Which of the four rule groups match the (normalised) reply: 0 or 1 each."""
    read = _as_rules_read(norm)
    return tuple(float(pattern.search(read) is not None) for _, pattern in _BLAME)


def blame_features(norm: str) -> tuple[float, ...]:
    """What the model reads beside the embedding: rule hits, shape, thanks, please."""
    return (
        *rule_hits(norm),
        *message_shape(norm),
        float(_THANKS.search(norm) is not None),
        float(_PLEASE.search(norm) is not None),
    )


@dataclass(frozen=True)
class BlameModel:
    """Weights over the 512 embedding numbers, then over blame_features; numbers only."""

    embedding_weights: tuple[float, ...]
    feature_weights: tuple[float, ...]
    bias: float
    threshold: float
    meta: dict[str, Any]

    def probability(self, embedding: list[float], features: tuple[float, ...]) -> float:
        z = self.bias + dot(self.embedding_weights, embedding)
        z += dot(self.feature_weights, features)
        return sigmoid(z)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": 1,
            "embedding_weights": [round(w, 6) for w in self.embedding_weights],
            "feature_weights": [round(w, 6) for w in self.feature_weights],
            "bias": round(self.bias, 6),
            "threshold": self.threshold,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BlameModel:
        if data.get("format") != 1:
            raise ValueError(f"unknown blame model format {data.get('format')!r}")
        return cls(
            embedding_weights=tuple(float(w) for w in data["embedding_weights"]),
            feature_weights=tuple(float(w) for w in data["feature_weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            meta=dict(data.get("meta") or {}),
        )


def load_blame_model(path: str | Path | None = None) -> BlameModel:
    """The shipped blame model (package data), or one from `leerzone train --blame --out`."""
    if path is None:
        text = resources.files("bot.detection").joinpath("blame_model.json").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return BlameModel.from_json(json.loads(text))


@lru_cache(maxsize=1)
def shipped_blame_model() -> BlameModel | None:
    try:
        return load_blame_model()
    except FileNotFoundError:
        return None


def _reframe_for(sentence: str) -> str:
    """The reframe for a reply only the model caught: a why-question gets the why reframe, a
    who-question the who reframe, anything else (a judgement, sarcasm) the how-could one."""
    if re.search(r"\b(?:why|waarom)\b", sentence):
        return "why"
    if re.search(r"\b(?:who|wie)\b", sentence):
        return "who"
    return "how_could"


# How much of a reply the model reads. The encoder's time grows with the text (about 30 ms per
# thousand characters on one core) and this runs before the ack: a 40,000-character reply,
# Slack's longest, took 1.3 s. The rules still read all of it; the real replies the model was
# trained on are all far shorter (the longest under 400 characters).
MODEL_READS = 1000


def model_reads(norm: str) -> str:
    """The start of a normalised reply, up to MODEL_READS characters and cut between words."""
    if len(norm) <= MODEL_READS:
        return norm
    head = norm[:MODEL_READS]
    return head.rsplit(" ", 1)[0] if " " in head else head


def detect_blame(
    text: str, lang_hint: str | None = None, model: BlameModel | None = None, wait: bool = True
) -> Blame:
    """A reply that blames or asks why someone did it; says which reframe fits. With
    wait=False (the scanner, before an ack) a reply that comes while the encoder is still
    loading is read by the rules alone, instead of holding up every message behind it."""
    norm = normalise(text)
    lang = detect_language(norm, lang_hint)
    read = _as_rules_read(norm)
    for reframe, pattern in _BLAME:
        match = pattern.search(read)
        if match:
            return Blame(True, reframe, match.group(0).strip(), lang, 1.0)
    model = model or shipped_blame_model()
    if model is None or not norm.strip() or reassures(norm):
        return Blame(False, None, None, lang)
    if not wait and not encoder.loaded():
        encoder.warm_up()
        return Blame(False, None, None, lang)
    head = model_reads(norm)
    vectors = encoder.embed([head])
    if vectors is None:
        return Blame(False, None, None, lang)
    probability = model.probability(vectors[0], blame_features(head))
    if probability < model.threshold:
        return Blame(False, None, None, lang, round(probability, 2))
    cue = _most_reproachful(model, head)
    return Blame(True, _reframe_for(cue), cue, lang, round(probability, 2))


def _most_reproachful(model: BlameModel, norm: str) -> str:
    """The sentence of the reply the model finds most reproachful (the coaching tip's cue)."""
    sentences = [s.strip() for s in _SENTENCES.split(norm) if s.strip()]
    if len(sentences) <= 1:
        return norm.strip()[:200]
    vectors = encoder.embed(sentences) or []
    scored = zip(sentences, vectors, strict=True)
    best = max(scored, key=lambda pair: model.probability(pair[1], blame_features(pair[0])))
    return best[0][:200]
