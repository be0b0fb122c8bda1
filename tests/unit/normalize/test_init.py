"""portal.normalize: the package re-exports its public functions."""

from __future__ import annotations

import portal.normalize


def test_all_names_are_exported() -> None:
    for name in portal.normalize.__all__:
        assert callable(getattr(portal.normalize, name)), name


def test_all_is_sorted_and_unique() -> None:
    names = portal.normalize.__all__
    assert names == sorted(set(names))
