"""Minting named actors that are not reference entities (quoted experts, their institutions).

Rules (word lists in the ``linking`` section of ``graph/rules.yaml``):

* a person is a run of 2-4 capitalised word tokens (not a reference mention, not a stop word such
  as a month) that the text presents as a person: an apposition that starts like a role
  ("Danil Bochkov, a fellow at ...", "Velina Tchakarova, head of ..."), a speech verb right after
  ("Andrei Kolesnikov urged") or right before ("said Danil Bochkov"), or a title right before
  ("Deputy Prime Minister Aleksei Kudrin");
* the role is the apposition up to an affiliation marker ("at", "of", "from") followed by a
  capitalised name, or up to the end of the apposition; leading titles are a role too;
* the affiliation is that capitalised name (connectors "of", "for", "and" allowed inside, a
  trailing "(ACRONYM)" kept as an alias); it links to a reference entity when it is one, else it
  is minted as an institution typed by its descriptor (", a think tank") or head word;
* later short references are linked within the document: a person's first or last name token
  ("said Ferenczy", "Chinese expert Shi"), an institution's acronym ("from the AIES").
"""

from __future__ import annotations

from collections.abc import Callable

from entente.graph.model import MintedActor, Sentence
from entente.graph.namespaces import id_iri, slugify
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from entente.config import ONTOLOGY_NS

Span = tuple[int, int, str, str]  # start char, end char, iri, kind
RefFinder = Callable[[Doc], list[Span]]

_CONNECTORS = {"of", "for", "and", "&", "on"}
_ROLE_END = {",", ".", ";", ")", "(", '"', "“", "”", ":", "—", "–"}


def _word(tok) -> bool:
    return tok.text[:1].isupper() and tok.text.replace("-", "").isalpha() and len(tok.text) > 1


class ActorMinter:
    def __init__(self, nlp: Language, base: str, cfg: dict) -> None:
        self.nlp = nlp
        self.base = base
        self.speech = {w.lower() for w in cfg.get("speech_verbs", [])}
        self.stop = {w.lower() for w in cfg.get("not_names", [])}
        self.titles = {w.lower() for w in cfg.get("titles", [])}
        self.role_starts = {w.lower() for w in cfg.get("role_starts", [])}
        self.markers = {w.lower() for w in cfg.get("affiliation_markers", ["at", "of", "from"])}
        self.heads: dict[str, str] = {k.lower(): v for k, v in
                                      (cfg.get("institution_heads") or {}).items()}
        self.descriptors: dict[str, str] = cfg.get("institution_descriptors") or {}

    def mint(self, parsed: list[tuple[Sentence, Doc]],
             references: RefFinder) -> tuple[list[MintedActor], dict[int, list[Span]]]:
        actors: dict[str, MintedActor] = {}
        aliases: dict[str, set[str]] = {}  # surface form -> iris
        for _sent, sdoc in parsed:
            refs = references(sdoc)
            taken = {i for s, e, _, _ in refs for i in _tokens(sdoc, s, e)}
            ref_at = {(s, e): iri for s, e, iri, _ in refs}
            for start, end, role in self._persons(sdoc, taken):
                name = sdoc[start:end].text
                if sdoc[start + 1:end].text in aliases or sdoc[end - 1].text in aliases \
                        and name not in aliases:
                    continue  # "Later Karlsson": a known person after a capitalised word
                iri = id_iri(self.base, "person", slugify(name))
                affiliation = None
                role_text, inst = role if role else (None, None)
                if inst is not None:
                    affiliation = self._institution(sdoc, inst, ref_at, actors, aliases)
                prev = actors.get(iri)
                if prev is None or (prev.role is None and role_text):
                    actors[iri] = MintedActor(iri=iri, kind="person", label=name,
                                              role=role_text, affiliation=affiliation,
                                              rdf_types=(ONTOLOGY_NS + "Person",))
                for form in {name, sdoc[start].text, sdoc[end - 1].text}:
                    aliases.setdefault(form, set()).add(iri)
        spans = self._find(parsed, aliases)
        return [actors[k] for k in sorted(actors)], spans

    # -- persons --------------------------------------------------------------------------

    def _persons(self, sdoc: Doc, taken: set[int]):
        """(start token, end token, (role, institution token range) | None) per person."""
        i, n = 0, len(sdoc)
        while i < n:
            if i in taken or not _word(sdoc[i]):
                i += 1
                continue
            j = i
            while j < n and j not in taken and _word(sdoc[j]):
                j += 1
            run = (i, j)
            i = j
            start, end = run
            lead: list[str] = []
            while start < end and sdoc[start].lower_ in self.titles:
                lead.append(sdoc[start].text)
                start += 1
            if start < end and sdoc[start].lower_ in self.stop:
                continue
            if not 2 <= end - start <= 4 or any(sdoc[k].lower_ in self.stop
                                                for k in range(start, end)):
                continue
            if any(sdoc[k].text.isupper() for k in range(start, end)):
                continue  # acronyms are not personal names
            if end < n and sdoc[end].lower_ in self.heads:
                continue  # "Renmin University": an institution, not a person
            role = self._apposition(sdoc, end)
            before = sdoc[start - 1].lower_ if start else ""
            after = sdoc[end].lower_ if end < n else ""
            if role is None and not (lead or after in self.speech or before in self.speech
                                     or (start >= 2 and sdoc[start - 2:start].text.lower()
                                         in {"to", "according to", "words of"})):
                continue
            if lead:
                role = (" ".join(lead), None) if role is None else role
            yield start, end, role

    def _apposition(self, sdoc: Doc, k: int):
        """After a name: ", a fellow at the X" -> ("a fellow", X token range)."""
        n = len(sdoc)
        if k + 1 >= n or sdoc[k].text != "," or sdoc[k + 1].lower_ not in self.role_starts:
            return None
        j = k + 1
        while j < n and sdoc[j].text not in _ROLE_END:
            if sdoc[j].lower_ in self.markers and j + 1 < n:
                m = j + 1
                if sdoc[m].lower_ == "the":
                    m += 1
                inst = self._name_run(sdoc, m)
                if inst:
                    role = sdoc[k + 1:j].text
                    return (role or None), inst
            if sdoc[j].lower_ in self.speech:
                break
            j += 1
        role = sdoc[k + 1:j].text
        return (role, None) if role else None

    def _name_run(self, sdoc: Doc, m: int) -> tuple[int, int, int | None] | None:
        """A capitalised name from token m, connectors inside; (start, end, acronym token)."""
        n = len(sdoc)
        j = m
        while j < n and (_word(sdoc[j]) or sdoc[j].text.isupper() and sdoc[j].is_alpha
                         or (sdoc[j].lower_ in _CONNECTORS and j + 1 < n and _word(sdoc[j + 1])
                             and j > m)):
            j += 1
        if j == m:
            return None
        acronym = None
        if j + 2 < n and sdoc[j].text == "(" and sdoc[j + 1].text.isupper() \
                and sdoc[j + 2].text == ")":
            acronym = j + 1
        return m, j, acronym

    # -- institutions ---------------------------------------------------------------------

    def _institution(self, sdoc: Doc, inst: tuple[int, int, int | None], ref_at: dict,
                     actors: dict[str, MintedActor], aliases: dict[str, set[str]]) -> str | None:
        start, end, acronym = inst
        span = sdoc[start:end]
        ref = ref_at.get((span.start_char, span.end_char))
        if ref:
            return ref
        if not any(t.lower_ in self.heads for t in span) and acronym is None:
            return None
        name = span.text
        iri = id_iri(self.base, "institution", slugify(name))
        types = [ONTOLOGY_NS + "Institution"]
        tail = sdoc[acronym + 2 if acronym else end:min(len(sdoc), end + 12)].text.lower()
        tail = tail.removeprefix(",").strip()
        for article in ("a ", "an ", "the "):
            tail = tail.removeprefix(article)
        for phrase, cls in sorted(self.descriptors.items(), key=lambda d: (-len(d[0]), d[0])):
            if tail.startswith(phrase.lower()):
                types = [ONTOLOGY_NS + cls]
                break
        else:
            for t in reversed(span):
                if t.lower_ in self.heads:
                    types = [ONTOLOGY_NS + self.heads[t.lower_]]
                    break
        actors[iri] = MintedActor(iri=iri, kind="institution", label=name,
                                  rdf_types=tuple(types))
        aliases.setdefault(name, set()).add(iri)
        if acronym is not None:
            aliases.setdefault(sdoc[acronym].text, set()).add(iri)
        return iri

    def _find(self, parsed: list[tuple[Sentence, Doc]],
              aliases: dict[str, set[str]]) -> dict[int, list[Span]]:
        matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        keys: dict[str, str] = {}
        for form, iris in sorted(aliases.items()):
            if len(iris) != 1 or form.lower() in self.stop or len(form) < 3:
                continue
            key = f"A{len(keys)}"
            keys[key] = next(iter(iris))
            matcher.add(key, [self.nlp.make_doc(form)])
        out: dict[int, list[Span]] = {}
        if not keys:
            return out
        for sent, sdoc in parsed:
            for key, s, e in matcher(sdoc):
                span = sdoc[s:e]
                out.setdefault(sent.index, []).append(
                    (span.start_char, span.end_char, keys[self.nlp.vocab.strings[key]], "minted"))
        return out


def _tokens(sdoc: Doc, start: int, end: int) -> range:
    span = sdoc.char_span(start, end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)
