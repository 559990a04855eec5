"""What a demo group is about and says: topics, languages, schedules, name, description."""

from __future__ import annotations

import datetime as dt

from directory.demo.data import (
    DAY_NAMES,
    DURATIONS,
    MONTH_WEEKS,
    OTHER_LANGUAGE_SHARE,
    SCHEDULE_WEIGHTS,
    SECOND_SCHEDULE_KINDS,
    SECOND_SCHEDULE_SHARE,
    SPANISH_ONLY_SHARE,
    SPANISH_SHARE,
    WEEKDAY_STARTS,
    WEEKDAY_WEIGHTS,
    WEEKEND_STARTS,
    _join,
    _lower_first,
)


class _Content:
    """Choose and word a group's content; mixed into ``_Builder``, which holds the state."""

    # -- topics, audiences and languages ---------------------------------------------------

    def choose_topics(self) -> list[str]:
        topics = [self.pick(self.topic_choice)]
        chance = self.rng.random()
        for _ in range(2 if chance < 0.1 else 1 if chance < 0.4 else 0):
            related = [t for t in self.topics[topics[-1]]["related"] if t in self.topics]
            candidates = [t for t in related if t not in topics]
            if candidates:
                topics.append(self.rng.choice(candidates))
        return topics

    def choose_audiences(self, topic: str) -> list[str]:
        fitting = [a for a in self.topics[topic]["audiences"] if a in self.audiences]
        if fitting and self.rng.random() < 0.35:
            audiences = [self.rng.choice(fitting)]
        else:
            audiences = [self.pick(self.audience_choice)]
        if self.rng.random() < 0.2:
            second = self.pick(self.audience_choice)
            if second not in audiences:
                audiences.append(second)
        return audiences

    def choose_languages(self) -> list[str]:
        chance = self.rng.random()
        if self.has_spanish and chance < SPANISH_SHARE:
            return ["es"] if self.rng.random() < SPANISH_ONLY_SHARE else ["en", "es"]
        if self.other_language_choice and chance < SPANISH_SHARE + OTHER_LANGUAGE_SHARE:
            code = self.pick(self.other_language_choice)
            return [code, "en"] if self.rng.random() < 0.5 else [code]
        return ["en"] if self.has_english else []

    # -- schedules -------------------------------------------------------------------------

    def schedules(self, zone: str, english: bool) -> list[dict]:
        first = self.schedule(zone, self.pick_weighted(SCHEDULE_WEIGHTS), english)
        if first["kind"] == "dates" or self.rng.random() >= SECOND_SCHEDULE_SHARE:
            return [first]
        second = self.schedule(zone, self.pick_weighted(SECOND_SCHEDULE_KINDS), english)
        if second["weekdays"] == first["weekdays"]:
            return [first]
        return [first, second]

    def schedule(self, zone: str, kind: str, english: bool) -> dict:
        rng, today = self.rng, self.today
        day = self.pick_weighted(WEEKDAY_WEIGHTS)
        starts = WEEKEND_STARTS if day in ("SA", "SU") else WEEKDAY_STARTS
        start = dt.time.fromisoformat(self.pick_weighted(starts))
        minutes = start.hour * 60 + start.minute + self.pick_weighted(DURATIONS)
        row = {
            "kind": "weekly" if kind == "biweekly" else kind, "weekdays": day,
            "repeat_interval": 1, "anchor_date": None, "month_weeks": None, "dates": None,
            "start_time": start, "end_time": dt.time(minutes // 60, minutes % 60),
            "timezone": zone, "valid_from": None, "valid_until": None, "note": None,
        }  # fmt: skip
        weekday = list(WEEKDAY_WEIGHTS).index(day)
        if kind == "biweekly":
            base = today - dt.timedelta(days=rng.randrange(14, 700))
            row["repeat_interval"] = 2
            row["anchor_date"] = base + dt.timedelta(days=(weekday - base.weekday()) % 7)
        elif kind == "monthly":
            row["month_weeks"] = self.pick_weighted(MONTH_WEEKS)
        elif kind == "dates":
            day_one = today + dt.timedelta(days=rng.randrange(-14, 45))
            day_one += dt.timedelta(days=(weekday - day_one.weekday()) % 7)
            step = rng.choice((7, 7, 14, 21, 28))
            row["weekdays"] = None
            row["dates"] = ",".join(
                (day_one + dt.timedelta(days=step * n)).isoformat()
                for n in range(rng.randrange(4, 9))
            )
        if kind != "dates" and rng.random() < 0.08:
            row["valid_from"] = today - dt.timedelta(days=rng.randrange(30, 900))
        if kind != "dates" and rng.random() < 0.03:
            row["valid_until"] = today + dt.timedelta(days=rng.randrange(60, 240))
        if english and rng.random() < 0.08:
            row["note"] = rng.choice(self.words["descriptions"]["schedule_notes"])
        return row

    # -- text ------------------------------------------------------------------------------

    def name(self, fmt, topics, audiences, languages, schedule, venue) -> str:
        rng, names = self.rng, self.words["names"]
        audience = self.audiences[audiences[0]]["short"]
        values = {
            "topics": self.short_topics(topics),
            "aud": f"{audience} " if audience else "",
            "city": venue.place.city if venue else "",
            "venue": venue.name if venue else "",
            "flavor": rng.choice(self.words["places"]["flavors"]),
            "day": "", "day_es": "", "part": "",
            "topic_es": _lower_first(self.label_es.get(("topic", topics[0])) or topics[0]),
            "aud_es": _lower_first(self.label_es.get(("audience", audiences[0])) or ""),
        }  # fmt: skip
        if schedule["weekdays"]:
            index = list(WEEKDAY_WEIGHTS).index(schedule["weekdays"])
            hour = schedule["start_time"].hour
            values["day"] = DAY_NAMES[schedule["weekdays"]]
            values["day_es"] = self.words["spanish"]["days"][index]
            part = "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"
            values["part"] = names["parts"][part]
        if languages == ["es"]:
            templates = names["spanish"]
        elif languages and languages[0] not in ("en", "es"):
            templates = [names["other_language"]]
            values["language"] = self.language_names.get(languages[0], languages[0])
        else:
            templates = names["any"] + (names["placed"] if venue else [])
        usable = [
            t for t in templates
            if (venue or "{city}" not in t)
            and (values["day"] or "{day" not in t)
            and (audiences[0] != "peers" or "{aud_es}" not in t)
        ]  # fmt: skip
        name = rng.choice(usable or names["any"][1:2]).format(**values)
        return " ".join(name.split()) + names["format_suffix"][fmt]

    def short_topics(self, topics: list[str]) -> str:
        """Name up to two topics for a group name: "Depression & Bipolar"."""
        shorts = [self.topics[t]["short"] for t in topics[:2]]
        return " & ".join(shorts) if not any("&" in s for s in shorts) else shorts[0]

    def description(self, fmt, facilitation, cost, registration, topics, audiences, languages):
        rng, text = self.rng, self.words["descriptions"]
        if languages == ["es"]:
            values = {
                "topic_es": _lower_first(self.label_es.get(("topic", topics[0])) or topics[0]),
                "aud_es": _lower_first(self.label_es.get(("audience", audiences[0])) or ""),
            }
            sentences = [rng.choice(text["spanish"]).format(**values)]
            sentences += rng.sample(text["spanish_more"], rng.randrange(1, 3))
            return " ".join(sentences)
        audience = self.audiences[audiences[0]]["phrase"]
        opening = rng.choice(text["opening"]).format(
            lead=text["lead"][facilitation], aud=audience, Aud=audience[:1].upper() + audience[1:],
            topic=_join([self.topics[t]["phrase"] for t in topics]),
        )  # fmt: skip
        if registration:
            practical = "practical_registration"
        elif cost != "free":
            practical = f"practical_{cost}"
        elif fmt != "in_person":
            practical = f"practical_{fmt}"
        else:
            practical = rng.choice(("practical_free", "practical_in_person"))
        pools = [text[facilitation], text["general"], text[practical]]
        chosen = sorted(rng.sample(range(3), rng.randrange(1, 3)))
        sentences = [opening, *(rng.choice(pools[i]) for i in chosen)]
        if "es" in languages:
            sentences.append("Meetings are bilingual, in English and Spanish.")
        elif languages and languages[0] != "en":
            language = self.language_names.get(languages[0], languages[0])
            both = " and English" if "en" in languages else ""
            sentences.append(f"Meetings are held in {language}{both}.")
        return " ".join(sentences)
