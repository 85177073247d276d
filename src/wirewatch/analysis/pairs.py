"""The sides of one trigger match: who acts on whom, read the way the trigger's ``voice``
(``data/events.toml``) says, one reader per voice.

Several actors or targets give one pair each (GUIDE E5), and a pair of one side is domestic
and dropped (E2; the rules are those of the annotation guide, ``docs/annotation-guide.md``).

Pure functions over one sentence's text and mentions (offsets relative to the sentence).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wirewatch.analysis.anniversaries import anniversary
from wirewatch.analysis.blame import adjacent, conduct, menaced
from wirewatch.analysis.occurrence import Occurrence, Sides
from wirewatch.analysis.sides import after, coordinated, first_before, harmed, side, side_key
from wirewatch.models import Mention, Side

__all__ = ["Occurrence", "trigger_pairs"]

# A praise's object that is a pronoun: whom the story is about ("paid tribute to them").
_PRONOUN_OBJECT = re.compile(r"\s+(?:him|her|them)\b")
# Place words right after a visit trigger that name the home country as the place visited.
_HOME_PLACE = re.compile(r"\s*(?:(?:to|in|at)\s+)?(?:here|Pyongyang|the\s+capital)\b", re.IGNORECASE)
# A country right after "against" is opposed, not praised ("solidarity with the Korean people
# in their struggle against the U.S.").
_WARNED_AGAINST = re.compile(r"\s+against\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?", re.IGNORECASE)
_OPPOSED = re.compile(r"\bagainst\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_SUPPORTING = re.compile(r"\b(?:support(?:s|ed|ing)?|solidarity|prais\w*|laud\w*|hail\w*)\b", re.IGNORECASE)
#: Words of a headline's subject that name home's own speakers, whom the data need not hold
#: ("Foreign Ministry Spokesman Denounces …", "Koreans Denounce …", "Provincial Rallies
#: Condemn …", "NRC Blasts …"): ``_unknown_headline_subject``.
_HOME_SPEAKERS = frozenset(
    (
        "Spokesman Spokeswoman Spokesperson Koreans Korean People Rallies Rally Meeting Meetings Papers Paper "
        "Newspaper Newspapers Article Commentary Editorial Servicepersons Soldiers Youth Youths Students Workers "
        "Officials Memorandum Statement Report Media Daily Bulletin Indictment Analyst Analysts Jurist Jurists "
        "Scholars Writers Circles Compatriots Korea FM CFRK CPRK NRC Pomminryon AINDF KCNA KCTV"
    ).split()
)
#: The lower-case words a headline's subject may hold ("Secretary General of Arab League").
_HEADLINE_LOWER = frozenset("of and the for in on to".split())
# Nothing but closing marks after a trigger: a headline that ends with its verb.
_ATTRIBUTED = re.compile(r"\s*(?:--|—|:)\s*")
# What may follow the speaker a headline names last ("China's Paper", "Rodong Sinmun").
_SPEAKER_TAIL = re.compile(r"(?:['’]s)?(?:\s+[\w-]+){0,3}[\s\"'”’.!]*\Z")
_HEADLINE_END = re.compile(r"[\s\"'”’.!]*\Z")
# What follows a participle in a passive headline ("Japan Warned not to Act Rashly", "U.S.
# Warned against Reckless Moves", "Lee Group Slammed for …"): the verb's complement, no agent.
_PASSIVE_COMPLEMENT = re.compile(r"\s+(?:not\s+to|to\s+(?=[a-z])|against|of|for|over|as)\b", re.IGNORECASE)
_AT_PLACE = re.compile(r"\b(?:at|in|before)\s+(?:the\s+)?$", re.IGNORECASE)
_TOWARDS = re.compile(r"\b(?:to|against|in|into|at)\s+(?:the\s+)?$", re.IGNORECASE)
_PREPOSITION = re.compile(r"\b(?:with|to|against|on|of|from|for|in|at|by)\s+(?:the\s+)?$", re.IGNORECASE)
# "of" after a body of people names whose they are, not an object: "the delegation of the X
# party on a visit to …" is the party's visit.
_MEMBERS_OF = re.compile(
    r"\b(?:delegations?|delegates|group|troupe|team|members|representatives?|envoys?|leaders?|heads?)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# What a tribute publishes, and what makes a publication no tribute.
_PUBLISHED = re.compile(
    r"\b(?:works?|articles?|write-ups?|booklets?|books?|photos?|photographs?|portraits?|full\s+text|"
    r"reports?|bulletins?|special\s+(?:pages?|issues?|columns?)|reminiscences|publicity)\b",
    re.IGNORECASE,
)
_HOSTILE = re.compile(
    r"\b(?:claim\w*|slander\w*|denounc\w*|condemn\w*|accus\w*|criticis\w*|criticiz\w*|provocation\w*|"
    r"threat\w*|sanctions?|nuclear|missiles?|dictator\w*|fascis\w*|coup|crimes?|criminal|imperialis\w*|"
    r"puppets?|traitors?|aggress\w*)\b",
    re.IGNORECASE,
)
_HIS = re.compile(r"\b(?:his|her)\b", re.IGNORECASE)
_ABROAD = re.compile(r"\babroad\b|\bin\s+different\s+countries\b", re.IGNORECASE)
# A side after one of these is no publisher ("a coup staged by …", "an article on Japan").
_PUBLISHER_OBJECT = re.compile(r"\b(?:in|at|to|against|from|with|by|on|about|for)\s+(?:the\s+)?$", re.IGNORECASE)
_AT_HOME = re.compile(r"\b(?:here|in\s+Pyongyang)\b")
# How far into a sentence its opening subject's name may start ("The army and people of the ").
_OPENING = 30
# From a name to a match that ends its apposition: ", <title of a body> on a visit".
_APPOSITION_TO_MATCH = re.compile(r",[^,;:()]{1,120}?,?\s*")
_INVERTED = re.compile(r".*,\s*\Z", re.DOTALL)
_STATEMENT_TAIL = 60
# The subject of a statement's verb put after it ("…, warns the article", "…, said Rodong Sinmun").
_STATEMENT_SUBJECT = re.compile(
    r"\s+(?:the\s+)?(?:article|paper|commentary|statement|editorial|bulletin|report|spokesman|daily|"
    r"news\s+agency|magazine|[A-Z])"
)
# What opens a clause with its own subject inside a sentence, a quotation too (in the
# explanation "X visited …" the visit is X's).
_CLAUSE_OPENER = re.compile(
    r"\b(?:that|which|who|because|as\s+regards|when|while)\s+|(?<=\s)[\"“](?=[A-Za-z])", re.IGNORECASE
)
# "… issued statements in support of the joint New Year editorial": what is supported is after
# the match, or nowhere; never the co-signers listed before it.
_IN_SUPPORT = re.compile(r"in\s+support\s+of\b", re.IGNORECASE)
# A clause that opens a sentence before its subject, up to its comma ("Availing himself of
# the opportunity of celebrating the anniversary of the DPRK, the president …", "Despite the
# DPRK's warning, the U.S. …", "Praising the President as …, the chairman said"): the sides
# it names do not act in the clause after it.
_OPENING_CLAUSE = re.compile(
    r"\s*(?!(?:According|Leading)\b)(?:[A-Z][a-z]+ing|Under|Despite|In\s+spite\s+of|Upon|After|Before)\b"
    # not "Leaving here today were …": the subject put after its verb
    r"(?![^,;:]*\b(?:were|was)\b)[^,;:]{1,200}?,\s+"
)
#: The words that may come between an opening clause and the name of its main subject ("the
#: chairman of the", "a delegation of the").
_SUBJECT_LEAD = re.compile(r"(?:(?:the|an?)\s+)?(?:(?:[\w-]+\s+){0,5}?(?:of|from)\s+(?:the\s+)?)?")
_BY_AFTER = re.compile(r"\bby\b")
# Right after praise, home named bare ("support the Korean people in their …"), not Koreans abroad.
_KOREANS_OBJECT = re.compile(
    r"\s+(?:the\s+)?(?:Korean\s+(?:people|nation)|Koreans)\b(?!\s+(?:in|living|resident)\b(?!\s+their))"
)
# Right after a publishing verb, the countries it was done in ("given publicity in Laos, Peru").
_IN_PLACES = re.compile(r"\s+in\s+(?:the\s+)?")
# From "… by" to the critic it names: "by China", "by the Chinese Paper", "by Paper of Trinidad".
_BY_LEAD = re.compile(r"\s*(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,2}?(?:(?:of|from|in)\s+(?:the\s+)?)?", re.IGNORECASE)
# "… to the U.S. president", "to Japan": a side something is sent on to (``_senders``).
_TO_SIDE = re.compile(r"\bto\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def trigger_pairs(occurrence: Occurrence) -> list[tuple[Side, Side]]:
    """The (actor, target) pairs of a trigger match: one per pair of countries, in order,
    none domestic."""
    actors, targets = _READERS[occurrence.trigger.voice](occurrence)
    pairs: list[tuple[Side, Side]] = []
    seen: set[tuple[str | None, str | None]] = set()
    for actor in actors:
        for target in targets:
            if actor.country is None and target.country is None:
                continue
            if side_key(actor.country) == side_key(target.country):
                continue  # domestic (E2)
            key = (actor.country, target.country)
            if key not in seen:
                seen.add(key)
                pairs.append((actor, target))
    return pairs


# -- active voices: the subject acts on what follows -----------------------------------------


def _active(o: Occurrence) -> Sides:
    """``active``, ``nearest`` and ``possessor``: the subject before the match acts on the
    mentions after it; a statement's verb after a comma ("…, warns the article") has its
    subject after it and what it says of before it."""
    if (
        o.trigger.type.speaker
        and _INVERTED.match(o.text[max(0, o.start - 3) : o.start])
        and not o.text[o.start : o.end].split(" ", 1)[0].endswith("ing")  # "…, paying tribute to X": a participle
        and _STATEMENT_SUBJECT.match(o.text, o.end)
        and len(o.text) - o.end <= _STATEMENT_TAIL  # "…, warns the article." closes the sentence
    ):
        return _inverted_statement(o)
    opening = _OPENING_CLAUSE.match(o.text)
    if opening is not None and o.start <= len(o.text) - len(o.text.lstrip()) and o.trigger.voice == "active":
        # the participle that opens the sentence is the trigger ("Praising the President as
        # …, the chairman of a party of Brazil said"): who acts is the clause's subject
        main = _main_subject(o, opening.end())
        actor = side(main) if main is not None else (o.speaker if o.trigger.type.speaker else None)
        objects = [m for m in o.sentence.mentions if o.end <= m.start and m.end <= opening.end()]
        if actor is not None and objects:
            return [actor], [side(m) for m in coordinated(o.text, objects, actor.country)]
    subject = _active_subject(o, opening)
    passive = _headline_passive(o)
    actors = _active_actors(o, subject, passive)
    if subject is not None and o.trigger.voice == "active" and actors == [side(subject)]:
        # "Figure skaters of Russia, France and the Czech Republic arrived here": each (E5)
        listed = [m for m in o.sentence.mentions if subject.start <= m.start and m.end <= o.start]
        actors = [side(m) for m in coordinated(o.text, listed, None)] or actors
    return actors, _active_targets(o, actors, passive)


def _inverted_statement(o: Occurrence) -> Sides:
    """ "The Lee group … will be reduced to ashes by …, warns the article": the speaker named
    after the verb (else the voice) says it of the sides named before it."""
    after = o.following()
    actor = side(after[0]) if after and after[0].start - o.end <= 6 else o.speaker
    key = side_key(actor.country)
    return [actor], [side(m) for m in o.sentence.mentions if m.end <= o.start and side_key(m.country) != key]


def _active_subject(o: Occurrence, opening: re.Match[str] | None) -> Mention | None:
    """The mention that acts: the sentence's first before the match, or after the clause that
    ``opening`` says opens the sentence; for ``possessor`` the person named last before it;
    for ``nearest`` the mention right before it."""
    mentions = o.sentence.mentions
    subject = first_before(o.sentence, o.start)
    if opening is not None and subject is not None and subject.start < opening.end() <= o.start:
        # "Despite the DPRK's warning, the U.S. has persisted …": the subject is after the
        # opening clause, or unnamed ("…, the president in his message extended …")
        subject = _main_subject(o, opening.end())
        if subject is not None and subject.end > o.start:
            subject = None
    if subject is not None and (o.trigger.type.speaker or o.trigger.type.name == "visit"):
        # "… as regards the fact that traitor Lee Myung Bak praised …": the clause's subject
        clause = None
        for opener in _CLAUSE_OPENER.finditer(o.text, subject.end, o.start):
            clause = opener
        if clause is not None and o.trigger.type.name == "visit" and clause.group().strip().lower() in ("who", "which"):
            comma = o.text.rfind(",", clause.end(), o.start)
            if comma >= 0 and not any(comma < m.start < o.start for m in mentions):
                # "Takashi Nada, … who is chairman of the committee for … Kim Il Sung, arrived
                # here": the relative clause closed before the verb, whose subject is the name
                clause = None
        if clause is not None:
            subject = next((m for m in mentions if clause.end() <= m.start and m.end <= o.start), subject)
    if o.trigger.voice == "possessor":
        subject = next((m for m in reversed(mentions) if m.end <= o.start and m.type == "person"), subject)
    if o.trigger.voice == "nearest":
        # the nearest mention before the match that is not the object of a preposition
        # ("… relations with Israel and will take other sanctions" is no threat by Israel),
        # else the one that opens the sentence ("The army and people of the DPRK … will")
        first = subject
        subject = next(
            (
                m
                for m in reversed(mentions)
                if m.end <= o.start
                and (
                    not _PREPOSITION.search(o.text, max(0, m.start - 12), m.start)
                    or _MEMBERS_OF.search(o.text, max(0, m.start - 30), m.start)
                )
            ),
            None,
        )
        if subject is None and first is not None and first.start <= _OPENING:
            subject = first
        # a person whose apposition the match ends ("from Andrey Denisov, first deputy foreign
        # minister of Russia on a visit to the DPRK"): that person, whatever precedes them
        described = next((m for m in reversed(mentions) if m.type == "person" and m.end <= o.start), None)
        if described is not None and _APPOSITION_TO_MATCH.fullmatch(o.text, described.end, o.start):
            subject = described
    return subject


def _main_subject(o: Occurrence, clause: int) -> Mention | None:
    """The mention that opens the clause at ``clause`` (its subject), if a name or a post of
    one opens it ("…, a delegation of the Cambodian government visited"): none for "…, he
    said" or "…, the president in his message extended …"."""
    first = next((m for m in o.sentence.mentions if clause <= m.start), None)
    if first is None or _SUBJECT_LEAD.fullmatch(o.text, clause, first.start) is None:
        return None
    return first


def _headline_passive(o: Occurrence) -> bool:
    """A headline in the passive without "by" ("S. Korea's … Campaign Blasted", "Japan Warned
    not to Act Rashly"): the speaker says it of what the headline names before the verb."""
    if not o.trigger.type.speaker:
        return False
    if _HEADLINE_END.match(o.text, o.end) and not o.following():
        return True
    if _attribution(o) is not None:
        return True  # "US 'Engagement' Policy Slashed--Rodong Sinmun"
    if o.sentence.start != 0 or not o.text.endswith("ed", o.start, o.end):
        return False
    complement = _PASSIVE_COMPLEMENT.match(o.text, o.end)
    if complement is None or _BY_AFTER.search(o.text, o.end) is not None:
        return False
    if complement.group().split()[0].lower() == "to":
        # "Warned to Act": a threat's complement; "Opposed to U.S. …", "Exposed to Violence"
        # are no denunciations by the speaker
        return o.trigger.type.name == "threaten" and not any(m.start == complement.end() for m in o.sentence.mentions)
    return True


def _attribution(o: Occurrence) -> Mention | None:
    """The speaker a headline names after its passive verb and a dash or a colon ("US
    'Engagement' Policy Slashed--Rodong Sinmun", "… Slammed: KCNA"), if it does."""
    if o.sentence.start != 0:
        return None
    dash = _ATTRIBUTED.match(o.text, o.end)
    if dash is None:
        return None
    named = o.following()
    if len(named) != 1 or named[0].start != dash.end() or not _SPEAKER_TAIL.match(o.text, named[0].end):
        return None
    return named[0]


def _active_actors(o: Occurrence, subject: Mention | None, passive: bool) -> list[Side]:
    kind = o.trigger.type
    if passive:
        said = _attribution(o)
        return [side(said) if said is not None else o.speaker]  # of the targets before (below)
    if subject is not None and (subject.country is not None or not o.trigger.home_actor):
        return [side(subject)]
    if subject is None and o.subject_fallback is not None:
        return [side(o.subject_fallback)]
    if o.trigger.home_actor:
        return [o.home]
    if kind.speaker and not _unknown_headline_subject(o):
        return [o.speaker]
    return []


def _unknown_headline_subject(o: Occurrence) -> bool:
    """Whether a headline's verb follows words that name a side the data do not know
    ("Hezbollah Condemns U.S. Sanctions on Syria", "Abbas Slams Israel's New Settlement
    Plan", "AL General Secretary Condemns …"): the critic is not the story's speaker, and
    the body names it. Words for home's own speakers ("Foreign Ministry Spokesman",
    "Korean People", "Papers") leave it the speaker's."""
    if o.sentence.start != 0 or side_key(o.speaker.country) != side_key(o.home.country):
        return False  # a foreign voice the story is told in says it ("Salam Fayyad … said")
    lead = [word.strip("\"'’,") for word in o.text[: o.start].split()]
    return (
        bool(lead)
        and all(word[:1].isupper() or word in _HEADLINE_LOWER for word in lead)
        and lead[0][:1].isupper()
        and _HOME_SPEAKERS.isdisjoint(word.removesuffix("'s") for word in lead)
    )


def _active_targets(o: Occurrence, actors: list[Side], passive: bool) -> list[Side]:
    """``passive``: a headline's passive verb (``_headline_passive``), whose targets are before it."""
    kind = o.trigger.type
    found = [] if passive else o.following()
    actor_country = actors[0].country if actors else None
    if kind.name == "visit" and _HOME_PLACE.match(o.text, o.end):
        return [o.home]
    if kind.many_targets:
        # a place is no target ("Praised in Peru", "rejects the U.S. policy at UN"); "at" a
        # country is the verb's object ("lashed out at the U.S."); a side "against" whom the
        # praised or denounced acted is neither ("crime … against S. Korean old couple")
        found = [
            m
            for m in found
            if not _at_place(o.text, m)
            and (
                not _OPPOSED.search(o.text, max(0, m.start - 40), m.start)
                # "Russia Warns against U.S. Moves": what one warns against is the side warned
                or (kind.name == "threaten" and _WARNED_AGAINST.fullmatch(o.text, o.end, m.start) is not None)
            )
            and not harmed(o.text, m)
            # "denounce their provocative act and positively support the statement of … the
            # DPRK": what a verb of the other kind names is no object of this one
            and not (kind.name == "denounce" and _SUPPORTING.search(o.text, o.end, m.start))
        ]
        if kind.name == "praise":
            # praise goes to what the verb names and what is listed with it ("praised Kim Jong
            # Il as the leader who turned Korea, which defeated the U.S. …" praises no U.S.)
            found = coordinated(o.text, found, actor_country)
        targets = [side(m) for m in found]
    else:
        if kind.name == "visit":
            # a journey ends in a country: a body of no country is only the occasion ("after
            # the NAM meeting in Egypt")
            found = [m for m in found if m.country is not None] or found
        targets = [side(m) for m in coordinated(o.text, found, actor_country)]
    if not targets and kind.many_targets and actors and not _IN_SUPPORT.match(o.text, o.start):
        # "if the U.S. ignites a war, the DPRK will react with just war": the target before;
        # praise only of home ("… the DPRK. Its plan is fully supported"): a foreign side
        # named before praise with no object is its speaker or the setting far more often
        # ("Kim Il Sung … supported the progressive people", said the Nepali party leader)
        home = side_key(o.home.country)
        targets = [
            side(m)
            for m in o.sentence.mentions
            if m.end <= o.start
            and side_key(m.country) != side_key(actor_country)
            and not harmed(o.text, m)
            and (kind.name != "praise" or side_key(m.country) == home)
        ]
    if not targets and kind.name == "praise" and o.about is not None and _PRONOUN_OBJECT.match(o.text, o.end):
        targets = [o.about]  # "paid tribute to them" in a story of the statues of the title's leaders
    if (
        not targets
        and kind.name == "praise"
        and _KOREANS_OBJECT.match(o.text, o.end)
        and not any(side_key(a.country) in o.home_targets for a in actors)
    ):
        targets = [o.home]  # "support the Korean people in their …", by no side home denounced
    if (
        not targets
        and kind.name == "threaten"
        and o.trigger.voice == "nearest"
        and o.adversary is not None
        and side_key(o.adversary.country) != side_key(actor_country)
    ):
        # "The army and people of the DPRK will wipe out the boss of the rat-like traitors":
        # enemies it does not name are the side the story denounced last
        targets = [o.adversary]
    if not targets and o.trigger.home_target:
        targets = [o.home]
    return targets


def _at_place(text: str, mention: Mention) -> bool:
    found = _AT_PLACE.search(text, max(0, mention.start - 12), mention.start)
    return found is not None and (found.group().lower().startswith("in") or mention.type == "organization")


# -- the other voices -------------------------------------------------------------------------


def _passive(o: Occurrence) -> Sides:
    """``passive``: what follows the match ("… by X", "… from X and Y": the sides
    coordinated with the first) acts on the subject, else on home."""
    found = o.following()
    subject = first_before(o.sentence, o.start)
    if o.trigger.type.name == "meeting" and subject is not None:
        # "X received Y, who paid a courtesy call on him": the host is the actor (E9)
        return [side(subject)], ([side(found[0])] if found else [])
    # a side named inside the first's name ("… Korean Residents in Japan (Chongryon)") is
    # no second sender
    outer = [m for i, m in enumerate(found) if not any(n.start <= m.start and m.end <= n.end for n in found[:i])]
    if o.trigger.type.name == "denounce" and (
        subject is None or not outer or _BY_LEAD.fullmatch(o.text, o.end, outer[0].start) is None
    ):
        # "UFG Censured by German Organization" names no side censured; "ridiculed by the world
        # people as … kowtowing to the U.S." no critic: the side after is not who speaks
        return [], []
    actors = [side(m) for m in coordinated(o.text, outer, None)]
    return actors, [side(subject)] if subject is not None else [o.home]


def _placed(o: Occurrence) -> Sides:
    """``placed``: a headline's verb "in" a place ("… Lauded in Russia", "U.S. War Plan
    Denounced in S. Korea"): the place named after the match says it of the subject; with no
    subject, of home when the trigger says so (praised "Feats" are home's), else of nobody
    ("Unpopular Education Policy Denounced in S. Korea" names no side)."""
    found = o.following()
    if not found:
        return [], []
    before = [m for m in o.sentence.mentions if m.end <= o.start]
    # a side after "to", "against" or "in" is a destination, a victim or a place ("Troop
    # Dispatch to Iraq", "War Exercises Targeted against DPRK"), and an "Anti-" side the
    # victim: not what is blamed or praised ("of" is kept: "Exploits of Kim Jong Il")
    subjects = [
        m
        for m in before
        if not _TOWARDS.search(o.text, max(0, m.start - 12), m.start) and not o.text.endswith("Anti-", 0, m.start)
    ]
    if subjects:
        return [side(found[0])], [side(subjects[0])]
    return ([side(found[0])], [o.home]) if o.trigger.home_target else ([], [])


def _inverted(o: Occurrence) -> Sides:
    """``inverted``: the mentions after the match act on home."""
    return [side(m) for m in o.following()], [o.home]


def _adopted(o: Occurrence) -> Sides:
    """``adopted``: a message adopted at a gathering goes to the first side named after the
    match from the place named after it ("… was adopted at the meeting in Denmark"), else from
    the story's foreign party."""
    found = o.following()
    if not found:
        return [], []
    target = found[0]
    place = next((m for m in found[1:] if _AT_PLACE.search(o.text, max(0, m.start - 8), m.start)), None)
    if place is not None:
        return [side(place)], [side(target)]
    subject = first_before(o.sentence, o.start)  # an international gathering adopting its own letter
    if subject and subject.country is None and subject.known and o.text[: subject.start].strip() in ("", "The"):
        return [side(subject)], [side(target)]
    return ([o.guest] if o.guest is not None else []), [side(target)]


def _guests(o: Occurrence) -> Sides:
    """``guests``: the countries listed after the match visit home, unless the sentence places
    the occasion abroad ("in Cuba", "abroad")."""
    text = o.text
    home = side_key(o.home.country)
    if _ABROAD.search(text) or any(
        side_key(m.country) != home and _AT_PLACE.search(text, max(0, m.start - 8), m.start)
        for m in o.sentence.mentions
    ):
        return [], []
    listed = coordinated(text, [m for m in o.following() if m.type == "country"], None)
    return [side(m) for m in listed], [o.home]


def _senders(o: Occurrence) -> Sides:
    """``senders``: what came "from" the sides named after the match ("Floral baskets came
    from the leader of the Nepal party and the mayor of Nakhodka of Russia", "Laid before the
    portraits were floral baskets from …") was sent to home, unless the sentence sends it
    "to" another side ("a message from Putin to the U.S. president", "messages came to the
    embassy of Japan from …"), or the first sender is home ("wreaths from the Presidium of
    the DPRK Supreme People's Assembly" laid at an embassy here)."""
    after = [m for m in o.following() if m.country is not None]
    home = side_key(o.home.country)
    if not after or side_key(after[0].country) == home:
        return [], []
    # what came "to" a side named inside the match ("messages came to the Central Committee
    # of the WPK from …") went to home only if that side is home's
    if any(
        m.country is not None and side_key(m.country) != home
        for m in o.sentence.mentions
        if o.start <= m.start and m.end <= o.end
    ):
        return [], []
    if any(side_key(m.country) != home and _TO_SIDE.search(o.text, max(0, m.start - 16), m.start) for m in after):
        return [], []
    return [side(m) for m in after], [o.home]


def _tribute(o: Occurrence) -> Sides:
    """``tribute``: a foreign side publishes something in honour of home ("Kim Jong Il's work
    was brought out in booklet by the Dar Damascus Publishing House of Syria", "The Nepali
    paper Arpan edited an article titled …with his photo"): the publisher is the first foreign
    side before the match, or after it ("by X"), else a foreign voice; home is the target when
    the sentence names it or speaks of the person the story is about ("his work")."""
    text = o.text
    if not _PUBLISHED.search(text) or _HOSTILE.search(text):
        return [], []
    home = side_key(o.home.country)
    if any(m.type == "organization" and side_key(m.country) == home for m in o.sentence.mentions if m.end <= o.start):
        return [], []  # home's own medium publishes ("says Rodong Sinmun in an article carried …")
    actor = next(
        (
            m
            for m in o.sentence.mentions
            if m.end <= o.start
            and m.country
            and side_key(m.country) != home
            and not _PUBLISHER_OBJECT.search(text, max(0, m.start - 12), m.start)
        ),
        None,
    )
    by = _BY_AFTER.search(text, o.end) if actor is None else None
    placed: list[Mention] = []
    if by is not None:  # "… was posted on the website by the Finnish National Committee …"
        actor = next((m for m in o.following() if m.start >= by.end() and m.country), None)
        actor = actor if actor is not None and side_key(actor.country) != home else None
    elif actor is None and (where := _IN_PLACES.match(text, o.end)) is not None:
        # "… were given publicity in Laos, Peru and …": each country it was published in
        listed = [m for m in o.following() if m.start >= where.end()]
        if listed and listed[0].start == where.end() and listed[0].type == "country":
            placed = [m for m in coordinated(text, listed, None) if side_key(m.country) != home]
    if actor is None and not placed and o.subject_fallback is not None and side_key(o.subject_fallback.country) != home:
        actor = o.subject_fallback  # "The bulletin carried an article …": the previous sentence's subject
    actors = [side(actor)] if actor is not None else [side(m) for m in placed]
    if not actors and side_key(o.speaker.country) != home:
        actors = [o.speaker]
    honoured = next((m for m in o.sentence.mentions if side_key(m.country) == home), None)
    if honoured is not None:
        return actors, [side(honoured)]
    if o.about is not None and _HIS.search(text):
        return actors, [o.about]
    if o.about is not None and actors and _only_publisher(o, actors[0]):
        # a story of the person's feats introduced abroad: a publication that names no other
        # side is about him ("The Nepali paper Jana Sata carried an article headlined
        # "Political idea of President Kim Il Sung"": a work's title holds no mention, G2)
        return actors, [o.about]
    return actors, []


def _only_publisher(o: Occurrence, publisher: Side) -> bool:
    """The sentence names no side but the publisher's country."""
    key = side_key(publisher.country)
    return all(side_key(m.country) == key for m in o.sentence.mentions if m.country is not None)


def _pair(o: Occurrence) -> Sides:
    """``pair``: the first two countries named after the match ("talks … between the DPRK and
    the U.S."), else from its start ("adopted the DPRK-Russia joint declaration"), else in the
    sentence."""
    mentions = o.sentence.mentions
    if o.text.startswith("agreed", o.start) or o.text.startswith("Agreed", o.start):
        # "China and Albania on Wednesday agreed to …": the parties are the subjects, named
        # before the verb ("They agreed on exchanges" names none)
        mentions = [m for m in mentions if m.end <= o.start]
        candidates: tuple[list[Mention], ...] = (mentions,)
    else:
        candidates = (o.following(), after(o.sentence, o.start, len(o.text)), mentions)
    named = next((c for c in candidates if len({side_key(m.country) for m in c if m.country}) >= 2), mentions)
    countries: list[Mention] = []
    for mention in named:
        if mention.country and all(side_key(mention.country) != side_key(m.country) for m in countries):
            countries.append(mention)
    if len(countries) == 1 and side_key(countries[0].country) != side_key(o.home.country) and _AT_HOME.search(o.text):
        # "An agreement on … with Laos was signed here": home is the other party
        return [o.home], [side(countries[0])]
    if len(countries) < 2:
        return [], []
    return [side(countries[0])], [side(countries[1])]


_READERS: dict[str, Callable[[Occurrence], Sides]] = {
    "active": _active,
    "nearest": _active,
    "possessor": _active,
    "passive": _passive,
    "placed": _placed,
    "inverted": _inverted,
    "guests": _guests,
    "senders": _senders,
    "adopted": _adopted,
    "adjacent": adjacent,
    "menaced": menaced,
    "conduct": conduct,
    "tribute": _tribute,
    "anniversary": anniversary,
    "pair": _pair,
}
