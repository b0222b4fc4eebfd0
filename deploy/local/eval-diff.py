#!/usr/bin/env python3
"""Per-question differences between two eval runs' details (deploy/local/eval.sh --details FILE).

Usage: eval-diff.py BEFORE.jsonl AFTER.jsonl

For every question in both files: page rank, section rank (answerable ones), covered and whether its citations
resolve; prints
each question whose outcome differs, the questions only one file has, and a summary line. Exit status 0 either
way: it reports, the reader judges. Standard library only.
"""
import json, sys

FIELDS = ('pageRank', 'sectionRank', 'covered', 'citationsResolve')


def load(path):
    with open(path, encoding='utf-8') as f:
        return {q['question']: q for q in (json.loads(line) for line in f if line.strip())}


def main():
    if len(sys.argv) != 3 or sys.argv[1] in ('-h', '--help'):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) == 2 else 2)
    before, after = load(sys.argv[1]), load(sys.argv[2])
    both = [q for q in before if q in after]
    changed = 0
    for q in both:
        # an out-of-scope question has no expected page: its ranks mean nothing (the report leaves them out)
        fields = FIELDS if after[q].get('answerable', True) else ('covered', 'citationsResolve')
        diffs = [f'{k} {before[q][k]} -> {after[q][k]}' for k in fields if before[q].get(k) != after[q].get(k)]
        if diffs:
            changed += 1
            print(f'changed: {q!r}: ' + ', '.join(diffs))
    for q in after:
        if q not in before:
            a = after[q]
            print(f'only after: {q!r}: pageRank {a["pageRank"]}, sectionRank {a["sectionRank"]}, covered {a["covered"]}')
    for q in before:
        if q not in after:
            print(f'only before: {q!r}')
    print(f'{len(both)} questions in both runs, {changed} with a different outcome; '
          f'{len(after) - len(both)} only after, {len(before) - len(both)} only before')


if __name__ == '__main__':
    main()
