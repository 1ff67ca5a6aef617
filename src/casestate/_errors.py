"""The one base of every error casestate raises on purpose."""


class CasestateError(Exception):
    """Anything casestate refused or found wrong: catch this to catch them all.

    Each error is also the built-in exception it has always been (a refused
    change or a bad record is still a :class:`ValueError`), so code that
    caught those keeps working.

    >>> import casestate
    >>> issubclass(casestate.Rejected, casestate.CasestateError)
    True
    """


def publish(module: str, names: dict[str, object], exported: list[str]) -> None:
    """Give every class and function in *exported* the public *module* as its ``__module__``.

    Tracebacks, reprs and ``help()`` then name the module an app imports
    from (``casestate.store.ConcurrentUpdate``), never the private module a
    name happens to live in. Each public module of casestate calls it last,
    on its own ``__all__``; a package built on casestate can do the same.

    >>> class Finding:
    ...     pass
    >>> Finding.__module__ = "myapp._reports"
    >>> publish("myapp", {"Finding": Finding}, ["Finding"])
    >>> Finding.__module__
    'myapp'
    """
    for name in exported:
        value = names[name]
        published = isinstance(value, type) or (callable(value) and hasattr(value, "__code__"))
        # A name two public modules export keeps the first public home it was given.
        if published and any(part.startswith("_") for part in value.__module__.split(".")):
            value.__module__ = module
