"""Libraries bound lazily load on first use, and can be loaded at once before a worker thread starts."""

from __future__ import annotations

import sys

from cisannotate.core.lazy import is_loaded, lazy_import, load_now


def test_a_lazy_module_loads_on_first_use_or_when_asked(tmp_path, monkeypatch):
    for name, body in (("cis_lazy_probe_a", "VALUE = 1\n"), ("cis_lazy_probe_b", "VALUE = 2\n")):
        (tmp_path / f"{name}.py").write_text(body, encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))

    first = lazy_import("cis_lazy_probe_a")
    second = lazy_import("cis_lazy_probe_b")
    assert not is_loaded("cis_lazy_probe_a") and not is_loaded("cis_lazy_probe_b")
    assert first.VALUE == 1 and is_loaded("cis_lazy_probe_a")

    load_now("cis_lazy_probe_b")  # what a worker will read is loaded in the calling thread
    assert is_loaded("cis_lazy_probe_b") and second.VALUE == 2
    load_now("cis_lazy_probe_a", "json")  # loaded ones, and ones never bound lazily, are fine
    assert is_loaded("json")
