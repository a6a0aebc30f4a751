"""The problem list finds what an edit changed in a form's problems by trimming what the old and the
new list start and end with alike; the rest is compared as multisets (as before, when the whole
lists were)."""

from __future__ import annotations

import itertools
from collections import Counter

from core.problems import Problem
from core.schema import Table
from gui.problems import _differing


def _p(n: int) -> Problem:
    return Problem("V01", "error", f"问题{n}", 1, "甲", Table.INDICATORS, n, "target")


def test_trimmed_lists_differ_exactly_as_the_whole_lists_do() -> None:
    pool = [_p(n) for n in range(4)]
    lists = [list(c) for k in range(4) for c in itertools.product(pool[:3], repeat=k)]
    lists.append([pool[0], pool[3], pool[1], pool[0]])
    for old, new in itertools.product(lists, repeat=2):
        left, right = _differing(tuple(old), tuple(new))
        assert Counter(left) - Counter(right) == Counter(old) - Counter(new), (old, new)
        assert Counter(right) - Counter(left) == Counter(new) - Counter(old), (old, new)
    same = tuple(pool)
    assert _differing(same, same) == ((), ())
    assert _differing(same, (*pool[:2], _p(9), pool[3])) == ((pool[2],), (_p(9),))


def test_deltas_told_as_one_go_from_the_first_old_list_to_the_last_new_one() -> None:
    from gui.problem_index import ProblemDelta

    a, b, c = (_p(0),), (_p(0), _p(1)), (_p(2),)
    first = ProblemDelta(everything=False, changed={1: ((), a), 2: (c, ())}, touched={1})
    later = ProblemDelta(everything=False, changed={1: (a, b), 2: ((), c), 3: ((), a)}, touched={3})
    both = first.then(later)
    assert both.changed == {1: ((), b), 3: ((), a)}  # form 2 went back as it was: nothing to show
    assert both.touched == {1, 3} and not both.everything
    assert first.then(ProblemDelta(everything=True)).everything
    assert first.then(ProblemDelta(everything=False, touched=None)).touched is None
