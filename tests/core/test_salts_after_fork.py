"""A process forked from another never hands out a salt the other hands out too.

A salt hides an entry's personal data behind its commitment: two entries
sharing one would let whoever holds a redacted copy tell that they hold the
same person's data. Servers that load the app and then fork their workers,
and ``multiprocessing`` on Linux, fork after salts were drawn.
"""

import multiprocessing
import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casestate as cs
from support import day

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no os.fork")

SALTS = 40


def _salts(count):
    """The salts of *count* cases opened here, as an app opens them."""
    return [
        cs.DEFAULT_WORKFLOW.open(
            f"ua-{number}", actor=cs.Actor("hotline-1", "ngo"), effective_at=day(0), recorded_at=day(1)
        )
        .trail[0]
        .salt
        for number in range(count)
    ]


def _salts_of_a_forked_child(count):
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe, and coverage ends with it
        try:
            os.write(writing, b"".join(_salts(count)))
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        drawn = pipe.read()
    os.waitpid(child, 0)
    return {drawn[start : start + 16] for start in range(0, len(drawn), 16)}


@given(drawn_before=st.integers(0, 2100))
@settings(max_examples=8, deadline=None)
def test_a_forked_child_and_its_parent_hand_out_no_salt_in_common(drawn_before):
    # However many salts were drawn before the fork: none, some of a batch, past a batch.
    _salts(drawn_before)
    child = _salts_of_a_forked_child(SALTS)
    parent = set(_salts(SALTS))
    assert len(child) == len(parent) == SALTS
    assert child.isdisjoint(parent)


# Python 3.12 warns of a fork in a process with threads; this one forks on purpose.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_workers_forked_by_multiprocessing_hand_out_no_salt_in_common():
    _salts(1)  # the parent holds salts it has not handed out yet
    pool = multiprocessing.get_context("fork").Pool(3)
    try:
        drawn = pool.map(_salts, [SALTS] * 6)
    finally:
        # Closed and joined, not terminated (as leaving a "with" block does): a worker stopped
        # by SIGTERM while it holds the task queue's lock leaves the others waiting on it for ever.
        pool.close()
        pool.join()
    every = [salt for salts in drawn for salt in salts] + _salts(SALTS)
    assert len(set(every)) == len(every) == 7 * SALTS
