r"""The rules for text a case may hold, for code that reads or shows what casestate stores.

casestate refuses, where it comes in and with the field named, any text that
a UTF-8 file, SQLite or PostgreSQL could not hold (a lone surrogate, a NUL
character). A store, a reader of another format or a command line that takes
text in applies the same rules through these functions, and shows text it
read through :func:`printable`:

>>> from casestate.text import is_storable, printable, storable_problem
>>> is_storable("Іван"), is_storable("a\x00b")
(True, False)
>>> storable_problem("ua-1\ud800")
"not valid Unicode: a lone surrogate ('\\ud800') at character 5"
>>> printable("note\x1b[31m")
'note\\x1b[31m'
"""

from ._errors import publish as _publish
from ._text import check_storable, is_storable, is_text, is_valid_unicode, printable, storable_problem

__all__ = ["check_storable", "is_storable", "is_text", "is_valid_unicode", "printable", "storable_problem"]

_publish(__name__, globals(), __all__)
