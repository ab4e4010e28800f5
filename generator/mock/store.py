"""The generic engine's store: items per collection and scope, in memory or in SQLite.

A collection is a spec path template (`/users/{userId}/vehicles`); its scope is the values of the
parent path parameters (`("u1",)`), so `/users/u1/vehicles` and `/users/u2/vehicles` are separate
lists. Items keep their insertion order. With a file (`--state FILE`), every change is written
through to SQLite (Python's `sqlite3`, one table) in the same call, so a killed mock loses nothing
and a restarted one starts from what was there; `reset()` replaces the contents with the seed.

Change counters: `version(collection, scope)` moves on (never back, not even across `replace_all`)
with every change the store makes to that list — a put, a delete, a cascade, a reset — and
`entries()` gives each item with the tick of the put that stored it (unique: one clock for the
store, never reset). The engine keys its cached list answers by the first and the rows it made of
each item by the second, so a change made through the store is the only kind it sees: code
holding a stored item changes it through `put`, never in place.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

__all__ = ["Store"]

Scope = tuple[str, ...]
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS items (collection TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL, "
    "seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (collection, scope, id))"
)
_META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


class Store:
    """`{(collection, scope): {id: item}}`, optionally mirrored in a SQLite file."""

    def __init__(self, path: Path | None = None) -> None:
        self._data: dict[tuple[str, Scope], dict[str, Any]] = {}
        self._seq = 0
        self._lock = threading.Lock()
        # Change counters (see the module docstring): one clock, never reset; a list's version is
        # the tick of its last change, at least the tick of the last `replace_all`.
        self._tick = 0
        self._floor = 0
        self._versions: dict[tuple[str, Scope], int] = {}
        self._ticks: dict[tuple[str, Scope], dict[str, int]] = {}
        self._db: sqlite3.Connection | None = None
        self.restored = False
        if path is not None:
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self._db.execute(_SCHEMA)
            self._db.execute(_META)
            self._load()

    def _load(self) -> None:
        assert self._db is not None
        row = self._db.execute("SELECT value FROM meta WHERE key = 'seeded'").fetchone()
        self.restored = row is not None
        for collection, scope, key, seq, body in self._db.execute("SELECT collection, scope, id, seq, body FROM items ORDER BY seq"):
            bucket = (collection, tuple(json.loads(scope)))
            self._data.setdefault(bucket, {})[key] = json.loads(body)
            self._seq = max(self._seq, seq)
            self._tick += 1
            self._ticks.setdefault(bucket, {})[key] = self._tick

    def version(self, collection: str, scope: Scope) -> int:
        """The change counter of one list: different after any change to it (see the module docstring)."""
        return max(self._versions.get((collection, scope), 0), self._floor)

    def _changed(self, key: tuple[str, Scope]) -> None:
        self._tick += 1
        self._versions[key] = self._tick

    def entries(self, collection: str, scope: Scope) -> list[tuple[int, Any]]:
        """(tick of the put that stored it, item) of every item of one list, in order."""
        ticks = self._ticks.get((collection, scope), {})
        return [(ticks[key], item) for key, item in self._data.get((collection, scope), {}).items()]

    def count(self, collection: str, scope: Scope) -> int:
        return len(self._data.get((collection, scope), ()))

    def items(self, collection: str, scope: Scope) -> list[Any]:
        return list(self._data.get((collection, scope), {}).values())

    def get(self, collection: str, scope: Scope, key: str) -> Any:
        return self._data.get((collection, scope), {}).get(key)

    def has(self, collection: str, scope: Scope, key: str) -> bool:
        return key in self._data.get((collection, scope), {})

    def put(self, collection: str, scope: Scope, key: str, item: Any) -> None:
        with self._lock:
            bucket = self._data.setdefault((collection, scope), {})
            self._seq += 1
            bucket[key] = item
            self._changed((collection, scope))
            self._ticks.setdefault((collection, scope), {})[key] = self._tick
            if self._db is not None:
                self._db.execute(
                    "INSERT INTO items VALUES (?, ?, ?, ?, ?) ON CONFLICT (collection, scope, id) DO UPDATE SET body = excluded.body",
                    (collection, json.dumps(list(scope)), key, self._seq, json.dumps(item)),
                )

    def delete(self, collection: str, scope: Scope, key: str) -> bool:
        with self._lock:
            bucket = self._data.get((collection, scope), {})
            if key not in bucket:
                return False
            del bucket[key]
            self._ticks.get((collection, scope), {}).pop(key, None)
            self._changed((collection, scope))
            if self._db is not None:
                self._db.execute("DELETE FROM items WHERE collection = ? AND scope = ? AND id = ?", (collection, json.dumps(list(scope)), key))
            return True

    def everywhere(self, collection: str) -> list[tuple[Scope, Any]]:
        """(scope, item) of every item of `collection`, in every scope."""
        return [(scope, item) for (name, scope), bucket in self._data.items() if name == collection for item in bucket.values()]

    def delete_scopes(self, collection: str, prefix: Scope) -> int:
        """Delete the items of `collection` in every scope starting with `prefix` (the children of
        a deleted parent); how many were deleted."""
        with self._lock:
            doomed = [key for key in self._data if key[0] == collection and key[1][: len(prefix)] == prefix]
            count = 0
            for key in doomed:
                count += len(self._data.pop(key))
                self._ticks.pop(key, None)
                self._changed(key)
                if self._db is not None:
                    self._db.execute("DELETE FROM items WHERE collection = ? AND scope = ?", (collection, json.dumps(list(key[1]))))
            return count

    def replace_all(self, rows: list[tuple[str, Scope, str, Any]]) -> None:
        """Drop everything and store `rows` (the seed), in one transaction."""
        with self._lock:
            self._data.clear()
            self._seq = 0
            self._tick += 1
            self._floor = self._tick
            self._versions.clear()
            self._ticks.clear()
            for collection, scope, key, item in rows:
                self._seq += 1
                self._tick += 1
                self._data.setdefault((collection, scope), {})[key] = item
                self._ticks.setdefault((collection, scope), {})[key] = self._tick
            if self._db is not None:
                self._db.execute("BEGIN")
                self._db.execute("DELETE FROM items")
                self._db.executemany(
                    "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?)",
                    [(c, json.dumps(list(s)), k, n, json.dumps(i)) for n, (c, s, k, i) in enumerate(rows, 1)],
                )
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('seeded', '1')")
                self._db.execute("COMMIT")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
