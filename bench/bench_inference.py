"""Time inferring topics and audiences: compiling the taxonomy, one listing, ``directory infer``.

On N demo listings (BENCH_INFERENCE_COUNT, default 2,000) whose topics and audiences are
removed first, so every one is untagged: the inferrer is compiled from the taxonomy, each
listing's name and description are read (per-listing figures), then ``infer_untagged`` (the
``directory infer`` command's service) tags and audits them all in one transaction. Prints how
many listings got tags, and the precision and recall of the inferred tags against the tags
the demo generator gave them (its texts are written from those tags, so this is a check that
inference does not tag what a text does not say, not a judged set).
"""

from __future__ import annotations

import os
import time

from sqlalchemy import delete, select

from bench.common import peak_rss_mb, percentiles, temporary_app

COUNT = int(os.environ.get("BENCH_INFERENCE_COUNT", "2000"))


def main() -> None:
    """Print the figures."""
    from directory.demo import generate_demo
    from directory.extensions import db
    from directory.inference import Inferrer
    from directory.models import Group, TaxonomyTerm, group_audience, group_topic
    from directory.services import Actor, inference

    with temporary_app(SEARCH_CHECK_AT_START=False) as _app:
        generate_demo(db.session, count=COUNT, seed=1)
        given = {
            (group.id, name): {term.slug for term in getattr(group, name)}
            for group in db.session.scalars(select(Group))
            for name in inference.TABLES
        }
        db.session.execute(delete(group_topic))
        db.session.execute(delete(group_audience))
        db.session.commit()
        started = time.perf_counter()
        inferrer = Inferrer(db.session.scalars(select(TaxonomyTerm)))
        compiled_ms = (time.perf_counter() - started) * 1000
        texts = db.session.execute(select(Group.name, Group.description)).all()
        samples = []
        for name, description in texts:
            started = time.perf_counter()
            inferrer.infer(name, description)
            samples.append((time.perf_counter() - started) * 1000)
        print(f"   compile the taxonomy: {compiled_ms:.1f} ms")
        print(f"   infer one listing (ms): {percentiles(samples)}")
        started = time.perf_counter()
        outcome = inference.infer_untagged(db.session, Actor.command("bench"))
        db.session.commit()
        seconds = time.perf_counter() - started
        print(f"   directory infer on {outcome.looked_at:,} untagged listings: {seconds:.2f} s, "
              f"{len(outcome.tagged):,} given tags, peak {peak_rss_mb():.0f} MB")  # fmt: skip
        for name in inference.TABLES:
            inferred = right = wanted = 0
            for (group_id, field), slugs in given.items():
                if field != name:
                    continue
                found = set(outcome.tagged.get(group_id, {}).get(name, []))
                inferred, right, wanted = inferred + len(found), right + len(found & slugs), (
                    wanted + len(slugs))  # fmt: skip
            print(
                f"   {name} against the demo's own tags: {inferred:,} inferred, precision "
                f"{right / max(inferred, 1):.3f}, recall {right / max(wanted, 1):.3f}"
            )
