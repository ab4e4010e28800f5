"""Build orchestration: vendor discovery, fingerprints, parallel rendering, atomic swaps."""
