"""Round-trip rate over every calibration connector: `python -m tests.importer.measure [-v]`.

Prints the rate, then the refusals and differences grouped by cause (the first reason of each)."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from tests.importer.roundtrip import round_trip

CALIBRATION = Path(__file__).resolve().parents[1] / "data" / "calibration" / "connectors"


def packages() -> list[Path]:
    return sorted(p for p in CALIBRATION.glob("*/*") if (p / "apiDefinition.swagger.json").is_file())


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    only = [a for a in argv if not a.startswith("-")]
    outcomes = [round_trip(p) for p in packages() if not only or any(o in p.name for o in only)]
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for o in outcomes:
        if o.status != "equivalent":
            cause = o.reasons[0] if o.reasons else o.detail
            groups[(o.status, cause.split(":")[0] if o.status == "refused" else cause)].append(o.name)
            if verbose:
                print(f"{o.status:10} {o.name}: {'; '.join(o.reasons[:6])} {o.detail[:300]}")
    ok = sum(o.status == "equivalent" for o in outcomes)
    print(f"round trip: {ok}/{len(outcomes)} equivalent ({100 * ok / max(len(outcomes), 1):.1f} %)")
    for status in ("refused", "different", "crashed"):
        n = sum(o.status == status for o in outcomes)
        print(f"{status}: {n}")
    for (status, cause), names in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
        print(f"  {status:9} {len(names):3}  {cause[:140]}  ({', '.join(names[:4])}{', ...' if len(names) > 4 else ''})")
    return 0 if all(o.status in ("equivalent", "refused") for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
