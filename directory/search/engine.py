"""Answer a SearchQuery: place, facets and words over the catalogue, then one page of hits.

The order of work keeps every step proportional to what can still match:

0. listings not confirmed within ``hide_after`` of the search's moment leave the base mask
   (they come back once confirmed: confirming moves their freshness);
1. the place becomes a mask (a bounding box, then exact great-circle distances inside it;
   online groups join unless ``online`` is off);
2. the words become a mask (``builder.build_plan``): postings and synonyms are scattered
   into arrays, never scored yet;
3. facet selections become masks; each facet is counted over every other mask;
4. only the listings left are scored (BM25 over the words' postings) or ordered by
   distance or next meeting, and only the page shown is read from the index's stored fields.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import numpy as np

from directory.search import builder, facets, hits, locating, places, ranking, spelling
from directory.search.healing import SearchRebuilding
from directory.search.query import FACET_PARAMS, QueryError, SearchQuery, SearchResult
from directory.search.query_words import Exclusion
from directory.search.schema import TEXT_FIELDS
from directory.search.spelling import single_deletes
from directory.search.views import READ_ERRORS, IndexViews, View
from directory.search.vocabulary import Vocabulary

#: How many topics' and audiences' text matches a view keeps (each a few arrays).
MAX_CONCEPT_TEXTS = 128


class SearchEngine(IndexViews):
    """Search the listing index; one per app, shared by its threads, refreshed on change."""

    def __init__(
        self, index_path: str, session_factory: Callable, wait_seconds: float = 2.0,
        hide_after: dt.timedelta | None = None,
    ):  # fmt: skip
        super().__init__(index_path, session_factory, wait_seconds)
        #: How long after its last confirmation a listing leaves search (None: never).
        self.hide_after = hide_after

    # --- searching ----------------------------------------------------------------------

    def search(self, query: SearchQuery, now: dt.datetime | None = None) -> SearchResult:
        """Return one page of listings for ``query``, with facet counts and the place.

        Raises QueryError for a facet value the directory does not know.
        """
        return self._read(query, now, None)

    def ids_for(
        self, query: SearchQuery, limit: int | None = None, now: dt.datetime | None = None
    ) -> list[int]:
        """Return the ids of the listings ``query`` finds, in its order, to ``limit`` (or all).

        The ids its pages show, one page after another (``page`` and ``per_page`` aside), read
        in one search. Raises QueryError for a facet value it does not know, or a place
        that names no one place (the ``PlaceProblem``'s message).
        """
        return self._read(query, now, math.inf if limit is None else max(0, limit))

    def _read(self, query: SearchQuery, now: dt.datetime | None, first):
        now = now or dt.datetime.now(dt.UTC)
        for _attempt in range(2):  # the view in use, then a newer generation if one opens
            view = self._current()
            try:
                return self._search(view, query, now, first)
            except QueryError:
                raise
            except READ_ERRORS:
                self._distrust(view)
        raise SearchRebuilding()

    def _search(self, view: View, query: SearchQuery, now: dt.datetime, first=None):
        """Return one page of ``query`` as a SearchResult; with ``first``, the first ids only."""
        vocabulary = view.vocabulary
        catalogue = view.catalogue
        chosen = self._chosen(query, vocabulary)
        result = SearchResult(query=query, total=0, hits=[], facets={})

        place = locating.resolve(query)
        if isinstance(place, locating.PlaceProblem):
            if first is not None:
                raise place.error()
            result.place_problem = place
            return result
        result.place = place
        radius = query.radius_miles
        base = catalogue.alive.copy()
        if self.hide_after is not None:
            base &= catalogue.fresh >= (now - self.hide_after).timestamp()
        asked = query.words
        if asked.excluded:  # "-word", "not word": listings using it are left out everywhere
            base &= ~self._excluded_mask(view, asked.excluded)
        anywhere = base.copy()  # before the place: where the nearest in-person groups are
        local = distance = None
        if place is not None:
            local, distance = places.within_reach(catalogue, view.located, place, radius)
            base &= local | (view.remote if query.online else False)
        elif not query.online:
            base &= ~view.placeless

        plan = self._plan(asked.text, view) if asked.text else None
        text = None
        matches: list[np.ndarray] = []
        if plan is not None and not plan.empty:
            result.suggestion = asked.with_text(plan.suggestion) if plan.suggestion else None
            matches = [self._clause_mask(view, c) for c in plan.clauses if not c.optional]
            text = np.logical_and.reduce(matches)
        elif query.q:
            result.ignored = asked.ignored
            if not asked.excluded:  # nothing to look for: say so rather than list everything
                text = np.zeros(catalogue.size, dtype=bool)
        masks = {facet: facets.selection_mask(catalogue, facet, values)
                 for facet, values in chosen.items()}  # fmt: skip
        selected = np.logical_and.reduce([base, *masks.values()]) if masks else base
        final = selected & text if text is not None else selected
        if len(matches) > 1 and not final.any():
            some = np.logical_or.reduce(matches)
            if (selected & some).any():  # "some of your words" only ever above some groups
                text, final = some, selected & some
                result.relaxed = True
        filtered = base & text if text is not None else base
        if place is not None:
            self._count_reach(view, result, final, local, place, anywhere, text, masks)

        docs = np.flatnonzero(final)
        result.total = len(docs)
        if first is None:
            result.facets = self._facets(view, filtered, masks, chosen)
            start = (query.page - 1) * query.per_page
            wanted = start + query.per_page
        else:
            start, wanted = 0, int(min(first, len(docs)))
        if start >= len(docs) or wanted == 0:
            return result if first is None else []
        sort = query.effective_sort
        if sort == "relevance" and (plan is None or plan.empty):
            sort = "distance" if place is not None else "soonest"
        if sort == "relevance":
            score = ranking.scores(
                catalogue, plan, final, lambda concept: self._concept_docs(view, concept),
                lambda concept: self._concept_text(view, concept),
            )  # fmt: skip
            order = self._by_relevance(catalogue, score, docs, local, distance, radius, wanted)
        elif sort == "distance":
            hits.refresh_next(view, self._lock, docs[~local[docs]], now)
            order = ranking.by_distance(catalogue, docs, local, distance, wanted)
        else:
            hits.refresh_next(view, self._lock, docs, now)
            order = ranking.by_soonest(catalogue, docs, distance, wanted)
        page = order[start:wanted]
        if first is not None:
            return catalogue.gid[page].astype(int).tolist()
        viewer_zone = query.tz or (place.timezone if place is not None else None)
        result.hits = [
            hits.hit(view, self._lock, int(doc), place, local, distance, viewer_zone, now)
            for doc in page
        ]
        return result

    # --- the parts of a search ------------------------------------------------------------

    def _chosen(self, query: SearchQuery, vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
        chosen = {}
        for facet, values in query.facets.items():
            param = FACET_PARAMS[facet]
            if facet == "org":
                for value in values:
                    if not (value.isascii() and value.isdigit()) or len(value) > 9:
                        raise QueryError(param, f"'{value[:40]}' is not an organisation number")
                resolved = tuple(str(int(v)) for v in values)
            else:
                resolved = tuple(vocabulary.resolve(facet, param, value) for value in values)
            chosen[facet] = tuple(dict.fromkeys(resolved))
        return chosen

    def _plan(self, q: str, view: View) -> builder.TextPlan:
        vocabulary = view.vocabulary

        def neighbours(term: str) -> set[str]:
            found = self.speller.neighbours(term)
            for variant in {term, *single_deletes(term)}:
                found.update(view.vocabulary_neighbours.get(variant, ()))
            return found

        return builder.build_plan(
            q, view.catalogue.df, neighbours, vocabulary.concepts, self._surface_for(view)
        )

    def _surface_for(self, view: View):
        """Return the word to offer for a corrected term: the taxonomy's or a listing's prose."""
        vocabulary = view.vocabulary
        catalogue = view.catalogue

        def surface(term: str) -> str | None:
            if term in vocabulary.surfaces:
                word = vocabulary.surfaces[term]
                return word if spelling.offerable(word) else None
            for field in ("name", "body", "org", "place"):
                ids, _tf = catalogue.postings(field, term)
                for doc in ids[:3].tolist():
                    with self._lock:
                        stored = view.searcher.stored_fields(int(doc))["doc"]
                    text = f"{stored['name']} {stored.get('description', '')} {stored['org']}"
                    word = spelling.surface_in(text, term)
                    if word:
                        return word
            return None

        return surface

    def _excluded_mask(self, view: View, excluded: tuple[Exclusion, ...]) -> np.ndarray:
        """Return the listings whose name or description uses a word the search leaves out."""
        catalogue = view.catalogue
        mask = np.zeros(catalogue.size, dtype=bool)
        for exclusion in excluded:
            every = None
            for term in exclusion.terms:
                found = np.zeros(catalogue.size, dtype=bool)
                for field in ("name", "body"):
                    found[catalogue.postings(field, term)[0]] = True
                every = found if every is None else every & found
            mask |= every
        return mask

    def _count_reach(self, view, result, final, local, place, anywhere, text, masks) -> None:
        """Count what was found nearby and online only; with none nearby, the nearest beyond.

        The nearest is of the groups meeting in person that this search would show at any
        distance (the same words and filters): a ZIP code or city's, not a state's.
        """
        result.nearby = int(np.count_nonzero(final & local))
        result.online_only = int(np.count_nonzero(final)) - result.nearby
        if result.nearby or place.kind == "state":
            return
        catalogue = view.catalogue
        beyond = [anywhere, view.located, ~view.placeless, *masks.values()]
        if text is not None:
            beyond.append(text)
        docs = np.flatnonzero(np.logical_and.reduce(beyond))
        if len(docs):
            found = places.miles(place.latitude, place.longitude, catalogue.lat[docs],
                                 catalogue.lon[docs])  # fmt: skip
            result.nearest_miles = round(float(found.min()), 1)

    @staticmethod
    def _by_relevance(catalogue, score, docs, local, distance, radius, wanted) -> np.ndarray:
        """Order by relevance; with a place, every group within reach before those from afar.

        A hybrid group far away is listed because it can be joined online; a group meeting
        in person within reach comes before it however the words score.
        """
        if local is None:
            return ranking.by_relevance(catalogue, score, docs, local, distance, radius, wanted)
        near = docs[local[docs]]
        order = ranking.by_relevance(catalogue, score, near, local, distance, radius, wanted)
        if len(order) < wanted:
            far = docs[~local[docs]]
            rest = ranking.by_relevance(
                catalogue, score, far, local, distance, radius, wanted - len(order)
            )
            order = np.concatenate([order, rest])
        return order

    def _concept_docs(self, view: View, concept: tuple[str, str]) -> np.ndarray:
        found = view.concepts.get(concept)
        if found is None:
            found = view.concepts[concept] = facets.value_docs(view.catalogue, *concept)
        return found

    def _concept_text(self, view: View, concept: tuple[str, str]) -> ranking.TextMatches:
        """Return the listings whose name or description names ``concept``, with scores."""
        found = view.concept_texts.get(concept)
        if found is None:
            names = view.vocabulary.texts.get(concept, ())
            if len(view.concept_texts) >= MAX_CONCEPT_TEXTS:
                view.concept_texts.clear()  # a bound on memory; rebuilt as searches ask
            found = view.concept_texts[concept] = ranking.text_matches(view.catalogue, names)
        return found

    def _clause_mask(self, view: View, clause: builder.Clause) -> np.ndarray:
        catalogue = view.catalogue
        mask = np.zeros(catalogue.size, dtype=bool)
        for concept in clause.concepts:
            mask[self._concept_docs(view, concept)] = True
            mask[self._concept_text(view, concept)[0]] = True
        every = None
        for word in clause.words:
            found = np.zeros(catalogue.size, dtype=bool)
            for term, _weight in word.variants:
                for field in TEXT_FIELDS:
                    found[catalogue.postings(field, term)[0]] = True
            every = found if every is None else every & found
        return mask | every if every is not None else mask

    def _facets(self, view: View, filtered, masks, chosen) -> dict:
        catalogue, vocabulary = view.catalogue, view.vocabulary
        found = {}
        # A facet is counted over what every other facet's choice leaves: the facets with
        # nothing chosen share theirs (every choice applied), so it is worked out once.
        selections: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}
        for facet in FACET_PARAMS:
            key = facet if facet in masks else None
            if key not in selections:
                others = [mask for name, mask in masks.items() if name != key]
                mask = np.logical_and.reduce([filtered, *others]) if others else filtered
                selections[key] = (mask, np.flatnonzero(mask))
            mask, docs = selections[key]
            counts = facets.count(catalogue, facet, mask, docs)
            if facet == "org":

                def label(value):
                    return self._org_label(view, value)

            else:

                def label(value, facet=facet):
                    return vocabulary.label(facet, value)

            found[facet] = facets.facet_values(counts, chosen.get(facet, ()), label)
        return found

    def _org_label(self, view: View, value: str) -> str:
        label = view.org_labels.get(value)
        if label is None:
            docs = np.flatnonzero((view.catalogue.org == int(value)) & view.catalogue.alive)
            label = f"Organisation {value}"
            if len(docs):
                with self._lock:
                    label = view.searcher.stored_fields(int(docs[0]))["doc"]["org"] or label
            view.org_labels[value] = label
        return label
