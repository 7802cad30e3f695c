#!/usr/bin/python3
"""Embeds data/methods/{zhejiang,shandong}.toml into libplan/src/landuse/method_text.hpp,
so that `plan landuse --method zhejiang` works without the data folder.
Run after editing a built-in method; the landuse tests fail while the two differ."""
from pathlib import Path

root = Path(__file__).resolve().parent.parent
texts = {n: (root / "data" / "methods" / f"{n}.toml").read_text(encoding="utf-8") for n in ("zhejiang", "shandong")}
for name, text in texts.items():
    if ')TOML"' in text:
        raise SystemExit(f"{name}.toml contains the raw-string delimiter )TOML\"")
out = '''#pragma once
// The built-in methods, embedded so that `--method zhejiang` works without the
// data folder. They must equal data/methods/*.toml byte for byte (a test checks);
// regenerate with scripts/embed_methods.py after editing those files.
namespace plan::landuse::detail {
inline constexpr const char* kZhejiangMethod = R"TOML(%s)TOML";
inline constexpr const char* kShandongMethod = R"TOML(%s)TOML";
} // namespace plan::landuse::detail
''' % (texts["zhejiang"], texts["shandong"])
(root / "libplan" / "src" / "landuse" / "method_text.hpp").write_text(out, encoding="utf-8")
