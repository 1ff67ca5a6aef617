"""The hash chain's building blocks, for code that stores, seals or checks trails itself.

:func:`casestate.verify`, :func:`casestate.redact` and
:func:`casestate.canonical_bytes` are what most apps need. A store keeps a
chain's label (:func:`chain_for_key`) and refuses a key that does not fit it
(:func:`key_problem`); a tool that rewrites a trail on purpose, as the
testing kit's tamperings do, links and hashes entries again
(:data:`GENESIS`, :func:`entry_digest`):

>>> from casestate.chain import chain_for_key, check_key, key_problem
>>> key = check_key(b"a key of thirty-two bytes, kept!")
>>> label = chain_for_key(key)
>>> label.startswith("hmac-sha256:"), key_problem(label, key)
(True, None)
>>> key_problem(label, b"another key of thirty-two bytes!")
<Problem.WRONG_KEY: 'wrong_key'>
"""

from ._chain import GENESIS, MIN_KEY_BYTES, chain_for_key, check_key, entry_digest, key_problem
from ._errors import publish as _publish

__all__ = ["GENESIS", "MIN_KEY_BYTES", "chain_for_key", "check_key", "entry_digest", "key_problem"]

_publish(__name__, globals(), __all__)
