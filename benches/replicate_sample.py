#!/usr/bin/env python3
"""Make a large input by replicating the bundled sample under new household
ids (same distributions, same class shares), for pipeline benchmarks.

usage: python3 benches/replicate_sample.py HOUSEHOLDS OUT_DIR
"""
import os
import sys

def main():
    target, out = int(sys.argv[1]), sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    sample = os.path.join(here, "..", "data-samples")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(sample, "households.csv"), encoding="utf-8") as f:
        hh_header, *hh = f.read().splitlines()
    with open(os.path.join(sample, "members.csv"), encoding="utf-8") as f:
        m_header, *mem = f.read().splitlines()
    hh = [l for l in hh if l.startswith("2020,")]
    mem = [l for l in mem if l.startswith("2020,")]
    copies = -(-target // len(hh))
    written = 0
    with open(os.path.join(out, "households.csv"), "w", encoding="utf-8") as fh, \
         open(os.path.join(out, "members.csv"), "w", encoding="utf-8") as fm:
        fh.write(hh_header + "\n")
        fm.write(m_header + "\n")
        for c in range(copies):
            keep = set()
            for line in hh:
                if written == target:
                    break
                year, hid, rest = line.split(",", 2)
                keep.add(hid)
                fh.write(f"{year},c{c}-{hid},{rest}\n")
                written += 1
            for line in mem:
                year, hid, rest = line.split(",", 2)
                if hid in keep:
                    fm.write(f"{year},c{c}-{hid},{rest}\n")
    print(f"{written} households in {out}")

if __name__ == "__main__":
    main()
