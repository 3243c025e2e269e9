"""Split eval.csv into build.csv and holdout.csv, by a hash of each row's id.

    python benchmarks/identify_eval/split.py

A row goes to `build` when the first 8 hex digits of SHA-256(id) are even, to `holdout` when odd: about half
each, deterministic, and independent of every other row, so rows added later keep the rest where they were.
The split is by row, not by model family: both parts cover every family and maker, and holdout measures how
well rules written from build generalise to other models, firmware builds and MAC blocks of the same makers.

Rules may be written from build.csv; holdout.csv is only measured.
"""

import csv
import hashlib
from pathlib import Path

HERE = Path(__file__).resolve().parent


def part_of(row_id: str) -> str:
    return 'build' if int(hashlib.sha256(row_id.encode()).hexdigest()[:8], 16) % 2 == 0 else 'holdout'


def main():
    with (HERE / 'eval.csv').open(newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        columns = [*reader.fieldnames, 'part']
        rows = list(reader)
    parts = {'build': [], 'holdout': []}
    for row in rows:
        row['part'] = part_of(row['id'])
        parts[row['part']].append(row)
    for name, part in parts.items():
        with (HERE / f'{name}.csv').open('w', newline='', encoding='utf-8') as f:
            writer = csv.DictWriter(f, columns, lineterminator='\n')
            writer.writeheader()
            writer.writerows(part)
    print({name: len(part) for name, part in parts.items()})


if __name__ == '__main__':
    main()
