#!/usr/bin/env python3
"""Writes the item-tracking evaluation set (dev.tsv, heldout.tsv).

Seeded: `python3 generate.py` rewrites both files byte for byte. Each row
is one item as listed in one weekly report:

    series  week  section  chain  kind  family  text

- series: `nb` (Norwegian, schema `uke`) or `en` (English, schema `weekly`)
- week: ISO week of the report, `2016-W36`; one report per week per series,
  except the weeks listed in a `#skip` line (no report at all that week)
- section: done, doing, planned, status (a sentence of the status prose
  saying it is done), or finished (listed in progress, with a sentence
  saying it is done)
- chain: the item's true identity; every row of a chain is the same item
- kind: task (planned, in progress, done), dropped (vanishes without being
  done), standing (a standing duty), rename (reworded to a host name),
  gap (absent for a few reports, then back), return (back after ~14 weeks),
  lookalike (one of a family of successive upgrades)
- family: the look-alike family, `-` for none
- text: the item's wording that week

The dev and held-out files use different seeds, different topics and
different phrasings of the same situations (see EVALUATION.md).
"""
import datetime
import random

SITES = ["bgo", "osl", "tos", "trd"]


def iso_weeks(year, week, count):
    monday = datetime.date.fromisocalendar(year, week, 1)
    out = []
    for i in range(count):
        d = monday + datetime.timedelta(weeks=i)
        y, w, _ = d.isocalendar()
        out.append(f"{y}-W{w:02d}")
    return out


class Series:
    def __init__(self, name, lang, weeks, no_done_from, rng):
        self.name, self.lang, self.weeks = name, lang, weeks
        self.no_done_from = no_done_from
        self.rng = rng
        self.rows = []
        self.next_id = 0

    def chain(self, prefix):
        self.next_id += 1
        return f"{self.name}-{prefix}{self.next_id:03d}"

    def put(self, week_index, section, chain, kind, family, text):
        if 0 <= week_index < len(self.weeks):
            self.rows.append((week_index, section, chain, kind, family, text))

    def done_row(self, w, chain, kind, family, topic):
        """The done entry: the done section, or (from the template without
        one) a sentence in the status prose, or the in-progress item saying
        it is finished."""
        rng = self.rng
        if w < self.no_done_from:
            self.put(w, "done", chain, kind, family, rng.choice(topic["done"]))
        else:
            style = rng.random()
            if style < 0.6:
                self.put(w, "status", chain, kind, family, rng.choice(topic["prose_done"]))
            else:
                self.put(w, "finished", chain, kind, family, rng.choice(topic["doing"]) + " " + rng.choice(self.finished))

    def task(self, start, topic, kind="task", family="-", plan=None, doing=None, chain=None):
        rng = self.rng
        chain = chain or self.chain("t")
        plan = rng.randint(1, 3) if plan is None else plan
        doing = rng.randint(1, 5) if doing is None else doing
        w = start
        wording = rng.choice(topic["planned"])
        for _ in range(plan):
            if rng.random() < 0.15:
                wording = rng.choice(topic["planned"])
            self.put(w, "planned", chain, kind, family, wording)
            w += 1
        wording = rng.choice(topic["doing"])
        for _ in range(doing):
            if rng.random() < 0.2:
                wording = rng.choice(topic["doing"])
            self.put(w, "doing", chain, kind, family, wording)
            w += 1
        self.done_row(w, chain, kind, family, topic)
        return w

    def dropped(self, start, topic):
        rng = self.rng
        chain = self.chain("d")
        section = rng.choice(["planned", "planned", "doing"])
        wording = rng.choice(topic["planned" if section == "planned" else "doing"])
        n = rng.randint(2, 5)
        for i in range(n):
            self.put(start + i, section, chain, "dropped", "-", wording)
        return start + n

    def standing(self, text, share):
        chain = self.chain("s")
        for w in range(len(self.weeks)):
            if self.rng.random() < share:
                self.put(w, "doing", chain, "standing", "-", text)

    def gap(self, start, topic):
        rng = self.rng
        chain = self.chain("g")
        wording = rng.choice(topic["doing"])
        before, away, after = rng.randint(2, 4), rng.randint(2, 3), rng.randint(2, 4)
        for i in range(before):
            self.put(start + i, "doing", chain, "gap", "-", wording)
        back = start + before + away
        for i in range(after):
            self.put(back + i, "doing", chain, "gap", "-", wording)
        self.done_row(back + after, chain, "gap", "-", topic)
        return back + after

    def returning(self, start, topic):
        chain = self.chain("r")
        wording = self.rng.choice(topic["planned"])
        for i in range(3):
            self.put(start + i, "planned", chain, "return", "-", wording)
        back = start + 3 + 14
        return self.task(back, topic, kind="return", plan=2, doing=self.rng.randint(1, 3), chain=chain)

    def rename(self, start, before, after, length, switch, topic_done):
        chain = self.chain("n")
        for i in range(length):
            if i < switch:
                text = before[min(i, len(before) - 1)]
            else:
                text = after[((i - switch) // 4) % len(after)]
            self.put(start + i, "doing", chain, "rename", "-", text)
        self.done_row(start + length, chain, "rename", "-", topic_done)
        return start + length

    def lookalikes(self, start, family, topics, overlap):
        w = start
        for topic in topics:
            # The next version is planned while the previous is in progress.
            end = self.task(w, topic, kind="lookalike", family=family,
                            plan=self.rng.randint(2, 3), doing=self.rng.randint(2, 5))
            w = end - overlap if overlap else end + self.rng.randint(1, 3)
        return w


def write(path, header, series_list):
    with open(path, "w", encoding="utf-8") as out:
        out.write(header)
        for s in series_list:
            out.write(f"#series\t{s.name}\t{s.lang}\t{s.weeks[0]}\t{len(s.weeks)}\n")
            for w, section, chain, kind, family, text in sorted(
                s.rows, key=lambda r: (r[0], ["done", "finished", "doing", "planned", "status"].index(r[1]), r[2])
            ):
                assert "\t" not in text and "\n" not in text
                out.write(f"{s.name}\t{s.weeks[w]}\t{section}\t{chain}\t{kind}\t{family}\t{text}\n")


HEADER = "# series\tweek\tsection\tchain\tkind\tfamily\ttext\n# Written by generate.py (seeded); see EVALUATION.md.\n"

from topics import dev_nb, dev_en, held_nb, held_en  # noqa: E402


def build(seed, nb_topics, en_topics, nb_start, en_start, nb_weeks, en_weeks):
    rng = random.Random(seed)
    nb = Series("nb", "nb", iso_weeks(*nb_start, nb_weeks), no_done_from=nb_weeks // 2, rng=rng)
    en = Series("en", "en", iso_weeks(*en_start, en_weeks), no_done_from=en_weeks // 2, rng=rng)
    for s, t in ((nb, nb_topics), (en, en_topics)):
        s.finished = t.FINISHED
        for text, share in t.STANDING:
            s.standing(text, share)
        tasks = list(t.TASKS)
        rng.shuffle(tasks)
        # Three or four tasks start every few weeks, some of them long.
        w, i = 0, 0
        while w < len(s.weeks) - 2:
            for _ in range(rng.randint(1, 2)):
                topic = tasks[i % len(tasks)]
                i += 1
                long = rng.random() < 0.25
                s.task(w + rng.randint(0, 2), topic, plan=rng.randint(1, 6) if long else None,
                       doing=rng.randint(8, 14) if long else None)
            w += rng.randint(2, 3)
        drops = list(t.DROPPED)
        rng.shuffle(drops)
        for k, topic in enumerate(drops):
            s.dropped(2 + k * (len(s.weeks) - 8) // max(1, len(drops)), topic)
        for k, topic in enumerate(t.GAP):
            s.gap(4 + k * 11, topic)
        for k, topic in enumerate(t.RETURN):
            s.returning(3 + k * 9, topic)
        for k, (before, after, switch, length, done) in enumerate(t.RENAME):
            s.rename(1 + k * 5, before, after, length, switch, done)
        for k, (family, topics, overlap) in enumerate(t.LOOKALIKE):
            s.lookalikes(2 + k * 6, family, topics, overlap)
    return [nb, en]


if __name__ == "__main__":
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    write(os.path.join(here, "dev.tsv"), HEADER,
          build(20161, dev_nb, dev_en, (2016, 36), (2017, 2), 64, 40))
    write(os.path.join(here, "heldout.tsv"), HEADER,
          build(20172, held_nb, held_en, (2017, 33), (2018, 5), 40, 36))
