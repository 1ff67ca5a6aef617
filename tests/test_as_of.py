"""Regression cases the property tests found in the as-of queries."""

from casestate import Assurance
from support import WORKFLOW, case_in, change, day


def test_a_late_weak_report_does_not_borrow_a_stronger_one_that_takes_effect_later():
    # Captured on a video (day 10); a capture card effective on day 30 is
    # recorded first, then a video about day 20. On day 25 only videos stood.
    case = case_in("captured")
    case = WORKFLOW.apply(case, change("report_captured", "icrc", "capture_card", on=30))
    case = WORKFLOW.apply(case, change("report_captured", "family", "video", on=20, recorded=31))
    assert case.assurance is Assurance.DOCUMENTED
    assert case.as_of_effective(day(25)).assurance is Assurance.REPORTED
    assert case.as_of_effective(day(30)).assurance is Assurance.DOCUMENTED
    assert case.as_of_recorded(day(31)).assurance is Assurance.DOCUMENTED
