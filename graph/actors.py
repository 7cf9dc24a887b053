"""Minting named actors that are not reference entities (quoted experts, their institutions).

Rules (word lists in the ``linking`` section of ``graph/rules.yaml``):

* a person is a run of 2-4 capitalised word tokens (not a reference mention, not a stop word such
  as a month) that the text presents as a person: an apposition that starts like a role
  ("Danil Bochkov, a fellow at ...", "Velina Tchakarova, head of ...") or with a possessor and a
  title ("Sergei Shoigu, Russia's defence minister, ..."), a speech verb right after
  ("Andrei Kolesnikov urged") or right before ("said Danil Bochkov"), or a title right before
  ("Deputy Prime Minister Aleksei Kudrin"), or an apposition after a role with a title,
  before a speech verb ("Russia's ambassador to China, Igor Morgulov, said");
* the role is the apposition up to an affiliation marker ("at", "of", "from") followed by a
  capitalised name, or up to the end of the apposition; leading titles are a role too;
* the affiliation is that capitalised name (connectors "of", "for", "and" allowed inside, a
  trailing "(ACRONYM)" kept as an alias); it links to a reference entity when it is one, else it
  is minted as an institution typed by its descriptor (", a think tank") or head word;
* later short references are linked within the document: a person's first or last name token
  ("said Ferenczy", "Chinese expert Shi"), an institution's acronym ("from the AIES").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from itertools import compress, count

from entente.graph.model import MintedActor, Sentence
from entente.graph.namespaces import id_iri, slugify
from entente.graph.ruleset import AUXILIARY_WORDS, role_before
from entente.graph.tokens import Tokens
from spacy.language import Language

from entente.config import ONTOLOGY_NS

Span = tuple[int, int, str, str]  # start char, end char, iri, kind
#: a person's role and the token range of its institution (start, end, acronym token or None)
_Role = tuple[str | None, tuple[int, int, int | None] | None]


#: tokens after which a word is capitalised as the first of a sentence or quotation
_SENTENCE_OPENERS = frozenset({".", "!", "?", ":", '"', "“", "‘", "'", "(", "[", "—", "–"})
_CONNECTORS = {"of", "for", "and", "&", "on"}
_ROLE_END = {",", ".", ";", ")", "(", '"', "“", "”", ":", "—", "–"}
_POSSESSIVE_S = {"'s", "’s"}
_SENTENCE_END = {".", "!", "?"}
#: words of a clause, never of a role ("According to X, the PRC is likely to ...")
_AUXILIARIES = frozenset({*AUXILIARY_WORDS, "not"})


def _finite_verb(word: str) -> bool:
    """A lower-case word in -s or -ed (not -ss): after an actor's name, the verb of a clause
    ("the PRC supplies", "the US and China voted"); a role's noun after a name has neither
    ("the Chinese ambassador", "the EU's envoy")."""
    return (word.islower() and word.isalpha() and len(word) > 3
            and (word.endswith("ed") or word.endswith("s") and not word.endswith("ss")))


def _word(text: str) -> bool:
    return text[:1].isupper() and text.replace("-", "").isalpha() and len(text) > 1


class ActorMinter:
    def __init__(self, nlp: Language, base: str, cfg: dict) -> None:
        self.nlp = nlp
        self.base = base
        self.speech = {w.lower() for w in cfg.get("speech_verbs", [])}
        self.stop = {w.lower() for w in cfg.get("not_names", [])}
        self.adverbs = {w.lower() for w in cfg.get("sentence_adverbs", [])}
        self.titles = {w.lower() for w in cfg.get("titles", [])}
        self._role_before = role_before(sorted(self.titles)) if self.titles else None
        self.role_starts = {w.lower() for w in cfg.get("role_starts", [])}
        self.markers = {w.lower() for w in cfg.get("affiliation_markers", ["at", "of", "from"])}
        self.heads: dict[str, str] = {k.lower(): v for k, v in
                                      (cfg.get("institution_heads") or {}).items()}
        self.descriptors: dict[str, str] = cfg.get("institution_descriptors") or {}
        self._forms: dict[str, tuple[str, ...]] = {}  # alias -> its token texts

    def mint(self, sentences: list[Sentence], tokens_of: Callable[[int], Tokens],
             candidates: Iterable[int], references: list[list[Span]],
             taken_tokens: list[set[int]], text: str,
             ) -> tuple[list[MintedActor], dict[int, list[Span]]]:
        """Minted persons and institutions of the document ``text``; ``tokens_of(i)`` gives
        the tokens of sentence i (made on demand), ``references[i]`` are its reference spans
        and ``taken_tokens[i]`` the token indices they cover.  Persons are looked for in the
        ``candidates`` only (sentence positions, ascending): the others must hold no run of
        two capitalised words outside the reference spans."""
        actors: dict[str, MintedActor] = {}
        aliases: dict[str, set[str]] = {}  # surface form -> iris
        for i in candidates:
            tk, refs = tokens_of(i), references[i]
            for start, end, role in self._persons(tk, taken_tokens[i]):
                name = tk.span(start, end)
                words = tk.words
                if (tk.span(start + 1, end) in aliases or words[end - 1] in aliases
                        and name not in aliases) \
                        and (start == 0 or words[start - 1] in _SENTENCE_OPENERS) \
                        and self._adverb(words[start]):
                    # "Later Karlsson": a known person after an adverb capitalised because it
                    # opens the sentence ("Peter Volkov", after a known David Volkov, is
                    # another person, at the start of a sentence or in it)
                    continue
                iri = id_iri(self.base, "person", slugify(name))
                affiliation = None
                role_text, inst = role if role else (None, None)
                if inst is not None:
                    affiliation = self._institution(tk, inst, refs, actors, aliases)
                prev = actors.get(iri)
                if prev is None or (prev.role is None and role_text):
                    actors[iri] = MintedActor(iri=iri, kind="person", label=name,
                                              role=role_text, affiliation=affiliation,
                                              rdf_types=(ONTOLOGY_NS + "Person",))
                for form in {name, words[start], words[end - 1]}:
                    aliases.setdefault(form, set()).add(iri)
        spans = self._find(sentences, tokens_of, aliases, text)
        return [actors[k] for k in sorted(actors)], spans

    def _adverb(self, word: str) -> bool:
        """Whether a capitalised word that opens a sentence is no first name: one of the
        ``sentence_adverbs`` ("Later", "Separately"; a listed word, not every word in -ly:
        "Emily")."""
        return word.lower() in self.adverbs

    # -- persons --------------------------------------------------------------------------

    def _persons(self, tk: Tokens, taken: set[int]
                 ) -> Iterator[tuple[int, int, _Role | None]]:
        """(start token, end token, (role, institution token range) | None) per person."""
        n, text, starts, ends = tk.n, tk.text, tk.starts, tk.ends
        # capitalised word tokens (most tokens are not: the runs are found among these);
        # the first-letter test in C-level passes, on the text (no token texts needed)
        capitalised = [k for k in compress(count(), map(str.isupper, map(text.__getitem__,
                                                                          starts)))
                       if ends[k] - starts[k] > 1
                       and text[starts[k]:ends[k]].replace("-", "").isalpha()]  # _word
        is_word = set(capitalised)
        i = 0  # the tokens before i belong to runs already seen
        for first in capitalised:
            if first < i or first in taken:
                continue
            j = first
            while j < n and j not in taken and j in is_word:
                j += 1
            start, end = first, j
            i = j
            if end - start < 2:
                continue  # (leading titles only make a run shorter)
            words, lower = tk.words, tk.lower
            lead: list[str] = []
            while start < end and (lower[start] in self.titles or (  # "Chinese Vice
                    lower[start] in self.stop and start + 1 < end  # Premier Zhang Guoqing"
                    and lower[start + 1] in self.titles and lead == [] and start == first)):
                lead.append(words[start])
                start += 1
            if start < end and lower[start] in self.stop:
                continue
            if not 2 <= end - start <= 4 or any(lower[k] in self.stop
                                                for k in range(start, end)):
                continue
            if any(words[k].isupper() for k in range(start, end)):
                continue  # acronyms are not personal names
            if end < n and lower[end] in self.heads \
                    or any(lower[k] in self.heads for k in range(start, end)):
                continue  # "Renmin University": an institution, not a person
            introduced = start >= 2 and tk.span(start - 2, start).lower() in {
                "according to", "words of"}
            role = self._apposition(tk, end, introduced, taken)
            before = lower[start - 1] if start else ""
            after = lower[end] if end < n else ""
            # an apposition after its role, before a speech verb: "Russia's ambassador to
            # China, Igor Morgulov, said"
            appositive = before == "," and after == "," and end + 1 < n \
                and lower[end + 1] in self.speech and self._role_before is not None \
                and self._role_before.search(tk.text, max(0, tk.starts[start] - 80),
                                             tk.starts[start]) is not None
            if role is None and not (lead or after in self.speech or before in self.speech
                                     or before in self.titles  # "spokesman Wang Wenbin"
                                     or introduced or appositive
                                     or (start >= 2 and lower[start - 1] == "to")):
                continue
            if lead:
                role = (" ".join(lead), None) if role is None else role
            yield start, end, role

    def _apposition(self, tk: Tokens, k: int, introduced: bool = False,
                    taken: set[int] | frozenset[int] = frozenset()) -> _Role | None:
        """After a name: ", a fellow at the X" -> ("a fellow", X token range). After a name
        that "according to" (``introduced``) opens, an apposition must close before the
        sentence ends, hold no auxiliary, and not open with known actors and a verb
        (:meth:`_opens_clause`; ``taken``: the tokens of reference spans): "According to
        Anna Wang, the Chinese government proposed X.", "..., the PRC is likely to trade
        with Y, ..." and "..., the PRC supplies gas to Y, accounting for ..." have none (the
        main clause follows the comma)."""
        words, lower, n = tk.words, tk.lower, tk.n
        if k + 1 >= n or words[k] != "," or lower[k + 1] not in self.role_starts and (
                introduced or not self._possessed_title(tk, k + 1)):
            return None  # (after "According to X," a possessor opens the main clause)
        if introduced and self._opens_clause(tk, k + 1, taken):
            return None  # "the United States trades with Brazil, ...": a clause
        j = k + 1
        while j < n and words[j] not in _ROLE_END:
            if lower[j] in self.markers and j + 1 < n:
                m = j + 1
                if lower[m] == "the":
                    m += 1
                inst = self._name_run(tk, m)
                if inst:
                    if introduced and not (inst[1] < n and words[inst[1]] in _ROLE_END
                                           and words[inst[1]] not in _SENTENCE_END):
                        return None  # "According to X, the People's Republic of China
                    role = tk.span(k + 1, j)  # vetoed ...": the main clause, not a role
                    return (role or None), inst
            if lower[j] in self.speech:
                break
            j += 1
        if introduced and (j >= n or words[j] in _SENTENCE_END
                           or any(lower[i] in _AUXILIARIES for i in range(k + 1, j))):
            return None  # the main clause after "According to X," ("the PRC is likely to")
        role = tk.span(k + 1, j)
        return (role, None) if role else None

    def _possessed_title(self, tk: Tokens, j: int) -> bool:
        """Whether token j opens a possessor and a title: ", Russia's defence minister,",
        ", China's special envoy," (a title word within the three words after the "'s")."""
        words, lower, n = tk.words, tk.lower, tk.n
        if j + 2 >= n or lower[j + 1] not in _POSSESSIVE_S or not words[j][:1].isupper():
            return False
        for i in range(j + 2, min(n, j + 5)):
            if words[i] in _ROLE_END:
                return False
            if lower[i] in self.titles:
                return True
        return False

    @staticmethod
    def _opens_clause(tk: Tokens, j: int, taken: set[int] | frozenset[int]) -> bool:
        """Whether token j opens a clause: the known actors there ("the PRC", "the US and
        China": reference spans) are followed by a verb (:func:`_finite_verb`).  A role
        names no actor first, or a role's noun follows ("the Chinese ambassador"); an actor
        later in it is no subject ("a professor of China studies")."""
        lower, n = tk.lower, tk.n
        if j < n and lower[j] == "the":
            j += 1
        if j not in taken:
            return False
        while j < n:
            while j in taken:
                j += 1
            if j + 1 < n and lower[j] == "and" and j + 1 in taken:
                j += 1
                continue
            return j < n and _finite_verb(tk.words[j])
        return False

    def _name_run(self, tk: Tokens, m: int) -> tuple[int, int, int | None] | None:
        """A capitalised name from token m, connectors inside; (start, end, acronym token)."""
        words, lower, n = tk.words, tk.lower, tk.n
        j = m
        while j < n and (_word(words[j]) or words[j].isupper() and words[j].isalpha()
                         or (lower[j] in _CONNECTORS and j + 1 < n and _word(words[j + 1])
                             and j > m)):
            j += 1
        if j == m:
            return None
        acronym = None
        if j + 2 < n and words[j] == "(" and words[j + 1].isupper() and words[j + 2] == ")":
            acronym = j + 1
        return m, j, acronym

    # -- institutions ---------------------------------------------------------------------

    def _institution(self, tk: Tokens, inst: tuple[int, int, int | None], refs: list[Span],
                     actors: dict[str, MintedActor], aliases: dict[str, set[str]]) -> str | None:
        start, end, acronym = inst
        ref_at = {(s, e): iri for s, e, iri, _ in refs}  # (the last IRI of a span)
        ref = ref_at.get((tk.starts[start], tk.ends[end - 1]))
        if ref:
            return ref
        lower = tk.lower
        if not any(lower[k] in self.heads for k in range(start, end)) and acronym is None:
            return None
        name = tk.span(start, end)
        iri = id_iri(self.base, "institution", slugify(name))
        types = [ONTOLOGY_NS + "Institution"]
        tail = tk.span(acronym + 2 if acronym else end, min(tk.n, end + 12)).lower()
        tail = tail.removeprefix(",").strip()
        for article in ("a ", "an ", "the "):
            tail = tail.removeprefix(article)
        for phrase, cls in sorted(self.descriptors.items(), key=lambda d: (-len(d[0]), d[0])):
            if tail.startswith(phrase.lower()):
                types = [ONTOLOGY_NS + cls]
                break
        else:
            for k in reversed(range(start, end)):
                if lower[k] in self.heads:
                    types = [ONTOLOGY_NS + self.heads[lower[k]]]
                    break
        actors[iri] = MintedActor(iri=iri, kind="institution", label=name,
                                  rdf_types=tuple(types))
        aliases.setdefault(name, set()).add(iri)
        if acronym is not None:
            aliases.setdefault(tk.words[acronym], set()).add(iri)
        return iri

    def _find(self, sentences: list[Sentence], tokens_of: Callable[[int], Tokens],
              aliases: dict[str, set[str]], text: str) -> dict[int, list[Span]]:
        """Every occurrence of an unambiguous alias as a token sequence (what a spaCy
        ``PhraseMatcher`` on ``ORTH`` finds; the caller orders the spans), without building a
        matcher per document: alias tokens by their first token, looked for only in the
        sentences whose text holds a first token (found in the document text)."""
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for form, iris in sorted(aliases.items()):
            if len(iris) != 1 or form.lower() in self.stop or len(form) < 3:
                continue
            tokens = self._form_tokens(form)
            if tokens:
                by_first.setdefault(tokens[0], []).append((tokens, next(iter(iris))))
        out: dict[int, list[Span]] = {}
        if not by_first:
            return out
        firsts = by_first.keys()
        bounds = [s[1] for s in sentences]  # (Sentence: index, start, end, ...)
        holding: set[int] = set()  # the sentences whose text holds a first token
        for first in firsts:
            pos = text.find(first)
            while pos >= 0:
                i = bisect_right(bounds, pos) - 1
                if i >= 0 and pos + len(first) <= sentences[i][2]:
                    holding.add(i)
                pos = text.find(first, pos + 1)
        for i in sorted(holding):
            tk = tokens_of(i)
            words, n = tk.words, tk.n
            if firsts.isdisjoint(words):
                continue
            index = sentences[i][0]
            for k in compress(count(), map(by_first.__contains__, words)):
                for tokens, iri in by_first[words[k]]:
                    j = k + len(tokens)
                    if j <= n and tuple(words[k:j]) == tokens:
                        out.setdefault(index, []).append(
                            (tk.starts[k], tk.ends[j - 1], iri, "minted"))
        return out

    def _form_tokens(self, form: str) -> tuple[str, ...]:
        """The token texts of an alias (cached: the same names recur across documents)."""
        tokens = self._forms.get(form)
        if tokens is None:
            if len(self._forms) >= 100_000:
                self._forms.clear()
            tokens = self._forms[form] = tuple(t.text for t in self.nlp.make_doc(form))
        return tokens
