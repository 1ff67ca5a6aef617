import os
from datetime import timedelta

from hypothesis import HealthCheck, Phase, settings

# "default" keeps local runs and CI quick; "thorough" is for a deliberate, long run:
#   HYPOTHESIS_PROFILE=thorough pytest
# Stateful runs take 20 steps by default: long enough to reach every status and
# pile up conflicts, short enough that the four state machines finish in seconds.
settings.register_profile("default", max_examples=60, stateful_step_count=20, deadline=None)
settings.register_profile(
    "thorough",
    max_examples=2000,
    stateful_step_count=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("default"), deadline=timedelta(seconds=5))
# tools/mutants.py: find a failure and stop, without shrinking it or saving it for later runs.
settings.register_profile(
    "mutants",
    parent=settings.get_profile("default"),
    phases=[Phase.explicit, Phase.generate],
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
